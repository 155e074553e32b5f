/* central.h - the central database seen from motcua: a small backend interface with
 * two implementations, a SQLite file (src/central_sqlite.c, "sqlite:PATH") and
 * PostgreSQL through libpq (src/central_pg.c, "postgresql://..." or any conninfo),
 * and central's side of sync (src/central.c).
 *
 * Why: offices meet at central.  The rules (what is valid, what is a conflict, who
 * pulls what) live once, central's in src/central.c, the office's in src/sync.c and
 * the history both read in src/history.c; a backend only stores and finds rows, so
 * both behave the same and pass the same tests.
 *
 * Central tables (db/central/): c_meta (schema, agency, log_pos, ref_version),
 * c_ref (reference data as JSON documents by kind and key), c_events (every event
 * once, with its commit-ordered log position `pos` and the office it concerns),
 * c_dossiers (code -> office it is routed to now), c_deliveries (events an office
 * pulls besides those of the dossiers routed to it: central's re-routing reaches the
 * office the dossier leaves, its decision on a conflict every office involved), c_quarantine, c_counters (central's
 * own dossier numbering), c_snapshot (per dossier: head event and projected state up
 * to c_meta 'snapshot_pos', for a new office's first sync; see snapshot.h).
 *
 * The pull cursor is a log position, and a reader must never move it past a position
 * that may still commit.  SQLite (one writer): a writing batch (begin(write=1)) takes
 * positions log_pos+1.. under BEGIN IMMEDIATE and moves c_meta 'log_pos' before it
 * commits, so positions become visible in commit order.  PostgreSQL (parallel
 * ingest, src/central_pg.c): a batch's positions are its transaction id << 20 plus
 * the event's place in the batch; readers stop below the xmin of their snapshot
 * (c_log_head()), under every transaction still open, so a batch that commits late
 * is read at the next pull, never skipped.  Either way readers take the head and
 * the rows up to it in one snapshot (REPEATABLE READ) and never block writers.
 * Positions are ordered but need not be consecutive.
 */
#ifndef MOTCUA_CENTRAL_H
#define MOTCUA_CENTRAL_H

#include <jansson.h>
#include <stdint.h>
#include "err.h"
#include "history.h"
#include "model.h"

/* the central schema version this motcua speaks (c_meta 'schema'; bundles carry it):
 * 2 deliveries (re-routing), 3 positions from transaction ids on PostgreSQL (parallel
 * ingest, c_log_head) and the national portal's outbox, 4 signed events (c_events.sig),
 * files (c_files), the province's projection kept at ingest, office roles, 5 the
 * competent agency in the projection (form II.06a), files, routing and histories
 * through checked functions for office roles, central's identity (c_meta 'epoch') */
#define CENTRAL_SCHEMA 5
/* the user central's own events (online filing, portal withdrawals) are written as */
#define CENTRAL_PORTAL_ACTOR "portal"
#define CENTRAL_DEFAULT_AGENCY "000.00.00.H45"

struct central;

/* callbacks get events whose strings (payload too) are valid during the call only;
 * ev->seq is the central log position */
typedef int (*central_event_cb)(const struct event *ev, void *ctx);
/* a staged event's previous event: office is where it routes the dossier, NULL when
 * central does not have it */
typedef int (*central_prev_cb)(int ord, const char *office, void *ctx);
/* the same, with the office the event's dossier is routed to */
typedef int (*central_office_event_cb)(const struct event *ev, const char *office, void *ctx);

/* one c_snapshot row; strings valid during a callback only */
struct central_snap_row {
	char code[CODE_LEN];
	char office[32];
	int64_t pos;                /* central's log position the row covers */
	int dseq;                   /* the head event's */
	unsigned char hash[32];
	const char *event;          /* the head event as JSON (snapshot_event_dump) */
	const char *state;          /* the projected row as JSON; NULL: forked, replay it */
};
typedef int (*central_snap_cb)(const struct central_snap_row *r, void *ctx);

