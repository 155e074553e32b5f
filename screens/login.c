/* login.c - who acts, on the demo store: a picker of the store's users.
 *
 * On a real store the acting user is the OS account that SSH authenticated (or --as
 * for root), decided in ui.c before any screen opens.  The demo store (setting
 * demo = 1) lets anyone try every role: this screen lists its users; the choice
 * becomes the acting user while events still record the real OS account.
 */
#include <stdlib.h>
#include <string.h>
#include "office.h"
#include "screen.h"

#define MAXU 256

struct login {
	struct user *u;
	struct list l;
};

static int add_user(const struct user *u, void *ctx)
{
	struct login *s = ctx;
	if (u->active && s->l.n < MAXU)
		s->u[s->l.n++] = *u;
	return 0;
}

static int login_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct login *s = st;
	s->u = calloc(MAXU, sizeof *s->u);
	if (!s->u)
		return -1;
	office_users(ui->c, add_user, s);
	for (int i = 0; i < s->l.n; i++)
		if (!strcmp(s->u[i].account, ui->c->os_account))
			s->l.sel = i;
	return 0;
}

static void login_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct login *s = st;
	int cols = getmaxx(w), h = getmaxy(w) - 3;
	ui_put(ui, w, 0, 2, cols - 4, UC_HEADER, _("Demo store: choose who you are (events still record your OS account)"));
	char head[512], c1[128], c2[128];
	ui_fit(ui, _("Account"), 12, c1, sizeof c1);
	ui_fit(ui, _("Name"), 28, c2, sizeof c2);
	snprintf(head, sizeof head, "%s %s %s", c1, c2, _("Roles"));
	ui_put(ui, w, 2, 2, cols - 2, UC_DIM, head);
	list_fix(&s->l, h);
	for (int i = 0; i < h && s->l.top + i < s->l.n; i++) {
		const struct user *u = &s->u[s->l.top + i];
		char roles[128], name[128], line[512];
		roles_label(u->roles, roles, sizeof roles);
		ui_fit(ui, u->name, 28, name, sizeof name);
		snprintf(line, sizeof line, "%-12s %s %s", u->account, name, roles);
		ui_row(ui, w, 3 + i, s->l.top + i == s->l.sel, UC_NORMAL, line);
	}
}

static int login_key(struct ui *ui, void *st, const struct key *k)
{
	struct login *s = st;
	if (list_key(&s->l, k->action, ui->rows - 6))
		return SCR_HANDLED;
	if ((k->action == A_ENTER || k->action == A_SUBMIT) && s->l.n) {
		ui->c->actor = s->u[s->l.sel];
		ui_replace(ui, &home_screen, NULL);
		return SCR_HANDLED;
	}
	switch (k->action) { /* nothing else before someone is chosen */
	case A_HELP: case A_QUIT: case A_REDRAW: case A_ARROW:
		return 0;
	}
	return SCR_HANDLED;
}

static void login_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct login *)st)->u);
}

const struct screen_ops login_screen = {
	.name = "login", .title = N_("Log in"), .state_size = sizeof(struct login),
	.open = login_open, .draw = login_draw, .key = login_key, .done = login_done,
	.footer = (const int[]){A_ENTER, A_UP, A_DOWN, A_HELP, A_QUIT, A_NONE},
};
