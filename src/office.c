/* office.c - offices, users, procedures and holidays through the core (see office.h). */
#include <stdio.h>
#include <string.h>
#include "office.h"
#include "procver.h"
#include "queue.h"
#include "store.h"
#include "text.h"

int office_prepare(const char *code, const char *name, int level, struct office *of, struct err *e)
{
	char msg[256];
	memset(of, 0, sizeof *of);
	if (level < 1 || level > 3)
		return err_set(e, MC_INVALID, "an office's level is 1 (province), 2 (district) or 3 (commune), not %d", level);
	of->level = level;
	if (text_clean(code, "office code", 30, of->agency_code, sizeof of->agency_code, msg, sizeof msg) ||
	    text_clean(name, "office name", 200, of->name, sizeof of->name, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	return 0;
}

int office_create(struct core *c, struct office *of, const char *admin, struct err *e)
{
	static const char *defaults[][2] = {
		{"hours.morning", "07:30-11:30"}, {"hours.afternoon", "13:00-17:00"}, {"supplement.mode", "resume"},
	};
	if (store_begin(c->st, e))
		return e->code;
	int failed = store_office_add(c->st, of, e) || store_setting_set(c->st, "office", of->agency_code, e);
	for (size_t i = 0; !failed && i < sizeof defaults / sizeof defaults[0]; i++)
		failed = store_setting_set(c->st, defaults[i][0], defaults[i][1], e);
	if (!failed && admin) {
		struct user u = {.roles = ROLE_ADMIN, .office_id = of->id, .active = 1};
		char msg[256];
		if (text_clean(admin, "account", 32, u.account, sizeof u.account, msg, sizeof msg))
			failed = err_set(e, MC_INVALID, "%s", msg);
		snprintf(u.name, sizeof u.name, "%s", u.account);
		failed = failed || store_user_add(c->st, &u, e);
	}
	if (failed) {
		store_rollback(c->st);
		return e->code;
	}
	if (store_commit(c->st, e))
		return e->code;
	return core_reload(c, e);
}

int user_create(struct core *c, const struct user_req *r, struct user *out, struct err *e)
{
	struct user u = {.active = 1, .roles = r->roles, .office_id = c->office.id};
	char msg[256];
	if (text_clean(r->account, "account", 32, u.account, sizeof u.account, msg, sizeof msg) ||
	    text_clean(r->name, "user name", 100, u.name, sizeof u.name, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (!u.roles)
		return err_set(e, MC_INVALID, "the user %s needs at least one role", u.account);
	if (r->office) {
		struct office of;
		if (store_office_by_code(c->st, r->office, &of))
			return err_set(e, MC_NOTFOUND, "unknown office '%.40s'", r->office);
		u.office_id = of.id;
	}
	if (r->department) {
		struct department d;
		if (store_dept_by_code(c->st, r->department, &d))
			return err_set(e, MC_NOTFOUND, "unknown department '%.40s'", r->department);
		u.dept_id = d.id;
	}
	if ((u.roles & (ROLE_HEAD | ROLE_SPECIALIST)) && !u.dept_id)
		return err_set(e, MC_INVALID, "the user %s is a department head or specialist and needs a department", u.account);
	if (store_user_add(c->st, &u, e))
		return e->code;
	if (out)
		*out = u;
	return 0;
}

int office_users(struct core *c, user_cb cb, void *ctx) { return store_users(c->st, cb, ctx); }

int office_procedures(struct core *c, procedure_cb cb, void *ctx) { return store_procedures(c->st, cb, ctx); }

int office_procedure(struct core *c, const char *code, struct procedure *p)
{
	return procver_by_code_at(c, code, core_now(c), p); /* the version in force now */
}

int office_procedure_by_id(struct core *c, int64_t id, struct procedure *p)
{
	return store_procedure_get(c->st, id, p);
}

int office_dossier_procedure(struct core *c, const struct dossier *d, struct procedure *p)
{
	return procver_of_dossier(c, d, p);
}

int office_procedures_used(struct core *c, int sample, char (*codes)[32], int max)
{
	return store_procedures_used(c->st, queue_office(c), sample, codes, max);
}

int office_department(struct core *c, int64_t id, struct department *d) { return store_dept_get(c->st, id, d); }

int64_t office_dossier_count(struct core *c) { return store_dossier_count_real(c->st); }

int office_holidays_put(struct core *c, const struct cal_holiday *h, int n, struct err *e)
{
	if (store_begin(c->st, e))
		return e->code;
	for (int i = 0; i < n; i++) {
		char day[16];
		cal_format(cal_instant(h[i].day, 0), 0, day, sizeof day);
		if (store_holiday_put(c->st, day, h[i].name, "off", e)) {
			store_rollback(c->st);
			return e->code;
		}
	}
	return store_commit(c->st, e);
}

int office_holiday_add(struct core *c, const char *day, const char *name, int work, struct err *e)
{
	return store_holiday_put(c->st, day, name, work ? "work" : "off", e);
}
