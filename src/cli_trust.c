/* cli_trust.c - certificate signatures on the command line: `trust add|crl|list|remove`,
 * `cert assign|list|unassign`, `token module|show`, and printing what a certificate
 * (CMS) signature verification found (`verify`, `signature export`).
 *
 * The trust store and the certificate mapping are the administrator's; central carries
 * them to offices with the reference data (`central publish`, `sync`).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "i18n.h"
#include "sign_cms.h"
#include "text.h"
#include "trust.h"

static void safe(const char *in, char *out, size_t n) { text_sanitize(in, out, n); }

/* ---- trust ---------------------------------------------------------------------------- */

struct listctx { struct cli *cli; json_t *arr; int64_t now; };

static int ca_line(const struct trust_row *r, void *ctx)
{
	struct listctx *l = ctx;
	if (l->arr) {
		json_array_append_new(l->arr, json_pack("{s:s, s:s, s:s, s:I, s:b}", "kind", r->is_root ? "root" : "intermediate",
							"fingerprint", r->fpr, "subject", r->subject, "not_after", (json_int_t)r->not_after,
							"active", r->active));
		return 0;
	}
	char s[TRUST_NAME_LEN * 4], na[24];
	safe(r->subject, s, sizeof s);
	cal_format(r->not_after, 0, na, sizeof na);
	printf(_("%s %s%s\n  %s\n  valid until %s\n"), r->is_root ? "root        " : "intermediate", s, r->active ? "" : _(" (removed)"),
	       r->fpr, na);
	return 0;
}

static int crl_line(const struct trust_row *r, void *ctx)
{
	struct listctx *l = ctx;
	if (l->arr) {
		json_array_append_new(l->arr, json_pack("{s:s, s:s, s:I, s:I, s:b}", "kind", "crl", "issuer", r->fpr, "this_update",
							(json_int_t)r->this_update, "next_update", (json_int_t)r->next_update,
							"fresh", r->next_update >= l->now));
		return 0;
	}
	char tu[24], nu[24];
	cal_format(r->this_update, 1, tu, sizeof tu);
	cal_format(r->next_update, 1, nu, sizeof nu);
	if (r->next_update < l->now)
		printf(_("CRL of %.16s...  issued %s, next update %s  OUT OF DATE: import a newer one\n"), r->fpr, tu, nu);
	else
		printf(_("CRL of %.16s...  issued %s, next update %s\n"), r->fpr, tu, nu);
	return 0;
}

int cmd_trust(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"sha256", 1, 0, 's'}, {0, 0, 0, 0}};
	const char *want = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 's')
			want = optarg;
		else
			return cli_usage("trust", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage("trust", "say what to do: add FILE, crl FILE, list or remove FINGERPRINT");
	const char *what = argv[optind];
	int rc, nargs = argc - optind - 1;
	if (!strcmp(what, "tsa") && nargs == 1) {
		if ((rc = cli_admin(cli)))
			return rc;
		if (core_setting_put(&cli->core, "tsa.url", argv[optind + 1], &cli->err))
			return cli_fail(&cli->err);
		char u[4096 * 4];
		safe(argv[optind + 1], u, sizeof u);
		if (u[0])
			printf(_("signatures will carry a timestamp from %s\n"), u);
		else
			fputs(_("signatures will carry no timestamp\n"), stdout);
		return 0;
	}
	if (!strcmp(what, "ocsp") && nargs == 1) {
		const char *v = argv[optind + 1];
		if ((rc = cli_admin(cli)))
			return rc;
		if (core_setting_put(&cli->core, "ocsp.url", strcmp(v, "off") ? v : "", &cli->err))
			return cli_fail(&cli->err);
		printf(_("OCSP before signing: %s\n"), !strcmp(v, "off") ? _("off") : !strcmp(v, "aia") ? _("the responder named in each certificate") : v);
		return 0;
	}
	if (!strcmp(what, "list")) {
		if (nargs || (rc = cli_open(cli, 0)))
			return nargs ? cli_usage("trust", "list takes no argument") : rc;
		struct listctx l = {cli, cli->json ? json_array() : NULL, core_now(&cli->core)};
		trust_each(&cli->core, TK_CA, NULL, 0, ca_line, &l);
		trust_each(&cli->core, TK_CRL, NULL, 0, crl_line, &l);
		if (l.arr)
			cli_json_print(l.arr);
		return 0;
	}
	if (nargs != 1 || (strcmp(what, "add") && strcmp(what, "crl") && strcmp(what, "remove")))
		return cli_usage("trust", "say: trust add FILE [--sha256 FINGERPRINT] | crl FILE | list | remove FINGERPRINT | tsa URL | ocsp aia|URL|off");
	if ((rc = cli_admin(cli)))
		return rc;
	const char *arg = argv[optind + 1];
	char a[4096 * 4];
	safe(arg, a, sizeof a);
	if (!strcmp(what, "add")) {
		char fpr[TRUST_FPR_LEN];
		int root = 0;
		if (trust_add(&cli->core, arg, want, fpr, &root, &cli->err))
			return cli_fail(&cli->err);
		printf(_("%s added to the trust store: %s\nSHA-256 fingerprint %s\n"), a, root ? _("a root (anchor)") : _("an intermediate CA"), fpr);
		if (!want)
			fputs(_("Compare this fingerprint with the one the CA publishes before relying on it.\n"), stdout);
	} else if (!strcmp(what, "crl")) {
		char issuer[TRUST_NAME_LEN], is[TRUST_NAME_LEN * 4], nu[24];
		int64_t next = 0;
		int kept = 0;
		if (trust_add_crl(&cli->core, arg, issuer, &next, &kept, &cli->err))
			return cli_fail(&cli->err);
		safe(issuer, is, sizeof is);
		cal_format(next, 1, nu, sizeof nu);
		if (kept)
			printf(_("the trust store already has a CRL of %s as new as this one; nothing changed\n"), is);
		else
			printf(_("CRL of %s imported; next update %s\n"), is, nu);
	} else {
		if (trust_remove(&cli->core, arg, &cli->err))
			return cli_fail(&cli->err);
		printf(_("certificate %s removed from the trust store (kept for old signatures' history)\n"), a);
	}
	return 0;
}

