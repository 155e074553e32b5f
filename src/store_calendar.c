/* store_calendar.c - the calendar's rows in the store: the schedule of each year
 * (announced or provisional), its days with their reason, instrument and source, and
 * the record of every change of a schedule (see src/holidays.h for the rules).
 *
 * Why one function replaces a whole year: a schedule is announced as a whole (a
 * Government dispatch sets the Tết days, the swap and its working Saturday together),
 * so a year is replaced, never merged day by day, and the days whose kind changed are
 * recorded with who changed them, from where and when (calendar_changes, never
 * changed or deleted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "store_internal.h"

static int done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what)
{
	if (!s)
		return err_set(e, MC_STORE, "internal SQL error while %s", _(what));
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, rc, what);
}

static const char *kind_name(int kind) { return kind == CAL_WORK ? "work" : "off"; }

int store_cal_years_load(struct store *st, struct calendar *c)
{
	if (!c->cover && !(c->cover = calloc(1, sizeof *c->cover)))
		return MC_STORE;
	memset(c->cover->year, 0, sizeof c->cover->year);
	sqlite3_stmt *s = store_prep(st, "SELECT year, status FROM calendar_years");
	if (!s)
		return 0; /* a store older than the calendar tables: nothing known, all generated */
	while (sqlite3_step(s) == SQLITE_ROW) {
		int y = sqlite3_column_int(s, 0);
		if (y >= CAL_YEAR_MIN && y < CAL_YEAR_MIN + CAL_YEARS)
			c->cover->year[y - CAL_YEAR_MIN] = strcmp((const char *)sqlite3_column_text(s, 1), "announced") == 0
				? CAL_YEAR_ANNOUNCED : CAL_YEAR_PROVISIONAL;
	}
	sqlite3_reset(s);
	return 0;
}

int store_cal_year_get(struct store *st, int year, struct cal_year_info *y)
{
	sqlite3_stmt *s = store_prep(st, "SELECT status, origin, changed_at, changed_by FROM calendar_years WHERE year = ?");
	memset(y, 0, sizeof *y);
	y->year = year;
	if (!s)
		return MC_NOTFOUND;
	sqlite3_bind_int(s, 1, year);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		store_col_text(s, 0, y->status, sizeof y->status);
		store_col_text(s, 1, y->origin, sizeof y->origin);
		y->changed_at = sqlite3_column_int64(s, 2);
		store_col_text(s, 3, y->changed_by, sizeof y->changed_by);
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_cal_years(struct store *st, int (*cb)(const struct cal_year_info *y, void *ctx), void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT year, status, origin, changed_at, changed_by FROM calendar_years ORDER BY year");
	int rc = 0;
	struct cal_year_info y;
	while (s && !rc && sqlite3_step(s) == SQLITE_ROW) {
		memset(&y, 0, sizeof y);
		y.year = sqlite3_column_int(s, 0);
		store_col_text(s, 1, y.status, sizeof y.status);
		store_col_text(s, 2, y.origin, sizeof y.origin);
		y.changed_at = sqlite3_column_int64(s, 3);
		store_col_text(s, 4, y.changed_by, sizeof y.changed_by);
		rc = cb(&y, ctx);
	}
	if (s)
		sqlite3_reset(s);
	return rc;
}

static void row_of(sqlite3_stmt *s, struct cal_day_row *r)
{
	memset(r, 0, sizeof *r);
	int y, m, d;
	const char *day = (const char *)sqlite3_column_text(s, 0);
	if (day && sscanf(day, "%d-%d-%d", &y, &m, &d) == 3)
		r->day = cal_day_from_ymd(y, m, d);
	r->kind = strcmp((const char *)sqlite3_column_text(s, 1), "work") == 0 ? CAL_WORK : CAL_OFF;
	store_col_text(s, 2, r->reason, sizeof r->reason);
	store_col_text(s, 3, r->instrument, sizeof r->instrument);
	store_col_text(s, 4, r->source, sizeof r->source);
	r->year = sqlite3_column_int(s, 5);
	r->provisional = strcmp((const char *)sqlite3_column_text(s, 6), "announced") != 0;
}

int store_cal_rows(struct store *st, int year, int (*cb)(const struct cal_day_row *r, void *ctx), void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT day, kind, name, instrument, source, year, status FROM holidays"
				     " WHERE year = ? ORDER BY day");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int(s, 1, year);
	int rc = 0;
	struct cal_day_row *r = malloc(sizeof *r);
	while (r && !rc && sqlite3_step(s) == SQLITE_ROW) {
		row_of(s, r);
		rc = cb(r, ctx);
	}
	sqlite3_reset(s);
	free(r);
	return r ? rc : MC_STORE;
}

