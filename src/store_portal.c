/* store_portal.c - the store's part of the national portal link: the national codes
 * of a procedure and its field (db/0013_portal.sql).  Kept apart so the portal's
 * columns stay out of struct procedure, which every module copies.
 */
#include <sqlite3.h>
#include <stdio.h>
#include "store_internal.h"
#include "store_portal.h"

int store_national_codes(struct store *st, const char *proc_code, char *mattc, size_t n, char *malv, size_t m)
{
	sqlite3_stmt *s = store_prep(st, "SELECT CASE WHEN p.national_code <> '' THEN p.national_code ELSE p.code END,"
				     " CASE WHEN f.national_code <> '' THEN f.national_code ELSE f.code END"
				     " FROM procedures p JOIN fields f ON f.id = p.field_id WHERE p.code = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, proc_code);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		store_col_text(s, 0, mattc, n);
		store_col_text(s, 1, malv, m);
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_national_set(struct store *st, const char *proc_code, const char *mattc, const char *malv, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE procedures SET national_code = ? WHERE code = ?");
	if (!s)
		return store_fail(st, e, SQLITE_ERROR, "setting a national code");
	store_bind_text(s, 1, mattc);
	store_bind_text(s, 2, proc_code);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, N_("setting a national code"));
	if (!malv || !*malv)
		return 0;
	s = store_prep(st, "UPDATE fields SET national_code = ? WHERE id = (SELECT field_id FROM procedures WHERE code = ?)");
	if (!s)
		return store_fail(st, e, SQLITE_ERROR, "setting a national code");
	store_bind_text(s, 1, malv);
	store_bind_text(s, 2, proc_code);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, rc, N_("setting a national code"));
}

int store_procedure_by_national(struct store *st, const char *mattc, char *code, size_t n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT code FROM procedures WHERE national_code = ?1"
				     " UNION ALL SELECT code FROM procedures WHERE code = ?1 LIMIT 1");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, mattc);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		store_col_text(s, 0, code, n);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}
