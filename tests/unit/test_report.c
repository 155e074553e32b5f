/* test_report.c - the statistics report against an independent reference, over random
 * demo stores (different seeds, sizes and clocks) and random periods.
 *
 * The reference replays every dossier's events up to the period's start and end
 * (dossier_apply) and classifies each one from those two snapshots only; the report
 * (SQL selection by receipt and finish instant, the dossier row when nothing happened
 * since, replay otherwise) must give the same number in every column, by level and by
 * field, and report_check must hold: the sums add up in every row and in the totals.
 * Also: period parsing, bad input, and the catalog report's figures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dashboard.h"
#include "demo.h"
#include "dossier.h"
#include "fixture.h"
#include "forms.h"
#include "report.h"
#include "text.h"

static void build(const char *name, long n, unsigned long seed, int64_t now)
{
	struct err e = {0};
	fixture_open(name);
	C.now = now;
	if (demo_build(&C, n, seed, NULL, &e))
		fail_msg("demo: %s", e.msg);
	C.now = now;
	C.is_root = 1; /* reports as root without --as; test_roles tests who may */
}

static int setup(void **state)
{
	(void)state;
	fixture_dir("rep");
	return 0;
}

/* ---- the reference ------------------------------------------------------------ */

struct evs { struct event *v; int n; };

static int keep(const struct event *ev, void *arg)
{
	struct evs *l = arg;
	l->v = realloc(l->v, sizeof *l->v * (size_t)(l->n + 1));
	l->v[l->n] = *ev;
	l->v[l->n].payload = strdup(ev->payload);
	l->n++;
	return 0;
}

static void snapshot(const struct evs *l, int64_t until, struct dossier *d)
{
	struct err e = {0};
	memset(d, 0, sizeof *d);
	for (int i = 0; i < l->n && l->v[i].at < until; i++)
		if (dossier_apply(C.st, d, &l->v[i], &e))
			fail_msg("replay: %s", e.msg);
}

static int finished(const struct dossier *d) { return d->version && (d->resolved_at || d->stage >= SG_FINAL); }

struct codes { char (*v)[CODE_LEN]; int n; struct evs *ev; };

static int code_of(const struct rep_item *it, void *arg)
{
	struct codes *c = arg;
	c->v = realloc(c->v, sizeof *c->v * (size_t)(c->n + 1));
	snprintf(c->v[c->n++], CODE_LEN, "%s", it->code);
	return 0;
}

/* expected[level 1..3][column] */
static void reference(const struct codes *all, int64_t p0, int64_t p1, long exp[4][RC_COUNT])
{
	memset(exp, 0, sizeof(long) * 4 * RC_COUNT);
	int64_t now = core_now(&C), as_of = now < p1 ? now : p1;
	struct dossier *a = malloc(sizeof *a), *b = malloc(sizeof *b), *cur = malloc(sizeof *cur);
	struct procedure *p = malloc(sizeof *p);
	for (int i = 0; i < all->n; i++) {
		const struct evs *l = &all->ev[i];
		int64_t received = l->v[0].at;
		if (received >= p1)
			continue;
		snapshot(l, p0, a);
		snapshot(l, p1, b);
		snapshot(l, INT64_MAX, cur);
		if (received >= p1 || finished(a))
			continue;
		assert_int_equal(store_procedure_get(C.st, cur->procedure_id, p), 0);
		long *v = exp[p->level];
		if (!b->accepted_at) { /* not received by the end: outside the identity */
			if (finished(b))
				v[b->stage == SG_WITHDRAWN ? RC_WITHDRAWN_INTAKE : RC_REFUSED_INTAKE]++;
			else
				v[b->stage == SG_ONLINE ? RC_PENDING : RC_INTAKE_SUPPL]++;
			continue;
		}
		v[a->accepted_at ? RC_CARRIED : b->channel == CH_ONLINE ? RC_NEW_ONLINE :
		  b->channel == CH_POSTAL ? RC_NEW_POSTAL : RC_NEW_DIRECT]++;
		if (finished(b)) { /* resolved, however it ended */
			int64_t end = b->resolved_at ? b->resolved_at : b->stage_since;
			int tl = cal_timeliness(b->orig_due_at, end, 0);
			v[tl == TL_EARLY ? RC_EARLY : tl == TL_ON_TIME ? RC_ON_TIME : RC_LATE]++;
			if (tl == TL_LATE)
				v[b->apology ? RC_LATE_APOLOGY : RC_LATE_NO_APOLOGY]++;
			if (b->stage == SG_WITHDRAWN)
				v[RC_WITHDRAWN]++;
			else if (b->stage == SG_STOPPED)
				v[RC_STOPPED]++;
			else if (b->stage == SG_REFUSED || b->decision == DEC_REFUSE)
				v[RC_REFUSED]++;
			if (cur->returned_at && cur->rating) {
				v[RC_RATED]++;
				v[RC_SATISFIED] += cur->rating >= 4;
			}
		} else {
			int64_t judged = as_of;
			if (b->stage == SG_SUPPLEMENT) {
				v[RC_SUPPLEMENT]++;
				if (b->paused_at && b->paused_at < judged)
					judged = b->paused_at;
			}
			v[b->orig_due_at && judged > b->orig_due_at ? RC_OVERDUE : RC_NOT_DUE]++;
		}
	}
	for (int l = 1; l <= 3; l++) {
		long *v = exp[l];
		v[RC_RECEIVED] = v[RC_CARRIED] + v[RC_NEW_ONLINE] + v[RC_NEW_DIRECT] + v[RC_NEW_POSTAL];
		v[RC_RESOLVED] = v[RC_EARLY] + v[RC_ON_TIME] + v[RC_LATE];
		v[RC_IN_PROGRESS] = v[RC_NOT_DUE] + v[RC_OVERDUE];
		for (int k = 0; k < RC_COUNT; k++)
			exp[0][k] += v[k];
	}
	free(a);
	free(b);
	free(cur);
	free(p);
}

