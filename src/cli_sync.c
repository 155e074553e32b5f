/* cli_sync.c - the sync commands: `sync` (push + pull, status, export, import of a
 * reply, fetch of a dossier's older steps), `central` (init, publish, snapshot,
 * submit-online, withdraw, conflicts, import, status: a motcua acting on the central
 * database) and `conflicts` (the office's
 * conflict queue and its resolution).  The rules are in src/sync.c (the office's)
 * and src/central.c (central's).
 */
#include <getopt.h>
#include <pwd.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "central_admin.h"
#include "filebundle.h"
#include "i18n.h"
#include "snapshot.h"
#include "sync.h"
#include "sync_glance.h"
#include "sync_lock.h"
#include "sync_watch.h"
#include "text.h"

static void when(int64_t t, char *buf, int n)
{
	if (t)
		cal_format(t, 1, buf, n);
	else
		snprintf(buf, (size_t)n, "%s", _("never"));
}

struct prog { int tty; int last_pct; };

static void progress(void *ctx, const char *phase, int64_t done, int64_t total)
{
	struct prog *p = ctx;
	if (!strcmp(phase, "wait")) { /* another sync of this store runs (sync_lock.h) */
		fprintf(stderr, _("another sync of this store is running: this one waits up to %d seconds for it to end\n"),
			SYNC_LOCK_WAIT_MS / 1000);
		return;
	}
	/* the phase and its unit in the reader's language (sync.c names them in English) */
	const char *unit = !strcmp(phase, "snapshot") ? _("dossiers") : !strcmp(phase, "files") ? "KB" : _("events");
	phase = !strcmp(phase, "push") ? _("push") : !strcmp(phase, "pull") ? _("pull") : !strcmp(phase, "snapshot") ? _("snapshot")
		: !strcmp(phase, "import") ? _("import") : !strcmp(phase, "files") ? _("files") : phase;
	if (total > 0 && done > total) /* steps saved while the push runs go up with it */
		total = done;
	if (p->tty) {
		char bar[31];
		int fill = total > 0 ? (int)(done * 30 / total) : 0;
		for (int i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = 0;
		if (total > 0)
			fprintf(stderr, "\r%-6s [%s] %lld/%lld %s ", phase, bar, (long long)done, (long long)total, unit);
		else
			fprintf(stderr, "\r%-6s %lld %s ", phase, (long long)done, unit);
		return;
	}
	/* not a terminal (cron, logs): one line per tenth */
	int pct = total > 0 ? (int)(done * 10 / total) : -1;
	if (done == 0 || pct != p->last_pct || (total > 0 && done == total)) {
		if (total > 0)
			fprintf(stderr, "%s: %lld/%lld %s\n", phase, (long long)done, (long long)total, unit);
		else if (done > 0)
			fprintf(stderr, "%s: %lld %s\n", phase, (long long)done, unit);
		p->last_pct = pct;
	}
}

static void print_result(struct cli *cli, const struct sync_result *r)
{
	if (cli->json) {
		cli_json_print(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:I, s:i}", "pushed", (json_int_t)r->pushed,
					 "push_duplicates", (json_int_t)r->push_dup, "push_refused", (json_int_t)r->push_refused,
					 "pulled", (json_int_t)r->pulled, "pull_duplicates", (json_int_t)r->pull_dup,
					 "quarantined", (json_int_t)r->quarantined, "conflicts", (json_int_t)r->conflicts,
					 "reference_data", r->ref_applied, "resent", (json_int_t)r->recovered.resend,
					 "reread", r->recovered.reread));
		return;
	}
	if (r->recovered.resend)
		printf(_("central lacks %lld events this office had sent it (it was restored from a backup or failed over to a standby): this office sends them again\n"),
		       (long long)r->recovered.resend);
	if (r->recovered.reread)
		printf("%s\n", r->recovered.reread == 1 ? _("central's log is another one than the one this office followed (a failover or a restore): this office reads it again from the start and takes what it lacks")
		       : _("central's log is behind what this office had read (a restore): this office reads it again from the start and takes what it lacks"));
	printf(_("pushed %lld events (%lld already at central, %lld refused there)\n"), (long long)r->pushed,
	       (long long)r->push_dup, (long long)r->push_refused);
	printf(_("pulled %lld events (%lld already here, %lld quarantined)\n"), (long long)r->pulled, (long long)r->pull_dup,
	       (long long)r->quarantined);
	if (r->ref_applied)
		printf("%s\n", _("reference data updated"));
	if (r->conflicts)
		printf(_("%lld dossiers are now in conflict: see 'motcua conflicts'\n"), (long long)r->conflicts);
	const struct filesync_result *f = &r->files;
	if (f->sent || f->received)
		printf(_("files: %lld sent (%lld KB), %lld received (%lld KB)\n"), (long long)f->sent, (long long)(f->sent_bytes / 1024),
		       (long long)f->received, (long long)(f->received_bytes / 1024));
	if (f->waiting)
		printf(_("%lld attached files are not at central yet: they come at a later sync\n"), (long long)f->waiting);
	if (f->corrupt)
		printf(_("%lld files failed their hash check (last %.12s...): dropped, they are sent again\n"), (long long)f->corrupt, f->bad);
	if (f->left)
		printf("%s\n", _("the time for files ran out (setting sync.files_seconds): the next sync goes on with them"));
	if (f->no_tables)
		printf("%s\n", _("central has no tables for files yet: attached files wait until 'motcua central init' runs there with this version"));
}

