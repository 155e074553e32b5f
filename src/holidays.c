/* holidays.c - the announced calendar, provisional years, imports and the dossiers a
 * change of schedule would move (see holidays.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csvread.h"
#include "embedded.h"
#include "holidays.h"
#include "text.h"

#define SHIPPED_KEY "calendar.shipped"
#define MAX_ROWS 20000

/* ------------------------------------------------------------------ parsing */

enum { C_DATE, C_KIND, C_REASON, C_INSTRUMENT, C_SOURCE, NCOLS };
static const char *cols[NCOLS] = {"date", "kind", "reason", "instrument", "source"};

struct parse {
	struct err *e;
	const char *what;
	struct csvread r;
	struct cal_day_row *rows;
	int n, cap;
};

static int cell_text(struct parse *p, int k, size_t maxc, char *out, size_t n, int required)
{
	char msg[256], what[96];
	snprintf(what, sizeof what, "%s line %d: %s", p->what, p->r.line, cols[k]);
	if (text_clean(p->r.cell[k] ? p->r.cell[k] : "", what, maxc, out, n, msg, sizeof msg))
		return err_set(p->e, MC_INVALID, "%s", msg);
	if (required && !*out)
		return err_set(p->e, MC_INVALID, "%s line %d: the %s is empty", p->what, p->r.line, cols[k]);
	return 0;
}

static int parse_row(struct parse *p)
{
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 128;
		if (cap > MAX_ROWS)
			return err_set(p->e, MC_INVALID, "%s: more than %d days", p->what, MAX_ROWS);
		struct cal_day_row *r = realloc(p->rows, sizeof *r * (size_t)cap);
		if (!r)
			return err_set(p->e, MC_STORE, "out of memory");
		p->rows = r;
		p->cap = cap;
	}
	struct cal_day_row *r = &p->rows[p->n];
	memset(r, 0, sizeof *r);
	char date[32], kind[16];
	int rc;
	if ((rc = cell_text(p, C_DATE, 10, date, sizeof date, 1)) || (rc = cell_text(p, C_KIND, 8, kind, sizeof kind, 1)) ||
	    (rc = cell_text(p, C_REASON, 300, r->reason, sizeof r->reason, 1)) ||
	    (rc = cell_text(p, C_INSTRUMENT, 300, r->instrument, sizeof r->instrument, 0)) ||
	    (rc = cell_text(p, C_SOURCE, 900, r->source, sizeof r->source, 0)))
		return rc;
	int64_t t;
	if (strlen(date) != 10 || cal_parse(date, &t))
		return err_set(p->e, MC_INVALID, "%s line %d: the date '%s' is not a date YYYY-MM-DD", p->what, p->r.line, date);
	r->day = cal_day_of(t);
	int y;
	cal_ymd_from_day(r->day, &y, NULL, NULL);
	if (y < CAL_YEAR_MIN + 1 || y >= CAL_YEAR_MIN + CAL_YEARS - 1)
		return err_set(p->e, MC_INVALID, "%s line %d: the date %s is outside the years %d-%d", p->what, p->r.line, date,
			       CAL_YEAR_MIN + 1, CAL_YEAR_MIN + CAL_YEARS - 2);
	if (!strcmp(kind, "off"))
		r->kind = CAL_OFF;
	else if (!strcmp(kind, "work"))
		r->kind = CAL_WORK;
	else
		return err_set(p->e, MC_INVALID, "%s line %d: the kind must be off (a day off) or work (a working Saturday), not '%s'",
			       p->what, p->r.line, kind);
	int w = cal_weekday(r->day);
	if (r->kind == CAL_WORK && w >= 1 && w <= 5)
		return err_set(p->e, MC_INVALID, "%s line %d: %s is a weekday, already a working day: only a Saturday or Sunday can be a working day",
			       p->what, p->r.line, date);
	for (int i = 0; i < p->n; i++)
		if (p->rows[i].day == r->day)
			return err_set(p->e, MC_INVALID, "%s line %d: the date %s is listed twice", p->what, p->r.line, date);
	r->year = y;
	p->n++;
	return 0;
}

static int on_header(struct csvread *r, const int *seen)
{
	struct parse *p = r->ctx;
	for (int i = 0; i < NCOLS; i++)
		if (!seen[i] && i != C_SOURCE && i != C_INSTRUMENT)
			return err_set(p->e, MC_INVALID, "%s: the header has no '%s' column (date,kind,reason,instrument,source)",
				       p->what, cols[i]);
	return 0;
}

