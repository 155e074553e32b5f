/* i18n.c - choosing the language and finding the catalog (see i18n.h).
 *
 * The catalog is looked up next to the binary first (build/locale from the tree,
 * locale/ beside build/motcua-asan, or ../share/locale of an install), then
 * LOCALEDIR.  glibc ignores LANGUAGE when LC_MESSAGES is the plain "C" locale (LANG
 * unset or LANG=C, as many SSH clients send), so LC_MESSAGES then moves to C.UTF-8;
 * LANGUAGE is set to the chosen language.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static int english;

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

int i18n_english(void) { return english; }

int i18n_init(void)
{
	static char dir[PATH_MAX + 32];
	char exe[PATH_MAX];
	const char *use = LOCALEDIR;
	english = lang_english();
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
	const char *lm = setlocale(LC_MESSAGES, NULL);
	if (!english && (!lm || !strcmp(lm, "C") || !strcmp(lm, "POSIX")))
		if (!setlocale(LC_MESSAGES, "C.UTF-8"))
			setlocale(LC_MESSAGES, "C.utf8");
	setenv("LANGUAGE", english ? "en" : "vi", 1);
	bindtextdomain("motcua", use);
	bind_textdomain_codeset("motcua", "UTF-8");
	textdomain("motcua");
	return english;
}
