/* province.c - the terminal UI on central for the province (`motcua --central URL`):
 * the province-wide dashboard with its drill-down and re-routing, the statistics
 * report for the province or one office, central's conflicts, publishing the
 * reference data of this store, and the national portal's dead letters.
 *
 * Why a screen of its own: a provincial supervisor works on central, not on an
 * office store; everything shown comes from src/province.c (central's projection),
 * src/central.c (re-routing, decisions, publishing) and src/portal.c (dead letters).
 * Looking needs a supervisor, leader or administrator of central's own agency;
 * changing anything (re-route, decide, publish, resend) its administrator, as the
 * CLI's `central` commands do.  Letters are read from the key itself, so the office
 * screens' letters (receive, search ...) never open here.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "central_admin.h"
#include "i18n.h"
#include "opts.h"
#include "portal.h"
#include "province.h"
#include "screen.h"
#include "term.h"
#include "text.h"
#include "ui.h"

enum { V_DASH, V_LIST, V_REPORT, V_CONFLICTS, V_DEAD };
#define MAX_ROWS 500

static struct central *cen;      /* the central this UI looks at (ui_central) */
static char who[64];             /* the account acting, "" for root */
static const char *as_user;      /* --as (root only) */
static int may_change;           /* an administrator of central (or root) */

struct prow { char code[64]; char event[32]; char text[300]; };

struct prov {
	int view;
	struct prov_dash d;
	int loaded, by_field, col;
	struct list l;                   /* over d.lines + the total */
	struct prow *rows;               /* the drill-down, conflicts or dead letters */
	struct list rl;
	char list_office[32], list_field[32];
	struct report r;
	int have_report, quarter_back, report_office;
	int kstt;                /* the report screen shows form II.06a (k) */
	int confirm;                     /* a row waiting for a second Enter (-1 none) */
	int publish_confirm;
	int prompt;                      /* re-routing: 1 asks the office, 2 the reason */
	struct input to, reason;
};

static const int dash_cols[] = {PD_RECEIVED_TODAY, PD_DUE_TODAY, PD_OVERDUE, PD_OPEN, PD_ONLINE, PD_ACCEPTED,
				PD_DEPT, PD_PROCESSING, PD_SIGNING, PD_SUPPLEMENT, PD_RESULT};
#define NCOLS ((int)(sizeof dash_cols / sizeof dash_cols[0]))
#define CELL 5                    /* four digits and a space: 80 columns hold 11 numbers */

/* column headings of four columns at most (the help line says what each counts) */
static const char *col_label(int col)
{
	switch (col) {
	case PD_RECEIVED_TODAY: return _("Recv");
	case PD_DUE_TODAY: return _("Due");
	case PD_OVERDUE: return _("Late");
	case PD_OPEN: return _("Open");
	case PD_ONLINE: return _("Onl");
	case PD_ACCEPTED: return _("Acc");
	case PD_DEPT: return _("Dept");
	case PD_PROCESSING: return _("Work");
	case PD_SIGNING: return _("Sign");
	case PD_SUPPLEMENT: return _("Supp");
	case PD_RESULT: return _("Res");
	}
	return "?";
}

/* what a column counts, for the line under the table */
static const char *col_help(int col)
{
	switch (col) {
	case PD_RECEIVED_TODAY: return _("received today");
	case PD_DUE_TODAY: return _("due today");
	case PD_OVERDUE: return _("overdue");
	case PD_OPEN: return _("open");
	case PD_ONLINE: return _("filed online or incomplete, not accepted yet");
	case PD_ACCEPTED: return _("accepted, to transfer");
	case PD_DEPT: return _("at the department, to assign");
	case PD_PROCESSING: return _("with a specialist");
	case PD_SIGNING: return _("with the signer");
	case PD_SUPPLEMENT: return _("waiting for a supplement");
	case PD_RESULT: return _("result ready, to return");
	}
	return "?";
}

/* a count in CELL-1 columns: 9999, then 12k */
static void cell_fmt(long v, char *out, size_t n)
{
	if (v < 10000)
		snprintf(out, n, "%4ld", v);
	else if (v < 1000000)
		snprintf(out, n, "%3ldk", v / 1000);
	else
		snprintf(out, n, "%3ldM", v / 1000000);
}

static int64_t now_(void) { return (int64_t)time(NULL); }

