/* reuse_central.c - reuse through central, the province (see reuse.h): an applicant's
 * papers attached at other offices, looked up at central by ID number, offered beside
 * this store's, fetched through the file sync's chunks when chosen, and recorded as
 * reuse.c records a reuse, with the lookup logged in the event.  Central's rows come
 * from central_reuse.h; the bytes from filesync_fetch. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "central_reuse.h"
#include "dossier.h"
#include "filesync.h"
#include "office.h"
#include "reuse.h"
#include "store_files.h"
#include "store_reuse.h"
#include "text.h"

/* central for a lookup, or NULL with e set: offline (MC_IO), or this office or its
 * user has no role at central (MC_DENIED) */
static struct central *rc_open(struct core *c, const char *url, struct err *e)
{
	char saved[1024];
	if (!url || !*url) {
		if (store_setting_get(c->st, "central.url", saved, sizeof saved) || !saved[0]) {
			err_set(e, MC_NOTFOUND, "this office syncs with no central database: only the papers in this store are offered; papers digitised at other offices are looked up once it syncs online (motcua sync --central URL)");
			return NULL;
		}
		url = saved;
	}
	struct err le = {0};
	struct central *cen = central_open(url, 0, &le);
	if (!cen) {
		err_set(e, MC_IO, "central cannot be reached (%.120s): only the papers in this store are offered; papers digitised at other offices are looked up when it can be reached", le.msg);
		return NULL;
	}
	if (central_load_users(cen, &le)) {
		central_close(cen);
		err_set(e, MC_IO, "central cannot be reached (%.120s): only the papers in this store are offered; papers digitised at other offices are looked up when it can be reached", le.msg);
		return NULL;
	}
	int office = 0, user = 0;
	for (int i = 0; i < cen->noffices; i++)
		office |= !strcmp(cen->offices[i], c->office.agency_code);
	for (int i = 0; i < cen->nusers; i++)
		user |= !strcmp(cen->users[i].account, c->actor.account) && !strcmp(cen->users[i].office, c->office.agency_code);
	if (!office || !user) {
		central_close(cen);
		err_set(e, MC_DENIED, "%s at office %s has no role at central: only an office's own users may look up an applicant's papers there",
			c->actor.account, c->office.agency_code);
		return NULL;
	}
	return cen;
}

/* the component file an `attached` payload names: 0, or -1 (a result, unreadable) */
/* the folded name the earlier dossier's procedure gives its component n ("" if none) */
static void earlier_name(struct core *c, const char *procedure, int n, struct procedure *cache, char *out, size_t len)
{
	out[0] = 0;
	if (strcmp(cache->code, procedure) && office_procedure(c, procedure, cache)) {
		memset(cache, 0, sizeof *cache);
		return;
	}
	for (int i = 0; i < cache->ncomponents; i++)
		if (cache->components[i].n == n)
			text_fold(cache->components[i].name, out, len);
}

/* an event of this store whose bytes are here: offered (and reused) by reuse.c */
static int here_whole(struct core *c, const char *event_id, const char *sha)
{
	struct store_reuse_row *r = malloc(sizeof *r);
	int here = r && store_reuse_source(c->st, event_id, r) == 0 && store_file_info(c->st, sha, NULL, NULL, 0) == 0;
	free(r);
	return here;
}

struct rc_offers {
	struct reuse_gather g;
	const char *exclude;
	struct procedure cache;
};

static int offer_central(const struct central_reuse_row *r, void *arg)
{
	struct rc_offers *x = arg;
	struct reuse_src s;
	char f[800];
	if ((x->exclude && !strcmp(r->code, x->exclude)) || reuse_src_parse(r->payload, &s) || here_whole(x->g.c, r->event_id, s.sha))
		return 0;
	earlier_name(x->g.c, r->procedure, s.component, &x->cache, f, sizeof f);
	reuse_offer_put(&x->g, f, &s, r->event_id, r->code, r->origin, r->at, 1);
	return 0;
}

