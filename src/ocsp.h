/* ocsp.h - asking a CA's OCSP responder whether a certificate is revoked, before
 * signing, where the office is online (setting ocsp.url: empty = off, "aia" = the URL in
 * the certificate, or a responder URL).  Never required: with no answer the CRL check of
 * trust.c stands alone, so an office without a network still signs. */
#ifndef MOTCUA_OCSP_H
#define MOTCUA_OCSP_H

#include <stdint.h>
#include <openssl/x509.h>
#include "err.h"

enum ocsp_status { OCSP_GOOD, OCSP_REVOKED, OCSP_UNKNOWN };

/* 0 and *status (and *revoked_at) from a verified, current, nonce-matching answer;
 * MC_IO when there is none (no URL, no answer, an answer that does not verify) */
int ocsp_ask(const char *url, X509 *cert, X509 *issuer, X509_STORE *store, int *status, int64_t *revoked_at, struct err *e);

#endif