/* ---- cert ----------------------------------------------------------------------------- */

static int cert_line(const struct trust_row *r, void *ctx)
{
	struct listctx *l = ctx;
	if (l->arr) {
		json_array_append_new(l->arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "account", r->account, "fingerprint", r->fpr,
							"subject", r->subject, "title", r->title, "not_after", (json_int_t)r->not_after,
							"active", r->active));
		return 0;
	}
	char acc[256], s[TRUST_NAME_LEN * 4], t[1024], na[24];
	safe(r->account, acc, sizeof acc);
	safe(r->subject, s, sizeof s);
	safe(r->title, t, sizeof t);
	cal_format(r->not_after, 0, na, sizeof na);
	printf(_("%s  %s%s\n  title: %s\n  %s, valid until %s\n"), acc, s, r->active ? "" : _(" (unassigned)"), t, r->fpr, na);
	return 0;
}

int cmd_cert(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"title", 1, 0, 't'}, {0, 0, 0, 0}};
	const char *title = NULL;
	int o, rc;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 't')
			title = optarg;
		else
			return cli_usage("cert", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage("cert", "say what to do: assign USER FILE.pem --title TITLE, list [USER] or unassign FINGERPRINT");
	const char *what = argv[optind];
	int nargs = argc - optind - 1;
	if (!strcmp(what, "list") && nargs <= 1) {
		if ((rc = cli_open(cli, 0)))
			return rc;
		struct listctx l = {cli, cli->json ? json_array() : NULL, 0};
		trust_each(&cli->core, TK_USER, nargs ? argv[optind + 1] : NULL, 0, cert_line, &l);
		if (l.arr)
			cli_json_print(l.arr);
		return 0;
	}
	if (!strcmp(what, "assign") && nargs == 2) {
		char t[1024], msg[256];
		if (text_clean(title ? title : "", "title", 200, t, sizeof t, msg, sizeof msg))
			return cli_usage("cert", "%s", msg);
		if ((rc = cli_admin(cli)))
			return rc;
		char fpr[TRUST_FPR_LEN], acc[256];
		if (trust_cert_assign(&cli->core, argv[optind + 1], argv[optind + 2], t, fpr, &cli->err))
			return cli_fail(&cli->err);
		safe(argv[optind + 1], acc, sizeof acc);
		printf(_("certificate %s assigned to %s\n"), fpr, acc);
		return 0;
	}
	if (!strcmp(what, "unassign") && nargs == 1) {
		if ((rc = cli_admin(cli)))
			return rc;
		if (trust_cert_unassign(&cli->core, argv[optind + 1], &cli->err))
			return cli_fail(&cli->err);
		fputs(_("certificate unassigned: it can no longer sign; its old signatures still verify\n"), stdout);
		return 0;
	}
	return cli_usage("cert", "say: cert assign USER FILE.pem --title TITLE | list [USER] | unassign FINGERPRINT");
}

/* ---- token ---------------------------------------------------------------------------- */

