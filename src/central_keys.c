/* central_keys.c - central's own key and the offices' keys (see central_keys.h).
 * Keys are reference rows of kind 'storekey' (key: "AGENCY PUBHEX", or "central AGENCY
 * PUBHEX" for central's own), so that they reach every office with the rest of the
 * reference data; adding one bumps the reference version. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "central_keys.h"
#include "event.h"
#include "portal.h"

struct keyload { struct storekey_set *ks; int oom; };

static int load_key(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct keyload *l = ctx;
	(void)key;
	if (strcmp(kind, "storekey"))
		return 0;
	json_t *j = json_loads(doc, 0, NULL);
	const char *agency = json_string_value(json_object_get(j, "agency"));
	const char *hex = json_string_value(json_object_get(j, "pub"));
	unsigned char pub[32];
	if (agency && hex && hex_decode(hex, pub, 32) == 0) {
		if (storekey_set_add(l->ks, agency, pub, json_is_true(json_object_get(j, "central")),
				     json_integer_value(json_object_get(j, "since"))))
			l->oom = MC_STORE;
		else
			storekey_set_approved(l->ks, json_integer_value(json_object_get(j, "approved_at")),
					      json_string_value(json_object_get(j, "approved_by")));
	}
	json_decref(j);
	return l->oom;
}

int central_keys_load(struct central *cen, struct storekey_set *ks, struct err *e)
{
	struct keyload l = {ks, 0};
	memset(ks, 0, sizeof *ks);
	int rc = cen->ops->ref_list(cen, "storekey", load_key, &l, e);
	if (rc || l.oom) {
		storekey_set_free(ks);
		return l.oom ? err_set(e, MC_STORE, "out of memory") : rc;
	}
	return 0;
}

static int locked_version(int ncol, const char *const *vals, void *ctx)
{
	if (ncol > 0 && vals[0])
		snprintf(ctx, 32, "%s", vals[0]);
	return 0;
}

/* inside a writing transaction: the key row and the next reference version */
/* approved_at > 0: when an administrator approved the key and who (kept in the row
 * when its since is filled in later) */
static int publish_key(struct central *cen, const char *agency, const unsigned char pub[32], int central, int64_t since,
		       int64_t approved_at, const char *approved_by, struct err *e)
{
	char hex[65], buf[32], key[128];
	hex_encode(pub, 32, hex);
	snprintf(key, sizeof key, "%s%s %s", central ? "central " : "", agency, hex);
	json_t *j = json_pack("{s:s, s:s, s:b, s:I}", "agency", agency, "pub", hex, "central", central, "since", (json_int_t)since);
	if (j && approved_at > 0) {
		json_object_set_new(j, "approved_at", json_integer(approved_at));
		json_object_set_new(j, "approved_by", json_string(approved_by ? approved_by : ""));
	}
	char *doc = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (!doc)
		return err_set(e, MC_STORE, "out of memory");
	/* an office connected as its own PostgreSQL role may not write reference rows:
	 * c_enrol_key() adds its own store's key and nothing else */
	char me[64] = "";
	int rc = 0;
	if (cen->ops == &central_pg_ops && !central)
		rc = central_pg_query(cen, "SELECT c_my_office()", NULL, 0, locked_version, me, e);
	if (!rc && me[0]) {
		const char *par[2] = {key, doc};
		rc = central_pg_query(cen, "SELECT c_enrol_key($1, $2)", par, 2, NULL, NULL, e);
		free(doc);
		if (!rc)
			rc = cen->ops->meta_get(cen, "ref_version", buf, sizeof buf, e);
		if (!rc)
			cen->ref_version = atoll(buf);
		return rc;
	}
	if (!rc)
		rc = cen->ops->ref_put(cen, "storekey", key, doc, e);
	free(doc);
	/* PostgreSQL ingests in parallel: two offices enrolling at once must not both
	 * write the same next version (the row is locked and read again); a SQLite
	 * writer holds the whole database already */
	if (!rc && cen->ops == &central_pg_ops) {
		buf[0] = 0;
		rc = central_pg_query(cen, "SELECT value FROM c_meta WHERE key = 'ref_version' FOR UPDATE", NULL, 0, locked_version,
				      buf, e);
		if (!rc && !buf[0])
			rc = err_set(e, MC_VERSION, "central %s has no reference version: run 'motcua central init'", cen->target);
	} else if (!rc) {
		rc = cen->ops->meta_get(cen, "ref_version", buf, sizeof buf, e);
	}
	if (rc)
		return rc;
	int64_t v = atoll(buf) + 1;
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	if ((rc = cen->ops->meta_set(cen, "ref_version", buf, e)))
		return rc;
	cen->ref_version = v;
	return 0;
}

