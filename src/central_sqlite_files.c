/* central_sqlite_files.c - the file rows of a SQLite central (central_files.h): one
 * statement per chunk on central's own connection, each committed on its own. */
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include "central_files.h"

#define SDB(c) ((sqlite3 *)central_sqlite_handle(c))

static int sfail(struct central *c, struct err *e, const char *what)
{
	sqlite3 *db = SDB(c);
	int rc = sqlite3_errcode(db) & 0xff;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return err_set(e, MC_BUSY, "central %s: %s: busy, try again", c->target, what);
	if (strstr(sqlite3_errmsg(db), "no such table"))
		return err_set(e, MC_VERSION, "central %s has no tables for files: run 'motcua central init' there with this version", c->target);
	return err_set(e, MC_IO, "central %s: %s: %s", c->target, what, sqlite3_errmsg(db));
}

static sqlite3_stmt *sprep(struct central *c, const char *sql, struct err *e, const char *what)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(SDB(c), sql, -1, &s, NULL) != SQLITE_OK) {
		sfail(c, e, what);
		return NULL;
	}
	return s;
}

/* steps a write statement once and finalizes it */
static int sdone(struct central *c, sqlite3_stmt *s, struct err *e, const char *what)
{
	int rc = sqlite3_step(s);
	int ret = rc == SQLITE_DONE ? 0 : sfail(c, e, what);
	sqlite3_finalize(s);
	return ret;
}

static int sq_get(struct central *c, const char *sha, struct central_file *f, struct err *e)
{
	sqlite3_stmt *s = sprep(c, "SELECT size, type, complete, (SELECT count(*) FROM c_file_chunks k WHERE k.sha256 = f.sha256)"
				   " FROM c_files f WHERE sha256 = ?", e, "reading a file's row");
	if (!s)
		return e->code;
	sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s), ret = MC_NOTFOUND;
	if (rc == SQLITE_ROW) {
		f->size = sqlite3_column_int64(s, 0);
		snprintf(f->type, sizeof f->type, "%s", (const char *)sqlite3_column_text(s, 1));
		f->complete = sqlite3_column_int(s, 2);
		f->chunks = sqlite3_column_int64(s, 3);
		ret = 0;
	} else if (rc != SQLITE_DONE) {
		ret = sfail(c, e, "reading a file's row");
	}
	sqlite3_finalize(s);
	return ret;
}

static int sq_begin(struct central *c, const char *sha, int64_t size, const char *type, struct err *e)
{
	sqlite3_stmt *s = sprep(c, "INSERT OR IGNORE INTO c_files(sha256, size, type) VALUES (?, ?, ?)", e, "storing a file");
	if (!s)
		return e->code;
	sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, size);
	sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
	return sdone(c, s, e, "storing a file");
}

static int sq_put(struct central *c, const char *sha, int64_t n, const unsigned char *data, size_t len, struct err *e)
{
	sqlite3_stmt *s = sprep(c, "INSERT OR IGNORE INTO c_file_chunks(sha256, n, data) VALUES (?, ?, ?)", e, "storing a chunk");
	if (!s)
		return e->code;
	sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, n);
	sqlite3_bind_blob(s, 3, data, (int)len, SQLITE_STATIC);
	return sdone(c, s, e, "storing a chunk");
}

static int sq_chunk(struct central *c, const char *sha, int64_t n, central_chunk_cb cb, void *ctx, struct err *e)
{
	sqlite3_stmt *s = sprep(c, "SELECT data FROM c_file_chunks WHERE sha256 = ? AND n = ?", e, "reading a chunk");
	if (!s)
		return e->code;
	sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, n);
	int rc = sqlite3_step(s), ret = MC_NOTFOUND;
	if (rc == SQLITE_ROW)
		ret = cb(n, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0), ctx);
	else if (rc != SQLITE_DONE)
		ret = sfail(c, e, "reading a chunk");
	sqlite3_finalize(s);
	return ret;
}

