/* store_procver.c - the store's part of versioned procedures (db/0018_procversions.sql):
 * writing a version with its components, reading a procedure as of a version, picking
 * the version a receipt falls under, and carrying versions in the reference data that
 * central publishes.  What a version is and when one is made is procver.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"
#include "store_procver.h"
#include "text.h"

int store_procver_add(struct store *st, const struct procedure *p, const struct procver_info *v, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO procedure_versions(procedure_id, version, effective_from, name, field_id,"
				     " time_unit, statutory_direct, committed_direct, statutory_online, committed_online, fee, fees,"
				     " online_level, cutoff, source, created_at, created_by, changes)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
				     " ON CONFLICT(procedure_id, version) DO UPDATE SET effective_from = excluded.effective_from,"
				     " name = excluded.name, field_id = excluded.field_id, time_unit = excluded.time_unit,"
				     " statutory_direct = excluded.statutory_direct, committed_direct = excluded.committed_direct,"
				     " statutory_online = excluded.statutory_online, committed_online = excluded.committed_online,"
				     " fee = excluded.fee, fees = excluded.fees, online_level = excluded.online_level,"
				     " cutoff = excluded.cutoff, source = excluded.source, created_at = excluded.created_at,"
				     " created_by = excluded.created_by, changes = excluded.changes");
	if (s) {
		sqlite3_bind_int64(s, 1, p->id);
		sqlite3_bind_int(s, 2, v->version);
		sqlite3_bind_int64(s, 3, v->effective_from);
		store_bind_text(s, 4, p->name);
		sqlite3_bind_int64(s, 5, p->field_id);
		store_bind_proc_limits(s, 6, p);
		store_bind_text(s, 12, v->fees);
		store_bind_text(s, 13, p->full_online ? "full" : "partial");
		sqlite3_bind_int(s, 14, p->cutoff);
		store_bind_text(s, 15, v->source);
		sqlite3_bind_int64(s, 16, v->created_at);
		store_bind_text(s, 17, v->created_by);
		store_bind_text(s, 18, v->changes);
	}
	if (store_step_done(st, s, e, "saving a version of a procedure"))
		return e->code;
	s = store_prep(st, "DELETE FROM procedure_version_components WHERE procedure_id = ? AND version = ?");
	if (s) {
		sqlite3_bind_int64(s, 1, p->id);
		sqlite3_bind_int(s, 2, v->version);
	}
	if (store_step_done(st, s, e, "saving a version of a procedure"))
		return e->code;
	for (int i = 0; i < p->ncomponents; i++) {
		s = store_prep(st, "INSERT INTO procedure_version_components(procedure_id, version, n, name, required)"
				   " VALUES (?, ?, ?, ?, ?)");
		if (s) {
			sqlite3_bind_int64(s, 1, p->id);
			sqlite3_bind_int(s, 2, v->version);
			sqlite3_bind_int(s, 3, i + 1);
			store_bind_text(s, 4, p->components[i].name);
			sqlite3_bind_int(s, 5, p->components[i].required);
		}
		if (store_step_done(st, s, e, "saving a component of a procedure's version"))
			return e->code;
	}
	return 0;
}

/* the latest version as a version row, if it has none yet (a procedure from before
 * versions, or one added by a path that knows none) */
static int procver_keep(struct store *st, int64_t id, const char *source, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT OR IGNORE INTO procedure_versions(procedure_id, version, name, field_id,"
				     " time_unit, statutory_direct, committed_direct, statutory_online, committed_online, fee,"
				     " online_level, cutoff, source) SELECT id, latest_version, name, field_id, time_unit, statutory_direct,"
				     " committed_direct, statutory_online, committed_online, fee, online_level, cutoff, ?2"
				     " FROM procedures WHERE id = ?1");
	if (s) {
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, source);
	}
	if (store_step_done(st, s, e, "keeping the version of a procedure"))
		return e->code;
	s = store_prep(st, "INSERT OR IGNORE INTO procedure_version_components(procedure_id, version, n, name, required)"
			   " SELECT c.procedure_id, p.latest_version, c.n, c.name, c.required FROM procedure_components c"
			   " JOIN procedures p ON p.id = c.procedure_id WHERE p.id = ?");
	if (s)
		sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s, e, "keeping the version of a procedure");
}

