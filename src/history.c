/* history.c - a dossier's history as both sides of sync read it (see history.h): its
 * events linked by their hashes, the live heads, the line ending at a head, the head
 * a conflict decision keeps and the office a line routes the dossier to; and the
 * event batches and code lists both sides collect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "history.h"

/* ---- a dossier's events, heads and lines ------------------------------------------- */

void history_free(struct history *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->ev[i].payload);
	free(l->ev);
	free(l->child);
	free(l->dead);
	free(l->base.state);
	memset(l, 0, sizeof *l);
}

int history_add(const struct event *ev, void *ctx)
{
	struct history *l = ctx;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		struct event *p = realloc(l->ev, (size_t)cap * sizeof *p);
		if (!p)
			return MC_STORE;
		l->ev = p;
		l->cap = cap;
	}
	l->ev[l->n] = *ev;
	l->ev[l->n].payload = strdup(ev->payload ? ev->payload : "{}");
	if (!l->ev[l->n].payload)
		return MC_STORE;
	l->n++;
	return 0;
}

/* live heads: events nothing follows and no conflict decision discarded; the
 * preferred head (first in *heads) is this office's own line, then the longest */
int history_heads(struct history *l, const char *own, int *heads, int max)
{
	l->child = calloc((size_t)l->n + 1, 1);
	l->dead = calloc((size_t)l->n + 1, 1);
	if (!l->child || !l->dead)
		return -1;
	for (int j = 0; j < l->n; j++) {
		if (l->ev[j].has_prev)
			for (int i = 0; i < l->n; i++)
				if (!memcmp(l->ev[i].hash, l->ev[j].prev_hash, 32))
					l->child[i] = 1;
		if (!strcmp(l->ev[j].kind, SYNC_RESOLVED_KIND)) {
			json_t *p = json_loads(l->ev[j].payload, 0, NULL);
			size_t k;
			json_t *v;
			json_array_foreach(json_object_get(p, "discard"), k, v)
				for (int i = 0; i < l->n; i++)
					if (json_is_string(v) && !strcmp(l->ev[i].id, json_string_value(v)))
						l->dead[i] = 1;
			json_decref(p);
		}
	}
	int nh = 0;
	for (int i = 0; i < l->n; i++)
		if (!l->child[i] && !l->dead[i] && nh < max)
			heads[nh++] = i;
	if (!nh) /* everything discarded (cannot happen with valid decisions): all leaves */
		for (int i = 0; i < l->n; i++)
			if (!l->child[i] && nh < max)
				heads[nh++] = i;
	/* preferred first: own origin, then greater dseq, then smaller id */
	for (int a = 0; a < nh; a++)
		for (int b = a + 1; b < nh; b++) {
			const struct event *x = &l->ev[heads[a]], *y = &l->ev[heads[b]];
			int xo = own && !strcmp(x->origin, own), yo = own && !strcmp(y->origin, own);
			int swap = yo != xo ? yo > xo : y->dseq != x->dseq ? y->dseq > x->dseq : strcmp(y->id, x->id) < 0;
			if (swap) {
				int t = heads[a];
				heads[a] = heads[b];
				heads[b] = t;
			}
		}
	return nh;
}

/* the line ending at head, first event first (the dossier's first event, or the head
 * event of its snapshot base); returns its length or -1 (broken) */
int history_line(const struct history *l, int head, int *line)
{
	int n = 0, cur = head;
	while (cur >= 0 && n < l->n) {
		line[n++] = cur;
		if (!l->ev[cur].has_prev)
			break;
		if (l->has_base && l->ev[cur].dseq == l->base.dseq && !memcmp(l->ev[cur].hash, l->base.hash, 32))
			break;
		int parent = -1;
		for (int i = 0; i < l->n; i++)
			if (l->ev[i].dseq == l->ev[cur].dseq - 1 && !memcmp(l->ev[i].hash, l->ev[cur].prev_hash, 32)) {
				parent = i;
				break;
			}
		if (parent < 0)
			return -1;
		cur = parent;
	}
	for (int i = 0; i < n / 2; i++) {
		int t = line[i];
		line[i] = line[n - 1 - i];
		line[n - 1 - i] = t;
	}
	return n;
}

