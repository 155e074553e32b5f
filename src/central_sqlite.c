/* central_sqlite.c - central's SQLite backend ("sqlite:PATH"), beside its PostgreSQL
 * one (central_pg.c): the embedded default for the demo and most tests.  Implements
 * struct central_ops (see central.h) on its own connection to a central file with the
 * schema of db/central/0001_central.sql.  It only stores and finds rows; the rules are
 * in src/central.c (and the snapshot's in src/snapshot.c).
 *
 * It is not part of the office store (src/store*.c) and shares nothing with it; it
 * is, with the store's files, the only code that includes sqlite3.h.
 *
 * Writers: BEGIN IMMEDIATE holds SQLite's single write lock for the whole batch, so
 * log positions are taken and committed in one order (the log lock of central.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central.h"
#include "i18n.h"
#include "embedded.h"

struct sq {
	sqlite3 *db;
	int in_tx;
};

#define DB(c) (((struct sq *)(c)->impl)->db)

/* the connection, for the file rows (central_sqlite_files.c) */
void *central_sqlite_handle(struct central *c);
void *central_sqlite_handle(struct central *c) { return DB(c); }

static int fail(struct central *c, struct err *e, const char *what)
{
	what = _(what); /* an N_() phrase: what central was doing */
	int rc = sqlite3_errcode(DB(c)) & 0xff;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return err_set(e, MC_BUSY, "central %s: %s: busy, try again", c->target, what);
	return err_set(e, MC_IO, "central %s: %s: %s", c->target, what, sqlite3_errmsg(DB(c)));
}

static int exec(struct central *c, const char *sql, struct err *e, const char *what)
{
	if (sqlite3_exec(DB(c), sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(c, e, what);
	return 0;
}

static sqlite3_stmt *prep(struct central *c, const char *sql, struct err *e)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(DB(c), sql, -1, &s, NULL) != SQLITE_OK) {
		fail(c, e, N_("preparing a query"));
		return NULL;
	}
	return s;
}

static void bind_text(sqlite3_stmt *s, int i, const char *t) { sqlite3_bind_text(s, i, t ? t : "", -1, SQLITE_TRANSIENT); }

static const char STAGING[] =
	"CREATE TEMP TABLE IF NOT EXISTS c_staging (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, office TEXT,"
	" dossier_code TEXT NOT NULL, dseq INTEGER NOT NULL, kind TEXT NOT NULL, os_account TEXT NOT NULL,"
	" actor TEXT NOT NULL, at INTEGER NOT NULL, origin TEXT NOT NULL, payload TEXT NOT NULL,"
	" prev_hash BLOB, hash BLOB NOT NULL, sig BLOB)";

