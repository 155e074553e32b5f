/* sync.c - the office's side of sync, talking to central (see sync.h for the model,
 * central.h for the cursor): pushing and pulling, taking a dossier re-routed here,
 * status, and bundles for offices with no network; and the office side of the
 * snapshot (snapshot.h): a first sync that loads central's snapshot, fetching a
 * dossier's older steps.  What a foreign event goes through to enter this store (its
 * signature, the projection, the conflict queue) is sync_apply.c's; central's side is
 * central.c; the history both read (heads, lines, routes) history.c.
 */
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bundle.h"
#include "central_keys.h"
#include "dossier.h"
#include "event.h"
#include "fees_counter.h"
#include "i18n.h"
#include "snapshot.h"
#include "storekey.h"
#include "store_storekey.h"
#include "sync.h"
#include "sync_apply.h"
#include "sync_lock.h"

/* ---- office: push and pull ------------------------------------------------------------ */

static int office_ready(struct core *c, struct err *e)
{
	if (!c->office.agency_code[0])
		return err_set_hint(e, MC_STATE, HINT_OFFICE_CREATE, "this store has no office");
	return 0;
}

/* central's URL: url if given, else the one this store remembers (setting
 * central.url, copied into saved); NULL if neither */
static const char *central_url(struct core *c, const char *url, char *saved, size_t n)
{
	if (url && *url)
		return url;
	return store_setting_get(c->st, "central.url", saved, n) == 0 && saved[0] ? saved : NULL;
}

/* the sync state row (MC_VERSION if the store has no sync tables yet) */
static int sync_state(struct core *c, struct sync_state_row *s, struct err *e)
{
	if (store_sync_state(c->st, s))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
	return 0;
}

/* what every step of this office's sync opens with: the store has an office and its
 * sync tables; s gets the sync state */
static int sync_open(struct core *c, struct sync_state_row *s, struct err *e)
{
	return office_ready(c, e) ? e->code : sync_state(c, s, e);
}

/* this store's events pending after seq, up to top: *whole when the batch was full */
static int push_read(struct core *c, int64_t seq, int64_t top, int size, struct batch *b, int *whole, struct err *e)
{
	batch_clear(b);
	int rc = store_sync_pending(c->st, c->office.agency_code, seq, size, batch_add, b);
	if (rc && rc != 1)
		return err_set(e, MC_STORE, "out of memory");
	*whole = b->n == size;
	while (b->n && b->ev[b->n - 1].seq > top) {
		event_clear(&b->ev[--b->n]);
		*whole = 0;
	}
	return 0;
}

/* A push checks that this store signed each event it sends, with its own key (by
 * signing again: storekey_set_own), a batch on every core while the batch before it is
 * being written at central; central's ingest (central_put_own_batch), in this same
 * process, then checks only what this store has not. */
struct owncheck { struct storekey_set ks; int ok; };

static void owncheck_start(const struct owncheck *k, const struct batch *b, int *v, struct storekey_job **job)
{
	*job = k->ok ? storekey_set_check_start(&k->ks, b->ev, b->n, v) : NULL;
	if (!k->ok)
		for (int i = 0; i < b->n; i++)
			v[i] = STOREKEY_BAD; /* not checked here: central checks it */
}

int sync_push(struct core *c, struct central *cen, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	struct sync_state_row s;
	int size = o && o->batch > 0 ? o->batch : SYNC_BATCH;
	if (sync_open(c, &s, e))
		return e->code;
	/* this push sends what was pending when it began (up to top), and it counted
	 * that: steps saved meanwhile go with the next push (never "2/1 events") */
	int64_t top = 0, total = store_sync_pending_count(c->st, c->office.agency_code, s.push_seq, &top), done = 0;
	struct batch b = {calloc((size_t)size, sizeof(struct event)), 0, size};
	struct batch nb = {calloc((size_t)size, sizeof(struct event)), 0, size};
	int *v = calloc((size_t)size, sizeof *v), *nv = calloc((size_t)size, sizeof *nv);
	unsigned char *own = calloc((size_t)size, 1);
	struct owncheck k = {0};
	int rc = 0;
	if (!b.ev || !nb.ev || !v || !nv || !own) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	int64_t seq = s.push_seq;
	if (o && o->progress)
		o->progress(o->ctx, "push", 0, total);
	/* central learns this store's key at its first push, and refuses another one */
	if (total > 0) {
		struct storekey key;
		unsigned char priv[32];
		if ((rc = storekey_own(c->st, c->office.agency_code, core_now(c), &key, e)))
			goto out;
		rc = central_key_enrol(cen, c->office.agency_code, key.pub, key.since, 1, e);
		k.ok = !rc && storekey_priv(&key, priv) == 0 && storekey_set_add(&k.ks, c->office.agency_code, key.pub, 0, key.since) == 0;
		if (k.ok)
			storekey_set_own(&k.ks, key.pub, priv);
		OPENSSL_cleanse(priv, sizeof priv);
		storekey_free(&key);
		if (rc)
			goto out;
	}
	int whole = 0, nwhole = 0;
	struct storekey_job *job = NULL, *njob = NULL;
	if ((rc = push_read(c, seq, top, size, &b, &whole, e)))
		goto out;
	owncheck_start(&k, &b, v, &job);
	while (b.n) {
		storekey_set_check_wait(job);
		job = NULL;
		int64_t last = b.ev[b.n - 1].seq;
		/* the next batch is read and checked while this one is written */
		batch_clear(&nb);
		if (whole && (rc = push_read(c, last, top, size, &nb, &nwhole, e)) == 0)
			owncheck_start(&k, &nb, nv, &njob);
		for (int i = 0; i < b.n; i++)
			own[i] = v[i] == STOREKEY_SIGNED;
		struct central_put p = {0};
		if (!rc)
			rc = central_put_own_batch(cen, b.ev, b.n, k.ok ? own : NULL, k.ks.own_pub, core_now(c), &p, e);
		if (!rc)
			rc = store_sync_push_done(c->st, last, e);
		if (rc) {
			storekey_set_check_wait(njob);
			break;
		}
		seq = last;
		r->pushed += p.inserted;
		r->push_dup += p.duplicate;
		r->push_refused += p.refused;
		done += b.n;
		if (o && o->progress)
			o->progress(o->ctx, "push", done, total);
		if (!whole) {
			storekey_set_check_wait(njob);
			break;
		}
		struct batch tb = b;
		int *tv = v;
		b = nb;
		nb = tb;
		v = nv;
		nv = tv;
		whole = nwhole;
		job = njob;
		njob = NULL;
	}
	storekey_set_check_wait(job);
out:
	batch_clear(&b);
	batch_clear(&nb);
	free(b.ev);
	free(nb.ev);
	free(v);
	free(nv);
	free(own);
	storekey_set_free(&k.ks);
	return rc;
}

