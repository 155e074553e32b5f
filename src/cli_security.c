/* cli_security.c - commands for keys, signatures and the audit of the event log (being built). */
#include "cli.h"

int cmd_key(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'key' is not available yet\n");
	return MC_USAGE;
}

int cmd_verify(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'verify' is not available yet\n");
	return MC_USAGE;
}

int cmd_signature(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'signature' is not available yet\n");
	return MC_USAGE;
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'audit' is not available yet\n");
	return MC_USAGE;
}

