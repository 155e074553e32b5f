/* central_pg_reuse.c - an applicant's attached files at a PostgreSQL central
 * (central_reuse.h): one parameterised call of c_reuse_papers(), read only. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central_files.h"
#include "central_reuse.h"

#define PCONN(c) ((PGconn *)central_pg_handle(c))

int central_pg_reuse_each(struct central *c, int kind, const char *idno, central_reuse_cb cb, void *ctx, struct err *e)
{
	char k[16], lim[16];
	snprintf(k, sizeof k, "%d", kind);
	snprintf(lim, sizeof lim, "%d", CENTRAL_REUSE_MAX);
	const char *v[] = {idno, k, lim};
	PGresult *r = PQexecParams(PCONN(c),
				   /* a SECURITY DEFINER function (db/central/): an office's own role reads
				    * other offices' rows through it only, for this one applicant */
				   "SELECT r_id, r_code, r_origin, r_at, r_procedure, r_payload FROM c_reuse_papers($1, $2, $3::int)",
				   3, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		char msg[300];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(PCONN(c)));
		msg[strcspn(msg, "\n")] = 0;
		int notable = st && (!strcmp(st, "42P01") || !strcmp(st, "42883")); /* no tables, or no c_reuse_papers() yet */
		PQclear(r);
		if (notable)
			return err_set(e, MC_VERSION, "central %s has no tables for files: run 'motcua central init' there with this version", c->target);
		return err_set(e, MC_IO, "central %s: looking up the applicant's papers: %s", c->target, msg);
	}
	struct central_reuse_row row;
	int rc = 0;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		memset(&row, 0, sizeof row);
		snprintf(row.event_id, sizeof row.event_id, "%s", PQgetvalue(r, i, 0));
		snprintf(row.code, sizeof row.code, "%s", PQgetvalue(r, i, 1));
		snprintf(row.origin, sizeof row.origin, "%s", PQgetvalue(r, i, 2));
		row.at = atoll(PQgetvalue(r, i, 3));
		snprintf(row.procedure, sizeof row.procedure, "%s", PQgetvalue(r, i, 4));
		snprintf(row.payload, sizeof row.payload, "%s", PQgetvalue(r, i, 5));
		rc = cb(&row, ctx);
	}
	PQclear(r);
	return rc;
}
