/* store_dossier.c - dossiers (the projection), their events, daily code counters,
 * search and work queues, and what a bulk load (the demo) keeps in memory (store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"
#include "store_fees.h"

int store_counter_next(struct store *st, int64_t office_id, const char *day, int *n, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO daily_counters(office_id, day, n) VALUES (?, ?, 1) "
				     "ON CONFLICT(office_id, day) DO UPDATE SET n = n + 1 RETURNING n");
	sqlite3_bind_int64(s, 1, office_id);
	store_bind_text(s, 2, day);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, e, rc, N_("numbering the dossier"));
}

#define DOSSIER_COLS "id, code, office_id, procedure_id, channel, status, stage, prev_stage," \
	" applicant_kind, applicant_name, applicant_idno, applicant_phone, applicant_address," \
	" components, received_at, accepted_at, due_at, orig_due_at, step_due_at, stage_since," \
	" paused_at, remaining, COALESCE(dept_id, 0), COALESCE(assignee_id, 0), decision, note," \
	" resolved_at, returned_at, rating, collected_by, apology, version, last_at, last_actor," \
	" chain_head, conflict, recv_office_id, resolver_id, return_office_id, applicant_email, proxy, proc_version"

static void dossier_row(sqlite3_stmt *s, struct dossier *d)
{
	int i = 0;
	d->id = sqlite3_column_int64(s, i++);
	store_col_text(s, i++, d->code, sizeof d->code);
	d->office_id = sqlite3_column_int64(s, i++);
	d->procedure_id = sqlite3_column_int64(s, i++);
	d->channel = sqlite3_column_int(s, i++);
	d->status = sqlite3_column_int(s, i++);
	d->stage = sqlite3_column_int(s, i++);
	d->prev_stage = sqlite3_column_int(s, i++);
	d->applicant_kind = sqlite3_column_int(s, i++);
	store_col_text(s, i++, d->applicant_name, sizeof d->applicant_name);
	store_col_text(s, i++, d->applicant_idno, sizeof d->applicant_idno);
	store_col_text(s, i++, d->applicant_phone, sizeof d->applicant_phone);
	store_col_text(s, i++, d->applicant_address, sizeof d->applicant_address);
	d->components = (uint32_t)sqlite3_column_int64(s, i++);
	d->received_at = sqlite3_column_int64(s, i++);
	d->accepted_at = sqlite3_column_int64(s, i++);
	d->due_at = sqlite3_column_int64(s, i++);
	d->orig_due_at = sqlite3_column_int64(s, i++);
	d->step_due_at = sqlite3_column_int64(s, i++);
	d->stage_since = sqlite3_column_int64(s, i++);
	d->paused_at = sqlite3_column_int64(s, i++);
	d->remaining = sqlite3_column_int64(s, i++);
	d->dept_id = sqlite3_column_int64(s, i++);
	d->assignee_id = sqlite3_column_int64(s, i++);
	d->decision = sqlite3_column_int(s, i++);
	store_col_text(s, i++, d->note, sizeof d->note);
	d->resolved_at = sqlite3_column_int64(s, i++);
	d->returned_at = sqlite3_column_int64(s, i++);
	d->rating = sqlite3_column_int(s, i++);
	store_col_text(s, i++, d->collected_by, sizeof d->collected_by);
	d->apology = sqlite3_column_int(s, i++);
	d->version = sqlite3_column_int(s, i++);
	d->last_at = sqlite3_column_int64(s, i++);
	store_col_text(s, i++, d->last_actor, sizeof d->last_actor);
	memset(d->chain_head, 0, sizeof d->chain_head);
	if (sqlite3_column_bytes(s, i) == 32)
		memcpy(d->chain_head, sqlite3_column_blob(s, i), 32);
	i++;
	d->conflict = sqlite3_column_int(s, i++);
	d->recv_office_id = sqlite3_column_int64(s, i++);
	d->resolver_id = sqlite3_column_int64(s, i++);
	d->return_office_id = sqlite3_column_int64(s, i++);
	store_col_text(s, i++, d->applicant_email, sizeof d->applicant_email);
	store_col_text(s, i++, d->proxy, sizeof d->proxy);
	d->proc_version = sqlite3_column_int(s, i++);
}

/* the dossier columns and their reader, for the audit's own cursor (store_security.c) */
const char *store_dossier_cols(void) { return DOSSIER_COLS; }
void store_dossier_row(sqlite3_stmt *s, struct dossier *d) { dossier_row(s, d); }

