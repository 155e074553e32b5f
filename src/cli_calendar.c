/* cli_calendar.c - the command `holidays`: list a year's calendar (announced or
 * provisional), generate a provisional year, add a day, import an announced schedule,
 * and list the open dossiers a change of schedule would move (holidays.h). */
#include <libintl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "holidays.h"
#include "text.h"

struct rows { struct cal_day_row *r; int n, cap; };

static int rows_add(const struct cal_day_row *r, void *ctx)
{
	struct rows *x = ctx;
	if (x->n == x->cap) {
		int cap = x->cap ? x->cap * 2 : 32;
		struct cal_day_row *n = realloc(x->r, sizeof *n * (size_t)cap);
		if (!n)
			return MC_STORE;
		x->r = n;
		x->cap = cap;
	}
	x->r[x->n++] = *r;
	return 0;
}

static void day_text(int32_t day, char *buf, size_t n)
{
	int y, m, d;
	cal_ymd_from_day(day, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

/* s padded with spaces to w terminal columns (Vietnamese words are wider in bytes) */
static const char *pad(const char *s, int w, char *buf, size_t n)
{
	int k = w - text_width(s);
	snprintf(buf, n, "%s%*s", s, k > 0 ? k : 0, "");
	return buf;
}

static void print_status(const struct cal_year_info *y)
{
	char line[512], when[24];
	cal_format(y->changed_at, 1, when, sizeof when);
	if (strcmp(y->status, "announced"))
		snprintf(line, sizeof line, gettext("Calendar of %d: provisional, generated from the Labour Code 2019 (art. 111 and 112) until the Government announces it."), y->year);
	else if (!strcmp(y->origin, "import"))
		snprintf(line, sizeof line, gettext("Calendar of %d: announced by the Government (imported by %s on %s)."), y->year, y->changed_by, when);
	else if (!strcmp(y->origin, "central"))
		snprintf(line, sizeof line, gettext("Calendar of %d: announced by the Government (received from central on %s)."), y->year, when);
	else
		snprintf(line, sizeof line, gettext("Calendar of %d: announced by the Government (shipped with motcua)."), y->year);
	cli_print_safe(NULL, line);
}

static int list_year(struct cli *cli, int year)
{
	struct core *c = &cli->core;
	struct cal_year_info y;
	if (holidays_ensure(c, year, year, &cli->err))
		return cli_fail(&cli->err);
	if (holidays_year(c, year, &y)) {
		err_set(&cli->err, MC_NOTFOUND, "no calendar for %d", year);
		return cli_fail(&cli->err);
	}
	struct rows x = {0};
	if (holidays_rows(c, year, rows_add, &x)) {
		free(x.r);
		err_set(&cli->err, MC_STORE, "cannot read the calendar of %d", year);
		return cli_fail(&cli->err);
	}
	int prov = strcmp(y.status, "announced") != 0;
	if (cli->json) {
		json_t *arr = json_array();
		for (int i = 0; i < x.n; i++) {
			char day[16];
			day_text(x.r[i].day, day, sizeof day);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "date", day,
				"name", x.r[i].reason, "reason", x.r[i].reason, "kind", x.r[i].kind == CAL_WORK ? "work" : "off",
				"status", prov ? "provisional" : "announced", "instrument", x.r[i].instrument, "source", x.r[i].source,
				"year", x.r[i].year));
		}
		cli_json_print(arr);
	} else {
		print_status(&y);
		for (int i = 0; i < x.n; i++) {
			char day[16], line[1400], k[64], st[64];
			day_text(x.r[i].day, day, sizeof day);
			snprintf(line, sizeof line, "%s  %s %s %s%s%s", day,
				 pad(x.r[i].kind == CAL_WORK ? gettext("working day") : gettext("day off"), 12, k, sizeof k),
				 pad(prov ? gettext("provisional") : gettext("announced"), 11, st, sizeof st), x.r[i].reason,
				 x.r[i].instrument[0] ? " | " : "", x.r[i].instrument);
			cli_print_safe(NULL, line);
		}
	}
	free(x.r);
	return 0;
}

