/* test_calendar.c - civil dates, lunar calendar, holidays, working time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calendar.h"
#include "embedded.h"
#include "holidays.h"

/* ------------------------------------------------------------------ helpers */

static int64_t at(int y, int m, int d, int hh, int mi)
{
	return cal_instant(cal_day_from_ymd(y, m, d), hh * 60 + mi);
}

static const char *fmt(int64_t t, char buf[32])
{
	cal_format(t, 1, buf, 32);
	return buf;
}

#define assert_at(t, expect) \
	do { \
		char b_[32]; \
		assert_string_equal(fmt((t), b_), (expect)); \
	} while (0)

static const char *day_str(int32_t day, char buf[32])
{
	int y, m, d;
	cal_ymd_from_day(day, &y, &m, &d);
	snprintf(buf, 32, "%04d-%02d-%02d", y, m, d);
	return buf;
}

static int cmp_holiday(const void *a, const void *b)
{
	const struct cal_holiday *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

static void push_day(struct cal_holiday *h, int *n, int y, int m, int d, int kind, const char *name)
{
	h[*n].day = cal_day_from_ymd(y, m, d);
	h[*n].kind = kind;
	snprintf(h[*n].name, sizeof h[*n].name, "%s", name);
	(*n)++;
	qsort(h, (size_t)*n, sizeof *h, cmp_holiday);
}

static int has_day(const struct cal_holiday *h, int n, int y, int m, int d)
{
	int32_t day = cal_day_from_ymd(y, m, d);
	for (int i = 0; i < n; i++)
		if (h[i].day == day)
			return 1;
	return 0;
}

static void solar_of_lunar(int ly, int lm, int ld, int leap, char buf[32])
{
	int y = 0, m = 0, d = 0;
	assert_int_equal(lunar_to_solar(ly, lm, ld, leap, &y, &m, &d), 0);
	snprintf(buf, 32, "%04d-%02d-%02d", y, m, d);
}

/* splitmix64: fixed-seed, reproducible */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n;
		if (*p < 0x80)
			n = 0;
		else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
			n = 1;
		else if ((*p & 0xF0) == 0xE0)
			n = 2;
		else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
			n = 3;
		else
			return 0;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- civil dates */

static void test_civil_dates(void **state)
{
	(void)state;
	assert_int_equal(cal_day_from_ymd(1970, 1, 1), 0);
	assert_int_equal(cal_day_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(cal_day_from_ymd(1969, 12, 31), -1);
	assert_int_equal(cal_weekday(0), 4);                              /* Thursday */
	assert_int_equal(cal_weekday(cal_day_from_ymd(2024, 3, 11)), 1); /* Monday */
	assert_int_equal(cal_weekday(cal_day_from_ymd(1969, 12, 28)), 0);
	assert_int_equal(cal_weekday(cal_day_from_ymd(2024, 2, 29)), 4);
	for (int32_t day = -800000; day <= 800000; day += 7) {
		int y, m, d;
		cal_ymd_from_day(day, &y, &m, &d);
		assert_int_equal(cal_day_from_ymd(y, m, d), day);
	}
	/* consecutive days advance the date by one */
	int py, pm, pd;
	cal_ymd_from_day(cal_day_from_ymd(1999, 12, 31), &py, &pm, &pd);
	for (int32_t day = cal_day_from_ymd(2000, 1, 1); day < cal_day_from_ymd(2101, 1, 1); day++) {
		int y, m, d;
		cal_ymd_from_day(day, &y, &m, &d);
		if (d == 1)
			assert_true(m == pm + 1 || (m == 1 && pm == 12 && y == py + 1));
		else
			assert_true(d == pd + 1 && m == pm && y == py);
		py = y, pm = m, pd = d;
	}
}

static void test_instants(void **state)
{
	(void)state;
	/* 1970-01-01 00:00 local is 1969-12-31 17:00 UTC */
	assert_int_equal(cal_instant(0, 0), -7 * 3600);
	int64_t t = at(2024, 3, 11, 9, 5);
	assert_int_equal(t, 1710122700); /* 2024-03-11 02:05:00 UTC */
	assert_int_equal(cal_day_of(t), cal_day_from_ymd(2024, 3, 11));
	assert_int_equal(cal_minute_of(t), 9 * 60 + 5);
	int64_t mid = at(2024, 3, 11, 0, 0);
	assert_int_equal(cal_day_of(mid), cal_day_from_ymd(2024, 3, 11));
	assert_int_equal(cal_day_of(mid - 1), cal_day_from_ymd(2024, 3, 10));
	assert_int_equal(cal_minute_of(mid - 1), 1439);
	assert_int_equal(cal_day_of(-7 * 3600 - 1), -1);
	assert_int_equal(cal_minute_of(-7 * 3600 - 1), 1439);
}

static void test_parse_ok(void **state)
{
	(void)state;
	int64_t t = 0;
	assert_int_equal(cal_parse("2024-03-11", &t), 0);
	assert_int_equal(t, at(2024, 3, 11, 0, 0));
	assert_int_equal(cal_parse("2024-03-11 09:05", &t), 0);
	assert_int_equal(t, at(2024, 3, 11, 9, 5));
	assert_int_equal(cal_parse("2024-03-11T23:59", &t), 0);
	assert_int_equal(t, at(2024, 3, 11, 23, 59));
	assert_int_equal(cal_parse("2024-02-29", &t), 0);
	assert_int_equal(t, at(2024, 2, 29, 0, 0));
	assert_int_equal(cal_parse("2000-02-29 00:00", &t), 0);
	assert_int_equal(cal_parse("2024-12-31", &t), 0);
}

static void test_parse_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2024-02-30", "2024-13-01", "2024-01-01x", "", "24-01-01", "2023-02-29",
		"1900-02-29", "2024-00-10", "2024-01-00", "2024-04-31", "2024-01-01 24:00",
		"2024-01-01 12:60", "2024-01-01 9:00", "2024-01-01 09:00x", "2024-01-01 ",
		"2024-01-01 09", "2024/01/01", "2024-1-01", "abcd-01-01", "2024-01-01 09:00:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 12345;
		if (cal_parse(bad[i], &t) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(t, 12345);
	}
	int64_t t;
	assert_int_equal(cal_parse(NULL, &t), -1);
}

static void test_format(void **state)
{
	(void)state;
	char buf[32];
	int64_t t = at(2024, 3, 11, 9, 5);
	cal_format(t, 1, buf, sizeof buf);
	assert_string_equal(buf, "2024-03-11 09:05");
	cal_format(t, 0, buf, sizeof buf);
	assert_string_equal(buf, "2024-03-11");
	cal_format_vn(t, buf, sizeof buf);
	assert_string_equal(buf, "11/03/2024");
	cal_format(at(2024, 1, 1, 0, 0) - 60, 1, buf, sizeof buf);
	assert_string_equal(buf, "2023-12-31 23:59");
	cal_format(t, 1, buf, 17);
	assert_string_equal(buf, "2024-03-11 09:05");
	char small[8];
	cal_format(t, 1, small, sizeof small);
	assert_string_equal(small, "2024-03");
	int64_t p;
	cal_format(t, 1, buf, sizeof buf);
	assert_int_equal(cal_parse(buf, &p), 0);
	assert_int_equal(p, t);
}

/* ------------------------------------------------------------ lunar calendar */

static void test_lunar_new_year(void **state)
{
	(void)state;
	static const struct { int y; const char *solar; } cases[] = {
		{ 2020, "2020-01-25" }, { 2023, "2023-01-22" }, { 2024, "2024-02-10" },
		{ 2025, "2025-01-29" }, { 2026, "2026-02-17" }, { 2027, "2027-02-06" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		solar_of_lunar(cases[i].y, 1, 1, 0, buf);
		assert_string_equal(buf, cases[i].solar);
		int ly, lm, ld, leap;
		int y, m, d;
		sscanf(cases[i].solar, "%d-%d-%d", &y, &m, &d);
		lunar_from_solar(y, m, d, &ly, &lm, &ld, &leap);
		assert_int_equal(ly, cases[i].y);
		assert_int_equal(lm, 1);
		assert_int_equal(ld, 1);
		assert_int_equal(leap, 0);
	}
	/* the day before Tet 2024 is 30 tháng Chạp of lunar 2023 */
	int ly, lm, ld, leap;
	lunar_from_solar(2024, 2, 9, &ly, &lm, &ld, &leap);
	assert_int_equal(ly, 2023);
	assert_int_equal(lm, 12);
	assert_int_equal(ld, 30);
	assert_int_equal(leap, 0);
}

static void test_hung_kings(void **state)
{
	(void)state;
	static const struct { int y; const char *solar; } cases[] = {
		{ 2023, "2023-04-29" }, { 2024, "2024-04-18" },
		{ 2025, "2025-04-07" }, { 2026, "2026-04-26" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		solar_of_lunar(cases[i].y, 3, 10, 0, buf);
		assert_string_equal(buf, cases[i].solar);
	}
}

static void test_lunar_leap_months(void **state)
{
	(void)state;
	char buf[32];
	solar_of_lunar(2023, 2, 1, 1, buf);
	assert_string_equal(buf, "2023-03-22");
	solar_of_lunar(2023, 2, 1, 0, buf);
	assert_string_equal(buf, "2023-02-20");
	solar_of_lunar(2023, 3, 1, 0, buf);
	assert_string_equal(buf, "2023-04-20");
	solar_of_lunar(2020, 4, 1, 1, buf);
	assert_string_equal(buf, "2020-05-23");
	solar_of_lunar(2020, 4, 1, 0, buf);
	assert_string_equal(buf, "2020-04-23");

	int ly, lm, ld, leap;
	lunar_from_solar(2023, 3, 22, &ly, &lm, &ld, &leap);
	assert_int_equal(ly, 2023);
	assert_int_equal(lm, 2);
	assert_int_equal(ld, 1);
	assert_int_equal(leap, 1);
	lunar_from_solar(2020, 5, 23, &ly, &lm, &ld, &leap);
	assert_int_equal(ly, 2020);
	assert_int_equal(lm, 4);
	assert_int_equal(ld, 1);
	assert_int_equal(leap, 1);

	/* non-existent lunar dates */
	int y, m, d;
	assert_int_equal(lunar_to_solar(2024, 2, 1, 1, &y, &m, &d), -1); /* 2024 has no leap */
	assert_int_equal(lunar_to_solar(2023, 3, 1, 1, &y, &m, &d), -1); /* 2023 leap is 2 */
	assert_int_equal(lunar_to_solar(2024, 13, 1, 0, &y, &m, &d), -1);
	assert_int_equal(lunar_to_solar(2024, 1, 31, 0, &y, &m, &d), -1);
	assert_int_equal(lunar_to_solar(2024, 1, 0, 0, &y, &m, &d), -1);
	/* lunar 12 of 2025 (Ất Tỵ) has 29 days: Tet 2026 eve is 29 tháng Chạp */
	lunar_from_solar(2026, 2, 16, &ly, &lm, &ld, &leap);
	assert_int_equal(ly, 2025);
	assert_int_equal(lm, 12);
	assert_int_equal(ld, 29);
	assert_int_equal(lunar_to_solar(2025, 12, 30, 0, &y, &m, &d), -1);
	assert_int_equal(lunar_to_solar(2023, 12, 30, 0, &y, &m, &d), 0);
	assert_int_equal(cal_day_from_ymd(y, m, d), cal_day_from_ymd(2024, 2, 9));
}

static void test_lunar_round_trip(void **state)
{
	(void)state;
	int32_t from = cal_day_from_ymd(2000, 1, 1), to = cal_day_from_ymd(2040, 12, 31);
	int pld = 0, leaps = 0;
	for (int32_t day = from; day <= to; day++) {
		int y, m, d, ly, lm, ld, leap, y2 = 0, m2 = 0, d2 = 0;
		cal_ymd_from_day(day, &y, &m, &d);
		lunar_from_solar(y, m, d, &ly, &lm, &ld, &leap);
		assert_true(lm >= 1 && lm <= 12);
		assert_true(ld >= 1 && ld <= 30);
		if (day > from)
			assert_true(ld == pld + 1 || (ld == 1 && (pld == 29 || pld == 30)));
		pld = ld;
		if (leap && ld == 1)
			leaps++;
		if (lunar_to_solar(ly, lm, ld, leap, &y2, &m2, &d2) != 0)
			fail_msg("lunar %d/%d/%d%s of %04d-%02d-%02d does not convert back", ld, lm, ly,
				 leap ? " leap" : "", y, m, d);
		if (cal_day_from_ymd(y2, m2, d2) != day)
			fail_msg("%04d-%02d-%02d -> lunar %d/%d/%d -> %04d-%02d-%02d", y, m, d, ld, lm, ly,
				 y2, m2, d2);
	}
	/* 41 years hold 15 leap months (Metonic cycle: 7 per 19 years) */
	assert_int_equal(leaps, 15);
}

/* ------------------------------------------------------------------ holidays */

static void check_holidays(int year, const char *const expect[], int nexpect)
{
	struct cal_holiday h[64];
	int n = cal_generate_holidays(year, h, 64);
	char buf[32];
	for (int i = 0; i < n && i < nexpect; i++)
		if (strcmp(day_str(h[i].day, buf), expect[i]) != 0)
			fail_msg("holiday %d of %d: got %s (%s), want %s", i, year, buf, h[i].name, expect[i]);
	assert_int_equal(n, nexpect);
	for (int i = 0; i < n; i++)
		assert_int_equal(h[i].kind, CAL_OFF);
}

static void test_holidays_2024(void **state)
{
	(void)state;
	static const char *const expect[] = {
		"2024-01-01",
		"2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13",
		"2024-02-14", "2024-02-15", /* compensating Sat 10 and Sun 11 */
		"2024-04-18", "2024-04-30", "2024-05-01",
		"2024-09-02", "2024-09-03", /* 2/9 is a Monday: adjacent day 3/9 */
	};
	check_holidays(2024, expect, (int)(sizeof expect / sizeof expect[0]));
	struct cal_holiday h[64];
	int n = cal_generate_holidays(2024, h, 64);
	assert_string_equal(h[0].name, "Tết Dương lịch");
	assert_string_equal(h[1].name, "Tết Nguyên Đán (30 tháng Chạp)");
	assert_string_equal(h[2].name, "Tết Nguyên Đán (mùng 1)");
	assert_string_equal(h[5].name, "Tết Nguyên Đán (mùng 4)");
	assert_non_null(strstr(h[6].name, "Nghỉ bù"));
	assert_non_null(strstr(h[6].name, "mùng 1"));
	assert_non_null(strstr(h[7].name, "mùng 2"));
	assert_non_null(strstr(h[8].name, "Hùng Vương"));
	assert_non_null(strstr(h[11].name, "Quốc khánh"));
	assert_int_equal(n, 13);
}

static void test_holidays_2025(void **state)
{
	(void)state;
	static const char *const expect[] = {
		"2025-01-01",
		"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01",
		"2025-02-03", /* mùng 4 on Saturday 1/2 -> Monday 3/2 */
		"2025-04-07", "2025-04-30", "2025-05-01",
		"2025-09-01", "2025-09-02", /* 2/9 is a Tuesday: adjacent day 1/9 */
	};
	check_holidays(2025, expect, (int)(sizeof expect / sizeof expect[0]));
	struct cal_holiday h[64];
	cal_generate_holidays(2025, h, 64);
	assert_string_equal(h[1].name, "Tết Nguyên Đán (29 tháng Chạp)");
}

static void test_holidays_2026(void **state)
{
	(void)state;
	static const char *const expect[] = {
		"2026-01-01",
		"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
		"2026-04-26", "2026-04-27", /* Hung Kings day on Sunday -> Monday */
		"2026-04-30", "2026-05-01",
		"2026-09-02", "2026-09-03",
	};
	check_holidays(2026, expect, (int)(sizeof expect / sizeof expect[0]));
	struct cal_holiday h[64];
	cal_generate_holidays(2026, h, 64);
	assert_string_equal(h[1].name, "Tết Nguyên Đán (29 tháng Chạp)");
	assert_non_null(strstr(h[7].name, "Nghỉ bù"));
	assert_non_null(strstr(h[7].name, "Hùng Vương"));
}

static void test_holidays_chain(void **state)
{
	(void)state;
	/* 2022: 1/1 Saturday -> Monday 3/1; 30/4 Sat and 1/5 Sun -> 2/5 Mon and 3/5 Tue */
	struct cal_holiday h[64];
	int n = cal_generate_holidays(2022, h, 64);
	assert_true(has_day(h, n, 2022, 1, 3));
	assert_true(has_day(h, n, 2022, 5, 2));
	assert_true(has_day(h, n, 2022, 5, 3));
	assert_false(has_day(h, n, 2022, 5, 4));
	/* 2021: 2/9 Thursday, 3/9 Friday: no compensation needed */
	n = cal_generate_holidays(2021, h, 64);
	assert_true(has_day(h, n, 2021, 9, 3));
	assert_false(has_day(h, n, 2021, 9, 6));
}

static void test_holidays_invariants(void **state)
{
	(void)state;
	for (int year = 1990; year <= 2060; year++) {
		struct cal_holiday h[64];
		int n = cal_generate_holidays(year, h, 64);
		assert_true(n >= 10 && n <= 20); /* Hung Kings day may coincide with 30/4 */
		for (int i = 0; i < n; i++) {
			assert_int_equal(h[i].kind, CAL_OFF);
			assert_true(memchr(h[i].name, '\0', sizeof h[i].name) != NULL);
			assert_true(strlen(h[i].name) > 0);
			assert_true(utf8_valid(h[i].name));
			if (i > 0)
				assert_true(h[i - 1].day < h[i].day);
			int y, m, d;
			cal_ymd_from_day(h[i].day, &y, &m, &d);
			assert_int_equal(y, year);
			/* every weekend holiday is compensated by a later weekday holiday */
			int w = cal_weekday(h[i].day);
			if (strncmp(h[i].name, "Nghỉ bù", strlen("Nghỉ bù")) == 0)
				assert_true(w >= 1 && w <= 5);
		}
		int weekend = 0, comp = 0;
		for (int i = 0; i < n; i++) {
			int w = cal_weekday(h[i].day);
			weekend += (w == 0 || w == 6);
			comp += strncmp(h[i].name, "Nghỉ bù", strlen("Nghỉ bù")) == 0;
		}
		assert_int_equal(weekend, comp);
	}
	/* truncated output keeps the earliest days */
	struct cal_holiday h[3];
	assert_int_equal(cal_generate_holidays(2024, h, 3), 3);
	char buf[32];
	assert_string_equal(day_str(h[0].day, buf), "2024-01-01");
	assert_string_equal(day_str(h[2].day, buf), "2024-02-10");
	assert_int_equal(cal_generate_holidays(2024, h, 0), 0);
}

/* -------------------------------------------------------------- working time */

static void test_calendar_basics(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	assert_int_equal(cal_day_minutes(&c), 480);
	assert_null(cal_holiday_on(&c, cal_day_from_ymd(2024, 1, 1)));
	assert_true(cal_is_working_day(&c, cal_day_from_ymd(2024, 3, 11)));  /* Mon */
	assert_true(cal_is_working_day(&c, cal_day_from_ymd(2024, 3, 15)));  /* Fri */
	assert_false(cal_is_working_day(&c, cal_day_from_ymd(2024, 3, 16))); /* Sat */
	assert_false(cal_is_working_day(&c, cal_day_from_ymd(2024, 3, 17))); /* Sun */

	struct cal_holiday h[64];
	int n = cal_generate_holidays(2024, h, 64);
	push_day(h, &n, 2024, 5, 4, CAL_WORK, "Làm bù");
	c.days = h;
	c.ndays = n;
	for (int i = 0; i < n; i++) {
		const struct cal_holiday *f = cal_holiday_on(&c, h[i].day);
		assert_ptr_equal(f, &h[i]);
		assert_int_equal(cal_is_working_day(&c, h[i].day), h[i].kind == CAL_WORK);
	}
	assert_null(cal_holiday_on(&c, cal_day_from_ymd(2024, 3, 11)));
	assert_null(cal_holiday_on(&c, cal_day_from_ymd(2023, 12, 31)));
	assert_null(cal_holiday_on(&c, cal_day_from_ymd(2025, 1, 1)));
	assert_true(cal_is_working_day(&c, cal_day_from_ymd(2024, 5, 4)));   /* swapped Saturday */
	assert_false(cal_is_working_day(&c, cal_day_from_ymd(2024, 4, 30))); /* Tuesday holiday */
	c.pm_start = 12 * 60;
	c.pm_end = 18 * 60;
	assert_int_equal(cal_day_minutes(&c), 600);
}

static void test_next_working(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	assert_at(cal_next_working(&c, at(2024, 3, 11, 9, 0)), "2024-03-11 09:00");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 7, 30)), "2024-03-11 07:30");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 7, 29)), "2024-03-11 07:30");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 0, 0)), "2024-03-11 07:30");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 11, 29)), "2024-03-11 11:29");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 11, 30)), "2024-03-11 13:00");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 12, 15)), "2024-03-11 13:00");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 13, 0)), "2024-03-11 13:00");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 16, 59)), "2024-03-11 16:59");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 17, 0)), "2024-03-12 07:30");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 23, 59)), "2024-03-12 07:30");
	assert_at(cal_next_working(&c, at(2024, 3, 15, 17, 0)), "2024-03-18 07:30"); /* Fri -> Mon */
	assert_at(cal_next_working(&c, at(2024, 3, 16, 10, 0)), "2024-03-18 07:30"); /* Sat -> Mon */
	/* seconds inside a session are kept */
	int64_t t = at(2024, 3, 11, 9, 0) + 17;
	assert_int_equal(cal_next_working(&c, t), t);
	assert_int_equal(cal_next_working(&c, at(2024, 3, 11, 16, 59) + 59), at(2024, 3, 11, 16, 59) + 59);

	struct cal_holiday h[64];
	int n = cal_generate_holidays(2024, h, 64);
	c.days = h;
	c.ndays = n;
	assert_at(cal_next_working(&c, at(2024, 2, 8, 17, 0)), "2024-02-16 07:30");
	assert_at(cal_next_working(&c, at(2024, 2, 12, 9, 0)), "2024-02-16 07:30");
	push_day(h, &n, 2024, 5, 4, CAL_WORK, "Làm bù");
	c.days = h;
	c.ndays = n;
	assert_at(cal_next_working(&c, at(2024, 5, 3, 17, 30)), "2024-05-04 07:30");
	assert_at(cal_next_working(&c, at(2024, 5, 4, 12, 0)), "2024-05-04 13:00");
}

