/* sign_cms.c - certificate signatures of dossiers on a PKCS#11 token (see sign_cms.h).
 * token.c talks to the token, cms.c builds and checks the CMS, trust.c decides
 * whether the certificate counts; this file ties them to a dossier and its events. */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "attach.h"
#include "audit.h"
#include "cms.h"
#include "dossier.h"
#include "event.h"
#include "sign_cms.h"
#include "sign_common.h"
#include "store_trust.h"
#include "strbuf.h"
#include "ocsp.h"
#include "token.h"
#include "tsa.h"
#include "workflow.h"

/* ---- canonical bytes ------------------------------------------------------------------ */

char *sign_cms_canonical(const struct sign_cms_fields *f, size_t *len)
{
	struct strbuf b = {0};
	char when[32], chain[65];
	sign_time_chain(f->time, f->chain, when, chain);
	strbuf_add(&b, "motcua-signature-v2\n", 20);
	sign_line(&b, "dossier", f->code);
	sign_line(&b, "procedure", f->procedure);
	sign_line(&b, "applicant", f->applicant_name);
	sign_line(&b, "applicant-id", f->applicant_idno);
	sign_line(&b, "decision", f->decision);
	sign_line(&b, "decision-number", f->decision_no);
	sign_line(&b, "decision-date", f->decision_date);
	sign_line(&b, "signer", f->signer);
	sign_line(&b, "signer-title", f->title);
	sign_line(&b, "agency", f->agency);
	sign_line(&b, "certificate", f->cert);
	sign_line(&b, "time", when);
	sign_line(&b, "chain", chain);
	sign_line(&b, "result-sha256", f->result_sha256);
	if (b.oom) {
		strbuf_release(&b);
		return NULL;
	}
	*len = b.len;
	return b.buf;
}

/* ---- who signs with what ----------------------------------------------------------------- */

struct certs { STACK_OF(X509) *x; char titles[8][256]; };

static int collect(const struct trust_row *r, void *ctx)
{
	struct certs *c = ctx;
	X509 *x = trust_pem_cert(r->pem);
	if (x && sk_X509_num(c->x) < 8) {
		snprintf(c->titles[sk_X509_num(c->x)], sizeof c->titles[0], "%s", r->title);
		sk_X509_push(c->x, x);
	} else
		X509_free(x);
	return 0;
}

static int count_one(const struct trust_row *r, void *ctx)
{
	(void)r;
	++*(int *)ctx;
	return 1;
}

int sign_cms_user(struct core *c, const char *account)
{
	int n = 0;
	store_trust_each(c->st, TK_USER, account, 1, count_one, &n);
	return n > 0;
}

int sign_cms_ready(struct core *c, const char *code, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	char module[1024];
	int rc = 0;
	if (!d)
		return err_set(e, MC_STORE, "out of memory");
	if (!(rc = dossier_get(c, code, d, e)) && !(rc = workflow_check(STEP_SIGN, &c->actor, d, e))) {
		if (!sign_cms_user(c, c->actor.account))
			rc = err_set(e, MC_NOTFOUND, "%s has no certificate assigned: an administrator assigns one with 'motcua cert assign %s FILE.pem'",
				     c->actor.account, c->actor.account);
		else if (store_setting_get(c->st, "pkcs11.module", module, sizeof module) || !module[0])
			rc = err_set(e, MC_NOTFOUND, "no PKCS#11 module is configured: an administrator sets it with 'motcua token module PATH'");
	}
	free(d);
	return rc;
}

/* the certificates on the token: the first one assigned to the signer, or a stranger */
struct pick { struct certs *mine; int idx; char stranger[TRUST_NAME_LEN]; int seen; };

static int pick_cert(const unsigned char *der, size_t n, void *ctx)
{
	struct pick *p = ctx;
	const unsigned char *q = der;
	X509 *x = d2i_X509(NULL, &q, (long)n);
	if (!x)
		return 0;
	p->seen++;
	for (int i = 0; i < sk_X509_num(p->mine->x); i++)
		if (!X509_cmp(x, sk_X509_value(p->mine->x, i))) {
			p->idx = i;
			X509_free(x);
			return 1;
		}
	if (!p->stranger[0])
		trust_cn(X509_get_subject_name(x), p->stranger, sizeof p->stranger);
	X509_free(x);
	return 0;
}

