/* trust.c - the trust store and certificate checks (see trust.h). */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "event.h"
#include "store_trust.h"
#include "trust.h"

/* ---- helpers ------------------------------------------------------------------------- */

/* cut a truncated UTF-8 sequence off the end of s */
static void utf8_trim(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < want)
		s[i - 1] = 0;
}

void trust_fingerprint(X509 *x, char out[TRUST_FPR_LEN])
{
	unsigned char md[32];
	unsigned int n = 32;
	out[0] = 0;
	if (X509_digest(x, EVP_sha256(), md, &n))
		hex_encode(md, 32, out);
}

void trust_cn(X509_NAME *n, char *out, size_t len)
{
	out[0] = 0;
	int i = n ? X509_NAME_get_index_by_NID(n, NID_commonName, -1) : -1;
	unsigned char *u = NULL;
	int k = i >= 0 ? ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i))) : -1;
	if (k >= 0) {
		snprintf(out, len, "%.*s", k, (char *)u);
		utf8_trim(out);
	}
	OPENSSL_free(u);
}

void trust_dn(X509_NAME *n, char *out, size_t len)
{
	out[0] = 0;
	BIO *b = BIO_new(BIO_s_mem());
	if (b && X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		char *p;
		long k = BIO_get_mem_data(b, &p);
		snprintf(out, len, "%.*s", (int)k, p);
		utf8_trim(out);
	}
	BIO_free(b);
}

int64_t trust_time(const ASN1_TIME *t)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

X509 *trust_pem_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	return x;
}

static X509_CRL *pem_crl(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509_CRL *x = b ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	return x;
}

static void when(int64_t t, char *buf, int n) { cal_format(t, 1, buf, n); }

/* ---- loading ------------------------------------------------------------------------- */

static int load_ca(const struct trust_row *r, void *ctx)
{
	struct trust *t = ctx;
	X509 *x = trust_pem_cert(r->pem);
	if (x) {
		X509_STORE_add_cert(t->store, x);
		sk_X509_push(t->cas, x);
	}
	return 0;
}

static int load_crl(const struct trust_row *r, void *ctx)
{
	struct trust *t = ctx;
	X509_CRL *x = pem_crl(r->pem);
	if (x)
		sk_X509_CRL_push(t->crls, x);
	return 0;
}

int trust_load(struct store *st, struct trust *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	if (!(t->store = X509_STORE_new()) || !(t->cas = sk_X509_new_null()) || !(t->crls = sk_X509_CRL_new_null())) {
		trust_free(t);
		return err_set(e, MC_STORE, "out of memory");
	}
	if (store_trust_each(st, TK_CA, NULL, 1, load_ca, t) || store_trust_each(st, TK_CRL, NULL, 0, load_crl, t)) {
		trust_free(t);
		return err_set(e, MC_STORE, "cannot read the trust store");
	}
	return 0;
}

void trust_free(struct trust *t)
{
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->cas, X509_free);
	sk_X509_CRL_pop_free(t->crls, X509_CRL_free);
	memset(t, 0, sizeof *t);
}

void trust_result_free(struct trust_result *r)
{
	sk_X509_pop_free(r->chain, X509_free);
	memset(r, 0, sizeof *r);
}

/* ---- checking ------------------------------------------------------------------------ */

/* the newest CRL signed by issuer */
static X509_CRL *crl_of(struct trust *t, X509 *issuer)
{
	X509_CRL *best = NULL;
	int64_t best_t = 0;
	for (int i = 0; i < sk_X509_CRL_num(t->crls); i++) {
		X509_CRL *c = sk_X509_CRL_value(t->crls, i);
		if (X509_NAME_cmp(X509_CRL_get_issuer(c), X509_get_subject_name(issuer)) ||
		    X509_CRL_verify(c, X509_get0_pubkey(issuer)) != 1)
			continue;
		int64_t tu = trust_time(X509_CRL_get0_lastUpdate(c));
		if (!best || tu > best_t) {
			best = c;
			best_t = tu;
		}
	}
	return best;
}