struct central_ops {
	const char *name;
	int (*open)(struct central *c, const char *target, struct err *e);
	void (*close)(struct central *c);
	/* create the schema if missing; returns 0 (also when it existed) */
	int (*init)(struct central *c, struct err *e);
	/* c_meta: 0 found, MC_NOTFOUND absent, other codes on error */
	int (*meta_get)(struct central *c, const char *key, char *buf, size_t n, struct err *e);
	int (*meta_set)(struct central *c, const char *key, const char *value, struct err *e);
	/* write=1: a writing transaction (SQLite: holding the log lock); *log_pos gets the
	 * base of its positions; write=0 with log_pos: the log head the reader may read */
	int (*begin)(struct central *c, int write, int64_t *log_pos, struct err *e);
	int (*commit)(struct central *c, struct err *e);
	void (*rollback)(struct central *c);
	/* batch upload, inside begin(write): stage the events (ord = index + 1) ... */
	int (*stage)(struct central *c, const struct event *evs, const char *const *offices, int n, struct err *e);
	/* ... report, for every staged event that has a previous event, whether central
	 * has that event and the office it routes the dossier to ... */
	int (*prevs)(struct central *c, central_prev_cb cb, void *ctx, struct err *e);
	/* ... drop the refused ones ... */
	int (*unstage)(struct central *c, const int *ords, int n, struct err *e);
	/* ... and insert the rest idempotently at log positions base+ord, each going to
	 * routes[ord-1], the office its line routes the dossier to (SQLite: moves log_pos) */
	int (*publish_staged)(struct central *c, int64_t base, int n, const char (*routes)[32], int *inserted,
			      struct err *e);
	int (*quarantine)(struct central *c, const struct event *ev, const char *reason, int64_t at, struct err *e);
	/* inside the batch, after publish_staged: office pulls this event too (found by
	 * its dossier, dseq and id: on PostgreSQL an id is unique with its dossier and dseq) */
	int (*deliver)(struct central *c, const struct event *ev, const char *office, struct err *e);
	/* events concerning office (routed to it, or delivered to it) with log_pos > cursor in log order (inside begin(0));
	 * own: include events written by office itself.  *next: the cursor after them */
	int (*events_since)(struct central *c, const char *office, int64_t cursor, int limit, int own,
			    central_event_cb cb, void *ctx, int64_t *next, struct err *e);
	/* every event of a dossier by dseq */
	int (*dossier_events)(struct central *c, const char *code, central_event_cb cb, void *ctx, struct err *e);
	/* dossiers with two events at the same dseq (forks), by code */
	int (*forked)(struct central *c, int (*cb)(const char *code, void *ctx), void *ctx, struct err *e);
	/* counts for status and tests: events (office NULL: all), quarantined */
	int (*counts)(struct central *c, const char *office, int64_t *events, int64_t *quarantined, struct err *e);
	/* reference data: rows (kind, key, JSON text) upserted / listed (kind NULL: every
	 * kind, offices before departments before users, procedures after fields; else that
	 * kind's rows only, through the table's key: a sync reads its users, not the catalogue) */
	int (*ref_put)(struct central *c, const char *kind, const char *key, const char *doc, struct err *e);
	int (*ref_list)(struct central *c, const char *kind, int (*cb)(const char *kind, const char *key, const char *doc, void *ctx),
			void *ctx, struct err *e);
	/* next number of central's daily dossier counter (inside begin(1)) */
	int (*counter_next)(struct central *c, const char *day, int *n, struct err *e);
	/* the office of the event with this id at central: 0, or MC_NOTFOUND if central
	 * does not have it */
	int (*event_office)(struct central *c, const struct event *ev, char *office, size_t n, struct err *e);
	/* the snapshot (snapshot.h).  Building: one transaction that sees the log up to
	 * *log_pos (SQLite: BEGIN IMMEDIATE; PostgreSQL: REPEATABLE READ, no log lock) ... */
	int (*snapshot_begin)(struct central *c, int64_t *log_pos, struct err *e);
	/* ... streaming the events at or below upto of the dossiers with an event after
	 * `after` (0: all), by dossier_code, dseq, pos ... */
	int (*snapshot_events)(struct central *c, int64_t after, int64_t upto, central_office_event_cb cb, void *ctx,
			       struct err *e);
	/* ... upserting rows by code; then meta_set 'snapshot_pos' and commit */
	int (*snapshot_put)(struct central *c, const struct central_snap_row *rows, int n, struct err *e);
	/* loading (inside begin(0)): office's rows with code > after, by code, at most limit;
	 * office's rows are the dossiers it ever held (an event routed to it): those routed
	 * to it now, those it received and follows, resolved and sent on, re-routed away */
	int (*snapshot_rows)(struct central *c, const char *office, const char *after, int limit, central_snap_cb cb,
			     void *ctx, struct err *e);
	int (*snapshot_count)(struct central *c, const char *office, int64_t *rows, struct err *e);
};

