/* cli_query.c - commands that read: show, history, search, queue, users, whoami, check. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "org.h"
#include "dossier.h"
#include "event.h"
#include "queue.h"
#include "snapshot.h"
#include "text.h"

static json_t *jtime(int64_t t)
{
	if (!t)
		return json_null();
	char b[24];
	cal_format(t, 1, b, sizeof b);
	return json_string(b);
}

json_t *cli_dossier_json(struct cli *cli, const struct dossier *d)
{
	struct core *c = &cli->core;
	struct procedure *p = calloc(1, sizeof *p);
	struct user u = {0};
	struct department dp = {0};
	if (p)
		store_procedure_get(c->st, d->procedure_id, p);
	if (d->assignee_id)
		store_user_get(c->st, d->assignee_id, &u);
	if (d->dept_id)
		store_dept_get(c->st, d->dept_id, &dp);
	int tl = core_timeliness(c, d);
	json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:I,"
			      " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:o}",
		"code", d->code, "status", d->status, "status_name", status_name(d->status),
		"stage", stage_name(d->stage), "procedure", p ? p->code : "", "procedure_name", p ? p->name : "",
		"channel", channel_name(d->channel),
		"applicant", "kind", d->applicant_kind == AK_BUSINESS ? "business" : "person",
		"name", d->applicant_name, "id", d->applicant_idno, "phone", d->applicant_phone, "address", d->applicant_address,
		"components", (json_int_t)d->components,
		"received_at", jtime(d->received_at), "accepted_at", jtime(d->accepted_at),
		"due_at", jtime(d->due_at), "committed_due_at", jtime(d->orig_due_at), "step_due_at", jtime(d->step_due_at),
		"resolved_at", jtime(d->resolved_at), "returned_at", jtime(d->returned_at),
		"department", dp.code, "assignee", u.account, "note", d->note, "rating", d->rating,
		"apology", d->apology, "version", d->version, "last_actor", d->last_actor,
		"timeliness", tl ? json_string(cal_timeliness_name(tl)) : json_null());
	/* where it is, and its three places since 1 July 2025 (org.h) */
	static const char *const place[] = {"office", "received_by_office", "resolved_by", "return_office"};
	int64_t ids[] = {d->office_id, d->recv_office_id, d->resolver_id, d->return_office_id};
	for (int i = 0; i < 4; i++) {
		struct office o;
		if (ids[i] && !org_office(c, NULL, ids[i], &o))
			json_object_set_new(j, place[i], json_string(o.agency_code));
	}
	free(p);
	return j;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("show", "give one dossier code");
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	struct dossier *d = malloc(sizeof *d);
	if (dossier_get(&cli->core, argv[1], d, &cli->err)) {
		free(d);
		return cli_fail(&cli->err);
	}
	json_t *j = cli_dossier_json(cli, d);
	if (cli->json) {
		cli_json_print(j);
	} else {
		static const char *keys[] = {"code", "status_name", "stage", "procedure", "procedure_name", "channel",
			"received_at", "due_at", "committed_due_at", "step_due_at", "resolved_at", "returned_at",
			"department", "assignee", "timeliness", "note", "office", "received_by_office", "resolved_by",
			"return_office", NULL};
		for (int i = 0; keys[i]; i++) {
			json_t *v = json_object_get(j, keys[i]);
			if (json_is_string(v) && *json_string_value(v))
				cli_print_safe(keys[i], json_string_value(v));
		}
		json_t *a = json_object_get(j, "applicant");
		cli_print_safe("applicant", json_string_value(json_object_get(a, "name")));
		cli_print_safe("id", json_string_value(json_object_get(a, "id")));
		cli_print_safe("phone", json_string_value(json_object_get(a, "phone")));
		if (d->apology)
			cli_print_safe("apology", "yes (extended with an apology letter)");
		json_decref(j);
	}
	free(d);
	return 0;
}

struct hist {
	struct cli *cli;
	struct dossier d;
	json_t *arr;
	int rc;
	int base_dseq;         /* taken from central's snapshot at this step (0: whole history here) */
};

