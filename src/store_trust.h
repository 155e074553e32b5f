/* store_trust.h - the store's part of certificate signatures: trusted CA certificates,
 * their CRLs and the certificate-to-signer mapping (db/0009_pkcs11.sql).  The only
 * trust code that talks SQL; src/trust.c gives the rows their meaning.  Central carries
 * the three kinds with the reference data (kinds "trust_cert", "trust_crl",
 * "user_cert"; store_trust_ref_each / store_trust_ref_apply). */
#ifndef MOTCUA_STORE_TRUST_H
#define MOTCUA_STORE_TRUST_H

#include <jansson.h>
#include <stdint.h>
#include "store.h"
#include "trust.h"

/* Calls cb for each row of kind (TK_USER: only account's when account is set; only
 * active ones when active_only).  Stops at cb's first non-zero return. */
int store_trust_each(struct store *st, enum trust_kind kind, const char *account, int active_only,
		     int (*cb)(const struct trust_row *r, void *ctx), void *ctx);
/* insert or replace (by fingerprint / issuer); a CRL replaces only an older one
 * (*kept = 1 when the stored one was as new or newer) */
int store_trust_ca_put(struct store *st, const struct trust_row *r, struct err *e);
int store_trust_crl_put(struct store *st, const struct trust_row *r, int *kept, struct err *e);
int store_trust_user_put(struct store *st, const struct trust_row *r, struct err *e);
/* active = 0 for a CA certificate or a user certificate by fingerprint: 0 or MC_NOTFOUND */
int store_trust_disable(struct store *st, enum trust_kind kind, const char *fpr, struct err *e);

/* reference data for central */
int store_trust_ref_each(struct store *st, int (*cb)(const char *kind, const char *key, json_t *doc, void *ctx), void *ctx);
/* 1 if kind is one of ours (then *rc is the result of applying doc) */
int store_trust_ref_apply(struct store *st, const char *kind, json_t *doc, int *rc, struct err *e);

#endif