static int sq_open(struct central *c, const char *target, struct err *e)
{
	struct sq *q = calloc(1, sizeof *q);
	if (!q)
		return err_set(e, MC_STORE, "out of memory");
	c->impl = q;
	if (sqlite3_open_v2(target, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return err_set(e, MC_IO, "cannot open central %s: %s", c->target, q->db ? sqlite3_errmsg(q->db) : "out of memory");
	sqlite3_extended_result_codes(q->db, 1);
	sqlite3_busy_timeout(q->db, 30000);
	return exec(c, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", e, N_("opening"));
}

static void sq_close(struct central *c)
{
	struct sq *q = c->impl;
	if (!q)
		return;
	if (q->in_tx)
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(q->db);
	free(q);
	c->impl = NULL;
}

static int sq_init(struct central *c, struct err *e)
{
	const struct embedded *f = embedded_find("central/0001_central.sql");
	if (!f)
		return err_set(e, MC_STORE, "internal: the central schema is not compiled in");
	if (exec(c, f->text, e, N_("creating the schema")))
		return e->code;
	/* each event's signature (storekey.h): SQLite cannot add a column only if missing */
	sqlite3_stmt *s = prep(c, "SELECT count(*) FROM pragma_table_info('c_events') WHERE name = 'sig'", e);
	int has = s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	sqlite3_finalize(s);
	if (!has && exec(c, "ALTER TABLE c_events ADD COLUMN sig BLOB", e, N_("creating the schema")))
		return e->code;
	/* the competent agency of a projected dossier (form II.06a, src/province.c) */
	s = prep(c, "SELECT count(*) FROM pragma_table_info('c_prov') WHERE name = 'resolver'", e);
	has = s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	sqlite3_finalize(s);
	if (!has && exec(c, "ALTER TABLE c_prov ADD COLUMN resolver TEXT NOT NULL DEFAULT ''", e, N_("creating the schema")))
		return e->code;
	/* the quarantine keeps every refused event, not one an id (as PostgreSQL's): a
	 * central made before keyed it by id, which SQLite cannot drop but by copying */
	s = prep(c, "SELECT count(*) FROM pragma_table_info('c_quarantine') WHERE name = 'id' AND pk > 0", e);
	has = s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	sqlite3_finalize(s);
	if (has && exec(c, "SAVEPOINT quarantine;"
			   " CREATE TABLE c_quarantine_by_event (id TEXT NOT NULL, origin TEXT NOT NULL, dossier_code TEXT NOT NULL,"
			   " reason TEXT NOT NULL, at INTEGER NOT NULL, event TEXT NOT NULL);"
			   " INSERT INTO c_quarantine_by_event SELECT id, origin, dossier_code, reason, at, event FROM c_quarantine;"
			   " DROP TABLE c_quarantine; ALTER TABLE c_quarantine_by_event RENAME TO c_quarantine; RELEASE quarantine",
			   e, N_("creating the schema"))) {
		sqlite3_exec(DB(c), "ROLLBACK TO quarantine; RELEASE quarantine", NULL, NULL, NULL);
		return e->code;
	}
	return exec(c, "CREATE UNIQUE INDEX IF NOT EXISTS c_quarantine_once ON c_quarantine(id, event)", e, N_("creating the schema"));
}

static int sq_meta_get(struct central *c, const char *key, char *buf, size_t n, struct err *e)
{
	sqlite3_stmt *s = prep(c, "SELECT value FROM c_meta WHERE key = ?", e);
	if (!s) {
		/* no c_meta at all: not a central database (yet) */
		return err_set_hint(e, MC_NOTFOUND, HINT_CENTRAL_INIT, "%s is not a motcua central database", c->target);
	}
	bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return MC_NOTFOUND;
	return fail(c, e, N_("reading c_meta"));
}

/* one statement with two text parameters, run to its end */
static int run2(struct central *c, const char *sql, const char *a, const char *b, const char *what, struct err *e)
{
	sqlite3_stmt *s = prep(c, sql, e);
	if (!s)
		return e->code;
	bind_text(s, 1, a);
	bind_text(s, 2, b);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(c, e, what);
}

static int sq_meta_set(struct central *c, const char *key, const char *value, struct err *e)
{
	return run2(c, "INSERT INTO c_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		    key, value, N_("writing c_meta"), e);
}

static int sq_begin(struct central *c, int write, int64_t *log_pos, struct err *e)
{
	struct sq *q = c->impl;
	if (exec(c, write ? "BEGIN IMMEDIATE" : "BEGIN", e, N_("starting a transaction")))
		return e->code;
	q->in_tx = 1;
	if (write && exec(c, STAGING, e, N_("staging"))) {
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
		q->in_tx = 0;
		return e->code;
	}
	if (log_pos) {
		char buf[32];
		int rc = sq_meta_get(c, "log_pos", buf, sizeof buf, e);
		if (rc) {
			sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
			q->in_tx = 0;
			return rc == MC_NOTFOUND ? err_set_hint(e, MC_VERSION, HINT_CENTRAL_INIT, "%s is not a motcua central database", c->target) : rc;
		}
		*log_pos = atoll(buf);
	}
	return 0;
}

static int sq_commit(struct central *c, struct err *e)
{
	struct sq *q = c->impl;
	sqlite3_exec(q->db, "DELETE FROM temp.c_staging", NULL, NULL, NULL);
	if (exec(c, "COMMIT", e, N_("committing"))) {
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
		q->in_tx = 0;
		return e->code;
	}
	q->in_tx = 0;
	return 0;
}

static void sq_rollback(struct central *c)
{
	struct sq *q = c->impl;
	if (q && q->in_tx)
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	if (q)
		q->in_tx = 0;
}

static void bind_event(sqlite3_stmt *s, int i, const struct event *ev)
{
	bind_text(s, i++, ev->id);
	bind_text(s, i++, ev->dossier_code);
	sqlite3_bind_int(s, i++, ev->dseq);
	bind_text(s, i++, ev->kind);
	bind_text(s, i++, ev->os_account);
	bind_text(s, i++, ev->actor);
	sqlite3_bind_int64(s, i++, ev->at);
	bind_text(s, i++, ev->origin);
	bind_text(s, i++, ev->payload ? ev->payload : "{}");
	if (ev->has_prev)
		sqlite3_bind_blob(s, i++, ev->prev_hash, 32, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i++);
	sqlite3_bind_blob(s, i++, ev->hash, 32, SQLITE_TRANSIENT);
	if (ev->has_sig)
		sqlite3_bind_blob(s, i, ev->sig, 64, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static int sq_stage(struct central *c, const struct event *evs, const char *const *offices, int n, struct err *e)
{
	if (exec(c, "DELETE FROM temp.c_staging", e, N_("staging")))
		return e->code;
	sqlite3_stmt *s = prep(c, "INSERT INTO temp.c_staging(ord, office, id, dossier_code, dseq, kind, os_account,"
			       " actor, at, origin, payload, prev_hash, hash, sig) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	for (int i = 0; i < n; i++) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		sqlite3_bind_int(s, 1, i + 1);
		if (offices[i])
			bind_text(s, 2, offices[i]);
		else
			sqlite3_bind_null(s, 2);
		bind_event(s, 3, &evs[i]);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_finalize(s);
			return fail(c, e, N_("staging events"));
		}
	}
	sqlite3_finalize(s);
	return 0;
}

static int sq_prevs(struct central *c, central_prev_cb cb, void *ctx, struct err *e)
{
	sqlite3_stmt *s = prep(c, "SELECT ord, (SELECT p.office FROM c_events p WHERE p.dossier_code = s.dossier_code"
			       " AND p.dseq = s.dseq - 1 AND p.hash = s.prev_hash LIMIT 1) FROM temp.c_staging s"
			       " WHERE s.prev_hash IS NOT NULL ORDER BY ord", e);
	if (!s)
		return e->code;
	int rc = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(sqlite3_column_int(s, 0), (const char *)sqlite3_column_text(s, 1), ctx))
			break;
	int bad = rc != SQLITE_ROW && rc != SQLITE_DONE;
	sqlite3_finalize(s);
	return bad ? fail(c, e, N_("checking previous events")) : 0;
}

static int sq_unstage(struct central *c, const int *ords, int n, struct err *e)
{
	sqlite3_stmt *s = prep(c, "DELETE FROM temp.c_staging WHERE ord = ?", e);
	if (!s)
		return e->code;
	for (int i = 0; i < n; i++) {
		sqlite3_reset(s);
		sqlite3_bind_int(s, 1, ords[i]);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return 0;
}

static int sq_publish_staged(struct central *c, int64_t base, int n, const char (*routes)[32], int *inserted,
			     struct err *e)
{
	if (exec(c, "INSERT INTO c_dossiers(code, office) SELECT dossier_code, office FROM temp.c_staging"
		    " WHERE kind = 'received' AND office IS NOT NULL ORDER BY ord ON CONFLICT(code) DO NOTHING", e, N_("routing dossiers")))
		return e->code;
	/* central's routing events (re-routing, its conflict decisions) move the dossier */
	sqlite3_stmt *m = prep(c, "INSERT INTO c_dossiers(code, office) SELECT dossier_code, office FROM temp.c_staging"
			       " WHERE kind <> 'received' AND office IS NOT NULL ORDER BY ord"
			       " ON CONFLICT(code) DO UPDATE SET office = excluded.office", e);
	if (!m)
		return e->code;
	int rc = sqlite3_step(m);
	sqlite3_finalize(m);
	if (rc != SQLITE_DONE)
		return fail(c, e, N_("routing dossiers"));
	/* one row at a time in batch order: each event goes to the office its line
	 * routes the dossier to (routes[], from its previous event or its own routing) */
	sqlite3_stmt *s = prep(c, "INSERT INTO c_events(id, pos, office, dossier_code, dseq, kind, os_account, actor, at,"
			       " origin, payload, prev_hash, hash, sig) SELECT s.id, ?1 + s.ord, ?3,"
			       " s.dossier_code, s.dseq, s.kind, s.os_account, s.actor, s.at, s.origin, s.payload, s.prev_hash,"
			       " s.hash, s.sig FROM temp.c_staging s WHERE s.ord = ?2 ON CONFLICT(id) DO NOTHING", e);
	if (!s)
		return e->code;
	*inserted = 0;
	for (int i = 0; i < n; i++) {
		if (!routes[i][0])
			continue; /* refused (unstaged), or a replay central has */
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, base);
		sqlite3_bind_int(s, 2, i + 1);
		bind_text(s, 3, routes[i]);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
			sqlite3_finalize(s);
			return fail(c, e, N_("inserting events"));
		}
		*inserted += sqlite3_changes(DB(c));
	}
	sqlite3_finalize(s);
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)(base + n));
	return sq_meta_set(c, "log_pos", v, e);
}

static int sq_deliver(struct central *c, const struct event *ev, const char *office, struct err *e)
{
	return run2(c, "INSERT INTO c_deliveries(office, pos, id) SELECT ?2, pos, id FROM c_events WHERE id = ?1"
		    " ON CONFLICT DO NOTHING", ev->id, office, N_("delivering an event"), e);
}

static int sq_quarantine(struct central *c, const struct event *ev, const char *reason, int64_t at, struct err *e)
{
	char *doc = NULL;
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:s, s:s}", "id", ev->id, "dossier", ev->dossier_code,
			      "dseq", ev->dseq, "kind", ev->kind, "os_account", ev->os_account, "actor", ev->actor,
			      "at", (json_int_t)ev->at, "origin", ev->origin, "payload", ev->payload ? ev->payload : "{}");
	doc = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	sqlite3_stmt *s = prep(c, "INSERT INTO c_quarantine(id, origin, dossier_code, reason, at, event) VALUES (?,?,?,?,?,?)"
			       " ON CONFLICT(id, event) DO NOTHING", e);
	if (!s) {
		free(doc);
		return e->code;
	}
	bind_text(s, 1, ev->id);
	bind_text(s, 2, ev->origin);
	bind_text(s, 3, ev->dossier_code);
	bind_text(s, 4, reason);
	sqlite3_bind_int64(s, 5, at);
	bind_text(s, 6, doc ? doc : "{}");
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	free(doc);
	return rc == SQLITE_DONE ? 0 : fail(c, e, N_("quarantining an event"));
}

