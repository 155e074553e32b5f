/* cms.h - detached CMS SignedData (CAdES-BES, DER) over bytes: build and check.
 *
 * Why: the signature format Vietnamese verifiers and `openssl cms` understand.  The
 * private key is on a token, so the SignerInfo is built with the certificate's public
 * key and its signature value comes from a callback (token_sign): signed attributes
 * contentType, signingTime (UTC), messageDigest (SHA-256) and signingCertificateV2;
 * no SMIMECapabilities; signature RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) or
 * PKCS#1 v1.5 as the callback reports; the intermediates are embedded.
 */
#ifndef MOTCUA_CMS_H
#define MOTCUA_CMS_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/x509.h>
#include "err.h"

/* sign the SHA-256 digest dgst; *pss in: allowed, out: used */
typedef int (*cms_signer_fn)(void *ctx, const unsigned char dgst[32], int *pss, unsigned char *sig, size_t *siglen,
			     struct err *e);

/* *der (OPENSSL_malloc'd) receives the CMS; *pss whether PSS was used.  With tsa_url,
 * an RFC 3161 timestamp over the signature value (checked against tsa_store) is added
 * as the unsigned attribute signatureTimeStampToken (CAdES-T). */
int cms_sign(X509 *cert, STACK_OF(X509) *embed, const void *data, size_t n, int64_t at, cms_signer_fn fn, void *ctx,
	     const char *tsa_url, X509_STORE *tsa_store, int *pss, unsigned char **der, size_t *derlen, struct err *e);

/* what the CMS says, before any trust decision */
struct cms_info {
	X509 *signer;             /* the signer's certificate (owned) */
	STACK_OF(X509) *certs;    /* certificates embedded (owned) */
	int64_t signing_time;
	int pss;
	unsigned char *sig, *tst;  /* the signature value; the timestamp token or NULL (malloc'd) */
	size_t siglen, tstlen;
};
void cms_info_free(struct cms_info *i);

/* 0: the signature matches data (MC_INVALID otherwise, or malformed) */
int cms_check(const unsigned char *der, size_t n, const void *data, size_t len, struct cms_info *out, struct err *e);
/* the CAdES check: signingCertificateV2 names the signer's certificate (needs a store
 * that builds its chain at the signing time) */
int cms_check_cades(const unsigned char *der, size_t n, const void *data, size_t len, X509_STORE *store, int64_t at,
		    struct err *e);

#endif
