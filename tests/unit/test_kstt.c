/* test_kstt.c - form II.06a (report.h, REP_BY_KSTT) over random stores spanning
 * 1 July 2025: the demo's history, its recent dossiers of late June and early July
 * 2025 (the 2018 model), then the office turned into a centre of the 2025 model that
 * receives random procedures for three months, some of them routed to a commune
 * centre, some walked to a result.
 *
 * For every period (named ones of both kinds around the reform and random ones) the
 * II.06a total must equal, column by column, the statistics report by field over the
 * same dossiers (that report is checked against an independent replay in
 * test_report.c); every row and level keeps the identities of the form (3 = 4 + 5 + 6
 * = 7 + 11, 7 = 8 + 9 + 10, 11 = 12 + 13); each level is the sum of its fields and the
 * total the sum of the levels; the district level is shown for a period that starts
 * before the reform, and after it only for dossiers received before the reform.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "demo.h"
#include "dossier.h"
#include "fixture.h"
#include "forms.h"
#include "org.h"
#include "report.h"
#include "text.h"

#define CENTRE "000.00.17.H45"
#define COMMUNE "000.31.29.H45"
#define COMMUNE_PROC "2.006365"

struct rng { uint64_t s; };
static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

struct procs { char code[64][32]; int n; };
static int collect(const struct procedure *p, void *arg)
{
	struct procs *l = arg;
	if (l->n < 64 && (p->level == 1 || p->level == 2))
		snprintf(l->code[l->n++], sizeof l->code[0], "%s", p->code);
	return 0;
}

static void as(const char *account, int64_t t)
{
	assert_int_equal(store_user_by_account(C.st, account, &C.actor), 0);
	C.now = t;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* a dossier received at the centre walked to its result (or part of the way) */
static void walk(struct rng *r, const char *code, int64_t t)
{
	struct err e = {0};
	struct dossier d;
	as("clerk1", t + 300);
	if (dossier_transfer(&C, code, NULL, &d, &e))
		return; /* another office's by now, or not transferable: stays in progress */
	struct department dp;
	assert_int_equal(store_dept_get(C.st, d.dept_id, &dp), 0);
	const char *head = !strcmp(dp.code, "TM") ? "head_tm" : !strcmp(dp.code, "NL") ? "head_nl" :
			   !strcmp(dp.code, "KTAT") ? "head_at" : "head_cn";
	const char *spec = !strcmp(dp.code, "TM") ? "spec_tm1" : !strcmp(dp.code, "NL") ? "spec_nl1" :
			   !strcmp(dp.code, "KTAT") ? "spec_at1" : "spec_cn1";
	as(head, t + 900);
	if (dossier_assign(&C, code, spec, &d, &e))
		fail_msg("assign %s: %s", code, e.msg);
	if (rnd(r) % 4 == 0)
		return;
	int64_t done = t + 3600 + (int64_t)(rnd(r) % (20 * 86400));
	as(spec, done);
	if (dossier_propose(&C, code, rnd(r) % 10 ? DEC_APPROVE : DEC_REFUSE, "Đủ điều kiện", &d, &e))
		fail_msg("propose %s: %s", code, e.msg);
	as("leader1", done + 1800);
	if (dossier_sign(&C, code, NULL, &d, &e))
		fail_msg("sign %s: %s", code, e.msg);
	if (d.decision == DEC_APPROVE && rnd(r) % 2) {
		as("clerk1", done + 86400);
		if (dossier_return(&C, code, "Người nộp hồ sơ", 1 + (int)(rnd(r) % 5), &d, &e))
			fail_msg("return %s: %s", code, e.msg);
	}
}

