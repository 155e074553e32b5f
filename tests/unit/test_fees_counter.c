/* test_fees_counter.c - fees paid at the receiving desk (fees_counter.h) on a real
 * temporary store: a branch receives a department's procedure, which goes at once to the
 * department; the branch's clerk pays there and then: the payment goes on the receipt
 * chain CODE-F1 (filed for the branch, the lines it paid, the branch's receipt series),
 * opened with the first payment in one transaction; a line is paid once; the holding
 * dossier owes what the chain did not pay (national status 6 until then) and takes no
 * second payment; the department may not refund the branch's receipt, the branch's
 * leader may; the projection rebuilt from the events says the same; the report counts
 * the money once, at the branch. */
#include <string.h>
#include <unistd.h>
#include "fees.h"
#include "fees_counter.h"
#include "org.h"
#include "fixture.h"
#define BR "000.01.99.H45"
#define CTR "000.00.99.H45"
#define DEP "000.00.17.H45"

static void as(const char *account) { fixture_as(account); }

static void add_user(const char *account, unsigned roles, int64_t office)
{
	struct err e = {0};
	struct user u = {.roles = roles, .office_id = office, .active = 1};
	snprintf(u.account, sizeof u.account, "%s", account);
	snprintf(u.name, sizeof u.name, "%s", account);
	assert_int_equal(store_user_add(C.st, &u, &e), 0);
}

static int setup(void **state)
{
	(void)state;
	fixture_setup("feesctr");
	struct err e = {0};
	struct fee_line l[2];
	C.is_root = 1;
	assert_int_equal(org_office_set(&C, DEP, NULL, 0, "department", NULL, &e), 0);
	assert_int_equal(org_office_set(&C, CTR, "Trung tâm", 1, "centre", NULL, &e), 0);
	assert_int_equal(org_office_set(&C, BR, "Chi nhánh", 1, "branch", CTR, &e), 0);
	assert_int_equal(org_procedure_set(&C, DEP, "1.001037", "resolve", 1, &e), 0);
	assert_int_equal(fees_parse_line("le_phi:50000:Lệ phí", &l[0], &e), 0);
	assert_int_equal(fees_parse_line("phi:20000:Phí thẩm định", &l[1], &e), 0);
	assert_int_equal(fees_lines_set(&C, "1.001037", l, 2, "receive", &e), 0);
	C.is_root = 0;
	struct office br;
	assert_int_equal(store_office_by_code(C.st, BR, &br), 0);
	add_user("br_clerk", ROLE_CLERK, br.id);
	add_user("br_lead", ROLE_LEADER, br.id);
	return 0;
}

static int teardown(void **state) { return fixture_teardown(state); }

struct tot { struct fees_row total; };
static int tot_one(const struct fees_row *r, void *ctx)
{
	if (!r->field_code[0])
		((struct tot *)ctx)->total = *r;
	return 0;
}

struct seen { int n, counter; char kinds[16]; };
static int seen_one(const struct fee_entry *f, void *ctx)
{
	struct seen *s = ctx;
	s->n++;
	s->counter += f->counter;
	strncat(s->kinds, f->kind[4] == 'p' ? "P" : "R", sizeof s->kinds - strlen(s->kinds) - 1);
	return 0;
}

static int count_one(const struct event *ev, void *ctx)
{
	(void)ev;
	(*(int *)ctx)++;
	return 0;
}

/* the events of the dossier and of its receipt chain */
static int events_of(const char *code, const char *fc)
{
	int n = 0;
	store_events_of(C.st, code, count_one, &n);
	store_events_of(C.st, fc, count_one, &n);
	return n;
}

static void t_codes(void **st)
{
	(void)st;
	char c[CODE_LEN], p[CODE_LEN];
	assert_int_equal(fees_counter_code("000.01.99.H45-250710-0001", c, sizeof c), 0);
	assert_string_equal(c, "000.01.99.H45-250710-0001-F1");
	assert_true(fees_counter_parent(c, p));
	assert_string_equal(p, "000.01.99.H45-250710-0001");
	assert_false(fees_counter_parent("000.01.99.H45-250710-0001", p));
	assert_false(fees_counter_parent("000.01.99.H45-250710-0001-P1", p));
	assert_false(fees_counter_parent("-F1", p));
	assert_int_equal(fees_counter_code("", c, sizeof c), MC_INVALID);
	assert_int_equal(fees_counter_code("000.01.99.H45-250710-0001-0000000000000000000000", c, sizeof c), MC_INVALID);
}

