/* sync.c - the rules of sync on both sides (see sync.h for the model, central.h for
 * the cursor): opening central by URL, validating and inserting batches at central,
 * pushing and pulling at the office, the projection that follows a dossier's kept
 * line, the conflict queue, re-routing and central's decisions, and bundles for
 * offices with no network; and the office
 * side of the snapshot (snapshot.h): a first sync that loads central's snapshot, the
 * projection from a dossier's base, fetching a dossier's older steps.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bundle.h"
#include "dossier.h"
#include "event.h"
#include "snapshot.h"
#include "sync.h"
#include "text.h"

/* ---- central: open by URL ------------------------------------------------------ */

int central_unhex32(const char *hex, unsigned char out[32])
{
	if (!hex || strlen(hex) != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char ch = hex[2 * i + k];
			int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
				ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
			if (d < 0)
				return -1;
			v = v * 16 + d;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

/* the URL for messages: no password */
static void display_target(const char *url, char *out, size_t n)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	if (scheme && at) {
		snprintf(out, n, "%.*s%s", (int)(scheme + 3 - url), url, at + 1);
		return;
	}
	if (strstr(url, "password")) {
		snprintf(out, n, "(PostgreSQL connection string)");
		return;
	}
	snprintf(out, n, "%s", url);
}

struct central *central_open(const char *url, int init, struct err *e)
{
	struct central *c = calloc(1, sizeof *c);
	if (!c) {
		err_set(e, MC_STORE, "out of memory");
		return NULL;
	}
	const char *target = url;
	if (!strncmp(url, "sqlite:", 7)) {
		c->ops = &central_sqlite_ops;
		target = url + 7;
		snprintf(c->target, sizeof c->target, "%s", url);
	} else if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11) || strchr(url, '=')) {
		c->ops = &central_pg_ops;
		display_target(url, c->target, sizeof c->target);
	} else {
		err_set(e, MC_USAGE, "unknown central URL '%.100s': use sqlite:PATH or postgresql://HOST/DB (or a libpq connection string)", url);
		free(c);
		return NULL;
	}
	if (!*target) {
		err_set(e, MC_USAGE, "central URL '%.100s' names no database", url);
		free(c);
		return NULL;
	}
	if (c->ops->open(c, target, e)) {
		central_close(c);
		return NULL;
	}
	if (init)
		return c;
	char buf[64];
	int rc = c->ops->meta_get(c, "schema", buf, sizeof buf, e);
	if (rc) {
		if (rc == MC_NOTFOUND && e->code != MC_NOTFOUND)
			err_set_hint(e, MC_NOTFOUND, HINT_CENTRAL_INIT, "%s is not a motcua central database", c->target);
		central_close(c);
		return NULL;
	}
	c->schema = atoi(buf);
	if (c->ops->meta_get(c, "agency", c->agency, sizeof c->agency, e) == 0 &&
	    c->ops->meta_get(c, "ref_version", buf, sizeof buf, e) == 0) {
		c->ref_version = atoll(buf);
		return c;
	}
	err_set_hint(e, MC_VERSION, HINT_CENTRAL_INIT, "central %s is incomplete (no agency)", c->target);
	central_close(c);
	return NULL;
}

void central_close(struct central *c)
{
	if (!c)
		return;
	if (c->ops)
		c->ops->close(c);
	free(c->users);
	free(c->offices);
	free(c);
}

int central_check_schema(const struct central *c, int batch_schema, const char *who, struct err *e)
{
	if (batch_schema == c->schema)
		return 0;
	if (batch_schema > c->schema)
		return err_set(e, MC_VERSION, "schema version mismatch: %s sends schema %d but central %s has %d: upgrade central"
			       " (install the newer motcua there and run 'motcua central init --central URL')",
			       who, batch_schema, c->target, c->schema);
	return err_set(e, MC_VERSION, "schema version mismatch: central %s has schema %d but %s sends %d: upgrade motcua at %s",
		       c->target, c->schema, who, batch_schema, who);
}

static int user_cmp(const void *a, const void *b)
{
	return strcmp(((const struct central_user *)a)->account, ((const struct central_user *)b)->account);
}

struct loadu { struct central *c; int capu, capo, oom; };

static int load_one(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct loadu *l = ctx;
	struct central *c = l->c;
	if (!strcmp(kind, "office")) {
		if (c->noffices == l->capo) {
			l->capo = l->capo ? l->capo * 2 : 16;
			void *p = realloc(c->offices, (size_t)l->capo * sizeof *c->offices);
			if (!p)
				return l->oom = MC_STORE;
			c->offices = p;
		}
		snprintf(c->offices[c->noffices++], 32, "%s", key);
	} else if (!strcmp(kind, "user")) {
		json_t *j = json_loads(doc, 0, NULL);
		const char *office = json_string_value(json_object_get(j, "office"));
		if (office) {
			if (c->nusers == l->capu) {
				l->capu = l->capu ? l->capu * 2 : 64;
				void *p = realloc(c->users, (size_t)l->capu * sizeof *c->users);
				if (!p) {
					json_decref(j);
					return l->oom = MC_STORE;
				}
				c->users = p;
			}
			snprintf(c->users[c->nusers].account, ACCOUNT_LEN, "%s", key);
			snprintf(c->users[c->nusers].office, 32, "%s", office);
			c->nusers++;
		}
		json_decref(j);
	}
	return 0;
}

int central_load_users(struct central *c, struct err *e)
{
	free(c->users);
	free(c->offices);
	c->users = NULL;
	c->offices = NULL;
	c->nusers = c->noffices = 0;
	struct loadu l = {c, 0, 0, 0};
	int rc = c->ops->ref_list(c, load_one, &l, e);
	if (rc)
		return l.oom ? err_set(e, MC_STORE, "out of memory") : rc;
	if (c->nusers)
		qsort(c->users, (size_t)c->nusers, sizeof *c->users, user_cmp);
	if (!c->users)
		c->users = calloc(1, sizeof *c->users); /* loaded, even if empty */
	return 0;
}

static int central_user_ok(const struct central *c, const char *account, const char *office)
{
	struct central_user key;
	snprintf(key.account, sizeof key.account, "%s", account);
	const struct central_user *u = c->nusers ? bsearch(&key, c->users, (size_t)c->nusers, sizeof *c->users, user_cmp) : NULL;
	return u && !strcmp(u->office, office);
}

static int central_office_ok(const struct central *c, const char *office)
{
	for (int i = 0; i < c->noffices; i++)
		if (!strcmp(c->offices[i], office))
			return 1;
	return 0;
}

/* ---- central: a batch ------------------------------------------------------------ */

/* what central found of each staged event's previous event: 1 = not at central;
 * route[i] = the office the previous event routes the dossier to */
struct prevs { unsigned char *orphan; char (*route)[32]; int n; };

