/* tsa.c - RFC 3161 timestamp requests over HTTP and checking tokens (see tsa.h). */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <string.h>
#include <time.h>
#include "trust.h"
#include "tsa.h"

static TS_MSG_IMPRINT *imprint(const unsigned char *data, size_t n)
{
	unsigned char md[32];
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *a = X509_ALGOR_new();
	int ok = mi && a && EVP_Digest(data, n, md, NULL, EVP_sha256(), NULL);
	if (ok) {
		X509_ALGOR_set_md(a, EVP_sha256());
		ok = TS_MSG_IMPRINT_set_algo(mi, a) && TS_MSG_IMPRINT_set_msg(mi, md, 32);
	}
	X509_ALGOR_free(a);
	if (!ok) {
		TS_MSG_IMPRINT_free(mi);
		return NULL;
	}
	return mi;
}

int tsa_stamp(const char *url, X509_STORE *store, const unsigned char *data, size_t n, unsigned char **tst, size_t *len,
	      struct err *e)
{
	*tst = NULL;
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = imprint(data, n);
	ASN1_INTEGER *nonce = ASN1_INTEGER_new();
	BIO *body = NULL, *reply = NULL;
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *vc = NULL;
	char *host = NULL, *port = NULL, *path = NULL;
	int ssl = 0, rc = 0;
	uint64_t nv;
	if (!req || !mi || !nonce || RAND_bytes((unsigned char *)&nv, sizeof nv) != 1 || !ASN1_INTEGER_set_uint64(nonce, nv >> 1) ||
	    !TS_REQ_set_version(req, 1) || !TS_REQ_set_msg_imprint(req, mi) || !TS_REQ_set_nonce(req, nonce) ||
	    !TS_REQ_set_cert_req(req, 1) || !(body = BIO_new(BIO_s_mem())) || i2d_TS_REQ_bio(body, req) <= 0) {
		rc = err_set(e, MC_STORE, "cannot build the timestamp request (OpenSSL error)");
		goto done;
	}
	if (!OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path, NULL, NULL) || ssl) {
		rc = err_set(e, MC_INVALID, "the timestamp server address %s is not an http:// URL: check the setting tsa.url", url);
		goto done;
	}
	reply = OSSL_HTTP_transfer(NULL, host, port, path, 0, "", NULL, NULL, NULL, NULL, NULL, 0, NULL,
				   "application/timestamp-query", body, "application/timestamp-reply", 1, 1 << 20, 5, 0);
	if (!reply || !(resp = d2i_TS_RESP_bio(reply, NULL))) {
		rc = err_set(e, MC_IO, "the timestamp server %s did not answer: nothing was signed; try again or clear the setting tsa.url", url);
		goto done;
	}
	X509_STORE_up_ref(store);
	if (!(vc = TS_REQ_to_TS_VERIFY_CTX(req, NULL)) || !TS_VERIFY_CTX_set_store(vc, store) ||
	    !TS_VERIFY_CTX_add_flags(vc, TS_VFY_SIGNATURE) || TS_RESP_verify_response(vc, resp) != 1) {
		if (!vc)
			X509_STORE_free(store);
		rc = err_set(e, MC_INVALID, "the timestamp from %s is not valid or its TSA is not in the trust store: nothing was signed", url);
		goto done;
	}
	int k = i2d_PKCS7(TS_RESP_get_token(resp), tst);
	if (k <= 0) {
		rc = err_set(e, MC_STORE, "cannot encode the timestamp (OpenSSL error)");
		goto done;
	}
	*len = (size_t)k;
done:
	ERR_clear_error();
	TS_VERIFY_CTX_free(vc);
	TS_RESP_free(resp);
	BIO_free(reply);
	BIO_free(body);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	ASN1_INTEGER_free(nonce);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(req);
	return rc;
}

int tsa_check(const unsigned char *tst, size_t len, X509_STORE *store, const unsigned char *data, size_t n, int64_t *when,
	      char *tsa, size_t tsalen, struct err *e)
{
	const unsigned char *p = tst;
	PKCS7 *tok = d2i_PKCS7(NULL, &p, (long)len);
	TS_TST_INFO *ti = tok ? PKCS7_to_TS_TST_INFO(tok) : NULL;
	TS_VERIFY_CTX *vc = TS_VERIFY_CTX_new();
	unsigned char *md = OPENSSL_malloc(32);
	int ok = tok && ti && vc && md && EVP_Digest(data, n, md, NULL, EVP_sha256(), NULL);
	if (ok) {
		TS_VERIFY_CTX_set_imprint(vc, md, 32);
		md = NULL;
		X509_STORE_up_ref(store);
		TS_VERIFY_CTX_set_store(vc, store);
		TS_VERIFY_CTX_set_flags(vc, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
		ok = TS_RESP_verify_token(vc, tok) == 1;
	}
	if (ok) {
		*when = trust_time(TS_TST_INFO_get_time(ti));
		tsa[0] = 0;
		STACK_OF(X509) *signers = PKCS7_get0_signers(tok, NULL, 0);
		if (sk_X509_num(signers) > 0)
			trust_cn(X509_get_subject_name(sk_X509_value(signers, 0)), tsa, tsalen);
		sk_X509_free(signers);
	}
	ERR_clear_error();
	OPENSSL_free(md);
	TS_VERIFY_CTX_free(vc);
	TS_TST_INFO_free(ti);
	PKCS7_free(tok);
	return ok ? 0 : err_set(e, MC_INVALID, "the signature's timestamp is not valid or its TSA is not trusted");
}
