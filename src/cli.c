/* cli.c - the command table and shared helpers of the CLI.
 *
 * Owns command dispatch: main.c has parsed the global options (opts.h); cli_run
 * finds one command in cli_commands[] (or among the commands main hands over, the
 * UI's `keys`) and runs it on its own struct core.  Exit codes are the MC_* codes of
 * err.h: 0 success, 2 usage, 3 invalid input, 4 not found, ...
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "i18n.h"
#include "text.h"

const struct command cli_commands[] = {
	{"init", cmd_init, "--office CODE --name NAME [--level 1|2|3] [--admin ACCOUNT]", N_("create an empty store for an office")},
	{"demo", cmd_demo, "[--dossiers N] [--seed S] [--province] [--after-reform N]", N_("create the demo store (catalog, users, a quarter of dossiers)")},
	{"catalog", cmd_catalog, "list [--level L] | import FILE.csv | versions CODE | fetch (CODE...|--field CODE) [--config FILE] [--effective DATE]", N_("list, import or update the procedure catalog (also from the national catalogue); a procedure's versions")},
	{"holidays", cmd_holidays, "[--year Y] | import FILE.csv | changes YEAR | generate --year Y | add DATE NAME [--work]", N_("the calendar of a year (announced or provisional); import an announced schedule; the appointments a change would move")},
	{"users", cmd_users, "", N_("list the users of this store")},
	{"user", cmd_user, "add ACCOUNT --name NAME --roles R[,R] [--department CODE] [--office CODE]", N_("add a user")},
	{"whoami", cmd_whoami, "", N_("show who you act as")},
	{"receive", cmd_receive, "--procedure CODE --name NAME --id NUMBER [--business] [--phone P] [--address A] [--channel direct|postal|online] [--components 1,2|all] [--outcome accept|supplement|refuse] [--reason TEXT] [--resolver AGENCY] [--return-at AGENCY] [--email E] [--proxy-name N --proxy-id NUMBER [--proxy-address A] [--proxy-phone P] [--proxy-email E] [--proxy-doc TEXT]] [--reuse 1,2|all]", N_("receive a dossier at the one-stop")},
	{"office", cmd_office, "list | followed [--all] | set AGENCY --kind KIND [--name NAME --level 1|3] [--parent AGENCY] | receives|resolves|drop-receives|drop-resolves AGENCY PROCEDURE...", N_("the offices of the province since 1 July 2025 and the procedures each receives and resolves")},
	{"part", cmd_part, "agency PROCEDURE AGENCY --task TEXT --days N [--order N] [--lead] | drop-agency PROCEDURE AGENCY | flow PROCEDURE parallel|sequential|channel | agencies PROCEDURE | open CODE [--flow parallel|sequential] | list [--all] | show CODE | take CODE N [--to ACCOUNT] | return CODE N --result TEXT | apologise CODE N --until DATE --reason TEXT | reschedule CODE [N] | slip CODE N | report (--period P | --from DATE --until DATE)", N_("inter-agency processing (liên thông): the agencies a procedure needs, a dossier's parts at them, the transfer slip, the late agency's apology, late parts per agency")},
	{"accept", cmd_step, "CODE", N_("accept a dossier filed online")},
	{"transfer", cmd_step, "CODE [--department CODE]", N_("transfer to the competent department")},
	{"assign", cmd_step, "CODE --to ACCOUNT", N_("assign to a specialist (department head)")},
	{"propose", cmd_step, "CODE --decision approve|refuse [--note TEXT]", N_("propose a decision and send to the signer (specialist)")},
	{"send-back", cmd_step, "CODE --reason TEXT", N_("send back to the specialist (leader)")},
	{"sign", cmd_step, "CODE [--passphrase-file FILE | --passphrase-fd N] [--pin-file FILE] [--decision-no NUMBER]", N_("approve and sign the result (leader)")},
	{"return", cmd_step, "CODE --collected-by NAME --rating 1-5", N_("return the result to the applicant")},
	{"supplement", cmd_step, "CODE --reason TEXT", N_("request a supplement (the clock stops)")},
	{"resume", cmd_step, "CODE [--components 1,2|all]", N_("the supplement arrived (with the components it brought): the clock runs again")},
	{"refuse", cmd_step, "CODE --reason TEXT", N_("refuse a dossier at intake")},
	{"withdraw", cmd_step, "CODE --reason TEXT", N_("withdraw at the applicant's request")},
	{"stop", cmd_step, "CODE --reason TEXT", N_("stop processing (leader)")},
	{"extend", cmd_step, "CODE --until DATE --reason TEXT", N_("propose an apology letter with a new appointment (the leader issues it)")},
	{"issue-extension", cmd_step, "CODE", N_("issue the proposed apology letter and new appointment (leader)")},
	{"show", cmd_show, "CODE", N_("show a dossier")},
	{"history", cmd_history, "CODE", N_("show a dossier's events (the process-control sheet)")},
	{"search", cmd_search, "TEXT [--limit N]", N_("find dossiers by code, name, ID number or phone")},
	{"queue", cmd_queue, "[--limit N]", N_("what is yours to do now, by due date")},
	{"check", cmd_check, "", N_("check the store's integrity (PRAGMA integrity_check)")},
	{"report", cmd_report, "stats (--period 2024-Q1|2024-H1|2024-03|2024 [--calendar] | --from DATE --to DATE) [--by field|level|kstt] [--field CODE] [--all-offices] [--format text|csv|json] [--encoding E] [--out FILE] | kstt (the same options: form II.06a by level and field) | catalog [--format text|csv|json] [--encoding E] [--out FILE] | digital (--period P | --from DATE --to DATE) [--format text|csv|json] [--out FILE]", N_("statistics and catalog reports, the Decision 766 digitisation indicators")},
	{"form", cmd_form, "01-06 CODE | 07 (--period P | --from DATE --to DATE) [--out FILE | --print] [--encoding E]", N_("print a form (receipt, supplement, refusal, apology, stop, control sheet, register)")},
	{"dashboard", cmd_dashboard, "[--within N] [--oldest K] [--json]", N_("today's queues (a department head: their department)")},
	{"sync", cmd_sync, "[--central URL] [--batch N] [--watch [--interval S]] | status | key | export --out FILE | import REPLY | fetch CODE", N_("sync with the central database")},
	{"central", cmd_central, "init [--agency CODE] | publish | snapshot | submit-online --office AGENCY --procedure CODE --name NAME --id NUMBER [--business] [--phone P] [--address A] [--components 1,2|all] | withdraw CODE --reason TEXT | reroute CODE --to AGENCY --reason TEXT | conflicts [resolve CODE --keep EVENT-ID] | import FILE --reply REPLY | status [--office AGENCY] | files | key [list | approve AGENCY KEY | policy first-use|approved] | office add AGENCY --name NAME [--level 1-3] | office list | office role AGENCY [--create] [--password-file FILE] | department add CODE --office AGENCY --name NAME | department list [--office AGENCY] | procedure assign CODE --department DEPT | dashboard [--office AGENCY] [--by-field] [--list NUMBER [--field F]] | report [kstt] PERIOD [--office AGENCY] [--field F] [--format text|csv|json] [--encoding E] [--out FILE] | project [--follow [--interval S]] | verify [--since POS] [--format text|json]  (each with --central URL)", N_("central database administration")},
	{"portal", cmd_portal, "push [--limit N] | pull [--days N] | run [--interval S] [--max-wait S] | status | dead | resend CODE|--all | pay CODE --amount N | pay-confirm < CALLBACK | pay-query REF|--all | pay-bill REF (each with --central URL; push, pull, run and pay with --config FILE) | map", N_("the national portal link at central: push dossiers and progress, pull online dossiers, the outbox, dead letters")},
	{"fee", cmd_fee, "set PROCEDURE --line KIND:AMOUNT:NAME... [--step receive|result] | set PROCEDURE --clear | lines PROCEDURE | show CODE | pay CODE [--method cash|transfer] [--amount N | --line N...] [--ref REF] [--print | --out FILE] | pay CODE --method online --ref MaThamChieu [--central URL] | refund CODE --receipt NUMBER --amount N --reason TEXT [--print | --out FILE] | receipt CODE --receipt NUMBER [--print | --out FILE] [--encoding E] | due | report (--period P [--calendar] | --from DATE --to DATE) [--office AGENCY]", N_("fees: a procedure's fee lines, payments with numbered receipts, refunds, dossiers awaiting payment, fees collected per field")},
	{"conflicts", cmd_conflicts, "[resolve CODE --keep EVENT-ID]", N_("dossiers changed in two places")},
	{"key", cmd_key, "create [--replace] [--passphrase-file FILE | --passphrase-fd N] | show [ACCOUNT]", N_("create your signing key pair (asks the passphrase twice), or show a public key")},
	{"verify", cmd_verify, "CODE [--dir DIR] | --file RESULT", N_("verify a dossier's digital signature, or a signed result document from the file alone")},
	{"signature", cmd_signature, "export CODE --dir DIR", N_("export signed bytes, signature and public key for openssl")},
	{"attach", cmd_attach, "CODE --component N FILE... | CODE --result FILE", N_("attach scanned files (PDF, JPEG, PNG, TIFF) to a dossier's component (0: other papers), or the result document the leader's certificate signature covers")},
	{"files", cmd_files, "CODE", N_("list a dossier's attached files")},
	{"links", cmd_links, "CODE | fetch CODE N [--component M]", N_("the files an online dossier's applicant filed on the portal, by their links; fetch one into the dossier's attachments")},
	{"reuse", cmd_reuse, "--id NUMBER --procedure CODE [--business] | CODE [--component N [--from EVENT-ID]]", N_("an applicant's earlier digitised papers that fit a procedure's components, and reusing one on a dossier")},
	{"file", cmd_file, "export|check|print CODE [--n N] [--dir DIR] | set scan.dir|export.dir|attach.max_mb|attach.dossier_max_mb VALUE", N_("export attached files to a directory, check their SHA-256, or print them; the scanner folder and limits (administrator)")},
	{"trust", cmd_trust, "add FILE [--sha256 FINGERPRINT] | crl FILE | list | remove FINGERPRINT | tsa URL | ocsp aia|URL|off", N_("the CA certificates and CRLs that certificate signatures are checked against (admin)")},
	{"cert", cmd_cert, "assign USER FILE.pem --title TITLE | list [USER] | unassign FINGERPRINT", N_("which signer a token's certificate belongs to (admin)")},
	{"token", cmd_token, "module PATH | show", N_("the PKCS#11 module of the signing tokens (admin)")},
	{"audit", cmd_audit, "verify [CODE] [--all-signatures]", N_("walk the event hash chains and name the first broken link")},
	{0, 0, 0, 0},
};

static const struct command *extra_commands; /* handed over by main (cli_run) */

