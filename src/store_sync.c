/* store_sync.c - the local store's queries for sync: the sync_state row, pending
 * events, foreign-event checks, the quarantine, the conflict queue and reference data
 * rows (db/0004_sync.sql), and the snapshot bases and load progress of a first
 * sync by snapshot (db/0006_snapshot.sql).  The rules that use them are in src/sync.c
 * (see store_sync.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"
#include "event.h"
#include "store_storekey.h"
#include "storekey.h"
#include "store_fees.h"
#include "store_org.h"
#include "store_lienthong.h"
#include "store_procver.h"
#include "store_sync.h"
#include "store_trust.h"
#include "text.h"

int store_sync_state(struct store *st, struct sync_state_row *r)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *s = store_prep(st, "SELECT push_seq, pull_cursor, ref_version, last_ok_at, last_error_at,"
				     " last_pushed, last_pulled, last_error, pull_own FROM sync_state WHERE id = 1");
	if (!s)
		return MC_STORE;
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		r->push_seq = sqlite3_column_int64(s, 0);
		r->pull_cursor = sqlite3_column_int64(s, 1);
		r->ref_version = sqlite3_column_int64(s, 2);
		r->last_ok_at = sqlite3_column_int64(s, 3);
		r->last_error_at = sqlite3_column_int64(s, 4);
		r->last_pushed = sqlite3_column_int64(s, 5);
		r->last_pulled = sqlite3_column_int64(s, 6);
		store_col_text(s, 7, r->last_error, sizeof r->last_error);
		r->pull_own = sqlite3_column_int(s, 8);
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_sync_set_push(struct store *st, int64_t seq, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE sync_state SET push_seq = max(push_seq, ?) WHERE id = 1");
	if (s)
		sqlite3_bind_int64(s, 1, seq);
	return store_step_done(st, s, e, "saving the push cursor");
}

/* The push cursor only spares a re-send (central ignores events it has): it is saved in
 * its own transaction without waiting for the disk (synchronous=NORMAL; a power cut
 * may lose it, a killed process cannot), instead of one fsync per batch. */
int store_sync_push_done(struct store *st, int64_t seq, struct err *e)
{
	if (st->depth)
		return err_set(e, MC_STORE, "saving the push cursor inside a transaction");
	sqlite3_exec(st->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	int rc = store_begin(st, e);
	if (!rc && (rc = store_sync_set_push(st, seq, e)) == 0)
		rc = store_commit(st, e);
	else if (!rc)
		store_rollback(st);
	sqlite3_exec(st->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	return rc;
}

int store_sync_set_pull(struct store *st, int64_t cursor, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE sync_state SET pull_cursor = max(pull_cursor, ?) WHERE id = 1");
	if (s)
		sqlite3_bind_int64(s, 1, cursor);
	return store_step_done(st, s, e, "saving the pull cursor");
}

int store_sync_set_ref(struct store *st, int64_t version, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE sync_state SET ref_version = ? WHERE id = 1");
	if (s)
		sqlite3_bind_int64(s, 1, version);
	return store_step_done(st, s, e, "saving the reference data version");
}

int store_sync_caught_up(struct store *st, struct err *e)
{
	return store_step_done(st, store_prep(st, "UPDATE sync_state SET pull_own = 0 WHERE id = 1"), e, "saving the pull state");
}

int store_sync_note(struct store *st, int ok, const char *error, int64_t at, int64_t pushed, int64_t pulled)
{
	struct err e;
	sqlite3_stmt *s = ok ? store_prep(st, "UPDATE sync_state SET last_ok_at = ?1, last_error = '', last_pushed = ?2,"
					  " last_pulled = ?3 WHERE id = 1")
			     : store_prep(st, "UPDATE sync_state SET last_error_at = ?1, last_error = ?4 WHERE id = 1");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, at);
	if (ok) {
		sqlite3_bind_int64(s, 2, pushed);
		sqlite3_bind_int64(s, 3, pulled);
	} else {
		store_bind_text(s, 4, error);
	}
	if (store_begin(st, &e))
		return e.code;
	if (store_step_done(st, s, &e, "noting the sync")) {
		store_rollback(st);
		return e.code;
	}
	return store_commit(st, &e);
}

int store_sync_pending(struct store *st, const char *origin, int64_t after, int limit, store_event_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " STORE_EVENT_COLS " FROM events WHERE seq > ? AND origin = ? ORDER BY seq LIMIT ?");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, after);
	store_bind_text(s, 2, origin);
	sqlite3_bind_int(s, 3, limit);
	int rc = 0;
	struct event ev;
	while (sqlite3_step(s) == SQLITE_ROW) {
		store_event_row(s, &ev);
		if ((rc = cb(&ev, ctx)))
			break;
	}
	sqlite3_reset(s);
	return rc;
}

int64_t store_sync_pending_count(struct store *st, const char *origin, int64_t after, int64_t *last_seq)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*), coalesce(max(seq), 0) FROM events WHERE seq > ? AND origin = ?");
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, after);
	store_bind_text(s, 2, origin);
	int64_t n = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		n = sqlite3_column_int64(s, 0);
		if (last_seq)
			*last_seq = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return n;
}

