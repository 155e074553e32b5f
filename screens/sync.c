/* sync.c - the sync screen: this office's sync state (offline or not and why, pending
 * events, last success, last error, quarantine), a progress bar while a sync runs,
 * and the conflict queue where a supervisor keeps one line of a dossier changed in
 * two places.
 *
 * Keys (from the one key table): Confirm (F2) syncs now with the configured central;
 * Enter on a line of a conflict keeps that line (press it twice: the decision is an
 * event that syncs); Redraw reloads.  All rules are in src/sync.c.
 */
#include <stdlib.h>
#include <string.h>
#include "screen.h"
#include "sync.h"
#include "text.h"

#define MAX_ROWS 200

struct row {
	char code[CODE_LEN];
	char event[32];             /* '' for the dossier's own header row */
	char text[256];
};

struct syncs {
	struct sync_status s;
	int64_t fsend, fbytes, fget;  /* attached files waiting to travel (filesync.h) */
	struct row rows[MAX_ROWS];
	struct list l;
	int confirm;                /* row index waiting for a second Enter, or -1 */
	char error[512];
};

static int add_conflict(const struct sync_conflict *k, void *ctx)
{
	struct syncs *s = ctx;
	if (s->l.n >= MAX_ROWS)
		return 1;
	struct row *r = &s->rows[s->l.n++];
	snprintf(r->code, sizeof r->code, "%s", k->code);
	r->event[0] = 0;
	snprintf(r->text, sizeof r->text, "%s", k->code);
	for (int i = 0; i < k->nheads && s->l.n < MAX_ROWS; i++) {
		char at[24];
		cal_format(k->heads[i].at, 1, at, sizeof at);
		r = &s->rows[s->l.n++];
		snprintf(r->code, sizeof r->code, "%s", k->code);
		snprintf(r->event, sizeof r->event, "%s", k->heads[i].id);
		snprintf(r->text, sizeof r->text, "  %-20.20s #%d %-12.12s %-14.14s %s", ui_event_name(k->heads[i].kind),
			 k->heads[i].dseq, k->heads[i].actor, k->heads[i].origin, at);
	}
	return 0;
}

static void load(struct ui *ui, struct syncs *s)
{
	struct err e = {0};
	int sel = s->l.sel;
	s->l.n = 0;
	s->confirm = -1;
	if (sync_status(ui->c, &s->s, &e))
		snprintf(s->error, sizeof s->error, "%s", e.msg);
	if (filesync_status(ui->c, &s->fsend, &s->fbytes, &s->fget, &e))
		s->fsend = s->fbytes = s->fget = 0;
	sync_conflicts(ui->c, add_conflict, s, &e);
	s->l.sel = sel;
	list_fix(&s->l, 1);
	/* never leave the cursor on a header row when a line row follows */
	if (s->l.n && !s->rows[s->l.sel].event[0] && s->l.sel + 1 < s->l.n)
		s->l.sel++;
}

static int sync_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	load(ui, st);
	return 0;
}

static void sync_refresh(struct ui *ui, void *st) { load(ui, st); }

static void when(int64_t t, char *buf, int n)
{
	if (t)
		cal_format(t, 1, buf, n);
	else
		snprintf(buf, (size_t)n, "%s", _("never"));
}

/* one "label  value" row; labels take lw columns (aligned by columns, not bytes) */
static void field(struct ui *ui, WINDOW *w, int y, int lw, int role, const char *label, const char *value)
{
	int cols = getmaxx(w);
	ui_put(ui, w, y, 1, lw, role, label);
	ui_put(ui, w, y, lw + 2, cols - lw - 3, role, value);
}