struct kinds { int32_t *day; int *kind; int n, cap; };

static int kinds_add(const struct cal_day_row *r, void *ctx)
{
	struct kinds *k = ctx;
	if (k->n == k->cap) {
		int cap = k->cap ? k->cap * 2 : 64;
		int32_t *d = realloc(k->day, sizeof *d * (size_t)cap);
		if (d)
			k->day = d;
		int *kk = realloc(k->kind, sizeof *kk * (size_t)cap);
		if (kk)
			k->kind = kk;
		if (!d || !kk)
			return MC_STORE;
		k->cap = cap;
	}
	k->day[k->n] = r->day;
	k->kind[k->n++] = r->kind;
	return 0;
}

static int kinds_of(const struct kinds *k, int32_t day)
{
	for (int i = 0; i < k->n; i++)
		if (k->day[i] == day)
			return k->kind[i];
	return 0;
}

static void day_text(int32_t day, char *buf, size_t n)
{
	int y, m, d;
	cal_ymd_from_day(day, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

/* the days whose kind differs between the year's rows now and rows[] (JSON array) */
static json_t *diff_days(const struct kinds *before, const struct cal_day_row *rows, int n)
{
	json_t *a = json_array();
	char day[16];
	for (int i = 0; i < before->n; i++) {
		int after = 0;
		for (int j = 0; j < n; j++)
			if (rows[j].day == before->day[i])
				after = rows[j].kind;
		if (after != before->kind[i]) {
			day_text(before->day[i], day, sizeof day);
			json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "day", day, "before", kind_name(before->kind[i]),
							   "after", after ? kind_name(after) : ""));
		}
	}
	for (int j = 0; j < n; j++)
		if (!kinds_of(before, rows[j].day)) {
			day_text(rows[j].day, day, sizeof day);
			json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "day", day, "before", "", "after", kind_name(rows[j].kind)));
		}
	return a;
}

int store_cal_apply(struct store *st, const struct cal_apply *a, int *changed, struct err *e)
{
	struct cal_year_info had;
	int known = store_cal_year_get(st, a->year, &had) == 0;
	struct kinds before = {0};
	*changed = 0;
	if (store_cal_rows(st, a->year, kinds_add, &before)) {
		free(before.day);
		free(before.kind);
		return err_set(e, MC_STORE, "out of memory");
	}
	json_t *days = diff_days(&before, a->rows, a->n);
	free(before.day);
	free(before.kind);
	int same_status = known && strcmp(had.status, a->provisional ? "provisional" : "announced") == 0;
	/* the texts may change too (a reason corrected): compare them only when the kinds agree */
	int texts = 0;
	if (json_array_size(days) == 0 && same_status) {
		sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM holidays WHERE year = ?1");
		sqlite3_bind_int(s, 1, a->year);
		int have = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
		sqlite3_reset(s);
		texts = have != a->n;
		s = store_prep(st, "SELECT count(*) FROM holidays WHERE day = ?1 AND year = ?2 AND name = ?3 AND instrument = ?4 AND source = ?5");
		char day[16];
		for (int i = 0; i < a->n && !texts; i++) {
			day_text(a->rows[i].day, day, sizeof day);
			store_bind_text(s, 1, day);
			sqlite3_bind_int(s, 2, a->year);
			store_bind_text(s, 3, a->rows[i].reason);
			store_bind_text(s, 4, a->rows[i].instrument);
			store_bind_text(s, 5, a->rows[i].source);
			texts = sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) != 1;
			sqlite3_reset(s);
		}
		if (!texts) {
			json_decref(days);
			return 0; /* nothing to do */
		}
	}
	int rc = store_begin(st, e);
	if (rc) {
		json_decref(days);
		return rc;
	}
	sqlite3_stmt *s = store_prep(st, "DELETE FROM holidays WHERE year = ?");
	if (s)
		sqlite3_bind_int(s, 1, a->year);
	rc = done(st, s, e, N_("replacing a year's calendar"));
	/* an announced day takes a date over from another year's schedule; a provisional one never */
	const char *put = a->provisional
		? "INSERT INTO holidays(day, name, kind, year, status, instrument, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		  " ON CONFLICT(day) DO NOTHING"
		: "INSERT INTO holidays(day, name, kind, year, status, instrument, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		  " ON CONFLICT(day) DO UPDATE SET name = excluded.name, kind = excluded.kind, year = excluded.year,"
		  " status = excluded.status, instrument = excluded.instrument, source = excluded.source";
	for (int i = 0; i < a->n && !rc; i++) {
		char day[16];
		day_text(a->rows[i].day, day, sizeof day);
		s = store_prep(st, put);
		if (s) {
			store_bind_text(s, 1, day);
			store_bind_text(s, 2, a->rows[i].reason);
			store_bind_text(s, 3, kind_name(a->rows[i].kind));
			sqlite3_bind_int(s, 4, a->year);
			store_bind_text(s, 5, a->provisional ? "provisional" : "announced");
			store_bind_text(s, 6, a->rows[i].instrument);
			store_bind_text(s, 7, a->rows[i].source);
		}
		rc = done(st, s, e, N_("saving a day of the calendar"));
	}
	if (!rc) {
		s = store_prep(st, "INSERT INTO calendar_years(year, status, origin, changed_at, changed_by) VALUES (?1, ?2, ?3, ?4, ?5)"
			       " ON CONFLICT(year) DO UPDATE SET status = excluded.status, origin = excluded.origin,"
			       " changed_at = excluded.changed_at, changed_by = excluded.changed_by");
		if (s) {
			sqlite3_bind_int(s, 1, a->year);
			store_bind_text(s, 2, a->provisional ? "provisional" : "announced");
			store_bind_text(s, 3, a->origin);
			sqlite3_bind_int64(s, 4, a->at);
			store_bind_text(s, 5, a->actor);
		}
		rc = done(st, s, e, N_("saving a year's calendar"));
	}
	/* a year seen for the first time (generated, or the shipped data of a new store) is
	 * not a change of anyone's appointments; every other replacement is recorded */
	if (!rc && (known || a->record)) {
		char *js = json_dumps(days, JSON_COMPACT);
		s = store_prep(st, "INSERT INTO calendar_changes(year, at, os_account, actor, origin, status_before, status_after, days)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
		if (s) {
			sqlite3_bind_int(s, 1, a->year);
			sqlite3_bind_int64(s, 2, a->at);
			store_bind_text(s, 3, a->os_account);
			store_bind_text(s, 4, a->actor);
			store_bind_text(s, 5, a->origin);
			store_bind_text(s, 6, known ? had.status : "");
			store_bind_text(s, 7, a->provisional ? "provisional" : "announced");
			store_bind_text(s, 8, js ? js : "[]");
		}
		rc = done(st, s, e, N_("recording a change of the calendar"));
		free(js);
	}
	json_decref(days);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	*changed = 1;
	return store_commit(st, e);
}

