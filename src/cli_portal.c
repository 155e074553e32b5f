/* cli_portal.c - `motcua portal ...`: central's link to the national portal.
 *
 * push (one pass), pull (the dossiers filed on the portal), run (a service: passes in a loop, backing off while the portal is
 * down), status (lag, waiting, failed), dead (the dead letters with their reasons),
 * resend CODE|--all, map (each motcua stage and its national status), pay CODE
 * --amount N (INIT at the payment platform), pay-confirm (its callback, on stdin).  Run by central's administrator on the admin store that
 * publishes the reference data (the projection needs it, as `central snapshot`).
 */
#include <getopt.h>
#include <libintl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "portal.h"
#include "portal_pay.h"
#include "text.h"

static volatile sig_atomic_t stop_asked;
static void on_stop(int sig) { (void)sig; stop_asked = 1; }

static int print_dead(const char *code, int attempts, const char *reason, int64_t at, void *ctx)
{
	struct cli *cli = ctx;
	char when[32] = "", safe[1024];
	time_t t = (time_t)at;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	if (cli->json) {
		printf("{\"code\":\"%s\",\"attempts\":%d,\"at\":%lld}\n", code, attempts, (long long)at);
		return 0;
	}
	text_sanitize(reason, safe, sizeof safe);
	printf(gettext("%s  %d attempts, last at %s: %s\n"), code, attempts, when, safe);
	return 0;
}

static void print_pull(const struct portal_pull_result *r)
{
	char safe[600];
	printf(gettext("portal: %lld online dossiers listed, %lld new at central, %lld already there, %lld refused\n"),
	       (long long)r->listed, (long long)r->created, (long long)r->known, (long long)r->refused);
	if (r->reason[0]) {
		text_sanitize(r->reason, safe, sizeof safe);
		printf(gettext("portal: %s\n"), safe);
	}
}

static void print_result(const struct portal_result *r)
{
	printf(gettext("portal: %lld dossiers brought up to date, %lld progress rows accepted, %lld refused (%lld given up)\n"),
	       (long long)r->dossiers, (long long)r->rows, (long long)r->refused, (long long)r->dead);
	if (r->down) {
		char safe[600];
		text_sanitize(r->reason, safe, sizeof safe);
		printf(gettext("portal: the portal is not answering (%s); what is left waits for the next pass\n"), safe);
	}
}

