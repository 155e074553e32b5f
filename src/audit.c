/* audit.c - walking the per-dossier hash chains (see audit.h).  A dossier taken from
 * central's snapshot (snapshot.h) has only the events from its base head on: its chain
 * may start at that recorded base (same dseq and hash) instead of at dseq 1. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit.h"
#include "audit_checkpoint.h"
#include "i18n.h"
#include "dossier.h"
#include "event.h"
#include "history.h"
#include "snapshot.h"
#include "storekey.h"
#include "store_audit.h"
#include "store_security.h"

void audit_chain_reset(struct audit_chain *ch) { ch->n = 0; }

void audit_chain_free(struct audit_chain *ch)
{
	free(ch->hashes);
	memset(ch, 0, sizeof *ch);
}

int audit_chain_has(const struct audit_chain *ch, const unsigned char hash[32])
{
	/* newest first: a chain almost always links to its last event */
	for (size_t i = ch->n; i-- > 0;)
		if (memcmp(ch->hashes[i], hash, 32) == 0)
			return 1;
	return 0;
}

static int chain_push(struct audit_chain *ch, const struct event *ev, char *what, size_t n)
{
	if (ch->n == ch->cap) {
		size_t cap = ch->cap ? ch->cap * 2 : 16;
		void *p = realloc(ch->hashes, cap * 32);
		if (!p) {
			snprintf(what, n, "%s", _("out of memory"));
			return -1;
		}
		ch->hashes = p;
		ch->cap = cap;
	}
	memcpy(ch->hashes[ch->n++], ev->hash, 32);
	return 0;
}

/* audit_chain_add with the hash already checked (hash_ok) */
static int chain_add_checked(struct audit_chain *ch, const struct event *ev, int hash_ok, char *what, size_t n)
{
	if (!hash_ok) {
		snprintf(what, n, _("its content does not match its hash (the event was edited)"));
		return -1;
	}
	if (ch->n == 0 && ev->has_prev) {
		snprintf(what, n, _("it is the first event but links to a previous one (earlier events were removed)"));
		return -1;
	}
	if (ch->n > 0 && !ev->has_prev) {
		snprintf(what, n, _("it has no link to the previous event (a second chain start was inserted)"));
		return -1;
	}
	if (ch->n > 0 && !audit_chain_has(ch, ev->prev_hash)) {
		char hx[65];
		hex_encode(ev->prev_hash, 8, hx);
		snprintf(what, n, _("its previous hash %s... matches no earlier event (an earlier event was edited or removed)"), hx);
		return -1;
	}
	return chain_push(ch, ev, what, n);
}

int audit_chain_add(struct audit_chain *ch, const struct event *ev, char *what, size_t n)
{
	return chain_add_checked(ch, ev, event_hash_ok(ev), what, n);
}

void audit_format(const struct audit_problem *p, char *buf, size_t n)
{
	if (!p->code[0])
		snprintf(buf, n, "%s", p->what);
	else if (p->event_id[0])
		snprintf(buf, n, _("dossier %s: event %s (#%d): %s"), p->code, p->event_id, p->dseq, p->what);
	else
		snprintf(buf, n, _("dossier %s: %s"), p->code, p->what);
}

/* the first field where a row differs from the replay of its events, or NULL */
static const char *projection_diff(const struct dossier *row, const struct dossier *d)
{
	const char *f = NULL;
#define DIFF(x) else if (row->x != d->x) f = #x;
#define SDIFF(x) else if (strcmp(row->x, d->x)) f = #x;
	if (0) {}
	SDIFF(code) DIFF(office_id) DIFF(procedure_id) DIFF(channel) DIFF(status) DIFF(stage)
	DIFF(prev_stage) DIFF(applicant_kind) SDIFF(applicant_name) SDIFF(applicant_idno)
	SDIFF(applicant_phone) SDIFF(applicant_address) DIFF(components) DIFF(received_at)
	DIFF(accepted_at) DIFF(due_at) DIFF(orig_due_at) DIFF(step_due_at) DIFF(paused_at)
	DIFF(remaining) DIFF(dept_id) DIFF(assignee_id) DIFF(decision) SDIFF(note) DIFF(resolved_at)
	DIFF(returned_at) DIFF(rating) SDIFF(collected_by) DIFF(apology) DIFF(version)
	else if (memcmp(row->chain_head, d->chain_head, 32)) f = "chain_head";
#undef DIFF
#undef SDIFF
	return f;
}

