/* cli_reuse.c - `motcua reuse` (an applicant's earlier digitised papers: what fits a
 * procedure, and recording a reuse on a dossier) and `receive --reuse` (rules in
 * src/reuse.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "i18n.h"
#include "reuse.h"
#include "text.h"

static json_t *offer_json(const struct reuse_offer *o)
{
	char when[24];
	cal_format(o->at, 1, when, sizeof when);
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b}", "component", o->component, "component_name",
			 o->component_name, "from", o->from_code, "office", o->office, "name", o->name, "type", o->type, "sha256",
			 o->sha256, "size", (json_int_t)o->size, "at", when, "event", o->event_id, "central", o->central);
}

static void offers_print(struct cli *cli, const struct reuse_offer *o, int n)
{
	if (cli->json) {
		json_t *list = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(list, offer_json(&o[i]));
		cli_json_print(list);
		return;
	}
	if (!n) {
		printf("%s\n", _("the applicant has no earlier digitised papers that fit this procedure's components"));
		return;
	}
	int last = -1, central = 0;
	for (int i = 0; i < n; i++) {
		char line[2400], when[24];
		if (o[i].component != last) {
			last = o[i].component;
			snprintf(line, sizeof line, _("component %d: %s"), o[i].component, o[i].component_name);
			cli_print_safe(NULL, line);
		}
		cal_format(o[i].at, 1, when, sizeof when);
		snprintf(line, sizeof line, "  %s %-26s %-24s %-16s %9lld  %s  %.12s  %s  %s", o[i].central ? "*" : " ", o[i].from_code,
			 o[i].name, o[i].type, (long long)o[i].size, when, o[i].sha256, o[i].event_id, o[i].office);
		cli_print_safe(NULL, line);
		central |= o[i].central;
	}
	if (central)
		printf("%s\n", _("* found at central, attached at the office named last: its bytes come from central when it is reused"));
}

/* why central's papers are not offered (offline), on stderr */
static void print_note(const char *note)
{
	char safe[1400];
	text_sanitize(note, safe, sizeof safe);
	fprintf(stderr, "%s\n", safe);
}

static int parse_component(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 32)
		return -1;
	*out = (int)v;
	return 0;
}

int cmd_reuse(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"id", 1, 0, 'i'}, {"procedure", 1, 0, 'p'}, {"business", 0, 0, 'b'},
					     {"component", 1, 0, 'c'}, {"from", 1, 0, 'f'}, {"central", 1, 0, 'C'}, {0, 0, 0, 0}};
	const char *idno = NULL, *proc = NULL, *from = NULL, *url = NULL;
	int kind = AK_PERSON, component = 0, o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'i': idno = optarg; break;
		case 'p': proc = optarg; break;
		case 'b': kind = AK_BUSINESS; break;
		case 'f': from = optarg; break;
		case 'C': url = optarg; break;
		case 'c':
			if (parse_component(optarg, &component))
				return cli_usage("reuse", "--component takes a component's number, from 1");
			break;
		default: return cli_usage("reuse", "unknown option '%s'", argv[optind - 1]);
		}
	}
	const char *code = optind < argc ? argv[optind] : NULL;
	if (argc - optind > 1)
		return cli_usage("reuse", "unexpected argument '%.40s'", argv[optind + 1]);
	if (!code && (!idno || !proc))
		return cli_usage("reuse", "give a dossier's code, or --id NUMBER and --procedure CODE");
	if (code && (idno || proc))
		return cli_usage("reuse", "give a dossier's code, or --id NUMBER and --procedure CODE");
	if (!code && (component || from))
		return cli_usage("reuse", "--component and --from record a reuse on a dossier: give its code");
	if (from && !component)
		return cli_usage("reuse", "say which component takes the file with --component N");
	int rc = cli_login(cli);
	if (rc)
		return rc;
	struct reuse_offer *offers = calloc(REUSE_MAX, sizeof *offers);
	if (!offers)
		return MC_STORE;
	char note[600] = "";
	int n = from ? 0 /* a named event: checked when it is recorded */
	      : code ? reuse_offers_for_central(&cli->core, url, code, offers, REUSE_MAX, note, sizeof note, &cli->err)
		     : reuse_offers_central(&cli->core, url, proc, kind, idno, NULL, offers, REUSE_MAX, note, sizeof note, &cli->err);
	if (n < 0) {
		free(offers);
		return cli_fail(&cli->err);
	}
	if (note[0])
		print_note(note);
	if (!component) {
		offers_print(cli, offers, n);
		free(offers);
		return 0;
	}
	struct reuse_pick pick = {component, ""};
	if (from)
		snprintf(pick.event_id, sizeof pick.event_id, "%s", from);
	else if (reuse_pick_newest(offers, n, 1u << (component - 1), &pick, 1, &cli->err) < 0) {
		free(offers);
		return cli_fail(&cli->err);
	}
	free(offers);
	struct attach_info a;
	if (reuse_attach_central(&cli->core, url, code, component, pick.event_id, &a, &cli->err))
		return cli_fail(&cli->err);
	if (cli->json) {
		cli_json_print(json_pack("{s:s, s:i, s:s, s:s, s:s}", "code", code, "component", component, "name", a.name, "sha256", a.sha256,
					 "event", pick.event_id));
	} else {
		char line[1400];
		snprintf(line, sizeof line, _("reused %s as component %d of %s (sha256 %s): no bytes copied"), a.name, component, code, a.sha256);
		cli_print_safe(NULL, line);
	}
	return 0;
}

/* receive --reuse 1,2|all: the newest earlier file of each component named ("all":
 * every component that has one), recorded in the receipt's transaction */
int cli_receive_reuse(struct cli *cli, const struct receive_req *r, const char *which, struct receive_result *out)
{
	uint32_t mask = 0;
	if (strcmp(which, "all") && (components_parse(which, &mask) || mask == COMPONENTS_ALL || !mask))
		return err_set(&cli->err, MC_USAGE, "--reuse takes component numbers like 1,2 or 'all'");
	struct reuse_offer *offers = calloc(REUSE_MAX, sizeof *offers);
	struct reuse_pick *picks = calloc(32, sizeof *picks);
	int rc = 0, n = -1, k = -1;
	char note[600] = "";
	if (!offers || !picks)
		rc = err_set(&cli->err, MC_STORE, "out of memory");
	else if ((n = reuse_offers_central(&cli->core, NULL, r->procedure, r->kind, r->idno, NULL, offers, REUSE_MAX, note, sizeof note,
					    &cli->err)) < 0)
		rc = cli->err.code;
	else {
		if (note[0])
			print_note(note);
		if ((k = reuse_pick_newest(offers, n, mask, picks, 32, &cli->err)) < 0)
			rc = cli->err.code;
		else
			rc = reuse_receive_central(&cli->core, NULL, r, 0, picks, k, out, &cli->err);
	}
	free(offers);
	free(picks);
	return rc;
}

static int reused_line(const struct attach_info *a, void *ctx)
{
	(void)ctx;
	if (!a->reused_from[0])
		return 0;
	char line[1400];
	snprintf(line, sizeof line, _("reused component %d: %s from dossier %s"), a->component, a->name, a->reused_from);
	cli_print_safe(NULL, line);
	return 0;
}

void cli_receive_reused(struct cli *cli, const char *code)
{
	if (cli->json)
		return;
	struct err e = {0};
	attach_list(&cli->core, code, reused_line, NULL, &e);
}
