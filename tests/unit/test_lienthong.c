/* test_lienthong.c - liên thông in the core: the part events' projection (lt_apply),
 * lateness per part against the working calendar, a sequential flow whose parts send
 * the dossier from agency to agency and back to the lead, the lead concluding only when
 * every part is back, a refused step writing nothing, and the parts rebuilt from the
 * events (the path sync takes). */
#include <jansson.h>
#include <string.h>
#include "lienthong.h"
#include "fixture.h"
#include "store_lienthong.h"
#include "report.h"
#include "store.h"
#define DEP "000.00.17.H45"
#define DIS "000.00.31.H45"
#define COM "000.31.29.H45"

static void as(const char *account) { fixture_as(account); }

static int setup(void **state)
{
	(void)state;
	fixture_setup("lienthong");
	struct err e = {0};
	C.is_root = 1;
	assert_int_equal(lt_agency_set(&C, "1.001037", DEP, "Thẩm định", 5, 0, 1, 1, &e), 0);
	assert_int_equal(lt_agency_set(&C, "1.001037", DIS, "Xác nhận của huyện", 2, 1, 0, 1, &e), 0);
	assert_int_equal(lt_agency_set(&C, "1.001037", COM, "Xác nhận của xã", 1, 2, 0, 1, &e), 0);
	assert_int_equal(lt_agency_set(&C, "1.001037", COM, "", 1, 2, 0, 1, &e), MC_INVALID); /* a task is required */
	assert_int_equal(lt_flow_set(&C, "1.001037", "diagonal", &e), MC_INVALID);
	C.is_root = 0;
	assert_int_equal(lt_flow_set(&C, "1.001037", "parallel", &e), MC_DENIED);
	return 0;
}

static int teardown(void **state) { return fixture_teardown(state); }

static void apply_json(struct lt_parts *ps, const char *kind, int64_t at, const char *payload)
{
	json_t *p = json_loads(payload, 0, NULL);
	assert_non_null(p);
	lt_apply(ps, kind, at, p);
	json_decref(p);
}

static void projection(void **state)
{
	(void)state;
	struct lt_parts ps;
	memset(&ps, 0, sizeof ps);
	int64_t t0 = at(2025, 7, 10, 9, 0);
	apply_json(&ps, "lt_opened", t0,
		   "{\"flow\":\"sequential\",\"lead\":\"L\",\"parts\":[{\"n\":1,\"agency\":\"A\",\"task\":\"x\",\"days\":2,"
		   "\"due_at\":100,\"slip\":1},{\"n\":2,\"agency\":\"B\",\"task\":\"y\",\"days\":1,\"due_at\":0}]}");
	assert_string_equal(ps.flow, "sequential");
	assert_int_equal(ps.n, 2);
	assert_int_equal(ps.p[0].state, LT_OPEN);
	assert_int_equal(ps.p[0].opened_at, t0);
	assert_int_equal(ps.p[0].slip, 1);
	assert_int_equal(ps.p[1].state, LT_WAITING);
	apply_json(&ps, "part_taken", t0 + 60, "{\"n\":1,\"assignee\":\"u1\"}");
	assert_int_equal(ps.p[0].state, LT_TAKEN);
	assert_string_equal(ps.p[0].assignee, "u1");
	apply_json(&ps, "part_returned", t0 + 120, "{\"n\":1,\"result\":\"ok\",\"next\":2,\"next_due_at\":500,\"slip\":2}");
	assert_int_equal(ps.p[0].state, LT_BACK);
	assert_int_equal(ps.p[0].returned_at, t0 + 120);
	assert_int_equal(ps.p[1].state, LT_OPEN);
	assert_int_equal(ps.p[1].due_at, 500);
	assert_int_equal(ps.p[1].slip, 2);
	/* text another office wrote is kept sanitised: no escape reaches a terminal */
	apply_json(&ps, "part_returned", t0 + 150, "{\"n\":2,\"result\":\"x\\u001b[2Jy\"}");
	assert_null(strchr(ps.p[1].result, 0x1b));
	assert_non_null(strstr(ps.p[1].result, "\\x1b"));
	/* an unknown part changes nothing */
	apply_json(&ps, "part_taken", t0 + 180, "{\"n\":9,\"assignee\":\"u9\"}");
	assert_int_equal(ps.p[1].state, LT_BACK);
}

