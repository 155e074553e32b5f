/* province.c - provincial supervision at central (see province.h): the per-dossier
 * projection c_prov kept by the projector from central's log, the province-wide
 * dashboard with its drill-down, and the statistics report over the projection
 * through report.c's own rules.
 *
 * The projector (province_catch_up) runs out of the ingest path, which keeping the
 * projection in every batch's transaction made three times slower: it reads the log
 * in position order from c_meta 'prov_pos' up to the head a reader may take
 * (c_log_head() on PostgreSQL: below every batch still open), a chunk per
 * transaction that writes the rows and moves the cursor together.  Replaying an event
 * the projection already holds changes nothing (a row keeps its dossier's last dseq),
 * so a chunk cut by kill -9 is simply read again.
 *
 * The projection follows the fields dossier.c's apply gives the report and the
 * dashboard (stage, channel, dates, decision, apology, rating), by codes instead of a
 * store's ids, so central needs no office store.  Every statement goes through the
 * backends' text query (portal_query); rows travel as one JSON array per batch, so a
 * batch costs two statements whatever its size.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dossier.h"
#include "calendar.h"
#include "central_admin.h"
#include "forms.h"
#include "history.h"
#include "model.h"
#include "org.h"
#include "portal.h"
#include "fees_counter.h"
#include "province.h"

#define IS_PG(cen) ((cen)->ops == &central_pg_ops)

/* one dossier's projection while a batch or a replay works on it */
struct pitem {
	char office[32], procedure[32], field[32];
	int dseq, prev_stage, dirty;
	struct rep_item it;
	int old_open, old_fin;   /* ingest: before the batch (0/1: open; 1: finished) */
	int old_stage;
	char old_office[32];
	char recv_office[32], fin_office[32];   /* the office when it was received / finished */
	char resolver[32];       /* the competent agency (org.h; "" before the 2025 model) */
	int resolver_set;        /* resolver set by an event of this chunk (written apart: c_prov.resolver) */
};

static int64_t jint(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void set_stage(struct rep_item *d, int stage, int64_t at)
{
	if (d->stage != stage)
		d->stage_since = at;
	d->stage = stage;
}

static int64_t fin_of(const struct rep_item *d)
{
	return d->resolved_at ? d->resolved_at : d->stage >= SG_FINAL ? d->stage_since : 0;
}

/* ev onto p (the same meaning as dossier.c's apply for these fields); 0 if applied,
 * 1 if it is not the dossier's next event (a replay, the other side of a fork) */
static int prov_apply(struct pitem *p, const struct event *ev, const char *route)
{
	char parent[CODE_LEN];
	if (ev->dseq <= p->dseq || (!p->dseq && strcmp(ev->kind, "received")))
		return 1;
	/* a receipt chain of fees paid at the receiving desk is no dossier (fees_counter.h) */
	if (fees_counter_parent(ev->dossier_code, parent))
		return 1;
	json_t *pl = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	struct rep_item *d = &p->it;
	int64_t fin0 = p->dseq ? fin_of(d) : 0;
	const char *k = ev->kind;
	int64_t at = ev->at;
	if (!strcmp(k, "received")) {
		memset(p, 0, sizeof *p);
		snprintf(d->code, sizeof d->code, "%s", ev->dossier_code);
		snprintf(p->procedure, sizeof p->procedure, "%s", jstr(pl, "procedure"));
		d->channel = (int)jint(pl, "channel");
		d->received_at = at;
		const char *outc = jstr(pl, "outcome");
		set_stage(d, dossier_intake_stage(outc), at);
		if (d->stage == SG_ACCEPTED) {
			d->accepted_at = at;
			d->due_at = d->orig_due_at = jint(pl, "due_at");
		}
		d->stage_since = at;
		if (json_object_get(pl, "return_at")) { /* the three places (org.h): resolved here unless routed */
			snprintf(p->resolver, sizeof p->resolver, "%s", jstr(pl, "office"));
			p->resolver_set = 1;
		}
	} else if (!strcmp(k, ORG_ROUTED_KIND) && !strcmp(jstr(pl, "place"), "resolve")) {
		snprintf(p->resolver, sizeof p->resolver, "%s", jstr(pl, "to"));
		p->resolver_set = 1;
	} else if (!strcmp(k, "accepted") || (!strcmp(k, "supplement_received") && d->stage == SG_INTAKE_SUPPL)) {
		set_stage(d, SG_ACCEPTED, at);
		d->accepted_at = at;
		d->due_at = d->orig_due_at = jint(pl, "due_at");
	} else if (!strcmp(k, "supplement_received")) {
		set_stage(d, p->prev_stage ? p->prev_stage : SG_PROCESSING, at);
		p->prev_stage = 0;
		d->paused_at = 0;
		d->due_at = jint(pl, "due_at");
		d->orig_due_at = jint(pl, "orig_due_at");
	} else if (!strcmp(k, "transferred")) {
		set_stage(d, SG_DEPT, at);
	} else if (!strcmp(k, "assigned")) {
		d->stage_since = at;
		set_stage(d, SG_PROCESSING, at);
	} else if (!strcmp(k, "proposed")) {
		d->decision = !strcmp(jstr(pl, "decision"), "refuse") ? DEC_REFUSE : DEC_APPROVE;
		set_stage(d, SG_SIGNING, at);
	} else if (!strcmp(k, "sent_back")) {
		set_stage(d, SG_PROCESSING, at);
	} else if (!strcmp(k, "signed")) {
		d->resolved_at = at;
		set_stage(d, SG_RESULT, at);
	} else if (!strcmp(k, "returned")) {
		d->returned_at = at;
		d->rating = (int)jint(pl, "rating");
		set_stage(d, SG_RETURNED, at);
	} else if (!strcmp(k, "supplement_requested")) {
		if (d->stage == SG_ONLINE) {
			set_stage(d, SG_INTAKE_SUPPL, at);
		} else {
			p->prev_stage = d->stage;
			d->paused_at = at;
			set_stage(d, SG_SUPPLEMENT, at);
		}
	} else if (!strcmp(k, "refused")) {
		set_stage(d, SG_REFUSED, at);
	} else if (!strcmp(k, "withdrawn")) {
		set_stage(d, SG_WITHDRAWN, at);
	} else if (!strcmp(k, "stopped")) {
		set_stage(d, SG_STOPPED, at);
	} else if (!strcmp(k, "rerouted")) {
		d->decision = DEC_NONE;
		if (d->stage == SG_SUPPLEMENT)
			p->prev_stage = SG_ACCEPTED;
		else if (d->stage >= SG_ACCEPTED && d->stage < SG_RESULT)
			set_stage(d, SG_ACCEPTED, at);
	} else if (!strcmp(k, "extended")) {
		d->due_at = jint(pl, "due_at");
		d->apology = 1;
	}
	json_decref(pl);
	if (route && *route)
		snprintf(p->office, sizeof p->office, "%s", route);
	if (!strcmp(k, "received"))
		snprintf(p->recv_office, sizeof p->recv_office, "%s", p->office);
	if (!fin0 && fin_of(d))
		snprintf(p->fin_office, sizeof p->fin_office, "%s", p->office);
	p->dseq = ev->dseq;
	d->last_at = at;
	p->dirty = 1;
	return 0;
}

/* ---- rows as text --------------------------------------------------------------- */

#define PROV_COLS "code, office, procedure, field, dseq, channel, stage, prev_stage, decision, apology, rating," \
	" received_at, accepted_at, due_at, orig_due_at, resolved_at, returned_at, stage_since, paused_at, last_at"

static int64_t num(const char *s) { return s ? strtoll(s, NULL, 10) : 0; }

static void row_read(const char *const *v, struct pitem *p)
{
	memset(p, 0, sizeof *p);
	struct rep_item *d = &p->it;
	snprintf(d->code, sizeof d->code, "%s", v[0] ? v[0] : "");
	snprintf(p->office, sizeof p->office, "%s", v[1] ? v[1] : "");
	snprintf(p->procedure, sizeof p->procedure, "%s", v[2] ? v[2] : "");
	snprintf(p->field, sizeof p->field, "%s", v[3] ? v[3] : "");
	p->dseq = (int)num(v[4]);
	d->channel = (int)num(v[5]);
	d->stage = (int)num(v[6]);
	p->prev_stage = (int)num(v[7]);
	d->decision = (int)num(v[8]);
	d->apology = (int)num(v[9]);
	d->rating = (int)num(v[10]);
	d->received_at = num(v[11]);
	d->accepted_at = num(v[12]);
	d->due_at = num(v[13]);
	d->orig_due_at = num(v[14]);
	d->resolved_at = num(v[15]);
	d->returned_at = num(v[16]);
	d->stage_since = num(v[17]);
	d->paused_at = num(v[18]);
	d->last_at = num(v[19]);
}

static json_t *row_json(const struct pitem *p)
{
	const struct rep_item *d = &p->it;
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "code", d->code, "office", p->office, "procedure", p->procedure, "field", p->field, "dseq", p->dseq, "channel",
			 d->channel, "stage", d->stage, "prev_stage", p->prev_stage, "decision", d->decision, "apology",
			 d->apology, "rating", d->rating, "received_at", (json_int_t)d->received_at, "accepted_at",
			 (json_int_t)d->accepted_at, "due_at", (json_int_t)d->due_at, "orig_due_at",
			 (json_int_t)d->orig_due_at, "resolved_at", (json_int_t)d->resolved_at, "returned_at",
			 (json_int_t)d->returned_at, "stage_since", (json_int_t)d->stage_since, "paused_at",
			 (json_int_t)d->paused_at, "last_at", (json_int_t)d->last_at, "fin_at", (json_int_t)fin_of(d));
}

