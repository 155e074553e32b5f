/* cms.c - CMS SignedData with a signature from a token (see cms.h).
 *
 * OpenSSL's CMS_add1_signer accepts the certificate's public key as "the key" when
 * CMS_PARTIAL is given (it only compares public parts); the signed attributes are then
 * DER-encoded as a SET (PKCS7_ATTR_SIGN, sorted as in the final encoding), hashed,
 * signed by the callback, and the value and algorithm are put into the SignerInfo.
 */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cms.h"
#include "token.h"
#include "tsa.h"

/* RSASSA-PSS-params: SHA-256, MGF1 with SHA-256, salt 32 */
static ASN1_STRING *pss_params(void)
{
	RSA_PSS_PARAMS *p = RSA_PSS_PARAMS_new();
	X509_ALGOR *mgfh = X509_ALGOR_new();
	ASN1_STRING *mgfp = NULL, *out = NULL;
	unsigned char *der = NULL;
	int n;
	if (!p || !mgfh || !(p->hashAlgorithm = X509_ALGOR_new()) || !(p->maskGenAlgorithm = X509_ALGOR_new()) ||
	    !(p->saltLength = ASN1_INTEGER_new()))
		goto done;
	X509_ALGOR_set_md(p->hashAlgorithm, EVP_sha256());
	X509_ALGOR_set_md(mgfh, EVP_sha256());
	if (!ASN1_item_pack(mgfh, ASN1_ITEM_rptr(X509_ALGOR), &mgfp))
		goto done;
	X509_ALGOR_set0(p->maskGenAlgorithm, OBJ_nid2obj(NID_mgf1), V_ASN1_SEQUENCE, mgfp);
	mgfp = NULL;
	ASN1_INTEGER_set(p->saltLength, 32);
	if ((n = i2d_RSA_PSS_PARAMS(p, &der)) > 0 && (out = ASN1_STRING_new()))
		ASN1_STRING_set(out, der, n);
done:
	OPENSSL_free(der);
	ASN1_STRING_free(mgfp);
	X509_ALGOR_free(mgfh);
	RSA_PSS_PARAMS_free(p);
	return out;
}

int cms_sign(X509 *cert, STACK_OF(X509) *embed, const void *data, size_t n, int64_t at, cms_signer_fn fn, void *ctx,
	     const char *tsa_url, X509_STORE *tsa_store, int *pss, unsigned char **der, size_t *derlen, struct err *e)
{
	const unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_CADES | CMS_NOSMIMECAP;
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	CMS_SignerInfo *si = NULL;
	STACK_OF(X509_ATTRIBUTE) *attrs = NULL;
	unsigned char md[32], dgst[32], sig[TOKEN_SIG_MAX], *abuf = NULL, *tst = NULL;
	size_t tstlen = 0;
	size_t siglen = 0;
	int alen, rc = 0;
	ASN1_TIME *t = ASN1_TIME_set(NULL, (time_t)at);
	*der = NULL;
	if (!cms || !t || !(si = CMS_add1_signer(cms, cert, X509_get0_pubkey(cert), EVP_sha256(), flags))) {
		rc = err_set(e, MC_STORE, "cannot build the CMS signature (OpenSSL error)");
		goto done;
	}
	for (int i = 0; i < sk_X509_num(embed); i++)
		CMS_add1_cert(cms, sk_X509_value(embed, i));
	if (!EVP_Digest(data, n, md, NULL, EVP_sha256(), NULL) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type, t, -1) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, md, 32) ||
	    !(attrs = sk_X509_ATTRIBUTE_new_null())) {
		rc = err_set(e, MC_STORE, "cannot build the CMS signature (OpenSSL error)");
		goto done;
	}
	for (int i = 0; i < CMS_signed_get_attr_count(si); i++)
		sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i));
	if ((alen = ASN1_item_i2d((ASN1_VALUE *)attrs, &abuf, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN))) <= 0 ||
	    !EVP_Digest(abuf, (size_t)alen, dgst, NULL, EVP_sha256(), NULL)) {
		rc = err_set(e, MC_STORE, "cannot build the CMS signature (OpenSSL error)");
		goto done;
	}
	if ((rc = fn(ctx, dgst, pss, sig, &siglen, e)))
		goto done;
	X509_ALGOR *alg = NULL;
	CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &alg);
	ASN1_OCTET_STRING *os = CMS_SignerInfo_get0_signature(si);
	if (*pss) {
		ASN1_STRING *p = pss_params();
		if (!p || !X509_ALGOR_set0(alg, OBJ_nid2obj(NID_rsassaPss), V_ASN1_SEQUENCE, p)) {
			ASN1_STRING_free(p);
			rc = err_set(e, MC_STORE, "cannot build the CMS signature (OpenSSL error)");
			goto done;
		}
	} else
		X509_ALGOR_set0(alg, OBJ_nid2obj(NID_rsaEncryption), V_ASN1_NULL, NULL);
	int len;
	if (tsa_url && tsa_url[0]) {
		if ((rc = tsa_stamp(tsa_url, tsa_store, sig, siglen, &tst, &tstlen, e)))
			goto done;
		if (!CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, tst, (int)tstlen)) {
			rc = err_set(e, MC_STORE, "cannot build the CMS signature (OpenSSL error)");
			goto done;
		}
	}
	if (!alg || !os || !ASN1_OCTET_STRING_set(os, sig, (int)siglen) || (len = i2d_CMS_ContentInfo(cms, der)) <= 0) {
		rc = err_set(e, MC_STORE, "cannot build the CMS signature (OpenSSL error)");
		goto done;
	}
	*derlen = (size_t)len;
