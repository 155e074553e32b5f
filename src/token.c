/* token.c - PKCS#11 access (see token.h).  The module is dlopen'ed and driven through
 * its function list; the header is p11-kit's. */
#include <dlfcn.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <p11-kit/pkcs11.h>
#include <stdlib.h>
#include <string.h>
#include "token.h"

struct token {
	void *lib;
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE s;
	int logged_in, initialized;
};

void token_close(struct token *t)
{
	if (!t)
		return;
	if (t->logged_in)
		t->f->C_Logout(t->s);
	if (t->s)
		t->f->C_CloseSession(t->s);
	if (t->initialized)
		t->f->C_Finalize(NULL);
	/* the module stays loaded: some (SoftHSM2 among them) leave exit handlers behind */
	free(t);
}

int token_open(const char *module, const char *pin, struct token **out, struct err *e)
{
	*out = NULL;
	if (!module || !module[0])
		return err_set(e, MC_NOTFOUND, "no PKCS#11 module is configured: an administrator sets it with 'motcua token module PATH'");
	struct token *t = calloc(1, sizeof *t);
	if (!t)
		return err_set(e, MC_STORE, "out of memory");
	CK_C_GetFunctionList get = NULL;
	if (!(t->lib = dlopen(module, RTLD_NOW | RTLD_LOCAL)) ||
	    !(*(void **)&get = dlsym(t->lib, "C_GetFunctionList")) || get(&t->f) != CKR_OK || !t->f) {
		free(t);
		return err_set(e, MC_NOTFOUND, "cannot load the PKCS#11 module %s: check the setting pkcs11.module", module);
	}
	int rc = 0;
	CK_RV r = t->f->C_Initialize(NULL);
	if (r != CKR_OK && r != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		rc = err_set(e, MC_IO, "the PKCS#11 module %s failed to start (error 0x%lx)", module, (unsigned long)r);
		goto fail;
	}
	t->initialized = r == CKR_OK;
	CK_SLOT_ID slots[32];
	unsigned long n = 32;
	if (t->f->C_GetSlotList(1, slots, &n) != CKR_OK)
		n = 0;
	unsigned long i;
	for (i = 0; i < n; i++) {
		CK_TOKEN_INFO ti;
		if (t->f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && (ti.flags & CKF_TOKEN_INITIALIZED))
			break;
	}
	if (i == n) {
		rc = err_set(e, MC_NOTFOUND, "no token is plugged in: insert your signing token and try again");
		goto fail;
	}
	if (t->f->C_OpenSession(slots[i], CKF_SERIAL_SESSION, NULL, NULL, &t->s) != CKR_OK) {
		rc = err_set(e, MC_IO, "cannot open a session on the signing token");
		goto fail;
	}
	r = t->f->C_Login(t->s, CKU_USER, (unsigned char *)(pin ? pin : ""), pin ? strlen(pin) : 0);
	if (r == CKR_PIN_INCORRECT || r == CKR_PIN_INVALID || r == CKR_PIN_LEN_RANGE) {
		rc = err_set(e, MC_DENIED, "wrong PIN for the signing token: nothing was signed");
		goto fail;
	} else if (r == CKR_PIN_LOCKED) {
		rc = err_set(e, MC_DENIED, "the signing token's PIN is locked: ask the certificate authority to unlock it");
		goto fail;
	} else if (r != CKR_OK && r != CKR_USER_ALREADY_LOGGED_IN) {
		rc = err_set(e, MC_IO, "cannot log in to the signing token (error 0x%lx)", (unsigned long)r);
		goto fail;
	}
	t->logged_in = r == CKR_OK;
	*out = t;
	return 0;
fail:
	token_close(t);
	return rc;
}

/* handles of objects of class cls (at most max) */
static unsigned long find(struct token *t, unsigned long cls, CK_OBJECT_HANDLE *h, unsigned long max)
{
	CK_ATTRIBUTE a = {CKA_CLASS, &cls, sizeof cls};
	unsigned long n = 0;
	if (t->f->C_FindObjectsInit(t->s, &a, 1) != CKR_OK)
		return 0;
	if (t->f->C_FindObjects(t->s, h, max, &n) != CKR_OK)
		n = 0;
	t->f->C_FindObjectsFinal(t->s);
	return n;
}

/* an attribute's value, malloc'd */
static unsigned char *attr(struct token *t, CK_OBJECT_HANDLE h, unsigned long type, size_t *len)
{
	CK_ATTRIBUTE a = {type, NULL, 0};
	if (t->f->C_GetAttributeValue(t->s, h, &a, 1) != CKR_OK || a.ulValueLen == (unsigned long)-1 || a.ulValueLen > 1 << 20)
		return NULL;
	unsigned char *v = malloc(a.ulValueLen + 1);
	a.pValue = v;
	if (!v || t->f->C_GetAttributeValue(t->s, h, &a, 1) != CKR_OK) {
		free(v);
		return NULL;
	}
	*len = a.ulValueLen;
	return v;
}

