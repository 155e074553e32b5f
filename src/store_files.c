/* store_files.c - stored file bytes: put, get and list (see store_files.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_files.h"
#include "store_internal.h"

int store_file_info(struct store *st, const char *sha256, int64_t *size, char *type, size_t n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT size, type FROM files WHERE sha256 = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, sha256);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		if (size)
			*size = sqlite3_column_int64(s, 0);
		if (type)
			store_col_text(s, 1, type, n);
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_file_put(struct store *st, const char *sha256, const char *type, int64_t size,
		   store_file_read_fn read, void *ctx, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO files(sha256, size, type) VALUES (?, ?, ?)");
	if (!s)
		return store_fail(st, e, sqlite3_errcode(st->db), "storing the file");
	store_bind_text(s, 1, sha256);
	sqlite3_bind_int64(s, 2, size);
	store_bind_text(s, 3, type);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, "storing the file");
	sqlite3_int64 id = sqlite3_last_insert_rowid(st->db);
	unsigned char *buf = malloc(STORE_FILE_CHUNK);
	int64_t off = 0;
	int ret = buf ? 0 : err_set(e, MC_STORE, "out of memory");
	for (int n = 0; !ret; n++) {
		/* one whole chunk (reads may return less) */
		size_t have = 0;
		long got = 0;
		while (have < STORE_FILE_CHUNK && (got = read(ctx, buf + have, STORE_FILE_CHUNK - have, e)) > 0)
			have += (size_t)got;
		if (got < 0) {
			ret = e->code ? e->code : MC_IO;
			break;
		}
		if (!have)
			break;
		if (off + (int64_t)have > size) {
			ret = err_set(e, MC_IO, "the file grew while it was being stored: attach it again once it is complete");
			break;
		}
		sqlite3_stmt *c = store_prep(st, "INSERT INTO file_chunks(file_id, n, data) VALUES (?, ?, ?)");
		if (!c) {
			ret = store_fail(st, e, sqlite3_errcode(st->db), "storing the file");
			break;
		}
		sqlite3_bind_int64(c, 1, id);
		sqlite3_bind_int(c, 2, n);
		sqlite3_bind_blob(c, 3, buf, (int)have, SQLITE_STATIC);
		rc = sqlite3_step(c);
		sqlite3_reset(c);
		if (rc != SQLITE_DONE)
			ret = store_fail(st, e, rc, "storing the file");
		off += (int64_t)have;
		if (have < STORE_FILE_CHUNK)
			break;
	}
	if (!ret && off != size)
		ret = err_set(e, MC_IO, "the file shrank while it was being stored: attach it again once it is complete");
	free(buf);
	return ret;
}

int store_file_get(struct store *st, const char *sha256, store_file_write_fn write, void *ctx, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id FROM files WHERE sha256 = ?");
	if (!s)
		return store_fail(st, e, sqlite3_errcode(st->db), "reading the file");
	store_bind_text(s, 1, sha256);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return err_set(e, MC_NOTFOUND, "the file %.12s... is not in this store", sha256);
	}
	sqlite3_int64 id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	/* a statement of its own: write may read the store meanwhile */
	sqlite3_stmt *c = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT data FROM file_chunks WHERE file_id = ? ORDER BY n", -1, &c, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, e, rc, "reading the file");
	sqlite3_bind_int64(c, 1, id);
	int ret = 0;
	while (!ret && (rc = sqlite3_step(c)) == SQLITE_ROW)
		ret = write(ctx, sqlite3_column_blob(c, 0), (size_t)sqlite3_column_bytes(c, 0), e);
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, e, rc, "reading the file");
	sqlite3_finalize(c);
	return ret;
}

int store_files_each(struct store *st, int (*cb)(const char *sha256, int64_t size, void *ctx), void *ctx)
{
	/* a statement of its own: cb may read files meanwhile */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT sha256, size FROM files ORDER BY sha256", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	int rc = 0;
	char h[80];
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		store_col_text(s, 0, h, sizeof h);
		rc = cb(h, sqlite3_column_int64(s, 1), ctx);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_attached_events(struct store *st, const char *code, store_event_cb cb, void *ctx)
{
	sqlite3_stmt *s = NULL;
	const char *sql = code ? "SELECT " STORE_EVENT_COLS " FROM events WHERE kind = 'attached' AND dossier_code = ? ORDER BY dseq, seq"
			       : "SELECT " STORE_EVENT_COLS " FROM events WHERE kind = 'attached' ORDER BY seq";
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	if (code)
		store_bind_text(s, 1, code);
	int rc = 0;
	struct event ev;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		store_event_row(s, &ev);
		char *p = strdup(ev.payload ? ev.payload : "{}");
		if (!p) {
			rc = MC_STORE;
			break;
		}
		ev.payload = p;
		rc = cb(&ev, ctx);
		free(p);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_signed_result(struct store *st, const char *sha256, char *code, size_t n)
{
	char pat[100];
	snprintf(pat, sizeof pat, "%%\"result_sha256\":\"%.64s\"%%", sha256);
	sqlite3_stmt *s = store_prep(st, "SELECT dossier_code FROM events WHERE kind = 'signed' AND payload LIKE ? ORDER BY seq DESC LIMIT 1");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, pat);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		store_col_text(s, 0, code, n);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}