static void lateness(void **state)
{
	(void)state;
	struct lt_part p;
	memset(&p, 0, sizeof p);
	p.state = LT_BACK;
	p.due_at = at(2025, 7, 11, 17, 0); /* a Friday, end of the day */
	p.returned_at = at(2025, 7, 11, 16, 0);
	assert_int_equal(lt_part_late(&C, &p, 0), 0);
	p.returned_at = at(2025, 7, 12, 10, 0); /* Saturday: past the deadline, no working time */
	assert_int_equal(lt_part_late(&C, &p, 0), 1);
	p.returned_at = at(2025, 7, 14, 8, 0); /* Monday 08:00: 30 working minutes late */
	assert_int_equal(lt_part_late(&C, &p, 0), 30);
	p.state = LT_TAKEN; /* still out: judged at now */
	assert_int_equal(lt_part_late(&C, &p, at(2025, 7, 11, 17, 0)), 0);
	assert_true(lt_part_late(&C, &p, at(2025, 7, 14, 9, 0)) > 0);
	p.state = LT_WAITING;
	assert_int_equal(lt_part_late(&C, &p, at(2025, 7, 30, 9, 0)), 0);
}

static void add_user(const char *account, unsigned roles, const char *agency)
{
	struct err e = {0};
	struct office o;
	assert_int_equal(store_office_by_code(C.st, agency, &o), 0);
	struct user u = {.roles = roles, .office_id = o.id, .active = 1};
	snprintf(u.account, sizeof u.account, "%s", account);
	snprintf(u.name, sizeof u.name, "%s", account);
	assert_int_equal(store_user_add(C.st, &u, &e), 0);
}

static int64_t office_of(const char *code)
{
	struct dossier d;
	struct err e = {0};
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	return d.office_id;
}

static int64_t events(const char *code)
{
	struct dossier d;
	struct err e = {0};
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	return d.version;
}

static int count_row(const char *code, const struct lt_part *p, void *ctx)
{
	(void)code;
	(void)p;
	(*(int *)ctx)++;
	return 0;
}

/* a part's days do not count the day the agency takes it up at or before the opening
 * (Civil Code 2015 Art. 147(2)), as a dossier's do not; later in the day they run from
 * that minute */
static void part_days(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	struct lt_parts ps;
	char code[CODE_LEN], code2[CODE_LEN];
	C.now = at(2025, 7, 10, 7, 0); /* Thursday, before the opening */
	fixture_receive("Nguyễn Văn Sớm", code, 600, as);
	as("head_tm");
	C.now = at(2025, 7, 10, 7, 20);
	assert_int_equal(lt_open(&C, code, "sequential", &d, &e), 0);
	assert_int_equal(lt_parts_of(&C, code, &ps, &e), 0);
	/* 2 days: Friday 11/07 and Monday 14/07, due at Monday's opening (it was Friday 17:00) */
	assert_int_equal(ps.p[0].days, 2);
	assert_int_equal(ps.p[0].due_at, at(2025, 7, 14, 7, 30));
	C.now = at(2025, 7, 10, 9, 0);
	fixture_receive("Nguyễn Văn Muộn", code2, 600, as);
	as("head_tm");
	C.now = at(2025, 7, 10, 9, 10);
	assert_int_equal(lt_open(&C, code2, "sequential", &d, &e), 0);
	assert_int_equal(lt_parts_of(&C, code2, &ps, &e), 0);
	assert_int_equal(ps.p[0].due_at, at(2025, 7, 14, 9, 10)); /* a minute later is never due earlier */
}