/* ---- ingest ----------------------------------------------------------------------- */

struct batchrows { struct pitem *p; int n; };

static int code_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pitem *)a)->it.code, ((const struct pitem *)b)->it.code);
}

static struct pitem *find(struct batchrows *b, const char *code)
{
	struct pitem key;
	snprintf(key.it.code, sizeof key.it.code, "%s", code);
	return bsearch(&key, b->p, (size_t)b->n, sizeof *b->p, code_cmp);
}

static int load_row(int nc, const char *const *v, void *ctx)
{
	struct batchrows *b = ctx;
	if (nc < 20 || !v[0])
		return 0;
	struct pitem *p = find(b, v[0]);
	if (p) {
		row_read(v, p);
		p->old_open = p->it.stage < SG_FINAL;
		p->old_fin = fin_of(&p->it) != 0;
		p->old_stage = p->it.stage;
		snprintf(p->old_office, sizeof p->old_office, "%s", p->office);
	}
	return 0;
}

/* = ANY of an array, not IN a set-returning function: the planner then looks each code
 * up in the primary key instead of hashing the whole table */
static const char *SQL_LOAD_PG = "SELECT " PROV_COLS " FROM c_prov WHERE code = ANY (ARRAY(SELECT json_array_elements_text($1::json)))";
static const char *SQL_LOAD_SQ = "SELECT " PROV_COLS " FROM c_prov WHERE code IN (SELECT value FROM json_each($1))";

#define PROV_UPDATE " ON CONFLICT (code) DO UPDATE SET office = excluded.office, dseq = excluded.dseq," \
	" channel = excluded.channel, stage = excluded.stage, prev_stage = excluded.prev_stage, decision = excluded.decision," \
	" apology = excluded.apology, rating = excluded.rating, received_at = excluded.received_at," \
	" accepted_at = excluded.accepted_at, due_at = excluded.due_at, orig_due_at = excluded.orig_due_at," \
	" resolved_at = excluded.resolved_at, returned_at = excluded.returned_at, stage_since = excluded.stage_since," \
	" paused_at = excluded.paused_at, last_at = excluded.last_at, fin_at = excluded.fin_at"

#define J(k) "json_extract(value, '$." k "')"
static const char *SQL_PUT_SQ =
	"INSERT INTO c_prov (" PROV_COLS ", fin_at) SELECT " J("code") ", " J("office") ", " J("procedure") ","
	" coalesce(nullif(" J("field") ", ''), (SELECT json_extract(r.doc, '$.field') FROM c_ref r WHERE r.kind = 'procedure'"
	" AND r.key = " J("procedure") "), ''),"
	" " J("dseq") ", " J("channel") ", " J("stage") ", " J("prev_stage") ", " J("decision") ", " J("apology") ", " J("rating") ","
	" " J("received_at") ", " J("accepted_at") ", " J("due_at") ", " J("orig_due_at") ", " J("resolved_at") ","
	" " J("returned_at") ", " J("stage_since") ", " J("paused_at") ", " J("last_at") ", " J("fin_at")
	" FROM json_each($1) WHERE true" PROV_UPDATE;
#undef J

/* SQLite: the batch's open and closed dossiers, the day and step counters' deltas and
 * the office's sync time, statement by statement; PostgreSQL: all of it, with the rows,
 * in one call of c_prov_batch() (db/central/pg_0001_central.sql), which an office's
 * own role may make for its own dossiers only */
static const char *SQL_OPEN_SQ =
	"INSERT INTO c_prov_open SELECT code, office, field, stage, due_at, orig_due_at, paused_at, accepted_at, received_at"
	" FROM c_prov WHERE code IN (SELECT value FROM json_each($1)) AND true"
	" ON CONFLICT (code) DO UPDATE SET office = excluded.office, stage = excluded.stage, due_at = excluded.due_at,"
	" orig_due_at = excluded.orig_due_at, paused_at = excluded.paused_at, accepted_at = excluded.accepted_at";
static const char *SQL_CLOSED_SQ = "DELETE FROM c_prov_open WHERE code IN (SELECT value FROM json_each($1))";
static const char *SQL_DAY_SQ =
	"INSERT INTO c_prov_day SELECT json_extract(x.value, '$.office'), p.field, json_extract(x.value, '$.day'), sum(json_extract(x.value, '$.received')),"
	" sum(json_extract(x.value, '$.finished')) FROM json_each($1) x JOIN c_prov p ON p.code = json_extract(x.value, '$.code')"
	" GROUP BY 1, 2, 3 ON CONFLICT (office, field, day) DO UPDATE SET received = c_prov_day.received + excluded.received,"
	" finished = c_prov_day.finished + excluded.finished";
static const char *SQL_STAGE_SQ =
	"INSERT INTO c_prov_stage SELECT json_extract(x.value, '$.office'), p.field, json_extract(x.value, '$.stage'),"
	" sum(json_extract(x.value, '$.n')) FROM json_each($1) x JOIN c_prov p ON p.code = json_extract(x.value, '$.code')"
	" GROUP BY 1, 2, 3 ON CONFLICT (office, field, stage) DO UPDATE SET n = c_prov_stage.n + excluded.n";
static const char *SQL_SYNC_SQ =
	"INSERT INTO c_prov_sync (office, at, batches) VALUES ($1, $2, 1) ON CONFLICT (office)"
	" DO UPDATE SET at = excluded.at, batches = c_prov_sync.batches + 1";
static const char *SQL_BATCH_PG =
	"SELECT c_prov_batch($1::json, $2::json, $3::json, $4::json, $5::json, $6, $7)";

/* resolvers (made on first use): the competent agency of rows whose events set it */
struct derived { json_t *rows, *open, *closed, *days, *stages, *resolvers; };

static void derived_add(struct derived *d, const struct pitem *p)
{
	json_array_append_new(d->rows, row_json(p));
	if (p->resolver_set && (d->resolvers || (d->resolvers = json_array())))
		json_array_append_new(d->resolvers, json_pack("{s:s, s:s}", "code", p->it.code, "resolver", p->resolver));
	int now_open = p->it.stage < SG_FINAL;
	if (now_open)
		json_array_append_new(d->open, json_string(p->it.code));
	else if (p->old_open)
		json_array_append_new(d->closed, json_string(p->it.code));
	int64_t fin = fin_of(&p->it);
	if (!p->old_open && !p->old_fin) /* new here */
		json_array_append_new(d->days, json_pack("{s:s, s:s, s:i, s:i, s:i}", "code", p->it.code, "office",
							 p->recv_office[0] ? p->recv_office : p->office, "day",
							 (int)cal_day_of(p->it.received_at), "received", 1, "finished", 0));
	if (fin && !p->old_fin)
		json_array_append_new(d->days, json_pack("{s:s, s:s, s:i, s:i, s:i}", "code", p->it.code, "office",
							 p->fin_office[0] ? p->fin_office : p->office, "day", (int)cal_day_of(fin),
							 "received", 0, "finished", 1));
	/* the step counters: out of the old step, into the new one */
	if (p->old_open && (!now_open || p->old_stage != p->it.stage || strcmp(p->old_office, p->office)))
		json_array_append_new(d->stages, json_pack("{s:s, s:s, s:i, s:i}", "code", p->it.code, "office", p->old_office,
							   "stage", p->old_stage, "n", -1));
	if (now_open && (!p->old_open || p->old_stage != p->it.stage || strcmp(p->old_office, p->office)))
		json_array_append_new(d->stages, json_pack("{s:s, s:s, s:i, s:i}", "code", p->it.code, "office", p->office,
							   "stage", p->it.stage, "n", 1));
}