static int note_prev(int ord, const char *office, void *ctx)
{
	struct prevs *o = ctx;
	if (ord < 1 || ord > o->n)
		return 0;
	if (office)
		snprintf(o->route[ord - 1], sizeof o->route[0], "%s", office);
	else
		o->orphan[ord - 1] = 1;
	return 0;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int copy_cmp(const void *a, const void *b, void *arg)
{
	const struct event *evs = arg;
	int x = *(const int *)a, y = *(const int *)b;
	int c = strcmp(evs[x].id, evs[y].id);
	return c ? c : (x > y) - (x < y);
}

/* copyof[i]: the index of the first copy of event i's id in the batch, or -1 */
static int mark_copies(const struct event *evs, int n, int *copyof, struct err *e)
{
	int *ix = malloc((size_t)n * sizeof *ix);
	if (!ix)
		return err_set(e, MC_STORE, "out of memory");
	for (int i = 0; i < n; i++) {
		ix[i] = i;
		copyof[i] = -1;
	}
	qsort_r(ix, (size_t)n, sizeof *ix, copy_cmp, (void *)evs);
	for (int k = 1; k < n; k++)
		if (!strcmp(evs[ix[k]].id, evs[ix[k - 1]].id))
			copyof[ix[k]] = copyof[ix[k - 1]] >= 0 ? copyof[ix[k - 1]] : ix[k - 1];
	free(ix);
	return 0;
}

/* the payload key naming the office an event routes its dossier to: a dossier's first
 * event names it ("office"), a re-routing moves it ("to"), so does a decision of
 * central's ("route"); NULL for every other event */
static const char *route_key(const struct event *ev)
{
	return !strcmp(ev->kind, "received") ? "office" : !strcmp(ev->kind, SYNC_REROUTED_KIND) ? "to"
	       : !strcmp(ev->kind, SYNC_RESOLVED_KIND) ? "route" : NULL;
}

/* 1 if ev is one of central's routing events (a re-routing, or its decision) */
static int central_routing_event(const struct central *cen, const struct event *ev)
{
	return ev->has_prev && !strcmp(ev->origin, cen->agency) && route_key(ev);
}

#define MAX_NOTIFY 8

/* a routing event of central's: the office it routes the dossier to, and the other
 * offices it must reach (a re-routing: the office left, "from"; a decision: "notify").
 * Returns how many are in notify (0..max), or -1 if ev routes nothing. */
static int central_routing(const struct central *cen, const struct event *ev, char office[32], char (*notify)[32], int max)
{
	if (!central_routing_event(cen, ev))
		return -1;
	json_t *p = json_loads(ev->payload ? ev->payload : "", 0, NULL);
	int k = 0;
	snprintf(office, 32, "%s", jstr(p, route_key(ev)));
	if (jstr(p, "from")[0] && k < max)
		snprintf(notify[k++], 32, "%s", jstr(p, "from"));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(p, "notify"), i, v)
		if (json_is_string(v) && k < max)
			snprintf(notify[k++], 32, "%s", json_string_value(v));
	json_decref(p);
	/* a decision without a route moves nothing; a re-routing must name its office */
	return office[0] || !strcmp(ev->kind, SYNC_REROUTED_KIND) ? k : -1;
}

int central_put_batch(struct central *cen, const struct event *evs, int n, int64_t now, struct central_put *r, struct err *e)
{
	if (n <= 0)
		return 0;
	if (!cen->users && central_load_users(cen, e))
		return e->code;
	const char **offices = calloc((size_t)n, sizeof *offices);
	char (*obuf)[32] = calloc((size_t)n, sizeof *obuf);
	char (*why)[200] = calloc((size_t)n, sizeof *why);
	unsigned char *orphan = calloc((size_t)n, 1);
	char (*route)[32] = calloc((size_t)n, sizeof *route);
	int *refused = calloc((size_t)n, sizeof *refused), *copyof = calloc((size_t)n, sizeof *copyof);
	int nref = 0, rc = 0, inserted = 0;
	int64_t base = 0;
	if (!offices || !obuf || !why || !orphan || !route || !refused || !copyof) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		const struct event *ev = &evs[i];
		if (!event_hash_ok(ev))
			snprintf(why[i], sizeof why[i], "the hash does not match the event's content (altered or corrupted)");
		else if (!ev->has_prev && (ev->dseq != 1 || strcmp(ev->kind, "received")))
			snprintf(why[i], sizeof why[i], "a dossier's first event must be 'received' with dseq 1");
		else if (ev->has_prev && ev->dseq < 2)
			snprintf(why[i], sizeof why[i], "dseq %d cannot follow a previous event", ev->dseq);
		else if (!central_user_ok(cen, ev->actor, ev->origin))
			snprintf(why[i], sizeof why[i], "actor '%.40s' is not a user of office %.32s known to central", ev->actor, ev->origin);
		else if (!strcmp(ev->kind, "received") && !ev->has_prev) {
			json_t *p = json_loads(ev->payload ? ev->payload : "", 0, NULL);
			snprintf(obuf[i], sizeof obuf[i], "%s", jstr(p, "office"));
			json_decref(p);
			if (!central_office_ok(cen, obuf[i]))
				snprintf(why[i], sizeof why[i], "the dossier is filed for an office central does not know ('%.32s')", obuf[i]);
			else if (strcmp(obuf[i], ev->origin) && strcmp(ev->origin, cen->agency))
				snprintf(why[i], sizeof why[i], "office %.32s cannot file a dossier for office %.32s", ev->origin, obuf[i]);
			else {
				offices[i] = obuf[i];
				snprintf(route[i], sizeof route[i], "%s", obuf[i]);
			}
		} else if (central_routing(cen, ev, obuf[i], NULL, 0) >= 0) {
			if (!central_office_ok(cen, obuf[i]))
				snprintf(why[i], sizeof why[i], "central's event routes the dossier to an office central does not know ('%.32s')", obuf[i]);
			else
				offices[i] = obuf[i];
		}
		/* an event central has already is a replay: it changes nothing, even if it
		 * would not pass today (its author has moved office since) */
		if (why[i][0]) {
			int known = cen->ops->event_office(cen, ev->id, route[i], sizeof route[i], e);
			if (known == 0)
				why[i][0] = 0;
			else if (known != MC_NOTFOUND) {
				rc = known;
				goto out;
			}
		}
	}
	/* the same event twice in one batch: the later copy shares the first's verdict */
	if ((rc = mark_copies(evs, n, copyof, e)))
		goto out;
	if ((rc = cen->ops->begin(cen, 1, &base, e)))
		goto out;
	struct prevs o = {orphan, route, n};
	if ((rc = cen->ops->stage(cen, evs, offices, n, e)) || (rc = cen->ops->prevs(cen, note_prev, &o, e)))
		goto fail;
	for (int i = 0; i < n; i++) {
		if (copyof[i] >= 0) {
			int j = copyof[i];
			memcpy(why[i], why[j], sizeof why[i]);
			memcpy(route[i], route[j], sizeof route[i]);
			if (why[i][0])
				refused[nref++] = i + 1; /* quarantined once, with the first copy */
			continue;
		}
		if (!why[i][0] && orphan[i]) {
			/* the previous event may come earlier in this batch */
			int found = -1;
			for (int j = i - 1; j >= 0 && found < 0; j--)
				if (evs[j].dseq == evs[i].dseq - 1 && !memcmp(evs[j].hash, evs[i].prev_hash, 32) &&
				    !strcmp(evs[j].dossier_code, evs[i].dossier_code))
					found = j;
			if (found < 0)
				snprintf(why[i], sizeof why[i], "its previous event is not at central (broken chain)");
			else if (why[found][0])
				snprintf(why[i], sizeof why[i], "its previous event %.30s was refused", evs[found].id);
			else
				memcpy(route[i], route[found], sizeof route[i]);
		}
		/* central's routing event sets the route its line goes on with */
		if (!why[i][0] && offices[i])
			snprintf(route[i], sizeof route[i], "%s", offices[i]);
		/* an office writes only the dossiers routed to it (central writes any) */
		if (!why[i][0] && route[i][0] && strcmp(evs[i].origin, route[i]) && strcmp(evs[i].origin, cen->agency))
			snprintf(why[i], sizeof why[i], "office %.32s may not write dossier %.40s: it is routed to office %.32s",
				 evs[i].origin, evs[i].dossier_code, route[i]);
		if (why[i][0]) {
			refused[nref++] = i + 1;
			if ((rc = cen->ops->quarantine(cen, &evs[i], why[i], now, e)))
				goto fail;
		}
	}
	for (int k = 0; k < nref; k++)
		route[refused[k] - 1][0] = 0;
	if ((nref && (rc = cen->ops->unstage(cen, refused, nref, e))) ||
	    (rc = cen->ops->publish_staged(cen, base, n, (const char (*)[32])route, &inserted, e)))
		goto fail;
	/* central's routing events (rare) reach the other offices involved */
	for (int i = 0; i < n; i++) {
		char office[32], notify[MAX_NOTIFY][32];
		int k = offices[i] && route[i][0] ? central_routing(cen, &evs[i], office, notify, MAX_NOTIFY) : -1;
		for (int j = 0; j < k; j++)
			if (strcmp(notify[j], route[i]) && (rc = cen->ops->deliver(cen, evs[i].id, notify[j], e)))
				goto fail;
	}
	/* test hook (tests/sync/cursor.sh): commit late, holding the log lock */
	const char *hold = getenv("MOTCUA_TEST_COMMIT_DELAY_MS");
	if (hold && atoi(hold) > 0)
		usleep((useconds_t)atoi(hold) * 1000);
	if ((rc = cen->ops->commit(cen, e)))
		goto fail;
	if (r) {
		r->inserted += inserted;
		r->refused += nref;
		r->duplicate += n - nref - inserted;
	}
	goto out;