static void sequential_flow(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	struct office dep, dis, com;
	store_office_by_code(C.st, DEP, &dep);
	store_office_by_code(C.st, DIS, &dis);
	store_office_by_code(C.st, COM, &com);
	add_user("dis_head", ROLE_HEAD, DIS);
	add_user("com_spec", ROLE_SPECIALIST, COM);
	char code[CODE_LEN];
	C.now = at(2025, 7, 10, 9, 0);
	fixture_receive("Nguyễn Văn Liên", code, 600, as);
	as("head_tm");
	C.now += 600;
	assert_int_equal(lt_open(&C, code, "sequential", &d, &e), 0);
	assert_int_equal(d.office_id, dis.id); /* the dossier goes with slip 1 */
	assert_int_equal(lt_open(&C, code, NULL, &d, &e), MC_DENIED); /* at the district now */

	struct lt_parts ps;
	assert_int_equal(lt_parts_of(&C, code, &ps, &e), 0);
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.lead, DEP);
	assert_int_equal(ps.p[0].due_at, cal_add_working(&C.cal, C.now, 2 * cal_day_minutes(&C.cal)));
	assert_int_equal(ps.p[1].state, LT_WAITING);

	/* refusals write nothing */
	int64_t v = events(code);
	as("com_spec");
	assert_int_equal(lt_take(&C, code, 2, NULL, &d, &e), MC_STATE);
	assert_int_equal(lt_take(&C, code, 1, NULL, &d, &e), MC_DENIED);
	assert_int_equal(lt_take(&C, code, 7, NULL, &d, &e), MC_NOTFOUND);
	as("dis_head");
	assert_int_equal(lt_return(&C, code, 1, "", &d, &e), MC_INVALID);
	assert_int_equal(lt_take(&C, code, 1, "com_spec", &d, &e), MC_INVALID);
	assert_int_equal(events(code), v);

	C.now += 3600;
	assert_int_equal(lt_take(&C, code, 1, NULL, &d, &e), 0);
	assert_int_equal(lt_return(&C, code, 1, "Huyện đồng ý", &d, &e), 0);
	assert_int_equal(office_of(code), com.id);
	as("spec_tm1");
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "", &d, &e), MC_STATE);
	as("com_spec");
	C.now = at(2025, 7, 14, 9, 0); /* past the commune's one day */
	assert_int_equal(lt_take(&C, code, 2, NULL, &d, &e), 0);
	assert_int_equal(lt_return(&C, code, 2, "Xã xác nhận", &d, &e), 0);
	assert_int_equal(office_of(code), dep.id); /* back at the lead */
	char resp[32];
	assert_true(lt_responsible(&C, code, resp));
	assert_string_equal(resp, COM);

	/* the parts are the events' projection: rebuilt the way sync rebuilds a dossier */
	int rows = 0;
	assert_int_equal(lt_each_part(&C, 0, 1, count_row, &rows), 0);
	assert_int_equal(rows, 2);
	struct lt_parts none;
	memset(&none, 0, sizeof none);
	struct dossier cur;
	assert_int_equal(dossier_get(&C, code, &cur, &e), 0);
	assert_int_equal(store_lt_parts_put(C.st, cur.id, &none, &e), 0); /* the rows lost */
	rows = 0;
	assert_int_equal(lt_each_part(&C, 0, 1, count_row, &rows), 0);
	assert_int_equal(rows, 0);
	assert_int_equal(store_begin(C.st, &e), 0);
	assert_int_equal(dossier_rebuild(&C, code, &e), 0);
	assert_int_equal(store_commit(C.st, &e), 0);
	rows = 0;
	assert_int_equal(lt_each_part(&C, 0, 1, count_row, &rows), 0);
	assert_int_equal(rows, 2);

	/* now the lead concludes */
	as("head_tm");
	assert_int_equal(dossier_assign(&C, code, "spec_tm1", &d, &e), 0);
	as("spec_tm1");
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "", &d, &e), 0);
}

