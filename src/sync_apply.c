/* sync_apply.c - how a foreign event enters an office's store, whichever way it came
 * (a pull from either backend, a reply bundle, a dossier taken whole from central):
 * checked against the keys of the offices this store knows, applied with the cursor
 * after it in one local transaction, quarantined when it cannot be; the projection
 * that follows a dossier's kept line (from its first event or its snapshot base), the
 * conflict queue and its resolution, and reference data applied.  Talking to central
 * (push, pull, snapshot, fetch, bundles) is sync.c's.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "snapshot.h"
#include "sync_apply.h"

/* a dossier's local events and its snapshot base, if it has one (0, or MC_STORE) */
static int local_events(struct core *c, const char *code, struct history *l)
{
	l->has_base = store_snapshot_base_get(c->st, code, 1, &l->base) == 0;
	return store_events_of(c->st, code, history_add, l) ? MC_STORE : 0;
}

/* ---- the projection ---------------------------------------------------------------- */

/* The row follows the kept line from the dossier's first event, or, for a dossier
 * taken from central's snapshot, from its base: the base state with the line's
 * events after the base head applied on top. */
int sync_projection(struct core *c, const char *code, int *opened, struct err *e)
{
	struct snapshot_base probe;
	int based = store_snapshot_base_get(c->st, code, 0, &probe) == 0;
	if (!based && !store_sync_forked(c->st, code))
		return dossier_rebuild(c, code, e);
	struct history l = {0};
	struct dossier *d = calloc(1, sizeof *d), *old = malloc(sizeof *old);
	int *line = NULL, heads[8], rc = 0;
	if (!d || !old || local_events(c, code, &l)) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	int nh = history_heads(&l, c->office.agency_code, heads, 8);
	line = malloc(((size_t)l.n + 1) * sizeof *line);
	int n = nh > 0 && line ? history_line(&l, heads[0], line) : -1;
	if (n <= 0) {
		rc = err_set(e, MC_INVALID, "dossier %s: its event chain is broken; see 'motcua audit verify %s'", code, code);
		goto out;
	}
	int from = 0;
	if (l.has_base && l.ev[line[0]].has_prev) {
		if ((rc = snapshot_state_load(c->st, l.base.state, d, e)))
			goto out;
		from = 1; /* the base head event is in the base state */
	}
	for (int i = from; i < n && !rc; i++)
		rc = dossier_apply(c->st, d, &l.ev[line[i]], e);
	if (rc)
		goto out;
	int exists = store_dossier_get(c->st, code, old) == 0;
	d->conflict = nh > 1;
	if (exists) {
		d->id = old->id;
		rc = store_dossier_update(c->st, d, e);
		if (!rc && d->office_id != old->office_id)
			rc = store_dossier_move(c->st, d->id, d->office_id, e);
	} else {
		rc = store_sync_dossier_insert(c->st, d, e);
	}
	if (rc)
		goto out;
	if (d->conflict) {
		if (opened && (!exists || !old->conflict))
			(*opened)++;
		rc = store_sync_conflict_mark(c->st, code, 1, core_now(c), NULL, NULL, e);
	} else {
		/* the decision on the kept line closes the queue row */
		const struct event *dec = NULL;
		for (int i = 0; i < n; i++)
			if (!strcmp(l.ev[line[i]].kind, SYNC_RESOLVED_KIND))
				dec = &l.ev[line[i]];
		if (dec) {
			json_t *p = json_loads(dec->payload, 0, NULL);
			rc = store_sync_conflict_mark(c->st, code, 0, dec->at, dec->actor, jstr(p, "keep"), e);
			json_decref(p);
		}
	}
out:
	history_free(&l);
	free(line);
	free(d);
	free(old);
	return rc;
}

int sync_project(struct core *c, const char *code, struct err *e) { return sync_projection(c, code, NULL, e); }

struct clist { struct core *c; sync_conflict_cb cb; void *ctx; struct err *e; };

