/* store_report.c - the SQL behind the statistics report, the dashboard and the forms'
 * register: it selects dossier rows, report.c and dashboard.c classify them.
 *
 * FINISHED is the finish instant of db/0003_report.sql's expression index, repeated
 * word for word so that SQLite uses the index.
 */
#include <string.h>
#include "report.h"
#include "store_internal.h"

#define FINISHED "(CASE WHEN resolved_at > 0 THEN resolved_at WHEN stage >= 90 THEN stage_since" \
	" ELSE 9223372036854775807 END)"

/* a liên thông part's chain (code PARENT-Pn, lienthong.h) is no dossier of its own */
#define NOT_CHAIN " AND code NOT LIKE '%-P_'"

#define ITEM_COLS "id, code, procedure_id, office_id, COALESCE(dept_id, 0), COALESCE(assignee_id, 0)," \
	" channel, stage, apology, rating, received_at, accepted_at, due_at, orig_due_at, resolved_at," \
	" returned_at, stage_since, paused_at, last_at, decision, resolver_id"

static void item_row(sqlite3_stmt *s, struct rep_item *it)
{
	int i = 0;
	it->id = sqlite3_column_int64(s, i++);
	store_col_text(s, i++, it->code, sizeof it->code);
	it->procedure_id = sqlite3_column_int64(s, i++);
	it->office_id = sqlite3_column_int64(s, i++);
	it->dept_id = sqlite3_column_int64(s, i++);
	it->assignee_id = sqlite3_column_int64(s, i++);
	it->channel = sqlite3_column_int(s, i++);
	it->stage = sqlite3_column_int(s, i++);
	it->apology = sqlite3_column_int(s, i++);
	it->rating = sqlite3_column_int(s, i++);
	it->received_at = sqlite3_column_int64(s, i++);
	it->accepted_at = sqlite3_column_int64(s, i++);
	it->due_at = sqlite3_column_int64(s, i++);
	it->orig_due_at = sqlite3_column_int64(s, i++);
	it->resolved_at = sqlite3_column_int64(s, i++);
	it->returned_at = sqlite3_column_int64(s, i++);
	it->stage_since = sqlite3_column_int64(s, i++);
	it->paused_at = sqlite3_column_int64(s, i++);
	it->last_at = sqlite3_column_int64(s, i++);
	it->decision = sqlite3_column_int(s, i++);
	it->resolver_id = sqlite3_column_int64(s, i++);
}

static int run(sqlite3_stmt *s, rep_item_cb cb, void *ctx)
{
	struct rep_item it;
	int rc = 0, step;
	if (!s)
		return MC_STORE;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		item_row(s, &it);
		if ((rc = cb(&it, ctx)) != 0)
			break;
	}
	if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = MC_STORE;
	sqlite3_reset(s);
	return rc;
}

int store_report_period(struct store *st, int64_t office_id, int64_t p0, int64_t p1, rep_item_cb cb, void *ctx)
{
	/* received in the period (the office's own: a dossier central re-routed away
	 * stays in the store but counts where it went) */
	sqlite3_stmt *s = store_prep(st, "SELECT " ITEM_COLS " FROM dossiers"
				     " WHERE received_at >= ?1 AND received_at < ?2 AND (?3 = 0 OR office_id = ?3)" NOT_CHAIN);
	if (s) {
		sqlite3_bind_int64(s, 1, p0);
		sqlite3_bind_int64(s, 2, p1);
		sqlite3_bind_int64(s, 3, office_id);
	}
	int rc = run(s, cb, ctx);
	if (rc)
		return rc;
	/* carried over: received before, not finished before the start */
	s = store_prep(st, "SELECT " ITEM_COLS " FROM dossiers WHERE " FINISHED " >= ?1 AND received_at < ?1"
		       " AND (?2 = 0 OR office_id = ?2)" NOT_CHAIN);
	if (s) {
		sqlite3_bind_int64(s, 1, p0);
		sqlite3_bind_int64(s, 2, office_id);
	}
	return run(s, cb, ctx);
}

int store_report_procs(struct store *st, rep_proc_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT p.id, p.field_id, p.level, f.code, f.name,"
				     " coalesce((SELECT min(effective_from) FROM procedure_versions v WHERE v.procedure_id = p.id), 0)"
				     " FROM procedures p JOIN fields f ON f.id = p.field_id ORDER BY p.id");
	if (!s)
		return MC_STORE;
	struct rep_proc p;
	int rc = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		p.id = sqlite3_column_int64(s, 0);
		p.field_id = sqlite3_column_int64(s, 1);
		p.level = sqlite3_column_int(s, 2);
		store_col_text(s, 3, p.field_code, sizeof p.field_code);
		store_col_text(s, 4, p.field_name, sizeof p.field_name);
		p.since = sqlite3_column_int64(s, 5);
		if ((rc = cb(&p, ctx)) != 0)
			break;
	}
	sqlite3_reset(s);
	return rc;
}

int store_report_open(struct store *st, int64_t office_id, rep_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " ITEM_COLS " FROM dossiers"
				     " WHERE office_id = ?1 AND stage < 90" NOT_CHAIN);
	if (s)
		sqlite3_bind_int64(s, 1, office_id);
	return run(s, cb, ctx);
}

int store_report_received(struct store *st, int64_t office_id, int64_t a, int64_t b, rep_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " ITEM_COLS " FROM dossiers"
				     " WHERE received_at >= ?2 AND received_at < ?3 AND office_id = ?1" NOT_CHAIN
				     " ORDER BY received_at, id");
	if (s) {
		sqlite3_bind_int64(s, 1, office_id);
		sqlite3_bind_int64(s, 2, a);
		sqlite3_bind_int64(s, 3, b);
	}
	return run(s, cb, ctx);
}

/* the register of the 2025 model: what office_id received (org.h), wherever it is now */
int store_report_received_here(struct store *st, int64_t office_id, int64_t a, int64_t b, rep_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " ITEM_COLS " FROM dossiers"
				     " WHERE received_at >= ?2 AND received_at < ?3"
				     " AND (recv_office_id = ?1 OR (recv_office_id = 0 AND office_id = ?1))" NOT_CHAIN
				     " ORDER BY received_at, id");
	if (s) {
		sqlite3_bind_int64(s, 1, office_id);
		sqlite3_bind_int64(s, 2, a);
		sqlite3_bind_int64(s, 3, b);
	}
	return run(s, cb, ctx);
}

int64_t store_report_stamp(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT COALESCE(max(seq), 0) FROM events");
	if (!s)
		return -1;
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	return v;
}
