/* report.c - the statistics report and the catalog report (see report.h for the rules).
 *
 * The store selects the dossiers of a period (store_report.c); here each one is put in
 * exactly one column on the left (carried over / new by channel) and one on the right
 * (how it finished in the period, or its state at the end), so the sums add up by
 * construction; report_check verifies them anyway before anything is printed.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "forms.h"
#include "i18n.h"
#include "lienthong.h"
#include "org.h"
#include "report.h"
#include "snapshot.h"
#include "text.h"

static const char *col_keys[] = {
#define REP_KEY(name, key, vi) key,
	REP_COLUMNS(REP_KEY)
#undef REP_KEY
};
static const char *col_vi[] = {
#define REP_VI(name, key, vi) vi,
	REP_COLUMNS(REP_VI)
#undef REP_VI
};

const char *report_col_key(int col) { return col >= 0 && col < RC_COUNT ? col_keys[col] : "?"; }

static const char *level_vi(int level)
{
	return level == 1 ? "Cấp tỉnh" : level == 2 ? "Cấp huyện" : level == 3 ? "Cấp xã" : "Cấp khác";
}

const char *report_level_name(int level, int before_reform)
{
	if (level == 2 && !before_reform)
		return "Cấp huyện (hồ sơ tiếp nhận trước ngày 01/7/2025)";
	return level >= 1 && level <= 3 ? level_vi(level) : "Thủ tục không còn trong danh mục";
}

/* ---- period ------------------------------------------------------------------ */

static int64_t day0(int y, int m, int d) { return cal_instant(cal_day_from_ymd(y, m, d), 0); }

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int report_period(const char *period, const char *from, const char *to, int calendar, int64_t *p0, int64_t *p1, struct err *e)
{
	if (period && (from || to))
		return err_set_hint(e, MC_USAGE, HINT_PERIOD, "give either a period or a start and end date, not both");
	if (period) {
		size_t l = strlen(period);
		int y = l >= 4 && all_digits(period, 4) ? atoi(period) : 0;
		/* a calendar period starts on the 1st; the reporting regime's on the 15th of the
		 * month before (Decree 09/2019/NĐ-CP Art. 12): first month m0 and months n */
		int m0, n;
		if (y < 1900 || y > 2999)
			return err_set(e, MC_INVALID, "period '%.40s' is not valid: use 2024, 2024-H1, 2024-Q1 or 2024-03", period);
		if (l == 4) {
			m0 = 1;
			n = 12;
		} else if (l == 7 && period[4] == '-' && (period[5] == 'Q' || period[5] == 'q') && period[6] >= '1' && period[6] <= '4') {
			m0 = 3 * (period[6] - '0') - 2;
			n = 3;
		} else if (l == 7 && period[4] == '-' && (period[5] == 'H' || period[5] == 'h') && period[6] >= '1' && period[6] <= '2') {
			m0 = period[6] == '1' ? 1 : 7;
			n = 6;
		} else if (l == 7 && period[4] == '-' && all_digits(period + 5, 2) && atoi(period + 5) >= 1 && atoi(period + 5) <= 12) {
			m0 = atoi(period + 5);
			n = 1;
		} else {
			return err_set(e, MC_INVALID, "period '%.40s' is not valid: use 2024, 2024-H1, 2024-Q1 or 2024-03", period);
		}
		int a = y * 12 + m0 - 1, b = a + n; /* months since year 0, [a, b) */
		if (calendar) {
			*p0 = day0(a / 12, a % 12 + 1, 1);
			*p1 = day0(b / 12, b % 12 + 1, 1);
		} else {
			a--;
			b--;
			*p0 = day0(a / 12, a % 12 + 1, 15);
			*p1 = day0(b / 12, b % 12 + 1, 15);
		}
		return 0;
	}
	if (!from || !to)
		return err_set_hint(e, MC_USAGE, HINT_PERIOD, "the report needs a period");
	if (!*from || !*to)
		return err_set_hint(e, MC_INVALID, HINT_PERIOD, "the period is empty: the start and end need a date (YYYY-MM-DD)");
	int64_t a, b;
	if (strlen(from) != 10 || cal_parse(from, &a))
		return err_set(e, MC_INVALID, "the start date '%.40s' is not a date: use YYYY-MM-DD", from);
	if (strlen(to) != 10 || cal_parse(to, &b))
		return err_set(e, MC_INVALID, "the end date '%.40s' is not a date: use YYYY-MM-DD", to);
	if (b < a)
		return err_set(e, MC_INVALID, "the period is inverted (empty): the start %s is after the end %s", from, to);
	*p0 = a;
	*p1 = cal_instant(cal_day_of(b) + 1, 0);
	return 0;
}

/* ---- classification ---------------------------------------------------------- */

struct pmap { int64_t field_id; int level; int row; char field_code[32]; char field_name[256]; int krow[4]; };
struct olevel { int64_t id; int level; };

struct ctx {
	struct core *c;
	struct report *r;
	struct pmap *map;       /* indexed by procedure id */
	int64_t nmap;
	int64_t only_field;     /* 0: all */
	int other_row;          /* row for a procedure missing from the catalog (-1: none yet) */
	struct dossier *snap;   /* replay buffer */
	int base_dseq;          /* the replayed dossier's snapshot base step (0: none) */
	int unknown;            /* its state at `until` is older than its base */
	int64_t until;
	struct err *e;
	int rc;
	struct olevel *offices; /* II.06a: each office's level, by id */
	int noffices;
	int64_t reform;         /* 1 July 2025 */
};

static int replay_one(const struct event *ev, void *arg)
{
	struct ctx *x = arg;
	if (ev->dseq <= x->base_dseq) {
		/* in the base state already; a base made after the period end says nothing of it */
		x->unknown = ev->dseq == x->base_dseq && ev->at >= x->until;
		return x->unknown;
	}
	if (ev->at >= x->until)
		return 1; /* events are in order: the rest happened after the period */
	if (dossier_apply(x->c->st, x->snap, ev, x->e)) {
		x->rc = x->e->code;
		return 1;
	}
	return 0;
}

/* the state of a dossier at instant `until` as its events tell it (0, or -1: not
 * known here, e.g. a dossier taken from central's snapshot after that instant) */
static int state_at(struct ctx *x, const char *code, int64_t until)
{
	struct err ignore = {0};
	x->until = until;
	x->rc = 0;
	x->unknown = 0;
	if ((x->base_dseq = snapshot_replay_start(x->c->st, code, x->snap, &ignore)) < 0)
		return -1;
	store_events_of(x->c->st, code, replay_one, x);
	return x->rc || x->unknown || !x->snap->version ? -1 : 0;
}

/* The columns of one dossier: *left (-1: not received by the end of the period), the
 * right-hand one, *of (a column saying which kind of resolved or in-progress one it is,
 * or -1) and *late_apology (-1 unless resolved late). */
static int classify(struct ctx *x, const struct rep_item *it, int *left, int *of, int *late_apology)
{
	const struct report *r = x->r;
	int64_t fin = it->resolved_at ? it->resolved_at : it->stage >= SG_FINAL ? it->stage_since : INT64_MAX;
	*late_apology = -1;
	*of = -1;
	*left = -1;
	int received = it->accepted_at > 0 && it->accepted_at < r->to;
	if (received)
		*left = it->accepted_at < r->from ? RC_CARRIED : it->channel == CH_ONLINE ? RC_NEW_ONLINE :
			it->channel == CH_POSTAL ? RC_NEW_POSTAL : RC_NEW_DIRECT;
	if (fin < r->to) {
		if (!received)
			return it->stage == SG_WITHDRAWN ? RC_WITHDRAWN_INTAKE : RC_REFUSED_INTAKE;
		/* resolved: a result (positive or negative), or processing ended otherwise */
		if (it->stage == SG_WITHDRAWN)
			*of = RC_WITHDRAWN;
		else if (it->stage == SG_STOPPED)
			*of = RC_STOPPED;
		else if (it->stage == SG_REFUSED || it->decision == DEC_REFUSE)
			*of = RC_REFUSED;
		int tl = cal_timeliness(it->orig_due_at, fin, 0);
		if (tl == TL_LATE)
			*late_apology = it->apology != 0;
		return tl == TL_EARLY ? RC_EARLY : tl == TL_ON_TIME ? RC_ON_TIME : RC_LATE;
	}
	/* open at the end: its state then */
	int stage = it->stage;
	int64_t orig = it->orig_due_at, paused = it->paused_at;
	if (it->last_at >= r->to && x->c) {
		x->r->replayed++;
		if (state_at(x, it->code, r->to) == 0) {
			stage = x->snap->stage;
			orig = x->snap->orig_due_at;
			paused = x->snap->paused_at;
		} else if (!received) {
			stage = it->channel == CH_ONLINE && it->stage != SG_INTAKE_SUPPL ? SG_ONLINE : SG_INTAKE_SUPPL;
		}
	}
	if (!received)
		return stage == SG_ONLINE ? RC_PENDING : RC_INTAKE_SUPPL;
	int64_t judged = r->as_of;
	if (stage == SG_SUPPLEMENT) {
		/* the clock is stopped: late only if it was late when the supplement was asked */
		*of = RC_SUPPLEMENT;
		if (paused && paused < judged)
			judged = paused;
	}
	if (!orig)
		return RC_NOT_DUE;
	return cal_timeliness(orig, 0, judged) == TL_OVERDUE ? RC_OVERDUE : RC_NOT_DUE;
}