static int conflict_row(const char *code, int64_t detected, void *ctx)
{
	struct clist *cl = ctx;
	struct history l = {0};
	struct sync_conflict k;
	int heads[8];
	memset(&k, 0, sizeof k);
	snprintf(k.code, sizeof k.code, "%s", code);
	k.detected_at = detected;
	int rc = local_events(cl->c, code, &l);
	if (!rc) {
		int nh = history_heads(&l, cl->c->office.agency_code, heads, 8);
		history_conflict(&l, heads, nh < 0 ? 0 : nh, &k);
		rc = cl->cb(&k, cl->ctx);
	}
	history_free(&l);
	return rc;
}

int sync_conflicts(struct core *c, sync_conflict_cb cb, void *ctx, struct err *e)
{
	struct clist cl = {c, cb, ctx, e};
	int rc = store_sync_conflict_rows(c->st, conflict_row, &cl);
	if (rc && !e->code)
		err_set(e, rc, "cannot read the conflict queue");
	return rc;
}

int sync_resolve(struct core *c, const char *code, const char *keep_id, struct err *e)
{
	if (!(c->actor.roles & ROLE_SUPERVISOR))
		return err_set(e, MC_DENIED, "resolving a conflict needs the role supervisor");
	struct history l = {0};
	struct event ev;
	int heads[8], rc;
	memset(&ev, 0, sizeof ev);
	if ((rc = store_begin(c->st, e)))
		return rc;
	if (local_events(c, code, &l)) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto fail;
	}
	if (!l.n) {
		rc = err_set(e, MC_NOTFOUND, "no dossier with code '%.60s' in this store", code);
		goto fail;
	}
	int nh = history_heads(&l, c->office.agency_code, heads, 8);
	if (nh < 2) {
		rc = err_set(e, MC_STATE, "dossier %s is not in conflict", code);
		goto fail;
	}
	int kept = -1;
	if ((rc = history_kept_head(&l, heads, nh, code, keep_id, "motcua conflicts", &kept, e)))
		goto fail;
	/* a line that sends the dossier elsewhere (central re-routed it while this
	 * office worked on it) is central's to decide: it sees every office's steps */
	for (int h = 0; h < nh; h++) {
		char r[32];
		history_route(&l, heads[h], r);
		if (r[0] && strcmp(r, c->office.agency_code)) {
			rc = err_set(e, MC_STATE, "dossier %s: one line sends it to office %s (central re-routed it while it was worked on"
				     " here); central decides this conflict: 'motcua central conflicts resolve %s --keep EVENT-ID'",
				     code, r, code);
			goto fail;
		}
	}
	json_t *discard = json_array();
	for (int h = 0; h < nh; h++)
		if (heads[h] != kept)
			json_array_append_new(discard, json_string(l.ev[heads[h]].id));
	json_t *pl = json_pack("{s:s, s:o, s:s}", "keep", l.ev[kept].id, "discard", discard, "chosen", keep_id);
	event_make(&ev, code, l.ev[kept].dseq + 1, SYNC_RESOLVED_KIND, c->os_account, c->actor.account, core_now(c),
		   c->office.agency_code, pl, l.ev[kept].hash);
	json_decref(pl);
	if (!ev.payload) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto fail;
	}
	if ((rc = storekey_sign_event(c->st, c->office.agency_code, core_now(c), &ev, e)) ||
	    (rc = store_event_append(c->st, &ev, e)) || (rc = sync_projection(c, code, NULL, e)) || (rc = store_commit(c->st, e)))
		goto fail;
	event_clear(&ev);
	history_free(&l);
	return 0;
fail:
	store_rollback(c->st);
	event_clear(&ev);
	history_free(&l);
	return rc;
}

