/* store_security.h - the store's part of security: signing keys and the streaming
 * walk over every event chain that `audit verify` needs.  Implemented in
 * src/store_security.c (the only security file that talks SQL). */
#ifndef MOTCUA_STORE_SECURITY_H
#define MOTCUA_STORE_SECURITY_H

#include <stdint.h>
#include "store.h"

/* a key row (see db/0005_security.sql); strings are malloc'd, free with store_key_clear */
struct store_key {
	char fingerprint[65];
	char account[ACCOUNT_LEN];
	int64_t created_at;
	char *pubkey;    /* PEM */
	char *privkey;   /* encrypted PKCS#8 PEM, or NULL */
};
void store_key_clear(struct store_key *k);

/* adds a key and publishes its public key in users.pubkey (call inside a transaction) */
int store_key_add(struct store *st, const struct store_key *k, struct err *e);
/* the newest key of account that has a private part: 0 or MC_NOTFOUND */
int store_key_private(struct store *st, const char *account, struct store_key *k);
/* a key of account by fingerprint from the key history: 0 or MC_NOTFOUND */
int store_key_by_fpr(struct store *st, const char *account, const char *fpr, struct store_key *k);
/* users.pubkey of account (malloc'd PEM in *pem): 0 or MC_NOTFOUND */
int store_user_pubkey(struct store *st, const char *account, char **pem);

/* Streams events in (dossier_code, dseq, seq) order, merged with the dossier rows in
 * code order, for one dossier (code) or all (NULL).  ev->payload points into SQLite's
 * row and is valid only during the call.  After the events of a dossier (and for a
 * row without events) dossier() gets its row (NULL: the dossier has events but no row). */
struct store_audit_sink {
	int (*event)(const struct event *ev, void *ctx);
	int (*dossier)(const char *code, const struct dossier *row, void *ctx);
	void *ctx;
	/* optional: where to read the next row (the sink keeps rows: no copy), NULL: out of memory */
	struct dossier *(*row_buf)(void *ctx);
};
int store_audit_walk(struct store *st, const char *code, const struct store_audit_sink *s);
/* every daily code counter (agency code of its office, day YYYY-MM-DD, last number given)
 * in agency, day order; cb returning non-zero stops */
int store_audit_counters(struct store *st, int (*cb)(const char *agency, const char *day, int n, void *ctx), void *ctx);
/* 1 if code has a row or an event in this store */
int store_audit_code_known(struct store *st, const char *code);

#endif