int store_procver_keep(struct store *st, int64_t proc_id, struct err *e) { return procver_keep(st, proc_id, "initial", e); }

int store_procver_set_latest(struct store *st, const struct procedure *p, int version, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE procedures SET name = ?2, field_id = ?3, time_unit = ?4, statutory_direct = ?5,"
				     " committed_direct = ?6, statutory_online = ?7, committed_online = ?8, fee = ?9,"
				     " online_level = ?10, cutoff = ?11, latest_version = ?12, level = ?13,"
				     " dept_id = CASE WHEN ?14 > 0 THEN ?14 ELSE dept_id END WHERE id = ?1");
	if (s) {
		sqlite3_bind_int64(s, 1, p->id);
		store_bind_text(s, 2, p->name);
		sqlite3_bind_int64(s, 3, p->field_id);
		store_bind_proc_limits(s, 4, p);
		store_bind_text(s, 10, p->full_online ? "full" : "partial");
		sqlite3_bind_int(s, 11, p->cutoff);
		sqlite3_bind_int(s, 12, version);
		sqlite3_bind_int(s, 13, p->level);
		sqlite3_bind_int64(s, 14, p->dept_id);
	}
	if (store_step_done(st, s, e, "updating a procedure"))
		return e->code;
	s = store_prep(st, "DELETE FROM procedure_components WHERE procedure_id = ?");
	if (s)
		sqlite3_bind_int64(s, 1, p->id);
	if (store_step_done(st, s, e, "updating a procedure"))
		return e->code;
	return store_proc_components_put(st, p, N_("updating a procedure component"), e);
}

int store_procver_latest(struct store *st, int64_t proc_id, int *version)
{
	sqlite3_stmt *s = store_prep(st, "SELECT latest_version FROM procedures WHERE id = ?");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, proc_id);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		*version = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_procver_at(struct store *st, int64_t proc_id, int64_t at, int *version)
{
	sqlite3_stmt *s = store_prep(st, "SELECT coalesce((SELECT max(version) FROM procedure_versions WHERE procedure_id = ?1"
				     " AND effective_from <= ?2), (SELECT min(version) FROM procedure_versions WHERE procedure_id = ?1), 1)");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, proc_id);
	sqlite3_bind_int64(s, 2, at);
	int ok = sqlite3_step(s) == SQLITE_ROW;
	if (ok)
		*version = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return ok ? 0 : MC_STORE;
}

/* columns 2-13 are the procedure's terms in store_proc_terms_row's order */
#define VER_COLS "v.version, v.effective_from, v.name, v.field_id, f.code, f.name, v.time_unit = 'hour', v.statutory_direct," \
	" v.committed_direct, v.statutory_online, v.committed_online, v.fee, v.online_level = 'full', v.cutoff, v.fees," \
	" v.source, v.created_at, v.created_by, v.changes"

/* one procedure_versions row (VER_COLS) over the procedure's own row already in p */
static void ver_row(struct store *st, sqlite3_stmt *s, struct procedure *p, struct procver_info *v)
{
	p->version = sqlite3_column_int(s, 0);
	store_proc_terms_row(s, 2, p);
	if (v) {
		memset(v, 0, sizeof *v);
		v->version = p->version;
		v->effective_from = sqlite3_column_int64(s, 1);
		store_col_text(s, 14, v->fees, sizeof v->fees);
		store_col_text(s, 15, v->source, sizeof v->source);
		v->created_at = sqlite3_column_int64(s, 16);
		store_col_text(s, 17, v->created_by, sizeof v->created_by);
		store_col_text(s, 18, v->changes, sizeof v->changes);
	}
	sqlite3_stmt *c = store_prep(st, "SELECT n, name, required FROM procedure_version_components WHERE procedure_id = ?"
				     " AND version = ? ORDER BY n");
	p->ncomponents = 0;
	if (!c)
		return;
	sqlite3_bind_int64(c, 1, p->id);
	sqlite3_bind_int(c, 2, p->version);
	store_proc_components_rows(c, p);
}

