/* intake.c - online intake: dossiers filed online (stage 1) waiting for the one-stop
 * to accept (c), refuse (x, with a reason) or, at the applicant's request, withdraw
 * (w, screens/steps.c); below the list, the files the selected one's applicant filed on
 * the portal, by their links (online_links.h; `motcua links fetch` downloads them).
 * Also the refusal form, used from any list for a dossier still at intake.
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "online_links.h"
#include "queue.h"
#include "screen.h"
#include "workflow.h"

#define INTAKE_ROWS 200

#define INTAKE_LINKS 4           /* link lines shown under the list */

struct intake {
	struct drow *rows;
	struct list l;
	int acts[16];
	char links_of[CODE_LEN];   /* the dossier whose links are loaded */
	int nlinks;
	struct online_link *links;
};

/* the selected dossier's links, read when the selection moves */
static void load_links(struct ui *ui, struct intake *s)
{
	const char *code = s->l.n && s->l.sel < s->l.n ? s->rows[s->l.sel].code : "";
	if (!strcmp(code, s->links_of))
		return;
	snprintf(s->links_of, sizeof s->links_of, "%s", code);
	s->nlinks = 0;
	struct err e = {0};
	if (*code && (s->links || (s->links = calloc(LINKS_MAX, sizeof *s->links)))) {
		int n = links_of(ui->c, code, s->links, LINKS_MAX, &e);
		s->nlinks = n > 0 ? n : 0;
	}
}

struct fill { struct ui *ui; struct intake *s; };

static int add_row(const struct dossier *d, void *ctx)
{
	struct fill *f = ctx;
	if (f->s->l.n < INTAKE_ROWS)
		ui_drow_fill(f->ui, &f->s->rows[f->s->l.n++], d);
	return 0;
}

static void load(struct ui *ui, struct intake *s)
{
	struct fill f = {ui, s};
	s->l.n = 0;
	queue_office_stage(ui->c, SG_ONLINE, INTAKE_ROWS, add_row, &f);
	list_clamp(&s->l);
}

static int intake_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct intake *s = st;
	s->rows = calloc(INTAKE_ROWS, sizeof *s->rows);
	if (!s->rows)
		return -1;
	load(ui, s);
	return 0;
}

static void intake_refresh(struct ui *ui, void *st)
{
	load(ui, st);
	((struct intake *)st)->links_of[0] = 0; /* read the links again (one may have been fetched) */
}

static void intake_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct intake *s = st;
	int cols = getmaxx(w), h = getmaxy(w) - 2;
	char t[256];
	snprintf(t, sizeof t, _("Filed online, waiting to be accepted: %d"), s->l.n);
	ui_put(ui, w, 0, 2, cols - 2, UC_HEADER, t);
	if (!s->l.n)
		ui_put(ui, w, 2, 2, cols - 2, UC_DIM, _("Nothing waiting."));
	load_links(ui, s);
	int panel = s->nlinks ? 1 + (s->nlinks < INTAKE_LINKS ? s->nlinks : INTAKE_LINKS) : 0;
	if (h - panel >= 3)
		h -= panel;
	else
		panel = 0;
	list_fix(&s->l, h);
	for (int i = 0; i < h && s->l.top + i < s->l.n; i++) {
		const struct drow *r = &s->rows[s->l.top + i];
		ui_row(ui, w, 2 + i, s->l.top + i == s->l.sel, UC_NORMAL, r->line);
	}
	if (!panel)
		return;
	int y = 2 + h;
	snprintf(t, sizeof t, _("Files filed on the portal: %d (motcua links fetch %s N)"), s->nlinks, s->links_of);
	ui_put(ui, w, y++, 2, cols - 2, UC_HEADER, t);
	for (int i = 0; i < s->nlinks && i < INTAKE_LINKS; i++) {
		const struct online_link *l = &s->links[i];
		char line[1200];
		if (i == INTAKE_LINKS - 1 && s->nlinks > INTAKE_LINKS)
			snprintf(line, sizeof line, _("... and %d more"), s->nlinks - i);
		else if (l->fetched)
			snprintf(line, sizeof line, _("%d. %s (component %d, attached)"), l->n, l->name, l->component);
		else
			snprintf(line, sizeof line, _("%d. %s (component %d, not fetched)"), l->n, l->name, l->component);
		ui_put(ui, w, y++, 4, cols - 4, UC_NORMAL, line);
	}
}

