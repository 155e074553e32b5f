/* sign_cms.h - a leader's signature the law recognises: a detached CMS (CAdES-BES)
 * made on the leader's PKCS#11 token, checked to a trusted root.
 *
 * Why: an Ed25519 key kept by motcua proves integrity only; Vietnamese law recognises
 * a digital signature backed by a licensed CA's certificate (SIGNATURES.md of the
 * project notes).  A leader with a certificate assigned (`motcua cert assign`) signs
 * this way; others keep the Ed25519 signature of sign.h, and old signatures of both
 * kinds keep verifying.
 *
 * Signed bytes (sign_cms_canonical), the v1 lines of sign.h plus the signer's title and
 * agency (a certificate is personal), the decision number and date, the certificate and
 * the hash of a result document when there is one:
 *   motcua-signature-v2
 *   dossier: 000.00.17.H45-240321-0001
 *   procedure: 1.001037
 *   applicant: Nguyễn Văn Đức
 *   applicant-id: 022123456789
 *   decision: approve
 *   decision-number: 15/QĐ-UBND
 *   decision-date: 2024-03-21
 *   signer: leader1
 *   signer-title: Phó Chủ tịch UBND huyện
 *   agency: UBND huyện Mẫu (000.00.17.H45)
 *   certificate: <hex SHA-256 of the signer's certificate>
 *   time: 2024-03-21T02:00:00Z
 *   chain: <hex SHA-256 head of the dossier's event chain before signing>
 *   result-sha256: <hex SHA-256 of the result document, or empty>
 * The "signed" event's payload:
 *   "signature": {"alg": "CMS", "padding": "pss"|"pkcs1", "cert": FPR, "value": BASE64 DER,
 *                 "signed_at": UNIX, "chain": HEX, "title", "agency", "decision_no",
 *                 "decision_date", "result_sha256"}
 */
#ifndef MOTCUA_SIGN_CMS_H
#define MOTCUA_SIGN_CMS_H

#include "core.h"
#include "model.h"
#include "sign.h"
#include "trust.h"

/* 1 if account signs with a certificate (one is assigned and active) */
int sign_cms_user(struct core *c, const char *account);
/* role, scope, stage, a certificate and a module: the refusal before a PIN is asked */
int sign_cms_ready(struct core *c, const char *code, struct err *e);

struct sign_cms_opts {
	const char *decision_no;     /* NULL: "<dossier code>" */
	const char *result_sha256;   /* NULL or hex: the result document (another step adds files) */
	int no_pss;                  /* tests: act as a token without RSASSA-PSS */
};
/* Sign dossier code on the token with pin; one transaction appends the "signed" event.
 * Refuses (nothing signed) when the certificate is not the user's, not valid now,
 * revoked or its CRL missing or stale, not for signing, or not chained to a trusted
 * root; MC_DENIED for a wrong PIN. */
int sign_cms_dossier(struct core *c, const char *code, const char *pin, const struct sign_cms_opts *o, struct dossier *out,
		     struct err *e);

struct sign_cms_check {
	struct sign_check base;             /* event, signer account, time, cert fingerprint, decision */
	char name[TRUST_NAME_LEN];          /* the certificate subject's CN (UTF-8) */
	char subject[TRUST_NAME_LEN];       /* its whole DN */
	char title[256], agency[320], decision_no[128], decision_date[16];
	char issuer[TRUST_NAME_LEN], root[TRUST_NAME_LEN];
	char serial[80];
	int pss;
	int64_t revoked_at;                 /* > 0: revoked after signing (signature still valid) */
	int64_t crl_this, crl_next;
	int64_t tsa_time;                   /* > 0: an RFC 3161 timestamp (CAdES-T) at this time */
	char tsa[TRUST_NAME_LEN];           /* its TSA */
};

/* 1 if dossier code's signature is a CMS one */
int sign_cms_has(struct core *c, const char *code);
int sign_cms_verify(struct core *c, const char *code, struct sign_cms_check *info, struct err *e);
/* verify, then write DIR/signed.bin, DIR/sig.p7s and DIR/chain-and-crls.pem */
int sign_cms_export(struct core *c, const char *code, const char *dir, struct sign_cms_check *info, struct err *e);
/* check DIR's files against the store */
int sign_cms_verify_dir(struct core *c, const char *code, const char *dir, struct sign_cms_check *info, struct err *e);

/* the canonical bytes (malloc'd, NUL-terminated; *len excludes it) */
struct sign_cms_fields {
	const char *code, *procedure, *applicant_name, *applicant_idno, *decision, *decision_no, *decision_date, *signer,
		*title, *agency, *cert, *result_sha256;
	int64_t time;
	unsigned char chain[32];
};
char *sign_cms_canonical(const struct sign_cms_fields *f, size_t *len);

#endif