static void compare(int64_t p0, int64_t p1, const struct codes *all)
{
	long exp[4][RC_COUNT];
	reference(all, p0, p1, exp);
	struct report r = {0};
	struct err e = {0};
	char msg[256], a[24], b[24];
	cal_format(p0, 0, a, sizeof a);
	cal_format(p1, 0, b, sizeof b);
	if (report_stats(&C, p0, p1, REP_BY_LEVEL, NULL, &r, &e))
		fail_msg("report %s..%s: %s", a, b, e.msg);
	if (!report_check(&r, msg, sizeof msg))
		fail_msg("%s..%s: %s", a, b, msg);
	assert_int_equal(r.nrows >= 3, 1);
	for (int l = 1; l <= 3; l++)
		for (int k = 0; k < RC_COUNT; k++)
			if (r.rows[l - 1].v[k] != exp[l][k])
				fail_msg("%s..%s level %d %s: report %ld, events %ld", a, b, l, report_col_key(k),
					 r.rows[l - 1].v[k], exp[l][k]);
	report_free(&r);
	/* by field: the same totals, every row adds up */
	if (report_stats(&C, p0, p1, REP_BY_FIELD, NULL, &r, &e))
		fail_msg("report by field: %s", e.msg);
	if (!report_check(&r, msg, sizeof msg))
		fail_msg("%s..%s by field: %s", a, b, msg);
	for (int k = 0; k < RC_COUNT; k++)
		if (r.total.v[k] != exp[0][k])
			fail_msg("%s..%s by field, total %s: report %ld, events %ld", a, b, report_col_key(k), r.total.v[k], exp[0][k]);
	report_free(&r);
}

static void all_codes(struct codes *c)
{
	memset(c, 0, sizeof *c);
	assert_int_equal(store_report_period(C.st, 0, 0, INT64_MAX, code_of, c), 0);
	assert_int_equal(c->n, (int)store_dossier_count(C.st));
	/* every dossier's events, read once */
	c->ev = calloc((size_t)c->n, sizeof *c->ev);
	for (int i = 0; i < c->n; i++) {
		store_events_of(C.st, c->v[i], keep, &c->ev[i]);
		assert_true(c->ev[i].n > 0);
	}
}

static void codes_free(struct codes *c)
{
	for (int i = 0; i < c->n; i++) {
		for (int k = 0; k < c->ev[i].n; k++)
			free(c->ev[i].v[k].payload);
		free(c->ev[i].v);
	}
	free(c->ev);
	free(c->v);
}

