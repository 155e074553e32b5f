/* cli_files.c - attachments from the command line: attach, files, file export|check|print
 * (rules in src/attach.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attach.h"
#include "cli.h"
#include "i18n.h"
#include "text.h"

static int parse_int(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 1000)
		return -1;
	*out = (int)v;
	return 0;
}

int cmd_attach(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"component", 1, 0, 'c'}, {"result", 0, 0, 'r'}, {0, 0, 0, 0}};
	int component = -2, result = 0, o;   /* -2: not given */
	while ((o = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (o == 'c' && !parse_int(optarg, &component))
			continue;
		if (o == 'r') {
			result = 1;
			continue;
		}
		return cli_usage("attach", "give the component's number with --component N (0: a paper that is no component)");
	}
	if (argc - optind < 2)
		return cli_usage("attach", "give the dossier's code and at least one file");
	if (result && component == -2)
		component = ATTACH_RESULT;
	else if (result)
		return cli_usage("attach", "the result document is no component: give --result without --component");
	if (component == -2)
		return cli_usage("attach", "give the component's number with --component N (0: a paper that is no component)");
	int rc = cli_login(cli);
	if (rc)
		return rc;
	const char *code = argv[optind];
	char type[64];
	/* every file is checked first: a wrong one among several attaches none */
	for (int i = optind + 1; i < argc; i++)
		if (attach_probe(&cli->core, argv[i], type, sizeof type, &cli->err))
			return cli_fail(&cli->err);
	json_t *list = cli->json ? json_array() : NULL;
	for (int i = optind + 1; i < argc; i++) {
		struct attach_info a;
		if (attach_file(&cli->core, code, component, argv[i], &a, &cli->err)) {
			if (i > optind + 1)
				fprintf(stderr, _("motcua: %d of %d files were attached before this one failed\n"), i - optind - 1, argc - optind - 1);
			json_decref(list);
			return cli_fail(&cli->err);
		}
		if (list) {
			json_array_append_new(list, json_pack("{s:i, s:s, s:s, s:I, s:s}", "component", a.component, "name", a.name,
							      "type", a.type, "size", (json_int_t)a.size, "sha256", a.sha256));
		} else {
			char line[1200];
			if (a.result)
				snprintf(line, sizeof line, _("attached %s to %s as the result document: %s, %lld bytes, sha256 %s"), a.name,
					 code, a.type, (long long)a.size, a.sha256);
			else
				snprintf(line, sizeof line, _("attached %s to %s, component %d: %s, %lld bytes, sha256 %s"), a.name, code,
					 a.component, a.type, (long long)a.size, a.sha256);
			cli_print_safe(NULL, line);
		}
	}
	if (list)
		cli_json_print(list);
	return 0;
}

struct files_out { struct cli *cli; json_t *list; int n; };

static int files_line(const struct attach_info *a, void *arg)
{
	struct files_out *o = arg;
	char when[24], line[1400];
	o->n++;
	cal_format(a->at, 1, when, sizeof when);
	if (o->list) {
		json_array_append_new(o->list, json_pack("{s:i, s:i, s:b, s:s, s:s, s:I, s:s, s:s, s:s}", "n", o->n, "component", a->component,
							 "result", a->result, "name", a->name, "type", a->type, "size", (json_int_t)a->size,
							 "sha256", a->sha256, "by", a->actor, "at", when));
		if (a->reused_from[0])
			json_object_set_new(json_array_get(o->list, json_array_size(o->list) - 1), "reused_from", json_string(a->reused_from));
		return 0;
	}
	char comp[16];
	snprintf(comp, sizeof comp, a->result ? "R" : "%d", a->component);
	snprintf(line, sizeof line, "%2d  %2s  %-28s %-16s %9lld  %-10s %s  %.12s", o->n, comp, a->name, a->type,
		 (long long)a->size, a->actor, when, a->sha256);
	if (a->reused_from[0]) { /* reuse.h: the earlier dossier it comes from */
		size_t l = strlen(line);
		snprintf(line + l, sizeof line - l, _("  (reused from %s)"), a->reused_from);
	}
	cli_print_safe(NULL, line);
	return 0;
}