static int intake_key(struct ui *ui, void *st, const struct key *k)
{
	struct intake *s = st;
	if (list_key(&s->l, k->action, ui->rows - 5))
		return SCR_HANDLED;
	if (s->l.n)
		return ui_dossier_action(ui, k->action, s->rows[s->l.sel].code, s->rows[s->l.sel].version);
	return 0;
}

static const int *intake_footer(struct ui *ui, void *st)
{
	struct intake *s = st;
	int n = 0;
	if (s->l.n && s->l.sel < s->l.n)
		ui_step_actions(ui, s->rows[s->l.sel].stage, s->acts, &n, 12);
	s->acts[n++] = A_ENTER;
	s->acts[n++] = A_BACK;
	s->acts[n++] = A_HELP;
	s->acts[n] = A_NONE;
	return s->acts;
}

static void intake_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct intake *)st)->rows);
	free(((struct intake *)st)->links);
}

const struct screen_ops intake_screen = {
	.name = "intake", .title = N_("Online intake"), .state_size = sizeof(struct intake),
	.open = intake_open, .draw = intake_draw, .key = intake_key, .done = intake_done,
	.reload = intake_refresh, .footer_fn = intake_footer,
};

/* ---- refusal at intake: a reason, then dossier_refuse ---- */

struct refuse {
	struct dossier *d;
	struct form fm;
};

static int refuse_open(struct ui *ui, void *st, const char *arg)
{
	struct refuse *s = st;
	s->d = calloc(1, sizeof *s->d);
	if (!s->d || ui_load_dossier(ui, arg, s->d, STEP_REFUSE)) {
		free(s->d); /* a refused open never reaches done */
		return -1;
	}
	s->fm.label_cols = 14;
	struct field *f = form_add(&s->fm, FK_TEXT, N_("Reason"));
	f->in.maxchars = NOTE_MAX_CHARS;
	return 0;
}

static void refuse_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct refuse *s = st;
	char line[512];
	ui_dossier_line(ui, s->d, getmaxx(w) - 2, line, sizeof line);
	ui_put(ui, w, 0, 1, getmaxx(w) - 2, UC_HEADER, _("Refuse this dossier (form 03 is issued with the reason)"));
	ui_put(ui, w, 1, 1, getmaxx(w) - 2, UC_NORMAL, line);
	form_draw(ui, &s->fm, w, 3, getmaxy(w) - 3);
}

static int refuse_key(struct ui *ui, void *st, const struct key *k)
{
	struct refuse *s = st;
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	if (!submit && k->action != A_SUBMIT)
		return r;
	struct err e = {0};
	ui->c->expect_version = s->d->version;
	int rc = dossier_refuse(ui->c, s->d->code, s->fm.f[0].in.buf, s->d, &e);
	ui->c->expect_version = 0;
	if (rc) {
		ui_step_failed(ui, &e, s->d);
		return SCR_HANDLED;
	}
	ui_status(ui, _("%s refused"), s->d->code);
	ui_changed(ui);
	return SCR_HANDLED | SCR_CLOSE;
}

static void refuse_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct refuse *)st)->d);
}

const struct screen_ops refuse_screen = {
	.name = "refuse", .title = N_("Refuse"), .state_size = sizeof(struct refuse),
	.open = refuse_open, .draw = refuse_draw, .key = refuse_key, .done = refuse_done,
	.footer = (const int[]){-1, A_SUBMIT, A_BACK, A_TELEX, A_HELP, A_NONE},
};
