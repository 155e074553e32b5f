/* test_text.c - unit tests for src/text.c (validation, cleaning, folding,
 * sanitising, widths). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "text.h"

/* "Nguyễn Văn Đức" in NFC and NFD */
#define NAME_NFC "Nguy\xe1\xbb\x85n V\xc4\x83n \xc4\x90\xe1\xbb\xa9" "c"
#define NAME_NFD "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n \xc4\x90u\xcc\x9b\xcc\x81" "c"

static void t_valid_utf8(void **st)
{
	(void)st;
	assert_true(text_valid_utf8("", 0));
	assert_true(text_valid_utf8(NAME_NFC, strlen(NAME_NFC)));
	assert_true(text_valid_utf8("\xf4\x8f\xbf\xbf", 4));		/* U+10FFFF */
	assert_false(text_valid_utf8("\xc3\x28", 2));
	assert_false(text_valid_utf8("\xc0\xaf", 2));			/* overlong '/' */
	assert_false(text_valid_utf8("\xe0\x80\xaf", 3));		/* overlong */
	assert_false(text_valid_utf8("\xf0\x80\x80\xaf", 4));		/* overlong */
	assert_false(text_valid_utf8("\xed\xa0\x80", 3));		/* surrogate */
	assert_false(text_valid_utf8("\xf4\x90\x80\x80", 4));		/* > U+10FFFF */
	assert_false(text_valid_utf8("\xe1\xbb", 2));			/* truncated */
	assert_false(text_valid_utf8("\xff", 1));
	/* the length is honoured: a sequence cut by n is truncated */
	assert_false(text_valid_utf8("\xc3\xa9", 1));
}

static void t_fold(void **st)
{
	char a[128], b[128];
	(void)st;
	text_fold(NAME_NFC, a, sizeof a);
	assert_string_equal(a, "nguyen van duc");
	text_fold(NAME_NFD, b, sizeof b);
	assert_string_equal(b, "nguyen van duc");

	text_fold("ho\xc3\xa0", a, sizeof a);		/* hoà */
	text_fold("h\xc3\xb2" "a", b, sizeof b);	/* hòa */
	assert_string_equal(a, b);
	assert_string_equal(a, "hoa");

	/* spaces collapse and trim; eth look-alikes; invalid bytes dropped */
	text_fold("  \xc3\x90\xe1\xbb\xa9" "c \t\xc2\xa0 TH\xc3\x80NH\xff ", a, sizeof a);
	assert_string_equal(a, "duc thanh");
	text_fold("\xc3\xb0i", a, sizeof a);
	assert_string_equal(a, "di");

	/* invisible format characters do not split search keys */
	text_fold("Ng\xe2\x80\x8buy\xef\xbb\xbf" "en", a, sizeof a);
	assert_string_equal(a, "nguyen");

	/* truncation keeps whole characters */
	text_fold(NAME_NFC, a, 6);
	assert_string_equal(a, "nguye");
	text_fold(NULL, a, sizeof a);
	assert_string_equal(a, "");
}

static void expect_clean_fail(const char *in, const char *part)
{
	char out[256], msg[256];
	strcpy(out, "junk");
	assert_int_equal(text_clean(in, "applicant name", 200, out, sizeof out,
				    msg, sizeof msg), -1);
	assert_string_equal(out, "");
	assert_non_null(strstr(msg, "applicant name: "));
	if (!strstr(msg, part))
		fail_msg("message '%s' lacks '%s'", msg, part);
}

