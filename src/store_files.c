/* store_files.c - stored file bytes: put, get and list (see store_files.h).  Small
 * files are rows of file_chunks; large ones live in the container <store>-files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "privilege.h"
#include "store_files.h"
#include "store_internal.h"

void store_files_open(struct store *st)
{
	char path[4200];
	snprintf(path, sizeof path, "%s-files", st->path);
	int flags = O_CLOEXEC | O_NOFOLLOW | (st->readonly ? O_RDONLY : O_RDWR | O_CREAT);
	/* the group's file under the set-group-id install, like the store itself */
	st->files_fd = open(path, flags, privilege_setid() ? 0660 : 0644);
	struct stat sb;
	if (st->files_fd >= 0 && privilege_setid() && fstat(st->files_fd, &sb) == 0 && sb.st_size == 0)
		fchmod(st->files_fd, 0660);
}

/* the end of the container's committed part: where the next file goes */
static int container_end(struct store *st, int64_t *end)
{
	sqlite3_stmt *s = store_prep(st, "SELECT off + size FROM files WHERE off IS NOT NULL ORDER BY off DESC LIMIT 1");
	if (!s)
		return MC_STORE;
	int rc = sqlite3_step(s);
	*end = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : MC_STORE;
}

/* a write into the container failed (errno): the disk is full, or another I/O error */
static int container_fail(struct store *st, struct err *e)
{
	if (errno == ENOSPC || errno == EDQUOT)
		return err_set(e, MC_FULL, "storing the file: the disk is full; nothing was saved - free some space and try again");
	return err_set(e, MC_IO, "cannot write the file into %s-files: %s", st->path, strerror(errno));
}

int store_files_container(struct store *st, int64_t *end, int64_t *size)
{
	struct stat sb;
	if (st->files_fd < 0 || fstat(st->files_fd, &sb) || container_end(st, end))
		return -1;
	*size = sb.st_size;
	return 0;
}

static int write_all(int fd, const unsigned char *buf, size_t n, int64_t at)
{
	while (n) {
		ssize_t w = pwrite(fd, buf, n, (off_t)at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
		at += w;
	}
	return 0;
}

/* a large file into the container: written after its committed end and synced before
 * its row goes into the caller's transaction (with the event).  A crash or a rollback
 * leaves the bytes past the committed end, where the next large file is written over
 * them: nothing refers to them. */
static int put_container(struct store *st, const char *sha256, const char *type, int64_t size,
			 store_file_read_fn read, void *ctx, struct err *e)
{
	int64_t end, off = 0;
	if (container_end(st, &end))
		return store_fail(st, e, sqlite3_errcode(st->db), "storing the file");
	/* bytes past the committed end were left by a crash or a rollback: cut them off
	 * (under the writer lock: no committed byte is there) */
	struct stat sb;
	if (fstat(st->files_fd, &sb) == 0 && sb.st_size > end && ftruncate(st->files_fd, (off_t)end))
		return container_fail(st, e);
	unsigned char *buf = malloc(STORE_FILE_CHUNK);
	if (!buf)
		return err_set(e, MC_STORE, "out of memory");
	int ret = 0;
	for (;;) {
		long got = read(ctx, buf, STORE_FILE_CHUNK, e);
		if (got < 0) {
			ret = e->code ? e->code : MC_IO;
			break;
		}
		if (!got)
			break;
		if (off + got > size) {
			ret = err_set(e, MC_IO, "the file grew while it was being stored: attach it again once it is complete");
			break;
		}
		if (write_all(st->files_fd, buf, (size_t)got, end + off)) {
			ret = container_fail(st, e);
			break;
		}
		off += got;
	}
	free(buf);
	if (!ret && off != size)
		ret = err_set(e, MC_IO, "the file shrank while it was being stored: attach it again once it is complete");
	if (!ret && fdatasync(st->files_fd))
		ret = container_fail(st, e);
	if (ret) {
		if (ftruncate(st->files_fd, (off_t)end)) /* give the space back now; else the next large file does */
			(void)0;
		return ret;
	}
	sqlite3_stmt *s = store_prep(st, "INSERT INTO files(sha256, size, type, off) VALUES (?, ?, ?, ?)");
	if (!s)
		return store_fail(st, e, sqlite3_errcode(st->db), "storing the file");
	store_bind_text(s, 1, sha256);
	sqlite3_bind_int64(s, 2, size);
	store_bind_text(s, 3, type);
	sqlite3_bind_int64(s, 4, end);
	return store_step_done(st, s, e, "storing the file");
}

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
	if (size >= STORE_FILE_CONTAINER_MIN && st->files_fd >= 0)
		return put_container(st, sha256, type, size, read, ctx, e);
	sqlite3_stmt *s = store_prep(st, "INSERT INTO files(sha256, size, type) VALUES (?, ?, ?)");
	if (!s)
		return store_fail(st, e, sqlite3_errcode(st->db), "storing the file");
	store_bind_text(s, 1, sha256);
	sqlite3_bind_int64(s, 2, size);
	store_bind_text(s, 3, type);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, N_("storing the file"));
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
			ret = store_fail(st, e, rc, N_("storing the file"));
		off += (int64_t)have;
		if (have < STORE_FILE_CHUNK)
			break;
	}
	if (!ret && off != size)
		ret = err_set(e, MC_IO, "the file shrank while it was being stored: attach it again once it is complete");
	free(buf);
	return ret;
}