struct signer { struct token *tok; X509 *cert; int no_pss; };

static int sign_cb(void *ctx, const unsigned char dgst[32], int *pss, unsigned char *sig, size_t *siglen, struct err *e)
{
	struct signer *s = ctx;
	*pss = !s->no_pss;
	return token_sign(s->tok, s->cert, dgst, pss, sig, siglen, e);
}

/* where the office is online and OCSP is on: a responder's "revoked" refuses; no answer
 * leaves the CRL check alone */
static int ocsp_presign(struct core *c, X509 *cert, struct trust *tr, struct trust_result *res, struct err *e)
{
	char url[1024] = "";
	store_setting_get(c->st, "ocsp.url", url, sizeof url);
	if (!url[0] || sk_X509_num(res->chain) < 2)
		return 0;
	STACK_OF(OPENSSL_STRING) *aia = NULL;
	if (!strcmp(url, "aia")) {
		aia = X509_get1_ocsp(cert);
		snprintf(url, sizeof url, "%s", sk_OPENSSL_STRING_num(aia) > 0 ? sk_OPENSSL_STRING_value(aia, 0) : "");
		X509_email_free(aia);
		if (!url[0])
			return 0;
	}
	int st = OCSP_UNKNOWN;
	int64_t rev = 0;
	struct err oe = {0};
	if (ocsp_ask(url, cert, sk_X509_value(res->chain, 1), tr->store, &st, &rev, &oe) || st != OCSP_REVOKED)
		return 0;
	char cn[TRUST_NAME_LEN], when[24];
	trust_cn(X509_get_subject_name(cert), cn, sizeof cn);
	cal_format(rev, 1, when, sizeof when);
	return err_set(e, MC_INVALID, "the CA's OCSP responder says the certificate \"%s\" was revoked on %s: nothing was signed", cn, when);
}