static void t_clean_rejects(void **st)
{
	(void)st;
	expect_clean_fail("abc\x1b[2J", "control character U+001B not allowed");
	expect_clean_fail("ding\x07", "U+0007");
	expect_clean_fail("a\tb", "U+0009");
	expect_clean_fail("a\nb", "U+000A");
	expect_clean_fail("a\rb", "U+000D");
	expect_clean_fail("a\x7f", "U+007F");
	expect_clean_fail("x\xc2\x9b" "31m", "U+009B");
	expect_clean_fail("abc\xe2\x80\xae" "cba", "U+202E");
	expect_clean_fail("\xe2\x81\xa6" "x", "U+2066");
	expect_clean_fail("\xe2\x80\x8f", "U+200F");
	expect_clean_fail("\xd8\x9c", "U+061C");
	expect_clean_fail("\xef\xbb\xbfTen", "U+FEFF");
	expect_clean_fail("Ngu\xc3\x28", "invalid UTF-8 at byte 4");
	expect_clean_fail("\xc0\xaf", "invalid UTF-8 at byte 1");
	expect_clean_fail("ab\xed\xa0\x80", "invalid UTF-8 at byte 3");
	expect_clean_fail("\xf4\x90\x80\x80", "invalid UTF-8");
	expect_clean_fail("abc\xe1\xbb", "invalid UTF-8 at byte 4");
}

static void t_clean_length(void **st)
{
	char in[1024], out[2048], msg[256];
	(void)st;

	/* 201 x "ễ": 603 bytes, 201 characters */
	in[0] = '\0';
	for (int i = 0; i < 201; i++)
		strcat(in, "\xe1\xbb\x85");
	assert_int_equal(text_clean(in, "applicant name", 200, out, sizeof out,
				    msg, sizeof msg), -1);
	assert_string_equal(msg, "applicant name: too long (201 characters, at most 200)");
	/* exactly 200 is fine */
	in[600] = '\0';
	assert_int_equal(text_clean(in, "applicant name", 200, out, sizeof out,
				    msg, sizeof msg), 0);
	assert_int_equal(text_chars(out), 200);

	/* characters are counted after NFC: 200 NFD letters of 3 code points pass */
	in[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(in, "e\xcc\x82\xcc\x83");
	assert_int_equal(text_clean(in, "applicant name", 200, out, sizeof out,
				    msg, sizeof msg), 0);
	assert_int_equal(text_chars(out), 200);

	/* output buffer too small is an error, not a silent cut */
	assert_int_equal(text_clean("abcdef", "code", 0, out, 4, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "code: too long"));
}

static void t_clean_accepts(void **st)
{
	char out[256], msg[256];
	(void)st;
	assert_int_equal(text_clean("  " NAME_NFD "   ", "applicant name", 200,
				    out, sizeof out, msg, sizeof msg), 0);
	assert_string_equal(out, NAME_NFC);
	assert_string_equal(msg, "");

	/* Eth look-alikes become d-stroke */
	assert_int_equal(text_clean("\xc3\x90\xe1\xbb\xa9" "c \xc3\xb0i", "x", 0,
				    out, sizeof out, msg, sizeof msg), 0);
	assert_string_equal(out, "\xc4\x90\xe1\xbb\xa9" "c \xc4\x91i");

	/* empty and all-space input give "" (required-ness is the caller's job) */
	assert_int_equal(text_clean("   ", "x", 10, out, sizeof out, msg, sizeof msg), 0);
	assert_string_equal(out, "");
	/* interior spaces are kept */
	assert_int_equal(text_clean("a  b", "x", 10, out, sizeof out, NULL, 0), 0);
	assert_string_equal(out, "a  b");
}

/* whatever text_clean accepts, text_sanitize leaves alone */
static void t_clean_then_sanitize(void **st)
{
	const char *ins[] = { NAME_NFD, "S\xe1\xbb\x9f C\xc3\xb4ng Th\xc6\xb0\xc6\xa1ng",
			      "\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80", "a\\x1b" };
	char out[256], san[256];
	(void)st;
	for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++) {
		assert_int_equal(text_clean(ins[i], "x", 0, out, sizeof out, NULL, 0), 0);
		text_sanitize(out, san, sizeof san);
		assert_string_equal(out, san);
	}
}

static void t_nfc(void **st)
{
	char out[64];
	(void)st;
	assert_int_equal(text_nfc(NAME_NFD, out, sizeof out), 0);
	assert_string_equal(out, NAME_NFC);
	assert_int_equal(text_nfc("\xc3\x28", out, sizeof out), -1);
	assert_int_equal(text_nfc(NAME_NFD, out, 5), -1);
}

