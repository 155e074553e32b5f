/* tsa.h - RFC 3161 timestamps for certificate signatures (CAdES-T).
 *
 * Why: the signingTime a signer's software writes is only its own word; a timestamp
 * from a trusted TSA (the Government CA and NEAC run one) proves the signature existed
 * then, and verification then judges the certificate at that time.  Optional: the
 * setting tsa.url (`motcua trust tsa URL`, http only: the reply is signed) turns it on.
 * The TSA's certificate must chain to the trust store (EKU timeStamping).
 */
#ifndef MOTCUA_TSA_H
#define MOTCUA_TSA_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/x509.h>
#include "err.h"

/* Ask url for a token over SHA-256(data) and check the reply against store; *tst
 * (OPENSSL_malloc'd) receives the TimeStampToken (DER ContentInfo). */
int tsa_stamp(const char *url, X509_STORE *store, const unsigned char *data, size_t n, unsigned char **tst, size_t *len,
	      struct err *e);
/* Check token tst is a valid timestamp of data under store: 0 and *when (genTime), and
 * the TSA's name in tsa (CN, UTF-8); MC_INVALID otherwise. */
int tsa_check(const unsigned char *tst, size_t len, X509_STORE *store, const unsigned char *data, size_t n, int64_t *when,
	      char *tsa, size_t tsalen, struct err *e);

#endif
