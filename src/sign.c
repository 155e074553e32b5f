/* sign.c - signers' keys, signing a dossier and verifying it (see sign.h).
 *
 * OpenSSL 3 EVP: Ed25519 keys (EVP_PKEY_Q_keygen), the private key as encrypted
 * PKCS#8 PEM (AES-256-CBC, PBKDF2), one-shot EVP_DigestSign/EVP_DigestVerify (pure
 * Ed25519 signs the message itself, as `openssl pkeyutl -rawin` does).
 */
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "audit.h"
#include "dossier.h"
#include "event.h"
#include "sign.h"
#include "sign_common.h"
#include "i18n.h"
#include "sign_cms.h"
#include "snapshot.h"
#include "store_procver.h"
#include "store_security.h"
#include "strbuf.h"
#include "workflow.h"

#define SIG_LEN 64

/* ---- canonical bytes ---------------------------------------------------------- */

int sign_line(struct strbuf *b, const char *name, const char *value)
{
	int rc = strbuf_add(b, name, strlen(name)) | strbuf_add(b, ": ", 2);
	for (const char *v = value ? value : ""; *v; v++) {
		if (*v == '\\')
			rc |= strbuf_add(b, "\\\\", 2);
		else if (*v == '\n')
			rc |= strbuf_add(b, "\\n", 2);
		else if (*v == '\r')
			rc |= strbuf_add(b, "\\r", 2);
		else
			rc |= strbuf_add(b, v, 1);
	}
	return rc | strbuf_add(b, "\n", 1);
}

void sign_time_chain(int64_t t, const unsigned char chain[32], char when[32], char hex[65])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(when, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	hex_encode(chain, 32, hex);
}

char *sign_canonical(const struct sign_fields *f, size_t *len)
{
	struct strbuf b = {0};
	char when[32], chain[65];
	sign_time_chain(f->time, f->chain, when, chain);
	int rc = strbuf_add(&b, "motcua-signature-v1\n", 20) |
		 sign_line(&b, "dossier", f->code) | sign_line(&b, "procedure", f->procedure) |
		 sign_line(&b, "applicant", f->applicant_name) | sign_line(&b, "applicant-id", f->applicant_idno) |
		 sign_line(&b, "decision", f->decision) | sign_line(&b, "signer", f->signer) |
		 sign_line(&b, "time", when) | sign_line(&b, "chain", chain);
	if (rc) {
		strbuf_release(&b);
		return NULL;
	}
	*len = b.len;
	return b.buf;
}

/* ---- keys ------------------------------------------------------------------------ */

static int fingerprint(EVP_PKEY *k, char out[SIGN_FPR_LEN])
{
	unsigned char *der = NULL, md[32];
	unsigned int mdlen = 32;
	int n = i2d_PUBKEY(k, &der);
	if (n <= 0)
		return -1;
	int ok = EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL);
	OPENSSL_free(der);
	if (!ok)
		return -1;
	hex_encode(md, 32, out);
	return 0;
}

static char *bio_text(BIO *b)
{
	char *data;
	long n = BIO_get_mem_data(b, &data);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s) {
		memcpy(s, data, (size_t)n);
		s[n] = 0;
	}
	return s;
}

