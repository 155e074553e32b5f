/* test_reuse.c - reusing an applicant's earlier digitised papers (src/reuse.h) on a real
 * temporary store: offers by ID number matched by component name across procedures,
 * the receipt and its reuses in one transaction (a refused pick receives nothing), the
 * reuse naming the earlier file without storing bytes again, and every refusal: another
 * applicant's file, a different paper, the same file twice, a role that may not. */
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
#include "reuse.h"
#include "store_files.h"
#include "fixture.h"

static const char PDF_A[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
static const char PDF_B[] = "%PDF-1.4\n2 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
static const char PDF_C[] = "%PDF-1.4\n3 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static void as(const char *account)
{
	assert_int_equal(store_user_by_account(C.st, account, &C.actor), 0);
}

static void write_file(const char *name, const char *b, char *path, size_t pn)
{
	snprintf(path, pn, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, strlen(b), f), strlen(b));
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	fixture_setup("reuse");
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60);
	return 0;
}

static int teardown(void **state) { return fixture_teardown(state); }

static int count_one(const char *sha, int64_t size, void *ctx)
{
	(void)sha;
	(void)size;
	(*(int *)ctx)++;
	return 0;
}

static int nstored(void)
{
	int n = 0;
	store_files_each(C.st, count_one, &n);
	return n;
}

static int ndossiers(void)
{
	struct err e = {0};
	int n = 0;
	char code[CODE_LEN];
	for (int k = 1; k < 20; k++) {
		struct dossier d;
		dossier_format_code(C.office.agency_code, C.now, k, code, sizeof code);
		if (dossier_get(&C, code, &d, &e) == 0)
			n++;
	}
	return n;
}

