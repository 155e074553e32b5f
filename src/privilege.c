/* privilege.c - the set-group-id install's one privileged act (see privilege.h).
 *
 * Owns the process's ids: nothing else raises or keeps them.  The store layer keeps
 * the connection opened here (store_preopen) and hands it to the first store_open of
 * the same path.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core.h"
#include "i18n.h"
#include "privilege.h"
#include "store.h"

static int started_setid;

/* a refusal comes before main picks the language: pick it here (the process ends) */
static void say_language(void)
{
	setlocale(LC_ALL, "");
	i18n_init();
}

int privilege_setid(void) { return started_setid; }

int privilege_drop_early(void)
{
	gid_t g = getgid();
	uid_t u = getuid();
	started_setid = u != geteuid() || g != getegid();
	if (!started_setid)
		return 0;
	char path[4096];
	core_default_path(path, sizeof path); /* set-id: the compiled-in shared store only */
	store_preopen(path);
	if (setresgid(g, g, g) != 0 || setresuid(u, u, u) != 0 || getegid() != g || geteuid() != u) {
		int err = errno;
		say_language();
		fprintf(stderr, _("motcua: cannot give up the set-group-id privilege: %s\n"), strerror(err));
		return MC_DENIED;
	}
	gid_t rg, eg, sg;
	if (getresgid(&rg, &eg, &sg) != 0 || rg != g || eg != g || sg != g) {
		say_language();
		fputs(_("motcua: the set-group-id privilege is still held\n"), stderr);
		return MC_DENIED;
	}
	return 0;
}