/* codes seen per "AGENCY-YYMMDD" prefix, to account for every number the daily
 * counters gave out (a few thousand days: small) */
struct day_tally { char prefix[CODE_LEN]; int count, maxseq; };

struct walk {
	struct store *store;
	struct audit_chain ch;
	struct audit_problem first, cur;
	int broken;                  /* the current dossier already has a problem */
	int64_t nev;                 /* events of the current dossier */
	int forked;                  /* two places extended it (sync conflict): the row follows one line */
	int64_t last_dseq;
	int base_dseq;               /* the chain starts at a snapshot base at this dseq (0: at 1) */
	struct dossier d;            /* the dossier replayed from its events so far */
	int replay_off;              /* no comparable replay: a fork, or a base state that does not load */
	char replay_err[256];        /* why an event could not be replayed ("" if all could) */
	struct day_tally *days;
	size_t ndays, capdays;
	char day[11];                /* the day of a missing dossier's counter */
	int full;                    /* every dossier: replay each (one dossier: audit_projection does) */
	struct storekey_set keys;    /* the stores' keys this store knows, its own too */
	struct wnode { unsigned char hash[32], prev[32]; int has_prev, sig; char origin[32], route[32]; } *nodes;
	size_t nnodes, capnodes;     /* the current dossier's events as the signature check needs them */
	struct audit_cp cp;          /* the checkpoint: which signatures need no check (audit_checkpoint.h) */
	/* two chunks of dossiers: one filled from the store while the other's hashes and
	 * signatures are checked in the background (struct chunk below) */
	struct chunk *ck[2];
	int fill;                    /* the chunk being filled */
	int busy;                    /* the chunk being checked (-1: none) */
	pthread_t checker;
	int oom;
	int cp_what;                 /* w->cur holds the checkpoint's problem */
	audit_cb cb;
	void *ctx;
	struct audit_stats st;
};

static int report(struct walk *w)
{
	if (w->st.broken == 0)
		w->first = w->cur;
	w->st.broken++;
	w->broken = 1;
	return w->cb ? w->cb(&w->cur, w->ctx) : 0;
}

/* ev, which links into the chain, applied to the replayed dossier */
static void replay_event(struct walk *w, const struct event *ev)
{
	if (w->forked)
		w->replay_off = 1;  /* the row follows the line a supervisor kept (see sync_apply.c) */
	if (!w->full || w->replay_off || w->replay_err[0] || ev->dseq <= w->base_dseq)
		return;
	struct err e = {0};
	if (dossier_apply(w->store, &w->d, ev, &e))
		snprintf(w->replay_err, sizeof w->replay_err, "%s", e.msg);
}

static struct wnode *node_of(struct walk *w, const unsigned char hash[32])
{
	for (size_t i = w->nnodes; i-- > 0;)
		if (!memcmp(w->nodes[i].hash, hash, 32))
			return &w->nodes[i];
	return NULL;
}

/* may this line's first event stand at a fork after an event routed to route? */
static int fork_line_ok(struct walk *w, const struct wnode *n, const char *route)
{
	return n->sig == STOREKEY_SIGNED &&
	       (!route[0] || !strcmp(n->origin, route) || storekey_set_any(&w->keys, n->origin, 1));
}

/* what the walk needs of an event that does not depend on the others: worked out for a
 * chunk at a time on every core (prepare_many) */
struct prep {
	int hash_ok;      /* event_hash_ok */
	int sig;          /* storekey_set_check's answer */
	char route[32];   /* the office it routes the dossier to (history_route_key), "" if none */
};

static void prepare(const struct event *ev, struct prep *p)
{
	const char *key = history_route_key(ev);
	p->hash_ok = event_hash_ok(ev);
	p->route[0] = 0;
	if (key) {
		json_t *j = json_loads(ev->payload ? ev->payload : "", 0, NULL);
		if (jstr(j, key)[0])
			snprintf(p->route, sizeof p->route, "%s", jstr(j, key));
		json_decref(j);
	}
}

/* ev, which links into the chain: its signature (p->sig), and whether a fork it opens
 * stands; 0, or a problem in w->cur.what */