static int put_json(struct central *cen, json_t *a, const char *sql, struct err *e)
{
	if (!json_array_size(a))
		return 0;
	char *text = json_dumps(a, JSON_COMPACT);
	if (!text)
		return err_set(e, MC_STORE, "out of memory");
	const char *par[1] = {text};
	int rc = portal_query(cen, sql, par, 1, NULL, NULL, e);
	free(text);
	return rc;
}

/* the competent agency (form II.06a's level), after the rows */
static const char *SQL_RESOLVER_PG = "UPDATE c_prov p SET resolver = x.resolver FROM json_to_recordset($1::json)"
	" AS x(code text, resolver text) WHERE p.code = x.code";
static const char *SQL_RESOLVER_SQ = "UPDATE c_prov SET resolver = json_extract(x.value, '$.resolver') FROM json_each($1) x"
	" WHERE c_prov.code = json_extract(x.value, '$.code')";

static int derived_put_rows(struct central *cen, struct derived *d, const char *origin, int64_t now, struct err *e);

static int derived_put(struct central *cen, struct derived *d, const char *origin, int64_t now, struct err *e)
{
	int rc = derived_put_rows(cen, d, origin, now, e);
	if (!rc && d->resolvers)
		rc = put_json(cen, d->resolvers, IS_PG(cen) ? SQL_RESOLVER_PG : SQL_RESOLVER_SQ, e);
	return rc;
}

static int derived_put_rows(struct central *cen, struct derived *d, const char *origin, int64_t now, struct err *e)
{
	char at[24];
	snprintf(at, sizeof at, "%lld", (long long)now);
	if (IS_PG(cen)) {
		json_t *all[5] = {d->rows, d->open, d->closed, d->days, d->stages};
		char *text[5] = {0};
		int rc = 0;
		for (int i = 0; i < 5 && !rc; i++)
			if (!(text[i] = json_dumps(all[i], JSON_COMPACT)))
				rc = err_set(e, MC_STORE, "out of memory");
		const char *par[7] = {text[0], text[1], text[2], text[3], text[4], origin, at};
		if (!rc)
			rc = portal_query(cen, SQL_BATCH_PG, par, 7, NULL, NULL, e);
		for (int i = 0; i < 5; i++)
			free(text[i]);
		return rc;
	}
	int rc = put_json(cen, d->rows, SQL_PUT_SQ, e);
	if (!rc)
		rc = put_json(cen, d->open, SQL_OPEN_SQ, e);
	if (!rc)
		rc = put_json(cen, d->closed, SQL_CLOSED_SQ, e);
	if (!rc)
		rc = put_json(cen, d->days, SQL_DAY_SQ, e);
	if (!rc)
		rc = put_json(cen, d->stages, SQL_STAGE_SQ, e);
	if (!rc && origin) {
		const char *par[2] = {origin, at};
		rc = portal_query(cen, SQL_SYNC_SQ, par, 2, NULL, NULL, e);
	}
	return rc;
}

/* at ingest, only what must be exact at commit: the office's last sync (one upsert;
 * on PostgreSQL through c_prov_synced(), which an office's role may call for itself).
 * The rest of the projection is the projector's (province_catch_up). */
int province_ingest(struct central *cen, const struct event *evs, int n, const char (*route)[32], int64_t now,
		    struct err *e)
{
	(void)route;
	/* the office whose batch this is (central's own events are not a sync) */
	const char *origin = NULL;
	for (int i = 0; i < n && !origin; i++)
		if (strcmp(evs[i].origin, cen->agency))
			origin = evs[i].origin;
	if (!origin)
		return 0;
	char at[24];
	snprintf(at, sizeof at, "%lld", (long long)now);
	const char *par[2] = {origin, at};
	return portal_query(cen, IS_PG(cen) ? "SELECT c_prov_synced($1, $2)" : SQL_SYNC_SQ, par, 2, NULL, NULL, e);
}

/* ---- the projector: catching up from central's log -------------------------------- */

/* one event of the log as the projector needs it */
struct pev {
	int64_t pos;
	char code[CODE_LEN], kind[24], office[32];
	int dseq;
	int64_t at;
	char *payload;
};

struct chunk { struct pev *v; int n, cap, oom; };

static int chunk_row(int nc, const char *const *v, void *ctx)
{
	struct chunk *c = ctx;
	if (nc < 7 || !v[1])
		return 0;
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 1024;
		struct pev *nv = realloc(c->v, sizeof *nv * (size_t)cap);
		if (!nv)
			return c->oom = 1;
		c->v = nv;
		c->cap = cap;
	}
	struct pev *x = &c->v[c->n];
	memset(x, 0, sizeof *x);
	x->pos = num(v[0]);
	snprintf(x->code, sizeof x->code, "%s", v[1]);
	x->dseq = (int)num(v[2]);
	snprintf(x->kind, sizeof x->kind, "%s", v[3] ? v[3] : "");
	x->at = num(v[4]);
	if (!(x->payload = strdup(v[5] ? v[5] : "{}")))
		return c->oom = 1;
	snprintf(x->office, sizeof x->office, "%s", v[6] ? v[6] : "");
	c->n++;
	return 0;
}

static void chunk_free(struct chunk *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->v[i].payload);
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* a dossier's events in its own order (dseq; a fork's first by position), as the
 * rebuild replays them */
