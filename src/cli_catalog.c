/* cli_catalog.c - the catalogue's updates on the command line: what `catalog import`
 * and `catalog fetch` changed, procedure by procedure, and `catalog versions CODE`,
 * the versions of one procedure (procver.h).  `catalog list` stays in cli_admin.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog.h"
#include "catalog_fetch.h"
#include "cli.h"
#include "cli_catalog.h"
#include "i18n.h"
#include "portal_http.h"
#include "procver.h"

void cli_catalog_summary(struct cli *cli, const struct catalog_result *r)
{
	if (cli->json) {
		json_t *a = json_array();
		for (int i = 0; i < r->n; i++) {
			const struct catalog_change *ch = &r->list[i];
			json_t *o = json_pack("{s:s, s:s, s:i}", "code", ch->code, "result",
					      ch->what == PV_ADDED ? "added" : ch->what == PV_VERSIONED ? "versioned"
					      : ch->what == PV_ARRANGED ? "arranged" : "unchanged",
					      "version", ch->version);
			if (ch->what == PV_VERSIONED) {
				json_object_set_new(o, "effective_from", json_integer(ch->effective_from));
				json_object_set_new(o, "changes", json_string(ch->changes));
			}
			json_array_append_new(a, o);
		}
		cli_json_print(json_pack("{s:i, s:i, s:i, s:o}", "added", r->added, "versioned", r->versioned, "unchanged",
					 r->unchanged, "procedures", a));
		return;
	}
	for (int i = 0; i < r->n; i++) {
		const struct catalog_change *ch = &r->list[i];
		char line[1024], words[512], when[24];
		if (ch->what == PV_ADDED) {
			snprintf(line, sizeof line, _("%s: new procedure"), ch->code);
		} else if (ch->what == PV_VERSIONED) {
			procver_describe(ch->changes, words, sizeof words);
			cal_format(ch->effective_from, 1, when, sizeof when);
			snprintf(line, sizeof line, _("%s: version %d, for dossiers received from %s; changed: %s"), ch->code,
				 ch->version, when, words);
		} else if (ch->what == PV_ARRANGED) {
			snprintf(line, sizeof line, _("%s: same rules, its level or department changed (no new version)"), ch->code);
		} else {
			continue;
		}
		cli_print_safe(NULL, line);
	}
	printf(_("%d procedures added, %d changed (a new version each), %d unchanged\n"), r->added, r->versioned, r->unchanged);
}

struct vlist { struct cli *cli; json_t *arr; };

static int one_version(const struct procver_row *r, void *ctx)
{
	struct vlist *l = ctx;
	const struct procedure *p = r->p;
	if (l->arr) {
		json_t *comps = json_array();
		for (int i = 0; i < p->ncomponents; i++)
			json_array_append_new(comps, json_pack("{s:s, s:b}", "name", p->components[i].name, "required",
							       p->components[i].required));
		json_t *o = json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:I, s:s, s:o}", "version", r->version,
				      "effective_from", (json_int_t)r->effective_from, "source", r->source, "name", p->name,
				      "field", p->field_code, "unit", p->hours ? "hour" : "day", "statutory_direct",
				      p->statutory_direct, "committed_direct", p->committed_direct, "statutory_online",
				      p->statutory_online, "committed_online", p->committed_online, "fee", (json_int_t)p->fee,
				      "changes", r->changes, "components", comps);
		if (r->fees && *r->fees) {
			json_t *f = json_loads(r->fees, 0, NULL);
			json_object_set_new(o, "fees", f ? f : json_string(r->fees));
		}
		json_array_append_new(l->arr, o);
		return 0;
	}
	char when[24] = "-", line[1400], words[512];
	if (r->effective_from > 0)
		cal_format(r->effective_from, 1, when, sizeof when);
	if (p->hours)
		snprintf(line, sizeof line, _("version %d from %s (%s): %d/%d working hours direct, %d/%d online, fee %lld, %d components"),
			 r->version, when, r->source, p->statutory_direct, p->committed_direct, p->statutory_online,
			 p->committed_online, (long long)p->fee, p->ncomponents);
	else
		snprintf(line, sizeof line, _("version %d from %s (%s): %d/%d working days direct, %d/%d online, fee %lld, %d components"),
			 r->version, when, r->source, p->statutory_direct, p->committed_direct, p->statutory_online,
			 p->committed_online, (long long)p->fee, p->ncomponents);
	cli_print_safe(NULL, line);
	cli_print_safe(NULL, p->name);
	if (*r->changes) {
		procver_describe(r->changes, words, sizeof words);
		snprintf(line, sizeof line, _("changed: %s"), words);
		cli_print_safe(NULL, line);
	}
	return 0;
}

int cli_catalog_versions(struct cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return cli_usage("catalog", "versions takes one procedure code");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	struct vlist l = {cli, cli->json ? json_array() : NULL};
	if (procver_each(&cli->core, argv[2], one_version, &l, &cli->err)) {
		json_decref(l.arr);
		return cli_fail(&cli->err);
	}
	if (l.arr)
		cli_json_print(l.arr);
	return 0;
}

/* catalog fetch CODE... | --field CODE [--config FILE] [--effective DATE]: the national
 * catalogue through the portal link's configuration (portal_http.h) */
int cli_catalog_fetch(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"config", 1, 0, 'f'}, {"field", 1, 0, 'F'}, {"effective", 1, 0, 'E'}, {0, 0, 0, 0}};
	const char *conf_path = getenv("MOTCUA_PORTAL_CONFIG"), *field = NULL, *eff = NULL;
	int o;
	argc--;
	argv++;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': conf_path = optarg; break;
		case 'F': field = optarg; break;
		case 'E': eff = optarg; break;
		default: return cli_usage("catalog", "unknown option '%s'", argv[optind - 1]);
		}
	}
	int n = argc - optind;
	if ((n == 0) == !field)
		return cli_usage("catalog", "fetch takes national procedure codes or --field CODE");
	if (!conf_path)
		return cli_usage("catalog", "fetch needs the portal configuration: --config FILE or MOTCUA_PORTAL_CONFIG");
	for (int i = optind; i < argc; i++)
		if (!catalog_national_code_ok(argv[i]))
			return cli_usage("catalog", "'%.40s' is not a national procedure code like 1.004552 or 1.003560.000.00.00.H56", argv[i]);
	int rc = cli_admin(cli);
	if (rc)
		return rc;
	int64_t from = 0;
	if (eff && (rc = catalog_effective(&cli->core, eff, &from)))
		return rc == CATALOG_DATE_PAST
			? cli_usage("catalog", "--effective %.20s is in the past: a new version applies from today or a later day", eff)
			: cli_usage("catalog", "--effective takes a date YYYY-MM-DD");
	struct portal_conf conf;
	if (portal_conf_load(conf_path, &conf, &cli->err))
		return cli_fail(&cli->err);
	struct portal_http *h = portal_http_new(&conf, &cli->err);
	if (!h)
		return cli_fail(&cli->err);
	struct catalog_result r = {0};
	rc = catalog_fetch(&cli->core, h, (const char *const *)argv + optind, n, field, from, &r, &cli->err);
	portal_http_free(h);
	if (rc) {
		catalog_result_free(&r);
		return cli_fail(&cli->err);
	}
	cli_catalog_summary(cli, &r);
	catalog_result_free(&r);
	return 0;
}