static int on_row(struct csvread *r)
{
	return parse_row(r->ctx);
}

static int by_day(const void *a, const void *b)
{
	int32_t x = ((const struct cal_day_row *)a)->day, y = ((const struct cal_day_row *)b)->day;
	return x < y ? -1 : x > y;
}

/* rows of a year that has only late-December rows belong to the next year's schedule
 * when the file has that year too (2018-12-31 in the 2019 New-Year schedule) */
static void assign_years(struct cal_day_row *r, int n)
{
	for (int i = 0; i < n; i++) {
		int y = r[i].year, only_late = 1, next = 0;
		for (int j = 0; j < n; j++) {
			int yy, m, d;
			cal_ymd_from_day(r[j].day, &yy, &m, &d);
			if (yy == y && !(m == 12 && d >= 20))
				only_late = 0;
			if (yy == y + 1)
				next = 1;
		}
		int yy;
		cal_ymd_from_day(r[i].day, &yy, NULL, NULL);
		if (yy == y && only_late && next)
			r[i].year = y + 1;
	}
}

int holidays_parse(const char *buf, size_t len, const char *what, struct cal_day_row **rows, int *n, struct err *e)
{
	struct parse p;
	memset(&p, 0, sizeof p);
	p.e = e;
	p.what = what;
	*rows = NULL;
	*n = 0;
	if (!text_valid_utf8(buf, len))
		return err_set(e, MC_INVALID, "%s: the file is not valid UTF-8 (convert it first, e.g. iconv -f CP1258 -t UTF-8)", what);
	p.r = (struct csvread){.cols = cols, .ncols = NCOLS, .maxcols = 32, .header = on_header, .row = on_row, .ctx = &p};
	int rc = csvread_parse(&p.r, buf, len);
	if (rc == CSVREAD_NOMEM)
		return err_set(e, MC_STORE, "out of memory");
	if (rc == CSVREAD_MALFORMED)
		rc = err_set(e, MC_INVALID, "%s: malformed CSV near line %d: %s", what, p.r.line + 1, p.r.csv_error);
	if (!rc && !p.n)
		rc = err_set(e, MC_INVALID, "%s: the file has no days", what);
	if (rc) {
		free(p.rows);
		return rc;
	}
	qsort(p.rows, (size_t)p.n, sizeof *p.rows, by_day);
	assign_years(p.rows, p.n);
	*rows = p.rows;
	*n = p.n;
	return 0;
}

/* ------------------------------------------------------------ applying years */

/* apply every schedule year of rows[] (sorted by day); skip(year) says which to leave */
static int apply_years(struct core *c, struct cal_day_row *rows, int n, int provisional, const char *origin,
		       int record, int (*skip)(struct core *, int), struct holidays_year *years, int max,
		       int *nyears, struct err *e)
{
	int lo = 0, rc = 0;
	if (nyears)
		*nyears = 0;
	int done_years[CAL_YEARS] = {0};
	while (!rc) {
		int year = 0;
		for (int i = lo; i < n; i++)
			if (!done_years[rows[i].year - CAL_YEAR_MIN]) {
				year = rows[i].year;
				lo = i;
				break;
			}
		if (!year)
			break;
		done_years[year - CAL_YEAR_MIN] = 1;
		if (skip && skip(c, year))
			continue;
		struct cal_day_row *mine = malloc(sizeof *mine * (size_t)n);
		if (!mine)
			return err_set(e, MC_STORE, "out of memory");
		int k = 0;
		for (int i = 0; i < n; i++)
			if (rows[i].year == year)
				mine[k++] = rows[i];
		struct cal_year_info had;
		int known = store_cal_year_get(c->st, year, &had) == 0;
		struct cal_apply a = {.year = year, .provisional = provisional, .record = record, .origin = origin,
				      .os_account = c->os_account, .actor = c->actor.id ? c->actor.account : c->os_account,
				      .at = core_now(c), .rows = mine, .n = k};
		int changed = 0;
		rc = store_cal_apply(c->st, &a, &changed, e);
		free(mine);
		if (!rc && nyears && *nyears < max) {
			struct holidays_year *hy = &years[(*nyears)++];
			hy->year = year;
			hy->changed = changed;
			snprintf(hy->before, sizeof hy->before, "%s", known ? had.status : "");
		}
	}
	return rc;
}

