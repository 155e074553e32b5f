/* central_listen.h - hearing from a PostgreSQL central that it has something for an
 * office (LISTEN/NOTIFY, src/central_listen.c), for `motcua sync --watch`. */
#ifndef MOTCUA_CENTRAL_LISTEN_H
#define MOTCUA_CENTRAL_LISTEN_H
#include "err.h"

struct central_listen;
/* a connection listening on office's channel; NULL (e says why) if url is not a
 * PostgreSQL central or it cannot be reached: the caller keeps polling */
struct central_listen *central_listen_open(const char *url, const char *office, struct err *e);
/* wait up to timeout_ms: 1 central notified (one or more), 0 nothing, -1 the
 * connection is lost (close it; polling goes on) */
int central_listen_wait(struct central_listen *l, int timeout_ms);
void central_listen_close(struct central_listen *l);
#endif