static int pev_cmp(const void *a, const void *b)
{
	const struct pev *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	if (x->dseq != y->dseq)
		return x->dseq < y->dseq ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void pev_apply(struct pitem *p, const struct pev *x)
{
	struct event ev;
	memset(&ev, 0, sizeof ev);
	snprintf(ev.dossier_code, sizeof ev.dossier_code, "%s", x->code);
	ev.dseq = x->dseq;
	snprintf(ev.kind, sizeof ev.kind, "%s", x->kind);
	ev.at = x->at;
	ev.payload = x->payload;
	prov_apply(p, &ev, x->office);
}

/* PostgreSQL positions come from transaction ids, so a dossier's event can sit at a
 * lower position than its previous one (written by another office's batch that began
 * earlier and committed later).  Its previous events are committed (central refuses an
 * event whose previous one it lacks): they are read by the dossier and applied first;
 * when the log reaches them later they are replays and change nothing. */
static int gap_fill(struct central *cen, struct pitem *p, int upto, struct err *e)
{
	char code[CODE_LEN], from[16], to[16];
	snprintf(code, sizeof code, "%s", p->it.code);
	snprintf(from, sizeof from, "%d", p->dseq);
	snprintf(to, sizeof to, "%d", upto);
	const char *par[3] = {code, from, to};
	struct chunk c = {0};
	int rc = portal_query(cen, IS_PG(cen) ?
			      "SELECT pos, dossier_code, dseq, kind, at, payload, office FROM c_events WHERE dossier_code = $1"
			      " AND dseq > $2::int AND dseq < $3::int ORDER BY dseq, pos" :
			      "SELECT pos, dossier_code, dseq, kind, at, payload, office FROM c_events WHERE dossier_code = $1"
			      " AND dseq > CAST($2 AS INTEGER) AND dseq < CAST($3 AS INTEGER) ORDER BY dseq, pos",
			      par, 3, chunk_row, &c, e);
	if (!rc && c.oom)
		rc = err_set(e, MC_STORE, "out of memory");
	for (int i = 0; !rc && i < c.n; i++)
		pev_apply(p, &c.v[i]);
	chunk_free(&c);
	return rc;
}

struct projstate { int locked; int64_t head, cursor; };

static int projstate_row(int nc, const char *const *v, void *ctx)
{
	struct projstate *s = ctx;
	if (nc < 3)
		return 0;
	s->locked = v[0] && (!strcmp(v[0], "t") || !strcmp(v[0], "1") || !strcmp(v[0], "true"));
	s->head = num(v[1]);
	s->cursor = num(v[2]);
	return 0;
}

/* the one projector: PostgreSQL's advisory lock for the transaction (a second one
 * skips; a hot standby never writes); SQLite's writer lock (BEGIN IMMEDIATE) */
#define PROJ_LOCK_KEY "1347571572"
static const char *SQL_STATE_PG =
	"SELECT CASE WHEN pg_is_in_recovery() THEN false ELSE pg_try_advisory_xact_lock(" PROJ_LOCK_KEY ") END,"
	" c_log_head(), coalesce((SELECT value::bigint FROM c_meta WHERE key = 'prov_pos'), 0)";
static const char *SQL_PEEK_PG =
	"SELECT true, c_log_head(), coalesce((SELECT value::bigint FROM c_meta WHERE key = 'prov_pos'), 0)";
static const char *SQL_STATE_SQ =
	"SELECT 1, coalesce((SELECT CAST(value AS INTEGER) FROM c_meta WHERE key = 'log_pos'), 0),"
	" coalesce((SELECT CAST(value AS INTEGER) FROM c_meta WHERE key = 'prov_pos'), 0)";

/* one chunk in one transaction: its rows and the cursor move together; *more set when
 * the log holds more below the head */
static int catch_chunk(struct central *cen, int limit, int64_t *applied, int *more, struct err *e)
{
	*more = 0;
	struct projstate s = {0, 0, 0};
	struct chunk c = {0};
	struct batchrows b = {NULL, 0};
	struct derived d = {NULL, NULL, NULL, NULL, NULL, NULL};
	json_t *codes = NULL;
	char *text = NULL;
	int rc = cen->ops->begin(cen, 1, NULL, e);
	if (rc)
		return rc;
	if ((rc = portal_query(cen, IS_PG(cen) ? SQL_STATE_PG : SQL_STATE_SQ, NULL, 0, projstate_row, &s, e)))
		goto fail;
	if (!s.locked || s.head <= s.cursor) { /* another projector is at work, or nothing new */
		cen->ops->rollback(cen);
		return 0;
	}
	char cur[24], head[24], lim[16];
	snprintf(cur, sizeof cur, "%lld", (long long)s.cursor);
	snprintf(head, sizeof head, "%lld", (long long)s.head);
	snprintf(lim, sizeof lim, "%d", limit);
	const char *par[3] = {cur, head, lim};
	if ((rc = portal_query(cen, IS_PG(cen) ?
			       "SELECT pos, dossier_code, dseq, kind, at, payload, office FROM c_events"
			       " WHERE pos > $1::bigint AND pos <= $2::bigint ORDER BY pos LIMIT $3::int" :
			       "SELECT pos, dossier_code, dseq, kind, at, payload, office FROM c_events"
			       " WHERE pos > CAST($1 AS INTEGER) AND pos <= CAST($2 AS INTEGER) ORDER BY pos LIMIT CAST($3 AS INTEGER)",
			       par, 3, chunk_row, &c, e)))
		goto fail;
	if (c.oom) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto fail;
	}
	int64_t upto = c.n == limit ? c.v[c.n - 1].pos : s.head;
	*more = c.n == limit;
	qsort(c.v, (size_t)c.n, sizeof *c.v, pev_cmp);
	b.p = calloc((size_t)c.n + 1, sizeof *b.p);
	codes = json_array();
	d = (struct derived){json_array(), json_array(), json_array(), json_array(), json_array(), NULL};
	if (!b.p || !codes || !d.rows || !d.open || !d.closed || !d.days || !d.stages) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto fail;
	}
	for (int i = 0; i < c.n; i++)
		if (!b.n || strcmp(b.p[b.n - 1].it.code, c.v[i].code)) {
			snprintf(b.p[b.n].it.code, sizeof b.p[0].it.code, "%s", c.v[i].code);
			json_array_append_new(codes, json_string(c.v[i].code));
			b.n++;
		}
	if (b.n) {
		if (!(text = json_dumps(codes, JSON_COMPACT))) {
			rc = err_set(e, MC_STORE, "out of memory");
			goto fail;
		}
		const char *p1[1] = {text};
		if ((rc = portal_query(cen, IS_PG(cen) ? SQL_LOAD_PG : SQL_LOAD_SQ, p1, 1, load_row, &b, e)))
			goto fail;
		for (int i = 0; i < c.n; i++) {
			struct pitem *p = find(&b, c.v[i].code);
			if (c.v[i].dseq > p->dseq + 1 && (rc = gap_fill(cen, p, c.v[i].dseq, e)))
				goto fail;
			pev_apply(p, &c.v[i]);
		}
		for (int i = 0; i < b.n; i++)
			if (b.p[i].dirty)
				derived_add(&d, &b.p[i]);
		if (json_array_size(d.rows) && (rc = derived_put(cen, &d, NULL, 0, e)))
			goto fail;
	}
	char next[24];
	snprintf(next, sizeof next, "%lld", (long long)upto);
	if ((rc = cen->ops->meta_set(cen, "prov_pos", next, e)))
		goto fail;
	/* test hook (tests/sync/projector.sh): kill -9 before the chunk commits */
	const char *hold = getenv("MOTCUA_TEST_PROJECT_DELAY_MS");
	if (hold && atoi(hold) > 0)
		usleep((useconds_t)atoi(hold) * 1000);
	if ((rc = cen->ops->commit(cen, e)))
		goto fail;
	*applied += c.n;
	goto out;
fail:
	cen->ops->rollback(cen);
out:
	free(text);
	json_decref(codes);
	json_decref(d.rows);
	json_decref(d.open);
	json_decref(d.closed);
	json_decref(d.days);
	json_decref(d.stages);
	json_decref(d.resolvers);
	free(b.p);
	chunk_free(&c);
	return rc;
}

int province_catch_up(struct central *cen, int64_t *applied, struct err *e)
{
	int64_t n = 0;
	const char *lim = getenv("MOTCUA_TEST_PROJECT_CHUNK");
	int limit = lim && atoi(lim) > 0 ? atoi(lim) : 5000;
	/* nothing new (the usual case for a read while the service runs): no transaction,
	 * no lock (SQLite's writer lock would make every read wait for a batch) */
	struct projstate s = {0, 0, 0};
	if (portal_query(cen, IS_PG(cen) ? SQL_PEEK_PG : SQL_STATE_SQ, NULL, 0, projstate_row, &s, e))
		return e->code;
	int more = s.head > s.cursor, rc = 0;
	while (more && !(rc = catch_chunk(cen, limit, &n, &more, e)))
		;
	if (applied)
		*applied = n;
	return rc;
}

/* ---- who may look ------------------------------------------------------------------- */

struct who { const char *account; int found, roles, active; char office[32]; };

static int who_one(const char *key, json_t *doc, void *ctx)
{
	struct who *w = ctx;
	if (strcmp(key, w->account))
		return 0;
	w->found = 1;
	w->roles = (int)json_integer_value(json_object_get(doc, "roles"));
	w->active = json_is_true(json_object_get(doc, "active")) || json_integer_value(json_object_get(doc, "active")) == 1;
	snprintf(w->office, sizeof w->office, "%s", jstr(doc, "office"));
	return 0;
}

int province_authorize(struct central *cen, const char *account, struct err *e)
{
	struct who w = {account, 0, 0, 0, ""};
	if (central_ref_each(cen, "user", who_one, &w, e))
		return e->code;
	if (w.found && w.active && (w.roles & PROVINCE_ROLES) && !strcmp(w.office, cen->agency))
		return 0;
	return err_set(e, MC_DENIED, "the account '%s' may not supervise the province: it needs the supervisor, leader or"
		       " administrator role at central's own agency %s", account, cen->agency);
}

int province_is_admin(struct central *cen, const char *account)
{
	struct who w = {account, 0, 0, 0, ""};
	struct err e = {0};
	return !central_ref_each(cen, "user", who_one, &w, &e) && w.found && w.active && (w.roles & ROLE_ADMIN) &&
	       !strcmp(w.office, cen->agency);
}