/* an event of another office's part chain, as sync stores it */
static void chain_event(const char *code, int dseq, const char *kind, const char *origin, int64_t when, const char *payload)
{
	struct err e = {0};
	struct event ev;
	memset(&ev, 0, sizeof ev);
	static int serial;
	snprintf(ev.id, sizeof ev.id, "01TESTCHAIN%06d", ++serial);
	snprintf(ev.dossier_code, sizeof ev.dossier_code, "%s", code);
	ev.dseq = dseq;
	snprintf(ev.kind, sizeof ev.kind, "%s", kind);
	snprintf(ev.actor, sizeof ev.actor, "%s", "someone");
	snprintf(ev.os_account, sizeof ev.os_account, "%s", "someone");
	snprintf(ev.origin, sizeof ev.origin, "%s", origin);
	ev.at = when;
	ev.payload = (char *)payload;
	ev.has_prev = dseq > 1;
	ev.hash[0] = (unsigned char)dseq;
	int rc = store_event_append(C.st, &ev, &e);
	if (rc)
		print_error("%s\n", e.msg);
	assert_int_equal(rc, 0);
}

static int open_parts(const char *code, const struct lt_part *p, void *ctx)
{
	(void)code;
	*(int *)ctx += p->state != LT_BACK;
	return 0;
}

struct hands { int n; char from[8][32], to[8][32], what[8][64]; };

static int hand_row(int64_t when, const char *from, const char *to, const char *what, void *ctx)
{
	(void)when;
	struct hands *h = ctx;
	if (h->n < 8) {
		snprintf(h->from[h->n], 32, "%s", from);
		snprintf(h->to[h->n], 32, "%s", to);
		snprintf(h->what[h->n], 64, "%s", what);
		h->n++;
	}
	return 0;
}

/* parallel across stores: each part's steps on a chain of its own (PARENT-Pn) that the
 * lead's store receives; the parent's parts are read from those chains */