static void test_due_days(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	/* Mon 09:00 + 3 days: 150+240 Mon, 480 Tue, 480 Wed, 90 Thu -> Thu 09:00 */
	assert_at(cal_add_working(&c, at(2024, 3, 11, 9, 0), 3 * 480), "2024-03-14 09:00");
	/* after hours Monday: the day counts from Tuesday morning, ends Tuesday 17:00 */
	assert_at(cal_add_working(&c, at(2024, 3, 11, 18, 0), 480), "2024-03-12 17:00");
	/* Fri 16:00 + 1 day: 60 Fri, then 240 + 180 Mon -> Mon 16:00 */
	assert_at(cal_add_working(&c, at(2024, 3, 15, 16, 0), 480), "2024-03-18 16:00");
	/* received on Saturday: counted from Monday 07:30 */
	assert_at(cal_add_working(&c, at(2024, 3, 16, 10, 0), 480), "2024-03-18 17:00");
	assert_at(cal_add_working(&c, at(2024, 3, 16, 10, 0), 481), "2024-03-19 07:31");
	/* received at 07:30 sharp + 1 day: same day 17:00 */
	assert_at(cal_add_working(&c, at(2024, 3, 11, 7, 30), 480), "2024-03-11 17:00");
	/* zero minutes: the next working instant */
	assert_at(cal_add_working(&c, at(2024, 3, 11, 12, 0), 0), "2024-03-11 13:00");
	assert_at(cal_add_working(&c, at(2024, 3, 11, 10, 0), 0), "2024-03-11 10:00");
	assert_at(cal_add_working(&c, at(2024, 3, 15, 18, 0), 0), "2024-03-18 07:30");
}

