/* central_pg.c - the PostgreSQL central backend (production), through libpq.
 * Implements struct central_ops (central.h) with the schema of
 * db/central/pg_0001_central.sql.  It only stores and finds rows; the rules are in
 * src/central.c.
 *
 * Parallel ingest.  A batch is one transaction, and batches of different offices
 * run and commit concurrently: no batch takes a lock that another office's batch
 * needs (only the unique keys of its own new rows).  Positions come from the batch's
 * own transaction id: base = pg_current_xact_id() << 20, its rows at base + ord.  A
 * reader reads only positions below pg_snapshot_xmin(pg_current_snapshot()) << 20
 * (c_log_head(), in the schema file): every transaction still open has an id at or
 * above its snapshot's xmin, and every one below has ended, so what a reader sees
 * below that horizon is final and its cursor never passes a batch that commits late.
 * Why this watermark and not a sequence plus a table of in-flight batches: the set
 * of open transactions is kept exactly by PostgreSQL itself, so there is nothing to
 * register, nothing to clean up after a crash, and no window between taking a
 * number and registering it.  Its cost: a long write transaction at central holds
 * pulls back (not pushes) until it ends.  The old single locked counter (c_meta
 * 'log_pos' FOR UPDATE until commit) stays selectable by c_meta 'ingest' =
 * 'serial', for measuring (tests/bench/province.sh).
 *
 * Round trips per batch, none under a shared lock: BEGIN with the transaction id
 * (one), the check of the batch (one query over arrays: ids central has, previous
 * events missing, routing), the routing of new dossiers, SAVEPOINT with the COPY of
 * the new events (so a replayed batch changes nothing), the COPY data, COMMIT.  A
 * pull is a REPEATABLE READ READ ONLY transaction: the head and the rows up to it
 * come from one snapshot.  Every query is parameterised (PQexecParams) or COPY data.
 * The snapshot (c_snapshot, snapshot.h) is built in one REPEATABLE READ transaction
 * that streams the log through a cursor.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central.h"
#include "central_rls.h"
#include "i18n.h"
#include "embedded.h"
#include "event.h"
#include "strbuf.h"

/* the batch being written: the caller's events and what the check found */
enum { BF_DUP = 1, BF_ORPHAN = 2, BF_REFUSED = 4 };

struct batchcheck {
	const struct event *evs;
	const char *const *offices;
	int n;
	unsigned char *flag;
	char (*routed)[32];
};

static void stage_free(struct batchcheck *s)
{
	free(s->flag);
	free(s->routed);
	memset(s, 0, sizeof *s);
}

struct pg {
	PGconn *conn;
	int in_tx;
	struct batchcheck stage;
	struct strbuf copybuf; /* a batch's COPY rows, a piece at a time (kept for the next batch) */
	int role;           /* 0 not known yet, 1 central's owner, 2 an office's role (c_ingest, central_rls.c) */
};

#define CONN(c) (((struct pg *)(c)->impl)->conn)

/* the connection, for the file rows (central_pg_files.c) */
void *central_pg_handle(struct central *c);
void *central_pg_handle(struct central *c) { return CONN(c); }

/* a batch's positions: its transaction id shifted left by POS_SHIFT, plus ord (a
 * batch holds fewer than 2^20 events; sync and bundles send at most 100,000) */
#define POS_SHIFT_S "20"
#define POS_MAX_BATCH (1 << 20)

static void pg_rollback(struct central *c);

static int pg_fail(struct central *c, struct err *e, PGresult *r, const char *what)
{
	what = _(what); /* an N_() phrase: what central was doing */
	char msg[512]; /* c_ingest()'s refusals name an event, its dossier and what to do */
	const char *m = r ? PQresultErrorMessage(r) : "";
	if (!m || !*m)
		m = PQerrorMessage(CONN(c));
	snprintf(msg, sizeof msg, "%s", m);
	msg[strcspn(msg, "\n")] = 0;
	/* a central whose schema predates parallel ingest has no c_log_head() */
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	int old = st && !strcmp(st, "42883") && strstr(msg, "c_log_head");
	if (r)
		PQclear(r);
	if (old)
		return err_set_hint(e, MC_VERSION, HINT_CENTRAL_INIT, "%s is not a motcua central database of this version", c->target);
	if (PQstatus(CONN(c)) != CONNECTION_OK)
		return err_set(e, MC_IO, "central %s: connection lost while %s (%s); nothing half-done stays, sync again", c->target, what, msg);
	return err_set(e, MC_IO, "central %s: %s: %s", c->target, what, msg);
}

/* runs a parameterised statement; returns the result (caller clears) or NULL with e set */
static PGresult *q(struct central *c, const char *sql, int n, const char *const *vals, struct err *e, const char *what)
{
	PGresult *r = PQexecParams(CONN(c), sql, n, NULL, vals, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_fail(c, e, r, what);
		return NULL;
	}
	return r;
}

static int run(struct central *c, const char *sql, int n, const char *const *vals, struct err *e, const char *what)
{
	PGresult *r = q(c, sql, n, vals, e, what);
	if (!r)
		return e->code;
	PQclear(r);
	return 0;
}

static void quiet(void *arg, const char *msg) { (void)arg; (void)msg; }

static int pg_open(struct central *c, const char *target, struct err *e)
{
	struct pg *p = calloc(1, sizeof *p);
	if (!p)
		return err_set(e, MC_STORE, "out of memory");
	c->impl = p;
	p->conn = PQconnectdb(target);
	if (!p->conn)
		return err_set(e, MC_STORE, "out of memory");
	if (PQstatus(p->conn) != CONNECTION_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(p->conn));
		msg[strcspn(msg, "\n")] = 0;
		return err_set(e, MC_IO, "cannot reach central %s: %s; working offline, sync again later", c->target, msg);
	}
	PQsetNoticeProcessor(p->conn, quiet, NULL);
	return run(c, "SET client_min_messages = warning", 0, NULL, e, N_("opening"));
}

static void pg_close(struct central *c)
{
	struct pg *p = c->impl;
	if (!p)
		return;
	if (p->conn)
		PQfinish(p->conn);
	stage_free(&p->stage);
	strbuf_release(&p->copybuf);
	free(p);
	c->impl = NULL;
}

