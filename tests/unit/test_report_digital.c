/* test_report_digital.c - the Decision 766 digitisation indicators (report_digital.h):
 * rates rounded to 2 decimals ("-" = -1 when nothing was received), the portal's points
 * with and without a threshold, and the counts on a real store: a dossier is digitised
 * only when every received component has a file (filed or reused), reuse counts per
 * dossier and per component, a file attached after the period's end does not count,
 * rows per field, who may read it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "attach.h"
#include "dossier.h"
#include "report_digital.h"
#include "reuse.h"
#include "store.h"
#include "fixture.h"


static void as(const char *account)
{
	assert_int_equal(store_user_by_account(C.st, account, &C.actor), 0);
}

static void pdf(const char *name, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fprintf(f, "%%PDF-1.4\n%% %s\n%%%%EOF\n", name);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	fixture_setup("digital");
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60);
	return 0;
}

static int teardown(void **state) { return fixture_teardown(state); }

static void rates_and_points(void **state)
{
	(void)state;
	assert_true(report_digital_rate(0, 0) < 0);
	assert_true(report_digital_rate(1, 3) == 33.33);
	assert_true(report_digital_rate(2, 3) == 66.67);
	assert_true(report_digital_rate(4, 4) == 100.0);
	/* threshold 80%: full points from 80%, linear below; none: linear */
	assert_true(report_digital_points(85, 4, 80) == 4.0);
	assert_true(report_digital_points(50, 4, 80) == 2.5);
	assert_true(report_digital_points(25, 6, 0) == 1.5);
	assert_true(report_digital_points(-1, 6, 0) == 0);
}

static struct dossier receive(const char *proc, uint32_t comps)
{
	struct err e = {0};
	struct dossier d;
	struct receive_req r = {.procedure = proc, .name = "Nguyễn Văn An", .idno = "022123456789", .components = comps};
	if (dossier_receive(&C, &r, &d, &e))
		fail_msg("%s", e.msg);
	return d;
}

static void counts(void **state)
{
	(void)state;
	struct err e = {0};
	char a[128], b[128], c[128];
	pdf("a.pdf", a, sizeof a);
	pdf("b.pdf", b, sizeof b);
	pdf("c.pdf", c, sizeof c);
	as("clerk1");
	int64_t p0 = cal_instant(cal_day_from_ymd(2024, 3, 1), 0), p1 = cal_instant(cal_day_from_ymd(2024, 4, 1), 0);
	/* 1.001037 (field XD): both components filed -> digitised; one of two -> not */
	struct dossier d1 = receive("1.001037", 3), d2 = receive("1.001037", 3);
	assert_int_equal(attach_file(&C, d1.code, 1, a, NULL, &e), 0);
	assert_int_equal(attach_file(&C, d1.code, 2, b, NULL, &e), 0);
	assert_int_equal(attach_file(&C, d2.code, 1, c, NULL, &e), 0);
	/* 1.001481 (field DIEN): component 2 reused from d1, component 1 filed */
	struct dossier d3 = receive("1.001481", 3);
	struct reuse_offer o[8];
	int n = reuse_offers_for(&C, d3.code, o, 8, &e);
	assert_true(n >= 1);
	struct reuse_pick p[2];
	assert_int_equal(reuse_pick_newest(o, n, 2, p, 2, &e), 1);
	assert_int_equal(reuse_attach(&C, d3.code, 2, p[0].event_id, NULL, &e), 0);
	assert_int_equal(attach_file(&C, d3.code, 1, a, NULL, &e), 0);
	/* d2's second file after the period: it does not count in March */
	C.now = cal_instant(cal_day_from_ymd(2024, 4, 2), 9 * 60);
	assert_int_equal(attach_file(&C, d2.code, 2, a, NULL, &e), 0);

	as("super1");
	struct digital_report r;
	if (report_digital(&C, p0, p1, &r, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(r.nrows, 2);
	assert_string_equal(r.rows[0].key, "DIEN");
	assert_int_equal(r.rows[0].received, 1);
	assert_int_equal(r.rows[0].digitised, 1);
	assert_int_equal(r.rows[0].reused, 1);
	assert_string_equal(r.rows[1].key, "XD");
	assert_int_equal(r.rows[1].received, 2);
	assert_int_equal(r.rows[1].digitised, 1);
	assert_int_equal(r.rows[1].reused, 0);
	assert_int_equal(r.total.received, 3);
	assert_int_equal(r.total.digitised, 2);
	assert_int_equal(r.total.reused, 1);
	assert_int_equal(r.total.result_file, 0);
	assert_int_equal(r.total.components, 6);        /* the components received: 2 + 2 + 2 */
	assert_int_equal(r.total.components_reused, 1);
	report_digital_free(&r);
	/* to the end of April, d2 is digitised too */
	if (report_digital(&C, p0, cal_instant(cal_day_from_ymd(2024, 5, 1), 0), &r, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(r.total.digitised, 3);
	report_digital_free(&r);
	/* a clerk may not; an inverted period is refused */
	as("clerk1");
	assert_int_equal(report_digital(&C, p0, p1, &r, &e), MC_DENIED);
	as("super1");
	assert_int_equal(report_digital(&C, p1, p0, &r, &e), MC_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rates_and_points),
		cmocka_unit_test(counts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
