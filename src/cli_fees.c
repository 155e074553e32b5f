/* cli_fees.c - `motcua fee ...`: a procedure's fee lines, what a dossier owes, payments,
 * receipts (biên lai), refunds, the dossiers awaiting payment and the fees' report
 * (rules in src/fees.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "dossier.h"
#include "fees.h"
#include "fees_counter.h"
#include "forms.h"
#include "i18n.h"
#include "report.h"
#include "text.h"

static int amount_parse(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0 || v > 10000000000LL)
		return -1;
	*out = v;
	return 0;
}

/* --json: the rows of one command go out as one array (or inside one object) */
static json_t *json_rows;

static void emit(json_t *o)
{
	if (json_rows)
		json_array_append_new(json_rows, o);
	else
		cli_json_print(o);
}

/* the collected rows printed, or released on failure */
static int emit_end(int rc)
{
	if (json_rows && !rc)
		cli_json_print(json_rows);
	else
		json_decref(json_rows);
	json_rows = NULL;
	return rc;
}

static int print_entry(const struct fee_entry *f, void *ctx)
{
	struct cli *cli = ctx;
	char when[24], line[2048];
	cal_format(f->at, 1, when, sizeof when);
	if (cli->json) {
		json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "kind", f->kind, "method", f->method,
				      "amount", (json_int_t)f->amount, "receipt", f->receipt, "ref", f->ref, "refund_of",
				      f->refund_of, "reason", f->reason, "at", (json_int_t)f->at, "actor", f->actor);
		json_object_set_new(o, "office", json_string(f->office));
		json_object_set_new(o, "counter", json_boolean(f->counter));
		emit(o);
		return 0;
	}
	if (f->counter && !strcmp(f->kind, "fee_paid")) /* taken at the receiving desk (fees_counter.h) */
		snprintf(line, sizeof line, _("%s  paid %lld dong by %s at the receiving desk of office %s, receipt %s %s (by %s)"), when,
			 (long long)f->amount, fees_method_label(f->method), f->office, f->receipt[0] ? f->receipt : "-", f->ref, f->actor);
	else if (f->counter)
		snprintf(line, sizeof line, _("%s  refunded %lld dong of %s at the receiving desk of office %s, receipt %s, because: %s (by %s)"),
			 when, (long long)f->amount, f->refund_of, f->office, f->receipt, f->reason, f->actor);
	else if (!strcmp(f->kind, "fee_paid"))
		snprintf(line, sizeof line, _("%s  paid %lld dong by %s, receipt %s %s (by %s)"), when, (long long)f->amount,
			 fees_method_label(f->method), f->receipt[0] ? f->receipt : "-", f->ref, f->actor);
	else
		snprintf(line, sizeof line, _("%s  refunded %lld dong of %s, receipt %s, because: %s (by %s)"), when,
			 (long long)f->amount, f->refund_of, f->receipt, f->reason, f->actor);
	cli_print_safe(NULL, line);
	return 0;
}

static int print_due(const struct dossier *d, void *ctx)
{
	struct cli *cli = ctx;
	char line[1200];
	if (cli->json) {
		emit(json_pack("{s:s, s:s, s:I, s:I, s:i}", "code", d->code, "applicant", d->applicant_name, "total",
					 (json_int_t)d->fee_total, "owed", (json_int_t)fees_owed(d), "status", d->status));
		return 0;
	}
	snprintf(line, sizeof line, _("%s  owes %lld of %lld dong  %s"), d->code, (long long)fees_owed(d), (long long)d->fee_total,
		 d->applicant_name);
	cli_print_safe(NULL, line);
	return 0;
}

struct rep_out { struct cli *cli; };

