/* store_lienthong.c - rows of liên thông (see store_lienthong.h). */
#include <stdio.h>
#include <string.h>
#include "store_internal.h"
#include "store_lienthong.h"

int store_lt_agency_set(struct store *st, int64_t procedure_id, int64_t office_id, const char *task, int days, int order,
			int lead, int add, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, add ? "INSERT INTO procedure_agencies(procedure_id, office_id, lead, ord, task, days)"
					       " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(procedure_id, office_id) DO UPDATE SET"
					       " lead = excluded.lead, ord = excluded.ord, task = excluded.task, days = excluded.days"
					     : "DELETE FROM procedure_agencies WHERE procedure_id = ?1 AND office_id = ?2");
	if (s) {
		sqlite3_bind_int64(s, 1, procedure_id);
		sqlite3_bind_int64(s, 2, office_id);
		if (add) {
			sqlite3_bind_int(s, 3, lead);
			sqlite3_bind_int(s, 4, order);
			store_bind_text(s, 5, task);
			sqlite3_bind_int(s, 6, days);
		}
	}
	int rc = store_step_done(st, s, e, "saving a procedure's participating agency");
	if (!rc && add && lead) { /* one lead */
		s = store_prep(st, "UPDATE procedure_agencies SET lead = 0 WHERE procedure_id = ?1 AND office_id <> ?2");
		if (s) {
			sqlite3_bind_int64(s, 1, procedure_id);
			sqlite3_bind_int64(s, 2, office_id);
		}
		rc = store_step_done(st, s, e, "saving a procedure's participating agency");
	}
	return rc;
}

int store_lt_flow_set(struct store *st, int64_t procedure_id, const char *flow, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO procedure_flows(procedure_id, flow) VALUES (?1, ?2)"
				     " ON CONFLICT(procedure_id) DO UPDATE SET flow = excluded.flow");
	if (s) {
		sqlite3_bind_int64(s, 1, procedure_id);
		store_bind_text(s, 2, flow);
	}
	return store_step_done(st, s, e, "saving a procedure's flow");
}

int store_lt_flow(struct store *st, int64_t procedure_id, char *buf, size_t n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT flow FROM procedure_flows WHERE procedure_id = ?1");
	snprintf(buf, n, "%s", "");
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, procedure_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		store_col_text(s, 0, buf, n);
	sqlite3_reset(s);
	return 0;
}

int store_lt_agencies(struct store *st, int64_t procedure_id,
		      int (*cb)(const char *agency, int64_t office_id, const char *task, int days, int order, int lead, void *ctx),
		      void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT o.agency_code, o.id, a.task, a.days, a.ord, a.lead FROM procedure_agencies a"
				     " JOIN offices o ON o.id = a.office_id WHERE a.procedure_id = ?1 ORDER BY a.ord, o.agency_code");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, procedure_id);
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = cb(store_col(s, 0), sqlite3_column_int64(s, 1), store_col(s, 2), sqlite3_column_int(s, 3),
			sqlite3_column_int(s, 4), sqlite3_column_int(s, 5), ctx);
	sqlite3_reset(s);
	return rc;
}

int store_lt_parts_put(struct store *st, int64_t dossier_id, const struct lt_parts *p, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "DELETE FROM dossier_parts WHERE dossier_id = ?1");
	if (s)
		sqlite3_bind_int64(s, 1, dossier_id);
	int rc = store_step_done(st, s, e, "saving a dossier's parts");
	for (int i = 0; !rc && i < p->n; i++) {
		const struct lt_part *x = &p->p[i];
		s = store_prep(st, "INSERT INTO dossier_parts(dossier_id, n, office_id, task, days, state, opened_at, due_at,"
				   " returned_at, assignee, result, slip) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
		if (s) {
			sqlite3_bind_int64(s, 1, dossier_id);
			sqlite3_bind_int(s, 2, x->n);
			sqlite3_bind_int64(s, 3, x->office_id);
			store_bind_text(s, 4, x->task);
			sqlite3_bind_int(s, 5, x->days);
			sqlite3_bind_int(s, 6, x->state);
			sqlite3_bind_int64(s, 7, x->opened_at);
			sqlite3_bind_int64(s, 8, x->due_at);
			sqlite3_bind_int64(s, 9, x->returned_at);
			store_bind_text(s, 10, x->assignee);
			store_bind_text(s, 11, x->result);
			sqlite3_bind_int(s, 12, x->slip);
		}
		rc = store_step_done(st, s, e, "saving a dossier's parts");
	}
	return rc;
}

