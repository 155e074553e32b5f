/* central_verify.c - `motcua central verify`: central's events against the offices'
 * keys (see central_verify.h).  Reads the log a chunk at a time in position order up
 * to the head taken when it starts (nothing commits below it later), checks the chunk
 * on every core, and records what it found and the position reached in one writing
 * transaction a chunk: a run stopped part way goes on from there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central_keys.h"
#include "central_verify.h"
#include "event.h"
#include "portal.h"
#include "storekey.h"

#define IS_PG(cen) ((cen)->ops == &central_pg_ops)
/* a chunk: at most CHUNK events and CHUNK_BYTES of payloads (at least one event), so
 * that an office's role that pushed huge payloads through psql cannot make a run
 * hold more than that, nor stop it short of the events after them */
enum { CHUNK = 8192, CHUNK_BYTES = 16 << 20 };

const char *central_verify_reason_word(int reason)
{
	return reason == CV_BAD_HASH ? "bad-hash" : reason == CV_FORGED ? "forged" : reason == CV_ID_TWICE ? "id-twice"
		: "unsigned";
}

static const char *SQL_CHUNK_PG =
	"SELECT pos, id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, encode(prev_hash, 'hex'),"
	" encode(hash, 'hex'), encode(sig, 'hex'), office FROM c_events"
	" WHERE pos > $1::bigint AND pos <= $2::bigint ORDER BY pos LIMIT $3::int";
static const char *SQL_CHUNK_SQ =
	"SELECT pos, id, dossier_code, dseq, kind, os_account, actor, at, origin, payload,"
	" CASE WHEN prev_hash IS NULL THEN NULL ELSE lower(hex(prev_hash)) END, lower(hex(hash)),"
	" CASE WHEN sig IS NULL THEN NULL ELSE lower(hex(sig)) END, office FROM c_events"
	" WHERE pos > CAST($1 AS INTEGER) AND pos <= CAST($2 AS INTEGER) ORDER BY pos LIMIT CAST($3 AS INTEGER)";
/* the payload sizes of the next events: how many of them a chunk takes */
static const char *SQL_SIZES_PG =
	"SELECT pos, octet_length(payload) FROM c_events"
	" WHERE pos > $1::bigint AND pos <= $2::bigint ORDER BY pos LIMIT $3::int";
static const char *SQL_SIZES_SQ =
	"SELECT pos, length(CAST(payload AS BLOB)) FROM c_events"
	" WHERE pos > CAST($1 AS INTEGER) AND pos <= CAST($2 AS INTEGER) ORDER BY pos LIMIT CAST($3 AS INTEGER)";
/* a finding names its event as the log has it (its id and names whole, whatever this
 * program's buffers hold: ids an office's role made longer than an event's cannot
 * share a row).  PostgreSQL: one row an event by its position (c_verify_found_pos; an
 * id may be held twice there), whatever unique key a central not yet upgraded has */
static const char *SQL_FOUND_PG =
	"INSERT INTO c_verify_found (id, pos, origin, office, dossier_code, dseq, kind, reason, found_at, found_by)"
	" SELECT id, pos, origin, office, dossier_code, dseq, kind, $2, $3::bigint, $4 FROM c_events"
	" WHERE pos = $1::bigint ON CONFLICT DO NOTHING";
static const char *SQL_FOUND_SQ =
	"INSERT INTO c_verify_found (id, pos, origin, office, dossier_code, dseq, kind, reason, found_at, found_by)"
	" SELECT id, pos, origin, office, dossier_code, dseq, kind, $2, CAST($3 AS INTEGER), $4 FROM c_events"
	" WHERE pos = CAST($1 AS INTEGER) ON CONFLICT (id) DO NOTHING";

/* the events after $1 up to $2 whose id an earlier event has (PostgreSQL: central keeps
 * no index of the id alone, db/central/pg_0001_central.sql): the new events' ids are
 * hashed, the log read once.  (Not through a materialized CTE: without statistics of
 * its ids the planner hashed the whole log instead, spilling it to temporary files on
 * every run however few events were new.) */