static int hist_one(const struct event *ev, void *ctx)
{
	struct hist *h = ctx;
	int64_t step_due = h->d.step_due_at;
	int tl = step_due && ev->dseq > h->base_dseq ? cal_timeliness(step_due, ev->at, ev->at) : 0;
	/* the head of a snapshot base: the base state is the dossier after it */
	if (ev->dseq > h->base_dseq && dossier_apply(h->cli->core.st, &h->d, ev, &h->cli->err))
		return h->rc = h->cli->err.code;
	char at[24], hash[65];
	cal_format(ev->at, 1, at, sizeof at);
	hex_encode(ev->hash, 32, hash);
	if (h->cli->json) {
		json_error_t je;
		json_t *pl = json_loads(ev->payload, 0, &je);
		json_array_append_new(h->arr, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s}",
			"id", ev->id, "seq", ev->dseq, "kind", ev->kind, "at", at, "actor", ev->actor,
			"os_account", ev->os_account, "stage_after", stage_name(h->d.stage),
			"step_timeliness", tl ? json_string(cal_timeliness_name(tl)) : json_null(),
			"payload", pl ? pl : json_null(), "hash", hash));
	} else {
		char line[512];
		snprintf(line, sizeof line, "%3d %s  %-20s %-12s %-10s -> %s", ev->dseq, at, ev->kind, ev->actor,
			 tl ? cal_timeliness_name(tl) : "", stage_name(h->d.stage));
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
	struct hist *h = calloc(1, sizeof *h);
	h->cli = cli;
	h->arr = json_array();
	if (dossier_get(&cli->core, argv[1], &h->d, &cli->err)) {
		json_decref(h->arr);
		free(h);
		return cli_fail(&cli->err);
	}
	/* a dossier taken from central's snapshot: its steps before the base are at central */
	h->base_dseq = snapshot_replay_start(cli->core.st, argv[1], &h->d, &cli->err);
	if (h->base_dseq > 1 && !cli->json) {
		char line[300];
		snprintf(line, sizeof line, "steps 1-%d are at central (this store took the dossier from its snapshot"
			 " at step %d): 'motcua sync fetch %s' brings them", h->base_dseq - 1, h->base_dseq, argv[1]);
		cli_print_safe(NULL, line);
	}
	if (h->base_dseq >= 0)
		store_events_of(cli->core.st, argv[1], hist_one, h);
	rc = h->base_dseq < 0 ? cli->err.code : h->rc;
	if (rc)
		cli_fail(&cli->err);
	else if (cli->json)
		cli_json_print(json_pack("{s:s, s:o, s:i}", "code", argv[1], "events", h->arr, "older_steps_at_central",
					 h->base_dseq ? h->base_dseq - 1 : 0));
	if (rc || !cli->json)
		json_decref(h->arr);
	free(h);
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
	snprintf(line, sizeof line, "%-26s %-16s %-22s %s", d->code, due, status_name(d->status), name);
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
	if (!text_valid_utf8(q, strlen(q))) {
		err_set(&cli->err, MC_INVALID, "the search text is not valid UTF-8");
		return cli_fail(&cli->err);
	}
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	char folded[1024];
	text_fold(q, folded, sizeof folded);
	struct listing l = {cli, json_array(), 0};
	store_search(cli->core.st, folded, limit, list_one, &l);
	if (cli->json)
		cli_json_print(l.arr);
	else {
		json_decref(l.arr);
		if (!l.n)
			fprintf(stderr, "no dossier matches\n");
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
			printf("== %s: %d (%d overdue)\n", q->title, total, overdue);
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
	char roles[128];
	roles_format(u->roles, roles, sizeof roles);
	if (arr) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I, s:b}", "account", u->account, "name", u->name,
						     "roles", roles, "department_id", (json_int_t)u->dept_id, "active", u->active));
		return 0;
	}
	char line[1200], name[512];
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
	store_users(cli->core.st, user_line, arr);
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
	char roles[128];
	roles_format(cli->core.actor.roles, roles, sizeof roles);
	char line[512];
	snprintf(line, sizeof line, "%s (%s), roles %s, OS account %s, office %s", cli->core.actor.account,
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
	char msg[512];
	int wal_bug = 0;
	const char *ver = store_sqlite_version(&wal_bug);
	if (!cli->json)
		printf("SQLite %s\n", ver);
	if (wal_bug)
		fprintf(stderr, "motcua: warning: SQLite %s has the WAL-reset corruption bug (fixed in 3.51.3): build motcua with its bundled SQLite ('make SQLITE=bundled')\n", ver);
	if (store_integrity_check(cli->core.st, msg, sizeof msg)) {
		err_set(&cli->err, MC_STORE, "integrity check failed: %s", msg);
		return cli_fail(&cli->err);
	}
	printf("ok\n");
	return 0;
}
