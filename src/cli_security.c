/* cli_security.c - the security commands: `key create|show`, `verify CODE [--dir D]`,
 * `signature export CODE --dir D`, `audit verify [CODE]`, and reading a passphrase
 * (also used by `sign` in cli_steps.c).
 *
 * A passphrase comes from the terminal with echo off (/dev/tty, so a pipe on stdin
 * cannot fake it), or for scripts from --passphrase-file FILE (first line) or
 * --passphrase-fd N.  It is read after the store is open, i.e. after the set-group-id
 * privilege was dropped, kept in memory only as long as needed and wiped.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "attach.h"
#include "audit.h"
#include "cli.h"
#include "i18n.h"
#include "sign.h"
#include "sign_cms.h"
#include "text.h"

/* ---- passphrases ------------------------------------------------------------------ */

/* one line from fd into buf (without the newline); -1 if too long or unreadable, -2 if
 * it holds a NUL byte (a passphrase would silently end there) */
static int read_line(int fd, char *buf, size_t n)
{
	size_t k = 0;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || ch == '\n')
			break;
		if (ch == 0)
			return -2;
		if (k + 1 >= n)
			return -1;
		buf[k++] = ch;
	}
	if (k > 0 && buf[k - 1] == '\r')
		k--;
	buf[k] = 0;
	return 0;
}

static int ask_tty(int tty, const char *prompt, char *buf, size_t n)
{
	struct termios old, quiet;
	sigset_t block, saved;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTERM);
	/* a Ctrl-C while echo is off takes effect after the terminal is restored */
	sigprocmask(SIG_BLOCK, &block, &saved);
	int have = tcgetattr(tty, &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
		tcsetattr(tty, TCSAFLUSH, &quiet);
	}
	if (write(tty, prompt, strlen(prompt)) < 0) {
		/* nothing to do: the read below still works */
	}
	int rc = read_line(tty, buf, n);
	if (have)
		tcsetattr(tty, TCSAFLUSH, &old);
	if (write(tty, "\n", 1) < 0) {
		/* ignore */
	}
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return rc;
}

/* The passphrase: from file (first line), fd (>= 0), else the terminal without echo
 * (twice when confirm).  0, or an MC_* code with e set. */
int cli_passphrase(const char *file, int fd, int confirm, char *buf, size_t n, struct err *e)
{
	int rc = 0;
	buf[0] = 0;
	if (file) {
		int f = open(file, O_RDONLY | O_NOCTTY);
		if (f < 0)
			return err_set(e, MC_IO, "cannot read the passphrase file %s: %s", file, strerror(errno));
		int r = read_line(f, buf, n);
		if (r == -2)
			rc = err_set(e, MC_INVALID, "the passphrase in %s holds a NUL byte: write it as plain text", file);
		else if (r)
			rc = err_set(e, MC_INVALID, "the passphrase in %s is too long", file);
		close(f);
		return rc;
	}
	if (fd >= 0) {
		int r = read_line(fd, buf, n);
		if (r == -2)
			return err_set(e, MC_INVALID, "the passphrase on descriptor %d holds a NUL byte: give it as plain text", fd);
		if (r)
			return err_set(e, MC_INVALID, "the passphrase on descriptor %d is too long or unreadable", fd);
		return 0;
	}
	int tty = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (tty < 0)
		return err_set(e, MC_USAGE, "no terminal to ask the passphrase on: use --passphrase-file FILE or --passphrase-fd N");
	if (ask_tty(tty, _("Passphrase of your signing key: "), buf, n))
		rc = err_set(e, MC_INVALID, "the passphrase is too long");
	else if (confirm) {
		char *again = malloc(n);
		if (!again || ask_tty(tty, _("The same passphrase again: "), again, n) || strcmp(again, buf) != 0)
			rc = err_set(e, MC_INVALID, "the two passphrases differ: nothing was created");
		if (again)
			explicit_bzero(again, n);
		free(again);
	}
	close(tty);
	if (rc)
		explicit_bzero(buf, n);
	return rc;
}

/* The PIN of a signing token: from file (first line; scripts), else the terminal
 * without echo.  Never stored.  0, or an MC_* code with e set. */
int cli_pin(const char *file, char *buf, size_t n, struct err *e)
{
	int rc = 0;
	buf[0] = 0;
	if (file) {
		int f = open(file, O_RDONLY | O_NOCTTY);
		if (f < 0)
			return err_set(e, MC_IO, "cannot read the PIN file %s: %s", file, strerror(errno));
		if (read_line(f, buf, n))
			rc = err_set(e, MC_INVALID, "the PIN in %s is too long", file);
		close(f);
		return rc;
	}
	int tty = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (tty < 0)
		return err_set(e, MC_USAGE, "no terminal to ask the token PIN on: use --pin-file FILE");
	if (ask_tty(tty, _("PIN of your signing token: "), buf, n))
		rc = err_set(e, MC_INVALID, "the PIN is too long");
	close(tty);
	if (rc)
		explicit_bzero(buf, n);
	return rc;
}