int store_procver_get(struct store *st, int64_t proc_id, int version, struct procedure *p)
{
	int latest = 1;
	if (store_procedure_get(st, proc_id, p) || store_procver_latest(st, proc_id, &latest))
		return MC_NOTFOUND;
	p->version = latest;
	if (version <= 0 || version == latest)
		return 0; /* the procedures row is the latest version */
	sqlite3_stmt *s = store_prep(st, "SELECT " VER_COLS " FROM procedure_versions v JOIN fields f ON f.id = v.field_id"
				     " WHERE v.procedure_id = ? AND v.version = ?");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, proc_id);
	sqlite3_bind_int(s, 2, version);
	if (sqlite3_step(s) == SQLITE_ROW)
		ver_row(st, s, p, NULL);
	sqlite3_reset(s);
	return 0;
}

int store_procver_of_dossier(struct store *st, const struct dossier *d, struct procedure *p)
{
	int v = d->proc_version;
	if (v <= 0 && store_procver_at(st, d->procedure_id, d->received_at, &v))
		v = 1;
	return store_procver_get(st, d->procedure_id, v, p);
}

int store_procver_each(struct store *st, int64_t proc_id, store_procver_cb cb, void *ctx)
{
	/* a statement of its own: the callback may read the store */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT " VER_COLS " FROM procedure_versions v JOIN fields f ON f.id = v.field_id"
			       " WHERE v.procedure_id = ? ORDER BY v.version", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, proc_id);
	struct procedure *p = malloc(sizeof *p);
	struct procver_info *v = malloc(sizeof *v);
	int rc = p && v ? 0 : MC_STORE;
	int rows = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		if ((rc = store_procedure_get(st, proc_id, p)))
			break;
		ver_row(st, s, p, v);
		rows++;
		rc = cb(p, v, ctx);
	}
	sqlite3_finalize(s);
	if (!rc && !rows && p && v && store_procver_get(st, proc_id, 0, p) == 0) {
		/* no version rows (a procedure from before versions): its one version */
		memset(v, 0, sizeof *v);
		v->version = p->version;
		snprintf(v->source, sizeof v->source, "initial");
		rc = cb(p, v, ctx);
	}
	free(p);
	free(v);
	return rc;
}

int store_field_by_national(struct store *st, const char *nat, int64_t *id)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id FROM fields WHERE national_code = ? AND national_code <> '' ORDER BY id LIMIT 1");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, nat);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

/* ---- reference data ---- */

static int ref_one(const struct procedure *p, const struct procver_info *v, void *ctx)
{
	json_t *arr = ctx, *comps = json_array();
	for (int i = 0; i < p->ncomponents; i++)
		json_array_append_new(comps, json_pack("{s:i, s:s, s:i}", "n", i + 1, "name", p->components[i].name, "required",
						       p->components[i].required));
	json_t *j = json_pack("{s:i, s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:I, s:s, s:i, s:s, s:I, s:s, s:s, s:s, s:o}",
			      "version", v->version, "effective_from", (json_int_t)v->effective_from, "name", p->name,
			      "field", p->field_code, "time_unit", p->hours ? "hour" : "day", "statutory_direct", p->statutory_direct,
			      "committed_direct", p->committed_direct, "statutory_online", p->statutory_online,
			      "committed_online", p->committed_online, "fee", (json_int_t)p->fee, "online_level",
			      p->full_online ? "full" : "partial", "cutoff", p->cutoff, "source", v->source, "created_at",
			      (json_int_t)v->created_at, "created_by", v->created_by, "changes", v->changes, "fees", v->fees,
			      "components", comps);
	if (j)
		json_array_append_new(arr, j);
	return 0;
}

