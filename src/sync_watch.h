/* sync_watch.h - continuous sync: `motcua sync --watch` (src/sync_watch.c). */
#ifndef MOTCUA_SYNC_WATCH_H
#define MOTCUA_SYNC_WATCH_H
#include "sync.h"

#define SYNC_WATCH_INTERVAL 10        /* s between pulls when nothing changed here */
#define SYNC_WATCH_DEBOUNCE_MS 1000   /* a step is pushed this long after it was written */

enum { SYNC_WATCH_SYNCED, SYNC_WATCH_OFFLINE, SYNC_WATCH_STILL_OFFLINE, SYNC_WATCH_BACK, SYNC_WATCH_WAITING };

/* what happened: a sync that moved something (r), central unreachable (why, and
 * the seconds until the next try), or reachable again (r), or another sync of this
 * store running (why: who; tried again every wait_s seconds) */
typedef void (*sync_watch_report_fn)(void *ctx, int what, const struct sync_result *r, const char *why, int wait_s);

struct sync_watch_opts {
	const struct sync_opts *sync;
	int interval_s;               /* 0: SYNC_WATCH_INTERVAL */
	int debounce_ms;              /* 0: SYNC_WATCH_DEBOUNCE_MS */
	int tick_ms;                  /* 0: 500 */
	int max_runs;                 /* 0: until SIGINT / SIGTERM */
	sync_watch_report_fn report;
	void *ctx;
};

/* syncs now, then whenever the store changed or the interval passed, until SIGINT or
 * SIGTERM (returns 0); returns an error only for what waiting cannot fix (no central
 * set, a schema to upgrade, a permission) */
int sync_watch(struct core *c, const char *url, const struct sync_watch_opts *o, struct err *e);
void sync_watch_stop(void);

#endif