/* what a files bundle brought (filebundle.h) */
static void print_filebundle(const struct filebundle_result *f)
{
	if (f->files || f->dup)
		printf(_("files: %lld stored, %lld already here\n"), (long long)f->files, (long long)f->dup);
	if (f->broken)
		printf(_("%lld files in the bundle were incomplete or failed their hash check (last %.12s...): not stored\n"),
		       (long long)f->broken, f->bad);
	if (f->missing)
		printf(_("%lld attached files are missing (last %.12s...): their events are kept, 'motcua audit verify' names them\n"),
		       (long long)f->missing, f->bad);
}

/* --watch: one line per sync that moved something, and when central is lost or back */
static void watch_report(void *ctx, int what, const struct sync_result *r, const char *why, int wait_s)
{
	struct cli *cli = ctx;
	char t[24], line[900];
	cal_format(core_now(&cli->core), 1, t, sizeof t);
	switch (what) {
	case SYNC_WATCH_OFFLINE:
		snprintf(line, sizeof line, gettext("%s offline: %s; trying again in %d s"), t, why, wait_s);
		break;
	case SYNC_WATCH_STILL_OFFLINE:
		snprintf(line, sizeof line, gettext("%s still offline; trying again in %d s"), t, wait_s);
		break;
	case SYNC_WATCH_WAITING:
		snprintf(line, sizeof line, gettext("%s waiting for its turn: %s; trying again every %d s"), t, why, wait_s);
		break;
	default:
		if (what == SYNC_WATCH_BACK)
			snprintf(line, sizeof line, gettext("%s online again: %lld events sent, %lld received, %lld new conflicts"), t,
				 (long long)r->pushed, (long long)r->pulled, (long long)r->conflicts);
		else
			snprintf(line, sizeof line, gettext("%s synced: %lld events sent, %lld received, %lld new conflicts"), t,
				 (long long)r->pushed, (long long)r->pulled, (long long)r->conflicts);
	}
	cli_print_safe(NULL, line);
	fflush(stdout);
}

