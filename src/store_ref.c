/* store_ref.c - reference data in the store: offices, departments, users, fields,
 * procedures with their components, holidays and the working-hours settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

static int step_done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what, int64_t *id)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, what);
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static void bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

int store_office_add(struct store *st, struct office *o, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO offices(agency_code, name, level) VALUES (?, ?, ?)");
	store_bind_text(s, 1, o->agency_code);
	store_bind_text(s, 2, o->name);
	sqlite3_bind_int(s, 3, o->level);
	return step_done(st, s, e, N_("adding an office"), &o->id);
}

static void office_row(sqlite3_stmt *s, struct office *o)
{
	o->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, o->agency_code, sizeof o->agency_code);
	store_col_text(s, 2, o->name, sizeof o->name);
	o->level = sqlite3_column_int(s, 3);
	store_col_text(s, 4, o->kind, sizeof o->kind);
	o->parent_id = sqlite3_column_int64(s, 5);
}

int store_office_get(struct store *st, int64_t id, struct office *o)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id, agency_code, name, level, kind, COALESCE(parent_id, 0) FROM offices WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		office_row(s, o);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_office_by_code(struct store *st, const char *code, struct office *o)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id, agency_code, name, level, kind, COALESCE(parent_id, 0) FROM offices WHERE agency_code = ?");
	store_bind_text(s, 1, code);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		office_row(s, o);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_dept_add(struct store *st, struct department *d, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO departments(office_id, code, name) VALUES (?, ?, ?)");
	sqlite3_bind_int64(s, 1, d->office_id);
	store_bind_text(s, 2, d->code);
	store_bind_text(s, 3, d->name);
	return step_done(st, s, e, N_("adding a department"), &d->id);
}

static int dept_query(struct store *st, sqlite3_stmt *s, struct department *d)
{
	(void)st;
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		d->id = sqlite3_column_int64(s, 0);
		d->office_id = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, d->code, sizeof d->code);
		store_col_text(s, 3, d->name, sizeof d->name);
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_dept_get(struct store *st, int64_t id, struct department *d)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id, office_id, code, name FROM departments WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	return dept_query(st, s, d);
}

int store_dept_by_code(struct store *st, const char *code, struct department *d)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id, office_id, code, name FROM departments WHERE code = ?");
	store_bind_text(s, 1, code);
	return dept_query(st, s, d);
}

/* the office's department when it has exactly one (MC_NOTFOUND otherwise) */
int store_dept_only(struct store *st, int64_t office_id, struct department *d)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id, office_id, code, name FROM departments WHERE office_id = ?1"
				     " AND (SELECT count(*) FROM departments WHERE office_id = ?1) = 1");
	sqlite3_bind_int64(s, 1, office_id);
	return dept_query(st, s, d);
}

int store_user_add(struct store *st, struct user *u, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO users(account, name, roles, office_id, dept_id, active) VALUES (?, ?, ?, ?, ?, ?)");
	store_bind_text(s, 1, u->account);
	store_bind_text(s, 2, u->name);
	sqlite3_bind_int(s, 3, (int)u->roles);
	sqlite3_bind_int64(s, 4, u->office_id);
	bind_id(s, 5, u->dept_id);
	sqlite3_bind_int(s, 6, u->active);
	return step_done(st, s, e, N_("adding a user"), &u->id);
}

#define USER_COLS "id, account, name, roles, office_id, COALESCE(dept_id, 0), active"
static void user_row(sqlite3_stmt *s, struct user *u)
{
	u->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, u->account, sizeof u->account);
	store_col_text(s, 2, u->name, sizeof u->name);
	u->roles = (unsigned)sqlite3_column_int(s, 3);
	u->office_id = sqlite3_column_int64(s, 4);
	u->dept_id = sqlite3_column_int64(s, 5);
	u->active = sqlite3_column_int(s, 6);
}

int store_user_get(struct store *st, int64_t id, struct user *u)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " USER_COLS " FROM users WHERE id = ?");
	sqlite3_bind_int64(s, 1, id);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		user_row(s, u);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_user_by_account(struct store *st, const char *account, struct user *u)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " USER_COLS " FROM users WHERE account = ?");
	store_bind_text(s, 1, account);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		user_row(s, u);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_users(struct store *st, store_user_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " USER_COLS " FROM users ORDER BY id");
	int rc = 0;
	struct user u;
	while (sqlite3_step(s) == SQLITE_ROW) {
		user_row(s, &u);
		if ((rc = cb(&u, ctx)) != 0)
			break;
	}
	sqlite3_reset(s);
	return rc;
}