static int print_row(const struct fees_row *r, void *ctx)
{
	struct cli *cli = ctx;
	if (cli->json) {
		emit(json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "field", r->field_code, "name", r->field_name,
					 "cash", (json_int_t)r->cash, "transfer", (json_int_t)r->transfer, "online",
					 (json_int_t)r->online, "collected", (json_int_t)r->collected, "refunded",
					 (json_int_t)r->refunded, "net", (json_int_t)r->net, "dossiers", (json_int_t)r->dossiers));
		return 0;
	}
	char name[64], pad[256];
	if (!r->field_code[0])
		snprintf(name, sizeof name, "%s", _("Total"));
	else
		text_sanitize(r->field_code, name, sizeof name);
	form_pad(name, 14, 0, pad, sizeof pad); /* display columns, not bytes */
	printf("%s %12lld %12lld %12lld %13lld %12lld %13lld\n", pad, (long long)r->cash, (long long)r->transfer,
	       (long long)r->online, (long long)r->collected, (long long)r->refunded, (long long)r->net);
	return 0;
}

static void print_head(void)
{
	const char *h[] = {_("Field"), _("Cash"), _("By transfer"), _("Online"), _("Collected"), _("Refunded"), _("Net")};
	static const int w[] = {14, 12, 12, 12, 13, 12, 13};
	char pad[256];
	for (int i = 0; i < 7; i++) {
		form_pad(h[i], w[i], i > 0, pad, sizeof pad);
		printf("%s%s", i ? " " : "", pad);
	}
	printf("\n");
}

static int fee_lines(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"line", 1, 0, 'l'}, {"step", 1, 0, 's'}, {"clear", 0, 0, 'c'}, {0, 0, 0, 0}};
	struct fee_line l[FEE_LINES_MAX];
	int n = 0, clear = 0, o;
	const char *step = "receive";
	int set = !strcmp(argv[0], "set");
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'l' && set) {
			if (n == FEE_LINES_MAX)
				return cli_usage("fee", "a procedure has at most %d fee lines", FEE_LINES_MAX);
			if (fees_parse_line(optarg, &l[n], &cli->err))
				return cli_fail(&cli->err);
			n++;
		} else if (o == 's' && set)
			step = optarg;
		else if (o == 'c' && set)
			clear = 1;
		else
			return cli_usage("fee", "'fee set' takes PROCEDURE --line KIND:AMOUNT:NAME... [--step receive|result] or --clear; 'fee lines' a procedure");
	}
	if (argc - optind != 1)
		return cli_usage("fee", "give one procedure code");
	if (set && !n && !clear)
		return cli_usage("fee", "give the fee lines with --line KIND:AMOUNT:NAME, or --clear to remove them");
	int rc = set ? cli_admin(cli) : cli_login(cli);
	if (rc)
		return rc;
	const char *code = argv[optind];
	if (set) {
		if (fees_lines_set(&cli->core, code, l, n, step, &cli->err))
			return cli_fail(&cli->err);
		printf(_("procedure %s: %d fee lines, paid at the step %s\n"), code, n, step);
		return 0;
	}
	char st[16];
	if (fees_lines_get(&cli->core, code, l, FEE_LINES_MAX, &n, st, sizeof st, &cli->err))
		return cli_fail(&cli->err);
	json_rows = cli->json ? json_array() : NULL;
	for (int i = 0; i < n; i++) {
		char line[800];
		if (cli->json)
			emit(json_pack("{s:s, s:s, s:I, s:s}", "kind", l[i].kind, "name", l[i].name, "amount",
						 (json_int_t)l[i].amount, "step", st));
		else {
			snprintf(line, sizeof line, "%s  %lld  %s  (%s)", l[i].kind, (long long)l[i].amount, l[i].name, st);
			cli_print_safe(NULL, line);
		}
	}
	return emit_end(0);
}

