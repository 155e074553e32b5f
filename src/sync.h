/* sync.h - the office's side of sync with central: push, pull, the first sync by
 * snapshot and fetching a dossier's older steps, status, offline bundles, and the
 * conflict queue (sync.c talks to central; sync_apply.c applies what comes back).
 *
 * Why: offices work offline and meet at central (see DESIGN.md, "Sync with
 * central").  This module owns the office's rules; central's are in central.h, the
 * history model both sides read (heads, lines, routes) in history.h; the central
 * backends and the local store queries (store_sync.h) only keep rows.
 *
 * Up: every event this office wrote (origin = its agency code), in events.seq
 * order, 500 per central transaction; central validates each (hash, chain, author)
 * and inserts it once (event ids are unique: a replayed batch changes nothing),
 * quarantining the invalid ones with their reason.  The push cursor (sync_state.
 * push_seq) moves only after central committed.
 * Down: reference data when central's ref_version changed, then the events of the
 * dossiers routed to this office since the pull cursor (a central log position, see
 * central.h), each batch applied in one local transaction that also stores the new
 * cursor.  Foreign events are checked again here (hash, chain, author known for
 * their origin office); invalid ones go to the quarantine table, never applied,
 * never blocking the rest.  A dossier's history is ordered by its chain (dseq,
 * prev_hash), never by clock time.
 * Conflicts: two events with the same previous event (a fork: two places changed the
 * dossier without seeing each other).  Both are kept; the dossier gets conflict = 1
 * and a row in the conflict queue.  A supervisor keeps one line (sync_resolve): a
 * "conflict_resolved" event on the kept line, naming the discarded heads, that syncs
 * like any other.  The projection (sync_project) follows the kept line.
 * Re-routing: central sends a dossier to another office with a "rerouted" event
 * (central_reroute); every event at central carries the office its line routes the
 * dossier to, so the office it left may still extend its old line (a conflict, which
 * central decides: central_resolve) but not the new one.  The new office takes the
 * dossier's whole history when a pulled event follows steps it does not have.
 * Bundles (bundle.h): the same batches through files for offices with no network.
 */
#ifndef MOTCUA_SYNC_H
#define MOTCUA_SYNC_H

#include <jansson.h>
#include <stdint.h>
#include "central.h"
#include "core.h"
#include "filesync.h"
#include "history.h"

/* progress: phase "push" / "pull" / "import", done so far, total (0: unknown) */
typedef void (*sync_progress_fn)(void *ctx, const char *phase, int64_t done, int64_t total);

struct sync_opts {
	int batch;                   /* events per batch (0: SYNC_BATCH) */
	sync_progress_fn progress;
	void *ctx;
};

/* what a sync found when central had gone back in time (src/sync_recover.c) */
struct sync_recovery {
	int64_t resend;              /* own events central had acknowledged and lacks: sent again */
	int reread;                  /* central's log read again from the start: 1 another central, 2 behind */
};
int sync_recover(struct core *c, struct central *cen, struct sync_recovery *rv, struct err *e);

struct sync_result {
	int64_t pushed, push_dup, push_refused;   /* at central: new, already there, quarantined */
	int64_t pulled, pull_dup, quarantined;    /* here */
	int64_t conflicts;                        /* dossiers newly in conflict */
	int ref_applied;
	struct filesync_result files;             /* after the events (filesync.h) */
	struct sync_recovery recovered;           /* before them (sync_recover) */
};

/* push then pull; records the outcome in sync_state (last success / last error).
 * One at a time per store (sync_lock.h): MC_BUSY when another one runs; progress
 * gets phase "wait" once when this one waits for it. */
int sync_run(struct core *c, const char *url, const struct sync_opts *o, struct sync_result *r, struct err *e);
int sync_push(struct core *c, struct central *cen, const struct sync_opts *o, struct sync_result *r, struct err *e);
int sync_pull(struct core *c, struct central *cen, const struct sync_opts *o, struct sync_result *r, struct err *e);

struct sync_status {
	int64_t pending;             /* own events central has not acknowledged */
	int64_t push_seq, pull_cursor, ref_version;
	int64_t last_ok_at, last_error_at, last_pushed, last_pulled;
	char last_error[512];
	int64_t quarantined, conflicts;
	char url[1024];              /* setting central.url ('' if none) */
};
int sync_status(struct core *c, struct sync_status *s, struct err *e);

/* offline: write the pending events to a bundle file; apply central's reply */
int sync_export(struct core *c, const char *path, int64_t *count, struct err *e);
int sync_import_reply(struct core *c, const char *path, const struct sync_opts *o, struct sync_result *r, struct err *e);

/* the conflict queue (struct sync_conflict: history.h) */
int sync_conflicts(struct core *c, sync_conflict_cb cb, void *ctx, struct err *e);
/* a supervisor keeps the line holding event keep_id (a head or any event on one line) */
int sync_resolve(struct core *c, const char *code, const char *keep_id, struct err *e);
/* rebuild a dossier row from its events following the kept line; sets
 * dossiers.conflict and the queue row (call inside a transaction) */
int sync_project(struct core *c, const char *code, struct err *e);

/* `sync fetch CODE`: the older events of a dossier taken from central's snapshot
 * (snapshot.h), from central (url NULL: the configured one); they must chain to its
 * base head; the base is dropped and the row projected from the whole history, in
 * one local transaction.  *added (may be NULL) counts the events stored. */
int sync_fetch(struct core *c, const char *url, const char *code, int64_t *added, struct err *e);

#endif