struct refrows { json_t *rows; };

static int ref_collect(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct refrows *rr = ctx;
	json_array_append_new(rr->rows, json_pack("{s:s, s:s, s:s}", "kind", kind, "key", key, "doc", doc));
	return 0;
}


struct pullctx { struct batch *b; int oom; };

static int keys_fresh(struct core *c, struct central *cen, struct sigs *g, const struct batch *b, int *changed,
		      struct err *e)
{
	int missing = 0, rc;
	*changed = 0;
	if (!g->ok)
		return 0;
	for (int i = 0; i < b->n && !missing; i++)
		missing = b->ev[i].has_sig && !storekey_set_any(&g->ks, b->ev[i].origin, 0) &&
			  !storekey_set_any(&g->ks, b->ev[i].origin, 1);
	if (!missing)
		return 0;
	char buf[32];
	struct refrows rr = {json_array()};
	if ((rc = cen->ops->meta_get(cen, "ref_version", buf, sizeof buf, e)) || (rc = cen->ops->begin(cen, 0, NULL, e))) {
		json_decref(rr.rows);
		return rc;
	}
	rc = cen->ops->ref_list(cen, NULL, ref_collect, &rr, e);
	cen->ops->rollback(cen);
	if (!rc)
		rc = sync_apply_ref(c, rr.rows, atoll(buf), e);
	json_decref(rr.rows);
	if (!rc) {
		sync_sigs_load(c, g);
		*changed = 1;
	}
	return rc;
}

static int pull_add(const struct event *ev, void *ctx)
{
	struct pullctx *p = ctx;
	int rc = batch_add(ev, p->b);
	if (rc)
		p->oom = 1;
	return rc;
}

/* ---- office: a first sync by snapshot, and fetching a dossier's older steps ------------ */

/* one pass over a dossier's events read from central (see apply_dossier_events);
 * careful: each event appended and the row projected under its own savepoint, and an
 * event that cannot be applied is quarantined with the reason */
static int dossier_events_pass(struct core *c, struct sigs *g, struct history *l, const int *sigv, const char *code,
			       int careful, int64_t *added, int *opened, struct err *e)
{
	char why[256];
	int rc = 0, any = 0;
	for (int i = 0; i < l->n && !rc; i++) {
		struct event *ev = &l->ev[i];
		if (sync_held_or_checked(c, g, ev, sigv ? sigv[i] : SIG_UNCHECKED, why, sizeof why))
			continue;
		if (!why[0] && careful) {
			struct err pe = {0};
			if (store_begin(c->st, &pe) == 0) {
				if (store_event_append(c->st, ev, &pe) == 0 && sync_projection(c, code, opened, &pe) == 0 &&
				    store_commit(c->st, &pe) == 0) {
					(*added)++;
					continue;
				}
				store_rollback(c->st);
			}
			snprintf(why, sizeof why, "cannot be applied here: %.200s", pe.msg);
		}
		if (why[0]) {
			rc = store_sync_quarantine(c->st, ev, why, core_now(c), e);
			continue;
		}
		if ((rc = store_event_append(c->st, ev, e)) == 0) {
			any = 1;
			(*added)++;
		}
	}
	if (!rc && any)
		rc = sync_projection(c, code, opened, e);
	return rc;
}

/* apply a dossier's events read from central, in (dseq, pos) order, inside the
 * caller's transaction: each checked like any foreign event (quarantined if invalid),
 * then the row projected.  If the row cannot be projected (e.g. a step names a user
 * this store does not know), the dossier is redone event by event and the events
 * that cannot be applied are quarantined, as the pull does: one bad dossier never
 * stops a sync. */
static int apply_dossier_events(struct core *c, struct sigs *g, struct history *l, const char *code, int64_t *added,
				int *opened, struct err *e)
{
	int64_t n = 0;
	int o = 0;
	int *sigv = l->n > 0 ? malloc((size_t)l->n * sizeof *sigv) : NULL;
	struct sigjob j;
	if (sigv) {
		sync_sig_start(c, g, l->ev, l->n, sigv, &j);
		sync_sig_finish(&j);
	}
	int rc = store_begin(c->st, e);
	if (rc) {
		free(sigv);
		return rc;
	}
	if ((rc = dossier_events_pass(c, g, l, sigv, code, 0, &n, &o, e)) == 0 && (rc = store_commit(c->st, e)) == 0) {
		free(sigv);
		if (added)
			*added += n;
		if (opened)
			*opened += o;
		return 0;
	}
	store_rollback(c->st);
	if (rc != MC_INVALID && rc != MC_NOTFOUND && rc != MC_STATE && rc != MC_DENIED && rc != MC_CONFLICT) {
		free(sigv);
		return rc; /* the store itself failed: the caller's transaction goes back */
	}
	n = 0;
	memset(e, 0, sizeof *e);
	rc = dossier_events_pass(c, g, l, sigv, code, 1, &n, opened, e);
	free(sigv);
	if (!rc && added)
		*added += n;
	return rc;
}