json_t *store_procver_ref(struct store *st, int64_t proc_id)
{
	json_t *arr = json_array();
	if (arr)
		store_procver_each(st, proc_id, ref_one, arr);
	return arr;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int ji(json_t *o, const char *k) { return (int)json_integer_value(json_object_get(o, k)); }

/* reference text from central is untrusted: valid UTF-8 that fits */
static int utf8_ok(const char *s, size_t cap) { return strlen(s) < cap && text_valid_utf8(s, strlen(s)); }

int store_procver_ref_apply(struct store *st, json_t *doc, struct err *e)
{
	int64_t id;
	if (store_procedure_id(st, js(doc, "code"), &id))
		return err_set(e, MC_NOTFOUND, "reference data from central: procedure %.40s was not applied", js(doc, "code"));
	json_t *vers = json_object_get(doc, "versions");
	if (!json_is_array(vers) || !json_array_size(vers)) {
		/* from a central that knows no versions: its procedure is one version, kept */
		return procver_keep(st, id, "central", e);
	}
	struct procedure *p = malloc(sizeof *p);
	struct procver_info *v = malloc(sizeof *v);
	int rc = p && v ? 0 : err_set(e, MC_STORE, "out of memory"), top = 0;
	size_t i, k;
	json_t *row, *c;
	json_array_foreach(vers, i, row) {
		if (rc)
			break;
		memset(p, 0, sizeof *p);
		memset(v, 0, sizeof *v);
		p->id = id;
		v->version = ji(row, "version");
		const char *unit = js(row, "time_unit"), *fees = js(row, "fees");
		int bad = 0;
		json_array_foreach(json_object_get(row, "components"), k, c)
			bad |= !utf8_ok(js(c, "name"), sizeof p->components[0].name);
		if (bad || v->version <= 0 || !utf8_ok(js(row, "name"), sizeof p->name) || !utf8_ok(fees, sizeof v->fees) ||
		    !utf8_ok(js(row, "changes"), sizeof v->changes) || !utf8_ok(js(row, "created_by"), sizeof v->created_by) ||
		    store_field_by_code(st, js(row, "field"), &p->field_id, NULL, 0) ||
		    (strcmp(unit, "day") && strcmp(unit, "hour"))) {
			rc = err_set(e, MC_INVALID, "reference data from central: a version of procedure %.40s is not valid", js(doc, "code"));
			break;
		}
		snprintf(p->name, sizeof p->name, "%s", js(row, "name"));
		p->hours = !strcmp(unit, "hour");
		p->statutory_direct = ji(row, "statutory_direct");
		p->committed_direct = ji(row, "committed_direct");
		p->statutory_online = ji(row, "statutory_online");
		p->committed_online = ji(row, "committed_online");
		p->fee = json_integer_value(json_object_get(row, "fee"));
		p->full_online = !strcmp(js(row, "online_level"), "full");
		int cut = ji(row, "cutoff");
		p->cutoff = cut > 0 && cut < 1440 ? cut : 0;
		json_array_foreach(json_object_get(row, "components"), k, c) {
			if (p->ncomponents == MAX_COMPONENTS)
				break;
			struct component *cp = &p->components[p->ncomponents++];
			snprintf(cp->name, sizeof cp->name, "%s", js(c, "name"));
			cp->required = ji(c, "required");
		}
		v->effective_from = json_integer_value(json_object_get(row, "effective_from"));
		v->created_at = json_integer_value(json_object_get(row, "created_at"));
		snprintf(v->source, sizeof v->source, "%s", js(row, "source"));
		snprintf(v->created_by, sizeof v->created_by, "%s", js(row, "created_by"));
		snprintf(v->changes, sizeof v->changes, "%s", js(row, "changes"));
		snprintf(v->fees, sizeof v->fees, "%s", fees);
		rc = store_procver_add(st, p, v, e);
		if (v->version > top)
			top = v->version;
	}
	free(p);
	free(v);
	if (rc)
		return rc;
	sqlite3_stmt *s = store_prep(st, "UPDATE procedures SET latest_version = ? WHERE id = ?");
	if (s) {
		sqlite3_bind_int(s, 1, top);
		sqlite3_bind_int64(s, 2, id);
	}
	return store_step_done(st, s, e, "applying a procedure from central");
}
