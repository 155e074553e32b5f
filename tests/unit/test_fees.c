/* test_fees.c - fees on a real temporary store: fee lines parsed and refused, the
 * national status (6 while fees are owed, from the procedure's payment step, never over
 * a supplement or a final stage), the dossier's copy of the lines (a later price change
 * does not touch it), payments and refunds with their roles and limits, the receipt
 * series (consecutive, never reused after a refused step), the projection rebuilt from
 * the events, the report's identity and the portal's status. */
#include <string.h>
#include <unistd.h>
#include "fees.h"
#include "fixture.h"
#include "portal.h"

static int setup(void **state)
{
	(void)state;
	return fixture_setup("fees");
}

static void t_parse(void **st)
{
	(void)st;
	struct err e = {0};
	struct fee_line l[FEE_LINES_MAX];
	int n;
	assert_int_equal(fees_parse_line("le_phi:50.000:Lệ phí cấp giấy", &l[0], &e), 0);
	assert_string_equal(l[0].kind, "le_phi");
	assert_int_equal(l[0].amount, 50000);
	assert_string_equal(l[0].name, "Lệ phí cấp giấy");
	assert_int_equal(fees_parse_line("phi:0:x", &l[0], &e), MC_INVALID);
	assert_int_equal(fees_parse_line("phi:-5:x", &l[0], &e), MC_INVALID);
	assert_int_equal(fees_parse_line("tax:5:x", &l[0], &e), MC_INVALID);
	assert_int_equal(fees_parse_line("phi:5", &l[0], &e), MC_INVALID);
	assert_int_equal(fees_parse_line("phi:5:", &l[0], &e), MC_INVALID);
	assert_int_equal(fees_parse_line("phi:5abc:x", &l[0], &e), MC_INVALID);
	assert_int_equal(fees_parse_line("phi:5:a\x1b[2Jb", &l[0], &e), MC_INVALID);
	assert_int_equal(fees_parse_lines("phi:1:a| le_phi:2:b |", l, FEE_LINES_MAX, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(l[1].amount, 2);
	assert_int_equal(fees_parse_lines("", l, FEE_LINES_MAX, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(fees_parse_lines("phi:1:a|phi:1:a|phi:1:a", l, 2, &n, &e), MC_INVALID);
	assert_int_equal(fees_step_ok("receive", &e), 0);
	assert_int_equal(fees_step_ok("result", &e), 0);
	assert_int_equal(fees_step_ok("sign", &e), MC_INVALID);
}

static void t_status(void **st)
{
	(void)st;
	static const int stages[] = {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING, SG_SUPPLEMENT,
				     SG_RESULT, SG_RETURNED, SG_REFUSED, SG_WITHDRAWN, SG_STOPPED};
	struct dossier d;
	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
		int sg = stages[i];
		memset(&d, 0, sizeof d);
		d.stage = sg;
		d.status = fees_status(&d);
		assert_int_equal(d.status, stage_status(sg)); /* no fees: the stage's status */
		assert_int_equal(portal_dossier_status(&d), stage_status(sg));
		d.fee_total = 70000;
		d.fee_stage = SG_ACCEPTED; /* asked at receipt */
		int want = sg >= SG_ACCEPTED && sg < SG_FINAL && sg != SG_SUPPLEMENT ? ST_PAYMENT : stage_status(sg);
		d.status = fees_status(&d);
		assert_int_equal(d.status, want);
		assert_int_equal(portal_dossier_status(&d), want);
		d.fee_stage = SG_RESULT; /* asked before the result is returned */
		want = sg == SG_RESULT ? ST_PAYMENT : stage_status(sg);
		assert_int_equal(fees_status(&d), want);
		d.fee_paid = 70000; /* paid: the stage's status again */
		assert_int_equal(fees_status(&d), stage_status(sg));
		d.fee_refunded = 70000; /* a refund does not ask for payment again */
		assert_int_equal(fees_status(&d), stage_status(sg));
	}
}

struct seen { int n; char receipt[4][64]; char kinds[64]; };

static int seen_one(const struct fee_entry *f, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 4)
		snprintf(s->receipt[s->n], sizeof s->receipt[0], "%s", f->receipt);
	s->n++;
	strncat(s->kinds, f->kind[4] == 'p' ? "P" : "R", sizeof s->kinds - strlen(s->kinds) - 1);
	return 0;
}

struct tot { struct fees_row rows[8]; int n; };
static int tot_one(const struct fees_row *r, void *ctx)
{
	struct tot *t = ctx;
	if (t->n < 8)
		t->rows[t->n++] = *r;
	return 0;
}

static void t_flow(void **st)
{
	(void)st;
	struct err e = {0};
	struct fee_line l[2];
	assert_int_equal(fees_parse_line("le_phi:50000:Lệ phí", &l[0], &e), 0);
	assert_int_equal(fees_parse_line("phi:20000:Phí thẩm định", &l[1], &e), 0);
	fixture_as("clerk1");
	assert_int_equal(fees_lines_set(&C, "1.001037", l, 2, "receive", &e), MC_DENIED); /* a clerk may not */
	C.is_root = 1;
	C.acting_as = 0;
	assert_int_equal(fees_lines_set(&C, "1.001037", l, 2, "receive", &e), 0);
	C.is_root = 0;
	char code[CODE_LEN];
	C.now = at(2024, 3, 11, 9, 0);
	fixture_receive("Nguyễn Văn Phí", code, 60, fixture_as);
	struct dossier d;
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.fee_total, 70000);
	assert_int_equal(d.status, ST_PAYMENT);
	/* a later price change does not change the dossier's copy */
	l[0].amount = 90000;
	C.is_root = 1;
	assert_int_equal(fees_lines_set(&C, "1.001037", l, 1, "receive", &e), 0);
	C.is_root = 0;
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.fee_total, 70000);

	fixture_as("clerk1");
	C.now += 60;
	struct fee_entry f;
	assert_int_equal(fees_pay(&C, code, FM_CASH, 80000, NULL, &f, &e), MC_INVALID); /* more than owed */
	assert_int_equal(fees_pay(&C, code, FM_TRANSFER, 1000, "", &f, &e), MC_INVALID);  /* no reference */
	assert_int_equal(fees_pay(&C, code, FM_CASH, 30000, NULL, &f, &e), 0);
	assert_non_null(strstr(f.receipt, "-BL2024-000001")); /* the refused attempts took no number */
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.status, ST_PAYMENT);
	assert_int_equal(fees_owed(&d), 40000);
	fixture_as("head_tm");
	assert_int_equal(fees_pay(&C, code, FM_CASH, 40000, NULL, &f, &e), MC_DENIED);
	fixture_as("clerk1");
	assert_int_equal(fees_pay(&C, code, FM_TRANSFER, 40000, "VCB-778", &f, &e), 0);
	assert_non_null(strstr(f.receipt, "-BL2024-000002"));
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.status, stage_status(d.stage));
	assert_int_equal(fees_pay(&C, code, FM_CASH, 1, NULL, &f, &e), MC_STATE); /* nothing owed */
	char other[CODE_LEN];
	fixture_receive("Lê Văn Hai", other, 60, fixture_as);
	assert_int_equal(fees_pay(&C, other, FM_TRANSFER, 1000, "VCB-778", &f, &e), 0); /* another dossier's transfer */
	assert_int_equal(fees_pay(&C, other, FM_TRANSFER, 1000, "VCB-778", &f, &e), MC_STATE); /* the same one twice */
	assert_non_null(strstr(f.receipt, "-BL2024-000003"));

	/* refunds: a leader, within what the payment has left, with a reason */
	char first[64];
	struct seen s;
	memset(&s, 0, sizeof s);
	assert_int_equal(fees_entries(&C, code, seen_one, &s, &e), 0);
	snprintf(first, sizeof first, "%s", s.receipt[0]);
	assert_int_equal(fees_refund(&C, code, first, 1000, "thu thừa", &f, &e), MC_DENIED);
	fixture_as("leader1");
	assert_int_equal(fees_refund(&C, code, first, 1000, "", &f, &e), MC_INVALID);
	assert_int_equal(fees_refund(&C, code, first, 30001, "thu thừa", &f, &e), MC_INVALID);
	assert_int_equal(fees_refund(&C, code, "nope", 1, "thu thừa", &f, &e), MC_NOTFOUND);
	assert_int_equal(fees_refund(&C, code, first, 10000, "thu thừa", &f, &e), 0);
	assert_non_null(strstr(f.receipt, "-BL2024-000004"));
	assert_int_equal(fees_refund(&C, code, first, 20001, "thu thừa", &f, &e), MC_INVALID);
	/* the transfer is named by its receipt, not by the bank's reference */
	assert_int_equal(fees_refund(&C, code, "VCB-778", 1, "thu thừa", &f, &e), MC_NOTFOUND);
	assert_int_equal(fees_refund(&C, code, first, 20000, "thu thừa", &f, &e), 0);
	assert_non_null(strstr(f.receipt, "-BL2024-000005"));
	memset(&s, 0, sizeof s);
	assert_int_equal(fees_entries(&C, code, seen_one, &s, &e), 0);
	assert_string_equal(s.kinds, "PPRR");
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.fee_paid, 70000);
	assert_int_equal(d.fee_refunded, 30000);

	/* the projection is what the events say */
	struct dossier before = d;
	assert_int_equal(dossier_rebuild(&C, code, &e), 0);
	assert_int_equal(dossier_get(&C, code, &d, &e), 0);
	assert_int_equal(d.fee_total, before.fee_total);
	assert_int_equal(d.fee_paid, before.fee_paid);
	assert_int_equal(d.fee_refunded, before.fee_refunded);
	assert_int_equal(d.status, before.status);

	/* the receipt prints the dossier's copy of the lines */
	struct strbuf sb = {0};
	assert_int_equal(fees_receipt_text(&C, code, s.receipt[1], &sb, &e), 0);
	assert_non_null(strstr(sb.buf, "BIÊN LAI THU PHÍ, LỆ PHÍ"));
	assert_non_null(strstr(sb.buf, "50.000"));
	assert_non_null(strstr(sb.buf, "VCB-778"));
	strbuf_release(&sb);

	/* the report: collected - refunded = net; the fields sum to the total */
	struct tot t;
	memset(&t, 0, sizeof t);
	assert_int_equal(fees_report(&C, 0, INT64_MAX, tot_one, &t, &e), 0);
	assert_true(t.n >= 2);
	struct fees_row sum;
	memset(&sum, 0, sizeof sum);
	for (int i = 0; i < t.n - 1; i++) {
		assert_int_equal(t.rows[i].collected - t.rows[i].refunded, t.rows[i].net);
		sum.collected += t.rows[i].collected;
		sum.refunded += t.rows[i].refunded;
		sum.net += t.rows[i].net;
	}
	assert_string_equal(t.rows[t.n - 1].field_code, "");
	assert_int_equal(t.rows[t.n - 1].collected, 71000);
	assert_int_equal(t.rows[t.n - 1].cash, 30000);
	assert_int_equal(t.rows[t.n - 1].transfer, 41000);
	assert_int_equal(t.rows[t.n - 1].refunded, 30000);
	assert_int_equal(sum.collected, t.rows[t.n - 1].collected);
	assert_int_equal(sum.net, t.rows[t.n - 1].net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_parse),
		cmocka_unit_test(t_status),
		cmocka_unit_test_setup_teardown(t_flow, setup, fixture_teardown),
	};
	return cmocka_run_group_tests_name("fees", tests, NULL, NULL);
}
