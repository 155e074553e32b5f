/* ocsp.c - one OCSP question over HTTP (see ocsp.h). */
#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/ocsp.h>
#include <string.h>
#include "ocsp.h"
#include "trust.h"

int ocsp_ask(const char *url, X509 *cert, X509 *issuer, X509_STORE *store, int *status, int64_t *revoked_at, struct err *e)
{
	OCSP_REQUEST *req = OCSP_REQUEST_new();
	OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *bs = NULL;
	BIO *body = BIO_new(BIO_s_mem()), *reply = NULL;
	char *host = NULL, *port = NULL, *path = NULL;
	int ssl = 0, rc = MC_IO, st = -1, reason;
	ASN1_GENERALIZEDTIME *rev = NULL, *thisu = NULL, *nextu = NULL;
	*revoked_at = 0;
	if (!req || !id || !body || !OCSP_request_add0_id(req, OCSP_CERTID_dup(id)) || !OCSP_request_add1_nonce(req, NULL, -1) ||
	    i2d_OCSP_REQUEST_bio(body, req) <= 0 || !OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path, NULL, NULL) || ssl)
		goto done;
	reply = OSSL_HTTP_transfer(NULL, host, port, path, 0, "", NULL, NULL, NULL, NULL, NULL, 0, NULL, "application/ocsp-request",
				   body, "application/ocsp-response", 1, 1 << 20, 3, 0);
	if (!reply || !(resp = d2i_OCSP_RESPONSE_bio(reply, NULL)) || OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL ||
	    !(bs = OCSP_response_get1_basic(resp)) || OCSP_check_nonce(req, bs) <= 0 || OCSP_basic_verify(bs, NULL, store, 0) != 1 ||
	    !OCSP_resp_find_status(bs, id, &st, &reason, &rev, &thisu, &nextu) || !OCSP_check_validity(thisu, nextu, 300, -1))
		goto done;
	*status = st == V_OCSP_CERTSTATUS_GOOD ? OCSP_GOOD : st == V_OCSP_CERTSTATUS_REVOKED ? OCSP_REVOKED : OCSP_UNKNOWN;
	if (rev)
		*revoked_at = trust_time(rev);
	rc = 0;
done:
	if (rc)
		err_set(e, MC_IO, "no usable answer from the OCSP responder %s", url);
	ERR_clear_error();
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	BIO_free(reply);
	BIO_free(body);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	OCSP_CERTID_free(id);
	OCSP_REQUEST_free(req);
	return rc;
}
