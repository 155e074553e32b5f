/* cli_report.c - the commands `report`, `form` and `dashboard` (report.h, forms.h,
 * dashboard.h): argument checking, who may run them, and where the output goes.
 *
 * Output is built in memory as UTF-8, then converted to the asked encoding and written
 * to stdout, a file (--out) or the printer (form --print) by forms_output.  JSON is
 * always UTF-8 and goes through cli_json_print.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "charset.h"
#include "cli.h"
#include "fees.h"
#include "i18n.h"
#include "dashboard.h"
#include "forms.h"
#include "report.h"

int cmd_report_digital(struct cli *cli, int argc, char **argv);

/* open and say who acts; report_stats and dashboard_load check the role themselves */
static int report_open(struct cli *cli)
{
	if (cli_open(cli, 0))
		return cli->err.code ? cli->err.code : 1;
	if (core_identify(&cli->core, cli->as, &cli->err))
		return cli_fail(&cli->err);
	return 0;
}

/* forms are for the roles that handle dossiers */
static int report_login(struct cli *cli, const char *cmd, unsigned roles)
{
	int rc = report_open(cli);
	if (rc)
		return rc;
	if (cli->core.is_root && !cli->as)
		return 0;
	if (!cli->core.actor.id || !cli->core.actor.active) {
		err_set(&cli->err, MC_DENIED, "'%s' is not an active motcua user of this store", cli->core.os_account);
		return cli_fail(&cli->err);
	}
	if (!(cli->core.actor.roles & roles)) {
		err_set(&cli->err, MC_DENIED, "%s needs the supervisor, leader, head or admin role", cmd);
		return cli_fail(&cli->err);
	}
	return 0;
}

/* a report over years takes seconds: say how far it is (on a terminal only) */
static void progress(long seen, void *arg)
{
	(void)arg;
	fputc('\r', stderr);
	fprintf(stderr, _("report: %ld dossiers..."), seen);
}

/* write UTF-8 text in the encoding (CSV: with a BOM when UTF-8) */
static int emit(struct cli *cli, const char *text, const char *encoding, const char *out, int bom)
{
	char msg[256];
	struct charset *cs = charset_open(encoding ? encoding : "utf-8", msg, sizeof msg);
	if (!cs) {
		err_set(&cli->err, MC_INVALID, "%s", msg);
		return cli_fail(&cli->err);
	}
	int utf8 = charset_is_utf8(cs);
	charset_close(cs);
	char *buf = NULL;
	if (bom && utf8) {
		size_t l = strlen(text);
		buf = malloc(l + 4);
		if (!buf) {
			err_set(&cli->err, MC_STORE, "out of memory");
			return cli_fail(&cli->err);
		}
		memcpy(buf, "\xef\xbb\xbf", 3);
		memcpy(buf + 3, text, l + 1);
		text = buf;
	}
	int rc = forms_output(&cli->core, text, encoding, out, 0, &cli->err);
	free(buf);
	return rc ? cli_fail(&cli->err) : 0;
}

static int emit_json(struct cli *cli, char *s, const char *encoding, const char *out)
{
	if (!s) {
		err_set(&cli->err, MC_STORE, "out of memory");
		return cli_fail(&cli->err);
	}
	int rc = 0;
	if (encoding && strcmp(encoding, "utf-8") && strcmp(encoding, "utf8") && strcmp(encoding, "UTF-8")) {
		err_set(&cli->err, MC_INVALID, "JSON is always UTF-8: drop --encoding or use --format csv|text");
		rc = cli_fail(&cli->err);
	} else if (out) {
		rc = emit(cli, s, NULL, out, 0);
	} else {
		puts(s); /* every string in it went through text_sanitize */
	}
	free(s);
	return rc;
}

enum { F_TEXT = 1, F_CSV, F_JSON };

static int parse_format(const char *s)
{
	return !strcmp(s, "text") ? F_TEXT : !strcmp(s, "csv") ? F_CSV : !strcmp(s, "json") ? F_JSON : 0;
}

/* render into memory through a FILE */
typedef void (*render_fn)(const void *r, FILE *f);

static char *render(render_fn fn, const void *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fn(r, f);
	fclose(f);
	return buf;
}

static void r_text(const void *r, FILE *f) { report_text(r, f); }
static void r_csv(const void *r, FILE *f) { report_csv(r, f); }
static void c_text(const void *r, FILE *f) { report_catalog_text(r, f); }
static void c_csv(const void *r, FILE *f) { report_catalog_csv(r, f); }

/* render r by fn and write it (emit) */
static int emit_render(struct cli *cli, render_fn fn, const void *r, const char *encoding, const char *out, int csv)
{
	char *s = render(fn, r);
	int rc = s ? emit(cli, s, encoding, out, csv) : MC_STORE;
	free(s);
	return rc;
}

int cli_encoding_check(struct cli *cli, const char *encoding)
{
	if (!encoding)
		return 0;
	char msg[256];
	struct charset *cs = charset_open(encoding, msg, sizeof msg);
	if (!cs) {
		err_set(&cli->err, MC_INVALID, "%s", msg);
		return cli_fail(&cli->err);
	}
	charset_close(cs);
	return 0;
}