struct moved_out { struct cli *cli; json_t *arr; int n; };

static int print_moved(const struct holidays_moved *m, void *ctx)
{
	struct moved_out *o = ctx;
	char a[24], b[24], line[256];
	cal_format(m->due_at, 1, a, sizeof a);
	cal_format(m->new_due_at, 1, b, sizeof b);
	o->n++;
	if (o->arr) {
		json_array_append_new(o->arr, json_pack("{s:s, s:s, s:s}", "code", m->code, "appointment", a, "new_appointment", b));
		return 0;
	}
	snprintf(line, sizeof line, gettext("  %s  appointment %s, by the new calendar %s"), m->code, a, b);
	cli_print_safe(NULL, line);
	return 0;
}

/* the open dossiers the last change of year's calendar would move; json: into *out */
static int list_moved(struct cli *cli, int year, json_t *out)
{
	struct cal_change ch;
	struct moved_out o = {cli, out ? json_array() : NULL, 0};
	if (!out) {
		char line[256];
		snprintf(line, sizeof line, gettext("Open dossiers whose appointment would change with the calendar of %d (appointments are not rewritten):"), year);
		cli_print_safe(NULL, line);
	}
	int rc = holidays_changes(&cli->core, year, print_moved, &o, &ch, &cli->err);
	if (rc) {
		json_decref(o.arr);
		free(ch.days);
		return cli_fail(&cli->err);
	}
	if (out) {
		char when[24];
		cal_format(ch.at, 1, when, sizeof when);
		json_object_set_new(out, "year", json_integer(year));
		json_object_set_new(out, "changed_at", json_string(when));
		json_object_set_new(out, "changed_by", json_string(ch.actor));
		json_object_set_new(out, "origin", json_string(ch.origin));
		json_object_set_new(out, "status_before", json_string(ch.status_before));
		json_object_set_new(out, "status_after", json_string(ch.status_after));
		json_t *days = json_loads(ch.days ? ch.days : "[]", 0, NULL);
		json_object_set_new(out, "days", days ? days : json_array());
		json_object_set_new(out, "dossiers", o.arr);
	} else if (!o.n) {
		char line[256];
		snprintf(line, sizeof line, gettext("No open dossier's appointment changes with the calendar of %d."), year);
		cli_print_safe(NULL, line);
	}
	free(ch.days);
	return 0;
}

static int cmd_changes(struct cli *cli, int year)
{
	int rc = cli_open(cli, 0);
	if (rc)
		return rc;
	if (core_identify(&cli->core, cli->as, &cli->err))
		return cli_fail(&cli->err);
	if (!(cli->core.is_root && !cli->as) && !(cli->core.actor.roles & (ROLE_SUPERVISOR | ROLE_ADMIN | ROLE_LEADER))) {
		err_set(&cli->err, MC_DENIED, "the appointments a calendar change would move are for a supervisor, leader or administrator");
		return cli_fail(&cli->err);
	}
	if (cli->json) {
		json_t *o = json_object();
		if ((rc = list_moved(cli, year, o))) {
			json_decref(o);
			return rc;
		}
		cli_json_print(o);
		return 0;
	}
	struct cal_change ch;
	if (holidays_change_last(&cli->core, year, &ch) == 0) {
		char when[24], line[512];
		cal_format(ch.at, 1, when, sizeof when);
		snprintf(line, sizeof line, gettext("The calendar of %d was last changed on %s by %s (origin: %s)."), year, when,
			 ch.actor[0] ? ch.actor : "motcua", ch.origin);
		cli_print_safe(NULL, line);
		free(ch.days);
	}
	return list_moved(cli, year, NULL);
}