static int sync_status_cmd(struct cli *cli)
{
	if (cli_open(cli, 0))
		return cli->err.code ? cli->err.code : 1;
	struct sync_status s;
	if (sync_status(&cli->core, &s, &cli->err))
		return cli_fail(&cli->err);
	char ok[24], bad[24], pb[64];
	when(s.last_ok_at, ok, sizeof ok);
	when(s.last_error_at, bad, sizeof bad);
	if (cli->json) {
		cli_json_print(json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "office",
					 cli->core.office.agency_code, "central", s.url, "pending", (json_int_t)s.pending,
					 "last_success", ok, "last_error_at", bad, "last_error", s.last_error,
					 "conflicts", (json_int_t)s.conflicts, "quarantined", (json_int_t)s.quarantined,
					 "push_seq", (json_int_t)s.push_seq, "pull_cursor", (json_int_t)s.pull_cursor));
		return 0;
	}
	cli_print_safe(_("office"), cli->core.office.agency_code);
	cli_print_safe(_("central"), s.url[0] ? s.url : _("(not set: motcua sync --central URL)"));
	printf(_("%-14s %lld events\n"), cli_pad(_("pending"), 14, pb, sizeof pb), (long long)s.pending);
	int64_t fsend = 0, fbytes = 0, fget = 0;
	if (!filesync_status(&cli->core, &fsend, &fbytes, &fget, &cli->err))
		printf(_("%-14s %lld to send (%lld KB), %lld to receive\n"), cli_pad(_("files"), 14, pb, sizeof pb), (long long)fsend, (long long)(fbytes / 1024),
		       (long long)fget);
	printf(_("%-14s %s (%lld pushed, %lld pulled)\n"), cli_pad(_("last success"), 14, pb, sizeof pb), ok, (long long)s.last_pushed, (long long)s.last_pulled);
	if (s.last_error[0]) {
		char line[700];
		snprintf(line, sizeof line, "%s: %s", bad, s.last_error);
		cli_print_safe(_("last error"), line);
	}
	struct sync_holder h;
	if (sync_lock_running(&cli->core, &h)) {
		char since[24];
		cal_format(h.since, 1, since, sizeof since);
		if (h.pid)
			printf(_("%-14s process %ld on %s since %s\n"), cli_pad(_("syncing now"), 14, pb, sizeof pb), h.pid, h.host, since);
		else
			printf(_("%-14s another process is syncing this store\n"), cli_pad(_("syncing now"), 14, pb, sizeof pb));
	}
	printf(_("%-14s %lld open\n"), cli_pad(_("conflicts"), 14, pb, sizeof pb), (long long)s.conflicts);
	printf(_("%-14s %lld events\n"), cli_pad(_("quarantined"), 14, pb, sizeof pb), (long long)s.quarantined);
	return 0;
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"central", 1, 0, 'c'}, {"out", 1, 0, 'o'}, {"batch", 1, 0, 'b'},
					    {"watch", 0, 0, 'w'}, {"interval", 1, 0, 'i'}, {0, 0, 0, 0}};
	const char *url = NULL, *out = NULL;
	int batch = 0, o, watch = 0, interval = 0;
	const char *sub = cli_subcommand(&argc, &argv);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': url = optarg; break;
		case 'o': out = optarg; break;
		case 'b': batch = atoi(optarg); break;
		case 'w': watch = 1; break;
		case 'i': interval = atoi(optarg); break;
		default: return cli_bad_option("sync", argv);
		}
	}
	if (batch < 0 || batch > 100000)
		return cli_usage("sync", "--batch is 1 to 100000 events");
	struct prog pr = {isatty(2), -1};
	struct sync_opts so = {batch, progress, &pr};
	struct sync_result r;
	if (sub && !strcmp(sub, "status"))
		return sync_status_cmd(cli);
	if (sub && !strcmp(sub, "key"))
		return cli_sync_key(cli);
	int rc = cli_admin(cli);
	if (rc)
		return rc;
	if (sub && !strcmp(sub, "export")) {
		if (!out)
			return cli_usage("sync", "export needs --out FILE");
		int64_t n = 0;
		if (sync_export(&cli->core, out, &n, &cli->err))
			return cli_fail(&cli->err);
		char line[4200];
		snprintf(line, sizeof line, _("%lld events written to %s"), (long long)n, out);
		cli_print_safe(NULL, line);
		if (filebundle_export(&cli->core, out, &n, &cli->err))
			return cli_fail(&cli->err);
		if (n) {
			snprintf(line, sizeof line, gettext("%lld attached files written to %s.files: carry it with the bundle"), (long long)n, out);
			cli_print_safe(NULL, line);
		}
		return 0;
	}
	if (sub && !strcmp(sub, "import")) {
		if (optind >= argc)
			return cli_usage("sync", "import needs the reply FILE from 'motcua central import'");
		rc = sync_import_reply(&cli->core, argv[optind], &so, &r, &cli->err);
		if (pr.tty)
			fputc('\n', stderr);
		if (rc)
			return cli_fail(&cli->err);
		print_result(cli, &r);
		struct filebundle_result fr;
		if (filebundle_import(&cli->core, argv[optind], &fr, &cli->err))
			return cli_fail(&cli->err);
		print_filebundle(&fr);
		return 0;
	}
	if (sub && !strcmp(sub, "fetch")) {
		if (optind >= argc)
			return cli_usage("sync", "fetch needs a dossier CODE");
		int64_t n = 0;
		if (sync_fetch(&cli->core, url, argv[optind], &n, &cli->err))
			return cli_fail(&cli->err);
		char line[600];
		snprintf(line, sizeof line, _("%s: %lld older events fetched from central; its whole history is here now"), argv[optind], (long long)n);
		cli_print_safe(NULL, line);
		return 0;
	}
	if (sub)
		return cli_usage("sync", "unknown subcommand '%.40s'", sub);
	int64_t bases = sync_glance_snapshot_bases(&cli->core), cal = cli_calendar_mark(cli);
	/* the first sync remembers its central before it starts: a sync killed midway is
	 * resumed by a plain 'motcua sync' (a later success saves a new URL) */
	if (url && *url && sync_glance_remember(&cli->core, url, &cli->err))
		return cli_fail(&cli->err);
	if (interval < 0 || interval > 3600)
		return cli_usage("sync", "--interval is 1 to 3600 seconds");
	if (watch) {
		struct sync_opts quiet = {batch, NULL, NULL};
		struct sync_watch_opts wo = {.sync = &quiet, .interval_s = interval, .report = watch_report, .ctx = cli};
		if (sync_watch(&cli->core, url, &wo, &cli->err))
			return cli_fail(&cli->err);
		return 0;
	}
	rc = sync_run(&cli->core, url, &so, &r, &cli->err);
	if (pr.tty)
		fputc('\n', stderr);
	if (rc)
		return cli_fail(&cli->err);
	print_result(cli, &r);
	cli_calendar_after_sync(cli, cal);
	bases = sync_glance_snapshot_bases(&cli->core) - bases;
	if (bases > 0 && !cli->json)
		printf(_("%lld dossiers taken from central's snapshot (their older steps stay at central: 'motcua sync fetch CODE')\n"),
		       (long long)bases);
	return 0;
}