int store_sync_event_exists(struct store *st, const char *id)
{
	sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM events WHERE id = ?1 UNION ALL SELECT 2 FROM quarantine WHERE event_id = ?1");
	if (!s)
		return 0;
	store_bind_text(s, 1, id);
	int r = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	return r;
}

int store_sync_event_held(struct store *st, const struct event *ev)
{
	sqlite3_stmt *s = store_prep(st, "SELECT hash, 0 FROM events WHERE id = ?1"
				     " UNION ALL SELECT hash, 1 FROM quarantine WHERE event_id = ?1");
	if (!s)
		return 0;
	store_bind_text(s, 1, ev->id);
	int r = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const void *h = sqlite3_column_blob(s, 0);
		/* (a quarantined row of an older version may have no hash: held) */
		r = (h && sqlite3_column_bytes(s, 0) == 32) ? (memcmp(h, ev->hash, 32) ? -1 : 1) : sqlite3_column_int(s, 1) ? 1 : -1;
	}
	sqlite3_reset(s);
	return r;
}

int store_sync_find_hash(struct store *st, const char *code, const unsigned char hash[32], int *dseq)
{
	sqlite3_stmt *s = store_prep(st, "SELECT dseq FROM events WHERE dossier_code = ? AND hash = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, code);
	sqlite3_bind_blob(s, 2, hash, 32, SQLITE_STATIC);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		*dseq = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_sync_hash_quarantined(struct store *st, const unsigned char hash[32])
{
	sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM quarantine WHERE hash = ?");
	if (!s)
		return 0;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	int found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

int store_sync_author_ok(struct store *st, const char *account, const char *office)
{
	sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM users u JOIN offices o ON o.id = u.office_id"
				     " WHERE u.account = ? AND o.agency_code = ?");
	if (!s)
		return 0;
	store_bind_text(s, 1, account);
	store_bind_text(s, 2, office);
	int ok = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return ok;
}

int store_sync_quarantine(struct store *st, const struct event *ev, const char *reason, int64_t at, struct err *e)
{
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:s, s:s}", "id", ev->id, "dossier", ev->dossier_code,
			      "dseq", ev->dseq, "kind", ev->kind, "os_account", ev->os_account, "actor", ev->actor,
			      "at", (json_int_t)ev->at, "origin", ev->origin, "payload", ev->payload ? ev->payload : "{}");
	char *doc = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	sqlite3_stmt *s = store_prep(st, "INSERT INTO quarantine(event_id, dossier_code, origin, hash, reason, at, event)"
				     " VALUES (?,?,?,?,?,?,?) ON CONFLICT(event_id) DO NOTHING");
	if (s) {
		store_bind_text(s, 1, ev->id);
		store_bind_text(s, 2, ev->dossier_code);
		store_bind_text(s, 3, ev->origin);
		sqlite3_bind_blob(s, 4, ev->hash, 32, SQLITE_STATIC);
		store_bind_text(s, 5, reason);
		sqlite3_bind_int64(s, 6, at);
		store_bind_text(s, 7, doc ? doc : "{}");
	}
	int rc = store_step_done(st, s, e, "quarantining an event");
	free(doc);
	return rc;
}

int store_sync_forked(struct store *st, const char *code)
{
	sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM events WHERE dossier_code = ? GROUP BY dseq HAVING count(*) > 1 LIMIT 1");
	if (!s)
		return 0;
	store_bind_text(s, 1, code);
	int forked = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return forked;
}