static int add_row(struct report *r, const char *key, const char *name)
{
	struct rep_row *n = realloc(r->rows, sizeof *n * (size_t)(r->nrows + 1));
	if (!n)
		return -1;
	r->rows = n;
	memset(&n[r->nrows], 0, sizeof n[0]);
	snprintf(n[r->nrows].key, sizeof n[0].key, "%s", key);
	snprintf(n[r->nrows].name, sizeof n[0].name, "%s", name);
	return r->nrows++;
}

struct pctx { struct ctx *x; int64_t field_id; const char *field_code; int64_t to; };

static int row_of_field(struct report *r, const char *code, const char *name)
{
	for (int i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].key, code))
			return i;
	/* keep rows ordered by field code */
	int k = add_row(r, code, name);
	if (k < 0)
		return -1;
	struct rep_row tmp = r->rows[k];
	int i = k;
	while (i > 0 && strcmp(r->rows[i - 1].key, tmp.key) > 0) {
		r->rows[i] = r->rows[i - 1];
		i--;
	}
	r->rows[i] = tmp;
	return i;
}

static int on_proc(const struct rep_proc *p, void *arg)
{
	struct pctx *pc = arg;
	struct ctx *x = pc->x;
	if (p->id < 0 || p->id >= x->nmap)
		return 0;
	x->map[p->id].field_id = p->field_id;
	x->map[p->id].level = p->level;
	snprintf(x->map[p->id].field_code, sizeof x->map[p->id].field_code, "%s", p->field_code);
	snprintf(x->map[p->id].field_name, sizeof x->map[p->id].field_name, "%s", p->field_name);
	if (pc->field_code && !strcmp(pc->field_code, p->field_code))
		pc->field_id = p->field_id;
	if (pc->field_code && strcmp(pc->field_code, p->field_code))
		return 0;
	/* a procedure that came into force after the period gives its field no row */
	if (x->r->by == REP_BY_FIELD && !(pc->to && p->since >= pc->to) && row_of_field(x->r, p->field_code, p->field_name) < 0)
		return MC_STORE;
	return 0;
}

static int max_proc(const struct rep_proc *p, void *arg)
{
	int64_t *m = arg;
	if (p->id > *m)
		*m = p->id;
	return 0;
}

/* the row of a procedure: map[].row is filled lazily (rows move while they are added) */
static int row_for(struct ctx *x, int64_t proc)
{
	struct report *r = x->r;
	if (proc <= 0 || proc >= x->nmap || !x->map[proc].level) {
		if (x->other_row < 0)
			x->other_row = add_row(r, "?", "Thủ tục không còn trong danh mục");
		return x->other_row;
	}
	return x->map[proc].row;
}

static int on_office(const struct office *o, const char *parent, int receives, int resolves, void *arg)
{
	(void)parent;
	(void)receives;
	(void)resolves;
	struct ctx *x = arg;
	struct olevel *n = realloc(x->offices, sizeof *n * (size_t)(x->noffices + 1));
	if (!n)
		return MC_STORE;
	x->offices = n;
	n[x->noffices].id = o->id;
	n[x->noffices].level = o->level;
	x->noffices++;
	return 0;
}

/* II.06a: the level a dossier is counted at (report.h), shared with central's report */
int report_kstt_level(int resolver_level, int proc_level, int64_t received_at)
{
	if (resolver_level >= 1 && resolver_level <= 3)
		return resolver_level;
	if (proc_level == 2 && received_at >= forms_reform_instant())
		proc_level = 3; /* no district level since the reform */
	return proc_level >= 1 && proc_level <= 3 ? proc_level : 1;
}

static int kstt_level(struct ctx *x, const struct rep_item *it)
{
	int rl = 0;
	if (it->resolver_id > 0)
		for (int i = 0; i < x->noffices && !rl; i++)
			if (x->offices[i].id == it->resolver_id)
				rl = x->offices[i].level;
	return report_kstt_level(rl, x->map[it->procedure_id].level, it->received_at);
}

int report_kstt_row(struct report *r, int level, const char *field_code, const char *field_name)
{
	char key[40];
	if (level < 1 || level > 3)
		snprintf(key, sizeof key, "?");
	else
		snprintf(key, sizeof key, "%d.%s", level, field_code);
	for (int i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].key, key))
			return i;
	int k = add_row(r, key, level >= 1 && level <= 3 ? field_name : "Thủ tục không còn trong danh mục");
	if (k >= 0)
		r->rows[k].level = level >= 1 && level <= 3 ? level : 0;
	return k;
}

/* II.06a: the row of (level, field), added on first use (rows are sorted at the end) */
static int kstt_row(struct ctx *x, const struct rep_item *it)
{
	int64_t proc = it->procedure_id;
	if (proc <= 0 || proc >= x->nmap || !x->map[proc].level) {
		if (x->other_row < 0)
			x->other_row = report_kstt_row(x->r, 0, NULL, NULL);
		return x->other_row;
	}
	struct pmap *m = &x->map[proc];
	int lv = kstt_level(x, it);
	if (m->krow[lv] >= 0)
		return m->krow[lv];
	int k = report_kstt_row(x->r, lv, m->field_code, m->field_name);
	/* every procedure of the field and level shares the row */
	for (int64_t i = 0; i < x->nmap && k >= 0; i++)
		if (x->map[i].level && x->map[i].field_id == m->field_id)
			x->map[i].krow[lv] = k;
	return k;
}

static void count_item(struct ctx *x, long *v, const struct rep_item *it, long w);

static int on_item(const struct rep_item *it, void *arg)
{
	struct ctx *x = arg;
	if (x->only_field && (it->procedure_id <= 0 || it->procedure_id >= x->nmap ||
			      x->map[it->procedure_id].field_id != x->only_field))
		return 0;
	int row = x->r->by == REP_BY_KSTT ? kstt_row(x, it) : row_for(x, it->procedure_id);
	if (row < 0)
		return MC_STORE;
	count_item(x, x->r->rows[row].v, it, 1);
	return 0;
}

/* one dossier (or w alike) into the columns of row v */
static void count_item(struct ctx *x, long *v, const struct rep_item *it, long w)
{
	struct report *r = x->r;
	int left, of, apology;
	int right = classify(x, it, &left, &of, &apology);
	long before = r->seen;
	r->seen += w;
	if (r->progress && r->seen / 20000 != before / 20000)
		r->progress(r->seen, r->progress_arg);
	if (left >= 0)
		v[left] += w;
	v[right] += w;
	if (of >= 0)
		v[of] += w;
	if (apology >= 0)
		v[apology ? RC_LATE_APOLOGY : RC_LATE_NO_APOLOGY] += w;
	if ((right == RC_EARLY || right == RC_ON_TIME || right == RC_LATE) && it->returned_at && it->rating > 0) {
		v[RC_RATED] += w;
		if (it->rating >= 4)
			v[RC_SATISFIED] += w;
	}
}

static void sums(long *v)
{
	v[RC_RECEIVED] = v[RC_CARRIED] + v[RC_NEW_ONLINE] + v[RC_NEW_DIRECT] + v[RC_NEW_POSTAL];
	v[RC_RESOLVED] = v[RC_EARLY] + v[RC_ON_TIME] + v[RC_LATE];
	v[RC_IN_PROGRESS] = v[RC_NOT_DUE] + v[RC_OVERDUE];
}

