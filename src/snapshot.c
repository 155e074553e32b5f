/* snapshot.c - the dossier snapshot (see snapshot.h): the one (de)serialisation of a
 * projection row with store-independent names, the head event as JSON, and the
 * central side, `motcua central snapshot` (central_snapshot), which projects the
 * dossiers changed since the last snapshot with the core's dossier_apply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "event.h"
#include "fees_counter.h"
#include "snapshot.h"
#include "text.h"

/* ---- id -> name lookups --------------------------------------------------------- */

struct name_ent { int64_t id; char name[ACCOUNT_LEN]; };
struct name_tab { struct name_ent *v; int n, cap; };
enum { NK_OFFICE, NK_PROC, NK_DEPT, NK_USER, NK_COUNT };

struct snapshot_names {
	struct store *st;
	struct name_tab tab[NK_COUNT];
	struct procedure *proc;    /* a buffer for store_procedure_get */
};

struct snapshot_names *snapshot_names_new(struct store *st)
{
	struct snapshot_names *n = calloc(1, sizeof *n);
	if (n && !(n->proc = malloc(sizeof *n->proc))) {
		free(n);
		return NULL;
	}
	if (n)
		n->st = st;
	return n;
}

void snapshot_names_free(struct snapshot_names *n)
{
	if (!n)
		return;
	for (int k = 0; k < NK_COUNT; k++)
		free(n->tab[k].v);
	free(n->proc);
	free(n);
}

/* the name of id of kind k ("" for id 0); NULL if the store has no such row */
static const char *name_of(struct snapshot_names *n, int k, int64_t id)
{
	if (!id)
		return "";
	struct name_tab *t = &n->tab[k];
	for (int i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return t->v[i].name;
	char buf[ACCOUNT_LEN];
	int rc = MC_NOTFOUND;
	if (k == NK_OFFICE) {
		struct office o;
		if ((rc = store_office_get(n->st, id, &o)) == 0)
			snprintf(buf, sizeof buf, "%s", o.agency_code);
	} else if (k == NK_PROC) {
		if ((rc = store_procedure_get(n->st, id, n->proc)) == 0)
			snprintf(buf, sizeof buf, "%s", n->proc->code);
	} else if (k == NK_DEPT) {
		struct department d;
		if ((rc = store_dept_get(n->st, id, &d)) == 0)
			snprintf(buf, sizeof buf, "%s", d.code);
	} else {
		struct user u;
		if ((rc = store_user_get(n->st, id, &u)) == 0)
			snprintf(buf, sizeof buf, "%s", u.account);
	}
	if (rc)
		return NULL;
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 32;
		void *p = realloc(t->v, (size_t)cap * sizeof *t->v);
		if (!p)
			return NULL;
		t->v = p;
		t->cap = cap;
	}
	t->v[t->n].id = id;
	snprintf(t->v[t->n].name, sizeof t->v[t->n].name, "%s", buf);
	return t->v[t->n++].name;
}

/* ---- the state ------------------------------------------------------------------ */

/* the integer fields, in one table so dump and load cannot drift apart */
#define I64(f) {#f, offsetof(struct dossier, f), 8}
#define I32(f) {#f, offsetof(struct dossier, f), 4}
static const struct { const char *key; size_t off; int size; } ints[] = {
	I32(channel), I32(status), I32(stage), I32(prev_stage), I32(applicant_kind), I32(components),
	I64(received_at), I64(accepted_at), I64(due_at), I64(orig_due_at), I64(step_due_at), I64(stage_since),
	I64(paused_at), I64(remaining), I32(decision), I64(resolved_at), I64(returned_at), I32(rating),
	I32(apology), I32(version), I64(last_at),
};
#undef I64
#undef I32

#define STR(f) {#f, offsetof(struct dossier, f), sizeof ((struct dossier *)0)->f}
static const struct { const char *key; size_t off, size; } strs[] = {
	STR(code), STR(applicant_name), STR(applicant_idno), STR(applicant_phone), STR(applicant_address),
	STR(note), STR(collected_by), STR(last_actor),
};
#undef STR