struct rng { uint64_t s; };
static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static void random_store(const char *name, long n, unsigned long seed, int64_t now, int periods)
{
	build(name, n, seed, now);
	struct codes all;
	all_codes(&all);
	assert_true(all.n >= n);
	/* the quarter, a month, the whole history, a period before any data, one after now */
	compare(at(2024, 1, 1, 0, 0), at(2024, 4, 1, 0, 0), &all);
	compare(at(2024, 3, 1, 0, 0), at(2024, 4, 1, 0, 0), &all);
	compare(at(2000, 1, 1, 0, 0), at(2030, 1, 1, 0, 0), &all);
	compare(at(2001, 1, 1, 0, 0), at(2001, 2, 1, 0, 0), &all);
	compare(now + 86400, now + 40 * 86400, &all);
	/* named periods of both kinds: the reporting regime's (15th to 14th) and calendar */
	static const char *named[] = {"2024-Q1", "2024-02", "2024-03", "2024-H1", "2024"};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		for (int cal = 0; cal < 2; cal++) {
			int64_t p0, p1;
			struct err e = {0};
			assert_int_equal(report_period(named[i], NULL, NULL, cal, &p0, &p1, &e), 0);
			compare(p0, p1, &all);
		}
	struct rng r = {seed * 2654435761u + 7};
	for (int i = 0; i < periods; i++) {
		int64_t p0 = at(2023, 11, 1, 0, 0) + (int64_t)(rnd(&r) % 200) * 86400;
		int64_t p1 = p0 + (int64_t)(1 + rnd(&r) % 100) * 86400;
		if (rnd(&r) % 4 == 0) /* not on a day boundary */
			p1 += (int64_t)(rnd(&r) % 86400);
		compare(p0, p1, &all);
	}
	codes_free(&all);
	core_close(&C);
}

static void test_random_mid_quarter(void **state)
{
	(void)state;
	random_store("a", 400, 1, at(2024, 3, 20, 10, 15), 12);
}

static void test_random_after_quarter(void **state)
{
	(void)state;
	random_store("b", 2500, 7, at(2024, 4, 10, 15, 0), 8);
}

static void test_random_early(void **state)
{
	(void)state;
	random_store("c", 1200, 3, at(2024, 2, 15, 9, 0), 8);
}

static void test_random_two_quarters(void **state)
{
	(void)state;
	random_store("d", 9000, 11, at(2024, 5, 2, 16, 30), 3);
}

/* ---- handcrafted: one dossier of each kind, known answers --------------------- */

static void as(const char *account, int64_t t)
{
	assert_int_equal(store_user_by_account(C.st, account, &C.actor), 0);
	C.now = t;
}

static void recv(const char *proc, int channel, int outcome, int pending, int64_t t, struct dossier *d)
{
	struct err e = {0};
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, proc, &p), 0);
	struct receive_req q = {.procedure = proc, .channel = channel, .name = "Nguyễn Văn An",
				.idno = "022123456789", .phone = "0912345678",
				.components = (1u << p.ncomponents) - 1, .outcome = outcome,
				.reason = outcome == OUT_ACCEPT ? NULL : "Thiếu giấy tờ", .pending = pending};
	as("clerk1", t);
	if (dossier_receive(&C, &q, d, &e))
		fail_msg("receive: %s", e.msg);
}

#define OK(call) do { struct err e_ = {0}; (void)e_; if (call) fail_msg("%s: %s", #call, e_.msg); } while (0)

static void walk_to_signing(const char *code, int64_t t, int decision)
{
	struct err e = {0};
	struct dossier d;
	as("clerk1", t);
	if (dossier_transfer(&C, code, NULL, &d, &e))
		fail_msg("transfer: %s", e.msg);
	struct department dp;
	assert_int_equal(store_dept_get(C.st, d.dept_id, &dp), 0);
	const char *head = !strcmp(dp.code, "TM") ? "head_tm" : !strcmp(dp.code, "NL") ? "head_nl" :
			   !strcmp(dp.code, "KTAT") ? "head_at" : "head_cn";
	const char *spec = !strcmp(dp.code, "TM") ? "spec_tm1" : !strcmp(dp.code, "NL") ? "spec_nl1" :
			   !strcmp(dp.code, "KTAT") ? "spec_at1" : "spec_cn1";
	as(head, t + 600);
	if (dossier_assign(&C, code, spec, &d, &e))
		fail_msg("assign: %s", e.msg);
	as(spec, t + 1200);
	if (dossier_propose(&C, code, decision, decision == DEC_REFUSE ? "Không đủ điều kiện" : "Đủ điều kiện", &d, &e))
		fail_msg("propose: %s", e.msg);
}

