/* cli_links.c - `motcua links CODE` (the files an online dossier's applicant filed on
 * the portal, by their download links) and `links fetch CODE N [--component M]` (one
 * of them downloaded into the dossier's attachments); rules in src/online_links.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "i18n.h"
#include "online_links.h"
#include "text.h"

static int list(struct cli *cli, const char *code)
{
	struct online_link *ls = calloc(LINKS_MAX, sizeof *ls);
	if (!ls) {
		err_set(&cli->err, MC_STORE, "out of memory");
		return cli_fail(&cli->err);
	}
	int n = links_of(&cli->core, code, ls, LINKS_MAX, &cli->err);
	if (n < 0) {
		free(ls);
		return cli_fail(&cli->err);
	}
	if (cli->json) {
		json_t *a = json_array();
		for (int i = 0; i < n; i++) {
			json_t *o = json_pack("{s:i, s:i, s:s, s:s, s:b}", "n", ls[i].n, "component", ls[i].component, "name",
					      ls[i].name, "url", ls[i].url, "fetched", ls[i].fetched);
			if (ls[i].sha256[0])
				json_object_set_new(o, "sha256", json_string(ls[i].sha256));
			if (ls[i].size >= 0)
				json_object_set_new(o, "size", json_integer(ls[i].size));
			json_array_append_new(a, o);
		}
		cli_json_print(a);
	} else if (!n) {
		printf(_("%s has no file linked from the portal\n"), code);
	} else {
		for (int i = 0; i < n; i++) {
			char line[3000], size[32] = "?";
			if (ls[i].size >= 0)
				snprintf(size, sizeof size, "%lld KB", (long long)((ls[i].size + 1023) / 1024));
			snprintf(line, sizeof line, ls[i].fetched ? _("%d. %s (component %d, %s, attached): %s") : _("%d. %s (component %d, %s): %s"),
				 ls[i].n, ls[i].name, ls[i].component, size, ls[i].url);
			cli_print_safe(NULL, line);
		}
	}
	free(ls);
	return 0;
}

int cmd_links(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"component", 1, 0, 'c'}, {0, 0, 0, 0}};
	int component = -1, o;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		long v = o == 'c' ? strtol(optarg, &end, 10) : -1;
		if (o != 'c' || !*optarg || *end || v < 0 || v > MAX_COMPONENTS)
			return cli_usage("links", "--component takes a component number from 0 to %d", MAX_COMPONENTS);
		component = (int)v;
	}
	int words = argc - optind;
	char **w = argv + optind;
	int rc;
	if (words == 1 && strcmp(w[0], "fetch")) {
		if (component >= 0)
			return cli_usage("links", "--component goes with links fetch");
		if ((rc = cli_login(cli)))
			return rc;
		return list(cli, w[0]);
	}
	if (words != 3 || strcmp(w[0], "fetch"))
		return cli_usage("links", "say links CODE, or links fetch CODE N [--component M]");
	char *end;
	long n = strtol(w[2], &end, 10);
	if (!*w[2] || *end || n < 1 || n > LINKS_MAX)
		return cli_usage("links", "the link number is from 1 to %d (see motcua links CODE)", LINKS_MAX);
	if ((rc = cli_login(cli)))
		return rc;
	struct attach_info a;
	if (links_fetch(&cli->core, w[1], (int)n, component, &a, &cli->err))
		return cli_fail(&cli->err);
	if (cli->json) {
		cli_json_print(json_pack("{s:s, s:i, s:s, s:s, s:s, s:I}", "code", w[1], "component", a.component, "name", a.name,
					 "sha256", a.sha256, "type", a.type, "size", (json_int_t)a.size));
	} else {
		char line[1200];
		snprintf(line, sizeof line, _("%s: link %ld attached to component %d as %s (%s, %lld bytes)"), w[1], n, a.component,
			 a.name, a.type, (long long)a.size);
		cli_print_safe(NULL, line);
	}
	return 0;
}