char *snapshot_state_dump(struct snapshot_names *n, const struct dossier *d, struct err *e)
{
	const char *office = name_of(n, NK_OFFICE, d->office_id), *proc = name_of(n, NK_PROC, d->procedure_id),
		   *dept = name_of(n, NK_DEPT, d->dept_id), *assignee = name_of(n, NK_USER, d->assignee_id);
	if (!office || !proc || !dept || !assignee) {
		err_set(e, MC_NOTFOUND, "dossier %s: its office, procedure, department or assignee is not in this store", d->code);
		return NULL;
	}
	json_t *j = json_object();
	const char *base = (const char *)d;
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		int64_t v = ints[i].size == 8 ? *(const int64_t *)(base + ints[i].off) : *(const int32_t *)(base + ints[i].off);
		if (!strcmp(ints[i].key, "components"))
			v = *(const uint32_t *)(base + ints[i].off);
		json_object_set_new(j, ints[i].key, json_integer(v));
	}
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		json_object_set_new(j, strs[i].key, json_string(base + strs[i].off));
	char head[65];
	hex_encode(d->chain_head, 32, head);
	json_object_set_new(j, "office", json_string(office));
	json_object_set_new(j, "procedure", json_string(proc));
	json_object_set_new(j, "department", json_string(dept));
	json_object_set_new(j, "assignee", json_string(assignee));
	json_object_set_new(j, "chain_head", json_string(head));
	/* the three places of a dossier of the 2025 model (org.h), only when it has them */
	static const char *const place[] = {"recv_office", "resolver", "return_office"};
	int64_t pid[] = {d->recv_office_id, d->resolver_id, d->return_office_id};
	for (int i = 0; i < 3; i++) {
		const char *code = pid[i] ? name_of(n, NK_OFFICE, pid[i]) : NULL;
		if (code)
			json_object_set_new(j, place[i], json_string(code));
	}
	if (d->applicant_email[0])
		json_object_set_new(j, "applicant_email", json_string(d->applicant_email));
	if (d->proxy[0])
		json_object_set_new(j, "proxy", json_string(d->proxy));
	if (d->fee_total || d->fee_paid || d->fee_refunded) /* fees (fees.h), only when it has them */
		json_object_set_new(j, "fees", json_pack("{s:I, s:I, s:I, s:i}", "total", (json_int_t)d->fee_total, "paid",
							 (json_int_t)d->fee_paid, "refunded", (json_int_t)d->fee_refunded, "stage",
							 d->fee_stage));
	if (d->proc_version > 0) /* the version of its procedure (procver.h) */
		json_object_set_new(j, "proc_version", json_integer(d->proc_version));
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (!s)
		err_set(e, MC_STORE, "out of memory (or invalid text in dossier %s)", d->code);
	return s;
}

static const char *str_of(json_t *j, const char *k)
{
	const char *s = json_string_value(json_object_get(j, k));
	return s ? s : NULL;
}

int snapshot_replay_start(struct store *st, const char *code, struct dossier *d, struct err *e)
{
	struct snapshot_base b;
	memset(d, 0, sizeof *d);
	if (store_snapshot_base_get(st, code, 1, &b))
		return 0;
	int rc = snapshot_state_load(st, b.state, d, e);
	free(b.state);
	return rc ? -1 : b.dseq;
}