static const struct command *find(const char *name)
{
	for (const struct command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	for (const struct command *c = extra_commands; c && c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* what the CLI adds to a core message with a hint (err.h): the flag or command */
static const char *const hint_text[HINT_COUNT] = {
	[HINT_DEPARTMENT] = N_("choose one of this office's departments with --department CODE"),
	[HINT_PERIOD] = N_("give --period 2024-Q1|2024-03|2024, or --from DATE --to DATE"),
	[HINT_PRINT_FILE] = N_("or write the form to a file with --out FILE"),
	[HINT_PRINTER] = N_("set the setting 'printer' or $PRINTER, or use --out FILE"),
	[HINT_KEY_CREATE] = N_("create one with 'motcua key create'"),
	[HINT_KEY_REPLACE] = N_("to replace it use --replace"),
	[HINT_STORE_CREATE] = N_("create one with 'motcua init' or 'motcua demo', or pass --db PATH"),
	[HINT_OFFICE_CREATE] = N_("create it with 'motcua init --office CODE ...'"),
	[HINT_CENTRAL_URL] = N_("pass --central URL (sqlite:PATH or postgresql://...) once; it is remembered"),
	[HINT_CENTRAL_INIT] = N_("run 'motcua central init --central URL'"),
	[HINT_CATALOG_LIST] = N_("see 'motcua catalog list'"),
	[HINT_USERS_LIST] = N_("see 'motcua users'"),
	[HINT_ACT_AS] = N_("as root, use --as USER"),
};

/* the core's message (err_print), then what the CLI adds to a hint: the flag or command */
int cli_fail(const struct err *e)
{
	int rc = err_print(e);
	if (e->hint > HINT_NONE && e->hint < HINT_COUNT && hint_text[e->hint])
		fprintf(stderr, "motcua: %s\n", _(hint_text[e->hint]));
	return rc;
}

void cli_print_err(const char *fmt, ...)
{
	char msg[512], safe[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, gettext(fmt), ap);
	va_end(ap);
	text_sanitize(msg, safe, sizeof safe);
	fprintf(stderr, "%s\n", safe);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, gettext(fmt), ap);
	va_end(ap);
	const struct command *c = find(cmd);
	char safe[1024];
	text_sanitize(msg, safe, sizeof safe); /* messages quote arguments: never raw */
	fprintf(stderr, _("motcua %s: %s\nusage: motcua %s %s\n"), cmd, safe, cmd, c ? c->usage : "");
	return MC_USAGE;
}

int cli_help_requested(const char *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			const struct command *c = find(cmd);
			if (c)
				printf(_("usage: motcua %s %s\n%s\n"), c->name, c->usage, gettext(c->help));
			return 1;
		}
	return 0;
}

void cli_print_safe(const char *label, const char *text)
{
	char safe[8192];
	text_sanitize(text ? text : "", safe, sizeof safe);
	if (label) {
		int pad = 14 - text_width(label); /* a label in Vietnamese: pad by columns */
		printf("%s%*s %s\n", label, pad > 0 ? pad : 0, "", safe);
	}
	else
		printf("%s\n", safe);
}

/* JSON text with the characters a terminal would obey (C1 controls, bidi controls,
 * line/paragraph separators, DEL) written as \uXXXX: the same JSON value, never raw.
 * jansson already escapes C0 controls inside strings and only emits valid UTF-8;
 * the indentation's newlines are the only raw control characters left. */
static void json_put_safe(const char *s, FILE *f)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = 0;
		int len = 1;
		if (p[0] == 0x7f || (p[0] < 0x20 && p[0] != '\n')) { /* DEL (jansson leaves it raw), any C0 left */
			cp = p[0];
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			cp = p[1];
			len = 2;
		} else if (p[0] == 0xd8 && p[1] == 0x9c) {
			cp = 0x061c;
			len = 2;
		} else if (p[0] == 0xe2 && (p[1] == 0x80 || p[1] == 0x81) && p[2]) {
			unsigned c = 0x2000 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			if (c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
				cp = c;
				len = 3;
			}
		}
		if (cp)
			fprintf(f, "\\u%04x", cp);
		else
			fwrite(p, 1, (size_t)len, f);
		p += len;
	}
}