static void build(const char *name, long n, long after, unsigned long seed)
{
	struct err e = {0};
	fixture_open(name);
	C.now = at(2025, 7, 8, 16, 0); /* the demo's recent dossiers: 24/6 to 8/7/2025 */
	if (demo_build(&C, n, seed, NULL, &e))
		fail_msg("demo: %s", e.msg);
	C.is_root = 1;
	/* the 2018 model after the reform: a district procedure received by the old office
	 * (no competent agency recorded) counts at commune level */
	for (int i = 0; i < 3; i++) {
		struct procedure p;
		assert_int_equal(store_procedure_by_code(C.st, "2.005810", &p), 0);
		struct receive_req q = {.procedure = "2.005810", .channel = CH_DIRECT, .name = "Trần Văn Huyện",
					.idno = "022123456788", .components = (1u << p.ncomponents) - 1, .outcome = OUT_ACCEPT};
		struct dossier d;
		as("clerk1", at(2025, 7, 2 + i, 9, 0));
		if (dossier_receive(&C, &q, &d, &e))
			fail_msg("receive: %s", e.msg);
		assert_int_equal(d.resolver_id, 0);
	}
	C.now = at(2025, 7, 8, 17, 0);
	fixture_as("admin");
	if (org_office_set(&C, CENTRE, NULL, 0, "centre", NULL, &e) || org_office_set(&C, COMMUNE, NULL, 0, "commune", NULL, &e) ||
	    org_procedure_set(&C, COMMUNE, COMMUNE_PROC, "resolve", 1, &e) || core_reload(&C, &e))
		fail_msg("org: %s", e.msg);
	struct procs pl = {0};
	store_procedures(C.st, collect, &pl);
	assert_true(pl.n > 10);
	struct rng r = {seed * 2654435761u + 3};
	int64_t *times = malloc(sizeof *times * (size_t)after);
	assert_non_null(times);
	int64_t t0 = at(2025, 7, 9, 8, 0);
	for (long i = 0; i < after; i++)
		times[i] = t0 + (int64_t)(rnd(&r) % (85 * 86400));
	qsort(times, (size_t)after, sizeof *times, cmp64);
	for (long i = 0; i < after; i++) {
		int64_t day = cal_day_of(times[i]);
		while (!cal_is_working_day(&C.cal, (int32_t)day))
			day++;
		int64_t t = cal_instant((int32_t)day, C.cal.am_start + (int)(rnd(&r) % 200));
		const char *proc = rnd(&r) % 3 == 0 ? COMMUNE_PROC : pl.code[rnd(&r) % (uint64_t)pl.n];
		struct procedure p;
		assert_int_equal(store_procedure_by_code(C.st, proc, &p), 0);
		static const int ch[] = {CH_DIRECT, CH_ONLINE, CH_POSTAL};
		struct receive_req q = {.procedure = proc, .channel = ch[rnd(&r) % 3], .name = "Nguyễn Văn An",
					.idno = "022123456789", .components = (1u << p.ncomponents) - 1, .outcome = OUT_ACCEPT};
		struct dossier d;
		as("clerk1", t);
		if (dossier_receive(&C, &q, &d, &e))
			fail_msg("receive %s: %s", proc, e.msg);
		if (strcmp(proc, COMMUNE_PROC))
			walk(&r, d.code, t);
	}
	free(times);
}

static long col(const struct rep_row *w, int c) { return report_kstt_col(w, c); }

static void identities(const struct rep_row *w)
{
	assert_int_equal(col(w, 3), col(w, 4) + col(w, 5) + col(w, 6));
	assert_int_equal(col(w, 3), col(w, 7) + col(w, 11));
	assert_int_equal(col(w, 7), col(w, 8) + col(w, 9) + col(w, 10));
	assert_int_equal(col(w, 11), col(w, 12) + col(w, 13));
	for (int c = 3; c <= 13; c++)
		assert_true(col(w, c) >= 0);
}

