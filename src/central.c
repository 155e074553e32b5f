/* central.c - central's side of sync (see central.h): opening central by URL, its
 * users and offices, validating and inserting an office's batch (central_put_batch:
 * hash, chain, author, route), and central's own events (online filing, portal
 * withdrawals, re-routing, its decisions on conflicts), publishing reference data and
 * applying an office's bundle.  The backends (central_sqlite.c, central_pg.c) only
 * keep rows; the history both sides read is history.c.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bundle.h"
#include "central.h"
#include "central_keys.h"
#include "dossier.h"
#include "event.h"
#include "fees_counter.h"
#include "i18n.h"
#include "province.h"
#include "text.h"

/* ---- central: open by URL ------------------------------------------------------ */


void central_display_url(const char *url, char *out, size_t n)
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
		central_display_url(url, c->target, sizeof c->target);
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
	if (c->keys)
		storekey_set_free(c->keys);
	free(c->keys);
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
	int rc = c->ops->ref_list(c, "office", load_one, &l, e);
	if (!rc && !l.oom)
		rc = c->ops->ref_list(c, "user", load_one, &l, e);
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

/* 1 if ev is one of central's routing events (a re-routing, or its decision), or an
 * office's routing of a dossier it holds (org.h: to the competent agency and back) */
static int central_routing_event(const struct central *cen, const struct event *ev)
{
	return ev->has_prev && history_route_key(ev) && (!strcmp(ev->origin, cen->agency) || !strcmp(ev->kind, SYNC_ROUTED_KIND));
}

/* The office that received a dossier watches it while another office holds it: its code
 * starts with the receiving office's agency code, issued once and never rebuilt, and
 * its line holds that office's routing (org.h).  Returns 1 and the office in recv. */
static int central_watcher(struct central *cen, const struct event *ev, const char *route, char recv[32], struct err *e)
{
	const char *dash = strchr(ev->dossier_code, '-');
	size_t n = dash ? (size_t)(dash - ev->dossier_code) : 0;
	if (!n || n >= 32)
		return 0;
	memcpy(recv, ev->dossier_code, n);
	recv[n] = 0;
	if (!strcmp(recv, route) || !strcmp(recv, cen->agency) || !strcmp(recv, ev->origin) || !central_office_ok(cen, recv))
		return 0;
	struct history l = {0};
	int found = 0;
	if (cen->ops->dossier_events(cen, ev->dossier_code, history_add, &l, e) == 0)
		for (int i = 0; i < l.n && !found; i++)
			found = !strcmp(l.ev[i].kind, SYNC_ROUTED_KIND) && !strcmp(l.ev[i].origin, recv);
	history_free(&l);
	return found;
}

#define MAX_NOTIFY 8

/* the office dossier code is routed to now, as its events at central say ("" if none
 * this connection may read) */
static int central_holder(struct central *cen, const char *code, char out[32], struct err *e)
{
	struct history l = {0};
	int heads[8];
	out[0] = 0;
	int rc = cen->ops->dossier_events(cen, code, history_add, &l, e);
	if (!rc && l.n && history_heads(&l, NULL, heads, 8) > 0)
		history_route(&l, heads[0], out);
	history_free(&l);
	return rc;
}

/* Fees paid at the receiving desk (fees_counter.h): an event of a receipt chain reaches
 * the office holding its dossier; a dossier routed on takes its receipt chain's events
 * to the office it goes to.  route: where ev's line routes its dossier; moved: ev
 * routes it anew. */
static int central_counter_deliver(struct central *cen, const struct event *ev, const char *route, int moved, struct err *e)
{
	char parent[CODE_LEN], fc[CODE_LEN], holder[32];
	if (fees_counter_parent(ev->dossier_code, parent)) {
		int rc = central_holder(cen, parent, holder, e);
		if (rc || !holder[0] || !strcmp(holder, route) || !strcmp(holder, ev->origin))
			return rc;
		return cen->ops->deliver(cen, ev, holder, e);
	}
	if (!moved || !ev->has_prev || fees_counter_code(ev->dossier_code, fc, sizeof fc))
		return 0;
	struct history l = {0};
	int rc = cen->ops->dossier_events(cen, fc, history_add, &l, e);
	/* (the chain's office is the receiving desk: a dossier back there has them already) */
	for (int i = 0; !rc && i < l.n; i++)
		if (strcmp(l.ev[i].origin, route))
			rc = cen->ops->deliver(cen, &l.ev[i], route, e);
	history_free(&l);
	return rc;
}