static int chain_error(int err, X509 *cur, const char *who, int64_t at, struct err *e)
{
	char cn[TRUST_NAME_LEN], w[24];
	trust_cn(X509_get_subject_name(cur), cn, sizeof cn);
	when(at, w, sizeof w);
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED: {
		char t[24];
		when(trust_time(X509_get0_notAfter(cur)), t, sizeof t);
		return err_set(e, MC_INVALID, "the certificate \"%s\" (%s) expired on %s and was not valid at %s", cn, who, t, w);
	}
	case X509_V_ERR_CERT_NOT_YET_VALID: {
		char t[24];
		when(trust_time(X509_get0_notBefore(cur)), t, sizeof t);
		return err_set(e, MC_INVALID, "the certificate \"%s\" (%s) is valid only from %s, not at %s", cn, who, t, w);
	}
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		return err_set(e, MC_INVALID, "the certificate \"%s\" (%s) does not chain to a trusted root: an administrator adds its CA with 'motcua trust add'",
			       cn, who);
	default:
		return err_set(e, MC_INVALID, "the certificate chain of \"%s\" (%s) is not valid: %s", cn, who,
			       X509_verify_cert_error_string(err));
	}
}

int trust_check(struct trust *t, X509 *leaf, STACK_OF(X509) *extra, int64_t at, int presign, struct trust_result *r,
		struct err *e)
{
	memset(r, 0, sizeof *r);
	char cn[TRUST_NAME_LEN], w[24], w2[24];
	trust_cn(X509_get_subject_name(leaf), cn, sizeof cn);
	const char *who = cn;
	/* KeyUsage: digitalSignature or nonRepudiation */
	uint32_t ku = X509_get_key_usage(leaf);
	if (!(X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) || !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		return err_set(e, MC_INVALID, "the certificate \"%s\" is not for signing: its KeyUsage has neither digitalSignature nor nonRepudiation",
			       who);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	if (!ctx || !X509_STORE_CTX_init(ctx, t->store, leaf, extra)) {
		X509_STORE_CTX_free(ctx);
		return err_set(e, MC_STORE, "out of memory");
	}
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
	X509_STORE_CTX_set_time(ctx, 0, (time_t)at);
	int ok = X509_verify_cert(ctx) == 1;
	if (!ok) {
		X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
		int rc = chain_error(X509_STORE_CTX_get_error(ctx), cur ? cur : leaf, who, at, e);
		X509_STORE_CTX_free(ctx);
		return rc;
	}
	r->chain = X509_STORE_CTX_get1_chain(ctx);
	X509_STORE_CTX_free(ctx);
	int n = sk_X509_num(r->chain);
	trust_cn(X509_get_subject_name(sk_X509_value(r->chain, n - 1)), r->root, sizeof r->root);
	trust_cn(X509_get_issuer_name(leaf), r->issuer, sizeof r->issuer);
	when(at, w, sizeof w);
	/* revocation, level by level */
	for (int i = 0; i + 1 < n; i++) {
		X509 *x = sk_X509_value(r->chain, i), *is = sk_X509_value(r->chain, i + 1);
		char xcn[TRUST_NAME_LEN], icn[TRUST_NAME_LEN];
		trust_cn(X509_get_subject_name(x), xcn, sizeof xcn);
		trust_cn(X509_get_subject_name(is), icn, sizeof icn);
		X509_CRL *crl = crl_of(t, is);
		if (!crl) {
			trust_result_free(r);
			return err_set(e, MC_INVALID, "the trust store has no CRL of the CA \"%s\", so whether \"%s\" is revoked is unknown: import its latest CRL with 'motcua trust crl FILE'",
				       icn, xcn);
		}
		int64_t tu = trust_time(X509_CRL_get0_lastUpdate(crl)), nu = trust_time(X509_CRL_get0_nextUpdate(crl));
		if (i == 0) {
			r->crl_this = tu;
			r->crl_next = nu;
		}
		/* current at the time checked: before signing, not past its next update; when
		 * verifying, issued after the signing or still current then */
		if ((presign || tu < at) && nu && nu < at) {
			when(nu, w2, sizeof w2);
			trust_result_free(r);
			return err_set(e, MC_INVALID, "the CRL of the CA \"%s\" is out of date (its next update was due %s), so whether \"%s\" was revoked at %s is unknown: import its latest CRL with 'motcua trust crl FILE'",
				       icn, w2, xcn, w);
		}
		X509_REVOKED *rev = NULL;
		if (X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(x)) == 1 && rev) {
			int64_t rt = trust_time(X509_REVOKED_get0_revocationDate(rev));
			if (rt <= at) {
				when(rt, w2, sizeof w2);
				trust_result_free(r);
				return err_set(e, MC_INVALID, "the certificate \"%s\" was revoked on %s (CRL of the CA \"%s\"), before %s", xcn, w2, icn, w);
			}
			if (i == 0)
				r->revoked_at = rt;
		}
	}
	return 0;
}

