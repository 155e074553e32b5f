/* test_workflow.c - the full transition table: every step x stage x role, allowed
 * and refused, plus dossier codes and ID/phone validation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "dossier.h"
#include "workflow.h"

static const int stages[] = {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING,
	SG_SUPPLEMENT, SG_RESULT, SG_RETURNED, SG_REFUSED, SG_WITHDRAWN, SG_STOPPED};
static const unsigned roles[] = {ROLE_CLERK, ROLE_HEAD, ROLE_SPECIALIST, ROLE_LEADER, ROLE_SUPERVISOR, ROLE_ADMIN};

/* the expected table, written out independently of workflow.c */
static int expected(int step, unsigned role, int stage)
{
	switch (step) {
	case STEP_ACCEPT: return role == ROLE_CLERK && stage == SG_ONLINE;
	case STEP_TRANSFER: return role == ROLE_CLERK && stage == SG_ACCEPTED;
	case STEP_ASSIGN: return role == ROLE_HEAD && (stage == SG_DEPT || stage == SG_PROCESSING);
	case STEP_PROPOSE: return role == ROLE_SPECIALIST && stage == SG_PROCESSING;
	case STEP_SEND_BACK: case STEP_SIGN: return role == ROLE_LEADER && stage == SG_SIGNING;
	case STEP_RETURN: return role == ROLE_CLERK && stage == SG_RESULT;
	case STEP_SUPPLEMENT:
		return (role == ROLE_CLERK && stage == SG_ONLINE) || (role == ROLE_SPECIALIST && stage == SG_PROCESSING);
	case STEP_RESUME: return role == ROLE_CLERK && (stage == SG_INTAKE_SUPPL || stage == SG_SUPPLEMENT);
	case STEP_REFUSE: return role == ROLE_CLERK && (stage == SG_ONLINE || stage == SG_INTAKE_SUPPL || stage == SG_ACCEPTED);
	case STEP_WITHDRAW: return role == ROLE_CLERK && stage < SG_FINAL && stage != SG_RESULT;
	case STEP_STOP: return role == ROLE_LEADER && stage >= SG_ACCEPTED && stage < SG_FINAL && stage != SG_RESULT;
	case STEP_EXTEND:
		return (role == ROLE_SPECIALIST && stage == SG_PROCESSING) ||
		       (role == ROLE_HEAD && (stage == SG_DEPT || stage == SG_PROCESSING || stage == SG_SIGNING));
	case STEP_EXTEND_ISSUE:
		return role == ROLE_LEADER && (stage == SG_DEPT || stage == SG_PROCESSING || stage == SG_SIGNING);
	}
	return 0;
}

static void every_cell(void **state)
{
	(void)state;
	int cells = 0;
	for (int step = STEP_ACCEPT; step < STEP_COUNT; step++)
		for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++)
			for (size_t s = 0; s < sizeof stages / sizeof stages[0]; s++) {
				struct user u = {.id = 7, .roles = roles[r], .office_id = 1, .dept_id = 3, .active = 1};
				snprintf(u.account, sizeof u.account, "u%zu", r);
				/* a dossier in scope for everybody: same office, department and assignee */
				struct dossier d = {.office_id = 1, .dept_id = 3, .assignee_id = 7, .stage = stages[s]};
				d.status = stage_status(d.stage);
				snprintf(d.code, sizeof d.code, "X-1");
				struct err e = {0};
				int rc = workflow_check(step, &u, &d, &e);
				int want = expected(step, roles[r], stages[s]);
				if (want != (rc == 0))
					fail_msg("step %s role %s stage %d: expected %s, got %d (%s)", workflow_step_name(step),
						 role_name(roles[r]), stages[s], want ? "allowed" : "refused", rc, e.msg);
				assert_int_equal(workflow_allows(step, roles[r], stages[s]), want);
				if (!want)
					assert_true(rc == MC_DENIED || rc == MC_STATE);
				cells++;
			}
	assert_int_equal(cells, 14 * 6 * 12);
}