/* central's offers added to the n of this store in out; note says why there are none */
static int add_central(struct core *c, const char *url, const struct procedure *p, int kind, const char *idno,
		       const char *exclude, struct reuse_offer *out, int n, int max, char *note, size_t nnote)
{
	struct err le = {0};
	struct central *cen = rc_open(c, url, &le);
	if (!cen) {
		/* a store that syncs with no central is not offline: nothing to say */
		if (note && le.code != MC_NOTFOUND)
			snprintf(note, nnote, "%s", le.msg);
		return n;
	}
	struct rc_offers *x = calloc(1, sizeof *x);
	if (!x) {
		central_close(cen);
		return n;
	}
	reuse_gather_init(&x->g, c, p, out, n, max);
	x->exclude = exclude;
	if (central_reuse_each(cen, kind, idno, offer_central, x, &le) && note)
		snprintf(note, nnote, "%s", le.msg);
	n = reuse_gather_sort(&x->g);
	free(x);
	central_close(cen);
	return n;
}

int reuse_offers_central(struct core *c, const char *url, const char *procedure, int kind, const char *idno,
			 const char *exclude, struct reuse_offer *out, int max, char *note, size_t nnote, struct err *e)
{
	if (note && nnote)
		note[0] = 0;
	int n = reuse_offers(c, procedure, kind, idno, exclude, out, max, e);
	if (n < 0)
		return n;
	struct procedure *p = calloc(1, sizeof *p);
	char id[32];
	if (!p)
		return err_set(e, MC_STORE, "out of memory"), -1;
	if (!office_procedure(c, procedure, p) && !dossier_check_idno(kind, idno, id, sizeof id, e))
		n = add_central(c, url, p, kind, id, exclude, out, n, max, note, nnote);
	free(p);
	return n;
}

static int dossier_has(struct core *c, const char *code, int component, const char *sha)
{
	struct err le = {0};
	int found;
	return reuse_has(c, code, component, sha, &found, &le) == 0 && found;
}

int reuse_offers_for_central(struct core *c, const char *url, const char *code, struct reuse_offer *out, int max,
			     char *note, size_t nnote, struct err *e)
{
	if (note && nnote)
		note[0] = 0;
	int n = reuse_offers_for(c, code, out, max, e);
	if (n < 0)
		return n;
	struct dossier *d = malloc(sizeof *d);
	struct procedure *p = calloc(1, sizeof *p);
	if (d && p && !dossier_get(c, code, d, e) && !office_procedure_by_id(c, d->procedure_id, p)) {
		n = add_central(c, url, p, d->applicant_kind, d->applicant_idno, d->code, out, n, max, note, nnote);
		for (int i = 0; i < n;) { /* what the dossier has already is no offer */
			if (out[i].central && dossier_has(c, code, out[i].component, out[i].sha256)) {
				memmove(&out[i], &out[i + 1], (size_t)(n - i - 1) * sizeof *out);
				n--;
			} else {
				i++;
			}
		}
	}
	free(d);
	free(p);
	return n;
}

/* ---- a choice -------------------------------------------------------------------------- */

/* an earlier paper at central, looked up for the applicant and fetched */
struct rc_remote {
	const char *event_id;
	struct central_reuse_row row;
	int found, rows;
};

static int find_one(const struct central_reuse_row *r, void *arg)
{
	struct rc_remote *m = arg;
	m->rows++;
	if (!strcmp(r->event_id, m->event_id)) {
		m->row = *r;
		m->found = 1;
	}
	return 0;
}

/* look the event up among the applicant's papers at central and fetch its bytes */
static int remote_fetch(struct core *c, struct central *cen, int kind, const char *idno, struct rc_remote *m, struct err *e)
{
	int rc = central_reuse_each(cen, kind, idno, find_one, m, e);
	if (rc)
		return rc;
	struct reuse_src s;
	if (!m->found || reuse_src_parse(m->row.payload, &s))
		return err_set(e, MC_NOTFOUND, "central has no earlier paper of this applicant with the event id %.32s: see motcua reuse", m->event_id);
	return filesync_fetch(c, cen, s.sha, e);
}