int token_each_cert(struct token *t, int (*cb)(const unsigned char *der, size_t n, void *ctx), void *ctx)
{
	CK_OBJECT_HANDLE h[64];
	unsigned long n = find(t, CKO_CERTIFICATE, h, 64);
	int rc = 0;
	for (unsigned long i = 0; i < n && !rc; i++) {
		size_t len;
		unsigned char *der = attr(t, h[i], CKA_VALUE, &len);
		if (der)
			rc = cb(der, len, ctx);
		free(der);
	}
	return rc;
}

/* the private key whose modulus is cert's */
static int key_of(struct token *t, X509 *cert, CK_OBJECT_HANDLE *key)
{
	EVP_PKEY *pk = X509_get0_pubkey(cert);
	BIGNUM *nb = NULL;
	if (!pk || !EVP_PKEY_get_bn_param(pk, "n", &nb))
		return -1;
	int nlen = BN_num_bytes(nb);
	unsigned char *want = malloc((size_t)nlen + 1);
	if (!want) {
		BN_free(nb);
		return -1;
	}
	BN_bn2bin(nb, want);
	BN_free(nb);
	CK_OBJECT_HANDLE h[64];
	unsigned long n = find(t, CKO_PRIVATE_KEY, h, 64);
	int found = -1;
	for (unsigned long i = 0; i < n && found; i++) {
		size_t len;
		unsigned char *m = attr(t, h[i], CKA_MODULUS, &len);
		size_t skip = 0;
		while (m && skip < len && m[skip] == 0)
			skip++;
		if (m && len - skip == (size_t)nlen && !memcmp(m + skip, want, (size_t)nlen)) {
			*key = h[i];
			found = 0;
		}
		free(m);
	}
	free(want);
	return found;
}

int token_has_key(struct token *t, X509 *cert)
{
	CK_OBJECT_HANDLE k;
	return key_of(t, cert, &k) == 0;
}

static int can(struct token *t, unsigned long mech)
{
	CK_SLOT_ID slot;
	CK_SESSION_INFO si;
	CK_MECHANISM_INFO mi;
	if (t->f->C_GetSessionInfo(t->s, &si) != CKR_OK)
		return 0;
	slot = si.slotID;
	return t->f->C_GetMechanismInfo(slot, mech, &mi) == CKR_OK && (mi.flags & CKF_SIGN);
}

int token_sign(struct token *t, X509 *cert, const unsigned char dgst[32], int *pss, unsigned char *sig, size_t *siglen,
	       struct err *e)
{
	CK_OBJECT_HANDLE key;
	if (EVP_PKEY_get_base_id(X509_get0_pubkey(cert)) != EVP_PKEY_RSA)
		return err_set(e, MC_INVALID, "the certificate's key is not an RSA key: motcua signs with RSA keys only");
	if (key_of(t, cert, &key))
		return err_set(e, MC_NOTFOUND, "the signing token holds no private key for this certificate: is it the right token?");
	/* PKCS#1 v1.5: DigestInfo(SHA-256) || digest */
	static const unsigned char prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
					       0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
	unsigned char info[sizeof prefix + 32];
	memcpy(info, prefix, sizeof prefix);
	memcpy(info + sizeof prefix, dgst, 32);
	CK_RSA_PKCS_PSS_PARAMS pp = {CKM_SHA256, CKG_MGF1_SHA256, 32};
	CK_MECHANISM m;
	int use_pss = *pss && can(t, CKM_RSA_PKCS_PSS);
	if (use_pss)
		m = (CK_MECHANISM){CKM_RSA_PKCS_PSS, &pp, sizeof pp};
	else
		m = (CK_MECHANISM){CKM_RSA_PKCS, NULL, 0};
	unsigned long n = TOKEN_SIG_MAX;
	CK_RV r = t->f->C_SignInit(t->s, &m, key);
	if (r == CKR_OK)
		r = use_pss ? t->f->C_Sign(t->s, (unsigned char *)dgst, 32, sig, &n) : t->f->C_Sign(t->s, info, sizeof info, sig, &n);
	if (r != CKR_OK)
		return err_set(e, MC_IO, "the signing token refused to sign (error 0x%lx): nothing was signed", (unsigned long)r);
	*pss = use_pss;
	*siglen = n;
	return 0;
}