/* parse --passphrase-file / --passphrase-fd values shared by key and sign */
int cli_passphrase_fd(const char *arg, int *fd)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*end || v < 0 || v > 1023)
		return -1;
	*fd = (int)v;
	return 0;
}

/* ---- key -------------------------------------------------------------------------- */

static int key_show(struct cli *cli, const char *account)
{
	char *pem = NULL, fpr[SIGN_FPR_LEN];
	if (sign_key_show(&cli->core, account, &pem, fpr, &cli->err))
		return cli_fail(&cli->err);
	int has_priv = fpr[0] != 0;
	if (cli->json) {
		json_t *j = json_pack("{s:s, s:s, s:s?, s:b}", "account", account, "pubkey", pem,
				      "fingerprint", has_priv ? fpr : NULL, "private_key_here", has_priv);
		cli_json_print(j);
	} else {
		cli_print_safe(_("account"), account);
		if (has_priv)
			cli_print_safe(_("fingerprint"), fpr);
		fputs(pem, stdout); /* PEM: base64 and fixed armour lines only */
	}
	free(pem);
	return 0;
}

int cmd_key(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"passphrase-file", 1, 0, 'f'}, {"passphrase-fd", 1, 0, 'F'}, {"replace", 0, 0, 'r'}, {0, 0, 0, 0}};
	const char *file = NULL;
	int fd = -1, replace = 0, o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': file = optarg; break;
		case 'F':
			if (cli_passphrase_fd(optarg, &fd))
				return cli_usage("key", "--passphrase-fd takes a descriptor number");
			break;
		case 'r': replace = 1; break;
		default: return cli_usage("key", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage("key", "say what to do: create or show");
	const char *what = argv[optind];
	if (!strcmp(what, "show")) {
		if (optind + 2 < argc)
			return cli_usage("key", "show takes at most one account");
		int rc = cli_open(cli, 0);
		if (rc)
			return rc;
		if (core_identify(&cli->core, cli->as, &cli->err))
			return cli_fail(&cli->err);
		const char *acc = optind + 1 < argc ? argv[optind + 1] : cli->core.actor.account;
		if (!acc[0]) {
			err_set(&cli->err, MC_USAGE, "name the account: motcua key show ACCOUNT");
			return cli_fail(&cli->err);
		}
		return key_show(cli, acc);
	}
	if (strcmp(what, "create") || optind + 1 != argc)
		return cli_usage("key", "unknown action '%.20s'", what);
	int rc = cli_login(cli);
	if (rc)
		return rc;
	char pass[SIGN_PASS_MAX + 2], fpr[SIGN_FPR_LEN];
	if ((rc = cli_passphrase(file, fd, 1, pass, sizeof pass, &cli->err)) == 0)
		rc = sign_key_create(&cli->core, pass, replace, fpr, &cli->err);
	explicit_bzero(pass, sizeof pass);
	if (rc)
		return cli_fail(&cli->err);
	if (cli->json) {
		cli_json_print(json_pack("{s:s, s:s}", "account", cli->core.actor.account, "fingerprint", fpr));
		return 0;
	}
	char acc[256];
	text_sanitize(cli->core.actor.account, acc, sizeof acc);
	printf(_("signing key created for %s\nfingerprint %s\n"
	       "The private key is kept encrypted with your passphrase; motcua cannot recover a forgotten passphrase.\n"),
	       acc, fpr);
	return 0;
}

/* ---- verify and export ------------------------------------------------------------ */

/* open the store as a known user (or root) */
static int reader(struct cli *cli)
{
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	if (core_identify(&cli->core, cli->as, &cli->err))
		return cli_fail(&cli->err);
	if ((!cli->core.is_root || cli->as) && !cli->core.actor.id) {
		err_set(&cli->err, MC_DENIED, "the account '%s' is not a motcua user of this store", cli->core.os_account);
		return cli_fail(&cli->err);
	}
	return 0;
}

static int print_check(struct cli *cli, const char *code, const struct sign_check *s, const char *dir)
{
	char when[24];
	cal_format(s->signed_at, 1, when, sizeof when);
	if (cli->json) {
		json_t *j = json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s}", "code", code, "valid", 1, "kind", "Ed25519", "signer", s->signer,
				      "signed_at", when, "decision", s->decision, "key", s->fingerprint, "event", s->event_id);
		if (dir)
			json_object_set_new(j, "dir", json_string(dir));
		cli_json_print(j);
		return 0;
	}
	char c[CODE_LEN * 4], who[ACCOUNT_LEN * 4];
	text_sanitize(code, c, sizeof c);
	text_sanitize(s->signer, who, sizeof who);
	printf(_("signature valid: dossier %s, decision %s, signed by %s at %s\nkey %s\n"), c, s->decision, who, when, s->fingerprint);
	fputs(_("kind: Ed25519 key kept by motcua: an integrity seal, not a certificate signature\n"), stdout);
	return 0;
}

