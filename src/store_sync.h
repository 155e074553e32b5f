/* store_sync.h - the local store's part of sync (src/store_sync.c): the sync_state
 * row, pending own events, the checks on foreign events, the quarantine, the conflict
 * queue, reference data rows, and the snapshot bases and load progress of a first
 * sync by snapshot.
 *
 * Why apart from store.h: only sync and the snapshot need these; the rules that use
 * them are in src/sync.c (the office's side of sync) and src/snapshot.c.
 */
#ifndef MOTCUA_STORE_SYNC_H
#define MOTCUA_STORE_SYNC_H

#include <jansson.h>
#include <stdint.h>
#include "err.h"
#include "model.h"
#include "store.h"

/* ---- sync (db/0004_sync.sql) ------------------------------------------------------ */

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
/* 1 if this store holds ev (its id, in events or quarantine, with ev's hash), -1 if the
 * id is another event's here (a PostgreSQL central may hold an id twice), 0 if neither */
int store_sync_event_held(struct store *st, const struct event *ev);
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

/* ---- dossiers taken from central's snapshot (db/0006_snapshot.sql, snapshot.h) ---- */

struct snapshot_base {
	char code[CODE_LEN];
	int dseq;
	unsigned char hash[32];
	int64_t pos;
	char *state;           /* malloc'd JSON text (NULL when not asked for) */
};
/* 0 or MC_NOTFOUND; with_state: also read the state text (free b->state) */
int store_snapshot_base_get(struct store *st, const char *code, int with_state, struct snapshot_base *b);
int store_snapshot_base_put(struct store *st, const struct snapshot_base *b, struct err *e);
int store_snapshot_base_drop(struct store *st, const char *code, struct err *e);
int64_t store_snapshot_base_count(struct store *st);
/* the first sync's progress: 0 found, MC_NOTFOUND if no load ever started */
int store_snapshot_load_get(struct store *st, int64_t *pos, char *after, size_t n, int *done);
int store_snapshot_load_set(struct store *st, int64_t pos, const char *after, int done, struct err *e);
/* 1 if the store has no event at all */
int store_sync_no_events(struct store *st);

#endif