/* a dossier's whole history at central, read in a transaction of its own */
static int central_history(struct central *cen, const char *code, struct history *l, struct err *e)
{
	int rc = cen->ops->begin(cen, 0, NULL, e);
	if (rc)
		return rc;
	rc = cen->ops->dossier_events(cen, code, history_add, l, e);
	cen->ops->rollback(cen);
	return rc;
}

/* Brings the older events of a dossier taken from the snapshot (they chain to its
 * base head), drops the base and projects the dossier from its whole history, in one
 * local transaction.  0 also when the dossier has its whole history already. */
static int fetch_history(struct core *c, struct central *cen, struct sigs *g, const char *code, int64_t *added,
			 struct err *e)
{
	struct snapshot_base b;
	if (store_snapshot_base_get(c->st, code, 0, &b))
		return 0;
	struct history l = {0};
	int rc = central_history(cen, code, &l, e);
	if (rc)
		goto out;
	if ((rc = store_begin(c->st, e)))
		goto out;
	/* the base head must link to the fetched history */
	struct event head;
	memset(&head, 0, sizeof head);
	int pd = 0, found = 0;
	for (int i = 0; i < l.n; i++)
		if (l.ev[i].dseq == b.dseq && !memcmp(l.ev[i].hash, b.hash, 32)) {
			head = l.ev[i];
			found = 1;
		}
	if (!found) {
		rc = err_set(e, MC_INVALID, "central has no event %d of dossier %s with the hash this store took from its snapshot", b.dseq, code);
		goto fail;
	}
	char why[256];
	for (int i = 0; i < l.n && !rc; i++) {
		struct event *ev = &l.ev[i];
		/* what comes after the base arrives with the pull */
		if (ev->dseq > b.dseq || (ev->dseq == b.dseq && !memcmp(ev->hash, b.hash, 32)) ||
		    sync_held_or_checked(c, g, ev, SIG_UNCHECKED, why, sizeof why))
			continue;
		if (why[0])
			rc = err_set(e, MC_INVALID, "dossier %s: central's event %s (#%d) cannot be taken: %s", code, ev->id, ev->dseq, why);
		else
			rc = store_event_append(c->st, ev, e);
		if (!rc && added)
			(*added)++;
	}
	if (rc)
		goto fail;
	if (head.has_prev && (store_sync_find_hash(c->st, code, head.prev_hash, &pd) || pd != b.dseq - 1)) {
		rc = err_set(e, MC_INVALID, "dossier %s: the older events from central do not lead to the head this store has", code);
		goto fail;
	}
	if ((rc = store_snapshot_base_drop(c->st, code, e)) || (rc = sync_projection(c, code, NULL, e)) || (rc = store_commit(c->st, e)))
		goto fail;
	goto out;
fail:
	store_rollback(c->st);
out:
	history_free(&l);
	return rc;
}

/* The receipt chain of fees paid at the receiving desk (fees_counter.h) of a dossier
 * taken whole: central delivers the chain's events to the office a dossier is routed
 * on to, but at their own, older positions in the log, which a store that synced since
 * they were written has pulled past; so they are taken here with the dossier (already
 * present ones are skipped; a chain central does not have, or this office may not
 * read, is nothing to take). */
static int take_counter_chain(struct core *c, struct central *cen, struct sigs *g, const char *code, int64_t *added,
			      struct err *e)
{
	char fc[CODE_LEN], parent[CODE_LEN];
	if (fees_counter_parent(code, parent) || fees_counter_code(code, fc, sizeof fc))
		return 0;
	struct history l = {0};
	int rc = central_history(cen, fc, &l, e);
	if (!rc && l.n)
		rc = apply_dossier_events(c, g, &l, fc, added, NULL, e);
	history_free(&l);
	return rc;
}

/* Takes a dossier this store does not hold in full (central re-routed it here, or a
 * decision came on a line whose steps were taken elsewhere): all its events from
 * central, checked and applied like any pulled event, in one local transaction; a
 * dossier taken from the snapshot gets its older history first (fetch_history), so
 * that the new steps have something to follow.  0 also when central's history does
 * not fit (the pulled event is then quarantined with its batch). */
static int take_dossier(struct core *c, struct central *cen, struct sigs *g, const char *code, int64_t *added,
			int *opened, struct err *e)
{
	struct history l = {0};
	int rc = fetch_history(c, cen, g, code, added, e);
	if (rc == MC_INVALID) {
		memset(e, 0, sizeof *e);
		return 0;
	}
	if (rc)
		return rc;
	rc = central_history(cen, code, &l, e);
	if (!rc)
		rc = apply_dossier_events(c, g, &l, code, added, opened, e);
	history_free(&l);
	if (!rc)
		rc = take_counter_chain(c, cen, g, code, added, e);
	return rc;
}

/* 1 if event i of the batch follows an event this store does not have and that is
 * not earlier in the batch either (nor quarantined here) */
