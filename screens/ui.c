/* ui.c - entry to the terminal UI: language, locale and charset, the store, who is
 * acting, then the screen loop (manager.c).
 *
 * Language: Vietnamese unless LANGUAGE, LC_ALL, LC_MESSAGES or LANG (the first one
 * set) starts with "en".  Messages come from gettext (domain "motcua"): the catalog is
 * looked up next to the binary first (build/locale from the tree, locale/ beside
 * build/motcua-asan, or ../share/locale of an install), then LOCALEDIR.  Curses runs in a UTF-8 locale, so
 * LC_MESSAGES is never the plain "C" locale whose presence makes glibc ignore
 * LANGUAGE; LANGUAGE is then set to the chosen language.
 */
#include <libintl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "opts.h"
#include "screen.h"
#include "term.h"
#include "ui.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static int lang_english(void)
{
	static const char *vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return !strncmp(v, "en", 2);
	}
	return 0;
}

static int has_catalog(const char *dir)
{
	char p[PATH_MAX + 64];
	struct stat sb;
	snprintf(p, sizeof p, "%s/vi/LC_MESSAGES/motcua.mo", dir);
	return stat(p, &sb) == 0;
}

void ui_i18n(int en)
{
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	const char *use = LOCALEDIR;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		/* ./motcua in the tree, build/motcua-asan, an install's bin/ */
		static const char *rel[] = {"%s/build/locale", "%s/locale", "%s/../share/locale"};
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			snprintf(dir, sizeof dir, rel[i], exe);
			if (has_catalog(dir)) {
				use = dir;
				break;
			}
		}
	}
	setenv("LANGUAGE", en ? "en" : "vi", 1);
	bindtextdomain("motcua", use);
	bind_textdomain_codeset("motcua", "UTF-8");
	textdomain("motcua");
}

static int run(const struct opts *o, struct core *c)
{
	static struct ui ui;
	char msg[512];
	ui.en = lang_english();
	const char *cs = term_charset_name(o->charset);
	if (term_utf8_locale())
		fprintf(stderr, "motcua: no UTF-8 locale (C.UTF-8) on this system: text may be wrong\n");
	ui_i18n(ui.en);
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
