/* store_audit.c - SQL for the audit checkpoint (see store_audit.h). */
#include <string.h>
#include "store_internal.h"
#include "store_audit.h"

static int blob_n(sqlite3_stmt *s, int col, unsigned char *out, int n)
{
	if (sqlite3_column_type(s, col) != SQLITE_BLOB || sqlite3_column_bytes(s, col) != n) {
		memset(out, 0, (size_t)n);
		return -1;
	}
	memcpy(out, sqlite3_column_blob(s, col), (size_t)n);
	return 0;
}

int store_checkpoint_last(struct store *st, struct store_checkpoint *cp)
{
	memset(cp, 0, sizeof *cp);
	sqlite3_stmt *s = store_prep(st, "SELECT id, upto_seq, events, digest, at, os_account, actor, pub, sig"
				     " FROM audit_checkpoints ORDER BY id DESC LIMIT 1");
	if (!s)
		return MC_NOTFOUND;   /* a store without the table has none */
	int rc = MC_NOTFOUND;
	if (sqlite3_step(s) == SQLITE_ROW) {
		cp->id = sqlite3_column_int64(s, 0);
		cp->upto = sqlite3_column_int64(s, 1);
		cp->events = sqlite3_column_int64(s, 2);
		cp->at = sqlite3_column_int64(s, 4);
		store_col_text(s, 5, cp->os_account, sizeof cp->os_account);
		store_col_text(s, 6, cp->actor, sizeof cp->actor);
		cp->well_formed = blob_n(s, 3, cp->digest, 32) == 0 && blob_n(s, 7, cp->pub, 32) == 0 &&
				  blob_n(s, 8, cp->sig, 64) == 0;
		rc = 0;
	}
	sqlite3_reset(s);
	return rc;
}

int store_checkpoint_put(struct store *st, const struct store_checkpoint *cp, struct err *e)
{
	int rc = store_begin(st, e);
	if (rc)
		return rc;
	sqlite3_stmt *s = store_prep(st, "INSERT INTO audit_checkpoints(upto_seq, events, digest, at, os_account, actor, pub, sig)"
				     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (s) {
		sqlite3_bind_int64(s, 1, cp->upto);
		sqlite3_bind_int64(s, 2, cp->events);
		sqlite3_bind_blob(s, 3, cp->digest, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, cp->at);
		store_bind_text(s, 5, cp->os_account);
		store_bind_text(s, 6, cp->actor);
		sqlite3_bind_blob(s, 7, cp->pub, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 8, cp->sig, 64, SQLITE_STATIC);
	}
	if ((rc = store_step_done(st, s, e, N_("recording the audit checkpoint"))) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int store_audit_readonly(const struct store *st)
{
	return st->readonly;
}

int store_audit_read_begin(struct store *st)
{
	return st->depth == 0 && sqlite3_get_autocommit(st->db) && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void store_audit_read_end(struct store *st, int began)
{
	if (began)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

int store_audit_rows(struct store *st, store_row_cb cb, void *ctx)
{
	sqlite3_stmt *s = NULL;
	/* its own statement: the scan is long */
	if (sqlite3_prepare_v2(st->db, "SELECT seq, hash, sig FROM events ORDER BY seq", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		const void *hash = sqlite3_column_blob(s, 1), *sig = sqlite3_column_blob(s, 2);
		int hlen = sqlite3_column_type(s, 1) == SQLITE_NULL ? -1 : sqlite3_column_bytes(s, 1);
		int slen = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 : sqlite3_column_bytes(s, 2);
		rc = cb(sqlite3_column_int64(s, 0), hash, hlen, sig, slen, ctx);
	}
	if (!rc && step != SQLITE_DONE)
		rc = MC_STORE;
	sqlite3_finalize(s);
	return rc;
}
