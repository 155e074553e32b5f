/* store_filesync.h - the office's rows for files travelling with sync
 * (db/0019_filesync.sql): what central already holds, and the chunks of a file being
 * received, kept apart from `files` until they are all here and hash to its name.
 * The rules (what to send, when a file is whole) are src/filesync.c's. */
#ifndef MOTCUA_STORE_FILESYNC_H
#define MOTCUA_STORE_FILESYNC_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"

/* one file to send or receive: its hash, size and type */
typedef int (*store_fs_file_cb)(const char *sha256, int64_t size, const char *type, void *ctx);
/* one chunk; non-zero stops */
typedef int (*store_fs_chunk_cb)(int64_t n, const unsigned char *data, size_t len, void *ctx);

/* files to send: stored here, attached by an event central has (own events up to
 * push_seq, or another office's), and not known to be complete at central */
int store_fs_to_send(struct store *st, const char *origin, int64_t push_seq, store_fs_file_cb cb, void *ctx);
/* files to receive: attached by an event here, not stored here (size and type from
 * the event) */
int store_fs_to_get(struct store *st, store_fs_file_cb cb, void *ctx);
/* central holds the file complete (1) or not (0) */
int store_fs_mark(struct store *st, const char *sha256, int at_central, struct err *e);
/* how many files this office believes central holds; forget them all (ask again) */
int64_t store_fs_at_central(struct store *st);
int store_fs_forget_central(struct store *st, struct err *e);
/* chunk n of a stored file to cb: 0, or MC_NOTFOUND */
int store_fs_chunk(struct store *st, const char *sha256, int64_t n, store_fs_chunk_cb cb, void *ctx);
/* a file being received: how many chunks are here; store one (committed); each in order */
int64_t store_fs_parts(struct store *st, const char *sha256);
int store_fs_part_put(struct store *st, const char *sha256, int64_t n, const unsigned char *data, size_t len, struct err *e);
int store_fs_parts_each(struct store *st, const char *sha256, store_fs_chunk_cb cb, void *ctx);
/* all its chunks are here and hash to its name: make it a stored file (one
 * transaction); or drop them */
int store_fs_promote(struct store *st, const char *sha256, int64_t size, const char *type, struct err *e);
int store_fs_parts_drop(struct store *st, const char *sha256, struct err *e);
/* counts for status: files (and bytes) to send, files to receive */
int store_fs_counts(struct store *st, const char *origin, int64_t push_seq, int64_t *send, int64_t *send_bytes, int64_t *get);

#endif
