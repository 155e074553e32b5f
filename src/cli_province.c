/* cli_province.c - `motcua central dashboard|report`: the province seen from central
 * (src/province.c) for provincial supervisors, leaders and central's administrators.
 */
#include <getopt.h>
#include <jansson.h>
#include <libintl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "calendar.h"
#include "cli.h"
#include "i18n.h"
#include "central_rls.h"
#include "province.h"
#include "text.h"

static const char *account_of(struct cli *cli)
{
	if (getuid() == 0 && cli->as)
		return cli->as;
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_name : "?";
}

static struct central *open_province(struct cli *cli, const char *url, int *rc)
{
	struct central *cen = central_open(url, 0, &cli->err);
	if (!cen) {
		*rc = cli_fail(&cli->err);
		return NULL;
	}
	if (!(getuid() == 0 && !cli->as) && province_authorize(cen, account_of(cli), &cli->err)) {
		*rc = cli_fail(&cli->err);
		central_close(cen);
		return NULL;
	}
	*rc = 0;
	return cen;
}

static void when(int64_t t, char *buf, int n)
{
	if (t)
		cal_format(t, 1, buf, n);
	else
		snprintf(buf, (size_t)n, "%s", _("never"));
}

static int print_code(const char *code, const char *office, int stage, int64_t due, void *ctx)
{
	struct cli *cli = ctx;
	char d[24] = "", line[300];
	if (due)
		cal_format(due, 1, d, sizeof d);
	if (cli->json) {
		cli_json_print(json_pack("{s:s, s:s, s:i, s:s}", "code", code, "office", office, "stage", stage, "due", d));
		return 0;
	}
	snprintf(line, sizeof line, "%-28s %-16s %3d  %s", code, office, stage, d);
	cli_print_safe(NULL, line);
	return 0;
}

static json_t *line_json(const struct prov_line *l)
{
	json_t *o = json_pack("{s:s, s:s}", "office", l->office, "field", l->field);
	for (int k = 0; k < PD_COUNT; k++)
		json_object_set_new(o, province_col_key(k), json_integer(l->v[k]));
	return o;
}

static void dash_print(struct cli *cli, const struct prov_dash *d, int stale_min)
{
	char line[400], t[24];
	if (cli->json) {
		json_t *o = json_object(), *ls = json_array(), *offs = json_array(), *old = json_array();
		for (int i = 0; i < d->nlines; i++)
			json_array_append_new(ls, line_json(&d->lines[i]));
		for (int i = 0; i < d->noffices; i++) {
			when(d->offices[i].at, t, sizeof t);
			json_array_append_new(offs, json_pack("{s:s, s:s, s:I, s:b}", "office", d->offices[i].office, "last_sync", t,
							      "at", (json_int_t)d->offices[i].at, "stale",
							      d->offices[i].at < d->now - stale_min * 60));
		}
		for (int i = 0; i < d->noldest; i++)
			json_array_append_new(old, json_pack("{s:s, s:s, s:i, s:I}", "code", d->oldest[i].code, "office",
							     d->oldest[i].office, "stage", d->oldest[i].stage, "accepted_at",
							     (json_int_t)d->oldest[i].accepted_at));
		json_object_set_new(o, "lines", ls);
		json_object_set_new(o, "total", line_json(&d->total));
		json_object_set_new(o, "offices", offs);
		json_object_set_new(o, "oldest", old);
		cli_json_print(o);
		return;
	}
	printf("%-16s %-8s %6s %6s %6s %6s %6s %6s %6s %6s %6s\n", _("office"), _("field"), _("recv"), _("due"), _("late"),
	       _("open"), _("online"), _("accept"), _("proc"), _("sign"), _("suppl"));
	for (int i = 0; i <= d->nlines; i++) {
		const struct prov_line *l = i < d->nlines ? &d->lines[i] : &d->total;
		snprintf(line, sizeof line, "%-16s %-8s %6ld %6ld %6ld %6ld %6ld %6ld %6ld %6ld %6ld",
			 i < d->nlines ? l->office : _("total"), l->field, l->v[PD_RECEIVED_TODAY], l->v[PD_DUE_TODAY],
			 l->v[PD_OVERDUE], l->v[PD_OPEN], l->v[PD_ONLINE], l->v[PD_ACCEPTED] + l->v[PD_DEPT],
			 l->v[PD_PROCESSING], l->v[PD_SIGNING], l->v[PD_SUPPLEMENT]);
		cli_print_safe(NULL, line);
	}
	if (d->noldest) {
		printf("%s\n", _("Oldest dossiers in progress:"));
		for (int i = 0; i < d->noldest; i++) {
			cal_format(d->oldest[i].accepted_at, 1, t, sizeof t);
			snprintf(line, sizeof line, "  %-28s %-16s %s", d->oldest[i].code, d->oldest[i].office, t);
			cli_print_safe(NULL, line);
		}
	}
	int stale = 0;
	for (int i = 0; i < d->noffices; i++)
		if (d->offices[i].at < d->now - stale_min * 60) {
			if (!stale++)
				printf(_("Offices not synced for %d minutes or more:\n"), stale_min);
			when(d->offices[i].at, t, sizeof t);
			snprintf(line, sizeof line, "  %-16s %s  %s", d->offices[i].office, t, d->offices[i].name);
			cli_print_safe(NULL, line);
		}
}