static int kstt_cmp(const void *a, const void *b)
{
	const struct rep_row *x = a, *y = b;
	if (x->level != y->level) /* the catalog's missing procedures last */
		return (x->level ? x->level : 9) - (y->level ? y->level : 9);
	return strcmp(x->key, y->key); /* "L.FIELD": by field code, as the report by field */
}

/* II.06a after counting: rows in level order then by field name, the levels' names */
static void kstt_finish(struct report *r)
{
	if (r->nrows > 1)
		qsort(r->rows, (size_t)r->nrows, sizeof r->rows[0], kstt_cmp);
	int before = r->from < forms_reform_instant();
	r->district = before;
	for (int i = 0; i < r->nrows; i++)
		if (r->rows[i].level == 2)
			r->district = 1;
	for (int l = 0; l < 4; l++) {
		memset(&r->levels[l], 0, sizeof r->levels[l]);
		r->levels[l].level = l;
		snprintf(r->levels[l].key, sizeof r->levels[l].key, "%d", l);
		snprintf(r->levels[l].name, sizeof r->levels[l].name, "%s", report_level_name(l, before));
	}
}

/* the rows' sums, the total and (II.06a, after ordering its rows) each level's subtotal */
static void add_up(struct report *r)
{
	if (r->by == REP_BY_KSTT)
		kstt_finish(r);
	for (int i = 0; i < r->nrows; i++) {
		sums(r->rows[i].v);
		for (int k = 0; k < RC_COUNT; k++)
			r->total.v[k] += r->rows[i].v[k];
		if (r->by == REP_BY_KSTT)
			for (int k = 0; k < RC_COUNT; k++)
				r->levels[r->rows[i].level].v[k] += r->rows[i].v[k];
	}
	sums(r->total.v);
}

/* ---- liên thông ------------------------------------------------------------------
 * The liên thông module counts, per participating agency, the liên thông dossiers whose
 * parts opened in the period, the parts and the late ones (lt_report, lienthong.h);
 * II.06a prints them under the form. */
struct ltx { struct core *c; struct report *r; };

static int on_lt(const struct lt_count *n, void *arg)
{
	struct ltx *x = arg;
	struct rep_lt *v = realloc(x->r->lt, sizeof *v * (size_t)(x->r->nlt + 1));
	if (!v)
		return MC_STORE;
	x->r->lt = v;
	struct rep_lt *w = &v[x->r->nlt++];
	memset(w, 0, sizeof *w);
	snprintf(w->agency, sizeof w->agency, "%s", n->agency);
	struct office o;
	snprintf(w->name, sizeof w->name, "%s", org_office(x->c, n->agency, 0, &o) ? n->agency : o.name);
	w->dossiers = n->dossiers;
	w->leads = n->leads;
	w->parts = n->parts;
	w->late_parts = n->late;
	return 0;
}

int report_lienthong(struct core *c, struct report *r, struct err *e)
{
	struct ltx x = {c, r};
	free(r->lt);
	r->lt = NULL;
	r->nlt = 0;
	r->lt_counted = 0;
	int rc = lt_report(c, r->from, r->to, on_lt, &x, e);
	if (rc)
		return e->code ? e->code : err_set(e, MC_STORE, "out of memory");
	r->lt_counted = 1;
	return 0;
}

int report_stats(struct core *c, int64_t from, int64_t to, int by, const char *field_code,
		 struct report *r, struct err *e)
{
	void (*progress)(long, void *) = r->progress;
	void *progress_arg = r->progress_arg;
	int calendar = r->calendar, all_offices = r->all_offices;
	memset(r, 0, sizeof *r);
	r->all_offices = all_offices;
	r->progress = progress;
	r->progress_arg = progress_arg;
	r->calendar = calendar;
	if (core_require(c, REPORT_ROLES, CORE_FOR_REPORTS, e))
		return e->code;
	if (to <= from)
		return err_set(e, MC_INVALID, "the period is empty or inverted");
	if (by != REP_BY_FIELD && by != REP_BY_LEVEL && by != REP_BY_KSTT)
		return err_set(e, MC_USAGE, "a report is by field, by level or in the shape of form II.06a");
	r->from = from;
	r->to = to;
	int64_t now = core_now(c);
	r->as_of = now < to ? now : to;
	r->by = by;
	snprintf(r->office, sizeof r->office, "%s", c->office.name);
	store_setting_get(c->st, "report.recipient", r->recipient, sizeof r->recipient);
	snprintf(r->field, sizeof r->field, "%s", field_code ? field_code : "");
	snprintf(r->total.key, sizeof r->total.key, "total");
	snprintf(r->total.name, sizeof r->total.name, "Tổng cộng");
	struct ctx x = {.c = c, .r = r, .other_row = -1, .e = e, .reform = forms_reform_instant()};
	int64_t maxid = 0;
	store_report_procs(c->st, max_proc, &maxid);
	x.nmap = maxid + 1;
	x.map = calloc((size_t)x.nmap, sizeof *x.map);
	x.snap = malloc(sizeof *x.snap);
	int rc = 0;
	if (!x.map || !x.snap) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	if (by == REP_BY_LEVEL)
		for (int l = 1; l <= 3; l++) {
			char k[8];
			snprintf(k, sizeof k, "%d", l);
			if (add_row(r, k, level_vi(l)) < 0) {
				rc = err_set(e, MC_STORE, "out of memory");
				goto out;
			}
		}
	struct pctx pc = {&x, 0, field_code, to};
	if (store_report_procs(c->st, on_proc, &pc)) {
		rc = err_set(e, MC_STORE, "reading the catalog for the report failed");
		goto out;
	}
	if (field_code && !pc.field_id) {
		rc = err_set_hint(e, MC_NOTFOUND, HINT_CATALOG_LIST, "unknown field '%.40s'", field_code);
		goto out;
	}
	x.only_field = pc.field_id;
	if (by == REP_BY_KSTT && org_each_office(c, on_office, &x)) {
		rc = err_set(e, MC_STORE, "reading the offices for the report failed");
		goto out;
	}
	/* rows are in place now: point every procedure at its row */
	for (int64_t i = 0; i < x.nmap; i++) {
		struct pmap *m = &x.map[i];
		m->row = -1;
		m->krow[0] = m->krow[1] = m->krow[2] = m->krow[3] = -1;
		if (!m->level)
			continue;
		if (by == REP_BY_KSTT) { /* rows by (level, field) come with the dossiers */
			m->row = 0;
			continue;
		}
		if (by == REP_BY_LEVEL)
			m->row = m->level >= 1 && m->level <= 3 ? m->level - 1 : 0;
		else
			for (int k = 0; k < r->nrows; k++)
				if (!strcmp(r->rows[k].key, m->field_code))
					m->row = k;
		if (m->row < 0) /* another field than the one asked for */
			m->level = 0;
	}
	rc = store_report_period(c->st, all_offices ? 0 : c->office.id, from, to, on_item, &x);
	if (rc) {
		if (!e->code)
			err_set(e, MC_STORE, "reading the dossiers for the report failed");
		rc = e->code;
		goto out;
	}
	add_up(r);
	if (by == REP_BY_KSTT && (rc = report_lienthong(c, r, e)))
		goto out;
	char msg[512];
	if (!report_check(r, msg, sizeof msg))
		rc = err_set(e, MC_STORE, "internal: the report does not add up (%s)", msg);
out:
	free(x.map);
	free(x.snap);
	free(x.offices);
	if (rc)
		report_free(r);
	return rc;
}

void report_free(struct report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
	free(r->lt);
	r->lt = NULL;
	r->nlt = 0;
}

