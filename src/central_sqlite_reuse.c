/* central_sqlite_reuse.c - an applicant's attached files at a SQLite central
 * (central_reuse.h); one prepared statement, read only. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include "central_files.h"
#include "central_reuse.h"

#define SDB(c) ((sqlite3 *)central_sqlite_handle(c))

static void col(sqlite3_stmt *s, int i, char *out, size_t n)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	snprintf(out, n, "%s", v ? (const char *)v : "");
}

int central_sqlite_reuse_each(struct central *c, int kind, const char *idno, central_reuse_cb cb, void *ctx, struct err *e)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(SDB(c),
			       "SELECT a.id, a.dossier_code, a.origin, a.at, json_extract(r.payload, '$.procedure'), a.payload "
			       "FROM c_events r JOIN c_events a ON a.dossier_code = r.dossier_code AND a.kind = 'attached' "
			       "JOIN c_files f ON f.sha256 = json_extract(a.payload, '$.sha256') AND f.complete = 1 "
			       "WHERE r.kind = 'received' AND json_extract(r.payload, '$.applicant.idno') = ?1 "
			       "AND json_extract(r.payload, '$.applicant.kind') = ?2 "
			       "ORDER BY a.at DESC, a.id LIMIT ?3",
			       -1, &s, NULL) != SQLITE_OK) {
		int notable = strstr(sqlite3_errmsg(SDB(c)), "no such table") != NULL;
		if (notable)
			return err_set(e, MC_VERSION, "central %s has no tables for files: run 'motcua central init' there with this version", c->target);
		return err_set(e, MC_IO, "central %s: looking up the applicant's papers: %s", c->target, sqlite3_errmsg(SDB(c)));
	}
	sqlite3_bind_text(s, 1, idno, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, kind);
	sqlite3_bind_int(s, 3, CENTRAL_REUSE_MAX);
	struct central_reuse_row r;
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		col(s, 0, r.event_id, sizeof r.event_id);
		col(s, 1, r.code, sizeof r.code);
		col(s, 2, r.origin, sizeof r.origin);
		r.at = sqlite3_column_int64(s, 3);
		col(s, 4, r.procedure, sizeof r.procedure);
		col(s, 5, r.payload, sizeof r.payload);
		rc = cb(&r, ctx);
	}
	if (!rc && step != SQLITE_DONE)
		rc = err_set(e, MC_IO, "central %s: looking up the applicant's papers: %s", c->target, sqlite3_errmsg(SDB(c)));
	sqlite3_finalize(s);
	return rc;
}

int central_reuse_each(struct central *c, int kind, const char *idno, central_reuse_cb cb, void *ctx, struct err *e)
{
	return c->ops == &central_sqlite_ops ? central_sqlite_reuse_each(c, kind, idno, cb, ctx, e)
					     : central_pg_reuse_each(c, kind, idno, cb, ctx, e);
}