static int on_line(const struct history *l, int head, int idx)
{
	int *line = malloc(((size_t)l->n + 1) * sizeof *line);
	int found = 0, n = line ? history_line(l, head, line) : -1;
	for (int i = 0; i < n; i++)
		if (line[i] == idx)
			found = 1;
	free(line);
	return found;
}

void history_conflict(const struct history *l, const int *heads, int nh, struct sync_conflict *k)
{
	k->nheads = nh;
	for (int i = 0; i < nh && i < 8; i++) {
		const struct event *ev = &l->ev[heads[i]];
		struct sync_head *h = &k->heads[i];
		snprintf(h->id, sizeof h->id, "%s", ev->id);
		snprintf(h->kind, sizeof h->kind, "%s", ev->kind);
		snprintf(h->actor, sizeof h->actor, "%s", ev->actor);
		snprintf(h->origin, sizeof h->origin, "%s", ev->origin);
		h->dseq = ev->dseq;
		h->at = ev->at;
	}
}

/* the head whose line holds the event keep_id (a conflict decision names a line by
 * any event on it after the fork); list: the command that lists the heads */
int history_kept_head(const struct history *l, const int *heads, int nh, const char *code, const char *keep_id,
		      const char *list, int *kept, struct err *e)
{
	int idx = -1, matches = 0;
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->ev[i].id, keep_id))
			idx = i;
	if (idx < 0)
		return err_set(e, MC_NOTFOUND, "dossier %s has no event %.40s here: see '%s'", code, keep_id, list);
	for (int h = 0; h < nh; h++)
		if (on_line(l, heads[h], idx)) {
			*kept = heads[h];
			matches++;
		}
	if (matches > 1)
		return err_set(e, MC_INVALID, "event %.40s is on every line of %s (it comes before the fork): name one of the heads listed by '%s'",
			       keep_id, code, list);
	if (!matches)
		return err_set(e, MC_INVALID, "event %.40s of %s is on a line already discarded: name one of the heads listed by '%s'",
			       keep_id, code, list);
	return 0;
}

/* the office the line ending at head routes its dossier to: the first event names
 * it, central's re-routing and central's decisions move it ("" if broken) */
void history_route(const struct history *l, int head, char out[32])
{
	int *line = malloc(((size_t)l->n + 1) * sizeof *line);
	int n = line ? history_line(l, head, line) : -1;
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		const struct event *ev = &l->ev[line[i]];
		const char *key = history_route_key(ev);
		if (!key)
			continue;
		json_t *p = json_loads(ev->payload, 0, NULL);
		if (jstr(p, key)[0])
			snprintf(out, 32, "%s", jstr(p, key));
		json_decref(p);
	}
	free(line);
}

/* the payload key naming the office an event routes its dossier to: a dossier's first
 * event names it ("office"), a re-routing moves it ("to"), so does a decision of
 * central's ("route"); NULL for every other event */
const char *history_route_key(const struct event *ev)
{
	return !strcmp(ev->kind, "received") ? "office" : !strcmp(ev->kind, SYNC_REROUTED_KIND) ? "to"
	       : !strcmp(ev->kind, SYNC_ROUTED_KIND) ? "to"
	       : !strcmp(ev->kind, SYNC_RESOLVED_KIND) ? "route" : NULL;
}

/* ---- batches of events, lists of codes ------------------------------------------------ */

int batch_add(const struct event *ev, void *ctx)
{
	struct batch *b = ctx;
	if (b->n >= b->cap)
		return 1;
	b->ev[b->n] = *ev;
	b->ev[b->n].payload = strdup(ev->payload ? ev->payload : "{}");
	if (!b->ev[b->n].payload)
		return MC_STORE;
	b->n++;
	return 0;
}

void batch_clear(struct batch *b)
{
	for (int i = 0; i < b->n; i++)
		free(b->ev[i].payload);
	b->n = 0;
}

int codes_add(const char *code, void *ctx)
{
	struct codes *k = ctx;
	if (k->n == k->cap) {
		int cap = k->cap ? k->cap * 2 : 16;
		void *p = realloc(k->code, (size_t)cap * sizeof *k->code);
		if (!p)
			return MC_STORE;
		k->code = p;
		k->cap = cap;
	}
	snprintf(k->code[k->n++], CODE_LEN, "%s", code);
	return 0;
}

