/* test_portal.c - the national portal's mapping (src/portal.c): every motcua stage
 * maps to one national status, checked against the portal's list of statuses
 * (TrangThaiHoSo 1-10 and their official labels); applicant kinds and channels;
 * the date format; length caps on a character boundary. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "model.h"
#include "portal.h"

/* the portal's list (TrangThaiHoSo), as the integration notes give it */
static const char *SPEC[] = {NULL, "Mới đăng ký", "Được tiếp nhận", "Không được tiếp nhận", "Đang xử lý",
			     "Yêu cầu bổ sung giấy tờ", "Yêu cầu thực hiện nghĩa vụ tài chính",
			     "Công dân yêu cầu rút hồ sơ", "Dừng xử lý", "Đã xử lý xong", "Đã trả kết quả"};

static void t_stage_status(void **st)
{
	(void)st;
	static const struct { int stage, status; } TABLE[] = {
		{SG_ONLINE, 1}, {SG_INTAKE_SUPPL, 5}, {SG_ACCEPTED, 2}, {SG_DEPT, 4}, {SG_PROCESSING, 4},
		{SG_SIGNING, 4}, {SG_SUPPLEMENT, 5}, {SG_RESULT, 9}, {SG_RETURNED, 10}, {SG_REFUSED, 3},
		{SG_WITHDRAWN, 7}, {SG_STOPPED, 8},
	};
	int n = 0;
	for (const int *sg = portal_stages; *sg; sg++)
		n++;
	assert_int_equal(n, sizeof TABLE / sizeof TABLE[0]);
	for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
		assert_int_equal(portal_stages[i], TABLE[i].stage);
		int s = portal_stage_status(TABLE[i].stage);
		assert_int_equal(s, TABLE[i].status);
		assert_true(s >= 1 && s <= 10);
	}
	for (int s = 1; s <= 10; s++)
		assert_string_equal(portal_status_label(s), SPEC[s]);
	assert_string_equal(portal_status_label(0), "");
	assert_string_equal(portal_status_label(11), "");
}

static void t_enums(void **st)
{
	(void)st;
	assert_string_equal(portal_applicant_kind(AK_PERSON), "1");
	assert_string_equal(portal_applicant_kind(AK_BUSINESS), "2");
	assert_string_equal(portal_channel(CH_DIRECT), "1");
	assert_string_equal(portal_channel(CH_ONLINE), "2");
	assert_string_equal(portal_channel(CH_POSTAL), "3");
	assert_string_equal(portal_delivery(CH_DIRECT), "0");
	assert_string_equal(portal_delivery(CH_ONLINE), "0");
	assert_string_equal(portal_delivery(CH_POSTAL), "1");
}

static void t_date(void **st)
{
	(void)st;
	char b[16];
	portal_date(0, b);
	assert_string_equal(b, "");
	portal_date(1710118800, b);          /* 2024-03-11 01:00:00 UTC */
	assert_string_equal(b, "20240311080000");
	portal_date(1704041999, b);          /* 2023-12-31 16:59:59 UTC: 23:59:59 in Ha Noi */
	assert_string_equal(b, "20231231235959");
	portal_date(1704042000, b);          /* the next second is the new year there */
	assert_string_equal(b, "20240101000000");
}

static void t_cap(void **st)
{
	(void)st;
	char b[64];
	portal_cap("Nguyễn Văn Đức", 6, b, sizeof b);
	assert_string_equal(b, "Nguyễn");
	portal_cap("Nguyễn Văn Đức", 50, b, sizeof b);
	assert_string_equal(b, "Nguyễn Văn Đức");
	portal_cap("ĐĐĐĐ", 2, b, sizeof b);
	assert_string_equal(b, "ĐĐ");
	/* a buffer too small cuts before the character that does not fit */
	portal_cap("aĐĐ", 10, b, 4);
	assert_string_equal(b, "aĐ");
	portal_cap("aĐĐ", 10, b, 3);
	assert_string_equal(b, "a");
	/* combining marks count as characters, never split from their bytes */
	portal_cap("e\xcc\x82\xcc\x83x", 2, b, sizeof b);
	assert_string_equal(b, "e\xcc\x82");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_stage_status),
		cmocka_unit_test(t_enums),
		cmocka_unit_test(t_date),
		cmocka_unit_test(t_cap),
	};
	return cmocka_run_group_tests_name("portal", tests, NULL, NULL);
}