int sign_cms_dossier(struct core *c, const char *code, const char *pin, const struct sign_cms_opts *o, struct dossier *out,
		     struct err *e)
{
	static const struct sign_cms_opts none = {0};
	struct dossier *d = malloc(sizeof *d);
	struct procedure *p = malloc(sizeof *p);
	struct certs mine = {sk_X509_new_null(), {{0}}};
	struct token *tok = NULL;
	struct trust tr = {0};
	struct trust_result res = {0};
	STACK_OF(X509) *embed = sk_X509_new_null();
	unsigned char *der = NULL;
	char *bytes = NULL, *b64 = NULL, module[1024] = "", tsa_url[1024] = "";
	int rc = 0, in_tx = 0, pss = 0;
	if (!o)
		o = &none;
	if (!d || !p || !mine.x || !embed) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if ((rc = sign_cms_ready(c, code, e)))
		goto done;
	store_setting_get(c->st, "pkcs11.module", module, sizeof module);
	store_setting_get(c->st, "tsa.url", tsa_url, sizeof tsa_url);
	store_trust_each(c->st, TK_USER, c->actor.account, 1, collect, &mine);
	if ((rc = token_open(module, pin, &tok, e)))
		goto done;
	/* the certificate: one on the token assigned to this signer; a token without
	 * certificate objects may still hold the key of an assigned one */
	struct pick pk = {&mine, -1, "", 0};
	token_each_cert(tok, pick_cert, &pk);
	if (pk.idx < 0 && pk.seen) {
		rc = err_set(e, MC_DENIED, "the certificate on the token (\"%s\") is not assigned to %s, so it cannot sign for them: an administrator assigns certificates with 'motcua cert assign'",
			     pk.stranger, c->actor.account);
		goto done;
	}
	for (int i = 0; pk.idx < 0 && i < sk_X509_num(mine.x); i++)
		if (token_has_key(tok, sk_X509_value(mine.x, i)))
			pk.idx = i;
	if (pk.idx < 0) {
		rc = err_set(e, MC_NOTFOUND, "the token holds no key of the certificates assigned to %s: is it the right token?", c->actor.account);
		goto done;
	}
	X509 *cert = sk_X509_value(mine.x, pk.idx);
	/* the checks before signing (Circular 15/2025): valid now, not revoked, for signing, trusted */
	if ((rc = trust_load(c->st, &tr, e)) || (rc = trust_check(&tr, cert, NULL, core_now(c), 1, &res, e)))
		goto done;
	if ((rc = ocsp_presign(c, cert, &tr, &res, e)))
		goto done;
	for (int i = 1; i + 1 < sk_X509_num(res.chain); i++)
		sk_X509_push(embed, sk_X509_value(res.chain, i));
	/* under the write lock the bytes and the sign event see the same dossier */
	if ((rc = sign_tx_begin(c, code, d, p, e)))
		goto done;
	in_tx = 1;
	char fpr[TRUST_FPR_LEN], agency[320], day[16], chain[65], result[65] = "";
	trust_fingerprint(cert, fpr);
	/* the result document attached to the dossier, when there is one (attach.h) */
	if (!o->result_sha256)
		attach_result_sha(c, d->code, result);
	snprintf(agency, sizeof agency, "%s (%s)", c->office.name, c->office.agency_code);
	int64_t now = core_now(c);
	cal_format(now, 0, day, sizeof day);
	struct sign_cms_fields f = {d->code, p->code, d->applicant_name, d->applicant_idno, sign_decision_word(d),
				    o->decision_no ? o->decision_no : d->code, day, c->actor.account, mine.titles[pk.idx], agency,
				    fpr, o->result_sha256 ? o->result_sha256 : result, now, {0}};
	memcpy(f.chain, d->chain_head, 32);
	size_t len, derlen;
	if (!(bytes = sign_cms_canonical(&f, &len))) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	struct signer sg = {tok, cert, o->no_pss};
	if ((rc = cms_sign(cert, embed, bytes, len, now, sign_cb, &sg, tsa_url, tr.store, &pss, &der, &derlen, e)))
		goto done;
	if (!(b64 = malloc(4 * ((derlen + 2) / 3) + 1))) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	EVP_EncodeBlock((unsigned char *)b64, der, (int)derlen);
	hex_encode(f.chain, 32, chain);
	json_t *x = json_pack("{s:{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}}", "signature", "alg", "CMS",
			      "padding", pss ? "pss" : "pkcs1", "cert", fpr, "value", b64, "signed_at", (json_int_t)now,
			      "chain", chain, "title", f.title, "agency", agency, "decision_no", f.decision_no,
			      "decision_date", day, "result_sha256", f.result_sha256);
	rc = sign_tx_end(c, code, x, out, e);
	in_tx = 0;
done:
	if (in_tx)
		store_rollback(c->st);
	token_close(tok);
	trust_result_free(&res);
	trust_free(&tr);
	sk_X509_free(embed);
	sk_X509_pop_free(mine.x, X509_free);
	OPENSSL_free(der);
	free(b64);
	free(bytes);
	free(d);
	free(p);
	return rc;
}

/* ---- verifying ------------------------------------------------------------------------ */

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int sign_cms_has(struct core *c, const char *code)
{
	struct sign_event s;
	sign_last_event(c, code, &s);
	json_t *pl = s.found ? json_loads(s.ev.payload, 0, NULL) : NULL;
	int has = !strcmp(jstr(json_object_get(pl, "signature"), "alg"), "CMS");
	json_decref(pl);
	free(s.ev.payload);
	return has;
}

/* what the store says was signed */
struct cms_signed { char *bytes; size_t len; unsigned char *der; size_t derlen; struct sign_cms_check info; };

static void cms_signed_free(struct cms_signed *s)
{
	free(s->bytes);
	free(s->der);
	memset(s, 0, sizeof *s);
}