static void test_due_hours(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	/* 10:30 + 4h: 60 min before lunch, 180 after -> 16:00 */
	assert_at(cal_add_working(&c, at(2024, 3, 11, 10, 30), 240), "2024-03-11 16:00");
	/* ending exactly on a session end stays there */
	assert_at(cal_add_working(&c, at(2024, 3, 11, 13, 0), 240), "2024-03-11 17:00");
	assert_at(cal_add_working(&c, at(2024, 3, 11, 16, 0), 60), "2024-03-11 17:00");
	assert_at(cal_add_working(&c, at(2024, 3, 11, 9, 0), 150), "2024-03-11 11:30");
	assert_at(cal_add_working(&c, at(2024, 3, 11, 9, 0), 151), "2024-03-11 13:01");
	assert_at(cal_add_working(&c, at(2024, 3, 11, 12, 0), 240), "2024-03-11 17:00");
	assert_at(cal_add_working(&c, at(2024, 3, 11, 16, 0), 61), "2024-03-12 07:31");
	/* Friday 17:00 end stays on Friday, not Monday */
	assert_at(cal_add_working(&c, at(2024, 3, 15, 7, 30), 480), "2024-03-15 17:00");
	assert_at(cal_add_working(&c, at(2024, 3, 14, 9, 0), 2 * 480 - 90), "2024-03-15 17:00");
	/* lunch break start counts from 13:00 */
	assert_at(cal_add_working(&c, at(2024, 3, 11, 11, 45), 30), "2024-03-11 13:30");
}

