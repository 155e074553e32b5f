/* procver.c - versioned procedures.  Real catalogues change every quarter (time limits,
 * components, fees), and the law judges a dossier by the rules in force when it was
 * received.  So a procedure has versions; `procedures` holds the latest, and each
 * dossier records the version it was received under (the received event's "pv",
 * dossiers.proc_version): its deadline, components, forms and reports read that version.
 * A version applies to dossiers received from its effective date.
 *
 * This module owns the one path that adds or versions a procedure, which the CSV import
 * (catalog.c) and the national catalogue (catalog_fetch.c) both take: same content as the
 * latest version, nothing; changed content, a new version recording what changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "procver.h"
#include "store.h"
#include "store_portal.h"
#include "store_procver.h"

static void add_key(char *buf, size_t n, const char *k)
{
	size_t l = strlen(buf);
	snprintf(buf + l, n - l, "%s%s", l ? "," : "", k);
}

/* keys of what differs between the latest version a and the new content b */
static void diff(const struct procedure *a, const struct procedure *b, const char *afees, const char *bfees, char *out,
		 size_t n)
{
	out[0] = 0;
	if (strcmp(a->name, b->name))
		add_key(out, n, "name");
	if (a->field_id != b->field_id)
		add_key(out, n, "field");
	if (a->hours != b->hours || a->statutory_direct != b->statutory_direct || a->committed_direct != b->committed_direct ||
	    a->statutory_online != b->statutory_online || a->committed_online != b->committed_online)
		add_key(out, n, "times");
	if (a->fee != b->fee || strcmp(afees, bfees))
		add_key(out, n, "fee");
	if (a->full_online != b->full_online)
		add_key(out, n, "online_level");
	if (a->cutoff != b->cutoff)
		add_key(out, n, "cutoff");
	int comps = a->ncomponents != b->ncomponents;
	for (int i = 0; !comps && i < a->ncomponents; i++)
		comps = strcmp(a->components[i].name, b->components[i].name) || !a->components[i].required != !b->components[i].required;
	if (comps)
		add_key(out, n, "components");
}

void procver_describe(const char *changes, char *buf, size_t n)
{
	static const struct { const char *key, *label; } words[] = {
		{"name", N_("name")}, {"field", N_("field")}, {"times", N_("time limits")}, {"fee", N_("fees")},
		{"online_level", N_("online level")}, {"cutoff", N_("cut-off time")}, {"components", N_("components")},
	};
	buf[0] = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		const char *s = strstr(changes, words[i].key);
		size_t kl = strlen(words[i].key);
		/* whole keys only ("fee" is not "fees") */
		while (s && ((s > changes && s[-1] != ',') || (s[kl] && s[kl] != ',')))
			s = strstr(s + 1, words[i].key);
		if (!s)
			continue;
		size_t l = strlen(buf);
		snprintf(buf + l, n - l, "%s%s", l ? ", " : "", _(words[i].label));
	}
}

struct latest_fees { int version; char *fees; size_t n; };

static int fees_of(const struct procedure *p, const struct procver_info *v, void *ctx)
{
	struct latest_fees *f = ctx;
	(void)p;
	if (v->version == f->version)
		snprintf(f->fees, f->n, "%s", v->fees);
	return 0;
}

