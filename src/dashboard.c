/* dashboard.c - today's queues (see dashboard.h).
 *
 * dashboard_load: one pass over the office's open dossiers (partial index
 * dossiers_active_office) and today's receipts, keeping only the actor's scope (a head:
 * their department's dossiers); dashboard_classify builds the entries in memory, so a
 * screen can re-sort when the clock moves without touching the store.
 */
#include <jansson.h>
#include <libintl.h>
#include <stdlib.h>
#include <string.h>
#include "dashboard.h"
#include "i18n.h"
#include "holidays.h"
#include "forms.h"
#include "store.h"
#include "text.h"

static const int stages[] = {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, SG_DEPT, SG_PROCESSING,
			     SG_SIGNING, SG_SUPPLEMENT, SG_RESULT};
#define NSTAGES (int)(sizeof stages / sizeof stages[0])

struct load { struct dashboard *d; int cap; int oom; };

static int add_item(const struct rep_item *it, void *arg)
{
	struct load *l = arg;
	struct dashboard *d = l->d;
	if (d->dept_id && it->dept_id != d->dept_id)
		return 0; /* a head's dashboard: another department's (or the one-stop's) dossier */
	if (d->nitems == l->cap) {
		int cap = l->cap ? l->cap * 2 : 256;
		struct rep_item *n = realloc(d->items, sizeof *n * (size_t)cap);
		if (!n) {
			l->oom = 1;
			return 1;
		}
		d->items = n;
		l->cap = cap;
	}
	d->items[d->nitems++] = *it;
	return 0;
}

/* today's receipts that are already finished (open ones are in the list already) */
static int add_finished(const struct rep_item *it, void *arg)
{
	return it->stage >= SG_FINAL ? add_item(it, arg) : 0;
}

static void free_entries(struct dashboard *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->v[i].items);
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

void dashboard_free(struct dashboard *d)
{
	free_entries(d);
	free(d->items);
	memset(d, 0, sizeof *d);
}

int64_t dashboard_scope(const struct core *c, struct err *e)
{
	const struct user *u = &c->actor;
	if (!u->id || (u->roles & (ROLE_SUPERVISOR | ROLE_LEADER | ROLE_ADMIN)) || !(u->roles & ROLE_HEAD))
		return 0;
	if (!u->dept_id) {
		err_set(e, MC_DENIED, "%s is a department head without a department: an administrator must give "
			"them one before their dashboard can show it", u->account);
		return -1;
	}
	return u->dept_id;
}

int dashboard_load(struct core *c, int within, struct dashboard *d, struct err *e)
{
	memset(d, 0, sizeof *d);
	if (core_require(c, REPORT_ROLES, CORE_FOR_DASHBOARD, e))
		return e->code;
	int64_t dept = dashboard_scope(c, e);
	if (dept < 0)
		return e->code;
	if (within < 0) {
		char buf[32];
		within = DASH_WITHIN_DEFAULT;
		if (store_setting_get(c->st, "dashboard.within", buf, sizeof buf) == 0 && atoi(buf) > 0)
			within = atoi(buf);
	}
	if (within > 60)
		return err_set(e, MC_INVALID, "the horizon is 0 to 60 working days");
	d->within = within;
	d->office_id = c->office.id;
	if (dept) {
		struct department dp;
		d->dept_id = dept;
		if (store_dept_get(c->st, dept, &dp) == 0) {
			snprintf(d->dept_code, sizeof d->dept_code, "%s", dp.code);
			snprintf(d->dept_name, sizeof d->dept_name, "%s", dp.name);
		} else {
			snprintf(d->dept_code, sizeof d->dept_code, "#%lld", (long long)dept);
		}
	}
	d->stamp = store_report_stamp(c->st);
	int64_t now = core_now(c);
	d->day_start = cal_instant(cal_day_of(now), 0);
	d->day_end = cal_instant(cal_day_of(now) + 1, 0);
	struct load l = {d, 0, 0};
	if (store_report_open(c->st, c->office.id, add_item, &l) ||
	    store_report_received(c->st, c->office.id, d->day_start, d->day_end, add_finished, &l)) {
		dashboard_free(d);
		return l.oom ? err_set(e, MC_STORE, "out of memory") : err_set(e, MC_STORE, "reading today's queues failed");
	}
	return dashboard_classify(c, d, e);
}

