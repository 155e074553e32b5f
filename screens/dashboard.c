/* dashboard.c - the supervisor dashboard screen: today's queues (src/dashboard.h).
 *
 * Two levels in one screen: the numbers (received today, due today, overdue, due within
 * N working days, waiting at each step, per department, per person), and, after Enter
 * on a number, the dossiers behind it, oldest first, where Enter opens a dossier and the
 * step keys act on it.  Back returns from the list to the numbers.  Tab opens the
 * statistics reports (screens/report.c).
 *
 * Refreshing: every two idle seconds the screen asks dashboard_stale(), an O(1) look at
 * the last event's seq.  Only when the store changed does it reload (one query over the
 * open dossiers); when only the minute changed it re-sorts the rows it has
 * (dashboard_classify, no scan); otherwise nothing.  Drawing reads the state only, and
 * ncurses sends only what changed, so the screen never flickers.
 *
 * A department head's dashboard holds only their department's dossiers (the core
 * decides: dashboard_scope); the line under the header names the department.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dashboard.h"
#include "dossier.h"
#include "screen.h"
#include "text.h"

#define DRILL_MAX 500

extern const struct screen_ops report_screen; /* screens/report.c: Tab from the numbers */

struct dash {
	struct dashboard d;
	int loaded;
	struct list l;          /* over d.v */
	int drill;              /* 1: the list behind one number */
	int cur_list;           /* the number drilled into */
	int64_t cur_key;
	struct drow *rows;
	int nrows;
	struct list dl;
	int *shown;             /* item indexes of the rows, to notice a change */
	int nshown;
	time_t last_check;
	int acts[20];           /* the drill-down list's footer */
};

static const char *group_name(const struct ui *ui, int list)
{
	(void)ui;
	switch (list) {
	case DL_STAGE: return _("Step");
	case DL_DEPT: return _("Department");
	case DL_PERSON: return _("Person");
	}
	return _("Today");
}

/* the rows of the drilled-into entry: only when its membership changed */
static void fill_rows(struct ui *ui, struct dash *s, int force)
{
	const struct dash_entry *en = dashboard_find(&s->d, s->cur_list, s->cur_key);
	int n = en ? (en->count < DRILL_MAX ? en->count : DRILL_MAX) : 0;
	if (!force && n == s->nshown && (n == 0 || !memcmp(s->shown, en->items, sizeof *s->shown * (size_t)n)))
		return;
	char keep[CODE_LEN] = "";
	if (s->dl.sel < s->nrows)
		snprintf(keep, sizeof keep, "%s", s->rows[s->dl.sel].code);
	free(s->rows);
	free(s->shown);
	s->rows = calloc((size_t)(n ? n : 1), sizeof *s->rows);
	s->shown = calloc((size_t)(n ? n : 1), sizeof *s->shown);
	s->nrows = s->nshown = 0;
	struct dossier *d = malloc(sizeof *d);
	struct err e = {0};
	for (int i = 0; d && s->rows && s->shown && i < n; i++) {
		const struct rep_item *it = &s->d.items[en->items[i]];
		if (dossier_get(ui->c, it->code, d, &e))
			continue;
		ui_drow_fill(ui, &s->rows[s->nrows], d);
		if (keep[0] && !strcmp(keep, d->code))
			s->dl.sel = s->nrows;
		s->nrows++;
	}
	if (s->shown && n)
		memcpy(s->shown, en->items, sizeof *s->shown * (size_t)n);
	s->nshown = s->shown ? n : 0;
	free(d);
	s->dl.n = s->nrows;
}

static void keep_selection(struct dash *s, int list, int64_t key)
{
	for (int i = 0; i < s->d.n; i++)
		if (s->d.v[i].list == list && s->d.v[i].key == key)
			s->l.sel = i;
	s->l.n = s->d.n;
}

