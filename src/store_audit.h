/* store_audit.h - the rows behind the audit checkpoint (db/0021_audit_checkpoint.sql,
 * src/audit_checkpoint.h): reading and adding checkpoints, the scan of every event row
 * in row order that its digest needs, and the one read transaction a full audit runs
 * in.  Implemented in src/store_audit.c. */
#ifndef MOTCUA_STORE_AUDIT_H
#define MOTCUA_STORE_AUDIT_H

#include <stdint.h>
#include "err.h"
#include "model.h"
#include "store.h"

struct store_checkpoint {
	int64_t id, upto, events, at;
	unsigned char digest[32], pub[32], sig[64];
	char os_account[ACCOUNT_LEN], actor[ACCOUNT_LEN];
	int well_formed;             /* 0: a blob of the row has the wrong length */
};
/* the newest checkpoint: 0, MC_NOTFOUND (none, or a store without the table) */
int store_checkpoint_last(struct store *st, struct store_checkpoint *cp);
/* add one (its own transaction unless one is open) */
int store_checkpoint_put(struct store *st, const struct store_checkpoint *cp, struct err *e);
/* 1 if the store was opened read-only */
int store_audit_readonly(const struct store *st);

/* a read transaction (outside any other): every read until store_audit_read_end sees one
 * snapshot of the store; returns 1 if it began one */
int store_audit_read_begin(struct store *st);
void store_audit_read_end(struct store *st, int began);

/* every event row in seq order: its seq and the bytes of its hash and signature as
 * stored (length -1: the column is NULL, as sig of an unsigned event); cb returning
 * non-zero stops.  0, cb's value or
 * MC_STORE */
typedef int (*store_row_cb)(int64_t seq, const void *hash, int hlen, const void *sig, int slen, void *ctx);
int store_audit_rows(struct store *st, store_row_cb cb, void *ctx);

#endif