static const char *os_account(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_name : "?";
}

/* `central files`: a file at central whose chunks do not hash to its name */
static int central_bad_file(const char *sha, int64_t size, void *ctx)
{
	(void)ctx;
	printf(_("corrupt at central: %s (%lld bytes)\n"), sha, (long long)size);
	return 0;
}

static int print_conflict(const struct sync_conflict *k, void *ctx)
{
	struct cli *cli = ctx;
	if (cli->json) {
		json_t *heads = json_array();
		for (int i = 0; i < k->nheads; i++) {
			char at[24];
			cal_format(k->heads[i].at, 1, at, sizeof at);
			json_array_append_new(heads, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "event", k->heads[i].id,
							       "kind", k->heads[i].kind, "actor", k->heads[i].actor,
							       "origin", k->heads[i].origin, "dseq", k->heads[i].dseq, "at", at));
		}
		cli_json_print(json_pack("{s:s, s:o}", "code", k->code, "heads", heads));
		return 0;
	}
	cli_print_safe(NULL, k->code);
	for (int i = 0; i < k->nheads; i++) {
		char at[24], line[400];
		cal_format(k->heads[i].at, 1, at, sizeof at);
		snprintf(line, sizeof line, _("  keep %s  %s #%d by %s at %s (%s)"), k->heads[i].id, k->heads[i].kind,
			 k->heads[i].dseq, k->heads[i].actor, k->heads[i].origin, at);
		cli_print_safe(NULL, line);
	}
	return 0;
}

/* Who may act at central.  Every 'central' subcommand opens central through here:
 * root (who owns the machine) may; otherwise the real account (the set-group-id
 * privilege is gone, so it is the person's own) must be an active user central knows
 * with the admin role of central's own agency (an admin of central), or, for
 * 'central status' of its own office only, an admin of that office (the office's own
 * sync identity).  Before anything was published (central knows no user but its
 * portal) an admin of the local store may set central up. */
struct central_role { const char *account; int found, roles, active, users; char office[32]; };

static int role_one(const char *kind, const char *key, const char *doc, void *ctx)
{
	struct central_role *r = ctx;
	if (strcmp(kind, "user") || !strcmp(key, CENTRAL_PORTAL_ACTOR))
		return 0;
	r->users++;
	if (strcmp(key, r->account))
		return 0;
	json_t *j = json_loads(doc, 0, NULL);
	r->found = 1;
	r->roles = (int)json_integer_value(json_object_get(j, "roles"));
	r->active = json_is_true(json_object_get(j, "active")) || json_integer_value(json_object_get(j, "active")) == 1;
	snprintf(r->office, sizeof r->office, "%s", json_string_value(json_object_get(j, "office")) ?
		 json_string_value(json_object_get(j, "office")) : "");
	json_decref(j);
	return 0;
}

static const char *os_account(void);