static int row_ok(const struct rep_row *w, char *msg, size_t n)
{
	const long *v = w->v;
	const char *bad = NULL;
	if (v[RC_RECEIVED] != v[RC_CARRIED] + v[RC_NEW_ONLINE] + v[RC_NEW_DIRECT] + v[RC_NEW_POSTAL])
		bad = N_("received != carried over + new");
	else if (v[RC_RESOLVED] != v[RC_EARLY] + v[RC_ON_TIME] + v[RC_LATE])
		bad = N_("resolved != early + on time + late");
	else if (v[RC_IN_PROGRESS] != v[RC_NOT_DUE] + v[RC_OVERDUE])
		bad = N_("in progress != not yet due + overdue");
	else if (v[RC_RECEIVED] != v[RC_RESOLVED] + v[RC_IN_PROGRESS])
		bad = N_("received != resolved + in progress");
	else if (v[RC_REFUSED] + v[RC_WITHDRAWN] + v[RC_STOPPED] > v[RC_RESOLVED])
		bad = N_("more refused, withdrawn and stopped than resolved");
	else if (v[RC_SUPPLEMENT] > v[RC_IN_PROGRESS])
		bad = N_("more waiting for a supplement than in progress");
	else if (v[RC_LATE] != v[RC_LATE_APOLOGY] + v[RC_LATE_NO_APOLOGY])
		bad = N_("late != with apology + without");
	else if (v[RC_SATISFIED] > v[RC_RATED] || v[RC_RATED] > v[RC_RESOLVED])
		bad = N_("more satisfied than rated, or more rated than resolved");
	for (int k = 0; !bad && k < RC_COUNT; k++)
		if (v[k] < 0)
			bad = N_("a negative count");
	if (bad)
		snprintf(msg, n, _("row %s: %s"), w->key, _(bad));
	return bad == NULL;
}

int report_check(const struct report *r, char *msg, size_t n)
{
	long sum[RC_COUNT] = {0};
	for (int i = 0; i < r->nrows; i++) {
		if (!row_ok(&r->rows[i], msg, n))
			return 0;
		for (int k = 0; k < RC_COUNT; k++)
			sum[k] += r->rows[i].v[k];
	}
	if (!row_ok(&r->total, msg, n))
		return 0;
	for (int k = 0; k < RC_COUNT; k++)
		if (sum[k] != r->total.v[k]) {
			snprintf(msg, n, _("the total of %s is not the sum of the rows"), col_keys[k]);
			return 0;
		}
	if (r->by == REP_BY_KSTT) /* II.06a: each level is the sum of its fields, the total the sum of the levels */
		for (int k = 0; k < RC_COUNT; k++) {
			long lv[4] = {0}, all = 0;
			for (int i = 0; i < r->nrows; i++)
				if (r->rows[i].level >= 0 && r->rows[i].level <= 3)
					lv[r->rows[i].level] += r->rows[i].v[k];
			for (int l = 0; l < 4; l++) {
				all += r->levels[l].v[k];
				if (lv[l] != r->levels[l].v[k]) {
					snprintf(msg, n, _("level %d's %s is not the sum of its fields"), l, col_keys[k]);
					return 0;
				}
			}
			if (all != r->total.v[k]) {
				snprintf(msg, n, _("the total of %s is not the sum of the levels"), col_keys[k]);
				return 0;
			}
		}
	return 1;
}

long report_kstt_col(const struct rep_row *w, int col)
{
	const long *v = w->v;
	switch (col) {
	case 3: return v[RC_RECEIVED];
	case 4: return v[RC_NEW_ONLINE];
	case 5: return v[RC_NEW_DIRECT] + v[RC_NEW_POSTAL];
	case 6: return v[RC_CARRIED];
	case 7: return v[RC_RESOLVED];
	case 8: return v[RC_EARLY];
	case 9: return v[RC_ON_TIME];
	case 10: return v[RC_LATE];
	case 11: return v[RC_IN_PROGRESS];
	case 12: return v[RC_NOT_DUE];
	case 13: return v[RC_OVERDUE];
	}
	return -1;
}

double report_satisfaction(const struct rep_row *row)
{
	return row->v[RC_RATED] ? 100.0 * (double)row->v[RC_SATISFIED] / (double)row->v[RC_RATED] : -1;
}

/* ---- text output (Vietnamese, 80 columns) ------------------------------------ */

static void fmt_date(int64_t t, char *buf, int n) { cal_format_vn(t, buf, n); }

static void period_line(const struct report *r, char *buf, size_t n)
{
	char a[16], b[16], asof[24];
	fmt_date(r->from, a, sizeof a);
	fmt_date(r->to - 1, b, sizeof b);
	if (r->as_of >= r->to) {
		snprintf(buf, n, "Kỳ báo cáo: từ %s đến %s (số liệu tính đến hết ngày %s)", a, b, b);
	} else {
		int m = cal_minute_of(r->as_of);
		fmt_date(r->as_of, asof, sizeof asof);
		snprintf(buf, n, "Kỳ báo cáo: từ %s đến %s (số liệu đến %02d:%02d ngày %s)", a, b, m / 60, m % 60, asof);
	}
}

struct tcol { int col; const char *num; };

static void sat_text(const struct rep_row *w, char *buf, size_t n)
{
	double s = report_satisfaction(w);
	if (s < 0)
		snprintf(buf, n, "-");
	else
		forms_number_vn(s, 1, buf, n); /* a decimal comma: 93,5 */
}

/* one table: label column then numbered columns; widths from the widest number */
static void table(const struct report *r, FILE *f, const struct tcol *cols, int ncols, const char *with_sat)
{
	int w = 5;
	char num[32];
	for (int i = -1; i < r->nrows; i++) {
		const struct rep_row *row = i < 0 ? &r->total : &r->rows[i];
		for (int k = 0; k < ncols; k++) {
			forms_number_vn((double)row->v[cols[k].col], 0, num, sizeof num);
			int l = (int)strlen(num) + 1;
			if (l > w)
				w = l;
		}
	}
	/* the satisfaction rate ("100.0") is wider than most counts: its own width, so
	 * that it never runs into the count before it */
	int satw = w < 7 ? 7 : w;
	if (FORM_COLS - w * ncols - satw * (with_sat != NULL) < 8 && ncols > 1) {
		/* counts too wide for 80 columns (1.234.567): the columns in two tables */
		table(r, f, cols, ncols / 2, NULL);
		fputc('\n', f);
		table(r, f, cols + ncols / 2, ncols - ncols / 2, with_sat);
		return;
	}
	int label = FORM_COLS - w * ncols - satw * (with_sat != NULL);
	if (label < 8)
		label = 8;
	char cell[512], line[1024];
	form_pad("Lĩnh vực / cấp", label, 0, cell, sizeof cell);
	int o = snprintf(line, sizeof line, "%s", cell);
	for (int k = 0; k < ncols + (with_sat != NULL); k++) {
		char h[16];
		snprintf(h, sizeof h, "%s", k < ncols ? cols[k].num : with_sat);
		o += snprintf(line + o, sizeof line - (size_t)o, "%*s", k < ncols ? w : satw, h);
	}
	fprintf(f, "%s\n", line);
	for (int i = 0; i <= r->nrows; i++) {
		const struct rep_row *row = i < r->nrows ? &r->rows[i] : &r->total;
		char safe[512];
		form_safe(row->name, safe, sizeof safe);
		form_pad(safe, label, 0, cell, sizeof cell);
		o = snprintf(line, sizeof line, "%s", cell);
		for (int k = 0; k < ncols; k++) {
			char cnt[32]; /* as Vietnamese writes it: 1.234 */
			forms_number_vn((double)row->v[cols[k].col], 0, cnt, sizeof cnt);
			o += snprintf(line + o, sizeof line - (size_t)o, "%*s", w, cnt);
		}
		if (with_sat) {
			sat_text(row, num, sizeof num);
			o += snprintf(line + o, sizeof line - (size_t)o, "%*s", satw, num);
		}
		if (i == r->nrows) {
			char rule[FORM_COLS + 1];
			memset(rule, '-', FORM_COLS);
			rule[FORM_COLS] = 0;
			fprintf(f, "%s\n", rule);
		}
		fprintf(f, "%s\n", line);
	}
}

static void legend(FILE *f, const char *num, const char *text)
{
	struct strbuf t = {0};
	char label[16];
	if (num[0])
		snprintf(label, sizeof label, "%-7s ", num);
	else
		label[0] = 0;
	form_wrap(&t, label, text, FORM_COLS);
	if (t.buf)
		fputs(t.buf, f);
	strbuf_release(&t);
}