static int sig_check(struct walk *w, const struct event *ev, const struct prep *pr)
{
	int v = pr->sig;
	if (v == STOREKEY_BAD) {
		snprintf(w->cur.what, sizeof w->cur.what, _("its signature is not by a key of office %s (the event was forged or altered)"),
			 ev->origin);
		return -1;
	}
	if (v == STOREKEY_UNSIGNED) {
		snprintf(w->cur.what, sizeof w->cur.what, _("it is not signed, though office %s signs every event it writes (a forged event)"),
			 ev->origin);
		return -1;
	}
	if (v == STOREKEY_BEFORE)
		w->st.unsigned_old++;
	if (w->nnodes == w->capnodes) {
		size_t cap = w->capnodes ? w->capnodes * 2 : 16;
		void *p = realloc(w->nodes, cap * sizeof *w->nodes);
		if (!p) {
			snprintf(w->cur.what, sizeof w->cur.what, "%s", _("out of memory"));
			return -1;
		}
		w->nodes = p;
		w->capnodes = cap;
	}
	struct wnode *n = &w->nodes[w->nnodes], *parent = ev->has_prev ? node_of(w, ev->prev_hash) : NULL, *sib = NULL;
	memset(n, 0, sizeof *n);
	memcpy(n->hash, ev->hash, 32);
	memcpy(n->prev, ev->prev_hash, 32);
	n->has_prev = ev->has_prev;
	n->sig = v;
	snprintf(n->origin, sizeof n->origin, "%s", ev->origin);
	/* the office its line routes the dossier to from here on (history.h) */
	if (parent)
		memcpy(n->route, parent->route, sizeof n->route);
	if (pr->route[0])
		memcpy(n->route, pr->route, sizeof n->route);
	for (size_t i = 0; i < w->nnodes && ev->has_prev && !sib; i++)
		if (w->nodes[i].has_prev && !memcmp(w->nodes[i].prev, ev->prev_hash, 32))
			sib = &w->nodes[i];
	w->nnodes++;
	if (!sib || (n->sig == STOREKEY_BEFORE && sib->sig == STOREKEY_BEFORE))
		return 0;
	const char *route = parent ? parent->route : "";
	if (fork_line_ok(w, n, route) && fork_line_ok(w, sib, route) &&
	    (strcmp(n->origin, sib->origin) || storekey_set_any(&w->keys, n->origin, 1)))
		return 0;
	snprintf(w->cur.what, sizeof w->cur.what, _("it forks the dossier's history after step %d, but the two lines are not both signed by different offices that could write the dossier then (a forged fork)"),
		 ev->dseq - 1);
	return -1;
}

/* the next event of the dossier (pr: what was worked out of it on every core) */
static int walk_event(struct walk *w, const struct event *ev, const struct prep *pr)
{
	w->st.events++;
	w->nev++;
	if (w->broken)
		return 0;          /* only the first broken link of a dossier is named */
	if (ev->has_prev && w->ch.n && memcmp(ev->prev_hash, w->ch.hashes[w->ch.n - 1], 32) != 0)
		w->forked = 1;
	/* the first event here links to older ones: only the recorded base head may */
	struct snapshot_base b;
	if (w->ch.n == 0 && ev->has_prev && pr->hash_ok &&
	    store_snapshot_base_get(w->store, ev->dossier_code, 0, &b) == 0 && b.dseq == ev->dseq &&
	    !memcmp(b.hash, ev->hash, 32)) {
		w->base_dseq = b.dseq;
		struct err e = {0};
		if (w->full && snapshot_replay_start(w->store, ev->dossier_code, &w->d, &e) != b.dseq)
			w->replay_off = 1;
		if (chain_push(&w->ch, ev, w->cur.what, sizeof w->cur.what) == 0 && sig_check(w, ev, pr) == 0)
			return 0;
	} else if (chain_add_checked(&w->ch, ev, pr->hash_ok, w->cur.what, sizeof w->cur.what) == 0 && sig_check(w, ev, pr) == 0) {
		replay_event(w, ev);
		return 0;
	}
	snprintf(w->cur.code, sizeof w->cur.code, "%s", ev->dossier_code);
	snprintf(w->cur.event_id, sizeof w->cur.event_id, "%s", ev->id);
	w->cur.dseq = ev->dseq;
	return report(w);
}

/* code "AGENCY-YYMMDD-NNNN" counted under its day's prefix (codes come in order, so a
 * prefix's codes come together) */
