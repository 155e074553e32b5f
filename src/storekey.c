/* storekey.c - Ed25519 keys of stores (see storekey.h): making, loading, signing and
 * verifying with OpenSSL EVP, and the office store's own key. */
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "event.h"
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

/* the public keys seen are few: keep the last one parsed (per thread: the province
 * benchmark ingests from threads, and checks run on every core), and the own key's
 * private half for own_signed(); thread_done() frees them when a thread ends */
static _Thread_local unsigned char tl_last[32];
static _Thread_local EVP_PKEY *lastp;
static _Thread_local EVP_MD_CTX *md;
/* the own key expanded (RFC 8032 5.1.5): its public key, secret scalar a, nonce prefix */
static _Thread_local struct own_scalar {
	unsigned char pub[32], prefix[32];
	BIGNUM *a, *l, *r, *k, *x;
	BN_CTX *ctx;
	int ok;
} tl_sc;

static void own_scalar_free(struct own_scalar *o)
{
	BN_clear_free(o->a);
	BN_free(o->l);
	BN_clear_free(o->r);
	BN_free(o->k);
	BN_clear_free(o->x);
	BN_CTX_free(o->ctx);
	OPENSSL_cleanse(o, sizeof *o);
}

static void thread_done(void)
{
	EVP_PKEY_free(lastp);
	lastp = NULL;
	EVP_MD_CTX_free(md);
	md = NULL;
	own_scalar_free(&tl_sc);
}

int storekey_verify(const unsigned char pub[32], const void *msg, size_t n, const unsigned char sig[STOREKEY_SIG])
{
	unsigned char *last = tl_last;
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
	int64_t since = 0;
	memset(k, 0, sizeof *k);
	if (store_own_key_get(st, who, sizeof who, &since, pub, priv) == 0) {
		int rc = storekey_from_priv(k, agency, priv);
		k->since = since;
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
		if (store_own_key_get(st, who, sizeof who, NULL, p2, s2) == 0) {
			store_rollback(st);
			storekey_free(k);
			memset(priv, 0, sizeof priv);
			return storekey_own(st, agency, now, k, e);
		}
		k->since = now;
		if ((rc = store_own_key_put(st, agency, now, k->pub, priv, e)) || (rc = store_commit(st, e)))
			store_rollback(st);
	}
	memset(priv, 0, sizeof priv);
	if (rc)
		storekey_free(k);
	return rc;
}

/* other offices' keys this process signs their events with (storekey_sign_for) */
static const struct storekey *sign_for_keys;
static int sign_for_n;

void storekey_sign_for(const struct storekey *keys, int n)
{
	sign_for_keys = n > 0 ? keys : NULL;
	sign_for_n = n > 0 ? n : 0;
}

int storekey_sign_event(struct store *st, const char *agency, int64_t now, struct event *ev, struct err *e)
{
	for (int i = 0; i < sign_for_n; i++)
		if (!strcmp(sign_for_keys[i].agency, agency)) {
			unsigned char m[EVENT_SIG_MSG];
			event_sig_message(ev, m);
			if (storekey_sign(&sign_for_keys[i], m, sizeof m, ev->sig))
				return err_set(e, MC_STORE, "cannot sign the event (OpenSSL)");
			ev->has_sig = 1;
			return 0;
		}

	/* the key of the last store that signed, kept while the store still holds it */
	static struct storekey cached;
	static unsigned char cached_priv_pub[32];
	static int have;
	unsigned char pub[32], priv[32], msg[EVENT_SIG_MSG];
	struct storekey made = {0};
	const struct storekey *k = &cached;
	if (store_own_key_get(st, NULL, 0, NULL, pub, priv) == 0) {
		if (!have || memcmp(cached_priv_pub, pub, 32)) {
			storekey_free(&cached);
			have = storekey_from_priv(&cached, agency, priv) == 0 && !memcmp(cached.pub, pub, 32);
			memcpy(cached_priv_pub, pub, 32);
		}
		memset(priv, 0, sizeof priv);
		if (!have)
			return err_set(e, MC_INVALID, "the store's own key is damaged: restore the store from a backup");
	} else {
		/* the first event of a store: its key is made in the same transaction */
		if (storekey_own(st, agency, now, &made, e))
			return e->code;
		k = &made;
	}
	event_sig_message(ev, msg);
	int rc = storekey_sign(k, msg, sizeof msg, ev->sig);
	storekey_free(&made);
	if (rc)
		return err_set(e, MC_STORE, "cannot sign the event (OpenSSL)");
	ev->has_sig = 1;
	return 0;
}