/* ---- dashboard ------------------------------------------------------------------------ */

static const char *pd_keys[PD_COUNT] = {"received_today", "due_today", "overdue", "open", "online", "accepted",
					 "department", "processing", "signing", "supplement", "result"};
static const int pd_stage[PD_COUNT] = {0, 0, 0, 0, SG_ONLINE, SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING,
				       SG_SUPPLEMENT, SG_RESULT};

const char *province_col_key(int col) { return col >= 0 && col < PD_COUNT ? pd_keys[col] : "?"; }

int province_col_parse(const char *s)
{
	for (int i = 0; i < PD_COUNT; i++)
		if (!strcmp(s, pd_keys[i]))
			return i;
	return -1;
}

/* the one definition of overdue (core_timeliness): in progress past its committed due
 * date, or waiting for a supplement asked after it */
#define SQL_OVERDUE "(orig_due_at > 0 AND ((stage IN (10, 20, 30, 40) AND orig_due_at < $3)" \
	" OR (stage = 50 AND paused_at > orig_due_at)))"
#define SQL_DUE_TODAY "(stage IN (10, 20, 30, 40) AND due_at >= $1 AND due_at < $2)"

static struct prov_line *line_of(struct prov_dash *d, const char *office, const char *field)
{
	for (int i = 0; i < d->nlines; i++)
		if (!strcmp(d->lines[i].office, office) && !strcmp(d->lines[i].field, field))
			return &d->lines[i];
	struct prov_line *l = realloc(d->lines, sizeof *l * (size_t)(d->nlines + 1));
	if (!l)
		return NULL;
	d->lines = l;
	l = &d->lines[d->nlines++];
	memset(l, 0, sizeof *l);
	snprintf(l->office, sizeof l->office, "%s", office ? office : "");
	snprintf(l->field, sizeof l->field, "%s", field ? field : "");
	return l;
}

/* one query's rows (office, field, numbers...): the first ncol numbers are added to
 * the line's v[col[0..ncol-1]] (stage_row spreads a stage count instead) */
struct dq { struct prov_dash *d; int by_field; int oom; int ncol; int col[2]; };

static struct prov_line *dq_line(struct dq *q, int nc, int need, const char *const *v)
{
	if (nc < need)
		return NULL;
	struct prov_line *l = line_of(q->d, v[0] ? v[0] : "", q->by_field && v[1] ? v[1] : "");
	if (!l)
		q->oom = 1;
	return l;
}

static int stage_row(int nc, const char *const *v, void *ctx)
{
	struct dq *q = ctx;
	struct prov_line *l = dq_line(q, nc, 4, v);
	if (!l)
		return q->oom;
	int stage = (int)num(v[2]);
	long cnt = (long)num(v[3]);
	for (int i = PD_ONLINE; i < PD_COUNT; i++)
		if (pd_stage[i] == stage || (i == PD_ONLINE && stage == SG_INTAKE_SUPPL))
			l->v[i] += cnt;
	l->v[PD_OPEN] += cnt;
	return 0;
}

static int count_row(int nc, const char *const *v, void *ctx)
{
	struct dq *q = ctx;
	struct prov_line *l = dq_line(q, nc, 2 + q->ncol, v);
	if (!l)
		return q->oom;
	for (int i = 0; i < q->ncol; i++)
		l->v[q->col[i]] += (long)num(v[2 + i]);
	return 0;
}

static int oldest_row(int nc, const char *const *v, void *ctx)
{
	struct prov_dash *d = ctx;
	if (nc < 5 || d->noldest >= 10)
		return 0;
	struct prov_oldest *o = &d->oldest[d->noldest++];
	snprintf(o->code, sizeof o->code, "%s", v[0] ? v[0] : "");
	snprintf(o->office, sizeof o->office, "%s", v[1] ? v[1] : "");
	o->stage = (int)num(v[2]);
	o->accepted_at = num(v[3]);
	o->orig_due_at = num(v[4]);
	return 0;
}

struct offl { struct prov_dash *d; int oom; };

static int office_one(const char *key, json_t *doc, void *ctx)
{
	struct offl *o = ctx;
	struct prov_sync *p = realloc(o->d->offices, sizeof *p * (size_t)(o->d->noffices + 1));
	if (!p)
		return o->oom = 1;
	o->d->offices = p;
	p = &o->d->offices[o->d->noffices++];
	memset(p, 0, sizeof *p);
	snprintf(p->office, sizeof p->office, "%s", key);
	snprintf(p->name, sizeof p->name, "%s", jstr(doc, "name"));
	return 0;
}

static int sync_row(int nc, const char *const *v, void *ctx)
{
	struct prov_dash *d = ctx;
	if (nc < 2 || !v[0])
		return 0;
	for (int i = 0; i < d->noffices; i++)
		if (!strcmp(d->offices[i].office, v[0]))
			d->offices[i].at = num(v[1]);
	return 0;
}

static int line_cmp(const void *a, const void *b)
{
	const struct prov_line *x = a, *y = b;
	int c = strcmp(x->office, y->office);
	return c ? c : strcmp(x->field, y->field);
}

int province_dashboard(struct central *cen, const char *office, int by_field, int64_t now, struct prov_dash *d,
		       struct err *e)
{
	memset(d, 0, sizeof *d);
	d->now = now;
	if (province_catch_up(cen, NULL, e))
		return e->code;
	int32_t day = cal_day_of(now);
	char t0[24], t1[24], tn[24];
	snprintf(t0, sizeof t0, "%lld", (long long)cal_instant(day, 0));
	snprintf(t1, sizeof t1, "%lld", (long long)cal_instant(day + 1, 0));
	snprintf(tn, sizeof tn, "%lld", (long long)now);
	const char *par[4] = {t0, t1, tn, office};
	struct dq q = {d, by_field, 0, 0, {0, 0}};
	int rc;
	const char *of = office ? " AND office = $4" : "";
	char sql[1024];
	/* what waits at each step: the counters kept at ingest; what is due today or late:
	 * only the open dossiers past their due date or due today (two indexes) */
	snprintf(sql, sizeof sql, "SELECT office, field, stage, n FROM c_prov_stage WHERE n <> 0 AND $1 = $1 AND $2 = $2"
		 " AND $3 = $3%s", of);
	if ((rc = portal_query(cen, sql, par, office ? 4 : 3, stage_row, &q, e)))
		goto fail;
	snprintf(sql, sizeof sql,
		 "SELECT office, field, sum(CASE WHEN " SQL_DUE_TODAY " THEN 1 ELSE 0 END),"
		 " sum(CASE WHEN " SQL_OVERDUE " THEN 1 ELSE 0 END) FROM c_prov_open"
		 " WHERE ((orig_due_at > 0 AND orig_due_at < $3) OR (due_at >= $1 AND due_at < $2))%s GROUP BY office, field", of);
	q.ncol = 2;
	q.col[0] = PD_DUE_TODAY;
	q.col[1] = PD_OVERDUE;
	if ((rc = portal_query(cen, sql, par, office ? 4 : 3, count_row, &q, e)))
		goto fail;
	snprintf(sql, sizeof sql, "SELECT office, field, sum(received) FROM c_prov_day WHERE day = (CAST($1 AS BIGINT) + %d) / 86400"
		 " AND $2 = $2 AND $3 = $3%s GROUP BY office, field", CAL_TZ_OFFSET, of);
	q.ncol = 1;
	q.col[0] = PD_RECEIVED_TODAY;
	if ((rc = portal_query(cen, sql, par, office ? 4 : 3, count_row, &q, e)))
		goto fail;
	if (q.oom) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto fail;
	}
	snprintf(sql, sizeof sql, "SELECT code, office, stage, accepted_at, orig_due_at FROM c_prov_open WHERE stage >= 10 AND"
		 " stage < 60 AND $1 = $1 AND $2 = $2 AND $3 = $3%s ORDER BY accepted_at, code LIMIT 10", of);
	if ((rc = portal_query(cen, sql, par, office ? 4 : 3, oldest_row, d, e)))
		goto fail;
	struct offl ol = {d, 0};
	if ((rc = central_ref_each(cen, "office", office_one, &ol, e)))
		goto fail;
	if (ol.oom) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto fail;
	}
	if ((rc = portal_query(cen, "SELECT office, at FROM c_prov_sync", NULL, 0, sync_row, d, e)))
		goto fail;
	/* central's own agency is not an office that syncs */
	for (int i = 0; i < d->noffices; i++)
		if (!strcmp(d->offices[i].office, cen->agency) || (office && strcmp(d->offices[i].office, office))) {
			d->offices[i--] = d->offices[--d->noffices];
		}
	if (d->nlines)
		qsort(d->lines, (size_t)d->nlines, sizeof *d->lines, line_cmp);
	snprintf(d->total.office, sizeof d->total.office, "total");
	for (int i = 0; i < d->nlines; i++)
		for (int k = 0; k < PD_COUNT; k++)
			d->total.v[k] += d->lines[i].v[k];
	return 0;
