/* search.c - find dossiers by code, name, ID number or phone, ignoring case and
 * diacritics (đ included): the typed text is folded with text_fold and matched
 * against the store's folded search keys (dossier_search).  Enter searches; the
 * results are a list whose step keys act on the selected dossier (the footer offers
 * those the user's role may take in its stage).
 */
#include <stdlib.h>
#include <string.h>
#include "screen.h"
#include "text.h"
#include "view.h"

#define SEARCH_ROWS 200

struct search {
	struct input q;
	int focus_list;
	struct drow *rows;
	struct list l;
	int searched;
	int more;               /* more dossiers match than the list holds */
	char last[INPUT_MAX];
	int acts[20];
};

struct fill { struct ui *ui; struct search *s; };

static int add_row(const struct dossier *d, void *ctx)
{
	struct fill *f = ctx;
	if (f->s->l.n < SEARCH_ROWS)
		ui_drow_fill(f->ui, &f->s->rows[f->s->l.n++], d);
	else
		f->s->more = 1; /* one row past the limit: the list is cut */
	return 0;
}

static void run(struct ui *ui, struct search *s)
{
	s->l.n = s->l.sel = s->l.top = 0;
	s->more = 0;
	s->searched = 1;
	snprintf(s->last, sizeof s->last, "%s", s->q.buf);
	struct fill f = {ui, s};
	struct err e = {0};
	if (dossier_search(ui->c, s->q.buf, SEARCH_ROWS + 1, add_row, &f, &e)) {
		ui_error(ui, &e);
		return;
	}
	s->focus_list = s->l.n > 0;
	if (!s->l.n)
		ui_status(ui, "%s", _("No dossier matches"));
}

static int search_open(struct ui *ui, void *st, const char *arg)
{
	(void)ui;
	struct search *s = st;
	s->rows = calloc(SEARCH_ROWS, sizeof *s->rows);
	s->q.maxchars = 200;
	if (arg)
		input_set(&s->q, arg);
	return s->rows ? 0 : -1;
}

static void search_refresh(struct ui *ui, void *st)
{
	struct search *s = st;
	if (s->searched) {
		int sel = s->l.sel, f = s->focus_list;
		char keep[INPUT_MAX];
		snprintf(keep, sizeof keep, "%s", s->q.buf);
		input_set(&s->q, s->last);
		run(ui, s);
		input_set(&s->q, keep);
		s->l.sel = sel;
		s->focus_list = f;
	}
}

static void search_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct search *s = st;
	int cols = getmaxx(w), rows = getmaxy(w);
	ui_put(ui, w, 0, 1, 12, UC_LABEL, _("Find:"));
	input_draw(ui, &s->q, w, 0, 13, cols - 14, !s->focus_list);
	ui_put(ui, w, 1, 13, cols - 14, UC_DIM, _("code, name, ID number or phone; no diacritics needed"));
	if (s->searched) {
		char n[128];
		if (s->more)
			snprintf(n, sizeof n, _("More than %d found: showing the first %d (type more to narrow the search)"),
				 SEARCH_ROWS, SEARCH_ROWS);
		else
			snprintf(n, sizeof n, _("%d found"), s->l.n);
		ui_put(ui, w, 2, 2, cols - 2, UC_HEADER, n);
	}
	int h = rows - 3;
	list_fix(&s->l, h);
	for (int i = 0; i < h && s->l.top + i < s->l.n; i++) {
		const struct drow *r = &s->rows[s->l.top + i];
		ui_row(ui, w, 3 + i, s->focus_list && s->l.top + i == s->l.sel, r->overdue ? UC_OVERDUE : UC_NORMAL, r->line);
	}
}

static int search_key(struct ui *ui, void *st, const struct key *k)
{
	struct search *s = st;
	if (!s->focus_list) {
		if (k->action == A_ENTER || k->action == A_SUBMIT) {
			run(ui, s);
			return SCR_HANDLED;
		}
		if ((k->action == A_DOWN || k->action == A_NEXT) && s->l.n) {
			s->focus_list = 1;
			return SCR_HANDLED;
		}
		return input_key(ui, &s->q, k);
	}
	if (k->action == A_SEARCH || k->action == A_NEXT || k->action == A_PREV) {
		s->focus_list = 0;
		return SCR_HANDLED;
	}
	if (k->action == A_UP && s->l.sel == 0) {
		s->focus_list = 0;
		return SCR_HANDLED;
	}
	if (list_key(&s->l, k->action, ui->rows - 6))
		return SCR_HANDLED;
	if (s->l.n)
		return ui_dossier_action(ui, k->action, s->rows[s->l.sel].code, s->rows[s->l.sel].version);
	return 0;
}

static const int *search_footer(struct ui *ui, void *st)
{
	struct search *s = st;
	static const int text[] = {-1, A_ENTER, A_DOWN, A_BACK, A_HELP, A_TELEX, A_NONE};
	if (!s->focus_list)
		return text;
	int n = 0;
	s->acts[n++] = A_ENTER;
	s->acts[n++] = A_SEARCH;
	s->acts[n++] = A_BACK;
	if (s->l.n && s->l.sel < s->l.n)
		ui_step_actions(ui, s->rows[s->l.sel].stage, s->acts, &n, 14);
	s->acts[n++] = A_HELP;
	s->acts[n] = A_NONE;
	return s->acts;
}

static void search_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct search *)st)->rows);
}

const struct screen_ops search_screen = {
	.name = "search", .title = N_("Search"), .state_size = sizeof(struct search),
	.open = search_open, .draw = search_draw, .key = search_key, .done = search_done,
	.reload = search_refresh, .footer_fn = search_footer,
};
