/* store_recover.h - the local store's side of a sync that finds central went back in
 * time (src/sync_recover.c): its own events by position, and cursors moved back. */
#ifndef MOTCUA_STORE_RECOVER_H
#define MOTCUA_STORE_RECOVER_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "event.h"
#include "store.h"

/* the last event of origin at or below seq: 0 (ev's seq, id, dossier_code and dseq
 * set), 1 if none */
int store_recover_own_at(struct store *st, const char *origin, int64_t seq, struct event *ev);
/* own events of origin after seq */
int64_t store_recover_own_after(struct store *st, const char *origin, int64_t seq);
/* move the push cursor back to push_seq and/or the pull cursor back to pull_cursor
 * (-1: leave it), in one transaction */
int store_recover_rewind(struct store *st, int64_t push_seq, int64_t pull_cursor, struct err *e);

#endif
