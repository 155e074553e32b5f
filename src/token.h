/* token.h - a signer's PKCS#11 token (USB token, smart card, SoftHSM2 in tests).
 *
 * Why: a signature the law recognises is made with a key that never leaves the
 * signer's token.  This module owns talking PKCS#11 to the vendor's module (its path
 * is the setting pkcs11.module): open the first initialised token, log in with the PIN
 * (given by the caller, never kept), list the certificates on it, and sign a SHA-256
 * digest with the private key that matches a certificate's public key — RSASSA-PSS
 * (SHA-256, MGF1-SHA-256, salt 32) when the token can, else PKCS#1 v1.5, and the
 * caller is told which.  No OpenSSL engine or provider: the mechanism is the token's.
 */
#ifndef MOTCUA_TOKEN_H
#define MOTCUA_TOKEN_H

#include <stddef.h>
#include <openssl/x509.h>
#include "err.h"

#define TOKEN_PIN_MAX 256
#define TOKEN_SIG_MAX 1024

struct token;

/* load module, log in to its first token: 0, MC_NOTFOUND (no module, no token),
 * MC_DENIED (wrong or locked PIN) or MC_IO */
int token_open(const char *module, const char *pin, struct token **out, struct err *e);
void token_close(struct token *t);
/* calls cb with each certificate object's DER (stops at a non-zero return) */
int token_each_cert(struct token *t, int (*cb)(const unsigned char *der, size_t n, void *ctx), void *ctx);
/* 1 if the token holds the private key of cert */
int token_has_key(struct token *t, X509 *cert);
/* Sign dgst (SHA-256) with cert's private key.  *pss in: PSS allowed; out: 1 if PSS
 * was used, 0 for PKCS#1 v1.5.  sig holds TOKEN_SIG_MAX bytes. */
int token_sign(struct token *t, X509 *cert, const unsigned char dgst[32], int *pss, unsigned char *sig, size_t *siglen,
	       struct err *e);

#endif