/* verify --file RESULT: the signed result document from the file alone: its SHA-256
 * names the dossier whose certificate signature covers it, which is then verified */
static int verify_result_file(struct cli *cli, const char *file)
{
	int rc = reader(cli);
	if (rc)
		return rc;
	char code[CODE_LEN], sha[65];
	if (attach_result_find(&cli->core, file, code, sizeof code, sha, &cli->err))
		return cli_fail(&cli->err);
	char line[1200];
	snprintf(line, sizeof line, _("%s (sha256 %s) is the result document of dossier %s"), file, sha, code);
	cli_print_safe(NULL, line);
	return cli_verify_cms(cli, code, NULL, 0);
}

int cmd_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"dir", 1, 0, 'd'}, {"file", 1, 0, 'f'}, {0, 0, 0, 0}};
	const char *dir = NULL, *file = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'd')
			dir = optarg;
		else if (o == 'f')
			file = optarg;
		else
			return cli_usage("verify", "unknown option '%s'", argv[optind - 1]);
	}
	if (file && optind == argc && !dir)
		return verify_result_file(cli, file);
	if (optind != argc - 1)
		return cli_usage("verify", "give exactly one dossier code");
	const char *code = argv[optind];
	int rc = reader(cli);
	if (rc)
		return rc;
	if (sign_cms_has(&cli->core, code))
		return cli_verify_cms(cli, code, dir, 0);
	struct sign_check s;
	rc = dir ? sign_verify_dir(&cli->core, code, dir, &s, &cli->err) : sign_verify(&cli->core, code, &s, &cli->err);
	if (rc)
		return cli_fail(&cli->err);
	return print_check(cli, code, &s, dir);
}

int cmd_signature(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"dir", 1, 0, 'd'}, {0, 0, 0, 0}};
	const char *dir = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'd')
			dir = optarg;
		else
			return cli_usage("signature", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind != argc - 2 || strcmp(argv[optind], "export") != 0)
		return cli_usage("signature", "say: signature export CODE --dir DIR");
	if (!dir)
		return cli_usage("signature", "--dir DIR is required");
	const char *code = argv[optind + 1];
	int rc = reader(cli);
	if (rc)
		return rc;
	if (sign_cms_has(&cli->core, code))
		return cli_verify_cms(cli, code, dir, 1);
	struct sign_check s;
	if (sign_export(&cli->core, code, dir, &s, &cli->err))
		return cli_fail(&cli->err);
	if (cli->json)
		return print_check(cli, code, &s, dir);
	char d[4096 * 4];
	text_sanitize(dir, d, sizeof d);
	printf(_("wrote %s/signed.bin, %s/sig.bin and %s/pub.pem\n"
	       "verify without motcua:\n  openssl pkeyutl -verify -pubin -inkey %s/pub.pem -rawin -in %s/signed.bin -sigfile %s/sig.bin\n"),
	       d, d, d, d, d, d);
	return 0;
}

/* ---- audit ------------------------------------------------------------------------ */

#define AUDIT_SHOW 50

struct audit_out { struct cli *cli; int shown; json_t *list; };

static int audit_line(const struct audit_problem *p, void *ctx)
{
	struct audit_out *o = ctx;
	if (o->list) {
		if (json_array_size(o->list) < 1000)
			json_array_append_new(o->list, json_pack("{s:s, s:s, s:i, s:s}", "code", p->code, "event", p->event_id,
								 "dseq", p->dseq, "problem", p->what));
		return 0;
	}
	if (o->shown++ < AUDIT_SHOW) {
		char line[600];
		audit_format(p, line, sizeof line);
		cli_print_safe(_("BROKEN"), line);
	}
	return 0;
}

static const char *checkpoint_state(int s)
{
	static const char *names[] = {"none", "used", "ignored", "changed", "forged"};
	return s >= 0 && s <= AUDIT_CP_FORGED ? names[s] : "none";
}

/* a full audit: how many signatures it checked and what the checkpoint covered */
static void audit_json_signatures(json_t *j, const struct audit_stats *st)
{
	char when[32] = "";
	if (st->checkpoint_at)
		cal_format(st->checkpoint_at, 1, when, sizeof when);
	json_object_set_new(j, "signatures_checked", json_integer(st->sig_checked));
	json_object_set_new(j, "signatures_covered", json_integer(st->sig_covered));
	json_object_set_new(j, "checkpoint", json_string(checkpoint_state(st->checkpoint)));
	json_object_set_new(j, "checkpoint_at", json_string(when));
	json_object_set_new(j, "checkpoint_recorded", json_integer(st->recorded));
}

