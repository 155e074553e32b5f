/* test_charset.c - unit tests for src/charset.c (names, round trips through the
 * Vietnamese charsets, degradation, invalid input). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "charset.h"

/* "Nguyễn Văn Đức, Quảng Ninh, Sở Công Thương" */
#define SAMPLE "Nguy\xe1\xbb\x85n V\xc4\x83n \xc4\x90\xe1\xbb\xa9" "c, " \
	"Qu\xe1\xba\xa3ng Ninh, S\xe1\xbb\x9f C\xc3\xb4ng Th\xc6\xb0\xc6\xa1ng"
/* every tone on every vowel that takes one, both cases */
#define ALL_LOWER \
	"a\xc3\xa0\xe1\xba\xa3\xc3\xa3\xc3\xa1\xe1\xba\xa1 " \
	"\xc4\x83\xe1\xba\xb1\xe1\xba\xb3\xe1\xba\xb5\xe1\xba\xaf\xe1\xba\xb7 " \
	"\xc3\xa2\xe1\xba\xa7\xe1\xba\xa9\xe1\xba\xab\xe1\xba\xa5\xe1\xba\xad " \
	"e\xc3\xa8\xe1\xba\xbb\xe1\xba\xbd\xc3\xa9\xe1\xba\xb9 " \
	"\xc3\xaa\xe1\xbb\x81\xe1\xbb\x83\xe1\xbb\x85\xe1\xba\xbf\xe1\xbb\x87 " \
	"i\xc3\xac\xe1\xbb\x89\xc4\xa9\xc3\xad\xe1\xbb\x8b " \
	"o\xc3\xb2\xe1\xbb\x8f\xc3\xb5\xc3\xb3\xe1\xbb\x8d " \
	"\xc3\xb4\xe1\xbb\x93\xe1\xbb\x95\xe1\xbb\x97\xe1\xbb\x91\xe1\xbb\x99 " \
	"\xc6\xa1\xe1\xbb\x9d\xe1\xbb\x9f\xe1\xbb\xa1\xe1\xbb\x9b\xe1\xbb\xa3 " \
	"u\xc3\xb9\xe1\xbb\xa7\xc5\xa9\xc3\xba\xe1\xbb\xa5 " \
	"\xc6\xb0\xe1\xbb\xab\xe1\xbb\xad\xe1\xbb\xaf\xe1\xbb\xa9\xe1\xbb\xb1 " \
	"y\xe1\xbb\xb3\xe1\xbb\xb7\xe1\xbb\xb9\xc3\xbd\xe1\xbb\xb5 \xc4\x91"
#define ALL_UPPER \
	"A\xc3\x80\xe1\xba\xa2\xc3\x83\xc3\x81\xe1\xba\xa0 " \
	"\xc4\x82\xe1\xba\xb0\xe1\xba\xb2\xe1\xba\xb4\xe1\xba\xae\xe1\xba\xb6 " \
	"\xc3\x82\xe1\xba\xa6\xe1\xba\xa8\xe1\xba\xaa\xe1\xba\xa4\xe1\xba\xac " \
	"E\xc3\x88\xe1\xba\xba\xe1\xba\xbc\xc3\x89\xe1\xba\xb8 " \
	"\xc3\x8a\xe1\xbb\x80\xe1\xbb\x82\xe1\xbb\x84\xe1\xba\xbe\xe1\xbb\x86 " \
	"I\xc3\x8c\xe1\xbb\x88\xc4\xa8\xc3\x8d\xe1\xbb\x8a " \
	"O\xc3\x92\xe1\xbb\x8e\xc3\x95\xc3\x93\xe1\xbb\x8c " \
	"\xc3\x94\xe1\xbb\x92\xe1\xbb\x94\xe1\xbb\x96\xe1\xbb\x90\xe1\xbb\x98 " \
	"\xc6\xa0\xe1\xbb\x9c\xe1\xbb\x9e\xe1\xbb\xa0\xe1\xbb\x9a\xe1\xbb\xa2 " \
	"U\xc3\x99\xe1\xbb\xa6\xc5\xa8\xc3\x9a\xe1\xbb\xa4 " \
	"\xc6\xaf\xe1\xbb\xaa\xe1\xbb\xac\xe1\xbb\xae\xe1\xbb\xa8\xe1\xbb\xb0 " \
	"Y\xe1\xbb\xb2\xe1\xbb\xb6\xe1\xbb\xb8\xc3\x9d\xe1\xbb\xb4 \xc4\x90"