static int load(struct core *c, const char *code, struct cms_signed *out, struct err *e)
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
	pl = s.found ? json_loads(s.ev.payload, 0, NULL) : NULL;
	json_t *sg = json_object_get(pl, "signature");
	const char *val = jstr(sg, "value");
	unsigned char ch[32];
	size_t vl = strlen(val);
	if (strcmp(jstr(sg, "alg"), "CMS") || hex_decode(jstr(sg, "chain"), ch, 32) || vl < 4 || vl % 4 ||
	    !json_is_integer(json_object_get(sg, "signed_at")) || !(out->der = malloc(vl / 4 * 3 + 1))) {
		rc = err_set(e, MC_INVALID, "the signature record of dossier %s is malformed", d->code);
		goto done;
	}
	int dl = EVP_DecodeBlock(out->der, (const unsigned char *)val, (int)vl);
	if (dl < 0) {
		rc = err_set(e, MC_INVALID, "the signature record of dossier %s is malformed", d->code);
		goto done;
	}
	out->derlen = (size_t)dl - (val[vl - 1] == '=') - (val[vl - 2] == '=');
	if ((rc = sign_check_chain(c, code, d, &s.ev, ch, p, e)))
		goto done;
	struct sign_cms_check *i = &out->info;
	i->base.signed_at = json_integer_value(json_object_get(sg, "signed_at"));
	snprintf(i->base.event_id, sizeof i->base.event_id, "%s", s.ev.id);
	snprintf(i->base.signer, sizeof i->base.signer, "%s", s.ev.actor);
	snprintf(i->base.fingerprint, sizeof i->base.fingerprint, "%s", jstr(sg, "cert"));
	snprintf(i->base.decision, sizeof i->base.decision, "%s", sign_decision_word(d));
	snprintf(i->title, sizeof i->title, "%s", jstr(sg, "title"));
	snprintf(i->agency, sizeof i->agency, "%s", jstr(sg, "agency"));
	snprintf(i->decision_no, sizeof i->decision_no, "%s", jstr(sg, "decision_no"));
	snprintf(i->decision_date, sizeof i->decision_date, "%s", jstr(sg, "decision_date"));
	struct sign_cms_fields f = {d->code, p->code, d->applicant_name, d->applicant_idno, i->base.decision, i->decision_no,
				    i->decision_date, s.ev.actor, i->title, i->agency, i->base.fingerprint,
				    jstr(sg, "result_sha256"), i->base.signed_at, {0}};
	memcpy(f.chain, ch, 32);
	if (!(out->bytes = sign_cms_canonical(&f, &out->len)))
		rc = err_set(e, MC_STORE, "out of memory");
done:
	if (!rc && !s.found)
		rc = err_set(e, MC_NOTFOUND, "dossier %s has not been signed", code);
	json_decref(pl);
	free(s.ev.payload);
	free(d);
	free(p);
	if (rc)
		cms_signed_free(out);
	return rc;
}

struct owned { const char *fpr; const char *account; int found; };

static int owner_of(const struct trust_row *r, void *ctx)
{
	struct owned *o = ctx;
	if (!strcmp(r->fpr, o->fpr)) {
		o->found = 1;
		return 1;
	}
	return 0;
}

/* the CMS der over bytes, checked: signature, the signer's certificate, trust at the
 * signing time, CAdES */
static int check(struct core *c, const unsigned char *der, size_t derlen, const char *bytes, size_t len,
		 struct sign_cms_check *i, struct trust_result *res, struct err *e)
{
	struct cms_info ci;
	struct trust tr = {0};
	int rc = cms_check(der, derlen, bytes, len, &ci, e);
	if (rc)
		return rc;
	char fpr[TRUST_FPR_LEN];
	trust_fingerprint(ci.signer, fpr);
	struct owned ow = {fpr, i->base.signer, 0};
	store_trust_each(c->st, TK_USER, i->base.signer, 0, owner_of, &ow);
	if (strcmp(fpr, i->base.fingerprint)) {
		rc = err_set(e, MC_INVALID, "the CMS signature was made with another certificate than the one recorded with the signature");
		goto done;
	}
	if (!ow.found) {
		rc = err_set(e, MC_INVALID, "the certificate that signed is not one assigned to %s", i->base.signer);
		goto done;
	}
	if (ci.signing_time != i->base.signed_at) {
		rc = err_set(e, MC_INVALID, "the CMS signing time differs from the time recorded with the signature");
		goto done;
	}
	i->pss = ci.pss;
	trust_cn(X509_get_subject_name(ci.signer), i->name, sizeof i->name);
	trust_dn(X509_get_subject_name(ci.signer), i->subject, sizeof i->subject);
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(ci.signer), NULL);
	char *hx = bn ? BN_bn2hex(bn) : NULL;
	snprintf(i->serial, sizeof i->serial, "%s", hx ? hx : "");
	OPENSSL_free(hx);
	BN_free(bn);
	/* judged at the signing time: the timestamp's when there is one, else the signer's */
	int64_t at = ci.signing_time;
	if ((rc = trust_load(c->st, &tr, e)))
		goto done;
	if (ci.tst) {
		if ((rc = tsa_check(ci.tst, ci.tstlen, tr.store, ci.sig, ci.siglen, &i->tsa_time, i->tsa, sizeof i->tsa, e)))
			goto done;
		at = i->tsa_time;
	}
	if ((rc = trust_check(&tr, ci.signer, ci.certs, at, 0, res, e)))
		goto done;
	if ((rc = cms_check_cades(der, derlen, bytes, len, tr.store, at, e)))
		goto done;
	snprintf(i->issuer, sizeof i->issuer, "%s", res->issuer);
	snprintf(i->root, sizeof i->root, "%s", res->root);
	i->revoked_at = res->revoked_at;
	i->crl_this = res->crl_this;
	i->crl_next = res->crl_next;