/* *office: for an office's own identity, the only office it may look at (else NULL) */
static int central_authorize(struct cli *cli, struct central *cen, const char *sub, const char **office)
{
	static char own[32];
	*office = NULL;
	if (getuid() == 0 && !cli->as)
		return 0;
	/* root acting --as a user is checked as that user */
	struct central_role r = {getuid() == 0 && cli->as ? cli->as : os_account(), 0, 0, 0, 0, ""};
	if (cen->ops->ref_list(cen, "user", role_one, &r, &cli->err))
		return cli_fail(&cli->err);
	if (r.found && r.active && (r.roles & ROLE_ADMIN) && !strcmp(r.office, cen->agency))
		return 0;
	if (!r.users) /* nothing published yet: an admin of the local store sets central up */
		return cli_admin(cli);
	if (r.found && r.active && (r.roles & ROLE_ADMIN) && !strcmp(sub, "status")) {
		snprintf(own, sizeof own, "%s", r.office);
		*office = own;
		return 0;
	}
	err_set(&cli->err, MC_DENIED, "'central %s' needs an administrator of central: the account '%s' is not one there", sub,
		r.account);
	return cli_fail(&cli->err);
}

/* central_open for a subcommand, then the role check (central_authorize) */
static struct central *central_open_as(struct cli *cli, const char *url, const char *sub, const char **office, int *rc)
{
	const char *dummy;
	struct central *cen = central_open(url, 0, &cli->err);
	if (!cen) {
		*rc = cli_fail(&cli->err);
		return NULL;
	}
	if ((*rc = central_authorize(cli, cen, sub, office ? office : &dummy))) {
		central_close(cen);
		return NULL;
	}
	return cen;
}