static int pg_init(struct central *c, struct err *e)
{
	const struct embedded *f = embedded_find("central/pg_0001_central.sql");
	if (!f)
		return err_set(e, MC_STORE, "internal: the central schema is not compiled in");
	PGresult *r = PQexec(CONN(c), f->text);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return pg_fail(c, e, r, N_("creating the schema"));
	PQclear(r);
	return 0;
}

static int pg_meta_get(struct central *c, const char *key, char *buf, size_t n, struct err *e)
{
	const char *v[1] = {key};
	PGresult *r = PQexecParams(CONN(c), "SELECT value FROM c_meta WHERE key = $1", 1, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (st && !strcmp(st, "42P01")) { /* undefined table */
			PQclear(r);
			return err_set_hint(e, MC_NOTFOUND, HINT_CENTRAL_INIT, "%s is not a motcua central database", c->target);
		}
		return pg_fail(c, e, r, N_("reading c_meta"));
	}
	int found = PQntuples(r) > 0;
	if (found)
		snprintf(buf, n, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return found ? 0 : MC_NOTFOUND;
}

static int pg_meta_set(struct central *c, const char *key, const char *value, struct err *e)
{
	const char *v[2] = {key, value};
	return run(c, "INSERT INTO c_meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		   2, v, e, N_("writing c_meta"));
}

/* A writing batch takes its positions from its own transaction id: base = xid8 << 20
 * (POS_SHIFT), its rows at base + ord.  BEGIN and the id come in one round trip, with
 * c_meta 'ingest': 'serial' (the measured comparison, tests/bench/province.sh) also
 * takes the old log lock, the c_meta 'log_pos' row FOR UPDATE, until commit.  A
 * reader (write=0) gets the head of the log its snapshot may read, c_log_head(). */
static int pg_begin(struct central *c, int write, int64_t *log_pos, struct err *e)
{
	struct pg *p = c->impl;
	if (!log_pos) {
		if (run(c, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, e, N_("starting a transaction")))
			return e->code;
		p->in_tx = 1;
		return 0;
	}
	/* BEGIN and the position in one round trip (a pull's, too) */
	PGresult *r = PQexec(p->conn, write ? "BEGIN; SELECT (pg_current_xact_id()::text::bigint << " POS_SHIFT_S "),"
					      " (SELECT value FROM c_meta WHERE key = 'ingest')"
					    : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT c_log_head(), NULL");
	p->in_tx = 1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (st && (!strcmp(st, "42P01") || !strcmp(st, "42883"))) { /* no table / no c_log_head() */
			PQclear(r);
			err_set_hint(e, MC_VERSION, HINT_CENTRAL_INIT, "%s is not a motcua central database of this version", c->target);
		} else
			pg_fail(c, e, r, write ? "starting a batch" : "reading the log position");
		pg_rollback(c);
		return e->code;
	}
	*log_pos = atoll(PQgetvalue(r, 0, 0));
	int serial = write && !PQgetisnull(r, 0, 1) && !strcmp(PQgetvalue(r, 0, 1), "serial");
	PQclear(r);
	if (serial && run(c, "SELECT value FROM c_meta WHERE key = 'log_pos' FOR UPDATE", 0, NULL, e, N_("taking the log lock"))) {
		pg_rollback(c);
		return e->code;
	}
	return 0;
}

static int pg_commit(struct central *c, struct err *e)
{
	struct pg *p = c->impl;
	p->in_tx = 0;
	PGresult *r = PQexec(p->conn, "COMMIT");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return pg_fail(c, e, r, N_("committing"));
	PQclear(r);
	return 0;
}

static void pg_rollback(struct central *c)
{
	struct pg *p = c->impl;
	if (p && p->in_tx && PQstatus(p->conn) == CONNECTION_OK)
		PQclear(PQexec(p->conn, "ROLLBACK"));
	if (p) {
		p->in_tx = 0;
		stage_free(&p->stage);
	}
}

/* ---- COPY binary format ----------------------------------------------------
 * A batch's rows go to c_events in COPY's binary format: the server reads each field
 * as it is (no escaping to undo, no hex to decode, no number to parse) and the rows are
 * streamed in pieces of COPY_PIECE bytes, so neither this process nor libpq holds the
 * whole batch a second time.  Field order and types: COPY_COLS below, c_events's. */

#define COPY_PIECE 65536

static void put_be(struct strbuf *b, uint64_t v, int bytes)
{
	unsigned char x[8];
	for (int i = 0; i < bytes; i++)
		x[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	strbuf_add(b, x, (size_t)bytes);
}

/* one field: its length, then its bytes (len -1: NULL) */
static void put_field(struct strbuf *b, const void *data, int len)
{
	put_be(b, (uint32_t)len, 4);
	if (len > 0)
		strbuf_add(b, data, (size_t)len);
}

static void put_str(struct strbuf *b, const char *s) { put_field(b, s, (int)strlen(s)); }

static void put_int(struct strbuf *b, int64_t v, int bytes)
{
	put_be(b, (uint32_t)bytes, 4);
	put_be(b, (uint64_t)v, bytes);
}

/* ---- a batch: checked with one query, written with one COPY ------------------------
 * stage() keeps the caller's events (central_put_batch holds them until publish) and
 * asks, in one query over arrays of the batch, which previous events are missing and
 * where each dossier is routed; unstage() marks the refused; publish_staged() COPYs the
 * rest straight into c_events at base + ord, and only when that hits an event central
 * has (c_events_once) looks the batch's events up (mark_dups).  A concurrent batch of
 * the same office with the same events (a retry while the first is still open) waits
 * on c_events_once and then finds them duplicates.  (An INSERT ... SELECT from a
 * staging table cost twice a COPY of the same rows.) */

/* an array element in double quotes (array literal syntax) */
static void put_elem(struct strbuf *b, const char *s)
{
	strbuf_add(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_add(b, "\\", 1);
		strbuf_add(b, s, 1);
	}
	strbuf_add(b, "\"", 1);
}

static int id_cmp(const void *a, const void *b)
{
	const struct event *const *x = a, *const *y = b;
	return strcmp((*x)->id, (*y)->id);
}

static int is_received(const struct event *ev) { return !strcmp(ev->kind, "received"); }

static int pg_stage(struct central *c, const struct event *evs, const char *const *offices, int n, struct err *e)
{
	struct pg *p = c->impl;
	struct batchcheck *s = &p->stage;
	stage_free(s);
	s->evs = evs;
	s->offices = offices;
	s->n = n;
	s->flag = calloc((size_t)n + 1, 1);
	s->routed = calloc((size_t)n + 1, sizeof *s->routed);
	const struct event **byid = calloc((size_t)n + 1, sizeof *byid);
	struct event_byhash *byhash = event_batch_by_hash(evs, n);
	struct strbuf codes = {0}, dseqs = {0}, prevs = {0}, ords = {0};
	int rc = 0, asked = 0;
	if (!s->flag || !s->routed || !byid || !byhash) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	/* the same id twice in one batch: the later one is a duplicate */
	for (int i = 0; i < n; i++)
		byid[i] = &evs[i];
	qsort(byid, (size_t)n, sizeof *byid, id_cmp);
	for (int i = 1; i < n; i++)
		if (!strcmp(byid[i]->id, byid[i - 1]->id)) {
			const struct event *later = byid[i] > byid[i - 1] ? byid[i] : byid[i - 1];
			s->flag[later - evs] |= BF_DUP;
		}
	/* an event whose previous event comes earlier in the batch is not asked about:
	 * it is "not at central" (BF_ORPHAN), and central_put_batch finds it in the batch */
	char num[32], hex[65];
	for (int i = 0; i < n; i++) {
		if (!evs[i].has_prev)
			continue;
		if (event_prev_in_batch(evs, byhash, n, i) >= 0) {
			s->flag[i] |= BF_ORPHAN;
			continue;
		}
		const char *sep = asked++ ? "," : "{";
		strbuf_add(&codes, sep, 1);
		put_elem(&codes, evs[i].dossier_code);
		snprintf(num, sizeof num, "%s%d", sep, evs[i].dseq);
		strbuf_add(&dseqs, num, strlen(num));
		snprintf(num, sizeof num, "%s%d", sep, i + 1);
		strbuf_add(&ords, num, strlen(num));
		hex_encode(evs[i].prev_hash, 32, hex);
		strbuf_add(&prevs, sep, 1);
		strbuf_add(&prevs, "\"\\\\x", 4);
		strbuf_add(&prevs, hex, 64);
		strbuf_add(&prevs, "\"", 1);
	}
	if (!asked)
		goto out;
	strbuf_add(&codes, "}", 1);
	strbuf_add(&dseqs, "}", 1);
	strbuf_add(&prevs, "}", 1);
	strbuf_add(&ords, "}", 1);
	if (codes.oom || dseqs.oom || prevs.oom || ords.oom) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	const char *v[4] = {codes.buf, dseqs.buf, prevs.buf, ords.buf};
	/* a LATERAL lookup: per row through the (dossier_code, dseq) index (as EXISTS in
	 * the select list the planner may hash all of c_events for every batch); the
	 * previous event's row also says where the dossier is routed */
	PGresult *r = q(c, "SELECT t.ord, p.office FROM unnest($1::text[], $2::int[], $3::bytea[], $4::int[])"
			" AS t(code, dseq, prev, ord) LEFT JOIN LATERAL (SELECT office FROM c_events"
			" WHERE dossier_code = t.code COLLATE \"C\" AND dseq = t.dseq - 1 AND hash = t.prev LIMIT 1) p ON true",
			4, v, e, N_("checking the batch"));
	if (!r) {
		rc = e->code;
		goto out;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		int ord = atoi(PQgetvalue(r, i, 0));
		if (ord < 1 || ord > n)
			continue;
		if (PQgetisnull(r, i, 1))
			s->flag[ord - 1] |= BF_ORPHAN;
		else
			snprintf(s->routed[ord - 1], sizeof s->routed[0], "%s", PQgetvalue(r, i, 1));
	}
	PQclear(r);
out:
	free(byid);
	free(byhash);
	strbuf_release(&codes);
	strbuf_release(&dseqs);
	strbuf_release(&prevs);
	strbuf_release(&ords);
	if (rc)
		stage_free(s);
	return rc;
}

static int pg_prevs(struct central *c, central_prev_cb cb, void *ctx, struct err *e)
{
	struct batchcheck *s = &((struct pg *)c->impl)->stage;
	(void)e;
	for (int i = 0; i < s->n; i++)
		if (s->evs[i].has_prev && !(s->flag[i] & BF_DUP) &&
		    cb(i + 1, (s->flag[i] & BF_ORPHAN) ? NULL : s->routed[i], ctx))
			break;
	return 0;
}

static int pg_unstage(struct central *c, const int *ords, int n, struct err *e)
{
	struct batchcheck *s = &((struct pg *)c->impl)->stage;
	(void)e;
	for (int i = 0; i < n; i++)
		if (ords[i] >= 1 && ords[i] <= s->n)
			s->flag[ords[i] - 1] |= BF_REFUSED;
	return 0;
}

/* the events of this batch central has already (a replayed batch): the same id at the
 * same dossier and dseq, through c_events_once */
static int mark_dups(struct central *c, struct batchcheck *s, struct err *e)
{
	struct strbuf ids = {0}, codes = {0}, dseqs = {0};
	char num[24];
	for (int i = 0; i < s->n; i++) {
		const char *sep = i ? "," : "{";
		strbuf_add(&ids, sep, 1);
		put_elem(&ids, s->evs[i].id);
		strbuf_add(&codes, sep, 1);
		put_elem(&codes, s->evs[i].dossier_code);
		snprintf(num, sizeof num, "%s%d", sep, s->evs[i].dseq);
		strbuf_add(&dseqs, num, strlen(num));
	}
	strbuf_add(&ids, "}", 1);
	strbuf_add(&codes, "}", 1);
	strbuf_add(&dseqs, "}", 1);
	int oom = ids.oom || codes.oom || dseqs.oom;
	const char *v[3] = {ids.buf, codes.buf, dseqs.buf};
	PGresult *r = oom ? NULL : q(c, "SELECT t.ord FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS t(id, code, dseq, ord)"
			" JOIN LATERAL (SELECT 1 FROM c_events WHERE dossier_code = t.code COLLATE \"C\" AND dseq = t.dseq"
			" AND id = t.id COLLATE \"C\" LIMIT 1) x ON true", 3, v, e, "checking for events central has");
	strbuf_release(&ids);
	strbuf_release(&codes);
	strbuf_release(&dseqs);
	if (oom)
		return err_set(e, MC_STORE, "out of memory");
	if (!r)
		return e->code;
	for (int i = 0; i < PQntuples(r); i++) {
		int ord = atoi(PQgetvalue(r, i, 0));
		if (ord >= 1 && ord <= s->n)
			s->flag[ord - 1] |= BF_DUP;
	}
	PQclear(r);
	return 0;
}

/* "NOTIFY channel; " for each office the batch's new rows are routed to, once: the
 * channel its `sync --watch` listens on (src/central_listen.c).  Sent in the batch's
 * transaction before its savepoint, so delivered at commit, and not at all when the
 * batch is rolled back. */
static int notify_sql(struct pg *p, const struct batchcheck *s, const char (*routes)[32], struct strbuf *b)
{
	for (int i = 0; i < s->n; i++) {
		if ((s->flag[i] & (BF_DUP | BF_REFUSED)) || !routes[i][0])
			continue;
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = !(s->flag[j] & (BF_DUP | BF_REFUSED)) && !strcmp(routes[j], routes[i]);
		if (seen)
			continue;
		char chan[80];
		central_office_role_name(routes[i], chan, sizeof chan);
		char *id = PQescapeIdentifier(p->conn, chan, strlen(chan));
		if (!id)
			return -1;
		strbuf_add(b, "NOTIFY ", 7);
		strbuf_add(b, id, strlen(id));
		strbuf_add(b, "; ", 2);
		PQfreemem(id);
	}
	return b->oom ? -1 : 0;
}

/* the rows of the batch COPY writes: not a duplicate, not refused */
static int copy_count(const struct batchcheck *s)
{
	int k = 0;
	for (int i = 0; i < s->n; i++)
		k += !(s->flag[i] & (BF_DUP | BF_REFUSED));
	return k;
}

/* streams the batch's new events at log positions base + ord, each with the office
 * its line routes the dossier to (routes[], found by central_put_batch), into the COPY
 * the caller started, and ends it; *dup: it failed on an id central has */
static int copy_stream(struct central *c, struct batchcheck *s, const char (*routes)[32], int64_t base, struct strbuf *b,
		       int *dup, struct err *e)
{
	struct pg *p = c->impl;
	static const char header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
	int ok = 1;
	strbuf_reset(b);
	strbuf_add(b, header, sizeof header);
	for (int i = 0; i < s->n && ok; i++) {
		if (s->flag[i] & (BF_DUP | BF_REFUSED))
			continue;
		const struct event *ev = &s->evs[i];
		if (!routes[i][0]) {
			PQputCopyEnd(p->conn, "motcua: an event has no routed office");
			for (PGresult *r; (r = PQgetResult(p->conn));)
				PQclear(r);
			return err_set(e, MC_STORE, "internal: event %s of dossier %s has no routed office", ev->id, ev->dossier_code);
		}
		put_be(b, 14, 2); /* fields */
		put_int(b, base + i + 1, 8);
		put_str(b, ev->id);
		put_str(b, routes[i]);
		put_str(b, ev->dossier_code);
		put_int(b, ev->dseq, 4);
		put_str(b, ev->kind);
		put_str(b, ev->os_account);
		put_str(b, ev->actor);
		put_int(b, ev->at, 8);
		put_str(b, ev->origin);
		put_str(b, ev->payload ? ev->payload : "{}");
		put_field(b, ev->prev_hash, ev->has_prev ? 32 : -1);
		put_field(b, ev->hash, 32);
		put_field(b, ev->sig, ev->has_sig ? 64 : -1);
		if (b->len >= COPY_PIECE) {
			ok = !b->oom && PQputCopyData(p->conn, b->buf, (int)b->len) == 1;
			strbuf_reset(b);
		}
	}
	put_be(b, 0xffff, 2); /* the end of the rows */
	ok = ok && !b->oom && PQputCopyData(p->conn, b->buf, (int)b->len) == 1;
	if (PQputCopyEnd(p->conn, ok ? NULL : "motcua: out of memory") != 1)
		ok = 0;
	PGresult *r = PQgetResult(p->conn);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK || !ok) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		*dup = ok && st && !strcmp(st, "23505"); /* unique_violation */
		rc = pg_fail(c, e, r, N_("inserting events"));
	} else
		PQclear(r);
	while ((r = PQgetResult(p->conn)))
		PQclear(r);
	return rc;
}

static int pg_publish_staged(struct central *c, int64_t base, int n, const char (*routes)[32], int *inserted,
			     struct err *e)
{
	struct pg *p = c->impl;
	struct batchcheck *s = &p->stage;
	struct strbuf codes = {0};
	int rc = 0, count = 0;
	*inserted = 0;
	if (n != s->n)
		return err_set(e, MC_STORE, "internal: the batch published is not the batch staged");
	if (n >= POS_MAX_BATCH)
		return err_set(e, MC_INVALID, "a batch of %d events is too large for central: send at most 100000 at a time", n);
	/* new dossiers' routing first (their later events take it from here) */
	for (int i = 0; i < n; i++)
		if (s->offices[i] && is_received(&s->evs[i]) && !(s->flag[i] & (BF_DUP | BF_REFUSED))) {
			strbuf_add(&codes, count++ ? "," : "{", 1);
			put_elem(&codes, s->evs[i].dossier_code);
		}
	if (count) {
		strbuf_add(&codes, "}", 1);
		struct strbuf offs = {0};
		count = 0;
		for (int i = 0; i < n; i++)
			if (s->offices[i] && is_received(&s->evs[i]) && !(s->flag[i] & (BF_DUP | BF_REFUSED))) {
				strbuf_add(&offs, count++ ? "," : "{", 1);
				put_elem(&offs, s->offices[i]);
			}
		strbuf_add(&offs, "}", 1);
		const char *v[2] = {codes.buf, offs.buf};
		rc = codes.oom || offs.oom ? err_set(e, MC_STORE, "out of memory")
			: run(c, "INSERT INTO c_dossiers(code, office) SELECT * FROM unnest($1::text[], $2::text[])"
				 " ON CONFLICT (code) DO NOTHING", 2, v, e, N_("routing dossiers"));
		strbuf_release(&offs);
		if (rc)
			goto out;
	}
	/* routing events (central's re-routing and conflict decisions, an office sending a
	 * dossier it received on to the office that resolves it) move the dossier; rare,
	 * so one row at a time, through c_route(), which lets an office's own role move
	 * only a dossier routed to it (db/central/pg_0001_central.sql) */
	for (int i = 0; i < n; i++)
		if (s->offices[i] && !is_received(&s->evs[i]) && !(s->flag[i] & (BF_DUP | BF_REFUSED))) {
			const char *v[2] = {s->evs[i].dossier_code, s->offices[i]};
			if ((rc = run(c, "SELECT c_route($1, $2)", 2, v, e, N_("routing dossiers"))))
				goto out;
		}
	/* an office's own role may not write c_events (row-level security refuses COPY
	 * there): its rows go to a temporary table and c_ingest() checks and moves them */
	if (!p->role) {
		PGresult *r = PQexec(p->conn, "SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
					      " JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = 'motcua_office'"
					      " AND u.rolname = session_user)");
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			rc = pg_fail(c, e, r, N_("inserting events"));
			goto out;
		}
		p->role = !strcmp(PQgetvalue(r, 0, 0), "t") ? 2 : 1;
		PQclear(r);
	}
	int office = p->role == 2;
	/* optimistic: a replayed batch is rare, so the COPY goes first and the ids are
	 * looked up only when it hits one central has (behind a savepoint, sent in the
	 * same round trip as the COPY) */
	for (int attempt = 0;; attempt++) {
		if (!(count = copy_count(s)))
			break;
#define COPY_COLS " (pos, id, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)" \
		  " FROM STDIN WITH (FORMAT binary)"
		const char *sql = office ? (attempt ? "COPY c_events_in" COPY_COLS :
					"CREATE TEMP TABLE c_events_in (LIKE c_events) ON COMMIT DROP; SAVEPOINT batch; COPY c_events_in" COPY_COLS) :
				     attempt ? "COPY c_events" COPY_COLS : "SAVEPOINT batch; COPY c_events" COPY_COLS;
#undef COPY_COLS
		struct strbuf first = {0};
		if (!attempt && (notify_sql(p, s, routes, &first) || (strbuf_add(&first, sql, strlen(sql)), first.oom))) {
			strbuf_release(&first);
			rc = err_set(e, MC_STORE, "out of memory");
			goto out;
		}
		PGresult *r = PQexec(p->conn, attempt ? sql : first.buf);
		strbuf_release(&first);
		if (PQresultStatus(r) != PGRES_COPY_IN) {
			rc = pg_fail(c, e, r, N_("inserting events"));
			goto out;
		}
		PQclear(r);
		int dup = 0;
		if ((rc = copy_stream(c, s, routes, base, &p->copybuf, &dup, e)) == 0 && office) {
			r = PQexec(p->conn, "SELECT c_ingest()");
			if (PQresultStatus(r) != PGRES_TUPLES_OK) {
				const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
				dup = st && !strcmp(st, "23505");
				rc = pg_fail(c, e, r, N_("inserting events"));
			} else
				PQclear(r);
		}
		if (rc == 0)
			break;
		if (!dup || attempt)
			goto out;
		if ((rc = run(c, "ROLLBACK TO SAVEPOINT batch", 0, NULL, e, N_("inserting events"))) || (rc = mark_dups(c, s, e)))
			goto out;
	}
	*inserted = count;
out:
	strbuf_release(&codes);
	stage_free(s);
	return rc;
}