/* ---- administration ------------------------------------------------------------------ */

static int may_admin(struct core *c, struct err *e)
{
	if (c->is_root || (c->actor.roles & ROLE_ADMIN))
		return 0;
	return err_set(e, MC_DENIED, "only an administrator may change the trust store or the signers' certificates");
}

/* a certificate from a PEM or DER file */
static X509 *read_cert(const char *file, struct err *e)
{
	BIO *b = BIO_new_file(file, "rb");
	if (!b) {
		err_set(e, MC_IO, "cannot read %s: %s", file, strerror(errno));
		return NULL;
	}
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (!x) {
		(void)BIO_reset(b);
		x = d2i_X509_bio(b, NULL);
	}
	BIO_free(b);
	ERR_clear_error();
	if (!x)
		err_set(e, MC_INVALID, "%s holds no certificate (PEM or DER)", file);
	return x;
}

static char *to_pem(X509 *x, X509_CRL *crl)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *s = NULL;
	if (b && (x ? PEM_write_bio_X509(b, x) : PEM_write_bio_X509_CRL(b, crl))) {
		long k = BIO_get_mem_data(b, &p);
		if ((s = malloc((size_t)k + 1))) {
			memcpy(s, p, (size_t)k);
			s[k] = 0;
		}
	}
	BIO_free(b);
	return s;
}

static int in_tx(struct core *c, int (*fn)(struct store *, const struct trust_row *, struct err *), const struct trust_row *r,
		 struct err *e)
{
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if ((rc = fn(c->st, r, e)) || (rc = store_commit(c->st, e)))
		store_rollback(c->st);
	return rc;
}

int trust_add(struct core *c, const char *file, const char *want_fpr, char fpr[TRUST_FPR_LEN], int *is_root, struct err *e)
{
	if (may_admin(c, e))
		return e->code;
	X509 *x = read_cert(file, e);
	if (!x)
		return e->code;
	int rc = 0;
	char *pem = NULL, dn[TRUST_NAME_LEN];
	struct trust t = {0};
	trust_fingerprint(x, fpr);
	trust_dn(X509_get_subject_name(x), dn, sizeof dn);
	if (want_fpr) {
		char w[TRUST_FPR_LEN];
		size_t k = 0;
		for (const char *p = want_fpr; *p && k + 1 < sizeof w; p++)
			if (*p != ':' && *p != ' ')
				w[k++] = (char)((*p >= 'A' && *p <= 'F') ? *p - 'A' + 'a' : *p);
		w[k] = 0;
		if (strcmp(w, fpr)) {
			rc = err_set(e, MC_INVALID, "the certificate in %s has the SHA-256 fingerprint %s, not the one given: it was not added", file, fpr);
			goto done;
		}
	}
	if (X509_check_ca(x) < 1) {
		rc = err_set(e, MC_INVALID, "%s is not a CA certificate: the trust store holds roots and intermediate CAs only", file);
		goto done;
	}
	*is_root = X509_check_issued(x, x) == X509_V_OK && X509_verify(x, X509_get0_pubkey(x)) == 1;
	if (!*is_root) {
		/* an intermediate must chain to a root already trusted */
		if ((rc = trust_load(c->st, &t, e)))
			goto done;
		X509_STORE_CTX *ctx = X509_STORE_CTX_new();
		int ok = ctx && X509_STORE_CTX_init(ctx, t.store, x, NULL);
		if (ok) {
			X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
			X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
			ok = X509_verify_cert(ctx) == 1;
		}
		X509_STORE_CTX_free(ctx);
		if (!ok) {
			rc = err_set(e, MC_INVALID, "the CA certificate \"%s\" does not chain to a trusted root: add its root first", dn);
			goto done;
		}
	}
	if (!(pem = to_pem(x, NULL))) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	struct trust_row r = {.fpr = fpr, .subject = dn, .pem = pem, .is_root = *is_root, .active = 1,
			      .not_after = trust_time(X509_get0_notAfter(x)), .added_at = core_now(c)};
	rc = in_tx(c, store_trust_ca_put, &r, e);
done:
	trust_free(&t);
	free(pem);
	X509_free(x);
	return rc;
}