int store_sync_conflict_mark(struct store *st, const char *code, int open, int64_t at, const char *by,
			     const char *kept, struct err *e)
{
	sqlite3_stmt *s;
	if (open) {
		s = store_prep(st, "INSERT INTO conflicts(dossier_code, detected_at) VALUES (?1, ?2) ON CONFLICT(dossier_code)"
				   " DO UPDATE SET detected_at = CASE WHEN resolved_at = 0 THEN detected_at ELSE ?2 END,"
				   " resolved_at = 0, resolved_by = '', kept_event = ''");
		if (s) {
			store_bind_text(s, 1, code);
			sqlite3_bind_int64(s, 2, at);
		}
	} else {
		s = store_prep(st, "UPDATE conflicts SET resolved_at = ?2, resolved_by = ?3, kept_event = ?4"
				   " WHERE dossier_code = ?1 AND resolved_at = 0");
		if (s) {
			store_bind_text(s, 1, code);
			sqlite3_bind_int64(s, 2, at);
			store_bind_text(s, 3, by);
			store_bind_text(s, 4, kept);
		}
	}
	return store_step_done(st, s, e, "updating the conflict queue");
}

int store_sync_conflict_rows(struct store *st, int (*cb)(const char *code, int64_t detected, void *ctx), void *ctx)
{
	/* not a cached statement: callers run queries of their own per row */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT dossier_code, detected_at FROM conflicts WHERE resolved_at = 0"
			       " ORDER BY detected_at, dossier_code", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	int rc = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char code[CODE_LEN];
		store_col_text(s, 0, code, sizeof code);
		if ((rc = cb(code, sqlite3_column_int64(s, 1), ctx)))
			break;
	}
	sqlite3_finalize(s);
	return rc;
}

int64_t store_sync_count(struct store *st, const char *what)
{
	sqlite3_stmt *s = !strcmp(what, "quarantine") ? store_prep(st, "SELECT count(*) FROM quarantine")
						       : store_prep(st, "SELECT count(*) FROM conflicts WHERE resolved_at = 0");
	if (!s)
		return 0;
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

/* ---- reference data ---------------------------------------------------------- */


static int each_row(struct store *st, const char *sql, const char *kind, int keycol,
		    json_t *(*make)(struct store *st, sqlite3_stmt *s),
		    int (*cb)(const char *, const char *, json_t *, void *), void *ctx)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		json_t *doc = make(st, s);
		char key[256];
		snprintf(key, sizeof key, "%s", store_col(s, keycol));
		rc = doc ? cb(kind, key, doc, ctx) : MC_STORE;
		json_decref(doc);
	}
	sqlite3_finalize(s);
	return rc;
}

static json_t *mk_office(struct store *st, sqlite3_stmt *s)
{
	(void)st;
	return json_pack("{s:s, s:s, s:i}", "code", store_col(s, 0), "name", store_col(s, 1), "level", sqlite3_column_int(s, 2));
}

static json_t *mk_dept(struct store *st, sqlite3_stmt *s)
{
	(void)st;
	return json_pack("{s:s, s:s, s:s}", "code", store_col(s, 0), "office", store_col(s, 1), "name", store_col(s, 2));
}

static json_t *mk_field(struct store *st, sqlite3_stmt *s)
{
	(void)st;
	return json_pack("{s:s, s:s}", "code", store_col(s, 0), "name", store_col(s, 1));
}

static json_t *mk_user(struct store *st, sqlite3_stmt *s)
{
	(void)st;
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:i}", "account", store_col(s, 0), "name", store_col(s, 1),
			      "roles", sqlite3_column_int(s, 2), "office", store_col(s, 3), "dept", store_col(s, 4),
			      "active", sqlite3_column_int(s, 5));
	if (j && sqlite3_column_type(s, 6) != SQLITE_NULL)
		json_object_set_new(j, "pubkey", json_string(store_col(s, 6)));
	return j;
}

static json_t *mk_holiday(struct store *st, sqlite3_stmt *s)
{
	(void)st;
	return json_pack("{s:s, s:s, s:s}", "day", store_col(s, 0), "name", store_col(s, 1), "kind", store_col(s, 2));
}

