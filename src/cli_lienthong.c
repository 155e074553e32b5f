/* cli_lienthong.c - `motcua part`: inter-agency processing (liên thông, lienthong.h):
 * the procedure's participating agencies and flow, a dossier's parts (open, take, hand
 * back), the transfer slip, and the count of liên thông dossiers and late parts per
 * agency. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calendar.h"
#include "cli.h"
#include "dossier.h"
#include "i18n.h"
#include "lienthong.h"
#include "org.h"
#include "report.h"
#include "text.h"

static const char *state_label(int st)
{
	switch (st) {
	case LT_WAITING: return _("waiting");
	case LT_OPEN: return _("open");
	case LT_TAKEN: return _("taken");
	default: return _("handed back");
	}
}

static int print_agency(const char *agency, const char *task, int days, int order, int lead, void *ctx)
{
	(void)ctx;
	char t[256];
	text_fit(task, 40, t, sizeof t);
	printf("%-16s %5d %4d %-4s %s\n", agency, order, days, lead ? _("lead") : "", t);
	return 0;
}

static void fmt_time(int64_t t, char *buf, int n)
{
	if (t)
		cal_format(t, 1, buf, n);
	else
		snprintf(buf, (size_t)n, "%s", "-");
}

struct list_ctx { struct core *c; };

static int print_part(const char *code, const struct lt_part *p, void *ctx)
{
	struct list_ctx *l = ctx;
	char due[24], task[256];
	fmt_time(p->due_at, due, sizeof due);
	text_fit(p->task, 24, task, sizeof task);
	int64_t late = lt_part_late(l->c, p, core_now(l->c));
	printf("%-26s %2d %-16s %-16s %-12s %-10s %s%s\n", code, p->n, p->agency, due, state_label(p->state),
	       p->assignee[0] ? p->assignee : "-", task, late ? _(" (late)") : "");
	return 0;
}

/* label and untrusted text on one line, through the sanitiser */
static void safe_line(const char *label, const char *text)
{
	char safe[8192];
	text_sanitize(text ? text : "", safe, sizeof safe);
	printf("%s%s\n", label, safe);
}

/* the late agency's apology (form 04), and whether the dossier's appointment moved */
static void show_apology(struct cli *cli, const char *code)
{
	struct lt_apology *a = malloc(sizeof *a);
	if (!a || !lt_apology_of(&cli->core, code, a)) {
		free(a);
		return;
	}
	char at[24], due[24];
	fmt_time(a->at, at, sizeof at);
	fmt_time(a->due_at, due, sizeof due);
	char name[300];
	text_sanitize(a->signer_name[0] ? a->signer_name : a->signer, name, sizeof name);
	printf(_("Apology of agency %s for part %d, signed by %s (%s) on %s: new appointment %s.\n"), a->agency, a->n, name,
	       a->signer, at, due);
	safe_line(_("    reason: "), a->reason);
	if (a->applied)
		printf("%s\n", _("The dossier's appointment was moved to it."));
	else
		printf(_("The lead records the new appointment with 'motcua part reschedule %s'.\n"), code);
	free(a);
}

static json_t *apology_json(struct cli *cli, const char *code)
{
	struct lt_apology *a = malloc(sizeof *a);
	json_t *j = json_null();
	if (a && lt_apology_of(&cli->core, code, a)) {
		j = json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:b}", "n", a->n, "agency", a->agency, "code", a->code,
			      "at", (json_int_t)a->at, "due_at", (json_int_t)a->due_at, "previous_due_at",
			      (json_int_t)a->previous_due_at, "signer", a->signer, "signer_name", a->signer_name, "reason", a->reason,
			      "applied", a->applied);
	}
	free(a);
	return j ? j : json_null();
}