static int pg_deliver(struct central *c, const struct event *ev, const char *office, struct err *e)
{
	char dseq[16];
	snprintf(dseq, sizeof dseq, "%d", ev->dseq);
	const char *v[4] = {ev->id, office, ev->dossier_code, dseq};
	return run(c, "INSERT INTO c_deliveries(office, pos, id) SELECT $2, pos, id FROM c_events WHERE dossier_code = $3 COLLATE \"C\""
		   " AND dseq = $4::int AND id = $1 COLLATE \"C\" ON CONFLICT DO NOTHING", 4, v, e, N_("delivering an event"));
}

static int pg_quarantine(struct central *c, const struct event *ev, const char *reason, int64_t at, struct err *e)
{
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:s, s:s}", "id", ev->id, "dossier", ev->dossier_code,
			      "dseq", ev->dseq, "kind", ev->kind, "os_account", ev->os_account, "actor", ev->actor,
			      "at", (json_int_t)ev->at, "origin", ev->origin, "payload", ev->payload ? ev->payload : "{}");
	char *doc = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	char when[32];
	snprintf(when, sizeof when, "%lld", (long long)at);
	const char *v[6] = {ev->id, ev->origin, ev->dossier_code, reason, when, doc ? doc : "{}"};
	int rc = run(c, "INSERT INTO c_quarantine(id, origin, dossier_code, reason, at, event) VALUES ($1,$2,$3,$4,$5,$6)"
		     " ON CONFLICT (id, md5(event)) DO NOTHING", 6, v, e, N_("quarantining an event"));
	free(doc);
	return rc;
}