static int sq_hash(struct central *c, const char *sha, char out[65], struct err *e)
{
	sqlite3_stmt *s = sprep(c, "SELECT data FROM c_file_chunks WHERE sha256 = ? ORDER BY n", e, "reading a file");
	if (!s)
		return e->code;
	sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		sqlite3_finalize(s);
		return err_set(e, MC_STORE, "out of memory");
	}
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		EVP_DigestUpdate(md, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0));
	int ret = rc == SQLITE_DONE ? 0 : sfail(c, e, "reading a file");
	unsigned char h[32];
	unsigned len = 0;
	EVP_DigestFinal_ex(md, h, &len);
	EVP_MD_CTX_free(md);
	sqlite3_finalize(s);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	return ret;
}

static int sq_settle(struct central *c, const char *sha, int ok, struct err *e)
{
	if (ok) {
		/* its size from the bytes that hashed to its name, not from what the sender
		 * declared: an office taking it checks the bytes against this size */
		sqlite3_stmt *s = sprep(c, "UPDATE c_files SET complete = 1, size ="
					   " (SELECT coalesce(sum(length(data)), 0) FROM c_file_chunks k WHERE k.sha256 = ?1)"
					   " WHERE sha256 = ?1", e, "storing a file");
		if (!s)
			return e->code;
		sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
		return sdone(c, s, e, "storing a file");
	}
	if (sqlite3_exec(SDB(c), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sfail(c, e, "dropping a corrupt file");
	sqlite3_stmt *s = sprep(c, "DELETE FROM c_file_chunks WHERE sha256 = ?", e, "dropping a corrupt file");
	int rc = s ? 0 : e->code;
	if (!rc) {
		sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
		rc = sdone(c, s, e, "dropping a corrupt file");
	}
	if (!rc && (s = sprep(c, "UPDATE c_files SET complete = 0 WHERE sha256 = ?", e, "dropping a corrupt file"))) {
		sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
		rc = sdone(c, s, e, "dropping a corrupt file");
	} else if (!rc) {
		rc = e->code;
	}
	if (!rc && sqlite3_exec(SDB(c), "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sfail(c, e, "dropping a corrupt file");
	if (rc)
		sqlite3_exec(SDB(c), "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int sq_wanted(struct central *c, int (*cb)(const char *sha, void *ctx), void *ctx, struct err *e)
{
	sqlite3_stmt *s = sprep(c, "SELECT sha256 FROM c_files WHERE complete = 0 ORDER BY sha256", e, "listing files");
	if (!s)
		return e->code;
	int rc = SQLITE_DONE, ret = 0;
	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ret = cb((const char *)sqlite3_column_text(s, 0), ctx);
	if (!ret && rc != SQLITE_DONE)
		ret = sfail(c, e, "listing files");
	sqlite3_finalize(s);
	return ret;
}

static int sq_count(struct central *c, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = sprep(c, "SELECT count(*) FROM c_files WHERE complete = 1", e, "counting files");
	if (!s)
		return e->code;
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : sfail(c, e, "counting files");
}

static int sq_each(struct central *c, int (*cb)(const char *sha, int64_t size, void *ctx), void *ctx, struct err *e)
{
	sqlite3_stmt *s = sprep(c, "SELECT sha256, size FROM c_files WHERE complete = 1 ORDER BY sha256", e, "listing files");
	if (!s)
		return e->code;
	int rc = SQLITE_DONE, ret = 0;
	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		char sha[65];
		snprintf(sha, sizeof sha, "%s", (const char *)sqlite3_column_text(s, 0));
		ret = cb(sha, sqlite3_column_int64(s, 1), ctx);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sfail(c, e, "listing files");
	sqlite3_finalize(s);
	return ret;
}

const struct central_file_ops central_sqlite_file_ops = {
	sq_get, sq_begin, sq_put, sq_chunk, sq_hash, sq_settle, sq_wanted, sq_count, sq_each,
};

const struct central_file_ops *central_files(const struct central *c)
{
	return c->ops == &central_sqlite_ops ? &central_sqlite_file_ops : &central_pg_file_ops;
}
