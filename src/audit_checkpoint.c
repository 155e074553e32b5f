/* audit_checkpoint.c - the signed audit checkpoint (see audit_checkpoint.h): the
 * digest over the event rows, the checkpoint's signed message, checking and recording. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit_checkpoint.h"

static const char digest_ctx[] = "motcua-audit-digest-v1\n";
static const char sign_ctx[] = "motcua-audit-checkpoint-v1\n";

static void be64(unsigned char *p, int64_t v)
{
	for (int i = 7; i >= 0; i--, v = (int64_t)((uint64_t)v >> 8))
		p[i] = (unsigned char)(v & 0xff);
}

/* the bytes a checkpoint's signature covers; returns their length */
static size_t cp_message(const struct store_checkpoint *cp, unsigned char *out, size_t cap)
{
	size_t n = sizeof sign_ctx - 1, la = strlen(cp->os_account), lb = strlen(cp->actor);
	if (n + 24 + 32 + la + lb + 2 > cap)
		return 0;
	memcpy(out, sign_ctx, n);
	be64(out + n, cp->upto);
	be64(out + n + 8, cp->events);
	be64(out + n + 16, cp->at);
	memcpy(out + n + 24, cp->digest, 32);
	n += 56;
	memcpy(out + n, cp->os_account, la);
	out[n + la] = '\n';
	n += la + 1;
	memcpy(out + n, cp->actor, lb);
	out[n + lb] = '\n';
	return n + lb + 1;
}

/* the running digest: rows are framed into a buffer and hashed a buffer at a time */
struct digest {
	EVP_MD_CTX *md;
	unsigned char buf[1 << 16];
	size_t n;
	int64_t cut;                   /* the checkpoint's upto: its prefix is taken here */
	int cut_done, failed;
	unsigned char prefix[32];
	int64_t prefix_rows, rows, last;
};

static void dig_flush(struct digest *d)
{
	if (d->n && EVP_DigestUpdate(d->md, d->buf, d->n) != 1)
		d->failed = 1;
	d->n = 0;
}

static void dig_put(struct digest *d, const void *p, size_t n)
{
	if (d->n + n > sizeof d->buf) {
		dig_flush(d);
		if (n > sizeof d->buf) {
			if (EVP_DigestUpdate(d->md, p, n) != 1)
				d->failed = 1;
			return;
		}
	}
	memcpy(d->buf + d->n, p, n);
	d->n += n;
}

/* the digest of what has been put so far, the running one going on */
static void dig_peek(struct digest *d, unsigned char out[32])
{
	EVP_MD_CTX *copy = EVP_MD_CTX_new();
	unsigned int len = 32;
	dig_flush(d);
	if (!copy || EVP_MD_CTX_copy_ex(copy, d->md) != 1 || EVP_DigestFinal_ex(copy, out, &len) != 1)
		d->failed = 1;
	EVP_MD_CTX_free(copy);
}

static int dig_row(int64_t seq, const void *hash, int hlen, const void *sig, int slen, void *ctx)
{
	struct digest *d = ctx;
	unsigned char head[12];
	if (!d->cut_done && seq > d->cut) {
		dig_peek(d, d->prefix);
		d->prefix_rows = d->rows;
		d->cut_done = 1;
	}
	/* seq, then each blob with its length (-1: NULL) */
	be64(head, seq);
	for (int i = 0; i < 4; i++)
		head[8 + i] = (unsigned char)((uint32_t)hlen >> (24 - 8 * i));
	dig_put(d, head, 12);
	if (hlen > 0)
		dig_put(d, hash, (size_t)hlen);
	for (int i = 0; i < 4; i++)
		head[i] = (unsigned char)((uint32_t)slen >> (24 - 8 * i));
	dig_put(d, head, 4);
	if (slen > 0)
		dig_put(d, sig, (size_t)slen);
	d->rows++;
	d->last = seq;
	return 0;
}

int audit_cp_covers(const struct audit_cp *cp, const struct event *ev)
{
	return cp->trusted_upto > 0 && ev->seq <= cp->trusted_upto && ev->has_sig;
}

int audit_cp_scan(struct store *st, const struct storekey_set *keys, int use, struct audit_cp *cp, struct err *e)
{
	memset(cp, 0, sizeof *cp);
	int have = store_checkpoint_last(st, &cp->last) == 0;
	if (have && !use)
		cp->state = AUDIT_CP_IGNORED;
	else if (have) {
		unsigned char msg[512];
		size_t n = cp_message(&cp->last, msg, sizeof msg);
		cp->state = cp->last.well_formed && n && keys->has_own && !memcmp(cp->last.pub, keys->own_pub, 32) &&
				    storekey_verify(cp->last.pub, msg, n, cp->last.sig)
			    ? AUDIT_CP_USED
			    : AUDIT_CP_FORGED;
	}
	struct digest *d = calloc(1, sizeof *d);
	if (!d || !(d->md = EVP_MD_CTX_new()) || EVP_DigestInit_ex(d->md, EVP_sha256(), NULL) != 1) {
		if (d)
			EVP_MD_CTX_free(d->md);
		free(d);
		return err_set(e, MC_STORE, "out of memory");
	}
	d->cut = cp->state == AUDIT_CP_USED ? cp->last.upto : INT64_MAX;
	dig_put(d, digest_ctx, sizeof digest_ctx - 1);
	int rc = store_audit_rows(st, dig_row, d);
	if (!rc) {
		if (!d->cut_done) {
			d->prefix_rows = d->rows;
			dig_peek(d, d->prefix);
		}
		dig_peek(d, cp->digest);
		cp->upto = d->last;
		cp->events = d->rows;
		if (cp->state == AUDIT_CP_USED) {
			if (d->prefix_rows == cp->last.events && !memcmp(d->prefix, cp->last.digest, 32))
				cp->trusted_upto = cp->last.upto;
			else
				cp->state = AUDIT_CP_CHANGED;
		}
	}
	int failed = d->failed;
	EVP_MD_CTX_free(d->md);
	free(d);
	if (rc || failed)
		return err_set(e, MC_STORE, "cannot read the event log of %s", store_path(st));
	return 0;
}

int audit_cp_record(struct core *c, const struct storekey_set *keys, const struct audit_cp *cp, int64_t *recorded,
		    struct err *e)
{
	*recorded = 0;
	if (!keys->has_own || cp->events == 0)
		return 0;
	if (store_audit_readonly(c->st))
		return err_set(e, MC_DENIED, "the store is open read-only, so no audit checkpoint was recorded: the next audit checks every signature again");
	struct store_checkpoint r;
	memset(&r, 0, sizeof r);
	r.upto = cp->upto;
	r.events = cp->events;
	r.at = core_now(c);
	memcpy(r.digest, cp->digest, 32);
	snprintf(r.os_account, sizeof r.os_account, "%s", c->os_account);
	snprintf(r.actor, sizeof r.actor, "%s", c->actor.id ? c->actor.account : "");
	memcpy(r.pub, keys->own_pub, 32);
	unsigned char msg[512];
	size_t n = cp_message(&r, msg, sizeof msg);
	struct storekey k;
	int bad = storekey_from_priv(&k, "", keys->own_priv) || memcmp(k.pub, keys->own_pub, 32) || !n ||
		  storekey_sign(&k, msg, n, r.sig);
	storekey_free(&k);
	if (bad)
		return err_set(e, MC_STORE, "cannot sign the audit checkpoint with the store's key (OpenSSL)");
	int rc = store_checkpoint_put(c->st, &r, e);
	if (!rc)
		*recorded = r.events;
	return rc;
}