/* II.06a over [p0, p1) against the report by field, with every identity */
static void check(int64_t p0, int64_t p1, long *seen_commune)
{
	struct err e = {0};
	struct report k = {.all_offices = 1}, f = {.all_offices = 1};
	if (report_stats(&C, p0, p1, REP_BY_KSTT, NULL, &k, &e))
		fail_msg("kstt: %s", e.msg);
	if (report_stats(&C, p0, p1, REP_BY_FIELD, NULL, &f, &e))
		fail_msg("by field: %s", e.msg);
	char msg[256];
	assert_true(report_check(&k, msg, sizeof msg));
	for (int c = 0; c < RC_COUNT; c++)
		if (k.total.v[c] != f.total.v[c])
			fail_msg("column %s: II.06a %ld, by field %ld", report_col_key(c), k.total.v[c], f.total.v[c]);
	identities(&k.total);
	long lv[4][RC_COUNT] = {{0}};
	for (int i = 0; i < k.nrows; i++) {
		const struct rep_row *w = &k.rows[i];
		identities(w);
		assert_true(w->level >= 0 && w->level <= 3);
		for (int c = 0; c < RC_COUNT; c++)
			lv[w->level][c] += w->v[c];
		/* no dossier is newly received at district level after the reform */
		if (w->level == 2 && p0 >= forms_reform_instant())
			assert_int_equal(col(w, 4) + col(w, 5), 0);
		if (i)
			assert_true(k.rows[i - 1].level <= w->level || !w->level);
	}
	for (int l = 0; l < 4; l++) {
		identities(&k.levels[l]);
		for (int c = 0; c < RC_COUNT; c++)
			assert_int_equal(k.levels[l].v[c], lv[l][c]);
	}
	for (int c = 3; c <= 13; c++)
		assert_int_equal(col(&k.total, c), col(&k.levels[0], c) + col(&k.levels[1], c) + col(&k.levels[2], c) +
				 col(&k.levels[3], c));
	if (p0 < forms_reform_instant())
		assert_true(k.district);
	*seen_commune += col(&k.levels[3], 3);
	/* the text fits 80 columns and the CSV has a line per shown level and field plus the total */
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	report_kstt_text(&k, fp);
	fclose(fp);
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		assert_true(text_width(line) <= 80);
	}
	free(buf);
	report_free(&k);
	report_free(&f);
}

static void run(const char *name, long n, long after, unsigned long seed, int64_t now)
{
	build(name, n, after, seed);
	fixture_as("admin");
	C.now = now;
	long commune = 0;
	static const char *named[] = {"2025-Q2", "2025-Q3", "2025-06", "2025-07", "2025-08", "2025-H1", "2025-H2", "2025", "2024-Q1"};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		for (int cal = 0; cal < 2; cal++) {
			int64_t p0, p1;
			struct err e = {0};
			assert_int_equal(report_period(named[i], NULL, NULL, cal, &p0, &p1, &e), 0);
			check(p0, p1, &commune);
		}
	struct rng r = {seed + 99};
	for (int i = 0; i < 10; i++) {
		int64_t p0 = at(2025, 5, 1, 0, 0) + (int64_t)(rnd(&r) % 150) * 86400;
		int64_t p1 = p0 + (int64_t)(1 + rnd(&r) % 90) * 86400 + (int64_t)(rnd(&r) % 86400);
		check(p0, p1, &commune);
	}
	assert_true(commune > 0); /* the routed dossiers were counted at commune level */
	core_close(&C);
}

static void test_kstt_during(void **state)
{
	(void)state;
	run("a", 300, 120, 5, at(2025, 8, 20, 10, 0));
}

static void test_kstt_after(void **state)
{
	(void)state;
	run("b", 900, 250, 13, at(2025, 12, 1, 9, 0));
}

/* counts of seven digits (a province over years): the columns split in two tables,
 * every line still within 80 columns, every number printed whole, as Vietnamese
 * writes it (dots between thousands) */
static void test_kstt_wide(void **state)
{
	(void)state;
	struct rep_row row = {.key = "1.XD", .name = "Xăng dầu", .level = 1};
	struct report r = {.by = REP_BY_KSTT, .from = at(2025, 6, 15, 0, 0), .to = at(2025, 9, 15, 0, 0), .calendar = 0,
			   .rows = &row, .nrows = 1, .district = 0};
	r.as_of = r.to;
	snprintf(r.office, sizeof r.office, "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh");
	row.v[RC_NEW_DIRECT] = 1234567;
	row.v[RC_NEW_ONLINE] = 7654321;
	row.v[RC_RECEIVED] = 8888888;
	row.v[RC_EARLY] = 8000000;
	row.v[RC_RESOLVED] = 8000000;
	row.v[RC_NOT_DUE] = 888888;
	row.v[RC_IN_PROGRESS] = 888888;
	r.total = row;
	r.levels[1] = row;
	snprintf(r.levels[1].name, sizeof r.levels[1].name, "Cấp tỉnh");
	snprintf(r.levels[3].name, sizeof r.levels[3].name, "Cấp xã");
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	report_kstt_text(&r, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "Phần 1: cột (3) đến (6)"));
	assert_non_null(strstr(buf, "Phần 2: cột (7) đến (13)"));
	assert_non_null(strstr(buf, " 8.888.888 7.654.321 1.234.567"));
	assert_non_null(strstr(buf, " 8.000.000 8.000.000"));
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		assert_true(text_width(line) <= 80);
	}
	free(buf);
}

