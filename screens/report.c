/* report.c - the statistics and catalog reports on screen (src/report.h).
 *
 * Reached from the dashboard (Tab).  Shows the same text as `motcua report stats`
 * (80 columns, Vietnamese, the legal report's shape) for this month, this quarter or
 * this year, one period further back per Change key, by field, by level or as form
 * II.06a (by level, then field: the key that switched field/level cycles the three); or
 * the catalog report.  The report is computed when the choice changes (tens of milliseconds on a
 * million dossiers) and kept as lines; drawing only scrolls them.  i prints the report
 * on screen (print.c); l saves it as CSV (UTF-8 with a BOM) to a file whose name is
 * typed at the bottom, the home directory by default.  After the catalog, the Decision
 * 766 digitisation indicators of a calendar quarter (report_digital.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fees.h"
#include "forms.h"
#include "report.h"
#include "report_digital.h"
#include "screen.h"

enum { RK_MONTH, RK_QUARTER, RK_YEAR, RK_CATALOG, RK_DIGITAL, RK_COUNT };

struct rep {
	int kind, back, by;      /* by: 0 field, 1 level, 2 form II.06a */
	char **lines;
	int n, top;
	char title[128];
	char label[32];         /* the period ("2024-Q1") or "catalog", for the file name */
	int saving;             /* the file name of the CSV is being typed */
	struct input path;
};

static void build(struct ui *ui, struct rep *s, int csv, FILE *f, struct err *e);

/* the report on screen, as the printer gets it */
static void print_report(struct ui *ui, struct rep *s)
{
	size_t len = 0;
	for (int i = 0; i < s->n; i++)
		len += strlen(s->lines[i]) + 1;
	char *text = malloc(len + 1), *p = text;
	if (!text)
		return;
	for (int i = 0; i < s->n; i++)
		p += sprintf(p, "%s\n", s->lines[i]);
	*p = 0;
	ui_print_text(ui, text, s->title);
	free(text);
}

/* the report as CSV (UTF-8 with a BOM, as `motcua report --format csv`) to the typed file */
static void save_csv(struct ui *ui, struct rep *s)
{
	struct err e = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	fputs("\xef\xbb\xbf", f);
	build(ui, s, 1, f, &e);
	fclose(f);
	if (!e.code)
		forms_output(ui->c, buf ? buf : "", NULL, s->path.buf, 0, &e);
	if (e.code)
		ui_error(ui, &e);
	else
		ui_status(ui, _("The report was saved as %s"), s->path.buf);
	free(buf);
}

/* where the CSV goes unless the user types another name: the home directory */
static void default_path(struct rep *s)
{
	const char *home = secure_getenv("HOME");
	char p[INPUT_MAX];
	snprintf(p, sizeof p, "%s/bao-cao-%s.csv", home && *home ? home : ".", s->label);
	input_set(&s->path, p);
}

static void clear_lines(struct rep *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->n = 0;
}

static void split(struct rep *s, char *text)
{
	for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		char **v = realloc(s->lines, sizeof *v * (size_t)(s->n + 1));
		if (!v)
			return;
		s->lines = v;
		s->lines[s->n++] = strdup(p);
	}
}

/* [p0, p1) of the chosen period, `back` periods before the current one */
static void period(struct ui *ui, const struct rep *s, int64_t *p0, int64_t *p1, char *label, size_t n)
{
	int y, m, d;
	cal_ymd_from_day(cal_day_of(core_now(ui->c)), &y, &m, &d);
	/* the reporting regime's periods end on the 14th (Decree 09/2019 Art. 12): from the
	 * 15th on, today belongs to the next month's period */
	if (d >= 15 && ++m > 12) {
		m = 1;
		y++;
	}
	int months = s->kind == RK_MONTH ? 1 : s->kind == RK_QUARTER ? 3 : 12;
	int idx = s->kind == RK_MONTH ? y * 12 + (m - 1) : s->kind == RK_QUARTER ? y * 12 + (m - 1) / 3 * 3 : y * 12;
	idx -= s->back * months;
	int y0 = idx / 12, m0 = idx % 12 + 1, end = idx + months;
	(void)end;
	if (s->kind == RK_MONTH)
		snprintf(label, n, "%04d-%02d", y0, m0);
	else if (s->kind == RK_QUARTER)
		snprintf(label, n, "%04d-Q%d", y0, (m0 - 1) / 3 + 1);
	else
		snprintf(label, n, "%04d", y0);
	struct err e = {0};
	if (report_period(label, NULL, NULL, 0, p0, p1, &e)) {
		*p0 = cal_instant(cal_day_from_ymd(y0, m0, 1), 0);
		*p1 = cal_instant(cal_day_from_ymd(end / 12, end % 12 + 1, 1), 0);
	}
}

/* the Decision 766 digitisation indicators (report_digital.h) of a calendar quarter,
 * `back` quarters before the current one: the 766 engine counts calendar ranges */
static void build_digital(struct ui *ui, struct rep *s, int csv, FILE *f, struct err *e)
{
	int y, m, d;
	cal_ymd_from_day(cal_day_of(core_now(ui->c)), &y, &m, &d);
	int idx = y * 4 + (m - 1) / 3 - s->back;
	char label[32];
	snprintf(label, sizeof label, "%04d-Q%d", idx / 4, idx % 4 + 1);
	snprintf(s->title, sizeof s->title, _("Digitisation indicators %s"), label);
	snprintf(s->label, sizeof s->label, "so-hoa-%s", label);
	int64_t p0, p1;
	struct digital_report r;
	if (report_period(label, NULL, NULL, 1, &p0, &p1, e) == 0 && report_digital(ui->c, p0, p1, &r, e) == 0) {
		(csv ? report_digital_csv : report_digital_text)(&r, f);
		report_digital_free(&r);
	}
}