static int misses_prev(struct core *c, const struct event *evs, int i)
{
	const struct event *ev = &evs[i];
	int pd;
	if (!ev->has_prev)
		return 0;
	for (int j = i - 1; j >= 0; j--)
		if (evs[j].dseq == ev->dseq - 1 && !memcmp(evs[j].hash, ev->prev_hash, 32) &&
		    !strcmp(evs[j].dossier_code, ev->dossier_code))
			return 0;
	return store_sync_find_hash(c->st, ev->dossier_code, ev->prev_hash, &pd) != 0 &&
	       !store_sync_hash_quarantined(c->st, ev->prev_hash);
}

struct snapload {
	struct core *c;
	struct err *e;
	int64_t loaded, count;
	char last[CODE_LEN];
	struct codes *full;          /* dossiers to take in full (forked, or a row that does not check) */
};

/* one snapshot row: the head event (checked like any foreign event, but for its link
 * to the older history, which stays at central), the dossier row and its base */
static int load_row(const struct central_snap_row *row, void *ctx)
{
	struct snapload *x = ctx;
	struct core *c = x->c;
	struct err pe = {0};
	struct event ev;
	struct dossier *d = NULL;
	int rc = 0;
	x->count++;
	snprintf(x->last, sizeof x->last, "%s", row->code);
	memset(&ev, 0, sizeof ev);
	if (!row->state || snapshot_event_load(row->event, &ev, &pe) || strcmp(ev.dossier_code, row->code) ||
	    ev.dseq != row->dseq || memcmp(ev.hash, row->hash, 32) || !event_hash_ok(&ev) ||
	    (!ev.has_prev && ev.dseq != 1) || !store_sync_author_ok(c->st, ev.actor, ev.origin))
		goto full;
	if (!(d = malloc(sizeof *d)))
		return err_set(x->e, MC_STORE, "out of memory");
	if (store_dossier_get(c->st, row->code, d) == 0 || store_sync_event_exists(c->st, ev.id))
		goto out; /* here already */
	if (snapshot_state_load(c->st, row->state, d, &pe) || strcmp(d->code, row->code) || d->version != row->dseq ||
	    memcmp(d->chain_head, row->hash, 32))
		goto full;
	struct snapshot_base b;
	memset(&b, 0, sizeof b);
	snprintf(b.code, sizeof b.code, "%s", row->code);
	b.dseq = row->dseq;
	memcpy(b.hash, row->hash, 32);
	b.pos = row->pos;
	b.state = (char *)row->state;
	if ((rc = store_event_append(c->st, &ev, x->e)) || (rc = store_sync_dossier_insert(c->st, d, x->e)) ||
	    (rc = store_snapshot_base_put(c->st, &b, x->e)))
		goto out;
	x->loaded++;
	/* fees another office took at its receiving desk: the dossier's receipt chain comes
	 * whole, as central delivered it here (fees_counter.h) */
	char fc[CODE_LEN];
	if (d->fee_total && d->recv_office_id && d->recv_office_id != c->office.id && !fees_counter_code(row->code, fc, sizeof fc) &&
	    codes_add(fc, x->full))
		rc = err_set(x->e, MC_STORE, "out of memory");
	goto out;
full:
	rc = codes_add(row->code, x->full) ? err_set(x->e, MC_STORE, "out of memory") : 0;
out:
	event_clear(&ev);
	free(d);
	return rc;
}

/* A first sync by snapshot: a store with no events and pull cursor 0, when central
 * has a snapshot, loads its office's rows SNAPSHOT_CHUNK (or --batch) at a time, each chunk and
 * its progress (snapshot_load) in one local transaction; forked dossiers (no state)
 * come in full.  The last chunk also sets the pull cursor to the snapshot's position,
 * from which the normal pull goes on (events a newer row already holds are skipped:
 * covered_by_base).  A killed load resumes after the last chunk committed. */
static int snapshot_load(struct core *c, struct central *cen, struct sigs *g, const struct sync_opts *o,
			 struct sync_result *r, struct err *e)
{
	int64_t pos = 0, total = 0;
	char after[CODE_LEN] = "", buf[32];
	int isdone = 0;
	int rc = store_snapshot_load_get(c->st, &pos, after, sizeof after, &isdone);
	if (rc == 0 && isdone)
		return 0;
	if (rc == MC_NOTFOUND) {
		struct sync_state_row s;
		struct err ignore = {0};
		if (store_sync_state(c->st, &s) || s.pull_cursor != 0 || !store_sync_no_events(c->st) ||
		    cen->ops->meta_get(cen, "snapshot_pos", buf, sizeof buf, &ignore) || (pos = atoll(buf)) <= 0)
			return 0;
		after[0] = 0;
	} else if (rc) {
		return err_set(e, MC_VERSION, "this store has no snapshot tables: open it once read-write to upgrade it");
	}
	if ((rc = cen->ops->snapshot_count(cen, c->office.agency_code, &total, e)))
		return rc;
	if (!total && !after[0])
		return 0; /* nothing of this office in the snapshot: the normal pull */
	struct codes full = {0};
	int64_t done = 0;
	int chunk = o && o->batch > 0 ? o->batch : SNAPSHOT_CHUNK;   /* sync --batch N: N dossiers a chunk */
	for (;;) {
		struct snapload x = {c, e, 0, 0, "", &full};
		full.n = 0;
		if ((rc = store_begin(c->st, e)))
			break;
		struct sync_state_row s;
		store_sync_state(c->st, &s);
		int64_t pending = store_sync_pending_count(c->st, c->office.agency_code, s.push_seq, NULL);
		if ((rc = cen->ops->begin(cen, 0, NULL, e)) == 0) {
			rc = cen->ops->snapshot_rows(cen, c->office.agency_code, after, chunk, load_row, &x, e);
			cen->ops->rollback(cen);
		}
		for (int i = 0; i < full.n && !rc; i++) {
			struct history l = {0};
			if ((rc = cen->ops->begin(cen, 0, NULL, e)) == 0) {
				rc = cen->ops->dossier_events(cen, full.code[i], history_add, &l, e);
				cen->ops->rollback(cen);
			}
			char parent[CODE_LEN]; /* (a receipt chain central does not have: nothing to take) */
			if (!rc && (l.n || !fees_counter_parent(full.code[i], parent)))
				rc = apply_dossier_events(c, g, &l, full.code[i], &r->pulled, NULL, e);
			history_free(&l);
		}
		int last = x.count < chunk;
		if (!rc && x.count)
			snprintf(after, sizeof after, "%s", x.last);
		int64_t top = 0;
		/* everything this chunk added came from central: nothing to push back, unless
		 * someone worked here between two chunks of an interrupted load */
		if (!rc && !pending) {
			store_sync_pending_count(c->st, c->office.agency_code, s.push_seq, &top);
			rc = store_sync_set_push(c->st, top, e);
		}
		if (rc || (rc = store_snapshot_load_set(c->st, pos, after, last, e)) ||
		    (last && (rc = store_sync_set_pull(c->st, pos, e))) || (rc = store_commit(c->st, e))) {
			store_rollback(c->st);
			break;
		}
		r->pulled += x.loaded;
		done += x.count;
		/* test hook (tests/sync/snapfollow.sh): a pause after each chunk, to be killed in */
		const char *pause = getenv("MOTCUA_TEST_SNAPSHOT_CHUNK_MS");
		if (pause && atoi(pause) > 0 && !last)
			usleep((useconds_t)atoi(pause) * 1000);
		if (o && o->progress)
			o->progress(o->ctx, "snapshot", done, total > done ? total : done);
		if (last)
			break;
	}
	free(full.code);
	return rc;
}