struct sortctx { const struct rep_item *items; int by; };
static struct sortctx sortx; /* qsort has no context argument; the dashboard is single-threaded */

static int64_t sort_key(const struct rep_item *it, int by)
{
	switch (by) {
	case DL_RECEIVED_TODAY: return it->received_at;
	case DL_DUE_TODAY: case DL_DUE_SOON: return it->due_at;
	case DL_OVERDUE: return it->orig_due_at;
	}
	return it->stage_since;
}

static int cmp_items(const void *a, const void *b)
{
	const struct rep_item *x = &sortx.items[*(const int *)a], *y = &sortx.items[*(const int *)b];
	int64_t kx = sort_key(x, sortx.by), ky = sort_key(y, sortx.by);
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct dash_entry *x = a, *y = b;
	if (x->list != y->list)
		return x->list - y->list;
	if (x->list == DL_DEPT || x->list == DL_PERSON) {
		int c = strcmp(x->label, y->label);
		if (c)
			return c;
	}
	return x->key < y->key ? -1 : x->key > y->key;
}

static struct dash_entry *entry(struct dashboard *d, int list, int64_t key, int *cap)
{
	for (int i = 0; i < d->n; i++)
		if (d->v[i].list == list && d->v[i].key == key)
			return &d->v[i];
	if (d->n == *cap) {
		int nc = *cap ? *cap * 2 : 32;
		struct dash_entry *n = realloc(d->v, sizeof *n * (size_t)nc);
		if (!n)
			return NULL;
		d->v = n;
		*cap = nc;
	}
	struct dash_entry *en = &d->v[d->n++];
	memset(en, 0, sizeof *en);
	en->list = list;
	en->key = key;
	return en;
}

static int push(struct dash_entry *en, int idx, int overdue)
{
	/* items grows in powers of two */
	if ((en->count & (en->count - 1)) == 0) {
		int *n = realloc(en->items, sizeof *n * (size_t)(en->count ? en->count * 2 : 4));
		if (!n)
			return -1;
		en->items = n;
	}
	en->items[en->count++] = idx;
	en->overdue += overdue;
	return 0;
}

static int is_overdue(struct core *c, const struct rep_item *it)
{
	struct dossier t;
	memset(&t, 0, sizeof t);
	t.stage = it->stage;
	t.orig_due_at = it->orig_due_at;
	t.paused_at = it->paused_at;
	t.resolved_at = it->resolved_at;
	return core_timeliness(c, &t) == TL_OVERDUE;
}