static void sync_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct syncs *s = st;
	int cols = getmaxx(w), rows = getmaxy(w), y = 0;
	char ok[24], bad[24], v[1200];
	when(s->s.last_ok_at, ok, sizeof ok);
	when(s->s.last_error_at, bad, sizeof bad);
	const char *labels[] = {_("Office"), _("Central"), _("State"), _("Waiting to send"), _("Last success"),
				_("Last error"), _("Quarantined"), _("Files waiting")};
	int lw = 0;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (text_width(labels[i]) > lw)
			lw = text_width(labels[i]);
	ui_put(ui, w, y++, 1, cols - 2, UC_HEADER, _("Sync with central"));
	field(ui, w, y++, lw, UC_NORMAL, labels[0], ui->c->office.agency_code);
	field(ui, w, y++, lw, UC_NORMAL, labels[1], s->s.url[0] ? s->s.url : _("(not set: motcua sync --central URL)"));
	/* the same rule as the status line's marker (syncmark.c), with the reason */
	char at[24];
	int sm = syncmark_state(s->s.url[0] != 0, s->s.last_ok_at, s->s.last_error_at, s->s.last_error, core_now(ui->c));
	if (sm == SM_SYNCED) {
		syncmark_when(ui, s->s.last_ok_at, at, sizeof at);
		snprintf(v, sizeof v, _("synced %s"), at);
	} else {
		syncmark_reason(sm, v, sizeof v);
	}
	field(ui, w, y++, lw, sm == SM_SYNCED ? UC_OK : UC_OVERDUE, labels[2], v);
	snprintf(v, sizeof v, "%lld", (long long)s->s.pending);
	field(ui, w, y++, lw, s->s.pending ? UC_OVERDUE : UC_OK, labels[3], v);
	if (s->fsend || s->fget) {
		snprintf(v, sizeof v, _("%lld to send (%lld KB), %lld to receive"), (long long)s->fsend, (long long)(s->fbytes / 1024),
			 (long long)s->fget);
		field(ui, w, y++, lw, UC_OVERDUE, labels[7], v);
	}
	snprintf(v, sizeof v, "%s (%lld/%lld)", ok, (long long)s->s.last_pushed, (long long)s->s.last_pulled);
	field(ui, w, y++, lw, UC_NORMAL, labels[4], v);
	if (s->s.last_error[0]) {
		snprintf(v, sizeof v, "%s: %s", bad, s->s.last_error);
		field(ui, w, y++, lw, UC_ERROR, labels[5], v);
	}
	if (s->s.quarantined) {
		snprintf(v, sizeof v, "%lld", (long long)s->s.quarantined);
		field(ui, w, y++, lw, UC_ERROR, labels[6], v);
	}
	y++;
	ui_putf(ui, w, y++, 1, cols - 2, UC_HEADER, "%s (%lld)", _("Conflicts: dossiers changed in two places"), (long long)s->s.conflicts);
	if (!s->l.n) {
		ui_put(ui, w, y, 2, cols - 4, UC_DIM, _("No conflict."));
		return;
	}
	int h = rows - y - 1;
	if (h < 1)
		return;
	list_fix(&s->l, h);
	for (int i = s->l.top; i < s->l.n && y < rows - 1; i++, y++)
		ui_row(ui, w, y, i == s->l.sel, s->rows[i].event[0] ? UC_NORMAL : UC_LABEL, s->rows[i].text);
	if (s->confirm >= 0)
		ui_put(ui, w, rows - 1, 1, cols - 2, UC_STATUS, _("Press Enter again to keep this line; any other key cancels."));
}

struct prog { struct ui *ui; };

static void progress(void *ctx, const char *phase, int64_t done, int64_t total)
{
	struct prog *p = ctx;
	WINDOW *w = p->ui->body;
	int cols = getmaxx(w), y = getmaxy(w) - 1, width = cols - 30;
	if (width < 10)
		width = 10;
	char bar[256];
	int fill = total > 0 ? (int)(done * width / total) : 0;
	if (width > (int)sizeof bar - 1)
		width = (int)sizeof bar - 1;
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = 0;
	wmove(w, y, 0);
	wclrtoeol(w);
	if (!strcmp(phase, "wait")) /* another sync of this store runs (sync_lock.h) */
		ui_putf(p->ui, w, y, 1, cols - 2, UC_STATUS, "%s", _("Another sync of this store is running: waiting for it to end..."));
	else if (total > 0)
		ui_putf(p->ui, w, y, 1, cols - 2, UC_STATUS, "%-5s [%s] %lld/%lld", phase, bar, (long long)done, (long long)total);
	else
		ui_putf(p->ui, w, y, 1, cols - 2, UC_STATUS, "%-5s %lld", phase, (long long)done);
	wnoutrefresh(w);
	doupdate();
}

static int sync_key(struct ui *ui, void *st, const struct key *k)
{
	struct syncs *s = st;
	struct err e = {0};
	int h = getmaxy(ui->body) - 10;
	if (k->action != A_ENTER)
		s->confirm = -1;
	switch (k->action) {
	case A_SUBMIT: {
		struct prog p = {ui};
		struct sync_opts o = {0, progress, &p};
		struct sync_result r;
		ui_status(ui, "%s", _("Syncing..."));
		if (sync_run(ui->c, NULL, &o, &r, &e))
			ui_error(ui, &e);
		else
			ui_status(ui, _("Sent %lld, received %lld, quarantined %lld, new conflicts %lld"), (long long)(r.pushed + r.push_dup),
				  (long long)r.pulled, (long long)r.quarantined, (long long)r.conflicts);
		core_reload(ui->c, &e);
		load(ui, s);
		ui_changed(ui);
		return SCR_HANDLED;
	}
	case A_REDRAW:
		load(ui, s);
		return SCR_HANDLED;
	case A_ENTER:
		if (!s->l.n || !s->rows[s->l.sel].event[0])
			return SCR_HANDLED;
		if (s->confirm != s->l.sel) {
			s->confirm = s->l.sel;
			return SCR_HANDLED;
		}
		s->confirm = -1;
		if (sync_resolve(ui->c, s->rows[s->l.sel].code, s->rows[s->l.sel].event, &e)) {
			ui_error(ui, &e);
		} else {
			ui_status(ui, _("%s: line kept; the decision is sent at the next sync"), s->rows[s->l.sel].code);
			ui_changed(ui);
		}
		load(ui, s);
		return SCR_HANDLED;
	default:
		if (list_key(&s->l, k->action, h > 1 ? h : 1))
			return SCR_HANDLED;
	}
	return 0;
}

const struct screen_ops sync_screen = {
	.name = "sync", .title = N_("Sync"), .state_size = sizeof(struct syncs),
	.open = sync_open, .draw = sync_draw, .key = sync_key, .reload = sync_refresh,
	.footer = (const int[]){A_SUBMIT, A_ENTER, A_UP, A_DOWN, A_REDRAW, A_BACK, A_HELP, A_NONE},
};