done:
	ERR_clear_error();
	OPENSSL_free(tst);
	OPENSSL_free(abuf);
	sk_X509_ATTRIBUTE_free(attrs);
	ASN1_TIME_free(t);
	CMS_ContentInfo_free(cms);
	return rc;
}

void cms_info_free(struct cms_info *i)
{
	free(i->sig);
	free(i->tst);
	X509_free(i->signer);
	sk_X509_pop_free(i->certs, X509_free);
	memset(i, 0, sizeof *i);
}

static int64_t attr_time(CMS_SignerInfo *si)
{
	int k = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	ASN1_TYPE *ty = k >= 0 ? X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, k), 0) : NULL;
	struct tm tm;
	if (!ty || (ty->type != V_ASN1_UTCTIME && ty->type != V_ASN1_GENERALIZEDTIME) || !ASN1_TIME_to_tm(ty->value.utctime, &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

int cms_check(const unsigned char *der, size_t n, const void *data, size_t len, struct cms_info *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)n);
	BIO *in = BIO_new_mem_buf(data, (int)len);
	int rc = 0;
	STACK_OF(CMS_SignerInfo) *sis = cms ? CMS_get0_SignerInfos(cms) : NULL;
	if (!cms || !in || sk_CMS_SignerInfo_num(sis) != 1 || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		rc = err_set(e, MC_INVALID, "the CMS signature is malformed (one SignedData with one signer expected)");
		goto done;
	}
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
	if (CMS_verify(cms, NULL, NULL, in, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		rc = err_set(e, MC_INVALID, "the CMS signature does not match the signed bytes: they or the signature were changed after signing");
		goto done;
	}
	X509 *signer = NULL;
	X509_ALGOR *alg = NULL;
	CMS_SignerInfo_get0_algs(si, NULL, &signer, NULL, &alg);
	if (!signer || !(out->signing_time = attr_time(si))) {
		rc = err_set(e, MC_INVALID, "the CMS signature has no signer certificate or no signing time");
		goto done;
	}
	X509_up_ref(signer);
	out->signer = signer;
	out->certs = CMS_get1_certs(cms);
	out->pss = alg && OBJ_obj2nid(alg->algorithm) == NID_rsassaPss;
	ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(si);
	int k = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
	ASN1_TYPE *ty = k >= 0 ? X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, k), 0) : NULL;
	if (!sv || !(out->sig = malloc((size_t)ASN1_STRING_length(sv) + 1))) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	out->siglen = (size_t)ASN1_STRING_length(sv);
	memcpy(out->sig, ASN1_STRING_get0_data(sv), out->siglen);
	if (ty && ty->type == V_ASN1_SEQUENCE) {
		out->tstlen = (size_t)ASN1_STRING_length(ty->value.sequence);
		if ((out->tst = malloc(out->tstlen + 1)))
			memcpy(out->tst, ASN1_STRING_get0_data(ty->value.sequence), out->tstlen);
	}
done:
	ERR_clear_error();
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	if (rc)
		cms_info_free(out);
	return rc;
}

int cms_check_cades(const unsigned char *der, size_t n, const void *data, size_t len, X509_STORE *store, int64_t at,
		    struct err *e)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)n);
	BIO *in = BIO_new_mem_buf(data, (int)len);
	X509_VERIFY_PARAM *vp = X509_STORE_get0_param(store);
	X509_VERIFY_PARAM_set_time(vp, (time_t)at);
	X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_ANY);
	int ok = cms && in && CMS_verify(cms, NULL, store, in, NULL, CMS_BINARY | CMS_CADES) == 1;
	ERR_clear_error();
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	return ok ? 0 : err_set(e, MC_INVALID, "the CMS signature's signingCertificateV2 does not name its signer's certificate (CAdES check failed)");
}
