/* security_bench.c - what digital signatures add to a step: N dossiers signed with the
 * plain core step (dossier_sign, no signature) and N with sign_dossier (passphrase
 * decryption, Ed25519, the signature in the event), interleaved, on a store with
 * synchronous=FULL; then sign_verify on each signed dossier.  With PKI (a directory made
 * by tests/security/pki.inc, SOFTHSM2_CONF set to its "good" token), N more are signed
 * with the certificate on the SoftHSM2 token (sign_cms_dossier: open the token, log in,
 * the checks before signing, CMS with RSASSA-PSS) and verified (sign_cms_verify: chain
 * and CRLs at the signing time, CAdES).  Prints BENCH lines.
 * Usage: security_bench DIR N [PKI] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dossier.h"
#include "sign.h"
#include "sign_cms.h"
#include "store.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "security_bench: %s: %s\n", what, e->msg);
	exit(1);
}

static void as(struct core *c, const char *account)
{
	if (store_user_by_account(c->st, account, &c->actor))
		exit(1);
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4)
		return 2;
	int n = atoi(argv[2]);
	const char *pki = argc == 4 ? argv[3] : NULL;
	char path[512];
	snprintf(path, sizeof path, "%s/sec.db", argv[1]);
	struct core c;
	struct err e = {0};
	const char *pass = "benchmark passphrase";
	char (*codes)[CODE_LEN] = calloc((size_t)(3 * n), CODE_LEN);
	/* setup in bulk: 2n dossiers waiting for the signer, leader1's key */
	if (core_open(&c, path, STORE_CREATE, &e) || store_exec_embedded(c.st, "demo/catalog.sql", &e) || core_reload(&c, &e))
		die("setup", &e);
	snprintf(c.os_account, sizeof c.os_account, "bench");
	store_bulk(c.st);
	c.now = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60);
	struct procedure p;
	store_procedure_by_code(c.st, "1.001037", &p);
	if (store_begin(c.st, &e))
		die("begin", &e);
	for (int i = 0; i < (pki ? 3 : 2) * n; i++) {
		struct dossier d;
		struct receive_req r = {.procedure = "1.001037", .name = "Nguyễn Văn Thử", .idno = "022123456789",
					.components = (1u << p.ncomponents) - 1};
		as(&c, "clerk1");
		if (dossier_receive(&c, &r, &d, &e) || dossier_transfer(&c, d.code, "TM", &d, &e))
			die("receive", &e);
		as(&c, "head_tm");
		if (dossier_assign(&c, d.code, "spec_tm1", &d, &e))
			die("assign", &e);
		as(&c, "spec_tm1");
		if (dossier_propose(&c, d.code, DEC_APPROVE, "", &d, &e))
			die("propose", &e);
		snprintf(codes[i], CODE_LEN, "%s", d.code);
	}
	as(&c, "leader1");
	if (sign_key_create(&c, pass, 0, NULL, &e) || store_commit(c.st, &e))
		die("key", &e);
	if (pki) {
		char f[1024], fpr[TRUST_FPR_LEN], is[TRUST_NAME_LEN];
		int root, kept;
		int64_t next;
		c.is_root = 1;
		memset(&c.actor, 0, sizeof c.actor);
		const char *cas[] = {"root.pem", "sub.pem"}, *crls[] = {"sub.crl", "root.crl"};
		for (int i = 0; i < 2; i++) {
			snprintf(f, sizeof f, "%s/%s", pki, cas[i]);
			if (trust_add(&c, f, NULL, fpr, &root, &e))
				die("trust add", &e);
		}
		for (int i = 0; i < 2; i++) {
			snprintf(f, sizeof f, "%s/%s", pki, crls[i]);
			if (trust_add_crl(&c, f, is, &next, &kept, &e))
				die("trust crl", &e);
		}
		snprintf(f, sizeof f, "%s/good.pem", pki);
		if (trust_cert_assign(&c, "leader2", f, "Chủ tịch UBND", fpr, &e) ||
		    store_setting_set(c.st, "pkcs11.module", "/usr/lib/softhsm/libsofthsm2.so", &e))
			die("cert assign", &e);
	}
	core_close(&c);

	/* measure on a fresh connection, as a clerk's process has it */
	if (core_open(&c, path, 0, &e))
		die("open", &e);
	snprintf(c.os_account, sizeof c.os_account, "bench");
	c.now = cal_instant(cal_day_from_ymd(2024, 3, 12), 9 * 60);
	as(&c, "leader1");
	double plain = 0, signed_ = 0, verify = 0;
	for (int i = 0; i < n; i++) {
		struct dossier d;
		double t0 = now_ms();
		if (dossier_sign(&c, codes[2 * i], NULL, &d, &e))
			die("dossier_sign", &e);
		double t1 = now_ms();
		if (sign_dossier(&c, codes[2 * i + 1], pass, &d, &e))
			die("sign_dossier", &e);
		double t2 = now_ms();
		plain += t1 - t0;
		signed_ += t2 - t1;
	}
	for (int i = 0; i < n; i++) {
		struct sign_check s;
		double t0 = now_ms();
		if (sign_verify(&c, codes[2 * i + 1], &s, &e))
			die("sign_verify", &e);
		verify += now_ms() - t0;
	}
	double cms = 0, cmsver = 0;
	if (pki) {
		as(&c, "leader2");
		for (int i = 0; i < n; i++) {
			struct dossier d;
			double t0 = now_ms();
			if (sign_cms_dossier(&c, codes[2 * n + i], "123456", NULL, &d, &e))
				die("sign_cms_dossier", &e);
			cms += now_ms() - t0;
		}
		for (int i = 0; i < n; i++) {
			struct sign_cms_check s;
			double t0 = now_ms();
			if (sign_cms_verify(&c, codes[2 * n + i], &s, &e))
				die("sign_cms_verify", &e);
			cmsver += now_ms() - t0;
		}
	}
	core_close(&c);
	double over = (signed_ - plain) / n, ver = verify / n;
	printf("BENCH sign_step_plain %.2f ms info PASS\n", plain / n);
	printf("BENCH sign_step_signed %.2f ms info PASS\n", signed_ / n);
	printf("BENCH sign_overhead_per_step %.2f ms <5 %s\n", over, over < 5 ? "PASS" : "FAIL");
	printf("BENCH verify_signature %.2f ms <5 %s\n", ver, ver < 5 ? "PASS" : "FAIL");
	if (pki) {
		printf("BENCH sign_cms_softhsm2_per_dossier %.2f ms <50 %s\n", cms / n, cms / n < 50 ? "PASS" : "FAIL");
		printf("BENCH verify_cms_chain_crl %.2f ms <10 %s\n", cmsver / n, cmsver / n < 10 ? "PASS" : "FAIL");
	}
	free(codes);
	return 0;
}