static const char *SQL_ID_TWICE_PG =
	"SELECT DISTINCT ON (n.pos) n.pos, n.id, n.origin, n.office, n.dossier_code, n.dseq, n.kind FROM c_events n"
	" JOIN c_events o ON o.id = n.id AND o.pos < n.pos WHERE n.pos > $1::bigint AND n.pos <= $2::bigint ORDER BY n.pos";

struct chunk {
	struct event *ev;
	char (*office)[32];
	int n, bad;              /* bad: a row that is not an event (a column missing) */
};

static void chunk_clear(struct chunk *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->ev[i].payload);
	c->n = 0;
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int chunk_row(int nc, const char *const *v, void *ctx)
{
	struct chunk *c = ctx;
	if (nc < 14 || c->n >= CHUNK || !v[0] || !v[11]) {
		c->bad = 1;
		return 1;
	}
	struct event *ev = &c->ev[c->n];
	memset(ev, 0, sizeof *ev);
	ev->seq = atoll(v[0]);
	copy(ev->id, sizeof ev->id, v[1]);
	copy(ev->dossier_code, sizeof ev->dossier_code, v[2]);
	ev->dseq = v[3] ? atoi(v[3]) : 0;
	copy(ev->kind, sizeof ev->kind, v[4]);
	copy(ev->os_account, sizeof ev->os_account, v[5]);
	copy(ev->actor, sizeof ev->actor, v[6]);
	ev->at = v[7] ? atoll(v[7]) : 0;
	copy(ev->origin, sizeof ev->origin, v[8]);
	if (!(ev->payload = strdup(v[9] ? v[9] : ""))) {
		c->bad = 2;
		return 1;
	}
	ev->has_prev = v[10] && hex_decode(v[10], ev->prev_hash, 32) == 0;
	if (hex_decode(v[11], ev->hash, 32))
		memset(ev->hash, 0, 32); /* not a hash: it cannot match */
	ev->has_sig = v[12] != NULL;
	if (ev->has_sig && hex_decode(v[12], ev->sig, 64))
		memset(ev->sig, 0, 64); /* not a signature: it verifies with no key */
	copy(c->office[c->n], sizeof c->office[0], v[13]);
	c->n++;
	return 0;
}

/* the next events' sizes: n of them, the first `taken` (up to position upto) within
 * CHUNK_BYTES */
struct sizes { int64_t bytes, upto; int n, taken; };

static int size_row(int nc, const char *const *v, void *ctx)
{
	struct sizes *z = ctx;
	int64_t len = nc > 1 && v[1] ? atoll(v[1]) : 0;
	if (nc > 0 && v[0] && z->taken == z->n && (z->taken == 0 || z->bytes + len <= CHUNK_BYTES)) {
		z->bytes += len;
		z->upto = atoll(v[0]);
		z->taken++;
	}
	z->n++;
	return 0;
}

static int one_value(int nc, const char *const *v, void *ctx)
{
	if (nc > 0 && v[0])
		*(int64_t *)ctx = atoll(v[0]);
	return 1;
}

/* the findings of one chunk and the mark, in one writing transaction */
static int chunk_record(struct central *cen, const struct central_verify_finding *f, int nf, int64_t mark,
			const char *found_by, int64_t now, struct err *e)
{
	int rc = cen->ops->begin(cen, 1, NULL, e);
	if (rc)
		return rc;
	char pos[24], at[24], m[24];
	snprintf(at, sizeof at, "%lld", (long long)now);
	for (int i = 0; i < nf && !rc; i++) {
		snprintf(pos, sizeof pos, "%lld", (long long)f[i].pos);
		const char *p[4] = {pos, central_verify_reason_word(f[i].reason), at, found_by ? found_by : ""};
		rc = portal_query(cen, IS_PG(cen) ? SQL_FOUND_PG : SQL_FOUND_SQ, p, 4, NULL, NULL, e);
	}
	if (!rc && mark >= 0) {
		snprintf(m, sizeof m, "%lld", (long long)mark);
		rc = cen->ops->meta_set(cen, "verify_pos", m, e);
	}
	if (!rc)
		rc = cen->ops->commit(cen, e);
	if (rc)
		cen->ops->rollback(cen);
	return rc;
}

struct twice { struct central_verify_finding *f; int n, cap, oom; };