int snapshot_state_load(struct store *st, const char *text, struct dossier *d, struct err *e)
{
	json_t *j = json_loads(text ? text : "", 0, NULL);
	int rc = 0;
	memset(d, 0, sizeof *d);
	if (!json_is_object(j)) {
		rc = err_set(e, MC_INVALID, "a snapshot state is not a JSON object");
		goto out;
	}
	char *base = (char *)d;
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		json_t *v = json_object_get(j, ints[i].key);
		if (!json_is_integer(v)) {
			rc = err_set(e, MC_INVALID, "a snapshot state has no integer '%s'", ints[i].key);
			goto out;
		}
		json_int_t x = json_integer_value(v);
		if (ints[i].size == 8)
			*(int64_t *)(base + ints[i].off) = x;
		else if (!strcmp(ints[i].key, "components"))
			*(uint32_t *)(base + ints[i].off) = (uint32_t)x;
		else
			*(int32_t *)(base + ints[i].off) = (int32_t)x;
	}
	/* text from central is untrusted: valid UTF-8 that fits */
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		const char *s = str_of(j, strs[i].key);
		size_t len = s ? strlen(s) : 0;
		if (!s || len >= strs[i].size || !text_valid_utf8(s, len)) {
			rc = err_set(e, MC_INVALID, "a snapshot state has no valid '%s'", strs[i].key);
			goto out;
		}
		memcpy(base + strs[i].off, s, len + 1);
	}
	const char *office = str_of(j, "office"), *proc = str_of(j, "procedure"), *dept = str_of(j, "department"),
		   *assignee = str_of(j, "assignee"), *head = str_of(j, "chain_head");
	struct office o;
	struct department dp;
	struct user u;
	if (!office || !proc || !dept || !assignee || !head || hex_decode(head, d->chain_head, 32)) {
		rc = err_set(e, MC_INVALID, "dossier %s: its snapshot state is incomplete", d->code);
		goto out;
	}
	if (store_office_by_code(st, office, &o) || store_procedure_id(st, proc, &d->procedure_id) ||
	    (*dept && store_dept_by_code(st, dept, &dp)) || (*assignee && store_user_by_account(st, assignee, &u))) {
		rc = err_set(e, MC_NOTFOUND, "dossier %s: office %.32s, procedure %.32s, department %.32s or user %.64s is not in this store",
			     d->code, office, proc, dept, assignee);
		goto out;
	}
	d->office_id = o.id;
	d->dept_id = *dept ? dp.id : 0;
	d->assignee_id = *assignee ? u.id : 0;
	static const char *const place[] = {"recv_office", "resolver", "return_office"};
	int64_t *pid[] = {&d->recv_office_id, &d->resolver_id, &d->return_office_id};
	for (int i = 0; i < 3; i++) {
		const char *code = str_of(j, place[i]);
		if (code && !store_office_by_code(st, code, &o))
			*pid[i] = o.id;
	}
	/* optional text of the 2025 forms: valid UTF-8 that fits, or nothing */
	const char *em = str_of(j, "applicant_email"), *px = str_of(j, "proxy");
	if (em && strlen(em) < sizeof d->applicant_email && text_valid_utf8(em, strlen(em)))
		snprintf(d->applicant_email, sizeof d->applicant_email, "%s", em);
	if (px && strlen(px) < sizeof d->proxy && text_valid_utf8(px, strlen(px)))
		snprintf(d->proxy, sizeof d->proxy, "%s", px);
	json_int_t pv = json_integer_value(json_object_get(j, "proc_version"));
	d->proc_version = pv > 0 && pv < 100000 ? (int)pv : 0; /* 0: the version in force at receipt */
	json_t *fees = json_object_get(j, "fees");
	if (json_is_object(fees)) {
		d->fee_total = json_integer_value(json_object_get(fees, "total"));
		d->fee_paid = json_integer_value(json_object_get(fees, "paid"));
		d->fee_refunded = json_integer_value(json_object_get(fees, "refunded"));
		d->fee_stage = (int)json_integer_value(json_object_get(fees, "stage"));
		/* what the receiving desk took, once this store holds the receipt chain
		 * (fees_counter.h): the status its events give now */
		fees_counter_load(st, d);
		if (d->fee_counter_paid)
			d->status = fees_status(d);
	}
out:
	json_decref(j);
	return rc;
}

/* ---- the head event ------------------------------------------------------------- */

char *snapshot_event_dump(const struct event *ev)
{
	char hash[65], prev[65];
	hex_encode(ev->hash, 32, hash);
	hex_encode(ev->prev_hash, 32, prev);
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s?}", "id", ev->id, "dossier",
			      ev->dossier_code, "dseq", ev->dseq, "kind", ev->kind, "os_account", ev->os_account, "actor",
			      ev->actor, "at", (json_int_t)ev->at, "origin", ev->origin, "payload", ev->payload ? ev->payload : "{}",
			      "hash", hash, "prev", ev->has_prev ? prev : NULL);
	if (j && ev->has_sig) { /* its signature (storekey.h) travels with it */
		char sig[129];
		hex_encode(ev->sig, 64, sig);
		json_object_set_new(j, "sig", json_string(sig));
	}
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	return s;
}