static void load_dash(struct ui *ui, struct prov *s)
{
	struct err e = {0};
	struct prov_dash nd;
	if (province_dashboard(cen, NULL, s->by_field, now_(), &nd, &e)) {
		ui_error(ui, &e);
		return;
	}
	if (s->loaded)
		province_dashboard_free(&s->d);
	s->d = nd;
	s->loaded = 1;
	s->l.n = s->d.nlines + 1;
	list_clamp(&s->l);
}

static const struct prov_line *sel_line(struct prov *s)
{
	return s->l.sel < s->d.nlines ? &s->d.lines[s->l.sel] : NULL;
}

static struct prow *add_row(struct prov *s)
{
	if (s->rl.n >= MAX_ROWS)
		return NULL;
	return &s->rows[s->rl.n++];
}

static int add_code(const char *code, const char *office, int stage, int64_t due, void *ctx)
{
	struct prov *s = ctx;
	struct prow *r = add_row(s);
	if (!r)
		return 1;
	char d[24] = "";
	if (due)
		cal_format(due, 1, d, sizeof d);
	snprintf(r->code, sizeof r->code, "%s", code);
	r->event[0] = 0;
	snprintf(r->text, sizeof r->text, "%-26s %-14s %3d %s", code, office, stage, d);
	return 0;
}

static void load_list(struct ui *ui, struct prov *s)
{
	struct err e = {0};
	s->rl.n = 0;
	if (province_list(cen, dash_cols[s->col], s->list_office[0] ? s->list_office : NULL,
			  s->list_field[0] ? s->list_field : NULL, now_(), MAX_ROWS, add_code, s, &e))
		ui_error(ui, &e);
	list_clamp(&s->rl);
}

static int add_conflict(const struct sync_conflict *k, void *ctx)
{
	struct prov *s = ctx;
	struct prow *r = add_row(s);
	if (!r)
		return 1;
	snprintf(r->code, sizeof r->code, "%s", k->code);
	r->event[0] = 0;
	snprintf(r->text, sizeof r->text, "%s", k->code);
	for (int i = 0; i < k->nheads && (r = add_row(s)); i++) {
		char at[24];
		cal_format(k->heads[i].at, 1, at, sizeof at);
		snprintf(r->code, sizeof r->code, "%s", k->code);
		snprintf(r->event, sizeof r->event, "%s", k->heads[i].id);
		snprintf(r->text, sizeof r->text, "  %-20.20s #%d %-12.12s %-14.14s %s", ui_event_name(k->heads[i].kind),
			 k->heads[i].dseq, k->heads[i].actor, k->heads[i].origin, at);
	}
	return 0;
}

static int add_dead(const char *code, int attempts, const char *reason, int64_t at, void *ctx)
{
	struct prov *s = ctx;
	struct prow *r = add_row(s);
	if (!r)
		return 1;
	char t[24];
	cal_format(at, 1, t, sizeof t);
	snprintf(r->code, sizeof r->code, "%s", code);
	snprintf(r->event, sizeof r->event, "%s", code);
	snprintf(r->text, sizeof r->text, "%-26s %3d %s %s", code, attempts, t, reason);
	return 0;
}

static void load_rows(struct ui *ui, struct prov *s)
{
	struct err e = {0};
	s->rl.n = 0;
	s->confirm = -1;
	if (s->view == V_CONFLICTS && central_conflicts(cen, add_conflict, s, &e))
		ui_error(ui, &e);
	if (s->view == V_DEAD && portal_dead_list(cen, add_dead, s, &e))
		ui_error(ui, &e);
	list_clamp(&s->rl);
	if (s->rl.n && !s->rows[s->rl.sel].event[0] && s->rl.sel + 1 < s->rl.n)
		s->rl.sel++;
}