static int fetch(struct core *c, const char *url, const char *code, int64_t *added, struct err *e)
{
	char saved[1024];
	if (office_ready(c, e))
		return e->code;
	if (!(url = central_url(c, url, saved, sizeof saved)))
		return err_set_hint(e, MC_USAGE, HINT_CENTRAL_URL, "no central database is configured");
	struct snapshot_base b;
	struct dossier *d = malloc(sizeof *d);
	int known = d && store_dossier_get(c->st, code, d) == 0;
	free(d);
	if (!known)
		return err_set(e, MC_NOTFOUND, "no dossier with code '%.60s' in this store", code);
	if (store_snapshot_base_get(c->st, code, 0, &b))
		return err_set(e, MC_STATE, "dossier %s has its whole history in this store already", code);
	struct central *cen = central_open(url, 0, e);
	if (!cen)
		return e->code;
	struct sigs g = {0};
	sync_sigs_load(c, &g);
	int rc = fetch_history(c, cen, &g, code, added, e);
	sync_sigs_free(&g);
	central_close(cen);
	return rc;
}

/* a fetch writes the dossier's older steps while a sync could be taking the same
 * dossier's newer ones: one at a time (sync_lock.h) */
int sync_fetch(struct core *c, const char *url, const char *code, int64_t *added, struct err *e)
{
	int rc = sync_lock(c, 0, NULL, NULL, e);
	if (rc)
		return rc;
	rc = fetch(c, url, code, added, e);
	sync_unlock(c);
	return rc;
}

/* one batch of central's log from cursor (central's read-only transaction) */
static int pull_read(struct core *c, struct central *cen, int64_t cursor, int size, int own, struct batch *b, int64_t *next,
		     struct err *e)
{
	batch_clear(b);
	struct pullctx pc = {b, 0};
	*next = cursor;
	int rc = cen->ops->begin(cen, 0, NULL, e);
	if (rc)
		return rc;
	rc = cen->ops->events_since(cen, c->office.agency_code, cursor, size, own, pull_add, &pc, next, e);
	cen->ops->rollback(cen); /* a read-only transaction */
	return pc.oom ? err_set(e, MC_STORE, "out of memory") : rc;
}

