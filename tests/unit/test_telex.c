/* test_telex.c - unit tests for src/telex.c: keys are fed one by one the way the
 * UI does (insert the key itself when telex_apply returns 0). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "telex.h"

static void type_into(char *buf, size_t bufsz, const char *keys)
{
	for (const char *k = keys; *k; k++) {
		if (!telex_apply(buf, bufsz, (unsigned char)*k)) {
			size_t n = strlen(buf);
			if (n + 1 < bufsz) {
				buf[n] = *k;
				buf[n + 1] = '\0';
			}
		}
	}
}

static void check(const char *keys, const char *want)
{
	char buf[256] = "";
	type_into(buf, sizeof buf, keys);
	if (strcmp(buf, want))
		fail_msg("typing '%s' gave '%s', want '%s'", keys, buf, want);
}

static void t_words(void **st)
{
	(void)st;
	check("Nguyeenx", "Nguy\xe1\xbb\x85n");			/* Nguyễn */
	check("Vawn", "V\xc4\x83n");				/* Văn */
	check("DDuwcs", "\xc4\x90\xe1\xbb\xa9" "c");		/* Đức */
	check("ddaays", "\xc4\x91\xe1\xba\xa5y");		/* đấy */
	check("tieengs", "ti\xe1\xba\xbfng");			/* tiếng */
	check("vieetj", "vi\xe1\xbb\x87t");			/* việt */
	check("quyeets", "quy\xe1\xba\xbft");			/* quyết */
	check("giuwax", "gi\xe1\xbb\xaf" "a");			/* giữa */
	check("nuwowcs", "n\xc6\xb0\xe1\xbb\x9b" "c");		/* nước */
	check("nguowif", "ng\xc6\xb0\xe1\xbb\x9di");		/* người */
	check("quoocs", "qu\xe1\xbb\x91" "c");			/* quốc */
	check("giuwowngf", "gi\xc6\xb0\xe1\xbb\x9dng");	/* giường */
	check("tooi", "t\xc3\xb4i");				/* tôi */
	check("ddi", "\xc4\x91i");				/* đi */
	check("muwa", "m\xc6\xb0" "a");				/* mưa */
	check("muaw", "m\xc6\xb0" "a");				/* mưa, w later */
	check("hoawcj", "ho\xe1\xba\xb7" "c");			/* hoặc */
	check("thuowr", "thu\xe1\xbb\x9f");			/* thuở */
	check("nhw", "nh\xc6\xb0");				/* như */
	check("w", "\xc6\xb0");					/* ư */
	check("Sowr Coong Thuwowng",
	      "S\xe1\xbb\x9f C\xc3\xb4ng Th\xc6\xb0\xc6\xa1ng");	/* Sở Công Thương */
	check("Nguyeenx Vawn DDuwcs",
	      "Nguy\xe1\xbb\x85n V\xc4\x83n \xc4\x90\xe1\xbb\xa9" "c");
}

static void t_tone_placement(void **st)
{
	(void)st;
	check("hoaf", "h\xc3\xb2" "a");				/* hòa (classic) */
	check("thuyr", "th\xe1\xbb\xa7y");			/* thủy (classic) */
	check("khoer", "kh\xe1\xbb\x8f" "e");			/* khỏe (classic) */
	check("muaf", "m\xc3\xb9" "a");				/* mùa */
	check("quys", "qu\xc3\xbd");				/* quý */
	check("gias", "gi\xc3\xa1");				/* giá */
	check("gif", "g\xc3\xac");				/* gì */
	check("ngoaif", "ngo\xc3\xa0i");			/* ngoài */
	check("khuyur", "khu\xe1\xbb\xb7u");			/* khuỷu */
	check("hoangf", "ho\xc3\xa0ng");			/* hoàng */
	check("thuyeenf", "thuy\xe1\xbb\x81n");			/* thuyền */
	/* the tone moves as letters arrive */
	check("toans", "to\xc3\xa1n");				/* toán */
	check("hoafn", "ho\xc3\xa0n");				/* hoàn */
	check("tiesng", "ti\xc3\xa9ng");			/* tiéng */
	check("tiesnge", "ti\xe1\xba\xbfng");			/* tiếng, ê later */
	check("vietej", "vi\xe1\xbb\x87t");			/* việt, free order */
	check("dungd", "\xc4\x91ung");				/* đung, d later */
	/* changing and removing the tone */
	check("asf", "\xc3\xa0");
	check("asz", "a");
	check("z", "z");
}