static const char *js(json_t *o, const char *k);
static int ji(json_t *o, const char *k);

/* a year's whole schedule (holidays.h): an office replaces its year with it, so a day
 * taken out of a schedule is taken out everywhere (the per-day "holiday" rows, kept
 * for older offices, can only add) */
static json_t *mk_calendar(struct store *st, sqlite3_stmt *s)
{
	int year = sqlite3_column_int(s, 0);
	json_t *j = json_pack("{s:i, s:s, s:s, s:I, s:s}", "year", year, "status", store_col(s, 1), "origin", store_col(s, 2),
			      "changed_at", (json_int_t)sqlite3_column_int64(s, 3), "changed_by", store_col(s, 4));
	json_t *days = json_array();
	sqlite3_stmt *d = store_prep(st, "SELECT day, kind, name, instrument, source FROM holidays WHERE year = ? ORDER BY day");
	if (d) {
		sqlite3_bind_int(d, 1, year);
		while (sqlite3_step(d) == SQLITE_ROW)
			json_array_append_new(days, json_pack("{s:s, s:s, s:s, s:s, s:s}", "day", store_col(d, 0), "kind", store_col(d, 1),
							      "reason", store_col(d, 2), "instrument", store_col(d, 3), "source", store_col(d, 4)));
		sqlite3_reset(d);
	}
	json_object_set_new(j, "days", days);
	return j;
}

/* an announced year from central replaces the office's (recorded in calendar_changes) */
static int apply_calendar(struct store *st, json_t *doc, struct err *e)
{
	int year = ji(doc, "year");
	if (strcmp(js(doc, "status"), "announced"))
		return 0; /* only announced schedules travel; provisional years are generated locally */
	if (year <= CAL_YEAR_MIN || year >= CAL_YEAR_MIN + CAL_YEARS - 1)
		return err_set(e, MC_INVALID, "reference data from central: the calendar year %d is out of range", year);
	json_t *days = json_object_get(doc, "days");
	size_t n = json_array_size(days), i;
	struct cal_day_row *rows = calloc(n + 1, sizeof *rows);
	if (!rows)
		return err_set(e, MC_STORE, "out of memory");
	json_t *d;
	int rc = 0;
	json_array_foreach(days, i, d) {
		const char *day = js(d, "day"), *kind = js(d, "kind");
		const char *txt[3] = {js(d, "reason"), js(d, "instrument"), js(d, "source")};
		char *dst[3] = {rows[i].reason, rows[i].instrument, rows[i].source};
		size_t cap[3] = {sizeof rows[i].reason, sizeof rows[i].instrument, sizeof rows[i].source};
		int64_t t;
		if (strlen(day) != 10 || cal_parse(day, &t) || (strcmp(kind, "off") && strcmp(kind, "work"))) {
			rc = err_set(e, MC_INVALID, "reference data from central: a day of the calendar of %d is not valid", year);
			break;
		}
		for (int k = 0; k < 3 && !rc; k++) {
			if (strlen(txt[k]) >= cap[k] || !text_valid_utf8(txt[k], strlen(txt[k])))
				rc = err_set(e, MC_INVALID, "reference data from central: a day of the calendar of %d is not valid text", year);
			else
				snprintf(dst[k], cap[k], "%s", txt[k]);
		}
		rows[i].day = cal_day_of(t);
		rows[i].kind = strcmp(kind, "work") ? CAL_OFF : CAL_WORK;
		rows[i].year = year;
	}
	char by[64];
	snprintf(by, sizeof by, "%s", js(doc, "changed_by"));
	struct cal_apply a = {.year = year, .record = 1, .origin = "central", .os_account = "", .actor = by,
			      .at = json_integer_value(json_object_get(doc, "changed_at")), .rows = rows, .n = (int)n};
	int changed;
	if (!rc)
		rc = store_cal_apply(st, &a, &changed, e);
	free(rows);
	return rc;
}

static json_t *mk_setting(struct store *st, sqlite3_stmt *s)
{
	(void)st;
	return json_pack("{s:s, s:s}", "key", store_col(s, 0), "value", store_col(s, 1));
}

