/* reuse.c - offering an applicant's earlier digitised papers and recording their reuse
 * (see reuse.h).  Rows come from store_reuse.c; the event is appended by
 * dossier_attach, like any attachment, without storing bytes. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "office.h"
#include "reuse.h"
#include "store_files.h"
#include "store_reuse.h"
#include "text.h"

#define REUSE_ROLES (ROLE_CLERK | ROLE_HEAD | ROLE_SPECIALIST | ROLE_LEADER)

int reuse_may(struct core *c, struct err *e)
{
	if (c->actor.id && (c->actor.roles & REUSE_ROLES))
		return 0;
	return err_set(e, MC_DENIED, "%s may not look up or reuse an applicant's earlier papers: that needs the role clerk, head, specialist or leader",
		       c->actor.id ? c->actor.account : c->os_account);
}

static void fold(const char *in, char *out, size_t n)
{
	text_fold(in, out, n);
}

/* the payload fields of an `attached` event; -1 if it is no component file */
int reuse_src_parse(const char *payload, struct reuse_src *s)
{
	struct attach_info a;
	memset(s, 0, sizeof *s);
	if (attach_payload(payload, &a))
		return -1;
	s->component = a.component;
	s->result = a.result;
	s->size = a.size;
	snprintf(s->name, sizeof s->name, "%s", a.name);
	snprintf(s->sha, sizeof s->sha, "%s", a.sha256);
	snprintf(s->type, sizeof s->type, "%s", a.type);
	return s->component < 1 || s->result || strlen(s->sha) != 64 ? -1 : 0;
}

void reuse_gather_init(struct reuse_gather *g, struct core *c, const struct procedure *p, struct reuse_offer *out, int n,
		       int max)
{
	g->c = c;
	g->p = p;
	g->out = out;
	g->n = n;
	g->max = max;
	for (int i = 0; i < p->ncomponents; i++)
		fold(p->components[i].name, g->folded[i], sizeof g->folded[i]);
}

void reuse_offer_put(struct reuse_gather *g, const char *f, const struct reuse_src *s, const char *event_id,
		     const char *code, const char *origin, int64_t at, int central)
{
	const struct procedure *p = g->p;
	struct reuse_offer *out = g->out;
	for (int i = 0; f[0] && i < p->ncomponents && g->n < g->max; i++) {
		if (strcmp(f, g->folded[i]))
			continue;
		int dup = 0;
		for (int k = 0; k < g->n && !dup; k++)
			dup = out[k].component == p->components[i].n && !strcmp(out[k].sha256, s->sha);
		if (dup)
			continue;
		struct reuse_offer *o = &out[g->n++];
		memset(o, 0, sizeof *o);
		o->component = p->components[i].n;
		snprintf(o->component_name, sizeof o->component_name, "%s", p->components[i].name);
		snprintf(o->event_id, sizeof o->event_id, "%s", event_id);
		snprintf(o->from_code, sizeof o->from_code, "%s", code);
		snprintf(o->office, sizeof o->office, "%s", origin);
		snprintf(o->name, sizeof o->name, "%s", s->name);
		snprintf(o->sha256, sizeof o->sha256, "%s", s->sha);
		snprintf(o->type, sizeof o->type, "%s", s->type);
		o->size = s->size;
		o->at = at;
		o->central = central;
	}
}

static int offer_one(const struct store_reuse_row *r, void *arg)
{
	struct reuse_gather *x = arg;
	struct reuse_src s;
	char f[800];
	if (reuse_src_parse(r->payload, &s) || !r->component_name[0])
		return 0;
	/* only files whose bytes are here can be reused now */
	if (store_file_info(x->c->st, s.sha, NULL, NULL, 0))
		return 0;
	fold(r->component_name, f, sizeof f);
	reuse_offer_put(x, f, &s, r->event_id, r->code, r->origin, r->at, 0);
	return 0;
}

static int by_component(const void *a, const void *b)
{
	const struct reuse_offer *x = a, *y = b;
	if (x->component != y->component)
		return x->component - y->component;
	return x->at != y->at ? (x->at < y->at ? 1 : -1) : strcmp(x->event_id, y->event_id);
}

int reuse_gather_sort(struct reuse_gather *g)
{
	qsort(g->out, (size_t)g->n, sizeof *g->out, by_component);
	return g->n;
}