/* a routing event of central's: the office it routes the dossier to, and the other
 * offices it must reach (a re-routing: the office left, "from"; a decision: "notify").
 * Returns how many are in notify (0..max), or -1 if ev routes nothing. */
static int central_routing(const struct central *cen, const struct event *ev, char office[32], char (*notify)[32], int max)
{
	if (!central_routing_event(cen, ev))
		return -1;
	json_t *p = json_loads(ev->payload ? ev->payload : "", 0, NULL);
	int k = 0;
	snprintf(office, 32, "%s", jstr(p, history_route_key(ev)));
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

void (*central_test_before_commit)(struct central *cen);

/* The keys central_put_batch checks with are read once per handle, and read again only
 * when a batch has an event they do not show signed: keys are only ever added (an
 * office's first push or bundle enrols it, central_keys.c), so a set read earlier can
 * lack a key but never holds one central no longer has.  A batch's signatures are
 * checked on every core, but for the events the pushing store has checked as its own
 * (central_put_own_batch): one check per event in a process. */
static int put_keys(struct central *cen, struct err *e)
{
	if (!cen->keys && !(cen->keys = calloc(1, sizeof *cen->keys)))
		return err_set(e, MC_STORE, "out of memory");
	struct storekey_set ks;
	int rc = central_keys_load(cen, &ks, e);
	if (rc)
		return rc;
	storekey_set_free(cen->keys);
	*cen->keys = ks;
	cen->keys_loaded = 1;
	return 0;
}

/* sig[i]: storekey_set_check() of evs[i] against central's keys; own, own_pub: see
 * central_put_own_batch */
static int put_check_sigs(struct central *cen, const struct event *evs, int n, const unsigned char *own,
			  const unsigned char *own_pub, int *sig, struct err *e)
{
	int fresh = !cen->keys_loaded, rc;
	if (fresh && (rc = put_keys(cen, e)))
		return rc;
	for (int pass = 0; pass < 2; pass++) {
		/* the events still in doubt, checked together */
		int *ix = malloc((size_t)n * sizeof *ix), *got = malloc((size_t)n * sizeof *got), k = 0;
		struct event *todo = NULL;
		if (!ix || !got) {
			free(ix);
			free(got);
			return err_set(e, MC_STORE, "out of memory");
		}
		for (int i = 0; i < n; i++) {
			if (pass && sig[i] == STOREKEY_SIGNED)
				continue;
			if (own && own[i] && storekey_set_has(cen->keys, evs[i].origin, own_pub, 0)) {
				sig[i] = STOREKEY_SIGNED;
				continue;
			}
			ix[k++] = i;
		}
		/* every event in doubt (the first pass of a batch not its own): checked in
		 * place; otherwise a copy of the ones in doubt */
		if (k == n)
			storekey_set_check_many(cen->keys, evs, n, got);
		else if (k > 0) {
			if (!(todo = malloc((size_t)k * sizeof *todo))) {
				free(ix);
				free(got);
				return err_set(e, MC_STORE, "out of memory");
			}
			for (int j = 0; j < k; j++)
				todo[j] = evs[ix[j]];
			storekey_set_check_many(cen->keys, todo, k, got);
		}
		int doubt = 0;
		for (int j = 0; j < k; j++) {
			sig[ix[j]] = got[j];
			doubt |= got[j] != STOREKEY_SIGNED;
		}
		free(todo);
		free(ix);
		free(got);
		if (!doubt || fresh || pass)
			break;
		/* a key enrolled since the set was read: read it again, and check the rest */
		if ((rc = put_keys(cen, e)))
			return rc;
	}
	return 0;
}

int central_put_batch(struct central *cen, const struct event *evs, int n, int64_t now, struct central_put *r, struct err *e)
{
	return central_put_own_batch(cen, evs, n, NULL, NULL, now, r, e);
}

int central_put_own_batch(struct central *cen, const struct event *evs, int n, const unsigned char *own,
			  const unsigned char own_pub[32], int64_t now, struct central_put *r, struct err *e)
{
	if (n <= 0)
		return 0;
	/* a payload past the limit (EVENT_PAYLOAD_MAX) is refused like any other refused
	 * event, into quarantine, with its payload left out (the whole of it would fill
	 * central's disk there too): refusing the batch kept every later event of the
	 * office from central, sync after sync, bundles too, and nothing could undo it */
	struct event *cut = NULL;
	struct { char stub[48]; size_t len; } *big = NULL;  /* len: an oversize payload's, else 0 */
	for (int i = 0; i < n; i++) {
		size_t len = evs[i].payload ? strlen(evs[i].payload) : 0;
		if (len <= EVENT_PAYLOAD_MAX)
			continue;
		if (!cut) {
			cut = malloc((size_t)n * sizeof *cut);
			big = calloc((size_t)n, sizeof *big);
			if (!cut || !big) {
				free(cut);
				free(big);
				return err_set(e, MC_STORE, "out of memory");
			}
			memcpy(cut, evs, (size_t)n * sizeof *cut);
		}
		big[i].len = len;
		snprintf(big[i].stub, sizeof big[i].stub, "{\"payload_bytes\":%zu}", len);
		cut[i].payload = big[i].stub;
	}
	if (cut)
		evs = cut;
	if (!cen->users && central_load_users(cen, e)) {
		free(cut);
		free(big);
		return e->code;
	}
	const char **offices = calloc((size_t)n, sizeof *offices);
	char (*obuf)[32] = calloc((size_t)n, sizeof *obuf);
	char (*why)[200] = calloc((size_t)n, sizeof *why);
	unsigned char *orphan = calloc((size_t)n, 1);
	char (*route)[32] = calloc((size_t)n, sizeof *route);
	int *refused = calloc((size_t)n, sizeof *refused), *copyof = calloc((size_t)n, sizeof *copyof);
	int *sig = calloc((size_t)n, sizeof *sig);
	struct event_byhash *byhash = NULL;
	int nref = 0, rc = 0, inserted = 0;
	int64_t base = 0;
	if (!offices || !obuf || !why || !orphan || !route || !refused || !copyof || !sig) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	/* the keys of the offices' stores and central's: every event's signature */
	if ((rc = put_check_sigs(cen, evs, n, own, own_pub, sig, e)))
		goto out;
	for (int i = 0; i < n; i++) {
		const struct event *ev = &evs[i];
		if (big && big[i].len)
			snprintf(why[i], sizeof why[i], "its payload of %zu bytes is more than the %d bytes central accepts (only its size is kept here)",
				 big[i].len, EVENT_PAYLOAD_MAX);
		else if (!event_hash_ok(ev))
			snprintf(why[i], sizeof why[i], "the hash does not match the event's content (altered or corrupted)");
		else if (!ev->has_prev && (ev->dseq != 1 || strcmp(ev->kind, "received")))
			snprintf(why[i], sizeof why[i], "a dossier's first event must be 'received' with dseq 1");
		else if (ev->has_prev && ev->dseq < 2)
			snprintf(why[i], sizeof why[i], "dseq %d cannot follow a previous event", ev->dseq);
		else if (!central_user_ok(cen, ev->actor, ev->origin))
			snprintf(why[i], sizeof why[i], "actor '%.40s' is not a user of office %.32s known to central", ev->actor, ev->origin);
		else if (sig[i] == STOREKEY_BAD)
			snprintf(why[i], sizeof why[i], "its signature is not by a key of office %.32s (the event was forged or altered)",
				 ev->origin);
		else if (sig[i] == STOREKEY_UNSIGNED)
			snprintf(why[i], sizeof why[i], "it is not signed, though office %.32s signs every event it writes (a forged event)",
				 ev->origin);
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
		if (why[i][0] && !(big && big[i].len)) {
			int known = cen->ops->event_office(cen, ev, route[i], sizeof route[i], e);
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
			if (!byhash && !(byhash = event_batch_by_hash(evs, n))) {
				rc = err_set(e, MC_STORE, "out of memory");
				goto fail;
			}
			int found = event_prev_in_batch(evs, byhash, n, i);
			if (found < 0)
				snprintf(why[i], sizeof why[i], "its previous event is not at central (broken chain)");
			else if (why[found][0])
				snprintf(why[i], sizeof why[i], "its previous event %.30s was refused", evs[found].id);
			else
				memcpy(route[i], route[found], sizeof route[i]);
		}
		/* an office writes only the dossiers routed to it (central writes any) */
		if (!why[i][0] && route[i][0] && strcmp(evs[i].origin, route[i]) && strcmp(evs[i].origin, cen->agency))
			snprintf(why[i], sizeof why[i], "office %.32s may not write dossier %.40s: it is routed to office %.32s",
				 evs[i].origin, evs[i].dossier_code, route[i]);
		/* a routing event sets the route its line goes on with */
		if (!why[i][0] && offices[i])
			snprintf(route[i], sizeof route[i], "%s", offices[i]);
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
			if (strcmp(notify[j], route[i]) && strcmp(notify[j], evs[i].origin) &&
			    (rc = cen->ops->deliver(cen, &evs[i], notify[j], e)))
				goto fail;
		/* the receiving office follows what it received while another office holds it */
		char recv[32];
		if (route[i][0] && central_watcher(cen, &evs[i], route[i], recv, e) && (rc = cen->ops->deliver(cen, &evs[i], recv, e)))
			goto fail;
		/* fees paid at the receiving desk reach the office holding the dossier */
		if (route[i][0] && (rc = central_counter_deliver(cen, &evs[i], route[i], offices[i] != NULL, e)))
			goto fail;
	}
	/* the office's last sync, in the batch's own transaction; the rest of the
	 * province's projection is the projector's, out of ingest (province.h) */
	if ((rc = province_ingest(cen, evs, n, (const char (*)[32])route, now, e)))
		goto fail;
	/* test hook (tests/sync/cursor.sh): commit late, holding the log lock */
	const char *hold = getenv("MOTCUA_TEST_COMMIT_DELAY_MS");
	if (hold && atoi(hold) > 0)
		usleep((useconds_t)atoi(hold) * 1000);
	if (central_test_before_commit)
		central_test_before_commit(cen);
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
	free(cut);
	free(big);
	free(byhash);
	free(sig);
	free(offices);
	free(obuf);
	free(why);
	free(orphan);
	free(route);
	free(refused);
	free(copyof);
	return rc;
}

/* ---- central's own events ------------------------------------------------------------- */

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
	/* central's own key, published with the reference data (central_keys.h) */
	struct storekey key;
	snprintf(c->agency, sizeof c->agency, "%s", agency_copy);
	if ((rc = central_key_own(c, &key, e)) == 0)
		storekey_free(&key);
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

/* one event of central's own (written as the portal user) on dossier code, from the
 * payload (consumed), after prev_hash (NULL: a dossier's first event), inserted
 * through central_put_batch like an office's; *refused: 1 if central quarantined it */
static int central_write(struct central *cen, const char *code, int dseq, const char *kind, const char *os_account,
			 int64_t now, json_t *payload, const unsigned char *prev_hash, int64_t *refused, struct err *e)
{
	struct event ev;
	event_make(&ev, code, dseq, kind, os_account ? os_account : "", CENTRAL_PORTAL_ACTOR, now, cen->agency, payload,
		   prev_hash);
	json_decref(payload);
	struct central_put p = {0};
	/* central signs its own events with its own key */
	struct storekey key;
	unsigned char msg[EVENT_SIG_MSG];
	int rc = ev.payload ? central_key_own(cen, &key, e) : err_set(e, MC_STORE, "out of memory");
	if (!rc) {
		event_sig_message(&ev, msg);
		rc = storekey_sign(&key, msg, sizeof msg, ev.sig) ? err_set(e, MC_STORE, "cannot sign the event (OpenSSL)") : 0;
		ev.has_sig = !rc;
		storekey_free(&key);
	}
	if (!rc)
		rc = central_put_batch(cen, &ev, 1, now, &p, e);
	event_clear(&ev);
	*refused = p.refused;
	return rc;
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
	cen->ops->ref_list(cen, "procedure", find_proc, &f, e);
	if (!f.doc)
		return err_set(e, MC_NOTFOUND, "central knows no procedure '%.40s'", f.code);
	int ncomp = (int)json_array_size(json_object_get(f.doc, "components"));
	json_decref(f.doc);
	uint32_t all = ncomp >= 32 ? 0xffffffffu : ((1u << ncomp) - 1);
	uint32_t comps = r->components == COMPONENTS_ALL ? all : r->components;
	if (comps & ~all)
		return err_set(e, MC_INVALID, "procedure %s has %d components", r->procedure, ncomp);
	int num;
	cal_format(now, 0, day, sizeof day);
	if (r->portal_code)
		snprintf(code, n, "%s", r->portal_code);
	else if (cen->ops->counter_next(cen, day, &num, e))
		return e->code;
	else
		dossier_format_code(cen->agency, now, num, code, n);
	json_t *pl = json_pack("{s:s, s:s, s:i, s:i, s:{s:i, s:s, s:s, s:s, s:s}, s:s}",
		"office", r->office, "procedure", r->procedure, "channel", CH_ONLINE, "components", (int)comps,
		"applicant", "kind", kind, "name", name, "idno", idno, "phone", phone, "address", addr, "outcome", "pending");
	if (pl && json_array_size(r->links)) /* the files' download links (online_links.h) */
		json_object_set(pl, "links", r->links);
	int64_t refused;
	int rc = central_write(cen, code, 1, "received", r->os_account, now, pl, NULL, &refused, e);
	if (!rc && refused)
		rc = err_set(e, MC_INVALID, "central refused the dossier (see its quarantine)");
	return rc;
}

/* a dossier's events at central and its live heads (own: the line preferred first) */
static int central_dossier(struct central *cen, const char *code, const char *own, struct history *l, int *heads,
			   int *nh, struct err *e)
{
	int rc = cen->ops->dossier_events(cen, code, history_add, l, e);
	if (rc)
		return rc;
	if (!l->n)
		return err_set(e, MC_NOTFOUND, "central has no dossier '%.60s'", code);
	*nh = history_heads(l, own, heads, 8);
	return 0;
}

int central_withdraw(struct central *cen, const char *code, const char *reason, const char *os_account, int64_t now, struct err *e)
{
	char buf[NOTE_MAX_CHARS * 4 + 1], msg[256];
	if (text_clean(reason ? reason : "", "reason", NOTE_MAX_CHARS, buf, sizeof buf, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (!buf[0])
		return err_set(e, MC_INVALID, "a reason is required to withdraw");
	struct history l = {0};
	int heads[8], nh, rc;
	if ((rc = central_dossier(cen, code, cen->agency, &l, heads, &nh, e)))
		goto out;
	int64_t refused;
	rc = central_write(cen, code, l.ev[heads[0]].dseq + 1, "withdrawn", os_account, now, json_pack("{s:s}", "reason", buf),
			   l.ev[heads[0]].hash, &refused, e);
	if (!rc && refused)
		rc = err_set(e, MC_INVALID, "central refused the withdrawal (see its quarantine)");
out:
	history_free(&l);
	return rc;
}

/* the step a dossier's line has reached that keeps it where it is: its result is
 * signed, or it is finished; NULL if it may still move to another office */
static const char *line_settled(const struct history *l, const int *line, int n)
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
	struct history l = {0};
	int heads[8], nh = 0, *line = NULL, rc;
	if ((rc = central_dossier(cen, code, NULL, &l, heads, &nh, e)))
		goto out;
	if (nh > 1) {
		rc = err_set(e, MC_STATE, "dossier %s is in conflict at central: decide which line stands first"
			     " ('motcua central conflicts', then 'motcua central conflicts resolve')", code);
		goto out;
	}
	line = malloc(((size_t)l.n + 1) * sizeof *line);
	int n = nh == 1 && line ? history_line(&l, heads[0], line) : -1;
	if (n <= 0) {
		rc = err_set(e, MC_INVALID, "dossier %s: its event chain at central is broken", code);
		goto out;
	}
	const char *settled = line_settled(&l, line, n);
	if (settled) {
		rc = err_set(e, MC_STATE, "dossier %s cannot be re-routed: it is %s (its result is decided where it is)", code, settled);
		goto out;
	}
	if ((rc = cen->ops->event_office(cen, &l.ev[heads[0]], from, sizeof from, e)))
		goto out;
	if (!strcmp(from, to)) {
		rc = err_set(e, MC_INVALID, "dossier %s is already routed to office %s", code, to);
		goto out;
	}
	int64_t refused;
	rc = central_write(cen, code, l.ev[heads[0]].dseq + 1, SYNC_REROUTED_KIND, os_account, now,
			   json_pack("{s:s, s:s, s:s}", "from", from, "to", to, "reason", buf), l.ev[heads[0]].hash, &refused, e);
	if (!rc && refused)
		rc = err_set(e, MC_INVALID, "central refused the re-routing (see its quarantine)");
out:
	free(line);
	history_free(&l);
	return rc;
}

int central_resolve(struct central *cen, const char *code, const char *keep_id, const char *os_account, int64_t now,
		    struct err *e)
{
	struct history l = {0};
	int heads[8], nh = 0, rc;
	char route[32], other[32];
	if (!cen->users && central_load_users(cen, e))
		return e->code;
	if ((rc = central_dossier(cen, code, NULL, &l, heads, &nh, e)))
		goto out;
	if (nh < 2) {
		rc = err_set(e, MC_STATE, "dossier %s is not in conflict at central", code);
		goto out;
	}
	int kept = -1;
	if ((rc = history_kept_head(&l, heads, nh, code, keep_id, "motcua central conflicts", &kept, e)))
		goto out;
	if ((rc = cen->ops->event_office(cen, &l.ev[kept], route, sizeof route, e)))
		goto out;
	json_t *discard = json_array(), *notify = json_array();
	for (int h = 0; h < nh; h++) {
		if (heads[h] == kept)
			continue;
		json_array_append_new(discard, json_string(l.ev[heads[h]].id));
		if ((rc = cen->ops->event_office(cen, &l.ev[heads[h]], other, sizeof other, e))) {
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
	int64_t refused;
	rc = central_write(cen, code, l.ev[kept].dseq + 1, SYNC_RESOLVED_KIND, os_account, now, pl, l.ev[kept].hash, &refused, e);
	if (!rc && refused)
		rc = err_set(e, MC_INVALID, "central refused the decision (see its quarantine)");
out:
	history_free(&l);
	return rc;
}

int central_conflicts(struct central *cen, sync_conflict_cb cb, void *ctx, struct err *e)
{
	struct codes k = {0};
	int rc = cen->ops->forked(cen, codes_add, &k, e);
	for (int i = 0; i < k.n && !rc; i++) {
		struct history l = {0};
		int heads[8];
		if ((rc = cen->ops->dossier_events(cen, k.code[i], history_add, &l, e)) == 0) {
			int nh = history_heads(&l, NULL, heads, 8);
			if (nh > 1) {
				struct sync_conflict sc;
				memset(&sc, 0, sizeof sc);
				snprintf(sc.code, sizeof sc.code, "%s", k.code[i]);
				history_conflict(&l, heads, nh, &sc);
				rc = cb(&sc, ctx);
			}
		}
		history_free(&l);
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

/* An office's bundle is taken whole or not at all: signed by the key central holds
 * for its office (the first bundle of an office central has no key for enrols it),
 * its events the office's own, in the order and range its header says, as many as
 * its trailer counts.  A reordered or trimmed bundle would otherwise be half-applied
 * (events whose previous event comes later are refused) while its reply
 * acknowledged everything. */
static int central_bundle_check(struct central *cen, struct bundle_reader *br, const struct bundle_header *h,
				const char *in, struct err *e)
{
	if (!h->sig_ok || strcmp(h->signer, h->office))
		return err_set(e, MC_DENIED, "the bundle %s is not signed by the store of office %s (its signature is missing or"
			       " wrong): nothing was applied; export it again from that office", in, h->office);
	struct storekey_set ks;
	int rc = central_keys_load(cen, &ks, e);
	if (rc)
		return rc;
	int held = storekey_set_has(&ks, h->office, h->pub, 0), any = storekey_set_any(&ks, h->office, 0);
	storekey_set_free(&ks);
	struct bundle_item it;
	int64_t n = 0, fresh = 0, last = h->from - 1;
	char office[32];
	for (;;) {
		int got = bundle_next(br, &it, e);
		if (got != 0 && got != 1)
			return got;
		if (got == 0)
			break;
		if (it.type == 'e') {
			n++;
			if (it.ev.seq <= last || it.ev.seq > h->to || strcmp(it.ev.origin, h->office))
				rc = err_set(e, MC_INVALID, "the bundle %s is out of order or holds events that are not office %s's"
					     " (event %lld at position %lld): nothing was applied", in, h->office, (long long)n,
					     (long long)it.ev.seq);
			last = it.ev.seq;
			/* by a key central does not hold: only events it has already (a store
			 * rebuilt from central sends back what it pulled) */
			if (!rc && !held && any) {
				int known = cen->ops->event_office(cen, &it.ev, office, sizeof office, e);
				if (known == MC_NOTFOUND)
					fresh++;
				else if (known)
					rc = known;
			}
		}
		bundle_item_clear(&it);
		if (rc)
			return rc;
	}
	if (n != h->count)
		return err_set(e, MC_INVALID, "the bundle %s holds %lld events but says %lld: nothing was applied", in, (long long)n,
			       (long long)h->count);
	/* new events must come from a store central holds a key of; the first bundle of
	 * an office central holds no key for enrols it.  A bundle with nothing new only
	 * asks for the office's data: the reply an administrator of central hands over. */
	if (fresh)
		return err_set(e, MC_DENIED, "the key that signed the bundle %s is not one central holds for office %s: its %lld new"
			       " events were not written by a store of that office (a new store of the office must sync online"
			       " once first); nothing was applied", in, h->office, (long long)fresh);
	return n && !any ? central_key_enrol(cen, h->office, h->pub, h->since, 0, e) : 0;
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
	struct storekey key = {0};
	int rc = 0;
	char who[320];
	snprintf(who, sizeof who, _("office %.32s (bundle %.200s)"), h.office, in);
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
	/* who wrote it, and is it whole and in order, before anything is applied */
	if ((rc = central_bundle_check(cen, br, &h, in, e)) || (rc = bundle_rewind(br, e)))
		goto out;
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
	if ((rc = central_key_own(cen, &key, e)))
		goto out;
	if (!(w = bundle_create(reply, &rh, e))) {
		rc = e->code;
		goto out;
	}
	bundle_sign_with(w, &key);
	struct replyctx x = {w, 0, 0, cen, 0};
	if (cen->ref_version > h.ref_version) {
		if ((rc = cen->ops->begin(cen, 0, NULL, e)))
			goto out;
		rc = cen->ops->ref_list(cen, NULL, reply_ref, &x, e);
		cen->ops->rollback(cen);
		if (rc || x.failed) {
			rc = rc ? rc : err_set(e, MC_IO, "cannot write the reply %s", reply);
			goto out;
		}
	}
	int64_t cursor = h.cursor, head = 0;
	for (;;) {
		int64_t before = x.n, next = cursor, top = 0;
		if ((rc = cen->ops->begin(cen, 0, &top, e)))
			goto out;
		if (top > head)
			head = top;
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
	bundle_set_head(w, head > cursor ? head : cursor);
	rc = bundle_finish(w, cursor, e);
	w = NULL;
	if (!rc && sent)
		*sent = x.n;
out:
	bundle_abort(w);
	storekey_free(&key);
	batch_clear(&b);
	free(b.ev);
	bundle_close(br);
	return rc;
}
