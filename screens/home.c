/* home.c - the home screen: the acting user's work queues (one per role, queue.h),
 * each with its count and overdue count, and the dossiers of the current queue by due
 * date, overdue first.  Step keys act on the selected dossier; the footer offers the
 * ones the user's role may take in that dossier's stage.
 *
 * Only the first HOME_ROWS dossiers of a queue are loaded (the store orders and
 * limits), so the screen costs the same on a 1,000,000-dossier store.
 */
#include <stdlib.h>
#include <string.h>
#include "draft.h"
#include "lienthong.h"
#include "queue.h"
#include "screen.h"

#define HOME_ROWS 200
#define MAXQ 6

struct home {
	const struct queue_def *q[MAXQ];
	int total[MAXQ], overdue[MAXQ];
	int nq, cur;
	struct drow *rows;
	struct list l;
	int acts[24];
};

struct fill { struct ui *ui; struct home *h; };

/* the parts of liên thông dossiers open at the user's agency (lienthong.h): a queue of
 * its own, shown when there are some */
static const struct queue_def parts_queue = {ROLE_HEAD | ROLE_SPECIALIST, 0, {0}, 0, "parts",
					      N_("Liên thông parts at your agency")};

static int add_row(const struct dossier *d, void *ctx)
{
	struct fill *f = ctx;
	if (f->h->l.n < HOME_ROWS)
		ui_drow_fill(f->ui, &f->h->rows[f->h->l.n++], d);
	return 0;
}

static void load(struct ui *ui, struct home *h)
{
	for (int i = 0; i < h->nq; i++)
		if (h->q[i] == &parts_queue)
			lt_queue(ui->c, 0, NULL, NULL, &h->total[i], &h->overdue[i]);
		else
			queue_count(ui->c, h->q[i], &h->total[i], &h->overdue[i]);
	h->l.n = 0;
	if (h->nq) {
		struct fill f = {ui, h};
		if (h->q[h->cur] == &parts_queue)
			lt_queue(ui->c, HOME_ROWS, add_row, &f, NULL, NULL);
		else
			queue_list(ui->c, h->q[h->cur], HOME_ROWS, 0, add_row, &f);
	}
	list_clamp(&h->l);
}

static int home_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct home *h = st;
	h->rows = calloc(HOME_ROWS, sizeof *h->rows);
	if (!h->rows)
		return -1;
	for (unsigned r = 1; r <= ROLE_ADMIN && h->nq < MAXQ; r <<= 1)
		if ((ui->c->actor.roles & r) && queue_def_for(r))
			h->q[h->nq++] = queue_def_for(r);
	int parts = 0;
	if (h->nq < MAXQ && (ui->c->actor.roles & parts_queue.role) && !lt_queue(ui->c, 0, NULL, NULL, &parts, NULL) && parts)
		h->q[h->nq++] = &parts_queue;
	load(ui, h);
	char *draft = NULL;
	if (draft_load(ui->c, "receive", &draft) == 0) {
		ui_status(ui, "%s", _("A half-filled receive form was kept as a draft: press n to continue it"));
		free(draft);
	}
	return 0;
}

static void home_refresh(struct ui *ui, void *st) { load(ui, st); }