fail:
	province_dashboard_free(d);
	return rc;
}

void province_dashboard_free(struct prov_dash *d)
{
	free(d->lines);
	free(d->offices);
	d->lines = NULL;
	d->offices = NULL;
	d->nlines = d->noffices = 0;
}

struct lq { prov_code_cb cb; void *ctx; };

static int list_row(int nc, const char *const *v, void *ctx)
{
	struct lq *l = ctx;
	if (nc < 4)
		return 0;
	return l->cb(v[0] ? v[0] : "", v[1] ? v[1] : "", (int)num(v[2]), num(v[3]), l->ctx);
}

int province_list(struct central *cen, int col, const char *office, const char *field, int64_t now, int limit,
		  prov_code_cb cb, void *ctx, struct err *e)
{
	if (col < 0 || col >= PD_COUNT)
		return err_set(e, MC_USAGE, "unknown dashboard number: use received_today, due_today, overdue, open, online,"
			       " accepted, department, processing, signing, supplement or result");
	if (province_catch_up(cen, NULL, e))
		return e->code;
	int32_t day = cal_day_of(now);
	char t0[24], t1[24], tn[24], st[8], lim[16];
	snprintf(t0, sizeof t0, "%lld", (long long)cal_instant(day, 0));
	snprintf(t1, sizeof t1, "%lld", (long long)cal_instant(day + 1, 0));
	snprintf(tn, sizeof tn, "%lld", (long long)now);
	snprintf(st, sizeof st, "%d", pd_stage[col]);
	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 200);
	const char *par[7] = {t0, t1, tn, office ? office : "", field ? field : "", st, lim};
	const char *cond = col == PD_RECEIVED_TODAY ? "received_at >= $1 AND received_at < $2" :
			   col == PD_DUE_TODAY ? SQL_DUE_TODAY :
			   col == PD_OVERDUE ? SQL_OVERDUE :
			   col == PD_OPEN ? "stage < 90" :
			   col == PD_ONLINE ? "stage IN (1, 2)" : "stage = $6";
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT code, office, stage, orig_due_at FROM %s WHERE %s AND ($4 = '' OR office = $4)"
		 " AND ($5 = '' OR field = $5) AND $1 = $1 AND $2 = $2 AND $3 = $3 AND $6 = $6"
		 " ORDER BY received_at, code LIMIT %s", col == PD_RECEIVED_TODAY ? "c_prov" : "c_prov_open", cond, lim);
	struct lq l = {cb, ctx};
	return portal_query(cen, sql, par, 6, list_row, &l, e);
}

/* ---- the statistics report ------------------------------------------------------- */

/* II.06a: central's catalog as report.c's level rule needs it, each list by code */
struct kcode { char code[32], field[32], name[256]; int level; };
struct kmaps { struct kcode *procs, *fields, *offices; int nprocs, nfields, noffices, oom; };

struct rq {
	struct report *r;
	struct pitem *later; int nlater, cap;   /* changed after the period: replayed */
	char lastkey[32]; int lastrow;
	int oom;
	int kstt;                /* II.06a: rows by level and field (report_kstt_row) */
	const char *field;       /* II.06a: "" or the one field reported */
	struct kmaps m;
	int64_t reform;
};

static int row_index(struct rq *q, const char *field)
{
	if (q->lastrow >= 0 && !strcmp(q->lastkey, field))
		return q->lastrow;
	struct report *r = q->r;
	int row = -1;
	for (int i = 0; i < r->nrows && row < 0; i++)
		if (!strcmp(r->rows[i].key, field))
			row = i;
	if (row < 0) /* a procedure missing from central's catalog */
		for (int i = 0; i < r->nrows && row < 0; i++)
			if (!strcmp(r->rows[i].key, "?"))
				row = i;
	snprintf(q->lastkey, sizeof q->lastkey, "%s", field);
	return q->lastrow = row;
}

static int field_one(const char *key, json_t *doc, void *ctx)
{
	struct rq *q = ctx;
	if (report_row(q->r, key, jstr(doc, "name")) < 0)
		return q->oom = 1;
	return 0;
}

static int kcode_add(struct kmaps *m, struct kcode **v, int *n, const char *key, json_t *doc)
{
	struct kcode *nv = realloc(*v, sizeof *nv * (size_t)(*n + 1));
	if (!nv)
		return m->oom = 1;
	*v = nv;
	struct kcode *k = &nv[(*n)++];
	snprintf(k->code, sizeof k->code, "%s", key);
	snprintf(k->field, sizeof k->field, "%s", jstr(doc, "field"));
	snprintf(k->name, sizeof k->name, "%s", jstr(doc, "name"));
	k->level = (int)jint(doc, "level");
	return 0;
}

static int kproc_one(const char *key, json_t *doc, void *ctx)
{
	struct kmaps *m = ctx;
	return kcode_add(m, &m->procs, &m->nprocs, key, doc);
}

static int kfield_one(const char *key, json_t *doc, void *ctx)
{
	struct kmaps *m = ctx;
	return kcode_add(m, &m->fields, &m->nfields, key, doc);
}

static int koffice_one(const char *key, json_t *doc, void *ctx)
{
	struct kmaps *m = ctx;
	return kcode_add(m, &m->offices, &m->noffices, key, doc);
}

static int kcode_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kcode *)a)->code, ((const struct kcode *)b)->code);
}

static const struct kcode *kcode_find(const struct kcode *v, int n, const char *code)
{
	struct kcode key;
	snprintf(key.code, sizeof key.code, "%s", code ? code : "");
	return n ? bsearch(&key, v, (size_t)n, sizeof *v, kcode_cmp) : NULL;
}

static int kmaps_load(struct central *cen, struct kmaps *m, struct err *e)
{
	if (central_ref_each(cen, "procedure", kproc_one, m, e) || central_ref_each(cen, "field", kfield_one, m, e) ||
	    central_ref_each(cen, "office", koffice_one, m, e))
		return e->code ? e->code : err_set(e, MC_STORE, "out of memory");
	if (m->oom)
		return err_set(e, MC_STORE, "out of memory");
	if (m->nprocs)
		qsort(m->procs, (size_t)m->nprocs, sizeof *m->procs, kcode_cmp);
	if (m->nfields)
		qsort(m->fields, (size_t)m->nfields, sizeof *m->fields, kcode_cmp);
	if (m->noffices)
		qsort(m->offices, (size_t)m->noffices, sizeof *m->offices, kcode_cmp);
	return 0;
}

/* the row a dossier counts in: its field's, or (II.06a) its level's and field's by
 * report.c's rules, from central's catalog and offices as an office's report takes
 * them from its store; -2: not in the report (another field than the one asked for) */
static int rq_row(struct rq *q, const struct pitem *p)
{
	if (!q->kstt)
		return row_index(q, p->field);
	const struct kcode *pr = kcode_find(q->m.procs, q->m.nprocs, p->procedure);
	if (!pr || !pr->level)
		return q->field[0] ? -2 : report_kstt_row(q->r, 0, NULL, NULL);
	if (q->field[0] && strcmp(pr->field, q->field))
		return -2;
	const struct kcode *o = p->resolver[0] ? kcode_find(q->m.offices, q->m.noffices, p->resolver) : NULL;
	const struct kcode *f = kcode_find(q->m.fields, q->m.nfields, pr->field);
	int row = report_kstt_row(q->r, report_kstt_level(o ? o->level : 0, pr->level, p->it.received_at), pr->field,
				  f ? f->name : pr->field);
	if (row < 0)
		q->oom = 1;
	return row;
}

