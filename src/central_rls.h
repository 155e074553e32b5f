/* central_rls.h - each office's own PostgreSQL role at central (src/central_rls.c;
 * the policies are in db/central/pg_0001_central.sql). */
#ifndef MOTCUA_CENTRAL_RLS_H
#define MOTCUA_CENTRAL_RLS_H
#include <stddef.h>
#include "central.h"

/* the role name of an office: motcua_ and its agency code in lower case, dots as _ */
void central_office_role_name(const char *agency, char *out, size_t n);
/* create (create=1) or only describe the office's role: sql gets the statement an
 * administrator runs with psql to do the same (password not shown); password NULL
 * keeps the role's password (or none: certificate or peer authentication) */
int central_office_role(struct central *cen, const char *agency, const char *password, int create, char *sql, size_t n,
			struct err *e);
#endif