/* the chosen report as text or CSV into f */
static void build(struct ui *ui, struct rep *s, int csv, FILE *f, struct err *e)
{
	if (s->kind == RK_DIGITAL) {
		build_digital(ui, s, csv, f, e);
	} else if (s->kind == RK_CATALOG) {
		struct catalog_report cr;
		snprintf(s->title, sizeof s->title, "%s", _("Catalog report"));
		snprintf(s->label, sizeof s->label, "catalog");
		if (report_catalog(ui->c, &cr, e) == 0) {
			(csv ? report_catalog_csv : report_catalog_text)(&cr, f);
			report_catalog_free(&cr);
		}
	} else {
		int64_t p0, p1;
		char label[32];
		period(ui, s, &p0, &p1, label, sizeof label);
		snprintf(s->title, sizeof s->title, "%s %s, %s", _("Statistics"), label,
			 s->by == 1 ? _("by level") : s->by == 2 ? _("form II.06a by level and field") : _("by field"));
		snprintf(s->label, sizeof s->label, "%s", label);
		struct report r = {0};
		if (report_stats(ui->c, p0, p1, s->by == 1 ? REP_BY_LEVEL : s->by == 2 ? REP_BY_KSTT : REP_BY_FIELD, NULL, &r, e) == 0) {
			(csv ? report_csv : report_text)(&r, f);
			report_free(&r);
			char *fs = csv ? NULL : fees_report_section(ui->c, p0, p1); /* fees (fees.h) */
			if (fs)
				fputs(fs, f);
			free(fs);
		}
	}
}

static void compute(struct ui *ui, struct rep *s)
{
	struct err e = {0};
	char *buf = NULL;
	size_t len = 0;
	clear_lines(s);
	s->top = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	build(ui, s, 0, f, &e);
	fclose(f);
	if (e.code)
		ui_error(ui, &e);
	if (buf)
		split(s, buf);
	free(buf);
}

static int rep_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct rep *s = st;
	s->kind = RK_QUARTER;
	compute(ui, s);
	return 0;
}

static void rep_done(struct ui *ui, void *st)
{
	(void)ui;
	clear_lines(st);
}

static void rep_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct rep *s = st;
	int cols = getmaxx(w), rows = getmaxy(w);
	ui_put(ui, w, 0, 0, cols, UC_HEADER, s->title);
	int h = rows - 1;
	if (s->top > s->n - h)
		s->top = s->n - h;
	if (s->top < 0)
		s->top = 0;
	for (int i = 0; i < h && s->top + i < s->n; i++)
		ui_put(ui, w, 1 + i, 0, cols, UC_NORMAL, s->lines[s->top + i]);
	if (s->saving) {
		ui_put(ui, w, rows - 1, 0, cols, UC_NORMAL, "");
		wmove(w, rows - 1, 0);
		wclrtoeol(w);
		int lw = ui_put(ui, w, rows - 1, 0, 20, UC_LABEL, _("Save the CSV as:"));
		input_draw(ui, &s->path, w, rows - 1, lw + 1, cols - lw - 2, 1);
	}
}

static int rep_key(struct ui *ui, void *st, const struct key *k)
{
	struct rep *s = st;
	int page = ui->rows - 5;
	if (s->saving) {
		if (k->action == A_ENTER || k->action == A_SUBMIT) {
			s->saving = 0;
			save_csv(ui, s);
			return SCR_HANDLED;
		}
		if (k->action == A_BACK) {
			s->saving = 0;
			return SCR_HANDLED;
		}
		return input_key(ui, &s->path, k) | SCR_HANDLED;
	}
	switch (k->action) {
	case A_PRINT: print_report(ui, s); return SCR_HANDLED;
	case A_EXPORT:
		s->saving = 1;
		default_path(s);
		return SCR_HANDLED;
	case A_UP: s->top--; return SCR_HANDLED;
	case A_DOWN: s->top++; return SCR_HANDLED;
	case A_PGUP: s->top -= page; return SCR_HANDLED;
	case A_PGDN: s->top += page; return SCR_HANDLED;
	case A_FIRST: s->top = 0; return SCR_HANDLED;
	case A_LAST: s->top = s->n; return SCR_HANDLED;
	case A_NEXT: /* the next kind of report */
		s->kind = (s->kind + 1) % RK_COUNT;
		s->back = 0;
		compute(ui, s);
		return SCR_HANDLED;
	case A_PREV: /* by field -> by level -> form II.06a */
		s->by = (s->by + 1) % 3;
		compute(ui, s);
		return SCR_HANDLED;
	case A_TOGGLE: /* one period further back (up to 12, then the current one again) */
		if (s->kind != RK_CATALOG) {
			s->back = (s->back + 1) % 13;
			compute(ui, s);
		}
		return SCR_HANDLED;
	case A_REDRAW:
		compute(ui, s);
		return 0;
	}
	return 0;
}

static const int *rep_footer(struct ui *ui, void *st)
{
	(void)ui;
	static const int saving[] = {-1, A_ENTER, A_BACK, A_HELP, A_NONE};
	static const int normal[] = {A_NEXT, A_PREV, A_TOGGLE, A_PRINT, A_EXPORT, A_PGDN, A_BACK, A_HELP, A_NONE};
	return ((struct rep *)st)->saving ? saving : normal;
}

const struct screen_ops report_screen = {
	.name = "report", .title = N_("Reports"), .state_size = sizeof(struct rep),
	.open = rep_open, .draw = rep_draw, .key = rep_key, .done = rep_done,
	.footer_fn = rep_footer,
};