static EVP_PKEY *pubkey_from_pem(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (k && EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

/* the passphrase callback: never prompts */
static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	(void)rwflag;
	size_t n = strlen(u);
	if (n > (size_t)size)
		return -1;
	memcpy(buf, u, n);
	return (int)n;
}

int sign_key_exists(struct core *c, const char *account)
{
	struct store_key k;
	int found = store_key_private(c->st, account, &k) == 0;
	store_key_clear(&k);
	return found;
}

int sign_key_show(struct core *c, const char *account, char **pem, char fpr[SIGN_FPR_LEN], struct err *e)
{
	fpr[0] = 0;
	if (store_user_pubkey(c->st, account, pem))
		return err_set(e, MC_NOTFOUND, "%s has no published signing key", account);
	struct store_key k;
	if (store_key_private(c->st, account, &k) == 0)
		snprintf(fpr, SIGN_FPR_LEN, "%s", k.fingerprint);
	store_key_clear(&k);
	return 0;
}

int sign_key_create(struct core *c, const char *passphrase, int replace, char fpr[SIGN_FPR_LEN], struct err *e)
{
	if (!c->actor.id)
		return err_set(e, MC_DENIED, "a signing key belongs to a motcua user: run it as that user");
	if (!(c->actor.roles & ROLE_LEADER))
		return err_set(e, MC_DENIED, "%s may not create a signing key: signing needs the role leader", c->actor.account);
	size_t pl = passphrase ? strlen(passphrase) : 0;
	if (pl < SIGN_PASS_MIN)
		return err_set_field(e, MC_INVALID, EF_PASSPHRASE, "the passphrase is too short: use at least %d characters", SIGN_PASS_MIN);
	if (pl > SIGN_PASS_MAX)
		return err_set(e, MC_INVALID, "the passphrase is too long (at most %d bytes)", SIGN_PASS_MAX);
	if (!replace && sign_key_exists(c, c->actor.account))
		return err_set_hint(e, MC_STATE, HINT_KEY_REPLACE, "%s already has a signing key; replacing it must be asked for (old signatures stay verifiable)",
			       c->actor.account);
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	BIO *priv = BIO_new(BIO_s_mem()), *pub = BIO_new(BIO_s_mem());
	struct store_key sk;
	memset(&sk, 0, sizeof sk);
	int rc = 0;
	if (!k || !priv || !pub || fingerprint(k, sk.fingerprint) ||
	    !PEM_write_bio_PKCS8PrivateKey(priv, k, EVP_aes_256_cbc(), NULL, 0, pass_cb, (void *)passphrase) ||
	    !PEM_write_bio_PUBKEY(pub, k) || !(sk.privkey = bio_text(priv)) || !(sk.pubkey = bio_text(pub))) {
		rc = err_set(e, MC_STORE, "cannot create the key pair (OpenSSL error)");
		goto done;
	}
	snprintf(sk.account, sizeof sk.account, "%s", c->actor.account);
	sk.created_at = core_now(c);
	if ((rc = store_begin(c->st, e)))
		goto done;
	if ((rc = store_key_add(c->st, &sk, e)) || (rc = store_commit(c->st, e))) {
		store_rollback(c->st);
		goto done;
	}
	if (fpr)
		snprintf(fpr, SIGN_FPR_LEN, "%s", sk.fingerprint);
done:
	store_key_clear(&sk);
	BIO_free(priv);
	BIO_free(pub);
	EVP_PKEY_free(k);
	return rc;
}

/* the acting user's private key, decrypted */
static EVP_PKEY *private_key(struct core *c, const char *passphrase, char fpr[SIGN_FPR_LEN], struct err *e)
{
	struct store_key sk;
	if (store_key_private(c->st, c->actor.account, &sk)) {
		store_key_clear(&sk);
		err_set_hint(e, MC_NOTFOUND, HINT_KEY_CREATE, "%s has no signing key in this store", c->actor.account);
		return NULL;
	}
	BIO *b = BIO_new_mem_buf(sk.privkey, -1);
	EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, pass_cb, (void *)(passphrase ? passphrase : "")) : NULL;
	BIO_free(b);
	if (!k)
		err_set_field(e, MC_DENIED, EF_PASSPHRASE, "wrong passphrase for %s's signing key: nothing was signed", c->actor.account);
	else if (EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		k = NULL;
		err_set(e, MC_INVALID, "%s's signing key is not an Ed25519 key", c->actor.account);
	} else
		snprintf(fpr, SIGN_FPR_LEN, "%s", sk.fingerprint);
	store_key_clear(&sk);
	return k;
}

/* ---- signing ------------------------------------------------------------------- */

const char *sign_decision_word(const struct dossier *d) { return d->decision == DEC_REFUSE ? "refuse" : "approve"; }

