/* main.c - motcua's entry point: the locale, the global options, then one front end.
 *
 * With a command, the CLI runs it (cli_run); without one, the terminal UI opens
 * (ui_main).  Each front end opens its own struct core from the options; neither
 * knows the other.  The UI's `keys` command (its key table, for the manual) is handed
 * to the CLI from here, so the core archive holds no code that points into screens/.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "core.h"
#include "opts.h"
#include "i18n.h"
#include "privilege.h"
#include "../screens/ui.h"

/* commands the CLI takes from the UI */
static const struct command ui_commands[] = {
	{"keys", cmd_keys, "[--man]", N_("list the terminal interface's keys (--man: as man-page roff)")},
	{0, 0, 0, 0},
};

static int takes_value(const char *a) { return !strcmp(a, "--db") || !strcmp(a, "--as") || !strcmp(a, "--charset"); }

static int is_global(const char *a)
{
	return !strcmp(a, "--json") || !strncmp(a, "--db=", 5) || !strncmp(a, "--as=", 5) || !strncmp(a, "--charset=", 10);
}

/* global options may also follow the command: move them to the front of av */
static int reorder(int argc, char **argv, char **av)
{
	int ac = 0;
	av[ac++] = argv[0];
	for (int i = 1; i < argc; i++) {
		if (takes_value(argv[i]) && i + 1 < argc) {
			av[ac++] = argv[i++];
			av[ac++] = argv[i];
		} else if (is_global(argv[i])) {
			av[ac++] = argv[i];
		}
	}
	for (int i = 1; i < argc; i++) {
		if (takes_value(argv[i]) && i + 1 < argc)
			i++;
		else if (!is_global(argv[i]))
			av[ac++] = argv[i];
	}
	av[ac] = NULL;
	return ac;
}

/* the global options into o; -1 to go on (optind: the command), else the exit code */
static int parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'}, {"json", no_argument, 0, 'j'},
		{"as", required_argument, 0, 'a'}, {"charset", required_argument, 0, 'c'},
		{"version", no_argument, 0, 'V'}, {"help", no_argument, 0, 'h'}, {"central", required_argument, 0, 'C'},
		{0, 0, 0, 0},
	};
	const char *db = NULL;
	int c;
	opterr = 0;
	/* "+" stops at the first non-option: the command */
	while ((c = getopt_long(argc, argv, "+d:ja:c:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': o->json = 1; break;
		case 'a': o->as = optarg; break;
		case 'c': o->charset = optarg; break;
		case 'C': o->central = optarg; break;
		case 'V': printf("motcua %s\n", MOTCUA_VERSION); return 0;
		case 'h': cli_usage_all(stdout, ui_commands); return 0;
		default:
			cli_print_err("motcua: unknown option '%s'; see 'motcua --help'", argv[optind - 1]);
			return MC_USAGE;
		}
	}
	int setid = privilege_setid() || getuid() != geteuid() || getgid() != getegid();
	if ((db || o->as) && setid && getuid() != 0) {
		fputs(_("motcua: --db and --as are only for root when motcua runs set-group-id\n"), stderr);
		return MC_DENIED;
	}
	if (db)
		snprintf(o->db, sizeof o->db, "%s", db);
	else
		core_default_path(o->db, sizeof o->db);
	return -1;
}

int main(int argc, char **argv)
{
	static struct opts o;
	static char *av[512];
	if (privilege_drop_early()) /* first: the shared store opened, the group given up */
		return 5;
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	i18n_init();
	if (argc > 500)
		argc = 500;
	argc = reorder(argc, argv, av);
	int rc = parse_options(argc, av, &o);
	if (rc >= 0)
		return rc;
	if (optind >= argc)
		return o.central ? ui_central(&o) : ui_main(&o);
	if (o.central) {
		cli_print_err("motcua: --central before a command opens the province's screens: put it after the command");
		return MC_USAGE;
	}
	return cli_run(&o, ui_commands, argc - optind, av + optind);
}
