/* embedded.h - the SQL files of db/ compiled into the binary (see tools/embed.sh).
 * Names are relative to db/: "0001_init.sql", "central/0001_central.sql", ... */
#ifndef MOTCUA_EMBEDDED_H
#define MOTCUA_EMBEDDED_H
#include <stddef.h>
struct embedded { const char *name; const char *text; size_t len; };
extern const struct embedded embedded_files[]; /* ends with a {0} row */
const struct embedded *embedded_find(const char *name);
#endif
