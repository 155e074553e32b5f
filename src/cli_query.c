/* cli_query.c - commands that read: show, history, search, queue, users, whoami, check. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "i18n.h"
#include "org.h"
#include "dossier.h"
#include "event.h"
#include "office.h"
#include "queue.h"
#include "text.h"
#include "view.h"

static json_t *jtime(int64_t t)
{
	if (!t)
		return json_null();
	char b[24];
	cal_format(t, 1, b, sizeof b);
	return json_string(b);
}

/* the dossier with its names (dossier_view) as JSON */
static json_t *view_json(const struct dossier_view *v)
{
	const struct dossier *d = &v->d;
	const struct procedure *p = &v->proc;
	int tl = v->timeliness;
	json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:I,"
			      " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:o}",
		"code", d->code, "status", d->status, "status_name", status_name(d->status),
		"stage", stage_name(d->stage), "procedure", p->code, "procedure_name", p->name,
		"channel", channel_name(d->channel),
		"applicant", "kind", d->applicant_kind == AK_BUSINESS ? "business" : "person",
		"name", d->applicant_name, "id", d->applicant_idno, "phone", d->applicant_phone, "address", d->applicant_address,
		"components", (json_int_t)d->components,
		"received_at", jtime(d->received_at), "accepted_at", jtime(d->accepted_at),
		"due_at", jtime(d->due_at), "committed_due_at", jtime(d->orig_due_at), "step_due_at", jtime(d->step_due_at),
		"resolved_at", jtime(d->resolved_at), "returned_at", jtime(d->returned_at),
		"department", v->dept.code, "assignee", v->assignee.account, "note", d->note, "rating", d->rating,
		"apology", d->apology, "version", d->version, "last_actor", d->last_actor,
		"timeliness", tl ? json_string(cal_timeliness_name(tl)) : json_null());
	if (j) /* the version of its procedure it was received under (procver.h) */
		json_object_set_new(j, "procedure_version", json_integer(p->version > 0 ? p->version : 1));
	return j;
}

/* where the dossier is, and its three places since 1 July 2025 (org.h), by agency code */
static void add_places(struct core *c, const struct dossier *d, json_t *j)
{
	static const char *const place[] = {"office", "received_by_office", "resolved_by", "return_office"};
	int64_t ids[] = {d->office_id, d->recv_office_id, d->resolver_id, d->return_office_id};
	for (int i = 0; i < 4; i++) {
		struct office o;
		if (ids[i] && !org_office(c, NULL, ids[i], &o))
			json_object_set_new(j, place[i], json_string(o.agency_code));
	}
}

json_t *cli_dossier_json(struct cli *cli, const struct dossier *d)
{
	struct dossier_view *v = malloc(sizeof *v);
	if (!v)
		return json_null();
	dossier_view_of(&cli->core, d, v);
	json_t *j = view_json(v);
	add_places(&cli->core, d, j);
	free(v);
	return j;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("show", "give one dossier code");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	struct dossier_view *v = malloc(sizeof *v);
	if (!v || dossier_view(&cli->core, argv[1], v, &cli->err)) {
		free(v);
		return cli_fail(&cli->err);
	}
	const struct dossier *d = &v->d;
	json_t *j = view_json(v);
	add_places(&cli->core, d, j);
	if (cli->json) {
		cli_json_print(j);
	} else {
		/* labels: the JSON keys in English (N_ so that Vietnamese gets words) */
		static const struct { const char *key, *label; } keys[] = {
			{"code", N_("code")}, {"status_name", N_("status_name")}, {"stage", N_("stage")},
			{"procedure", N_("procedure")}, {"procedure_name", N_("procedure_name")}, {"channel", N_("channel")},
			{"received_at", N_("received_at")}, {"due_at", N_("due_at")},
			{"committed_due_at", N_("committed_due_at")}, {"step_due_at", N_("step_due_at")},
			{"resolved_at", N_("resolved_at")}, {"returned_at", N_("returned_at")},
			{"department", N_("department")}, {"assignee", N_("assignee")}, {"timeliness", N_("timeliness")},
			{"note", N_("note")}, {"office", N_("office")}, {"received_by_office", N_("received_by_office")},
			{"resolved_by", N_("resolved_by")}, {"return_office", N_("return_office")}, {NULL, NULL}};
		for (int i = 0; keys[i].key; i++) {
			json_t *v = json_object_get(j, keys[i].key);
			if (!json_is_string(v) || !*json_string_value(v))
				continue;
			const char *val = json_string_value(v);
			if (!strcmp(keys[i].key, "status_name"))
				val = status_label(d->status);
			else if (!strcmp(keys[i].key, "stage") || !strcmp(keys[i].key, "channel") || !strcmp(keys[i].key, "timeliness"))
				val = _(val); /* an English key of model.c or calendar.c */
			cli_print_safe(_(keys[i].label), val);
		}
		json_t *a = json_object_get(j, "applicant");
		cli_print_safe(_("applicant"), json_string_value(json_object_get(a, "name")));
		cli_print_safe(_("id"), json_string_value(json_object_get(a, "id")));
		cli_print_safe(_("phone"), json_string_value(json_object_get(a, "phone")));
		if (d->apology)
			cli_print_safe(_("apology"), _("yes (extended with an apology letter)"));
		json_decref(j);
	}
	free(v);
	return 0;
}