static void part_chains(void **state)
{
	(void)state;
	struct err e = {0};
	char pc[CODE_LEN], parent[CODE_LEN];
	int n = 0;
	assert_int_equal(lt_part_code("X-250710-0001", 2, pc, sizeof pc), 0);
	assert_string_equal(pc, "X-250710-0001-P2");
	assert_true(lt_part_parent(pc, parent, &n));
	assert_string_equal(parent, "X-250710-0001");
	assert_int_equal(n, 2);
	assert_false(lt_part_parent("X-250710-0001", parent, &n));
	assert_false(lt_part_parent("X-250710-0001-P0", parent, &n));
	assert_false(lt_part_parent("X-250710-0001-P12", parent, &n));
	assert_int_equal(lt_part_code("X", 9, pc, sizeof pc), MC_INVALID);

	/* the pure step: only the part's agency, only its part, only parallel */
	struct lt_parts ps;
	memset(&ps, 0, sizeof ps);
	apply_json(&ps, "lt_opened", 1000,
		   "{\"flow\":\"parallel\",\"lead\":\"L\",\"parts\":[{\"n\":1,\"agency\":\"A\",\"task\":\"x\",\"days\":2,"
		   "\"due_at\":5000},{\"n\":2,\"agency\":\"B\",\"task\":\"y\",\"days\":1,\"due_at\":3000}]}");
	json_t *ret = json_loads("{\"n\":1,\"result\":\"ok\",\"next\":2,\"next_due_at\":9}", 0, NULL);
	assert_int_equal(lt_apply_chain(&ps, 1, "part_returned", "B", 2000, ret), 0); /* not its agency */
	assert_int_equal(lt_apply_chain(&ps, 2, "part_returned", "A", 2000, ret), 0); /* not its part */
	assert_int_equal(lt_apply_chain(&ps, 1, "lt_opened", "A", 2000, ret), 0);
	assert_int_equal(lt_apply_chain(&ps, 1, "part_returned", "A", 2000, ret), 1);
	assert_int_equal(ps.p[0].state, LT_BACK);
	assert_int_equal(ps.p[0].returned_at, 2000);
	assert_int_equal(ps.p[1].due_at, 3000); /* "next" opens nothing in a parallel flow */
	assert_int_equal(lt_apply_chain(&ps, 1, "part_returned", "A", 2500, ret), 0); /* back once */
	snprintf(ps.flow, sizeof ps.flow, "%s", "sequential");
	assert_int_equal(lt_apply_chain(&ps, 2, "part_taken", "B", 2000, ret), 0);
	json_decref(ret);

	/* in the store: the lead opens in parallel, the parts are worked at other stores */
	struct dossier d;
	char code[CODE_LEN], p1[CODE_LEN], p2[CODE_LEN];
	C.now = at(2025, 7, 10, 9, 0);
	fixture_receive("Trần Thị Song", code, 600, as);
	as("head_tm");
	C.now += 600;
	assert_int_equal(lt_open(&C, code, "parallel", &d, &e), 0);
	struct office dep;
	store_office_by_code(C.st, DEP, &dep);
	assert_int_equal(d.office_id, dep.id); /* the dossier stays at the lead */
	assert_int_equal(lt_parts_of(&C, code, &ps, &e), 0);
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.p[0].agency, DIS);
	assert_string_equal(ps.p[1].agency, COM);
	int64_t t = C.now;
	lt_part_code(code, 1, p1, sizeof p1);
	lt_part_code(code, 2, p2, sizeof p2);

	/* the district's chain: taken and handed back on time; a step the commune forged
	 * on the district's chain, and one naming another part, change nothing */
	assert_int_equal(store_begin(C.st, &e), 0);
	chain_event(p1, 3, "part_taken", DIS, t + 3600, "{\"n\":1,\"agency\":\"" DIS "\",\"assignee\":\"dis_spec\"}");
	chain_event(p1, 4, "part_returned", COM, t + 4000, "{\"n\":1,\"agency\":\"" DIS "\",\"result\":\"forged\"}");
	chain_event(p1, 5, "part_returned", DIS, t + 4100, "{\"n\":2,\"agency\":\"" DIS "\",\"result\":\"wrong part\"}");
	assert_int_equal(lt_rebuild(&C, p1, 0, &e), 0);
	assert_int_equal(store_commit(C.st, &e), 0);
	assert_int_equal(lt_parts_of(&C, code, &ps, &e), 0);
	assert_int_equal(ps.p[0].state, LT_TAKEN);
	assert_string_equal(ps.p[0].assignee, "dis_spec");
	assert_int_equal(ps.p[1].state, LT_OPEN);
	int open = 0;
	assert_int_equal(lt_each_part(&C, 0, 1, open_parts, &open), 0);
	assert_int_equal(open, 2); /* the parent's rows follow the chains */
	as("head_tm");
	assert_int_equal(dossier_assign(&C, code, "spec_tm1", &d, &e), 0);
	as("spec_tm1");
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "", &d, &e), MC_STATE);

	assert_int_equal(store_begin(C.st, &e), 0);
	chain_event(p1, 6, "part_returned", DIS, t + 7200, "{\"n\":1,\"agency\":\"" DIS "\",\"result\":\"Huyện đồng ý\"}");
	/* the commune hands back a week later: past its one day */
	chain_event(p2, 3, "part_returned", COM, at(2025, 7, 17, 9, 0), "{\"n\":2,\"agency\":\"" COM "\",\"result\":\"Xã xác nhận\"}");
	assert_int_equal(lt_rebuild(&C, p1, 0, &e), 0);
	assert_int_equal(lt_rebuild(&C, p2, 0, &e), 0);
	assert_int_equal(store_commit(C.st, &e), 0);
	C.now = at(2025, 7, 17, 10, 0);
	assert_int_equal(lt_parts_of(&C, code, &ps, &e), 0);
	assert_int_equal(ps.p[0].state, LT_BACK);
	assert_string_equal(ps.p[0].result, "Huyện đồng ý");
	assert_int_equal(lt_part_late(&C, &ps.p[0], C.now), 0);
	assert_int_equal(ps.p[1].state, LT_BACK);
	assert_true(lt_part_late(&C, &ps.p[1], C.now) > 0);
	char resp[32];
	assert_true(lt_responsible(&C, code, resp));
	assert_string_equal(resp, COM); /* the late agency */
	assert_true(lt_part_back(&C, code, DIS));
	open = 0;
	assert_int_equal(lt_each_part(&C, 0, 1, open_parts, &open), 0);
	assert_int_equal(open, 0);
	/* form 06: the opening, then each part's hand-back on its chain, by time */
	struct hands h = {0};
	assert_int_equal(lt_handovers(&C, code, hand_row, &h), 0);
	assert_int_equal(h.n, 4);
	assert_string_equal(h.from[2], DIS);
	assert_string_equal(h.what[2], "Huyện đồng ý");
	assert_string_equal(h.from[3], COM);
	assert_string_equal(h.to[3], DEP);
	/* every part back: the lead concludes */
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "", &d, &e), 0);
}