static json_t *mk_proc(struct store *st, sqlite3_stmt *s)
{
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:I, s:s, s:i}",
			      "code", store_col(s, 0), "name", store_col(s, 1), "level", sqlite3_column_int(s, 2),
			      "field", store_col(s, 3), "dept", store_col(s, 4), "time_unit", store_col(s, 5),
			      "statutory_direct", sqlite3_column_int(s, 6), "committed_direct", sqlite3_column_int(s, 7),
			      "statutory_online", sqlite3_column_int(s, 8), "committed_online", sqlite3_column_int(s, 9),
			      "fee", (json_int_t)sqlite3_column_int64(s, 10), "online_level", store_col(s, 11),
			      "active", sqlite3_column_int(s, 12));
	if (sqlite3_column_int(s, 14) > 0)
		json_object_set_new(j, "cutoff", json_integer(sqlite3_column_int(s, 14)));
	json_t *comps = json_array();
	sqlite3_stmt *c = store_prep(st, "SELECT n, name, required FROM procedure_components WHERE procedure_id = ? ORDER BY n");
	if (c) {
		sqlite3_bind_int64(c, 1, sqlite3_column_int64(s, 13));
		while (sqlite3_step(c) == SQLITE_ROW)
			json_array_append_new(comps, json_pack("{s:i, s:s, s:i}", "n", sqlite3_column_int(c, 0),
							       "name", store_col(c, 1), "required", sqlite3_column_int(c, 2)));
		sqlite3_reset(c);
	}
	json_object_set_new(j, "components", comps);
	/* its versions (procver.h): offices keep the rules each dossier was received under */
	json_t *vers = store_procver_ref(st, sqlite3_column_int64(s, 13));
	if (json_array_size(vers) > 1 || (json_array_size(vers) == 1 && sqlite3_column_int(s, 15) > 1)) {
		json_object_set_new(j, "version", json_integer(sqlite3_column_int(s, 15)));
		json_object_set_new(j, "versions", vers);
	} else {
		json_decref(vers); /* one version: the document stays as it was before versions */
	}
	store_fees_ref_add(st, sqlite3_column_int64(s, 13), j); /* fees (store_fees.h) */
	return j;
}

/* settings central owns (working hours, supplement mode, step shares); the office's
 * identity and its sync settings stay local */
#define REF_SETTINGS "key LIKE 'hours.%' OR key LIKE 'supplement.%' OR key LIKE 'step.%'"