/* the shipped data never replaces what an administrator imported or central sent */
static int keep_local(struct core *c, int year)
{
	struct cal_year_info y;
	return store_cal_year_get(c->st, year, &y) == 0 && !strcmp(y.status, "announced") &&
	       (!strcmp(y.origin, "import") || !strcmp(y.origin, "central"));
}

static void shipped_stamp(const struct embedded *f, char *buf, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < f->len; i++)
		h = (h ^ (unsigned char)f->text[i]) * 1099511628211ULL;
	snprintf(buf, n, "%016llx-%zu", (unsigned long long)h, f->len);
}

static int apply_shipped(struct core *c, struct err *e)
{
	const struct embedded *f = embedded_find(HOLIDAYS_SHIPPED);
	if (!f)
		return 0;
	char stamp[64], have[64];
	shipped_stamp(f, stamp, sizeof stamp);
	if (store_setting_get(c->st, SHIPPED_KEY, have, sizeof have) == 0 && !strcmp(have, stamp))
		return 0;
	struct cal_day_row *rows;
	int n, rc;
	if ((rc = holidays_parse(f->text, f->len, "the shipped calendar", &rows, &n, e)))
		return rc;
	if ((rc = store_begin(c->st, e))) {
		free(rows);
		return rc;
	}
	/* another process may have applied it while we waited for the lock */
	if (store_setting_get(c->st, SHIPPED_KEY, have, sizeof have) == 0 && !strcmp(have, stamp)) {
		free(rows);
		store_rollback(c->st);
		return 0;
	}
	rc = apply_years(c, rows, n, 0, "shipped", 0, keep_local, NULL, 0, NULL, e);
	free(rows);
	if (rc || (rc = store_setting_set(c->st, SHIPPED_KEY, stamp, e)) || (rc = store_commit(c->st, e))) {
		store_rollback(c->st);
		return rc;
	}
	return 1;
}

/* the provisional rows of a year, from the Labour Code */
static int generated_rows(int year, struct cal_day_row *rows, int max)
{
	struct cal_holiday h[48];
	int k = cal_generate_holidays(year, h, 48), n = 0;
	for (int i = 0; i < k && n < max; i++) {
		struct cal_day_row *r = &rows[n++];
		memset(r, 0, sizeof *r);
		r->day = h[i].day;
		r->kind = CAL_OFF;
		r->year = year;
		r->provisional = 1;
		snprintf(r->reason, sizeof r->reason, "%s", h[i].name);
		snprintf(r->instrument, sizeof r->instrument, "%s", strncmp(h[i].name, "Nghỉ bù", strlen("Nghỉ bù"))
			 ? "BLLĐ 2019 Điều 112 khoản 1 (tạm tính)" : "BLLĐ 2019 Điều 111 khoản 3 (tạm tính)");
	}
	return n;
}

int holidays_ensure(struct core *c, int from, int to, struct err *e)
{
	int added = 0, rc = 0;
	for (int y = from; y <= to && !rc; y++) {
		struct cal_year_info had;
		if (y <= CAL_YEAR_MIN || y >= CAL_YEAR_MIN + CAL_YEARS - 1 || store_cal_year_get(c->st, y, &had) == 0)
			continue;
		struct cal_day_row *rows = malloc(sizeof *rows * 48);
		if (!rows)
			return err_set(e, MC_STORE, "out of memory");
		int n = generated_rows(y, rows, 48), changed = 0;
		struct cal_apply a = {.year = y, .provisional = 1, .origin = "generated", .os_account = c->os_account,
				      .actor = c->actor.id ? c->actor.account : "motcua", .at = core_now(c), .rows = rows, .n = n};
		rc = store_cal_apply(c->st, &a, &changed, e);
		free(rows);
		added += changed;
	}
	if (!rc && added)
		rc = core_reload(c, e);
	return rc;
}

int holidays_open(struct core *c, struct err *e)
{
	int rc = apply_shipped(c, e);
	if (rc < 0 || rc > 1)
		return rc;
	if (rc == 1 && (rc = core_reload(c, e)))
		return rc;
	int y;
	cal_ymd_from_day(cal_day_of(core_now(c)), &y, NULL, NULL);
	/* best effort: a store busy now gets them at the next open; until then the same
	 * years are generated in memory (cal_cover), so nothing is computed differently */
	struct err ignore = {0};
	holidays_ensure(c, y, y + 1, &ignore);
	return 0;
}

/* ------------------------------------------------------------------ import */