static int cmd_import(struct cli *cli, const char *path)
{
	int rc = cli_admin(cli);
	if (rc)
		return rc;
	struct holidays_year years[64];
	int n = 0;
	if (holidays_import(&cli->core, path, years, 64, &n, &cli->err))
		return cli_fail(&cli->err);
	for (int i = 0; i < n; i++) {
		char line[256];
		if (!years[i].changed)
			snprintf(line, sizeof line, gettext("The calendar of %d already had this schedule: nothing changed."), years[i].year);
		else if (!strcmp(years[i].before, "provisional"))
			snprintf(line, sizeof line, gettext("The calendar of %d is now the announced schedule (it was provisional)."), years[i].year);
		else
			snprintf(line, sizeof line, gettext("The calendar of %d is now the announced schedule."), years[i].year);
		cli_print_safe(NULL, line);
	}
	for (int i = 0; i < n; i++) {
		if (!years[i].changed || !cli->core.office.id)
			continue;
		if ((rc = list_moved(cli, years[i].year, NULL)))
			return rc;
		char line[256];
		snprintf(line, sizeof line, gettext("List them again with 'motcua holidays changes %d'."), years[i].year);
		cli_print_safe(NULL, line);
	}
	return 0;
}

/* add (or change) one day of a year's schedule: the whole year is saved again, recorded */
static int cmd_add(struct cli *cli, const char *date, const char *name, int work)
{
	int64_t t;
	if (cal_parse(date, &t) || strlen(date) != 10)
		return cli_usage("holidays", "add DATE NAME [--work] with DATE as YYYY-MM-DD");
	if (t < time(NULL) - (int64_t)20 * 366 * 86400 || t > time(NULL) + (int64_t)20 * 366 * 86400) {
		err_set(&cli->err, MC_INVALID, "the holiday %s is more than 20 years from today: check the date", date);
		return cli_fail(&cli->err);
	}
	struct cal_day_row nr;
	memset(&nr, 0, sizeof nr);
	char msg[256];
	if (text_clean(name, "holiday name", 300, nr.reason, sizeof nr.reason, msg, sizeof msg)) {
		err_set(&cli->err, MC_INVALID, "%s", msg);
		return cli_fail(&cli->err);
	}
	nr.day = cal_day_of(t);
	nr.kind = work ? CAL_WORK : CAL_OFF;
	int w = cal_weekday(nr.day);
	if (work && w >= 1 && w <= 5) {
		err_set(&cli->err, MC_INVALID, "%s is a weekday, already a working day: only a Saturday or Sunday can be made a working day", date);
		return cli_fail(&cli->err);
	}
	cal_ymd_from_day(nr.day, &nr.year, NULL, NULL);
	int rc = cli_admin(cli);
	if (rc)
		return rc;
	struct core *c = &cli->core;
	struct cal_year_info y;
	struct rows x = {0};
	if (holidays_ensure(c, nr.year, nr.year, &cli->err) || holidays_year(c, nr.year, &y) ||
	    holidays_rows(c, nr.year, rows_add, &x) || rows_add(&nr, &x)) {
		free(x.r);
		if (!cli->err.code)
			err_set(&cli->err, MC_STORE, "cannot read the calendar of %d", nr.year);
		return cli_fail(&cli->err);
	}
	int k = 0;
	for (int i = 0; i < x.n; i++)   /* the new day replaces one of the same date */
		if (x.r[i].day != nr.day || i == x.n - 1)
			x.r[k++] = x.r[i];
	struct cal_apply a = {.year = nr.year, .provisional = strcmp(y.status, "announced") != 0, .record = 1,
			      .origin = "import", .os_account = c->os_account,
			      .actor = c->actor.id ? c->actor.account : c->os_account, .at = core_now(c), .rows = x.r, .n = k};
	int changed;
	rc = holidays_apply(c, &a, &changed, &cli->err);
	free(x.r);
	if (rc || core_reload(c, &cli->err))
		return cli_fail(&cli->err);
	char line[1024];
	snprintf(line, sizeof line, work ? gettext("%s: %s (working day)") : gettext("%s: %s (day off)"), date, nr.reason);
	cli_print_safe(NULL, line);
	return 0;
}

