/* store.c - opening the store, pragmas, migrations, transactions, settings, drafts.
 *
 * Owns the SQLite connection for the whole process.  See store.h for the
 * transaction model and the WAL checkpoint policy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store_internal.h"
#include "embedded.h"
#include "privilege.h"

sqlite3_stmt *store_prep(struct store *st, const char *sql)
{
	for (int i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "motcua: internal SQL error: %s\n", sqlite3_errmsg(st->db));
		return NULL;
	}
	if (st->ncache < STORE_CACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].stmt = s;
		st->ncache++;
	}
	return s;
}

int store_fail(struct store *st, struct err *e, int rc, const char *what)
{
	what = _(what); /* an N_() phrase: what the store was doing */
	int prim = rc & 0xff;
	if (prim == SQLITE_IOERR && sqlite3_system_errno(st->db) == ENOSPC)
		prim = SQLITE_FULL;
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return err_set(e, MC_BUSY, "%s: the store is busy (another motcua holds it too long); nothing was saved, try again", what);
	if (prim == SQLITE_FULL)
		return err_set(e, MC_FULL, "%s: the disk is full; nothing was saved - free some space and try again", what);
	if (prim == SQLITE_READONLY || prim == SQLITE_PERM || prim == SQLITE_CANTOPEN)
		return err_set(e, MC_IO, "%s: cannot write the store %s (%s); check its permissions", what, st->path, sqlite3_errstr(rc));
	if (prim == SQLITE_CONSTRAINT)
		return err_set(e, MC_INVALID, "%s: %s", what, sqlite3_errmsg(st->db));
	if (prim == SQLITE_IOERR)
		return err_set(e, MC_IO, "%s: input/output error on %s (%s); nothing was saved", what, st->path, sqlite3_errmsg(st->db));
	return err_set(e, MC_STORE, "%s: %s", what, sqlite3_errmsg(st->db));
}

void store_col_text(sqlite3_stmt *s, int col, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
}

void store_bind_text(sqlite3_stmt *s, int i, const char *t)
{
	sqlite3_bind_text(s, i, t ? t : "", -1, SQLITE_STATIC);
}

const char *store_col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what)
{
	if (!s)
		return err_set(e, MC_STORE, "%s: internal SQL error", what);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st, e, rc, what);
	return 0;
}

/* Waiting for a lock.  SQLite's own busy timeout sleeps ever longer (up to 100 ms
 * between tries), so with thirty clerks a writer could sleep 50 ms past the moment the
 * lock was freed; polling every 0.1-1 ms keeps a step's wait close to the time the
 * lock was really held.  The time slept is summed rather than read from a clock, so
 * a frozen test clock cannot make the wait endless. */
static int busy_wait(void *arg, int count)
{
	struct store *st = arg;
	if (count == 0)
		st->busy_slept_us = 0;
	if (st->busy_slept_us >= st->busy_limit_us)
		return 0;
	long us = count < 10 ? 100 + 50L * count : 500 + rand() % 500;
	usleep((useconds_t)us);
	st->busy_slept_us += us;
	return 1;
}

/* the WAL-reset corruption bug is fixed from SQLite 3.51.3 on */
#define STORE_SQLITE_FIXED 3051003

static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store *st = arg;
	if (frames < STORE_CHECKPOINT_FRAMES)
		return SQLITE_OK;
	/* RESTART holds the writer lock: no writer can reset the WAL meanwhile; unlike
	 * TRUNCATE it keeps the WAL file's blocks, so the next commits overwrite them
	 * instead of growing the file (a size change makes every fdatasync costlier).
	 * A RESTART that cannot take the writer lock in time goes on as PASSIVE, without
	 * the lock, and returns SQLITE_BUSY.  A fixed SQLite (the one the build compiles
	 * in) makes that harmless: a short wait, and a long reader postpones the rest to
	 * a later commit (the WAL stays past the mark, so the next commit tries again).
	 * An older SQLite must not get there: it waits for the writer lock as long as a
	 * writer would (a writer that waited longer would have failed anyway). */
	st->busy_limit_us = sqlite3_libversion_number() >= STORE_SQLITE_FIXED ? 200000 : STORE_BUSY_US;
	int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
	st->busy_limit_us = STORE_BUSY_US;
	if ((rc & 0xff) == SQLITE_BUSY)
		st->checkpoints_busy++;
	return SQLITE_OK;
}