static void t_sanitize(void **st)
{
	char out[256];
	(void)st;
	text_sanitize("A\x1b]0;x\x07" "B\x1b[2J", out, sizeof out);
	for (const char *p = out; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
	assert_non_null(strstr(out, "\\x1b"));
	assert_string_equal(out, "A\\x1b]0;x\\x07B\\x1b[2J");

	text_sanitize("abc\xe2\x80\xae" "def", out, sizeof out);
	assert_string_equal(out, "abc<U+202E>def");
	text_sanitize("x\xc2\x9b" "31m", out, sizeof out);
	assert_string_equal(out, "x<U+009B>31m");
	text_sanitize("\xef\xbb\xbfx\x7f", out, sizeof out);
	assert_string_equal(out, "<U+FEFF>x\\x7f");

	/* invalid bytes, one escape per byte */
	text_sanitize("a\xff\xc3\x28\xed\xa0\x80z", out, sizeof out);
	assert_string_equal(out, "a\\xff\\xc3(\\xed\\xa0\\x80z");

	/* valid Vietnamese passes unchanged */
	text_sanitize(NAME_NFD, out, sizeof out);
	assert_string_equal(out, NAME_NFD);

	/* truncation never splits a character or an escape */
	text_sanitize("ab\x1b", out, 6);
	assert_string_equal(out, "ab");
	text_sanitize("a\xe1\xbb\x85", out, 4);
	assert_string_equal(out, "a");
	text_sanitize("a\xe1\xbb\x85", out, 5);
	assert_string_equal(out, "a\xe1\xbb\x85");
	text_sanitize("abc", out, 1);
	assert_string_equal(out, "");
}

static void t_width_chars(void **st)
{
	(void)st;
	assert_int_equal(text_width("Nguy\xe1\xbb\x85n"), 6);
	assert_int_equal(text_width("Nguye\xcc\x82\xcc\x83n"), 6);	/* NFD */
	assert_int_equal(text_width("\xe4\xb8\xad\xe6\x96\x87"), 4);	/* 中文 */
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_chars("Nguy\xe1\xbb\x85n"), 6);
	assert_int_equal(text_chars("Nguye\xcc\x82\xcc\x83n"), 8);
	assert_int_equal(text_chars(""), 0);
}

static void t_fit(void **st)
{
	(void)st;
	char out[64];
	/* fits: whole, not padded */
	assert_int_equal(text_fit("Nguy\xe1\xbb\x85n", 6, out, sizeof out), 6);
	assert_string_equal(out, "Nguy\xe1\xbb\x85n");
	/* cut by width on a character boundary, with the ellipsis in the last column */
	assert_int_equal(text_fit("\xc4\x90\xe1\xbb\xa8" "C ANH", 3, out, sizeof out), 3);
	assert_string_equal(out, "\xc4\x90\xe1\xbb\xa8\xe2\x80\xa6");
	/* NFD marks ride with their letter (width 0) */
	assert_int_equal(text_fit("Nguye\xcc\x82\xcc\x83n Van", 6, out, sizeof out), 6);
	assert_string_equal(out, "Nguye\xcc\x82\xcc\x83\xe2\x80\xa6");
	/* a wide character that does not fit whole is left out */
	assert_int_equal(text_fit("a\xe4\xb8\xad\xe6\x96\x87", 3, out, sizeof out), 2);
	assert_string_equal(out, "a\xe2\x80\xa6");
	/* a small buffer still ends on a character boundary */
	text_fit("\xe1\xbb\x85\xe1\xbb\x85\xe1\xbb\x85\xe1\xbb\x85", 10, out, 8);
	assert_true(text_valid_utf8(out, strlen(out)));
	assert_int_equal(text_fit("abc", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_valid_utf8),
		cmocka_unit_test(t_fold),
		cmocka_unit_test(t_clean_rejects),
		cmocka_unit_test(t_clean_length),
		cmocka_unit_test(t_clean_accepts),
		cmocka_unit_test(t_clean_then_sanitize),
		cmocka_unit_test(t_nfc),
		cmocka_unit_test(t_sanitize),
		cmocka_unit_test(t_width_chars),
		cmocka_unit_test(t_fit),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
