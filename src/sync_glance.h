/* sync_glance.h - the sync state at a glance, for the UI's status line: read every
 * few seconds and after each step, so it must stay cheap.
 *
 * Why not sync_status(): that call counts the pending events from the push cursor
 * every time, a scan of every unsent event (a second on a never-synced store of
 * 6,000,000 events).  sync_glance reads the one state row, whether a central is set
 * and the open conflicts; sync_glance_pending counts only the own events written
 * after a given position (events.seq only grows), so a caller that keeps its count
 * adds just what is new.
 */
#ifndef MOTCUA_SYNC_GLANCE_H
#define MOTCUA_SYNC_GLANCE_H

#include "core.h"

struct sync_glance {
	int has_central;            /* the setting central.url is set */
	int64_t push_seq;           /* the push cursor: central has every own event up to it */
	int64_t last_ok_at, last_error_at;
	char last_error[512];
	int64_t conflicts;          /* open */
	int64_t top;                /* the last event's seq (-1 if unknown) */
};

/* 0, or -1 if the store has no sync tables */
int sync_glance(struct core *c, struct sync_glance *g);
/* own events after seq from; *last gets the seq of the last one counted */
int64_t sync_glance_pending(struct core *c, int64_t from, int64_t *last);
/* the first sync remembers its central (setting central.url) before it starts, when
 * none is saved yet, so that a sync killed midway is resumed by a plain 'motcua sync' */
int sync_glance_remember(struct core *c, const char *url, struct err *e);
/* how many dossiers this store holds from central's snapshot (older steps at central) */
int64_t sync_glance_snapshot_bases(struct core *c);

#endif