#define PART_COLS "d.code, p.n, o.agency_code, p.office_id, p.task, p.days, p.state, p.opened_at, p.due_at," \
		  " p.returned_at, p.assignee, p.result, p.slip"

static void part_row(sqlite3_stmt *s, struct lt_part *x)
{
	memset(x, 0, sizeof *x);
	x->n = sqlite3_column_int(s, 1);
	store_col_text(s, 2, x->agency, sizeof x->agency);
	x->office_id = sqlite3_column_int64(s, 3);
	store_col_text(s, 4, x->task, sizeof x->task);
	x->days = sqlite3_column_int(s, 5);
	x->state = sqlite3_column_int(s, 6);
	x->opened_at = sqlite3_column_int64(s, 7);
	x->due_at = sqlite3_column_int64(s, 8);
	x->returned_at = sqlite3_column_int64(s, 9);
	store_col_text(s, 10, x->assignee, sizeof x->assignee);
	store_col_text(s, 11, x->result, sizeof x->result);
	x->slip = sqlite3_column_int(s, 12);
}

int store_lt_parts_each(struct store *st, int64_t office_id, int all,
			int (*cb)(const char *code, const struct lt_part *p, void *ctx), void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " PART_COLS " FROM dossier_parts p JOIN dossiers d ON d.id = p.dossier_id"
				     " JOIN offices o ON o.id = p.office_id WHERE (?1 = 0 OR p.office_id = ?1)"
				     " AND (?2 OR p.state IN (1, 2)) AND d.stage < 90 ORDER BY p.due_at, d.code, p.n");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, office_id);
	sqlite3_bind_int(s, 2, all);
	struct lt_part x;
	char code[CODE_LEN];
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		part_row(s, &x);
		store_col_text(s, 0, code, sizeof code);
		rc = cb(code, &x, ctx);
	}
	sqlite3_reset(s);
	return rc;
}

int store_lt_parts_between(struct store *st, int64_t from, int64_t to,
			   int (*cb)(const char *code, const char *lead, const struct lt_part *p, void *ctx), void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " PART_COLS ", l.agency_code FROM dossier_parts p JOIN dossiers d ON d.id = p.dossier_id"
				     " JOIN offices o ON o.id = p.office_id"
				     " JOIN offices l ON l.id = CASE WHEN d.resolver_id > 0 THEN d.resolver_id ELSE d.office_id END"
				     " WHERE" STORE_NOT_CHAIN("d.code") " AND p.dossier_id IN (SELECT dossier_id FROM dossier_parts WHERE opened_at > 0 GROUP BY dossier_id"
				     " HAVING min(opened_at) >= ?1 AND min(opened_at) < ?2) ORDER BY d.code, p.n");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	struct lt_part x;
	char code[CODE_LEN], lead[32];
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		part_row(s, &x);
		store_col_text(s, 0, code, sizeof code);
		store_col_text(s, 13, lead, sizeof lead);
		rc = cb(code, lead, &x, ctx);
	}
	sqlite3_reset(s);
	return rc;
}