done:
	trust_free(&tr);
	cms_info_free(&ci);
	return rc;
}

int sign_cms_verify(struct core *c, const char *code, struct sign_cms_check *info, struct err *e)
{
	struct cms_signed s;
	struct trust_result res = {0};
	int rc = load(c, code, &s, e);
	if (rc)
		return rc;
	rc = check(c, s.der, s.derlen, s.bytes, s.len, &s.info, &res, e);
	if (!rc && info)
		*info = s.info;
	trust_result_free(&res);
	cms_signed_free(&s);
	return rc;
}

struct pemout { BIO *b; STACK_OF(X509) *chain; };

static int crl_out(const struct trust_row *r, void *ctx)
{
	struct pemout *o = ctx;
	for (int i = 1; i < sk_X509_num(o->chain); i++) {
		char f[TRUST_FPR_LEN];
		trust_fingerprint(sk_X509_value(o->chain, i), f);
		if (!strcmp(f, r->fpr))
			BIO_puts(o->b, r->pem);
	}
	return 0;
}

int sign_cms_export(struct core *c, const char *code, const char *dir, struct sign_cms_check *info, struct err *e)
{
	struct cms_signed s;
	struct trust_result res = {0};
	int rc = load(c, code, &s, e);
	if (rc)
		return rc;
	BIO *b = NULL;
	if ((rc = check(c, s.der, s.derlen, s.bytes, s.len, &s.info, &res, e)))
		goto done;
	if ((rc = sign_make_dir(dir, e)))
		goto done;
	/* the chain (leaf to root) and the CRL of each CA in it */
	struct pemout po = {BIO_new(BIO_s_mem()), res.chain};
	b = po.b;
	for (int i = 0; b && i < sk_X509_num(res.chain); i++)
		PEM_write_bio_X509(b, sk_X509_value(res.chain, i));
	store_trust_each(c->st, TK_CRL, NULL, 0, crl_out, &po);
	char *pem;
	long pn = b ? BIO_get_mem_data(b, &pem) : -1;
	if (pn < 0) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if (!(rc = sign_write_file(dir, "signed.bin", s.bytes, s.len, e)) && !(rc = sign_write_file(dir, "sig.p7s", s.der, s.derlen, e)))
		rc = sign_write_file(dir, "chain-and-crls.pem", pem, (size_t)pn, e);
	if (!rc && info)
		*info = s.info;
done:
	BIO_free(b);
	trust_result_free(&res);
	cms_signed_free(&s);
	return rc;
}

int sign_cms_verify_dir(struct core *c, const char *code, const char *dir, struct sign_cms_check *info, struct err *e)
{
	struct cms_signed s;
	struct trust_result res = {0};
	size_t nb = 0, nd = 0;
	unsigned char *bytes = NULL, *der = NULL;
	int rc = load(c, code, &s, e);
	if (rc)
		return rc;
	if (!(bytes = (unsigned char *)sign_read_file(dir, "signed.bin", 65536, &nb, e)) ||
	    !(der = (unsigned char *)sign_read_file(dir, "sig.p7s", 1 << 20, &nd, e))) {
		rc = e->code;
		goto done;
	}
	struct sign_cms_check i = s.info;
	if ((rc = check(c, der, nd, (char *)bytes, nb, &i, &res, e)))
		goto done;
	if (nb != s.len || memcmp(bytes, s.bytes, nb))
		rc = err_set(e, MC_INVALID, "%s/signed.bin is validly signed but differs from dossier %s in this store", dir, code);
	else if (nd != s.derlen || memcmp(der, s.der, nd))
		rc = err_set(e, MC_INVALID, "%s/sig.p7s is not the signature stored with dossier %s", dir, code);
	else if (info)
		*info = i;
done:
	trust_result_free(&res);
	free(bytes);
	free(der);
	cms_signed_free(&s);
	return rc;
}