static void offers_and_reuse(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d1, other;
	char a[128], b[128], c[128];
	write_file("ban-ke.pdf", PDF_A, a, sizeof a);
	write_file("nang-luc.pdf", PDF_B, b, sizeof b);
	write_file("khac.pdf", PDF_C, c, sizeof c);
	as("clerk1");
	/* 1.001074: 1 application form, 2 list of equipment, 3 staff qualification */
	struct receive_req r1 = {.procedure = "1.001074", .name = "Nguyễn Văn A", .idno = "022123456789", .components = 7};
	if (dossier_receive(&C, &r1, &d1, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(attach_file(&C, d1.code, 2, a, NULL, &e), 0);
	assert_int_equal(attach_file(&C, d1.code, 3, b, NULL, &e), 0);
	struct receive_req r2 = {.procedure = "1.001074", .name = "Trần Thị B", .idno = "022999999999", .components = 7};
	if (dossier_receive(&C, &r2, &other, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(attach_file(&C, other.code, 2, c, NULL, &e), 0);
	int files = nstored();
	assert_int_equal(files, 3);

	/* 1.001259 numbers the same papers 3 and 4: they are offered there, by name */
	struct reuse_offer o[REUSE_MAX];
	int n = reuse_offers(&C, "1.001259", AK_PERSON, "022123456789", NULL, o, REUSE_MAX, &e);
	assert_int_equal(n, 2);
	assert_int_equal(o[0].component, 3);
	assert_string_equal(o[0].name, "ban-ke.pdf");
	assert_string_equal(o[0].from_code, d1.code);
	assert_int_equal(o[1].component, 4);
	assert_string_equal(o[1].name, "nang-luc.pdf");
	/* another ID number has its own papers only; an invalid one is refused */
	assert_int_equal(reuse_offers(&C, "1.001259", AK_PERSON, "022999999999", NULL, o + 2, 4, &e), 1);
	assert_string_equal(o[2].name, "khac.pdf");
	char other_event[32];
	snprintf(other_event, sizeof other_event, "%s", o[2].event_id);
	assert_int_equal(reuse_offers(&C, "1.001259", AK_PERSON, "123", NULL, o + 2, 4, &e), -1);
	assert_int_equal(e.code, MC_INVALID);
	assert_int_equal(reuse_offers(&C, "1.001259", AK_PERSON, "022000000000", NULL, o + 2, 4, &e), 0);

	/* the newest offer per component asked; a component without one is named */
	struct reuse_pick p[4];
	assert_int_equal(reuse_pick_newest(o, n, 1u << 2, p, 4, &e), 1);
	assert_int_equal(p[0].component, 3);
	assert_int_equal(reuse_pick_newest(o, n, 0, p, 4, &e), 2);
	assert_int_equal(reuse_pick_newest(o, n, 1u << 0, p, 4, &e), -1);
	assert_int_equal(e.code, MC_NOTFOUND);

	/* a refused pick (another applicant's file) receives nothing */
	int before = ndossiers();
	assert_int_equal(before, 2);
	struct reuse_pick bad[2] = {{3, ""}, {4, ""}};
	snprintf(bad[0].event_id, sizeof bad[0].event_id, "%s", o[0].event_id);
	snprintf(bad[1].event_id, sizeof bad[1].event_id, "%s", other_event);
	struct receive_req r3 = {.procedure = "1.001259", .name = "Nguyễn Văn A", .idno = "022123456789", .components = 3};
	struct receive_result res;
	assert_int_equal(reuse_receive(&C, &r3, 0, bad, 2, &res, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "another applicant"));
	assert_int_equal(ndossiers(), before);

	/* components 1, 2 ticked, 3 and 4 reused: accepted in one transaction */
	assert_int_equal(reuse_pick_newest(o, n, 0, p, 4, &e), 2);
	if (reuse_receive(&C, &r3, 0, p, 2, &res, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(ndossiers(), before + 1);
	assert_int_equal(res.d.components, 15u);
	assert_int_equal(nstored(), files);      /* no bytes stored again */
	struct attach_info ai;
	assert_int_equal(attach_nth(&C, res.d.code, 1, &ai, &e), 0);
	assert_int_equal(ai.component, 3);
	assert_string_equal(ai.sha256, o[0].sha256);
	assert_string_equal(ai.reused_from, d1.code);
	assert_string_equal(ai.reused_event, o[0].event_id);
	assert_int_equal(attach_check(&C, &ai, &e), 0);

	/* later: what it has is no offer any more; the same file twice, a different paper,
	 * another applicant's file, a supervisor: refused */
	assert_int_equal(reuse_offers_for(&C, res.d.code, o + 2, 4, &e), 0);
	assert_int_equal(reuse_attach(&C, res.d.code, 3, o[0].event_id, NULL, &e), MC_STATE);
	assert_int_equal(reuse_attach(&C, res.d.code, 1, o[0].event_id, NULL, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "different paper"));
	assert_int_equal(reuse_attach(&C, res.d.code, 3, other_event, NULL, &e), MC_DENIED);
	assert_int_equal(reuse_attach(&C, res.d.code, 3, "01NOSUCHEVENT", NULL, &e), MC_NOTFOUND);
	as("super1");
	assert_int_equal(reuse_offers(&C, "1.001259", AK_PERSON, "022123456789", NULL, o + 2, 4, &e), -1);
	assert_int_equal(e.code, MC_DENIED);
	as("clerk1");

	/* audit: the reused files are attached, present, nothing orphaned */
	int64_t broken = -1;
	assert_int_equal(attach_audit(&C, NULL, NULL, NULL, &broken, &e), 0);
	assert_int_equal(broken, 0);
	assert_int_equal(attach_audit(&C, res.d.code, NULL, NULL, &broken, &e), 0);
	/* replaying the events gives the same row */
	assert_int_equal(dossier_rebuild(&C, res.d.code, &e), 0);
	struct dossier rebuilt;
	assert_int_equal(dossier_get(&C, res.d.code, &rebuilt, &e), 0);
	assert_int_equal(rebuilt.components, 15u);
	assert_int_equal(rebuilt.version, res.d.version);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offers_and_reuse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
