/* central_keys.h - central's own Ed25519 key and the keys it knows of the offices'
 * stores (src/central_keys.c; the model is in storekey.h).
 *
 * Why apart from central.c: signing replies and checking who signed is one concern
 * with its own rules; the batch rules stay in central.c.  The rules: central keeps
 * every key an office's stores have had (reference rows of kind 'storekey', never
 * removed, so that old events keep verifying).  A store syncing online presents its
 * key and central adds it (that connection is central's own, authenticated by its
 * database).  A bundle, which anyone may have handled on its way, must be signed by
 * a key central already holds for its office; only an office central holds no key
 * for at all is enrolled by its first bundle, and a bundle with no events (a new
 * store asking for its office's data) is answered without adding its key.
 *
 * That is trust on first use.  A province that wants no key trusted before a person
 * has compared it sets the policy 'approved' (c_meta 'key_policy'): then central
 * takes an office's key only once an administrator of central has approved it
 * (`motcua central key approve AGENCY KEY`, the key read at the office with
 * `motcua sync key`); an approved key not yet used has since = -1 until the office's
 * first sync gives the time its store began signing.  PostgreSQL's c_enrol_key()
 * applies the same policy to an office's own role.
 */
#ifndef MOTCUA_CENTRAL_KEYS_H
#define MOTCUA_CENTRAL_KEYS_H

#include "central.h"
#include "storekey.h"

/* the keys central holds (storekey_set: agency, key, central's own, since) */
int central_keys_load(struct central *cen, struct storekey_set *ks, struct err *e);

/* central's own key (c_meta 'sign_key'), made and published on first use */
int central_key_own(struct central *cen, struct storekey *k, struct err *e);
/* an office store's key: held already 0; not held: added and published when
 * may_add (online sync) or when central holds no key of that office yet (0),
 * otherwise MC_DENIED */
int central_key_enrol(struct central *cen, const char *agency, const unsigned char pub[32], int64_t since, int may_add,
		      struct err *e);

/* the key policy: 1 when only approved keys are taken, 0 for trust on first use */
int central_key_policy(struct central *cen, int *approved_only, struct err *e);
int central_key_policy_set(struct central *cen, int approved_only, struct err *e);
/* an administrator (account by) approves an office store's key before its first use,
 * at time now: 0 (also when held already: *was_held set) or an MC_* code.  The time
 * and the administrator stay in the key's row ("approved_at", "approved_by"): the key
 * existed then, so its store signs every event from then on at the latest, and an
 * unsigned event of the office written after it is forged (storekey_signs_from) */
int central_key_approve(struct central *cen, const char *agency, const unsigned char pub[32], const char *by, int64_t now,
			int *was_held, struct err *e);

#endif
