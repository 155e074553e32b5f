/* err_print.c - an error as a person reads it: "motcua: message" on stderr, through
 * the sanitiser (messages quote arguments and store text, never drawn raw).  The CLI
 * and the UI's start-up both print failures this way. */
#include <stdio.h>
#include "err.h"
#include "text.h"

int err_print(const struct err *e)
{
	char safe[1024];
	text_sanitize(e->msg, safe, sizeof safe);
	fprintf(stderr, "motcua: %s\n", safe);
	return e->code ? e->code : 1;
}
