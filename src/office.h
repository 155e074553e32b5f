/* office.h - the office's reference data through the core: creating an office with
 * its default settings, adding users under the rules every front end must keep (a
 * department head or specialist belongs to a department), the lists of users and
 * procedures the screens and commands show, and public holidays.
 *
 * Why: these rules lived in the CLI, so a second front end (an admin screen, the
 * portal) would have had to repeat them; the store stays behind the core.
 */
#ifndef MOTCUA_OFFICE_H
#define MOTCUA_OFFICE_H

#include "core.h"

/* an office's code and name checked and cleaned into of (nothing written yet) */
int office_prepare(const char *code, const char *name, int level, struct office *of, struct err *e);
/* in one transaction: the office, the store's settings for it (office, working hours
 * 07:30-11:30 and 13:00-17:00, supplement.mode resume) and, if admin is not NULL, an
 * administrator with that account */
int office_create(struct core *c, struct office *of, const char *admin, struct err *e);

struct user_req {
	const char *account, *name;
	unsigned roles;
	const char *office;         /* agency code; NULL: this store's office */
	const char *department;     /* department code; required for a head or specialist */
};
/* add a user: account and name cleaned, office and department looked up */
int user_create(struct core *c, const struct user_req *r, struct user *out, struct err *e);

int office_users(struct core *c, user_cb cb, void *ctx);
/* all procedures, by level, field, code (components not loaded) */
int office_procedures(struct core *c, procedure_cb cb, void *ctx);
/* one procedure with its components, as of the version in force now: 0 or MC_NOTFOUND */
int office_procedure(struct core *c, const char *code, struct procedure *p);
/* one procedure by id, with its components: 0 or MC_NOTFOUND */
int office_procedure_by_id(struct core *c, int64_t id, struct procedure *p);
/* a dossier's procedure as of the version it was received under (procver.h) */
int office_dossier_procedure(struct core *c, const struct dossier *d, struct procedure *p);
/* the codes of the procedures the acting user's office used most among its last
 * sample dossiers, most used first (at most max); returns how many */
int office_procedures_used(struct core *c, int sample, char (*codes)[32], int max);
/* a department by id: 0 or MC_NOTFOUND */
int office_department(struct core *c, int64_t id, struct department *d);
int64_t office_dossier_count(struct core *c);
/* days off (public holidays: day and name; kind is not read), all in one transaction */
int office_holidays_put(struct core *c, const struct cal_holiday *h, int n, struct err *e);
/* one day (YYYY-MM-DD) off, or a working day if work; name already cleaned */
int office_holiday_add(struct core *c, const char *day, const char *name, int work, struct err *e);

#endif
