/* cli_catalog.h - the catalogue's update commands (cli_catalog.c, cli_fetch.c). */
#ifndef MOTCUA_CLI_CATALOG_H
#define MOTCUA_CLI_CATALOG_H

#include "catalog.h"
#include "cli.h"

/* what an import or a fetch did: each added or versioned procedure, then the counts */
void cli_catalog_summary(struct cli *cli, const struct catalog_result *r);
/* catalog fetch CODE... | --field CODE (the national catalogue) */
int cli_catalog_fetch(struct cli *cli, int argc, char **argv);
/* catalog versions CODE */
int cli_catalog_versions(struct cli *cli, int argc, char **argv);

#endif
