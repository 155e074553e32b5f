/* forms_text.c - text laid out on a form (see forms.h): lines fitted to FORM_COLS
 * display columns, padding, wrapping under a label, centring, two texts side by side.
 * Every stored string is sanitised before it is measured; a line is never cut inside
 * a character.  Tables are forms_grid.c's; the forms themselves forms.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "forms.h"
#include "text.h"

/* ---- lines of text ------------------------------------------------------------------ */

void ftext_line(struct strbuf *t, const char *s)
{
	/* never more than FORM_COLS columns, whatever the caller built */
	char fit[2048];
	form_fit(s, FORM_COLS, fit, sizeof fit);
	size_t l = strlen(fit);
	while (l > 0 && fit[l - 1] == ' ')
		l--;
	strbuf_add(t, fit, l);
	strbuf_add(t, "\n", 1);
}

void ftext_linef(struct strbuf *t, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ftext_line(t, buf);
}

/* ---- columns ----------------------------------------------------------------------- */

void form_safe(const char *in, char *out, size_t n)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", in ? in : "");
	for (char *p = tmp; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	text_sanitize(tmp, out, n);
}

/* bytes of the UTF-8 character at p (1 for a stray byte) */
static int char_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	int l = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
	for (int i = 1; i < l; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			return 1;
	return l;
}

static int char_width(const char *p, int l)
{
	char one[8];
	memcpy(one, p, (size_t)l);
	one[l] = 0;
	if (l == 1 && (unsigned char)*p >= 0x80)
		return 1;
	int w = text_width(one);
	return w < 0 ? 1 : w;
}

int form_fit(const char *s, int cols, char *out, size_t n)
{
	int w = 0;
	size_t o = 0;
	for (const char *p = s; *p;) {
		int l = char_len(p), cw = char_width(p, l);
		if (w + cw > cols || o + (size_t)l + 1 > n)
			break;
		memcpy(out + o, p, (size_t)l);
		o += (size_t)l;
		w += cw;
		p += l;
	}
	out[o] = 0;
	return w;
}

void form_pad(const char *s, int cols, int right, char *out, size_t n)
{
	char fit[1024];
	int w = text_fit(s, cols, fit, sizeof fit); /* a cut text ends with an ellipsis */
	int pad = cols - w;
	if (right)
		snprintf(out, n, "%*s%s", pad, "", fit);
	else
		snprintf(out, n, "%s%*s", fit, pad, "");
}

int form_width(const char *s)
{
	int w = 0;
	for (const char *p = s; *p;) {
		int l = char_len(p);
		w += char_width(p, l);
		p += l;
	}
	return w;
}

void form_wrap(struct strbuf *t, const char *label, const char *text, int width)
{
	char safe[4096], line[2048];
	form_safe(text, safe, sizeof safe);
	char lab[512];
	form_safe(label, lab, sizeof lab);
	int lw = form_width(lab);
	if (lw > width / 2) { /* a label too wide for a hanging indent: own line */
		ftext_line(t, lab);
		lab[0] = 0;
		lw = 4;
	}
	int avail = width - lw;
	size_t o = (size_t)snprintf(line, sizeof line, "%s", lab);
	if ((int)strlen(lab) < lw) /* lw == 4 after an own-line label */
		o = (size_t)snprintf(line, sizeof line, "%*s", lw, "");
	int w = 0, any = 0;
	const char *p = safe;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		char word[2048];
		size_t wl = (size_t)(q - p) < sizeof word - 1 ? (size_t)(q - p) : sizeof word - 1;
		memcpy(word, p, wl);
		word[wl] = 0;
		int ww = form_width(word);
		if (w && w + 1 + ww > avail) { /* next line */
			line[o] = 0;
			ftext_line(t, line);
			o = (size_t)snprintf(line, sizeof line, "%*s", lw, "");
			w = 0;
		}
		while (ww > avail) { /* a word longer than a line: cut it */
			char part[2048];
			int pw = form_fit(word, avail - w - (w ? 1 : 0), part, sizeof part);
			if (pw == 0 && w == 0)
				break;
			o += (size_t)snprintf(line + o, sizeof line - o, "%s%s", w ? " " : "", part);
			ftext_line(t, line);
			o = (size_t)snprintf(line, sizeof line, "%*s", lw, "");
			w = 0;
			memmove(word, word + strlen(part), strlen(word + strlen(part)) + 1);
			ww = form_width(word);
		}
		o += (size_t)snprintf(line + o, sizeof line - o, "%s%s", w ? " " : "", word);
		w += (w ? 1 : 0) + ww;
		any = 1;
		p = q;
	}
	if (any || lab[0]) {
		line[o < sizeof line ? o : sizeof line - 1] = 0;
		ftext_line(t, line);
	}
}

void form_center(struct strbuf *t, const char *s, int width)
{
	char safe[2048], fit[2048];
	form_safe(s, safe, sizeof safe);
	int w = form_fit(safe, width, fit, sizeof fit);
	ftext_linef(t, "%*s%s", (width - w) / 2, "", fit);
}

/* two texts side by side: left in lw columns, right centred in the rest */
void form_two_cols(struct strbuf *t, const char *left, const char *right, int lw)
{
	char l[1024], r[1024], rs[1024], ls[1024];
	form_safe(left, ls, sizeof ls);
	form_safe(right, rs, sizeof rs);
	form_pad(ls, lw, 0, l, sizeof l);
	int rw = FORM_COLS - lw;
	char fit[1024];
	int w = form_fit(rs, rw, fit, sizeof fit);
	snprintf(r, sizeof r, "%*s%s", (rw - w) / 2, "", fit);
	/* centre the left text too */
	char fl[1024];
	int wl = form_fit(ls, lw, fl, sizeof fl);
	snprintf(l, sizeof l, "%*s%s%*s", (lw - wl) / 2, "", fl, lw - wl - (lw - wl) / 2, "");
	ftext_linef(t, "%s%s", l, r);
}