static int period_row(int nc, const char *const *v, void *ctx)
{
	struct rq *q = ctx;
	if (nc < 20)
		return 0;
	struct pitem p;
	row_read(v, &p);
	if (nc > 20 && v[20])
		snprintf(p.resolver, sizeof p.resolver, "%s", v[20]);
	/* as report.c: a dossier still open at the period's end and changed since is taken
	 * at its state then; a finished one counts with its row (its rating too) */
	int64_t fin = fin_of(&p.it);
	if (p.it.last_at >= q->r->to && (!fin || fin >= q->r->to)) {
		if (q->nlater == q->cap) {
			q->cap = q->cap ? q->cap * 2 : 256;
			struct pitem *n = realloc(q->later, sizeof *n * (size_t)q->cap);
			if (!n)
				return q->oom = 1;
			q->later = n;
		}
		q->later[q->nlater++] = p;
		return 0;
	}
	report_tally(q->r, rq_row(q, &p), &p.it, 1);
	return 0;
}

/* replaying the dossiers that changed after the period, from central's events */
struct rp { struct rq *q; struct pitem cur; int64_t until; int idx; int have; };

static void replay_flush(struct rp *x)
{
	if (!x->have)
		return;
	struct pitem *orig = &x->q->later[x->idx];
	if (x->cur.dseq)
		report_tally(x->q->r, rq_row(x->q, orig), &x->cur.it, 1);
	x->have = 0;
}

static int replay_row(int nc, const char *const *v, void *ctx)
{
	struct rp *x = ctx;
	if (nc < 5 || !v[0])
		return 0;
	if (!x->have || strcmp(x->cur.it.code, v[0])) {
		replay_flush(x);
		memset(&x->cur, 0, sizeof x->cur);
		snprintf(x->cur.it.code, sizeof x->cur.it.code, "%s", v[0]);
		x->idx = -1;
		for (int i = 0; i < x->q->nlater && x->idx < 0; i++)
			if (!strcmp(x->q->later[i].it.code, v[0]))
				x->idx = i;
		x->have = x->idx >= 0;
		x->cur.dseq = 0;
	}
	struct event ev;
	memset(&ev, 0, sizeof ev);
	snprintf(ev.dossier_code, sizeof ev.dossier_code, "%s", v[0]);
	ev.dseq = (int)num(v[1]);
	snprintf(ev.kind, sizeof ev.kind, "%s", v[2] ? v[2] : "");
	ev.at = num(v[3]);
	ev.payload = (char *)(v[4] ? v[4] : "{}");
	if (x->have && ev.at < x->until)
		prov_apply(&x->cur, &ev, NULL);
	return 0;
}

/* The dossiers of the period are counted in groups that report.c cannot tell apart:
 * central's database compares each date only where classify does (accepted before the
 * period / in it / not by its end; finished by its end; late / same day / early against
 * the committed due date; overdue at the moment it is judged) and returns one row per
 * group with its count.  Each group becomes one dossier with dates that compare the
 * same way, tallied count times by report.c's own rules (report_tally), so the report
 * reads a few thousand rows whatever the province's size.  Dossiers still open at the
 * period's end and changed since are read one by one and replayed (period_row).
 * II.06a groups by procedure, competent agency and receipt before or after 1 July 2025
 * ($5) instead of field: what report.c's level rule reads. */
#define SQL_DAY(col) "((" col " + 25200) / 86400)"
#define SQL_CLASS \
	" CASE WHEN accepted_at > 0 AND accepted_at < $2 THEN CASE WHEN accepted_at < $1 THEN 1 ELSE 2 END ELSE 0 END," \
	" CASE WHEN fin_at > 0 AND fin_at < $2 THEN 1 ELSE 0 END," \
	" CASE WHEN fin_at > 0 AND fin_at < $2 THEN" \
	"  CASE WHEN fin_at > orig_due_at THEN 3 WHEN " SQL_DAY("fin_at") " = " SQL_DAY("orig_due_at") " THEN 2 ELSE 1 END" \
	" ELSE CASE WHEN orig_due_at > 0 AND (CASE WHEN stage = 50 AND paused_at > 0 AND paused_at < $4 THEN paused_at" \
	"  ELSE $4 END) > orig_due_at THEN 1 ELSE 0 END END," \
	" channel, stage, decision, apology, CASE WHEN returned_at > 0 THEN 1 ELSE 0 END, rating, count(*)"
#define SQL_OF_PERIOD " FROM c_prov WHERE received_at < $2 AND (fin_at = 0 OR fin_at >= $1) AND ($3 = '' OR office = $3)"
static const char *SQL_GROUPS =
	"SELECT field," SQL_CLASS SQL_OF_PERIOD " AND NOT (last_at >= $2 AND (fin_at = 0 OR fin_at >= $2))"
	" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10";
static const char *SQL_KSTT_GROUPS =
	"SELECT procedure, resolver, CASE WHEN received_at >= $5 THEN 1 ELSE 0 END," SQL_CLASS SQL_OF_PERIOD
	" AND NOT (last_at >= $2 AND (fin_at = 0 OR fin_at >= $2)) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12";
static const char *SQL_LATER =
	"SELECT " PROV_COLS SQL_OF_PERIOD " AND last_at >= $2 AND (fin_at = 0 OR fin_at >= $2) AND $4 = $4";
static const char *SQL_KSTT_LATER =
	"SELECT " PROV_COLS ", resolver" SQL_OF_PERIOD " AND last_at >= $2 AND (fin_at = 0 OR fin_at >= $2) AND $4 = $4";

static int group_row(int nc, const char *const *v, void *ctx)
{
	struct rq *q = ctx;
	int d = q->kstt ? 3 : 1; /* the columns before the classification */
	if (nc < d + 10)
		return 0;
	const struct report *r = q->r;
	struct pitem g;
	memset(&g, 0, sizeof g);
	struct rep_item *it = &g.it;
	if (q->kstt) {
		snprintf(g.procedure, sizeof g.procedure, "%s", v[0] ? v[0] : "");
		snprintf(g.resolver, sizeof g.resolver, "%s", v[1] ? v[1] : "");
		it->received_at = num(v[2]) ? q->reform : q->reform - 1;
	} else {
		snprintf(g.field, sizeof g.field, "%s", v[0] ? v[0] : "");
	}
	v += d;
	int a = (int)num(v[0]), f = (int)num(v[1]), t = (int)num(v[2]);
	it->accepted_at = a == 1 ? r->from - 1 : a == 2 ? r->from : 0;
	it->channel = (int)num(v[3]);
	it->stage = (int)num(v[4]);
	it->decision = (int)num(v[5]);
	it->apology = (int)num(v[6]);
	it->returned_at = num(v[7]);
	it->rating = (int)num(v[8]);
	if (f) {
		int64_t fin = r->to - 1;
		it->resolved_at = it->stage_since = fin;
		it->orig_due_at = t == 3 ? fin - 1 : t == 2 ? fin : fin + 2 * 86400;
	} else {
		it->stage_since = r->to;
		it->orig_due_at = t ? r->as_of - 1 : r->as_of + 1;
	}
	report_tally(q->r, rq_row(q, &g), it, (long)num(v[9]));
	return 0;
}