static int count_item(const struct rep_item *it, void *ctx)
{
	(void)it;
	++*(int *)ctx;
	return 0;
}

static int count_part(const char *code, const struct lt_part *p, void *ctx)
{
	(void)p;
	assert_string_equal(code, "000.00.17.H45-250711-0009-P2");
	++*(int *)ctx;
	return 0;
}

/* at the part's office, whose store does not hold the parent: the chain's first event
 * gives its one part, worked there; the chain is no dossier of the statistics */
static void part_chain_store(void **state)
{
	(void)state;
	struct err e = {0};
	const char *pc = "000.00.17.H45-250711-0009-P2";
	int64_t t = at(2025, 7, 11, 9, 0);
	assert_int_equal(store_begin(C.st, &e), 0);
	chain_event(pc, 1, "received", DEP, t,
		    "{\"office\":\"" DEP "\",\"procedure\":\"1.001037\",\"channel\":3,\"outcome\":\"part\",\"applicant\":{},"
		    "\"part\":{\"parent\":\"000.00.17.H45-250711-0009\",\"n\":2,\"agency\":\"" COM "\",\"task\":\"Xác nhận\","
		    "\"days\":1,\"due_at\":1752310800,\"lead\":\"" DEP "\"}}");
	chain_event(pc, 2, "routed", DEP, t, "{\"from\":\"" DEP "\",\"to\":\"" COM "\",\"place\":\"part\"}");
	assert_int_equal(dossier_rebuild(&C, pc, &e), 0);
	assert_int_equal(store_commit(C.st, &e), 0);
	struct dossier d;
	assert_int_equal(dossier_get(&C, pc, &d, &e), 0);
	assert_int_equal(d.stage, 0);
	assert_int_equal(d.received_at, 0);
	struct office com;
	store_office_by_code(C.st, COM, &com);
	assert_int_equal(d.office_id, com.id);
	struct lt_parts ps;
	assert_int_equal(lt_parts_of(&C, pc, &ps, &e), 0);
	assert_int_equal(ps.n, 1);
	assert_int_equal(ps.p[0].n, 2);
	assert_int_equal(ps.p[0].state, LT_OPEN);
	assert_int_equal(ps.p[0].due_at, 1752310800);
	assert_string_equal(ps.lead, DEP);
	int n = 0;
	assert_int_equal(lt_each_part(&C, com.id, 0, count_part, &n), 0);
	assert_int_equal(n, 1);
	/* no report, register or open-dossier count takes it */
	n = 0;
	assert_int_equal(store_report_period(C.st, 0, at(2025, 1, 1, 0, 0), at(2026, 1, 1, 0, 0), count_item, &n), 0);
	int all = n;
	n = 0;
	assert_int_equal(store_report_open(C.st, com.id, count_item, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_dossier_count(C.st) - all, 1); /* the chain is in the store (carried over: received before), not in the report */
}

/* the late agency's apology at its own store, on its part's chain: only a leader of that
 * agency, only once the part is late, at the latest the day before the appointment the
 * chain carries, only once; a refused one writes nothing */
static void chain_apology(void **state)
{
	(void)state;
	struct err e = {0};
	const char *pc = "000.00.17.H45-250710-0007-P2";
	int64_t t = at(2025, 7, 10, 9, 0), appt = at(2025, 7, 23, 9, 0);
	char chain0[1024];
	snprintf(chain0, sizeof chain0,
		 "{\"office\":\"" DEP "\",\"procedure\":\"1.001037\",\"channel\":3,\"outcome\":\"part\",\"applicant\":{},"
		 "\"part\":{\"parent\":\"000.00.17.H45-250710-0007\",\"n\":2,\"agency\":\"" COM "\",\"task\":\"Xác nhận\","
		 "\"days\":1,\"due_at\":%lld,\"lead\":\"" DEP "\",\"appointment\":%lld}}",
		 (long long)at(2025, 7, 11, 9, 0), (long long)appt);
	assert_int_equal(store_begin(C.st, &e), 0);
	chain_event(pc, 1, "received", DEP, t, chain0);
	chain_event(pc, 2, "routed", DEP, t, "{\"from\":\"" DEP "\",\"to\":\"" COM "\",\"place\":\"part\"}");
	assert_int_equal(dossier_rebuild(&C, pc, &e), 0);
	assert_int_equal(store_commit(C.st, &e), 0);
	add_user("com_leader", ROLE_LEADER, COM);
	add_user("com_head", ROLE_HEAD, COM);
	struct office dep = C.office;
	assert_int_equal(store_office_by_code(C.st, COM, &C.office), 0); /* the commune's own store */
	struct dossier d;
	int64_t n0 = events(pc), until = at(2025, 7, 31, 17, 0);
	C.now = at(2025, 7, 14, 9, 0);
	as("com_head");
	assert_int_equal(lt_apologise(&C, pc, 2, until, "Xã chậm", &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "a leader of agency " COM));
	as("leader1"); /* the lead's leader, at the commune's store */
	assert_int_equal(lt_apologise(&C, pc, 2, until, "Xã chậm", &d, &e), MC_DENIED);
	as("com_leader");
	assert_int_equal(lt_apologise(&C, pc, 1, until, "Xã chậm", &d, &e), MC_NOTFOUND); /* a chain has its own part only */
	assert_int_equal(lt_apologise(&C, pc, 2, until, "", &d, &e), MC_INVALID);
	C.now = at(2025, 7, 10, 15, 0); /* not late yet: a letter may go before (only the date, a Saturday, is wrong) */
	assert_int_equal(lt_apologise(&C, pc, 2, at(2025, 7, 26, 17, 0), "Xã chậm", &d, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "non-working day"));
	C.now = at(2025, 7, 23, 8, 0); /* the appointment's own day: too late for a letter */
	assert_int_equal(lt_apologise(&C, pc, 2, until, "Xã chậm", &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "the day before the appointment"));
	C.now = at(2025, 7, 14, 9, 0);
	assert_int_equal(lt_apologise(&C, pc, 2, at(2025, 7, 22, 17, 0), "Xã chậm", &d, &e), MC_INVALID); /* before the appointment */
	assert_int_equal(lt_apologise(&C, pc, 2, at(2025, 7, 26, 17, 0), "Xã chậm", &d, &e), MC_INVALID); /* a Saturday */
	assert_int_equal(events(pc), n0);
	assert_int_equal(lt_apologise(&C, pc, 2, until, "Xã chậm", &d, &e), 0);
	assert_int_equal(events(pc), n0 + 1);
	assert_int_equal(lt_apologise(&C, pc, 2, at(2025, 8, 1, 17, 0), "lần hai", &d, &e), MC_STATE); /* once */
	assert_int_equal(events(pc), n0 + 1);
	struct lt_apology a;
	assert_true(lt_apology_of(&C, pc, &a));
	assert_string_equal(a.agency, COM);
	assert_string_equal(a.signer, "com_leader");
	assert_int_equal(a.n, 2);
	assert_int_equal(a.due_at, until);
	assert_int_equal(a.previous_due_at, appt);
	assert_false(a.applied);
	C.office = dep;
}

static int ap_row(const struct lt_apology *a, void *ctx)
{
	snprintf(ctx, 32, "%s", a->agency);
	return 0;
}

static int ap_count(const struct lt_count *r, void *ctx)
{
	int *v = ctx;
	if (!strcmp(r->agency, COM))
		v[0] = r->apologies;
	if (!strcmp(r->agency, DIS))
		v[1] = r->apologies;
	return 0;
}

/* at the lead: the commune's apology arrives on its chain; a forged one on another
 * part's chain is not read; the lead's desk records the new appointment once */
static void lead_reschedule(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	char code[CODE_LEN], p1[CODE_LEN], p2[CODE_LEN];
	C.now = at(2025, 7, 10, 9, 0);
	fixture_receive("Lê Thị Hẹn", code, 600, as);
	as("head_tm");
	C.now += 600;
	assert_int_equal(lt_open(&C, code, "parallel", &d, &e), 0);
	int64_t due = d.due_at, until = due + 7 * 86400;
	lt_part_code(code, 1, p1, sizeof p1);
	lt_part_code(code, 2, p2, sizeof p2);
	as("clerk1");
	assert_int_equal(lt_reschedule(&C, code, 0, &d, &e), MC_NOTFOUND); /* nothing to record yet */
	char pl[512];
	assert_int_equal(store_begin(C.st, &e), 0);
	snprintf(pl, sizeof pl, "{\"n\":1,\"agency\":\"" COM "\",\"reason\":\"forged\",\"due_at\":%lld,\"signer\":\"x\"}",
		 (long long)(until + 86400));
	chain_event(p1, 3, "part_apology", COM, at(2025, 7, 14, 9, 0), pl);
	snprintf(pl, sizeof pl, "{\"n\":2,\"agency\":\"" COM "\",\"reason\":\"Xã chậm\",\"due_at\":%lld,\"previous_due_at\":%lld,"
		 "\"signer\":\"com_leader\",\"signer_name\":\"Chủ tịch xã\"}", (long long)until, (long long)due);
	chain_event(p2, 3, "part_apology", COM, at(2025, 7, 14, 10, 0), pl);
	assert_int_equal(store_commit(C.st, &e), 0);
	struct lt_apology a;
	assert_true(lt_apology_of(&C, code, &a));
	assert_string_equal(a.agency, COM);
	assert_string_equal(a.reason, "Xã chậm");
	assert_string_equal(a.code, p2);
	assert_false(a.applied);
	char first[32] = "";
	assert_int_equal(lt_chain_apologies(&C, code, ap_row, first), 0);
	assert_string_equal(first, COM);
	int mode = 0;
	assert_int_equal(lt_apology_mode(&C, code, &mode), LT_AP_APPLY);
	assert_int_equal(mode, 2);
	int64_t n0 = events(code);
	as("spec_tm1"); /* a specialist does not record it */
	assert_int_equal(lt_reschedule(&C, code, 0, &d, &e), MC_DENIED);
	as("d_leader"); /* nor another office's leader */
	assert_int_equal(lt_reschedule(&C, code, 0, &d, &e), MC_DENIED);
	assert_int_equal(lt_reschedule(&C, code, 1, &d, &e), MC_DENIED);
	as("clerk1");
	assert_int_equal(lt_reschedule(&C, code, 1, &d, &e), MC_NOTFOUND); /* part 1 has no apology of its agency */
	assert_int_equal(events(code), n0);
	assert_int_equal(lt_reschedule(&C, code, 2, &d, &e), 0);
	assert_int_equal(d.due_at, until);
	assert_true(d.apology);
	assert_int_equal(lt_reschedule(&C, code, 0, &d, &e), MC_STATE); /* once */
	assert_true(lt_apology_of(&C, code, &a));
	assert_true(a.applied);
	assert_string_equal(a.signer_name, "Chủ tịch xã");
	assert_int_equal(a.at, at(2025, 7, 14, 10, 0)); /* the letter's date, not the desk's */
	assert_int_equal(lt_apology_mode(&C, code, &mode), LT_AP_NONE);
	/* the report: the commune apologised for one dossier, the district for none */
	int v[2] = {-1, -1};
	as("super1");
	assert_int_equal(lt_report(&C, at(2025, 7, 1, 0, 0), at(2025, 8, 1, 0, 0), ap_count, v, &e), 0);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(projection),
		cmocka_unit_test_setup_teardown(lateness, setup, teardown),
		cmocka_unit_test_setup_teardown(part_days, setup, teardown),
		cmocka_unit_test_setup_teardown(sequential_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(part_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(part_chain_store, setup, teardown),
		cmocka_unit_test_setup_teardown(chain_apology, setup, teardown),
		cmocka_unit_test_setup_teardown(lead_reschedule, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