static void t_desk(void **st)
{
	(void)st;
	struct err e = {0};
	struct dossier d, ch;
	struct office br, dep;
	struct fee_entry f;
	assert_int_equal(store_office_by_code(C.st, BR, &br), 0);
	assert_int_equal(store_office_by_code(C.st, DEP, &dep), 0);
	C.office = br; /* the branch's store */
	as("br_clerk");
	C.now = at(2025, 7, 10, 9, 0);
	struct receive_req r = {.procedure = "1.001037", .name = "Nguyễn Văn Phí", .idno = "022123456781", .components = 0xf};
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, "1.001037", &p), 0);
	r.components = (1u << p.ncomponents) - 1;
	int rc = dossier_receive(&C, &r, &d, &e);
	if (rc)
		fail_msg("%s", e.msg);
	char code[CODE_LEN], fc[CODE_LEN];
	snprintf(code, sizeof code, "%s", d.code);
	assert_int_equal(fees_counter_code(code, fc, sizeof fc), 0);
	assert_int_equal(d.office_id, dep.id);
	assert_int_equal(d.status, ST_PAYMENT);
	assert_true(fees_counter_here(&C, &d));

	/* line 2 first: 20000 on the chain, filed for the branch, one transaction */
	int64_t n0 = store_dossier_count(C.st);
	C.now += 300;
	assert_int_equal(fees_counter_pay(&C, code, FM_CASH, 1u << 1, 0, NULL, &f, &e), 0);
	assert_int_equal(f.amount, 20000);
	assert_int_equal(f.lines, 1u << 1);
	assert_true(f.counter);
	assert_non_null(strstr(f.receipt, BR "-BL2025-000001"));
	assert_int_equal(store_dossier_count(C.st), n0 + 1);
	assert_int_equal(dossier_get(&C, fc, &ch, &e), 0);
	assert_int_equal(ch.office_id, br.id);
	assert_int_equal(ch.version, 2); /* received + fee_paid */
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.version, 2); /* the dossier itself: untouched (received, routed) */
	assert_int_equal(d.fee_paid, 0);
	assert_int_equal(d.fee_counter_paid, 20000);
	assert_int_equal(fees_owed(&d), 50000);
	assert_int_equal(d.status, ST_PAYMENT);

	/* the same line again is refused and writes nothing; an amount must be whole lines */
	int events = events_of(code, fc);
	assert_int_equal(fees_counter_pay(&C, code, FM_CASH, 1u << 1, 0, NULL, &f, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "already paid at the receiving desk"));
	assert_int_equal(fees_counter_pay(&C, code, FM_CASH, 1u << 5, 0, NULL, &f, &e), MC_INVALID);
	assert_int_equal(fees_counter_pay(&C, code, FM_CASH, 0, 1000, NULL, &f, &e), MC_INVALID);
	assert_int_equal(fees_pay(&C, code, FM_TRANSFER, 50000, "", &f, &e), MC_INVALID);
	assert_int_equal(events_of(code, fc), events);
	/* fees_pay at the desk goes on the chain: the rest, line 1 */
	assert_int_equal(fees_pay(&C, code, FM_TRANSFER, 50000, "VCB-1", &f, &e), 0);
	assert_true(f.counter);
	assert_non_null(strstr(f.receipt, BR "-BL2025-000002"));
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(fees_owed(&d), 0);
	assert_int_equal(d.status, stage_status(d.stage)); /* paid: the stage's status */
	assert_int_equal(fees_pay(&C, code, FM_CASH, 1, NULL, &f, &e), MC_STATE); /* nothing left */
	assert_int_equal(fees_counter_pay(&C, code, FM_CASH, 1u, 0, NULL, &f, &e), MC_STATE);

	/* the department holding it takes no second payment, and sees both on its view */
	C.office = dep;
	as("clerk1");
	assert_int_equal(fees_pay(&C, code, FM_CASH, 1000, NULL, &f, &e), MC_STATE);
	struct seen s;
	memset(&s, 0, sizeof s);
	assert_int_equal(fees_entries(&C, code, seen_one, &s, &e), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.counter, 2);
	/* refunds: the desk's receipt only at the desk, by its leader */
	as("leader1");
	assert_int_equal(fees_refund(&C, code, BR "-BL2025-000001", 1000, "thu thừa", &f, &e), MC_DENIED);
	C.office = br;
	as("br_clerk");
	assert_int_equal(fees_refund(&C, code, BR "-BL2025-000001", 1000, "thu thừa", &f, &e), MC_DENIED);
	as("br_lead");
	assert_int_equal(fees_refund(&C, code, BR "-BL2025-000001", 20001, "thu thừa", &f, &e), MC_INVALID);
	assert_int_equal(fees_refund(&C, code, BR "-BL2025-000001", 5000, "thu thừa", &f, &e), 0);
	assert_non_null(strstr(f.receipt, BR "-BL2025-000003"));
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.fee_counter_refunded, 5000);
	assert_int_equal(fees_owed(&d), 0); /* a refund does not ask for payment again */
	memset(&s, 0, sizeof s);
	assert_int_equal(fees_entries(&C, code, seen_one, &s, &e), 0);
	assert_string_equal(s.kinds, "PPR");

	/* the receipt prints at the branch's name, with the line it paid */
	struct strbuf sb = {0};
	assert_int_equal(fees_receipt_text(&C, code, BR "-BL2025-000001", &sb, &e), 0);
	assert_non_null(strstr(sb.buf, "Chi nhánh"));
	assert_non_null(strstr(sb.buf, "Phí thẩm định"));
	assert_null(strstr(sb.buf, "Lệ phí (lệ phí)"));
	strbuf_release(&sb);

	/* the projection rebuilt from the events says the same, both rows */
	struct dossier before = d;
	assert_int_equal(dossier_rebuild(&C, fc, &e), 0);
	assert_int_equal(dossier_rebuild(&C, code, &e), 0);
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.status, before.status);
	assert_int_equal(d.fee_counter_paid, 70000);
	assert_int_equal(d.version, before.version);

	/* the report counts the money once, at the office that took it */
	struct tot t;
	memset(&t, 0, sizeof t);
	as("br_lead");
	assert_int_equal(fees_report_at(&C, BR, 0, INT64_MAX, tot_one, &t, &e), 0);
	assert_int_equal(t.total.collected, 70000);
	assert_int_equal(t.total.refunded, 5000);
	assert_int_equal(t.total.dossiers, 1);
	memset(&t, 0, sizeof t);
	assert_int_equal(fees_report_at(&C, DEP, 0, INT64_MAX, tot_one, &t, &e), 0);
	assert_int_equal(t.total.collected, 0);
	memset(&t, 0, sizeof t);
	assert_int_equal(fees_report(&C, 0, INT64_MAX, tot_one, &t, &e), 0);
	assert_int_equal(t.total.collected, 70000);
}

/* the desk of a dossier its own office holds pays on the dossier, as before */
static void t_not_desk(void **st)
{
	(void)st;
	struct err e = {0};
	struct dossier d;
	struct fee_entry f;
	struct office dep;
	assert_int_equal(store_office_by_code(C.st, DEP, &dep), 0);
	C.office = dep;
	char code[CODE_LEN], fc[CODE_LEN];
	C.now = at(2025, 7, 11, 9, 0);
	fixture_receive("Trần Văn Hai", code, 60, as);
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_false(fees_counter_here(&C, &d));
	assert_int_equal(fees_counter_pay(&C, code, FM_CASH, 0, 0, NULL, &f, &e), MC_DENIED);
	as("clerk1");
	assert_int_equal(fees_pay(&C, code, FM_CASH, 70000, NULL, &f, &e), 0);
	assert_false(f.counter);
	assert_int_equal(fees_counter_code(code, fc, sizeof fc), 0);
	assert_int_equal(dossier_get(&C, fc, &d, &e), MC_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(t_codes),
		cmocka_unit_test(t_desk),
		cmocka_unit_test(t_not_desk),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