int store_field_add(struct store *st, const char *code, const char *name, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO fields(code, name) VALUES (?, ?)");
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, name);
	return step_done(st, s, e, N_("adding a field"), id);
}

int store_field_by_code(struct store *st, const char *code, int64_t *id, char *name, size_t n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id, name FROM fields WHERE code = ?");
	store_bind_text(s, 1, code);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		*id = sqlite3_column_int64(s, 0);
		if (name)
			store_col_text(s, 1, name, n);
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_procedure_add(struct store *st, struct procedure *p, struct err *e)
{
	sqlite3_stmt *s = store_prep(st,
		"INSERT INTO procedures(code, name, level, field_id, dept_id, time_unit, statutory_direct,"
		" committed_direct, statutory_online, committed_online, fee, online_level, cutoff)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	store_bind_text(s, 1, p->code);
	store_bind_text(s, 2, p->name);
	sqlite3_bind_int(s, 3, p->level);
	sqlite3_bind_int64(s, 4, p->field_id);
	bind_id(s, 5, p->dept_id);
	store_bind_proc_limits(s, 6, p);
	store_bind_text(s, 12, p->full_online ? "full" : "partial");
	sqlite3_bind_int(s, 13, p->cutoff);
	if (step_done(st, s, e, N_("adding a procedure"), &p->id))
		return e->code;
	return store_proc_components_put(st, p, N_("adding a procedure component"), e);
}

int store_proc_components_put(struct store *st, const struct procedure *p, const char *what, struct err *e)
{
	for (int i = 0; i < p->ncomponents; i++) {
		sqlite3_stmt *s = store_prep(st, "INSERT INTO procedure_components(procedure_id, n, name, required) VALUES (?, ?, ?, ?)");
		if (s) {
			sqlite3_bind_int64(s, 1, p->id);
			sqlite3_bind_int(s, 2, i + 1);
			store_bind_text(s, 3, p->components[i].name);
			sqlite3_bind_int(s, 4, p->components[i].required);
		}
		if (store_step_done(st, s, e, what))
			return e->code;
	}
	return 0;
}

#define PROC_COLS "p.id, p.code, p.level, COALESCE(p.dept_id, 0), p.name, p.field_id, f.code, f.name," \
	" p.time_unit = 'hour', p.statutory_direct, p.committed_direct, p.statutory_online," \
	" p.committed_online, p.fee, p.online_level = 'full', p.cutoff"
static void proc_row(sqlite3_stmt *s, struct procedure *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, p->code, sizeof p->code);
	p->level = sqlite3_column_int(s, 2);
	p->dept_id = sqlite3_column_int64(s, 3);
	store_proc_terms_row(s, 4, p);
}

void store_bind_proc_limits(sqlite3_stmt *s, int i, const struct procedure *p)
{
	store_bind_text(s, i, p->hours ? "hour" : "day");
	sqlite3_bind_int(s, i + 1, p->statutory_direct);
	sqlite3_bind_int(s, i + 2, p->committed_direct);
	sqlite3_bind_int(s, i + 3, p->statutory_online);
	sqlite3_bind_int(s, i + 4, p->committed_online);
	sqlite3_bind_int64(s, i + 5, p->fee);
}

void store_proc_terms_row(sqlite3_stmt *s, int col, struct procedure *p)
{
	store_col_text(s, col, p->name, sizeof p->name);
	p->field_id = sqlite3_column_int64(s, col + 1);
	store_col_text(s, col + 2, p->field_code, sizeof p->field_code);
	store_col_text(s, col + 3, p->field_name, sizeof p->field_name);
	p->hours = sqlite3_column_int(s, col + 4);
	p->statutory_direct = sqlite3_column_int(s, col + 5);
	p->committed_direct = sqlite3_column_int(s, col + 6);
	p->statutory_online = sqlite3_column_int(s, col + 7);
	p->committed_online = sqlite3_column_int(s, col + 8);
	p->fee = sqlite3_column_int64(s, col + 9);
	p->full_online = sqlite3_column_int(s, col + 10);
	p->cutoff = sqlite3_column_int(s, col + 11);
}

void store_proc_components_rows(sqlite3_stmt *s, struct procedure *p)
{
	p->ncomponents = 0;
	while (sqlite3_step(s) == SQLITE_ROW && p->ncomponents < MAX_COMPONENTS) {
		struct component *c = &p->components[p->ncomponents++];
		c->n = sqlite3_column_int(s, 0);
		store_col_text(s, 1, c->name, sizeof c->name);
		c->required = sqlite3_column_int(s, 2);
	}
	sqlite3_reset(s);
}

static int proc_components(struct store *st, struct procedure *p)
{
	sqlite3_stmt *s = store_prep(st, "SELECT n, name, required FROM procedure_components WHERE procedure_id = ? ORDER BY n");
	sqlite3_bind_int64(s, 1, p->id);
	store_proc_components_rows(s, p);
	return 0;
}

int store_procedure_get(struct store *st, int64_t id, struct procedure *p)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " PROC_COLS " FROM procedures p JOIN fields f ON f.id = p.field_id WHERE p.id = ?");
	sqlite3_bind_int64(s, 1, id);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		proc_row(s, p);
	sqlite3_reset(s);
	return found ? proc_components(st, p) : MC_NOTFOUND;
}

