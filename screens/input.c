/* input.c - the line-edit widget every text field uses.
 *
 * Owns: UTF-8 aware editing (the cursor moves by whole characters), backspace as
 * Windows Vietnamese keyboards send it (0x08, 0x7F and KEY_BACKSPACE all delete one
 * whole character with its combining marks), NFC normalisation of what is typed
 * (Microsoft's layout sends a vowel then a combining tone: the text before the cursor
 * is re-composed after every key), and the Telex mode (telex_apply_at) when ui->telex
 * is on.  Control characters are never inserted.
 */
#include <string.h>
#include <utf8proc.h>
#include "screen.h"
#include "telex.h"
#include "text.h"

void input_set(struct input *in, const char *text)
{
	snprintf(in->buf, sizeof in->buf, "%s", text ? text : "");
	in->len = strlen(in->buf);
	in->cur = in->len;
}

static int is_mark(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* start of the code point before byte offset i */
static size_t prev_cp(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80)
		;
	return i;
}

static size_t next_cp(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return len;
	i++;
	while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static utf8proc_int32_t cp_at(const char *s, size_t len, size_t i)
{
	utf8proc_int32_t cp = -1;
	utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
	return cp;
}

/* start of the character (base + marks) before i */
static size_t prev_char(const char *s, size_t len, size_t i)
{
	size_t p = prev_cp(s, i);
	while (p > 0 && is_mark(cp_at(s, len, p)))
		p = prev_cp(s, p);
	return p;
}

static size_t next_char(const char *s, size_t len, size_t i)
{
	size_t n = next_cp(s, len, i);
	while (n < len && is_mark(cp_at(s, len, n)))
		n = next_cp(s, len, n);
	return n;
}

/* re-compose the text before the cursor (NFC), keeping the text after it */
static void compose(struct input *in)
{
	char pre[INPUT_MAX], out[INPUT_MAX];
	memcpy(pre, in->buf, in->cur);
	pre[in->cur] = 0;
	if (text_nfc(pre, out, sizeof out) != 0)
		return;
	size_t k = strlen(out);
	if (k + (in->len - in->cur) >= INPUT_MAX)
		return;
	memmove(in->buf + k, in->buf + in->cur, in->len - in->cur + 1);
	memcpy(in->buf, out, k);
	in->len = k + (in->len - in->cur);
	in->cur = k;
}

static void insert(struct input *in, const char *u, size_t n)
{
	if (in->len + n >= INPUT_MAX - 1)
		return;
	if (in->maxchars && (int)text_chars(in->buf) >= in->maxchars)
		return;
	memmove(in->buf + in->cur + n, in->buf + in->cur, in->len - in->cur + 1);
	memcpy(in->buf + in->cur, u, n);
	in->len += n;
	in->cur += n;
	compose(in);
}

static void cut(struct input *in, size_t a, size_t b)
{
	memmove(in->buf + a, in->buf + b, in->len - b + 1);
	in->len -= b - a;
	in->cur = a;
}

int input_key(struct ui *ui, struct input *in, const struct key *k)
{
	int ch = k->ch;
	if (k->is_key) {
		switch (ch) {
		case KEY_BACKSPACE: goto backspace;
		case KEY_LEFT: if (in->cur) in->cur = prev_char(in->buf, in->len, in->cur); return SCR_HANDLED;
		case KEY_RIGHT: if (in->cur < in->len) in->cur = next_char(in->buf, in->len, in->cur); return SCR_HANDLED;
		case KEY_HOME: in->cur = 0; return SCR_HANDLED;
		case KEY_END: in->cur = in->len; return SCR_HANDLED;
		case KEY_DC:
			if (in->cur < in->len) {
				cut(in, in->cur, next_char(in->buf, in->len, in->cur));
				in->changed = 1;
			}
			return SCR_HANDLED;
		}
		return 0;
	}
	switch (ch) {
	case 0x08: case 0x7F:
	backspace:
		if (in->cur) {
			cut(in, prev_char(in->buf, in->len, in->cur), in->cur);
			in->changed = 1;
		}
		return SCR_HANDLED;
	case CTRL('a'): in->cur = 0; return SCR_HANDLED;
	case CTRL('e'): in->cur = in->len; return SCR_HANDLED;
	case CTRL('u'): cut(in, 0, in->cur); in->changed = 1; return SCR_HANDLED;
	case CTRL('k'): in->buf[in->cur] = 0; in->len = in->cur; in->changed = 1; return SCR_HANDLED;
	case CTRL('w'): {
		size_t p = in->cur;
		while (p > 0 && in->buf[p - 1] == ' ')
			p--;
		while (p > 0 && in->buf[p - 1] != ' ')
			p = prev_cp(in->buf, p);
		cut(in, p, in->cur);
		in->changed = 1;
		return SCR_HANDLED;
	}
	}
	if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0) || ch > 0x10FFFF)
		return 0; /* control keys are actions, never text */
	if (ch == 0x202A || ch == 0x202B || ch == 0x202C || ch == 0x202D || ch == 0x202E ||
	    (ch >= 0x2066 && ch <= 0x2069) || ch == 0x200E || ch == 0x200F)
		return SCR_HANDLED; /* bidi controls are dropped */
	in->changed = 1;
	if (ui->telex && !in->secret && ch < 0x80 && ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')) {
		size_t cur = in->cur;
		if (telex_apply_at(in->buf, sizeof in->buf, &cur, (uint32_t)ch) == 1) {
			in->len = strlen(in->buf);
			in->cur = cur;
			return SCR_HANDLED;
		}
	}
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t n = utf8proc_encode_char(ch, u);
	if (n > 0)
		insert(in, (const char *)u, (size_t)n);
	return SCR_HANDLED;
}

void input_draw(struct ui *ui, struct input *in, WINDOW *w, int y, int x, int width, int focus)
{
	if (width < 2)
		return;
	char shown[INPUT_MAX];
	if (in->secret) {
		size_t n = text_chars(in->buf);
		size_t k = 0;
		for (size_t i = 0; i < n && k + 1 < sizeof shown; i++)
			shown[k++] = '*';
		shown[k] = 0;
	} else {
		text_sanitize(in->buf, shown, sizeof shown);
	}
	/* the cursor's column: width of the text before the cursor */
	char pre[INPUT_MAX];
	memcpy(pre, in->buf, in->cur);
	pre[in->cur] = 0;
	int cx;
	if (in->secret) {
		cx = (int)text_chars(pre);
	} else {
		char spre[INPUT_MAX];
		text_sanitize(pre, spre, sizeof spre);
		cx = text_width(spre);
	}
	/* scroll so the cursor stays visible: skip whole characters from the left */
	const char *start = shown;
	int skip = cx > width - 1 ? cx - (width - 1) : 0, skipped = 0;
	while (skipped < skip && *start) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)start, -1, &cp);
		if (k <= 0)
			break;
		int cw = utf8proc_charwidth(cp);
		skipped += cw > 0 ? cw : 0;
		start += k;
	}
	char line[INPUT_MAX + 8];
	ui_fit(ui, start, width, line, sizeof line);
	ui_put(ui, w, y, x, width, focus ? UC_FOCUS : UC_FIELD, line);
	if (focus) {
		int by, bx;
		getbegyx(w, by, bx);
		ui->cursor_y = by + y;
		ui->cursor_x = bx + x + cx - skipped;
	}
}