static int load(struct ui *ui, struct dash *s)
{
	struct err e = {0};
	int list = 0;
	int64_t key = 0;
	if (s->loaded && s->l.sel < s->d.n) {
		list = s->d.v[s->l.sel].list;
		key = s->d.v[s->l.sel].key;
	}
	struct dashboard nd;
	if (dashboard_load(ui->c, -1, &nd, &e)) {
		ui_error(ui, &e);
		return -1;
	}
	if (s->loaded)
		dashboard_free(&s->d);
	s->d = nd;
	s->loaded = 1;
	keep_selection(s, list, key);
	if (s->drill)
		fill_rows(ui, s, 1);
	return 0;
}

static void check(struct ui *ui, struct dash *s, int force)
{
	if (!s->loaded)
		return;
	int stale = force ? 2 : dashboard_stale(ui->c, &s->d);
	if (stale == 2) {
		load(ui, s);
	} else if (stale == 1) {
		int list = s->l.sel < s->d.n ? s->d.v[s->l.sel].list : 0;
		int64_t key = s->l.sel < s->d.n ? s->d.v[s->l.sel].key : 0;
		struct err e = {0};
		if (dashboard_classify(ui->c, &s->d, &e)) {
			ui_error(ui, &e);
			return;
		}
		keep_selection(s, list, key);
		if (s->drill)
			fill_rows(ui, s, 0);
	}
}

static int dash_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct dash *s = st;
	/* who may see it is the core's rule (dashboard_load refuses a clerk) */
	s->last_check = time(NULL);
	return load(ui, s);
}

static void dash_done(struct ui *ui, void *st)
{
	(void)ui;
	struct dash *s = st;
	if (s->loaded)
		dashboard_free(&s->d);
	free(s->rows);
	free(s->shown);
}

static void dash_tick(struct ui *ui, void *st)
{
	struct dash *s = st;
	time_t now = time(NULL);
	if (now - s->last_check < 2)
		return;
	s->last_check = now;
	check(ui, s, 0);
}

static void dash_reload(struct ui *ui, void *st)
{
	check(ui, st, 0);
}

static void draw_numbers(struct ui *ui, struct dash *s, WINDOW *w)
{
	int cols = getmaxx(w), rows = getmaxy(w);
	char when[24], line[512], label[512], head[256], group[64];
	cal_format(s->d.now, 1, when, sizeof when);
	snprintf(head, sizeof head, _("Today's queues at %s: %d open dossiers"),
		 when, s->d.open);
	ui_put(ui, w, 0, 1, cols - 2, UC_HEADER, head);
	const char *hint = _("Enter: the dossiers behind a number, oldest first");
	char warn[256];
	if (s->d.cal_warn) { /* next year's calendar is still provisional (holidays.h) */
		snprintf(warn, sizeof warn, _("The calendar of %d is still provisional: appointments into it may move (holidays import)"), s->d.cal_warn);
		ui_put(ui, w, 1, 1, cols - 2, UC_OVERDUE, warn);
	} else if (s->d.dept_id) { /* a department head sees only their department (dashboard_scope) */
		int x = 1 + ui_put(ui, w, 1, 1, cols - 2, UC_HEADER, s->d.dept_name[0] ? s->d.dept_name : s->d.dept_code);
		if (x < cols - 4)
			ui_putf(ui, w, 1, x, cols - 1 - x, UC_DIM, " %s %s", ui->g.bullet, hint);
	} else {
		ui_put(ui, w, 1, 1, cols - 2, UC_DIM, hint);
	}
	int h = rows - 3;
	list_fix(&s->l, h);
	int lw = cols - 32 > 20 ? cols - 32 : 20;
	for (int i = 0; i < h && s->l.top + i < s->d.n; i++) {
		const struct dash_entry *en = &s->d.v[s->l.top + i];
		char text[256];
		snprintf(text, sizeof text, "%s", en->text);
		text_capitalize(text, sizeof text); /* a row's label starts with a capital */
		ui_fit(ui, text, lw, label, sizeof label);
		char od[64] = "";
		if (en->overdue && en->list != DL_OVERDUE)
			snprintf(od, sizeof od, _("%d overdue"), en->overdue);
		ui_fit(ui, group_name(ui, en->list), 10, group, sizeof group); /* columns, not bytes */
		snprintf(line, sizeof line, "%s %s %6d  %s", group, label, en->count, od);
		int role = (en->list == DL_OVERDUE && en->count) || en->overdue ? UC_OVERDUE : UC_NORMAL;
		ui_row(ui, w, 2 + i, s->l.top + i == s->l.sel, role, line);
	}
}