/* the quarter `back` quarters before today's, by the reporting regime */
static void load_report(struct ui *ui, struct prov *s)
{
	struct err e = {0};
	int y, m, d;
	cal_ymd_from_day(cal_day_of(now_()), &y, &m, &d);
	int q = y * 4 + (m - 1) / 3 - s->quarter_back;
	char period[16];
	snprintf(period, sizeof period, "%d-Q%d", q / 4, q % 4 + 1);
	int64_t p0, p1;
	if (s->have_report)
		report_free(&s->r);
	s->have_report = 0;
	const struct prov_line *l = sel_line(s);
	const char *office = s->report_office && l ? l->office : NULL;
	if (report_period(period, NULL, NULL, 0, &p0, &p1, &e) ||
	    (s->kstt ? province_report_kstt(cen, office, NULL, p0, p1, now_(), &s->r, &e) :
		       province_report(cen, office, p0, p1, now_(), &s->r, &e))) {
		ui_error(ui, &e);
		return;
	}
	s->have_report = 1;
	if (s->kstt)
		ui_status(ui, _("Form II.06a %s: %s"), period, office ? office : _("the whole province"));
	else
		ui_status(ui, _("Statistics report %s: %s"), period, office ? office : _("the whole province"));
}

static void reload(struct ui *ui, void *st)
{
	struct prov *s = st;
	load_dash(ui, s);
	if (s->view == V_LIST)
		load_list(ui, s);
	else if (s->view == V_CONFLICTS || s->view == V_DEAD)
		load_rows(ui, s);
	else if (s->view == V_REPORT)
		load_report(ui, s);
}

static int prov_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct prov *s = st;
	s->rows = calloc(MAX_ROWS, sizeof *s->rows);
	if (!s->rows)
		return -1;
	s->confirm = -1;
	s->to.maxchars = 31;
	s->reason.maxchars = 200;
	load_dash(ui, s);
	return 0;
}

static void prov_done(struct ui *ui, void *st)
{
	(void)ui;
	struct prov *s = st;
	if (s->loaded)
		province_dashboard_free(&s->d);
	if (s->have_report)
		report_free(&s->r);
	free(s->rows);
}

static void draw_hint(struct ui *ui, WINDOW *w, const char *text)
{
	ui_put(ui, w, getmaxy(w) - 1, 1, getmaxx(w) - 2, UC_DIM, text);
}

static void draw_dash(struct ui *ui, struct prov *s, WINDOW *w)
{
	int cols = getmaxx(w), rows = getmaxy(w), y = 0;
	char cell[64];
	ui_putf(ui, w, y++, 1, cols - 2, UC_HEADER, _("Province at central %s"), cen->agency);
	int nw = cols - 1 - NCOLS * CELL, x0 = 1 + nw;
	if (nw < 10)
		nw = 10;
	ui_put(ui, w, y, 2, nw - 1, UC_LABEL, s->by_field ? _("Office / field") : _("Office"));
	for (int c = 0; c < NCOLS; c++)
		ui_put(ui, w, y, x0 + c * CELL, CELL - 1, c == s->col ? UC_SELECTED : UC_LABEL, col_label(dash_cols[c]));
	y++;
	int stale = 0;
	for (int i = 0; i < s->d.noffices; i++)
		stale += s->d.offices[i].at < s->d.now - 3600;
	int h = rows - y - 3 - (stale ? (stale < 4 ? stale : 4) + 1 : 0);
	if (h < 2)
		h = 2;
	list_fix(&s->l, h);
	for (int i = s->l.top; i < s->l.n && i < s->l.top + h; i++, y++) {
		const struct prov_line *l = i < s->d.nlines ? &s->d.lines[i] : &s->d.total;
		char name[80];
		if (i < s->d.nlines)
			snprintf(name, sizeof name, "%s%s%s", l->office, s->by_field ? " " : "", l->field);
		else
			snprintf(name, sizeof name, "%s", _("Whole province"));
		ui_row(ui, w, y, i == s->l.sel, i < s->d.nlines ? UC_NORMAL : UC_LABEL, "");
		ui_put(ui, w, y, 2, nw - 1, i < s->d.nlines ? UC_NORMAL : UC_LABEL, name);
		for (int c = 0; c < NCOLS; c++) {
			cell_fmt(l->v[dash_cols[c]], cell, sizeof cell);
			int role = i == s->l.sel && c == s->col ? UC_FOCUS :
				   dash_cols[c] == PD_OVERDUE && l->v[PD_OVERDUE] ? UC_OVERDUE : UC_NORMAL;
			ui_put(ui, w, y, x0 + c * CELL, CELL - 1, role, cell);
		}
	}
	ui_putf(ui, w, y + 1, 1, cols - 2, UC_DIM, "%s: %s", col_label(dash_cols[s->col]), col_help(dash_cols[s->col]));
	y += 2;
	if (stale) {
		ui_putf(ui, w, y++, 1, cols - 2, UC_OVERDUE, _("Offices not synced for an hour or more: %d"), stale);
		for (int i = 0, k = 0; i < s->d.noffices && k < 4 && y < rows - 1; i++) {
			if (s->d.offices[i].at >= s->d.now - 3600)
				continue;
			char t[24];
			if (s->d.offices[i].at)
				cal_format(s->d.offices[i].at, 1, t, sizeof t);
			else
				snprintf(t, sizeof t, "%s", _("never"));
			ui_putf(ui, w, y++, 2, cols - 4, UC_NORMAL, "%-16s %-16s %s", s->d.offices[i].office, t, s->d.offices[i].name);
			k++;
		}
	}
	draw_hint(ui, w, _("Enter dossiers  Tab column  v by field  r report  c conflicts  e dead letters  u publish"));
}

