/* audit.c - walking the per-dossier hash chains (see audit.h).  A dossier taken from
 * central's snapshot (snapshot.h) has only the events from its base head on: its chain
 * may start at that recorded base (same dseq and hash) instead of at dseq 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "i18n.h"
#include "dossier.h"
#include "event.h"
#include "snapshot.h"
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

int audit_chain_add(struct audit_chain *ch, const struct event *ev, char *what, size_t n)
{
	if (!event_hash_ok(ev)) {
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

void audit_format(const struct audit_problem *p, char *buf, size_t n)
{
	if (p->event_id[0])
		snprintf(buf, n, _("dossier %s: event %s (#%d): %s"), p->code, p->event_id, p->dseq, p->what);
	else
		snprintf(buf, n, _("dossier %s: %s"), p->code, p->what);
}

struct walk {
	struct store *store;
	struct audit_chain ch;
	struct audit_problem first, cur;
	int broken;                  /* the current dossier already has a problem */
	int64_t nev;                 /* events of the current dossier */
	int forked;                  /* two places extended it (sync conflict): the row follows one line */
	int64_t last_dseq;
	int base_dseq;               /* the chain starts at a snapshot base at this dseq (0: at 1) */
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

static int on_event(const struct event *ev, void *ctx)
{
	struct walk *w = ctx;
	w->st.events++;
	w->nev++;
	if (w->broken)
		return 0;          /* only the first broken link of a dossier is named */
	if (ev->has_prev && w->ch.n && memcmp(ev->prev_hash, w->ch.hashes[w->ch.n - 1], 32) != 0)
		w->forked = 1;
	/* the first event here links to older ones: only the recorded base head may */
	struct snapshot_base b;
	if (w->ch.n == 0 && ev->has_prev && event_hash_ok(ev) &&
	    store_snapshot_base_get(w->store, ev->dossier_code, 0, &b) == 0 && b.dseq == ev->dseq &&
	    !memcmp(b.hash, ev->hash, 32)) {
		w->base_dseq = b.dseq;
		if (chain_push(&w->ch, ev, w->cur.what, sizeof w->cur.what) == 0)
			return 0;
	} else if (audit_chain_add(&w->ch, ev, w->cur.what, sizeof w->cur.what) == 0) {
		return 0;
	}
	snprintf(w->cur.code, sizeof w->cur.code, "%s", ev->dossier_code);
	snprintf(w->cur.event_id, sizeof w->cur.event_id, "%s", ev->id);
	w->cur.dseq = ev->dseq;
	return report(w);
}

static int on_dossier(const char *code, int has_row, int version, const unsigned char *head, void *ctx)
{
	struct walk *w = ctx;
	int rc = 0;
	int64_t older = w->base_dseq ? w->base_dseq - 1 : 0;   /* events before the base, at central */
	w->st.dossiers++;
	if (!w->broken && has_row) {
		snprintf(w->cur.code, sizeof w->cur.code, "%s", code);
		w->cur.event_id[0] = 0;
		w->cur.dseq = 0;
		if (w->nev == 0)
			snprintf(w->cur.what, sizeof w->cur.what, _("the dossier has no events (its history was removed)"));
		else if (!head || !audit_chain_has(&w->ch, head))
			snprintf(w->cur.what, sizeof w->cur.what, _("its chain head matches none of its events (the last events were removed or the row was edited)"));
		else if (w->forked ? version > w->nev + older : version != w->nev + older)
			snprintf(w->cur.what, sizeof w->cur.what, _("it records %d events but %lld are stored (events were removed or added)"),
				 version, (long long)(w->nev + older));
		else
			w->cur.what[0] = 0;
		if (w->cur.what[0])
			rc = report(w);
	}
	audit_chain_reset(&w->ch);
	w->broken = 0;
	w->forked = 0;
	w->nev = 0;
	w->base_dseq = 0;
	return rc;
}

int audit_verify(struct core *c, const char *code, audit_cb cb, void *ctx, struct audit_stats *stats, struct err *e)
{
	struct walk *w = calloc(1, sizeof *w);
	if (!w)
		return err_set(e, MC_STORE, "out of memory");
	w->cb = cb;
	w->ctx = ctx;
	w->store = c->st;
	struct store_audit_sink sk = {on_event, on_dossier, w};
	int rc = store_audit_walk(c->st, code, &sk);
	if (stats)
		*stats = w->st;
	if (rc == MC_STORE)
		rc = err_set(e, MC_STORE, "cannot read the event log of %s", store_path(c->st));
	else if (w->st.broken) {
		char line[512];
		audit_format(&w->first, line, sizeof line);
		rc = err_set(e, MC_INVALID, "%s", line);
	} else if (rc == 0 && code && w->st.dossiers == 0)
		rc = err_set(e, MC_NOTFOUND, "no dossier with code '%.60s' in this store", code);
	audit_chain_free(&w->ch);
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
	 * kept (see sync.c), which a plain replay of every event cannot reproduce */
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
	if (f)
		rc = err_set(e, MC_INVALID, "dossier %s: its row does not match its events (field %s was changed outside motcua)",
			     code, f);
done:
	free(row);
	free(d);
	return rc;
}