struct hist {
	struct cli *cli;
	const char *code;
	json_t *arr;
};

static int hist_one(const struct history_step *s, void *ctx)
{
	struct hist *h = ctx;
	const struct event *ev = s->ev;
	int tl = s->timeliness;
	/* a dossier taken from central's snapshot: its steps before the base are at central */
	if (s->first && s->base_dseq > 1 && !h->cli->json) {
		char line[300];
		snprintf(line, sizeof line, _("steps 1-%d are at central (this store took the dossier from its snapshot"
			 " at step %d): 'motcua sync fetch %s' brings them"), s->base_dseq - 1, s->base_dseq, h->code);
		cli_print_safe(NULL, line);
	}
	char at[24], hash[65];
	cal_format(ev->at, 1, at, sizeof at);
	hex_encode(ev->hash, 32, hash);
	if (h->cli->json) {
		json_error_t je;
		json_t *pl = json_loads(ev->payload, 0, &je);
		json_array_append_new(h->arr, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s}",
			"id", ev->id, "seq", ev->dseq, "kind", ev->kind, "at", at, "actor", ev->actor,
			"os_account", ev->os_account, "stage_after", stage_name(s->after->stage),
			"step_timeliness", tl ? json_string(cal_timeliness_name(tl)) : json_null(),
			"payload", pl ? pl : json_null(), "hash", hash));
	} else {
		char line[768], kind[160], timely[96];
		/* columns by display width: the labels are Vietnamese by default */
		snprintf(line, sizeof line, "%3d %s  %s %-12s %s -> %s", ev->dseq, at, cli_pad(event_label(ev->kind), 20, kind, sizeof kind),
			 ev->actor, cli_pad(tl ? _(cal_timeliness_name(tl)) : "", 10, timely, sizeof timely), _(stage_name(s->after->stage)));
		cli_print_safe(NULL, line);
	}
	return 0;
}

int cmd_history(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("history", "give one dossier code");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	struct hist h = {cli, argv[1], json_array()};
	int base = 0;
	rc = dossier_history(&cli->core, argv[1], hist_one, &h, &base, &cli->err);
	if (rc)
		cli_fail(&cli->err);
	else if (cli->json)
		cli_json_print(json_pack("{s:s, s:o, s:i}", "code", argv[1], "events", h.arr, "older_steps_at_central",
					 base ? base - 1 : 0));
	if (rc || !cli->json)
		json_decref(h.arr);
	return rc;
}

struct listing { struct cli *cli; json_t *arr; int n; };

static int list_one(const struct dossier *d, void *ctx)
{
	struct listing *l = ctx;
	l->n++;
	if (l->cli->json) {
		json_array_append_new(l->arr, cli_dossier_json(l->cli, d));
		return 0;
	}
	char due[24] = "-", line[1200], name[256];
	if (d->due_at)
		cal_format(d->due_at, 1, due, sizeof due);
	text_fit(d->applicant_name, 40, name, sizeof name);
	const char *st = status_label(d->status);
	int pad = 22 - text_width(st); /* Vietnamese: pad by columns, not bytes */
	snprintf(line, sizeof line, "%-26s %-16s %s%*s %s", d->code, due, st, pad > 0 ? pad : 0, "", name);
	cli_print_safe(NULL, line);
	return 0;
}

