/* central_pg_files.c - the file rows of a PostgreSQL central (central_files.h): bytea
 * chunks of 256 KB sent as binary parameters, each INSERT committed on its own; the
 * hash of a received file is computed by the server, where the bytes are, so they do
 * not cross the link twice (a file over 64 MB is streamed and hashed here instead, so
 * that the server never holds a whole file).  Every query is parameterised.  Writes
 * go through c_file_begin/put/settle() (db/central/pg_0001_central.sql), which let an
 * office's own role write only files of the dossiers it holds or held. */
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central_files.h"

#define PCONN(c) ((PGconn *)central_pg_handle(c))

static int pfail(struct central *c, struct err *e, PGresult *r, const char *what)
{
	char msg[300];
	const char *m = r ? PQresultErrorMessage(r) : "";
	if (!m || !*m)
		m = PQerrorMessage(PCONN(c));
	snprintf(msg, sizeof msg, "%s", m);
	msg[strcspn(msg, "\n")] = 0;
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	int notable = st && (!strcmp(st, "42P01") || !strcmp(st, "42883")); /* no tables, or no c_file_*() yet */
	if (r)
		PQclear(r);
	if (notable)
		return err_set(e, MC_VERSION, "central %s has no tables for files: run 'motcua central init' there with this version", c->target);
	if (PQstatus(PCONN(c)) != CONNECTION_OK)
		return err_set(e, MC_IO, "central %s: connection lost while %s (%s); nothing half-done stays, sync again", c->target, what, msg);
	return err_set(e, MC_IO, "central %s: %s: %s", c->target, what, msg);
}

/* a parameterised statement (text parameters except those given in fmts) */
static PGresult *pq(struct central *c, const char *sql, int n, const char *const *vals, const int *lens, const int *fmts,
		    int binary_result, struct err *e, const char *what)
{
	PGresult *r = PQexecParams(PCONN(c), sql, n, NULL, vals, lens, fmts, binary_result);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pfail(c, e, r, what);
		return NULL;
	}
	return r;
}

static int pg_get(struct central *c, const char *sha, struct central_file *f, struct err *e)
{
	const char *v[] = {sha};
	PGresult *r = pq(c, "SELECT size, type, complete, (SELECT count(*) FROM c_file_chunks k WHERE k.sha256 = f.sha256)"
			    " FROM c_files f WHERE sha256 = $1", 1, v, NULL, NULL, 0, e, "reading a file's row");
	if (!r)
		return e->code;
	int ret = MC_NOTFOUND;
	if (PQntuples(r) == 1) {
		f->size = atoll(PQgetvalue(r, 0, 0));
		snprintf(f->type, sizeof f->type, "%s", PQgetvalue(r, 0, 1));
		f->complete = atoi(PQgetvalue(r, 0, 2));
		f->chunks = atoll(PQgetvalue(r, 0, 3));
		ret = 0;
	}
	PQclear(r);
	return ret;
}

static int pg_begin(struct central *c, const char *sha, int64_t size, const char *type, struct err *e)
{
	char sz[24];
	snprintf(sz, sizeof sz, "%lld", (long long)size);
	const char *v[] = {sha, sz, type};
	PGresult *r = pq(c, "SELECT c_file_begin($1, $2::bigint, $3)", 3, v, NULL, NULL, 0, e, "storing a file");
	if (!r)
		return e->code;
	PQclear(r);
	return 0;
}

static int pg_put(struct central *c, const char *sha, int64_t n, const unsigned char *data, size_t len, struct err *e)
{
	char ns[24];
	snprintf(ns, sizeof ns, "%lld", (long long)n);
	const char *v[] = {sha, ns, (const char *)data};
	int lens[] = {0, 0, (int)len}, fmts[] = {0, 0, 1};
	PGresult *r = pq(c, "SELECT c_file_put($1, $2::int, $3::bytea)", 3, v, lens, fmts, 0, e, "storing a chunk");
	if (!r)
		return e->code;
	PQclear(r);
	return 0;
}

static int pg_chunk(struct central *c, const char *sha, int64_t n, central_chunk_cb cb, void *ctx, struct err *e)
{
	char ns[24];
	snprintf(ns, sizeof ns, "%lld", (long long)n);
	const char *v[] = {sha, ns};
	PGresult *r = pq(c, "SELECT data FROM c_file_chunks WHERE sha256 = $1 AND n = $2", 2, v, NULL, NULL, 1, e, "reading a chunk");
	if (!r)
		return e->code;
	int ret = MC_NOTFOUND;
	if (PQntuples(r) == 1)
		ret = cb(n, (const unsigned char *)PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), ctx);
	PQclear(r);
	return ret;
}

/* a file's chunks streamed one row at a time (single-row mode) and hashed here:
 * memory one chunk at both ends, whatever the file's size */
