/* test_keys.c - the UI's one action table (screens/keys.h) stays sound: no key is
 * bound to two actions, every function key has a letter or Ctrl alternative (PuTTY),
 * lookups find every binding, the footer fits its width, and the manual's key list
 * has one entry per action.  keys.c is compiled into this test (it is not part of
 * the core archive the unit tests link). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../screens/keys.c"

/* keys.c's `motcua keys` reports usage errors through the CLI; the CLI (and the UI it
 * calls) is not linked here */
int cli_usage(const char *cmd, const char *fmt, ...)
{
	(void)cmd; (void)fmt;
	return 2;
}

static void no_key_twice(void **state)
{
	(void)state;
	for (int a = 1; a < A_COUNT; a++)
		for (int i = 0; i < 3; i++) {
			int k = key_table[a].keys[i];
			if (!k)
				continue;
			for (int b = 1; b < A_COUNT; b++)
				for (int j = 0; j < 3; j++)
					if ((b != a || j != i) && key_table[b].keys[j] == k) {
						char n[16];
						fail_msg("key %s is bound to %s and %s", keys_name(k, n, sizeof n),
							 key_table[a].id, key_table[b].id);
					}
		}
}

/* on a VISCII terminal ^B ^E ^F ^T ^Y ^^ are letters: they act as nothing, and every
 * action keeps a key the footer and help can show */
static void viscii_letters_keep_a_key(void **state)
{
	(void)state;
	unsigned mask = 1u << 0x02 | 1u << 0x05 | 1u << 0x06 | 1u << 0x14 | 1u << 0x19 | 1u << 0x1E;
	keys_set_letters(mask);
	assert_int_equal(keys_action(CTRL('t'), 0), A_NONE);
	assert_int_equal(keys_action(CTRL('v'), 0), A_TELEX);
	char buf[512];
	const int telex[] = {-1, A_TELEX, A_PGUP, A_NONE};
	keys_footer(telex, 80, buf, sizeof buf);
	assert_non_null(strstr(buf, "^V"));
	assert_null(strstr(buf, "^T"));
	assert_null(strstr(buf, "^B"));
	for (int a = 1; a < A_COUNT; a++) {
		keys_of(a, buf, sizeof buf);
		if (!*buf)
			fail_msg("%s has no key left on a VISCII terminal", key_table[a].id);
	}
	keys_set_letters(0);
	assert_int_equal(keys_action(CTRL('t'), 0), A_TELEX);
}

static void function_keys_have_alternatives(void **state)
{
	(void)state;
	for (int a = 1; a < A_COUNT; a++) {
		int fkey = 0, alt = 0;
		for (int i = 0; i < 3; i++) {
			int k = key_table[a].keys[i];
			if (k >= KEY_F(1) && k <= KEY_F(24))
				fkey = 1;
			else if (k > 0 && k < 127)
				alt = 1;
		}
		if (fkey && !alt)
			fail_msg("%s has a function key but no letter or Ctrl alternative", key_table[a].id);
		assert_true(key_table[a].keys[0] != 0);
		assert_true(*key_table[a].label && *key_table[a].help);
	}
}

static void lookup_finds_every_binding(void **state)
{
	(void)state;
	for (int a = 1; a < A_COUNT; a++)
		for (int i = 0; i < 3; i++) {
			int k = key_table[a].keys[i];
			if (k)
				assert_int_equal(keys_action(k, k >= KEY_MIN), a);
		}
	assert_int_equal(keys_action('n', 0), A_RECEIVE);
	assert_int_equal(keys_action(KEY_F(2), 1), A_SUBMIT);
	assert_int_equal(keys_action(CTRL('o'), 0), A_SUBMIT);
	assert_int_equal(keys_action('~', 0), A_NONE);
	assert_int_equal(keys_action(0x7F, 0), A_NONE); /* backspace is text editing */
	assert_int_equal(keys_action(0x08, 0), A_NONE);
}

static void names(void **state)
{
	(void)state;
	char b[64];
	assert_string_equal(keys_name(KEY_F(1), b, sizeof b), "F1");
	assert_string_equal(keys_name(CTRL('g'), b, sizeof b), "^G");
	assert_string_equal(keys_name(KEY_ESCAPE, b, sizeof b), "Esc");
	assert_string_equal(keys_of(A_HELP, b, sizeof b), "F1, ?, ^G");
	assert_string_equal(keys_of(A_ENTER, b, sizeof b), "Enter");
}

static void footer_fits(void **state)
{
	(void)state;
	static const int acts[] = {A_HELP, A_QUIT, A_ENTER, A_RECEIVE, A_INTAKE, A_TRANSFER, A_RETURN,
		A_ASSIGN, A_PROCESS, A_SIGN, A_SEARCH, A_NONE};
	char f[512];
	keys_footer(acts, 40, f, sizeof f);
	assert_true(strlen(f) <= 40);
	assert_non_null(strstr(f, "? Help"));
	assert_null(strstr(f, "Sign")); /* cut at a whole item */
	static const int text[] = {-1, A_HELP, A_SUBMIT, A_NONE};
	keys_footer(text, 80, f, sizeof f);
	assert_string_equal(f, "^G Help ^O Confirm"); /* in a text field: Ctrl keys, not letters */
}

static void manual_list(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	keys_print(f, 1);
	fclose(f);
	int tp = 0;
	for (const char *p = buf; (p = strstr(p, ".TP\n")); p++)
		tp++;
	assert_int_equal(tp, A_COUNT - 1);
	assert_non_null(strstr(buf, ".B F2, ^O\nConfirm the form"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_key_twice),
		cmocka_unit_test(viscii_letters_keep_a_key),
		cmocka_unit_test(function_keys_have_alternatives),
		cmocka_unit_test(lookup_finds_every_binding),
		cmocka_unit_test(names),
		cmocka_unit_test(footer_fits),
		cmocka_unit_test(manual_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