int store_lt_parts_count(struct store *st, int64_t dossier_id, int64_t procedure_id, int *open, int *agencies)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*), coalesce(sum(state <> 3), 0),"
				     " (SELECT count(*) FROM procedure_agencies WHERE procedure_id = ?2 AND lead = 0)"
				     " FROM dossier_parts WHERE dossier_id = ?1");
	int n = 0;
	*open = *agencies = 0;
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, dossier_id);
	sqlite3_bind_int64(s, 2, procedure_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		n = sqlite3_column_int(s, 0);
		*open = sqlite3_column_int(s, 1);
		*agencies = sqlite3_column_int(s, 2);
	}
	sqlite3_reset(s);
	return n;
}

int store_lt_ref_each(struct store *st, int (*cb)(const char *, const char *, json_t *, void *), void *ctx)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT p.id, p.code, coalesce((SELECT flow FROM procedure_flows f WHERE f.procedure_id = p.id), '')"
			       " FROM procedures p WHERE p.id IN (SELECT procedure_id FROM procedure_agencies UNION"
			       " SELECT procedure_id FROM procedure_flows) ORDER BY p.code", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		char code[32];
		store_col_text(s, 1, code, sizeof code);
		json_t *a = json_array();
		sqlite3_stmt *r = store_prep(st, "SELECT o.agency_code, x.task, x.days, x.ord, x.lead FROM procedure_agencies x"
					     " JOIN offices o ON o.id = x.office_id WHERE x.procedure_id = ?1 ORDER BY x.ord, o.agency_code");
		if (r) {
			sqlite3_bind_int64(r, 1, sqlite3_column_int64(s, 0));
			while (sqlite3_step(r) == SQLITE_ROW)
				json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:i, s:b}", "agency", store_col(r, 0), "task",
								   store_col(r, 1), "days", sqlite3_column_int(r, 2), "order",
								   sqlite3_column_int(r, 3), "lead", sqlite3_column_int(r, 4)));
			sqlite3_reset(r);
		}
		json_t *doc = json_pack("{s:s, s:s, s:o}", "procedure", code, "flow", store_col(s, 2), "agencies", a);
		rc = doc ? cb("lienthong", code, doc, ctx) : MC_STORE;
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

int store_lt_ref_apply(struct store *st, json_t *doc, struct err *e)
{
	int64_t pid;
	if (store_procedure_id(st, js(doc, "procedure"), &pid))
		return 0; /* a procedure this store does not have (its catalog row comes first) */
	const char *flow = js(doc, "flow");
	if (*flow && strcmp(flow, "parallel") && strcmp(flow, "sequential") && strcmp(flow, "channel"))
		return err_set(e, MC_INVALID, "reference data from central: unknown liên thông flow '%.20s'", flow);
	sqlite3_stmt *s = store_prep(st, "DELETE FROM procedure_agencies WHERE procedure_id = ?1");
	if (s)
		sqlite3_bind_int64(s, 1, pid);
	int rc = store_step_done(st, s, e, "applying a procedure's liên thông agencies from central");
	s = store_prep(st, "DELETE FROM procedure_flows WHERE procedure_id = ?1");
	if (s)
		sqlite3_bind_int64(s, 1, pid);
	if (!rc)
		rc = store_step_done(st, s, e, "applying a procedure's liên thông agencies from central");
	if (!rc && *flow)
		rc = store_lt_flow_set(st, pid, flow, e);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "agencies"), i, v) {
		struct office o;
		if (rc)
			break;
		if (store_office_by_code(st, js(v, "agency"), &o))
			continue; /* an office this store does not know */
		int days = (int)json_integer_value(json_object_get(v, "days")), order = (int)json_integer_value(json_object_get(v, "order"));
		if (days < 0 || days > 365 || order < 0 || order > 99)
			return err_set(e, MC_INVALID, "reference data from central: a liên thông agency of procedure %.40s has a share or order out of range",
				       js(doc, "procedure"));
		rc = store_lt_agency_set(st, pid, o.id, js(v, "task"), days, order, json_is_true(json_object_get(v, "lead")), 1, e);
	}
	return rc;
}
