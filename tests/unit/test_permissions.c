/* test_permissions.c - every cell of the permission matrix, through the core calls.
 *
 * For every step x role x stage x scope (a user inside the scope, one of another
 * department of the same office, one of another office) the real core call of
 * src/dossier.h is made on a real dossier in that stage, inside an outer transaction
 * that is rolled back afterwards.  The expectation comes from the policy written out
 * below independently of src/workflow.c (from DESIGN.md): allowed cells succeed;
 * refused ones fail with MC_DENIED naming the needed role, MC_STATE naming the step,
 * or MC_DENIED naming the scope, and change nothing.
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
#include "dossier.h"
#include "fixture.h"
#include "workflow.h"

/* ---- the policy, independently of workflow.c ----------------------------------- */

enum { V_IN, V_DEPT, V_OFFICE, NVARIANT };           /* where the actor stands */
static const char *variant_name[] = {"in scope", "other department", "other office"};
static const unsigned roles[] = {ROLE_CLERK, ROLE_HEAD, ROLE_SPECIALIST, ROLE_LEADER, ROLE_SUPERVISOR, ROLE_ADMIN};
static const char *role_key[] = {"clerk", "head", "specialist", "leader", "supervisor", "admin"};
#define NROLES 6
static const int stages[] = {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING,
			     SG_SUPPLEMENT, SG_RESULT, SG_RETURNED, SG_REFUSED, SG_WITHDRAWN, SG_STOPPED};
#define NSTAGES 12
#define ACTIVE_BUT_RESULT SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING, SG_SUPPLEMENT

struct policy { int step; unsigned role; int scope; int from[8]; };
static const struct policy policy[] = {
	{STEP_ACCEPT, ROLE_CLERK, SC_OFFICE, {SG_ONLINE}},
	{STEP_TRANSFER, ROLE_CLERK, SC_OFFICE, {SG_ACCEPTED}},
	{STEP_ASSIGN, ROLE_HEAD, SC_DEPT, {SG_DEPT, SG_PROCESSING}},
	{STEP_PROPOSE, ROLE_SPECIALIST, SC_ASSIGNEE, {SG_PROCESSING}},
	{STEP_SEND_BACK, ROLE_LEADER, SC_OFFICE, {SG_SIGNING}},
	{STEP_SIGN, ROLE_LEADER, SC_OFFICE, {SG_SIGNING}},
	{STEP_RETURN, ROLE_CLERK, SC_OFFICE, {SG_RESULT}},
	{STEP_SUPPLEMENT, ROLE_CLERK, SC_OFFICE, {SG_ONLINE}},
	{STEP_SUPPLEMENT, ROLE_SPECIALIST, SC_ASSIGNEE, {SG_PROCESSING}},
	{STEP_RESUME, ROLE_CLERK, SC_OFFICE, {SG_INTAKE_SUPPL, SG_SUPPLEMENT}},
	{STEP_REFUSE, ROLE_CLERK, SC_OFFICE, {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED}},
	{STEP_WITHDRAW, ROLE_CLERK, SC_OFFICE, {ACTIVE_BUT_RESULT}},
	{STEP_STOP, ROLE_LEADER, SC_OFFICE, {SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING, SG_SUPPLEMENT}},
	{STEP_EXTEND, ROLE_SPECIALIST, SC_ASSIGNEE, {SG_PROCESSING}},
	{STEP_EXTEND, ROLE_HEAD, SC_DEPT, {SG_DEPT, SG_PROCESSING, SG_SIGNING}},
	{STEP_EXTEND_ISSUE, ROLE_LEADER, SC_OFFICE, {SG_DEPT, SG_PROCESSING, SG_SIGNING}},
};
#define NPOLICY (int)(sizeof policy / sizeof policy[0])
static const char *step_verb[STEP_COUNT] = {"receive", "accept", "transfer", "assign", "propose", "send-back",
	"sign", "return", "supplement", "resume", "refuse", "withdraw", "stop", "extend", "issue-extension"};

