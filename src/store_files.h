/* store_files.h - the bytes of attached files, inside the store (db/0014_files.sql).
 *
 * Why inside SQLite and not beside it: a file written in the same transaction as the
 * event that attaches it needs no crash protocol of its own (both commit or neither),
 * and under the set-group-id install the store is the only file of the group motcua
 * can still reach once the group is dropped (privilege.h).  Bytes are stored and read
 * in chunks of 256 KB (rows of file_chunks), so memory stays flat whatever the file's
 * size.
 * The rules (which types, which limits, who may attach) are src/attach.c's.
 */
#ifndef MOTCUA_STORE_FILES_H
#define MOTCUA_STORE_FILES_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"

#define STORE_FILE_CHUNK 262144   /* bytes per stored chunk (db/0014_files.sql) */
/* files of this size and more live in the container <store>-files (db/0020_reuse.sql):
 * their bytes are written once and synced before the transaction that commits their row
 * and event, instead of twice (the WAL, then the checkpoint) */
#define STORE_FILE_CONTAINER_MIN 1048576

/* a stored file by hash (64 lowercase hex): 0 and its size and type, or MC_NOTFOUND */
int store_file_info(struct store *st, const char *sha256, int64_t *size, char *type, size_t n);
/* store size bytes under sha256 (inside the caller's transaction): read(ctx, buf, max)
 * fills buf and returns how many bytes (0 at the end, -1 on error with e set) */
typedef long (*store_file_read_fn)(void *ctx, unsigned char *buf, size_t max, struct err *e);
int store_file_put(struct store *st, const char *sha256, const char *type, int64_t size,
		   store_file_read_fn read, void *ctx, struct err *e);
/* stream a stored file's bytes to write(ctx, buf, n) (non-zero stops, e set) in chunks */
typedef int (*store_file_write_fn)(void *ctx, const unsigned char *buf, size_t n, struct err *e);
int store_file_get(struct store *st, const char *sha256, store_file_write_fn write, void *ctx, struct err *e);
/* the container beside the store: the end of its committed part and its size (more:
 * bytes an attachment that did not commit left, written over by the next large file);
 * 0, or -1 when the store has no container */
int store_files_container(struct store *st, int64_t *end, int64_t *size);
/* chunk n (bytes n * STORE_FILE_CHUNK on, at most STORE_FILE_CHUNK) of a stored file
 * into buf, wherever its bytes live (rows of file_chunks or the container), for what
 * sends a file chunk by chunk: 0 with *len (0 past the end), MC_NOTFOUND, or MC_IO */
int store_file_chunk(struct store *st, const char *sha256, int n, unsigned char *buf, size_t *len, struct err *e);
/* every stored file (hash, size) in hash order; non-zero from cb stops */
int store_files_each(struct store *st, int (*cb)(const char *sha256, int64_t size, void *ctx), void *ctx);
/* every `attached` event (of dossier code, or all when NULL), in store order */
int store_attached_events(struct store *st, const char *code, store_event_cb cb, void *ctx);

/* the dossier whose signature covers the result document sha256 (a "signed" event whose
 * payload's signature has that result_sha256): 0 and its code, or MC_NOTFOUND */
int store_signed_result(struct store *st, const char *sha256, char *code, size_t n);

#endif