int store_dossier_get(struct store *st, const char *code, struct dossier *d)
{
	if (st->held && !strcmp(code, st->held_d->code)) { /* bulk load (see below) */
		*d = *st->held_d;
		return 0;
	}
	sqlite3_stmt *s = store_prep(st, "SELECT " DOSSIER_COLS " FROM dossiers WHERE code = ?");
	store_bind_text(s, 1, code);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		dossier_row(s, d);
	sqlite3_reset(s);
	if (found)
		store_fees_load(st, d);
	return found ? 0 : MC_NOTFOUND;
}

static void bind_opt(sqlite3_stmt *s, int i, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

/* the columns a step may change, bound from parameter i on (the order of
 * MUTABLE_SET and of the tail of the INSERT below) */
#define MUTABLE_COLS "channel, status, stage, prev_stage, components, accepted_at, due_at, orig_due_at," \
	" step_due_at, stage_since, paused_at, remaining, dept_id, assignee_id, decision, note, resolved_at," \
	" returned_at, rating, collected_by, apology, version, last_at, last_actor, chain_head, conflict," \
	" recv_office_id, resolver_id, return_office_id, applicant_email, proxy"
static int bind_mutable(sqlite3_stmt *s, const struct dossier *d, int i)
{
	sqlite3_bind_int(s, i++, d->channel);
	sqlite3_bind_int(s, i++, d->status);
	sqlite3_bind_int(s, i++, d->stage);
	sqlite3_bind_int(s, i++, d->prev_stage);
	sqlite3_bind_int64(s, i++, d->components);
	sqlite3_bind_int64(s, i++, d->accepted_at);
	sqlite3_bind_int64(s, i++, d->due_at);
	sqlite3_bind_int64(s, i++, d->orig_due_at);
	sqlite3_bind_int64(s, i++, d->step_due_at);
	sqlite3_bind_int64(s, i++, d->stage_since);
	sqlite3_bind_int64(s, i++, d->paused_at);
	sqlite3_bind_int64(s, i++, d->remaining);
	bind_opt(s, i++, d->dept_id);
	bind_opt(s, i++, d->assignee_id);
	sqlite3_bind_int(s, i++, d->decision);
	store_bind_text(s, i++, d->note);
	sqlite3_bind_int64(s, i++, d->resolved_at);
	sqlite3_bind_int64(s, i++, d->returned_at);
	sqlite3_bind_int(s, i++, d->rating);
	store_bind_text(s, i++, d->collected_by);
	sqlite3_bind_int(s, i++, d->apology);
	sqlite3_bind_int(s, i++, d->version);
	sqlite3_bind_int64(s, i++, d->last_at);
	store_bind_text(s, i++, d->last_actor);
	sqlite3_bind_blob(s, i++, d->chain_head, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, i++, d->conflict);
	sqlite3_bind_int64(s, i++, d->recv_office_id);
	sqlite3_bind_int64(s, i++, d->resolver_id);
	sqlite3_bind_int64(s, i++, d->return_office_id);
	store_bind_text(s, i++, d->applicant_email);
	store_bind_text(s, i++, d->proxy);
	return i;
}

static int held_save(struct store *st, struct err *e);

int store_dossier_insert(struct store *st, struct dossier *d, struct err *e)
{
	if (st->bulk && held_save(st, e))
		return e->code;
	sqlite3_stmt *s = store_prep(st, "INSERT INTO dossiers(code, office_id, procedure_id, applicant_kind,"
		" applicant_name, applicant_idno, applicant_phone, applicant_address, received_at, " MUTABLE_COLS ", proc_version)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	store_bind_text(s, 1, d->code);
	sqlite3_bind_int64(s, 2, d->office_id);
	sqlite3_bind_int64(s, 3, d->procedure_id);
	sqlite3_bind_int(s, 4, d->applicant_kind);
	store_bind_text(s, 5, d->applicant_name);
	store_bind_text(s, 6, d->applicant_idno);
	store_bind_text(s, 7, d->applicant_phone);
	store_bind_text(s, 8, d->applicant_address);
	sqlite3_bind_int64(s, 9, d->received_at);
	sqlite3_bind_int(s, bind_mutable(s, d, 10), d->proc_version);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, N_("saving the dossier"));
	d->id = sqlite3_last_insert_rowid(st->db);
	if (store_fees_save(st, d, e))
		return e->code;
	if (st->bulk) {
		*st->held_d = *d;
		st->held = 1;
	}
	return 0;
}

/* only what a step can change: code, office, procedure, applicant and receipt time are
 * fixed at receipt, so their indexes are never touched by an update */
static int update_row(struct store *st, const struct dossier *d, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE dossiers SET channel=?1, status=?2, stage=?3, prev_stage=?4,"
		" components=?5, accepted_at=?6, due_at=?7, orig_due_at=?8, step_due_at=?9, stage_since=?10,"
		" paused_at=?11, remaining=?12, dept_id=?13, assignee_id=?14, decision=?15, note=?16,"
		" resolved_at=?17, returned_at=?18, rating=?19, collected_by=?20, apology=?21, version=?22,"
		" last_at=?23, last_actor=?24, chain_head=?25, conflict=?26,"
		" recv_office_id=?27, resolver_id=?28, return_office_id=?29, applicant_email=?30, proxy=?31,"
		" proc_version=?33 WHERE id = ?32");
	sqlite3_bind_int64(s, bind_mutable(s, d, 1), d->id);
	sqlite3_bind_int(s, 33, d->proc_version);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, N_("saving the dossier"));
	if (sqlite3_changes(st->db) != 1)
		return err_set(e, MC_STORE, "saving the dossier %s: no such row", d->code);
	return store_fees_save(st, d, e);
}

