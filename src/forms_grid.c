/* forms_grid.c - tables on a form (see forms.h): cells wrapped inside their columns,
 * a row as tall as its tallest cell, rules between rows.  Form 06's hand-overs and
 * form 07's register are drawn with them at 80 columns, never a character cut.
 */
#include <stdio.h>
#include <string.h>
#include "forms.h"

/* Text cut into lines of at most w columns: at spaces, else after a '.', '-' or '/'
 * inside a long word, else anywhere (whole characters).  Returns the number of lines. */
#define CELL_LINES 64
static int cell_wrap(const char *text, int w, char lines[CELL_LINES][160])
{
	char safe[1024];
	form_safe(text, safe, sizeof safe);
	int nl = 0;
	const char *p = safe;
	while (*p == ' ')
		p++;
	while (*p && nl < CELL_LINES) {
		char fit[160];
		form_fit(p, w, fit, sizeof fit);
		size_t l = strlen(fit);
		if (p[l] && p[l] != ' ') { /* cut inside a word: back to a space, else a break character */
			size_t cut = 0;
			for (size_t i = l; i > 0 && !cut; i--)
				if (fit[i - 1] == ' ')
					cut = i - 1;
			for (size_t i = l; i > 0 && !cut; i--)
				if (fit[i - 1] == '.' || fit[i - 1] == '-' || fit[i - 1] == '/' || fit[i - 1] == ',')
					cut = i;
			if (cut)
				l = cut;
		}
		if (!l) /* not even one character fits */
			break;
		memcpy(lines[nl], p, l);
		lines[nl][l] = 0;
		while (l && lines[nl][l - 1] == ' ')
			lines[nl][--l] = 0;
		nl++;
		p += l;
		while (*p == ' ')
			p++;
	}
	return nl;
}

/* one row of a grid of n columns of widths w: every cell wrapped in its column (a '\n'
 * in a cell starts a new line), the row as tall as its tallest cell */
void ftext_grid_row(struct strbuf *t, int n, const int *w, const char *const *cells)
{
	static char lines[FORM_GRID_MAX][CELL_LINES][160];
	int nl[FORM_GRID_MAX], h = 1;
	for (int k = 0; k < n && k < FORM_GRID_MAX; k++) {
		nl[k] = 0;
		char para[1024];
		const char *p = cells[k] ? cells[k] : "";
		do { /* each paragraph of the cell */
			const char *q = strchr(p, '\n');
			size_t l = q ? (size_t)(q - p) : strlen(p);
			snprintf(para, sizeof para, "%.*s", (int)(l < sizeof para ? l : sizeof para - 1), p);
			char tmp[CELL_LINES][160];
			int m = cell_wrap(para, w[k], tmp);
			for (int i = 0; i < m && nl[k] < CELL_LINES; i++)
				memcpy(lines[k][nl[k]++], tmp[i], sizeof tmp[i]);
			p = q ? q + 1 : NULL;
		} while (p);
		if (nl[k] > h)
			h = nl[k];
	}
	for (int i = 0; i < h; i++) {
		char line[1024], cell[256];
		size_t o = (size_t)snprintf(line, sizeof line, "|");
		for (int k = 0; k < n && k < FORM_GRID_MAX; k++) {
			form_pad(i < nl[k] ? lines[k][i] : "", w[k], 0, cell, sizeof cell);
			o += (size_t)snprintf(line + o, sizeof line - o, "%s|", cell);
		}
		ftext_line(t, line);
	}
}

void ftext_grid_rule(struct strbuf *t, int n, const int *w)
{
	char line[128];
	size_t o = 0;
	line[o++] = '+';
	for (int k = 0; k < n; k++) {
		memset(line + o, '-', (size_t)w[k]);
		o += (size_t)w[k];
		line[o++] = '+';
	}
	line[o] = 0;
	ftext_line(t, line);
}

