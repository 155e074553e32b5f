/* main.c - motcua's entry point: the CLI decides between a command and the UI. */
#include <locale.h>
#include "i18n.h"
#include "privilege.h"
int cli_main(int argc, char **argv);

int main(int argc, char **argv)
{
	if (privilege_drop_early()) /* first: the shared store opened, the group given up */
		return 5;
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	i18n_init();
	return cli_main(argc, argv);
}