/* the needed roles of a step as the refusal names them: "specialist or head" */
static void needed(int step, char *buf, size_t n)
{
	buf[0] = 0;
	for (int i = 0; i < NPOLICY; i++)
		if (policy[i].step == step) {
			size_t l = strlen(buf);
			snprintf(buf + l, n - l, "%s%s", l ? " or " : "", role_label(policy[i].role));
		}
}

/* 0: allowed; else the expected code with a fragment of the message */
static int expect(int step, unsigned role, int stage, int variant, char *frag, size_t n)
{
	int role_ok = 0, stage_ok = 0, scope = 0;
	for (int i = 0; i < NPOLICY; i++) {
		if (policy[i].step != step || policy[i].role != role)
			continue;
		role_ok = 1;
		for (int k = 0; k < 8 && policy[i].from[k]; k++)
			if (policy[i].from[k] == stage) {
				stage_ok = 1;
				scope = policy[i].scope;
			}
	}
	if (!role_ok) {
		char need[64];
		needed(step, need, sizeof need);
		snprintf(frag, n, "needs the role %s", need);
		return MC_DENIED;
	}
	if (!stage_ok && step == STEP_STOP && (stage == SG_RESULT || stage == SG_RETURNED)) {
		/* a decision exists: the law's own refusal (Decree 118/2025 Art. 21) */
		snprintf(frag, n, "Art. 21");
		return MC_STATE;
	}
	if (!stage_ok) {
		snprintf(frag, n, "is not possible on dossier");
		return MC_STATE;
	}
	if (variant == V_IN || (scope == SC_OFFICE && variant == V_DEPT))
		return 0;
	snprintf(frag, n, "%s", scope == SC_OFFICE ? "belongs to another office" :
		 scope == SC_DEPT ? "not at your department" : "not assigned to you");
	return MC_DENIED;
}

/* ---- fixtures ------------------------------------------------------------------- */

static char fixture[NSTAGES][CODE_LEN];
static int64_t t0;

static void as(const char *account)
{
	assert_int_equal(store_user_by_account(C.st, account, &C.actor), 0);
}

static void add_user(const char *account, unsigned r, int64_t office, int64_t dept)
{
	struct user u = {0};
	struct err e = {0};
	snprintf(u.account, sizeof u.account, "%s", account);
	snprintf(u.name, sizeof u.name, "Người thử %s", account);
	u.roles = r;
	u.office_id = office;
	u.dept_id = dept;
	u.active = 1;
	if (store_user_add(C.st, &u, &e))
		fail_msg("user %s: %s", account, e.msg);
}

static void ok(int rc, const struct err *e, const char *what)
{
	if (rc)
		fail_msg("fixture %s: %s", what, e->msg);
}