#define EV_COLS "pos, id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig"

static void row_event(sqlite3_stmt *s, struct event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->seq = sqlite3_column_int64(s, 0);
	snprintf(ev->id, sizeof ev->id, "%s", (const char *)sqlite3_column_text(s, 1));
	snprintf(ev->dossier_code, sizeof ev->dossier_code, "%s", (const char *)sqlite3_column_text(s, 2));
	ev->dseq = sqlite3_column_int(s, 3);
	snprintf(ev->kind, sizeof ev->kind, "%s", (const char *)sqlite3_column_text(s, 4));
	snprintf(ev->os_account, sizeof ev->os_account, "%s", (const char *)sqlite3_column_text(s, 5));
	snprintf(ev->actor, sizeof ev->actor, "%s", (const char *)sqlite3_column_text(s, 6));
	ev->at = sqlite3_column_int64(s, 7);
	snprintf(ev->origin, sizeof ev->origin, "%s", (const char *)sqlite3_column_text(s, 8));
	ev->payload = (char *)sqlite3_column_text(s, 9); /* valid during the callback only */
	if (sqlite3_column_type(s, 10) == SQLITE_BLOB && sqlite3_column_bytes(s, 10) == 32) {
		memcpy(ev->prev_hash, sqlite3_column_blob(s, 10), 32);
		ev->has_prev = 1;
	}
	if (sqlite3_column_bytes(s, 11) == 32)
		memcpy(ev->hash, sqlite3_column_blob(s, 11), 32);
	ev->has_sig = sqlite3_column_type(s, 12) != SQLITE_NULL;
	if (ev->has_sig && sqlite3_column_bytes(s, 12) == 64)
		memcpy(ev->sig, sqlite3_column_blob(s, 12), 64);
}

