/* help.c - the help screen, generated from the action table (keys.h): every action
 * with all its keys and its help text, so it cannot drift from the bindings. */
#include "screen.h"

struct help { struct list l; };

static int help_open(struct ui *ui, void *st, const char *arg)
{
	(void)ui; (void)arg;
	struct help *h = st;
	h->l.n = A_COUNT - 1;
	return 0;
}

static void help_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct help *h = st;
	int cols = getmaxx(w), rows = getmaxy(w) - 2;
	ui_put(ui, w, 0, 2, cols - 4, UC_HEADER, _("Keys (letters act where no text field has the focus; forms use the Ctrl and F keys)"));
	list_fix(&h->l, rows);
	for (int i = 0; i < rows && h->l.top + i < h->l.n; i++) {
		int a = h->l.top + i + 1;
		char ks[64], col[64], line[512];
		keys_of(a, ks, sizeof ks);
		ui_fit(ui, ks, 18, col, sizeof col);
		snprintf(line, sizeof line, "%s %s", col, _(key_table[a].help));
		ui_row(ui, w, 2 + i, h->l.top + i == h->l.sel, UC_NORMAL, line);
	}
}

static int help_key(struct ui *ui, void *st, const struct key *k)
{
	struct help *h = st;
	if (list_key(&h->l, k->action, ui->rows - 5))
		return SCR_HANDLED;
	if (k->action == A_HELP || k->action == A_ENTER)
		return SCR_HANDLED | SCR_CLOSE;
	return 0;
}

const struct screen_ops help_screen = {
	.name = "help", .title = N_("Help"), .state_size = sizeof(struct help),
	.open = help_open, .draw = help_draw, .key = help_key,
	.footer = (const int[]){A_UP, A_DOWN, A_PGDN, A_BACK, A_QUIT, A_NONE},
};