/* a large file's bytes from the container, chunk by chunk; a container cut short
 * gives fewer bytes (the caller's hash check names the file corrupt) */
static int get_container(struct store *st, int64_t off, int64_t size, store_file_write_fn write, void *ctx, struct err *e)
{
	if (st->files_fd < 0)
		return err_set(e, MC_NOTFOUND, "the container of large files %s-files is missing", st->path);
	unsigned char *buf = malloc(STORE_FILE_CHUNK);
	if (!buf)
		return err_set(e, MC_STORE, "out of memory");
	int ret = 0;
	for (int64_t done = 0; !ret && done < size;) {
		size_t want = size - done < STORE_FILE_CHUNK ? (size_t)(size - done) : STORE_FILE_CHUNK;
		ssize_t r = pread(st->files_fd, buf, want, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = err_set(e, MC_IO, "cannot read %s-files: %s", st->path, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		ret = write(ctx, buf, (size_t)r, e);
		done += r;
	}
	free(buf);
	return ret;
}

/* where the file with sha256 is: its row id, and its offset in the container (*in_container)
 * or in file_chunks; MC_NOTFOUND with e set when the store does not have it */
static int file_where(struct store *st, const char *sha256, sqlite3_int64 *id, int *in_container, int64_t *off,
		      int64_t *size, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id, off, size FROM files WHERE sha256 = ?");
	if (!s)
		return store_fail(st, e, sqlite3_errcode(st->db), "reading the file");
	store_bind_text(s, 1, sha256);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return err_set(e, MC_NOTFOUND, "the file %.12s... is not in this store", sha256);
	}
	*id = sqlite3_column_int64(s, 0);
	*in_container = sqlite3_column_type(s, 1) != SQLITE_NULL;
	*off = sqlite3_column_int64(s, 1);
	*size = sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	return 0;
}

int store_file_get(struct store *st, const char *sha256, store_file_write_fn write, void *ctx, struct err *e)
{
	sqlite3_int64 id;
	int in_container, rc;
	int64_t off, size;
	if ((rc = file_where(st, sha256, &id, &in_container, &off, &size, e)))
		return rc;
	if (in_container)
		return get_container(st, off, size, write, ctx, e);
	/* a statement of its own: write may read the store meanwhile */
	sqlite3_stmt *c = NULL;
	rc = sqlite3_prepare_v2(st->db, "SELECT data FROM file_chunks WHERE file_id = ? ORDER BY n", -1, &c, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, e, rc, N_("reading the file"));
	sqlite3_bind_int64(c, 1, id);
	int ret = 0;
	while (!ret && (rc = sqlite3_step(c)) == SQLITE_ROW)
		ret = write(ctx, sqlite3_column_blob(c, 0), (size_t)sqlite3_column_bytes(c, 0), e);
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, e, rc, N_("reading the file"));
	sqlite3_finalize(c);
	return ret;
}

int store_file_chunk(struct store *st, const char *sha256, int n, unsigned char *buf, size_t *len, struct err *e)
{
	*len = 0;
	sqlite3_int64 id;
	int in_container, rc;
	int64_t off, size;
	if ((rc = file_where(st, sha256, &id, &in_container, &off, &size, e)))
		return rc;
	int64_t from = (int64_t)n * STORE_FILE_CHUNK;
	if (n < 0 || from >= size)
		return 0;
	if (in_container) {
		size_t want = size - from < STORE_FILE_CHUNK ? (size_t)(size - from) : STORE_FILE_CHUNK;
		if (st->files_fd < 0)
			return err_set(e, MC_NOTFOUND, "the container of large files %s-files is missing", st->path);
		while (*len < want) {
			ssize_t r = pread(st->files_fd, buf + *len, want - *len, (off_t)(off + from + (int64_t)*len));
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return err_set(e, MC_IO, "cannot read %s-files: %s", st->path, strerror(errno));
			if (r == 0)
				break;
			*len += (size_t)r;
		}
		return 0;
	}
	sqlite3_stmt *c = store_prep(st, "SELECT data FROM file_chunks WHERE file_id = ? AND n = ?");
	if (!c)
		return store_fail(st, e, sqlite3_errcode(st->db), "reading the file");
	sqlite3_bind_int64(c, 1, id);
	sqlite3_bind_int(c, 2, n);
	if (sqlite3_step(c) == SQLITE_ROW) {
		int b = sqlite3_column_bytes(c, 0);
		*len = b > STORE_FILE_CHUNK ? STORE_FILE_CHUNK : (size_t)b;
		memcpy(buf, sqlite3_column_blob(c, 0), *len);
	}
	sqlite3_reset(c);
	return 0;
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