/* record the reuse of a paper found at central (its bytes here): the same checks as
 * reuse_attach, with the lookup in the event */
static int remote_record(struct core *c, const char *code, int component, const struct rc_remote *m, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	struct procedure *p = calloc(1, sizeof *p), *q = calloc(1, sizeof *q);
	struct reuse_src s;
	char want[800] = "", have[800];
	int rc = 0;
	if (!d || !p || !q) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if ((rc = dossier_get(c, code, d, e)))
		goto done;
	if (office_procedure_by_id(c, d->procedure_id, p)) {
		rc = err_set(e, MC_NOTFOUND, "the procedure of dossier %s is not in the catalog", code);
		goto done;
	}
	for (int i = 0; i < p->ncomponents; i++)
		if (p->components[i].n == component)
			text_fold(p->components[i].name, want, sizeof want);
	if (!want[0]) {
		rc = err_set(e, MC_INVALID, "dossier %s's procedure has no component %d: see motcua reuse %s", code, component, code);
		goto done;
	}
	reuse_src_parse(m->row.payload, &s);
	if (!strcmp(m->row.code, d->code)) {
		rc = err_set(e, MC_INVALID, "the file of event %.32s is already dossier %s's own", m->event_id, code);
		goto done;
	}
	earlier_name(c, m->row.procedure, s.component, q, have, sizeof have);
	if (strcmp(want, have)) {
		rc = err_set(e, MC_INVALID, "the file of event %.32s at central is a different paper, not component %d of dossier %s", m->event_id, component, code);
		goto done;
	}
	if (dossier_has(c, code, component, s.sha)) {
		rc = err_set(e, MC_STATE, "dossier %s already has this file (%.12s) as component %d", code, s.sha, component);
		goto done;
	}
	json_t *pl = json_pack("{s:i, s:s, s:s, s:I, s:s, s:{s:s, s:s, s:s, s:{s:s, s:s, s:i}}}", "component", component, "name", s.name,
			       "sha256", s.sha, "size", (json_int_t)s.size, "type", s.type, "reused", "dossier", m->row.code, "event",
			       m->row.event_id, "office", m->row.origin, "central", "office", c->office.agency_code, "actor",
			       c->actor.account, "found", m->rows);
	if (!pl) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	rc = dossier_attach(c, code, pl, reuse_put_none, s.sha, d, e);
done:
	free(d);
	free(p);
	free(q);
	return rc;
}

int reuse_attach_central(struct core *c, const char *url, const char *code, int component, const char *event_id,
			 struct attach_info *out, struct err *e)
{
	struct store_reuse_row *local = malloc(sizeof *local);
	struct dossier *d = malloc(sizeof *d);
	struct rc_remote *m = calloc(1, sizeof *m);
	struct central *cen = NULL;
	int rc = 0, is_local;
	if (!local || !d || !m) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if ((rc = reuse_may(c, e)))
		goto done;
	is_local = store_reuse_source(c->st, event_id ? event_id : "", local) == 0;
	struct reuse_src s;
	if (is_local && (reuse_src_parse(local->payload, &s) || store_file_info(c->st, s.sha, NULL, NULL, 0) == 0)) {
		rc = reuse_attach(c, code, component, event_id, out, e); /* this store's, as before */
		goto done;
	}
	if ((rc = dossier_get(c, code, d, e)))
		goto done;
	if (!(cen = rc_open(c, url, e))) {
		rc = is_local ? reuse_attach(c, code, component, event_id, out, e) /* says the bytes have not arrived */
			      : e->code;
		goto done;
	}
	m->event_id = event_id ? event_id : "";
	if ((rc = remote_fetch(c, cen, d->applicant_kind, d->applicant_idno, m, e)))
		goto done;
	if (is_local) {
		rc = reuse_attach(c, code, component, event_id, out, e);
		goto done;
	}
	if ((rc = remote_record(c, code, component, m, e)))
		goto done;
	if (out) {
		reuse_src_parse(m->row.payload, &s);
		memset(out, 0, sizeof *out);
		out->component = component;
		out->size = s.size;
		snprintf(out->name, sizeof out->name, "%s", s.name);
		snprintf(out->sha256, sizeof out->sha256, "%s", s.sha);
		snprintf(out->type, sizeof out->type, "%s", s.type);
		snprintf(out->actor, sizeof out->actor, "%s", c->actor.account);
		snprintf(out->reused_from, sizeof out->reused_from, "%s", m->row.code);
	}
done:
	if (cen)
		central_close(cen);
	free(local);
	free(d);
	free(m);
	return rc;
}

