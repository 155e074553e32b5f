/* store_filesync.c - the office's rows for files travelling with sync (see
 * store_filesync.h). */
#include <stdio.h>
#include <string.h>
#include "store_filesync.h"
#include "store_internal.h"

/* attached events central has: another office's, or ours up to the push cursor */
#define FS_SEND_SQL \
	"SELECT f.sha256, f.size, f.type FROM files f WHERE f.sha256 IN" \
	" (SELECT json_extract(payload, '$.sha256') FROM events WHERE kind = 'attached' AND (origin <> ?1 OR seq <= ?2))" \
	" AND NOT EXISTS (SELECT 1 FROM file_sync s WHERE s.sha256 = f.sha256 AND s.at_central = 1) ORDER BY f.sha256"
#define FS_GET_SQL \
	"SELECT h, max(sz), max(ty) FROM (SELECT json_extract(payload, '$.sha256') AS h, json_extract(payload, '$.size') AS sz," \
	" json_extract(payload, '$.type') AS ty FROM events WHERE kind = 'attached')" \
	" WHERE h IS NOT NULL AND h NOT IN (SELECT sha256 FROM files) GROUP BY h ORDER BY h"

static int each_file(sqlite3_stmt *s, store_fs_file_cb cb, void *ctx)
{
	int rc = 0;
	char sha[80], type[80];
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		store_col_text(s, 0, sha, sizeof sha);
		store_col_text(s, 2, type, sizeof type);
		rc = cb(sha, sqlite3_column_int64(s, 1), type, ctx);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_fs_to_send(struct store *st, const char *origin, int64_t push_seq, store_fs_file_cb cb, void *ctx)
{
	/* a statement of its own: cb may write meanwhile */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, FS_SEND_SQL, -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	store_bind_text(s, 1, origin);
	sqlite3_bind_int64(s, 2, push_seq);
	return each_file(s, cb, ctx);
}

int store_fs_to_get(struct store *st, store_fs_file_cb cb, void *ctx)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, FS_GET_SQL, -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	return each_file(s, cb, ctx);
}

int store_fs_mark(struct store *st, const char *sha256, int at_central, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO file_sync(sha256, at_central) VALUES (?, ?)"
					 " ON CONFLICT(sha256) DO UPDATE SET at_central = excluded.at_central");
	if (s) {
		store_bind_text(s, 1, sha256);
		sqlite3_bind_int(s, 2, at_central);
	}
	return store_step_done(st, s, e, "noting a file sent");
}

int64_t store_fs_at_central(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM file_sync WHERE at_central = 1");
	if (!s)
		return 0;
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

int store_fs_forget_central(struct store *st, struct err *e)
{
	return store_step_done(st, store_prep(st, "UPDATE file_sync SET at_central = 0 WHERE at_central = 1"), e, "noting files to check again");
}

int store_fs_chunk(struct store *st, const char *sha256, int64_t n, store_fs_chunk_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT c.data FROM file_chunks c JOIN files f ON f.id = c.file_id WHERE f.sha256 = ? AND c.n = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, sha256);
	sqlite3_bind_int64(s, 2, n);
	int rc = MC_NOTFOUND;
	if (sqlite3_step(s) == SQLITE_ROW)
		rc = cb(n, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0), ctx);
	sqlite3_reset(s);
	return rc;
}

int64_t store_fs_parts(struct store *st, const char *sha256)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM file_parts WHERE sha256 = ?");
	if (!s)
		return 0;
	store_bind_text(s, 1, sha256);
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

int store_fs_part_put(struct store *st, const char *sha256, int64_t n, const unsigned char *data, size_t len, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT OR IGNORE INTO file_parts(sha256, n, data) VALUES (?, ?, ?)");
	if (s) {
		store_bind_text(s, 1, sha256);
		sqlite3_bind_int64(s, 2, n);
		sqlite3_bind_blob(s, 3, data, (int)len, SQLITE_STATIC);
	}
	return store_step_done(st, s, e, "storing a chunk received");
}

int store_fs_parts_each(struct store *st, const char *sha256, store_fs_chunk_cb cb, void *ctx)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT n, data FROM file_parts WHERE sha256 = ? ORDER BY n", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	store_bind_text(s, 1, sha256);
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = cb(sqlite3_column_int64(s, 0), sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1), ctx);
	sqlite3_finalize(s);
	return rc;
}

int store_fs_promote(struct store *st, const char *sha256, int64_t size, const char *type, struct err *e)
{
	if (store_begin(st, e))
		return e->code;
	sqlite3_stmt *s = store_prep(st, "INSERT OR IGNORE INTO files(sha256, size, type) VALUES (?, ?, ?)");
	if (s) {
		store_bind_text(s, 1, sha256);
		sqlite3_bind_int64(s, 2, size);
		store_bind_text(s, 3, type);
	}
	int rc = store_step_done(st, s, e, "storing a file received");
	if (!rc && sqlite3_changes(st->db) == 1) {
		s = store_prep(st, "INSERT INTO file_chunks(file_id, n, data) SELECT (SELECT id FROM files WHERE sha256 = ?1), n, data"
				   " FROM file_parts WHERE sha256 = ?1 ORDER BY n");
		if (s)
			store_bind_text(s, 1, sha256);
		rc = store_step_done(st, s, e, "storing a file received");
	}
	if (!rc && (s = store_prep(st, "DELETE FROM file_parts WHERE sha256 = ?")))
		store_bind_text(s, 1, sha256);
	if (!rc)
		rc = store_step_done(st, s, e, "storing a file received");
	if (!rc)
		rc = store_fs_mark(st, sha256, 1, e);
	if (!rc)
		rc = store_commit(st, e);
	if (rc)
		store_rollback(st);
	return rc;
}

int store_fs_parts_drop(struct store *st, const char *sha256, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "DELETE FROM file_parts WHERE sha256 = ?");
	if (s)
		store_bind_text(s, 1, sha256);
	return store_step_done(st, s, e, "dropping a file received");
}

int store_fs_counts(struct store *st, const char *origin, int64_t push_seq, int64_t *send, int64_t *send_bytes, int64_t *get)
{
	*send = *send_bytes = *get = 0;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*), coalesce(sum(size), 0) FROM (" FS_SEND_SQL ")", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	store_bind_text(s, 1, origin);
	sqlite3_bind_int64(s, 2, push_seq);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*send = sqlite3_column_int64(s, 0);
		*send_bytes = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM (" FS_GET_SQL ")", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	if (sqlite3_step(s) == SQLITE_ROW)
		*get = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}
