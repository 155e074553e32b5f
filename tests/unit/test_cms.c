/* test_cms.c - certificate signatures through the core (src/sign_cms.h, trust.h,
 * token.h, cms.h) on a real temporary store, a test PKI and SoftHSM2 tokens made by
 * tests/security/pki.inc: the canonical v2 bytes; each refusal before signing; RSASSA-PSS
 * and the PKCS#1 v1.5 fallback, recorded; verification; a certificate revoked after
 * signing leaves the signature valid and is reported, and refuses new signatures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dossier.h"
#include "fixture.h"
#include "sign_cms.h"
#include "store_trust.h"
#include "trust.h"

static char pki[128];
static int have_pki;
static char pki_why[160];

static void as(const char *account)
{
	assert_int_equal(store_user_by_account(C.st, account, &C.actor), 0);
	C.is_root = 0;
}

static void token(const char *name)
{
	char conf[256];
	snprintf(conf, sizeof conf, "%s/tok-%s/softhsm2.conf", pki, name);
	setenv("SOFTHSM2_CONF", conf, 1);
}

static int sh(const char *fmt, const char *arg)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, fmt, arg, arg, arg);
	return system(cmd);
}

static int setup(void **state)
{
	(void)state;
	fixture_setup("cms");
	snprintf(pki, sizeof pki, "%s/pki", dir);
	/* tests/bin/faketime, as the script tests use: the real wrapper fails now and then
	 * on a semaphore another, killed wrapper left under its PID ("sem_open: File exists") */
	char path[4096], cwd[1024];
	const char *old = getenv("PATH");
	if (getcwd(cwd, sizeof cwd)) {
		snprintf(path, sizeof path, "%s/tests/bin:%s", cwd, old ? old : "/usr/bin:/bin");
		setenv("PATH", path, 1);
	}
	if (access("/usr/lib/softhsm/libsofthsm2.so", R_OK) != 0)
		snprintf(pki_why, sizeof pki_why, "SoftHSM2 is not installed (make test installs it as root)");
	else if (sh("sh -c '. tests/security/pki.inc && pki_make %s' >%s.log 2>&1", pki) != 0)
		snprintf(pki_why, sizeof pki_why, "making the test PKI failed: see %s.log", pki);
	else
		have_pki = 1;
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60);
	return 0;
}

static void to_signing(const char *name, char code[CODE_LEN])
{
	fixture_to_signing(name, code, 0, as);
}

static void canonical_v2(void **state)
{
	(void)state;
	struct sign_cms_fields f = {"000.00.17.H45-240311-0001", "1.001037", "Nguyễn Văn Đức", "022123456789", "approve",
				    "15/QĐ-UBND", "2024-03-12", "leader1", "Phó Chủ tịch\nUBND", "UBND (X)", "ab", "", 1710212400, {0}};
	size_t n;
	char *b = sign_cms_canonical(&f, &n);
	assert_non_null(b);
	assert_string_equal(b, "motcua-signature-v2\ndossier: 000.00.17.H45-240311-0001\nprocedure: 1.001037\n"
			       "applicant: Nguyễn Văn Đức\napplicant-id: 022123456789\ndecision: approve\n"
			       "decision-number: 15/QĐ-UBND\ndecision-date: 2024-03-12\nsigner: leader1\n"
			       "signer-title: Phó Chủ tịch\\nUBND\nagency: UBND (X)\ncertificate: ab\ntime: 2024-03-12T03:00:00Z\n"
			       "chain: 0000000000000000000000000000000000000000000000000000000000000000\nresult-sha256: \n");
	assert_int_equal(n, strlen(b));
	free(b);
}

static void file(char *out, size_t n, const char *name) { snprintf(out, n, "%s/%s", pki, name); }