int store_sync_ref_each(struct store *st, int (*cb)(const char *, const char *, json_t *, void *), void *ctx)
{
	int rc;
	if ((rc = each_row(st, "SELECT agency_code, name, level FROM offices ORDER BY agency_code", "office", 0, mk_office, cb, ctx)) ||
	    (rc = each_row(st, "SELECT d.code, o.agency_code, d.name FROM departments d JOIN offices o ON o.id = d.office_id"
			   " ORDER BY d.code", "department", 0, mk_dept, cb, ctx)) ||
	    (rc = each_row(st, "SELECT code, name FROM fields ORDER BY code", "field", 0, mk_field, cb, ctx)) ||
	    (rc = each_row(st, "SELECT p.code, p.name, p.level, f.code, coalesce(d.code, ''), p.time_unit, p.statutory_direct,"
			   " p.committed_direct, p.statutory_online, p.committed_online, p.fee, p.online_level, p.active, p.id, p.cutoff, p.latest_version"
			   " FROM procedures p JOIN fields f ON f.id = p.field_id LEFT JOIN departments d ON d.id = p.dept_id"
			   " ORDER BY p.code", "procedure", 0, mk_proc, cb, ctx)) ||
	    (rc = each_row(st, "SELECT u.account, u.name, u.roles, o.agency_code, coalesce(d.code, ''), u.active, u.pubkey"
			   " FROM users u JOIN offices o ON o.id = u.office_id LEFT JOIN departments d ON d.id = u.dept_id"
			   " ORDER BY u.account", "user", 0, mk_user, cb, ctx)) ||
	    (rc = each_row(st, "SELECT day, name, kind FROM holidays ORDER BY day", "holiday", 0, mk_holiday, cb, ctx)) ||
	    (rc = each_row(st, "SELECT year, status, origin, changed_at, changed_by FROM calendar_years"
			   " WHERE status = 'announced' ORDER BY year", "calendar", 0, mk_calendar, cb, ctx)) ||
	    (rc = each_row(st, "SELECT key, value FROM settings WHERE " REF_SETTINGS " ORDER BY key", "setting", 0, mk_setting, cb, ctx)) ||
	    (rc = store_trust_ref_each(st, cb, ctx)) ||
	    (rc = store_org_ref_each(st, cb, ctx)) ||
	    (rc = store_lt_ref_each(st, cb, ctx)))
		return rc;
	return 0;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int ji(json_t *o, const char *k) { return (int)json_integer_value(json_object_get(o, k)); }

/* reference text from central is untrusted too: valid UTF-8, bounded */
static int clean_doc(json_t *doc, struct err *e)
{
	const char *k;
	json_t *v;
	json_object_foreach(doc, k, v) {
		if (json_is_string(v)) {
			const char *s = json_string_value(v);
			size_t n = strlen(s);
			if (n > (strcmp(k, "pem") ? 8192u : 4u << 20) || !text_valid_utf8(s, n)) /* a CRL may be large */
				return err_set(e, MC_INVALID, "reference data from central: field %.40s is not valid text", k);
		}
	}
	return 0;
}

int store_sync_ref_apply(struct store *st, const char *kind, json_t *doc, struct err *e)
{
	sqlite3_stmt *s = NULL;
	if (!json_is_object(doc) || clean_doc(doc, e))
		return e->code ? e->code : err_set(e, MC_INVALID, "reference data from central: %s is not an object", kind);
	int trc;
	if (store_trust_ref_apply(st, kind, doc, &trc, e)) /* CA certificates, CRLs, signers' certificates */
		return trc;
	if (!strcmp(kind, "office")) {
		s = store_prep(st, "INSERT INTO offices(agency_code, name, level) VALUES (?1, ?2, ?3) ON CONFLICT(agency_code)"
				   " DO UPDATE SET name = excluded.name, level = excluded.level");
		if (s) {
			store_bind_text(s, 1, js(doc, "code"));
			store_bind_text(s, 2, js(doc, "name"));
			sqlite3_bind_int(s, 3, ji(doc, "level"));
		}
	} else if (!strcmp(kind, "department")) {
		s = store_prep(st, "INSERT INTO departments(code, office_id, name) VALUES (?1, (SELECT id FROM offices"
				   " WHERE agency_code = ?2), ?3) ON CONFLICT(code) DO UPDATE SET office_id = excluded.office_id,"
				   " name = excluded.name");
		if (s) {
			store_bind_text(s, 1, js(doc, "code"));
			store_bind_text(s, 2, js(doc, "office"));
			store_bind_text(s, 3, js(doc, "name"));
		}
	} else if (!strcmp(kind, "field")) {
		s = store_prep(st, "INSERT INTO fields(code, name) VALUES (?1, ?2) ON CONFLICT(code) DO UPDATE SET name = excluded.name");
		if (s) {
			store_bind_text(s, 1, js(doc, "code"));
			store_bind_text(s, 2, js(doc, "name"));
		}
	} else if (!strcmp(kind, "user")) {
		s = store_prep(st, "INSERT INTO users(account, name, roles, office_id, dept_id, active, pubkey) VALUES (?1, ?2, ?3,"
				   " (SELECT id FROM offices WHERE agency_code = ?4), (SELECT id FROM departments WHERE code = ?5),"
				   " ?6, ?7) ON CONFLICT(account) DO UPDATE SET name = excluded.name, roles = excluded.roles,"
				   " office_id = excluded.office_id, dept_id = excluded.dept_id, active = excluded.active,"
				   " pubkey = coalesce(excluded.pubkey, users.pubkey)");
		if (s) {
			store_bind_text(s, 1, js(doc, "account"));
			store_bind_text(s, 2, js(doc, "name"));
			sqlite3_bind_int(s, 3, ji(doc, "roles"));
			store_bind_text(s, 4, js(doc, "office"));
			store_bind_text(s, 5, js(doc, "dept"));
			sqlite3_bind_int(s, 6, json_object_get(doc, "active") ? ji(doc, "active") : 1);
			if (json_is_string(json_object_get(doc, "pubkey")))
				store_bind_text(s, 7, js(doc, "pubkey"));
			else
				sqlite3_bind_null(s, 7);
		}
	} else if (!strcmp(kind, "org")) {
		return store_org_ref_apply(st, doc, e);
	} else if (!strcmp(kind, "storekey")) { /* a store's public key (storekey.h) */
		unsigned char pub[32];
		if (hex_decode(js(doc, "pub"), pub, 32))
			return err_set(e, MC_INVALID, "reference data from central: the key of %.32s is not a public key", js(doc, "agency"));
		/* kept as the time its store signs every event from: its approval at the
		 * latest, even before the key is first used (storekey_signs_from) */
		return store_known_key_put(st, js(doc, "agency"), pub, json_is_true(json_object_get(doc, "central")),
					   storekey_signs_from(json_integer_value(json_object_get(doc, "since")),
							       json_integer_value(json_object_get(doc, "approved_at"))), e);
	} else if (!strcmp(kind, "lienthong")) {
		return store_lt_ref_apply(st, doc, e);
	} else if (!strcmp(kind, "holiday")) {
		return 0; /* superseded by "calendar": a year's whole schedule */
	} else if (!strcmp(kind, "calendar")) {
		return apply_calendar(st, doc, e);
	} else if (!strcmp(kind, "setting")) {
		const char *k = js(doc, "key");
		if (strncmp(k, "hours.", 6) && strncmp(k, "supplement.", 11) && strncmp(k, "step.", 5))
			return 0; /* not a setting central owns */
		return store_setting_set(st, k, js(doc, "value"), e);
	} else if (!strcmp(kind, "procedure")) {
		s = store_prep(st, "INSERT INTO procedures(code, name, level, field_id, dept_id, time_unit, statutory_direct,"
				   " committed_direct, statutory_online, committed_online, fee, online_level, active, cutoff) VALUES (?1, ?2, ?3,"
				   " (SELECT id FROM fields WHERE code = ?4), (SELECT id FROM departments WHERE code = ?5), ?6, ?7, ?8,"
				   " ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level,"
				   " field_id = excluded.field_id, dept_id = excluded.dept_id, time_unit = excluded.time_unit,"
				   " statutory_direct = excluded.statutory_direct, committed_direct = excluded.committed_direct,"
				   " statutory_online = excluded.statutory_online, committed_online = excluded.committed_online,"
				   " fee = excluded.fee, online_level = excluded.online_level, active = excluded.active,"
				   " cutoff = excluded.cutoff");
		if (!s)
			return err_set(e, MC_STORE, "internal SQL error");
		const char *code = js(doc, "code");
		store_bind_text(s, 1, code);
		store_bind_text(s, 2, js(doc, "name"));
		sqlite3_bind_int(s, 3, ji(doc, "level"));
		store_bind_text(s, 4, js(doc, "field"));
		store_bind_text(s, 5, js(doc, "dept"));
		store_bind_text(s, 6, js(doc, "time_unit"));
		sqlite3_bind_int(s, 7, ji(doc, "statutory_direct"));
		sqlite3_bind_int(s, 8, ji(doc, "committed_direct"));
		sqlite3_bind_int(s, 9, ji(doc, "statutory_online"));
		sqlite3_bind_int(s, 10, ji(doc, "committed_online"));
		sqlite3_bind_int64(s, 11, json_integer_value(json_object_get(doc, "fee")));
		store_bind_text(s, 12, js(doc, "online_level"));
		sqlite3_bind_int(s, 13, json_object_get(doc, "active") ? ji(doc, "active") : 1);
		int cut = ji(doc, "cutoff");
		sqlite3_bind_int(s, 14, cut > 0 && cut < 1440 ? cut : 0);
		if (store_step_done(st, s, e, "applying a procedure from central"))
			return e->code;
		sqlite3_stmt *d = store_prep(st, "DELETE FROM procedure_components WHERE procedure_id = (SELECT id FROM procedures WHERE code = ?)");
		if (d)
			store_bind_text(d, 1, code);
		if (store_step_done(st, d, e, "applying a procedure from central"))
			return e->code;
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(doc, "components"), i, c) {
			sqlite3_stmt *a = store_prep(st, "INSERT INTO procedure_components(procedure_id, n, name, required)"
						     " VALUES ((SELECT id FROM procedures WHERE code = ?), ?, ?, ?)");
			if (a) {
				store_bind_text(a, 1, code);
				sqlite3_bind_int(a, 2, ji(c, "n"));
				store_bind_text(a, 3, js(c, "name"));
				sqlite3_bind_int(a, 4, ji(c, "required"));
			}
			if (store_step_done(st, a, e, "applying a procedure component from central"))
				return e->code;
		}
		if (store_procver_ref_apply(st, doc, e))
			return e->code;
		return store_fees_ref_apply(st, code, doc, e); /* fees (store_fees.h) */
	} else {
		return 0; /* a kind this motcua does not know: ignored */
	}
	char what[200];
	snprintf(what, sizeof what, _("applying the %s from central"), kind);
	return store_step_done(st, s, e, what);
}