fail:
	cen->ops->rollback(cen);
out:
	free(offices);
	free(obuf);
	free(why);
	free(orphan);
	free(route);
	free(refused);
	free(copyof);
	return rc;
}

/* ---- event lists, heads and lines ---------------------------------------------------- */

struct evlist {
	struct event *ev;
	unsigned char *child, *dead;
	int n, cap;
	int has_base;                /* the dossier's local history starts at a snapshot base */
	struct snapshot_base base;
};

static void evlist_free(struct evlist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->ev[i].payload);
	free(l->ev);
	free(l->child);
	free(l->dead);
	free(l->base.state);
	memset(l, 0, sizeof *l);
}

static int evlist_add(const struct event *ev, void *ctx)
{
	struct evlist *l = ctx;
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
static int evlist_heads(struct evlist *l, const char *own, int *heads, int max)
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
static int evlist_line(const struct evlist *l, int head, int *line)
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

static int on_line(const struct evlist *l, int head, int idx)
{
	int *line = malloc(((size_t)l->n + 1) * sizeof *line);
	int found = 0, n = line ? evlist_line(l, head, line) : -1;
	for (int i = 0; i < n; i++)
		if (line[i] == idx)
			found = 1;
	free(line);
	return found;
}

/* a dossier's local events and its snapshot base, if it has one (0, or MC_STORE) */
static int local_events(struct core *c, const char *code, struct evlist *l)
{
	l->has_base = store_snapshot_base_get(c->st, code, 1, &l->base) == 0;
	return store_events_of(c->st, code, evlist_add, l) ? MC_STORE : 0;
}

/* ---- the projection ---------------------------------------------------------------- */

/* The row follows the kept line from the dossier's first event, or, for a dossier
 * taken from central's snapshot, from its base: the base state with the line's
 * events after the base head applied on top. */
static int project(struct core *c, const char *code, int *opened, struct err *e)
{
	struct snapshot_base probe;
	int based = store_snapshot_base_get(c->st, code, 0, &probe) == 0;
	if (!based && !store_sync_forked(c->st, code))
		return dossier_rebuild(c, code, e);
	struct evlist l = {0};
	struct dossier *d = calloc(1, sizeof *d), *old = malloc(sizeof *old);
	int *line = NULL, heads[8], rc = 0;
	if (!d || !old || local_events(c, code, &l)) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	int nh = evlist_heads(&l, c->office.agency_code, heads, 8);
	line = malloc(((size_t)l.n + 1) * sizeof *line);
	int n = nh > 0 && line ? evlist_line(&l, heads[0], line) : -1;
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
	evlist_free(&l);
	free(line);
	free(d);
	free(old);
	return rc;
}

int sync_project(struct core *c, const char *code, struct err *e) { return project(c, code, NULL, e); }

static void fill_conflict(const struct evlist *l, const int *heads, int nh, struct sync_conflict *k)
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

struct clist { struct core *c; sync_conflict_cb cb; void *ctx; struct err *e; };

static int conflict_row(const char *code, int64_t detected, void *ctx)
{
	struct clist *cl = ctx;
	struct evlist l = {0};
	struct sync_conflict k;
	int heads[8];
	memset(&k, 0, sizeof k);
	snprintf(k.code, sizeof k.code, "%s", code);
	k.detected_at = detected;
	int rc = local_events(cl->c, code, &l);
	if (!rc) {
		int nh = evlist_heads(&l, cl->c->office.agency_code, heads, 8);
		fill_conflict(&l, heads, nh < 0 ? 0 : nh, &k);
		rc = cl->cb(&k, cl->ctx);
	}
	evlist_free(&l);
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

static void make_event(struct event *ev, const char *code, int dseq, const char *kind, const char *os, const char *actor,
		       int64_t at, const char *origin, json_t *payload, const struct event *prev)
{
	memset(ev, 0, sizeof *ev);
	event_ulid(at * 1000, ev->id);
	snprintf(ev->dossier_code, sizeof ev->dossier_code, "%s", code);
	ev->dseq = dseq;
	snprintf(ev->kind, sizeof ev->kind, "%s", kind);
	snprintf(ev->os_account, sizeof ev->os_account, "%s", os);
	snprintf(ev->actor, sizeof ev->actor, "%s", actor);
	ev->at = at;
	snprintf(ev->origin, sizeof ev->origin, "%s", origin);
	ev->payload = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(payload);
	if (prev) {
		ev->has_prev = 1;
		memcpy(ev->prev_hash, prev->hash, 32);
	}
	event_hash(ev);
}

/* the head whose line holds the event keep_id (a conflict decision names a line by
 * any event on it after the fork); list: the command that lists the heads */
static int kept_head(const struct evlist *l, const int *heads, int nh, const char *code, const char *keep_id,
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
static void line_route(const struct evlist *l, int head, char out[32])
{
	int *line = malloc(((size_t)l->n + 1) * sizeof *line);
	int n = line ? evlist_line(l, head, line) : -1;
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		const struct event *ev = &l->ev[line[i]];
		const char *key = route_key(ev);
		if (!key)
			continue;
		json_t *p = json_loads(ev->payload, 0, NULL);
		if (jstr(p, key)[0])
			snprintf(out, 32, "%s", jstr(p, key));
		json_decref(p);
	}
	free(line);
}

int sync_resolve(struct core *c, const char *code, const char *keep_id, struct err *e)
{
	if (!(c->actor.roles & ROLE_SUPERVISOR))
		return err_set(e, MC_DENIED, "resolving a conflict needs the role supervisor");
	struct evlist l = {0};
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
	int nh = evlist_heads(&l, c->office.agency_code, heads, 8);
	if (nh < 2) {
		rc = err_set(e, MC_STATE, "dossier %s is not in conflict", code);
		goto fail;
	}
	int kept = -1;
	if ((rc = kept_head(&l, heads, nh, code, keep_id, "motcua conflicts", &kept, e)))
		goto fail;
	/* a line that sends the dossier elsewhere (central re-routed it while this
	 * office worked on it) is central's to decide: it sees every office's steps */
	for (int h = 0; h < nh; h++) {
		char r[32];
		line_route(&l, heads[h], r);
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
	make_event(&ev, code, l.ev[kept].dseq + 1, SYNC_RESOLVED_KIND, c->os_account, c->actor.account, core_now(c),
		   c->office.agency_code, pl, &l.ev[kept]);
	if (!ev.payload) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto fail;
	}
	if ((rc = store_event_append(c->st, &ev, e)) || (rc = project(c, code, NULL, e)) || (rc = store_commit(c->st, e)))
		goto fail;
	event_clear(&ev);
	evlist_free(&l);
	return 0;
fail:
	store_rollback(c->st);
	event_clear(&ev);
	evlist_free(&l);
	return rc;
}

/* ---- office: applying foreign events ------------------------------------------------ */

static void check_foreign(struct core *c, const struct event *ev, char *why, size_t n)
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
	else if (!store_sync_author_ok(c->st, ev->actor, ev->origin))
		snprintf(why, n, "actor '%.40s' is not a user of office %.32s known here", ev->actor, ev->origin);
}

/* an event of a dossier taken from central's snapshot: 1 if the base state holds it
 * already (central's log position at or below the one the snapshot row covered);
 * otherwise 0, with why set when it changes a step older than the base (a fork before
 * it: the older history is needed first, see fetch_history) */
static int covered_by_base(struct core *c, const struct event *ev, char *why, size_t n)
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

static int apply_pass(struct core *c, struct event *evs, int k, int64_t cursor_after, int caught_up, int careful,
		      struct sync_result *r, struct err *e)
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
		if (store_sync_event_exists(c->st, ev.id) || covered_by_base(c, &ev, why, sizeof why) == 1) {
			local.pull_dup++;
			continue;
		}
		if (!why[0])
			check_foreign(c, &ev, why, sizeof why);
		if (!why[0] && careful) {
			struct err pe = {0};
			int opened1 = 0;
			if (store_begin(c->st, &pe) == 0) {
				if (store_event_append(c->st, &ev, &pe) == 0 && project(c, ev.dossier_code, &opened1, &pe) == 0 &&
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
		if (project(c, touched[t], &opened, e)) {
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
static int apply_batch(struct core *c, struct event *evs, int k, int64_t cursor_after, int caught_up,
		       struct sync_result *r, struct err *e)
{
	int rc = apply_pass(c, evs, k, cursor_after, caught_up, 0, r, e);
	if (rc == NEED_CAREFUL)
		rc = apply_pass(c, evs, k, cursor_after, caught_up, 1, r, e);
	return rc;
}

/* ---- office: push and pull ------------------------------------------------------------ */

struct batch { struct event *ev; int n, cap; };

static int batch_add(const struct event *ev, void *ctx)
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

static void batch_clear(struct batch *b)
{
	for (int i = 0; i < b->n; i++)
		free(b->ev[i].payload);
	b->n = 0;
}

static int office_ready(struct core *c, struct err *e)
{
	if (!c->office.agency_code[0])
		return err_set_hint(e, MC_STATE, HINT_OFFICE_CREATE, "this store has no office");
	return 0;
}

int sync_push(struct core *c, struct central *cen, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	struct sync_state_row s;
	int size = o && o->batch > 0 ? o->batch : SYNC_BATCH;
	if (office_ready(c, e))
		return e->code;
	if (store_sync_state(c->st, &s))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
	int64_t total = store_sync_pending_count(c->st, c->office.agency_code, s.push_seq, NULL), done = 0;
	struct batch b = {calloc((size_t)size, sizeof(struct event)), 0, size};
	if (!b.ev)
		return err_set(e, MC_STORE, "out of memory");
	int rc = 0;
	int64_t seq = s.push_seq;
	if (o && o->progress)
		o->progress(o->ctx, "push", 0, total);
	for (;;) {
		batch_clear(&b);
		if ((rc = store_sync_pending(c->st, c->office.agency_code, seq, size, batch_add, &b)) && rc != 1) {
			rc = err_set(e, MC_STORE, "out of memory");
			break;
		}
		rc = 0;
		if (!b.n)
			break;
		struct central_put p = {0};
		if ((rc = central_put_batch(cen, b.ev, b.n, core_now(c), &p, e)))
			break;
		int64_t last = b.ev[b.n - 1].seq;
		if ((rc = store_sync_push_done(c->st, last, e)))
			break;
		seq = last;
		r->pushed += p.inserted;
		r->push_dup += p.duplicate;
		r->push_refused += p.refused;
		done += b.n;
		if (o && o->progress)
			o->progress(o->ctx, "push", done, total);
		if (b.n < size)
			break;
	}
	batch_clear(&b);
	free(b.ev);
	return rc;
}

struct refrows { json_t *rows; };

static int ref_collect(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct refrows *rr = ctx;
	json_array_append_new(rr->rows, json_pack("{s:s, s:s, s:s}", "kind", kind, "key", key, "doc", doc));
	return 0;
}

/* apply reference rows [{kind, key, doc}] and the version in one local transaction */
static int apply_ref(struct core *c, json_t *rows, int64_t version, struct err *e)
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

struct pullctx { struct batch *b; int oom; };

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
static int dossier_events_pass(struct core *c, struct evlist *l, const char *code, int careful, int64_t *added,
			       int *opened, struct err *e)
{
	char why[256];
	int rc = 0, any = 0;
	for (int i = 0; i < l->n && !rc; i++) {
		struct event *ev = &l->ev[i];
		if (store_sync_event_exists(c->st, ev->id))
			continue;
		check_foreign(c, ev, why, sizeof why);
		if (!why[0] && careful) {
			struct err pe = {0};
			if (store_begin(c->st, &pe) == 0) {
				if (store_event_append(c->st, ev, &pe) == 0 && project(c, code, opened, &pe) == 0 &&
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
		rc = project(c, code, opened, e);
	return rc;
}

/* apply a dossier's events read from central, in (dseq, pos) order, inside the
 * caller's transaction: each checked like any foreign event (quarantined if invalid),
 * then the row projected.  If the row cannot be projected (e.g. a step names a user
 * this store does not know), the dossier is redone event by event and the events
 * that cannot be applied are quarantined, as the pull does: one bad dossier never
 * stops a sync. */
static int apply_dossier_events(struct core *c, struct evlist *l, const char *code, int64_t *added, int *opened,
				struct err *e)
{
	int64_t n = 0;
	int o = 0;
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if ((rc = dossier_events_pass(c, l, code, 0, &n, &o, e)) == 0 && (rc = store_commit(c->st, e)) == 0) {
		if (added)
			*added += n;
		if (opened)
			*opened += o;
		return 0;
	}
	store_rollback(c->st);
	if (rc != MC_INVALID && rc != MC_NOTFOUND && rc != MC_STATE && rc != MC_DENIED && rc != MC_CONFLICT)
		return rc; /* the store itself failed: the caller's transaction goes back */
	n = 0;
	memset(e, 0, sizeof *e);
	rc = dossier_events_pass(c, l, code, 1, &n, opened, e);
	if (!rc && added)
		*added += n;
	return rc;
}

/* Brings the older events of a dossier taken from the snapshot (they chain to its
 * base head), drops the base and projects the dossier from its whole history, in one
 * local transaction.  0 also when the dossier has its whole history already. */
static int fetch_history(struct core *c, struct central *cen, const char *code, int64_t *added, struct err *e)
{
	struct snapshot_base b;
	if (store_snapshot_base_get(c->st, code, 0, &b))
		return 0;
	struct evlist l = {0};
	int rc = cen->ops->begin(cen, 0, NULL, e);
	if (rc)
		return rc;
	rc = cen->ops->dossier_events(cen, code, evlist_add, &l, e);
	cen->ops->rollback(cen);
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
		    store_sync_event_exists(c->st, ev->id))
			continue;
		check_foreign(c, ev, why, sizeof why);
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
	if ((rc = store_snapshot_base_drop(c->st, code, e)) || (rc = project(c, code, NULL, e)) || (rc = store_commit(c->st, e)))
		goto fail;
	goto out;
fail:
	store_rollback(c->st);
out:
	evlist_free(&l);
	return rc;
}

/* Takes a dossier this store does not hold in full (central re-routed it here, or a
 * decision came on a line whose steps were taken elsewhere): all its events from
 * central, checked and applied like any pulled event, in one local transaction; a
 * dossier taken from the snapshot gets its older history first (fetch_history), so
 * that the new steps have something to follow.  0 also when central's history does
 * not fit (the pulled event is then quarantined with its batch). */
static int take_dossier(struct core *c, struct central *cen, const char *code, int64_t *added, int *opened,
			struct err *e)
{
	struct evlist l = {0};
	int rc = fetch_history(c, cen, code, added, e);
	if (rc == MC_INVALID) {
		memset(e, 0, sizeof *e);
		return 0;
	}
	if (rc || (rc = cen->ops->begin(cen, 0, NULL, e)))
		return rc;
	rc = cen->ops->dossier_events(cen, code, evlist_add, &l, e);
	cen->ops->rollback(cen);
	if (!rc)
		rc = apply_dossier_events(c, &l, code, added, opened, e);
	evlist_free(&l);
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

struct codes { char (*code)[CODE_LEN]; int n, cap; };

static int add_code(const char *code, void *ctx)
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
	goto out;
full:
	rc = add_code(row->code, x->full) ? err_set(x->e, MC_STORE, "out of memory") : 0;
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
static int snapshot_load(struct core *c, struct central *cen, const struct sync_opts *o, struct sync_result *r,
			 struct err *e)
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
			struct evlist l = {0};
			if ((rc = cen->ops->begin(cen, 0, NULL, e)) == 0) {
				rc = cen->ops->dossier_events(cen, full.code[i], evlist_add, &l, e);
				cen->ops->rollback(cen);
			}
			if (!rc)
				rc = apply_dossier_events(c, &l, full.code[i], &r->pulled, NULL, e);
			evlist_free(&l);
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
		if (o && o->progress)
			o->progress(o->ctx, "snapshot", done, total > done ? total : done);
		if (last)
			break;
	}
	free(full.code);
	return rc;
}

int sync_fetch(struct core *c, const char *url, const char *code, int64_t *added, struct err *e)
{
	char saved[1024];
	if (office_ready(c, e))
		return e->code;
	if (!url || !*url) {
		if (store_setting_get(c->st, "central.url", saved, sizeof saved) != 0 || !saved[0])
			return err_set_hint(e, MC_USAGE, HINT_CENTRAL_URL, "no central database is configured");
		url = saved;
	}
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
	int rc = fetch_history(c, cen, code, added, e);
	central_close(cen);
	return rc;
}

int sync_pull(struct core *c, struct central *cen, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	struct sync_state_row s;
	int size = o && o->batch > 0 ? o->batch : SYNC_BATCH;
	if (office_ready(c, e))
		return e->code;
	if (store_sync_state(c->st, &s))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
	int rc;
	if (cen->ref_version > s.ref_version) {
		struct refrows rr = {json_array()};
		if ((rc = cen->ops->begin(cen, 0, NULL, e)))
			return rc;
		rc = cen->ops->ref_list(cen, ref_collect, &rr, e);
		cen->ops->rollback(cen);
		if (!rc)
			rc = apply_ref(c, rr.rows, cen->ref_version, e);
		json_decref(rr.rows);
		if (rc)
			return rc;
		r->ref_applied = 1;
	}
	if ((rc = snapshot_load(c, cen, o, r, e)) || (rc = store_sync_state(c->st, &s)))
		return rc;
	struct batch b = {calloc((size_t)size, sizeof(struct event)), 0, size};
	if (!b.ev)
		return err_set(e, MC_STORE, "out of memory");
	int64_t cursor = s.pull_cursor, done = 0;
	int own = s.pull_own;
	rc = 0;
	for (;;) {
		batch_clear(&b);
		struct pullctx pc = {&b, 0};
		int64_t next = cursor;
		if ((rc = cen->ops->begin(cen, 0, NULL, e)))
			break;
		rc = cen->ops->events_since(cen, c->office.agency_code, cursor, size, own, pull_add, &pc, &next, e);
		cen->ops->rollback(cen); /* a read-only transaction */
		if (rc || pc.oom) {
			rc = pc.oom ? err_set(e, MC_STORE, "out of memory") : rc;
			break;
		}
		if (!b.n && next == cursor && !own)
			break;
		/* a change to a step older than a snapshot base: that dossier's older history
		 * first; if central's older steps cannot be taken here, the change is
		 * quarantined with the batch (covered_by_base says why) instead of stopping
		 * the pull */
		char why[8];
		for (int i = 0; i < b.n && !rc; i++)
			if (!store_sync_event_exists(c->st, b.ev[i].id) && !covered_by_base(c, &b.ev[i], why, sizeof why) && why[0] &&
			    (rc = fetch_history(c, cen, b.ev[i].dossier_code, NULL, e)) == MC_INVALID)
				rc = 0;
		/* a dossier re-routed here, or a decision on steps taken elsewhere: its
		 * history first (what cannot be taken is quarantined with the batch) */
		for (int i = 0; i < b.n && !rc; i++) {
			int opened = 0;
			if (misses_prev(c, b.ev, i) && !store_sync_event_exists(c->st, b.ev[i].id))
				rc = take_dossier(c, cen, b.ev[i].dossier_code, &r->pulled, &opened, e);
			r->conflicts += opened;
		}
		if (rc)
			break;
		/* the last batch: this store has caught up with central once */
		if ((rc = apply_batch(c, b.ev, b.n, next, b.n < size && own, r, e)))
			break;
		cursor = next;
		done += b.n;
		if (o && o->progress)
			o->progress(o->ctx, "pull", done, 0);
		if (b.n < size)
			break;
	}
	batch_clear(&b);
	free(b.ev);
	return rc;
}

int sync_run(struct core *c, const char *url, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	char saved[1024];
	memset(r, 0, sizeof *r);
	if (office_ready(c, e))
		return e->code;
	if (!url || !*url) {
		if (store_setting_get(c->st, "central.url", saved, sizeof saved) != 0 || !saved[0])
			return err_set_hint(e, MC_USAGE, HINT_CENTRAL_URL, "no central database is configured");
		url = saved;
	}
	struct central *cen = central_open(url, 0, e);
	int rc = cen ? 0 : e->code;
	char who[80];
	snprintf(who, sizeof who, "this office (%s)", c->office.agency_code);
	if (!rc)
		rc = central_check_schema(cen, CENTRAL_SCHEMA, who, e);
	if (!rc)
		rc = sync_push(c, cen, o, r, e);
	if (!rc)
		rc = sync_pull(c, cen, o, r, e);
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

int sync_status(struct core *c, struct sync_status *s, struct err *e)
{
	struct sync_state_row row;
	memset(s, 0, sizeof *s);
	if (store_sync_state(c->st, &row))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
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
	display_target(s->url, shown, sizeof shown);
	snprintf(s->url, sizeof s->url, "%s", shown);
	return 0;
}

/* ---- bundles: office side ---------------------------------------------------------------- */

struct exportctx { struct bundle_writer *w; int64_t last; int64_t n; int failed; };

static int export_one(const struct event *ev, void *ctx)
{
	struct exportctx *x = ctx;
	if (bundle_put_event(x->w, ev, ev->seq)) {
		x->failed = 1;
		return 1;
	}
	x->last = ev->seq;
	x->n++;
	return 0;
}

int sync_export(struct core *c, const char *path, int64_t *count, struct err *e)
{
	struct sync_state_row s;
	if (office_ready(c, e))
		return e->code;
	if (store_sync_state(c->st, &s))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
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
	struct bundle_writer *w = bundle_create(path, &h, e);
	if (!w)
		return e->code;
	/* one read transaction: the events and the range in the header agree */
	struct exportctx x = {w, s.push_seq, 0, 0};
	while (!x.failed) {
		int64_t before = x.n;
		store_sync_pending(c->st, c->office.agency_code, x.last, SYNC_BATCH, export_one, &x);
		if (x.n - before < SYNC_BATCH || x.last >= h.to)
			break;
	}
	if (x.failed) {
		bundle_abort(w);
		return err_set(e, MC_IO, "cannot write the bundle %s", path);
	}
	if (bundle_finish(w, 0, e))
		return e->code;
	if (count)
		*count = x.n;
	return 0;
}

int sync_import_reply(struct core *c, const char *path, const struct sync_opts *o, struct sync_result *r, struct err *e)
{
	struct bundle_header h;
	struct sync_state_row s;
	memset(r, 0, sizeof *r);
	if (office_ready(c, e))
		return e->code;
	if (store_sync_state(c->st, &s))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
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
				if ((rc = apply_ref(c, refs, h.ref_version, e)))
					break;
				r->ref_applied = 1;
			}
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
			if ((rc = apply_batch(c, b.ev, b.n, lastpos, 0, r, e)))
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
	if (!rc && (rc = apply_batch(c, b.ev, 0, h.cursor_to > lastpos ? h.cursor_to : lastpos, h.own, r, e)) == 0 &&
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
	return rc;
}

/* ---- central side commands ------------------------------------------------------------- */

int central_init(const char *url, const char *agency, struct err *e)
{
	struct central *c = central_open(url, 1, e);
	if (!c)
		return e->code;
	char buf[64], have[32];
	int rc = c->ops->init(c, e);
	if (rc)
		goto out;
	if (c->ops->meta_get(c, "schema", buf, sizeof buf, e) == 0) {
		if (atoi(buf) > CENTRAL_SCHEMA) {
			rc = err_set(e, MC_VERSION, "central %s has schema %s, newer than this motcua knows (%d): upgrade motcua here",
				     c->target, buf, CENTRAL_SCHEMA);
			goto out;
		}
	}
	if (c->ops->meta_get(c, "agency", have, sizeof have, e) == 0) {
		if (agency && strcmp(agency, have)) {
			rc = err_set(e, MC_INVALID, "central %s already has the agency code %s", c->target, have);
			goto out;
		}
		agency = have;
	}
	if (!agency)
		agency = CENTRAL_DEFAULT_AGENCY;
	snprintf(buf, sizeof buf, "%d", CENTRAL_SCHEMA);
	char ver[32] = "0";
	c->ops->meta_get(c, "ref_version", ver, sizeof ver, e);
	char next[32];
	snprintf(next, sizeof next, "%lld", atoll(ver) + 1);
	char agency_copy[32];
	snprintf(agency_copy, sizeof agency_copy, "%s", agency);
	json_t *office = json_pack("{s:s, s:s, s:i}", "code", agency_copy, "name", "Cổng Dịch vụ công (central)", "level", 1);
	json_t *portal = json_pack("{s:s, s:s, s:i, s:s, s:s, s:i}", "account", CENTRAL_PORTAL_ACTOR, "name", "Cổng Dịch vụ công",
				   "roles", 0, "office", agency_copy, "dept", "", "active", 1);
	char *od = json_dumps(office, JSON_COMPACT | JSON_SORT_KEYS), *pd = json_dumps(portal, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(office);
	json_decref(portal);
	if (c->ops->meta_get(c, "log_pos", ver, sizeof ver, e) == MC_NOTFOUND && (rc = c->ops->meta_set(c, "log_pos", "0", e)))
		goto out2;
	if ((rc = c->ops->meta_set(c, "agency", agency_copy, e)) || (rc = c->ops->meta_set(c, "schema", buf, e)) ||
	    (rc = c->ops->ref_put(c, "office", agency_copy, od, e)) ||
	    (rc = c->ops->ref_put(c, "user", CENTRAL_PORTAL_ACTOR, pd, e)) ||
	    (rc = c->ops->meta_set(c, "ref_version", next, e)))
		goto out2;
out2:
	free(od);
	free(pd);
out:
	central_close(c);
	return rc;
}

struct pubctx { struct central *c; struct err *e; int64_t rows; };

static int publish_one(const char *kind, const char *key, json_t *doc, void *ctx)
{
	struct pubctx *p = ctx;
	char *s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		return err_set(p->e, MC_STORE, "out of memory");
	int rc = p->c->ops->ref_put(p->c, kind, key, s, p->e);
	free(s);
	p->rows++;
	return rc;
}

int central_publish(struct central *cen, struct store *st, int64_t *rows, struct err *e)
{
	int64_t base;
	int rc = cen->ops->begin(cen, 1, &base, e);
	if (rc)
		return rc;
	struct pubctx p = {cen, e, 0};
	char buf[32];
	if ((rc = store_sync_ref_each(st, publish_one, &p)) || (rc = cen->ops->meta_get(cen, "ref_version", buf, sizeof buf, e)))
		goto fail;
	snprintf(buf, sizeof buf, "%lld", (long long)cen->ref_version + 1);
	if ((rc = cen->ops->meta_set(cen, "ref_version", buf, e)) || (rc = cen->ops->commit(cen, e)))
		goto fail;
	cen->ref_version++;
	if (rows)
		*rows = p.rows;
	return central_load_users(cen, e);
fail:
	if (!e->code)
		err_set(e, MC_STORE, "cannot read the reference data of this store");
	cen->ops->rollback(cen);
	return e->code;
}

struct procfind { const char *code; json_t *doc; };

static int find_proc(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct procfind *f = ctx;
	if (!strcmp(kind, "procedure") && !strcmp(key, f->code)) {
		f->doc = json_loads(doc, 0, NULL);
		return 1;
	}
	return 0;
}

int central_submit_online(struct central *cen, const struct online_req *r, int64_t now, char *code, size_t n, struct err *e)
{
	char name[NAME_MAX_CHARS * 4 + 1], addr[ADDRESS_MAX_CHARS * 4 + 1], idno[32], phone[32], msg[256], day[16];
	int kind = r->kind ? r->kind : AK_PERSON;
	if (!cen->users && central_load_users(cen, e))
		return e->code;
	if (!r->office || !central_office_ok(cen, r->office))
		return err_set(e, MC_NOTFOUND, "central knows no office '%.40s': publish the reference data first", r->office ? r->office : "");
	if (text_clean(r->name ? r->name : "", "applicant name", NAME_MAX_CHARS, name, sizeof name, msg, sizeof msg) ||
	    text_clean(r->address ? r->address : "", "address", ADDRESS_MAX_CHARS, addr, sizeof addr, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (!name[0])
		return err_set(e, MC_INVALID, "applicant name is required");
	if (dossier_check_idno(kind, r->idno ? r->idno : "", idno, sizeof idno, e) || dossier_check_phone(r->phone, phone, sizeof phone, e))
		return e->code;
	struct procfind f = {r->procedure ? r->procedure : "", NULL};
	cen->ops->ref_list(cen, find_proc, &f, e);
	if (!f.doc)
		return err_set(e, MC_NOTFOUND, "central knows no procedure '%.40s'", f.code);
	int ncomp = (int)json_array_size(json_object_get(f.doc, "components"));
	json_decref(f.doc);
	uint32_t all = ncomp >= 32 ? 0xffffffffu : ((1u << ncomp) - 1);
	uint32_t comps = r->components == 0xffffffffu ? all : r->components; /* 0xffffffff: "all" */
	if (comps & ~all)
		return err_set(e, MC_INVALID, "procedure %s has %d components", r->procedure, ncomp);
	int num;
	cal_format(now, 0, day, sizeof day);
	if (cen->ops->counter_next(cen, day, &num, e))
		return e->code;
	dossier_format_code(cen->agency, now, num, code, n);
	json_t *pl = json_pack("{s:s, s:s, s:i, s:i, s:{s:i, s:s, s:s, s:s, s:s}, s:s}",
		"office", r->office, "procedure", r->procedure, "channel", CH_ONLINE, "components", (int)comps,
		"applicant", "kind", kind, "name", name, "idno", idno, "phone", phone, "address", addr, "outcome", "pending");
	struct event ev;
	make_event(&ev, code, 1, "received", r->os_account ? r->os_account : "", CENTRAL_PORTAL_ACTOR, now, cen->agency, pl, NULL);
	struct central_put p = {0};
	int rc = ev.payload ? central_put_batch(cen, &ev, 1, now, &p, e) : err_set(e, MC_STORE, "out of memory");
	event_clear(&ev);
	if (!rc && p.refused)
		rc = err_set(e, MC_INVALID, "central refused the dossier (see its quarantine)");
	return rc;
}

/* a dossier's events at central and its live heads (own: the line preferred first) */
static int central_dossier(struct central *cen, const char *code, const char *own, struct evlist *l, int *heads,
			   int *nh, struct err *e)
{
	int rc = cen->ops->dossier_events(cen, code, evlist_add, l, e);
	if (rc)
		return rc;
	if (!l->n)
		return err_set(e, MC_NOTFOUND, "central has no dossier '%.60s'", code);
	*nh = evlist_heads(l, own, heads, 8);
	return 0;
}

int central_withdraw(struct central *cen, const char *code, const char *reason, const char *os_account, int64_t now, struct err *e)
{
	char buf[NOTE_MAX_CHARS * 4 + 1], msg[256];
	if (text_clean(reason ? reason : "", "reason", NOTE_MAX_CHARS, buf, sizeof buf, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (!buf[0])
		return err_set(e, MC_INVALID, "a reason is required to withdraw");
	struct evlist l = {0};
	int heads[8], nh, rc;
	if ((rc = central_dossier(cen, code, cen->agency, &l, heads, &nh, e)))
		goto out;
	struct event ev;
	make_event(&ev, code, l.ev[heads[0]].dseq + 1, "withdrawn", os_account ? os_account : "", CENTRAL_PORTAL_ACTOR, now,
		   cen->agency, json_pack("{s:s}", "reason", buf), &l.ev[heads[0]]);
	struct central_put p = {0};
	rc = ev.payload ? central_put_batch(cen, &ev, 1, now, &p, e) : err_set(e, MC_STORE, "out of memory");
	event_clear(&ev);
	if (!rc && p.refused)
		rc = err_set(e, MC_INVALID, "central refused the withdrawal (see its quarantine)");
out:
	evlist_free(&l);
	return rc;
}

/* the step a dossier's line has reached that keeps it where it is: its result is
 * signed, or it is finished; NULL if it may still move to another office */
static const char *line_settled(const struct evlist *l, const int *line, int n)
{
	for (int i = 0; i < n; i++) {
		const struct event *ev = &l->ev[line[i]];
		if (!strcmp(ev->kind, "signed") || !strcmp(ev->kind, "returned") || !strcmp(ev->kind, "refused") ||
		    !strcmp(ev->kind, "withdrawn") || !strcmp(ev->kind, "stopped"))
			return ev->kind;
		if (!strcmp(ev->kind, "received") && strstr(ev->payload, "\"outcome\":\"refuse\""))
			return "refused";
	}
	return NULL;
}

int central_reroute(struct central *cen, const char *code, const char *to, const char *reason, const char *os_account,
		    int64_t now, struct err *e)
{
	char buf[NOTE_MAX_CHARS * 4 + 1], msg[256], from[32];
	if (text_clean(reason ? reason : "", "reason", NOTE_MAX_CHARS, buf, sizeof buf, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (!buf[0])
		return err_set(e, MC_INVALID, "a reason is required to re-route a dossier");
	if (!cen->users && central_load_users(cen, e))
		return e->code;
	if (!to || !central_office_ok(cen, to) || !strcmp(to, cen->agency))
		return err_set(e, MC_NOTFOUND, "central knows no office '%.40s' to send the dossier to: name an office's agency code"
			       " (publish the reference data first)", to ? to : "");
	struct evlist l = {0};
	struct event ev;
	int heads[8], nh = 0, *line = NULL, rc;
	memset(&ev, 0, sizeof ev);
	if ((rc = central_dossier(cen, code, NULL, &l, heads, &nh, e)))
		goto out;
	if (nh > 1) {
		rc = err_set(e, MC_STATE, "dossier %s is in conflict at central: decide which line stands first"
			     " ('motcua central conflicts', then 'motcua central conflicts resolve')", code);
		goto out;
	}
	line = malloc(((size_t)l.n + 1) * sizeof *line);
	int n = nh == 1 && line ? evlist_line(&l, heads[0], line) : -1;
	if (n <= 0) {
		rc = err_set(e, MC_INVALID, "dossier %s: its event chain at central is broken", code);
		goto out;
	}
	const char *settled = line_settled(&l, line, n);
	if (settled) {
		rc = err_set(e, MC_STATE, "dossier %s cannot be re-routed: it is %s (its result is decided where it is)", code, settled);
		goto out;
	}
	if ((rc = cen->ops->event_office(cen, l.ev[heads[0]].id, from, sizeof from, e)))
		goto out;
	if (!strcmp(from, to)) {
		rc = err_set(e, MC_INVALID, "dossier %s is already routed to office %s", code, to);
		goto out;
	}
	make_event(&ev, code, l.ev[heads[0]].dseq + 1, SYNC_REROUTED_KIND, os_account ? os_account : "", CENTRAL_PORTAL_ACTOR,
		   now, cen->agency, json_pack("{s:s, s:s, s:s}", "from", from, "to", to, "reason", buf), &l.ev[heads[0]]);
	struct central_put p = {0};
	rc = ev.payload ? central_put_batch(cen, &ev, 1, now, &p, e) : err_set(e, MC_STORE, "out of memory");
	if (!rc && p.refused)
		rc = err_set(e, MC_INVALID, "central refused the re-routing (see its quarantine)");
out:
	event_clear(&ev);
	free(line);
	evlist_free(&l);
	return rc;
}

int central_resolve(struct central *cen, const char *code, const char *keep_id, const char *os_account, int64_t now,
		    struct err *e)
{
	struct evlist l = {0};
	struct event ev;
	int heads[8], nh = 0, rc;
	char route[32], other[32];
	memset(&ev, 0, sizeof ev);
	if (!cen->users && central_load_users(cen, e))
		return e->code;
	if ((rc = central_dossier(cen, code, NULL, &l, heads, &nh, e)))
		goto out;
	if (nh < 2) {
		rc = err_set(e, MC_STATE, "dossier %s is not in conflict at central", code);
		goto out;
	}
	int kept = -1;
	if ((rc = kept_head(&l, heads, nh, code, keep_id, "motcua central conflicts", &kept, e)))
		goto out;
	if ((rc = cen->ops->event_office(cen, l.ev[kept].id, route, sizeof route, e)))
		goto out;
	json_t *discard = json_array(), *notify = json_array();
	for (int h = 0; h < nh; h++) {
		if (heads[h] == kept)
			continue;
		json_array_append_new(discard, json_string(l.ev[heads[h]].id));
		if ((rc = cen->ops->event_office(cen, l.ev[heads[h]].id, other, sizeof other, e))) {
			json_decref(discard);
			json_decref(notify);
			goto out;
		}
		int seen = !strcmp(other, route);
		for (size_t k = 0; k < json_array_size(notify) && !seen; k++)
			seen = !strcmp(json_string_value(json_array_get(notify, k)), other);
		if (!seen)
			json_array_append_new(notify, json_string(other));
	}
	json_t *pl = json_pack("{s:s, s:o, s:s, s:s, s:o}", "keep", l.ev[kept].id, "discard", discard, "chosen", keep_id,
			       "route", route, "notify", notify);
	make_event(&ev, code, l.ev[kept].dseq + 1, SYNC_RESOLVED_KIND, os_account ? os_account : "", CENTRAL_PORTAL_ACTOR, now,
		   cen->agency, pl, &l.ev[kept]);
	struct central_put p = {0};
	rc = ev.payload ? central_put_batch(cen, &ev, 1, now, &p, e) : err_set(e, MC_STORE, "out of memory");
	if (!rc && p.refused)
		rc = err_set(e, MC_INVALID, "central refused the decision (see its quarantine)");
out:
	event_clear(&ev);
	evlist_free(&l);
	return rc;
}

int central_conflicts(struct central *cen, sync_conflict_cb cb, void *ctx, struct err *e)
{
	struct codes k = {0};
	int rc = cen->ops->forked(cen, add_code, &k, e);
	for (int i = 0; i < k.n && !rc; i++) {
		struct evlist l = {0};
		int heads[8];
		if ((rc = cen->ops->dossier_events(cen, k.code[i], evlist_add, &l, e)) == 0) {
			int nh = evlist_heads(&l, NULL, heads, 8);
			if (nh > 1) {
				struct sync_conflict sc;
				memset(&sc, 0, sizeof sc);
				snprintf(sc.code, sizeof sc.code, "%s", k.code[i]);
				fill_conflict(&l, heads, nh, &sc);
				rc = cb(&sc, ctx);
			}
		}
		evlist_free(&l);
	}
	free(k.code);
	return rc;
}

/* ---- bundles: central side ---------------------------------------------------------------- */

struct replyctx { struct bundle_writer *w; int64_t n; int failed; struct central *cen; int dseq; };

/* a dossier's older events, for an office taking it over by bundle */
static int reply_older(const struct event *ev, void *ctx)
{
	struct replyctx *x = ctx;
	if (ev->dseq >= x->dseq)
		return 0;
	if (bundle_put_event(x->w, ev, ev->seq)) {
		x->failed = 1;
		return 1;
	}
	x->n++;
	return 0;
}

static int reply_event(const struct event *ev, void *ctx)
{
	struct replyctx *x = ctx;
	/* central's routing event may bring the office a dossier (or a line of it) it
	 * has never seen: its older steps go first (what the office has it skips) */
	if (central_routing_event(x->cen, ev)) {
		x->dseq = ev->dseq;
		struct err e2 = {0};
		if (x->cen->ops->dossier_events(x->cen, ev->dossier_code, reply_older, x, &e2) || x->failed) {
			x->failed = 1;
			return 1;
		}
	}
	if (bundle_put_event(x->w, ev, ev->seq)) {
		x->failed = 1;
		return 1;
	}
	x->n++;
	return 0;
}

static int reply_ref(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct replyctx *x = ctx;
	if (bundle_put_ref(x->w, kind, key, doc))
		x->failed = 1;
	return x->failed;
}

int central_import_bundle(struct central *cen, const char *in, const char *reply, int64_t now,
			  struct central_put *r, int64_t *sent, struct err *e)
{
	struct bundle_header h, rh;
	struct bundle_reader *br = bundle_open(in, &h, e);
	if (!br)
		return e->code;
	struct batch b = {calloc(SYNC_BATCH, sizeof(struct event)), 0, SYNC_BATCH};
	struct bundle_writer *w = NULL;
	int rc = 0;
	char who[80];
	snprintf(who, sizeof who, "office %.32s (bundle %.200s)", h.office, in);
	if (!b.ev) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	if (strcmp(h.kind, "events")) {
		rc = err_set(e, MC_INVALID, "%s is a bundle of kind '%.16s', not an office's events: give it to 'motcua sync import'", in, h.kind);
		goto out;
	}
	if ((rc = central_check_schema(cen, h.schema, who, e)))
		goto out;
	if (!cen->users && (rc = central_load_users(cen, e)))
		goto out;
	if (!central_office_ok(cen, h.office)) {
		rc = err_set(e, MC_NOTFOUND, "central knows no office '%.32s' (bundle %s)", h.office, in);
		goto out;
	}
	struct bundle_item it;
	for (;;) {
		int got = bundle_next(br, &it, e);
		if (got != 0 && got != 1) {
			rc = got;
			break;
		}
		if (got == 1 && it.type == 'e') {
			b.ev[b.n++] = it.ev;
			it.ev.payload = NULL;
		}
		bundle_item_clear(&it);
		if (b.n == SYNC_BATCH || (got == 0 && b.n)) {
			rc = central_put_batch(cen, b.ev, b.n, now, r, e);
			batch_clear(&b);
			if (rc)
				break;
		}
		if (got == 0)
			break;
	}
	if (rc)
		goto out;
	memset(&rh, 0, sizeof rh);
	snprintf(rh.kind, sizeof rh.kind, "reply");
	snprintf(rh.office, sizeof rh.office, "%s", h.office);
	rh.schema = cen->schema;
	rh.created = now;
	rh.ack = h.to;
	rh.cursor = h.cursor;
	rh.ref_version = cen->ref_version;
	rh.own = h.own;
	if (!(w = bundle_create(reply, &rh, e))) {
		rc = e->code;
		goto out;
	}
	struct replyctx x = {w, 0, 0, cen, 0};
	if (cen->ref_version > h.ref_version) {
		if ((rc = cen->ops->begin(cen, 0, NULL, e)))
			goto out;
		rc = cen->ops->ref_list(cen, reply_ref, &x, e);
		cen->ops->rollback(cen);
		if (rc || x.failed) {
			rc = rc ? rc : err_set(e, MC_IO, "cannot write the reply %s", reply);
			goto out;
		}
	}
	int64_t cursor = h.cursor;
	for (;;) {
		int64_t before = x.n, next = cursor;
		if ((rc = cen->ops->begin(cen, 0, NULL, e)))
			goto out;
		rc = cen->ops->events_since(cen, h.office, cursor, SYNC_BATCH, h.own, reply_event, &x, &next, e);
		cen->ops->rollback(cen);
		if (rc || x.failed) {
			rc = rc ? rc : err_set(e, MC_IO, "cannot write the reply %s", reply);
			goto out;
		}
		cursor = next;
		if (x.n - before < SYNC_BATCH)
			break;
	}
	rc = bundle_finish(w, cursor, e);
	w = NULL;
	if (!rc && sent)
		*sent = x.n;
out:
	bundle_abort(w);
	batch_clear(&b);
	free(b.ev);
	bundle_close(br);
	return rc;
}