static int pg_hash_streamed(struct central *c, const char *sha, char out[65], struct err *e)
{
	const char *v[] = {sha};
	PGconn *db = PCONN(c);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return err_set(e, MC_STORE, "out of memory");
	}
	int rc = 0;
	if (!PQsendQueryParams(db, "SELECT data FROM c_file_chunks WHERE sha256 = $1 ORDER BY n", 1, NULL, v, NULL, NULL, 1) ||
	    !PQsetSingleRowMode(db))
		rc = pfail(c, e, NULL, "checking a file");
	PGresult *r;
	while ((r = PQgetResult(db))) {
		ExecStatusType st = PQresultStatus(r);
		if (!rc && st == PGRES_SINGLE_TUPLE)
			EVP_DigestUpdate(md, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
		if (!rc && st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK) {
			rc = pfail(c, e, r, "checking a file");
			continue; /* pfail cleared it; drain the rest */
		}
		PQclear(r);
	}
	unsigned char h[32];
	unsigned len = 0;
	EVP_DigestFinal_ex(md, h, &len);
	EVP_MD_CTX_free(md);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	return rc;
}

/* the server hashes a file where its bytes are (they do not cross the link twice),
 * but sha256(string_agg(...)) builds the whole file in one server buffer: past
 * PG_HASH_SERVER_MAX (and a bytea cannot pass 1 GB at all) it is streamed instead */
#define PG_HASH_SERVER_MAX (64LL << 20)

static int pg_hash(struct central *c, const char *sha, char out[65], struct err *e)
{
	char max[24];
	snprintf(max, sizeof max, "%lld", PG_HASH_SERVER_MAX);
	const char *v2[] = {sha, max};
	PGresult *r = pq(c, "SELECT CASE WHEN t.bytes <= $2::bigint THEN (SELECT encode(sha256(coalesce(string_agg(data, ''::bytea"
			    " ORDER BY n), ''::bytea)), 'hex') FROM c_file_chunks WHERE sha256 = $1) END"
			    " FROM (SELECT coalesce(sum(octet_length(data)), 0) AS bytes FROM c_file_chunks WHERE sha256 = $1) t",
			 2, v2, NULL, NULL, 0, e, "checking a file");
	if (!r)
		return e->code;
	int server = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
	snprintf(out, 65, "%s", server ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return server ? 0 : pg_hash_streamed(c, sha, out, e);
}

static int pg_settle(struct central *c, const char *sha, int ok, struct err *e)
{
	/* ok: its size from the bytes that hashed to its name, not from what the sender
	 * declared (an office taking it checks the bytes against this size); through
	 * c_file_settle(), which an office's own role may call only for a file it may read,
	 * and which hashes the bytes again at the server for such a role
	 * (db/central/pg_0001_central.sql) */
	const char *v[] = {sha, ok ? "true" : "false"};
	PGresult *r = pq(c, "SELECT c_file_settle($1, $2::boolean)", 2, v, NULL, NULL, 0, e,
			 ok ? "storing a file" : "dropping a corrupt file");
	if (!r)
		return e->code;
	PQclear(r);
	return 0;
}

static int pg_wanted(struct central *c, int (*cb)(const char *sha, void *ctx), void *ctx, struct err *e)
{
	PGresult *r = pq(c, "SELECT sha256 FROM c_files WHERE complete = 0 ORDER BY sha256", 0, NULL, NULL, NULL, 0, e, "listing files");
	if (!r)
		return e->code;
	int ret = 0;
	for (int i = 0; !ret && i < PQntuples(r); i++)
		ret = cb(PQgetvalue(r, i, 0), ctx);
	PQclear(r);
	return ret;
}

static int pg_count(struct central *c, int64_t *n, struct err *e)
{
	/* a number only: an office's role reads the rows of its own dossiers' files */
	PGresult *r = pq(c, "SELECT c_files_count()", 0, NULL, NULL, NULL, 0, e, "counting files");
	if (!r)
		return e->code;
	*n = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int pg_each(struct central *c, int (*cb)(const char *sha, int64_t size, void *ctx), void *ctx, struct err *e)
{
	/* hashes only (65 bytes a row): a province's list fits in memory */
	PGresult *r = pq(c, "SELECT sha256, size FROM c_files WHERE complete = 1 ORDER BY sha256", 0, NULL, NULL, NULL, 0, e,
			 "listing files");
	if (!r)
		return e->code;
	int ret = 0;
	for (int i = 0; !ret && i < PQntuples(r); i++)
		ret = cb(PQgetvalue(r, i, 0), atoll(PQgetvalue(r, i, 1)), ctx);
	PQclear(r);
	return ret;
}

const struct central_file_ops central_pg_file_ops = {
	pg_get, pg_begin, pg_put, pg_chunk, pg_hash, pg_settle, pg_wanted, pg_count, pg_each,
};
