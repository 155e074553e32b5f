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
#include "cli.h"
#include "i18n.h"
#include "screen.h"
#include "term.h"
#include "ui.h"

int ui_main(struct cli *cli)
{
	static struct ui ui;
	char msg[512];
	ui.en = i18n_english();
	const char *cs = term_charset_name(cli->charset);
	if (term_utf8_locale())
		fprintf(stderr, "motcua: no UTF-8 locale (C.UTF-8) on this system: text may be wrong\n");
	if (cli_open(cli, 0))
		return cli->err.code ? cli->err.code : 1;
	ui.cli = cli;
	ui.c = &cli->core;
	char demo[8];
	ui.demo = store_setting_get(ui.c->st, "demo", demo, sizeof demo) == 0 && !strcmp(demo, "1");
	/* the arrow cursor costs ~36 bytes a move, the full-row highlight ~215: arrow by
	 * default (slow SSH links), MOTCUA_ARROW=0 or the ARROW key for the highlight */
	const char *arrow = getenv("MOTCUA_ARROW");
	ui.arrow = !(arrow && *arrow == '0');
	/* who acts: --as (root), the OS account, or the demo store's picker */
	struct err e = {0};
	int logged = 0;
	if (cli->as || !ui.demo) {
		if (core_login(ui.c, cli->as, &e))
			return cli_fail(&e);
		logged = 1;
	} else if (core_identify(ui.c, NULL, &e)) {
		return cli_fail(&e);
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
		return 0; /* ended by SIGHUP/SIGTERM: drafts kept, store closed by the caller */
	return rc;
}