int cmd_fee(struct cli *cli, int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-')
		return cli_usage("fee", "say which: set, lines, show, pay, refund, receipt, due or report");
	const char *sub = argv[1];
	argc--;
	argv++;
	if (!strcmp(sub, "set") || !strcmp(sub, "lines"))
		return fee_lines(cli, argc, argv);
	static const struct option opts[] = {{"method", 1, 0, 'm'}, {"amount", 1, 0, 'a'}, {"ref", 1, 0, 'r'},
					     {"receipt", 1, 0, 'R'}, {"reason", 1, 0, 'w'}, {"print", 0, 0, 'p'},
					     {"out", 1, 0, 'o'}, {"encoding", 1, 0, 'e'}, {"period", 1, 0, 'P'},
					     {"from", 1, 0, 'f'}, {"to", 1, 0, 't'}, {"central", 1, 0, 'c'}, {"calendar", 0, 0, 'C'},
					     {"line", 1, 0, 'L'}, {"office", 1, 0, 'O'}, {0, 0, 0, 0}};
	const char *method = NULL, *ref = NULL, *receipt = NULL, *reason = NULL, *out = NULL, *enc = NULL, *period = NULL,
		   *from = NULL, *to = NULL, *central = NULL, *office = NULL;
	int64_t amount = 0;
	unsigned lines = 0; /* --line N: the fee lines paid at the receiving desk */
	int print = 0, calendar = 0, o;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'm': method = optarg; break;
		case 'a':
			if (amount_parse(optarg, &amount))
				return cli_usage("fee", "--amount takes a whole positive number of dong, e.g. 50000");
			break;
		case 'r': ref = optarg; break;
		case 'R': receipt = optarg; break;
		case 'w': reason = optarg; break;
		case 'p': print = 1; break;
		case 'o': out = optarg; break;
		case 'e': enc = optarg; break;
		case 'P': period = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'c': central = optarg; break;
		case 'C': calendar = 1; break;
		case 'L': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > FEE_LINES_MAX)
				return cli_usage("fee", "--line takes the number of a fee line, from 1 to %d", FEE_LINES_MAX);
			lines |= 1u << (n - 1);
			break;
		}
		case 'O': office = optarg; break;
		default: return cli_usage("fee", "unknown option '%s'", argv[optind - 1]);
		}
	}
	int words = !strcmp(sub, "due") || !strcmp(sub, "report") ? 0 : 1;
	if (argc - optind != words)
		return words ? cli_usage("fee", "'fee %.20s' takes one dossier code", sub) : cli_usage("fee", "'fee %.20s' takes no words", sub);
	int rc = cli_login(cli);
	if (rc)
		return rc;
	struct core *c = &cli->core;
	struct err *e = &cli->err;
	const char *code = words ? argv[optind] : NULL;
	struct fee_entry f; /* the payment or refund just made; its receipt is printed below */
	if (!strcmp(sub, "show")) {
		struct dossier d;
		if (dossier_get(c, code, &d, e))
			return cli_fail(e);
		/* what was paid at the receiving desk counts once, with the rest */
		int64_t paid = d.fee_paid + d.fee_counter_paid, refunded = d.fee_refunded + d.fee_counter_refunded;
		if (!cli->json)
			printf(_("dossier %s: fees %lld dong, paid %lld, refunded %lld, owed %lld; status %d (%s)\n"), d.code,
			       (long long)d.fee_total, (long long)paid, (long long)refunded, (long long)fees_owed(&d),
			       d.status, status_label(d.status));
		json_rows = cli->json ? json_array() : NULL;
		json_t *entries = json_rows;
		if (fees_entries(c, code, print_entry, cli, e))
			return emit_end(cli_fail(e));
		if (cli->json) {
			json_rows = NULL;
			cli_json_print(json_pack("{s:s, s:I, s:I, s:I, s:I, s:i, s:o}", "code", d.code, "total", (json_int_t)d.fee_total,
						 "paid", (json_int_t)paid, "refunded", (json_int_t)refunded, "owed",
						 (json_int_t)fees_owed(&d), "status", d.status, "entries", entries));
		}
		return 0;
	}
	if (!strcmp(sub, "pay")) {
		int m = method ? fees_method_parse(method) : FM_CASH;
		if (!m)
			return cli_usage("fee", "--method takes cash, transfer or online");
		struct dossier d;
		int desk = !dossier_get(c, code, &d, e) && fees_counter_here(c, &d);
		if (lines && !desk) {
			err_set(e, MC_INVALID, "--line is for a payment at the receiving desk of a dossier another office holds: here give --amount");
			return cli_fail(e);
		}
		if (desk && m != FM_ONLINE) { /* the receiving desk: on the dossier's receipt chain (fees_counter.h) */
			if (fees_counter_pay(c, code, m, lines, amount, ref, &f, e))
				return cli_fail(e);
		} else if (!amount && m != FM_ONLINE) {
			struct dossier d;
			if (dossier_get(c, code, &d, e))
				return cli_fail(e);
			amount = fees_owed(&d);
			if (!amount) {
				err_set(e, MC_STATE, "dossier %s owes no fees", code);
				return cli_fail(e);
			}
		}
		if (desk && m != FM_ONLINE)
			;
		else if (m == FM_ONLINE ? fees_pay_online(c, code, central, ref, &f, e) : fees_pay(c, code, m, amount, ref, &f, e))
			return cli_fail(e);
		if (cli->json)
			cli_json_print(json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:b}", "code", code, "kind", "fee_paid", "amount",
						 (json_int_t)f.amount, "method", f.method, "receipt", f.receipt, "ref", f.ref, "office",
						 f.office, "counter", f.counter));
		else
			printf(_("dossier %s: %lld dong paid by %s, receipt %s\n"), code, (long long)f.amount,
			       fees_method_label(f.method), f.receipt[0] ? f.receipt : f.ref);
		if (!cli->json && f.counter)
			printf(_("paid at the receiving desk of office %s: central delivers the receipt to the office that holds the dossier\n"),
			       f.office);
		receipt = f.receipt[0] ? f.receipt : f.ref;
		if (!print && !out)
			return 0;
	} else if (!strcmp(sub, "refund")) {
		if (!receipt || !amount || !reason)
			return cli_usage("fee", "'fee refund' needs --receipt NUMBER, --amount N and --reason TEXT");
		if (fees_refund(c, code, receipt, amount, reason, &f, e))
			return cli_fail(e);
		if (cli->json)
			cli_json_print(json_pack("{s:s, s:s, s:I, s:s, s:s}", "code", code, "kind", "fee_refunded", "amount",
						 (json_int_t)f.amount, "receipt", f.receipt, "refund_of", receipt));
		else
			printf(_("dossier %s: %lld dong refunded of %s, receipt %s\n"), code, (long long)f.amount, receipt, f.receipt);
		receipt = f.receipt;
		if (!print && !out)
			return 0;
	} else if (!strcmp(sub, "receipt")) {
		if (!receipt)
			return cli_usage("fee", "'fee receipt' needs --receipt NUMBER");
	} else if (!strcmp(sub, "due")) {
		json_rows = cli->json ? json_array() : NULL;
		return emit_end(fees_due_list(c, print_due, cli, e) ? cli_fail(e) : 0);
	} else if (!strcmp(sub, "report")) {
		int64_t p0, p1;
		if (report_period(period, from, to, calendar, &p0, &p1, e))
			return cli_fail(e);
		if (!cli->json)
			print_head();
		json_rows = cli->json ? json_array() : NULL;
		return emit_end(fees_report_at(c, office, p0, p1, print_row, cli, e) ? cli_fail(e) : 0);
	} else
		return cli_usage("fee", "unknown subcommand '%.40s': set, lines, show, pay, refund, receipt, due or report", sub);
	/* the receipt: printed, written to a file or shown */
	struct strbuf sb = {0};
	rc = fees_receipt_text(c, code, receipt, &sb, e) || forms_output(c, sb.buf ? sb.buf : "", enc, out, print, e);
	strbuf_release(&sb);
	return rc ? cli_fail(e) : 0;
}