static void draw_rows(struct ui *ui, struct prov *s, WINDOW *w, const char *title, const char *hint, const char *empty)
{
	int cols = getmaxx(w), rows = getmaxy(w), y = 0;
	ui_putf(ui, w, y++, 1, cols - 2, UC_HEADER, "%s (%d)", title, s->rl.n);
	if (!s->rl.n)
		ui_put(ui, w, y, 2, cols - 4, UC_DIM, empty);
	int h = rows - y - 1 - (s->prompt ? 2 : 0);
	if (h < 1)
		h = 1;
	list_fix(&s->rl, h);
	for (int i = s->rl.top; i < s->rl.n && i < s->rl.top + h; i++, y++)
		ui_row(ui, w, y, i == s->rl.sel, s->view == V_CONFLICTS && !s->rows[i].event[0] ? UC_LABEL : UC_NORMAL,
		       s->rows[i].text);
	if (s->prompt) {
		int py = rows - 3;
		ui_put(ui, w, py, 1, 22, UC_LABEL, _("Send to office:"));
		input_draw(ui, &s->to, w, py, 24, cols - 26, s->prompt == 1);
		ui_put(ui, w, py + 1, 1, 22, UC_LABEL, _("Reason:"));
		input_draw(ui, &s->reason, w, py + 1, 24, cols - 26, s->prompt == 2);
	}
	if (s->confirm >= 0)
		draw_hint(ui, w, s->view == V_DEAD ? _("Press Enter again to send this dossier to the portal again; any other key cancels.") :
			  _("Press Enter again to keep this line; any other key cancels."));
	else
		draw_hint(ui, w, hint);
}

/* form II.06a: each level (its fields under it) and the total, columns (3)-(13) but
 * (8) and (9), which (7) and (10) imply */
static const int kstt_cols[] = {3, 4, 5, 6, 7, 10, 11, 13};

static void kstt_row(struct ui *ui, WINDOW *w, int *y, int cols, const struct rep_row *r, int field)
{
	char name[40], line[256];
	ui_fit(ui, r->name, field ? 20 : 22, name, sizeof name);
	int n = snprintf(line, sizeof line, "%s%s", field ? "  " : "", name);
	for (int k = 0; k < 8; k++)
		n += snprintf(line + n, sizeof line - (size_t)n, " %6ld", report_kstt_col(r, kstt_cols[k]));
	ui_putf(ui, w, (*y)++, 1, cols - 2, field ? UC_NORMAL : UC_LABEL, "%s", line);
}

/* a level's rows are shown when it received something (the district level always, in
 * a report that has one) */
static int kstt_level_shown(const struct prov *s, int lv)
{
	return s->r.levels[lv].v[RC_RECEIVED] || (lv == 2 && s->r.district);
}

