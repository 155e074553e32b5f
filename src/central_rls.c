/* central_rls.c - each office connects to a PostgreSQL central as its own role.
 *
 * Why: with one shared account, a commune's clerk who finds the office's central
 * credentials reads the whole province's personal data with psql.  An office's role
 * (a member of motcua_office) reads only the rows routed or delivered to its office
 * and writes events only through c_ingest() (the row-level security policies and
 * that function are in db/central/pg_0001_central.sql; central_pg.c sends an office
 * role's batch through it).  The same file puts attached files under the policies
 * (read and written only through the dossiers the office holds or held) and gives
 * such a role the whole history and snapshot rows of those dossiers.  This module
 * names and creates the roles.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "central_rls.h"
#include "portal.h"

void central_office_role_name(const char *agency, char *out, size_t n)
{
	size_t k = (size_t)snprintf(out, n, "motcua_");
	for (const char *p = agency; *p && k + 1 < n; p++)
		out[k++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
	if (k < n)
		out[k] = 0;
}

int central_office_role(struct central *cen, const char *agency, const char *password, int create, char *sql, size_t n,
			struct err *e)
{
	if (cen->ops != &central_pg_ops)
		return err_set(e, MC_USAGE, "office roles are PostgreSQL roles: central %s is a SQLite file, which has no roles",
			       cen->target);
	if (!cen->users && central_load_users(cen, e))
		return e->code;
	int known = 0;
	for (int i = 0; i < cen->noffices; i++)
		known |= !strcmp(cen->offices[i], agency);
	if (!known || !strcmp(agency, cen->agency))
		return err_set(e, MC_NOTFOUND, "central does not know an office '%.40s': add it first with 'motcua central office add'",
			       agency);
	char role[80];
	central_office_role_name(agency, role, sizeof role);
	snprintf(sql, n, "SELECT c_office_role('%s', '%s', %s);", role, agency, password ? "'...'" : "NULL");
	if (!create)
		return 0;
	const char *par[3] = {role, agency, password};
	return portal_query(cen, "SELECT c_office_role($1, $2, $3)", par, 3, NULL, NULL, e);
}