struct central {
	const struct central_ops *ops;
	void *impl;                 /* the backend's connection */
	char target[1024];          /* URL without password, for messages */
	char agency[32];            /* central's own agency code (c_meta 'agency') */
	int schema;                 /* c_meta 'schema' */
	int64_t ref_version;
	/* users known to central: account -> office, loaded by central_load_users */
	struct central_user { char account[ACCOUNT_LEN]; char office[32]; } *users;
	int nusers;
	char (*offices)[32];        /* agency codes known to central */
	int noffices;
	/* the stores' keys central_put_batch checks signatures with, kept between batches */
	struct storekey_set *keys;
	int keys_loaded;
};

extern const struct central_ops central_sqlite_ops;
extern const struct central_ops central_pg_ops;

/* open by URL ("sqlite:PATH", "postgresql://...", "postgres://...", or a libpq
 * conninfo "host=... dbname=..."); reads c_meta unless init is 1 */
struct central *central_open(const char *url, int init, struct err *e);
void central_close(struct central *c);
/* the schema check every batch goes through: 0, or MC_VERSION naming the side to upgrade */
int central_check_schema(const struct central *c, int batch_schema, const char *who, struct err *e);

/* the URL for messages: without its password */
void central_display_url(const char *url, char *out, size_t n);

/* ---- central's rules (src/central.c; a motcua acting as central: CLI central ..., tests) */

struct central_put { int64_t inserted, duplicate, refused; };
/* validate and insert a batch in one central transaction (idempotent) */
int central_put_batch(struct central *cen, const struct event *evs, int n, int64_t now, struct central_put *r, struct err *e);
/* the same for an office store pushing its own events in its own process: own[i] is 1
 * if that store checked, with its own key own_pub, that it signed evs[i] itself (sync.c:
 * by signing again); central does not check such an event a second time when it holds
 * own_pub as a key of the event's office (own NULL: central_put_batch) */
int central_put_own_batch(struct central *cen, const struct event *evs, int n, const unsigned char *own,
			  const unsigned char own_pub[32], int64_t now, struct central_put *r, struct err *e);
/* test hook (tests/bench/province.c): called in central_put_batch with the batch
 * written and not yet committed; NULL in motcua */
extern void (*central_test_before_commit)(struct central *cen);
/* create the schema and central's own identity (agency code, portal user) */
int central_init(const char *url, const char *agency, struct err *e);
/* reference data from an (admin) office store up to central; bumps ref_version */
int central_publish(struct central *cen, struct store *st, int64_t *rows, struct err *e);
/* file an online dossier for an office (stands in for the national portal) */
struct online_req {
	const char *office, *procedure, *name, *idno, *phone, *address;
	int kind;                    /* AK_PERSON / AK_BUSINESS */
	uint32_t components;         /* COMPONENTS_ALL: every component of the procedure */
	const char *os_account;
	const char *portal_code;     /* filed on the national portal: its MaHoSo is the code; NULL: central numbers it */
	json_t *links;               /* its files' download links (online_links.h), kept in the received event; NULL: none */
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

#endif