/* a dossier brought to `stage` through the core by users inside every scope */
static void make(int stage, char *code)
{
	struct err e = {0};
	struct dossier d;
	struct receive_req r = {.procedure = "1.001037", .name = "Trần Thị Thử", .idno = "022123456789",
				.components = 0xff, .channel = CH_DIRECT};
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, r.procedure, &p), 0);
	r.components = (1u << p.ncomponents) - 1;
	C.now = t0;
	as("clerk_in");
	if (stage == SG_ONLINE) {
		r.pending = 1;
		r.channel = CH_ONLINE;
	} else if (stage == SG_INTAKE_SUPPL) {
		r.outcome = OUT_SUPPLEMENT;
		r.reason = "Thiếu giấy tờ";
	} else if (stage == SG_REFUSED) {
		r.outcome = OUT_REFUSE;
		r.reason = "Sai thẩm quyền";
	}
	ok(dossier_receive(&C, &r, &d, &e), &e, "receive");
	snprintf(code, CODE_LEN, "%s", d.code);
	if (stage == SG_ONLINE || stage == SG_INTAKE_SUPPL || stage == SG_REFUSED || stage == SG_ACCEPTED)
		goto done;
	if (stage == SG_WITHDRAWN) {
		ok(dossier_withdraw(&C, code, "Người nộp rút", &d, &e), &e, "withdraw");
		goto done;
	}
	C.now += 600;
	ok(dossier_transfer(&C, code, "TM", &d, &e), &e, "transfer");
	if (stage == SG_DEPT)
		goto done;
	if (stage == SG_STOPPED) {
		as("leader_in");
		ok(dossier_stop(&C, code, "Ngừng", &d, &e), &e, "stop");
		goto done;
	}
	as("head_in");
	C.now += 600;
	ok(dossier_assign(&C, code, "specialist_in", &d, &e), &e, "assign");
	if (stage == SG_PROCESSING)
		goto done;
	as("specialist_in");
	C.now += 600;
	if (stage == SG_SUPPLEMENT) {
		ok(dossier_supplement(&C, code, "Thiếu bản vẽ", &d, &e), &e, "supplement");
		goto done;
	}
	ok(dossier_propose(&C, code, DEC_APPROVE, "Đủ điều kiện", &d, &e), &e, "propose");
	if (stage == SG_SIGNING)
		goto done;
	as("leader_in");
	C.now += 600;
	ok(dossier_sign(&C, code, NULL, &d, &e), &e, "sign");
	if (stage == SG_RESULT)
		goto done;
	as("clerk_in");
	C.now += 600;
	ok(dossier_return(&C, code, "Trần Thị Thử", 5, &d, &e), &e, "return");
done:
	assert_int_equal(d.stage, stage);
}

static int setup(void **state)
{
	(void)state;
	fixture_setup("perm");
	/* office 1 with departments TM (1) and NL (2); office 2 with KT-TY (5) */
	for (int i = 0; i < NROLES; i++) {
		char a[64];
		snprintf(a, sizeof a, "%s_in", role_key[i]);
		add_user(a, roles[i], 1, 1);
		snprintf(a, sizeof a, "%s_dept", role_key[i]);
		add_user(a, roles[i], 1, 2);
		snprintf(a, sizeof a, "%s_office", role_key[i]);
		add_user(a, roles[i], 2, 5);
	}
	t0 = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60); /* a Monday */
	for (int s = 0; s < NSTAGES; s++)
		make(stages[s], fixture[s]);
	return 0;
}

/* ---- the calls ------------------------------------------------------------------- */

/* what a step needs before it (inside the caller's transaction): issuing an extension
 * needs one proposed, here by the department head (in scope wherever it may be issued) */
static void prepare(int step, const char *code)
{
	if (step != STEP_EXTEND_ISSUE)
		return;
	struct user saved = C.actor;
	struct dossier cur;
	struct err e = {0};
	as("head_in");
	if (store_dossier_get(C.st, code, &cur) == 0)
		dossier_extend(&C, code, cal_add_working(&C.cal, cur.due_at > C.now ? cur.due_at : C.now, 5 * 480),
			       "Xác minh thêm", NULL, &e);
	C.actor = saved;
}

static int call(int step, const char *code, struct dossier *d, struct err *e)
{
	switch (step) {
	case STEP_ACCEPT: return dossier_accept(&C, code, d, e);
	case STEP_TRANSFER: return dossier_transfer(&C, code, "TM", d, e);
	case STEP_ASSIGN: return dossier_assign(&C, code, "specialist_in", d, e);
	case STEP_PROPOSE: return dossier_propose(&C, code, DEC_APPROVE, "Đủ điều kiện", d, e);
	case STEP_SEND_BACK: return dossier_send_back(&C, code, "Làm rõ", d, e);
	case STEP_SIGN: return dossier_sign(&C, code, NULL, d, e);
	case STEP_RETURN: return dossier_return(&C, code, "Trần Thị Thử", 4, d, e);
	case STEP_SUPPLEMENT: return dossier_supplement(&C, code, "Thiếu bản sao", d, e);
	case STEP_RESUME: return dossier_resume(&C, code, 0, d, e);
	case STEP_EXTEND_ISSUE: return dossier_extend_issue(&C, code, d, e);
	case STEP_REFUSE: return dossier_refuse(&C, code, "Không đủ điều kiện", d, e);
	case STEP_WITHDRAW: return dossier_withdraw(&C, code, "Người nộp rút", d, e);
	case STEP_STOP: return dossier_stop(&C, code, "Ngừng xử lý", d, e);
	case STEP_EXTEND: {
		struct dossier cur;
		assert_int_equal(store_dossier_get(C.st, code, &cur), 0);
		int64_t from = cur.due_at > C.now ? cur.due_at : C.now;
		return dossier_extend(&C, code, cal_add_working(&C.cal, from, 5 * 480), "Xác minh thêm", d, e);
	}
	}
	fail_msg("no call for step %d", step);
	return -1;
}