static int prov_report(struct central *cen, const char *office, const char *field, int kstt, int64_t from, int64_t to,
		       int64_t now, struct report *r, struct err *e)
{
	if (to <= from)
		return err_set(e, MC_INVALID, "the period is empty or inverted");
	if (province_catch_up(cen, NULL, e))
		return e->code;
	char title[300];
	if (office)
		snprintf(title, sizeof title, "%s", office);
	else
		snprintf(title, sizeof title, "%s", cen->agency);
	report_start(r, from, to, now, title);
	struct rq q;
	memset(&q, 0, sizeof q);
	q.r = r;
	q.lastrow = -1;
	q.kstt = kstt;
	q.field = field ? field : "";
	q.reform = forms_reform_instant();
	int rc = 0;
	if (kstt) {
		r->by = REP_BY_KSTT;
		snprintf(r->field, sizeof r->field, "%s", q.field);
		if ((rc = kmaps_load(cen, &q.m, e)))
			goto out;
		/* the form names the reporting unit as an office's report does: the office asked
		 * for, else central's own (the province's centre), by name rather than code */
		const struct kcode *o = kcode_find(q.m.offices, q.m.noffices, office ? office : cen->agency);
		if (o && o->name[0])
			snprintf(r->office, sizeof r->office, "%s", o->name);
		int known = 0;
		for (int i = 0; i < q.m.nprocs && !known; i++)
			known = !strcmp(q.m.procs[i].field, q.field);
		if (q.field[0] && !known) {
			rc = err_set_hint(e, MC_NOTFOUND, HINT_CATALOG_LIST, "unknown field '%.40s'", q.field);
			goto out;
		}
	} else {
		rc = central_ref_each(cen, "field", field_one, &q, e);
		if (!rc && (q.oom || report_row(r, "?", "Thủ tục không còn trong danh mục") < 0))
			rc = err_set(e, MC_STORE, "out of memory");
		if (rc)
			goto out;
	}
	char a[24], b[24], c[24], d[24];
	snprintf(a, sizeof a, "%lld", (long long)from);
	snprintf(b, sizeof b, "%lld", (long long)to);
	snprintf(c, sizeof c, "%lld", (long long)r->as_of);
	snprintf(d, sizeof d, "%lld", (long long)q.reform);
	const char *par[5] = {a, b, office ? office : "", c, d};
	if ((rc = portal_query(cen, kstt ? SQL_KSTT_GROUPS : SQL_GROUPS, par, kstt ? 5 : 4, group_row, &q, e)) ||
	    (rc = portal_query(cen, kstt ? SQL_KSTT_LATER : SQL_LATER, par, 4, period_row, &q, e)))
		goto out;
	for (int i = 0; i < q.nlater && !rc; i += 200) {
		json_t *codes = json_array();
		for (int k = i; k < q.nlater && k < i + 200; k++)
			json_array_append_new(codes, json_string(q.later[k].it.code));
		char *text = json_dumps(codes, JSON_COMPACT);
		json_decref(codes);
		if (!text) {
			rc = err_set(e, MC_STORE, "out of memory");
			break;
		}
		const char *p1[1] = {text};
		struct rp x;
		memset(&x, 0, sizeof x);
		x.q = &q;
		x.until = to;
		x.idx = -1;
		rc = portal_query(cen, IS_PG(cen) ?
				  "SELECT dossier_code, dseq, kind, at, payload FROM c_events WHERE dossier_code ="
				  " ANY (ARRAY(SELECT json_array_elements_text($1::json))) ORDER BY dossier_code, dseq, pos" :
				  "SELECT dossier_code, dseq, kind, at, payload FROM c_events WHERE dossier_code IN"
				  " (SELECT value FROM json_each($1)) ORDER BY dossier_code, dseq, pos",
				  p1, 1, replay_row, &x, e);
		replay_flush(&x);
		free(text);
		r->replayed += (i + 200 < q.nlater ? 200 : q.nlater - i);
	}
	if (!rc && q.oom)
		rc = err_set(e, MC_STORE, "out of memory");
	/* the row for procedures central's catalog lacks, only when it counts one */
	for (int i = 0; !rc && !kstt && i < r->nrows; i++) {
		long any = 0;
		for (int k = 0; k < RC_COUNT; k++)
			any |= r->rows[i].v[k];
		if (!strcmp(r->rows[i].key, "?") && !any) {
			memmove(&r->rows[i], &r->rows[i + 1], sizeof *r->rows * (size_t)(r->nrows - i - 1));
			r->nrows--;
			break;
		}
	}
	if (!rc)
		rc = report_finish(r, e);
out:
	free(q.later);
	free(q.m.procs);
	free(q.m.fields);
	free(q.m.offices);
	if (rc)
		report_free(r);
	return rc;
}

int province_report(struct central *cen, const char *office, int64_t from, int64_t to, int64_t now, struct report *r,
		    struct err *e)
{
	return prov_report(cen, office, NULL, 0, from, to, now, r, e);
}

int province_report_kstt(struct central *cen, const char *office, const char *field, int64_t from, int64_t to, int64_t now,
			 struct report *r, struct err *e)
{
	if (prov_report(cen, office, field, 1, from, to, now, r, e))
		return e->code;
	if (province_lienthong(cen, office, r, e)) {
		report_free(r);
		return e->code;
	}
	return 0;
}

/* ---- rebuilding the projection from central's log -------------------------------- */

struct rb {
	struct central *cen;
	struct derived d;
	struct pitem cur;
	int64_t now, dossiers;
	int pending;
	struct err *e;
};

static int rb_flush(struct rb *x, int all)
{
	if (x->cur.dirty) {
		derived_add(&x->d, &x->cur);
		x->cur.dirty = 0;
		x->dossiers++;
		x->pending++;
	}
	if (!x->pending || (!all && x->pending < 2000))
		return 0;
	int rc = derived_put(x->cen, &x->d, NULL, x->now, x->e);
	x->pending = 0;
	json_t **arr[6] = {&x->d.rows, &x->d.open, &x->d.closed, &x->d.days, &x->d.stages, &x->d.resolvers};
	for (int i = 0; i < 6; i++)
		if (*arr[i])
			json_array_clear(*arr[i]);
	return rc;
}

static int rb_event(const struct event *ev, const char *office, void *ctx)
{
	struct rb *x = ctx;
	if (strcmp(x->cur.it.code, ev->dossier_code)) {
		if (rb_flush(x, 0))
			return 1;
		memset(&x->cur, 0, sizeof x->cur);
		snprintf(x->cur.it.code, sizeof x->cur.it.code, "%s", ev->dossier_code);
	}
	prov_apply(&x->cur, ev, office);
	return 0;
}

int province_rebuild(struct central *cen, int64_t now, int64_t *dossiers, struct err *e)
{
	int64_t head = 0;
	struct rb x;
	memset(&x, 0, sizeof x);
	x.cen = cen;
	x.now = now;
	x.e = e;
	x.d = (struct derived){json_array(), json_array(), json_array(), json_array(), json_array(), NULL};
	int rc = 0;
	if (!x.d.rows || !x.d.open || !x.d.closed || !x.d.days || !x.d.stages) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	if ((rc = cen->ops->snapshot_begin(cen, &head, e)))
		goto out;
	/* the projector waits for the new projection (PostgreSQL: its lock; SQLite holds
	 * the writer's lock already) */
	if ((IS_PG(cen) && (rc = portal_query(cen, "SELECT pg_advisory_xact_lock(" PROJ_LOCK_KEY ")", NULL, 0, NULL, NULL, e))) ||
	    (IS_PG(cen) && (rc = portal_query(cen, "LOCK TABLE c_prov, c_prov_open, c_prov_day, c_prov_stage IN EXCLUSIVE MODE",
					      NULL, 0, NULL, NULL, e))) ||
	    (rc = portal_query(cen, "DELETE FROM c_prov", NULL, 0, NULL, NULL, e)) ||
	    (rc = portal_query(cen, "DELETE FROM c_prov_open", NULL, 0, NULL, NULL, e)) ||
	    (rc = portal_query(cen, "DELETE FROM c_prov_day", NULL, 0, NULL, NULL, e)) ||
	    (rc = portal_query(cen, "DELETE FROM c_prov_stage", NULL, 0, NULL, NULL, e)))
		goto fail;
	rc = cen->ops->snapshot_events(cen, 0, head, rb_event, &x, e);
	if (rc) {
		if (!e->code)
			err_set(e, MC_STORE, "rebuilding the province's projection failed");
		rc = e->code;
		goto fail;
	}
	/* the projector goes on from the head the rebuild read up to */
	char hp[24];
	snprintf(hp, sizeof hp, "%lld", (long long)head);
	if ((rc = rb_flush(&x, 1)) || (rc = cen->ops->meta_set(cen, "prov_pos", hp, e)) || (rc = cen->ops->commit(cen, e)))
		goto fail;
	*dossiers = x.dossiers;
	goto out;
fail:
	cen->ops->rollback(cen);
out:
	json_decref(x.d.rows);
	json_decref(x.d.open);
	json_decref(x.d.closed);
	json_decref(x.d.days);
	json_decref(x.d.stages);
	json_decref(x.d.resolvers);
	return rc;
}