void report_text(const struct report *r, FILE *f)
{
	if (r->by == REP_BY_KSTT) {
		report_kstt_text(r, f);
		return;
	}
	static const struct tcol t1[] = {
		{RC_CARRIED, "(1)"}, {RC_NEW_ONLINE, "(2)"}, {RC_NEW_DIRECT, "(3)"}, {RC_NEW_POSTAL, "(4)"},
		{RC_RECEIVED, "(5)"}, {RC_EARLY, "(6)"}, {RC_ON_TIME, "(7)"}, {RC_LATE, "(8)"}, {RC_RESOLVED, "(9)"},
	};
	static const struct tcol t2[] = {
		{RC_NOT_DUE, "(10)"}, {RC_OVERDUE, "(11)"}, {RC_IN_PROGRESS, "(12)"}, {RC_SUPPLEMENT, "(13)"},
		{RC_REFUSED, "(14)"}, {RC_WITHDRAWN, "(15)"}, {RC_STOPPED, "(16)"},
		{RC_LATE_APOLOGY, "(17)"}, {RC_LATE_NO_APOLOGY, "(18)"},
	};
	static const struct tcol t3[] = {
		{RC_PENDING, "(20)"}, {RC_INTAKE_SUPPL, "(21)"}, {RC_REFUSED_INTAKE, "(22)"}, {RC_WITHDRAWN_INTAKE, "(23)"},
	};
	struct strbuf t = {0};
	char buf[512];
	form_center(&t, "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", FORM_COLS);
	form_center(&t, r->office, FORM_COLS);
	period_line(r, buf, sizeof buf);
	form_wrap(&t, "", buf, FORM_COLS);
	if (r->calendar == 0)
		form_wrap(&t, "", "Kỳ báo cáo tính từ ngày 15 tháng trước đến ngày 14 (Điều 12 Nghị định 09/2019/NĐ-CP).", FORM_COLS);
	else if (r->calendar == 1)
		form_wrap(&t, "", "Kỳ báo cáo theo tháng dương lịch (từ ngày 01 đến hết ngày cuối tháng).", FORM_COLS);
	if (r->field[0]) {
		snprintf(buf, sizeof buf, "Lĩnh vực: %s", r->field);
		form_wrap(&t, "", buf, FORM_COLS);
	}
	if (t.buf)
		fputs(t.buf, f);
	strbuf_release(&t);
	fprintf(f, "\nBảng 1. Tiếp nhận và đã giải quyết (số hồ sơ)\n");
	table(r, f, t1, 9, NULL);
	fprintf(f, "\nBảng 2. Đang giải quyết; trong số đã giải quyết (số hồ sơ)\n");
	table(r, f, t2, 9, "(19)");
	fprintf(f, "\nBảng 3. Hồ sơ chưa được tiếp nhận, không tính vào (5) (số hồ sơ)\n");
	table(r, f, t3, 4, NULL);
	fprintf(f, "\nGhi chú\n");
	legend(f, "(1)", "Từ kỳ trước chuyển qua: đã tiếp nhận trước kỳ, chưa giải quyết xong khi bắt đầu kỳ");
	legend(f, "(2-4)", "Mới tiếp nhận trong kỳ (đã cấp giấy tiếp nhận, mẫu 01): trực tuyến, trực tiếp, qua bưu chính");
	legend(f, "(5)", "Tổng số tiếp nhận = (1) + (2) + (3) + (4) = (9) + (12)");
	legend(f, "(6-8)", "Đã giải quyết trong kỳ: trước hạn, đúng hạn, quá hạn so với ngày hẹn đã cam kết (thời gian chờ bổ sung không tính), "
	       "tính theo thời điểm kết thúc giải quyết");
	legend(f, "(9)", "Tổng số đã giải quyết = (6) + (7) + (8); gồm cả hồ sơ từ chối sau thẩm định (kết quả là văn bản từ chối), "
	       "hồ sơ rút và hồ sơ dừng xử lý trong kỳ, xem (14-16)");
	legend(f, "(10-11)", "Đang giải quyết cuối kỳ: trong hạn, quá hạn");
	legend(f, "(12)", "Tổng số đang giải quyết = (10) + (11); gồm cả hồ sơ đang chờ bổ sung, xem (13)");
	legend(f, "(13)", "Trong (12): chờ bổ sung, hoàn thiện hồ sơ (dừng tính thời gian; quá hạn nếu đã quá hạn khi yêu cầu bổ sung)");
	legend(f, "(14-16)", "Trong (9): từ chối (sau thẩm định hoặc sau khi đã tiếp nhận), rút hồ sơ, dừng xử lý");
	legend(f, "(17-18)", "Trong số quá hạn (8): có văn bản xin lỗi và hẹn lại, không có");
	legend(f, "(19)", "Tỷ lệ hài lòng (%): số đánh giá mức 4-5 trên số đánh giá của hồ sơ đã giải quyết trong kỳ và đã trả kết quả");
	legend(f, "(20-21)", "Chưa tiếp nhận cuối kỳ: nộp trực tuyến chờ bộ phận một cửa tiếp nhận; chờ người nộp bổ sung thành phần hồ sơ");
	legend(f, "(22-23)", "Trong kỳ: không được tiếp nhận (từ chối tại bộ phận một cửa, mẫu 03); rút hồ sơ trước khi được tiếp nhận");
	legend(f, "", "Kiểm tra: (5) = (1) + (2) + (3) + (4) = (9) + (12) ở mọi dòng.");
}

/* ---- CSV ----------------------------------------------------------------------- */

/* a quoted CSV text cell: sanitised, quotes doubled, and a leading = + - @ neutralised
 * (spreadsheets would run it as a formula) */
