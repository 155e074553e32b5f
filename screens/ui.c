/* ui.c - entry to the terminal UI: locale and charset, the store, who is acting,
 * then the screen loop (manager.c).
 *
 * Language: chosen once for the whole program by i18n_init (src/i18n.c); curses
 * runs in a UTF-8 locale, so LC_MESSAGES is never the plain "C" locale.
 */
#include <libintl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "i18n.h"
#include "opts.h"
#include "screen.h"
#include "term.h"
#include "ui.h"

static int run(const struct opts *o, struct core *c)
{
	static struct ui ui;
	char msg[512];
	const char *cs = term_charset_name(o->charset);
	if (term_utf8_locale())
		fputs(_("motcua: no UTF-8 locale (C.UTF-8) on this system: text may be wrong\n"), stderr);
	struct err e = {0};
	if (core_open(c, o->db, 0, &e))
		return err_print(&e);
	ui.c = c;
	ui.demo = c->demo;
	/* the arrow cursor costs ~36 bytes a move, the full-row highlight ~215: arrow by
	 * default (slow SSH links), MOTCUA_ARROW=0 or the ARROW key for the highlight */
	const char *arrow = getenv("MOTCUA_ARROW");
	ui.arrow = !(arrow && *arrow == '0');
	/* who acts: --as (root), the OS account, or the demo store's picker */
	int logged = 0;
	if (o->as || !ui.demo) {
		if (core_login(ui.c, o->as, &e))
			return err_print(&e);
		logged = 1;
	} else if (core_identify(ui.c, NULL, &e)) {
		return err_print(&e);
	}
	manager_signals();
	if (term_start(&ui, cs, msg, sizeof msg)) {
		term_end();
		fprintf(stderr, "motcua: %s\n", msg);
		return 1;
	}
	colors_init(&ui);
	int rc = ui_push(&ui, logged ? &home_screen : &login_screen, NULL);
	if (rc == 0)
		rc = ui_run(&ui);
	term_end();
	if (rc > 128)
		return 0; /* ended by SIGHUP/SIGTERM: drafts kept, store closed by ui_main */
	return rc;
}

int ui_main(const struct opts *o)
{
	static struct core c;
	int rc = run(o, &c);
	if (c.st)
		core_close(&c);
	return rc;
}