static void matrix(void **state)
{
	(void)state;
	int cells = 0, allowed = 0;
	for (int step = STEP_ACCEPT; step < STEP_COUNT; step++)
		for (int r = 0; r < NROLES; r++)
			for (int v = 0; v < NVARIANT; v++)
				for (int s = 0; s < NSTAGES; s++) {
					static const char *suffix[] = {"in", "dept", "office"};
					char acc[64], frag[128], where[256];
					snprintf(acc, sizeof acc, "%s_%s", role_key[r], suffix[v]);
					snprintf(where, sizeof where, "%s by %s (%s) on a dossier in stage %s",
						 step_verb[step], acc, variant_name[v], stage_name(stages[s]));
					as(acc);
					C.now = t0 + 86400;
					struct dossier before, d;
					struct err e = {0};
					int want = expect(step, roles[r], stages[s], v, frag, sizeof frag);
					assert_int_equal(store_begin(C.st, &e), 0);
					prepare(step, fixture[s]);
					assert_int_equal(store_dossier_get(C.st, fixture[s], &before), 0);
					int rc = call(step, fixture[s], &d, &e);
					struct dossier after;
					assert_int_equal(store_dossier_get(C.st, fixture[s], &after), 0);
					store_rollback(C.st);
					cells++;
					if (want == 0) {
						allowed++;
						if (rc != 0)
							fail_msg("%s: expected allowed, got %d: %s", where, rc, e.msg);
						if (after.version != before.version + 1)
							fail_msg("%s: allowed but no event was appended", where);
						continue;
					}
					if (rc != want)
						fail_msg("%s: expected %s, got %d (%s)", where, err_kind(want), rc, e.msg);
					if (!strstr(e.msg, frag))
						fail_msg("%s: refusal \"%s\" does not say \"%s\"", where, e.msg, frag);
					if (after.version != before.version)
						fail_msg("%s: refused but the dossier changed", where);
				}
	/* 14 steps x 6 roles x 3 scopes x 12 stages */
	assert_int_equal(cells, 14 * NROLES * NVARIANT * NSTAGES);
	print_message("# %d cells, %d allowed\n", cells, allowed);
	assert_true(allowed > 0);
}

/* receive has no stage: the role counts, and a clerk must belong to this office */
static void receive_cells(void **state)
{
	(void)state;
	for (int r = 0; r < NROLES; r++)
		for (int v = 0; v < NVARIANT; v++) {
			static const char *suffix[] = {"in", "dept", "office"};
			char acc[64];
			snprintf(acc, sizeof acc, "%s_%s", role_key[r], suffix[v]);
			as(acc);
			struct receive_req q = {.procedure = "1.001037", .name = "Lê Văn Nhận", .idno = "022123456780",
						.components = 0};
			struct procedure p;
			store_procedure_by_code(C.st, q.procedure, &p);
			q.components = (1u << p.ncomponents) - 1;
			struct dossier d;
			struct err e = {0};
			int64_t n0 = store_dossier_count(C.st);
			assert_int_equal(store_begin(C.st, &e), 0);
			int rc = dossier_receive(&C, &q, &d, &e);
			int64_t n1 = store_dossier_count(C.st);
			store_rollback(C.st);
			if (roles[r] == ROLE_CLERK && v == 2) {
				/* a clerk of another office receives only at their own office */
				assert_int_equal(rc, MC_DENIED);
				assert_non_null(strstr(e.msg, "another office"));
				assert_int_equal(n1, n0);
			} else if (roles[r] == ROLE_CLERK) {
				if (rc)
					fail_msg("receive by %s: %s", acc, e.msg);
				assert_int_equal(n1, n0 + 1);
				assert_int_equal(d.office_id, C.office.id); /* always this store's office */
			} else {
				assert_int_equal(rc, MC_DENIED);
				assert_non_null(strstr(e.msg, "needs the role one-stop clerk"));
				assert_int_equal(n1, n0);
			}
		}
}