static void sign(const char *code, int64_t t)
{
	struct err e = {0};
	as("leader1", t);
	if (dossier_sign(&C, code, NULL, NULL, &e))
		fail_msg("sign: %s", e.msg);
}

static void test_handcrafted(void **state)
{
	(void)state;
	struct err e = {0};
	fixture_open("h");
	C.is_root = 1;
	C.now = at(2024, 1, 2, 8, 0);
	assert_int_equal(store_exec_embedded(C.st, "demo/catalog.sql", &e), 0);
	assert_int_equal(core_reload(&C, &e), 0);
	const char *P = "1.001074"; /* province, 5 working days direct and online */
	struct dossier d1, d2, d3, d4, d5, d6, d7, d8, d9, d;
	/* d1: received in the previous month, resolved early in January */
	recv(P, CH_DIRECT, OUT_ACCEPT, 0, at(2023, 12, 28, 9, 0), &d1);
	walk_to_signing(d1.code, at(2023, 12, 28, 10, 0), DEC_APPROVE);
	sign(d1.code, at(2024, 1, 3, 9, 0));
	/* d2: online, received in the period, resolved late (after its due date) */
	recv(P, CH_ONLINE, OUT_ACCEPT, 0, at(2024, 1, 8, 9, 0), &d2);
	walk_to_signing(d2.code, at(2024, 1, 8, 10, 0), DEC_APPROVE);
	sign(d2.code, at(2024, 1, 22, 9, 0));
	as("clerk1", at(2024, 1, 23, 9, 0));
	OK(dossier_return(&C, d2.code, "Nguyễn Văn An", 5, NULL, &e_));
	/* d3: postal, extended with an apology, resolved late */
	recv(P, CH_POSTAL, OUT_ACCEPT, 0, at(2024, 1, 9, 9, 0), &d3);
	walk_to_signing(d3.code, at(2024, 1, 9, 10, 0), DEC_APPROVE);
	/* (extension needs the processing stage: send back first) */
	as("leader1", at(2024, 1, 10, 9, 0));
	OK(dossier_send_back(&C, d3.code, "Xác minh thêm", NULL, &e_));
	as("spec_tm1", at(2024, 1, 12, 9, 0));
	struct dossier x;
	assert_int_equal(store_dossier_get(C.st, d3.code, &x), 0);
	OK(dossier_extend(&C, d3.code, at(2024, 1, 25, 16, 0), "Cần xác minh thực tế", NULL, &e_));
	as("leader1", at(2024, 1, 12, 10, 0));
	OK(dossier_extend_issue(&C, d3.code, NULL, &e_));
	as("spec_tm1", at(2024, 1, 12, 11, 0));
	OK(dossier_propose(&C, d3.code, DEC_APPROVE, "Đủ điều kiện", NULL, &e_));
	sign(d3.code, at(2024, 1, 24, 9, 0));
	/* d4: direct, waiting for a supplement at the end of the period */
	recv(P, CH_DIRECT, OUT_ACCEPT, 0, at(2024, 1, 10, 9, 0), &d4);
	as("clerk1", at(2024, 1, 10, 10, 0));
	OK(dossier_transfer(&C, d4.code, NULL, NULL, &e_));
	assert_int_equal(store_dossier_get(C.st, d4.code, &d), 0);
	as("head_tm", at(2024, 1, 10, 11, 0));
	OK(dossier_assign(&C, d4.code, "spec_tm1", NULL, &e_));
	as("spec_tm1", at(2024, 1, 11, 9, 0));
	OK(dossier_supplement(&C, d4.code, "Bổ sung bản vẽ", NULL, &e_));
	/* d5: refused at intake; d6: withdrawn; d7: online, still waiting to be accepted */
	recv(P, CH_DIRECT, OUT_REFUSE, 0, at(2024, 1, 15, 9, 0), &d5);
	recv(P, CH_DIRECT, OUT_ACCEPT, 0, at(2024, 1, 15, 10, 0), &d6);
	as("clerk1", at(2024, 1, 16, 9, 0));
	OK(dossier_withdraw(&C, d6.code, "Người nộp rút", NULL, &e_));
	recv(P, CH_ONLINE, OUT_ACCEPT, 1, at(2024, 1, 29, 9, 0), &d7);
	/* d8: accepted late in the month, not yet due at its end; d9: overdue at the end */
	recv(P, CH_DIRECT, OUT_ACCEPT, 0, at(2024, 1, 30, 9, 0), &d8);
	recv(P, CH_DIRECT, OUT_ACCEPT, 0, at(2024, 1, 17, 9, 0), &d9);
	/* after the period: d4's supplement arrives, d8 and d9 are resolved */
	as("clerk1", at(2024, 2, 5, 9, 0));
	OK(dossier_resume(&C, d4.code, 0, NULL, &e_));
	walk_to_signing(d8.code, at(2024, 2, 1, 9, 0), DEC_APPROVE);
	sign(d8.code, at(2024, 2, 2, 9, 0));
	walk_to_signing(d9.code, at(2024, 2, 1, 9, 0), DEC_REFUSE);
	sign(d9.code, at(2024, 2, 2, 10, 0));
	C.now = at(2024, 3, 1, 9, 0);

	struct report r = {0};
	assert_int_equal(report_stats(&C, at(2024, 1, 1, 0, 0), at(2024, 2, 1, 0, 0), REP_BY_LEVEL, NULL, &r, &e), 0);
	long *v = r.rows[0].v;
	/* received (accepted): d1 carried over; d2 online, d3 postal, d4 d6 d8 d9 direct */
	assert_int_equal(v[RC_CARRIED], 1);
	assert_int_equal(v[RC_NEW_ONLINE], 1);
	assert_int_equal(v[RC_NEW_POSTAL], 1);
	assert_int_equal(v[RC_NEW_DIRECT], 4);
	assert_int_equal(v[RC_RECEIVED], 7);
	/* resolved: d1 and d6 (withdrawn before its due date) early, d2 and d3 late */
	assert_int_equal(v[RC_EARLY], 2);
	assert_int_equal(v[RC_LATE], 2);
	assert_int_equal(v[RC_RESOLVED], 4);
	assert_int_equal(v[RC_WITHDRAWN], 1);
	assert_int_equal(v[RC_REFUSED], 0);
	assert_int_equal(v[RC_LATE_APOLOGY], 1);
	assert_int_equal(v[RC_LATE_NO_APOLOGY], 1);
	/* in progress: d4 (waiting for a supplement, paused before its due date) and d8
	 * not yet due, d9 overdue */
	assert_int_equal(v[RC_NOT_DUE], 2);
	assert_int_equal(v[RC_OVERDUE], 1);
	assert_int_equal(v[RC_IN_PROGRESS], 3);
	assert_int_equal(v[RC_SUPPLEMENT], 1);
	assert_int_equal(v[RC_RECEIVED], v[RC_RESOLVED] + v[RC_IN_PROGRESS]);
	/* not received: d5 refused at intake, d7 online and not yet accepted */
	assert_int_equal(v[RC_REFUSED_INTAKE], 1);
	assert_int_equal(v[RC_PENDING], 1);
	assert_int_equal(v[RC_RATED], 1);
	assert_int_equal(v[RC_SATISFIED], 1);
	assert_int_equal(r.replayed, 3); /* d4, d8 and d9 changed after the end */
	report_free(&r);
	/* February: d1..d3 are done; carried over: d4, d8, d9 (d7 was never received) */
	assert_int_equal(report_stats(&C, at(2024, 2, 1, 0, 0), at(2024, 3, 1, 0, 0), REP_BY_LEVEL, NULL, &r, &e), 0);
	v = r.rows[0].v;
	assert_int_equal(v[RC_CARRIED], 3);
	assert_int_equal(v[RC_RECEIVED], 3);
	assert_int_equal(v[RC_EARLY] + v[RC_ON_TIME], 1);  /* d8 */
	assert_int_equal(v[RC_LATE], 1);                   /* d9: refused after processing, late */
	assert_int_equal(v[RC_REFUSED], 1);                /* a resolved one, with a negative result */
	assert_int_equal(v[RC_PENDING], 1);                /* d7 */
	assert_int_equal(v[RC_IN_PROGRESS], 1);            /* d4, back in processing */
	report_free(&r);
	core_close(&C);
}