int sign_locked_dossier(struct core *c, const char *code, struct dossier *d, struct procedure *p, struct err *e)
{
	int rc = dossier_get(c, code, d, e);
	if (rc)
		return rc;
	if (c->expect_version > 0 && d->version != c->expect_version) {
		char when[24];
		cal_format(d->last_at, 1, when, sizeof when);
		return err_set(e, MC_CONFLICT, "dossier %s was changed by %s at %s while you had it open; nothing was signed: reload it and check again",
			       d->code, d->last_actor, when);
	}
	if (store_procver_of_dossier(c->st, d, p))
		return err_set(e, MC_NOTFOUND, "the procedure of %s is missing from the catalog", code);
	return 0;
}

int sign_tx_begin(struct core *c, const char *code, struct dossier *d, struct procedure *p, struct err *e)
{
	int rc = store_begin(c->st, e);
	if (!rc && (rc = sign_locked_dossier(c, code, d, p, e)))
		store_rollback(c->st);
	return rc;
}

int sign_tx_end(struct core *c, const char *code, json_t *x, struct dossier *out, struct err *e)
{
	char *extra = x ? json_dumps(x, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(x);
	int rc = extra ? dossier_sign(c, code, extra, out, e) : err_set(e, MC_STORE, "out of memory");
	free(extra);
	if (rc) {
		store_rollback(c->st);
		return rc;
	}
	return store_commit(c->st, e);
}

int sign_ready(struct core *c, const char *code, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	int rc = 0;
	if (!d)
		return err_set(e, MC_STORE, "out of memory");
	if (!(rc = dossier_get(c, code, d, e)) && !(rc = workflow_check(STEP_SIGN, &c->actor, d, e)) &&
	    !sign_key_exists(c, c->actor.account))
		rc = err_set_hint(e, MC_NOTFOUND, HINT_KEY_CREATE, "%s has no signing key in this store", c->actor.account);
	free(d);
	return rc;
}

int sign_dossier(struct core *c, const char *code, const char *passphrase, struct dossier *out, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	struct procedure *p = malloc(sizeof *p);
	EVP_PKEY *k = NULL;
	EVP_MD_CTX *md = NULL;
	char *bytes = NULL, fpr[SIGN_FPR_LEN];
	int rc = 0, in_tx = 0;
	if (!d || !p) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	/* who and what first, so a clerk hears about the role, not about keys */
	if ((rc = dossier_get(c, code, d, e)) || (rc = workflow_check(STEP_SIGN, &c->actor, d, e)))
		goto done;
	if (!(k = private_key(c, passphrase, fpr, e))) {
		rc = e->code;
		goto done;
	}
	/* under the write lock the bytes and the sign event see the same dossier */
	if ((rc = sign_tx_begin(c, code, d, p, e)))
		goto done;
	in_tx = 1;
	struct sign_fields f = {d->code, p->code, d->applicant_name, d->applicant_idno, sign_decision_word(d),
				c->actor.account, core_now(c), {0}};
	memcpy(f.chain, d->chain_head, 32);
	size_t len, siglen = SIG_LEN;
	unsigned char sig[SIG_LEN];
	if (!(bytes = sign_canonical(&f, &len)) || !(md = EVP_MD_CTX_new()) ||
	    EVP_DigestSignInit(md, NULL, NULL, NULL, k) != 1 ||
	    EVP_DigestSign(md, sig, &siglen, (const unsigned char *)bytes, len) != 1 || siglen != SIG_LEN) {
		rc = err_set(e, MC_STORE, "signing failed (OpenSSL error); nothing was signed");
		goto done;
	}
	char b64[4 * ((SIG_LEN + 2) / 3) + 1], chain[65];
	EVP_EncodeBlock((unsigned char *)b64, sig, SIG_LEN);
	hex_encode(f.chain, 32, chain);
	json_t *x = json_pack("{s:{s:s, s:s, s:s, s:I, s:s}}", "signature", "alg", "Ed25519", "key", fpr,
			      "value", b64, "signed_at", (json_int_t)f.time, "chain", chain);
	rc = sign_tx_end(c, code, x, out, e);
	in_tx = 0;
done:
	if (in_tx)
		store_rollback(c->st);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	free(bytes);
	free(d);
	free(p);
	return rc;
}

/* ---- verifying ------------------------------------------------------------------ */

static int last_signed(const struct event *ev, void *ctx)
{
	struct sign_event *s = ctx;
	if (strcmp(ev->kind, "signed") != 0)
		return 0;
	free(s->ev.payload);
	s->ev = *ev;
	s->ev.payload = strdup(ev->payload ? ev->payload : "{}");
	s->found = 1;
	return 0;
}

void sign_last_event(struct core *c, const char *code, struct sign_event *s)
{
	memset(s, 0, sizeof *s);
	store_events_of(c->st, code, last_signed, s);
}

int sign_load_event(struct core *c, const char *code, struct dossier *d, struct sign_event *s, struct err *e)
{
	memset(s, 0, sizeof *s);
	int rc = dossier_get(c, code, d, e);
	if (rc)
		return rc;
	struct err ae = {0};
	int arc = audit_verify(c, code, NULL, NULL, NULL, &ae);
	if (arc == MC_INVALID)
		return err_set(e, MC_INVALID, "the event log of dossier %s is broken, so its signature cannot be trusted: %s", d->code, ae.msg);
	else if (arc)
		return err_set(e, arc, "%s", ae.msg);
	sign_last_event(c, code, s);
	return 0;
}

int sign_check_chain(struct core *c, const char *code, const struct dossier *d, const struct event *ev, const unsigned char ch[32],
		     struct procedure *p, struct err *e)
{
	/* the signature covers the chain as it was just before the sign event */
	if (!ev->has_prev || memcmp(ev->prev_hash, ch, 32) != 0)
		return err_set(e, MC_INVALID, "the signature of dossier %s names another event chain than the one it was stored in", d->code);
	if (store_procver_of_dossier(c->st, d, p))
		return err_set(e, MC_NOTFOUND, "the procedure of %s is missing from the catalog", code);
	return 0;
}

/* what the store says was signed: the bytes, the signature and the signer's key */
struct signed_data {
	char *bytes;
	size_t len;
	unsigned char sig[SIG_LEN];
	char *pubpem;
	struct sign_check info;
};

static void signed_free(struct signed_data *s)
{
	free(s->bytes);
	free(s->pubpem);
	memset(s, 0, sizeof *s);
}

/* the signer's public key with fingerprint fpr: from the key history, else users.pubkey */
static char *signer_key(struct core *c, const char *signer, const char *fpr)
{
	struct store_key sk;
	char *pem = NULL;
	if (store_key_by_fpr(c->st, signer, fpr, &sk) == 0) {
		pem = sk.pubkey;
		sk.pubkey = NULL;
	}
	store_key_clear(&sk);
	if (!pem && store_user_pubkey(c->st, signer, &pem) == 0) {
		EVP_PKEY *k = pubkey_from_pem(pem);
		char f[SIGN_FPR_LEN] = "";
		if (!k || fingerprint(k, f) || strcmp(f, fpr) != 0) {
			free(pem);
			pem = NULL;
		}
		EVP_PKEY_free(k);
	}
	return pem;
}

static int load_signed(struct core *c, const char *code, struct signed_data *out, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	struct procedure *p = malloc(sizeof *p);
	struct sign_event s;
	json_t *pl = NULL;
	int rc = 0;
	memset(&s, 0, sizeof s);
	memset(out, 0, sizeof *out);
	if (!d || !p) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if ((rc = sign_load_event(c, code, d, &s, e)))
		goto done;
	char when[24];
	if (!s.found) {
		struct snapshot_base b;
		if (store_snapshot_base_get(c->st, code, 0, &b) == 0 && b.dseq > 1)
			rc = err_set(e, MC_NOTFOUND, "dossier %s has no signature among the steps this store has (from step %d,"
				     " taken from central's snapshot): 'motcua sync fetch %s' brings the older ones", d->code, b.dseq, d->code);
		else
			rc = err_set(e, MC_NOTFOUND, "dossier %s has not been signed (it is %s)", d->code, _(stage_name(d->stage)));
		goto done;
	}
	cal_format(s.ev.at, 1, when, sizeof when);
	pl = json_loads(s.ev.payload, 0, NULL);
	json_t *sg = json_object_get(pl, "signature");
	if (!json_is_object(sg)) {
		rc = err_set(e, MC_NOTFOUND, "dossier %s was signed by %s at %s without a digital signature", d->code, s.ev.actor, when);
		goto done;
	}
	const char *alg = json_string_value(json_object_get(sg, "alg"));
	const char *fpr = json_string_value(json_object_get(sg, "key"));
	const char *val = json_string_value(json_object_get(sg, "value"));
	const char *chain = json_string_value(json_object_get(sg, "chain"));
	json_t *at = json_object_get(sg, "signed_at");
	unsigned char sig[SIG_LEN + 3], ch[32];
	if (!alg || strcmp(alg, "Ed25519") || !fpr || strlen(fpr) != SIGN_FPR_LEN - 1 || !val || strlen(val) != 88 ||
	    !chain || hex_decode(chain, ch, 32) || !json_is_integer(at) ||
	    EVP_DecodeBlock(sig, (const unsigned char *)val, 88) != SIG_LEN + 2) {
		rc = err_set(e, MC_INVALID, "the signature record of dossier %s (event %s) is malformed", d->code, s.ev.id);
		goto done;
	}
	if ((rc = sign_check_chain(c, code, d, &s.ev, ch, p, e)))
		goto done;
	struct sign_fields f = {d->code, p->code, d->applicant_name, d->applicant_idno, sign_decision_word(d),
				s.ev.actor, json_integer_value(at), {0}};
	memcpy(f.chain, ch, 32);
	if (!(out->bytes = sign_canonical(&f, &out->len))) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	memcpy(out->sig, sig, SIG_LEN);
	if (!(out->pubpem = signer_key(c, s.ev.actor, fpr))) {
		rc = err_set(e, MC_NOTFOUND, "the public key %.16s... of signer %s is not known in this store: sync the users from central",
			     fpr, s.ev.actor);
		goto done;
	}
	struct sign_check *i = &out->info;
	snprintf(i->event_id, sizeof i->event_id, "%s", s.ev.id);
	snprintf(i->signer, sizeof i->signer, "%s", s.ev.actor);
	i->signed_at = f.time;
	snprintf(i->fingerprint, sizeof i->fingerprint, "%s", fpr);
	snprintf(i->decision, sizeof i->decision, "%s", f.decision);
done:
	json_decref(pl);
	free(s.ev.payload);
	free(d);
	free(p);
	if (rc)
		signed_free(out);
	return rc;
}

/* 1 if sig is pem's signature of bytes */
static int check_sig(const char *pem, const char *bytes, size_t len, const unsigned char *sig, size_t siglen)
{
	EVP_PKEY *k = pubkey_from_pem(pem);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = k && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1 &&
		 EVP_DigestVerify(md, sig, siglen, (const unsigned char *)bytes, len) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	return ok;
}

/* a certificate (CMS) signature is checked by sign_cms.c; its info has ours first */
#define CMS_DISPATCH(call) do { \
	struct sign_cms_check ci; \
	if (sign_cms_has(c, code)) { \
		int r_ = (call); \
		if (!r_ && info) \
			*info = ci.base; \
		return r_; \
	} \
} while (0)

