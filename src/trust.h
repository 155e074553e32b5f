/* trust.h - the trust store: which CAs motcua trusts, their CRLs, and which signer a
 * certificate belongs to; checking a certificate against them.
 *
 * Why: a signature counts only when its certificate chains to a root the office
 * trusts (the Government CA's RootCA G2 and its sub-CA for state agencies), was valid
 * and unrevoked, and allows signing.  The administrator adds roots, intermediates and
 * CRLs (`trust add`, `trust crl`) and says whose a certificate is (`cert assign`);
 * central carries them to the offices with the reference data.
 *
 * Two checks share trust_check:
 *  - before signing (presign): the chain is valid now, every CA level has a CRL that is
 *    current now and does not list the certificate, KeyUsage allows signing;
 *  - when verifying: the same at the signing time; a CRL issued after the signing time
 *    tells the status then (a revocation after signing leaves the signature valid and
 *    is reported), an older CRL counts only if it was still current at signing time.
 *    No usable CRL: the status is unknown and the signature is not called valid.
 */
#ifndef MOTCUA_TRUST_H
#define MOTCUA_TRUST_H

#include <stdint.h>
#include <openssl/x509.h>
#include "core.h"

/* one row; strings point into the store's row and live only during a callback */
struct trust_row {
	const char *fpr;       /* certificate fingerprint; for a CRL: its issuer's */
	const char *account;   /* user_certs */
	const char *title;     /* user_certs */
	const char *subject;
	const char *pem;
	int64_t not_after;     /* certificates */
	int64_t this_update, next_update; /* CRLs */
	int64_t added_at;
	int is_root, active;
};

enum trust_kind { TK_CA, TK_CRL, TK_USER };

/* Calls cb for each trusted CA certificate, CRL or certificate-to-signer mapping of
 * the store (TK_USER: only account's when account is set; only active ones when
 * active_only).  Stops at cb's first non-zero return. */
int trust_each(struct core *c, enum trust_kind kind, const char *account, int active_only,
	       int (*cb)(const struct trust_row *r, void *ctx), void *ctx);

#define TRUST_FPR_LEN 65
#define TRUST_NAME_LEN 512

struct trust {
	X509_STORE *store;          /* active roots and intermediates */
	STACK_OF(X509) *cas;        /* the same certificates */
	STACK_OF(X509_CRL) *crls;   /* the newest CRL of each CA */
};

int trust_load(struct store *st, struct trust *t, struct err *e);
void trust_free(struct trust *t);

struct trust_result {
	STACK_OF(X509) *chain;            /* leaf first, root last */
	char issuer[TRUST_NAME_LEN];      /* CN of the leaf's CA */
	char root[TRUST_NAME_LEN];        /* CN of the root */
	int64_t crl_this, crl_next;       /* the CRL of the leaf's CA */
	int64_t revoked_at;               /* > 0: revoked after the time checked (verify) */
};
void trust_result_free(struct trust_result *r);

/* Check leaf (extra: certificates that may complete the chain) at time at (now: the
 * clock, for CRL freshness when presign).  0 or MC_INVALID with a message naming the
 * problem (who names the certificate's holder in the message). */
int trust_check(struct trust *t, X509 *leaf, STACK_OF(X509) *extra, int64_t at, int presign, struct trust_result *r,
		struct err *e);

/* helpers */
void trust_fingerprint(X509 *x, char out[TRUST_FPR_LEN]);
void trust_cn(X509_NAME *n, char *out, size_t len);      /* CN in UTF-8 ("" if none) */
void trust_dn(X509_NAME *n, char *out, size_t len);      /* RFC 2253 in UTF-8 */
int64_t trust_time(const ASN1_TIME *t);
X509 *trust_pem_cert(const char *pem);

/* administration (admin or root); each one transaction */
int trust_add(struct core *c, const char *pem_file, const char *want_fpr, char fpr[TRUST_FPR_LEN], int *is_root, struct err *e);
int trust_add_crl(struct core *c, const char *file, char issuer[TRUST_NAME_LEN], int64_t *next_update, int *kept,
		  struct err *e);
int trust_remove(struct core *c, const char *fpr, struct err *e);
int trust_cert_assign(struct core *c, const char *account, const char *pem_file, const char *title, char fpr[TRUST_FPR_LEN],
		      struct err *e);
int trust_cert_unassign(struct core *c, const char *fpr, struct err *e);

#endif