/* 1 if url names the local store's own file (central init must never write it) */
static int central_is_store(struct cli *cli, const char *url)
{
	struct stat a, b;
	return !strncmp(url, "sqlite:", 7) && stat(url + 7, &a) == 0 && stat(cli->db, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* ---- central office|department add|list, central procedure assign (central_admin.c) */

static int list_office(const char *key, json_t *doc, void *ctx)
{
	struct cli *cli = ctx;
	char line[300];
	snprintf(line, sizeof line, "%-20s %d  %s", key, (int)json_integer_value(json_object_get(doc, "level")),
		 json_string_value(json_object_get(doc, "name")) ? json_string_value(json_object_get(doc, "name")) : "");
	(void)cli;
	cli_print_safe(NULL, line);
	return 0;
}

struct deptlist { const char *office; };

static int list_dept(const char *key, json_t *doc, void *ctx)
{
	struct deptlist *d = ctx;
	const char *office = json_string_value(json_object_get(doc, "office")), *name = json_string_value(json_object_get(doc, "name"));
	if (d->office && (!office || strcmp(office, d->office)))
		return 0;
	char line[300];
	snprintf(line, sizeof line, "%-20s %-20s %s", key, office ? office : "", name ? name : "");
	cli_print_safe(NULL, line);
	return 0;
}

static int central_setup_cmd(struct cli *cli, const char *url, const char *sub, const char *verb, const char *code,
			     const char *name, const char *office, const char *dept, int level)
{
	int add = !strcmp(verb, "add"), list = !strcmp(verb, "list"), assign = !strcmp(verb, "assign");
	if (!strcmp(sub, "procedure") ? !assign || !code || !dept : !(add && code) && !(list && !code))
		return cli_usage("central", "say 'central office add AGENCY --name NAME [--level N]', 'central office list',"
				 " 'central department add CODE --office AGENCY --name NAME', 'central department list [--office AGENCY]'"
				 " or 'central procedure assign CODE --department DEPT'");
	int rc = 0;
	struct err *e = &cli->err;
	struct central *cen = central_open_as(cli, url, sub, NULL, &rc);
	if (!cen)
		return rc;
	char line[300];
	if (!strcmp(sub, "office") && add) {
		if (central_office_put(cen, code, name, level, e))
			rc = cli_fail(e);
		else {
			snprintf(line, sizeof line, gettext("office %s saved at central (reference data version %lld): offices take it at their next sync"),
				 code, (long long)cen->ref_version);
			cli_print_safe(NULL, line);
		}
	} else if (!strcmp(sub, "department") && add) {
		if (central_department_put(cen, code, office, name, e))
			rc = cli_fail(e);
		else {
			snprintf(line, sizeof line, gettext("department %s of office %s saved at central (reference data version %lld)"), code,
				 office, (long long)cen->ref_version);
			cli_print_safe(NULL, line);
		}
	} else if (assign) {
		if (central_procedure_assign(cen, code, dept, e))
			rc = cli_fail(e);
		else {
			snprintf(line, sizeof line, gettext("procedure %s is handled by department %s (reference data version %lld)"), code,
				 dept, (long long)cen->ref_version);
			cli_print_safe(NULL, line);
		}
	} else if (!strcmp(sub, "office")) {
		if (central_ref_each(cen, "office", list_office, cli, e))
			rc = cli_fail(e);
	} else {
		struct deptlist d = {office};
		if (central_ref_each(cen, "department", list_dept, &d, e))
			rc = cli_fail(e);
	}
	central_close(cen);
	return rc;
}

int cmd_central(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"central", 1, 0, 'c'}, {"agency", 1, 0, 'g'}, {"office", 1, 0, 'o'}, {"procedure", 1, 0, 'p'},
		{"name", 1, 0, 'n'}, {"id", 1, 0, 'i'}, {"business", 0, 0, 'B'}, {"phone", 1, 0, 'P'},
		{"address", 1, 0, 'a'}, {"components", 1, 0, 'C'}, {"reason", 1, 0, 'r'}, {"reply", 1, 0, 'R'},
		{"to", 1, 0, 't'}, {"keep", 1, 0, 'k'}, {"level", 1, 0, 'L'}, {"department", 1, 0, 'D'}, {0, 0, 0, 0}};
	int level = 3;
	const char *dept = NULL;
	const char *url = NULL, *agency = NULL, *reason = NULL, *reply = NULL, *comps = NULL, *to = NULL, *keep = NULL;
	struct online_req req = {0};
	int o;
	const char *sub = cli_subcommand(&argc, &argv);
	if (!sub)
		return cli_usage("central", "say which: init, publish, snapshot, submit-online, withdraw, reroute, conflicts, import, status, key, office, department or procedure");
	if (!strcmp(sub, "dashboard") || !strcmp(sub, "report") || !strcmp(sub, "project")) /* the province (cli_province.c) */
		return cli_central_province(cli, sub, argc, argv);
	if (!strcmp(sub, "office") && argc > 1 && !strcmp(argv[1], "role")) /* an office's own role (central_rls.c) */
		return cli_central_province(cli, "role", argc, argv);
	if (!strcmp(sub, "key")) /* the stores' signing keys (cli_keys.c) */
		return cli_central_keys(cli, argc, argv);
	if (!strcmp(sub, "verify")) /* central's events against the stores' keys (cli_keys.c) */
		return cli_central_verify(cli, argc, argv);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': url = optarg; break;
		case 'g': agency = optarg; break;
		case 'o': req.office = optarg; break;
		case 'p': req.procedure = optarg; break;
		case 'n': req.name = optarg; break;
		case 'i': req.idno = optarg; break;
		case 'B': req.kind = AK_BUSINESS; break;
		case 'P': req.phone = optarg; break;
		case 'a': req.address = optarg; break;
		case 'C': comps = optarg; break;
		case 'r': reason = optarg; break;
		case 'R': reply = optarg; break;
		case 't': to = optarg; break;
		case 'k': keep = optarg; break;
		case 'L': level = atoi(optarg); break;
		case 'D': dept = optarg; break;
		default: return cli_bad_option("central", argv);
		}
	}
	if (!url)
		return cli_usage("central", "--central URL is required (sqlite:PATH or postgresql://...)");
	int is_resolve = !strcmp(sub, "conflicts") && optind < argc && !strcmp(argv[optind], "resolve");
	if (to && strcmp(sub, "reroute"))
		return cli_usage("central", "--to belongs to 'central reroute'");
	if (keep && !is_resolve)
		return cli_usage("central", "--keep belongs to 'central conflicts resolve CODE --keep EVENT-ID'");
	/* the words each subcommand takes after it */
	int setup = !strcmp(sub, "office") || !strcmp(sub, "department") || !strcmp(sub, "procedure");
	int words = !strcmp(sub, "reroute") || !strcmp(sub, "withdraw") || !strcmp(sub, "import") ? 1 : is_resolve || setup ? 2 : 0;
	if (argc - optind > words)
		return cli_usage("central", "unexpected '%.40s' after 'central %s'", argv[optind + words], sub);
	struct err *e = &cli->err;
	int64_t now = time(NULL);
	if (!strcmp(sub, "init")) {
		if (central_is_store(cli, url))
			return cli_fail((err_set(e, MC_DENIED, "the central database cannot be the office store %s: give central its own file", cli->db), e));
		if (getuid() != 0 || cli->as) { /* an existing central: its admin; a new one: an admin here */
			struct central *old = central_open(url, 0, &(struct err){0});
			const char *dummy;
			int rc = old ? central_authorize(cli, old, sub, &dummy) : cli_admin(cli);
			central_close(old);
			if (rc)
				return rc;
		}
		if (central_init(url, agency, e))
			return cli_fail(e);
		printf(_("central database ready\n"));
		return 0;
	}
	struct central *cen = NULL;
	int rc = 0;
	if (!strcmp(sub, "publish")) {
		if ((rc = cli_admin(cli)))
			return rc;
		int64_t rows = 0;
		if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
			return rc;
		if (central_publish(cen, cli->core.st, &rows, e))
			rc = cli_fail(e);
		else
			printf(_("published %lld reference rows (version %lld)\n"), (long long)rows, (long long)cen->ref_version);
	} else if (!strcmp(sub, "snapshot")) {
		/* projection needs the reference data: the admin store that publishes it */
		if ((rc = cli_admin(cli)))
			return rc;
		struct prog pr = {isatty(2), -1};
		struct snapshot_result sr;
		if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
			return rc;
		if (central_snapshot(cen, cli->core.st, progress, &pr, &sr, e)) {
			if (pr.tty)
				fputc('\n', stderr);
			rc = cli_fail(e);
		} else {
			if (pr.tty)
				fputc('\n', stderr);
			if (cli->json)
				cli_json_print(json_pack("{s:I, s:I, s:I, s:I, s:I}", "dossiers", (json_int_t)sr.dossiers, "forked",
							 (json_int_t)sr.stateless, "events", (json_int_t)sr.events, "from",
							 (json_int_t)sr.from, "to", (json_int_t)sr.to));
			else if (sr.to == sr.from && !sr.dossiers)
				printf(_("the snapshot is up to date (log position %lld)\n"), (long long)sr.to);
			else
				printf(_("snapshot up to log position %lld: %lld dossiers projected from %lld events (%lld forked, replayed by offices)\n"),
				       (long long)sr.to, (long long)sr.dossiers, (long long)sr.events, (long long)sr.stateless);
		}
	} else if (!strcmp(sub, "submit-online")) {
		if (!req.office || !req.procedure || !req.name || !req.idno) {
			return cli_usage("central", "submit-online needs --office AGENCY --procedure CODE --name NAME --id NUMBER");
		}
		if (comps && components_parse(comps, &req.components))
			return cli_usage("central", "--components takes numbers like 1,2,3 or 'all'");
		req.os_account = os_account();
		char code[CODE_LEN];
		if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
			return rc;
		if (central_submit_online(cen, &req, now, code, sizeof code, e))
			rc = cli_fail(e);
		else if (cli->json)
			cli_json_print(json_pack("{s:s, s:s}", "code", code, "office", req.office));
		else
			cli_print_safe(NULL, code);
	} else if (!strcmp(sub, "withdraw")) {
		if (optind >= argc || !reason)
			return cli_usage("central", "withdraw needs CODE and --reason TEXT");
		if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
			return rc;
		if (central_withdraw(cen, argv[optind], reason, os_account(), now, e))
			rc = cli_fail(e);
		else
			printf(_("withdrawn at central; the office gets it at its next sync\n"));
	} else if (!strcmp(sub, "reroute")) {
		if (optind >= argc || !to || !reason)
			return cli_usage("central", "reroute needs CODE, --to AGENCY and --reason TEXT");
		char line[600];
		if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
			return rc;
		if (central_reroute(cen, argv[optind], to, reason, os_account(), now, e)) {
			rc = cli_fail(e);
		} else {
			snprintf(line, sizeof line, _("%.60s re-routed to office %.40s; both offices get it at their next sync"), argv[optind], to);
			cli_print_safe(NULL, line);
		}
	} else if (!strcmp(sub, "conflicts")) {
		if (optind < argc && !strcmp(argv[optind], "resolve")) {
			if (optind + 1 >= argc || !keep)
				return cli_usage("central", "conflicts resolve needs CODE and --keep EVENT-ID");
			char line[600];
			if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
				return rc;
			if (central_resolve(cen, argv[optind + 1], keep, os_account(), now, e)) {
				rc = cli_fail(e);
			} else {
				snprintf(line, sizeof line, _("%.60s: central kept the line of %.40s; the offices involved get the decision at their next sync"),
					 argv[optind + 1], keep);
				cli_print_safe(NULL, line);
			}
		} else if (optind < argc) {
			return cli_usage("central", "unknown 'conflicts' subcommand '%.40s' (resolve CODE --keep EVENT-ID)", argv[optind]);
		} else {
			if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
				return rc;
			if (central_conflicts(cen, print_conflict, cli, e))
				rc = cli_fail(e);
		}
	} else if (!strcmp(sub, "import")) {
		if (optind >= argc || !reply)
			return cli_usage("central", "import needs FILE and --reply REPLY");
		struct central_put p = {0};
		int64_t sent = 0;
		if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
			return rc;
		if (central_import_bundle(cen, argv[optind], reply, now, &p, &sent, e)) {
			rc = cli_fail(e);
		} else {
			char line[4200];
			snprintf(line, sizeof line, _("imported %lld new events (%lld already here, %lld refused); reply with %lld events written to %s"),
				 (long long)p.inserted, (long long)p.duplicate, (long long)p.refused, (long long)sent, reply);
			cli_print_safe(NULL, line);
			struct filebundle_result fr;
			if (filebundle_central(cen, argv[optind], reply, &fr, &sent, e)) {
				rc = cli_fail(e);
			} else {
				print_filebundle(&fr);
				if (sent) {
					snprintf(line, sizeof line, gettext("%lld attached files written to %s.files: carry it with the bundle"),
						 (long long)sent, reply);
					cli_print_safe(NULL, line);
				}
			}
		}
	} else if (!strcmp(sub, "status")) {
		int64_t events = 0, quar = 0;
		const char *only = NULL;
		if (!(cen = central_open_as(cli, url, sub, &only, &rc)))
			return rc;
		if (only)
			req.office = only; /* an office's own identity sees its own office only */
		if (cen->ops->counts(cen, req.office, &events, &quar, e)) {
			rc = cli_fail(e);
		} else if (cli->json) {
			cli_json_print(json_pack("{s:s, s:s, s:i, s:I, s:I, s:I}", "central", cen->target, "agency", cen->agency,
						 "schema", cen->schema, "events", (json_int_t)events, "quarantined", (json_int_t)quar,
						 "ref_version", (json_int_t)cen->ref_version));
		} else {
			cli_print_safe(_("central"), cen->target);
			cli_print_safe(_("agency"), cen->agency);
			printf(_("%-14s %d\n%-14s %lld\n%-14s %lld\n%-14s %lld\n"), _("schema"), cen->schema, _("events"), (long long)events,
			       _("quarantined"), (long long)quar, _("ref version"), (long long)cen->ref_version);
		}
	} else if (!strcmp(sub, "files")) {
		int64_t checked = 0, bad = 0;
		if (!(cen = central_open_as(cli, url, sub, NULL, &rc)))
			return rc;
		if (filesync_check_central(cen, central_bad_file, NULL, &checked, &bad, e)) {
			rc = cli_fail(e);
		} else {
			printf(_("%lld files checked at central, %lld corrupt (dropped: the offices that hold them send them again at their next sync)\n"),
			       (long long)checked, (long long)bad);
			rc = bad ? MC_INVALID : 0;
		}
	} else if (setup) {
		rc = central_setup_cmd(cli, url, sub, optind < argc ? argv[optind] : "", optind + 1 < argc ? argv[optind + 1] : NULL,
				       req.name, req.office, dept, level);
	} else {
		return cli_usage("central", "unknown subcommand '%.40s'", sub);
	}
	central_close(cen);
	return rc;
}