static void test_due_across_tet(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	struct cal_holiday h[64];
	c.days = h;
	c.ndays = cal_generate_holidays(2024, h, 64);
	/* Wed 7/2 09:00 + 5 days: 390 Wed, 480 Thu 8/2 (=870); 9..15/2 off and the
	 * weekend; 480 Fri 16/2 (=1350); 480 Mon 19/2 (=1830); 480 Tue 20/2 (=2310);
	 * 90 Wed 21/2 -> 09:00 */
	assert_at(cal_add_working(&c, at(2024, 2, 7, 9, 0), 5 * 480), "2024-02-21 09:00");
	/* Thursday 8/2 + 1 day jumps the whole block */
	assert_at(cal_add_working(&c, at(2024, 2, 8, 9, 0), 480), "2024-02-16 09:00");
	/* without holidays it would be Wednesday 14/2 */
	struct calendar plain;
	cal_init_default(&plain);
	assert_at(cal_add_working(&plain, at(2024, 2, 7, 9, 0), 5 * 480), "2024-02-14 09:00");
	assert_int_equal(cal_working_between(&c, at(2024, 2, 8, 17, 0), at(2024, 2, 16, 7, 30)), 0);
	assert_int_equal(cal_working_between(&c, at(2024, 2, 7, 9, 0), at(2024, 2, 21, 9, 0)), 2400);
}

