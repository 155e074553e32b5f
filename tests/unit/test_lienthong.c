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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(projection),
		cmocka_unit_test_setup_teardown(lateness, setup, teardown),
		cmocka_unit_test_setup_teardown(sequential_flow, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
