/* dashboard.c - the supervisor dashboard (placeholder body).
 *
 * The reports engineer replaces this body using the screen interface of screen.h;
 * keep the name `dashboard_screen` (reached with the DASHBOARD action, key d / F11).
 */
#include "screen.h"

struct dash { int unused; };

static int dash_open(struct ui *ui, void *st, const char *arg)
{
	(void)ui; (void)st; (void)arg;
	return 0;
}

static void dash_draw(struct ui *ui, void *st, WINDOW *w)
{
	(void)st;
	ui_put(ui, w, 1, 2, getmaxx(w) - 4, UC_HEADER, _("Supervisor dashboard"));
	ui_put(ui, w, 3, 2, getmaxx(w) - 4, UC_NORMAL, _("Not available in this build yet: use 'motcua dashboard' on the command line."));
}

static int dash_key(struct ui *ui, void *st, const struct key *k)
{
	(void)ui; (void)st; (void)k;
	return 0;
}

const struct screen_ops dashboard_screen = {
	.name = "dashboard", .title = N_("Dashboard"), .state_size = sizeof(struct dash),
	.open = dash_open, .draw = dash_draw, .key = dash_key,
	.footer = (const int[]){A_HELP, A_BACK, A_REDRAW, A_QUIT, A_NONE},
};
