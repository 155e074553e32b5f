/* snapshot.h - central's per-dossier snapshot, and dossiers an office took from it.
 *
 * Why: a new office's first sync used to pull and replay every event of every
 * dossier routed to it (6M events for 1M dossiers).  Central instead keeps, per
 * dossier, its head event and its projected state (c_snapshot, db/central/), brought
 * up to date by `motcua central snapshot` (an administrator, e.g. nightly).  A store
 * with no events at all loads those rows (sync.c) and stores each dossier's head
 * event and its base (db/0006_snapshot.sql: code, dseq, head hash, state); its
 * history then starts at the base: later events are applied on top of the base state,
 * the audit accepts a chain that starts at the recorded base, and `sync fetch CODE`
 * brings the older events back (they chain to the base) and drops it.
 *
 * The state is the projection row (struct dossier) as JSON with store-independent
 * names instead of local ids: office agency code, procedure code, department code,
 * assignee account.  This file owns that (de)serialisation and the central side of
 * the snapshot (central_snapshot); the office side (the first sync, sync_fetch) is in
 * sync.c, the bases and load progress in the store (store_sync.h).
 */
#ifndef MOTCUA_SNAPSHOT_H
#define MOTCUA_SNAPSHOT_H

#include <jansson.h>
#include <stdint.h>
#include "central.h"
#include "core.h"
#include "err.h"
#include "model.h"
#include "store.h"
#include "store_sync.h"

/* dossiers loaded per local transaction on a first sync by snapshot */
#define SNAPSHOT_CHUNK 5000

/* id -> code lookups for serialising many dossiers (reference data is small) */
struct snapshot_names;
struct snapshot_names *snapshot_names_new(struct store *st);
void snapshot_names_free(struct snapshot_names *n);

/* the dossier row as JSON text (malloc'd; NULL on error with e set) */
char *snapshot_state_dump(struct snapshot_names *n, const struct dossier *d, struct err *e);
/* and back: names mapped to this store's ids (MC_INVALID / MC_NOTFOUND with e set);
 * d->id is 0, d->conflict 0 */
int snapshot_state_load(struct store *st, const char *text, struct dossier *d, struct err *e);

/* Where a replay of a dossier's local events starts: a dossier this store took from
 * central's snapshot starts from its base state (loaded into d) and the events with
 * dseq <= the returned base step are in d already; any other dossier starts from
 * nothing (d zeroed, 0 returned).  -1 with e set if the base state cannot be read.
 * Every replay (history, detail screen, reports, form 06, signatures) goes through
 * this, so none mistakes a base head for a dossier's first step. */
int snapshot_replay_start(struct store *st, const char *code, struct dossier *d, struct err *e);

/* an event as JSON text (malloc'd) and back (ev->payload malloc'd: event_clear) */
char *snapshot_event_dump(const struct event *ev);
int snapshot_event_load(const char *text, struct event *ev, struct err *e);

/* ---- central side ----------------------------------------------------------------- */

struct snapshot_result {
	int64_t dossiers, stateless, events;   /* rows written, of them forked (no state), events read */
	int64_t from, to;                      /* log positions covered before and after */
};
typedef void (*snapshot_progress_fn)(void *ctx, const char *phase, int64_t done, int64_t total);
/* Bring c_snapshot up to central's log position: the dossiers with events after the
 * last snapshot are projected again (dossier_apply, with st for reference data) and
 * their rows upserted; c_meta 'snapshot_pos' moves in the same central transaction. */
int central_snapshot(struct central *cen, struct store *st, snapshot_progress_fn progress, void *ctx,
		     struct snapshot_result *r, struct err *e);

#endif
