/* central_admin.c - a province set up at central by commands (`motcua central office
 * add|list`, `central department add|list`, `central procedure assign`), not by
 * writing into an admin store with sqlite3 and publishing it.
 *
 * Why here: central's reference data is c_ref (one JSON document per office,
 * department, procedure, ...), the same documents `central publish` writes and
 * offices apply at their next sync (store_sync_ref_apply).  Each command checks what
 * it refers to, upserts one document and bumps ref_version in one central
 * transaction, so every office takes the change at its next sync.  The role check
 * (an administrator of central) is the CLI's, central_authorize in cli_sync.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "central.h"
#include "central_admin.h"

/* agency and department codes: 1 to 31 printable ASCII characters, no spaces */
static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 31)
		return 0;
	for (; *s; s++)
		if (!isgraph((unsigned char)*s) || *s == '\'' || *s == '"' || *s == '\\')
			return 0;
	return 1;
}

struct find { const char *kind, *key; char *doc; };

static int find_one(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct find *f = ctx;
	if (!f->doc && !strcmp(kind, f->kind) && !strcmp(key, f->key))
		f->doc = strdup(doc);
	return 0;
}

/* the document of (kind, key) at central (malloc'd), NULL if none */
static char *ref_get(struct central *cen, const char *kind, const char *key, struct err *e)
{
	struct find f = {kind, key, NULL};
	if (cen->ops->ref_list(cen, kind, find_one, &f, e))
		return NULL;
	return f.doc;
}

/* upsert one document and bump ref_version, in one transaction */
static int ref_save(struct central *cen, const char *kind, const char *key, json_t *doc, struct err *e)
{
	char *s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		return err_set(e, MC_STORE, "out of memory");
	char ver[32];
	int rc = cen->ops->begin(cen, 1, NULL, e);
	if (!rc && (rc = cen->ops->meta_get(cen, "ref_version", ver, sizeof ver, e)) == MC_NOTFOUND) {
		snprintf(ver, sizeof ver, "0");
		rc = 0;
	}
	if (!rc) {
		snprintf(ver, sizeof ver, "%lld", atoll(ver) + 1);
		if (!(rc = cen->ops->ref_put(cen, kind, key, s, e)) && !(rc = cen->ops->meta_set(cen, "ref_version", ver, e)))
			rc = cen->ops->commit(cen, e);
		if (rc)
			cen->ops->rollback(cen);
		else
			cen->ref_version = atoll(ver);
	}
	free(s);
	return rc;
}

int central_office_put(struct central *cen, const char *code, const char *name, int level, struct err *e)
{
	if (!code_ok(code))
		return err_set(e, MC_INVALID, "'%.40s' is not an agency code: use 1 to 31 letters, digits and dots, like 000.00.31.H45",
			       code);
	if (!name || !*name)
		return err_set(e, MC_INVALID, "an office needs a name: give --name NAME");
	if (level < 1 || level > 3)
		return err_set(e, MC_INVALID, "the level of office %s must be 1 (province), 2 (district) or 3 (commune), not %d", code, level);
	json_t *doc = json_pack("{s:s, s:s, s:i}", "code", code, "name", name, "level", level);
	int rc = doc ? ref_save(cen, "office", code, doc, e) : err_set(e, MC_STORE, "out of memory");
	json_decref(doc);
	return rc ? rc : central_load_users(cen, e);
}

int central_department_put(struct central *cen, const char *code, const char *office, const char *name, struct err *e)
{
	if (!code_ok(code))
		return err_set(e, MC_INVALID, "'%.40s' is not a department code: use 1 to 31 letters, digits and dots", code);
	if (!name || !*name)
		return err_set(e, MC_INVALID, "a department needs a name: give --name NAME");
	char *o = ref_get(cen, "office", office ? office : "", e);
	if (!o)
		return e->code ? e->code
			       : err_set(e, MC_NOTFOUND, "central knows no office '%.32s': add it first with 'motcua central office add'",
					 office ? office : "");
	free(o);
	json_t *doc = json_pack("{s:s, s:s, s:s}", "code", code, "office", office, "name", name);
	int rc = doc ? ref_save(cen, "department", code, doc, e) : err_set(e, MC_STORE, "out of memory");
	json_decref(doc);
	return rc;
}

int central_procedure_assign(struct central *cen, const char *code, const char *dept, struct err *e)
{
	char *p = ref_get(cen, "procedure", code, e), *d = NULL;
	if (!p)
		return e->code ? e->code
			       : err_set(e, MC_NOTFOUND, "central knows no procedure '%.40s': publish the catalogue first", code);
	if (*dept && !(d = ref_get(cen, "department", dept, e))) {
		free(p);
		return e->code ? e->code
			       : err_set(e, MC_NOTFOUND, "central knows no department '%.32s': add it with 'motcua central department add'",
					 dept);
	}
	free(d);
	json_t *doc = json_loads(p, 0, NULL);
	free(p);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return err_set(e, MC_STORE, "central's document of procedure %.40s is damaged: publish the catalogue again", code);
	}
	json_object_set_new(doc, "dept", json_string(dept));
	int rc = ref_save(cen, "procedure", code, doc, e);
	json_decref(doc);
	return rc;
}

struct each { const char *kind; central_ref_cb cb; void *ctx; };

static int each_one(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct each *x = ctx;
	if (strcmp(kind, x->kind))
		return 0;
	json_t *j = json_loads(doc, 0, NULL);
	int rc = j ? x->cb(key, j, x->ctx) : 0;
	json_decref(j);
	return rc;
}

int central_ref_each(struct central *cen, const char *kind, central_ref_cb cb, void *ctx, struct err *e)
{
	struct each x = {kind, cb, ctx};
	return cen->ops->ref_list(cen, kind, each_one, &x, e);
}