static struct charset *open_ok(const char *name)
{
	char msg[128];
	struct charset *cs = charset_open(name, msg, sizeof msg);
	if (!cs)
		fail_msg("charset_open(%s): %s", name, msg);
	return cs;
}

static void round_trip(const char *name, const char *text)
{
	char enc[512], back[512];
	struct charset *cs = open_ok(name);
	size_t n = charset_from_utf8(cs, text, enc, sizeof enc);
	assert_true(n > 0);
	assert_int_equal(strlen(enc), n);
	assert_null(memchr(enc, '?', n));
	int m = charset_to_utf8(cs, enc, n, back, sizeof back);
	if (m < 0 || strcmp(back, text))
		fail_msg("%s round trip: got '%s' (%d), want '%s'", name, back, m, text);
	assert_int_equal((size_t)m, strlen(text));
	charset_close(cs);
}

static void t_names(void **st)
{
	const char *ok[] = { "UTF-8", "utf8", "VISCII", "viscii", "TCVN5712-1", "tcvn",
			     "CP1258", "cp1258", "windows-1258", "Windows-1258", "CP1252",
			     "ISO-8859-1", "latin1", "ANSI_X3.4-1968" };
	char msg[128];
	struct charset *cs;
	(void)st;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		cs = open_ok(ok[i]);
		charset_close(cs);
	}
	cs = open_ok("windows-1258");
	assert_string_equal(charset_name(cs), "CP1258");
	assert_false(charset_is_utf8(cs));
	charset_close(cs);
	cs = open_ok("utf8");
	assert_string_equal(charset_name(cs), "UTF-8");
	assert_true(charset_is_utf8(cs));
	charset_close(cs);
	cs = open_ok("tcvn");
	assert_string_equal(charset_name(cs), "TCVN5712-1");
	charset_close(cs);

	assert_null(charset_open("klingon", msg, sizeof msg));
	assert_string_equal(msg, "unknown encoding 'klingon' (known: utf-8, viscii, "
			    "tcvn5712-1, cp1258)");
	assert_null(charset_open(NULL, msg, sizeof msg));
	charset_close(NULL);
}

static void t_round_trips(void **st)
{
	(void)st;
	const char *names[] = { "VISCII", "TCVN5712-1", "CP1258", "UTF-8" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		round_trip(names[i], SAMPLE);
		round_trip(names[i], ALL_LOWER);
		round_trip(names[i], ALL_UPPER);
	}
}

static void t_known_bytes(void **st)
{
	char out[64];
	struct charset *cs;
	(void)st;
	cs = open_ok("CP1258");
	/* CP1258 writes ễ as ê + combining tilde (0xEA 0xDE) */
	assert_int_equal(charset_from_utf8(cs, "\xe1\xbb\x85", out, sizeof out), 2);
	assert_memory_equal(out, "\xea\xde", 3);
	/* and reads it back precomposed, also at the very end of input (flush) */
	assert_int_equal(charset_to_utf8(cs, "\xea\xde", 2, out, sizeof out), 3);
	assert_string_equal(out, "\xe1\xbb\x85");
	assert_int_equal(charset_to_utf8(cs, "Nguy\xea\xden", 7, out, sizeof out), 8);
	assert_string_equal(out, "Nguy\xe1\xbb\x85n");
	/* a base letter pending when the input ends is not lost */
	assert_int_equal(charset_to_utf8(cs, "ab", 2, out, sizeof out), 2);
	assert_string_equal(out, "ab");
	charset_close(cs);

	/* NFD input is normalised before encoding */
	cs = open_ok("TCVN5712-1");
	char a[32], b[32];
	charset_from_utf8(cs, "Nguy\xe1\xbb\x85n", a, sizeof a);
	charset_from_utf8(cs, "Nguye\xcc\x82\xcc\x83n", b, sizeof b);
	assert_string_equal(a, b);
	assert_string_equal(a, "Nguy\xd4n");
	charset_close(cs);
}