/* ---- periods, bad input, catalog ----------------------------------------------- */

static void test_period(void **state)
{
	(void)state;
	struct err e = {0};
	int64_t a, b;
	/* the reporting regime (Decree 09/2019 Art. 12): the 15th to the 14th */
	assert_int_equal(report_period("2024-Q1", NULL, NULL, 0, &a, &b, &e), 0);
	assert_true(a == at(2023, 12, 15, 0, 0) && b == at(2024, 3, 15, 0, 0));
	assert_int_equal(report_period("2024-Q2", NULL, NULL, 0, &a, &b, &e), 0);
	assert_true(a == at(2024, 3, 15, 0, 0) && b == at(2024, 6, 15, 0, 0));
	assert_int_equal(report_period("2024-Q4", NULL, NULL, 0, &a, &b, &e), 0);
	assert_true(a == at(2024, 9, 15, 0, 0) && b == at(2024, 12, 15, 0, 0));
	assert_int_equal(report_period("2024-01", NULL, NULL, 0, &a, &b, &e), 0);
	assert_true(a == at(2023, 12, 15, 0, 0) && b == at(2024, 1, 15, 0, 0));
	assert_int_equal(report_period("2024-03", NULL, NULL, 0, &a, &b, &e), 0);
	assert_true(a == at(2024, 2, 15, 0, 0) && b == at(2024, 3, 15, 0, 0));
	assert_int_equal(report_period("2024-H1", NULL, NULL, 0, &a, &b, &e), 0);
	assert_true(a == at(2023, 12, 15, 0, 0) && b == at(2024, 6, 15, 0, 0));
	assert_int_equal(report_period("2024-H2", NULL, NULL, 0, &a, &b, &e), 0);
	assert_true(a == at(2024, 6, 15, 0, 0) && b == at(2024, 12, 15, 0, 0));
	assert_int_equal(report_period("2024", NULL, NULL, 0, &a, &b, &e), 0);
	assert_true(a == at(2023, 12, 15, 0, 0) && b == at(2024, 12, 15, 0, 0));
	/* calendar periods on request */
	assert_int_equal(report_period("2024-Q1", NULL, NULL, 1, &a, &b, &e), 0);
	assert_true(a == at(2024, 1, 1, 0, 0) && b == at(2024, 4, 1, 0, 0));
	assert_int_equal(report_period("2024-Q4", NULL, NULL, 1, &a, &b, &e), 0);
	assert_true(a == at(2024, 10, 1, 0, 0) && b == at(2025, 1, 1, 0, 0));
	assert_int_equal(report_period("2024-02", NULL, NULL, 1, &a, &b, &e), 0);
	assert_true(a == at(2024, 2, 1, 0, 0) && b == at(2024, 3, 1, 0, 0));
	assert_int_equal(report_period("2023", NULL, NULL, 1, &a, &b, &e), 0);
	assert_true(a == at(2023, 1, 1, 0, 0) && b == at(2024, 1, 1, 0, 0));
	assert_int_equal(report_period("2024-H2", NULL, NULL, 1, &a, &b, &e), 0);
	assert_true(a == at(2024, 7, 1, 0, 0) && b == at(2025, 1, 1, 0, 0));
	/* dates are taken as they are, whatever the kind */
	assert_int_equal(report_period(NULL, "2024-01-01", "2024-03-31", 0, &a, &b, &e), 0);
	assert_true(a == at(2024, 1, 1, 0, 0) && b == at(2024, 4, 1, 0, 0));
	assert_int_equal(report_period(NULL, "2024-03-05", "2024-03-05", 0, &a, &b, &e), 0);
	assert_true(b - a == 86400);
	assert_int_not_equal(report_period(NULL, "2024-03-31", "2024-01-01", 0, &a, &b, &e), 0);
	assert_non_null(strstr(e.msg, "inverted"));
	assert_int_not_equal(report_period(NULL, "", "2024-01-01", 0, &a, &b, &e), 0);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_not_equal(report_period(NULL, "2024-02-30", "2024-03-01", 0, &a, &b, &e), 0);
	assert_int_not_equal(report_period("2024-Q5", NULL, NULL, 0, &a, &b, &e), 0);
	assert_int_not_equal(report_period("2024-13", NULL, NULL, 0, &a, &b, &e), 0);
	assert_int_not_equal(report_period("24", NULL, NULL, 0, &a, &b, &e), 0);
	assert_int_not_equal(report_period("2024-Q1", "2024-01-01", NULL, 0, &a, &b, &e), 0);
	assert_int_not_equal(report_period(NULL, NULL, NULL, 0, &a, &b, &e), 0);
}