static void refusal_names_role_and_status(void **state)
{
	(void)state;
	struct user u = {.id = 2, .roles = ROLE_CLERK, .office_id = 1, .active = 1};
	snprintf(u.account, sizeof u.account, "clerk1");
	struct dossier d = {.office_id = 1, .dept_id = 3, .stage = SG_SIGNING, .status = ST_IN_PROGRESS};
	snprintf(d.code, sizeof d.code, "X-2");
	snprintf(d.last_actor, sizeof d.last_actor, "spec_tm1");
	struct err e = {0};
	assert_int_equal(workflow_check(STEP_SIGN, &u, &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "leader"));
	u.roles = ROLE_LEADER;
	d.stage = SG_PROCESSING;
	assert_int_equal(workflow_check(STEP_SIGN, &u, &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "spec_tm1")); /* names who changed it last */
}

static void scope_is_enforced(void **state)
{
	(void)state;
	struct user head = {.id = 5, .roles = ROLE_HEAD, .office_id = 1, .dept_id = 3, .active = 1};
	struct user spec = {.id = 6, .roles = ROLE_SPECIALIST, .office_id = 1, .dept_id = 3, .active = 1};
	struct user clerk = {.id = 8, .roles = ROLE_CLERK, .office_id = 2, .active = 1};
	struct dossier d = {.office_id = 1, .dept_id = 4, .assignee_id = 9, .stage = SG_DEPT};
	struct err e;
	assert_int_equal(workflow_check(STEP_ASSIGN, &head, &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "department"));
	d.stage = SG_PROCESSING;
	assert_int_equal(workflow_check(STEP_PROPOSE, &spec, &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "assigned"));
	d.stage = SG_ACCEPTED;
	assert_int_equal(workflow_check(STEP_TRANSFER, &clerk, &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "another office"));
	clerk.office_id = 1;
	clerk.active = 1;
	assert_int_equal(workflow_check(STEP_TRANSFER, &clerk, &d, &e), 0);
}

static void codes_and_ids(void **state)
{
	(void)state;
	char code[64];
	int64_t t = cal_instant(cal_day_from_ymd(2024, 3, 15), 9 * 60);
	dossier_format_code("000.00.17.H45", t, 1, code, sizeof code);
	assert_string_equal(code, "000.00.17.H45-240315-0001");
	dossier_format_code("000.00.17.H45", t, 12345, code, sizeof code);
	assert_string_equal(code, "000.00.17.H45-240315-12345");
	/* 23:30 local on the 15th is still the 15th (UTC+7) */
	dossier_format_code("A", cal_instant(cal_day_from_ymd(2024, 3, 15), 23 * 60 + 30), 2, code, sizeof code);
	assert_string_equal(code, "A-240315-0002");
	char out[32];
	struct err e;
	assert_int_equal(dossier_check_idno(AK_PERSON, "022123456789", out, sizeof out, &e), 0);
	assert_int_equal(dossier_check_idno(AK_PERSON, "02212345678", out, sizeof out, &e), MC_INVALID);
	assert_int_equal(dossier_check_idno(AK_PERSON, "02212345678x", out, sizeof out, &e), MC_INVALID);
	assert_int_equal(dossier_check_idno(AK_BUSINESS, "5701234567", out, sizeof out, &e), 0);
	assert_int_equal(dossier_check_idno(AK_BUSINESS, "5701234567001", out, sizeof out, &e), 0);
	assert_string_equal(out, "5701234567-001");
	assert_int_equal(dossier_check_idno(AK_BUSINESS, "570123456", out, sizeof out, &e), MC_INVALID);
	assert_int_equal(dossier_check_phone("+84 912 345 678", out, sizeof out, &e), 0);
	assert_string_equal(out, "0912345678");
	assert_int_equal(dossier_check_phone("12345", out, sizeof out, &e), MC_INVALID);
	assert_int_equal(dossier_check_phone("0912;DROP", out, sizeof out, &e), MC_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_cell),
		cmocka_unit_test(refusal_names_role_and_status),
		cmocka_unit_test(scope_is_enforced),
		cmocka_unit_test(codes_and_ids),
	};
	return cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
}
