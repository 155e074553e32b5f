/* sign.h - digital signatures of results: Ed25519 through OpenSSL libcrypto.
 *
 * Why: a leader's approval must be a real signature that anyone can check with the
 * standard `openssl` command line, without motcua.  This module owns the signers'
 * keys, the canonical signed bytes, signing a dossier and verifying it.
 *
 * Keys: each signer has a key pair.  The private key is kept in the store as an
 * encrypted PKCS#8 PEM (AES-256-CBC, PBKDF2 from the signer's passphrase; the
 * passphrase itself is never stored); the public key PEM is published in
 * users.pubkey (distributed by central with the users) and kept in the store's key
 * history so that signatures made with an older key still verify.  A key is named by
 * its fingerprint: hex SHA-256 of the public key's DER encoding.
 *
 * Signed bytes (sign_canonical): UTF-8 text, one "name: value" line each, in this
 * order, '\n' after every line; backslash, CR and LF in values are written \\ \r \n:
 *   motcua-signature-v1
 *   dossier: 000.00.17.H45-240321-0001
 *   procedure: 1.001037
 *   applicant: Nguyễn Văn Đức
 *   applicant-id: 022123456789
 *   decision: approve
 *   signer: leader1
 *   time: 2024-03-21T02:00:00Z
 *   chain: <hex SHA-256 of the dossier's event chain head before the sign event>
 * The signature goes into the "signed" event's payload:
 *   "signature": {"alg": "Ed25519", "key": FPR, "value": BASE64, "signed_at": UNIX,
 *                 "chain": HEX}
 * Verification rebuilds the bytes from the store (dossier row, the signed event and
 * its prev_hash), so a changed dossier, a changed signature or a broken event chain
 * all fail with a message naming what is wrong.
 */
#ifndef MOTCUA_SIGN_H
#define MOTCUA_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include "core.h"
#include "model.h"

#define SIGN_FPR_LEN 65          /* hex fingerprint + NUL */
#define SIGN_PASS_MIN 8          /* characters */
#define SIGN_PASS_MAX 1024       /* bytes */

/* Create a key pair for the acting user (c->actor) protected by passphrase.  Refuses
 * (MC_STATE) if the user already has one, unless replace is set (the old public key
 * stays known, so old signatures still verify).  fpr (may be NULL) receives the new
 * key's fingerprint. */
int sign_key_create(struct core *c, const char *passphrase, int replace, char fpr[SIGN_FPR_LEN], struct err *e);
/* 1 if account has a private signing key in this store */
int sign_key_exists(struct core *c, const char *account);
/* account's published public key (*pem, caller frees) and, if its private key is in
 * this store, the fingerprint (else fpr ""): 0 or MC_NOTFOUND */
int sign_key_show(struct core *c, const char *account, char **pem, char fpr[SIGN_FPR_LEN], struct err *e);

/* May the acting user sign dossier `code` now (role, scope, stage, a key)?  0, or the
 * refusal sign_dossier would give before any passphrase is asked. */
int sign_ready(struct core *c, const char *code, struct err *e);
/* Sign: the acting user (a leader) approves dossier `code` and signs it with their key.
 * Checks role, scope and stage first (as dossier_sign does); then the key: MC_NOTFOUND
 * when the user has no key, MC_DENIED for a wrong passphrase.  If c->expect_version
 * is set and the dossier changed meanwhile, MC_CONFLICT.  One store transaction
 * appends the "signed" event with the signature; `out` (may be NULL) receives the
 * dossier after the step. */
int sign_dossier(struct core *c, const char *code, const char *passphrase, struct dossier *out, struct err *e);

/* what a verification found */
struct sign_check {
	char event_id[32];              /* the signed event */
	char signer[ACCOUNT_LEN];
	int64_t signed_at;
	char fingerprint[SIGN_FPR_LEN];
	char decision[16];              /* "approve" or "refuse" */
};

/* Verify dossier `code`'s signature against this store.  0: valid (info filled);
 * MC_NOTFOUND: no such dossier, not signed, signed without a digital signature or the
 * signer's key is unknown; MC_INVALID: the signature does not match (e says why). */
int sign_verify(struct core *c, const char *code, struct sign_check *info, struct err *e);
/* Verify, then write DIR/signed.bin (the signed bytes), DIR/sig.bin (the raw 64-byte
 * signature) and DIR/pub.pem (the signer's public key) for `openssl pkeyutl -verify`. */
int sign_export(struct core *c, const char *code, const char *dir, struct sign_check *info, struct err *e);
/* Verify exported files in dir: the signature over DIR/signed.bin with the signer's
 * registered key, DIR/pub.pem being that key, and the bytes matching the store. */
int sign_verify_dir(struct core *c, const char *code, const char *dir, struct sign_check *info, struct err *e);

/* the fields that are signed (see above) */
struct sign_fields {
	const char *code, *procedure, *applicant_name, *applicant_idno, *decision, *signer;
	int64_t time;
	unsigned char chain[32];
};
/* the canonical bytes (malloc'd, NUL-terminated for convenience; *len excludes it) */
char *sign_canonical(const struct sign_fields *f, size_t *len);

#endif