void cli_json_print(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s) {
		json_put_safe(s, stdout);
		putchar('\n');
	}
	free(s);
	json_decref(j);
}

int cli_open(struct cli *cli, int create)
{
	if (cli->opened)
		return 0;
	if (core_open(&cli->core, cli->db, create ? CORE_CREATE : 0, &cli->err))
		return cli_fail(&cli->err);
	cli->opened = 1;
	return 0;
}

int cli_login(struct cli *cli)
{
	if (cli_open(cli, 0))
		return cli->err.code ? cli->err.code : 1;
	if (core_login(&cli->core, cli->as, &cli->err))
		return cli_fail(&cli->err);
	return 0;
}

int cli_admin(struct cli *cli)
{
	if (cli_open(cli, 0))
		return cli->err.code ? cli->err.code : 1;
	if (core_identify(&cli->core, cli->as, &cli->err))
		return cli_fail(&cli->err);
	if (cli->core.is_root && !cli->as)
		return 0;
	if (!(cli->core.actor.roles & ROLE_ADMIN)) {
		err_set(&cli->err, MC_DENIED, "this needs the admin role (or root)");
		return cli_fail(&cli->err);
	}
	return 0;
}

void cli_usage_all(FILE *f, const struct command *extra)
{
	fputs(_("usage: motcua [--db PATH] [--json] [--as USER] [--charset CS] [COMMAND ...]\n"
		"Without a command, motcua opens the terminal UI.\n\nCommands:\n"), f);
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, gettext(c->help));
	for (const struct command *c = extra; c && c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, gettext(c->help));
	fputs(_("\n'motcua COMMAND --help' shows a command's arguments.\n"
		"Store: --db, else $MOTCUA_DB, else $XDG_DATA_HOME/motcua/motcua.db.\n"), f);
}

int cli_run(const struct opts *o, const struct command *extra, int argc, char **argv)
{
	static struct cli cli;
	snprintf(cli.db, sizeof cli.db, "%s", o->db);
	cli.as = o->as;
	cli.json = o->json;
	cli.charset = o->charset;
	extra_commands = extra;
	const struct command *c = find(argv[0]);
	if (!c) {
		cli_print_err("motcua: unknown command '%.40s'; see 'motcua --help'", argv[0]);
		return MC_USAGE;
	}
	if (cli_help_requested(c->name, argc, argv))
		return 0;
	optind = 0; /* commands parse their own argv, argv[0] being the command */
	int rc = c->run(&cli, argc, argv);
	if (cli.opened)
		core_close(&cli.core);
	return rc;
}

const char *cli_pad(const char *label, int cols, char *buf, size_t n)
{
	int w = text_width(label);
	snprintf(buf, n, "%s%*s", label, w < cols ? cols - w : 0, "");
	return buf;
}
