/* colors.c - how things look: a semantic colour table with a monochrome attribute on
 * every row, the glyph table (UTF-8 or ASCII), and the only functions that put text
 * on the screen (they sanitise it first).
 *
 * Colour is used when the terminal has it and NO_COLOR is unset; otherwise each role
 * falls back to its monochrome attribute (vt100: reverse, bold, underline).  Line
 * drawing and markers are Unicode on UTF-8 terminals and ASCII on 8-bit ones or on
 * TERM=vt* (whose line drawing tmux and old terminals render as "lqqk").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "screen.h"
#include "text.h"

/* role, foreground, background, monochrome attribute, extra attribute in colour */
#define COLOR_ROWS(_) \
	_(UC_NORMAL,   -1,            -1,           A_NORMAL,    A_NORMAL) \
	_(UC_TITLE,    COLOR_WHITE,   COLOR_BLUE,   A_REVERSE,   A_BOLD) \
	_(UC_STATUS,   COLOR_CYAN,    -1,           A_NORMAL,    A_NORMAL) \
	_(UC_ERROR,    COLOR_RED,     -1,           A_BOLD,      A_BOLD) \
	_(UC_FOOTER,   COLOR_BLACK,   COLOR_CYAN,   A_REVERSE,   A_NORMAL) \
	_(UC_SELECTED, COLOR_BLACK,   COLOR_WHITE,  A_REVERSE,   A_NORMAL) \
	_(UC_HEADER,   COLOR_YELLOW,  -1,           A_BOLD,      A_BOLD) \
	_(UC_LABEL,    -1,            -1,           A_NORMAL,    A_NORMAL) \
	_(UC_FIELD,    -1,            -1,           A_UNDERLINE, A_UNDERLINE) \
	_(UC_FOCUS,    COLOR_BLACK,   COLOR_YELLOW, A_REVERSE,   A_NORMAL) \
	_(UC_OVERDUE,  COLOR_RED,     -1,           A_BOLD,      A_NORMAL) \
	_(UC_OK,       COLOR_GREEN,   -1,           A_NORMAL,    A_NORMAL) \
	_(UC_DIM,      -1,            -1,           A_NORMAL,    A_DIM)

static const struct { int role; short fg, bg; int mono, extra; } rows[UC_COUNT] = {
#define C_ROW(role, fg, bg, mono, extra) {role, fg, bg, mono, extra},
	COLOR_ROWS(C_ROW)
#undef C_ROW
};
static int attrs[UC_COUNT];

void colors_init(struct ui *ui)
{
	const char *nc = getenv("NO_COLOR");
	ui->color = has_colors() && !(nc && *nc);
	if (ui->color) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < UC_COUNT; i++) {
		if (!ui->color) {
			attrs[i] = (int)rows[i].mono;
			continue;
		}
		if (rows[i].fg == -1 && rows[i].bg == -1) {
			attrs[i] = (int)rows[i].extra;
			continue;
		}
		init_pair((short)(i + 1), rows[i].fg, rows[i].bg);
		attrs[i] = (int)COLOR_PAIR(i + 1) | rows[i].extra;
	}
	const char *term = getenv("TERM");
	int ascii = !ui->utf8 || (term && (!strncmp(term, "vt", 2) || !strcmp(term, "dumb")));
	static const struct ui_glyphs uni = {"─", "│", "▶", "[x]", "[ ]", "…", "·"};
	static const struct ui_glyphs asc = {"-", "|", ">", "[x]", "[ ]", "~", "-"};
	ui->g = ascii ? asc : uni;
}

int ui_attr(const struct ui *ui, int role)
{
	(void)ui;
	return role >= 0 && role < UC_COUNT ? attrs[role] : (int)A_NORMAL;
}

/* bytes of s that fit in cols columns (stops before a character that does not fit) */
static size_t fit_bytes(const char *s, int cols, int *used)
{
	size_t i = 0, n = strlen(s);
	int w = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			break;
		int cw = utf8proc_charwidth(cp);
		if (cw < 0)
			cw = 0;
		if (w + cw > cols)
			break;
		w += cw;
		i += (size_t)k;
	}
	if (used)
		*used = w;
	return i;
}

int ui_put(struct ui *ui, WINDOW *w, int y, int x, int width, int role, const char *text)
{
	if (!w || width <= 0 || !text)
		return 0;
	char safe[2048];
	text_sanitize(text, safe, sizeof safe);
	int used;
	size_t b = fit_bytes(safe, width, &used);
	wattrset(w, ui_attr(ui, role));
	if (safe[b] && width > 1) {
		/* never cut silently: what does not fit ends with an ellipsis */
		b = fit_bytes(safe, width - 1, &used);
		mvwaddnstr(w, y, x, safe, (int)b);
		waddstr(w, ui->g.ellipsis);
		used++;
	} else {
		mvwaddnstr(w, y, x, safe, (int)b);
	}
	wattrset(w, A_NORMAL);
	return used;
}

int ui_putf(struct ui *ui, WINDOW *w, int y, int x, int width, int role, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ui_put(ui, w, y, x, width, role, buf);
}

void ui_fit(const struct ui *ui, const char *text, int cols, char *out, size_t n)
{
	char safe[2048];
	text_sanitize(text ? text : "", safe, sizeof safe);
	int used;
	size_t b = fit_bytes(safe, cols, &used);
	if (safe[b] && cols > 1) { /* cut: make room for the ellipsis */
		b = fit_bytes(safe, cols - 1, &used);
		int k = snprintf(out, n, "%.*s%s", (int)b, safe, ui->g.ellipsis);
		(void)k;
		used++;
	} else {
		snprintf(out, n, "%.*s", (int)b, safe);
	}
	size_t len = strlen(out);
	while (used < cols && len + 1 < n) {
		out[len++] = ' ';
		used++;
	}
	out[len] = 0;
}

void ui_row(struct ui *ui, WINDOW *w, int y, int selected, int role, const char *text)
{
	int cols = getmaxx(w);
	char line[2048];
	if (ui->arrow) {
		/* arrow cursor: only the two marker cells change when the cursor moves */
		ui_put(ui, w, y, 0, 2, UC_SELECTED, selected ? ui->g.arrow : "");
		ui_fit(ui, text, cols - 2, line, sizeof line);
		ui_put(ui, w, y, 2, cols - 2, role, line);
		return;
	}
	ui_fit(ui, text, cols - 2, line, sizeof line);
	if (selected) {
		char full[2100];
		snprintf(full, sizeof full, "  %s", line);
		ui_put(ui, w, y, 0, cols, UC_SELECTED, full);
	} else {
		ui_put(ui, w, y, 2, cols - 2, role, line);
	}
}

void ui_hline(struct ui *ui, WINDOW *w, int y, int x, int n)
{
	wattrset(w, ui_attr(ui, UC_DIM));
	for (int i = 0; i < n; i++)
		mvwaddstr(w, y, x + i, ui->g.hline);
	wattrset(w, A_NORMAL);
}