static int twice_row(int nc, const char *const *v, void *ctx)
{
	struct twice *t = ctx;
	if (nc < 7 || !v[0])
		return 0;
	if (t->n == t->cap) {
		int cap = t->cap ? 2 * t->cap : 16;
		struct central_verify_finding *g = realloc(t->f, (size_t)cap * sizeof *g);
		if (!g) {
			t->oom = 1;
			return 1;
		}
		t->f = g;
		t->cap = cap;
	}
	struct central_verify_finding *x = &t->f[t->n++];
	memset(x, 0, sizeof *x);
	x->pos = atoll(v[0]);
	copy(x->id, sizeof x->id, v[1]);
	copy(x->origin, sizeof x->origin, v[2]);
	copy(x->office, sizeof x->office, v[3]);
	copy(x->dossier_code, sizeof x->dossier_code, v[4]);
	x->dseq = v[5] ? atoi(v[5]) : 0;
	copy(x->kind, sizeof x->kind, v[6]);
	x->reason = CV_ID_TWICE;
	return 0;
}

/* the events after from up to head whose id an earlier event holds (PostgreSQL only),
 * said to cb and recorded without moving the mark: a run stopped later finds them
 * again (recorded once) */
static int verify_ids_twice(struct central *cen, int64_t from, int64_t head, const char *found_by, int64_t now,
			    central_verify_cb cb, void *ctx, struct central_verify_result *r, struct err *e)
{
	char a[24], b[24];
	snprintf(a, sizeof a, "%lld", (long long)from);
	snprintf(b, sizeof b, "%lld", (long long)head);
	const char *p[2] = {a, b};
	struct twice t = {0};
	int rc = portal_query(cen, SQL_ID_TWICE_PG, p, 2, twice_row, &t, e);
	if (!rc && t.oom)
		rc = err_set(e, MC_STORE, "out of memory");
	for (int i = 0; !rc && i < t.n; i++) {
		r->found++;
		if (cb)
			rc = cb(&t.f[i], ctx);
	}
	if (!rc && t.n)
		rc = chunk_record(cen, t.f, t.n, -1, found_by, now, e);
	free(t.f);
	return rc;
}