int procver_put(struct core *c, const struct procver_req *r, struct procver_out *o, struct err *e)
{
	struct procedure *p = r->p, *old = malloc(sizeof *old);
	struct procver_info *v = calloc(1, sizeof *v);
	char *ofees = calloc(1, sizeof v->fees);
	int rc = 0;
	int64_t now = core_now(c);
	memset(o, 0, sizeof *o);
	if (!old || !v || !ofees) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	if (r->fees && strlen(r->fees) >= sizeof v->fees) {
		rc = err_set(e, MC_INVALID, "procedure %s: its fee lines are longer than %d bytes", p->code, (int)sizeof v->fees - 1);
		goto out;
	}
	snprintf(v->source, sizeof v->source, "%s", r->source ? r->source : "");
	snprintf(v->created_by, sizeof v->created_by, "%s", c->actor.id ? c->actor.account : c->os_account);
	v->created_at = now;
	snprintf(v->fees, sizeof v->fees, "%s", r->fees ? r->fees : "");
	int64_t id;
	if (store_procedure_id(c->st, p->code, &id)) {
		/* a new procedure: version 1, in force from the start */
		v->version = 1;
		if ((rc = store_procedure_add(c->st, p, e)) || (rc = store_procver_add(c->st, p, v, e)))
			goto out;
		o->what = PV_ADDED;
		o->version = 1;
	} else {
		int latest = 1;
		if (store_procver_get(c->st, id, 0, old) || store_procver_latest(c->st, id, &latest)) {
			rc = err_set(e, MC_STORE, "procedure %s could not be read", p->code);
			goto out;
		}
		struct latest_fees lf = {latest, ofees, sizeof v->fees};
		store_procver_each(c->st, id, fees_of, &lf);
		if (!r->fees && old->fee == p->fee) /* a catalogue without fee lines keeps the ones known */
			snprintf(v->fees, sizeof v->fees, "%s", ofees);
		p->id = id;
		if (!p->dept_id)
			p->dept_id = old->dept_id;
		diff(old, p, ofees, v->fees, o->changes, sizeof o->changes);
		if (!o->changes[0]) {
			o->what = PV_UNCHANGED;
			o->version = latest;
			/* level and department are the province's arrangement, not the procedure's
			 * rules: changed in place, without a version */
			if (p->level != old->level || p->dept_id != old->dept_id) {
				if ((rc = store_procver_set_latest(c->st, p, latest, e)))
					goto out;
				o->what = PV_ARRANGED;
			}
		} else {
			/* the version in force so far is kept as it was (a store from before
			 * versions, or a procedure added by an older path, has no row for it) */
			if ((rc = store_procver_keep(c->st, id, e)))
				goto out;
			v->version = latest + 1;
			v->effective_from = r->effective_from > now ? r->effective_from : now;
			snprintf(v->changes, sizeof v->changes, "%s", o->changes);
			if ((rc = store_procver_add(c->st, p, v, e)) || (rc = store_procver_set_latest(c->st, p, v->version, e)))
				goto out;
			o->what = PV_VERSIONED;
			o->version = v->version;
			o->effective_from = v->effective_from;
		}
	}
	if ((r->national && *r->national) || (r->field_national && *r->field_national)) {
		char nat[64] = "", fnat[64];
		if (!r->national || !*r->national) /* keep the procedure's own */
			store_national_codes(c->st, p->code, nat, sizeof nat, fnat, sizeof fnat);
		rc = store_national_set(c->st, p->code, r->national && *r->national ? r->national : nat,
					r->field_national ? r->field_national : "", e);
	}
out:
	free(old);
	free(v);
	free(ofees);
	return rc;
}

int procver_at(struct core *c, int64_t proc_id, int64_t at)
{
	int v = 1;
	store_procver_at(c->st, proc_id, at, &v);
	return v;
}

int procver_of_dossier(struct core *c, const struct dossier *d, struct procedure *p)
{
	return store_procver_of_dossier(c->st, d, p);
}

int procver_by_code_at(struct core *c, const char *code, int64_t at, struct procedure *p)
{
	int64_t id;
	if (store_procedure_id(c->st, code ? code : "", &id))
		return MC_NOTFOUND;
	return store_procver_get(c->st, id, procver_at(c, id, at), p);
}

int procver_latest(struct core *c, const char *code, struct procedure *p)
{
	int64_t id;
	if (store_procedure_id(c->st, code ? code : "", &id))
		return MC_NOTFOUND;
	return store_procver_get(c->st, id, 0, p);
}

struct each_ctx { procver_cb cb; void *ctx; };

static int each_one(const struct procedure *p, const struct procver_info *v, void *ctx)
{
	struct each_ctx *x = ctx;
	struct procver_row r = {p, v->version, v->effective_from, v->created_at, v->source, v->created_by, v->changes, v->fees};
	return x->cb(&r, x->ctx);
}

int procver_each(struct core *c, const char *code, procver_cb cb, void *ctx, struct err *e)
{
	int64_t id;
	if (store_procedure_id(c->st, code ? code : "", &id))
		return err_set_hint(e, MC_NOTFOUND, HINT_CATALOG_LIST, "unknown procedure '%.40s'", code ? code : "");
	struct each_ctx x = {cb, ctx};
	return store_procver_each(c->st, id, each_one, &x);
}