static void test_catalog_and_fields(void **state)
{
	(void)state;
	struct err e = {0};
	fixture_open("cat");
	C.is_root = 1;
	assert_int_equal(store_exec_embedded(C.st, "demo/catalog.sql", &e), 0);
	struct catalog_report cr;
	assert_int_equal(report_catalog(&C, &cr, &e), 0);
	assert_int_equal(cr.total.procedures, 146);
	int seen = 0;
	for (int i = 0; i < cr.nrows; i++) {
		const struct cat_row *w = &cr.rows[i];
		if (w->field_code[0])
			continue;
		char pct[16];
		snprintf(pct, sizeof pct, "%.2f", report_reduction(w));
		if (w->level == 1) {
			assert_int_equal(w->procedures, 129);
			assert_int_equal((int)w->statutory_days, 1921);
			assert_int_equal((int)w->committed_days, 854);
			assert_string_equal(pct, "-55.54");
		} else if (w->level == 2) {
			assert_int_equal(w->procedures, 15);
			assert_string_equal(pct, "-51.01");
		} else {
			assert_int_equal(w->procedures, 2);
			assert_string_equal(pct, "-52.17");
		}
		seen++;
	}
	assert_int_equal(seen, 3);
	report_catalog_free(&cr);
	/* an unknown field is an error; a known one restricts the rows */
	struct report r = {0};
	assert_int_equal(report_stats(&C, at(2024, 1, 1, 0, 0), at(2024, 4, 1, 0, 0), REP_BY_FIELD, "NOPE", &r, &e), MC_NOTFOUND);
	assert_int_equal(report_stats(&C, at(2024, 1, 1, 0, 0), at(2024, 4, 1, 0, 0), REP_BY_FIELD, "XD", &r, &e), 0);
	assert_int_equal(r.nrows, 1);
	assert_string_equal(r.rows[0].key, "XD");
	report_free(&r);
	assert_int_not_equal(report_stats(&C, at(2024, 4, 1, 0, 0), at(2024, 1, 1, 0, 0), REP_BY_FIELD, NULL, &r, &e), 0);
	core_close(&C);
}