static void audit_print_signatures(const struct audit_stats *st)
{
	char when[32] = "";
	if (st->checkpoint_at)
		cal_format(st->checkpoint_at, 1, when, sizeof when);
	if (st->checkpoint == AUDIT_CP_USED)
		printf(_("signatures of %lld events were checked at the audit of %s (its checkpoint proves them unchanged); %lld checked now\n"),
		       (long long)st->sig_covered, when, (long long)st->sig_checked);
	else if (st->checkpoint == AUDIT_CP_IGNORED)
		printf(_("signatures: %lld checked now, every one (--all-signatures: the checkpoint of the audit of %s was not used)\n"),
		       (long long)st->sig_checked, when);
	else
		printf(_("signatures: %lld checked now, every one\n"), (long long)st->sig_checked);
	if (st->recorded)
		printf(_("audit checkpoint recorded over these %lld events: the next audit checks the signatures only of events written after them\n"),
		       (long long)st->recorded);
	else if (st->record_err[0])
		fprintf(stderr, "motcua: %s\n", st->record_err);
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
	struct audit_opts ao = {0};
	const char *code = NULL;
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return cli_usage("audit", "say: audit verify [CODE] [--all-signatures]");
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--all-signatures"))
			ao.all_signatures = 1;
		else if (argv[i][0] != '-' && !code)
			code = argv[i];
		else
			return cli_usage("audit", "say: audit verify [CODE] [--all-signatures]");
	}
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	if (core_identify(&cli->core, cli->as, &cli->err))
		return cli_fail(&cli->err);
	unsigned may = ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER;
	if ((!cli->core.is_root || cli->as) && !(cli->core.actor.roles & may)) {
		err_set(&cli->err, MC_DENIED, "audit verify needs the role admin, supervisor or leader (or root)");
		return cli_fail(&cli->err);
	}
	struct audit_out o = {cli, 0, cli->json ? json_array() : NULL};
	struct audit_stats st;
	struct err e = {0};
	rc = audit_verify_opts(&cli->core, code, &ao, audit_line, &o, &st, &e);
	/* one dossier: its row must also be what its events say */
	if (code && rc == 0 && audit_projection(&cli->core, code, &e) == MC_INVALID) {
		rc = MC_INVALID;
		st.broken = 1;
		struct audit_problem p = {.dseq = 0};
		snprintf(p.code, sizeof p.code, "%s", code);
		const char *what = strstr(e.msg, ": ");
		snprintf(p.what, sizeof p.what, "%s", what ? what + 2 : e.msg);
		audit_line(&p, &o);
	}
	/* the attached files: present, intact, and none stored that no event attaches */
	int64_t bad_files = 0;
	struct err fe = {0};
	int frc = rc && rc != MC_INVALID ? 0 : attach_audit(&cli->core, code, audit_line, &o, &bad_files, &fe);
	if (frc && frc != MC_INVALID) {
		rc = frc;
		e = fe;
	} else if (frc && !rc) {
		rc = frc;
		e = fe;
	}
	st.broken += bad_files;
	if (rc && rc != MC_INVALID) {
		json_decref(o.list);
		return cli_fail(&e);
	}
	if (cli->json) {
		json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:o}", "dossiers", (json_int_t)st.dossiers, "events",
				      (json_int_t)st.events, "broken_count", (json_int_t)st.broken, "unsigned_before_signing",
				      (json_int_t)st.unsigned_old, "broken", o.list);
		audit_json_signatures(j, &st);
		cli_json_print(j);
	} else {
		if (o.shown > AUDIT_SHOW)
			printf(_("... and %d more broken dossiers\n"), o.shown - AUDIT_SHOW);
		if (st.broken)
			printf(_("checked %lld dossiers, %lld events: %lld broken\n"), (long long)st.dossiers,
			       (long long)st.events, (long long)st.broken);
		else
			printf(_("checked %lld dossiers, %lld events: every chain is intact\n"), (long long)st.dossiers,
			       (long long)st.events);
		if (st.unsigned_old)
			printf(_("%lld events are unsigned: written before their store began signing\n"), (long long)st.unsigned_old);
		if (!code)
			audit_print_signatures(&st);
		int64_t left = code ? 0 : attach_leftover(&cli->core);
		if (left)
			printf(_("note: %lld bytes at the end of the container of large files belong to no file (an attachment cut off by a crash); the next large attachment writes over them\n"),
			       (long long)left);
	}
	if (rc)
		fprintf(stderr, _("motcua: the event log was tampered with or damaged; first broken link:\n"));
	return rc ? cli_fail(&e) : 0;
}