static void test_due_across_may_day(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	struct cal_holiday h[64];
	int n = cal_generate_holidays(2024, h, 64);
	c.days = h;
	c.ndays = n;
	/* Fri 26/4 10:00 + 2 days: 90+240 Fri, 480 Mon 29/4 (=810), Tue/Wed off,
	 * 150 Thu 2/5 -> 10:00 */
	assert_at(cal_add_working(&c, at(2024, 4, 26, 10, 0), 2 * 480), "2024-05-02 10:00");
	/* + 3 days: ... 480 Thu (=1290), 150 Fri 3/5 -> 10:00 */
	assert_at(cal_add_working(&c, at(2024, 4, 26, 10, 0), 3 * 480), "2024-05-03 10:00");

	/* as published: Monday 29/4 off, Saturday 4/5 worked instead */
	push_day(h, &n, 2024, 4, 29, CAL_OFF, "Nghỉ hoán đổi");
	push_day(h, &n, 2024, 5, 4, CAL_WORK, "Làm bù");
	c.days = h;
	c.ndays = n;
	/* 330 Fri, Mon..Wed off, 480 Thu 2/5 (=810), 150 Fri 3/5 -> 10:00 */
	assert_at(cal_add_working(&c, at(2024, 4, 26, 10, 0), 2 * 480), "2024-05-03 10:00");
	/* + 3 days: ... 480 Fri (=1290), 150 Sat 4/5 -> 10:00 */
	assert_at(cal_add_working(&c, at(2024, 4, 26, 10, 0), 3 * 480), "2024-05-04 10:00");
	/* + 4 days: ... 480 Sat (=1770), Sun off, 150 Mon 6/5 -> 10:00 */
	assert_at(cal_add_working(&c, at(2024, 4, 26, 10, 0), 4 * 480), "2024-05-06 10:00");
	assert_int_equal(cal_working_between(&c, at(2024, 5, 4, 0, 0), at(2024, 5, 5, 0, 0)), 480);
}

