/* strbuf.h - a growing text buffer (git's strbuf is the model).
 *
 * Why: forms, signatures and the PostgreSQL COPY stream each build text of unknown
 * length; one buffer type serves them all instead of one hand-rolled in each file.
 * A struct strbuf starts zeroed ({0}); buf stays NULL until something is added and is
 * then always NUL-terminated (len excludes the NUL).  Running out of memory sets oom
 * and keeps what was there: callers add freely and check oom (or a return) once.
 */
#ifndef MOTCUA_STRBUF_H
#define MOTCUA_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, cap;
	int oom;
};

/* append n bytes (0, or -1 with oom set if memory ran out) */
int strbuf_add(struct strbuf *sb, const void *data, size_t n);
int strbuf_addstr(struct strbuf *sb, const char *s);
/* empty it, keeping its memory */
void strbuf_reset(struct strbuf *sb);
/* free its memory; it is empty and usable again */
void strbuf_release(struct strbuf *sb);

#endif