int store_sync_dossier_insert(struct store *st, struct dossier *d, struct err *e)
{
	char key[2048], folded[1024];
	snprintf(key, sizeof key, "%s %s %s %s", d->applicant_name, d->applicant_idno, d->applicant_phone, d->code);
	text_fold(key, folded, sizeof folded);
	if (store_dossier_insert(st, d, e))
		return e->code;
	return store_search_add(st, d->id, folded, e);
}

/* ---- dossiers taken from central's snapshot (db/0006_snapshot.sql, snapshot.h) ---- */

int store_snapshot_base_get(struct store *st, const char *code, int with_state, struct snapshot_base *b)
{
	memset(b, 0, sizeof *b);
	sqlite3_stmt *s = store_prep(st, "SELECT dseq, hash, pos, state FROM snapshot_base WHERE dossier_code = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, code);
	int found = sqlite3_step(s) == SQLITE_ROW, rc = found ? 0 : MC_NOTFOUND;
	if (found) {
		snprintf(b->code, sizeof b->code, "%s", code);
		b->dseq = sqlite3_column_int(s, 0);
		if (sqlite3_column_bytes(s, 1) == 32)
			memcpy(b->hash, sqlite3_column_blob(s, 1), 32);
		b->pos = sqlite3_column_int64(s, 2);
		if (with_state && !(b->state = strdup(store_col(s, 3))))
			rc = MC_STORE;
	}
	sqlite3_reset(s);
	return rc;
}

int store_snapshot_base_put(struct store *st, const struct snapshot_base *b, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO snapshot_base(dossier_code, dseq, hash, pos, state) VALUES (?,?,?,?,?)"
				     " ON CONFLICT(dossier_code) DO UPDATE SET dseq = excluded.dseq, hash = excluded.hash,"
				     " pos = excluded.pos, state = excluded.state");
	if (s) {
		store_bind_text(s, 1, b->code);
		sqlite3_bind_int(s, 2, b->dseq);
		sqlite3_bind_blob(s, 3, b->hash, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, b->pos);
		store_bind_text(s, 5, b->state ? b->state : "{}");
	}
	return store_step_done(st, s, e, "saving a dossier's snapshot base");
}

