/* store.h - the office store: the only code that talks to SQLite.
 *
 * Why: one place owns persistence (pragmas, migrations, transactions, prepared
 * statements), so the core states rules and the store keeps them durable.  Nothing
 * outside src/store*.c (and central's SQLite backend, src/central_sqlite.c) includes
 * sqlite3.h.
 *
 * Transactions nest: the outermost store_begin is BEGIN IMMEDIATE (so a write never
 * fails half-way with SQLITE_BUSY_SNAPSHOT), inner ones are savepoints.  Every core
 * step is one store_begin..store_commit that writes its event and its projection.
 *
 * WAL-reset race (SQLite 3.7.0-3.51.2): automatic checkpoints are off in every
 * connection; after a commit that leaves the WAL past STORE_CHECKPOINT_FRAMES, the
 * committing process runs a RESTART checkpoint, a mode that holds the writer lock,
 * so no checkpoint ever runs concurrently with a writer resetting the WAL.
 */
#ifndef MOTCUA_STORE_H
#define MOTCUA_STORE_H

#include <stdint.h>
#include "err.h"
#include "model.h"
#include "calendar.h"

#define STORE_CHECKPOINT_FRAMES 2000

struct store;

enum { STORE_CREATE = 1, STORE_READONLY = 2 };

struct store *store_open(const char *path, int flags, struct err *e);
/* set-group-id start (privilege.h): open path now; the first store_open(path) takes it */
void store_preopen(const char *path);
void store_close(struct store *st);
int store_schema_version(struct store *st);
int store_known_version(void);            /* highest migration compiled in */
const char *store_path(const struct store *st);

int store_begin(struct store *st, struct err *e);
int store_commit(struct store *st, struct err *e);
void store_rollback(struct store *st);
int store_exec_embedded(struct store *st, const char *name, struct err *e);
int store_checkpoint(struct store *st, struct err *e);
/* the SQLite in use (e.g. "3.54.1"); *has_wal_bug: 1 before 3.51.3 (the WAL-reset bug) */
const char *store_sqlite_version(int *has_wal_bug);
/* bulk loading (demo, benchmarks): a large page cache so big transactions do not spill,
 * and no fsync: a bulk load that crashes is simply run again */
void store_bulk(struct store *st);
/* Bulk load (the demo), begun and ended outside any transaction.  Meanwhile only the
 * outermost store_begin..store_commit is a transaction: inner ones take no savepoint,
 * and a failure inside makes the outer one fail as a whole.  The dossier being walked
 * is held in memory and its row saved once, when another dossier is written or at the
 * commit; search keys are indexed at the commit.  Commits are not synced (store_bulk),
 * so the store carries STORE_BULK_MARK until store_bulk_end(complete = 1) removes it,
 * syncs and checkpoints; a store with the mark is refused when opened (core_open). */
#define STORE_BULK_MARK "bulk.unfinished"
int store_bulk_begin(struct store *st, struct err *e);
int store_bulk_end(struct store *st, int complete, struct err *e);
int store_integrity_check(struct store *st, char *msg, size_t n); /* 0 if "ok" */

/* settings */
int store_setting_get(struct store *st, const char *key, char *buf, size_t n); /* 0 found, 1 absent */
int store_setting_set(struct store *st, const char *key, const char *value, struct err *e);

/* reference data */
int store_office_add(struct store *st, struct office *o, struct err *e);
int store_office_get(struct store *st, int64_t id, struct office *o);       /* 0 or MC_NOTFOUND */
int store_office_by_code(struct store *st, const char *code, struct office *o);
int store_dept_add(struct store *st, struct department *d, struct err *e);
int store_dept_get(struct store *st, int64_t id, struct department *d);
int store_dept_by_code(struct store *st, const char *code, struct department *d);
int store_dept_only(struct store *st, int64_t office_id, struct department *d);
int store_user_add(struct store *st, struct user *u, struct err *e);
int store_user_get(struct store *st, int64_t id, struct user *u);
int store_user_by_account(struct store *st, const char *account, struct user *u);
typedef int (*store_user_cb)(const struct user *u, void *ctx);
int store_users(struct store *st, store_user_cb cb, void *ctx);
int store_field_add(struct store *st, const char *code, const char *name, int64_t *id, struct err *e);
int store_field_by_code(struct store *st, const char *code, int64_t *id, char *name, size_t n);
int store_procedure_add(struct store *st, struct procedure *p, struct err *e); /* with components */
int store_procedure_get(struct store *st, int64_t id, struct procedure *p);
int store_procedure_by_code(struct store *st, const char *code, struct procedure *p);
int store_procedure_id(struct store *st, const char *code, int64_t *id);  /* 0 or MC_NOTFOUND */
typedef int (*store_proc_cb)(const struct procedure *p, void *ctx);
/* all procedures, by level, field code, code; components are not loaded */
int store_procedures(struct store *st, store_proc_cb cb, void *ctx);
/* the codes of the procedures an office used most among its last `sample` dossiers,
 * most used first (ties: most recent first), at most max; returns how many (read
 * backwards by id: the cost does not grow with the store) */