static void draw_kstt(struct ui *ui, struct prov *s, WINDOW *w)
{
	int cols = getmaxx(w), rows = getmaxy(w), y = 0;
	char a[16], b[16], line[256];
	cal_format(s->r.from, 0, a, sizeof a);
	cal_format(s->r.to - 1, 0, b, sizeof b);
	ui_putf(ui, w, y++, 1, cols - 2, UC_HEADER, _("Form II.06a %s to %s: %s"), a, b, s->r.office);
	int n = snprintf(line, sizeof line, "%-22s", "");
	for (int k = 0; k < 8; k++) {
		char h[8];
		snprintf(h, sizeof h, "(%d)", kstt_cols[k]);
		n += snprintf(line + n, sizeof line - (size_t)n, " %6s", h);
	}
	ui_putf(ui, w, y++, 1, cols - 2, UC_LABEL, "%s", line);
	/* the levels (1, 2, 3, then the vertical agencies, 0) and their fields as the screen
	 * has room, the rows left out said (never cut silently), the total always */
	int need = 0, done = 0;
	for (int l = 1; l <= 4; l++)
		if (kstt_level_shown(s, l % 4)) {
			need++;
			for (int i = 0; i < s->r.nrows; i++)
				need += s->r.rows[i].level == l % 4;
		}
	int room = rows - 3 - y, fit = need > room ? room - 1 : need;
	for (int l = 1; l <= 4; l++) {
		int lv = l % 4;
		if (!kstt_level_shown(s, lv))
			continue;
		for (int i = -1; i < s->r.nrows; i++)
			if ((i < 0 || s->r.rows[i].level == lv) && done++ < fit)
				kstt_row(ui, w, &y, cols, i < 0 ? &s->r.levels[lv] : &s->r.rows[i], i >= 0);
	}
	if (need > fit)
		ui_putf(ui, w, y++, 1, cols - 2, UC_DIM, _("... %d more rows: motcua central report kstt shows them all"), need - fit);
	kstt_row(ui, w, &y, cols, &s->r.total, 0);
	draw_hint(ui, w, _("[ earlier quarter  ] later  o this office or the whole province  k by field"));
}

static void draw_report(struct ui *ui, struct prov *s, WINDOW *w)
{
	int cols = getmaxx(w), rows = getmaxy(w), y = 0;
	if (!s->have_report) {
		draw_hint(ui, w, _("[ earlier quarter  ] later  o this office or the whole province  k form II.06a"));
		return;
	}
	if (s->r.by == REP_BY_KSTT) {
		draw_kstt(ui, s, w);
		return;
	}
	char a[16], b[16];
	cal_format(s->r.from, 0, a, sizeof a);
	cal_format(s->r.to - 1, 0, b, sizeof b);
	ui_putf(ui, w, y++, 1, cols - 2, UC_HEADER, _("Statistics %s to %s: %s"), a, b, s->r.office);
	ui_putf(ui, w, y++, 1, cols - 2, UC_LABEL, "%-30s %8s %8s %8s %8s %8s", _("Field"), _("Received"), _("Resolved"),
		_("Late"), _("Open"), _("Overdue"));
	/* the fields as the screen has room, the rows left out said, the total always */
	int need = 0, done = 0;
	for (int i = 0; i < s->r.nrows; i++)
		need += s->r.rows[i].v[RC_RECEIVED] != 0;
	int room = rows - 2 - y, fit = need > room ? room - 1 : need;
	for (int i = 0; i <= s->r.nrows; i++) {
		const struct rep_row *r = i < s->r.nrows ? &s->r.rows[i] : &s->r.total;
		if (i < s->r.nrows && (!r->v[RC_RECEIVED] || done++ >= fit))
			continue;
		if (i == s->r.nrows && need > fit)
			ui_putf(ui, w, y++, 1, cols - 2, UC_DIM, _("... %d more rows: motcua central report shows them all"), need - fit);
		char name[40];
		ui_fit(ui, r->name, 30, name, sizeof name);
		ui_putf(ui, w, y++, 1, cols - 2, i < s->r.nrows ? UC_NORMAL : UC_LABEL, "%s %8ld %8ld %8ld %8ld %8ld", name,
			r->v[RC_RECEIVED], r->v[RC_RESOLVED], r->v[RC_LATE], r->v[RC_IN_PROGRESS], r->v[RC_OVERDUE]);
	}
	draw_hint(ui, w, _("[ earlier quarter  ] later  o this office or the whole province  k form II.06a"));
}

static void prov_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct prov *s = st;
	switch (s->view) {
	case V_DASH: draw_dash(ui, s, w); break;
	case V_LIST: {
		char title[200];
		snprintf(title, sizeof title, "%s %s %s", col_label(dash_cols[s->col]), s->list_office[0] ? s->list_office :
			 _("Whole province"), s->list_field);
		draw_rows(ui, s, w, title, may_change ? _("t send the selected dossier to another office") : "",
			  _("No dossier."));
		break;
	}
	case V_REPORT: draw_report(ui, s, w); break;
	case V_CONFLICTS:
		draw_rows(ui, s, w, _("Conflicts at central"), _("Enter on a line keeps it (twice)"), _("No conflict."));
		break;
	case V_DEAD:
		draw_rows(ui, s, w, _("Dead letters of the national portal"), _("Enter sends the selected dossier again (twice)"),
			  _("No dead letter."));
		break;
	}
}