static void home_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct home *h = st;
	int cols = getmaxx(w), rows = getmaxy(w), y = 0;
	if (!h->nq) {
		ui_put(ui, w, 1, 2, cols - 4, UC_NORMAL, _("You have no work queue (no clerk, head, specialist, leader or supervisor role)."));
		ui_put(ui, w, 3, 2, cols - 4, UC_NORMAL, _("Search with / ; help with ?"));
		return;
	}
	for (int i = 0; i < h->nq; i++, y++) {
		char line[512];
		snprintf(line, sizeof line, _("%s: %d dossiers, %d overdue"),
			 _(h->q[i]->title), h->total[i], h->overdue[i]);
		ui_put(ui, w, y, 0, 2, UC_HEADER, i == h->cur && h->nq > 1 ? ui->g.arrow : "");
		ui_put(ui, w, y, 2, cols - 2, i == h->cur ? UC_HEADER : UC_NORMAL, line);
	}
	char head[512], c1[128], c2[128], c3[128];
	ui_fit(ui, _("Code"), 25, c1, sizeof c1);
	ui_fit(ui, _("Due"), 16, c2, sizeof c2);
	ui_fit(ui, _("Status"), 15, c3, sizeof c3);
	snprintf(head, sizeof head, "%s %s   %s %s", c1, c2, c3, _("Applicant"));
	ui_put(ui, w, y, 2, cols - 2, UC_DIM, head);
	y++;
	int hgt = rows - y;
	const struct drow *sel = h->l.n && h->l.sel < h->l.n ? &h->rows[h->l.sel] : NULL;
	if (sel && sel->back) {
		/* the selected dossier came back from the signer: say why, under the list */
		hgt--;
		ui_putf(ui, w, rows - 1, 2, cols - 2, UC_OVERDUE, _("Sent back by the signer: %s"), sel->why);
	}
	list_fix(&h->l, hgt);
	if (!h->l.n)
		ui_put(ui, w, y + 1, 2, cols - 2, UC_DIM, _("Nothing to do in this queue."));
	for (int i = 0; i < hgt && h->l.top + i < h->l.n; i++) {
		const struct drow *r = &h->rows[h->l.top + i];
		ui_row(ui, w, y + i, h->l.top + i == h->l.sel, r->overdue ? UC_OVERDUE : UC_NORMAL, r->line);
	}
}

static int body_rows(struct ui *ui, struct home *h) { return ui->rows - 3 - h->nq - 1; }

static int home_key(struct ui *ui, void *st, const struct key *k)
{
	struct home *h = st;
	if (list_key(&h->l, k->action, body_rows(ui, h)))
		return SCR_HANDLED;
	if ((k->action == A_NEXT || k->action == A_PREV) && h->nq > 1) {
		h->cur = (h->cur + (k->action == A_NEXT ? 1 : h->nq - 1)) % h->nq;
		h->l.sel = h->l.top = 0;
		load(ui, h);
		return SCR_HANDLED;
	}
	if (k->action == A_BACK)
		return SCR_HANDLED; /* nothing below home; q quits */
	if (h->l.n && h->l.sel < h->l.n)
		return ui_dossier_action(ui, k->action, h->rows[h->l.sel].code, h->rows[h->l.sel].version);
	return 0;
}

static const int *home_footer(struct ui *ui, void *st)
{
	struct home *h = st;
	int n = 0;
	unsigned roles = ui->c->actor.roles;
	h->acts[n++] = A_HELP;
	h->acts[n++] = A_QUIT;
	if (h->l.n && h->l.sel < h->l.n) {
		/* the steps the user may take on the selected dossier in its stage */
		h->acts[n++] = A_ENTER;
		ui_step_actions(ui, h->rows[h->l.sel].stage, h->acts, &n, 14);
	}
	if (roles & ROLE_CLERK) {
		h->acts[n++] = A_RECEIVE;
		h->acts[n++] = A_INTAKE;
		h->acts[n++] = A_CASHIER;
	}
	if (roles & ROLE_SUPERVISOR)
		h->acts[n++] = A_DASHBOARD;
	if (roles & (ROLE_LEADER | ROLE_ADMIN))
		h->acts[n++] = A_SETTINGS;
	h->acts[n++] = A_SEARCH;
	if (h->nq > 1)
		h->acts[n++] = A_NEXT;
	h->acts[n] = A_NONE;
	return h->acts;
}

static void home_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct home *)st)->rows);
}

const struct screen_ops home_screen = {
	.name = "home", .title = N_("Work queue"), .state_size = sizeof(struct home),
	.open = home_open, .draw = home_draw, .key = home_key, .done = home_done,
	.reload = home_refresh, .footer_fn = home_footer,
};