int sync_pull(struct core *c, struct central *cen, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	struct sync_state_row s;
	int size = o && o->batch > 0 ? o->batch : SYNC_BATCH;
	if (sync_open(c, &s, e))
		return e->code;
	int rc;
	if (cen->ref_version > s.ref_version) {
		struct refrows rr = {json_array()};
		if ((rc = cen->ops->begin(cen, 0, NULL, e)))
			return rc;
		rc = cen->ops->ref_list(cen, NULL, ref_collect, &rr, e);
		cen->ops->rollback(cen);
		if (!rc)
			rc = sync_apply_ref(c, rr.rows, cen->ref_version, e);
		json_decref(rr.rows);
		if (rc)
			return rc;
		r->ref_applied = 1;
	}
	struct sigs g = {0};
	sync_sigs_load(c, &g);
	if ((rc = snapshot_load(c, cen, &g, o, r, e)) || (rc = store_sync_state(c->st, &s))) {
		sync_sigs_free(&g);
		return rc;
	}
	/* this batch (b, its verdicts sv) and the one after it (nb, nsv): the next one is
	 * read and its signatures checked while this one is applied */
	struct batch b = {calloc((size_t)size, sizeof(struct event)), 0, size};
	struct batch nb = {calloc((size_t)size, sizeof(struct event)), 0, size};
	int *sv = calloc((size_t)size, sizeof *sv), *nsv = calloc((size_t)size, sizeof *nsv);
	if (!b.ev || !nb.ev || !sv || !nsv) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	int64_t cursor = s.pull_cursor, done = 0, next = cursor, nnext = cursor;
	int own = s.pull_own, have_next = 0, checked = 0;
	rc = 0;
	for (;;) {
		if (have_next) {
			struct batch tb = b;
			int *tv = sv;
			b = nb;
			nb = tb;
			sv = nsv;
			nsv = tv;
			next = nnext;
			checked = 1;
		} else {
			if ((rc = pull_read(c, cen, cursor, size, own, &b, &next, e)))
				break;
			checked = 0;
		}
		have_next = 0;
		if (!b.n && next == cursor && !own)
			break;
		/* a change to a step older than a snapshot base: that dossier's older history
		 * first; if central's older steps cannot be taken here, the change is
		 * quarantined with the batch (covered_by_base says why) instead of stopping
		 * the pull */
		char why[8];
		for (int i = 0; i < b.n && !rc; i++)
			if (!store_sync_event_exists(c->st, b.ev[i].id) && !sync_covered_by_base(c, &b.ev[i], why, sizeof why) && why[0] &&
			    (rc = fetch_history(c, cen, &g, b.ev[i].dossier_code, NULL, e)) == MC_INVALID)
				rc = 0;
		/* a dossier re-routed here, or a decision on steps taken elsewhere: its
		 * history first (what cannot be taken is quarantined with the batch) */
		for (int i = 0; i < b.n && !rc; i++) {
			int opened = 0;
			if (misses_prev(c, b.ev, i) && !store_sync_event_exists(c->st, b.ev[i].id))
				rc = take_dossier(c, cen, &g, b.ev[i].dossier_code, &r->pulled, &opened, e);
			r->conflicts += opened;
		}
		/* an event signed by a store whose key this office has not learnt yet (it
		 * joined since the reference data was read): the reference data first, and
		 * the batch checked again against the new keys */
		int changed = 0;
		if (!rc && (rc = keys_fresh(c, cen, &g, &b, &changed, e)) == 0 && changed)
			checked = 0;
		if (rc)
			break;
		struct sigjob j;
		if (!checked) {
			sync_sig_start(c, &g, b.ev, b.n, sv, &j);
			sync_sig_finish(&j);
		}
		/* a whole batch: more may follow, read and checked meanwhile (an error
		 * reading it is reported once this batch is applied) */
		struct err ne = {0};
		int nrc = 0;
		memset(&j, 0, sizeof j);
		if (b.n == size && (nrc = pull_read(c, cen, next, size, own, &nb, &nnext, &ne)) == 0) {
			sync_sig_start(c, &g, nb.ev, nb.n, nsv, &j);
			have_next = 1;
		}
		/* the last batch: this store has caught up with central once */
		rc = sync_apply_batch(c, &g, b.ev, sv, b.n, next, b.n < size && own, r, e);
		sync_sig_finish(&j);
		if (!rc && nrc) {
			*e = ne;
			rc = nrc;
		}
		if (rc)
			break;
		cursor = next;
		done += b.n;
		if (o && o->progress)
			o->progress(o->ctx, "pull", done, 0);
		if (b.n < size)
			break;
	}
out:
	batch_clear(&b);
	batch_clear(&nb);
	free(b.ev);
	free(nb.ev);
	free(sv);
	free(nsv);
	sync_sigs_free(&g);
	return rc;
}

static int run(struct core *c, const char *url, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	char saved[1024];
	memset(r, 0, sizeof *r);
	if (office_ready(c, e))
		return e->code;
	if (!(url = central_url(c, url, saved, sizeof saved)))
		return err_set_hint(e, MC_USAGE, HINT_CENTRAL_URL, "no central database is configured");
	struct central *cen = central_open(url, 0, e);
	int rc = cen ? 0 : e->code;
	char who[320];
	snprintf(who, sizeof who, _("this office (%s)"), c->office.agency_code);
	if (!rc)
		rc = central_check_schema(cen, CENTRAL_SCHEMA, who, e);
	if (!rc) /* central restored or failed over since the last sync (sync_recover.c) */
		rc = sync_recover(c, cen, &r->recovered, e);
	if (!rc)
		rc = sync_push(c, cen, o, r, e);
	if (!rc)
		rc = sync_pull(c, cen, o, r, e);
	if (!rc) /* files after the events: a slow link never holds them up */
		rc = filesync_run(c, cen, o, &r->files, e);
	central_close(cen);
	if (rc) {
		store_sync_note(c->st, 0, e->msg, core_now(c), 0, 0);
		return rc;
	}
	store_sync_note(c->st, 1, NULL, core_now(c), r->pushed + r->push_dup, r->pulled);
	if (url != saved) {
		struct err ignore;
		store_begin(c->st, &ignore);
		if (store_setting_set(c->st, "central.url", url, &ignore) || store_commit(c->st, &ignore))
			store_rollback(c->st);
	}
	return 0;
}

int sync_run(struct core *c, const char *url, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	int rc = sync_lock_opts(c, o, e);
	if (rc)
		return rc;
	rc = run(c, url, o, r, e);
	sync_unlock(c);
	return rc;
}

int sync_status(struct core *c, struct sync_status *s, struct err *e)
{
	struct sync_state_row row;
	memset(s, 0, sizeof *s);
	if (sync_state(c, &row, e))
		return e->code;
	s->push_seq = row.push_seq;
	s->pull_cursor = row.pull_cursor;
	s->ref_version = row.ref_version;
	s->last_ok_at = row.last_ok_at;
	s->last_error_at = row.last_error_at;
	s->last_pushed = row.last_pushed;
	s->last_pulled = row.last_pulled;
	snprintf(s->last_error, sizeof s->last_error, "%s", row.last_error);
	s->pending = store_sync_pending_count(c->st, c->office.agency_code, row.push_seq, NULL);
	s->quarantined = store_sync_count(c->st, "quarantine");
	s->conflicts = store_sync_count(c->st, "conflicts");
	if (store_setting_get(c->st, "central.url", s->url, sizeof s->url) != 0)
		s->url[0] = 0;
	char shown[1024];
	central_display_url(s->url, shown, sizeof shown);
	snprintf(s->url, sizeof s->url, "%s", shown);
	return 0;
}