static int offers_of(struct core *c, const struct procedure *p, const char *idno, const char *exclude,
		     struct reuse_offer *out, int max, struct err *e)
{
	struct reuse_gather *x = malloc(sizeof *x);
	if (!x)
		return err_set(e, MC_STORE, "out of memory"), -1;
	reuse_gather_init(x, c, p, out, 0, max);
	int rc = store_reuse_each(c->st, idno, exclude, offer_one, x);
	int n = rc == MC_STORE ? -1 : reuse_gather_sort(x);
	free(x);
	if (n < 0)
		return err_set(e, MC_STORE, "cannot read the applicant's earlier papers"), -1;
	return n;
}

int reuse_offers(struct core *c, const char *procedure, int kind, const char *idno, const char *exclude,
		 struct reuse_offer *out, int max, struct err *e)
{
	char id[32];
	if (reuse_may(c, e) || dossier_check_idno(kind, idno ? idno : "", id, sizeof id, e))
		return -1;
	struct procedure *p = calloc(1, sizeof *p);
	if (!p)
		return err_set(e, MC_STORE, "out of memory"), -1;
	int n;
	if (office_procedure(c, procedure ? procedure : "", p)) {
		err_set(e, MC_NOTFOUND, "unknown procedure '%.40s': see 'motcua catalog list'", procedure ? procedure : "");
		n = -1;
	} else
		n = offers_of(c, p, id, exclude, out, max, e);
	free(p);
	return n;
}

struct same_ctx { int component; const char *sha; int found; };

static int same_one(const struct attach_info *a, void *arg)
{
	struct same_ctx *x = arg;
	if (a->component == x->component && !a->result && !strcmp(a->sha256, x->sha))
		x->found = 1;
	return x->found;
}

int reuse_has(struct core *c, const char *code, int component, const char *sha, int *found, struct err *e)
{
	struct same_ctx same = {component, sha, 0};
	int rc = attach_list(c, code, same_one, &same, e);
	*found = same.found;
	return rc;
}

int reuse_offers_for(struct core *c, const char *code, struct reuse_offer *out, int max, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	struct procedure *p = calloc(1, sizeof *p);
	int n = -1;
	if (!d || !p)
		err_set(e, MC_STORE, "out of memory");
	else if (reuse_may(c, e) || dossier_get(c, code, d, e))
		;
	else if (office_dossier_procedure(c, d, p))
		err_set(e, MC_NOTFOUND, "the procedure of dossier %s is not in the catalog", code);
	else
		n = offers_of(c, p, d->applicant_idno, d->code, out, max, e);
	/* what the dossier has already is no offer */
	for (int i = 0; i < n;) {
		struct err le = {0};
		int found;
		if (reuse_has(c, code, out[i].component, out[i].sha256, &found, &le) == 0 && found) {
			memmove(&out[i], &out[i + 1], (size_t)(n - i - 1) * sizeof *out);
			n--;
		} else {
			i++;
		}
	}
	free(d);
	free(p);
	return n;
}

int reuse_pick_newest(const struct reuse_offer *offers, int n, uint32_t mask, struct reuse_pick *picks, int max,
		      struct err *e)
{
	int k = 0;
	for (int comp = 1; comp <= 32; comp++) {
		int want = mask ? !!(mask & (1u << (comp - 1))) : 0, found = 0;
		for (int i = 0; i < n && !found; i++) {
			if (offers[i].component != comp)
				continue;
			found = 1;
			if (!mask || want) {
				if (k >= max)
					return err_set(e, MC_INVALID, "too many papers to reuse at once"), -1;
				picks[k].component = comp;
				snprintf(picks[k].event_id, sizeof picks[k].event_id, "%s", offers[i].event_id);
				k++;
			}
		}
		if (want && !found)
			return err_set(e, MC_NOTFOUND, "the applicant has no earlier digitised paper for component %d: scan it and attach it", comp), -1;
	}
	return k;
}

int reuse_put_none(struct core *c, const struct dossier *d, void *ctx, struct err *e)
{
	(void)d;
	const char *sha = ctx;
	if (store_file_info(c->st, sha, NULL, NULL, 0))
		return err_set(e, MC_NOTFOUND, "the earlier file %.12s is not in this store: it cannot be reused until its bytes arrive", sha);
	return 0;
}