/* the one change of a fixed column: central re-routed the dossier to another office */
int store_dossier_move(struct store *st, int64_t id, int64_t office_id, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE dossiers SET office_id = ?2 WHERE id = ?1");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, office_id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, rc, N_("moving the dossier to another office"));
}

int store_dossier_update(struct store *st, const struct dossier *d, struct err *e)
{
	if (!st->bulk)
		return update_row(st, d, e);
	if (st->held && st->held_d->id != d->id && held_save(st, e))
		return e->code;
	*st->held_d = *d;
	st->held = 2;
	return 0;
}

/* ---- bulk load (store.h) ---------------------------------------------------------
 * The demo walks each dossier through all its steps before the next one, so the row
 * of the dossier being walked is held in memory (st->held_d) and written once, when
 * another dossier is written or the transaction commits, not after every step.  Its
 * search key waits in a temporary table: the FTS5 index flushes its pending terms at
 * every statement that opens a statement journal, which made one index segment per
 * dossier; one INSERT ... SELECT per transaction makes one segment per transaction. */

static int held_save(struct store *st, struct err *e)
{
	int rc = st->held == 2 ? update_row(st, st->held_d, e) : 0;
	st->held = 0;
	return rc;
}

int store_bulk_flush(struct store *st, struct err *e)
{
	if (held_save(st, e))
		return e->code;
	int rc = sqlite3_exec(st->db, "INSERT INTO dossier_search(rowid, key) SELECT id, key FROM temp.search_pending ORDER BY id;"
			      " DELETE FROM temp.search_pending", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(st, e, rc, N_("indexing the dossiers for search"));
}

void store_bulk_forget(struct store *st) { st->held = 0; }

int store_bulk_begin(struct store *st, struct err *e)
{
	if (st->depth > 0)
		return err_set(e, MC_STORE, "internal: a bulk load begun inside a transaction");
	if (!st->held_d && !(st->held_d = malloc(sizeof *st->held_d)))
		return err_set(e, MC_STORE, "out of memory");
	store_bulk(st);
	int rc = sqlite3_exec(st->db, "CREATE TEMP TABLE IF NOT EXISTS search_pending(id INTEGER PRIMARY KEY, key TEXT NOT NULL)",
			      NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, e, rc, N_("beginning the bulk load"));
	if (store_setting_set(st, STORE_BULK_MARK, "a bulk load (motcua demo) began and has not finished", e))
		return e->code;
	st->bulk = 1;
	return 0;
}

int store_bulk_end(struct store *st, int complete, struct err *e)
{
	st->bulk = st->bulk_failed = st->held = 0;
	if (st->depth > 0)
		return err_set(e, MC_STORE, "internal: a bulk load ended inside a transaction");
	int rc = sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.search_pending", NULL, NULL, NULL);
	if (rc != SQLITE_OK || !complete)
		return rc == SQLITE_OK ? 0 : store_fail(st, e, rc, N_("ending the bulk load"));
	/* all on disk (the checkpoint syncs the database file) before the mark goes */
	if ((rc = sqlite3_exec(st->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL)) != SQLITE_OK)
		return store_fail(st, e, rc, N_("ending the bulk load"));
	if (store_checkpoint(st, e))
		return e->code;
	rc = sqlite3_exec(st->db, "DELETE FROM settings WHERE key = '" STORE_BULK_MARK "'", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(st, e, rc, N_("ending the bulk load"));
}

int store_search_add(struct store *st, int64_t dossier_id, const char *key, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, st->bulk ? "INSERT INTO temp.search_pending(id, key) VALUES (?, ?)"
						  : "INSERT INTO dossier_search(rowid, key) VALUES (?, ?)");
	sqlite3_bind_int64(s, 1, dossier_id);
	store_bind_text(s, 2, key);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, rc, N_("indexing the dossier for search"));
}