int storekey_set_add(struct storekey_set *s, const char *agency, const unsigned char pub[32], int central, int64_t since)
{
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		void *p = realloc(s->k, (size_t)cap * sizeof *s->k);
		if (!p)
			return MC_STORE;
		s->k = p;
		s->cap = cap;
	}
	struct storekey_entry *k = &s->k[s->n++];
	snprintf(k->agency, sizeof k->agency, "%s", agency);
	memcpy(k->pub, pub, 32);
	k->central = central != 0;
	k->since = since;
	k->approved_at = 0;
	k->approved_by[0] = 0;
	return 0;
}

void storekey_set_approved(struct storekey_set *s, int64_t approved_at, const char *approved_by)
{
	if (s->n <= 0)
		return;
	struct storekey_entry *k = &s->k[s->n - 1];
	k->approved_at = approved_at > 0 ? approved_at : 0;
	snprintf(k->approved_by, sizeof k->approved_by, "%s", approved_by ? approved_by : "");
}

int64_t storekey_signs_from(int64_t since, int64_t approved_at)
{
	if (approved_at > 0) {
		/* central's clock dated the approval, the office's clock its events */
		int64_t bound = approved_at > INT64_MAX - STOREKEY_CLOCK_SLACK ? INT64_MAX : approved_at + STOREKEY_CLOCK_SLACK;
		if (since < 0 || bound < since)
			return bound;
	}
	return since >= 0 ? since : -1;
}

void storekey_set_free(struct storekey_set *s)
{
	OPENSSL_cleanse(s->own_priv, sizeof s->own_priv);
	free(s->k);
	memset(s, 0, sizeof *s);
}

int storekey_set_has(const struct storekey_set *s, const char *agency, const unsigned char pub[32], int central)
{
	for (int i = 0; i < s->n; i++)
		if (s->k[i].central == (central != 0) && !memcmp(s->k[i].pub, pub, 32) && !strcmp(s->k[i].agency, agency))
			return 1;
	return 0;
}

int storekey_set_any(const struct storekey_set *s, const char *agency, int central)
{
	for (int i = 0; i < s->n; i++)
		if (s->k[i].central == (central != 0) && !strcmp(s->k[i].agency, agency))
			return 1;
	return 0;
}

void storekey_set_own(struct storekey_set *s, const unsigned char pub[32], const unsigned char priv[32])
{
	memcpy(s->own_pub, pub, 32);
	memcpy(s->own_priv, priv, 32);
	s->has_own = 1;
}

/* the group order L of Ed25519: 2^252 + 27742317777372353535851937790883648493 */
static const char ORDER_HEX[] = "1000000000000000000000000000000014DEF9DEA2F79CD65812631A5CF5D3ED";

static int own_expand(struct own_scalar *o, const unsigned char pub[32], const unsigned char priv[32])
{
	unsigned char h[64];
	own_scalar_free(o);
	SHA512(priv, 32, h);
	h[0] &= 248; /* clamped */
	h[31] &= 127;
	h[31] |= 64;
	o->ctx = BN_CTX_new();
	o->a = BN_lebin2bn(h, 32, NULL);
	o->r = BN_new();
	o->k = BN_new();
	o->x = BN_new();
	memcpy(o->prefix, h + 32, 32);
	memcpy(o->pub, pub, 32);
	OPENSSL_cleanse(h, sizeof h);
	o->ok = o->ctx && o->a && o->r && o->k && o->x && BN_hex2bn(&o->l, ORDER_HEX) > 0;
	return o->ok;
}