/* ---- office: checking foreign events' signatures ------------------------------------
 * Every foreign event is checked against the keys of the stores this store knows (its
 * own and those reference data brought: storekey.h), whichever way it came: a pull
 * from either backend, a reply bundle, a dossier fetched whole.  Central checked it at
 * ingest too, but this store does not rely on that: on PostgreSQL that check runs in
 * the pushing office's own process, and whoever holds an office's credentials can
 * write rows through c_ingest() without it; central's log also holds events from
 * before it checked signatures, and whoever can write its database directly can alter
 * any.  An office would then take a forged event because another process said it was
 * good.  The check is made cheap instead: the key set is loaded once per pull or reply
 * (and again when reference data brings new keys), a batch is checked on every core
 * (storekey_set_check_many) while the one before it is applied, events this store
 * signed are checked without a verification (storekey_set_own), and events this store
 * holds already are not checked at all. */

void sync_sigs_load(struct core *c, struct sigs *g)
{
	g->nauthors = 0;
	storekey_set_free(&g->ks);
	g->ok = storekey_set_load(c->st, &g->ks) == 0;
	if (!g->ok)
		storekey_set_free(&g->ks);
}

void sync_sigs_free(struct sigs *g)
{
	storekey_set_free(&g->ks);
	g->ok = 0;
}

/* out[i] becomes the verdict of evs[i] once sync_sig_finish() returns (SIG_UNCHECKED for
 * the events this store holds already); the check runs on other threads meanwhile */
void sync_sig_start(struct core *c, struct sigs *g, const struct event *evs, int k, int *out, struct sigjob *j)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	for (int i = 0; i < k; i++)
		out[i] = SIG_UNCHECKED;
	if (!g->ok || k <= 0)
		return;
	j->evs = malloc((size_t)k * sizeof *j->evs);
	j->idx = malloc((size_t)k * sizeof *j->idx);
	j->got = malloc((size_t)k * sizeof *j->got);
	if (!j->evs || !j->idx || !j->got)
		return; /* each event is then checked as it is applied */
	for (int i = 0; i < k; i++)
		if (!store_sync_event_exists(c->st, evs[i].id)) {
			j->evs[j->n] = evs[i]; /* a shallow copy: the payload stays the batch's */
			j->idx[j->n++] = i;
		}
	j->job = storekey_set_check_start(&g->ks, j->evs, j->n, j->got);
}

void sync_sig_finish(struct sigjob *j)
{
	storekey_set_check_wait(j->job);
	if (j->got)
		for (int i = 0; i < j->n; i++)
			j->out[j->idx[i]] = j->got[i];
	free(j->evs);
	free(j->idx);
	free(j->got);
	memset(j, 0, sizeof *j);
}

/* an event against the keys of its office this store knows (v: its verdict, or
 * SIG_UNCHECKED): why is set when it is signed by none of them, or unsigned though
 * its office signs everything */
static void sig_problem(struct sigs *g, const struct event *ev, int v, char *why, size_t n)
{
	if (!g->ok) {
		snprintf(why, n, "the keys of the offices cannot be read here");
		return;
	}
	if (v == SIG_UNCHECKED)
		v = storekey_set_check(&g->ks, ev);
	if (v == STOREKEY_BAD)
		snprintf(why, n, "its signature is not by a key of office %.32s (the event was forged or altered)", ev->origin);
	else if (v == STOREKEY_UNSIGNED)
		snprintf(why, n, "it is not signed, though office %.32s signs every event it writes (a forged event)", ev->origin);
}

/* store_sync_author_ok(), remembering the authors it accepted */
static int author_ok(struct core *c, struct sigs *g, const char *actor, const char *origin)
{
	for (int i = 0; i < g->nauthors; i++)
		if (!strcmp(g->authors[i].actor, actor) && !strcmp(g->authors[i].origin, origin))
			return 1;
	if (!store_sync_author_ok(c->st, actor, origin))
		return 0;
	int i = g->nauthors < 16 ? g->nauthors++ : (int)((unsigned char)actor[0] % 16);
	snprintf(g->authors[i].actor, sizeof g->authors[i].actor, "%s", actor);
	snprintf(g->authors[i].origin, sizeof g->authors[i].origin, "%s", origin);
	return 1;
}