int snapshot_event_load(const char *text, struct event *ev, struct err *e)
{
	json_t *j = json_loads(text ? text : "", 0, NULL);
	memset(ev, 0, sizeof *ev);
	const char *id = str_of(j, "id"), *code = str_of(j, "dossier"), *kind = str_of(j, "kind"),
		   *os = str_of(j, "os_account"), *actor = str_of(j, "actor"), *origin = str_of(j, "origin"),
		   *payload = str_of(j, "payload"), *hash = str_of(j, "hash"), *prev = str_of(j, "prev");
	int rc = 0;
	if (!id || !code || !kind || !os || !actor || !origin || !payload || !hash ||
	    !json_is_integer(json_object_get(j, "dseq")) || !json_is_integer(json_object_get(j, "at")) ||
	    strlen(id) >= sizeof ev->id || strlen(code) >= sizeof ev->dossier_code || strlen(kind) >= sizeof ev->kind ||
	    strlen(os) >= sizeof ev->os_account || strlen(actor) >= sizeof ev->actor || strlen(origin) >= sizeof ev->origin ||
	    hex_decode(hash, ev->hash, 32) || (prev && hex_decode(prev, ev->prev_hash, 32))) {
		rc = err_set(e, MC_INVALID, "a snapshot head event is malformed");
		goto out;
	}
	snprintf(ev->id, sizeof ev->id, "%s", id);
	snprintf(ev->dossier_code, sizeof ev->dossier_code, "%s", code);
	snprintf(ev->kind, sizeof ev->kind, "%s", kind);
	snprintf(ev->os_account, sizeof ev->os_account, "%s", os);
	snprintf(ev->actor, sizeof ev->actor, "%s", actor);
	snprintf(ev->origin, sizeof ev->origin, "%s", origin);
	ev->dseq = (int)json_integer_value(json_object_get(j, "dseq"));
	ev->at = json_integer_value(json_object_get(j, "at"));
	ev->has_prev = prev != NULL;
	const char *sig = str_of(j, "sig");
	if ((ev->has_sig = sig != NULL) && hex_decode(sig, ev->sig, 64))
		memset(ev->sig, 0, 64);
	if (!(ev->payload = strdup(payload)))
		rc = err_set(e, MC_STORE, "out of memory");
out:
	json_decref(j);
	return rc;
}

/* ---- central side: building the snapshot ----------------------------------------------- */

#define PUT_BATCH 500

struct build {
	struct central *cen;
	struct store *st;
	struct snapshot_names *names;
	struct err *e;
	snapshot_progress_fn progress;
	void *pctx;
	int64_t upto;
	/* the dossier being read */
	char code[CODE_LEN], office[32];
	struct event *ev;
	int n, cap;
	/* rows waiting to be written */
	struct central_snap_row rows[PUT_BATCH];
	char *texts[PUT_BATCH * 2];
	int nrows;
	struct dossier d;
	struct snapshot_result *r;
};

static void dossier_drop(struct build *b)
{
	for (int i = 0; i < b->n; i++)
		free(b->ev[i].payload);
	b->n = 0;
}

static int rows_flush(struct build *b)
{
	int rc = b->nrows ? b->cen->ops->snapshot_put(b->cen, b->rows, b->nrows, b->e) : 0;
	for (int i = 0; i < b->nrows * 2; i++) {
		free(b->texts[i]);
		b->texts[i] = NULL;
	}
	if (!rc && b->nrows && b->progress)
		b->progress(b->pctx, "snapshot", b->r->dossiers, 0);
	b->nrows = 0;
	return rc;
}

/* the dossier read so far becomes a row: its state, or none when its chain forks (two
 * events at one dseq) or cannot be projected here: offices then replay it in full */