static int dashboard(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"central", 1, 0, 'c'}, {"office", 1, 0, 'o'}, {"by-field", 0, 0, 'f'},
					    {"list", 1, 0, 'l'}, {"field", 1, 0, 'F'}, {"stale", 1, 0, 's'},
					    {"limit", 1, 0, 'n'}, {0, 0, 0, 0}};
	const char *url = NULL, *office = NULL, *list = NULL, *field = NULL;
	int by_field = 0, stale = 60, limit = 200, o;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': url = optarg; break;
		case 'o': office = optarg; break;
		case 'f': by_field = 1; break;
		case 'l': list = optarg; break;
		case 'F': field = optarg; break;
		case 's': stale = atoi(optarg); break;
		case 'n': limit = atoi(optarg); break;
		default: return cli_usage("central", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!url)
		return cli_usage("central", "--central URL is required (sqlite:PATH or postgresql://...)");
	if (optind < argc)
		return cli_usage("central", "unexpected '%.40s' after 'central dashboard'", argv[optind]);
	if (stale < 1 || limit < 1 || limit > 10000)
		return cli_usage("central", "--stale takes minutes (1 or more) and --limit 1 to 10000");
	int col = list ? province_col_parse(list) : 0;
	if (list && col < 0)
		return cli_usage("central", "unknown dashboard number '%.40s': use received_today, due_today, overdue, open,"
				 " online, accepted, department, processing, signing, supplement or result", list);
	int rc;
	struct central *cen = open_province(cli, url, &rc);
	if (!cen)
		return rc;
	int64_t now = time(NULL);
	if (list) {
		if (province_list(cen, col, office, field, now, limit, print_code, cli, &cli->err))
			rc = cli_fail(&cli->err);
	} else {
		struct prov_dash d;
		if (province_dashboard(cen, office, by_field, now, &d, &cli->err))
			rc = cli_fail(&cli->err);
		else {
			dash_print(cli, &d, stale);
			province_dashboard_free(&d);
		}
	}
	central_close(cen);
	return rc;
}

