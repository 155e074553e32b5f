/* assign.c - the department head assigns a dossier to a specialist of the dossier's
 * department: a list of those specialists; Enter (or ^O) assigns (dossier_assign).
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "office.h"
#include "screen.h"
#include "workflow.h"

#define MAXS 64

struct assign {
	struct dossier *d;
	struct user *u;
	struct list l;
};

static int add_spec(const struct user *u, void *ctx)
{
	struct assign *s = ctx;
	if (u->active && (u->roles & ROLE_SPECIALIST) && u->dept_id == s->d->dept_id && s->l.n < MAXS)
		s->u[s->l.n++] = *u;
	return 0;
}

static int assign_open(struct ui *ui, void *st, const char *arg)
{
	struct assign *s = st;
	s->d = calloc(1, sizeof *s->d);
	s->u = calloc(MAXS, sizeof *s->u);
	if (s->d && s->u && !ui_load_dossier(ui, arg, s->d, STEP_ASSIGN)) {
		office_users(ui->c, add_spec, s);
		if (s->l.n)
			return 0;
		ui_status(ui, "%s", _("This department has no specialist to assign to"));
	}
	free(s->d); /* a refused open never reaches done */
	free(s->u);
	return -1;
}

static void assign_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct assign *s = st;
	int cols = getmaxx(w), h = getmaxy(w) - 4;
	char line[512];
	ui_dossier_line(ui, s->d, cols - 2, line, sizeof line);
	ui_put(ui, w, 0, 1, cols - 2, UC_NORMAL, line);
	ui_put(ui, w, 2, 1, cols - 2, UC_HEADER, _("Assign to which specialist?"));
	list_fix(&s->l, h);
	for (int i = 0; i < h && s->l.top + i < s->l.n; i++) {
		const struct user *u = &s->u[s->l.top + i];
		char name[128];
		ui_fit(ui, u->name, 30, name, sizeof name);
		snprintf(line, sizeof line, "%-12s %s", u->account, name);
		ui_row(ui, w, 4 + i, s->l.top + i == s->l.sel, UC_NORMAL, line);
	}
}

static int assign_key(struct ui *ui, void *st, const struct key *k)
{
	struct assign *s = st;
	if (list_key(&s->l, k->action, ui->rows - 7))
		return SCR_HANDLED;
	if (k->action != A_ENTER && k->action != A_SUBMIT)
		return 0;
	struct err e = {0};
	const char *who = s->u[s->l.sel].account;
	ui->c->expect_version = s->d->version;
	int rc = dossier_assign(ui->c, s->d->code, who, s->d, &e);
	ui->c->expect_version = 0;
	if (rc) {
		ui_step_failed(ui, &e, s->d);
		return SCR_HANDLED;
	}
	ui_status(ui, _("%s assigned to %s"), s->d->code, who);
	ui_changed(ui);
	return SCR_HANDLED | SCR_CLOSE;
}

static void assign_done(struct ui *ui, void *st)
{
	(void)ui;
	struct assign *s = st;
	free(s->d);
	free(s->u);
}

const struct screen_ops assign_screen = {
	.name = "assign", .title = N_("Assign"), .state_size = sizeof(struct assign),
	.open = assign_open, .draw = assign_draw, .key = assign_key, .done = assign_done,
	.footer = (const int[]){A_ENTER, A_UP, A_DOWN, A_BACK, A_HELP, A_NONE},
};