int dashboard_classify(struct core *c, struct dashboard *d, struct err *e)
{
	free_entries(d);
	int64_t now = core_now(c);
	d->now = now;
	d->cal_warn = holidays_warn_year(c);
	d->soon_until = cal_add_working(&c->cal, now, (int64_t)d->within * cal_day_minutes(&c->cal));
	if (d->soon_until < d->day_end)
		d->soon_until = d->day_end;
	int cap = 0;
	static const struct { int list; const char *label; } head[] = {
		{DL_RECEIVED_TODAY, N_("received today")},
		{DL_DUE_TODAY, N_("due today")},
		{DL_OVERDUE, N_("overdue")},
		{DL_DUE_SOON, N_("due within %d working days")},
	};
	for (int i = 0; i < 4; i++) {
		struct dash_entry *en = entry(d, head[i].list, 0, &cap);
		if (!en)
			goto oom;
		snprintf(en->label, sizeof en->label, head[i].label, d->within);
		snprintf(en->text, sizeof en->text, gettext(head[i].label), d->within);
	}
	for (int i = 0; i < NSTAGES; i++) {
		if (d->dept_id && stages[i] < SG_DEPT)
			continue; /* a department's dashboard: the one-stop's own steps are not its queues */
		struct dash_entry *en = entry(d, DL_STAGE, stages[i], &cap);
		if (!en)
			goto oom;
		snprintf(en->label, sizeof en->label, "%s", stage_name(stages[i]));
		snprintf(en->text, sizeof en->text, "%s", _(stage_name(stages[i])));
	}
	int32_t today = cal_day_of(now);
	d->open = 0;
	for (int i = 0; i < d->nitems; i++) {
		const struct rep_item *it = &d->items[i];
		int od = it->stage < SG_FINAL && is_overdue(c, it);
		int running = it->stage >= SG_ACCEPTED && it->stage <= SG_SIGNING;
		if (it->received_at >= d->day_start && it->received_at < d->day_end &&
		    push(&d->v[0], i, od))
			goto oom;
		if (it->stage >= SG_FINAL)
			continue;
		d->open++;
		if (running && it->due_at && cal_day_of(it->due_at) == today && push(&d->v[1], i, od))
			goto oom;
		if (od && push(&d->v[2], i, 1))
			goto oom;
		if (running && it->due_at >= d->day_end && it->due_at <= d->soon_until && push(&d->v[3], i, od))
			goto oom;
		struct dash_entry *en = entry(d, DL_STAGE, it->stage, &cap);
		if (!en || push(en, i, od))
			goto oom;
		if (it->dept_id && it->stage >= SG_DEPT && it->stage <= SG_SUPPLEMENT) {
			en = entry(d, DL_DEPT, it->dept_id, &cap);
			if (!en || push(en, i, od))
				goto oom;
		}
		if (it->assignee_id && (it->stage == SG_PROCESSING || it->stage == SG_SUPPLEMENT)) {
			en = entry(d, DL_PERSON, it->assignee_id, &cap);
			if (!en || push(en, i, od))
				goto oom;
		}
	}
	/* names, and the oldest first in every list */
	for (int i = 0; i < d->n; i++) {
		struct dash_entry *en = &d->v[i];
		if (en->list == DL_DEPT && !en->label[0]) {
			struct department dp;
			if (store_dept_get(c->st, en->key, &dp) == 0) {
				snprintf(en->label, sizeof en->label, "%s", dp.name);
				snprintf(en->text, sizeof en->text, "%s", dp.name);
			}
		} else if (en->list == DL_PERSON && !en->label[0]) {
			struct user u;
			if (store_user_get(c->st, en->key, &u) == 0) {
				snprintf(en->label, sizeof en->label, "%s (%s)", u.name, u.account);
				snprintf(en->text, sizeof en->text, "%s (%s)", u.name, u.account);
			}
		}
		if (!en->label[0]) {
			snprintf(en->label, sizeof en->label, "#%lld", (long long)en->key);
			snprintf(en->text, sizeof en->text, "#%lld", (long long)en->key);
		}
	}
	/* headline numbers, stages in workflow order, departments and people by name */
	qsort(d->v, (size_t)d->n, sizeof *d->v, cmp_entries);
	sortx.items = d->items;
	for (int i = 0; i < d->n; i++) {
		struct dash_entry *en = &d->v[i];
		sortx.by = en->list;
		if (en->count > 1)
			qsort(en->items, (size_t)en->count, sizeof *en->items, cmp_items);
		en->oldest_since = en->count ? sort_key(&d->items[en->items[0]], en->list) : 0;
	}
	return 0;
oom:
	free_entries(d);
	return err_set(e, MC_STORE, "out of memory");
}

int dashboard_stale(struct core *c, const struct dashboard *d)
{
	int64_t now = core_now(c);
	if (store_report_stamp(c->st) != d->stamp || now >= d->day_end || now < d->day_start)
		return 2;
	return now / 60 != d->now / 60 ? 1 : 0;
}

const struct dash_entry *dashboard_find(const struct dashboard *d, int list, int64_t key)
{
	for (int i = 0; i < d->n; i++)
		if (d->v[i].list == list && d->v[i].key == key)
			return &d->v[i];
	return NULL;
}

/* a JSON string of display-safe text (the JSON is printed as it is) */
static json_t *json_safe(const char *s)
{
	char safe[1024];
	form_safe(s, safe, sizeof safe);
	return json_string(safe);
}

static const char *list_key(int list)
{
	switch (list) {
	case DL_RECEIVED_TODAY: return "received_today";
	case DL_DUE_TODAY: return "due_today";
	case DL_OVERDUE: return "overdue";
	case DL_DUE_SOON: return "due_soon";
	case DL_STAGE: return "stage";
	case DL_DEPT: return "department";
	case DL_PERSON: return "person";
	}
	return "?";
}

