/* cli_report.c - commands for reports, forms and the dashboard (being built). */
#include "cli.h"

int cmd_report(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'report' is not available yet\n");
	return MC_USAGE;
}

int cmd_form(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'form' is not available yet\n");
	return MC_USAGE;
}

int cmd_dashboard(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	fprintf(stderr, "motcua: 'dashboard' is not available yet\n");
	return MC_USAGE;
}

