/* store_internal.h - what the store's own files share: the connection and its
 * prepared-statement cache.  Included only by src/store*.c. */
#ifndef MOTCUA_STORE_INTERNAL_H
#define MOTCUA_STORE_INTERNAL_H

#include <sqlite3.h>
#include "i18n.h"
#include "store.h"

#define STORE_CACHE 128

#define STORE_BUSY_US 10000000L   /* a lock is waited for up to 10 s */

struct store {
	sqlite3 *db;
	int depth;                 /* transaction nesting */
	int readonly;
	char path[4096];
	struct { const char *sql; sqlite3_stmt *stmt; } cache[STORE_CACHE];
	int ncache;
	long busy_limit_us;        /* how long a lock is waited for in all */
	long busy_slept_us;        /* slept so far for the current lock */
	long checkpoints_busy;     /* RESTART checkpoints that returned SQLITE_BUSY (retried later) */
	/* bulk load (store_bulk_begin, store_dossier.c) */
	int bulk;                  /* on: inner transactions take no savepoint */
	int bulk_failed;           /* a step failed inside the current outer transaction */
	int held;                  /* 0 none, 1 saved, 2 changed since saved */
	struct dossier *held_d;    /* the dossier the bulk load is walking */
	int files_fd;              /* <store>-files, the container of large attached files (store_files.c), -1 if none */
	int sync_fd;               /* <store>-sync.lock, one sync at a time (store_synclock.c), -1 if none */
	int sync_denied;           /* ... which is there, but this account may not open it */
};
/* open (creating it when writable) the container of large files; in store_open, while
 * the set-group-id install still holds the group (store_files.c) */
void store_files_open(struct store *st);
/* the same for the sync lock file (store_synclock.c) */
void store_synclock_open(struct store *st);

/* a reset, cached prepared statement for a string literal (NULL on error) */
sqlite3_stmt *store_prep(struct store *st, const char *sql);
/* map a SQLite result code to an MC_* code with a message */
int store_fail(struct store *st, struct err *e, int rc, const char *what);
/* copy column text into buf */
void store_col_text(sqlite3_stmt *s, int col, char *buf, size_t n);
/* bind text, NULL-safe */
void store_bind_text(sqlite3_stmt *s, int i, const char *t);
/* column i's text, "" when NULL (valid until the next step or reset) */
const char *store_col(sqlite3_stmt *s, int i);
/* step a write statement prepared by store_prep (NULL: an internal SQL error) and reset it */
int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what);
/* the columns of the events table that store_event_row reads, in its order */
/* a liên thông part's chain (code PARENT-Pn, n from 1, lienthong.h) is no dossier of its
 * own: searches, queues, registers and statistics leave it out (one or two digits); nor
 * is a receipt chain of fees paid at the receiving desk (PARENT-F1, fees_counter.h) */
#define STORE_NOT_CHAIN(col) " (" col " NOT LIKE '%-P_' AND " col " NOT LIKE '%-P__' AND " col " NOT LIKE '%-F_')"

#define STORE_EVENT_COLS "seq, id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig"
/* one events row (SELECT STORE_EVENT_COLS) into ev; ev->payload points into the
 * statement (NULL if none), valid until its next step or reset: copy it to keep it */
void store_event_row(sqlite3_stmt *s, struct event *ev);
/* an event's signature from column col (NULL: unsigned) */
void store_event_sig(sqlite3_stmt *s, int col, struct event *ev);
/* the columns of the dossiers table that store_dossier_row reads, in its order */
const char *store_dossier_cols(void);
void store_dossier_row(sqlite3_stmt *s, struct dossier *d);
/* a procedure's terms from columns col.. col+11: name, field_id, fields.code, fields.name,
 * time_unit = 'hour', statutory_direct, committed_direct, statutory_online,
 * committed_online, fee, online_level = 'full', cutoff (store_ref.c) */
void store_proc_terms_row(sqlite3_stmt *s, int col, struct procedure *p);
/* bind p's time limits as parameters i.. i+5: time_unit, statutory_direct,
 * committed_direct, statutory_online, committed_online, fee (store_ref.c) */
void store_bind_proc_limits(sqlite3_stmt *s, int i, const struct procedure *p);
/* p's components from the rows (n, name, required) of s, stepped to the end and reset */
void store_proc_components_rows(sqlite3_stmt *s, struct procedure *p);
/* p's components as rows of procedure_components (p->id's, none there yet); what: the
 * N_() phrase of a failure */
int store_proc_components_put(struct store *st, const struct procedure *p, const char *what, struct err *e);
/* bulk load: save what is held in memory before the outer transaction commits; forget it
 * when it rolls back */
int store_bulk_flush(struct store *st, struct err *e);
void store_bulk_forget(struct store *st);

#endif
