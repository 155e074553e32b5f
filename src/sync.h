/* sync.h - batch sync between an office store and central, offline bundles, and the
 * conflict queue.
 *
 * Why: offices work offline and meet at central (see DESIGN.md, "Sync with
 * central").  This module owns the rules of both sides; the central backends
 * (central.h) and the local store queries (src/store_sync.c) only keep rows.
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
#include "store.h"

#define SYNC_BATCH 500
#define SYNC_RESOLVED_KIND "conflict_resolved"
/* central sends a dossier to another office (payload from, to, reason) */
#define SYNC_REROUTED_KIND "rerouted"

/* progress: phase "push" / "pull" / "import", done so far, total (0: unknown) */
typedef void (*sync_progress_fn)(void *ctx, const char *phase, int64_t done, int64_t total);

struct sync_opts {
	int batch;                   /* events per batch (0: SYNC_BATCH) */
	sync_progress_fn progress;
	void *ctx;
};

struct sync_result {
	int64_t pushed, push_dup, push_refused;   /* at central: new, already there, quarantined */
	int64_t pulled, pull_dup, quarantined;    /* here */
	int64_t conflicts;                        /* dossiers newly in conflict */
	int ref_applied;
};

/* ---- office side ------------------------------------------------------------ */

/* push then pull; records the outcome in sync_state (last success / last error) */
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

/* the conflict queue */
struct sync_head {               /* one live head of a forked dossier */
	char id[32], kind[24], actor[ACCOUNT_LEN], origin[32];
	int dseq;
	int64_t at;
};
struct sync_conflict {
	char code[CODE_LEN];
	int64_t detected_at;
	int nheads;
	struct sync_head heads[8];
};
typedef int (*sync_conflict_cb)(const struct sync_conflict *k, void *ctx);
int sync_conflicts(struct core *c, sync_conflict_cb cb, void *ctx, struct err *e);
/* a supervisor keeps the line holding event keep_id (a head or any event on one line) */
int sync_resolve(struct core *c, const char *code, const char *keep_id, struct err *e);
/* rebuild a dossier row from its events following the kept line; sets
 * dossiers.conflict and the queue row (call inside a transaction) */
int sync_project(struct core *c, const char *code, struct err *e);

/* ---- central side (a motcua acting as central: CLI central ..., tests) ------- */

struct central_put { int64_t inserted, duplicate, refused; };
/* validate and insert a batch in one central transaction (idempotent) */
int central_put_batch(struct central *cen, const struct event *evs, int n, int64_t now, struct central_put *r, struct err *e);
/* create the schema and central's own identity (agency code, portal user) */
int central_init(const char *url, const char *agency, struct err *e);
/* reference data from an (admin) office store up to central; bumps ref_version */
int central_publish(struct central *cen, struct store *st, int64_t *rows, struct err *e);
/* file an online dossier for an office (stands in for the national portal) */
struct online_req {
	const char *office, *procedure, *name, *idno, *phone, *address;
	int kind;                    /* AK_PERSON / AK_BUSINESS */
	uint32_t components;
	const char *os_account;
};
int central_submit_online(struct central *cen, const struct online_req *r, int64_t now, char *code, size_t n, struct err *e);
/* the applicant withdrew through the portal: an event at central on the dossier */
int central_withdraw(struct central *cen, const char *code, const char *reason, const char *os_account, int64_t now, struct err *e);
/* send a dossier to another office (a 're-routed' event by central): the new office
 * takes its whole history at its next sync, the old one learns it has left; refused
 * when its result is signed, it is finished, or it is in conflict */
int central_reroute(struct central *cen, const char *code, const char *to, const char *reason, const char *os_account,
		    int64_t now, struct err *e);
/* central decides a conflict (e.g. it re-routed a dossier while the office worked on
 * it): a decision event keeping the line of keep_id, routing the dossier to that
 * line's office and reaching every office involved */
int central_resolve(struct central *cen, const char *code, const char *keep_id, const char *os_account, int64_t now,
		    struct err *e);
/* forked dossiers at central with their live heads */
int central_conflicts(struct central *cen, sync_conflict_cb cb, void *ctx, struct err *e);
/* apply an office's bundle and write the reply bundle */
int central_import_bundle(struct central *cen, const char *in, const char *reply, int64_t now,
			  struct central_put *r, int64_t *sent, struct err *e);
/* load central's users and offices (for author checks) */
int central_load_users(struct central *cen, struct err *e);

/* ---- the local store's part (src/store_sync.c) ---------------------------- */

struct sync_state_row {
	int64_t push_seq, pull_cursor, ref_version, last_ok_at, last_error_at, last_pushed, last_pulled;
	int pull_own;
	char last_error[512];
};
int store_sync_state(struct store *st, struct sync_state_row *s);
int store_sync_set_push(struct store *st, int64_t seq, struct err *e);        /* only moves forward */
int store_sync_push_done(struct store *st, int64_t seq, struct err *e);       /* the same, in its own transaction, no fsync */
int store_sync_set_pull(struct store *st, int64_t cursor, struct err *e);     /* only moves forward */
int store_sync_set_ref(struct store *st, int64_t version, struct err *e);
int store_sync_caught_up(struct store *st, struct err *e);                   /* pull_own = 0 */
int store_sync_note(struct store *st, int ok, const char *error, int64_t at, int64_t pushed, int64_t pulled);
/* own events (origin) after seq, in seq order; ev->payload valid during the call */
int store_sync_pending(struct store *st, const char *origin, int64_t after, int limit, store_event_cb cb, void *ctx);
int64_t store_sync_pending_count(struct store *st, const char *origin, int64_t after, int64_t *last_seq);
int store_sync_event_exists(struct store *st, const char *id);   /* 1: in events, 2: quarantined, 0 */
/* the dseq of the event of dossier code with this hash: 0 or MC_NOTFOUND */
int store_sync_find_hash(struct store *st, const char *code, const unsigned char hash[32], int *dseq);
int store_sync_hash_quarantined(struct store *st, const unsigned char hash[32]);
int store_sync_author_ok(struct store *st, const char *account, const char *office);
int store_sync_quarantine(struct store *st, const struct event *ev, const char *reason, int64_t at, struct err *e);
int store_sync_forked(struct store *st, const char *code);       /* 1 if two events share a dseq */
int store_sync_conflict_mark(struct store *st, const char *code, int open, int64_t at, const char *by,
			     const char *kept, struct err *e);
int store_sync_conflict_rows(struct store *st, int (*cb)(const char *code, int64_t detected, void *ctx), void *ctx);
int64_t store_sync_count(struct store *st, const char *what);    /* "quarantine", "conflicts" (open) */
/* reference data as (kind, key, JSON document) rows, for publish */
int store_sync_ref_each(struct store *st, int (*cb)(const char *kind, const char *key, json_t *doc, void *ctx), void *ctx);
/* upsert one reference row pulled from central */
int store_sync_ref_apply(struct store *st, const char *kind, json_t *doc, struct err *e);
/* search key for a dossier inserted by sync */
int store_sync_dossier_insert(struct store *st, struct dossier *d, struct err *e);

#endif