int store_cal_change_last(struct store *st, int year, struct cal_change *ch)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id, at, os_account, actor, origin, status_before, status_after, days"
				     " FROM calendar_changes WHERE year = ? ORDER BY id DESC LIMIT 1");
	memset(ch, 0, sizeof *ch);
	if (!s)
		return MC_NOTFOUND;
	sqlite3_bind_int(s, 1, year);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		ch->id = sqlite3_column_int64(s, 0);
		ch->at = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, ch->os_account, sizeof ch->os_account);
		store_col_text(s, 3, ch->actor, sizeof ch->actor);
		store_col_text(s, 4, ch->origin, sizeof ch->origin);
		store_col_text(s, 5, ch->status_before, sizeof ch->status_before);
		store_col_text(s, 6, ch->status_after, sizeof ch->status_after);
		const char *d = (const char *)sqlite3_column_text(s, 7);
		ch->days = strdup(d ? d : "[]");
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_cal_open_dossiers(struct store *st, int64_t office_id, int (*cb)(const char *code, int64_t due_at, void *ctx), void *ctx)
{
	/* running clocks only: a dossier waiting for a supplement gets its date when it resumes */
	sqlite3_stmt *s = store_prep(st, "SELECT code, due_at FROM dossiers WHERE office_id = ? AND stage >= 10 AND stage < 90"
				     " AND stage <> 50 AND due_at > 0 ORDER BY due_at, code");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, office_id);
	int rc = 0;
	char code[64];
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		store_col_text(s, 0, code, sizeof code);
		rc = cb(code, sqlite3_column_int64(s, 1), ctx);
	}
	sqlite3_reset(s);
	return rc;
}

int64_t store_cal_change_max(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT coalesce(max(id), 0) FROM calendar_changes");
	int64_t v = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (s)
		sqlite3_reset(s);
	return v;
}

int store_cal_changes_after(struct store *st, int64_t id, int (*cb)(int year, const char *origin, void *ctx), void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT year, origin FROM calendar_changes WHERE id > ? ORDER BY id");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, id);
	int rc = 0;
	char origin[16];
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		store_col_text(s, 1, origin, sizeof origin);
		rc = cb(sqlite3_column_int(s, 0), origin, ctx);
	}
	sqlite3_reset(s);
	return rc;
}
