/* holidays_read.c - the calendar's schedules through the core for the front ends
 * (`motcua holidays`, the status line): they never call the store (see holidays.h). */
#include "holidays.h"
#include "store.h"

int holidays_year(struct core *c, int year, struct cal_year_info *y) { return store_cal_year_get(c->st, year, y); }

int holidays_rows(struct core *c, int year, int (*cb)(const struct cal_day_row *r, void *ctx), void *ctx)
{
	return store_cal_rows(c->st, year, cb, ctx);
}

int holidays_apply(struct core *c, const struct cal_apply *a, int *changed, struct err *e)
{
	return store_cal_apply(c->st, a, changed, e);
}

int holidays_change_last(struct core *c, int year, struct cal_change *ch) { return store_cal_change_last(c->st, year, ch); }

int64_t holidays_change_max(struct core *c) { return store_cal_change_max(c->st); }

int holidays_changes_after(struct core *c, int64_t id, int (*cb)(int year, const char *origin, void *ctx), void *ctx)
{
	return store_cal_changes_after(c->st, id, cb, ctx);
}