static void tally_code(struct walk *w, const char *code)
{
	const char *dash = strrchr(code, '-');
	size_t plen = dash ? (size_t)(dash - code) : 0;
	if (!dash || plen < 8 || plen >= CODE_LEN || code[plen - 7] != '-' || !dash[1] ||
	    strspn(dash + 1, "0123456789") != strlen(dash + 1) || strlen(dash + 1) > 9)
		return;
	int seq = atoi(dash + 1);
	struct day_tally *t = w->ndays ? &w->days[w->ndays - 1] : NULL;
	if (!t || strlen(t->prefix) != plen || memcmp(t->prefix, code, plen)) {
		if (w->ndays == w->capdays) {
			size_t cap = w->capdays ? w->capdays * 2 : 64;
			void *p = realloc(w->days, cap * sizeof *w->days);
			if (!p)
				return;
			w->days = p;
			w->capdays = cap;
		}
		t = &w->days[w->ndays++];
		memcpy(t->prefix, code, plen);
		t->prefix[plen] = 0;
		t->count = t->maxseq = 0;
	}
	t->count++;
	if (seq > t->maxseq)
		t->maxseq = seq;
}

/* after its events, the dossier's row (NULL: it has none) */
static int walk_dossier(struct walk *w, const char *code, const struct dossier *row)
{
	int rc = 0;
	int64_t older = w->base_dseq ? w->base_dseq - 1 : 0;   /* events before the base, at central */
	w->st.dossiers++;
	tally_code(w, code);
	if (!w->broken) {
		const char *f;
		snprintf(w->cur.code, sizeof w->cur.code, "%s", code);
		w->cur.event_id[0] = 0;
		w->cur.dseq = 0;
		w->cur.what[0] = 0;
		if (!row)
			snprintf(w->cur.what, sizeof w->cur.what, _("it has events but no row (the dossier row was deleted)"));
		else if (w->nev == 0)
			snprintf(w->cur.what, sizeof w->cur.what, _("the dossier has no events (its history was removed)"));
		else if (!audit_chain_has(&w->ch, row->chain_head))
			snprintf(w->cur.what, sizeof w->cur.what, _("its chain head matches none of its events (the last events were removed or the row was edited)"));
		else if (w->forked ? row->version > w->nev + older : row->version != w->nev + older)
			snprintf(w->cur.what, sizeof w->cur.what, _("it records %d events but %lld are stored (events were removed or added)"),
				 row->version, (long long)(w->nev + older));
		else if (w->full && !w->replay_off && w->replay_err[0])
			snprintf(w->cur.what, sizeof w->cur.what, _("its events cannot be replayed (%.200s)"), w->replay_err);
		else if (w->full && !w->replay_off && (f = projection_diff(row, &w->d)))
			snprintf(w->cur.what, sizeof w->cur.what, _("its row does not match its events (field %s was changed outside motcua)"), f);
		if (w->cur.what[0])
			rc = report(w);
	}
	audit_chain_reset(&w->ch);
	w->nnodes = 0;
	w->broken = 0;
	w->forked = 0;
	w->nev = 0;
	w->base_dseq = 0;
	w->replay_off = 0;
	w->replay_err[0] = 0;
	memset(&w->d, 0, sizeof w->d);
	return rc;
}

/* ---- chunks: hashes and signatures checked on every core ---------------------------- */

/* A chunk of dossiers as the store gave them: events (payloads in arena at payoff
 * offsets), then each dossier's row after its last event.  Once full, a checker
 * thread works out what each event needs that does not depend on the others (its hash,
 * its signature, its route: struct prep) on every core, while the walk reads the next
 * chunk and runs the rules of the one before; then the walk runs this chunk's rules in
 * store order (a fork's rule needs the signatures of both lines). */
struct chunk {
	struct event *bev;
	size_t *payoff;
	size_t nbev, capbev, cappay;
	char *arena;
	size_t narena, caparena;
	struct pend { size_t ev_end; int has_row; char code[CODE_LEN]; struct dossier row; } *bd;
	size_t nbd, capbd;
	struct prep *prep;           /* what prepare() found of each event */
	struct event *tocheck;       /* those whose signature is checked now */
	size_t *tidx;
	int *tres;
	size_t capprep, capcheck, captidx, captres;
	int64_t covered, checked;    /* signatures covered by the checkpoint, checked */
	int failed;                  /* out of memory */
	const struct walk *w;        /* for the checker: keys and checkpoint, read only */
};

enum { CHUNK_EVENTS = 8192, CHUNK_DOSSIERS = 2048 };  /* a row is ~10 KB */

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t cap2 = *cap ? *cap : 256;
	while (cap2 < need)
		cap2 *= 2;
	void *q = realloc(*p, cap2 * size);
	if (!q)
		return -1;
	*p = q;
	*cap = cap2;
	return 0;
}

