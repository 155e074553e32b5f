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

#endif