static int cmd_generate(struct cli *cli, int year)
{
	int rc = cli_admin(cli);
	if (rc)
		return rc;
	struct cal_year_info y;
	if (holidays_year(&cli->core, year, &y) == 0 && !strcmp(y.status, "announced")) {
		err_set(&cli->err, MC_STATE, "the calendar of %d is the Government's announced schedule: 'holidays generate' only makes provisional years; import a file to change it", year);
		return cli_fail(&cli->err);
	}
	if (holidays_ensure(&cli->core, year, year, &cli->err))
		return cli_fail(&cli->err);
	char line[256];
	snprintf(line, sizeof line, gettext("The calendar of %d is provisional, generated from the Labour Code."), year);
	cli_print_safe(NULL, line);
	return 0;
}

int cmd_holidays(struct cli *cli, int argc, char **argv)
{
	int year = 0, rc;
	const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : "list";
	int first = strcmp(sub, "list") == 0 && (argc < 2 || argv[1][0] == '-') ? 1 : 2;
	const char *args[3] = {0};
	int nargs = 0, work = 0;
	for (int i = first; i < argc; i++) {
		if (!strcmp(argv[i], "--year") && i + 1 < argc) {
			char *end;
			year = (int)strtol(argv[++i], &end, 10);
			if (*end || year < 1901 || year > 2198)
				return cli_usage("holidays", "--year takes a year from 1901 to 2198");
		} else if (!strcmp(argv[i], "--work")) {
			work = 1;
		} else if (argv[i][0] == '-' || nargs == 3) {
			return cli_usage("holidays", "unexpected argument '%.40s'", argv[i]);
		} else {
			args[nargs++] = argv[i];
		}
	}
	if (!strcmp(sub, "generate")) {
		if (!year || nargs)
			return cli_usage("holidays", "generate needs --year Y");
		return cmd_generate(cli, year);
	}
	if (!strcmp(sub, "add")) {
		if (nargs != 2)
			return cli_usage("holidays", "add DATE NAME [--work] with DATE as YYYY-MM-DD");
		return cmd_add(cli, args[0], args[1], work);
	}
	if (!strcmp(sub, "import")) {
		if (nargs != 1)
			return cli_usage("holidays", "import takes one CSV file (date,kind,reason,instrument,source)");
		return cmd_import(cli, args[0]);
	}
	if (!strcmp(sub, "changes")) {
		char *end;
		if (nargs == 1 && !year)
			year = (int)strtol(args[0], &end, 10);
		if (year < 1901 || year > 2198 || (nargs == 1 && *end))
			return cli_usage("holidays", "changes takes a year, e.g. 'holidays changes 2027'");
		return cmd_changes(cli, year);
	}
	if (strcmp(sub, "list") || nargs)
		return cli_usage("holidays", "unknown subcommand '%.40s' (generate, add, import, changes)", sub);
	if ((rc = cli_open(cli, 0)))
		return rc;
	if (!year)
		cal_ymd_from_day(cal_day_of(core_now(&cli->core)), &year, NULL, NULL);
	return list_year(cli, year);
}

int64_t cli_calendar_mark(struct cli *cli) { return holidays_change_max(&cli->core); }

static int say_changed(int year, const char *origin, void *ctx)
{
	struct cli *cli = ctx;
	if (strcmp(origin, "central") || cli->json)
		return 0;
	char line[256];
	snprintf(line, sizeof line, gettext("Central changed the calendar of %d: 'motcua holidays changes %d' lists the open dossiers whose appointment would move."),
		 year, year);
	cli_print_safe(NULL, line);
	return 0;
}

void cli_calendar_after_sync(struct cli *cli, int64_t mark)
{
	holidays_changes_after(&cli->core, mark, say_changed, cli);
}