/* ---- layout helpers: nothing wider than asked, nothing raw ------------------------ */

static void test_layout(void **state)
{
	(void)state;
	char out[512];
	form_pad("Nguyễn Văn Đức", 20, 0, out, sizeof out);
	assert_int_equal(text_width(out), 20);
	form_pad("Nguyễn Văn Đức", 5, 1, out, sizeof out);
	assert_int_equal(text_width(out), 5);
	assert_string_equal(out, "Nguy…"); /* cut with an ellipsis, never silently */
	struct strbuf t = {0};
	form_wrap(&t, "Tên: ", "Công ty TNHH Thương mại và Dịch vụ Xuất nhập khẩu Hạ Long Quảng Ninh Việt Nam "
		  "chi nhánh số một tại thành phố Hạ Long AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\x1b[31m\xe2\x80\xae",
		  FORM_COLS);
	assert_non_null(t.buf);
	assert_null(strchr(t.buf, 0x1b));
	assert_null(strstr(t.buf, "\xe2\x80\xae"));
	int lines = 0;
	for (char *s = t.buf, *nl; (nl = strchr(s, '\n')); s = nl + 1) {
		*nl = 0;
		assert_true(text_width(s) <= FORM_COLS);
		lines++;
	}
	assert_true(lines >= 3);
	strbuf_release(&t);
}

/* ---- dashboard: counts, drill-down lists, when a refresh needs the store ------------ */