const char *store_sqlite_version(int *has_wal_bug)
{
	*has_wal_bug = sqlite3_libversion_number() < STORE_SQLITE_FIXED;
	return sqlite3_libversion();
}

static int exec(struct store *st, const char *sql, struct err *e, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, e, rc, what);
	return 0;
}

int store_known_version(void)
{
	int v = 0;
	for (const struct embedded *f = embedded_files; f->name; f++)
		if (!strchr(f->name, '/') && f->name[0] >= '0' && f->name[0] <= '9')
			if (atoi(f->name) > v)
				v = atoi(f->name);
	return v;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "PRAGMA user_version");
	int v = -1;
	if (s && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	if (s)
		sqlite3_reset(s);
	return v;
}

/* A migration that adds columns names one on its first line ("-- if-missing:
 * TABLE.COLUMN"): a store that has it already (set back to an older version, as the
 * upgrade tests do) skips the file, since SQLite cannot add a column twice. */
static int migration_done(struct store *st, const char *text)
{
	static const char tag[] = "-- if-missing: ";
	char tbl[64], colname[64];
	if (strncmp(text, tag, sizeof tag - 1) || sscanf(text + sizeof tag - 1, "%63[a-z_].%63[a-z_]", tbl, colname) != 2)
		return 0;
	sqlite3_stmt *s = NULL;
	int has = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, tbl, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, colname, -1, SQLITE_STATIC);
		has = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	}
	sqlite3_finalize(s);
	return has;
}

static int migrate(struct store *st, struct err *e)
{
	int have = store_schema_version(st), known = store_known_version();
	if (have > known)
		return err_set(e, MC_VERSION, "the store %s has schema version %d, newer than this motcua knows (%d): upgrade motcua", st->path, have, known);
	for (const struct embedded *f = embedded_files; f->name; f++) {
		if (strchr(f->name, '/') || f->name[0] < '0' || f->name[0] > '9')
			continue;
		int v = atoi(f->name);
		if (v <= have)
			continue;
		if (st->readonly)
			return err_set(e, MC_VERSION, "the store %s has schema version %d and needs upgrading to %d: open it once read-write", st->path, have, known);
		if (exec(st, "BEGIN IMMEDIATE", e, N_("upgrading the store")))
			return e->code;
		/* re-check under the write lock: another process may have migrated */
		if (store_schema_version(st) >= v) {
			exec(st, "COMMIT", e, N_("upgrading the store"));
			continue;
		}
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
		if ((!migration_done(st, f->text) && exec(st, f->text, e, f->name)) || exec(st, pragma, e, f->name) ||
		    exec(st, "COMMIT", e, f->name)) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return e->code;
		}
	}
	return 0;
}

/* Set-group-id deployment (README, "Deployment and security"): the group's right was
 * needed only to open the store and its -wal/-shm files, which the first reads above
 * opened; give it up for good (real, effective and saved ids) before anything else. */
static int drop_privileges(struct err *e)
{
	gid_t g = getgid();
	uid_t u = getuid();
	if ((getegid() != g && (setresgid(g, g, g) != 0 || getegid() != g)) ||
	    (geteuid() != u && (setresuid(u, u, u) != 0 || geteuid() != u)))
		return err_set(e, MC_DENIED, "cannot give up the set-group-id privilege: %s", strerror(errno));
	return 0;
}

/* the shared store opened by privilege_drop_early() while the group right was held,
 * handed to the first store_open of the same path (or the error it met) */
