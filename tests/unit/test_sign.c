/* test_sign.c - signers' keys, signing, verifying and exporting (src/sign.h) on a real
 * temporary store: the canonical bytes, a wrong passphrase, a missing key, a stale
 * dossier, a changed dossier, a replaced key, a flipped byte in exported files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dossier.h"
#include "event.h"
#include "fixture.h"
#include "sign.h"

static const char *PASS = "mật khẩu đủ dài";

static void as(const char *account) { fixture_as(account); }

static int setup(void **state)
{
	(void)state;
	fixture_setup("sign");
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60);
	return 0;
}

/* a dossier waiting for the signer */
static void to_signing(const char *name, char code[CODE_LEN])
{
	struct err e = {0};
	struct dossier d;
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, "1.001037", &p), 0);
	struct receive_req r = {.procedure = "1.001037", .name = name, .idno = "022123456789",
				.components = (1u << p.ncomponents) - 1};
	as("clerk1");
	C.now += 60;
	if (dossier_receive(&C, &r, &d, &e) || dossier_transfer(&C, d.code, "TM", &d, &e))
		fail_msg("%s", e.msg);
	snprintf(code, CODE_LEN, "%s", d.code);
	as("head_tm");
	C.now += 60;
	assert_int_equal(dossier_assign(&C, code, "spec_tm1", &d, &e), 0);
	as("spec_tm1");
	C.now += 60;
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "Đủ điều kiện", &d, &e), 0);
	as("leader1");
	C.now += 60;
}

static void canonical_bytes(void **state)
{
	(void)state;
	struct sign_fields f = {"000.00.17.H45-240311-0001", "1.001037", "Nguyễn Văn \\Đức\nx", "022123456789",
				"approve", "leader1", 1710122400, {0}};
	memset(f.chain, 0xab, 32);
	size_t len;
	char *b = sign_canonical(&f, &len);
	assert_non_null(b);
	const char *want = "motcua-signature-v1\n"
			   "dossier: 000.00.17.H45-240311-0001\n"
			   "procedure: 1.001037\n"
			   "applicant: Nguyễn Văn \\\\Đức\\nx\n"
			   "applicant-id: 022123456789\n"
			   "decision: approve\n"
			   "signer: leader1\n"
			   "time: 2024-03-11T02:00:00Z\n"
			   "chain: abababababababababababababababababababababababababababababababab\n";
	assert_string_equal(b, want);
	assert_int_equal(len, strlen(want));
	free(b);
}

static void keys(void **state)
{
	(void)state;
	struct err e = {0};
	char fpr[SIGN_FPR_LEN];
	as("clerk1");
	assert_int_equal(sign_key_create(&C, PASS, 0, fpr, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "leader"));
	as("leader1");
	assert_int_equal(sign_key_create(&C, "short", 0, fpr, &e), MC_INVALID);
	assert_false(sign_key_exists(&C, "leader1"));
	assert_int_equal(sign_key_create(&C, PASS, 0, fpr, &e), 0);
	assert_int_equal(strlen(fpr), 64);
	assert_true(sign_key_exists(&C, "leader1"));
	assert_int_equal(sign_key_create(&C, PASS, 0, fpr, &e), MC_STATE);
	assert_int_equal(e.hint, HINT_KEY_REPLACE); /* the CLI names --replace */
}

static void sign_and_verify(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	char code[CODE_LEN];
	to_signing("Nguyễn Văn Đức", code);
	/* a specialist hears about the role before anything about keys */
	as("spec_tm1");
	assert_int_equal(sign_dossier(&C, code, PASS, &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "needs the role leader"));
	/* a leader without a key */
	struct user u = {0};
	snprintf(u.account, sizeof u.account, "leader_nokey");
	snprintf(u.name, sizeof u.name, "Không khóa");
	u.roles = ROLE_LEADER;
	u.office_id = 1;
	u.active = 1;
	assert_int_equal(store_user_add(C.st, &u, &e), 0);
	as("leader_nokey");
	assert_int_equal(sign_ready(&C, code, &e), MC_NOTFOUND);
	assert_int_equal(sign_dossier(&C, code, PASS, &d, &e), MC_NOTFOUND);
	assert_non_null(strstr(e.msg, "no signing key"));
	/* a wrong passphrase signs nothing */
	as("leader1");
	assert_int_equal(sign_ready(&C, code, &e), 0);
	assert_int_equal(sign_dossier(&C, code, "not the passphrase", &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "wrong passphrase"));
	assert_int_equal(store_dossier_get(C.st, code, &d), 0);
	assert_int_equal(d.stage, SG_SIGNING);
	/* a dossier that changed since the leader opened it */
	C.expect_version = d.version - 1;
	assert_int_equal(sign_dossier(&C, code, PASS, &d, &e), MC_CONFLICT);
	assert_int_equal(store_dossier_get(C.st, code, &d), 0);
	assert_int_equal(d.stage, SG_SIGNING);
	C.expect_version = d.version;
	int v = d.version;
	unsigned char head[32];
	memcpy(head, d.chain_head, 32);
	assert_int_equal(sign_dossier(&C, code, PASS, &d, &e), 0);
	C.expect_version = 0;
	assert_int_equal(d.stage, SG_RESULT);
	assert_int_equal(d.version, v + 1);
	/* the event carries the signature over the chain before it */
	struct event ev;
	assert_int_equal(store_event_last(C.st, code, &ev), 0);
	assert_string_equal(ev.kind, "signed");
	json_t *pl = json_loads(ev.payload, 0, NULL);
	json_t *sg = json_object_get(pl, "signature");
	assert_non_null(sg);
	assert_string_equal(json_string_value(json_object_get(sg, "alg")), "Ed25519");
	char hx[65];
	hex_encode(head, 32, hx);
	assert_string_equal(json_string_value(json_object_get(sg, "chain")), hx);
	assert_memory_equal(ev.prev_hash, head, 32);
	json_decref(pl);
	event_clear(&ev);
	struct sign_check s;
	assert_int_equal(sign_verify(&C, code, &s, &e), 0);
	assert_string_equal(s.signer, "leader1");
	assert_string_equal(s.decision, "approve");
	assert_int_equal(s.signed_at, C.now);
	/* a changed dossier no longer verifies */
	struct dossier bad = d;
	bad.decision = DEC_REFUSE;
	assert_int_equal(store_dossier_update(C.st, &bad, &e), 0);
	assert_int_equal(sign_verify(&C, code, &s, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "changed after signing"));
	assert_int_equal(store_dossier_update(C.st, &d, &e), 0);
	assert_int_equal(sign_verify(&C, code, &s, &e), 0);
}

