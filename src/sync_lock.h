/* sync_lock.h - one sync of a store at a time (src/sync_lock.c).
 *
 * sync_run, sync_import_reply, sync_export and sync_fetch take the lock for their whole
 * run; a second one on the same store waits a short bounded time for it, then stops
 * with MC_BUSY and a message naming the holder.  `sync --watch` does not wait: it tries again at its
 * next tick, and says it is waiting (sync_watch.c).
 */
#ifndef MOTCUA_SYNC_LOCK_H
#define MOTCUA_SYNC_LOCK_H
#include <stdint.h>
#include "core.h"
#include "sync.h"

#define SYNC_LOCK_WAIT_MS 5000   /* how long a second sync waits for the first */

/* the holder of the lock, as its file names it (pid 0: not known) */
struct sync_holder {
	long pid;
	int64_t since;
	char host[65];
};

/* take the lock, waiting up to wait_ms (0: SYNC_LOCK_WAIT_MS, < 0: not at all);
 * waiting() (may be NULL) is called once when the lock is found taken and this waits.
 * 0, MC_BUSY (another sync runs: e names it and says what to do) or MC_IO */
int sync_lock(struct core *c, int wait_ms, void (*waiting)(void *ctx), void *ctx, struct err *e);
/* sync_lock waiting SYNC_LOCK_WAIT_MS, a sync's progress told phase "wait" when it
 * waits (a process that holds the lock already takes it again at once) */
int sync_lock_opts(struct core *c, const struct sync_opts *o, struct err *e);
void sync_unlock(struct core *c);
/* 1 if another process is syncing this store now (h: who), 0 if not */
int sync_lock_running(struct core *c, struct sync_holder *h);

#endif