int store_event_append(struct store *st, struct event *ev, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO events(id, dossier_code, dseq, kind, os_account, actor,"
				     " at, origin, payload, prev_hash, hash, sig) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
	store_bind_text(s, 1, ev->id);
	store_bind_text(s, 2, ev->dossier_code);
	sqlite3_bind_int(s, 3, ev->dseq);
	store_bind_text(s, 4, ev->kind);
	store_bind_text(s, 5, ev->os_account);
	store_bind_text(s, 6, ev->actor);
	sqlite3_bind_int64(s, 7, ev->at);
	store_bind_text(s, 8, ev->origin);
	store_bind_text(s, 9, ev->payload);
	if (ev->has_prev)
		sqlite3_bind_blob(s, 10, ev->prev_hash, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 10);
	sqlite3_bind_blob(s, 11, ev->hash, 32, SQLITE_STATIC);
	if (ev->has_sig)
		sqlite3_bind_blob(s, 12, ev->sig, 64, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 12);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, N_("appending the event"));
	ev->seq = sqlite3_last_insert_rowid(st->db);
	return 0;
}

void store_event_row(sqlite3_stmt *s, struct event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->seq = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, ev->id, sizeof ev->id);
	store_col_text(s, 2, ev->dossier_code, sizeof ev->dossier_code);
	ev->dseq = sqlite3_column_int(s, 3);
	store_col_text(s, 4, ev->kind, sizeof ev->kind);
	store_col_text(s, 5, ev->os_account, sizeof ev->os_account);
	store_col_text(s, 6, ev->actor, sizeof ev->actor);
	ev->at = sqlite3_column_int64(s, 7);
	store_col_text(s, 8, ev->origin, sizeof ev->origin);
	ev->payload = (char *)sqlite3_column_text(s, 9);
	if (sqlite3_column_type(s, 10) == SQLITE_BLOB && sqlite3_column_bytes(s, 10) == 32) {
		memcpy(ev->prev_hash, sqlite3_column_blob(s, 10), 32);
		ev->has_prev = 1;
	}
	if (sqlite3_column_bytes(s, 11) == 32)
		memcpy(ev->hash, sqlite3_column_blob(s, 11), 32);
	store_event_sig(s, 12, ev);
}

void store_event_sig(sqlite3_stmt *s, int col, struct event *ev)
{
	/* a signature that is not 64 bytes is a signature that cannot verify */
	ev->has_sig = sqlite3_column_type(s, col) != SQLITE_NULL;
	if (ev->has_sig && sqlite3_column_bytes(s, col) == 64)
		memcpy(ev->sig, sqlite3_column_blob(s, col), 64);
	else
		memset(ev->sig, 0, 64);
}

/* the row's event with a payload of its own ("{}" if it had none) */
static void event_row(sqlite3_stmt *s, struct event *ev)
{
	store_event_row(s, ev);
	ev->payload = strdup(ev->payload ? ev->payload : "{}");
}