int store_procedures_used(struct store *st, int64_t office_id, int sample, char (*codes)[32], int max);

/* holidays */
int store_holiday_put(struct store *st, const char *day, const char *name, const char *kind, struct err *e);
int store_calendar_load(struct store *st, struct calendar *c); /* settings + holidays; free c->days */

/* the calendar's schedules (store_calendar.c; rules in holidays.h) */
struct cal_day_row {
	int32_t day;
	int kind;              /* CAL_OFF or CAL_WORK */
	int year;              /* the schedule it belongs to */
	int provisional;
	char reason[800], instrument[800], source[2400];
};
struct cal_year_info {
	int year;
	char status[16];       /* announced | provisional */
	char origin[16];       /* shipped | import | central | generated | upgrade */
	int64_t changed_at;
	char changed_by[64];
};
struct cal_apply {         /* a year's whole schedule, replacing what the store has */
	int year, provisional, record;   /* record: a change even when the year was unknown */
	const char *origin, *os_account, *actor;
	int64_t at;
	const struct cal_day_row *rows;
	int n;
};
struct cal_change {
	int64_t id, at;
	char os_account[64], actor[64], origin[16], status_before[16], status_after[16];
	char *days;            /* JSON [{day, before, after}]; the caller frees it */
};
int store_cal_years_load(struct store *st, struct calendar *c);   /* allocates c->cover */
int store_cal_year_get(struct store *st, int year, struct cal_year_info *y); /* 0 or MC_NOTFOUND */
int store_cal_years(struct store *st, int (*cb)(const struct cal_year_info *y, void *ctx), void *ctx);
int store_cal_rows(struct store *st, int year, int (*cb)(const struct cal_day_row *r, void *ctx), void *ctx);
/* replace a year's schedule (one transaction) and record the days whose kind changed;
 * *changed = 0 when the store already had exactly that schedule */
int store_cal_apply(struct store *st, const struct cal_apply *a, int *changed, struct err *e);
int store_cal_change_last(struct store *st, int year, struct cal_change *ch); /* 0 or MC_NOTFOUND */
/* the newest change's id; the changes recorded after id, oldest first */
int64_t store_cal_change_max(struct store *st);
int store_cal_changes_after(struct store *st, int64_t id, int (*cb)(int year, const char *origin, void *ctx), void *ctx);
/* the office's open dossiers whose clock runs, by appointment */
int store_cal_open_dossiers(struct store *st, int64_t office_id, int (*cb)(const char *code, int64_t due_at, void *ctx), void *ctx);

/* dossiers and events */
int store_counter_next(struct store *st, int64_t office_id, const char *day, int *n, struct err *e);
int store_dossier_get(struct store *st, const char *code, struct dossier *d);  /* 0 or MC_NOTFOUND */
int store_dossier_insert(struct store *st, struct dossier *d, struct err *e);
int store_dossier_update(struct store *st, const struct dossier *d, struct err *e);
int store_dossier_move(struct store *st, int64_t id, int64_t office_id, struct err *e);
/* index a dossier for search under its folded key (see text_fold) */
int store_search_add(struct store *st, int64_t dossier_id, const char *key, struct err *e);
int store_event_append(struct store *st, struct event *ev, struct err *e);     /* sets ev->seq */
typedef int (*store_event_cb)(const struct event *ev, void *ctx);
int store_events_of(struct store *st, const char *code, store_event_cb cb, void *ctx);
int store_event_last(struct store *st, const char *code, struct event *ev);    /* caller frees payload */
typedef int (*store_dossier_cb)(const struct dossier *d, void *ctx);
/* folded query tokens; matches name, ID number, phone, code; newest first */
int store_search(struct store *st, const char *folded, int limit, store_dossier_cb cb, void *ctx);
/* active dossiers by due date (overdue first): scope is one of the queue kinds */
enum queue_scope { Q_OFFICE_STAGE, Q_DEPT_STAGE, Q_ASSIGNEE_STAGE };
int store_queue(struct store *st, int scope, int64_t key, const int *stages, int nstages,
		int limit, int offset, store_dossier_cb cb, void *ctx);
int store_queue_count(struct store *st, int scope, int64_t key, const int *stages, int nstages,
		      int64_t overdue_before, int *total, int *overdue);
int64_t store_dossier_count(struct store *st);
/* the same without the chains of liên thông parts and of fees paid at the receiving desk */
int64_t store_dossier_count_real(struct store *st);

/* drafts of half-filled forms */
int store_draft_save(struct store *st, const char *account, const char *form, const char *data, int64_t at);
int store_draft_load(struct store *st, const char *account, const char *form, char **data); /* 0 found */
int store_draft_drop(struct store *st, const char *account, const char *form);

#endif
