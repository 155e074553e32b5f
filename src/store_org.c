/* store_org.c - rows of the organisation of 2025 (see store_org.h). */
#include <stdio.h>
#include <string.h>
#include "store_internal.h"
#include "store_org.h"

static int run(struct store *st, sqlite3_stmt *s, struct err *e, const char *what)
{
	if (!s)
		return err_set(e, MC_STORE, "internal SQL error");
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, rc, what);
}

int store_org_set_kind(struct store *st, int64_t office_id, const char *kind, int64_t parent_id, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE offices SET kind = ?2, parent_id = nullif(?3, 0) WHERE id = ?1");
	if (s) {
		sqlite3_bind_int64(s, 1, office_id);
		store_bind_text(s, 2, kind);
		sqlite3_bind_int64(s, 3, parent_id);
	}
	return run(st, s, e, N_("setting the office's kind"));
}

int store_org_proc_set(struct store *st, int64_t office_id, int64_t procedure_id, const char *role, int add, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, add ? "INSERT INTO office_procedures(office_id, procedure_id, role) VALUES (?1, ?2, ?3)"
					       " ON CONFLICT DO NOTHING"
					     : "DELETE FROM office_procedures WHERE office_id = ?1 AND procedure_id = ?2 AND role = ?3");
	if (s) {
		sqlite3_bind_int64(s, 1, office_id);
		sqlite3_bind_int64(s, 2, procedure_id);
		store_bind_text(s, 3, role);
	}
	return run(st, s, e, N_("saving which procedures an office handles"));
}

int store_org_offices(struct store *st, int64_t procedure_id, const char *role, char (*codes)[32], int max)
{
	sqlite3_stmt *s = store_prep(st, "SELECT o.agency_code FROM office_procedures x JOIN offices o ON o.id = x.office_id"
				     " WHERE x.procedure_id = ?1 AND x.role = ?2 ORDER BY o.agency_code");
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, procedure_id);
	store_bind_text(s, 2, role);
	int n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n < max)
			store_col_text(s, 0, codes[n], 32);
		n++;
	}
	sqlite3_reset(s);
	return n;
}

int store_org_has(struct store *st, int64_t office_id, int64_t procedure_id, const char *role, int *any)
{
	sqlite3_stmt *s = store_prep(st, "SELECT max(procedure_id = ?2), count(*) FROM office_procedures"
				     " WHERE office_id = ?1 AND role = ?3");
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, office_id);
	sqlite3_bind_int64(s, 2, procedure_id);
	store_bind_text(s, 3, role);
	int has = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		has = sqlite3_column_int(s, 0);
		if (any)
			*any = sqlite3_column_int(s, 1) > 0;
	}
	sqlite3_reset(s);
	return has;
}

static json_t *codes_of(struct store *st, int64_t office_id, const char *role)
{
	json_t *a = json_array();
	sqlite3_stmt *s = store_prep(st, "SELECT p.code FROM office_procedures x JOIN procedures p ON p.id = x.procedure_id"
				     " WHERE x.office_id = ?1 AND x.role = ?2 ORDER BY p.code");
	if (!s)
		return a;
	sqlite3_bind_int64(s, 1, office_id);
	store_bind_text(s, 2, role);
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, json_string((const char *)sqlite3_column_text(s, 0)));
	sqlite3_reset(s);
	return a;
}

int store_org_ref_each(struct store *st, int (*cb)(const char *, const char *, json_t *, void *), void *ctx)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT o.id, o.agency_code, o.kind, coalesce(p.agency_code, '') FROM offices o"
			       " LEFT JOIN offices p ON p.id = o.parent_id WHERE o.kind <> 'legacy'"
			       " OR o.id IN (SELECT office_id FROM office_procedures) ORDER BY o.agency_code", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		char code[32];
		store_col_text(s, 1, code, sizeof code);
		json_t *doc = json_pack("{s:s, s:s, s:s, s:o, s:o}", "office", code, "kind", (const char *)sqlite3_column_text(s, 2),
					"parent", (const char *)sqlite3_column_text(s, 3), "receives", codes_of(st, id, "receive"),
					"resolves", codes_of(st, id, "resolve"));
		rc = doc ? cb("org", code, doc, ctx) : MC_STORE;
		json_decref(doc);
	}
	sqlite3_finalize(s);
	return rc;
}