void dashboard_text(const struct dashboard *d, FILE *f, int oldest)
{
	char when[24], safe[512], cell[512];
	cal_format(d->now, 1, when, sizeof when);
	fprintf(f, _("Today's queues at %s (%d open dossiers)\n"), when, d->open);
	if (d->dept_id) {
		form_safe(d->dept_code, safe, sizeof safe);
		form_safe(d->dept_name, cell, sizeof cell);
		fprintf(f, _("Department %s only: %s\n"), safe, cell);
	} else {
		fprintf(f, "%s\n", _("The whole office"));
	}
	static const char *titles[] = {NULL, "", "", "", "", N_("Waiting at each step"), N_("Per department"), N_("Per person")};
	if (d->cal_warn) {
		fprintf(f, gettext("Warning: the calendar of %d is still provisional (generated from the Labour Code): appointments running into it may move when the Government announces it; import it with 'motcua holidays import FILE.csv'."),
			d->cal_warn);
		fputc('\n', f);
	}
	int last = 0;
	for (int i = 0; i < d->n; i++) {
		const struct dash_entry *en = &d->v[i];
		if (en->list != last && en->list >= DL_STAGE)
			fprintf(f, "\n%s\n", _(titles[en->list]));
		else if (en->list != last && en->list == DL_RECEIVED_TODAY)
			fputc('\n', f);
		last = en->list;
		form_safe(en->text, safe, sizeof safe);
		form_pad(safe, 44, 0, cell, sizeof cell);
		fprintf(f, "  %s %6d", cell, en->count);
		if (en->list != DL_OVERDUE && en->overdue)
			fprintf(f, _("  (%d overdue)"), en->overdue);
		fputc('\n', f);
		for (int k = 0; k < oldest && k < en->count; k++) {
			const struct rep_item *it = &d->items[en->items[k]];
			char t[24], code[96];
			cal_format(sort_key(it, en->list), 1, t, sizeof t);
			form_safe(it->code, code, sizeof code);
			const char *fmt = en->list == DL_DUE_TODAY || en->list == DL_DUE_SOON ? N_("      %-28s due %s\n")
				: en->list == DL_OVERDUE ? N_("      %-28s committed %s\n")
				: en->list == DL_RECEIVED_TODAY ? N_("      %-28s received %s\n") : N_("      %-28s since %s\n");
			fprintf(f, gettext(fmt), code, t);
		}
	}
}

char *dashboard_json(const struct dashboard *d, int oldest)
{
	char when[24];
	cal_format(d->now, 1, when, sizeof when);
	json_t *o = json_object(), *arr = json_array();
	json_object_set_new(o, "now", json_string(when));
	json_object_set_new(o, "within", json_integer(d->within));
	json_object_set_new(o, "open", json_integer(d->open));
	json_object_set_new(o, "scope", json_string(d->dept_id ? "department" : "office"));
	if (d->cal_warn)
		json_object_set_new(o, "calendar_provisional", json_integer(d->cal_warn));
	if (d->dept_id) {
		json_object_set_new(o, "department", json_safe(d->dept_code));
		json_object_set_new(o, "department_name", json_safe(d->dept_name));
	}
	for (int i = 0; i < d->n; i++) {
		const struct dash_entry *en = &d->v[i];
		json_t *x = json_object();
		json_object_set_new(x, "list", json_string(list_key(en->list)));
		if (en->list == DL_STAGE)
			json_object_set_new(x, "stage", json_string(stage_name((int)en->key)));
		else if (en->list >= DL_DEPT)
			json_object_set_new(x, "id", json_integer(en->key));
		json_object_set_new(x, "label", json_safe(en->label));
		json_object_set_new(x, "count", json_integer(en->count));
		json_object_set_new(x, "overdue", json_integer(en->overdue));
		json_t *codes = json_array();
		for (int k = 0; k < oldest && k < en->count; k++)
			json_array_append_new(codes, json_safe(d->items[en->items[k]].code));
		json_object_set_new(x, "oldest", codes);
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "queues", arr);
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(o);
	return s;
}