int sign_verify(struct core *c, const char *code, struct sign_check *info, struct err *e)
{
	CMS_DISPATCH(sign_cms_verify(c, code, &ci, e));
	struct signed_data s;
	int rc = load_signed(c, code, &s, e);
	if (rc)
		return rc;
	if (!check_sig(s.pubpem, s.bytes, s.len, s.sig, SIG_LEN))
		rc = err_set(e, MC_INVALID, "the signature of dossier %s by %s does not match the dossier: it was changed after signing",
			     code, s.info.signer);
	else if (info)
		*info = s.info;
	signed_free(&s);
	return rc;
}

int sign_write_file(const char *dir, const char *name, const void *data, size_t n, struct err *e)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return err_set(e, MC_IO, "cannot write %s: %s", path, strerror(errno));
	size_t w = fwrite(data, 1, n, f);
	if (fclose(f) != 0 || w != n)
		return err_set(e, MC_IO, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

int sign_make_dir(const char *dir, struct err *e)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return err_set(e, MC_IO, "cannot create the directory %s: %s", dir, strerror(errno));
	return 0;
}

int sign_export(struct core *c, const char *code, const char *dir, struct sign_check *info, struct err *e)
{
	CMS_DISPATCH(sign_cms_export(c, code, dir, &ci, e));
	struct signed_data s;
	int rc = sign_verify(c, code, info, e);
	if (rc || (rc = load_signed(c, code, &s, e)))
		return rc;
	if (!(rc = sign_make_dir(dir, e)) && !(rc = sign_write_file(dir, "signed.bin", s.bytes, s.len, e)) &&
		 !(rc = sign_write_file(dir, "sig.bin", s.sig, SIG_LEN, e)))
		rc = sign_write_file(dir, "pub.pem", s.pubpem, strlen(s.pubpem), e);
	signed_free(&s);
	return rc;
}

