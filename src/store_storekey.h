/* store_storekey.h - the rows of the store's own Ed25519 key and of the keys it knows
 * of other stores (db/0015_storekey.sql; src/store_storekey.c).  The rules are in
 * src/storekey.c. */
#ifndef MOTCUA_STORE_STOREKEY_H
#define MOTCUA_STORE_STOREKEY_H

#include <stdint.h>
#include "err.h"
#include "store.h"

/* the store's own key: 0, MC_NOTFOUND (none yet, or a store without the table) */
int store_own_key_get(struct store *st, char *agency, size_t n, int64_t *created_at, unsigned char pub[32],
		      unsigned char priv[32]);
/* the first and only key (inside a transaction) */
int store_own_key_put(struct store *st, const char *agency, int64_t at, const unsigned char pub[32],
		      const unsigned char priv[32], struct err *e);
/* 1 if pub is a key this store knows for agency (central: as central's own key) */
int store_known_key_has(struct store *st, const char *agency, const unsigned char pub[32], int central);
/* 1 if this store knows any key of central's */
int store_known_central_any(struct store *st);
/* every key known for agency (central: central's own), until cb returns non-zero */
/* every known key: agency, public key, central's own, made at since */
int store_known_keys(struct store *st, int (*cb)(const char *agency, const unsigned char pub[32], int central,
						 int64_t since, void *ctx), void *ctx);
int store_known_key_put(struct store *st, const char *agency, const unsigned char pub[32], int central, int64_t since,
			struct err *e);

#endif