static int show_parts(struct cli *cli, const char *code)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	if (!ps)
		return 1;
	int rc = lt_parts_of(&cli->core, code, ps, &cli->err);
	if (rc) {
		free(ps);
		return cli_fail(&cli->err);
	}
	if (cli->json) {
		/* the same facts for programs: times as Unix seconds, late as working minutes */
		char resp[32];
		json_t *a = json_array();
		for (int i = 0; i < ps->n; i++) {
			const struct lt_part *p = &ps->p[i];
			json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:i, s:s, s:I, s:I, s:I, s:s, s:s, s:i, s:I}", "n", p->n,
							   "agency", p->agency, "task", p->task, "days", p->days, "state",
							   p->state == LT_WAITING ? "waiting" : p->state == LT_OPEN ? "open" :
							   p->state == LT_TAKEN ? "taken" : "handed back",
							   "opened_at", (json_int_t)p->opened_at, "due_at", (json_int_t)p->due_at,
							   "returned_at", (json_int_t)p->returned_at, "assignee", p->assignee,
							   "result", p->result, "slip", p->slip, "late_minutes",
							   (json_int_t)lt_part_late(&cli->core, p, core_now(&cli->core))));
		}
		int has = lt_responsible(&cli->core, code, resp);
		cli_json_print(json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", code, "flow", ps->flow, "lead", ps->lead,
					 "responsible", has ? resp : "", "parts", a, "apology", apology_json(cli, code)));
		free(ps);
		return 0;
	}
	if (!ps->flow[0]) {
		printf(_("Dossier %s has no liên thông parts.\n"), code);
		free(ps);
		return 0;
	}
	printf(_("Dossier %s: %s flow, lead agency %s\n"), code, !strcmp(ps->flow, "parallel") ? _("parallel") : _("sequential"),
	       ps->lead);
	char resp[32];
	for (int i = 0; i < ps->n; i++) {
		const struct lt_part *p = &ps->p[i];
		char due[24], back[24];
		fmt_time(p->due_at, due, sizeof due);
		fmt_time(p->returned_at, back, sizeof back);
		int64_t late = lt_part_late(&cli->core, p, core_now(&cli->core));
		printf(_("  part %d at %s (%d working days): %s; due %s; handed back %s%s\n"), p->n, p->agency, p->days,
		       state_label(p->state), due, back, late ? _(" (late)") : "");
		safe_line(_("    task: "), p->task);
		if (p->assignee[0])
			printf(_("    assignee: %s\n"), p->assignee);
		if (p->result[0])
			safe_line(_("    result: "), p->result);
		if (p->slip)
			printf(_("    transfer slip no. %d\n"), p->slip);
	}
	if (lt_responsible(&cli->core, code, resp))
		printf(_("Lateness, if any, is attributed to agency %s.\n"), resp);
	show_apology(cli, code);
	free(ps);
	return 0;
}

/* the transfer slip ("phiếu chuyển xử lý") a sequential part opened with: a document
 * in Vietnamese, as the other forms (src/forms.c) */
static int print_slip(struct cli *cli, const char *code, int n)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	struct dossier d;
	if (!ps)
		return 1;
	int rc = dossier_get(&cli->core, code, &d, &cli->err) || lt_parts_of(&cli->core, code, ps, &cli->err);
	if (rc) {
		free(ps);
		return cli_fail(&cli->err);
	}
	const struct lt_part *p = NULL, *prev = NULL;
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i].n == n)
			p = &ps->p[i], prev = i > 0 ? &ps->p[i - 1] : NULL;
	if (!p || !p->slip) {
		err_set(&cli->err, MC_NOTFOUND, "part %d of dossier %s opened with no transfer slip (only the parts of a sequential flow do)",
			n, code);
		free(ps);
		return cli_fail(&cli->err);
	}
	struct office from, to;
	const char *fc = prev ? prev->agency : ps->lead;
	if (org_office(&cli->core, fc, 0, &from))
		snprintf(from.name, sizeof from.name, "%s", fc);
	if (org_office(&cli->core, p->agency, 0, &to))
		snprintf(to.name, sizeof to.name, "%s", p->agency);
	char at[24], due[24], hm[24];
	cal_format_vn(p->opened_at, at, sizeof at);
	cal_format_vn(p->due_at, due, sizeof due);
	cal_format(p->due_at, 1, hm, sizeof hm);
	printf("%s\n", "PHIẾU CHUYỂN XỬ LÝ HỒ SƠ");
	printf("Số: %d/%s\n", p->slip, code);
	safe_line("Cơ quan chuyển: ", from.name);
	safe_line("Cơ quan nhận: ", to.name);
	safe_line("Người nộp hồ sơ: ", d.applicant_name);
	printf("Mã hồ sơ: %s\n", code);
	if (prev)
		safe_line("Kết quả xử lý của cơ quan chuyển: ", prev->result);
	safe_line("Nhiệm vụ của cơ quan nhận: ", p->task);
	printf("Thời hạn xử lý: %d ngày làm việc, đến %s ngày %s\n", p->days, hm + 11, due);
	printf("Ngày chuyển: %s\n", at);
	printf("%s\n", "NGƯỜI GIAO                    NGƯỜI NHẬN");
	free(ps);
	return 0;
}