int reuse_attach(struct core *c, const char *code, int component, const char *event_id, struct attach_info *out,
		 struct err *e)
{
	if (reuse_may(c, e))
		return e->code;
	struct dossier *d = malloc(sizeof *d);
	struct procedure *p = calloc(1, sizeof *p);
	struct store_reuse_row *r = malloc(sizeof *r);
	struct reuse_src s;
	char want[800], have[800];
	const char *cname = NULL;
	int rc = 0;
	if (!d || !p || !r) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if ((rc = dossier_get(c, code, d, e)))
		goto done;
	if (office_dossier_procedure(c, d, p)) {
		rc = err_set(e, MC_NOTFOUND, "the procedure of dossier %s is not in the catalog", code);
		goto done;
	}
	for (int i = 0; i < p->ncomponents; i++)
		if (p->components[i].n == component)
			cname = p->components[i].name;
	if (!cname) {
		rc = err_set(e, MC_INVALID, "dossier %s's procedure has no component %d: see motcua reuse %s", code, component, code);
		goto done;
	}
	if (store_reuse_source(c->st, event_id ? event_id : "", r) || reuse_src_parse(r->payload, &s)) {
		rc = err_set(e, MC_NOTFOUND, "no earlier component file has the event id %.32s: see motcua reuse %s", event_id ? event_id : "", code);
		goto done;
	}
	if (!strcmp(r->code, d->code)) {
		rc = err_set(e, MC_INVALID, "the file of event %.32s is already dossier %s's own", event_id, code);
		goto done;
	}
	if (strcmp(r->idno, d->applicant_idno) || r->applicant_kind != d->applicant_kind) {
		rc = err_set(e, MC_DENIED, "the file of event %.32s belongs to another applicant's dossier %s: only the applicant's own papers can be reused", event_id, r->code);
		goto done;
	}
	fold(cname, want, sizeof want);
	fold(r->component_name, have, sizeof have);
	if (strcmp(want, have)) {
		rc = err_set(e, MC_INVALID, "the file of event %.32s is a different paper (%.100s), not component %d (%.100s)", event_id,
			     r->component_name[0] ? r->component_name : "?", component, cname);
		goto done;
	}
	int found;
	if ((rc = reuse_has(c, code, component, s.sha, &found, e)))
		goto done;
	if (found) {
		rc = err_set(e, MC_STATE, "dossier %s already has this file (%.12s) as component %d", code, s.sha, component);
		goto done;
	}
	json_t *pl = json_pack("{s:i, s:s, s:s, s:I, s:s, s:{s:s, s:s, s:s}}", "component", component, "name", s.name, "sha256", s.sha,
			       "size", (json_int_t)s.size, "type", s.type, "reused", "dossier", r->code, "event", r->event_id, "office", r->origin);
	if (!pl) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	struct dossier *after = d; /* dossier_attach writes the dossier as it is after the step */
	if ((rc = dossier_attach(c, code, pl, reuse_put_none, s.sha, after, e)))
		goto done;
	if (out) {
		memset(out, 0, sizeof *out);
		out->component = component;
		out->size = s.size;
		out->dseq = after->version;
		snprintf(out->name, sizeof out->name, "%s", s.name);
		snprintf(out->sha256, sizeof out->sha256, "%s", s.sha);
		snprintf(out->type, sizeof out->type, "%s", s.type);
		snprintf(out->actor, sizeof out->actor, "%s", c->actor.account);
		out->at = after->last_at;
	}
done:
	free(d);
	free(p);
	free(r);
	return rc;
}

int reuse_receive(struct core *c, const struct receive_req *r, int transfer_default, const struct reuse_pick *picks,
		  int npicks, struct receive_result *out, struct err *e)
{
	if (!npicks)
		return receive_dossier(c, r, transfer_default, out, e);
	if (reuse_may(c, e))
		return e->code;
	if (r->pending || (r->outcome && r->outcome != OUT_ACCEPT))
		return err_set(e, MC_INVALID, "earlier papers are reused only when the dossier is accepted: receive it, then reuse them when it is complete");
	struct receive_req q = *r;
	for (int i = 0; i < npicks; i++)
		if (picks[i].component >= 1 && picks[i].component <= 32)
			q.components |= 1u << (picks[i].component - 1);
	if (store_begin(c->st, e))
		return e->code;
	int rc = receive_dossier(c, &q, transfer_default, out, e);
	if (!rc && out->d.office_id != c->office.id)
		rc = err_set(e, MC_STATE, "dossier %s goes on to another agency at receipt: its earlier papers are reused there", out->d.code);
	for (int i = 0; !rc && i < npicks; i++)
		rc = reuse_attach(c, out->d.code, picks[i].component, picks[i].event_id, NULL, e);
	if (!rc)
		rc = dossier_get(c, out->d.code, &out->d, e);
	if (rc) {
		store_rollback(c->st);
		return rc;
	}
	return store_commit(c->st, e);
}