static int report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"central", 1, 0, 'c'}, {"office", 1, 0, 'o'}, {"from", 1, 0, 'f'},
					    {"to", 1, 0, 't'}, {"period", 1, 0, 'p'}, {"calendar", 0, 0, 'C'},
					    {"format", 1, 0, 'F'}, {"field", 1, 0, 'L'}, {"encoding", 1, 0, 'e'},
					    {"out", 1, 0, 'O'}, {0, 0, 0, 0}};
	const char *url = NULL, *office = NULL, *from = NULL, *to = NULL, *period = NULL, *format = cli->json ? "json" : "text";
	const char *field = NULL, *enc = NULL, *out = NULL;
	int calendar = 0, o, kstt = 0;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': url = optarg; break;
		case 'o': office = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'p': period = optarg; break;
		case 'C': calendar = 1; break;
		case 'F': format = optarg; break;
		case 'L': field = optarg; break;
		case 'e': enc = optarg; break;
		case 'O': out = optarg; break;
		default: return cli_usage("central", "unknown option '%s'", argv[optind - 1]);
		}
	}
	/* which report: the statistics by field (stats, the default) or form II.06a (kstt) */
	if (optind < argc && (!strcmp(argv[optind], "kstt") || !strcmp(argv[optind], "II.06a")))
		kstt = ++optind;
	else if (optind < argc && !strcmp(argv[optind], "stats"))
		optind++;
	if (field && !kstt)
		return cli_usage("central", "--field is only for form II.06a: use 'central report kstt --field FIELD'");
	if (!period && optind < argc)
		period = argv[optind++];
	if (!url)
		return cli_usage("central", "--central URL is required (sqlite:PATH or postgresql://...)");
	if (optind < argc)
		return cli_usage("central", "unexpected '%.40s' after 'central report'", argv[optind]);
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv"))
		return cli_usage("central", "unknown format '%.40s': text, csv or json", format);
	int64_t p0, p1;
	if (report_period(period, from, to, calendar, &p0, &p1, &cli->err))
		return cli_fail(&cli->err);
	int rc;
	struct central *cen = open_province(cli, url, &rc);
	if (!cen)
		return rc;
	struct report r;
	if (kstt ? province_report_kstt(cen, office, field, p0, p1, time(NULL), &r, &cli->err) :
		   province_report(cen, office, p0, p1, time(NULL), &r, &cli->err))
		rc = cli_fail(&cli->err);
	else {
		r.calendar = period ? calendar : -1;
		rc = cli_report_output(cli, &r, format, enc, out); /* as an office's report writes it */
		report_free(&r);
	}
	central_close(cen);
	return rc;
}

/* central office role AGENCY [--create] [--password-file FILE] */
static int office_role(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"central", 1, 0, 'c'}, {"create", 0, 0, 'C'}, {"password-file", 1, 0, 'p'},
					    {0, 0, 0, 0}};
	const char *url = NULL, *pwfile = NULL;
	int create = 0, o;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': url = optarg; break;
		case 'C': create = 1; break;
		case 'p': pwfile = optarg; break;
		default: return cli_usage("central", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!url)
		return cli_usage("central", "--central URL is required (sqlite:PATH or postgresql://...)");
	if (argc - optind != 2)
		return cli_usage("central", "say 'central office role AGENCY [--create] [--password-file FILE]'");
	const char *agency = argv[optind + 1];
	char pw[256] = "";
	if (pwfile) {
		FILE *f = fopen(pwfile, "r");
		if (!f || !fgets(pw, sizeof pw, f)) {
			if (f)
				fclose(f);
			err_set(&cli->err, MC_IO, "cannot read the password from %s", pwfile);
			return cli_fail(&cli->err);
		}
		fclose(f);
		pw[strcspn(pw, "\r\n")] = 0;
	}
	struct central *cen = central_open(url, 0, &cli->err);
	if (!cen)
		return cli_fail(&cli->err);
	int rc = cli_central_admin(cli, cen, "office");
	char sql[512], role[80], line[700];
	if (!rc && central_office_role(cen, agency, pwfile ? pw : NULL, create, sql, sizeof sql, &cli->err))
		rc = cli_fail(&cli->err);
	if (!rc) {
		central_office_role_name(agency, role, sizeof role);
		if (create)
			snprintf(line, sizeof line, gettext("office %s connects to central as the PostgreSQL role %s: give it that user"
							    " in its central URL (sslmode=verify-full)"), agency, role);
		else
			snprintf(line, sizeof line, gettext("office %s's role is %s; to create it run as central's owner: %s"), agency, role,
				 sql);
		cli_print_safe(NULL, line);
	}
	central_close(cen);
	return rc;
}