int store_snapshot_base_drop(struct store *st, const char *code, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "DELETE FROM snapshot_base WHERE dossier_code = ?");
	if (s)
		store_bind_text(s, 1, code);
	return store_step_done(st, s, e, "dropping a dossier's snapshot base");
}

int64_t store_snapshot_base_count(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM snapshot_base");
	if (!s)
		return 0;
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

int store_snapshot_load_get(struct store *st, int64_t *pos, char *after, size_t n, int *isdone)
{
	sqlite3_stmt *s = store_prep(st, "SELECT pos, after, done FROM snapshot_load WHERE id = 1");
	if (!s)
		return MC_STORE;
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		*pos = sqlite3_column_int64(s, 0);
		snprintf(after, n, "%s", store_col(s, 1));
		*isdone = sqlite3_column_int(s, 2);
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_snapshot_load_set(struct store *st, int64_t pos, const char *after, int isdone, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO snapshot_load(id, pos, after, done) VALUES (1, ?1, ?2, ?3)"
				     " ON CONFLICT(id) DO UPDATE SET pos = ?1, after = ?2, done = ?3");
	if (s) {
		sqlite3_bind_int64(s, 1, pos);
		store_bind_text(s, 2, after);
		sqlite3_bind_int(s, 3, isdone);
	}
	return store_step_done(st, s, e, "saving the snapshot load's progress");
}

int store_sync_no_events(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT NOT EXISTS (SELECT 1 FROM events)");
	if (!s)
		return 0;
	int none = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return none;
}