static int each_event(struct central *c, sqlite3_stmt *s, central_event_cb cb, void *ctx, int64_t *last, int *count, struct err *e)
{
	int rc, n = 0;
	struct event ev;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row_event(s, &ev);
		n++;
		if (last)
			*last = ev.seq;
		int r = cb(&ev, ctx);
		if (r) {
			sqlite3_finalize(s);
			return r;
		}
	}
	sqlite3_finalize(s);
	if (count)
		*count = n;
	return rc == SQLITE_DONE ? 0 : fail(c, e, N_("reading events"));
}

static int sq_events_since(struct central *c, const char *office, int64_t cursor, int limit, int own,
			   central_event_cb cb, void *ctx, int64_t *next, struct err *e)
{
	char buf[32];
	if (sq_meta_get(c, "log_pos", buf, sizeof buf, e))
		return e->code ? e->code : MC_VERSION;
	int64_t high = atoll(buf);
	/* the dossiers routed to office, and what central delivered to it besides */
	sqlite3_stmt *s = prep(c, "SELECT * FROM (SELECT " EV_COLS " FROM c_events WHERE office = ?1 AND pos > ?2 AND pos <= ?3"
			       " AND (?4 OR origin <> ?1) ORDER BY pos LIMIT ?5) UNION ALL SELECT * FROM (SELECT e.pos, e.id,"
			       " e.dossier_code, e.dseq, e.kind, e.os_account, e.actor, e.at, e.origin, e.payload, e.prev_hash, e.hash, e.sig"
			       " FROM c_deliveries d JOIN c_events e ON e.id = d.id WHERE d.office = ?1 AND d.pos > ?2 AND d.pos <= ?3"
			       " ORDER BY d.pos LIMIT ?5) ORDER BY 1 LIMIT ?5", e);
	if (!s)
		return e->code;
	bind_text(s, 1, office);
	sqlite3_bind_int64(s, 2, cursor);
	sqlite3_bind_int64(s, 3, high);
	sqlite3_bind_int(s, 4, own);
	sqlite3_bind_int(s, 5, limit);
	int64_t last = cursor;
	int count = 0;
	int rc = each_event(c, s, cb, ctx, &last, &count, e);
	if (rc)
		return rc;
	*next = count < limit ? (high > cursor ? high : cursor) : last;
	return 0;
}