int central_key_own(struct central *cen, struct storekey *k, struct err *e)
{
	char hex[65];
	unsigned char priv[32];
	int64_t base;
	int rc = cen->ops->meta_get(cen, "sign_key", hex, sizeof hex, e);
	if (rc == 0) {
		if (hex_decode(hex, priv, 32) || storekey_from_priv(k, cen->agency, priv))
			return err_set(e, MC_INVALID, "central %s: its signing key (c_meta 'sign_key') is damaged", cen->target);
		memset(priv, 0, sizeof priv);
		return 0;
	}
	if (rc != MC_NOTFOUND)
		return rc;
	memset(e, 0, sizeof *e);
	if ((rc = cen->ops->begin(cen, 1, &base, e)))
		return rc;
	/* another process may have made it meanwhile */
	if (cen->ops->meta_get(cen, "sign_key", hex, sizeof hex, e) == 0) {
		cen->ops->rollback(cen);
		return central_key_own(cen, k, e);
	}
	memset(e, 0, sizeof *e);
	if (storekey_generate(k, cen->agency) || storekey_priv(k, priv)) {
		cen->ops->rollback(cen);
		storekey_free(k);
		return err_set(e, MC_STORE, "cannot make central's key (OpenSSL)");
	}
	hex_encode(priv, 32, hex);
	memset(priv, 0, sizeof priv);
	if ((rc = cen->ops->meta_set(cen, "sign_key", hex, e)) || (rc = publish_key(cen, cen->agency, k->pub, 1, time(NULL), 0, NULL, e)) ||
	    (rc = cen->ops->commit(cen, e))) {
		cen->ops->rollback(cen);
		storekey_free(k);
	}
	memset(hex, 0, sizeof hex);
	if (!rc)
		k->since = time(NULL);
	return rc;
}

/* the approved key agency/pub if it has not been used yet (since -1: see
 * central_keys.h), else NULL */
static const struct storekey_entry *approved_unused(const struct storekey_set *ks, const char *agency,
						   const unsigned char pub[32])
{
	for (int i = 0; i < ks->n; i++)
		if (!ks->k[i].central && !memcmp(ks->k[i].pub, pub, 32) && !strcmp(ks->k[i].agency, agency))
			return ks->k[i].since < 0 ? &ks->k[i] : NULL;
	return NULL;
}

int central_key_enrol(struct central *cen, const char *agency, const unsigned char pub[32], int64_t since, int may_add,
		      struct err *e)
{
	struct storekey_set ks;
	int64_t base;
	int rc = central_keys_load(cen, &ks, e);
	if (rc)
		return rc;
	int held = storekey_set_has(&ks, agency, pub, 0), any = storekey_set_any(&ks, agency, 0);
	const struct storekey_entry *u = held ? approved_unused(&ks, agency, pub) : NULL;
	int unused = u != NULL;
	/* its approval stays in the row (the time its store signs from at the latest) */
	int64_t approved_at = u ? u->approved_at : 0;
	char approved_by[64];
	snprintf(approved_by, sizeof approved_by, "%s", u ? u->approved_by : "");
	storekey_set_free(&ks);
	if (held && !unused)
		return 0;
	int approved_only = 0;
	if (!held && (rc = central_key_policy(cen, &approved_only, e)))
		return rc;
	if (approved_only) {
		char hex[65];
		hex_encode(pub, 32, hex);
		return err_set(e, MC_DENIED, "the key %s of a store of office %s is not approved at central: an administrator of"
			       " central compares it with what 'motcua sync key' shows at that office, then runs 'motcua central"
			       " key approve %s %s'", hex, agency, agency, hex);
	}
	if (any && !may_add && !unused)
		return err_set(e, MC_DENIED, "the key that signed this is not one central holds for office %s: it was not written"
			       " by a store of that office (a new store of the office must sync online once first)", agency);
	if ((rc = cen->ops->begin(cen, 1, &base, e)))
		return rc;
	if ((rc = publish_key(cen, agency, pub, 0, since, approved_at, approved_by, e)) || (rc = cen->ops->commit(cen, e)))
		cen->ops->rollback(cen);
	return rc;
}

int central_key_policy(struct central *cen, int *approved_only, struct err *e)
{
	char v[32];
	*approved_only = 0;
	int rc = cen->ops->meta_get(cen, "key_policy", v, sizeof v, e);
	if (rc == MC_NOTFOUND) {
		memset(e, 0, sizeof *e);
		return 0;
	}
	if (!rc)
		*approved_only = !strcmp(v, "approved");
	return rc;
}

int central_key_policy_set(struct central *cen, int approved_only, struct err *e)
{
	int64_t base;
	int rc = cen->ops->begin(cen, 1, &base, e);
	if (rc)
		return rc;
	if ((rc = cen->ops->meta_set(cen, "key_policy", approved_only ? "approved" : "first-use", e)) ||
	    (rc = cen->ops->commit(cen, e)))
		cen->ops->rollback(cen);
	return rc;
}

int central_key_approve(struct central *cen, const char *agency, const unsigned char pub[32], const char *by, int64_t now,
			int *was_held, struct err *e)
{
	struct storekey_set ks;
	int64_t base;
	int rc = central_keys_load(cen, &ks, e);
	if (rc)
		return rc;
	*was_held = storekey_set_has(&ks, agency, pub, 0) || storekey_set_has(&ks, agency, pub, 1);
	storekey_set_free(&ks);
	if (*was_held)
		return 0;
	if ((rc = cen->ops->begin(cen, 1, &base, e)))
		return rc;
	if ((rc = publish_key(cen, agency, pub, 0, -1, now > 0 ? now : time(NULL), by, e)) || (rc = cen->ops->commit(cen, e)))
		cen->ops->rollback(cen);
	return rc;
}
