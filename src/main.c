/* main.c - motcua's entry point: the CLI decides between a command and the UI. */
#include <locale.h>
#include "i18n.h"
int cli_main(int argc, char **argv);

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	i18n_init();
	return cli_main(argc, argv);
}