static int print_count(const struct lt_count *r, void *ctx)
{
	(void)ctx;
	printf("%-16s %8d %6d %6d %6d %9d\n", r->agency, r->dossiers, r->leads, r->parts, r->late, r->apologies);
	return 0;
}

int cmd_part(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"task", 1, 0, 'T'}, {"days", 1, 0, 'd'}, {"order", 1, 0, 'o'}, {"lead", 0, 0, 'l'},
					     {"flow", 1, 0, 'f'}, {"to", 1, 0, 't'}, {"result", 1, 0, 'r'}, {"all", 0, 0, 'a'},
					     {"from", 1, 0, 'F'}, {"until", 1, 0, 'U'}, {"period", 1, 0, 'p'}, {"reason", 1, 0, 'R'},
					     {0, 0, 0, 0}};
	if (argc < 2)
		return cli_usage("part", "say which: agency, drop-agency, flow, agencies, open, list, show, take, return, apologise, reschedule, slip or report");
	const char *sub = argv[1], *task = NULL, *flow = NULL, *to = NULL, *result = NULL, *from = NULL, *until = NULL,
		   *period = NULL, *reason = NULL;
	int days = -1, order = 0, lead = 0, all = 0, o;
	/* the words come first (procedure, agency, code, part), the options after them */
	int nw = 0;
	const char *w[3] = {NULL, NULL, NULL};
	for (int i = 2; i < argc && argv[i][0] != '-' && nw < 3; i++)
		w[nw++] = argv[i];
	optind = 2 + nw;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'T': task = optarg; break;
		case 'd': days = atoi(optarg); break;
		case 'o': order = atoi(optarg); break;
		case 'l': lead = 1; break;
		case 'f': flow = optarg; break;
		case 't': to = optarg; break;
		case 'r': result = optarg; break;
		case 'a': all = 1; break;
		case 'F': from = optarg; break;
		case 'U': until = optarg; break;
		case 'p': period = optarg; break;
		case 'R': reason = optarg; break;
		default: return cli_usage("part", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage("part", "unexpected word '%.40s'", argv[optind]);
	int rc;
	struct core *c = &cli->core;
	if (!strcmp(sub, "agency") || !strcmp(sub, "drop-agency") || !strcmp(sub, "flow")) {
		if ((rc = cli_admin(cli)))
			return rc;
		if (nw != 2)
			return cli_usage("part", "say: part agency PROCEDURE AGENCY --task TEXT --days N [--order N] [--lead] | drop-agency PROCEDURE AGENCY | flow PROCEDURE parallel|sequential|channel");
		if (!strcmp(sub, "flow"))
			rc = lt_flow_set(c, w[0], w[1], &cli->err);
		else if (!strcmp(sub, "agency") && days < 0)
			return cli_usage("part", "say the agency's share of the time limit with --days N (working days)");
		else
			rc = lt_agency_set(c, w[0], w[1], task, days, order, lead, !strcmp(sub, "agency"), &cli->err);
		return rc ? cli_fail(&cli->err) : 0;
	}
	/* reading a dossier's parts or its slip needs no login, as `show` */
	if ((!strcmp(sub, "show") || !strcmp(sub, "slip")) && (rc = cli_open(cli, 0)))
		return rc;
	if (strcmp(sub, "show") && strcmp(sub, "slip") && (rc = cli_login(cli)))
		return rc;
	if (!strcmp(sub, "agencies")) {
		char fl[12];
		if (nw != 1)
			return cli_usage("part", "say: part agencies PROCEDURE");
		printf("%-16s %5s %4s %-4s %s\n", _("AGENCY"), _("ORDER"), _("DAYS"), "", _("TASK"));
		if (lt_agencies(c, w[0], fl, sizeof fl, print_agency, NULL, &cli->err))
			return cli_fail(&cli->err);
		printf(_("flow: %s\n"), fl[0] ? fl : "channel");
		return 0;
	}
	if (!strcmp(sub, "list")) {
		if (nw)
			return cli_usage("part", "say: part list [--all]");
		struct list_ctx l = {c};
		int64_t office = c->actor.id ? c->actor.office_id : 0;
		printf("%-26s %2s %-16s %-16s %-12s %-10s %s\n", _("DOSSIER"), "#", _("AGENCY"), _("DUE"), _("STATE"), _("ASSIGNEE"),
		       _("TASK"));
		return lt_each_part(c, office, all, print_part, &l) ? 1 : 0;
	}
	if (!strcmp(sub, "report")) {
		int64_t p0, p1;
		if (nw)
			return cli_usage("part", "say: part report (--period P | --from DATE --until DATE)");
		if (report_period(period, from, until, 0, &p0, &p1, &cli->err))
			return cli_fail(&cli->err);
		printf("%-16s %8s %6s %6s %6s %9s\n", _("AGENCY"), _("DOSSIERS"), _("LEAD"), _("PARTS"), _("LATE"), _("APOLOGIES"));
		return lt_report(c, p0, p1, print_count, NULL, &cli->err) ? cli_fail(&cli->err) : 0;
	}
	if (nw < 1)
		return cli_usage("part", "say the dossier's code: part %s CODE ...", sub);
	struct dossier d;
	if (!strcmp(sub, "show"))
		return show_parts(cli, w[0]);
	if (!strcmp(sub, "open")) {
		if (lt_open(c, w[0], flow, &d, &cli->err))
			return cli_fail(&cli->err);
		printf(_("Parts of dossier %s opened; see 'motcua part show %s'.\n"), w[0], w[0]);
		return 0;
	}
	int n = nw > 1 ? atoi(w[1]) : 0;
	if (!strcmp(sub, "reschedule")) {
		/* the lead records the appointment a late part's apology proposes (any part if N is not said) */
		char when[24];
		if (nw > 2 || (nw == 2 && n <= 0))
			return cli_usage("part", "say: part reschedule CODE [N]");
		if (lt_reschedule(c, w[0], n, &d, &cli->err))
			return cli_fail(&cli->err);
		cal_format(d.due_at, 1, when, sizeof when);
		printf(_("Dossier %s rescheduled to %s with the late agency's apology; hand the applicant form 04.\n"), w[0], when);
		return 0;
	}
	if (n <= 0)
		return cli_usage("part", "say the part's number: part %s CODE N", sub);
	if (!strcmp(sub, "slip"))
		return print_slip(cli, w[0], n);
	if (!strcmp(sub, "take")) {
		if (lt_take(c, w[0], n, to, &d, &cli->err))
			return cli_fail(&cli->err);
		printf(_("Part %d of dossier %s taken.\n"), n, w[0]);
		return 0;
	}
	if (!strcmp(sub, "return")) {
		if (lt_return(c, w[0], n, result, &d, &cli->err))
			return cli_fail(&cli->err);
		printf(_("Part %d of dossier %s handed back.\n"), n, w[0]);
		return 0;
	}
	if (!strcmp(sub, "apologise") || !strcmp(sub, "apologize")) {
		/* the late agency's leader: form 04 with the reason and the proposed new appointment */
		int64_t t = 0;
		char when[24];
		if (!until || cal_parse_appointment(&c->cal, until, &t))
			return cli_usage("part", "say the new appointment the apology proposes: part apologise CODE N --until YYYY-MM-DD or DD/MM/YYYY[ HH:MM] --reason TEXT");
		if (lt_apologise(c, w[0], n, t, reason, &d, &cli->err))
			return cli_fail(&cli->err);
		char parent[CODE_LEN];
		int pn;
		cal_format(t, 1, when, sizeof when);
		if (lt_part_parent(d.code, parent, &pn))
			printf(_("Apology for part %d of dossier %s signed, proposing the new appointment %s: it reaches the lead with the next sync.\n"),
			       n, w[0], when);
		else
			printf(_("Apology for part %d of dossier %s signed: the appointment is now %s.\n"), n, w[0], when);
		return 0;
	}
	return cli_usage("part", "unknown subcommand '%.20s': agency, drop-agency, flow, agencies, open, list, show, take, return, apologise, reschedule, slip or report", sub);
}