/* --limit N or --limit=N: 1 to 10000; 0 and *limit set, or a usage error (printed) */
static int limit_opt(const char *cmd, int argc, char **argv, int *limit)
{
	for (int i = 1; i < argc; i++) {
		const char *v = !strcmp(argv[i], "--limit") ? (i + 1 < argc ? argv[i + 1] : "") :
				!strncmp(argv[i], "--limit=", 8) ? argv[i] + 8 : NULL;
		if (!v)
			continue;
		char *end;
		long n = strtol(v, &end, 10);
		if (!*v || *end || n < 1 || n > 10000)
			return cli_usage(cmd, "--limit takes a number from 1 to 10000, not '%.20s'", v);
		*limit = (int)n;
	}
	return 0;
}

int cmd_search(struct cli *cli, int argc, char **argv)
{
	const char *q = NULL;
	int limit = 50;
	if (limit_opt("search", argc, argv, &limit))
		return MC_USAGE;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--limit")) {
			i++;
			continue;
		}
		if (!strncmp(argv[i], "--limit=", 8))
			continue;
		if (q)
			return cli_usage("search", "give the search text as one argument (quote it)");
		q = argv[i];
	}
	if (!q)
		return cli_usage("search", "give the text to search for");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	struct listing l = {cli, json_array(), 0};
	if (dossier_search(&cli->core, q, limit, list_one, &l, &cli->err)) {
		json_decref(l.arr);
		return cli_fail(&cli->err);
	}
	if (cli->json)
		cli_json_print(l.arr);
	else {
		json_decref(l.arr);
		if (!l.n)
			fprintf(stderr, "%s\n", _("no dossier matches"));
	}
	return 0;
}

int cmd_queue(struct cli *cli, int argc, char **argv)
{
	int limit = 20;
	if (limit_opt("queue", argc, argv, &limit))
		return MC_USAGE;
	int rc = cli_login(cli);
	if (rc)
		return rc;
	json_t *all = json_object();
	for (unsigned r = 1; r <= ROLE_ADMIN; r <<= 1) {
		const struct queue_def *q = (cli->core.actor.roles & r) ? queue_def_for(r) : NULL;
		if (!q)
			continue;
		int total, overdue;
		queue_count(&cli->core, q, &total, &overdue);
		struct listing l = {cli, json_array(), 0};
		if (!cli->json)
			printf(_("== %s: %d (%d overdue)\n"), _(q->title), total, overdue);
		queue_list(&cli->core, q, limit, 0, list_one, &l);
		if (cli->json)
			json_object_set_new(all, q->key, json_pack("{s:i, s:i, s:o}", "total", total, "overdue", overdue, "items", l.arr));
		else
			json_decref(l.arr);
	}
	if (cli->json)
		cli_json_print(all);
	else
		json_decref(all);
	return 0;
}

static int user_line(const struct user *u, void *ctx)
{
	json_t *arr = ctx;
	char roles[256];
	roles_format(u->roles, roles, sizeof roles);
	if (arr) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I, s:b}", "account", u->account, "name", u->name,
						     "roles", roles, "department_id", (json_int_t)u->dept_id, "active", u->active));
		return 0;
	}
	char line[1200], name[512];
	roles_label(u->roles, roles, sizeof roles);
	int w = text_fit(u->name, 28, name, sizeof name); /* padded by display width */
	snprintf(line, sizeof line, "%-12s %s%*s %s", u->account, name, 28 - w, "", roles);
	cli_print_safe(NULL, line);
	return 0;
}

int cmd_users(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("users", "takes no arguments");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	json_t *arr = cli->json ? json_array() : NULL;
	office_users(&cli->core, user_line, arr);
	if (arr)
		cli_json_print(arr);
	return 0;
}

int cmd_whoami(struct cli *cli, int argc, char **argv)
{
	(void)argc; (void)argv;
	int rc = cli_login(cli);
	if (rc)
		return rc;
	char roles[256];
	roles_label(cli->core.actor.roles, roles, sizeof roles);
	char line[512];
	snprintf(line, sizeof line, _("%s (%s), roles %s, OS account %s, office %s"), cli->core.actor.account,
		 cli->core.actor.name, roles, cli->core.os_account, cli->core.office.agency_code);
	cli_print_safe(NULL, line);
	return 0;
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
	(void)argc; (void)argv;
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	int wal_bug = 0;
	const char *ver = core_sqlite_version(&wal_bug);
	if (!cli->json)
		printf("SQLite %s\n", ver);
	if (wal_bug)
		fprintf(stderr, _("motcua: warning: SQLite %s has the WAL-reset corruption bug (fixed in 3.51.3): build motcua with its bundled SQLite ('make SQLITE=bundled')\n"), ver);
	if (core_check(&cli->core, &cli->err))
		return cli_fail(&cli->err);
	printf("ok\n");
	return 0;
}