int store_procedure_by_code(struct store *st, const char *code, struct procedure *p)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " PROC_COLS " FROM procedures p JOIN fields f ON f.id = p.field_id WHERE p.code = ?");
	store_bind_text(s, 1, code);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		proc_row(s, p);
	sqlite3_reset(s);
	return found ? proc_components(st, p) : MC_NOTFOUND;
}

int store_procedure_id(struct store *st, const char *code, int64_t *id)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id FROM procedures WHERE code = ?");
	store_bind_text(s, 1, code);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_procedures(struct store *st, store_proc_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " PROC_COLS " FROM procedures p JOIN fields f ON f.id = p.field_id"
				     " WHERE p.active ORDER BY p.level, f.code, p.code");
	struct procedure *p = malloc(sizeof *p);
	int rc = 0;
	while (p && sqlite3_step(s) == SQLITE_ROW) {
		proc_row(s, p);
		if ((rc = cb(p, ctx)) != 0)
			break;
	}
	sqlite3_reset(s);
	free(p);
	return rc;
}

int store_holiday_put(struct store *st, const char *day, const char *name, const char *kind, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO holidays(day, name, kind) VALUES (?, ?, ?) "
				     "ON CONFLICT(day) DO UPDATE SET name = excluded.name, kind = excluded.kind");
	store_bind_text(s, 1, day);
	store_bind_text(s, 2, name);
	store_bind_text(s, 3, kind);
	return step_done(st, s, e, N_("saving a holiday"), NULL);
}

static int hhmm(const char *s, int *a, int *b)
{
	int h1, m1, h2, m2;
	if (sscanf(s, "%d:%d-%d:%d", &h1, &m1, &h2, &m2) != 4)
		return -1;
	*a = h1 * 60 + m1;
	*b = h2 * 60 + m2;
	return 0;
}

int store_calendar_load(struct store *st, struct calendar *c)
{
	char buf[64];
	cal_init_default(c);
	if (store_setting_get(st, "hours.morning", buf, sizeof buf) == 0)
		hhmm(buf, &c->am_start, &c->am_end);
	if (store_setting_get(st, "hours.afternoon", buf, sizeof buf) == 0)
		hhmm(buf, &c->pm_start, &c->pm_end);
	sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM holidays");
	int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	c->days = calloc((size_t)n + 1, sizeof *c->days);
	c->ndays = 0;
	if (!c->days)
		return MC_STORE;
	s = store_prep(st, "SELECT day, name, kind FROM holidays ORDER BY day");
	while (sqlite3_step(s) == SQLITE_ROW && c->ndays < n) {
		int y, m, d;
		if (sscanf((const char *)sqlite3_column_text(s, 0), "%d-%d-%d", &y, &m, &d) != 3)
			continue;
		struct cal_holiday *h = &c->days[c->ndays++];
		h->day = cal_day_from_ymd(y, m, d);
		store_col_text(s, 1, h->name, sizeof h->name);
		/* a long reason is cut to the name's size: never inside a UTF-8 character */
		size_t l = strlen(h->name);
		if (l == sizeof h->name - 1) {
			size_t k = l;
			while (k > 0 && ((unsigned char)h->name[k - 1] & 0xC0) == 0x80)
				k--;
			if (k > 0 && ((unsigned char)h->name[k - 1] & 0x80)) {
				unsigned char lead = (unsigned char)h->name[k - 1];
				size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
				if (l - (k - 1) < need)
					h->name[k - 1] = 0;
			}
		}
		h->kind = strcmp((const char *)sqlite3_column_text(s, 2), "work") == 0 ? CAL_WORK : CAL_OFF;
	}
	sqlite3_reset(s);
	return store_cal_years_load(st, c);
}