int trust_add_crl(struct core *c, const char *file, char issuer[TRUST_NAME_LEN], int64_t *next_update, int *kept, struct err *e)
{
	if (may_admin(c, e))
		return e->code;
	BIO *b = BIO_new_file(file, "rb");
	if (!b)
		return err_set(e, MC_IO, "cannot read %s: %s", file, strerror(errno));
	X509_CRL *crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
	if (!crl) {
		(void)BIO_reset(b);
		crl = d2i_X509_CRL_bio(b, NULL);
	}
	BIO_free(b);
	ERR_clear_error();
	if (!crl)
		return err_set(e, MC_INVALID, "%s holds no CRL (PEM or DER)", file);
	struct trust t;
	int rc = trust_load(c->st, &t, e);
	char *pem = NULL;
	X509 *is = NULL;
	trust_cn(X509_CRL_get_issuer(crl), issuer, TRUST_NAME_LEN);
	for (int i = 0; !rc && i < sk_X509_num(t.cas) && !is; i++) {
		X509 *x = sk_X509_value(t.cas, i);
		if (!X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(x)) && X509_CRL_verify(crl, X509_get0_pubkey(x)) == 1)
			is = x;
	}
	if (!rc && !is)
		rc = err_set(e, MC_INVALID, "the CRL in %s is not signed by a CA of the trust store (issuer \"%s\"): add the CA first", file, issuer);
	if (!rc && !(pem = to_pem(NULL, crl)))
		rc = err_set(e, MC_STORE, "out of memory");
	if (!rc) {
		char fpr[TRUST_FPR_LEN];
		trust_fingerprint(is, fpr);
		struct trust_row r = {.fpr = fpr, .pem = pem, .this_update = trust_time(X509_CRL_get0_lastUpdate(crl)),
				      .next_update = trust_time(X509_CRL_get0_nextUpdate(crl)), .added_at = core_now(c)};
		*next_update = r.next_update;
		if (!(rc = store_begin(c->st, e))) {
			if ((rc = store_trust_crl_put(c->st, &r, kept, e)) || (rc = store_commit(c->st, e)))
				store_rollback(c->st);
		}
	}
	trust_free(&t);
	free(pem);
	X509_CRL_free(crl);
	return rc;
}

/* an administrator's disabling of a trusted CA or of a signer's certificate */
static int disable(struct core *c, enum trust_kind kind, const char *fpr, struct err *e)
{
	if (may_admin(c, e))
		return e->code;
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if ((rc = store_trust_disable(c->st, kind, fpr, e)) || (rc = store_commit(c->st, e)))
		store_rollback(c->st);
	return rc;
}

int trust_remove(struct core *c, const char *fpr, struct err *e) { return disable(c, TK_CA, fpr, e); }

int trust_cert_assign(struct core *c, const char *account, const char *file, const char *title, char fpr[TRUST_FPR_LEN],
		      struct err *e)
{
	if (may_admin(c, e))
		return e->code;
	struct user u;
	if (store_user_by_account(c->st, account, &u))
		return err_set(e, MC_NOTFOUND, "no user '%.64s' in this store", account);
	if (!(u.roles & ROLE_LEADER))
		return err_set(e, MC_INVALID, "%s is not a signer: a certificate is assigned to a user with the role leader", account);
	X509 *x = read_cert(file, e);
	if (!x)
		return e->code;
	int rc = 0;
	char *pem = NULL, dn[TRUST_NAME_LEN];
	trust_fingerprint(x, fpr);
	trust_dn(X509_get_subject_name(x), dn, sizeof dn);
	if (X509_check_ca(x) > 0)
		rc = err_set(e, MC_INVALID, "%s is a CA certificate, not a signer's: add CAs with 'motcua trust add'", file);
	else if (!(pem = to_pem(x, NULL)))
		rc = err_set(e, MC_STORE, "out of memory");
	if (!rc) {
		struct trust_row r = {.fpr = fpr, .account = u.account, .title = title ? title : "", .subject = dn, .pem = pem,
				      .not_after = trust_time(X509_get0_notAfter(x)), .added_at = core_now(c), .active = 1};
		rc = in_tx(c, store_trust_user_put, &r, e);
	}
	free(pem);
	X509_free(x);
	return rc;
}

int trust_cert_unassign(struct core *c, const char *fpr, struct err *e) { return disable(c, TK_USER, fpr, e); }

int trust_each(struct core *c, enum trust_kind kind, const char *account, int active_only,
	       int (*cb)(const struct trust_row *r, void *ctx), void *ctx)
{
	return store_trust_each(c->st, kind, account, active_only, cb, ctx);
}