static void check_foreign(struct core *c, struct sigs *g, const struct event *ev, int v, char *why, size_t n)
{
	int pd;
	why[0] = 0;
	if (!event_hash_ok(ev))
		snprintf(why, n, "the hash does not match the event's content (altered or corrupted)");
	else if (!ev->has_prev && (ev->dseq != 1 || strcmp(ev->kind, "received")))
		snprintf(why, n, "a dossier's first event must be 'received' with dseq 1");
	else if (ev->has_prev && store_sync_find_hash(c->st, ev->dossier_code, ev->prev_hash, &pd))
		snprintf(why, n, store_sync_hash_quarantined(c->st, ev->prev_hash) ? "its previous event is quarantined"
			 : "its previous event is not in this store (broken chain)");
	else if (ev->has_prev && pd != ev->dseq - 1)
		snprintf(why, n, "dseq %d does not follow its previous event (dseq %d)", ev->dseq, pd);
	else if (!author_ok(c, g, ev->actor, ev->origin))
		snprintf(why, n, "actor '%.40s' is not a user of office %.32s known here", ev->actor, ev->origin);
	else
		sig_problem(g, ev, v, why, n);
}

/* ---- office: applying foreign events ------------------------------------------------ */

/* an event of a dossier taken from central's snapshot: 1 if the base state holds it
 * already (central's log position at or below the one the snapshot row covered);
 * otherwise 0, with why set when it changes a step older than the base (a fork before
 * it: the older history is needed first, see fetch_history) */
int sync_covered_by_base(struct core *c, const struct event *ev, char *why, size_t n)
{
	struct snapshot_base b;
	why[0] = 0;
	if (store_snapshot_base_get(c->st, ev->dossier_code, 0, &b))
		return 0;
	if (ev->seq > 0 && ev->seq <= b.pos)
		return 1;
	if (ev->dseq <= b.dseq)
		snprintf(why, n, "it changes step %d of a dossier this store took from central's snapshot at step %d:"
			 " its older steps are only at central ('motcua sync fetch %.48s')", ev->dseq, b.dseq, ev->dossier_code);
	return 0;
}

#define NEED_CAREFUL (-100)
/* a pulled event under the id of another event this store holds: a PostgreSQL central
 * keeps ids unique only with their dossier and dseq, so it may hold one twice, and the
 * event must not pass for one the store has (it would be lost without a word) */
#define ID_TAKEN "its id is another event's that this store holds (central holds the id twice)"

/* 1 if this store holds ev already (skip it); else 0, with why set when ev may not be
 * taken (its id is another event's here, or check_foreign's reason) */
int sync_held_or_checked(struct core *c, struct sigs *g, struct event *ev, int sig, char *why, size_t n)
{
	int held = store_sync_event_held(c->st, ev);
	if (held > 0)
		return 1;
	if (held < 0)
		snprintf(why, n, "%s", ID_TAKEN);
	else
		check_foreign(c, g, ev, sig, why, n);
	return 0;
}

