/* central_files.h - attached files at central: the bytes that sync carries after the
 * events (src/filesync.c), kept per SHA-256 in chunks of 256 KB.
 *
 * Why a small interface of its own beside struct central_ops: the file rows are not
 * part of the log (no position, no office), they are written one chunk per statement
 * outside any batch, and only the file sync reads them.  Two implementations, like
 * central's: src/central_sqlite_files.c (c_file_chunks rows of a SQLite central) and
 * src/central_pg_files.c (bytea rows of PostgreSQL, backed up by pg_dump).
 *
 * A file is c_files(sha256, size, type, complete) and its chunks c_file_chunks(sha256,
 * n, data), n = 0, 1, ... at byte offset n * 262144.  Each chunk is committed on its
 * own, so a kill or a dropped link loses at most the chunk in flight; a file counts as
 * present (complete = 1) only once its chunks, read back in order, hash to its name.
 */
#ifndef MOTCUA_CENTRAL_FILES_H
#define MOTCUA_CENTRAL_FILES_H

#include <stddef.h>
#include <stdint.h>
#include "central.h"

#define CENTRAL_FILE_CHUNK 262144

struct central_file {
	int64_t size;
	char type[64];
	int complete;                /* its chunks hashed to its name */
	int64_t chunks;              /* chunks central holds (0 .. chunks-1) */
};

/* one chunk of a file; non-zero stops */
typedef int (*central_chunk_cb)(int64_t n, const unsigned char *data, size_t len, void *ctx);

struct central_file_ops {
	/* a file's row: 0, MC_NOTFOUND, or an error (MC_VERSION: central has no file tables) */
	int (*get)(struct central *c, const char *sha, struct central_file *f, struct err *e);
	/* the row of a file about to be sent (nothing if it exists) */
	int (*begin)(struct central *c, const char *sha, int64_t size, const char *type, struct err *e);
	/* chunk n, committed at once (nothing if central has it) */
	int (*put)(struct central *c, const char *sha, int64_t n, const unsigned char *data, size_t len, struct err *e);
	/* chunk n to cb: 0, or MC_NOTFOUND */
	int (*chunk)(struct central *c, const char *sha, int64_t n, central_chunk_cb cb, void *ctx, struct err *e);
	/* the SHA-256 of its chunks in order, as 64 hex digits (hashed where the bytes are) */
	int (*hash)(struct central *c, const char *sha, char out[65], struct err *e);
	/* ok: complete = 1; not ok: its chunks are dropped (to be sent again) and complete = 0 */
	int (*settle)(struct central *c, const char *sha, int ok, struct err *e);
	/* every file central knows of and lacks (being sent, or dropped as corrupt) */
	int (*wanted)(struct central *c, int (*cb)(const char *sha, void *ctx), void *ctx, struct err *e);
	/* how many files central holds complete */
	int (*count)(struct central *c, int64_t *n, struct err *e);
	/* every complete file's hash, in hash order; non-zero from cb stops */
	int (*each)(struct central *c, int (*cb)(const char *sha, int64_t size, void *ctx), void *ctx, struct err *e);
};

extern const struct central_file_ops central_sqlite_file_ops;
extern const struct central_file_ops central_pg_file_ops;

/* the file operations of central's backend */
const struct central_file_ops *central_files(const struct central *c);

/* the backends' connections (central_sqlite.c, central_pg.c) */
void *central_sqlite_handle(struct central *c);
void *central_pg_handle(struct central *c);

#endif
