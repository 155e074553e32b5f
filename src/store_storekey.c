/* store_storekey.c - SQL for the store's own key and the keys it knows (see
 * store_storekey.h). */
#include <string.h>
#include "store_internal.h"
#include "store_storekey.h"

static int blob32(sqlite3_stmt *s, int col, unsigned char out[32])
{
	if (sqlite3_column_type(s, col) != SQLITE_BLOB || sqlite3_column_bytes(s, col) != 32)
		return -1;
	memcpy(out, sqlite3_column_blob(s, col), 32);
	return 0;
}

int store_own_key_get(struct store *st, char *agency, size_t n, int64_t *created_at, unsigned char pub[32],
		      unsigned char priv[32])
{
	sqlite3_stmt *s = store_prep(st, "SELECT agency, pub, priv, created_at FROM store_key WHERE id = 1");
	int rc = MC_NOTFOUND;
	if (s && sqlite3_step(s) == SQLITE_ROW && blob32(s, 1, pub) == 0 && blob32(s, 2, priv) == 0) {
		if (agency)
			store_col_text(s, 0, agency, n);
		if (created_at)
			*created_at = sqlite3_column_int64(s, 3);
		rc = 0;
	}
	if (s)
		sqlite3_reset(s);
	return rc;
}

int store_own_key_put(struct store *st, const char *agency, int64_t at, const unsigned char pub[32],
		      const unsigned char priv[32], struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO store_key(id, agency, created_at, pub, priv) VALUES (1, ?, ?, ?, ?)");
	if (s) {
		store_bind_text(s, 1, agency);
		sqlite3_bind_int64(s, 2, at);
		sqlite3_bind_blob(s, 3, pub, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 4, priv, 32, SQLITE_STATIC);
	}
	return store_step_done(st, s, e, "saving the store's key");
}

int store_known_key_has(struct store *st, const char *agency, const unsigned char pub[32], int central)
{
	sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM store_keys_known WHERE agency = ? AND pub = ? AND central = ?");
	int has = 0;
	if (s) {
		store_bind_text(s, 1, agency);
		sqlite3_bind_blob(s, 2, pub, 32, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, central ? 1 : 0);
		has = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_reset(s);
	}
	return has;
}

int store_known_central_any(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM store_keys_known WHERE central = 1 LIMIT 1");
	int has = s && sqlite3_step(s) == SQLITE_ROW;
	if (s)
		sqlite3_reset(s);
	return has;
}

int store_known_keys(struct store *st, int (*cb)(const char *agency, const unsigned char pub[32], int central,
						 int64_t since, void *ctx), void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT agency, pub, central, since FROM store_keys_known");
	int rc = 0;
	unsigned char pub[32];
	if (!s)
		return 0; /* a store without the table knows no key */
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		if (blob32(s, 1, pub) == 0)
			rc = cb(store_col(s, 0), pub, sqlite3_column_int(s, 2), sqlite3_column_int64(s, 3), ctx);
	sqlite3_reset(s);
	return rc;
}

int store_known_key_put(struct store *st, const char *agency, const unsigned char pub[32], int central, int64_t since,
			struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO store_keys_known(agency, pub, central, since) VALUES (?, ?, ?, ?)"
				     " ON CONFLICT DO UPDATE SET since = excluded.since");
	if (s) {
		store_bind_text(s, 1, agency);
		sqlite3_bind_blob(s, 2, pub, 32, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, central ? 1 : 0);
		sqlite3_bind_int64(s, 4, since);
	}
	return store_step_done(st, s, e, "saving a store's public key");
}