static void csv_text(FILE *f, const char *s)
{
	char safe[1024];
	form_safe(s, safe, sizeof safe);
	fputc('"', f);
	if (safe[0] == '=' || safe[0] == '+' || safe[0] == '-' || safe[0] == '@')
		fputc('\'', f);
	for (const char *p = safe; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

void report_csv(const struct report *r, FILE *f)
{
	if (r->by == REP_BY_KSTT) {
		report_kstt_csv(r, f);
		return;
	}
	csv_text(f, r->by == REP_BY_LEVEL ? "Mã cấp" : "Mã lĩnh vực");
	fputc(',', f);
	csv_text(f, r->by == REP_BY_LEVEL ? "Cấp" : "Lĩnh vực");
	for (int k = 0; k < RC_COUNT; k++) {
		fputc(',', f);
		csv_text(f, col_vi[k]);
	}
	fputc(',', f);
	csv_text(f, "Tỷ lệ hài lòng (%)");
	fputs("\r\n", f);
	for (int i = 0; i <= r->nrows; i++) {
		const struct rep_row *row = i < r->nrows ? &r->rows[i] : &r->total;
		csv_text(f, i < r->nrows ? row->key : "");
		fputc(',', f);
		csv_text(f, row->name);
		for (int k = 0; k < RC_COUNT; k++)
			fprintf(f, ",%ld", row->v[k]);
		double s = report_satisfaction(row);
		if (s >= 0)
			fprintf(f, ",%.2f\r\n", s);
		else
			fputs(",\r\n", f);
	}
}


/* a JSON string of display-safe text (the JSON is printed as it is) */
static json_t *json_safe(const char *s)
{
	char safe[1024];
	form_safe(s, safe, sizeof safe);
	return json_string(safe);
}

/* ---- JSON ---------------------------------------------------------------------- */

static json_t *row_json(const struct rep_row *w)
{
	json_t *o = json_object();
	json_object_set_new(o, "key", json_safe(w->key));
	json_object_set_new(o, "name", json_safe(w->name));
	for (int k = 0; k < RC_COUNT; k++)
		json_object_set_new(o, col_keys[k], json_integer(w->v[k]));
	double s = report_satisfaction(w);
	json_object_set_new(o, "satisfaction_pct", s >= 0 ? json_real(round(s * 100) / 100) : json_null());
	return o;
}

/* II.06a columns of a row: {"key", "name", "level", "c3": ..., "c13": ...} */
static json_t *kstt_json(const struct rep_row *w)
{
	json_t *o = json_object();
	json_object_set_new(o, "key", json_safe(w->key));
	json_object_set_new(o, "name", json_safe(w->name));
	json_object_set_new(o, "level", json_integer(w->level));
	for (int c = 3; c <= 13; c++) {
		char k[8];
		snprintf(k, sizeof k, "c%d", c);
		json_object_set_new(o, k, json_integer(report_kstt_col(w, c)));
	}
	return o;
}

char *report_json(const struct report *r)
{
	char a[24], b[24], asof[24];
	cal_format(r->from, 0, a, sizeof a);
	cal_format(r->to - 1, 0, b, sizeof b);
	cal_format(r->as_of, 1, asof, sizeof asof);
	json_t *o = json_object();
	json_object_set_new(o, "report", json_string("stats"));
	json_object_set_new(o, "office", json_safe(r->office));
	json_object_set_new(o, "from", json_string(a));
	json_object_set_new(o, "to", json_string(b));
	json_object_set_new(o, "as_of", json_string(asof));
	json_object_set_new(o, "by", json_string(r->by == REP_BY_LEVEL ? "level" : r->by == REP_BY_KSTT ? "kstt" : "field"));
	if (r->by == REP_BY_KSTT) {
		/* II.06a: the form, each level with its columns 3-13 and its fields */
		json_object_set_new(o, "form", json_string("II.06a/VPCP/KSTT"));
		json_t *levels = json_array();
		for (int l = 1; l <= 3; l++) {
			if (l == 2 && !r->district)
				continue;
			json_t *lo = kstt_json(&r->levels[l]), *fields = json_array();
			for (int i = 0; i < r->nrows; i++)
				if (r->rows[i].level == l)
					json_array_append_new(fields, kstt_json(&r->rows[i]));
			json_object_set_new(lo, "fields", fields);
			json_array_append_new(levels, lo);
		}
		json_object_set_new(o, "levels", levels);
		json_object_set_new(o, "kstt_total", kstt_json(&r->total));
		if (r->lt_counted) {
			json_t *lt = json_array();
			for (int i = 0; i < r->nlt; i++)
				json_array_append_new(lt, json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "agency", json_safe(r->lt[i].agency),
								    "name", json_safe(r->lt[i].name), "dossiers", (json_int_t)r->lt[i].dossiers,
								    "leads", (json_int_t)r->lt[i].leads, "parts", (json_int_t)r->lt[i].parts,
								    "late_parts", (json_int_t)r->lt[i].late_parts));
			json_object_set_new(o, "lien_thong", lt);
		}
	}
	if (r->field[0])
		json_object_set_new(o, "field", json_safe(r->field));
	json_t *rows = json_array();
	for (int i = 0; i < r->nrows; i++)
		json_array_append_new(rows, row_json(&r->rows[i]));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "total", row_json(&r->total));
	json_object_set_new(o, "period_basis", json_string(r->calendar == 0 ? "reporting regime (Decree 09/2019 Art. 12: 15th to 14th)" :
						     r->calendar == 1 ? "calendar" : "dates"));
	json_object_set_new(o, "notes", json_pack("{s:s, s:s, s:s, s:s}",
		"outcomes", "refused after processing or after acceptance, withdrawn and stopped dossiers are resolved (refused/withdrawn/stopped count them); a dossier waiting for a supplement while processed is in progress (supplement counts it); dossiers not received by the end (online_pending, intake_supplement) or not received at all in the period (refused_at_intake, withdrawn_at_intake) are outside received",
		"identity", "received = carried_over + new_online + new_direct + new_postal = resolved + in_progress",
		"timeliness", "early/on time/late against the committed due date (paused time for a supplement excluded); open dossiers judged at as_of",
		"satisfaction", "share of ratings 4-5 among the dossiers resolved in the period and returned with a rating"));
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(o);
	return s;
}

/* ---- form II.06a/VPCP/KSTT ---------------------------------------------------------- */

/* the exact headers of columns 3-13 (LAW.md §3.1) */
static const char *const kstt_head[14] = {
	[3] = "Số hồ sơ nhận giải quyết: tổng số = (4) + (5) + (6)",
	[4] = "Trong đó: trực tuyến (mới tiếp nhận trong kỳ)",
	[5] = "Trong đó: trực tiếp, dịch vụ bưu chính (mới tiếp nhận trong kỳ)",
	[6] = "Từ kỳ trước (chưa giải quyết xong, chuyển qua)",
	[7] = "Số hồ sơ đã giải quyết: tổng số = (8) + (9) + (10)",
	[8] = "Trước hạn",
	[9] = "Đúng hạn",
	[10] = "Quá hạn",
	[11] = "Số hồ sơ đang giải quyết: tổng số = (12) + (13)",
	[12] = "Trong hạn",
	[13] = "Quá hạn",
};

static const char *roman(int i)
{
	static const char *r[] = {"", "I", "II", "III", "IV", "V"};
	return i >= 0 && i <= 5 ? r[i] : "";
}

/* the levels shown: province and commune always, district when r->district */
static int kstt_shown(const struct report *r, int l)
{
	return l == 1 || l == 3 || (l == 2 && r->district) || (l == 0 && r->levels[0].v[RC_RECEIVED] + r->levels[0].v[RC_PENDING] +
									 r->levels[0].v[RC_REFUSED_INTAKE] + r->levels[0].v[RC_INTAKE_SUPPL] +
									 r->levels[0].v[RC_WITHDRAWN_INTAKE] > 0);
}

/* one line: number, name wrapped in the label column, the counts of cols on the first line */
static void kstt_line(FILE *f, const char *stt, const char *name, const struct rep_row *w, const int *cols, int ncols, int cw,
		      int label)
{
	struct strbuf t = {0};
	char safe[512];
	form_safe(name, safe, sizeof safe);
	form_wrap(&t, "", safe, label);
	char *text = t.buf ? t.buf : "", *nl;
	int first = 1;
	do {
		nl = strchr(text, '\n');
		if (nl)
			*nl = 0;
		if (!first && !*text)
			break;
		char cell[512], num[8];
		form_pad(text, label, 0, cell, sizeof cell);
		snprintf(num, sizeof num, "%-4s", first ? stt : "");
		if (!first) { /* a continuation of the name: no trailing spaces */
			size_t l = strlen(cell);
			while (l && cell[l - 1] == ' ')
				cell[--l] = 0;
		}
		fprintf(f, "%s%s", num, cell);
		if (first && w && ncols < 0) { /* the heading: column numbers */
			for (int k = 0; k < -ncols; k++) {
				char h[8];
				snprintf(h, sizeof h, "(%d)", cols[k]);
				fprintf(f, "%*s", cw, h);
			}
		} else if (first && w) {
			for (int k = 0; k < ncols; k++) {
				char num[32]; /* as Vietnamese writes it: 1.234 */
				forms_number_vn((double)report_kstt_col(w, cols[k]), 0, num, sizeof num);
				fprintf(f, "%*s", cw, num);
			}
		}
		fputc('\n', f);
		first = 0;
		text = nl ? nl + 1 : NULL;
	} while (text && *text);
	strbuf_release(&t);
}

static void kstt_table(const struct report *r, FILE *f, const int *cols, int ncols, int cw)
{
	int label = FORM_COLS - 4 - cw * ncols;
	/* the group headings over the columns */
	static const struct { int a, b; const char *name; } groups[] = {
		{3, 6, "Nhận giải quyết"}, {7, 10, "Đã giải quyết"}, {11, 13, "Đang giải quyết"}};
	char line[512];
	int o = snprintf(line, sizeof line, "%*s", 4 + label, "");
	for (size_t g = 0; g < 3; g++) {
		int n = 0;
		for (int k = 0; k < ncols; k++)
			n += cols[k] >= groups[g].a && cols[k] <= groups[g].b;
		if (!n)
			continue;
		char fit[128];
		int gw = form_fit(groups[g].name, n * cw, fit, sizeof fit);
		int pad = n * cw - gw;
		o += snprintf(line + o, sizeof line - (size_t)o, "%*s%s%*s", pad - pad / 2, "", fit, pad / 2, "");
	}
	while (o > 0 && line[o - 1] == ' ')
		line[--o] = 0;
	fprintf(f, "%s\n", line);
	/* the column numbers beside the first line of column 2's heading */
	struct rep_row heads = {0};
	kstt_line(f, "STT", "Lĩnh vực, công việc giải quyết theo cấp", &heads, cols, -ncols, cw, label);
	fprintf(f, "(1) (2)\n");
	char rule[FORM_COLS + 1];
	memset(rule, '-', FORM_COLS);
	rule[FORM_COLS] = 0;
	fprintf(f, "%s\n", rule);
	int li = 0;
	for (int l = 1; l <= 4; l++) {
		int lv = l == 4 ? 0 : l;
		if (!kstt_shown(r, lv))
			continue;
		kstt_line(f, roman(++li), r->levels[lv].name, &r->levels[lv], cols, ncols, cw, label);
		int fi = 0;
		for (int i = 0; i < r->nrows; i++)
			if (r->rows[i].level == lv) {
				char stt[8];
				snprintf(stt, sizeof stt, "%d", ++fi);
				kstt_line(f, stt, r->rows[i].name, &r->rows[i], cols, ncols, cw, label);
			}
	}
	fprintf(f, "%s\n", rule);
	kstt_line(f, "", "Tổng cộng", &r->total, cols, ncols, cw, label);
}