int cmd_files(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("files", "give the dossier's code");
	int rc = cli_login(cli);
	if (rc)
		return rc;
	struct files_out o = {cli, cli->json ? json_array() : NULL, 0};
	if (!o.list)
		printf("%2s  %2s  %-28s %-16s %9s  %-10s %-16s  %s\n", "#", "C", _("name"), _("type"), _("bytes"), _("by"), _("when"), "sha256");
	if (attach_list(&cli->core, argv[1], files_line, &o, &cli->err)) {
		json_decref(o.list);
		return cli_fail(&cli->err);
	}
	if (o.list)
		cli_json_print(o.list);
	else if (!o.n)
		printf(_("dossier %s has no attached files\n"), argv[1]);
	return 0;
}

/* the attachments file export/check/print act on: all, or the one numbered --n */
struct each { struct cli *cli; const char *dir; int op, n, bad, done; };
enum { OP_EXPORT, OP_CHECK, OP_PRINT };

static int file_one(const struct attach_info *a, void *arg)
{
	struct each *x = arg;
	x->n++;
	struct err e = {0};
	char path[4200], name[1024], line[1400];
	int rc;
	if (x->op == OP_EXPORT) {
		attach_export_name(a, name, sizeof name);
		snprintf(path, sizeof path, "%s/%s", x->dir, name);
		if (!(rc = attach_export(&x->cli->core, a, path, &e))) {
			snprintf(line, sizeof line, _("exported %s"), path);
			cli_print_safe(NULL, line);
		}
	} else if (x->op == OP_CHECK) {
		if (!(rc = attach_check(&x->cli->core, a, &e))) {
			snprintf(line, sizeof line, _("ok       %s (%.12s)"), a->name, a->sha256);
			cli_print_safe(NULL, line);
		}
	} else {
		if (!(rc = attach_print(&x->cli->core, a, &e))) {
			snprintf(line, sizeof line, _("sent %s to the printer"), a->name);
			cli_print_safe(NULL, line);
		}
	}
	x->done++;
	if (rc) {
		if (x->op == OP_CHECK && (rc == MC_INVALID || rc == MC_NOTFOUND)) {
			snprintf(line, sizeof line, rc == MC_INVALID ? _("CORRUPT  %s") : _("MISSING  %s"), e.msg);
			cli_print_safe(NULL, line);
		} else {
			cli_fail(&e);
		}
		x->bad = x->bad ? x->bad : rc;
		if (x->op != OP_CHECK)
			return 1;
	}
	return 0;
}

int cmd_file(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"dir", 1, 0, 'd'}, {"n", 1, 0, 'n'}, {0, 0, 0, 0}};
	const char *dir = ".";
	int which = 0, o;
	while ((o = getopt_long(argc, argv, "d:n:", opts, NULL)) != -1) {
		if (o == 'd')
			dir = optarg;
		else if (o == 'n' && !parse_int(optarg, &which) && which > 0)
			continue;
		else
			return cli_usage("file", "say: file export|check|print CODE [--n N] [--dir DIR]");
	}
	if (argc - optind == 3 && !strcmp(argv[optind], "set")) {
		int rc = cli_admin(cli);
		if (rc)
			return rc;
		if (attach_setting_put(&cli->core, argv[optind + 1], argv[optind + 2], &cli->err))
			return cli_fail(&cli->err);
		cli_print_safe(NULL, _("saved"));
		return 0;
	}
	if (argc - optind != 2)
		return cli_usage("file", "say: file export|check|print CODE [--n N] [--dir DIR]");
	const char *verb = argv[optind], *code = argv[optind + 1];
	struct each x = {cli, dir, 0, 0, 0, 0};
	if (!strcmp(verb, "export"))
		x.op = OP_EXPORT;
	else if (!strcmp(verb, "check"))
		x.op = OP_CHECK;
	else if (!strcmp(verb, "print"))
		x.op = OP_PRINT;
	else
		return cli_usage("file", "say: file export|check|print CODE [--n N] [--dir DIR]");
	int rc = cli_login(cli);
	if (rc)
		return rc;
	if (which) {
		struct attach_info a;
		if (attach_nth(&cli->core, code, which, &a, &cli->err))
			return cli_fail(&cli->err);
		x.n = which - 1;
		file_one(&a, &x);
	} else if (attach_list(&cli->core, code, file_one, &x, &cli->err)) {
		return cli_fail(&cli->err);
	}
	if (!x.done)
		printf(_("dossier %s has no attached files\n"), code);
	if (x.op == OP_CHECK && x.bad)
		fprintf(stderr, _("motcua: some attached files of %s are missing or corrupt: run motcua audit verify and restore them from a backup\n"), code);
	return x.bad;
}
