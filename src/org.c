/* org.c - the organisation of 2025: office kinds, receiving and resolving lists, the
 * three places of a dossier (see org.h). */
#include <stdio.h>
#include <string.h>
#include "org.h"
#include "store_org.h"
#include "text.h"

static const char *const kinds[] = {"legacy", "centre", "branch", "commune", "department", "vertical", NULL};

int org_kind_valid(const char *kind)
{
	for (int i = 0; kind && kinds[i]; i++)
		if (!strcmp(kinds[i], kind))
			return 1;
	return 0;
}

int org_kind_receives(const char *kind)
{
	return !strcmp(kind, "centre") || !strcmp(kind, "branch") || !strcmp(kind, "commune");
}

int org_office(struct core *c, const char *agency, int64_t id, struct office *o)
{
	return agency ? store_office_by_code(c->st, agency, o) : store_office_get(c->st, id, o);
}

static int admin_only(struct core *c, struct err *e)
{
	if (!c->is_root && !(c->actor.roles & ROLE_ADMIN))
		return err_set(e, MC_DENIED, "this needs the admin role (or root)");
	return 0;
}

int org_office_set(struct core *c, const char *agency, const char *name, int level, const char *kind, const char *parent,
		   struct err *e)
{
	if (admin_only(c, e))
		return e->code;
	if (!org_kind_valid(kind))
		return err_set(e, MC_INVALID, "unknown office kind '%.20s': say centre, branch, commune, department, vertical or legacy",
			       kind ? kind : "");
	struct office o, par;
	memset(&par, 0, sizeof par);
	if (parent && *parent && store_office_by_code(c->st, parent, &par))
		return err_set(e, MC_NOTFOUND, "unknown office '%.40s': add the parent office first", parent);
	if (!strcmp(kind, "branch") && !par.id)
		return err_set(e, MC_INVALID, "a branch or reception point belongs to a centre: name it with --parent AGENCY");
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if (store_office_by_code(c->st, agency, &o)) {
		char msg[256];
		memset(&o, 0, sizeof o);
		if (!name || !*name || (level != 1 && level != 3)) {
			store_rollback(c->st);
			return err_set(e, MC_INVALID, "office %.40s is new: give its --name and --level 1 (province) or 3 (commune)", agency);
		}
		if (text_clean(agency, "agency code", 31, o.agency_code, sizeof o.agency_code, msg, sizeof msg) ||
		    text_clean(name, "office name", 200, o.name, sizeof o.name, msg, sizeof msg)) {
			store_rollback(c->st);
			return err_set(e, MC_INVALID, "%s", msg);
		}
		o.level = level;
		if ((rc = store_office_add(c->st, &o, e))) {
			store_rollback(c->st);
			return rc;
		}
	}
	if ((rc = store_org_set_kind(c->st, o.id, kind, par.id, e)) || (rc = store_commit(c->st, e))) {
		store_rollback(c->st);
		return rc;
	}
	return 0;
}

int org_procedure_set(struct core *c, const char *agency, const char *procedure, const char *role, int add, struct err *e)
{
	if (admin_only(c, e))
		return e->code;
	struct office o;
	int64_t pid;
	if (!agency || store_office_by_code(c->st, agency, &o))
		return err_set(e, MC_NOTFOUND, "unknown office '%.40s'", agency ? agency : "");
	if (!procedure || store_procedure_id(c->st, procedure, &pid))
		return err_set(e, MC_NOTFOUND, "unknown procedure '%.40s': see 'motcua catalog list'", procedure ? procedure : "");
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if ((rc = store_org_proc_set(c->st, o.id, pid, role, add, e)) || (rc = store_commit(c->st, e)))
		store_rollback(c->st);
	return rc;
}

int org_places(struct core *c, const struct procedure *p, const char *resolver, const char *return_at, struct office *res,
	       struct office *ret, struct err *e)
{
	int any = 0;
	*res = c->office;
	*ret = c->office;
	int mine = store_org_has(c->st, c->office.id, p->id, "receive", &any);
	if (any && !mine)
		return err_set(e, MC_DENIED, "office %s does not receive procedure %s (its own list of procedures to receive names others)",
			       c->office.agency_code, p->code);
	char codes[8][32];
	int n = store_org_offices(c->st, p->id, "resolve", codes, 8);
	if (resolver && *resolver) {
		if (store_office_by_code(c->st, resolver, res))
			return err_set(e, MC_NOTFOUND, "unknown agency '%.40s' to resolve the dossier", resolver);
		if (!store_org_has(c->st, res->id, p->id, "resolve", NULL) && !(n == 0 && res->id == c->office.id))
			return err_set(e, MC_INVALID, "agency %s does not resolve procedure %s: name one of the agencies competent for it",
				       res->agency_code, p->code);
	} else if (n == 1) {
		if (store_office_by_code(c->st, codes[0], res))
			return err_set(e, MC_NOTFOUND, "unknown agency '%.40s' to resolve the dossier", codes[0]);
	} else if (n > 1 && !store_org_has(c->st, c->office.id, p->id, "resolve", NULL)) {
		return err_set(e, MC_INVALID, "procedure %s is resolved by %d agencies: name the competent one with --resolver AGENCY",
			       p->code, n);
	}
	/* an office of the 2018 model, or a department or vertical agency, receives only what it resolves */
	if (res->id != c->office.id && !org_kind_receives(c->office.kind))
		return err_set(e, MC_DENIED, "office %s receives only the procedures it resolves: procedure %s is resolved by %s",
			       c->office.agency_code, p->code, res->agency_code);
	if (return_at && *return_at) {
		if (store_office_by_code(c->st, return_at, ret))
			return err_set(e, MC_NOTFOUND, "unknown office '%.40s' to return the result at", return_at);
		if (ret->id != c->office.id && !org_kind_receives(ret->kind))
			return err_set(e, MC_INVALID, "office %s does not return results: name a centre, branch or commune centre",
				       ret->agency_code);
	}
	return 0;
}

int org_each_office(struct core *c, int (*cb)(const struct office *o, const char *parent, int receives, int resolves, void *ctx),
		    void *ctx)
{
	return store_org_each(c->st, cb, ctx);
}

int org_register_no(struct core *c, const char *code, int *year)
{
	const char *dash = strchr(code, '-');
	char first[CODE_LEN];
	if (!dash || strlen(dash) < 8 || (size_t)(dash - code) + 10 > sizeof first)
		return 0;
	/* the year's first possible code: AGENCY-YY0101 */
	snprintf(first, sizeof first, "%.*s-%.2s0101", (int)(dash - code), code, dash + 1);
	*year = 2000 + (dash[1] - '0') * 10 + (dash[2] - '0');
	return store_org_register_no(c->st, first, code);
}

int org_followed(struct core *c, int all, int (*cb)(const char *code, const char *at, int stage, int64_t due_at, void *ctx),
		 void *ctx)
{
	return store_org_followed(c->st, c->office.id, all, cb, ctx);
}