int cmd_conflicts(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"keep", 1, 0, 'k'}, {0, 0, 0, 0}};
	const char *keep = NULL;
	int o;
	const char *sub = cli_subcommand(&argc, &argv);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'k': keep = optarg; break;
		default: return cli_bad_option("conflicts", argv);
		}
	}
	if (!sub) {
		if (cli_open(cli, 0))
			return cli->err.code ? cli->err.code : 1;
		if (sync_conflicts(&cli->core, print_conflict, cli, &cli->err))
			return cli_fail(&cli->err);
		return 0;
	}
	if (strcmp(sub, "resolve"))
		return cli_usage("conflicts", "unknown subcommand '%.40s'", sub);
	if (optind >= argc || !keep)
		return cli_usage("conflicts", "resolve needs CODE and --keep EVENT-ID");
	int rc = cli_login(cli);
	if (rc)
		return rc;
	if (sync_resolve(&cli->core, argv[optind], keep, &cli->err))
		return cli_fail(&cli->err);
	char line[600];
	snprintf(line, sizeof line, _("%s: kept the line of %s; the decision syncs at the next 'motcua sync'"), argv[optind], keep);
	cli_print_safe(NULL, line);
	return 0;
}

/* the role check of central's administrator for other commands acting on central
 * (portal ...): 0, or the exit code after printing why */
int cli_central_admin(struct cli *cli, struct central *cen, const char *sub)
{
	const char *office;
	return central_authorize(cli, cen, sub, &office);
}

struct central *cli_central_open(struct cli *cli, const char *url, const char *sub, int *rc)
{
	return central_open_as(cli, url, sub, NULL, rc);
}
