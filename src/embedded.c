/* embedded.c - looking up the SQL compiled in from db/ (see tools/embed.sh). */
#include <string.h>
#include "embedded.h"

const struct embedded *embedded_find(const char *name)
{
	for (const struct embedded *f = embedded_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