static void chunk_free(struct chunk *k)
{
	if (!k)
		return;
	free(k->bev);
	free(k->payoff);
	free(k->arena);
	free(k->bd);
	free(k->prep);
	free(k->tocheck);
	free(k->tidx);
	free(k->tres);
	free(k);
}

static int on_event(const struct event *ev, void *ctx)
{
	struct walk *w = ctx;
	struct chunk *k = w->ck[w->fill];
	size_t plen = strlen(ev->payload ? ev->payload : "") + 1;
	if (grow((void **)&k->bev, &k->capbev, k->nbev + 1, sizeof *k->bev) ||
	    grow((void **)&k->payoff, &k->cappay, k->nbev + 1, sizeof *k->payoff) ||
	    grow((void **)&k->arena, &k->caparena, k->narena + plen, 1)) {
		w->oom = 1;
		return MC_STORE;
	}
	struct event *b = &k->bev[k->nbev];
	*b = *ev;
	b->payload = NULL;
	memcpy(k->arena + k->narena, ev->payload ? ev->payload : "", plen);
	k->payoff[k->nbev++] = k->narena;
	k->narena += plen;
	return 0;
}

struct prep_job { const struct event *evs; struct prep *out; size_t from, to; };

static void *prepare_run(void *arg)
{
	struct prep_job *j = arg;
	for (size_t i = j->from; i < j->to; i++)
		prepare(&j->evs[i], &j->out[i]);
	return NULL;
}