/* no motcua user, a deactivated user, a user holding every role */
static void who_cells(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	memset(&C.actor, 0, sizeof C.actor);
	assert_int_equal(dossier_transfer(&C, fixture[2], "TM", &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "needs a motcua user"));
	/* a deactivated user cannot log in (core_login; --as works here as root) */
	struct user u = {0};
	snprintf(u.account, sizeof u.account, "gone_clerk");
	snprintf(u.name, sizeof u.name, "Đã nghỉ");
	u.roles = ROLE_CLERK;
	u.office_id = 1;
	u.active = 0;
	assert_int_equal(store_user_add(C.st, &u, &e), 0);
	if (getuid() == 0) {
		assert_int_equal(core_login(&C, "gone_clerk", &e), MC_DENIED);
		assert_non_null(strstr(e.msg, "deactivated"));
	}
	snprintf(C.os_account, sizeof C.os_account, "tester");
	add_user("all_roles", 63, 1, 1);
	as("all_roles");
	/* every role at once: allowed exactly where some role is, within its scope */
	for (int step = STEP_ACCEPT; step < STEP_COUNT; step++)
		for (int s = 0; s < NSTAGES; s++) {
			char frag[128];
			int any = 0;
			for (int r = 0; r < NROLES; r++) {
				int want = expect(step, roles[r], stages[s], V_IN, frag, sizeof frag);
				if (want == 0)
					any = 1;
			}
			/* all_roles is not the assignee: assignee-only cells are refused */
			struct dossier cur;
			store_dossier_get(C.st, fixture[s], &cur);
			int assignee_only = 1;
			for (int i = 0; i < NPOLICY; i++)
				if (policy[i].step == step)
					for (int k = 0; k < 8 && policy[i].from[k]; k++)
						if (policy[i].from[k] == stages[s] && policy[i].scope != SC_ASSIGNEE)
							assignee_only = 0;
			assert_int_equal(store_begin(C.st, &e), 0);
			prepare(step, fixture[s]);
			int rc = call(step, fixture[s], &d, &e);
			store_rollback(C.st);
			if (any && !assignee_only) {
				if (rc)
					fail_msg("all roles: %s in %s: %s", step_verb[step], stage_name(stages[s]), e.msg);
			} else if (any) {
				assert_int_equal(rc, MC_DENIED);
				assert_non_null(strstr(e.msg, "not assigned to you"));
			} else {
				assert_int_equal(rc, MC_STATE);
			}
		}
}

/* the menus' view (workflow_allows) agrees with the policy, ignoring scope */
static void menus_agree(void **state)
{
	(void)state;
	for (int step = STEP_ACCEPT; step < STEP_COUNT; step++)
		for (int r = 0; r < NROLES; r++)
			for (int s = 0; s < NSTAGES; s++) {
				char frag[128];
				int want = expect(step, roles[r], stages[s], V_IN, frag, sizeof frag) == 0;
				if (workflow_allows(step, roles[r], stages[s]) != want)
					fail_msg("workflow_allows(%s, %s, %s) != %d", step_verb[step], role_key[r],
						 stage_name(stages[s]), want);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matrix),
		cmocka_unit_test(receive_cells),
		cmocka_unit_test(who_cells),
		cmocka_unit_test(menus_agree),
	};
	return cmocka_run_group_tests_name("permissions", tests, setup, fixture_teardown);
}
