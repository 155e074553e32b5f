/* store_filesync.c - the office's rows for files travelling with sync (see
 * store_filesync.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_files.h"
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
	/* wherever its bytes live (rows or the container beside the store) */
	unsigned char *buf = malloc(STORE_FILE_CHUNK);
	if (!buf)
		return MC_STORE;
	size_t len = 0;
	struct err e = {0};
	int rc = store_file_chunk(st, sha256, (int)n, buf, &len, &e);
	if (rc || !len)
		rc = MC_NOTFOUND; /* missing or unreadable here */
	else
		rc = cb(n, buf, len, ctx);
	free(buf);
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

/* the chunks received, read in order as one stream (store_file_read_fn) */
struct parts_reader { sqlite3_stmt *s; const unsigned char *p; size_t len, at; int done; };

static long parts_read(void *ctx, unsigned char *buf, size_t max, struct err *e)
{
	(void)e;
	struct parts_reader *r = ctx;
	size_t have = 0;
	while (have < max && !r->done) {
		if (r->at == r->len) {
			if (sqlite3_step(r->s) != SQLITE_ROW) {
				r->done = 1;
				break;
			}
			r->p = sqlite3_column_blob(r->s, 0);
			r->len = (size_t)sqlite3_column_bytes(r->s, 0);
			r->at = 0;
			continue;
		}
		size_t k = r->len - r->at < max - have ? r->len - r->at : max - have;
		memcpy(buf + have, r->p + r->at, k);
		r->at += k;
		have += k;
	}
	return (long)have;
}

int store_fs_promote(struct store *st, const char *sha256, int64_t size, const char *type, struct err *e)
{
	if (store_begin(st, e))
		return e->code;
	int rc = 0;
	if (store_file_info(st, sha256, NULL, NULL, 0) != 0) {
		/* stored like an attachment: a large file into the container, a small one as rows */
		struct parts_reader r = {0};
		if (sqlite3_prepare_v2(st->db, "SELECT data FROM file_parts WHERE sha256 = ? ORDER BY n", -1, &r.s, NULL) != SQLITE_OK)
			rc = store_fail(st, e, sqlite3_errcode(st->db), "storing a file received");
		if (!rc) {
			store_bind_text(r.s, 1, sha256);
			rc = store_file_put(st, sha256, type, size, parts_read, &r, e);
		}
		sqlite3_finalize(r.s);
	}
	sqlite3_stmt *s = rc ? NULL : store_prep(st, "DELETE FROM file_parts WHERE sha256 = ?");
	if (s)
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