static int need_admin(struct ui *ui)
{
	if (may_change)
		return 0;
	ui_status(ui, _("Only an administrator of central may change anything here."));
	ui->status_err = 1;
	return -1;
}

static int prompt_key(struct ui *ui, struct prov *s, const struct key *k)
{
	struct err e = {0};
	if (k->action == A_BACK && !(k->is_key && k->ch == KEY_LEFT)) {
		s->prompt = 0;
		return SCR_HANDLED;
	}
	if (k->action == A_ENTER || k->action == A_SUBMIT) {
		if (s->prompt == 1) {
			s->prompt = 2;
			return SCR_HANDLED;
		}
		s->prompt = 0;
		const char *code = s->rows[s->rl.sel].code;
		if (central_reroute(cen, code, s->to.buf, s->reason.buf, who[0] ? who : "root", now_(), &e))
			ui_error(ui, &e);
		else
			ui_status(ui, _("%s is sent to office %s; it takes the dossier at its next sync"), code, s->to.buf);
		load_dash(ui, s);
		load_list(ui, s);
		return SCR_HANDLED;
	}
	input_key(ui, s->prompt == 1 ? &s->to : &s->reason, k);
	return SCR_HANDLED;
}

static int prov_key(struct ui *ui, void *st, const struct key *k)
{
	struct prov *s = st;
	struct err e = {0};
	int h = getmaxy(ui->body) - 4;
	if (h < 1)
		h = 1;
	if (s->prompt)
		return prompt_key(ui, s, k);
	int ch = k->is_key ? 0 : k->ch;
	if (k->action != A_ENTER)
		s->confirm = -1;
	if (ch != 'u')
		s->publish_confirm = 0;
	if (k->action == A_QUIT || k->action == A_HELP)
		return 0;
	if (k->action == A_BACK) {
		if (s->view == V_DASH)
			return 0;
		s->view = V_DASH;
		load_dash(ui, s);
		return SCR_HANDLED;
	}
	if (k->action == A_REDRAW) {
		reload(ui, s);
		return SCR_HANDLED;
	}
	if (s->view == V_DASH) {
		if (k->action == A_NEXT || k->action == A_TOGGLE) {
			s->col = (s->col + 1) % NCOLS;
			return SCR_HANDLED;
		}
		if (k->action == A_PREV) {
			s->col = (s->col + NCOLS - 1) % NCOLS;
			return SCR_HANDLED;
		}
		if (k->action == A_ENTER) {
			const struct prov_line *l = sel_line(s);
			snprintf(s->list_office, sizeof s->list_office, "%s", l ? l->office : "");
			snprintf(s->list_field, sizeof s->list_field, "%s", l ? l->field : "");
			s->view = V_LIST;
			s->rl.sel = s->rl.top = 0;
			load_list(ui, s);
			return SCR_HANDLED;
		}
		if (list_key(&s->l, k->action, h))
			return SCR_HANDLED;
	} else if (list_key(&s->rl, k->action, h)) {
		return SCR_HANDLED;
	}
	if (s->view == V_LIST && ch == 't' && s->rl.n) {
		if (need_admin(ui))
			return SCR_HANDLED;
		input_set(&s->to, "");
		input_set(&s->reason, "");
		s->prompt = 1;
		return SCR_HANDLED;
	}
	if ((s->view == V_CONFLICTS || s->view == V_DEAD) && k->action == A_ENTER && s->rl.n && s->rows[s->rl.sel].event[0]) {
		if (need_admin(ui))
			return SCR_HANDLED;
		if (s->confirm != s->rl.sel) {
			s->confirm = s->rl.sel;
			return SCR_HANDLED;
		}
		s->confirm = -1;
		const struct prow *r = &s->rows[s->rl.sel];
		int64_t n = 0;
		if (s->view == V_CONFLICTS ? central_resolve(cen, r->code, r->event, who[0] ? who : "root", now_(), &e) :
		    portal_resend(cen, r->code, &n, &e))
			ui_error(ui, &e);
		else if (s->view == V_CONFLICTS)
			ui_status(ui, _("%s: central kept this line; the offices take the decision at their next sync"), r->code);
		else
			ui_status(ui, _("%s goes to the national portal again at its next push"), r->code);
		load_rows(ui, s);
		return SCR_HANDLED;
	}
	if (s->view == V_REPORT && (ch == '[' || ch == ']' || ch == 'o' || ch == 'k')) {
		if (ch == '[')
			s->quarter_back++;
		else if (ch == ']' && s->quarter_back > 0)
			s->quarter_back--;
		else if (ch == 'o')
			s->report_office = !s->report_office;
		else if (ch == 'k')
			s->kstt = !s->kstt;
		load_report(ui, s);
		return SCR_HANDLED;
	}
	switch (ch) {
	case 'v':
		s->by_field = !s->by_field;
		s->view = V_DASH;
		load_dash(ui, s);
		return SCR_HANDLED;
	case 'r':
		s->view = V_REPORT;
		load_report(ui, s);
		return SCR_HANDLED;
	case 'c':
	case 'e':
		s->view = ch == 'c' ? V_CONFLICTS : V_DEAD;
		s->rl.sel = s->rl.top = 0;
		load_rows(ui, s);
		return SCR_HANDLED;
	case 'u':
		if (need_admin(ui))
			return SCR_HANDLED;
		if (!s->publish_confirm) {
			s->publish_confirm = 1;
			ui_status(ui, "%s", _("Press u again to publish this store's catalogue, calendar and users to central."));
			return SCR_HANDLED;
		}
		s->publish_confirm = 0;
		int64_t rows = 0;
		/* the reference data is this store's: its administrator publishes it (as the
		 * CLI's 'central publish') */
		if (core_identify(ui->c, as_user, &e) == 0 && !(ui->c->is_root && !as_user) &&
		    !(ui->c->actor.roles & ROLE_ADMIN))
			err_set(&e, MC_DENIED, "publishing this store's reference data needs an administrator of this store");
		if (e.code)
			ui_error(ui, &e);
		else if (central_publish(cen, ui->c->st, &rows, &e))
			ui_error(ui, &e);
		else
			ui_status(ui, _("published %lld reference rows (version %lld)"), (long long)rows, (long long)cen->ref_version);
		return SCR_HANDLED;
	}
	/* every other key stays here: the office screens do not open on central */
	return SCR_HANDLED;
}