/* prepare() n events on every core */
static void prepare_many(const struct event *evs, size_t n, struct prep *out)
{
	enum { MAX_THREADS = 8, MIN_SHARE = 64 };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t t = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (size_t)cores;
	if (t > n / MIN_SHARE)
		t = n / MIN_SHARE;
	if (t < 2) {
		for (size_t i = 0; i < n; i++)
			prepare(&evs[i], &out[i]);
		return;
	}
	struct prep_job jobs[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	int started[MAX_THREADS] = {0};
	/* the first event here: what the hashing sets up once is set up before the threads */
	prepare(&evs[0], &out[0]);
	for (size_t i = 0; i < t; i++) {
		jobs[i] = (struct prep_job){evs, out, i == 0 ? 1 : n * i / t, n * (i + 1) / t};
		started[i] = i > 0 && pthread_create(&th[i], NULL, prepare_run, &jobs[i]) == 0;
	}
	for (size_t i = 0; i < t; i++)
		if (!started[i])
			prepare_run(&jobs[i]);
	for (size_t i = 1; i < t; i++)
		if (started[i])
			pthread_join(th[i], NULL);
}

/* the checker's part of a full chunk (reads only the walk's keys and checkpoint) */
static void chunk_check(struct chunk *k);

static void *checker_run(void *arg)
{
	chunk_check(arg);
	storekey_thread_done();
	return NULL;
}

static void chunk_check(struct chunk *k)
{
	const struct walk *w = k->w;
	size_t n = k->nbev, m = 0;
	k->covered = k->checked = 0;
	if (!n)
		return;
	if (grow((void **)&k->prep, &k->capprep, n, sizeof *k->prep) ||
	    grow((void **)&k->tocheck, &k->capcheck, n, sizeof *k->tocheck) ||
	    grow((void **)&k->tidx, &k->captidx, n, sizeof *k->tidx) || grow((void **)&k->tres, &k->captres, n, sizeof *k->tres)) {
		k->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct event *ev = &k->bev[i];
		ev->payload = k->arena + k->payoff[i];
		if (!audit_cp_covers(&w->cp, ev)) {
			k->checked += ev->has_sig;
			k->tidx[m++] = i;
		}
	}
	prepare_many(k->bev, n, k->prep);
	if (m == n) {
		storekey_set_check_many(&w->keys, k->bev, (int)n, k->tres);
	} else if (m) {
		for (size_t j = 0; j < m; j++)
			k->tocheck[j] = k->bev[k->tidx[j]];
		storekey_set_check_many(&w->keys, k->tocheck, (int)m, k->tres);
	}
	for (size_t i = 0; i < n; i++)
		k->prep[i].sig = STOREKEY_SIGNED;   /* covered: checked by the audit that recorded the checkpoint */
	for (size_t j = 0; j < m; j++)
		k->prep[k->tidx[j]].sig = k->tres[j];
	k->covered = (int64_t)(n - m);
}

/* the rules of a checked chunk, in store order; empties it */
static int chunk_rules(struct walk *w, struct chunk *k)
{
	int rc = 0;
	size_t i = 0;
	if (k->failed) {
		w->oom = 1;
		rc = MC_STORE;
	}
	w->st.sig_covered += k->covered;
	w->st.sig_checked += k->checked;
	for (size_t d = 0; d < k->nbd && !rc; d++) {
		for (; i < k->bd[d].ev_end && !rc; i++)
			rc = walk_event(w, &k->bev[i], &k->prep[i]);
		if (!rc)
			rc = walk_dossier(w, k->bd[d].code, k->bd[d].has_row ? &k->bd[d].row : NULL);
	}
	k->nbev = k->narena = k->nbd = 0;
	k->failed = 0;
	return rc;
}

/* the walk stopped early: wait for the checker, its chunk's rules unrun */
static void chunk_abandon(struct walk *w)
{
	if (w->busy >= 0)
		pthread_join(w->checker, NULL);
	w->busy = -1;
}

/* the filled chunk is full (or the walk is over: last): hand it to the checker, run the
 * rules of the one checked before meanwhile, and fill the other */
static int chunk_next(struct walk *w, int last)
{
	int f = w->fill;
	/* the chunk checked before: its rules come first, and its buffers are reused */
	if (w->busy >= 0)
		pthread_join(w->checker, NULL);
	int prev = w->busy;
	w->busy = -1;
	w->ck[f]->w = w;
	if (!last && pthread_create(&w->checker, NULL, checker_run, w->ck[f]) == 0)
		w->busy = f;
	else
		chunk_check(w->ck[f]);
	int rc = prev >= 0 ? chunk_rules(w, w->ck[prev]) : 0;
	w->fill = 1 - f;
	if (w->busy < 0 && !rc)
		rc = chunk_rules(w, w->ck[f]);
	return rc;
}

/* the store reads the next row straight into the chunk */
static struct dossier *row_buf(void *ctx)
{
	struct walk *w = ctx;
	struct chunk *k = w->ck[w->fill];
	if (grow((void **)&k->bd, &k->capbd, k->nbd + 1, sizeof *k->bd)) {
		w->oom = 1;
		return NULL;
	}
	return &k->bd[k->nbd].row;
}

static int on_dossier(const char *code, const struct dossier *row, void *ctx)
{
	struct walk *w = ctx;
	struct chunk *k = w->ck[w->fill];
	if (grow((void **)&k->bd, &k->capbd, k->nbd + 1, sizeof *k->bd)) {
		w->oom = 1;
		return MC_STORE;
	}
	struct pend *p = &k->bd[k->nbd++];
	p->ev_end = k->nbev;
	p->has_row = row != NULL;
	snprintf(p->code, sizeof p->code, "%s", code);
	if (row && row != &p->row)
		p->row = *row;
	return k->nbev >= CHUNK_EVENTS || k->nbd >= CHUNK_DOSSIERS ? chunk_next(w, 0) : 0;
}

static int tally_cmp(const void *a, const void *b)
{
	return strcmp(((const struct day_tally *)a)->prefix, ((const struct day_tally *)b)->prefix);
}

/* one daily counter: every number it gave out must be a dossier of the store */
static int on_counter(const char *agency, const char *day, int n, void *ctx)
{
	struct walk *w = ctx;
	struct day_tally key;
	if (strlen(day) != 10 || snprintf(key.prefix, sizeof key.prefix, "%s-%.2s%.2s%.2s", agency, day + 2, day + 5,
					  day + 8) >= (int)sizeof key.prefix)
		return 0;
	const struct day_tally *t = bsearch(&key, w->days, w->ndays, sizeof *w->days, tally_cmp);
	if (t && t->count == n && t->maxseq == n)
		return 0;   /* n distinct codes numbered 1..n: none is missing */
	int rc = 0;
	for (int i = 1; i <= n && !rc; i++) {
		char code[CODE_LEN + 16];
		snprintf(code, sizeof code, "%s-%04d", key.prefix, i);
		if (store_audit_code_known(w->store, code))
			continue;
		snprintf(w->cur.code, sizeof w->cur.code, "%.*s", (int)sizeof w->cur.code - 1, code);
		w->cur.event_id[0] = 0;
		w->cur.dseq = 0;
		snprintf(w->cur.what, sizeof w->cur.what, _("the dossier is missing: the daily counter of %s gave out its number but it has neither a row nor events (it was deleted)"), day);
		rc = report(w);
	}
	w->broken = 0;
	return rc;
}

/* a code the daily counters gave out? (the day of its counter in day[11]) */
struct counted_q { char prefix[CODE_LEN]; int seq; char *day; int found; };

static int counted_one(const char *agency, const char *day, int n, void *ctx)
{
	struct counted_q *q = ctx;
	char prefix[CODE_LEN + 16];
	if (strlen(day) != 10)
		return 0;
	snprintf(prefix, sizeof prefix, "%s-%.2s%.2s%.2s", agency, day + 2, day + 5, day + 8);
	if (!strcmp(prefix, q->prefix) && q->seq <= n) {
		snprintf(q->day, 11, "%s", day);
		q->found = 1;
	}
	return q->found;
}

static int counted(struct store *st, const char *code, char day[11])
{
	struct counted_q q = {.day = day};
	const char *dash = strrchr(code, '-');
	if (!dash || (size_t)(dash - code) >= sizeof q.prefix || !dash[1] || strspn(dash + 1, "0123456789") != strlen(dash + 1) ||
	    strlen(dash + 1) > 9)
		return 0;
	memcpy(q.prefix, code, (size_t)(dash - code));
	q.seq = atoi(dash + 1);
	char canon[CODE_LEN + 16];
	snprintf(canon, sizeof canon, "%s-%04d", q.prefix, q.seq);
	if (q.seq < 1 || strcmp(canon, code))
		return 0;   /* not a number as the counters write it */
	store_audit_counters(st, counted_one, &q);
	return q.found;
}

/* the newest checkpoint is forged, or what it covers changed: a problem of the event
 * log as a whole, named after the dossiers' (it is no broken dossier) */
static int checkpoint_problem(struct walk *w)
{
	char when[32];
	cal_format(w->cp.last.at, 1, when, sizeof when);
	w->cur.code[0] = w->cur.event_id[0] = 0;
	w->cur.dseq = 0;
	if (w->cp.state == AUDIT_CP_FORGED)
		snprintf(w->cur.what, sizeof w->cur.what, _("the audit checkpoint of %s is not signed by this store's own key (it was forged or altered): every signature was checked again"),
			 when);
	else
		snprintf(w->cur.what, sizeof w->cur.what, _("the events covered by the audit checkpoint of %s changed since that audit (a covered event was edited, inserted, deleted or renumbered): every signature was checked again"),
			 when);
	w->cp_what = 1;
	return w->cb ? w->cb(&w->cur, w->ctx) : 0;
}

int audit_verify(struct core *c, const char *code, audit_cb cb, void *ctx, struct audit_stats *stats, struct err *e)
{
	return audit_verify_opts(c, code, NULL, cb, ctx, stats, e);
}

int audit_verify_opts(struct core *c, const char *code, const struct audit_opts *o, audit_cb cb, void *ctx,
		      struct audit_stats *stats, struct err *e)
{
	static const struct audit_opts defaults;
	struct walk *w = calloc(1, sizeof *w);
	if (!o)
		o = &defaults;
	if (!w)
		return err_set(e, MC_STORE, "out of memory");
	w->cb = cb;
	w->ctx = ctx;
	w->store = c->st;
	w->full = code == NULL;
	if (storekey_set_load(c->st, &w->keys)) {
		free(w);
		return err_set(e, MC_STORE, "cannot read the keys of the offices in %s", store_path(c->st));
	}
	struct store_audit_sink sk = {on_event, on_dossier, w, row_buf};
	/* one snapshot for the digest, the walk and the counters: a checkpoint covers only
	 * rows this audit saw */
	int began = store_audit_read_begin(c->st), rc = 0;
	if (!code) {
		rc = audit_cp_scan(c->st, &w->keys, !o->all_signatures, &w->cp, e);
		w->st.checkpoint = w->cp.state;
		w->st.checkpoint_at = w->cp.state != AUDIT_CP_NONE ? w->cp.last.at : 0;
	}
	int cp_bad = w->cp.state == AUDIT_CP_CHANGED || w->cp.state == AUDIT_CP_FORGED;
	if (!rc && (!(w->ck[0] = calloc(1, sizeof *w->ck[0])) || !(w->ck[1] = calloc(1, sizeof *w->ck[1])))) {
		w->oom = 1;
		rc = MC_STORE;
	}
	w->busy = -1;
	if (!rc)
		rc = store_audit_walk(c->st, code, &sk);
	if (!rc)
		rc = chunk_next(w, 1);
	chunk_abandon(w);
	if (w->oom)
		rc = MC_STORE;
	/* the whole store: account for every code the daily counters gave out */
	if (!code && rc == 0) {
		size_t k = 0;
		if (w->ndays)
			qsort(w->days, w->ndays, sizeof *w->days, tally_cmp);
		for (size_t i = 0; i < w->ndays; i++) {   /* merge a prefix met twice */
			if (k && !strcmp(w->days[k - 1].prefix, w->days[i].prefix)) {
				w->days[k - 1].count += w->days[i].count;
				if (w->days[i].maxseq > w->days[k - 1].maxseq)
					w->days[k - 1].maxseq = w->days[i].maxseq;
			} else {
				w->days[k++] = w->days[i];
			}
		}
		w->ndays = k;
		rc = store_audit_counters(c->st, on_counter, w);
	}
	if (!rc && cp_bad)
		checkpoint_problem(w);
	store_audit_read_end(c->st, began);
	/* nothing wrong in the whole store: a checkpoint for the next audit */
	if (!code && rc == 0 && w->st.broken == 0 && !cp_bad && !o->no_record) {
		struct err re = {0};
		if (audit_cp_record(c, &w->keys, &w->cp, &w->st.recorded, &re))
			snprintf(w->st.record_err, sizeof w->st.record_err, "%s", re.msg);
	}
	if (stats)
		*stats = w->st;
	if (rc == MC_STORE && w->oom)
		rc = err_set(e, MC_STORE, "out of memory");
	else if (rc == MC_STORE)
		rc = err_set(e, MC_STORE, "cannot read the event log of %s", store_path(c->st));
	else if (w->st.broken) {
		char line[512];
		audit_format(&w->first, line, sizeof line);
		rc = err_set(e, MC_INVALID, "%s", line);
	} else if (w->cp_what) {
		rc = err_set(e, MC_INVALID, "%s", w->cur.what);
	} else if (rc == 0 && code && w->st.dossiers == 0 && counted(c->st, code, w->day)) {
		char line[512];
		snprintf(w->cur.code, sizeof w->cur.code, "%s", code);
		w->cur.event_id[0] = 0;
		snprintf(w->cur.what, sizeof w->cur.what, _("the dossier is missing: the daily counter of %s gave out its number but it has neither a row nor events (it was deleted)"), w->day);
		report(w);
		if (stats)
			*stats = w->st;
		audit_format(&w->cur, line, sizeof line);
		rc = err_set(e, MC_INVALID, "%s", line);
	} else if (rc == 0 && code && w->st.dossiers == 0)
		rc = err_set(e, MC_NOTFOUND, "no dossier with code '%.60s' in this store", code);
	audit_chain_free(&w->ch);
	storekey_set_free(&w->keys);
	free(w->nodes);
	free(w->days);
	chunk_free(w->ck[0]);
	chunk_free(w->ck[1]);
	free(w);
	return rc;
}

struct replay { struct store *st; struct dossier *d; struct err *e; int forked, base_dseq; };

static int replay_one(const struct event *ev, void *ctx)
{
	struct replay *r = ctx;
	if (ev->dseq <= r->base_dseq)
		return 0;  /* in the snapshot base state already */
	/* a fork (two places extended the dossier): the row follows the line a supervisor
	 * kept (see sync_apply.c), which a plain replay of every event cannot reproduce */
	if (ev->has_prev && r->d->version && memcmp(ev->prev_hash, r->d->chain_head, 32) != 0)
		r->forked = 1;
	return r->forked ? 0 : dossier_apply(r->st, r->d, ev, r->e);
}

int audit_projection(struct core *c, const char *code, struct err *e)
{
	struct dossier *row = malloc(sizeof *row), *d = calloc(1, sizeof *d);
	int rc = 0;
	if (!row || !d) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if (store_dossier_get(c->st, code, row)) {
		rc = err_set(e, MC_NOTFOUND, "no dossier with code '%.60s' in this store", code);
		goto done;
	}
	struct replay r = {c->st, d, e, 0, 0};
	/* a dossier taken from central's snapshot replays from its base state */
	if ((r.base_dseq = snapshot_replay_start(c->st, code, d, e)) < 0) {
		rc = e->code;
		goto done;
	}
	if ((rc = store_events_of(c->st, code, replay_one, &r)) || r.forked)
		goto done;
	const char *f = projection_diff(row, d);
	if (f)
		rc = err_set(e, MC_INVALID, "dossier %s: its row does not match its events (field %s was changed outside motcua)",
			     code, f);
done:
	free(row);
	free(d);
	return rc;
}