/* ---- bundles: office side ---------------------------------------------------------------- */

struct exportctx { struct bundle_writer *w; int64_t last; int64_t n; int failed; int64_t to; };

static int export_one(const struct event *ev, void *ctx)
{
	struct exportctx *x = ctx;
	if (ev->seq > x->to) /* written after the header's range was taken: the next bundle */
		return 1;
	if (bundle_put_event(x->w, ev, ev->seq)) {
		x->failed = 1;
		return 1;
	}
	x->last = ev->seq;
	x->n++;
	return 0;
}

#define EXPORTED_TO "sync.exported_to"

/* the highest own event ever put in a bundle (setting sync.exported_to) */
static int64_t exported_to(struct core *c)
{
	char buf[32];
	return store_setting_get(c->st, EXPORTED_TO, buf, sizeof buf) == 0 ? atoll(buf) : 0;
}

static int export_note(struct core *c, int64_t to, struct err *e)
{
	char buf[32];
	if (to <= exported_to(c))
		return 0;
	snprintf(buf, sizeof buf, "%lld", (long long)to);
	int rc = store_begin(c->st, e);
	if (!rc && ((rc = store_setting_set(c->st, EXPORTED_TO, buf, e)) || (rc = store_commit(c->st, e))))
		store_rollback(c->st);
	return rc;
}

static int export_bundle(struct core *c, const char *path, int64_t *count, struct err *e)
{
	struct sync_state_row s;
	if (sync_open(c, &s, e))
		return e->code;
	int64_t last = 0;
	store_sync_pending_count(c->st, c->office.agency_code, s.push_seq, &last);
	struct bundle_header h;
	memset(&h, 0, sizeof h);
	snprintf(h.kind, sizeof h.kind, "events");
	snprintf(h.office, sizeof h.office, "%s", c->office.agency_code);
	h.schema = CENTRAL_SCHEMA;
	h.created = core_now(c);
	h.from = s.push_seq + 1;
	h.to = last > s.push_seq ? last : s.push_seq;
	h.cursor = s.pull_cursor;
	h.ref_version = s.ref_version;
	h.own = s.pull_own;
	struct storekey key;
	if (storekey_own(c->st, c->office.agency_code, core_now(c), &key, e))
		return e->code;
	struct bundle_writer *w = bundle_create(path, &h, e);
	if (!w) {
		storekey_free(&key);
		return e->code;
	}
	bundle_sign_with(w, &key);
	/* the events of the header's range, and only those */
	struct exportctx x = {w, s.push_seq, 0, 0, h.to};
	while (!x.failed) {
		int64_t before = x.n;
		store_sync_pending(c->st, c->office.agency_code, x.last, SYNC_BATCH, export_one, &x);
		if (x.n - before < SYNC_BATCH || x.last >= h.to)
			break;
	}
	if (x.failed) {
		bundle_abort(w);
		storekey_free(&key);
		return err_set(e, MC_IO, "cannot write the bundle %s", path);
	}
	int rc = bundle_finish(w, 0, e);
	storekey_free(&key);
	if (rc)
		return rc;
	/* a reply may acknowledge no more than what was sent */
	if ((rc = export_note(c, h.to, e)))
		return rc;
	if (count)
		*count = x.n;
	return 0;
}

/* a bundle's header names the push and pull cursors a running sync would move under
 * it: one at a time (sync_lock.h) */
int sync_export(struct core *c, const char *path, int64_t *count, struct err *e)
{
	int rc = sync_lock(c, 0, NULL, NULL, e);
	if (rc)
		return rc;
	rc = export_bundle(c, path, count, e);
	sync_unlock(c);
	return rc;
}

/* A reply is checked whole before anything of it is applied: signed by the central
 * this office knows (the first one, by an office that knows none yet, sets it:
 * *tofu), and even then it may acknowledge only events this office put in a bundle
 * and never take the pull cursor past central's log as it was when central wrote it,
 * nor carry an event beyond that cursor. */
static int reply_check(struct core *c, struct bundle_reader *br, const struct bundle_header *h, const char *path, int *tofu,
		       struct err *e)
{
	*tofu = 0;
	if (!h->sig_ok)
		return err_set(e, MC_DENIED, "the reply %s is not signed by central (its signature is missing or wrong): nothing was"
			       " applied", path);
	if (!store_known_central_any(c->st))
		*tofu = 1;
	else if (!store_known_key_has(c->st, h->signer, h->pub, 1))
		return err_set(e, MC_DENIED, "the reply %s is signed by a key that is not central's (signer %.32s): nothing was applied",
			       path, h->signer);
	int64_t sent = exported_to(c);
	if (h->ack > sent)
		return err_set(e, MC_INVALID, "the reply %s acknowledges this office's events up to %lld but no bundle carried any"
			       " after %lld: nothing was applied", path, (long long)h->ack, (long long)sent);
	if (h->cursor_to > h->head || h->cursor_to < h->cursor)
		return err_set(e, MC_INVALID, "the reply %s would move the pull cursor to %lld, outside central's log as it was"
			       " (%lld to %lld): nothing was applied", path, (long long)h->cursor_to, (long long)h->cursor,
			       (long long)h->head);
	struct bundle_item it;
	int64_t n = 0;
	int rc = 0;
	for (;;) {
		int got = bundle_next(br, &it, e);
		if (got != 0 && got != 1)
			return got;
		if (got == 0)
			break;
		if (it.type == 'e' && (++n, it.ev.seq > h->cursor_to))
			rc = err_set(e, MC_INVALID, "the reply %s carries an event at log position %lld, past its own end (%lld):"
				     " nothing was applied", path, (long long)it.ev.seq, (long long)h->cursor_to);
		bundle_item_clear(&it);
		if (rc)
			return rc;
	}
	if (n != h->count)
		return err_set(e, MC_INVALID, "the reply %s holds %lld events but says %lld: nothing was applied", path,
			       (long long)n, (long long)h->count);
	return 0;
}