static int dossier_done(struct build *b)
{
	if (!b->n)
		return 0;
	int forked = 0, head = 0;
	for (int i = 1; i < b->n; i++) {
		if (b->ev[i].dseq == b->ev[i - 1].dseq)
			forked = 1;
		if (b->ev[i].dseq >= b->ev[head].dseq)
			head = i;
	}
	char *state = NULL;
	if (!forked) {
		struct err pe = {0};
		memset(&b->d, 0, sizeof b->d);
		int ok = 1;
		for (int i = 0; i < b->n && ok; i++)
			ok = b->ev[i].dseq == i + 1 && dossier_apply(b->st, &b->d, &b->ev[i], &pe) == 0;
		if (ok)
			state = snapshot_state_dump(b->names, &b->d, &pe);
	}
	char *event = snapshot_event_dump(&b->ev[head]);
	if (!event) {
		free(state);
		return err_set(b->e, MC_STORE, "out of memory");
	}
	struct central_snap_row *row = &b->rows[b->nrows];
	memset(row, 0, sizeof *row);
	snprintf(row->code, sizeof row->code, "%s", b->code);
	snprintf(row->office, sizeof row->office, "%s", b->office);
	row->pos = b->upto;
	row->dseq = b->ev[head].dseq;
	memcpy(row->hash, b->ev[head].hash, 32);
	row->event = event;
	row->state = state;
	b->texts[b->nrows * 2] = event;
	b->texts[b->nrows * 2 + 1] = state;
	b->nrows++;
	b->r->dossiers++;
	if (!state)
		b->r->stateless++;
	dossier_drop(b);
	return b->nrows == PUT_BATCH ? rows_flush(b) : 0;
}

static int build_event(const struct event *ev, const char *office, void *ctx)
{
	struct build *b = ctx;
	int rc;
	if (b->n && strcmp(ev->dossier_code, b->code) && (rc = dossier_done(b)))
		return rc;
	if (!b->n)
		snprintf(b->code, sizeof b->code, "%s", ev->dossier_code);
	/* the row goes to the office the latest event routes the dossier to (re-routing) */
	snprintf(b->office, sizeof b->office, "%s", office);
	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 64;
		void *p = realloc(b->ev, (size_t)cap * sizeof *b->ev);
		if (!p)
			return err_set(b->e, MC_STORE, "out of memory");
		b->ev = p;
		b->cap = cap;
	}
	b->ev[b->n] = *ev;
	if (!(b->ev[b->n].payload = strdup(ev->payload ? ev->payload : "{}")))
		return err_set(b->e, MC_STORE, "out of memory");
	b->n++;
	b->r->events++;
	return 0;
}

int central_snapshot(struct central *cen, struct store *st, snapshot_progress_fn progress, void *ctx,
		     struct snapshot_result *r, struct err *e)
{
	struct build *b = calloc(1, sizeof *b);
	char buf[32];
	int64_t upto = 0, from = 0;
	int rc;
	memset(r, 0, sizeof *r);
	if (!b || !(b->names = snapshot_names_new(st))) {
		free(b);
		return err_set(e, MC_STORE, "out of memory");
	}
	b->cen = cen;
	b->st = st;
	b->e = e;
	b->progress = progress;
	b->pctx = ctx;
	b->r = r;
	if ((rc = cen->ops->snapshot_begin(cen, &upto, e)))
		goto out;
	rc = cen->ops->meta_get(cen, "snapshot_pos", buf, sizeof buf, e);
	if (rc && rc != MC_NOTFOUND)
		goto fail;
	from = rc ? 0 : atoll(buf);
	rc = 0;
	r->from = from;
	r->to = upto > from ? upto : from;
	if (upto <= from) {
		cen->ops->rollback(cen);
		goto out;
	}
	b->upto = upto;
	if ((rc = cen->ops->snapshot_events(cen, from, upto, build_event, b, e)) || (rc = dossier_done(b)) ||
	    (rc = rows_flush(b)))
		goto fail;
	snprintf(buf, sizeof buf, "%lld", (long long)upto);
	if ((rc = cen->ops->meta_set(cen, "snapshot_pos", buf, e)) || (rc = cen->ops->commit(cen, e)))
		goto fail;
	goto out;
fail:
	if (!e->code)
		err_set(e, rc, "the snapshot failed");
	rc = e->code;
	cen->ops->rollback(cen);
out:
	if (b) {
		dossier_drop(b);
		for (int i = 0; i < b->nrows * 2; i++)
			free(b->texts[i]);
		free(b->ev);
		snapshot_names_free(b->names);
		free(b);
	}
	return rc;
}