static volatile sig_atomic_t follow_stop;

static void follow_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* central project --follow: the projector as a service, every interval seconds until
 * SIGTERM; central unreachable: said once, then tried again (a new connection) */
static int follow(struct cli *cli, struct central **cenp, const char *url, int interval)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = follow_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	follow_stop = 0;
	int failing = 0;
	printf(_("following central's log for the province's projection every %d s\n"), interval);
	fflush(stdout);
	while (!follow_stop) {
		int64_t n = 0;
		struct err e = {0};
		if (!*cenp)
			*cenp = central_open(url, 0, &e);
		if (*cenp && !province_catch_up(*cenp, &n, &e)) {
			if (failing)
				printf("%s\n", _("the province's projection is caught up again"));
			else if (n)
				printf(_("the province's projection took %lld new events\n"), (long long)n);
			failing = 0;
		} else {
			if (!failing) { /* central's message, never raw to the terminal */
				char safe[sizeof e.msg * 2];
				text_sanitize(e.msg, safe, sizeof safe);
				fprintf(stderr, _("the province's projection could not catch up: %s; trying again every %d s\n"),
					safe, interval);
			}
			failing = 1;
			central_close(*cenp);
			*cenp = NULL;
		}
		fflush(stdout);
		for (int i = 0; i < interval * 10 && !follow_stop; i++) {
			struct timespec ts = {0, 100000000};
			nanosleep(&ts, NULL);
		}
	}
	(void)cli;
	return 0;
}

/* central project --central URL: rebuild the province's projection from the log;
 * with --follow [--interval S]: keep it caught up */
static int project(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"central", 1, 0, 'c'}, {"follow", 0, 0, 'f'}, {"interval", 1, 0, 'i'},
					     {0, 0, 0, 0}};
	const char *url = NULL;
	int o, fol = 0, interval = 2;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'c')
			url = optarg;
		else if (o == 'f')
			fol = 1;
		else if (o == 'i') {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 3600)
				return cli_usage("central", "--interval must be a number of seconds from 1 to 3600, not '%.40s'", optarg);
			interval = (int)v;
		} else
			return cli_usage("central", "unknown option '%s'", argv[optind - 1]);
	}
	if (!url)
		return cli_usage("central", "--central URL is required (sqlite:PATH or postgresql://...)");
	if (optind < argc)
		return cli_usage("central", "unexpected '%.40s' after 'central project'", argv[optind]);
	struct central *cen = central_open(url, 0, &cli->err);
	if (!cen)
		return cli_fail(&cli->err);
	int rc = cli_central_admin(cli, cen, "project");
	int64_t n = 0;
	if (!rc && fol) {
		rc = follow(cli, &cen, url, interval);
		central_close(cen);
		return rc;
	}
	if (!rc && province_rebuild(cen, time(NULL), &n, &cli->err))
		rc = cli_fail(&cli->err);
	else if (!rc)
		printf(_("the province's projection holds %lld dossiers, rebuilt from central's log\n"), (long long)n);
	central_close(cen);
	return rc;
}

int cli_central_province(struct cli *cli, const char *sub, int argc, char **argv)
{
	if (!strcmp(sub, "project"))
		return project(cli, argc, argv);
	if (!strcmp(sub, "role"))
		return office_role(cli, argc, argv);
	if (!strcmp(sub, "dashboard"))
		return dashboard(cli, argc, argv);
	return report(cli, argc, argv);
}