int cli_report_output(struct cli *cli, const struct report *r, const char *format, const char *encoding, const char *out)
{
	int rc = cli_encoding_check(cli, encoding); /* an unknown encoding is refused before anything is written */
	if (rc)
		return rc;
	if (!strcmp(format, "json"))
		return emit_json(cli, report_json(r), encoding, out);
	int csv = !strcmp(format, "csv");
	return emit_render(cli, csv ? r_csv : r_text, r, encoding, out, csv);
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", 1, 0, 'f'}, {"to", 1, 0, 't'}, {"period", 1, 0, 'p'}, {"by", 1, 0, 'b'},
		{"field", 1, 0, 'F'}, {"format", 1, 0, 'o'}, {"encoding", 1, 0, 'e'}, {"out", 1, 0, 'O'},
		{"calendar", 0, 0, 'c'}, {"all-offices", 0, 0, 'A'}, {0, 0, 0, 0}};
	if (cli_help_requested("report", argc, argv))
		return 0;
	if (argc < 2)
		return cli_usage("report", "say which report: stats, kstt, catalog or digital");
	const char *what = argv[1];
	if (!strcmp(what, "digital")) /* cli_report_digital.c: the Decision 766 digitisation indicators */
		return cmd_report_digital(cli, argc, argv);
	/* kstt: form II.06a/VPCP/KSTT, the statistics by level and field */
	int kstt = !strcmp(what, "kstt") || !strcmp(what, "II.06a");
	int stats = !strcmp(what, "stats") || kstt, catalog = !strcmp(what, "catalog");
	if (!stats && !catalog)
		return cli_usage("report", "unknown report '%.40s': stats, kstt, catalog or digital", what);
	const char *from = NULL, *to = NULL, *period = NULL, *field = NULL, *enc = NULL, *out = NULL;
	int by = kstt ? REP_BY_KSTT : REP_BY_FIELD, format = cli->json ? F_JSON : F_TEXT, o, calendar = 0, all_offices = 0;
	/* options after the report's name: parse argv + 1 (optind is 0: a fresh scan) */
	argc--;
	argv++;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'p': period = optarg; break;
		case 'F': field = optarg; break;
		case 'e': enc = optarg; break;
		case 'O': out = optarg; break;
		case 'c': calendar = 1; break;
		case 'A': all_offices = 1; break;
		case 'b':
			if (!strcmp(optarg, "field"))
				by = REP_BY_FIELD;
			else if (!strcmp(optarg, "level"))
				by = REP_BY_LEVEL;
			else if (!strcmp(optarg, "kstt"))
				by = REP_BY_KSTT;
			else
				return cli_usage("report", "unknown breakdown '--by %.40s': field, level or kstt", optarg);
			break;
		case 'o':
			if (!(format = parse_format(optarg)))
				return cli_usage("report", "unknown format '%.40s': text, csv or json", optarg);
			break;
		default: return cli_usage("report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("report", "unexpected argument '%.40s'", argv[optind]);
	int rc = cli_encoding_check(cli, enc); /* an unknown encoding is refused before any work */
	if (rc)
		return rc;
	if (catalog) {
		if (from || to || period || field || calendar || all_offices)
			return cli_usage("report", "the catalog report takes no period or field");
		if ((rc = report_open(cli)))
			return rc;
		if (core_require(&cli->core, REPORT_ROLES, CORE_FOR_REPORTS, &cli->err))
			return cli_fail(&cli->err);
		struct catalog_report cr;
		if (report_catalog(&cli->core, &cr, &cli->err))
			return cli_fail(&cli->err);
		if (format == F_JSON)
			rc = emit_json(cli, report_catalog_json(&cr), enc, out);
		else
			rc = emit_render(cli, format == F_CSV ? c_csv : c_text, &cr, enc, out, format == F_CSV);
		report_catalog_free(&cr);
		return rc;
	}
	int64_t p0, p1;
	if (calendar && !period)
		return cli_usage("report", "--calendar goes with --period (dates given with --from and --to are used as they are)");
	if (report_period(period, from, to, calendar, &p0, &p1, &cli->err))
		return cli->err.code == MC_USAGE ? cli_usage("report", "%s", cli->err.msg) : cli_fail(&cli->err);
	if ((rc = report_open(cli)))
		return rc;
	struct report r;
	memset(&r, 0, sizeof r);
	r.calendar = period ? calendar : -1;
	r.all_offices = all_offices;
	if (isatty(2))
		r.progress = progress;
	int failed = report_stats(&cli->core, p0, p1, by, field, &r, &cli->err);
	if (r.progress && r.seen >= 20000)
		fprintf(stderr, "\r%*s\r", 40, "");
	if (failed)
		return cli_fail(&cli->err);
	if (format == F_JSON) {
		rc = emit_json(cli, report_json(&r), enc, out);
	} else {
		char *s = render(format == F_CSV ? r_csv : r_text, &r);
		char *fs = s && format == F_TEXT ? fees_report_section(&cli->core, p0, p1) : NULL; /* fees (fees.h) */
		char *all = NULL;
		if (fs && asprintf(&all, "%s%s", s, fs) < 0)
			all = NULL;
		rc = s ? emit(cli, all ? all : s, enc, out, format == F_CSV) : MC_STORE;
		free(all);
		free(fs);
		free(s);
	}
	report_free(&r);
	return rc;
}