/* reads at most max bytes of dir/name; *n = size; NULL with e set on error */
char *sign_read_file(const char *dir, const char *name, size_t max, size_t *n, struct err *e)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		err_set(e, MC_IO, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	char *b = malloc(max + 2);
	size_t r = b ? fread(b, 1, max + 1, f) : 0;
	fclose(f);
	if (!b || r > max) {
		free(b);
		err_set(e, MC_INVALID, "%s is too large to be a motcua signature file", path);
		return NULL;
	}
	b[r] = 0;
	*n = r;
	return b;
}

int sign_verify_dir(struct core *c, const char *code, const char *dir, struct sign_check *info, struct err *e)
{
	CMS_DISPATCH(sign_cms_verify_dir(c, code, dir, &ci, e));
	struct signed_data s;
	size_t nb = 0, ns = 0, np = 0;
	char *bytes = NULL, *sig = NULL, *pem = NULL;
	int rc = load_signed(c, code, &s, e);
	if (rc)
		return rc;
	if (!(bytes = sign_read_file(dir, "signed.bin", 65536, &nb, e)) || !(sig = sign_read_file(dir, "sig.bin", 4096, &ns, e)) ||
	    !(pem = sign_read_file(dir, "pub.pem", 65536, &np, e))) {
		rc = e->code;
		goto done;
	}
	EVP_PKEY *k = pubkey_from_pem(pem);
	char f[SIGN_FPR_LEN] = "";
	int same_key = k && fingerprint(k, f) == 0 && strcmp(f, s.info.fingerprint) == 0;
	EVP_PKEY_free(k);
	if (ns != SIG_LEN || !check_sig(s.pubpem, bytes, nb, (unsigned char *)sig, ns))
		rc = err_set(e, MC_INVALID, "%s/sig.bin is not %s's signature of %s/signed.bin: the files were changed",
			     dir, s.info.signer, dir);
	else if (!same_key)
		rc = err_set(e, MC_INVALID, "%s/pub.pem is not the registered public key of %s", dir, s.info.signer);
	else if (nb != s.len || memcmp(bytes, s.bytes, nb) != 0)
		rc = err_set(e, MC_INVALID, "%s/signed.bin is validly signed but differs from dossier %s in this store", dir, code);
	else if (!check_sig(s.pubpem, s.bytes, s.len, s.sig, SIG_LEN))
		rc = err_set(e, MC_INVALID, "the signature of dossier %s by %s does not match the dossier: it was changed after signing",
			     code, s.info.signer);
	else if (info)
		*info = s.info;
done:
	free(bytes);
	free(sig);
	free(pem);
	signed_free(&s);
	return rc;
}