static const char *js(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

int store_org_ref_apply(struct store *st, json_t *doc, struct err *e)
{
	const char *kind = js(doc, "kind");
	static const char *const kinds[] = {"legacy", "centre", "branch", "commune", "department", "vertical", NULL};
	int ok = 0;
	for (int i = 0; kinds[i]; i++)
		ok |= !strcmp(kinds[i], kind);
	if (!ok)
		return err_set(e, MC_INVALID, "reference data from central: unknown office kind '%.20s'", kind);
	sqlite3_stmt *s = store_prep(st, "UPDATE offices SET kind = ?2, parent_id = (SELECT id FROM offices WHERE agency_code = ?3)"
				     " WHERE agency_code = ?1");
	if (s) {
		store_bind_text(s, 1, js(doc, "office"));
		store_bind_text(s, 2, kind);
		store_bind_text(s, 3, js(doc, "parent"));
	}
	if (run(st, s, e, N_("applying an office's organisation from central")))
		return e->code;
	s = store_prep(st, "DELETE FROM office_procedures WHERE office_id = (SELECT id FROM offices WHERE agency_code = ?1)");
	if (s)
		store_bind_text(s, 1, js(doc, "office"));
	if (run(st, s, e, N_("applying an office's organisation from central")))
		return e->code;
	static const char *const roles[][2] = {{"receives", "receive"}, {"resolves", "resolve"}};
	for (int r = 0; r < 2; r++) {
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(doc, roles[r][0]), i, v) {
			s = store_prep(st, "INSERT INTO office_procedures(office_id, procedure_id, role) SELECT o.id, p.id, ?3"
				       " FROM offices o, procedures p WHERE o.agency_code = ?1 AND p.code = ?2 ON CONFLICT DO NOTHING");
			if (s) {
				store_bind_text(s, 1, js(doc, "office"));
				store_bind_text(s, 2, json_string_value(v) ? json_string_value(v) : "");
				store_bind_text(s, 3, roles[r][1]);
			}
			if (run(st, s, e, N_("applying an office's organisation from central")))
				return e->code;
		}
	}
	return 0;
}

int store_org_each(struct store *st, int (*cb)(const struct office *o, const char *parent, int receives, int resolves, void *ctx),
		   void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT o.id, o.agency_code, o.name, o.level, o.kind, coalesce(p.agency_code, ''),"
				     " (SELECT count(*) FROM office_procedures x WHERE x.office_id = o.id AND x.role = 'receive'),"
				     " (SELECT count(*) FROM office_procedures x WHERE x.office_id = o.id AND x.role = 'resolve')"
				     " FROM offices o LEFT JOIN offices p ON p.id = o.parent_id ORDER BY o.level, o.agency_code");
	if (!s)
		return MC_STORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		struct office o;
		char parent[32];
		memset(&o, 0, sizeof o);
		o.id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, o.agency_code, sizeof o.agency_code);
		store_col_text(s, 2, o.name, sizeof o.name);
		o.level = sqlite3_column_int(s, 3);
		store_col_text(s, 4, o.kind, sizeof o.kind);
		store_col_text(s, 5, parent, sizeof parent);
		rc = cb(&o, parent, sqlite3_column_int(s, 6), sqlite3_column_int(s, 7), ctx);
	}
	sqlite3_reset(s);
	return rc;
}

int store_org_register_no(struct store *st, const char *first, const char *code)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM dossiers WHERE code >= ?1 AND code <= ?2 AND" STORE_NOT_CHAIN("code"));
	if (!s)
		return 0;
	store_bind_text(s, 1, first);
	store_bind_text(s, 2, code);
	int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

int store_org_followed(struct store *st, int64_t office_id, int all,
		       int (*cb)(const char *code, const char *at, int stage, int64_t due_at, void *ctx), void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT d.code, o.agency_code, d.stage, d.due_at FROM dossiers d JOIN offices o ON o.id = d.office_id"
				     " WHERE d.recv_office_id = ?1 AND d.office_id <> ?1 AND (?2 OR d.stage < 90) ORDER BY d.due_at, d.code");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, office_id);
	sqlite3_bind_int(s, 2, all);
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = cb((const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1), sqlite3_column_int(s, 2),
			sqlite3_column_int64(s, 3), ctx);
	sqlite3_reset(s);
	return rc;
}