const struct screen_ops province_screen = {
	.name = "province", .title = N_("Province"), .state_size = sizeof(struct prov),
	.open = prov_open, .draw = prov_draw, .key = prov_key, .done = prov_done, .reload = reload,
	.footer = (const int[]){A_ENTER, A_NEXT, A_UP, A_DOWN, A_REDRAW, A_BACK, A_QUIT, A_NONE},
};

int ui_central(const struct opts *o)
{
	static struct ui ui;
	static struct core c;
	char msg[512];
	struct err e = {0};
	const char *cs = term_charset_name(o->charset);
	if (core_open(&c, o->db, 0, &e))
		return err_print(&e);
	ui.c = &c;
	as_user = o->as;
	const char *arrow = getenv("MOTCUA_ARROW");
	ui.arrow = !(arrow && *arrow == '0');
	int rc = 0;
	if (!(cen = central_open(o->central, 0, &e))) {
		rc = err_print(&e);
		goto out;
	}
	/* who looks: root (who owns the machine), else --as (root only) or the OS account */
	if (getuid() != 0 || o->as) {
		struct passwd *pw = getpwuid(getuid());
		snprintf(who, sizeof who, "%s", o->as ? o->as : pw ? pw->pw_name : "?");
		if (province_authorize(cen, who, &e)) {
			rc = err_print(&e);
			goto out;
		}
		may_change = province_is_admin(cen, who);
	} else {
		may_change = 1;
	}
	manager_signals();
	if (term_start(&ui, cs, msg, sizeof msg)) {
		term_end();
		fprintf(stderr, "motcua: %s\n", msg);
		rc = 1;
		goto out;
	}
	colors_init(&ui);
	rc = ui_push(&ui, &province_screen, NULL);
	if (rc == 0)
		rc = ui_run(&ui);
	term_end();
	if (rc > 128)
		rc = 0;
out:
	central_close(cen);
	cen = NULL;
	core_close(&c);
	return rc;
}