int holidays_import(struct core *c, const char *path, struct holidays_year *years, int max, int *nyears, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, MC_IO, "cannot read %s", path);
	char *buf = malloc(4u << 20);
	size_t len = buf ? fread(buf, 1, 4u << 20, f) : 0;
	int big = buf && len == 4u << 20;
	fclose(f);
	if (!buf)
		return err_set(e, MC_STORE, "out of memory");
	if (big) {
		free(buf);
		return err_set(e, MC_INVALID, "%s: larger than 4 MB, not a calendar", path);
	}
	struct cal_day_row *rows;
	int n, rc = holidays_parse(buf, len, path, &rows, &n, e);
	free(buf);
	if (rc)
		return rc;
	if ((rc = store_begin(c->st, e))) {
		free(rows);
		return rc;
	}
	rc = apply_years(c, rows, n, 0, "import", 1, NULL, years, max, nyears, e);
	free(rows);
	if (rc || (rc = store_commit(c->st, e))) {
		store_rollback(c->st);
		return rc;
	}
	return core_reload(c, e);
}

/* ------------------------------------------------------------------ changes */

static int by_cal_day(const void *a, const void *b)
{
	int32_t x = ((const struct cal_holiday *)a)->day, y = ((const struct cal_holiday *)b)->day;
	return x < y ? -1 : x > y;
}

struct moved_ctx {
	struct core *c;
	const struct calendar *old;
	int64_t now;
	int (*cb)(const struct holidays_moved *, void *);
	void *ctx;
};

static int moved_one(const char *code, int64_t due, void *ctx)
{
	struct moved_ctx *m = ctx;
	if (due <= m->now)
		return 0;
	int64_t left = cal_working_between(m->old, m->now, due);
	if (left <= 0)
		return 0;
	int64_t nd = cal_add_working(&m->c->cal, m->now, left);
	if (nd == due)
		return 0;
	struct holidays_moved mv = {code, due, nd};
	return m->cb(&mv, m->ctx);
}

int holidays_changes(struct core *c, int year, int (*cb)(const struct holidays_moved *m, void *ctx), void *ctx,
		     struct cal_change *ch, struct err *e)
{
	if (store_cal_change_last(c->st, year, ch))
		return err_set(e, MC_NOTFOUND, "the calendar of %d has not changed since this store has had it", year);
	json_t *days = json_loads(ch->days ? ch->days : "[]", 0, NULL);
	size_t nd = json_array_size(days);
	/* the calendar before the change: today's with the changed days put back */
	struct cal_holiday *h = malloc(sizeof *h * ((size_t)c->cal.ndays + nd + 1));
	if (!h) {
		json_decref(days);
		return err_set(e, MC_STORE, "out of memory");
	}
	int n = c->cal.ndays;
	if (n)
		memcpy(h, c->cal.days, sizeof *h * (size_t)n);
	size_t i;
	json_t *d;
	json_array_foreach(days, i, d) {
		int64_t t;
		const char *day = json_string_value(json_object_get(d, "day"));
		const char *before = json_string_value(json_object_get(d, "before"));
		if (!day || !before || cal_parse(day, &t))
			continue;
		int32_t dn = cal_day_of(t);
		int k = -1;
		for (int j = 0; j < n; j++)
			if (h[j].day == dn)
				k = j;
		if (k < 0 && *before) {
			k = n++;
			memset(&h[k], 0, sizeof h[k]);
			h[k].day = dn;
		}
		if (k >= 0)
			h[k].kind = !*before ? 0 : !strcmp(before, "work") ? CAL_WORK : CAL_OFF;
	}
	json_decref(days);
	int m = 0;
	for (int j = 0; j < n; j++)
		if (h[j].kind)
			h[m++] = h[j];
	qsort(h, (size_t)m, sizeof *h, by_cal_day);
	struct calendar old = c->cal;
	old.days = h;
	old.ndays = m;
	struct moved_ctx mc = {c, &old, core_now(c), cb, ctx};
	int rc = store_cal_open_dossiers(c->st, c->office.id, moved_one, &mc);
	free(h);
	return rc;
}

int holidays_warn_year(const struct core *c)
{
	int y, m;
	cal_ymd_from_day(cal_day_of(core_now(c)), &y, &m, NULL);
	if (m < 10)
		return 0;
	return cal_year_state(&c->cal, y + 1) == CAL_YEAR_ANNOUNCED ? 0 : y + 1;
}