static int import_reply(struct core *c, const char *path, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	struct bundle_header h;
	struct sync_state_row s;
	struct sigs g = {0};
	memset(r, 0, sizeof *r);
	if (sync_open(c, &s, e))
		return e->code;
	struct bundle_reader *br = bundle_open(path, &h, e);
	if (!br)
		return e->code;
	int rc = 0, size = o && o->batch > 0 ? o->batch : SYNC_BATCH;
	struct batch b = {calloc((size_t)size, sizeof(struct event)), 0, size};
	json_t *refs = json_array();
	if (!b.ev || !refs) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	if (strcmp(h.kind, "reply")) {
		rc = err_set(e, MC_INVALID, "%s is a bundle of kind '%.16s', not a reply from central: give it to 'motcua central import'", path, h.kind);
		goto out;
	}
	if (strcmp(h.office, c->office.agency_code)) {
		rc = err_set(e, MC_INVALID, "%s is a reply for office %.32s, not for this office (%s)", path, h.office, c->office.agency_code);
		goto out;
	}
	if (h.schema != CENTRAL_SCHEMA) {
		rc = h.schema > CENTRAL_SCHEMA
			? err_set(e, MC_VERSION, "schema version mismatch: the reply has schema %d, this motcua knows %d: upgrade motcua at this office", h.schema, CENTRAL_SCHEMA)
			: err_set(e, MC_VERSION, "schema version mismatch: the reply has schema %d, this motcua needs %d: upgrade central", h.schema, CENTRAL_SCHEMA);
		goto out;
	}
	if (h.cursor > s.pull_cursor) {
		rc = err_set(e, MC_STATE, "%s continues from central log position %lld but this office has applied only up to %lld:"
			     " import the earlier reply first, or export a new bundle", path, (long long)h.cursor, (long long)s.pull_cursor);
		goto out;
	}
	int tofu = 0;
	if ((rc = reply_check(c, br, &h, path, &tofu, e)) || (rc = bundle_rewind(br, e)))
		goto out;
	/* the first reply of an office that knows no central key yet: its signer is
	 * central from now on (only central's reference data can change that) */
	if (tofu && ((rc = store_begin(c->st, e)) || (rc = store_known_key_put(c->st, h.signer, h.pub, 1, 0, e)) ||
		     (rc = store_commit(c->st, e)))) {
		store_rollback(c->st);
		goto out;
	}
	struct bundle_item it;
	int64_t done = 0, lastpos = s.pull_cursor;
	int refs_done = 0;
	for (;;) {
		int got = bundle_next(br, &it, e);
		if (got != 0 && got != 1) {
			rc = got;
			break;
		}
		if (got == 1 && it.type == 'r') {
			json_array_append_new(refs, json_pack("{s:s, s:s, s:s}", "kind", it.rkind, "key", it.rkey, "doc", it.doc));
			bundle_item_clear(&it);
			continue;
		}
		if (!refs_done) {
			refs_done = 1;
			if (json_array_size(refs) && h.ref_version > s.ref_version) {
				if ((rc = sync_apply_ref(c, refs, h.ref_version, e)))
					break;
				r->ref_applied = 1;
			}
			sync_sigs_load(c, &g); /* with the keys the reply's reference data brought */
		}
		if (got == 1 && it.type == 'e') {
			b.ev[b.n++] = it.ev; /* takes the payload */
			it.ev.payload = NULL;
		}
		bundle_item_clear(&it);
		if (b.n == size || (got == 0 && b.n)) {
			int64_t last = b.ev[b.n - 1].seq;
			if (last > lastpos)
				lastpos = last;
			if ((rc = sync_apply_checked(c, &g, b.ev, b.n, lastpos, 0, r, e)))
				break;
			done += b.n;
			batch_clear(&b);
			if (o && o->progress)
				o->progress(o->ctx, "import", done, h.count);
		}
		if (got == 0)
			break;
	}
	/* the reply went up to central's head: caught up if it carried own events too */
	if (!rc && (rc = sync_apply_batch(c, &g, b.ev, NULL, 0, h.cursor_to > lastpos ? h.cursor_to : lastpos, h.own, r, e)) == 0 &&
	    h.cursor_to > lastpos)
		lastpos = h.cursor_to;
	if (!rc) {
		if ((rc = store_begin(c->st, e)) || (rc = store_sync_set_push(c->st, h.ack, e)) || (rc = store_commit(c->st, e)))
			store_rollback(c->st);
	}
	if (!rc)
		store_sync_note(c->st, 1, NULL, core_now(c), 0, r->pulled);
out:
	batch_clear(&b);
	free(b.ev);
	json_decref(refs);
	bundle_close(br);
	sync_sigs_free(&g);
	return rc;
}

int sync_import_reply(struct core *c, const char *path, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	int rc = sync_lock_opts(c, o, e);
	if (rc)
		return rc;
	rc = import_reply(c, path, o, r, e);
	sync_unlock(c);
	return rc;
}