/* 1 if sig is what the own key signs over msg (per thread: checks run on every core).
 * Ed25519 is deterministic (RFC 8032 5.1.6): the own key's signature of msg is R || S
 * with r = SHA-512(prefix || msg), R = [r]B and S = r + SHA-512(R || A || msg)·a
 * (mod L).  The S of sig is compared with r + SHA-512(R' || A || msg)·a for the R' of
 * sig: equal for the signature this key makes, and for no other R' unless whoever
 * made it knew r and a (the private key); [r]B, most of signing's cost, is not
 * computed.  A signature this misses is still verified (entry_signed). */
static int own_signed(const struct storekey_set *s, const unsigned char *msg, size_t n, const unsigned char sig[STOREKEY_SIG])
{
	struct own_scalar *o = &tl_sc;
	unsigned char buf[64 + EVENT_SIG_MSG], h[64], mine[32];
	if (n > EVENT_SIG_MSG)
		return 0;
	if ((!o->ok || memcmp(o->pub, s->own_pub, 32)) && !own_expand(o, s->own_pub, s->own_priv))
		return 0;
	memcpy(buf, o->prefix, 32);
	memcpy(buf + 32, msg, n);
	SHA512(buf, 32 + n, h);
	if (!BN_lebin2bn(h, 64, o->x) || !BN_nnmod(o->r, o->x, o->l, o->ctx))
		return 0;
	memcpy(buf, sig, 32); /* R' */
	memcpy(buf + 32, o->pub, 32);
	memcpy(buf + 64, msg, n);
	SHA512(buf, 64 + n, h);
	int ok = BN_lebin2bn(h, 64, o->k) && BN_mod_mul(o->x, o->k, o->a, o->l, o->ctx) &&
		 BN_mod_add(o->x, o->x, o->r, o->l, o->ctx) && BN_bn2lebinpad(o->x, mine, 32) == 32 &&
		 CRYPTO_memcmp(mine, sig + 32, 32) == 0;
	OPENSSL_cleanse(buf, 32);
	return ok;
}

/* 1 if k signed ev (msg: its signature message): the own key's signature is known by
 * signing again; any other signature is verified */
static int entry_signed(const struct storekey_set *s, const struct storekey_entry *k, const unsigned char *msg,
			const struct event *ev)
{
	if (s->has_own && !memcmp(k->pub, s->own_pub, 32) && own_signed(s, msg, EVENT_SIG_MSG, ev->sig))
		return 1;
	return storekey_verify(k->pub, msg, EVENT_SIG_MSG, ev->sig);
}

/* the key that signed the last event checked on this thread: a batch comes mostly
 * from a few stores, and a verification that fails costs as much as one that passes
 * (a new store of an office checks what the office's earlier store signed) */
static _Thread_local unsigned char tl_hit[32];

int storekey_set_check(const struct storekey_set *s, const struct event *ev)
{
	unsigned char msg[EVENT_SIG_MSG];
	int64_t since = -1;
	int first = -1;
	if (ev->has_sig) {
		event_sig_message(ev, msg);
		for (int i = 0; i < s->n && first < 0; i++)
			if (!memcmp(s->k[i].pub, tl_hit, 32) && !strcmp(s->k[i].agency, ev->origin))
				first = i;
		if (first >= 0 && entry_signed(s, &s->k[first], msg, ev))
			return STOREKEY_SIGNED;
	}
	for (int i = 0; i < s->n; i++) {
		const struct storekey_entry *k = &s->k[i];
		if (strcmp(k->agency, ev->origin))
			continue;
		if (ev->has_sig && i != first && entry_signed(s, k, msg, ev)) {
			memcpy(tl_hit, k->pub, 32);
			return STOREKEY_SIGNED;
		}
		/* -1: approved, not used yet: then from its approval on */
		int64_t from = storekey_signs_from(k->since, k->approved_at);
		if (from >= 0 && (since < 0 || from < since))
			since = from;
	}
	if (ev->has_sig)
		return STOREKEY_BAD;
	return since < 0 || ev->at <= since ? STOREKEY_BEFORE : STOREKEY_UNSIGNED;
}

