/* ui.c - entry to the terminal UI (being built; see screens/). */
#include <stdio.h>
#include "ui.h"
#include "cli.h"

int ui_main(struct cli *cli)
{
	(void)cli;
	fprintf(stderr, "motcua: the terminal UI is not available in this build; see 'motcua --help'\n");
	return 1;
}
