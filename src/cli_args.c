/* cli_args.c - what commands with subcommands share in reading their arguments:
 * `motcua CMD SUB [options] [words]`, the options parsed by getopt_long after SUB.
 * Kept apart from cli.c (the command table and the global options) so that each
 * command file reads its own options in one switch, as before, without repeating
 * how the subcommand word is taken off. */
#include <getopt.h>
#include "cli.h"

const char *cli_subcommand(int *argc, char ***argv)
{
	const char *sub = *argc > 1 && (*argv)[1][0] != '-' ? (*argv)[1] : NULL;
	if (sub) { /* getopt_long skips argv[0]: the subcommand, now */
		(*argc)--;
		(*argv)++;
	}
	optind = 0; /* glibc starts afresh, permuting */
	return sub;
}

int cli_bad_option(const char *cmd, char **argv) { return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]); }