static struct store *preopened;
static char preopened_path[4096];
static struct err preopen_err;

void store_preopen(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) == 0) /* else no store yet: 'init' or 'demo' (root) creates it */
		preopened = store_open(path, 0, &preopen_err);
	snprintf(preopened_path, sizeof preopened_path, "%s", path);
}

struct store *store_open(const char *path, int flags, struct err *e)
{
	if (preopened_path[0] && !strcmp(path, preopened_path)) {
		preopened_path[0] = 0;
		struct store *st = preopened;
		preopened = NULL;
		if (st)
			return st;
		if (preopen_err.code) {
			*e = preopen_err;
			return NULL;
		}
	}
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		err_set(e, MC_STORE, "out of memory");
		return NULL;
	}
	snprintf(st->path, sizeof st->path, "%s", path);
	st->readonly = (flags & STORE_READONLY) != 0;
	st->files_fd = -1;
	st->sync_fd = -1;
	struct stat sb;
	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0) {
		err_set_hint(e, MC_NOTFOUND, HINT_STORE_CREATE, "no store at %s", path);
		drop_privileges(&(struct err){0});
		free(st);
		return NULL;
	}
	int created = stat(path, &sb) != 0;
	int oflags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	/* the shared store of the set-group-id install is read and written by the group
	 * (its -wal and -shm take the same mode), whatever the umask of whoever made it */
	if (rc == SQLITE_OK && created && privilege_setid() && stat(path, &sb) == 0)
		chmod(path, 0660);
	if (rc != SQLITE_OK) {
		err_set(e, MC_IO, "cannot open the store %s: %s", path, st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		sqlite3_close(st->db);
		drop_privileges(&(struct err){0});
		free(st);
		return NULL;
	}
	sqlite3_extended_result_codes(st->db, 1);
	st->busy_limit_us = STORE_BUSY_US;
	sqlite3_busy_handler(st->db, busy_wait, st);
	if (exec(st, "PRAGMA foreign_keys = ON", e, N_("opening the store")) ||
	    (!st->readonly && exec(st, "PRAGMA journal_mode = WAL", e, N_("opening the store"))) ||
	    exec(st, "PRAGMA synchronous = FULL", e, N_("opening the store")) ||
	    exec(st, "PRAGMA wal_autocheckpoint = 0", e, N_("opening the store")) ||
	    exec(st, "PRAGMA journal_size_limit = 67108864", e, N_("opening the store")) ||
	    migrate(st, e) || (store_files_open(st), store_synclock_open(st), drop_privileges(e))) {
		drop_privileges(e);
		store_close(st);
		return NULL;
	}
	sqlite3_wal_hook(st->db, wal_hook, st);
	return st;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close(st->db);
	if (st->files_fd >= 0)
		close(st->files_fd);
	if (st->sync_fd >= 0)
		close(st->sync_fd);
	free(st->held_d);
	free(st);
}

const char *store_path(const struct store *st) { return st->path; }

/* transaction statements, prepared once: index = nesting depth */
static const char *begin_sql[] = {"BEGIN IMMEDIATE", "SAVEPOINT s1", "SAVEPOINT s2", "SAVEPOINT s3", "SAVEPOINT s4"};
static const char *commit_sql[] = {"COMMIT", "RELEASE s1", "RELEASE s2", "RELEASE s3", "RELEASE s4"};
static const char *rollback_sql[] = {"ROLLBACK", "ROLLBACK TO s1", "ROLLBACK TO s2", "ROLLBACK TO s3", "ROLLBACK TO s4"};
#define MAX_DEPTH 5