static void test_due_large(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	/* 2000 working days without holidays are exactly 400 weeks:
	 * Monday 09:00 + 2000 days = Monday 09:00, 2800 calendar days later */
	int64_t t0 = at(2024, 3, 11, 9, 0);
	int64_t r = cal_add_working(&c, t0, (int64_t)2000 * 480);
	assert_int_equal(r, t0 + (int64_t)2800 * 86400);
	assert_int_equal(cal_working_between(&c, t0, r), (int64_t)2000 * 480);

	/* with real holidays for every year on the way */
	static struct cal_holiday h[64 * 12];
	int n = 0;
	for (int y = 2024; y < 2036; y++)
		n += cal_generate_holidays(y, h + n, 64);
	c.days = h;
	c.ndays = n;
	r = cal_add_working(&c, t0, (int64_t)2000 * 480);
	assert_int_equal(cal_minute_of(r), 9 * 60);
	assert_int_equal(cal_working_between(&c, t0, r), (int64_t)2000 * 480);
	assert_true(r > t0 + (int64_t)2800 * 86400);
	/* absurd values do not overflow */
	r = cal_add_working(&c, t0, INT64_MAX);
	assert_true(r > t0);
}

static void test_working_between(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	assert_int_equal(cal_working_between(&c, at(2024, 3, 11, 9, 0), at(2024, 3, 11, 9, 0)), 0);
	assert_int_equal(cal_working_between(&c, at(2024, 3, 11, 10, 0), at(2024, 3, 11, 9, 0)), 0);
	assert_int_equal(cal_working_between(&c, at(2024, 3, 11, 9, 0), at(2024, 3, 11, 10, 0)), 60);
	assert_int_equal(cal_working_between(&c, at(2024, 3, 11, 0, 0), at(2024, 3, 12, 0, 0)), 480);
	assert_int_equal(cal_working_between(&c, at(2024, 3, 11, 11, 0), at(2024, 3, 11, 13, 30)), 60);
	assert_int_equal(cal_working_between(&c, at(2024, 3, 15, 16, 0), at(2024, 3, 18, 8, 0)), 90);
	assert_int_equal(cal_working_between(&c, at(2024, 3, 16, 0, 0), at(2024, 3, 18, 0, 0)), 0);
	assert_int_equal(cal_working_between(&c, at(2024, 3, 11, 0, 0), at(2024, 3, 18, 0, 0)), 2400);
}

static void test_invariant_random(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	static struct cal_holiday h[64 * 3 + 4];
	int n = 0;
	for (int y = 2024; y <= 2026; y++)
		n += cal_generate_holidays(y, h + n, 64);
	push_day(h, &n, 2024, 5, 4, CAL_WORK, "Làm bù");
	push_day(h, &n, 2025, 2, 8, CAL_WORK, "Làm bù");
	c.days = h;
	c.ndays = n;

	uint64_t seed = 20240311;
	int32_t d0 = cal_day_from_ymd(2024, 1, 1);
	int checked = 0;
	while (checked < 2000) {
		int32_t day = d0 + (int32_t)(rnd(&seed) % 900);
		int minute = (int)(rnd(&seed) % 1440);
		int64_t t0 = cal_instant(day, minute) + (int64_t)(rnd(&seed) % 60);
		int inside = cal_next_working(&c, t0) == t0;
		int64_t m;
		switch (rnd(&seed) % 4) {
		case 0: m = (int64_t)(rnd(&seed) % 480); break;
		case 1: m = (int64_t)(rnd(&seed) % 30) * 480; break;
		case 2: m = (int64_t)(rnd(&seed) % 240) * 60; break;
		default: m = (int64_t)(rnd(&seed) % (480 * 40)); break;
		}
		int64_t r = cal_add_working(&c, t0, m);
		int64_t got = cal_working_between(&c, t0, r);
		if (got != m) {
			char a[32], b[32];
			fail_msg("t0 %s + %lld -> %s, between = %lld", fmt(t0, a), (long long)m, fmt(r, b),
				 (long long)got);
		}
		/* the result is inside a session or exactly on a session end, and
		 * (for m > 0) never on a session start */
		int64_t sod = r - cal_instant(cal_day_of(r), 0);
		assert_true(r >= t0);
		assert_true(cal_is_working_day(&c, cal_day_of(r)));
		assert_true(cal_next_working(&c, r) == r || sod == 690 * 60 || sod == 1020 * 60);
		if (m > 0)
			assert_true(sod != 450 * 60 && sod != 780 * 60);
		/* adding in two steps gives the same instant */
		int64_t half = m / 2;
		if (half > 0)
			assert_int_equal(cal_add_working(&c, cal_add_working(&c, t0, half), m - half), r);
		if (inside)
			checked++;
	}
}

static void test_custom_hours(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	c.am_start = 8 * 60;
	c.am_end = 12 * 60;
	c.pm_start = 13 * 60 + 30;
	c.pm_end = 17 * 60 + 30;
	assert_int_equal(cal_day_minutes(&c), 480);
	assert_at(cal_add_working(&c, at(2024, 3, 11, 11, 0), 120), "2024-03-11 14:30");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 7, 45)), "2024-03-11 08:00");
	/* a calendar with only a morning session */
	c.pm_start = c.pm_end = 0;
	assert_int_equal(cal_day_minutes(&c), 240);
	assert_at(cal_add_working(&c, at(2024, 3, 11, 11, 0), 120), "2024-03-12 09:00");
	assert_at(cal_next_working(&c, at(2024, 3, 11, 13, 0)), "2024-03-12 08:00");
}