static void test_dashboard(void **state)
{
	(void)state;
	struct err e = {0};
	int64_t now = at(2024, 3, 20, 10, 0);
	build("dash", 300, 4, now);
	struct dashboard d;
	assert_int_equal(dashboard_load(&C, 2, &d, &e), 0);
	assert_int_equal(d.within, 2);
	/* every open dossier is in exactly one step list; each list is oldest first */
	int insteps = 0;
	for (int i = 0; i < d.n; i++) {
		const struct dash_entry *en = &d.v[i];
		if (en->list == DL_STAGE)
			insteps += en->count;
		for (int k = 1; k < en->count; k++) {
			const struct rep_item *a = &d.items[en->items[k - 1]], *b = &d.items[en->items[k]];
			if (en->list == DL_STAGE)
				assert_true(a->stage_since <= b->stage_since);
			if (en->list == DL_OVERDUE)
				assert_true(a->orig_due_at <= b->orig_due_at);
		}
		for (int k = 0; k < en->count; k++) {
			const struct rep_item *it = &d.items[en->items[k]];
			if (en->list == DL_STAGE)
				assert_int_equal(it->stage, (int)en->key);
			if (en->list == DL_DEPT)
				assert_int_equal(it->dept_id, en->key);
			if (en->list == DL_PERSON)
				assert_int_equal(it->assignee_id, en->key);
			if (en->list == DL_RECEIVED_TODAY)
				assert_int_equal(cal_day_of(it->received_at), cal_day_of(now));
			if (en->list == DL_DUE_SOON)
				assert_true(it->due_at >= d.day_end && it->due_at <= d.soon_until);
		}
	}
	assert_int_equal(insteps, d.open);
	const struct dash_entry *acc = dashboard_find(&d, DL_STAGE, SG_ACCEPTED);
	assert_non_null(acc);
	assert_true(acc->count > 0);
	int before = acc->count;
	/* nothing changed: no reload; the clock moved a minute: re-sort only; a step: reload */
	assert_int_equal(dashboard_stale(&C, &d), 0);
	C.now = now + 60;
	assert_int_equal(dashboard_stale(&C, &d), 1);
	assert_int_equal(dashboard_classify(&C, &d, &e), 0);
	assert_int_equal(dashboard_stale(&C, &d), 0);
	acc = dashboard_find(&d, DL_STAGE, SG_ACCEPTED); /* classify rebuilt the entries */
	assert_int_equal(acc->count, before);
	char code[CODE_LEN];
	snprintf(code, sizeof code, "%s", d.items[acc->items[0]].code);
	assert_int_equal(store_user_by_account(C.st, "clerk1", &C.actor), 0);
	if (dossier_transfer(&C, code, NULL, NULL, &e))
		fail_msg("transfer: %s", e.msg);
	assert_int_equal(dashboard_stale(&C, &d), 2);
	dashboard_free(&d);
	assert_int_equal(dashboard_load(&C, 2, &d, &e), 0);
	assert_int_equal(dashboard_find(&d, DL_STAGE, SG_ACCEPTED)->count, before - 1);
	/* the next day: everything is stale */
	C.now = now + 86400;
	assert_int_equal(dashboard_stale(&C, &d), 2);
	dashboard_free(&d);
	core_close(&C);
}

/* who may read reports and the dashboard is the core's rule, not a front end's */
static void test_roles(void **state)
{
	(void)state;
	struct err e = {0};
	int64_t now = at(2024, 3, 20, 10, 0);
	build("roles", 50, 7, now);
	C.is_root = 0;
	struct report r = {0};
	struct dashboard d;
	fixture_as("clerk1");
	assert_int_equal(report_stats(&C, at(2024, 1, 1, 0, 0), at(2024, 4, 1, 0, 0), REP_BY_LEVEL, NULL, &r, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "supervisors"));
	assert_int_equal(dashboard_load(&C, 2, &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "dashboard"));
	fixture_as("super1");
	assert_int_equal(report_stats(&C, at(2024, 1, 1, 0, 0), at(2024, 4, 1, 0, 0), REP_BY_LEVEL, NULL, &r, &e), 0);
	report_free(&r);
	assert_int_equal(dashboard_load(&C, 2, &d, &e), 0);
	assert_int_equal(d.dept_id, 0);
	dashboard_free(&d);
	/* a head sees their own department only */
	fixture_as("head_tm");
	assert_int_equal(dashboard_load(&C, 2, &d, &e), 0);
	assert_int_equal(d.dept_id, C.actor.dept_id);
	assert_int_not_equal(d.dept_id, 0);
	dashboard_free(&d);
	/* root acting as a clerk is that clerk */
	C.is_root = 1;
	C.acting_as = 1;
	fixture_as("clerk1");
	assert_int_equal(dashboard_load(&C, 2, &d, &e), MC_DENIED);
	core_close(&C);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_catalog_and_fields),
		cmocka_unit_test(test_handcrafted),
		cmocka_unit_test(test_dashboard),
		cmocka_unit_test(test_random_mid_quarter),
		cmocka_unit_test(test_random_early),
		cmocka_unit_test(test_random_after_quarter),
		cmocka_unit_test(test_random_two_quarters),
		cmocka_unit_test(test_roles),
	};
	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
