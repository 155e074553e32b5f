/* keys.c - the action table made concrete: key lookup, key names, the footer, the
 * help/manual key list and the `motcua keys [--man]` command.
 *
 * Data structures: key_table[] is indexed by enum action (A_NONE is row 0, empty);
 * each row holds up to three key codes.  Lookup is a linear scan of ~100 codes, done
 * once per keystroke: cheaper than keeping a second table that could drift.
 */
#include <curses.h>
#include <libintl.h>
#include <string.h>
#include "cli.h"
#include "keys.h"
#include "ui.h"

const struct action_info key_table[A_COUNT] = {
	{A_NONE, "NONE", {0, 0, 0}, "", ""},
#define A_ROW(name, k1, k2, k3, label, help) {A_##name, #name, {k1, k2, k3}, label, help},
	ACTIONS(A_ROW)
#undef A_ROW
};

/* function and special keys are curses codes (>= KEY_MIN); the rest are characters */
static int is_curses_code(int k) { return k >= KEY_MIN; }

static unsigned letters; /* control bytes that are letters on this terminal */

void keys_set_letters(unsigned mask) { letters = mask; }

/* k is a key this terminal can send as such */
static int usable(int k) { return k && !(k > 0 && k < 32 && (letters & (1u << k))); }

int keys_action(int ch, int is_key)
{
	if (ch == 0)
		return A_NONE;
	for (int a = 1; a < A_COUNT; a++)
		for (int i = 0; i < 3; i++) {
			int k = key_table[a].keys[i];
			if (usable(k) && k == ch && is_curses_code(k) == !!is_key)
				return a;
		}
	return A_NONE;
}

const char *keys_name(int key, char *buf, size_t n)
{
	static const struct { int k; const char *name; } named[] = {
		{KEY_UP, "Up"}, {KEY_DOWN, "Down"}, {KEY_LEFT, "Left"}, {KEY_RIGHT, "Right"},
		{KEY_PPAGE, "PgUp"}, {KEY_NPAGE, "PgDn"}, {KEY_HOME, "Home"}, {KEY_END, "End"},
		{KEY_BTAB, "S-Tab"}, {KEY_ENTER, "Enter"}, {KEY_ESCAPE, "Esc"}, {'\t', "Tab"},
		{'\n', "Enter"}, {'\r', "Enter"}, {' ', "Space"},
	};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].k == key) {
			snprintf(buf, n, "%s", named[i].name);
			return buf;
		}
	if (key >= KEY_F(1) && key <= KEY_F(24))
		snprintf(buf, n, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, n, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "?");
	return buf;
}

const char *keys_of(int action, char *buf, size_t n)
{
	size_t len = 0;
	char names[3][16];
	buf[0] = 0;
	for (int i = 0; i < 3; i++) {
		int k = key_table[action].keys[i];
		names[i][0] = 0;
		if (!usable(k))
			continue;
		keys_name(k, names[i], sizeof names[i]);
		int dup = 0;
		for (int j = 0; j < i; j++)
			if (names[j][0] && !strcmp(names[j], names[i]))
				dup = 1;
		if (dup)
			continue;
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? ", " : "", names[i]);
		if (len >= n)
			break;
	}
	return buf;
}

/* the key to show in a footer: a letter where letters act, else Ctrl, else the first */
static int footer_key(int action, int text)
{
	const int *k = key_table[action].keys;
	if (!text)
		for (int i = 0; i < 3; i++)
			if (k[i] > 32 && k[i] < 127)
				return k[i];
	for (int i = 0; i < 3; i++)
		if (usable(k[i]) && k[i] < 32 && k[i] != '\t' && k[i] != '\n' && k[i] != '\r' && k[i] != KEY_ESCAPE)
			return k[i];
	return usable(k[0]) ? k[0] : k[1];
}

void keys_footer(const int *actions, int cols, char *buf, size_t n)
{
	size_t len = 0;
	int width = 0;
	buf[0] = 0;
	int text = 0;
	for (const int *a = actions; *a; a++)
		if (*a < 0)
			text = 1;
	for (const int *a = actions; *a; a++) {
		if (*a < 0 || *a >= A_COUNT)
			continue;
		char kn[16], item[96];
		keys_name(footer_key(*a, text), kn, sizeof kn);
		int w = snprintf(item, sizeof item, "%s%s %s", len ? " " : "", kn, gettext(key_table[*a].label));
		/* labels are short; count columns as characters */
		int chars = 0;
		for (const char *p = item; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		if (width + chars > cols || len + (size_t)w + 1 > n)
			break;
		memcpy(buf + len, item, (size_t)w + 1);
		len += (size_t)w;
		width += chars;
	}
}

static void roff_text(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

void keys_print(FILE *f, int man)
{
	char ks[64];
	for (int a = 1; a < A_COUNT; a++) {
		keys_of(a, ks, sizeof ks);
		if (man) {
			fputs(".TP\n.B ", f);
			roff_text(f, ks);
			fputc('\n', f);
			roff_text(f, key_table[a].help);
			fputc('\n', f);
		} else {
			fprintf(f, "%-18s %s\n", ks, gettext(key_table[a].help));
		}
	}
}

int cmd_keys(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	int man = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--man"))
			man = 1;
		else
			return cli_usage("keys", "unknown argument '%.40s'", argv[i]);
	}
	keys_print(stdout, man);
	return 0;
}