static int run(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prep(st, sql);
	if (!s)
		return SQLITE_ERROR;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_begin(struct store *st, struct err *e)
{
	if (st->depth >= MAX_DEPTH)
		return err_set(e, MC_STORE, "transactions nested too deep");
	if (st->bulk && st->depth > 0) { /* bulk load: no savepoint (store_bulk_begin) */
		st->depth++;
		return 0;
	}
	int rc = run(st, begin_sql[st->depth]);
	if (rc != SQLITE_OK)
		return store_fail(st, e, rc, N_("starting a transaction"));
	st->depth++;
	return 0;
}

int store_commit(struct store *st, struct err *e)
{
	if (st->depth <= 0)
		return err_set(e, MC_STORE, "commit without a transaction");
	if (st->bulk && st->depth > 1) {
		st->depth--;
		return 0;
	}
	if (st->bulk && st->bulk_failed)
		err_set(e, MC_STORE, "saving: a step of the bulk load failed");
	if (st->bulk && (st->bulk_failed || store_bulk_flush(st, e))) {
		store_rollback(st);
		return e->code;
	}
	int rc = run(st, commit_sql[st->depth - 1]);
	if (rc != SQLITE_OK) {
		store_fail(st, e, rc, N_("saving"));
		store_rollback(st);
		return e->code;
	}
	st->depth--;
	return 0;
}

void store_rollback(struct store *st)
{
	if (st->depth <= 0)
		return;
	if (st->bulk && st->depth > 1) { /* no savepoint to go back to: the whole transaction fails */
		st->bulk_failed = 1;
		st->depth--;
		return;
	}
	if (st->bulk) {
		st->bulk_failed = 0;
		store_bulk_forget(st);
	}
	if (run(st, rollback_sql[st->depth - 1]) != SQLITE_OK && st->depth == 1)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	if (st->depth > 1)
		run(st, commit_sql[st->depth - 1]); /* RELEASE after ROLLBACK TO */
	st->depth--;
}

int store_exec_embedded(struct store *st, const char *name, struct err *e)
{
	const struct embedded *f = embedded_find(name);
	if (!f)
		return err_set(e, MC_NOTFOUND, "no embedded SQL named %s", name);
	return exec(st, f->text, e, name);
}

void store_bulk(struct store *st)
{
	sqlite3_exec(st->db, "PRAGMA cache_size = -262144; PRAGMA synchronous = OFF", NULL, NULL, NULL);
}

int store_checkpoint(struct store *st, struct err *e)
{
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(st, e, rc, N_("checkpoint"));
}

int store_integrity_check(struct store *st, char *msg, size_t n)
{
	sqlite3_stmt *s = NULL;
	int bad = 1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		store_col_text(s, 0, msg, n);
		bad = strcmp(msg, "ok") != 0;
	}
	sqlite3_finalize(s);
	return bad;
}

int store_setting_get(struct store *st, const char *key, char *buf, size_t n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT value FROM settings WHERE key = ?");
	if (!s)
		return 1;
	store_bind_text(s, 1, key);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		store_col_text(s, 0, buf, n);
	sqlite3_reset(s);
	return found ? 0 : 1;
}

int store_setting_set(struct store *st, const char *key, const char *value, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO settings(key, value) VALUES (?, ?) "
				     "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (!s)
		return err_set(e, MC_STORE, "internal error");
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, rc, N_("saving a setting"));
}

int store_draft_save(struct store *st, const char *account, const char *form, const char *data, int64_t at)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO drafts(account, form, saved_at, data) VALUES (?, ?, ?, ?) "
				     "ON CONFLICT(account, form) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, account);
	store_bind_text(s, 2, form);
	sqlite3_bind_int64(s, 3, at);
	store_bind_text(s, 4, data);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : MC_STORE;
}

int store_draft_load(struct store *st, const char *account, const char *form, char **data)
{
	sqlite3_stmt *s = store_prep(st, "SELECT data FROM drafts WHERE account = ? AND form = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, account);
	store_bind_text(s, 2, form);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		*data = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_draft_drop(struct store *st, const char *account, const char *form)
{
	sqlite3_stmt *s = store_prep(st, "DELETE FROM drafts WHERE account = ? AND form = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, account);
	store_bind_text(s, 2, form);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : MC_STORE;
}