static void test_timeliness(void **state)
{
	(void)state;
	int64_t due = at(2024, 3, 14, 9, 0);
	assert_int_equal(cal_timeliness(due, at(2024, 3, 13, 16, 0), 0), TL_EARLY);
	assert_int_equal(cal_timeliness(due, at(2024, 3, 14, 8, 0), 0), TL_ON_TIME);
	assert_int_equal(cal_timeliness(due, due, 0), TL_ON_TIME);
	assert_int_equal(cal_timeliness(due, due + 1, 0), TL_LATE);
	assert_int_equal(cal_timeliness(due, at(2024, 3, 14, 10, 0), 0), TL_LATE);
	assert_int_equal(cal_timeliness(due, at(2024, 3, 20, 10, 0), 0), TL_LATE);
	/* due at 17:00 and resolved at 00:30 local that day: same local day */
	int64_t due17 = at(2024, 3, 14, 17, 0);
	assert_int_equal(cal_timeliness(due17, at(2024, 3, 14, 0, 30), 0), TL_ON_TIME);
	assert_int_equal(cal_timeliness(due17, at(2024, 3, 13, 23, 59), 0), TL_EARLY);
	/* in progress */
	assert_int_equal(cal_timeliness(due, 0, due - 60), TL_NOT_DUE);
	assert_int_equal(cal_timeliness(due, 0, due), TL_NOT_DUE);
	assert_int_equal(cal_timeliness(due, 0, due + 1), TL_OVERDUE);
	assert_string_equal(cal_timeliness_name(TL_NOT_DUE), "not yet due");
	assert_string_equal(cal_timeliness_name(TL_OVERDUE), "overdue");
	assert_string_equal(cal_timeliness_name(TL_EARLY), "early");
	assert_string_equal(cal_timeliness_name(TL_ON_TIME), "on time");
	assert_string_equal(cal_timeliness_name(TL_LATE), "late");
	assert_non_null(cal_timeliness_name(0));
}

/* an appointment as typed in the CLI and the UI: both date forms, a date alone is the
 * end of that working day, blanks ignored, nonsense refused */
static void test_parse_appointment(void **state)
{
	(void)state;
	struct calendar c;
	cal_init_default(&c);
	int64_t t, want;
	assert_int_equal(cal_parse("2024-04-10 17:00", &want), 0);
	assert_int_equal(cal_parse_appointment(&c, "2024-04-10", &t), 0);
	assert_true(t == want);
	assert_int_equal(cal_parse_appointment(&c, "  10/04/2024 ", &t), 0);
	assert_true(t == want);
	assert_int_equal(cal_parse("2024-04-10 09:15", &want), 0);
	assert_int_equal(cal_parse_appointment(&c, "10/04/2024 09:15", &t), 0);
	assert_true(t == want);
	assert_int_equal(cal_parse_appointment(&c, "2024-04-10 09:15", &t), 0);
	assert_true(t == want);
	assert_int_equal(cal_parse_appointment(&c, "", &t), -1);
	assert_int_equal(cal_parse_appointment(&c, "31/02/2024", &t), -1);
	assert_int_equal(cal_parse_appointment(&c, "10/04/2024 25:00", &t), -1);
	assert_int_equal(cal_parse_appointment(&c, "tomorrow", &t), -1);
}


/* ------------------------------------------------- provisional years, no gap, cut-off */

static struct calendar covered(struct cal_holiday *h, int n)
{
	struct calendar c;
	cal_init_default(&c);
	c.days = h;
	c.ndays = n;
	c.cover = calloc(1, sizeof *c.cover);
	assert_non_null(c.cover);
	return c;
}

/* a year without a schedule is generated the first time a computation reaches it */
static void test_provisional_on_demand(void **state)
{
	(void)state;
	struct cal_holiday h[4];
	int n = 0;
	push_day(h, &n, 2028, 12, 29, CAL_OFF, "ngày nghỉ thử");
	struct calendar c = covered(h, n);
	c.cover->year[2028 - CAL_YEAR_MIN] = CAL_YEAR_ANNOUNCED;
	assert_int_equal(cal_year_state(&c, 2029), CAL_YEAR_NONE);
	/* Thu 28/12/2028 10:00, 3 days: Fri 29 off (announced), 1/1/2029 off (generated) */
	assert_at(cal_add_working(&c, at(2028, 12, 28, 10, 0), 3 * 480), "2029-01-04 10:00");
	assert_int_equal(cal_year_state(&c, 2029), CAL_YEAR_GENERATED);
	assert_false(cal_is_working_day(&c, cal_day_from_ymd(2029, 1, 1)));
	/* Tết 2029 (mùng 1 = Tue 13/02/2029) is there too, and 30/4, 1/5, 2/9 */
	assert_false(cal_is_working_day(&c, cal_day_from_ymd(2029, 2, 13)));
	assert_false(cal_is_working_day(&c, cal_day_from_ymd(2029, 4, 30)));
	assert_false(cal_is_working_day(&c, cal_day_from_ymd(2029, 5, 1)));
	/* an announced year is exactly its days: nothing generated into 2028 */
	assert_true(cal_is_working_day(&c, cal_day_from_ymd(2028, 5, 1)));
	assert_int_equal(cal_year_state(&c, 2028), CAL_YEAR_ANNOUNCED);
	/* a provisional year in the store is its stored days too */
	c.cover->year[2030 - CAL_YEAR_MIN] = CAL_YEAR_PROVISIONAL;
	assert_true(cal_is_working_day(&c, cal_day_from_ymd(2030, 1, 1)));
	cal_cover_free(c.cover);
}

/* no calendar gap: a long due date counts every year it crosses with its holidays */
static void test_no_gap(void **state)
{
	(void)state;
	struct calendar c = covered(NULL, 0), bare;
	cal_init_default(&bare);
	int64_t t = at(2027, 6, 1, 8, 0);
	int64_t withh = cal_add_working(&c, t, (int64_t)700 * 480), without = cal_add_working(&bare, t, (int64_t)700 * 480);
	/* 700 working days cross 2027, 2028 and 2029: about 11 days off a year more */
	assert_true(withh > without);
	assert_true(cal_working_between(&bare, without, withh) >= 25 * 480);
	for (int y = 2027; y <= 2029; y++)
		assert_int_equal(cal_year_state(&c, y), CAL_YEAR_GENERATED);
	/* every generated day off agrees with the generator */
	struct cal_holiday g[48];
	int k = cal_generate_holidays(2029, g, 48);
	for (int i = 0; i < k; i++)
		assert_false(cal_is_working_day(&c, g[i].day));
	/* the same count backwards: working time between equals what was added */
	assert_int_equal(cal_working_between(&c, t, withh), (int64_t)700 * 480);
	cal_cover_free(c.cover);
}