void report_kstt_text(const struct report *r, FILE *f)
{
	struct strbuf t = {0};
	char buf[512], pad[256];
	form_pad("Biểu số II.06a/VPCP/KSTT", FORM_COLS, 1, pad, sizeof pad);
	ftext_line(&t, pad);
	form_pad("(Thông tư 01/2020/TT-VPCP)", FORM_COLS, 1, pad, sizeof pad);
	ftext_line(&t, pad);
	form_center(&t, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", FORM_COLS);
	form_center(&t, "TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", FORM_COLS);
	period_line(r, buf, sizeof buf);
	form_wrap(&t, "", buf, FORM_COLS);
	if (r->calendar == 0)
		form_wrap(&t, "", "Kỳ báo cáo tính từ ngày 15 tháng trước đến ngày 14 (Điều 12 Nghị định 09/2019/NĐ-CP).", FORM_COLS);
	form_wrap(&t, "Đơn vị báo cáo: ", r->office, FORM_COLS);
	if (r->all_offices)
		form_wrap(&t, "", "Số liệu gồm hồ sơ của mọi cơ quan có trong kho dữ liệu này.", FORM_COLS);
	form_wrap(&t, "Đơn vị nhận báo cáo: ", r->recipient[0] ? r->recipient : "Văn phòng Ủy ban nhân dân tỉnh", FORM_COLS);
	if (r->field[0])
		form_wrap(&t, "Lĩnh vực: ", r->field, FORM_COLS);
	ftext_line(&t, "Đơn vị tính: số hồ sơ thủ tục hành chính.");
	if (t.buf)
		fputs(t.buf, f);
	strbuf_release(&t);
	fputc('\n', f);
	/* column width from the widest count; one table when the names keep 10 columns */
	int cw = 5;
	for (int i = -1; i < r->nrows + 4; i++) {
		const struct rep_row *w = i < 0 ? &r->total : i < r->nrows ? &r->rows[i] : &r->levels[i - r->nrows];
		for (int c = 3; c <= 13; c++) {
			char num[32];
			forms_number_vn((double)report_kstt_col(w, c), 0, num, sizeof num);
			int l = (int)strlen(num) + 1;
			if (l > cw)
				cw = l;
		}
	}
	static const int all[] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, left[] = {3, 4, 5, 6}, right[] = {7, 8, 9, 10, 11, 12, 13};
	if (FORM_COLS - 4 - 11 * cw >= 10) {
		kstt_table(r, f, all, 11, cw);
	} else { /* large counts: the columns in two tables */
		fprintf(f, "Phần 1: cột (3) đến (6)\n");
		kstt_table(r, f, left, 4, cw);
		fprintf(f, "\nPhần 2: cột (7) đến (13)\n");
		kstt_table(r, f, right, 7, cw);
	}
	fprintf(f, "\nGhi chú\n");
	for (int c = 3; c <= 13; c++) {
		char num[8];
		snprintf(num, sizeof num, "(%d)", c);
		legend(f, num, kstt_head[c]);
	}
	legend(f, "", "Kiểm tra: (3) = (4) + (5) + (6) = (7) + (11); (7) = (8) + (9) + (10); (11) = (12) + (13) ở mọi dòng; "
	       "mỗi cấp bằng tổng các lĩnh vực của cấp đó; tổng cộng bằng tổng các cấp.");
	legend(f, "", "Hồ sơ từ chối sau khi tiếp nhận, rút hồ sơ và dừng xử lý trong kỳ tính vào đã giải quyết (7); hồ sơ đang chờ "
	       "bổ sung tính vào đang giải quyết (11). Hồ sơ chưa được tiếp nhận hoặc bị từ chối tại bộ phận một cửa không tính.");
	legend(f, "", "Cấp của hồ sơ là cấp của cơ quan có thẩm quyền giải quyết. Từ ngày 01/7/2025 không còn cấp huyện: hồ sơ thủ tục "
	       "cấp huyện tiếp nhận từ ngày đó tính vào cấp xã; hồ sơ cấp huyện tiếp nhận trước ngày đó và còn chuyển tiếp vẫn ở dòng cấp huyện.");
	if (r->lt_counted) {
		fprintf(f, "\nHồ sơ liên thông theo cơ quan tham gia\n");
		char cell[512], h[4][16];
		form_pad("Cơ quan", 40, 0, cell, sizeof cell);
		static const char *const hn[4] = {"Hồ sơ", "Chủ trì", "Phần việc", "Trễ hạn"};
		for (int k = 0; k < 4; k++)
			form_pad(hn[k], 10, 1, h[k], sizeof h[k]);
		fprintf(f, "%s%s%s%s%s\n", cell, h[0], h[1], h[2], h[3]);
		for (int i = 0; i < r->nlt; i++) {
			char safe[300];
			form_safe(r->lt[i].name, safe, sizeof safe);
			form_pad(safe, 40, 0, cell, sizeof cell);
			fprintf(f, "%s%10ld%10ld%10ld%10ld\n", cell, r->lt[i].dossiers, r->lt[i].leads, r->lt[i].parts, r->lt[i].late_parts);
		}
		if (!r->nlt)
			fprintf(f, "Không có hồ sơ liên thông trong kỳ.\n");
	}
}

void report_kstt_csv(const struct report *r, FILE *f)
{
	static const char *h[] = {"STT", "Cấp", "Mã lĩnh vực", "Lĩnh vực, công việc giải quyết theo cấp"};
	for (int i = 0; i < 4; i++) {
		if (i)
			fputc(',', f);
		csv_text(f, h[i]);
	}
	for (int c = 3; c <= 13; c++) {
		char hd[160];
		snprintf(hd, sizeof hd, "(%d) %s", c, kstt_head[c]);
		fputc(',', f);
		csv_text(f, hd);
	}
	fputs("\r\n", f);
	int li = 0;
	for (int l = 1; l <= 5; l++) {
		int lv = l == 4 ? 0 : l;
		const struct rep_row *w = l == 5 ? &r->total : &r->levels[lv];
		if (l < 5 && !kstt_shown(r, lv))
			continue;
		for (int i = -1; i < (l == 5 ? 0 : r->nrows); i++) {
			const struct rep_row *row = i < 0 ? w : &r->rows[i];
			if (i >= 0 && row->level != lv)
				continue;
			char stt[16];
			snprintf(stt, sizeof stt, "%s", i < 0 ? (l == 5 ? "" : roman(++li)) : "");
			csv_text(f, stt);
			fputc(',', f);
			csv_text(f, l == 5 ? "Tổng cộng" : r->levels[lv].name);
			fputc(',', f);
			csv_text(f, i < 0 ? "" : strchr(row->key, '.') ? strchr(row->key, '.') + 1 : row->key);
			fputc(',', f);
			csv_text(f, row->name);
			for (int c = 3; c <= 13; c++)
				fprintf(f, ",%ld", report_kstt_col(row, c));
			fputs("\r\n", f);
		}
	}
}

/* ---- catalog report -------------------------------------------------------------- */

struct cctx { struct catalog_report *r; int rc; char last_field[32]; int last_level; };

static struct cat_row *cat_add(struct catalog_report *r)
{
	struct cat_row *n = realloc(r->rows, sizeof *n * (size_t)(r->nrows + 1));
	if (!n)
		return NULL;
	r->rows = n;
	memset(&n[r->nrows], 0, sizeof n[0]);
	return &n[r->nrows++];
}

static void cat_count(struct cat_row *w, const struct procedure *p)
{
	double k = p->hours ? 1.0 / 8.0 : 1.0;
	w->procedures++;
	w->statutory_days += p->statutory_direct * k;
	w->committed_days += p->committed_direct * k;
}

/* procedures arrive ordered by level, field code, code */
static int on_cat(const struct procedure *p, void *arg)
{
	struct cctx *x = arg;
	struct catalog_report *r = x->r;
	if (p->level != x->last_level) {
		struct cat_row *sub = cat_add(r);
		if (!sub)
			return x->rc = MC_STORE;
		sub->level = p->level;
		x->last_level = p->level;
		x->last_field[0] = 0;
	}
	if (strcmp(p->field_code, x->last_field)) {
		struct cat_row *f = cat_add(r);
		if (!f)
			return x->rc = MC_STORE;
		f->level = p->level;
		snprintf(f->field_code, sizeof f->field_code, "%s", p->field_code);
		snprintf(f->field_name, sizeof f->field_name, "%s", p->field_name);
		f->fields = 1;
		snprintf(x->last_field, sizeof x->last_field, "%s", p->field_code);
		for (int i = r->nrows - 1; i >= 0; i--)
			if (!r->rows[i].field_code[0] && r->rows[i].level == p->level) {
				r->rows[i].fields++;
				break;
			}
		r->total.fields++;
	}
	cat_count(&r->rows[r->nrows - 1], p);
	for (int i = r->nrows - 1; i >= 0; i--)
		if (!r->rows[i].field_code[0] && r->rows[i].level == p->level) {
			cat_count(&r->rows[i], p);
			break;
		}
	cat_count(&r->total, p);
	return 0;
}

int report_catalog(struct core *c, struct catalog_report *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	struct cctx x = {.r = r};
	if (store_procedures(c->st, on_cat, &x) || x.rc) {
		report_catalog_free(r);
		return err_set(e, MC_STORE, "reading the catalog failed");
	}
	return 0;
}

void report_catalog_free(struct catalog_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
}

double report_reduction(const struct cat_row *row)
{
	if (row->statutory_days <= 0)
		return 0;
	return 100.0 * (row->committed_days - row->statutory_days) / row->statutory_days;
}

/* machine-readable (CSV, JSON): a decimal point */
static void days_text(double d, char *buf, size_t n)
{
	if (d == (double)(long)d)
		snprintf(buf, n, "%ld", (long)d);
	else
		snprintf(buf, n, "%.1f", d);
}

/* on the printed report: as Vietnamese writes numbers (1.234,5) */
static void days_vn(double d, char *buf, size_t n)
{
	forms_number_vn(d, d == (double)(long)d ? 0 : 1, buf, n);
}

static void cat_line(FILE *f, const struct cat_row *w, const char *label)
{
	char cell[512], st[32], cm[32], red[32];
	form_pad(label, 40, 0, cell, sizeof cell);
	days_vn(w->statutory_days, st, sizeof st);
	days_vn(w->committed_days, cm, sizeof cm);
	forms_number_vn(report_reduction(w), 2, red, sizeof red - 1);
	strcat(red, "%");
	fprintf(f, "%s%6d%4d%10s%10s%10s\n", cell, w->procedures, w->fields, st, cm, red);
}

void report_catalog_text(const struct catalog_report *r, FILE *f)
{
	struct strbuf t = {0};
	form_center(&t, "BÁO CÁO DANH MỤC THỦ TỤC HÀNH CHÍNH", FORM_COLS);
	form_center(&t, "Thời gian giải quyết theo quy định và đã cắt giảm (nộp trực tiếp, ngày làm việc)", FORM_COLS);
	if (t.buf)
		fputs(t.buf, f);
	strbuf_release(&t);
	char cell[512];
	form_pad("Cấp / lĩnh vực", 40, 0, cell, sizeof cell);
	static const char *h[] = {"TTHC", "LV", "Quy định", "Cam kết", "Cắt giảm"};
	static const int hw[] = {6, 4, 10, 10, 10};
	fprintf(f, "\n%s", cell);
	for (int i = 0; i < 5; i++) {
		form_pad(h[i], hw[i], 1, cell, sizeof cell);
		fputs(cell, f);
	}
	fputc('\n', f);
	for (int i = 0; i < r->nrows; i++) {
		const struct cat_row *w = &r->rows[i];
		char label[512], safe[300];
		if (!w->field_code[0]) {
			snprintf(label, sizeof label, "%s", level_vi(w->level));
		} else {
			form_safe(w->field_name, safe, sizeof safe);
			snprintf(label, sizeof label, "  %s", safe);
		}
		cat_line(f, w, label);
	}
	char rule[FORM_COLS + 1];
	memset(rule, '-', FORM_COLS);
	rule[FORM_COLS] = 0;
	fprintf(f, "%s\n", rule);
	cat_line(f, &r->total, "Tổng cộng");
	fputc('\n', f);
	legend(f, "", "TTHC: số thủ tục; LV: số lĩnh vực; Quy định, Cam kết: tổng số ngày làm việc khi nộp trực tiếp "
	       "(thủ tục tính theo giờ: 8 giờ = 1 ngày); Cắt giảm = (Cam kết - Quy định) / Quy định.");
}

void report_catalog_csv(const struct catalog_report *r, FILE *f)
{
	static const char *h[] = {"Cấp", "Mã lĩnh vực", "Lĩnh vực", "Số TTHC", "Số lĩnh vực",
		"Thời gian theo quy định (ngày)", "Thời gian cam kết (ngày)", "Cắt giảm (%)"};
	for (int i = 0; i < 8; i++) {
		if (i)
			fputc(',', f);
		csv_text(f, h[i]);
	}
	fputs("\r\n", f);
	for (int i = 0; i <= r->nrows; i++) {
		const struct cat_row *w = i < r->nrows ? &r->rows[i] : &r->total;
		csv_text(f, i < r->nrows ? level_vi(w->level) : "Tổng cộng");
		fputc(',', f);
		csv_text(f, w->field_code);
		fputc(',', f);
		csv_text(f, w->field_name);
		char st[32], cm[32];
		days_text(w->statutory_days, st, sizeof st);
		days_text(w->committed_days, cm, sizeof cm);
		fprintf(f, ",%d,%d,%s,%s,%.2f\r\n", w->procedures, w->fields, st, cm, report_reduction(w));
	}
}

static json_t *cat_json(const struct cat_row *w)
{
	json_t *o = json_object();
	if (w->level)
		json_object_set_new(o, "level", json_integer(w->level));
	if (w->field_code[0]) {
		json_object_set_new(o, "field", json_safe(w->field_code));
		json_object_set_new(o, "field_name", json_safe(w->field_name));
	}
	json_object_set_new(o, "procedures", json_integer(w->procedures));
	json_object_set_new(o, "fields", json_integer(w->fields));
	json_object_set_new(o, "statutory_days", json_real(w->statutory_days));
	json_object_set_new(o, "committed_days", json_real(w->committed_days));
	json_object_set_new(o, "reduction_pct", json_real(round(report_reduction(w) * 100) / 100));
	return o;
}

char *report_catalog_json(const struct catalog_report *r)
{
	json_t *o = json_object(), *levels = json_array(), *fields = json_array();
	for (int i = 0; i < r->nrows; i++)
		json_array_append_new(r->rows[i].field_code[0] ? fields : levels, cat_json(&r->rows[i]));
	json_object_set_new(o, "report", json_string("catalog"));
	json_object_set_new(o, "levels", levels);
	json_object_set_new(o, "fields", fields);
	json_object_set_new(o, "total", cat_json(&r->total));
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(o);
	return s;
}

/* ---- the same rules for rows another source selects (province.h: central's c_prov) */

void report_start(struct report *r, int64_t from, int64_t to, int64_t now, const char *office)
{
	memset(r, 0, sizeof *r);
	r->from = from;
	r->to = to;
	r->as_of = now < to ? now : to;
	r->by = REP_BY_FIELD;
	r->calendar = -1;
	snprintf(r->office, sizeof r->office, "%s", office ? office : "");
	snprintf(r->total.key, sizeof r->total.key, "total");
	snprintf(r->total.name, sizeof r->total.name, "Tổng cộng");
}

int report_row(struct report *r, const char *key, const char *name)
{
	return row_of_field(r, key, name);
}

void report_tally(struct report *r, int row, const struct rep_item *it, long n)
{
	struct ctx x = {.r = r, .other_row = -1};
	if (row >= 0 && row < r->nrows)
		count_item(&x, r->rows[row].v, it, n);
}

int report_finish(struct report *r, struct err *e)
{
	add_up(r);
	char msg[512];
	if (!report_check(r, msg, sizeof msg))
		return err_set(e, MC_STORE, "internal: the report does not add up (%s)", msg);
	return 0;
}