int cmd_token(struct cli *cli, int argc, char **argv)
{
	int rc;
	if (argc == 3 && !strcmp(argv[1], "module")) {
		if ((rc = cli_admin(cli)))
			return rc;
		if (core_setting_put(&cli->core, "pkcs11.module", argv[2], &cli->err))
			return cli_fail(&cli->err);
		char m[4096 * 4];
		safe(argv[2], m, sizeof m);
		printf(_("PKCS#11 module set to %s\n"), m);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "show")) {
		if ((rc = cli_open(cli, 0)))
			return rc;
		char m[1024] = "", s[4096];
		core_setting_get(&cli->core, "pkcs11.module", m, sizeof m);
		safe(m[0] ? m : "(none)", s, sizeof s);
		printf(_("pkcs11.module %s\n"), s);
		return 0;
	}
	return cli_usage("token", "say: token module PATH | show");
}

/* ---- verify ----------------------------------------------------------------------------- */

int cli_verify_cms(struct cli *cli, const char *code, const char *dir, int export)
{
	struct sign_cms_check s;
	int rc = export ? sign_cms_export(&cli->core, code, dir, &s, &cli->err)
			: dir ? sign_cms_verify_dir(&cli->core, code, dir, &s, &cli->err) : sign_cms_verify(&cli->core, code, &s, &cli->err);
	if (rc)
		return cli_fail(&cli->err);
	char when[24], rev[24] = "", tu[24], nu[24];
	cal_format(s.base.signed_at, 1, when, sizeof when);
	cal_format(s.crl_this, 1, tu, sizeof tu);
	cal_format(s.crl_next, 1, nu, sizeof nu);
	if (s.revoked_at)
		cal_format(s.revoked_at, 1, rev, sizeof rev);
	if (cli->json) {
		json_t *j = json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				      "code", code, "valid", 1, "kind", "CMS", "signer", s.base.signer, "name", s.name, "subject", s.subject,
				      "title", s.title, "agency", s.agency, "signed_at", when, "decision", s.base.decision,
				      "decision_no", s.decision_no, "decision_date", s.decision_date, "certificate", s.base.fingerprint,
				      "serial", s.serial, "ca", s.issuer, "root", s.root, "padding", s.pss ? "pss" : "pkcs1",
				      "crl_issued", tu, "event", s.base.event_id);
		if (s.revoked_at)
			json_object_set_new(j, "revoked_later_at", json_string(rev));
		if (s.tsa_time) {
			char tt[24];
			cal_format(s.tsa_time, 1, tt, sizeof tt);
			json_object_set_new(j, "timestamp", json_pack("{s:s, s:s}", "at", tt, "tsa", s.tsa));
		}
		if (dir)
			json_object_set_new(j, "dir", json_string(dir));
		cli_json_print(j);
		return 0;
	}
	char c[256], who[256], name[TRUST_NAME_LEN * 4], title[1024], ag[1280], no[512], ca[TRUST_NAME_LEN * 4], root[TRUST_NAME_LEN * 4];
	safe(code, c, sizeof c);
	safe(s.base.signer, who, sizeof who);
	safe(s.name, name, sizeof name);
	safe(s.title, title, sizeof title);
	safe(s.agency, ag, sizeof ag);
	safe(s.decision_no, no, sizeof no);
	safe(s.issuer, ca, sizeof ca);
	safe(s.root, root, sizeof root);
	printf(_("signature valid: dossier %s, decision %s, signed by %s at %s\n"), c, s.base.decision, who, when);
	printf(_("signer: %s, %s, %s\n"), name, title, ag);
	printf(_("decision number: %s of %s\n"), no, s.decision_date);
	printf(_("certificate: serial %s, issued by %s under the root %s (CMS, %s, %s)\n"), s.serial, ca, root,
	       s.tsa_time ? "CAdES-T" : "CAdES-BES", s.pss ? "RSASSA-PSS" : "RSA PKCS#1 v1.5");
	printf(_("the certificate was valid and not revoked at signing time (CRL issued %s, next update %s)\n"), tu, nu);
	if (s.revoked_at)
		printf(_("note: the certificate was revoked on %s, after this signature was made\n"), rev);
	if (s.tsa_time) {
		char tt[24], tsa[TRUST_NAME_LEN * 4];
		cal_format(s.tsa_time, 1, tt, sizeof tt);
		safe(s.tsa, tsa, sizeof tsa);
		printf(_("timestamp: %s by %s (RFC 3161, CAdES-T); the certificate was judged at that time\n"), tt, tsa);
	}
	if (export) {
		char d[4096 * 4];
		safe(dir, d, sizeof d);
		printf(_("wrote %s/signed.bin, %s/sig.p7s and %s/chain-and-crls.pem\n"
		       "verify without motcua:\n  openssl cms -verify -binary -inform DER -in %s/sig.p7s -content %s/signed.bin"
		       " -CAfile %s/chain-and-crls.pem -purpose any -crl_check_all -out /dev/null\n"),
		       d, d, d, d, d, d);
	}
	return 0;
}