/* "trong ngày; sau 15 giờ thì ngày làm việc tiếp theo" */
static void test_cutoff(void **state)
{
	(void)state;
	struct cal_holiday h[4];
	int n = 0;
	push_day(h, &n, 2026, 8, 22, CAL_WORK, "Làm bù");
	push_day(h, &n, 2026, 8, 31, CAL_OFF, "Hoán đổi");
	push_day(h, &n, 2026, 9, 1, CAL_OFF, "Quốc khánh");
	push_day(h, &n, 2026, 9, 2, CAL_OFF, "Quốc khánh");
	struct calendar c;
	cal_init_default(&c);
	c.days = h;
	c.ndays = n;
	const int cut = 15 * 60, day = 480;
	/* before the cut-off: the end of that working day */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 9, 10), day, cut, 1), "2026-08-20 17:00");
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 14, 59), day, cut, 1), "2026-08-20 17:00");
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 6, 0), day, cut, 1), "2026-08-20 17:00");
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 12, 0), day, cut, 1), "2026-08-20 17:00");
	/* at or after it: the end of the next working day */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 15, 0), day, cut, 1), "2026-08-21 17:00");
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 18, 30), day, cut, 1), "2026-08-21 17:00");
	/* Friday after 15:00: the working Saturday 22/08 */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 21, 16, 0), day, cut, 1), "2026-08-22 17:00");
	/* the working Saturday before the cut-off: that Saturday */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 22, 9, 0), day, cut, 1), "2026-08-22 17:00");
	/* Friday 28/08 after 15:00: 31/08-02/09 off, then Thursday 03/09 */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 28, 15, 30), day, cut, 1), "2026-09-03 17:00");
	/* received on a day off (Sunday, a holiday): the end of the next working day */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 23, 10, 0), day, cut, 1), "2026-08-24 17:00");
	assert_at(cal_add_with_cutoff(&c, at(2026, 9, 1, 10, 0), day, cut, 1), "2026-09-03 17:00");
	/* 3 days with a cut-off: the receipt day counts as the first */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 18, 10, 0), 3 * day, cut, 1), "2026-08-20 17:00");
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 18, 16, 0), 3 * day, cut, 1), "2026-08-21 17:00");
	/* hours: before the cut-off from the receipt, after it from the next morning */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 10, 0), 240, cut, 0), "2026-08-20 15:30");
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 15, 30), 240, cut, 0), "2026-08-21 11:30");
	/* no cut-off: plain working time */
	assert_at(cal_add_with_cutoff(&c, at(2026, 8, 20, 15, 30), day, 0, 1), "2026-08-21 15:30");
}

/* the shipped schedules parse; a row of late December belongs to next year's schedule */
static void test_shipped_schedule(void **state)
{
	(void)state;
	const struct embedded *f = embedded_find(HOLIDAYS_SHIPPED);
	assert_non_null(f);
	struct cal_day_row *r;
	int n;
	struct err e = {0};
	assert_int_equal(holidays_parse(f->text, f->len, "shipped", &r, &n, &e), 0);
	int off = 0, work = 0, y2018 = -1;
	for (int i = 0; i < n; i++) {
		char b[32];
		if (!strcmp(day_str(r[i].day, b), "2018-12-31"))
			y2018 = r[i].year;
		if (r[i].year >= 2024 && r[i].year <= 2026) {
			off += r[i].kind == CAL_OFF;
			work += r[i].kind == CAL_WORK;
			assert_true(r[i].reason[0] && r[i].instrument[0]);
		}
	}
	assert_int_equal(y2018, 2019);
	assert_int_equal(off, 12 + 12 + 13);
	assert_int_equal(work, 1 + 1 + 2);
	free(r);
	static const char *bad[] = {
		"date,kind,reason\n2026-08-24,work,Thứ Hai\n",           /* a working weekday */
		"date,kind,reason\n2026-08-31,off,A\n2026-08-31,off,B\n", /* twice */
		"date,kind,reason\n2026-02-30,off,A\n",                   /* no such day */
		"date,kind,reason\n2026-08-31,holiday,A\n",               /* kind */
		"date,reason\n2026-08-31,A\n",                            /* no kind column */
		"date,kind,reason\n2026-08-31,off,\n",                    /* no reason */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&e, 0, sizeof e);
		assert_int_not_equal(holidays_parse(bad[i], strlen(bad[i]), "t.csv", &r, &n, &e), 0);
		assert_int_equal(e.code, MC_INVALID);
		assert_non_null(strstr(e.msg, "t.csv"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_dates),
		cmocka_unit_test(test_instants),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_lunar_new_year),
		cmocka_unit_test(test_hung_kings),
		cmocka_unit_test(test_lunar_leap_months),
		cmocka_unit_test(test_lunar_round_trip),
		cmocka_unit_test(test_holidays_2024),
		cmocka_unit_test(test_holidays_2025),
		cmocka_unit_test(test_holidays_2026),
		cmocka_unit_test(test_holidays_chain),
		cmocka_unit_test(test_holidays_invariants),
		cmocka_unit_test(test_calendar_basics),
		cmocka_unit_test(test_next_working),
		cmocka_unit_test(test_due_days),
		cmocka_unit_test(test_due_hours),
		cmocka_unit_test(test_due_across_tet),
		cmocka_unit_test(test_due_across_may_day),
		cmocka_unit_test(test_due_large),
		cmocka_unit_test(test_working_between),
		cmocka_unit_test(test_parse_appointment),
		cmocka_unit_test(test_invariant_random),
		cmocka_unit_test(test_custom_hours),
		cmocka_unit_test(test_timeliness),
		cmocka_unit_test(test_provisional_on_demand),
		cmocka_unit_test(test_no_gap),
		cmocka_unit_test(test_cutoff),
		cmocka_unit_test(test_shipped_schedule),
	};
	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