int reuse_receive_central(struct core *c, const char *url, const struct receive_req *r, int transfer_default,
			  const struct reuse_pick *picks, int npicks, struct receive_result *out, struct err *e)
{
	struct rc_remote *m = npicks ? calloc((size_t)npicks, sizeof *m) : NULL;
	struct store_reuse_row *local = malloc(sizeof *local);
	struct reuse_pick *mine = npicks ? calloc((size_t)npicks, sizeof *mine) : NULL;
	struct central *cen = NULL;
	char id[32];
	int rc = 0, nmine = 0;
	if ((npicks && (!m || !mine)) || !local) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if (npicks && reuse_may(c, e)) {
		rc = e->code;
		goto done;
	}
	if (npicks && (r->pending || (r->outcome && r->outcome != OUT_ACCEPT))) {
		rc = err_set(e, MC_INVALID, "earlier papers are reused only when the dossier is accepted: receive it, then reuse them when it is complete");
		goto done;
	}
	/* first the bytes from central, outside the receipt's transaction */
	for (int i = 0; !rc && i < npicks; i++) {
		struct reuse_src s;
		int is_local = store_reuse_source(c->st, picks[i].event_id, local) == 0;
		if (is_local && (reuse_src_parse(local->payload, &s) || store_file_info(c->st, s.sha, NULL, NULL, 0) == 0)) {
			mine[nmine++] = picks[i];
			continue;
		}
		if (!cen && !(cen = rc_open(c, url, e))) {
			rc = e->code;
			break;
		}
		if ((rc = dossier_check_idno(r->kind, r->idno ? r->idno : "", id, sizeof id, e)))
			break;
		m[i].event_id = picks[i].event_id;
		rc = remote_fetch(c, cen, r->kind, id, &m[i], e);
		if (!rc && is_local) {
			mine[nmine++] = picks[i];
			m[i].found = 0;
		}
	}
	if (rc)
		goto done;
	/* then the receipt with this store's picks, and central's in the same transaction */
	if ((rc = store_begin(c->st, e)))
		goto done;
	struct receive_req q = *r;
	for (int i = 0; i < npicks; i++)
		if (picks[i].component >= 1 && picks[i].component <= 32)
			q.components |= 1u << (picks[i].component - 1);
	rc = reuse_receive(c, &q, transfer_default, mine, nmine, out, e);
	if (!rc && nmine < npicks && out->d.office_id != c->office.id)
		rc = err_set(e, MC_STATE, "dossier %s goes on to another agency at receipt: its earlier papers are reused there", out->d.code);
	for (int i = 0; !rc && i < npicks; i++)
		if (m[i].found)
			rc = remote_record(c, out->d.code, picks[i].component, &m[i], e);
	if (!rc)
		rc = dossier_get(c, out->d.code, &out->d, e);
	if (rc)
		store_rollback(c->st);
	else
		rc = store_commit(c->st, e);
done:
	if (cen)
		central_close(cen);
	free(m);
	free(local);
	free(mine);
	return rc;
}
