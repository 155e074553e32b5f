/* store_reuse.c - earlier attachments by ID number, and the digitisation facts of a
 * period's dossiers (see store_reuse.h). */
#include <stdio.h>
#include <string.h>
#include "store_internal.h"
#include "store_reuse.h"

#define REUSE_COLS                                                                                           \
	"e.id, e.dossier_code, e.origin, e.at, d.applicant_kind, d.applicant_idno, coalesce(pc.name, ''), e.payload " \
	"FROM events e JOIN dossiers d ON d.code = e.dossier_code "                                                \
	"LEFT JOIN procedure_components pc ON pc.procedure_id = d.procedure_id "                                 \
	"AND pc.n = json_extract(e.payload, '$.component') "

static void reuse_row(sqlite3_stmt *s, struct store_reuse_row *r)
{
	memset(r, 0, sizeof *r);
	store_col_text(s, 0, r->event_id, sizeof r->event_id);
	store_col_text(s, 1, r->code, sizeof r->code);
	store_col_text(s, 2, r->origin, sizeof r->origin);
	r->at = sqlite3_column_int64(s, 3);
	r->applicant_kind = sqlite3_column_int(s, 4);
	store_col_text(s, 5, r->idno, sizeof r->idno);
	store_col_text(s, 6, r->component_name, sizeof r->component_name);
	store_col_text(s, 7, r->payload, sizeof r->payload);
}

int store_reuse_each(struct store *st, const char *idno, const char *exclude, store_reuse_cb cb, void *ctx)
{
	/* a statement of its own: cb may read the store meanwhile */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT " REUSE_COLS "WHERE d.applicant_idno = ?1 AND d.code <> ?2 AND e.kind = 'attached' "
			       "ORDER BY e.at DESC, e.seq DESC",
			       -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	store_bind_text(s, 1, idno);
	store_bind_text(s, 2, exclude ? exclude : "");
	struct store_reuse_row r;
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		reuse_row(s, &r);
		rc = cb(&r, ctx);
	}
	if (!rc && step != SQLITE_DONE)
		rc = MC_STORE;
	sqlite3_finalize(s);
	return rc;
}

int store_reuse_source(struct store *st, const char *event_id, struct store_reuse_row *out)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " REUSE_COLS "WHERE e.id = ?1 AND e.kind = 'attached'");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, event_id);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		reuse_row(s, out);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

/* the bits of the components (1-32) whose `attached` events before ?3 satisfy cond */
#define COMP_MASK(cond)                                                                                          \
	"(SELECT coalesce(sum(DISTINCT 1 << (json_extract(a.payload, '$.component') - 1)), 0) FROM events a "  \
	"WHERE a.dossier_code = d.code AND a.kind = 'attached' AND a.at < ?3 "                                  \
	"AND json_extract(a.payload, '$.component') BETWEEN 1 AND 32 AND json_extract(a.payload, '$.result') IS NOT 1 " cond ")"

int store_digital_each(struct store *st, int64_t office_id, int64_t p0, int64_t p1, store_digital_cb cb, void *ctx)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(
		    st->db,
		    "SELECT d.code, f.code, f.name, d.components, " COMP_MASK("") ", " COMP_MASK("AND json_extract(a.payload, '$.reused.event') IS NOT NULL") ", "
		    "EXISTS (SELECT 1 FROM events a WHERE a.dossier_code = d.code AND a.kind = 'attached' AND a.at < ?3 "
		    "AND json_extract(a.payload, '$.result') = 1), "
		    "EXISTS (SELECT 1 FROM events g WHERE g.dossier_code = d.code AND g.kind = 'signed' AND g.at < ?3) "
		    "FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN fields f ON f.id = p.field_id "
		    "WHERE d.office_id = ?1 AND d.accepted_at >= ?2 AND d.accepted_at < ?3 AND d.accepted_at > 0 "
		    "ORDER BY f.code, d.code",
		    -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, office_id);
	sqlite3_bind_int64(s, 2, p0);
	sqlite3_bind_int64(s, 3, p1);
	struct store_digital_row r;
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		store_col_text(s, 0, r.code, sizeof r.code);
		store_col_text(s, 1, r.field_code, sizeof r.field_code);
		store_col_text(s, 2, r.field_name, sizeof r.field_name);
		r.components = (uint32_t)sqlite3_column_int64(s, 3);
		r.filed = (uint32_t)sqlite3_column_int64(s, 4);
		r.reused = (uint32_t)sqlite3_column_int64(s, 5);
		r.result_file = sqlite3_column_int(s, 6);
		r.signed_result = sqlite3_column_int(s, 7);
		rc = cb(&r, ctx);
	}
	if (!rc && step != SQLITE_DONE)
		rc = MC_STORE;
	sqlite3_finalize(s);
	return rc;
}