/* the statistics report by field with counts of six and seven digits: its tables
 * split rather than run past 80 columns, every number whole, as Vietnamese writes it */
static void test_stats_wide(void **state)
{
	(void)state;
	struct rep_row row = {.key = "XD", .name = "Xăng dầu", .level = 1};
	struct report r = {.by = REP_BY_FIELD, .from = at(2025, 6, 15, 0, 0), .to = at(2025, 9, 15, 0, 0), .calendar = 0,
			   .rows = &row, .nrows = 1};
	r.as_of = r.to;
	snprintf(r.office, sizeof r.office, "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh");
	row.v[RC_NEW_DIRECT] = 1234567;
	row.v[RC_RECEIVED] = 1234567;
	row.v[RC_IN_PROGRESS] = 234567;
	row.v[RC_NOT_DUE] = 234567;
	row.v[RC_RESOLVED] = 1000000;
	r.total = row;
	snprintf(r.total.name, sizeof r.total.name, "Tổng cộng");
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	report_text(&r, fp);
	fclose(fp);
	assert_non_null(strstr(buf, " 1.234.567"));
	assert_non_null(strstr(buf, " 234.567"));
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		assert_true(text_width(line) <= 80);
	}
	free(buf);
}

static int setup(void **state)
{
	(void)state;
	fixture_dir("kstt");
	return 0;
}

/* the rules central's II.06a shares (province.c): the level of a dossier, its row, and
 * report_finish's levels and identities for rows tallied from another source */
static void test_kstt_shared(void **state)
{
	(void)state;
	int64_t reform = forms_reform_instant();
	assert_int_equal(report_kstt_level(1, 3, reform), 1);          /* the competent agency's level first */
	assert_int_equal(report_kstt_level(3, 2, reform - 1), 3);
	assert_int_equal(report_kstt_level(0, 2, reform - 1), 2);      /* district before the reform */
	assert_int_equal(report_kstt_level(0, 2, reform), 3);          /* commune after it */
	assert_int_equal(report_kstt_level(9, 0, reform), 1);          /* nothing known: province */
	struct report r;
	report_start(&r, reform - 86400 * 30, reform + 86400 * 30, reform + 86400 * 40, "central");
	r.by = REP_BY_KSTT;
	int a = report_kstt_row(&r, 3, "HT", "Hộ tịch"), b = report_kstt_row(&r, 1, "HT", "Hộ tịch");
	int c = report_kstt_row(&r, 0, NULL, NULL);
	assert_true(a >= 0 && b >= 0 && c >= 0 && a != b && b != c);
	assert_int_equal(report_kstt_row(&r, 3, "HT", "Hộ tịch"), a);
	assert_string_equal(r.rows[c].key, "?");
	struct rep_item it;
	memset(&it, 0, sizeof it);
	it.channel = CH_DIRECT;
	it.stage = SG_ACCEPTED;
	it.accepted_at = it.received_at = reform + 3600;
	it.orig_due_at = reform + 86400 * 50;
	report_tally(&r, a, &it, 5);
	report_tally(&r, b, &it, 2);
	report_tally(&r, c, &it, 1);
	struct err e = {0};
	assert_int_equal(report_finish(&r, &e), 0);
	assert_int_equal(r.rows[0].level, 1); /* ordered by level, the catalog's missing procedures last */
	assert_int_equal(r.rows[r.nrows - 1].level, 0);
	assert_int_equal(report_kstt_col(&r.levels[3], 3), 5);
	assert_int_equal(report_kstt_col(&r.levels[1], 3), 2);
	assert_int_equal(report_kstt_col(&r.levels[0], 3), 1);
	assert_int_equal(report_kstt_col(&r.total, 3), 8);
	assert_int_equal(report_kstt_col(&r.total, 12), 8);
	assert_true(r.district); /* the period starts before the reform: the district level is shown */
	char msg[256];
	r.levels[3].v[RC_RECEIVED]++; /* a level that is not the sum of its fields is caught */
	assert_false(report_check(&r, msg, sizeof msg));
	assert_non_null(strstr(msg, "level 3"));
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kstt_shared),
		cmocka_unit_test(test_kstt_wide),
		cmocka_unit_test(test_stats_wide),
		cmocka_unit_test(test_kstt_during),
		cmocka_unit_test(test_kstt_after),
	};
	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