static void t_degrade(void **st)
{
	char out[64];
	struct charset *cs;
	(void)st;
	cs = open_ok("CP1252");
	charset_from_utf8(cs, "\xc4\x90\xe1\xbb\xa9" "c", out, sizeof out);
	assert_string_equal(out, "Duc");
	/* what CP1252 has is kept: à stays (0xE0), ễ degrades, Ð/đ -> D/d */
	charset_from_utf8(cs, "H\xc3\xa0 Nguy\xe1\xbb\x85n \xc4\x91i", out, sizeof out);
	assert_string_equal(out, "H\xe0 Nguyen di");
	/* no base letter at all -> '?'; invalid UTF-8 -> '?' */
	charset_from_utf8(cs, "a\xe4\xb8\xad" "b\xff" "c", out, sizeof out);
	assert_string_equal(out, "a?b?c");
	charset_close(cs);

	cs = open_ok("ISO-8859-1");
	charset_from_utf8(cs, "\xc4\x90\xe1\xbb\xa9" "c \xe1\xbb\x9f", out, sizeof out);
	assert_string_equal(out, "Duc o");
	/* the euro sign has no base letter: '?' */
	charset_from_utf8(cs, "5\xe2\x82\xac", out, sizeof out);
	assert_string_equal(out, "5?");
	charset_close(cs);

	cs = open_ok("ascii");
	charset_from_utf8(cs, SAMPLE, out, sizeof out);
	assert_string_equal(out, "Nguyen Van Duc, Quang Ninh, So Cong Thuong");
	/* compatibility forms expand: the fi ligature */
	charset_from_utf8(cs, "\xef\xac\x81le", out, sizeof out);
	assert_string_equal(out, "file");
	charset_close(cs);

	/* VISCII lacks most non-Vietnamese letters */
	cs = open_ok("VISCII");
	charset_from_utf8(cs, "\xc3\xa7", out, sizeof out);	/* ç */
	assert_string_equal(out, "c");
	charset_close(cs);
}

static void t_truncation(void **st)
{
	char out[8];
	struct charset *cs;
	(void)st;
	cs = open_ok("CP1258");
	/* "ễễễễ" is 2 bytes each in CP1258: 7 bytes of room hold 3 */
	assert_int_equal(charset_from_utf8(cs, "\xe1\xbb\x85\xe1\xbb\x85\xe1\xbb\x85\xe1\xbb\x85",
					   out, sizeof out), 6);
	assert_memory_equal(out, "\xea\xde\xea\xde\xea\xde", 7);
	charset_close(cs);
	cs = open_ok("UTF-8");
	assert_int_equal(charset_from_utf8(cs, "abcde\xe1\xbb\x85", out, sizeof out), 5);
	assert_string_equal(out, "abcde");
	assert_int_equal(charset_to_utf8(cs, "abcdefgh", 8, out, sizeof out), -2);
	assert_string_equal(out, "");
	charset_close(cs);
}

static void t_to_utf8(void **st)
{
	char out[64];
	struct charset *cs;
	(void)st;
	/* CP1252 Ð/ð (0xD0/0xF0) are taken as Đ/đ */
	cs = open_ok("CP1252");
	assert_int_equal(charset_to_utf8(cs, "\xd0\xf0", 2, out, sizeof out), 4);
	assert_string_equal(out, "\xc4\x90\xc4\x91");
	/* 0x81 is undefined in CP1252 */
	assert_int_equal(charset_to_utf8(cs, "a\x81", 2, out, sizeof out), -1);
	/* NUL bytes are refused */
	assert_int_equal(charset_to_utf8(cs, "a\0b", 3, out, sizeof out), -1);
	charset_close(cs);

	cs = open_ok("CP1258");
	assert_int_equal(charset_to_utf8(cs, "\x81", 1, out, sizeof out), -1);
	assert_int_equal(charset_to_utf8(cs, "", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
	charset_close(cs);

	/* UTF-8 "charset": validated and NFC'd */
	cs = open_ok("UTF-8");
	assert_int_equal(charset_to_utf8(cs, "\xc3\x28", 2, out, sizeof out), -1);
	assert_int_equal(charset_to_utf8(cs, "\xed\xa0\x80", 3, out, sizeof out), -1);
	assert_int_equal(charset_to_utf8(cs, "e\xcc\x82\xcc\x83", 5, out, sizeof out), 3);
	assert_string_equal(out, "\xe1\xbb\x85");
	charset_close(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_names),
		cmocka_unit_test(t_round_trips),
		cmocka_unit_test(t_known_bytes),
		cmocka_unit_test(t_degrade),
		cmocka_unit_test(t_truncation),
		cmocka_unit_test(t_to_utf8),
	};
	return cmocka_run_group_tests_name("charset", tests, NULL, NULL);
}