static void unsigned_and_missing(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	char code[CODE_LEN];
	to_signing("Trần Thị Hoa", code);
	struct sign_check s;
	assert_int_equal(sign_verify(&C, code, &s, &e), MC_NOTFOUND);
	assert_non_null(strstr(e.msg, "has not been signed"));
	assert_int_equal(dossier_sign(&C, code, NULL, &d, &e), 0); /* the approval alone */
	assert_int_equal(sign_verify(&C, code, &s, &e), MC_NOTFOUND);
	assert_non_null(strstr(e.msg, "without a digital signature"));
	assert_int_equal(sign_verify(&C, "000.00.17.H45-990101-9999", &s, &e), MC_NOTFOUND);
}

static void replaced_key(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	char code[CODE_LEN], code2[CODE_LEN], old_fpr[SIGN_FPR_LEN], fpr[SIGN_FPR_LEN];
	to_signing("Lê Văn Cũ", code);
	assert_int_equal(sign_dossier(&C, code, PASS, &d, &e), 0);
	struct sign_check s;
	assert_int_equal(sign_verify(&C, code, &s, &e), 0);
	snprintf(old_fpr, sizeof old_fpr, "%s", s.fingerprint);
	assert_int_equal(sign_key_create(&C, "một mật khẩu mới", 1, fpr, &e), 0);
	assert_string_not_equal(fpr, old_fpr);
	/* the old signature still verifies, the old passphrase no longer signs */
	assert_int_equal(sign_verify(&C, code, &s, &e), 0);
	assert_string_equal(s.fingerprint, old_fpr);
	to_signing("Lê Văn Mới", code2);
	assert_int_equal(sign_dossier(&C, code2, PASS, &d, &e), MC_DENIED);
	assert_int_equal(sign_dossier(&C, code2, "một mật khẩu mới", &d, &e), 0);
	assert_int_equal(sign_verify(&C, code2, &s, &e), 0);
	assert_string_equal(s.fingerprint, fpr);
}

static void flip(const char *path, long at)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, at, SEEK_SET);
	int ch = fgetc(f);
	fseek(f, at, SEEK_SET);
	fputc(ch ^ 1, f);
	fclose(f);
}

static void export_files(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	char code[CODE_LEN], out[128], path[200];
	to_signing("Phạm Thị Xuất", code);
	as("leader1");
	assert_int_equal(sign_dossier(&C, code, "một mật khẩu mới", &d, &e), 0);
	snprintf(out, sizeof out, "%s/export", dir);
	struct sign_check s;
	assert_int_equal(sign_export(&C, code, out, &s, &e), 0);
	assert_int_equal(sign_verify_dir(&C, code, out, &s, &e), 0);
	snprintf(path, sizeof path, "%s/sig.bin", out);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	assert_int_equal(ftell(f), 64);
	fclose(f);
	/* a flipped byte in the signed bytes, then in the signature */
	snprintf(path, sizeof path, "%s/signed.bin", out);
	flip(path, 40);
	assert_int_equal(sign_verify_dir(&C, code, out, &s, &e), MC_INVALID);
	flip(path, 40);
	assert_int_equal(sign_verify_dir(&C, code, out, &s, &e), 0);
	snprintf(path, sizeof path, "%s/sig.bin", out);
	flip(path, 10);
	assert_int_equal(sign_verify_dir(&C, code, out, &s, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "sig.bin"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_bytes),
		cmocka_unit_test(keys),
		cmocka_unit_test(sign_and_verify),
		cmocka_unit_test(unsigned_and_missing),
		cmocka_unit_test(replaced_key),
		cmocka_unit_test(export_files),
	};
	return cmocka_run_group_tests_name("sign", tests, setup, fixture_teardown);
}
