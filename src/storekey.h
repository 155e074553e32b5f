/* storekey.h - each store's own Ed25519 key, and checking what other stores signed.
 *
 * Why: a bundle on a USB stick, a reply from central, an event in a store file can be
 * altered by whoever holds them; a SHA-256 line anyone can recompute proves nothing.
 * Every office store and central have a key of their own (OpenSSL EVP, Ed25519).  An
 * office store makes its key the first time it signs and keeps it in the store itself
 * (db/0015_storekey.sql): under the set-group-id install the store is readable by the
 * group only, so the private key is exactly as protected as the events it signs.
 * Central keeps its key in c_meta ('sign_key') and publishes its public key, and every
 * office's, with the reference data (kind 'storekey', key = agency code, document
 * {"agency", "pub" (hex), "central"}), the way signers' public keys travel.  Central
 * learns an office's key at the office's first push or bundle (central_keys.c) and
 * refuses any other key for that office afterwards.
 *
 * This module owns the key's life in an office store and the primitives; central's
 * side is src/central_keys.c.
 */
#ifndef MOTCUA_STOREKEY_H
#define MOTCUA_STOREKEY_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "model.h"
#include "store.h"

#define STOREKEY_SIG 64

struct storekey {
	char agency[32];             /* whose key: an office's agency code, or central's */
	unsigned char pub[32];       /* raw Ed25519 public key */
	void *pkey;                  /* EVP_PKEY with the private key (NULL: public only) */
	int64_t since;               /* when it was made: its store signs every event after */
};

/* public keys known, for checking what others signed */
struct storekey_entry {
	char agency[32]; unsigned char pub[32]; int central; int64_t since;
	/* when an administrator of central approved it and who (central key approve; 0 and
	 * "": trusted on first use, or approved before approvals were dated) */
	int64_t approved_at; char approved_by[64];
};
struct storekey_set {
	struct storekey_entry *k; int n, cap;
	unsigned char own_pub[32], own_priv[32]; /* the checking store's own key, if it has one */
	int has_own;
};
int storekey_set_add(struct storekey_set *s, const char *agency, const unsigned char pub[32], int central, int64_t since);
void storekey_set_free(struct storekey_set *s);
/* 1 if s holds pub for agency (central: as central's own key) */
int storekey_set_has(const struct storekey_set *s, const char *agency, const unsigned char pub[32], int central);
/* 1 if s holds any key of agency's stores (central: of central's own) */
int storekey_set_any(const struct storekey_set *s, const char *agency, int central);
/* an event against the keys of the store that wrote it (its origin): */
enum {
	STOREKEY_SIGNED = 1,         /* signed by one of them */
	STOREKEY_BAD = 0,            /* signed, but by none of them (forged or altered) */
	STOREKEY_BEFORE = -1,        /* unsigned, written before its store began signing */
	STOREKEY_UNSIGNED = -2       /* unsigned although its store signs everything since then */
};
int storekey_set_check(const struct storekey_set *s, const struct event *ev);
/* from when a key's store signs every event it writes: its since (-1: approved, not
 * used yet), but at the latest a day after its approval time, since the key existed
 * when an administrator approved it (an unsigned event of the office after that is
 * forged).  The day: the approval is dated by central's clock and an event by its
 * office's, which may run ahead (a hardware clock set to local time and read as UTC
 * is 7 hours ahead; c_enrol_key allows an office's since a day ahead too), and an
 * honest store's unsigned events from just before its key was made must still pass.
 * -1 when neither is known */
#define STOREKEY_CLOCK_SLACK 86400
int64_t storekey_signs_from(int64_t since, int64_t approved_at);
/* the approval of the entry last added to s (storekey_set_add) */
void storekey_set_approved(struct storekey_set *s, int64_t approved_at, const char *approved_by);
/* the office store's keys as it checks them: its own key and every key it knows */
int storekey_set_load(struct store *st, struct storekey_set *s);
/* let s check events signed with the checker's own key by signing them again:
 * Ed25519 is deterministic, so the store's own signature of a message is known
 * without verifying it; only the half of it that needs the private key is computed
 * again (SHA-512 and arithmetic mod L: a twentieth of a verification's cost, see
 * own_signed() in storekey.c); any other signature is verified */
void storekey_set_own(struct storekey_set *s, const unsigned char pub[32], const unsigned char priv[32]);
/* out[i] = storekey_set_check(s, &evs[i]) for n events, on every core of the
 * machine (a verification costs ~85 µs; audits and pulls check millions) */
void storekey_set_check_many(const struct storekey_set *s, const struct event *evs, int n, int *out);
/* free what the calling thread keeps for checking and signing (parsed keys): call it
 * before a thread of the caller's own that checked events ends */
void storekey_thread_done(void);
/* the same, on a thread of its own while the caller goes on (a pull applies one batch
 * while the next one is checked); s, evs and out stay the caller's and untouched until
 * storekey_set_check_wait(), which returns when out is filled.  NULL: done already. */
struct storekey_job;
struct storekey_job *storekey_set_check_start(const struct storekey_set *s, const struct event *evs, int n, int *out);
void storekey_set_check_wait(struct storekey_job *j);

/* a new key (pkey set); 0 or MC_STORE */
int storekey_generate(struct storekey *k, const char *agency);
/* from a raw private key; 0 or MC_INVALID */
int storekey_from_priv(struct storekey *k, const char *agency, const unsigned char priv[32]);
/* the raw private key of k (with pkey) */
int storekey_priv(const struct storekey *k, unsigned char priv[32]);
void storekey_free(struct storekey *k);
/* Ed25519 over msg; 0 or -1 */
int storekey_sign(const struct storekey *k, const void *msg, size_t n, unsigned char sig[STOREKEY_SIG]);
/* 1 if sig is pub's signature over msg */
int storekey_verify(const unsigned char pub[32], const void *msg, size_t n, const unsigned char sig[STOREKEY_SIG]);

/* The office store's own key, made (and saved, in its own transaction unless one is
 * open) on first use; agency: the store's office.  0 or an MC_* code. */
int storekey_own(struct store *st, const char *agency, int64_t now, struct storekey *k, struct err *e);
/* sign an event this store writes (ev->sig, ev->has_sig) with its own key, made on
 * first use (inside the step's transaction) */
int storekey_sign_event(struct store *st, const char *agency, int64_t now, struct event *ev, struct err *e);
/* The demo province (src/demo.c) writes in one store the events other offices' stores
 * would write: while keys[0..n) are set, an event of one of their agencies is signed
 * with that agency's key instead of the store's own.  n = 0 ends it. */
void storekey_sign_for(const struct storekey *keys, int n);

#endif