int cmd_form(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", 1, 0, 'f'}, {"to", 1, 0, 't'}, {"period", 1, 0, 'p'}, {"out", 1, 0, 'O'},
		{"encoding", 1, 0, 'e'}, {"print", 0, 0, 'P'}, {0, 0, 0, 0}};
	if (cli_help_requested("form", argc, argv))
		return 0;
	const char *from = NULL, *to = NULL, *period = NULL, *out = NULL, *enc = NULL;
	const char *pos[2] = {NULL, NULL};
	int npos = 0, print = 0, o;
	/* positional arguments may come before or after the options (getopt permutes) */
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'p': period = optarg; break;
		case 'O': out = optarg; break;
		case 'e': enc = optarg; break;
		case 'P': print = 1; break;
		default: return cli_usage("form", "unknown option '%s'", argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		if (npos == 2)
			return cli_usage("form", "unexpected argument '%.40s'", argv[optind]);
		pos[npos++] = argv[optind];
	}
	if (!pos[0])
		return cli_usage("form", "say which form: 01 to 07");
	if (out && print)
		return cli_usage("form", "--out and --print exclude each other");
	int64_t p0 = 0, p1 = 0;
	int reg = atoi(pos[0]) == 7 || !strcmp(pos[0], "REGISTER");
	if (reg) {
		if (pos[1])
			return cli_usage("form", "form 07 (the register) takes a period, not a dossier code");
		/* the register is kept per calendar year (Circular 01/2018 Art. 10) */
		if (report_period(period, from, to, 1, &p0, &p1, &cli->err))
			return cli->err.code == MC_USAGE ? cli_usage("form", "%s", cli->err.msg) : cli_fail(&cli->err);
	} else if (period || from || to) {
		return cli_usage("form", "only form 07 (the register) takes a period");
	}
	int rc = cli_encoding_check(cli, enc);
	if (rc)
		return rc;
	rc = report_login(cli, "form", ROLE_CLERK | ROLE_HEAD | ROLE_SPECIALIST | ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN);
	if (rc)
		return rc;
	struct strbuf t = {0};
	if (forms_build(&cli->core, pos[0], pos[1], p0, p1, &t, &cli->err)) {
		strbuf_release(&t);
		return cli->err.code == MC_USAGE ? cli_usage("form", "%s", cli->err.msg) : cli_fail(&cli->err);
	}
	rc = forms_output(&cli->core, t.buf ? t.buf : "", enc, out, print, &cli->err);
	strbuf_release(&t);
	if (rc)
		return cli_fail(&cli->err);
	if (print)
		fprintf(stderr, _("motcua: form %s sent to the printer\n"), pos[0]);
	return 0;
}

int cmd_dashboard(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"within", 1, 0, 'w'}, {"oldest", 1, 0, 'o'}, {"json", 0, 0, 'j'},
					     {"repeat", 1, 0, 'r'}, {0, 0, 0, 0}};
	if (cli_help_requested("dashboard", argc, argv))
		return 0;
	int within = -1, oldest = 3, repeat = 1, o;
	char *end;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'w':
			within = (int)strtol(optarg, &end, 10);
			if (*end || !*optarg || within < 0 || within > 60)
				return cli_usage("dashboard", "--within takes 0 to 60 working days");
			break;
		case 'o':
			oldest = (int)strtol(optarg, &end, 10);
			if (*end || !*optarg || oldest < 0 || oldest > 100)
				return cli_usage("dashboard", "--oldest takes 0 to 100");
			break;
		case 'r': /* benchmarks: time N refreshes in one process */
			repeat = (int)strtol(optarg, &end, 10);
			if (*end || repeat < 1 || repeat > 100000)
				return cli_usage("dashboard", "--repeat takes 1 to 100000");
			break;
		case 'j': cli->json = 1; break;
		default: return cli_usage("dashboard", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("dashboard", "unexpected argument '%.40s'", argv[optind]);
	int rc = report_open(cli);
	if (rc)
		return rc;
	struct dashboard d;
	for (int i = 0; i < repeat; i++) {
		if (i)
			dashboard_free(&d);
		if (dashboard_load(&cli->core, within, &d, &cli->err))
			return cli_fail(&cli->err);
	}
	if (cli->json) {
		char *s = dashboard_json(&d, oldest);
		if (s)
			puts(s); /* every string in it went through text_sanitize */
		free(s);
	} else {
		dashboard_text(&d, stdout, oldest);
	}
	dashboard_free(&d);
	return 0;
}
