/* core.h - the core's context: which store, which office, who is acting, what time
 * it is, and the working calendar.  Every state change goes through a core call
 * (src/dossier.h) that checks the actor's role and the dossier's stage, then writes
 * its event and the projection in one store transaction.
 *
 * The core never includes curses and never SQLite: it talks to the store (store.h).
 * Front ends (the CLI, the UI) see the store only as an opaque pointer: they include
 * core headers, never store.h, and every read or rule they need is a core call.
 */
#ifndef MOTCUA_CORE_H
#define MOTCUA_CORE_H

#include <stdint.h>
#include "calendar.h"
#include "err.h"
#include "model.h"

struct store;

/* what the core's list reads call for each row */
typedef int (*dossier_cb)(const struct dossier *d, void *ctx);
typedef int (*user_cb)(const struct user *u, void *ctx);
typedef int (*procedure_cb)(const struct procedure *p, void *ctx);

struct core {
	struct store *st;
	struct calendar cal;
	struct office office;       /* the office this store belongs to */
	struct user actor;          /* acting store user (id 0: none, e.g. root admin) */
	char os_account[ACCOUNT_LEN]; /* the real OS account, recorded on every event */
	int is_root;
	int acting_as;              /* root named the acting user with --as */
	int demo;                   /* the demo store (setting 'demo' = 1): the UI offers a user picker */
	int64_t now;                /* fixed clock (demo, tests); 0: the system clock */
	int supplement_restart;     /* 1: a received supplement restarts the full time */
	int supplement_limit;       /* supplement requests allowed while processing (setting supplement.limit; 0: no limit) */
	int step_share[4];          /* % of the committed time for accepted/dept/processing/signing */
	int expect_version;         /* if > 0, a step refuses when the dossier's version differs */
	struct bulk_cache *bulk;    /* a bulk load is on: what it keeps in memory (dossier_bulk_begin) */
};

/* open the store at path (CORE_CREATE: create it) and load office, calendar and settings */
enum { CORE_CREATE = 1 };
int core_open(struct core *c, const char *path, int flags, struct err *e);
void core_close(struct core *c);
/* reload calendar and settings after changing them */
int core_reload(struct core *c, struct err *e);
/* who acts: the OS account, or as_account when the real user is root (NULL: none) */
int core_login(struct core *c, const char *as_account, struct err *e);
/* like core_login but without a store user being required (root may administer) */
int core_identify(struct core *c, const char *as_account, struct err *e);
int64_t core_now(const struct core *c);
/* MC_DENIED unless the actor is an active user holding one of roles (root without
 * --as always may); what (CORE_FOR_*) names the thing refused in the message */
enum { CORE_FOR_DASHBOARD, CORE_FOR_REPORTS };
int core_require(const struct core *c, unsigned roles, int what, struct err *e);
/* the SQLite in use; *wal_bug = 1 if it has the WAL-reset corruption bug */
const char *core_sqlite_version(int *wal_bug);
/* PRAGMA integrity_check: 0 if ok, else MC_STORE with the first problem */
int core_check(struct core *c, struct err *e);
/* the newest dossier of the applicant with this ID number / tax code (the folded
 * search index, newest first): 0 and *out, or MC_NOTFOUND */
int core_applicant_last(struct core *c, const char *idno, struct dossier *out);
/* an administrator sets one of the office's settings that the UI offers: "printer"
 * (a CUPS queue name), "central.url" (sqlite:PATH or postgresql://...; "" removes
 * it), "tsa.url" / "ocsp.url" (an http(s) URL, "aia" for OCSP, "" for none) or
 * "pkcs11.module" (the token module's absolute path).  MC_DENIED for another role, MC_INVALID for another key or a bad value. */
int core_setting_put(struct core *c, const char *key, const char *value, struct err *e);
/* the setting key into buf: 0, or 1 if it is not set */
int core_setting_get(struct core *c, const char *key, char *buf, size_t n);
/* the default store path: $MOTCUA_DB, else $XDG_DATA_HOME/motcua/motcua.db, else
 * ~/.local/share/motcua/motcua.db (environment ignored when setuid/setgid) */
void core_default_path(char *buf, size_t n);

/* working minutes a procedure allows for a channel (committed time) */
int64_t core_allowed_minutes(const struct core *c, const struct procedure *p, int channel);
/* the appointment a dossier received at `at` for procedure p via channel gets: its
 * committed time in working time, counted from the next working day when received at or
 * after the procedure's cut-off (cal_add_with_cutoff) */
int64_t core_appointment(const struct core *c, const struct procedure *p, int channel, int64_t at);
/* timeliness of a dossier now (cal_timeliness against its committed due date) */
int core_timeliness(const struct core *c, const struct dossier *d);

#endif