static int sq_dossier_events(struct central *c, const char *code, central_event_cb cb, void *ctx, struct err *e)
{
	sqlite3_stmt *s = prep(c, "SELECT " EV_COLS " FROM c_events WHERE dossier_code = ? ORDER BY dseq, pos", e);
	if (!s)
		return e->code;
	bind_text(s, 1, code);
	return each_event(c, s, cb, ctx, NULL, NULL, e);
}

static int sq_forked(struct central *c, int (*cb)(const char *code, void *ctx), void *ctx, struct err *e)
{
	sqlite3_stmt *s = prep(c, "SELECT DISTINCT dossier_code FROM c_events GROUP BY dossier_code, dseq"
			       " HAVING count(*) > 1 ORDER BY dossier_code", e);
	if (!s)
		return e->code;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(s, 0), ctx))
			break;
	int bad = rc != SQLITE_ROW && rc != SQLITE_DONE;
	sqlite3_finalize(s);
	return bad ? fail(c, e, N_("listing forks")) : 0;
}

static int sq_counts(struct central *c, const char *office, int64_t *events, int64_t *quarantined, struct err *e)
{
	sqlite3_stmt *s = prep(c, "SELECT (SELECT count(*) FROM c_events WHERE ?1 IS NULL OR office = ?1),"
			       " (SELECT count(*) FROM c_quarantine)", e);
	if (!s)
		return e->code;
	if (office)
		bind_text(s, 1, office);
	else
		sqlite3_bind_null(s, 1);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*events = sqlite3_column_int64(s, 0);
		*quarantined = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : fail(c, e, N_("counting"));
}

static int sq_ref_put(struct central *c, const char *kind, const char *key, const char *doc, struct err *e)
{
	sqlite3_stmt *s = prep(c, "INSERT INTO c_ref(kind, key, doc) VALUES (?,?,?) ON CONFLICT(kind, key)"
			       " DO UPDATE SET doc = excluded.doc", e);
	if (!s)
		return e->code;
	bind_text(s, 1, kind);
	bind_text(s, 2, key);
	bind_text(s, 3, doc);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(c, e, N_("writing reference data"));
}