int store_events_of(struct store *st, const char *code, store_event_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " STORE_EVENT_COLS " FROM events WHERE dossier_code = ? ORDER BY dseq, at, id");
	store_bind_text(s, 1, code);
	int rc = 0;
	struct event ev;
	while (sqlite3_step(s) == SQLITE_ROW) {
		event_row(s, &ev);
		rc = cb(&ev, ctx);
		free(ev.payload);
		if (rc)
			break;
	}
	sqlite3_reset(s);
	return rc;
}

int store_event_last(struct store *st, const char *code, struct event *ev)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " STORE_EVENT_COLS " FROM events WHERE dossier_code = ? ORDER BY dseq DESC, seq DESC LIMIT 1");
	store_bind_text(s, 1, code);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		event_row(s, ev);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

/* "nguyen van duc" -> "nguyen" AND "van" AND "duc" (prefix: each token followed by *) */
static void fts_query(const char *folded, int prefix, char *out, size_t n)
{
	size_t o = 0;
	out[0] = 0;
	const char *p = folded;
	while (*p) {
		/* tokens as the unicode61 tokenizer cuts them: letters and digits */
		while (*p && !(((unsigned char)*p >= 0x80) || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')))
			p++;
		const char *t = p;
		while (*p && (((unsigned char)*p >= 0x80) || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')))
			p++;
		if (p > t && o + (size_t)(p - t) + 12 < n)
			o += (size_t)snprintf(out + o, n - o, "%s\"%.*s\"%s", o ? " AND " : "", (int)(p - t), t, prefix ? "*" : "");
	}
}

static int search_run(struct store *st, const char *q, int limit, store_dossier_cb cb, void *ctx, int *rows)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " DOSSIER_COLS " FROM dossiers WHERE id IN"
				     " (SELECT rowid FROM dossier_search WHERE dossier_search MATCH ?"
				     /* a part's chain is found through its dossier, not listed as one */
				     " AND NOT EXISTS (SELECT 1 FROM dossiers x WHERE x.id = dossier_search.rowid AND NOT" STORE_NOT_CHAIN("x.code") ")"
				     " ORDER BY rowid DESC LIMIT ?)"
				     " ORDER BY id DESC");
	store_bind_text(s, 1, q);
	sqlite3_bind_int(s, 2, limit);
	struct dossier *d = malloc(sizeof *d);
	int rc = 0;
	*rows = 0;
	while (d && sqlite3_step(s) == SQLITE_ROW) {
		dossier_row(s, d);
		(*rows)++;
		if ((rc = cb(d, ctx)) != 0)
			break;
	}
	sqlite3_reset(s);
	free(d);
	return rc;
}

/* Whole words first: their doclists are read lazily in rowid order, so a common name
 * costs the same on any store size.  Only when no dossier has the words as typed are
 * they taken as prefixes (a clerk still typing), which has to merge every matching
 * term's doclist. */
int store_search(struct store *st, const char *folded, int limit, store_dossier_cb cb, void *ctx)
{
	char q[1024];
	int rows = 0, rc;
	fts_query(folded, 0, q, sizeof q);
	if (!q[0])
		return 0;
	rc = search_run(st, q, limit, cb, ctx, &rows);
	if (rc || rows)
		return rc;
	fts_query(folded, 1, q, sizeof q);
	return search_run(st, q, limit, cb, ctx, &rows);
}

static const char *queue_sql[] = {
	"SELECT " DOSSIER_COLS " FROM dossiers WHERE office_id = ?1 AND stage IN (SELECT value FROM json_each(?2))"
	" AND stage < 90 ORDER BY due_at = 0, due_at, id LIMIT ?3 OFFSET ?4",
	"SELECT " DOSSIER_COLS " FROM dossiers WHERE dept_id = ?1 AND stage IN (SELECT value FROM json_each(?2))"
	" AND stage < 90 ORDER BY due_at = 0, due_at, id LIMIT ?3 OFFSET ?4",
	"SELECT " DOSSIER_COLS " FROM dossiers WHERE assignee_id = ?1 AND stage IN (SELECT value FROM json_each(?2))"
	" AND stage < 90 ORDER BY due_at = 0, due_at, id LIMIT ?3 OFFSET ?4",
};
/* overdue as core_timeliness says (and the dashboard counts): the committed date
 * (orig_due_at; an extension moves the appointment, not the deadline) passed while
 * in progress, or before a supplement request stopped the clock; a result waiting
 * to be returned is resolved (early, on time or late), not overdue */
#define OVERDUE_SQL "orig_due_at > 0 AND ((stage IN (10, 20, 30, 40) AND orig_due_at < ?3)" \
	" OR (stage = 50 AND orig_due_at < paused_at))"
static const char *count_sql[] = {
	"SELECT count(*), COALESCE(sum(" OVERDUE_SQL "), 0) FROM dossiers WHERE office_id = ?1"
	" AND stage IN (SELECT value FROM json_each(?2)) AND stage < 90",
	"SELECT count(*), COALESCE(sum(" OVERDUE_SQL "), 0) FROM dossiers WHERE dept_id = ?1"
	" AND stage IN (SELECT value FROM json_each(?2)) AND stage < 90",
	"SELECT count(*), COALESCE(sum(" OVERDUE_SQL "), 0) FROM dossiers WHERE assignee_id = ?1"
	" AND stage IN (SELECT value FROM json_each(?2)) AND stage < 90",
};

static void stages_json(const int *stages, int n, char *buf, size_t sz)
{
	size_t o = (size_t)snprintf(buf, sz, "[");
	for (int i = 0; i < n && o + 8 < sz; i++)
		o += (size_t)snprintf(buf + o, sz - o, "%s%d", i ? "," : "", stages[i]);
	snprintf(buf + o, sz - o, "]");
}

int store_queue(struct store *st, int scope, int64_t key, const int *stages, int nstages,
		int limit, int offset, store_dossier_cb cb, void *ctx)
{
	if (scope < 0 || scope > 2)
		return MC_INVALID;
	char js[128];
	stages_json(stages, nstages, js, sizeof js);
	sqlite3_stmt *s = store_prep(st, queue_sql[scope]);
	sqlite3_bind_int64(s, 1, key);
	store_bind_text(s, 2, js);
	sqlite3_bind_int(s, 3, limit);
	sqlite3_bind_int(s, 4, offset);
	struct dossier *d = malloc(sizeof *d);
	int rc = 0;
	while (d && sqlite3_step(s) == SQLITE_ROW) {
		dossier_row(s, d);
		if ((rc = cb(d, ctx)) != 0)
			break;
	}
	sqlite3_reset(s);
	free(d);
	return rc;
}

int store_queue_count(struct store *st, int scope, int64_t key, const int *stages, int nstages,
		      int64_t overdue_before, int *total, int *overdue)
{
	if (scope < 0 || scope > 2)
		return MC_INVALID;
	char js[128];
	stages_json(stages, nstages, js, sizeof js);
	sqlite3_stmt *s = store_prep(st, count_sql[scope]);
	sqlite3_bind_int64(s, 1, key);
	store_bind_text(s, 2, js);
	sqlite3_bind_int64(s, 3, overdue_before);
	*total = *overdue = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*total = sqlite3_column_int(s, 0);
		*overdue = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	return 0;
}

int64_t store_dossier_count(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM dossiers");
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

int64_t store_dossier_count_real(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM dossiers WHERE" STORE_NOT_CHAIN("code"));
	int64_t n = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (s)
		sqlite3_reset(s);
	return n;
}

int store_procedures_used(struct store *st, int64_t office_id, int sample, char (*codes)[32], int max)
{
	sqlite3_stmt *s = store_prep(st,
		"SELECT p.code FROM (SELECT procedure_id, count(*) AS n, max(id) AS last FROM"
		" (SELECT id, procedure_id FROM dossiers WHERE office_id = ?1 AND" STORE_NOT_CHAIN("code") " ORDER BY id DESC LIMIT ?2)"
		" GROUP BY procedure_id) u JOIN procedures p ON p.id = u.procedure_id"
		" ORDER BY u.n DESC, u.last DESC LIMIT ?3");
	sqlite3_bind_int64(s, 1, office_id);
	sqlite3_bind_int(s, 2, sample);
	sqlite3_bind_int(s, 3, max);
	int n = 0;
	while (n < max && sqlite3_step(s) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		snprintf(codes[n++], 32, "%s", c ? c : "");
	}
	sqlite3_reset(s);
	return n;
}