static void unhex_bytea(const char *s, unsigned char out[32], int *ok)
{
	*ok = 0;
	if (s && s[0] == '\\' && s[1] == 'x' && hex_decode(s + 2, out, 32) == 0)
		*ok = 1;
}

#define EV_COLS "pos, id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig"

/* row i of a result whose first columns are EV_COLS, as an event; its payload points
 * into the result (valid while the result is) */
static void row_event(PGresult *r, int i, struct event *ev)
{
	int ok;
	memset(ev, 0, sizeof *ev);
	ev->seq = atoll(PQgetvalue(r, i, 0));
	snprintf(ev->id, sizeof ev->id, "%s", PQgetvalue(r, i, 1));
	snprintf(ev->dossier_code, sizeof ev->dossier_code, "%s", PQgetvalue(r, i, 2));
	ev->dseq = atoi(PQgetvalue(r, i, 3));
	snprintf(ev->kind, sizeof ev->kind, "%s", PQgetvalue(r, i, 4));
	snprintf(ev->os_account, sizeof ev->os_account, "%s", PQgetvalue(r, i, 5));
	snprintf(ev->actor, sizeof ev->actor, "%s", PQgetvalue(r, i, 6));
	ev->at = atoll(PQgetvalue(r, i, 7));
	snprintf(ev->origin, sizeof ev->origin, "%s", PQgetvalue(r, i, 8));
	ev->payload = PQgetvalue(r, i, 9);
	if (!PQgetisnull(r, i, 10)) {
		unhex_bytea(PQgetvalue(r, i, 10), ev->prev_hash, &ok);
		ev->has_prev = 1;
	}
	unhex_bytea(PQgetvalue(r, i, 11), ev->hash, &ok);
	ev->has_sig = !PQgetisnull(r, i, 12);
	const char *sig = PQgetvalue(r, i, 12);
	if (ev->has_sig && (sig[0] != '\\' || sig[1] != 'x' || hex_decode(sig + 2, ev->sig, 64)))
		memset(ev->sig, 0, 64);
}