static int sq_ref_list(struct central *c, const char *kind, int (*cb)(const char *, const char *, const char *, void *),
		       void *ctx, struct err *e)
{
	/* offices before departments before users, procedures after fields */
	sqlite3_stmt *s = prep(c, kind ? "SELECT kind, key, doc FROM c_ref WHERE kind = ?1 ORDER BY key"
			       : "SELECT kind, key, doc FROM c_ref ORDER BY CASE kind WHEN 'office' THEN 1"
			       " WHEN 'department' THEN 2 WHEN 'field' THEN 3 WHEN 'procedure' THEN 4 WHEN 'user' THEN 5"
			       " ELSE 6 END, kind, key", e);
	if (!s)
		return e->code;
	if (kind)
		bind_text(s, 1, kind);
	int rc, r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((r = cb((const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
			    (const char *)sqlite3_column_text(s, 2), ctx)))
			break;
	int bad = rc != SQLITE_ROW && rc != SQLITE_DONE;
	sqlite3_finalize(s);
	if (r)
		return r;
	return bad ? fail(c, e, N_("reading reference data")) : 0;
}

static int sq_counter_next(struct central *c, const char *day, int *n, struct err *e)
{
	sqlite3_stmt *s = prep(c, "INSERT INTO c_counters(day, n) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET n = n + 1"
			       " RETURNING n", e);
	if (!s)
		return e->code;
	bind_text(s, 1, day);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : fail(c, e, N_("numbering"));
}

static int sq_event_office(struct central *c, const struct event *ev, char *office, size_t n, struct err *e)
{
	sqlite3_stmt *s = prep(c, "SELECT office FROM c_events WHERE id = ?", e);
	if (!s)
		return e->code;
	bind_text(s, 1, ev->id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(office, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? MC_NOTFOUND : fail(c, e, N_("looking up an event"));
}

/* ---- the snapshot (snapshot.h) --------------------------------------------------- */

static int sq_snapshot_begin(struct central *c, int64_t *log_pos, struct err *e)
{
	/* the write lock from the start: the rows written and the log read agree */
	return sq_begin(c, 1, log_pos, e);
}

static int sq_snapshot_events(struct central *c, int64_t after, int64_t upto, central_office_event_cb cb, void *ctx,
			      struct err *e)
{
	/* the first snapshot reads the whole log in dossier order; later ones only the
	 * dossiers with new events, found through the (office, pos) index */
	sqlite3_stmt *s = after <= 0
		? prep(c, "SELECT " EV_COLS ", office FROM c_events WHERE pos <= ?2 ORDER BY dossier_code, dseq, pos", e)
		: prep(c, "SELECT " EV_COLS ", office FROM c_events WHERE pos <= ?2 AND dossier_code IN (SELECT dossier_code"
			  " FROM c_events WHERE office IN (SELECT key FROM c_ref WHERE kind = 'office') AND pos > ?1 AND pos <= ?2)"
			  " ORDER BY dossier_code, dseq, pos", e);
	if (!s)
		return e->code;
	if (after > 0)
		sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, upto);
	int rc;
	struct event ev;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row_event(s, &ev);
		int r = cb(&ev, (const char *)sqlite3_column_text(s, 13), ctx);
		if (r) {
			sqlite3_finalize(s);
			return r;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(c, e, N_("reading events for the snapshot"));
}

static int sq_snapshot_put(struct central *c, const struct central_snap_row *rows, int n, struct err *e)
{
	sqlite3_stmt *s = prep(c, "INSERT INTO c_snapshot(code, office, pos, dseq, hash, event, state) VALUES (?,?,?,?,?,?,?)"
			       " ON CONFLICT(code) DO UPDATE SET office = excluded.office, pos = excluded.pos, dseq = excluded.dseq,"
			       " hash = excluded.hash, event = excluded.event, state = excluded.state", e);
	if (!s)
		return e->code;
	for (int i = 0; i < n; i++) {
		sqlite3_reset(s);
		bind_text(s, 1, rows[i].code);
		bind_text(s, 2, rows[i].office);
		sqlite3_bind_int64(s, 3, rows[i].pos);
		sqlite3_bind_int(s, 4, rows[i].dseq);
		sqlite3_bind_blob(s, 5, rows[i].hash, 32, SQLITE_TRANSIENT);
		bind_text(s, 6, rows[i].event);
		if (rows[i].state)
			bind_text(s, 7, rows[i].state);
		else
			sqlite3_bind_null(s, 7);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_finalize(s);
			return fail(c, e, N_("writing the snapshot"));
		}
	}
	sqlite3_finalize(s);
	return 0;
}

/* The snapshot rows an office's first sync loads: every dossier the office ever held
 * (an event of it was routed to the office): those routed to it now, and those it
 * received and follows while another office resolves them, resolved and sent on to
 * the place of return, or saw re-routed away; what a pull from position 0 would have
 * brought (central delivers steps only to offices that held the dossier).  Walked in
 * code order on c_events(office, dossier_code) (db/central/0001_central.sql), so a
 * chunk reads only its own rows. */
static int sq_snapshot_rows(struct central *c, const char *office, const char *after, int limit, central_snap_cb cb,
			    void *ctx, struct err *e)
{
	sqlite3_stmt *s = prep(c, "SELECT s.code, s.office, s.pos, s.dseq, s.hash, s.event, s.state FROM c_events e"
			       " JOIN c_snapshot s ON s.code = e.dossier_code WHERE e.office = ?1 AND e.dossier_code > ?2"
			       " GROUP BY e.dossier_code ORDER BY e.dossier_code LIMIT ?3", e);
	if (!s)
		return e->code;
	bind_text(s, 1, office);
	bind_text(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	int rc;
	struct central_snap_row r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		snprintf(r.code, sizeof r.code, "%s", (const char *)sqlite3_column_text(s, 0));
		snprintf(r.office, sizeof r.office, "%s", (const char *)sqlite3_column_text(s, 1));
		r.pos = sqlite3_column_int64(s, 2);
		r.dseq = sqlite3_column_int(s, 3);
		if (sqlite3_column_bytes(s, 4) == 32)
			memcpy(r.hash, sqlite3_column_blob(s, 4), 32);
		r.event = (const char *)sqlite3_column_text(s, 5);
		r.state = sqlite3_column_type(s, 6) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(s, 6);
		int x = cb(&r, ctx);
		if (x) {
			sqlite3_finalize(s);
			return x;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(c, e, N_("reading the snapshot"));
}

static int sq_snapshot_count(struct central *c, const char *office, int64_t *rows, struct err *e)
{
	sqlite3_stmt *s = prep(c, "SELECT count(*) FROM (SELECT DISTINCT dossier_code AS code FROM c_events WHERE office = ?1) x"
			       " WHERE EXISTS (SELECT 1 FROM c_snapshot WHERE code = x.code)", e);
	if (!s)
		return e->code;
	bind_text(s, 1, office);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*rows = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : fail(c, e, N_("counting the snapshot"));
}

const struct central_ops central_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open, .close = sq_close, .init = sq_init,
	.meta_get = sq_meta_get, .meta_set = sq_meta_set,
	.begin = sq_begin, .commit = sq_commit, .rollback = sq_rollback,
	.stage = sq_stage, .prevs = sq_prevs, .unstage = sq_unstage, .publish_staged = sq_publish_staged,
	.quarantine = sq_quarantine, .deliver = sq_deliver, .events_since = sq_events_since, .dossier_events = sq_dossier_events,
	.forked = sq_forked, .counts = sq_counts, .ref_put = sq_ref_put, .ref_list = sq_ref_list,
	.counter_next = sq_counter_next, .event_office = sq_event_office,
	.snapshot_begin = sq_snapshot_begin, .snapshot_events = sq_snapshot_events, .snapshot_put = sq_snapshot_put,
	.snapshot_rows = sq_snapshot_rows, .snapshot_count = sq_snapshot_count,
};

/* ---- the portal link's rows (src/portal.c) ------------------------------------------ */

/* one statement with text parameters $1..$n (NULL: SQL NULL); each result row to cb
 * as text (NULL for SQL NULL); cb returning non-zero stops */
int central_sqlite_query(struct central *c, const char *sql, const char *const *params, int n,
			 int (*cb)(int ncol, const char *const *vals, void *ctx), void *ctx, struct err *e)
{
	sqlite3_stmt *s = prep(c, sql, e);
	if (!s)
		return e->code;
	for (int i = 0; i < n; i++) {
		char name[8];
		snprintf(name, sizeof name, "$%d", i + 1);
		int idx = sqlite3_bind_parameter_index(s, name);
		if (idx && params[i])
			sqlite3_bind_text(s, idx, params[i], -1, SQLITE_TRANSIENT);
	}
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *vals[32];
		int nc = sqlite3_column_count(s);
		if (nc > 32)
			nc = 32;
		for (int i = 0; i < nc; i++)
			vals[i] = (const char *)sqlite3_column_text(s, i);
		stop = cb ? cb(nc, vals, ctx) : 0;
	}
	if (stop) {
		sqlite3_finalize(s);
		return 0;
	}
	if (rc != SQLITE_DONE) {
		int r = fail(c, e, N_("the portal link's rows"));
		sqlite3_finalize(s);
		return r;
	}
	sqlite3_finalize(s);
	return 0;
}
