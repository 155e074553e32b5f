/* storekey.c - Ed25519 keys of stores (see storekey.h): making, loading, signing and
 * verifying with OpenSSL EVP, and the office store's own key. */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include "storekey.h"
#include "store_storekey.h"

int storekey_generate(struct storekey *k, const char *agency)
{
	memset(k, 0, sizeof *k);
	snprintf(k->agency, sizeof k->agency, "%s", agency ? agency : "");
	EVP_PKEY *p = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	size_t len = 32;
	if (!p || EVP_PKEY_get_raw_public_key(p, k->pub, &len) != 1 || len != 32) {
		EVP_PKEY_free(p);
		return MC_STORE;
	}
	k->pkey = p;
	return 0;
}

int storekey_from_priv(struct storekey *k, const char *agency, const unsigned char priv[32])
{
	memset(k, 0, sizeof *k);
	snprintf(k->agency, sizeof k->agency, "%s", agency ? agency : "");
	EVP_PKEY *p = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, 32);
	size_t len = 32;
	if (!p || EVP_PKEY_get_raw_public_key(p, k->pub, &len) != 1 || len != 32) {
		EVP_PKEY_free(p);
		return MC_INVALID;
	}
	k->pkey = p;
	return 0;
}

int storekey_priv(const struct storekey *k, unsigned char priv[32])
{
	size_t len = 32;
	return k->pkey && EVP_PKEY_get_raw_private_key(k->pkey, priv, &len) == 1 && len == 32 ? 0 : -1;
}

void storekey_free(struct storekey *k)
{
	EVP_PKEY_free(k->pkey);
	k->pkey = NULL;
}

int storekey_sign(const struct storekey *k, const void *msg, size_t n, unsigned char sig[STOREKEY_SIG])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t len = STOREKEY_SIG;
	int ok = md && k->pkey && EVP_DigestSignInit(md, NULL, NULL, NULL, k->pkey) == 1 &&
		 EVP_DigestSign(md, sig, &len, msg, n) == 1 && len == STOREKEY_SIG;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

int storekey_verify(const unsigned char pub[32], const void *msg, size_t n, const unsigned char sig[STOREKEY_SIG])
{
	/* the public keys seen are few: keep the last one parsed (per thread: the
	 * province benchmark ingests from threads) */
	static _Thread_local unsigned char last[32];
	static _Thread_local EVP_PKEY *lastp;
	static _Thread_local EVP_MD_CTX *md;
	if (!lastp || memcmp(last, pub, 32)) {
		EVP_PKEY_free(lastp);
		lastp = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
		if (!lastp)
			return 0;
		memcpy(last, pub, 32);
	}
	if (!md && !(md = EVP_MD_CTX_new()))
		return 0;
	int ok = EVP_DigestVerifyInit(md, NULL, NULL, NULL, lastp) == 1 && EVP_DigestVerify(md, sig, STOREKEY_SIG, msg, n) == 1;
	EVP_MD_CTX_reset(md);
	return ok;
}

int storekey_own(struct store *st, const char *agency, int64_t now, struct storekey *k, struct err *e)
{
	unsigned char pub[32], priv[32];
	char who[32];
	memset(k, 0, sizeof *k);
	if (store_own_key_get(st, who, sizeof who, pub, priv) == 0) {
		int rc = storekey_from_priv(k, agency, priv);
		memset(priv, 0, sizeof priv);
		if (rc || memcmp(k->pub, pub, 32)) {
			storekey_free(k);
			return err_set(e, MC_INVALID, "the store's own key is damaged: restore the store from a backup");
		}
		return 0;
	}
	if (!agency || !agency[0])
		return err_set(e, MC_STATE, "this store has no office yet, so it has no key to sign with");
	if (storekey_generate(k, agency) || storekey_priv(k, priv)) {
		storekey_free(k);
		return err_set(e, MC_STORE, "cannot make the store's key (OpenSSL)");
	}
	int rc = store_begin(st, e);
	if (!rc) {
		/* another process may have made it meanwhile: take that one */
		unsigned char p2[32], s2[32];
		if (store_own_key_get(st, who, sizeof who, p2, s2) == 0) {
			store_rollback(st);
			storekey_free(k);
			memset(priv, 0, sizeof priv);
			return storekey_own(st, agency, now, k, e);
		}
		if ((rc = store_own_key_put(st, agency, now, k->pub, priv, e)) || (rc = store_commit(st, e)))
			store_rollback(st);
	}
	memset(priv, 0, sizeof priv);
	if (rc)
		storekey_free(k);
	return rc;
}