static void sign_refuse_verify(void **state)
{
	(void)state;
	if (!have_pki)
		fail_msg("%s", pki_why);
	struct err e = {0};
	struct dossier d;
	char code[CODE_LEN], code2[CODE_LEN], f[256], fpr[TRUST_FPR_LEN];
	int root;
	int64_t next;
	int kept;
	to_signing("Nguyễn Văn Đức", code);
	to_signing("Trần Thị Hoa", code2);
	/* administration (root) */
	C.is_root = 1;
	memset(&C.actor, 0, sizeof C.actor);
	assert_int_equal(store_setting_set(C.st, "pkcs11.module", "/usr/lib/softhsm/libsofthsm2.so", &e), 0);
	file(f, sizeof f, "good.pem");
	assert_int_equal(trust_cert_assign(&C, "leader1", f, "Phó Chủ tịch UBND huyện", fpr, &e), 0);
	file(f, sizeof f, "revoked.pem");
	assert_int_equal(trust_cert_assign(&C, "leader2", f, "Chủ tịch", fpr, &e), 0);
	/* no trusted root yet */
	as("leader1");
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 12), 10 * 60);
	token("good");
	assert_int_equal(sign_cms_ready(&C, code, &e), 0);
	assert_int_equal(sign_cms_dossier(&C, code, "123456", NULL, &d, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "does not chain to a trusted root"));
	C.is_root = 1;
	file(f, sizeof f, "root.pem");
	assert_int_equal(trust_add(&C, f, NULL, fpr, &root, &e), 0);
	assert_true(root);
	file(f, sizeof f, "sub.pem");
	assert_int_equal(trust_add(&C, f, NULL, fpr, &root, &e), 0);
	assert_false(root);
	/* no CRL */
	as("leader1");
	assert_int_equal(sign_cms_dossier(&C, code, "123456", NULL, &d, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "no CRL"));
	C.is_root = 1;
	file(f, sizeof f, "sub.crl");
	assert_int_equal(trust_add_crl(&C, f, (char[TRUST_NAME_LEN]){0}, &next, &kept, &e), 0);
	file(f, sizeof f, "root.crl");
	assert_int_equal(trust_add_crl(&C, f, (char[TRUST_NAME_LEN]){0}, &next, &kept, &e), 0);
	/* a wrong PIN, a revoked certificate, another's token */
	as("leader1");
	assert_int_equal(sign_cms_dossier(&C, code, "000000", NULL, &d, &e), MC_DENIED);
	as("leader2");
	token("revoked");
	assert_int_equal(sign_cms_dossier(&C, code, "123456", NULL, &d, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "was revoked on 2024-03-05"));
	token("good");
	assert_int_equal(sign_cms_dossier(&C, code, "123456", NULL, &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "is not assigned to leader2"));
	/* RSASSA-PSS */
	as("leader1");
	struct sign_cms_opts o = {.decision_no = "15/QĐ-UBND"};
	if (sign_cms_dossier(&C, code, "123456", &o, &d, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(d.status, 9);
	assert_true(sign_cms_has(&C, code));
	struct sign_cms_check s;
	C.now += 3600;
	if (sign_cms_verify(&C, code, &s, &e))
		fail_msg("%s", e.msg);
	assert_true(s.pss);
	assert_string_equal(s.name, "Nguyễn Văn An");
	assert_string_equal(s.title, "Phó Chủ tịch UBND huyện");
	assert_string_equal(s.decision_no, "15/QĐ-UBND");
	assert_string_equal(s.issuer, "CA phục vụ thử nghiệm G2");
	assert_string_equal(s.root, "Test Root");
	assert_int_equal(s.revoked_at, 0);
	struct sign_check b;
	assert_int_equal(sign_verify(&C, code, &b, &e), 0); /* sign.h dispatches */
	assert_string_equal(b.signer, "leader1");
	/* PKCS#1 v1.5 where the token has no PSS, recorded */
	struct sign_cms_opts o2 = {.no_pss = 1};
	if (sign_cms_dossier(&C, code2, "123456", &o2, &d, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(sign_cms_verify(&C, code2, &s, &e), 0);
	assert_false(s.pss);
	/* revoked after signing: the signature stays valid and says so; new signatures refused */
	assert_int_equal(sh("cd %s && TZ=UTC faketime -f '@2024-03-20 00:00:00' openssl ca -config ext.cnf -revoke good.pem >/dev/null 2>&1"
			    " && TZ=UTC faketime -f '@2024-03-21 00:00:00' openssl ca -config ext.cnf -gencrl -out new.crl >/dev/null 2>&1", pki), 0);
	C.is_root = 1;
	file(f, sizeof f, "new.crl");
	assert_int_equal(trust_add_crl(&C, f, (char[TRUST_NAME_LEN]){0}, &next, &kept, &e), 0);
	assert_false(kept);
	as("leader1");
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 22), 10 * 60);
	assert_int_equal(sign_cms_verify(&C, code, &s, &e), 0);
	assert_true(s.revoked_at > 0);
	char code3[CODE_LEN];
	to_signing("Lê Văn Ba", code3);
	as("leader1");
	assert_int_equal(sign_cms_dossier(&C, code3, "123456", NULL, &d, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "was revoked on 2024-03-20"));
	/* a changed dossier no longer verifies */
	sh("sqlite3 %s/../s.db \"update dossiers set applicant_name = 'X' where status = 9\"", pki);
	assert_int_equal(sign_cms_verify(&C, code, &s, &e), MC_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_v2),
		cmocka_unit_test(sign_refuse_verify),
	};
	return cmocka_run_group_tests_name("cms", tests, setup, fixture_teardown);
}