static void t_undo_and_case(void **st)
{
	(void)st;
	check("aaa", "aa");
	check("aww", "aw");
	check("ooo", "oo");
	check("ass", "as");
	check("ddd", "dd");
	check("uww", "uw");
	check("xooong", "xoong");
	check("NGUYEENX", "NGUY\xe1\xbb\x84N");			/* NGUYỄN */
	check("DDD", "DD");
	check("Dd", "\xc4\x90");
	check("dD", "\xc4\x91");
	check("TOANS", "TO\xc3\x81N");
	check("aA", "\xc3\xa2");
}

static void t_left_alone(void **st)
{
	(void)st;
	check("class", "class");
	check("hello", "hello");
	check("x1as", "x1as");
	check("QD12aa", "QD12aa");
	check("abc@dd", "abc@\xc4\x91");	/* only the word after the @ */
	check("www", "uww");		/* "ư", undo to "uw", then literal */
	check("fas", "fas");
	check("jaa", "jaa");
	/* foreign letters are never touched */
	char buf[64] = "\xc3\xbc";		/* ü */
	assert_int_equal(telex_apply(buf, sizeof buf, 's'), 0);
	assert_string_equal(buf, "\xc3\xbc");
	/* non-letter keys are always the caller's */
	strcpy(buf, "a");
	assert_int_equal(telex_apply(buf, sizeof buf, ' '), 0);
	assert_int_equal(telex_apply(buf, sizeof buf, '1'), 0);
	assert_int_equal(telex_apply(buf, sizeof buf, 0x1EA1), 0);
	assert_string_equal(buf, "a");
}

static void t_buffer_limits(void **st)
{
	char buf[4] = "a";
	(void)st;
	/* "â" is 2 bytes + NUL */
	assert_int_equal(telex_apply(buf, sizeof buf, 'a'), 1);
	assert_string_equal(buf, "\xc3\xa2");
	/* "ấ" is 3 bytes + NUL = 4: still fits */
	assert_int_equal(telex_apply(buf, sizeof buf, 's'), 1);
	assert_string_equal(buf, "\xe1\xba\xa5");
	/* "á" would need 3 bytes: not in a 2-byte buffer, buf untouched */
	char tiny[2] = "a";
	assert_int_equal(telex_apply(tiny, sizeof tiny, 's'), 0);
	assert_string_equal(tiny, "a");
	/* an unterminated buffer is refused */
	char full[2] = { 'a', 'a' };
	assert_int_equal(telex_apply(full, sizeof full, 's'), 0);
	/* words longer than any syllable are left alone */
	char longw[64] = "aaaaaaaaaaaaaaaaaaaaaa";
	assert_int_equal(telex_apply(longw, sizeof longw, 's'), 0);
}

static void t_apply_at(void **st)
{
	char buf[64] = "Vn Nam";
	size_t cur = 1;
	(void)st;
	/* cursor after "V": type "iee" -> "Viê", then j -> "Việ" (n follows the cursor) */
	const char *keys = "ieej";
	for (const char *k = keys; *k; k++) {
		if (!telex_apply_at(buf, sizeof buf, &cur, (unsigned char)*k)) {
			memmove(buf + cur + 1, buf + cur, strlen(buf + cur) + 1);
			buf[cur++] = *k;
		}
	}
	assert_string_equal(buf, "Vi\xe1\xbb\x87n Nam");
	assert_int_equal(cur, strlen("Vi\xe1\xbb\x87"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_words),
		cmocka_unit_test(t_tone_placement),
		cmocka_unit_test(t_undo_and_case),
		cmocka_unit_test(t_left_alone),
		cmocka_unit_test(t_buffer_limits),
		cmocka_unit_test(t_apply_at),
	};
	return cmocka_run_group_tests_name("telex", tests, NULL, NULL);
}
