/* cli_admin.c - administration commands: init, demo, catalog, user (holidays: cli_calendar.c). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "catalog.h"
#include "cli_catalog.h"
#include "cli.h"
#include "i18n.h"
#include "demo.h"
#include "office.h"
#include "text.h"

/* a line of `catalog list`: the procedure's name gets what is left of 80 columns */
#define CATALOG_COLS 80

static int make_parent(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	char *dir = dirname(buf);
	char cur[4096] = "";
	for (char *sv = NULL, *t = strtok_r(dir, "/", &sv); t; t = strtok_r(NULL, "/", &sv)) {
		size_t l = strlen(cur);
		snprintf(cur + l, sizeof cur - l, "%s%s", (l || path[0] == '/') ? "/" : "", t);
		if (mkdir(cur, 0775) != 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

static int fresh_store(struct cli *cli)
{
	struct stat sb;
	if (stat(cli->db, &sb) == 0) {
		err_set(&cli->err, MC_INVALID, "%s already exists: remove it first or choose another --db", cli->db);
		return cli_fail(&cli->err);
	}
	if (make_parent(cli->db)) {
		err_set(&cli->err, MC_IO, "cannot create the directory for %s", cli->db);
		return cli_fail(&cli->err);
	}
	return cli_open(cli, 1);
}

static void progress(long done, long total)
{
	if (isatty(2)) {
		fputc('\r', stderr);
		fprintf(stderr, _("demo: %ld / %ld dossiers"), done, total);
	}
	if (done == total && isatty(2))
		fprintf(stderr, "\n");
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"dossiers", 1, 0, 'n'}, {"seed", 1, 0, 's'}, {"province", 0, 0, 'p'},
					     {"after-reform", 1, 0, 'a'}, {0, 0, 0, 0}};
	long n = 8000, after = 0;
	unsigned long seed = 1;
	int o, province = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		switch (o) {
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*end || n < 0 || n > 5000000)
				return cli_usage("demo", "--dossiers takes a number from 0 to 5000000");
			break;
		case 's':
			seed = strtoul(optarg, &end, 10);
			if (*end)
				return cli_usage("demo", "--seed takes a number");
			break;
		case 'p': province = 1; break;
		case 'a':
			after = strtol(optarg, &end, 10);
			if (*end || after < 0 || after > 5000000)
				return cli_usage("demo", "--after-reform takes a number of dossiers from 0 to 5000000");
			province = 1;
			break;
		default: return cli_usage("demo", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("demo", "unexpected argument '%.40s'", argv[optind]);
	if (getuid() != 0 && 0) /* a demo store is the caller's own file */
		return MC_DENIED;
	int rc = fresh_store(cli);
	if (rc)
		return rc;
	if (demo_build(&cli->core, n, seed, progress, &cli->err) || (province && demo_province(&cli->core, seed, 130, after, progress, &cli->err))) {
		fprintf(stderr, _("motcua: demo store not complete; remove %s and retry\n"), cli->db);
		return cli_fail(&cli->err);
	}
	printf(_("demo store %s: %lld dossiers\n"), cli->db, (long long)office_dossier_count(&cli->core));
	return 0;
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"office", 1, 0, 'o'}, {"name", 1, 0, 'n'}, {"level", 1, 0, 'l'},
					     {"admin", 1, 0, 'a'}, {0, 0, 0, 0}};
	const char *code = NULL, *name = NULL, *admin = NULL;
	int level = 1, o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'o': code = optarg; break;
		case 'n': name = optarg; break;
		case 'l': level = atoi(optarg); break;
		case 'a': admin = optarg; break;
		default: return cli_usage("init", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!code || !name)
		return cli_usage("init", "--office CODE and --name NAME are required");
	if (level < 1 || level > 3)
		return cli_usage("init", "--level is 1 (province), 2 (district) or 3 (commune)");
	struct office of;
	if (office_prepare(code, name, level, &of, &cli->err))
		return cli_fail(&cli->err);
	int rc = fresh_store(cli);
	if (rc)
		return rc;
	if (office_create(&cli->core, &of, admin, &cli->err))
		return cli_fail(&cli->err);
	printf(_("store %s created for %s\n"), cli->db, of.agency_code);
	return 0;
}

static int print_proc(const struct procedure *p, void *ctx)
{
	struct cli *cli = ctx;
	if (cli->json) {
		return 0;
	}
	char line[1400], name[400];
	text_fit(p->name, CATALOG_COLS - 40, name, sizeof name);
	snprintf(line, sizeof line, "%-10s L%d %-8s %3d/%-3d %s %s", p->code, p->level, p->field_code,
		 p->statutory_direct, p->committed_direct, p->hours ? "h" : "d", name);
	cli_print_safe(NULL, line);
	return 0;
}

