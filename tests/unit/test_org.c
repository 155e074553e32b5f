/* test_org.c - the organisation of 2025 in the core: office kinds, who receives and
 * who resolves a procedure, a dossier received at a branch routed to the competent
 * agency in the same transaction (received + routed), the result routed back at
 * signature, refusals that write nothing, and stop only before a decision. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dossier.h"
#include "org.h"
#include "fixture.h"
#define BR "000.01.99.H45"
#define CTR "000.00.99.H45"
#define DEP "000.00.17.H45"
#define COM "000.31.29.H45"

static void as(const char *account) { fixture_as(account); }

static int setup(void **state)
{
	(void)state;
	fixture_setup("org");
	struct err e = {0};
	C.is_root = 1;
	assert_int_equal(org_office_set(&C, DEP, NULL, 0, "department", NULL, &e), 0);
	assert_int_equal(org_office_set(&C, COM, NULL, 0, "commune", NULL, &e), 0);
	assert_int_equal(org_office_set(&C, CTR, "Trung tâm", 1, "centre", NULL, &e), 0);
	assert_int_equal(org_office_set(&C, BR, "Chi nhánh", 1, "branch", CTR, &e), 0);
	assert_int_equal(org_procedure_set(&C, DEP, "1.001037", "resolve", 1, &e), 0);
	assert_int_equal(org_procedure_set(&C, COM, "2.006365", "resolve", 1, &e), 0);
	C.is_root = 0;
	return 0;
}

static int teardown(void **state) { return fixture_teardown(state); }

/* act as the branch's store: the store's own office is the branch */
static void at_office(const char *agency)
{
	assert_int_equal(store_office_by_code(C.st, agency, &C.office), 0);
}

static void kinds_and_refusals(void **state)
{
	(void)state;
	struct err e = {0};
	assert_int_equal(org_office_set(&C, BR, NULL, 0, "centre", NULL, &e), MC_DENIED); /* not an admin */
	C.is_root = 1;
	assert_int_equal(org_office_set(&C, "X.1", NULL, 0, "centre", NULL, &e), MC_INVALID);
	assert_int_equal(org_office_set(&C, "X.1", "X", 1, "branch", NULL, &e), MC_INVALID);
	assert_int_equal(org_office_set(&C, BR, NULL, 0, "district", NULL, &e), MC_INVALID);
	assert_int_equal(org_procedure_set(&C, BR, "9.999", "resolve", 1, &e), MC_NOTFOUND);
	C.is_root = 0;
	struct office o;
	assert_int_equal(org_office(&C, BR, 0, &o), 0);
	assert_string_equal(o.kind, "branch");
	assert_true(org_kind_receives(o.kind));
	assert_false(org_kind_receives("department"));
}

static void receive_route_sign_back(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d, x;
	struct office br, dep;
	at_office(BR);
	store_office_by_code(C.st, DEP, &dep);
	br = C.office;
	struct user u = {.roles = ROLE_CLERK, .office_id = br.id, .active = 1};
	snprintf(u.account, sizeof u.account, "br_clerk");
	snprintf(u.name, sizeof u.name, "Lê Văn Nhận");
	assert_int_equal(store_user_add(C.st, &u, &e), 0);
	as("br_clerk");
	C.now = cal_instant(cal_day_from_ymd(2025, 7, 10), 9 * 60);
	struct receive_req r = {.procedure = "1.001037", .name = "Nguyễn Văn Một", .idno = "022123456781", .components = 0x3};
	int rc = dossier_receive(&C, &r, &d, &e);
	if (rc)
		fprintf(stderr, "# %s\n", e.msg);
	assert_int_equal(rc, 0);
	assert_true(strncmp(d.code, BR "-250710-", strlen(BR) + 8) == 0);
	assert_int_equal(d.office_id, dep.id);
	assert_int_equal(d.recv_office_id, br.id);
	assert_int_equal(d.resolver_id, dep.id);
	assert_int_equal(d.return_office_id, br.id);
	assert_int_equal(d.version, 2); /* received + routed, one transaction */
	assert_int_equal(dossier_get(&C, d.code, &x, &e), 0);
	assert_int_equal(x.office_id, dep.id);
	/* a resolver that is not competent, a return office that does not return: nothing written */
	int64_t n = store_dossier_count(C.st);
	r.resolver = COM;
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_INVALID);
	r.resolver = NULL;
	r.return_at = DEP;
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_INVALID);
	r.return_at = NULL;
	r.outcome = OUT_SUPPLEMENT;
	r.reason = "Thiếu";
	r.resolver = DEP;
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_INVALID);
	assert_int_equal(store_dossier_count(C.st), n);

	/* the department works it (its own store in real life: here the same one) */
	at_office(DEP);
	as("clerk1");
	C.now += 60 * 60;
	assert_int_equal(dossier_transfer(&C, x.code, NULL, &x, &e), 0);
	as("head_tm");
	assert_int_equal(dossier_assign(&C, x.code, "spec_tm1", &x, &e), 0);
	as("spec_tm1");
	assert_int_equal(dossier_propose(&C, x.code, DEC_APPROVE, "", &x, &e), 0);
	as("leader1");
	assert_int_equal(dossier_stop(&C, x.code, "", &x, &e), MC_INVALID); /* a reason is required */
	assert_int_equal(dossier_sign(&C, x.code, NULL, &x, &e), 0);
	assert_int_equal(x.stage, SG_RESULT);
	assert_int_equal(x.office_id, br.id); /* routed back to the place of return */
	assert_int_equal(x.resolver_id, dep.id);
	assert_int_equal(dossier_stop(&C, x.code, "Đề nghị dừng", &x, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "Art. 21"));
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(kinds_and_refusals),
		cmocka_unit_test(receive_route_sign_back),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