static int set_known(const char *agency, const unsigned char pub[32], int central, int64_t since, void *ctx)
{
	return storekey_set_add(ctx, agency, pub, central, since);
}

int storekey_set_load(struct store *st, struct storekey_set *s)
{
	unsigned char pub[32], priv[32];
	char agency[32];
	int64_t since = 0;
	memset(s, 0, sizeof *s);
	if (store_own_key_get(st, agency, sizeof agency, &since, pub, priv) == 0) {
		storekey_set_own(s, pub, priv);
		OPENSSL_cleanse(priv, sizeof priv);
		if (storekey_set_add(s, agency, pub, 0, since))
			return MC_STORE;
	}
	return store_known_keys(st, set_known, s) ? MC_STORE : 0;
}

/* ---- many at once ------------------------------------------------------------------- */

void storekey_thread_done(void)
{
	thread_done();
}

struct check_job { const struct storekey_set *s; const struct event *evs; int *out; int from, to; };

static void *check_run(void *arg)
{
	struct check_job *j = arg;
	for (int i = j->from; i < j->to; i++)
		j->out[i] = storekey_set_check(j->s, &j->evs[i]);
	thread_done();
	return NULL;
}

void storekey_set_check_many(const struct storekey_set *s, const struct event *evs, int n, int *out)
{
	enum { MAX_THREADS = 8, MIN_SHARE = 32 };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int t = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;
	if (t > n / MIN_SHARE)
		t = n / MIN_SHARE;
	struct check_job jobs[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	int started[MAX_THREADS] = {0};
	if (t < 2) {
		for (int i = 0; i < n; i++)
			out[i] = storekey_set_check(s, &evs[i]);
		return;
	}
	for (int i = 0; i < t; i++) {
		jobs[i] = (struct check_job){s, evs, out, (int)((int64_t)n * i / t), (int)((int64_t)n * (i + 1) / t)};
		/* the first share runs here; a thread that cannot start runs here too */
		started[i] = i > 0 && pthread_create(&th[i], NULL, check_run, &jobs[i]) == 0;
	}
	for (int i = 0; i < t; i++)
		if (!started[i])
			for (int k = jobs[i].from; k < jobs[i].to; k++)
				out[k] = storekey_set_check(s, &evs[k]);
	for (int i = 1; i < t; i++)
		if (started[i])
			pthread_join(th[i], NULL);
}

/* ---- many at once, while the caller does something else ------------------------------- */

struct storekey_job { pthread_t th; int started; const struct storekey_set *s; const struct event *evs; int n; int *out; };

static void *job_run(void *arg)
{
	struct storekey_job *j = arg;
	storekey_set_check_many(j->s, j->evs, j->n, j->out);
	thread_done();
	return NULL;
}

struct storekey_job *storekey_set_check_start(const struct storekey_set *s, const struct event *evs, int n, int *out)
{
	struct storekey_job *j = n > 0 ? calloc(1, sizeof *j) : NULL;
	if (!j) {
		storekey_set_check_many(s, evs, n, out);
		return NULL;
	}
	*j = (struct storekey_job){.s = s, .evs = evs, .n = n, .out = out};
	j->started = pthread_create(&j->th, NULL, job_run, j) == 0;
	if (!j->started) /* no thread: the work is done here, now */
		storekey_set_check_many(s, evs, n, out);
	return j;
}

void storekey_set_check_wait(struct storekey_job *j)
{
	if (!j)
		return;
	if (j->started)
		pthread_join(j->th, NULL);
	free(j);
}