struct plist { json_t *arr; int level; };
static int json_proc(const struct procedure *p, void *ctx)
{
	struct plist *l = ctx;
	if (l->level && p->level != l->level)
		return 0;
	json_array_append_new(l->arr, json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:I}",
		"code", p->code, "name", p->name, "level", p->level, "field", p->field_code,
		"unit", p->hours ? "hour" : "day", "statutory_direct", p->statutory_direct,
		"committed_direct", p->committed_direct, "statutory_online", p->statutory_online,
		"committed_online", p->committed_online, "fee", (json_int_t)p->fee));
	return 0;
}

int cmd_catalog(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("catalog", "say list or import");
	int rc;
	if (!strcmp(argv[1], "list")) {
		int level = 0;
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--level") && i + 1 < argc)
				level = atoi(argv[++i]);
			else
				return cli_usage("catalog", "unexpected argument '%.40s'", argv[i]);
		}
		if ((rc = cli_open(cli, 0)))
			return rc;
		struct plist l = {json_array(), level};
		office_procedures(&cli->core, json_proc, &l);
		if (cli->json) {
			cli_json_print(l.arr);
		} else {
			for (size_t i = 0; i < json_array_size(l.arr); i++) {
				json_t *p = json_array_get(l.arr, i);
				char line[1400], name[400];
				snprintf(line, sizeof line, "%-10s L%lld %-8s %3lld -> %-3lld %-4s  %s",
					 json_string_value(json_object_get(p, "code")), json_integer_value(json_object_get(p, "level")),
					 json_string_value(json_object_get(p, "field")),
					 json_integer_value(json_object_get(p, "statutory_direct")),
					 json_integer_value(json_object_get(p, "committed_direct")),
					 json_string_value(json_object_get(p, "unit")), "");
				int room = CATALOG_COLS - text_width(line);
				text_fit(json_string_value(json_object_get(p, "name")), room > 8 ? room : 8, name, sizeof name);
				snprintf(line + strlen(line), sizeof line - strlen(line), "%s", name);
				cli_print_safe(NULL, line);
			}
			json_decref(l.arr);
		}
		(void)print_proc;
		return 0;
	}
	if (!strcmp(argv[1], "import")) {
		if (argc != 3)
			return cli_usage("catalog", "import takes one CSV file");
		if ((rc = cli_admin(cli)))
			return rc;
		struct catalog_result r = {0};
		if (catalog_import_file_ex(&cli->core, argv[2], &r, &cli->err)) {
			catalog_result_free(&r);
			return cli_fail(&cli->err);
		}
		cli_catalog_summary(cli, &r);
		catalog_result_free(&r);
		return 0;
	}
	if (!strcmp(argv[1], "versions"))
		return cli_catalog_versions(cli, argc, argv);
	if (!strcmp(argv[1], "fetch"))
		return cli_catalog_fetch(cli, argc, argv);
	return cli_usage("catalog", "unknown subcommand '%.40s' (list, import, versions, fetch)", argv[1]);
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"name", 1, 0, 'n'}, {"roles", 1, 0, 'r'}, {"department", 1, 0, 'd'},
					     {"office", 1, 0, 'o'}, {0, 0, 0, 0}};
	const char *name = NULL, *roles = NULL, *dept = NULL, *office = NULL;
	int o;
	if (argc < 3 || strcmp(argv[1], "add"))
		return cli_usage("user", "say: user add ACCOUNT --name NAME --roles R");
	const char *account = argv[2];
	optind = 3;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n': name = optarg; break;
		case 'r': roles = optarg; break;
		case 'd': dept = optarg; break;
		case 'o': office = optarg; break;
		default: return cli_usage("user", "unknown option '%s'", argv[optind - 1]);
		}
	}
	struct user_req q = {.account = account, .name = name, .office = office, .department = dept};
	struct user u;
	if (!name || !roles)
		return cli_usage("user", "--name and --roles are required");
	if (role_parse(roles, &q.roles))
		return cli_usage("user", "unknown role in '%.60s' (clerk, head, specialist, leader, supervisor, admin)", roles);
	/* the rule is user_create's; saying which option is missing is the command line's */
	if ((q.roles & (ROLE_HEAD | ROLE_SPECIALIST)) && !dept)
		return cli_usage("user", "a head or specialist needs --department CODE");
	int rc = cli_admin(cli);
	if (rc)
		return rc;
	if (user_create(&cli->core, &q, &u, &cli->err))
		return cli_fail(&cli->err);
	printf(_("user %s added\n"), u.account);
	return 0;
}
