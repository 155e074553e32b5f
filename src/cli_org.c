/* cli_org.c - `motcua office`: the offices of the province since 1 July 2025 (org.h),
 * their kinds and the procedures each receives and resolves. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calendar.h"
#include "cli.h"
#include "i18n.h"
#include "org.h"
#include "text.h"

static int print_office(const struct office *o, const char *parent, int receives, int resolves, void *ctx)
{
	(void)ctx;
	char name[256];
	text_fit(o->name, 34, name, sizeof name);
	printf("%-16s %-10s %d %-16s %4d %4d  %s\n", o->agency_code, o->kind, o->level, parent[0] ? parent : "-", receives,
	       resolves, name);
	return 0;
}

static int print_followed(const char *code, const char *at, int stage, int64_t due_at, void *ctx)
{
	(void)ctx;
	char due[24] = "-";
	if (due_at)
		cal_format(due_at, 1, due, sizeof due);
	printf("%-28s %-16s %-16s %s\n", code, at, due, stage_name(stage));
	return 0;
}

int cmd_office(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"kind", 1, 0, 'k'}, {"name", 1, 0, 'n'}, {"level", 1, 0, 'l'},
					     {"parent", 1, 0, 'p'}, {0, 0, 0, 0}};
	if (argc < 2)
		return cli_usage("office", "say which: list, set, receives, resolves, drop-receives or drop-resolves");
	const char *sub = argv[1], *kind = NULL, *name = NULL, *parent = NULL;
	int level = 0, o;
	/* the agency comes first, its options after it (options stop at the first other word) */
	const char *agency = argc > 2 ? argv[2] : NULL;
	optind = argc > 2 ? 3 : argc;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'k': kind = optarg; break;
		case 'n': name = optarg; break;
		case 'l': level = atoi(optarg); break;
		case 'p': parent = optarg; break;
		default: return cli_usage("office", "unknown option '%s'", argv[optind - 1]);
		}
	}
	int rc;
	if (!strcmp(sub, "list")) {
		if ((rc = cli_login(cli)))
			return rc;
		fputs(_("AGENCY           KIND       L PARENT           RECV  RES  NAME\n"), stdout);
		if (org_each_office(&cli->core, print_office, NULL))
			return cli_fail(&cli->err);
		return 0;
	}
	if (!strcmp(sub, "followed")) {
		/* "--all" is the only word it takes */
		int all = argc > 2 && !strcmp(argv[2], "--all");
		if (argc > 2 + all)
			return cli_usage("office", "say: office followed [--all]");
		if ((rc = cli_login(cli)))
			return rc;
		if (org_followed(&cli->core, all, print_followed, NULL))
			return cli_fail(&cli->err);
		return 0;
	}
	if ((rc = cli_admin(cli)))
		return rc;
	if (!strcmp(sub, "set")) {
		if (!agency || optind != argc || !kind)
			return cli_usage("office", "say: office set AGENCY --kind KIND [--name NAME --level 1|3] [--parent AGENCY]");
		if (org_office_set(&cli->core, agency, name, level, kind, parent, &cli->err))
			return cli_fail(&cli->err);
		return 0;
	}
	int add = !strcmp(sub, "receives") || !strcmp(sub, "resolves");
	const char *role = !strcmp(sub, "receives") || !strcmp(sub, "drop-receives") ? "receive"
			   : !strcmp(sub, "resolves") || !strcmp(sub, "drop-resolves") ? "resolve" : NULL;
	if (!role)
		return cli_usage("office", "unknown subcommand '%.20s': list, set, receives, resolves, drop-receives or drop-resolves", sub);
	if (!agency || optind >= argc)
		return cli_usage("office", "say: office %s AGENCY PROCEDURE...", sub);
	for (int i = optind; i < argc; i++)
		if (org_procedure_set(&cli->core, agency, argv[i], role, add, &cli->err))
			return cli_fail(&cli->err);
	return 0;
}