static void draw_list(struct ui *ui, struct dash *s, WINDOW *w)
{
	int cols = getmaxx(w), rows = getmaxy(w);
	const struct dash_entry *en = dashboard_find(&s->d, s->cur_list, s->cur_key);
	char head[512], text[256];
	snprintf(text, sizeof text, "%s", en ? en->text : "-");
	text_capitalize(text, sizeof text);
	snprintf(head, sizeof head, "%s: %s (%d)", group_name(ui, s->cur_list), text, en ? en->count : 0);
	ui_put(ui, w, 0, 1, cols - 2, UC_HEADER, head);
	if (en && en->count > s->nrows)
		ui_put(ui, w, 1, 1, cols - 2, UC_DIM, _("(only the oldest are listed)"));
	else if (!s->nrows)
		ui_put(ui, w, 1, 1, cols - 2, UC_DIM, _("No dossier"));
	int h = rows - 3;
	list_fix(&s->dl, h);
	for (int i = 0; i < h && s->dl.top + i < s->nrows; i++) {
		const struct drow *r = &s->rows[s->dl.top + i];
		ui_row(ui, w, 2 + i, s->dl.top + i == s->dl.sel, r->overdue ? UC_OVERDUE : UC_NORMAL, r->line);
	}
}

static void dash_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct dash *s = st;
	if (!s->loaded)
		return;
	if (s->drill)
		draw_list(ui, s, w);
	else
		draw_numbers(ui, s, w);
}

static int dash_key(struct ui *ui, void *st, const struct key *k)
{
	struct dash *s = st;
	if (!s->loaded)
		return 0;
	if (k->action == A_REDRAW) {
		check(ui, s, 1);
		return 0; /* the manager repaints too */
	}
	if (!s->drill) {
		if (list_key(&s->l, k->action, ui->rows - 6))
			return SCR_HANDLED;
		if (k->action == A_NEXT) {
			ui_push(ui, &report_screen, NULL);
			return SCR_HANDLED;
		}
		if (k->action == A_ENTER && s->l.sel < s->d.n) {
			s->drill = 1;
			s->cur_list = s->d.v[s->l.sel].list;
			s->cur_key = s->d.v[s->l.sel].key;
			memset(&s->dl, 0, sizeof s->dl);
			fill_rows(ui, s, 1);
			return SCR_HANDLED;
		}
		return 0;
	}
	if (k->action == A_BACK) {
		s->drill = 0;
		return SCR_HANDLED;
	}
	if (list_key(&s->dl, k->action, ui->rows - 6))
		return SCR_HANDLED;
	if (s->nrows && s->dl.sel < s->nrows)
		return ui_dossier_action(ui, k->action, s->rows[s->dl.sel].code, s->rows[s->dl.sel].version);
	return 0;
}

static const int *dash_footer(struct ui *ui, void *st)
{
	struct dash *s = st;
	static const int numbers[] = {A_ENTER, A_NEXT, A_BACK, A_REDRAW, A_HELP, A_QUIT, A_NONE};
	if (!s->drill)
		return numbers;
	int n = 0;
	s->acts[n++] = A_ENTER;
	s->acts[n++] = A_BACK;
	if (s->nrows && s->dl.sel < s->nrows)
		ui_step_actions(ui, s->rows[s->dl.sel].stage, s->acts, &n, 14);
	s->acts[n++] = A_HELP;
	s->acts[n] = A_NONE;
	return s->acts;
}

const struct screen_ops dashboard_screen = {
	.name = "dashboard", .title = N_("Dashboard"), .state_size = sizeof(struct dash),
	.open = dash_open, .draw = dash_draw, .key = dash_key, .done = dash_done,
	.tick = dash_tick, .reload = dash_reload, .footer_fn = dash_footer,
};