static int each_event(PGresult *r, central_event_cb cb, void *ctx, int64_t *last)
{
	struct event ev;
	for (int i = 0; i < PQntuples(r); i++) {
		row_event(r, i, &ev);
		if (last)
			*last = ev.seq;
		int rc = cb(&ev, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

/* The range is written as row comparisons on the (office, pos) index: a table just
 * filled has no statistics yet, and "office = $1 AND pos > $2" then made the planner
 * fetch and sort every remaining row of the office for each batch (35 ms a batch at
 * 60,000 rows) instead of reading the next batch from the index (0.4 ms). */
static int pg_events_since(struct central *c, const char *office, int64_t cursor, int limit, int own,
			   central_event_cb cb, void *ctx, int64_t *next, struct err *e)
{
	char high[32], cur[32], lim[16];
	snprintf(cur, sizeof cur, "%lld", (long long)cursor);
	snprintf(lim, sizeof lim, "%d", limit);
	const char *v[5] = {office, cur, high, own ? "true" : "false", lim};
	/* the head this snapshot may read (c_log_head(): below every batch still open),
	 * and whether central delivered events to office besides the dossiers routed to
	 * it; the union costs a millisecond to plan, so only when there are deliveries */
	PGresult *r = q(c, "SELECT h, EXISTS (SELECT 1 FROM c_deliveries WHERE (office, pos) > ($1, $2::bigint)"
			" AND (office, pos) <= ($1, h)) FROM c_log_head() h", 2, v, e, N_("reading events"));
	if (!r)
		return e->code;
	snprintf(high, sizeof high, "%s", PQgetvalue(r, 0, 0));
	int delivered = !strcmp(PQgetvalue(r, 0, 1), "t");
	PQclear(r);
	/* without the office's own events: through c_events_inbound (db/central), not
	 * past every event the office pushed since its cursor */
#define ROUTED(which) "SELECT " EV_COLS " FROM c_events WHERE (office, pos) > ($1, $2::bigint)" \
		      " AND (office, pos) <= ($1, $3::bigint) AND " which " ORDER BY office, pos LIMIT $5::int"
#define ALL ROUTED("$4::boolean")
#define INBOUND ROUTED("NOT $4::boolean AND office <> origin")
#define DELIVERED " UNION ALL (SELECT e.pos, e.id, e.dossier_code, e.dseq, e.kind, e.os_account, e.actor, e.at, e.origin," \
		  " e.payload, e.prev_hash, e.hash, e.sig FROM c_deliveries d JOIN c_events e ON e.pos = d.pos AND e.id = d.id" \
		  " WHERE (d.office, d.pos) > ($1, $2::bigint) AND (d.office, d.pos) <= ($1, $3::bigint)" \
		  " ORDER BY d.office, d.pos LIMIT $5::int) ORDER BY 1 LIMIT $5::int"
	r = q(c, delivered ? (own ? "(" ALL ")" DELIVERED : "(" INBOUND ")" DELIVERED) : own ? ALL : INBOUND, 5, v, e,
	      N_("reading events"));
#undef ROUTED
#undef ALL
#undef INBOUND
#undef DELIVERED
	if (!r)
		return e->code;
	int64_t last = cursor, h = atoll(high);
	int count = PQntuples(r);
	int rc = each_event(r, cb, ctx, &last);
	PQclear(r);
	if (rc)
		return rc;
	*next = count < limit ? (h > cursor ? h : cursor) : last;
	return 0;
}

static int pg_dossier_events(struct central *c, const char *code, central_event_cb cb, void *ctx, struct err *e)
{
	const char *v[1] = {code};
	/* through c_dossier_events(): an office's own role reads the whole history of a
	 * dossier it holds or held (db/central/pg_0001_central.sql) */
	PGresult *r = q(c, "SELECT " EV_COLS " FROM c_dossier_events($1) ORDER BY dseq, pos", 1, v, e, N_("reading a dossier"));
	if (!r)
		return e->code;
	int rc = each_event(r, cb, ctx, NULL);
	PQclear(r);
	return rc;
}

static int pg_forked(struct central *c, int (*cb)(const char *code, void *ctx), void *ctx, struct err *e)
{
	PGresult *r = q(c, "SELECT DISTINCT dossier_code FROM c_events GROUP BY dossier_code, dseq HAVING count(*) > 1"
			" ORDER BY dossier_code", 0, NULL, e, N_("listing forks"));
	if (!r)
		return e->code;
	for (int i = 0; i < PQntuples(r); i++)
		if (cb(PQgetvalue(r, i, 0), ctx))
			break;
	PQclear(r);
	return 0;
}

static int pg_counts(struct central *c, const char *office, int64_t *events, int64_t *quarantined, struct err *e)
{
	const char *v[1] = {office};
	PGresult *r = q(c, "SELECT (SELECT count(*) FROM c_events WHERE $1::text IS NULL OR office = $1),"
			" (SELECT count(*) FROM c_quarantine)", 1, v, e, N_("counting"));
	if (!r)
		return e->code;
	*events = atoll(PQgetvalue(r, 0, 0));
	*quarantined = atoll(PQgetvalue(r, 0, 1));
	PQclear(r);
	return 0;
}

static int pg_ref_put(struct central *c, const char *kind, const char *key, const char *doc, struct err *e)
{
	const char *v[3] = {kind, key, doc};
	return run(c, "INSERT INTO c_ref(kind, key, doc) VALUES ($1,$2,$3) ON CONFLICT (kind, key) DO UPDATE SET doc = excluded.doc",
		   3, v, e, N_("writing reference data"));
}

static int pg_ref_list(struct central *c, const char *kind, int (*cb)(const char *, const char *, const char *, void *),
		       void *ctx, struct err *e)
{
	const char *v[1] = {kind};
	PGresult *r = kind ? q(c, "SELECT kind, key, doc FROM c_ref WHERE kind = $1 ORDER BY key COLLATE \"C\"", 1, v, e,
			       N_("reading reference data"))
		: q(c, "SELECT kind, key, doc FROM c_ref ORDER BY CASE kind WHEN 'office' THEN 1 WHEN 'department' THEN 2"
		       " WHEN 'field' THEN 3 WHEN 'procedure' THEN 4 WHEN 'user' THEN 5 ELSE 6 END, kind, key COLLATE \"C\"",
		       0, NULL, e, N_("reading reference data"));
	if (!r)
		return e->code;
	int rc = 0;
	for (int i = 0; i < PQntuples(r) && !rc; i++)
		rc = cb(PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), ctx);
	PQclear(r);
	return rc;
}

static int pg_counter_next(struct central *c, const char *day, int *n, struct err *e)
{
	const char *v[1] = {day};
	PGresult *r = q(c, "INSERT INTO c_counters(day, n) VALUES ($1, 1) ON CONFLICT (day) DO UPDATE SET n = c_counters.n + 1"
			" RETURNING n", 1, v, e, N_("numbering"));
	if (!r)
		return e->code;
	*n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int pg_event_office(struct central *c, const struct event *ev, char *office, size_t n, struct err *e)
{
	char dseq[16];
	snprintf(dseq, sizeof dseq, "%d", ev->dseq);
	const char *v[3] = {ev->id, ev->dossier_code, dseq};
	PGresult *r = q(c, "SELECT office FROM c_events WHERE dossier_code = $2 COLLATE \"C\" AND dseq = $3::int"
			" AND id = $1 COLLATE \"C\"", 3, v, e, N_("looking up an event"));
	if (!r)
		return e->code;
	int found = PQntuples(r) > 0;
	if (found)
		snprintf(office, n, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return found ? 0 : MC_NOTFOUND;
}

/* ---- the snapshot (snapshot.h) --------------------------------------------------- */

/* REPEATABLE READ without the log lock: log_pos and the rows up to it come from one
 * snapshot (see central.h), so pushes go on while it is built; a second concurrent
 * build fails on c_meta 'snapshot_pos' instead of overwriting the first */
static int pg_snapshot_begin(struct central *c, int64_t *log_pos, struct err *e)
{
	struct pg *p = c->impl;
	if (run(c, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL, e, N_("starting the snapshot")))
		return e->code;
	p->in_tx = 1;
	PGresult *r = q(c, "SELECT c_log_head()", 0, NULL, e, N_("reading the log position"));
	if (!r || PQntuples(r) != 1) {
		if (r) {
			PQclear(r);
			err_set_hint(e, MC_VERSION, HINT_CENTRAL_INIT, "%s is not a motcua central database", c->target);
		}
		pg_rollback(c);
		return e->code;
	}
	*log_pos = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

/* a cursor, 2,000 rows per FETCH: memory stays flat however large the log */
static int pg_snapshot_events(struct central *c, int64_t after, int64_t upto, central_office_event_cb cb, void *ctx,
			      struct err *e)
{
	char a[32], u[32];
	snprintf(a, sizeof a, "%lld", (long long)after);
	snprintf(u, sizeof u, "%lld", (long long)upto);
	const char *v[2] = {a, u};
	int rc = after <= 0
		? run(c, "DECLARE snap NO SCROLL CURSOR FOR SELECT " EV_COLS ", office FROM c_events WHERE pos <= $2::bigint"
			 " AND $1::bigint <= 0 ORDER BY dossier_code, dseq, pos", 2, v, e, N_("reading events for the snapshot"))
		: run(c, "DECLARE snap NO SCROLL CURSOR FOR SELECT " EV_COLS ", office FROM c_events WHERE pos <= $2::bigint"
			 " AND dossier_code IN (SELECT dossier_code FROM c_events WHERE office IN (SELECT key FROM c_ref"
			 " WHERE kind = 'office') AND pos > $1::bigint AND pos <= $2::bigint) ORDER BY dossier_code, dseq, pos",
			 2, v, e, N_("reading events for the snapshot"));
	if (rc)
		return rc;
	for (;;) {
		PGresult *r = q(c, "FETCH 2000 FROM snap", 0, NULL, e, N_("reading events for the snapshot"));
		if (!r)
			return e->code;
		int n = PQntuples(r);
		struct event ev;
		for (int i = 0; i < n && !rc; i++) {
			row_event(r, i, &ev);
			rc = cb(&ev, PQgetvalue(r, i, 13), ctx);
		}
		PQclear(r);
		if (rc || n < 2000)
			break;
	}
	if (!rc)
		rc = run(c, "CLOSE snap", 0, NULL, e, N_("reading events for the snapshot"));
	return rc;
}

/* one upsert per call over arrays of the rows */
static int pg_snapshot_put(struct central *c, const struct central_snap_row *rows, int n, struct err *e)
{
	struct strbuf codes = {0}, offices = {0}, poss = {0}, dseqs = {0}, hashes = {0}, events = {0}, states = {0};
	char num[64], hex[65];
	for (int i = 0; i < n; i++) {
		const char *sep = i ? "," : "{";
		strbuf_add(&codes, sep, 1);
		put_elem(&codes, rows[i].code);
		strbuf_add(&offices, sep, 1);
		put_elem(&offices, rows[i].office);
		snprintf(num, sizeof num, "%s%lld", sep, (long long)rows[i].pos);
		strbuf_add(&poss, num, strlen(num));
		snprintf(num, sizeof num, "%s%d", sep, rows[i].dseq);
		strbuf_add(&dseqs, num, strlen(num));
		hex_encode(rows[i].hash, 32, hex);
		strbuf_add(&hashes, sep, 1);
		strbuf_add(&hashes, "\"\\\\x", 4);
		strbuf_add(&hashes, hex, 64);
		strbuf_add(&hashes, "\"", 1);
		strbuf_add(&events, sep, 1);
		put_elem(&events, rows[i].event);
		strbuf_add(&states, sep, 1);
		if (rows[i].state)
			put_elem(&states, rows[i].state);
		else
			strbuf_add(&states, "NULL", 4);
	}
	struct strbuf *all[7] = {&codes, &offices, &poss, &dseqs, &hashes, &events, &states};
	int oom = 0;
	for (int k = 0; k < 7; k++) {
		strbuf_add(all[k], "}", 1);
		oom |= all[k]->oom;
	}
	int rc = oom ? err_set(e, MC_STORE, "out of memory")
		: run(c, "INSERT INTO c_snapshot(code, office, pos, dseq, hash, event, state) SELECT * FROM unnest($1::text[],"
			 " $2::text[], $3::bigint[], $4::int[], $5::bytea[], $6::text[], $7::text[]) ON CONFLICT (code) DO UPDATE"
			 " SET office = excluded.office, pos = excluded.pos, dseq = excluded.dseq, hash = excluded.hash,"
			 " event = excluded.event, state = excluded.state",
			 7, (const char *const[]){codes.buf, offices.buf, poss.buf, dseqs.buf, hashes.buf, events.buf, states.buf}, e,
			 "writing the snapshot");
	for (int k = 0; k < 7; k++)
		strbuf_release(all[k]);
	return rc;
}

/* The events where a dossier's line is routed to an office anew: its first event and
 * the routing kinds (history_route_key); every other event takes its office from its
 * previous one, so these name every (office, dossier) pair of the log.  The index
 * c_events_office_held (db/central/pg_0001_central.sql) holds only them: one entry a
 * dossier instead of one an event, a fifth of what ingest spent on the log's indexes. */
#define HELD "(dseq = 1 OR kind IN ('" SYNC_ROUTED_KIND "', '" SYNC_REROUTED_KIND "', '" SYNC_RESOLVED_KIND "'))"

/* The snapshot rows an office's first sync loads: every dossier the office ever held
 * (an event of it was routed to the office): those routed to it now, and those it
 * received and follows while another office resolves them, resolved and sent on to
 * the place of return, or saw re-routed away; what a pull from position 0 would have
 * brought (central delivers steps only to offices that held the dossier).  The codes
 * come in order from c_events_office_held (db/central/pg_0001_central.sql)
 * a bounded slice at a time, a plan that reads only what the chunk needs whatever
 * the statistics say, and their rows by code. */
static int pg_snapshot_rows(struct central *c, const char *office, const char *after, int limit, central_snap_cb cb,
			    void *ctx, struct err *e)
{
	char cur[CODE_LEN], lim[16];
	snprintf(cur, sizeof cur, "%s", after);
	int rc = 0, got = 0, ok;
	while (!rc && got < limit) {
		int want = (limit - got) * 8 + 16;   /* events, several per dossier */
		snprintf(lim, sizeof lim, "%d", want);
		const char *v[3] = {office, cur, lim};
		PGresult *r = q(c, "SELECT dossier_code FROM c_events WHERE office = $1 AND dossier_code > $2 AND " HELD
				" ORDER BY dossier_code LIMIT $3::int", 3, v, e, N_("reading the snapshot"));
		if (!r)
			return e->code;
		int n = PQntuples(r);
		struct strbuf codes = {0};
		for (int i = 0; i < n; i++) {
			const char *code = PQgetvalue(r, i, 0);
			if (i && !strcmp(code, PQgetvalue(r, i - 1, 0)))
				continue;
			strbuf_add(&codes, codes.len ? "," : "{", 1);
			put_elem(&codes, code);
		}
		if (n)
			snprintf(cur, sizeof cur, "%s", PQgetvalue(r, n - 1, 0));
		PQclear(r);
		if (!n)
			break;
		strbuf_add(&codes, "}", 1);
		if (codes.oom) {
			strbuf_release(&codes);
			return err_set(e, MC_STORE, "out of memory");
		}
		snprintf(lim, sizeof lim, "%d", limit - got);
		const char *w[2] = {codes.buf, lim};
		r = q(c, "SELECT code, office, pos, dseq, hash, event, state FROM c_snapshot WHERE code = ANY($1::text[])"
		      " ORDER BY code LIMIT $2::int", 2, w, e, N_("reading the snapshot"));
		strbuf_release(&codes);
		if (!r)
			return e->code;
		struct central_snap_row row;
		for (int i = 0; i < PQntuples(r) && !rc; i++, got++) {
			memset(&row, 0, sizeof row);
			snprintf(row.code, sizeof row.code, "%s", PQgetvalue(r, i, 0));
			snprintf(row.office, sizeof row.office, "%s", PQgetvalue(r, i, 1));
			row.pos = atoll(PQgetvalue(r, i, 2));
			row.dseq = atoi(PQgetvalue(r, i, 3));
			unhex_bytea(PQgetvalue(r, i, 4), row.hash, &ok);
			row.event = PQgetvalue(r, i, 5);
			row.state = PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6);
			rc = cb(&row, ctx);
		}
		PQclear(r);
		if (n < want)
			break; /* no more codes */
	}
	return rc;
}

static int pg_snapshot_count(struct central *c, const char *office, int64_t *rows, struct err *e)
{
	const char *v[1] = {office};
	PGresult *r = q(c, "SELECT count(*) FROM c_snapshot WHERE code IN (SELECT dossier_code FROM c_events WHERE office = $1 AND " HELD ")",
			1, v, e, N_("counting the snapshot"));
	if (!r)
		return e->code;
	*rows = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

const struct central_ops central_pg_ops = {
	.name = "postgresql",
	.open = pg_open, .close = pg_close, .init = pg_init,
	.meta_get = pg_meta_get, .meta_set = pg_meta_set,
	.begin = pg_begin, .commit = pg_commit, .rollback = pg_rollback,
	.stage = pg_stage, .prevs = pg_prevs, .unstage = pg_unstage, .publish_staged = pg_publish_staged,
	.quarantine = pg_quarantine, .deliver = pg_deliver, .events_since = pg_events_since, .dossier_events = pg_dossier_events,
	.forked = pg_forked, .counts = pg_counts, .ref_put = pg_ref_put, .ref_list = pg_ref_list,
	.counter_next = pg_counter_next, .event_office = pg_event_office,
	.snapshot_begin = pg_snapshot_begin, .snapshot_events = pg_snapshot_events, .snapshot_put = pg_snapshot_put,
	.snapshot_rows = pg_snapshot_rows, .snapshot_count = pg_snapshot_count,
};

/* ---- the portal link's rows (src/portal.c) ------------------------------------------ */

/* one statement with text parameters $1..$n (NULL: SQL NULL); each result row to cb
 * as text (NULL for SQL NULL); cb returning non-zero stops */
int central_pg_query(struct central *c, const char *sql, const char *const *params, int n,
		     int (*cb)(int ncol, const char *const *vals, void *ctx), void *ctx, struct err *e)
{
	PGresult *r = q(c, sql, n, params, e, N_("the portal link's rows"));
	if (!r)
		return e->code;
	int rows = PQntuples(r), nc = PQnfields(r);
	if (nc > 32)
		nc = 32;
	for (int i = 0; i < rows && cb; i++) {
		const char *vals[32];
		for (int j = 0; j < nc; j++)
			vals[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
		if (cb(nc, vals, ctx))
			break;
	}
	PQclear(r);
	return 0;
}