int central_verify(struct central *cen, int64_t since, const char *found_by, int64_t now, central_verify_cb cb, void *ctx,
		   struct central_verify_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	char buf[32];
	int64_t mark = 0, head = 0, count = -1;
	/* a central of an earlier version has no table for the findings yet; one that has
	 * it but refuses this role to read it (an office's own role) says so itself */
	int64_t has = 0;
	int rc = portal_query(cen, IS_PG(cen) ? "SELECT CASE WHEN to_regclass('c_verify_found') IS NULL THEN 0"
				 " WHEN has_table_privilege(to_regclass('c_verify_found'), 'SELECT, INSERT')"
				 " AND has_table_privilege(to_regclass('c_meta'), 'INSERT, UPDATE') THEN 1 ELSE 2 END"
				 : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'c_verify_found'",
			      NULL, 0, one_value, &has, e);
	if (rc)
		return rc;
	if (has <= 0)
		return err_set(e, MC_VERSION, "central %s has no table for what 'central verify' finds: run 'motcua central init'"
			       " there once", cen->target);
	if (has == 2)
		return err_set(e, MC_DENIED, "central %s: this database role may not record what 'central verify' finds (an office's own role has no right to): run it connected as central's owner",
			       cen->target);
	if ((rc = portal_query(cen, "SELECT count(*) FROM c_verify_found", NULL, 0, one_value, &count, e)))
		return rc;
	rc = cen->ops->meta_get(cen, "verify_pos", buf, sizeof buf, e);
	if (rc == 0)
		mark = atoll(buf);
	else if (rc == MC_NOTFOUND)
		memset(e, 0, sizeof *e);
	else
		return rc;
	r->from = since >= 0 ? since : mark;
	r->mark_moved = r->from <= mark;
	/* the head first, then the keys: every event up to the head had its store's key
	 * enrolled before it was written (keys are only ever added) */
	if ((rc = cen->ops->begin(cen, 0, &head, e)))
		return rc;
	cen->ops->rollback(cen);
	struct storekey_set ks;
	if ((rc = central_keys_load(cen, &ks, e)))
		return rc;
	r->to = head > r->from ? head : r->from;
	/* ids twice first: one read of the log for the whole run */
	if (IS_PG(cen) && head > r->from && (rc = verify_ids_twice(cen, r->from, head, found_by, now, cb, ctx, r, e))) {
		storekey_set_free(&ks);
		return rc;
	}
	struct chunk c = {calloc(CHUNK, sizeof(struct event)), calloc(CHUNK, sizeof(char[32])), 0, 0};
	int *v = calloc(CHUNK, sizeof *v);
	struct central_verify_finding *f = calloc(CHUNK, sizeof *f);
	if (!c.ev || !c.office || !v || !f) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	int64_t cur = r->from, written = mark;
	while (cur < head) {
		char a[24], b[24], lim[16];
		snprintf(a, sizeof a, "%lld", (long long)cur);
		snprintf(b, sizeof b, "%lld", (long long)head);
		snprintf(lim, sizeof lim, "%d", CHUNK);
		const char *p[3] = {a, b, lim};
		struct sizes z = {0, 0, 0, 0};
		if ((rc = portal_query(cen, IS_PG(cen) ? SQL_SIZES_PG : SQL_SIZES_SQ, p, 3, size_row, &z, e)))
			break;
		if (!z.taken)
			break;
		snprintf(b, sizeof b, "%lld", (long long)z.upto);
		if ((rc = portal_query(cen, IS_PG(cen) ? SQL_CHUNK_PG : SQL_CHUNK_SQ, p, 3, chunk_row, &c, e)))
			break;
		if (c.bad == 2) {
			rc = err_set(e, MC_STORE, "out of memory");
			break;
		}
		if (c.bad) {
			rc = err_set(e, MC_STORE, "central %s: an event at a position after %lld cannot be read", cen->target,
				     (long long)cur);
			break;
		}
		if (!c.n)
			break;
		storekey_set_check_many(&ks, c.ev, c.n, v);
		int nf = 0;
		for (int i = 0; i < c.n; i++) {
			const struct event *ev = &c.ev[i];
			int why = !event_hash_ok(ev) ? CV_BAD_HASH : v[i] == STOREKEY_BAD ? CV_FORGED
				  : v[i] == STOREKEY_UNSIGNED ? CV_UNSIGNED : -1;
			r->checked++;
			r->signed_ok += why < 0 && v[i] == STOREKEY_SIGNED;
			r->before += why < 0 && v[i] == STOREKEY_BEFORE;
			if (why < 0)
				continue;
			struct central_verify_finding *x = &f[nf++];
			memset(x, 0, sizeof *x);
			x->pos = ev->seq;
			copy(x->id, sizeof x->id, ev->id);
			copy(x->origin, sizeof x->origin, ev->origin);
			copy(x->office, sizeof x->office, c.office[i]);
			copy(x->dossier_code, sizeof x->dossier_code, ev->dossier_code);
			x->dseq = ev->dseq;
			copy(x->kind, sizeof x->kind, ev->kind);
			x->reason = why;
			r->found++;
			if (cb && (rc = cb(x, ctx)))
				break;
		}
		if (rc)
			break;
		cur = c.ev[c.n - 1].seq;
		int last = z.taken == z.n && z.n < CHUNK;
		chunk_clear(&c);
		/* the mark never goes back; the last chunk takes it to the head (positions
		 * need not be consecutive) */
		int64_t to = last ? head : cur;
		int move = r->mark_moved && to > written;
		if ((rc = chunk_record(cen, f, nf, move ? to : -1, found_by, now, e)))
			break;
		if (move)
			written = to;
		if (last)
			break;
	}
	/* nothing (more) to check up to the head: the mark goes there */
	if (!rc && r->mark_moved && head > written && !(rc = chunk_record(cen, NULL, 0, head, found_by, now, e)))
		written = head;
	if (!rc) {
		r->mark = written;
		count = 0;
		rc = portal_query(cen, "SELECT count(*) FROM c_verify_found", NULL, 0, one_value, &count, e);
		r->recorded = count;
	}
out:
	chunk_clear(&c);
	free(c.ev);
	free(c.office);
	free(v);
	free(f);
	storekey_set_free(&ks);
	return rc;
}
