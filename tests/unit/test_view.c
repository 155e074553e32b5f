/* test_view.c - the reads and rules the front ends share, through the core: receive
 * and transfer as one step under the setting receive.transfer (both events or none),
 * the dossier with its names, its history replayed with the state after each step,
 * search, drafts, and office and user creation with their rules. */
#include <string.h>
#include "dossier.h"
#include "fixture.h"
#include "draft.h"
#include "office.h"
#include "receive.h"
#include "view.h"

static int setup(void **state)
{
	(void)state;
	fixture_setup("view");
	C.now = at(2024, 3, 11, 9, 0);
	return 0;
}

static struct receive_req req(struct procedure *p, const char *name)
{
	assert_int_equal(office_procedure(&C, "1.001037", p), 0);
	struct receive_req r = {.procedure = p->code, .name = name, .idno = "022123456789", .phone = "0912345678",
				.components = (1u << p->ncomponents) - 1};
	return r;
}

static void test_receive_transfer(void **state)
{
	(void)state;
	struct err e = {0};
	struct procedure p;
	struct receive_result res;
	fixture_as("clerk1");
	struct receive_req r = req(&p, "Nguyễn Văn Đức");
	/* no setting: each front end's habit decides */
	assert_int_equal(receive_dossier(&C, &r, 0, &res, &e), 0);
	assert_int_equal(res.transferred, 0);
	assert_int_equal(res.d.stage, SG_ACCEPTED);
	assert_int_equal(receive_dossier(&C, &r, 1, &res, &e), 0);
	assert_int_equal(res.transferred, 1);
	assert_int_equal(res.d.stage, SG_DEPT);
	assert_true(res.dept.name[0] != 0);
	struct dossier d;
	assert_int_equal(dossier_get(&C, res.d.code, &d, &e), 0);
	assert_int_equal(d.stage, SG_DEPT);
	assert_int_equal(d.version, 2);
	/* the setting wins over the habit */
	assert_int_equal(store_setting_set(C.st, "receive.transfer", "off", &e), 0);
	assert_int_equal(receive_dossier(&C, &r, 1, &res, &e), 0);
	assert_int_equal(res.transferred, 0);
	assert_int_equal(store_setting_set(C.st, "receive.transfer", "on", &e), 0);
	assert_int_equal(receive_dossier(&C, &r, 0, &res, &e), 0);
	assert_int_equal(res.transferred, 1);
	/* a supplement request is not transferred */
	struct receive_req s = r;
	s.outcome = OUT_SUPPLEMENT;
	s.reason = "Thiếu giấy tờ";
	assert_int_equal(receive_dossier(&C, &s, 1, &res, &e), 0);
	assert_int_equal(res.transferred, 0);
	/* a transfer that fails takes the receipt with it: one transaction */
	int64_t before = office_dossier_count(&C);
	C.expect_version = 99;
	int rc = receive_dossier(&C, &r, 1, &res, &e);
	C.expect_version = 0;
	assert_int_not_equal(rc, 0);
	assert_int_equal(office_dossier_count(&C), before);
}

struct steps { int n, first; int stage[8]; };

static int step_one(const struct history_step *s, void *ctx)
{
	struct steps *h = ctx;
	if (s->first)
		h->first++;
	if (h->n < 8)
		h->stage[h->n] = s->after->stage;
	h->n++;
	return 0;
}

static int found(const struct dossier *d, void *ctx)
{
	(void)d;
	(*(int *)ctx)++;
	return 0;
}

static void test_view_history_search(void **state)
{
	(void)state;
	struct err e = {0};
	struct procedure p;
	struct receive_result res;
	fixture_as("clerk1");
	struct receive_req r = req(&p, "Trần Thị Ánh");
	assert_int_equal(receive_dossier(&C, &r, 1, &res, &e), 0);
	struct dossier_view *v = calloc(1, sizeof *v);
	assert_non_null(v);
	assert_int_equal(dossier_view(&C, res.d.code, v, &e), 0);
	assert_string_equal(v->proc.code, "1.001037");
	assert_string_equal(v->dept.code, res.dept.code);
	assert_string_equal(v->assignee.account, "");
	assert_int_equal(dossier_view(&C, "NO-SUCH", v, &e), MC_NOTFOUND);
	free(v);
	struct steps h = {0};
	int base = -1;
	assert_int_equal(dossier_history(&C, res.d.code, step_one, &h, &base, &e), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.first, 1);
	assert_int_equal(base, 0);
	assert_int_equal(h.stage[0], SG_ACCEPTED);
	assert_int_equal(h.stage[1], SG_DEPT);
	assert_int_equal(dossier_history(&C, "NO-SUCH", step_one, &h, NULL, &e), MC_NOTFOUND);
	int n = 0;
	assert_int_equal(dossier_search(&C, "tran thi anh", 10, found, &n, &e), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(dossier_search(&C, "   ", 10, found, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(dossier_search(&C, "\xff\xfe", 10, found, &n, &e), MC_INVALID);
}

static void test_drafts(void **state)
{
	(void)state;
	char *data = NULL;
	fixture_as("clerk1");
	assert_int_equal(draft_save(&C, "receive", "name=An\n"), 0);
	fixture_as("clerk2");
	assert_int_not_equal(draft_load(&C, "receive", &data), 0);   /* one's draft is one's own */
	fixture_as("clerk1");
	assert_int_equal(draft_load(&C, "receive", &data), 0);
	assert_string_equal(data, "name=An\n");
	free(data);
	assert_int_equal(draft_drop(&C, "receive"), 0);
	assert_int_not_equal(draft_load(&C, "receive", &data), 0);
}

static void test_users_and_offices(void **state)
{
	(void)state;
	struct err e = {0};
	struct user u;
	struct user_req q = {.account = "head_new", .name = "Lê Văn Bình", .roles = ROLE_HEAD};
	assert_int_equal(user_create(&C, &q, &u, &e), MC_INVALID);       /* a head needs a department */
	assert_non_null(strstr(e.msg, "needs a department"));
	q.department = "NOPE";
	assert_int_equal(user_create(&C, &q, &u, &e), MC_NOTFOUND);
	q.department = "TM";
	assert_int_equal(user_create(&C, &q, &u, &e), 0);
	assert_true(u.dept_id > 0);
	q.account = "bad\x1b[31m";
	assert_int_equal(user_create(&C, &q, &u, &e), MC_INVALID);
	/* a new office's store gets its defaults in one step */
	core_close(&C);
	fixture_open("fresh");
	struct office of;
	assert_int_equal(office_prepare("000.00.99.X01", "UBND xã Thử", 4, &of, &e), MC_INVALID);
	assert_int_equal(office_prepare("000.00.99.X01", "UBND xã Thử", 3, &of, &e), 0);
	assert_int_equal(office_create(&C, &of, "root_admin", &e), 0);
	assert_string_equal(C.office.agency_code, "000.00.99.X01");
	char buf[64];
	assert_int_equal(store_setting_get(C.st, "hours.morning", buf, sizeof buf), 0);
	assert_string_equal(buf, "07:30-11:30");
	assert_int_equal(store_setting_get(C.st, "supplement.mode", buf, sizeof buf), 0);
	assert_string_equal(buf, "resume");
	assert_int_equal(store_user_by_account(C.st, "root_admin", &u), 0);
	assert_int_equal(u.roles, ROLE_ADMIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_receive_transfer, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_view_history_search, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_drafts, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_users_and_offices, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