int cmd_portal(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"central", 1, 0, 'c'}, {"config", 1, 0, 'f'}, {"limit", 1, 0, 'l'},
					     {"interval", 1, 0, 'i'}, {"all", 0, 0, 'a'},
					     {"max-wait", 1, 0, 'm'}, {"days", 1, 0, 'd'}, {"amount", 1, 0, 'A'}, {0, 0, 0, 0}};
	const char *url = NULL, *conf_path = getenv("MOTCUA_PORTAL_CONFIG");
	long limit = 0, interval = 5, max_wait = 300, days = 3;
	long long amount = 0;
	int all = 0, o;
	const char *sub = cli_subcommand(&argc, &argv);
	if (!sub)
		return cli_usage("portal", "say which: push, pull, run, status, dead, resend, map, pay or pay-confirm");
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': url = optarg; break;
		case 'f': conf_path = optarg; break;
		case 'l': limit = atol(optarg); break;
		case 'i': interval = atol(optarg); break;
		case 'a': all = 1; break;
		case 'm': max_wait = atol(optarg); break;
		case 'd': days = atol(optarg); break;
		case 'A': amount = atoll(optarg); break;
		default: return cli_bad_option("portal", argv);
		}
	}
	if (!strcmp(sub, "map")) { /* the mapping needs no central */
		if (argc - optind)
			return cli_usage("portal", "'portal map' takes no words");
		for (const int *sg = portal_stages; *sg; sg++) {
			int st = portal_stage_status(*sg);
			printf("%s\t%d\t%s\n", stage_name(*sg), st, portal_status_label(st));
		}
		/* any stage from the procedure's payment step on, while fees are owed (fees.h) */
		printf("%s\t%d\t%s\n", "fees owed, to pay", ST_PAYMENT, portal_status_label(ST_PAYMENT));
		return 0;
	}
	if (!url)
		return cli_usage("portal", "--central URL is required (sqlite:PATH or postgresql://...)");
	int push = !strcmp(sub, "push"), run = !strcmp(sub, "run"), pull = !strcmp(sub, "pull"), pay = !strcmp(sub, "pay"),
	    confirm = !strcmp(sub, "pay-confirm"), query = !strcmp(sub, "pay-query"), bill = !strcmp(sub, "pay-bill");
	if (days < 1 || days > 366)
		return cli_usage("portal", "--days takes a number of days from 1 to 366");
	if (!push && !run && !pull && !pay && !confirm && !query && !bill && strcmp(sub, "status") && strcmp(sub, "dead") && strcmp(sub, "resend"))
		return cli_usage("portal", "unknown subcommand '%.40s': push, pull, run, status, dead, resend, map, pay or pay-confirm", sub);
	if (interval < 1 || limit < 0 || max_wait < 1)
		return cli_usage("portal", "--interval, --max-wait and --limit take positive numbers");
	/* a service's log (a file, journald) shows each pass as it happens, even if the
	 * service is killed: one line at a time */
	if (run)
		setvbuf(stdout, NULL, _IOLBF, 0);
	int words = (!strcmp(sub, "resend") && !all) || (query && !all) || pay || bill ? 1 : 0;
	if (argc - optind != words)
		return cli_usage("portal", "'portal resend' takes one dossier code or --all, 'portal pay' one dossier code; the others take no words");
	struct err *e = &cli->err;
	int rc;
	if ((push || run || pull) && (rc = cli_admin(cli)))
		return rc;
	struct central *cen = cli_central_open(cli, url, "portal", &rc);
	if (!cen)
		return rc;
	if (!strcmp(sub, "status")) {
		struct portal_status s;
		if (portal_status_get(cen, time(NULL), &s, e)) {
			rc = cli_fail(e);
			goto out;
		}
		if (cli->json)
			cli_json_print(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "log_pos", (json_int_t)s.log_pos,
						 "portal_pos", (json_int_t)s.portal_pos, "dossiers", (json_int_t)s.dossiers,
						 "accepted", (json_int_t)s.accepted, "waiting", (json_int_t)s.waiting,
						 "retrying", (json_int_t)s.retrying, "dead", (json_int_t)s.dead, "lag",
						 (json_int_t)s.lag));
		else {
			printf(gettext("portal: %lld dossiers known, %lld accepted by the portal\n"), (long long)s.dossiers,
			       (long long)s.accepted);
			printf(gettext("portal: %lld waiting (%lld retrying after a refusal), %lld failed (see 'portal dead')\n"),
			       (long long)s.waiting, (long long)s.retrying, (long long)s.dead);
			printf(gettext("portal: central's log at %lld, taken up to %lld; lag %lld seconds\n"), (long long)s.log_pos,
			       (long long)s.portal_pos, (long long)s.lag);
		}
		goto out;
	}
	if (!strcmp(sub, "dead")) {
		if (portal_dead_list(cen, print_dead, cli, e))
			rc = cli_fail(e);
		goto out;
	}
	if (!strcmp(sub, "resend")) {
		int64_t n;
		if (portal_resend(cen, all ? NULL : argv[optind], &n, e))
			rc = cli_fail(e);
		else
			printf(gettext("portal: %lld dossiers put back in the outbox\n"), (long long)n);
		goto out;
	}
	struct portal_conf conf;
	if (!conf_path) {
		rc = cli_usage("portal", "--config FILE is required (or MOTCUA_PORTAL_CONFIG)");
		goto out;
	}
	if (portal_conf_load(conf_path, &conf, e)) {
		rc = cli_fail(e);
		goto out;
	}
	if (confirm) {
		/* the payment platform's callback on stdin (from the web server), the answer on stdout */
		char *body = NULL, *reply = NULL;
		size_t cap = 0;
		FILE *mem = open_memstream(&body, &cap);
		char buf[4096];
		size_t got;
		while (mem && (got = fread(buf, 1, sizeof buf, stdin)) > 0 && cap < (1u << 20))
			fwrite(buf, 1, got, mem);
		if (mem)
			fclose(mem);
		int x = portal_pay_confirm(cen, &conf, body ? body : "", time(NULL), &reply, e);
		if (reply)
			printf("%s\n", reply);
		rc = x ? cli_fail(e) : 0;
		free(body);
		free(reply);
		goto out;
	}
	struct portal_http *h = portal_http_new(&conf, e);
	if (!h) {
		rc = cli_fail(e);
		goto out;
	}
	struct portal_result r;
	struct portal_pull_result pr;
	if (query || bill) { /* the payment platform's QUERY and GET_BILL (fees) */
		char st[32], url[512];
		int64_t np, nf, nw;
		if (query && all) {
			if (portal_pay_query_pending(cen, h, &conf, time(NULL), &np, &nf, &nw, e))
				rc = cli_fail(e);
			else
				printf(gettext("payments: %lld paid, %lld failed, %lld still waiting\n"), (long long)np, (long long)nf,
				       (long long)nw);
		} else if (query && portal_pay_query(cen, h, &conf, argv[optind], time(NULL), st, sizeof st, e))
			rc = cli_fail(e);
		else if (query)
			printf(gettext("payment %s: %s\n"), argv[optind], st);
		else if (portal_pay_bill(cen, h, &conf, argv[optind], time(NULL), url, sizeof url, e))
			rc = cli_fail(e);
		else
			cli_print_safe(NULL, url);
	} else if (pay) {
		char ref[96], url[512];
		if (portal_pay_init(cen, h, &conf, argv[optind], (int64_t)amount, time(NULL), ref, sizeof ref, url, sizeof url, e))
			rc = cli_fail(e);
		else
			printf(gettext("payment %s of %lld dong for %s: send the applicant to %s\n"), ref, amount, argv[optind], url);
	} else if (pull) {
		if (portal_pull(cen, cli->core.st, h, (int)days, time(NULL), &pr, e))
			rc = cli_fail(e);
		else {
			print_pull(&pr);
			rc = pr.down ? MC_IO : 0;
		}
	} else if (push) {
		if (portal_push(cen, cli->core.st, h, &conf, (int)limit, time(NULL), &r, e))
			rc = cli_fail(e);
		else {
			print_result(&r);
			rc = r.down ? MC_IO : 0;
		}
	} else {
		signal(SIGTERM, on_stop);
		signal(SIGINT, on_stop);
		long wait = interval;
		int64_t polled = 0;
		while (!stop_asked) {
			if (conf.pay_url[0] && time(NULL) - polled >= 30 * 60) { /* the payments still waiting: QUERY */
				int64_t np, nf, nw;
				polled = time(NULL);
				if (portal_pay_query_pending(cen, h, &conf, polled, &np, &nf, &nw, e)) {
					cli_fail(e);
					e->code = 0;
				} else if (np || nf) {
					printf(gettext("payments: %lld paid, %lld failed, %lld still waiting\n"), (long long)np, (long long)nf,
					       (long long)nw);
				}
			}
			if (conf.pull_days) {
				if (portal_pull(cen, cli->core.st, h, (int)conf.pull_days, time(NULL), &pr, e)) {
					cli_fail(e);
					e->code = 0;
				} else if (pr.created || pr.refused || pr.down) {
					print_pull(&pr);
				}
			}
			if (portal_push(cen, cli->core.st, h, &conf, (int)limit, time(NULL), &r, e)) {
				cli_fail(e); /* central busy or away: try again later */
				e->code = 0;
				r.down = 1;
			} else if (r.dossiers || r.refused || r.down) {
				print_result(&r);
				fflush(stdout);
			}
			/* back off while the portal is down and nothing goes through: interval,
			 * doubling, at most --max-wait; any progress resets it */
			if (r.down && !r.dossiers)
				wait = wait * 2 > max_wait ? max_wait : wait * 2;
			else
				wait = interval;
			for (long s = 0; s < wait * 10 && !stop_asked; s++)
				usleep(100000);
		}
	}
	portal_http_free(h);
out:
	central_close(cen);
	return rc;
}