static int apply_pass(struct core *c, struct sigs *g, struct event *evs, const int *sigv, int k, int64_t cursor_after,
		      int caught_up, int careful, struct sync_result *r, struct err *e)
{
	char why[256];
	char (*touched)[CODE_LEN] = calloc((size_t)k + 1, sizeof *touched);
	int nt = 0, rc;
	struct sync_result local = {0};
	if (!touched)
		return err_set(e, MC_STORE, "out of memory");
	if ((rc = store_begin(c->st, e)))
		goto out;
	for (int i = 0; i < k; i++) {
		struct event ev = evs[i];
		int held = store_sync_event_held(c->st, &ev);
		if (held > 0 || sync_covered_by_base(c, &ev, why, sizeof why) == 1) {
			local.pull_dup++;
			continue;
		}
		if (held < 0)
			snprintf(why, sizeof why, "%s", ID_TAKEN);
		if (!why[0])
			check_foreign(c, g, &ev, sigv ? sigv[i] : SIG_UNCHECKED, why, sizeof why);
		if (!why[0] && careful) {
			struct err pe = {0};
			int opened1 = 0;
			if (store_begin(c->st, &pe) == 0) {
				if (store_event_append(c->st, &ev, &pe) == 0 && sync_projection(c, ev.dossier_code, &opened1, &pe) == 0 &&
				    store_commit(c->st, &pe) == 0) {
					local.pulled++;
					local.conflicts += opened1;
					continue;
				}
				store_rollback(c->st);
			}
			snprintf(why, sizeof why, "cannot be applied here: %.200s", pe.msg);
		} else if (!why[0]) {
			if ((rc = store_event_append(c->st, &ev, e)))
				goto fail;
			local.pulled++;
			int seen = 0;
			for (int t = nt - 1; t >= 0 && !seen; t--)
				seen = !strcmp(touched[t], ev.dossier_code);
			if (!seen)
				snprintf(touched[nt++], CODE_LEN, "%s", ev.dossier_code);
			continue;
		}
		if ((rc = store_sync_quarantine(c->st, &ev, why, core_now(c), e)))
			goto fail;
		local.quarantined++;
	}
	int opened = 0;
	for (int t = 0; t < nt; t++)
		if (sync_projection(c, touched[t], &opened, e)) {
			rc = NEED_CAREFUL;
			goto fail;
		}
	local.conflicts += opened;
	if ((rc = store_sync_set_pull(c->st, cursor_after, e)) || (caught_up && (rc = store_sync_caught_up(c->st, e))) ||
	    (rc = store_commit(c->st, e)))
		goto fail;
	r->pulled += local.pulled;
	r->pull_dup += local.pull_dup;
	r->quarantined += local.quarantined;
	r->conflicts += local.conflicts;
	goto out;
fail:
	store_rollback(c->st);
out:
	free(touched);
	return rc;
}

/* one batch of foreign events and the cursor after it, in one local transaction; if a
 * dossier cannot be projected, the batch is redone one event at a time and the events
 * that cannot be applied are quarantined instead of blocking the rest */
int sync_apply_batch(struct core *c, struct sigs *g, struct event *evs, const int *sigv, int k, int64_t cursor_after,
		       int caught_up, struct sync_result *r, struct err *e)
{
	int rc = apply_pass(c, g, evs, sigv, k, cursor_after, caught_up, 0, r, e);
	if (rc == NEED_CAREFUL)
		rc = apply_pass(c, g, evs, sigv, k, cursor_after, caught_up, 1, r, e);
	return rc;
}

/* sync_apply_batch() with the batch's signatures checked first, on every core */
int sync_apply_checked(struct core *c, struct sigs *g, struct event *evs, int k, int64_t cursor_after,
			 int caught_up, struct sync_result *r, struct err *e)
{
	int *sigv = k > 0 ? malloc((size_t)k * sizeof *sigv) : NULL;
	struct sigjob j;
	if (sigv) {
		sync_sig_start(c, g, evs, k, sigv, &j);
		sync_sig_finish(&j);
	}
	int rc = sync_apply_batch(c, g, evs, sigv, k, cursor_after, caught_up, r, e);
	free(sigv);
	return rc;
}


/* apply reference rows [{kind, key, doc}] and the version in one local transaction */
int sync_apply_ref(struct core *c, json_t *rows, int64_t version, struct err *e)
{
	size_t i;
	json_t *row;
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	json_array_foreach(rows, i, row) {
		json_t *doc = json_loads(jstr(row, "doc"), 0, NULL);
		rc = store_sync_ref_apply(c->st, jstr(row, "kind"), doc, e);
		json_decref(doc);
		if (rc) {
			store_rollback(c->st);
			return rc;
		}
	}
	if ((rc = store_sync_set_ref(c->st, version, e)) || (rc = store_commit(c->st, e))) {
		store_rollback(c->st);
		return rc;
	}
	return core_reload(c, e);
}
