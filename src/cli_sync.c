/* cli_sync.c - commands for sync with central (being built). */
#include "cli.h"

int cmd_sync(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'sync' is not available yet\n");
	return MC_USAGE;
}

int cmd_central(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'central' is not available yet\n");
	return MC_USAGE;
}

int cmd_conflicts(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'conflicts' is not available yet\n");
	return MC_USAGE;
}

