/* holidays.h - the Government's announced calendar and the provisional years.
 *
 * Why: an appointment is only as right as the calendar it is counted on.  The Labour
 * Code (2019, art. 112) lists the holidays but leaves the Tết days and the day next to
 * 2/9 to the Prime Minister each year, and swaps (a weekday off, a Saturday worked) are
 * announced by dispatch: the announced schedules are data.  This module owns them:
 *  - the schedules shipped with motcua (db/calendar/vn-official-holidays.csv, embedded)
 *    are applied to every store when it is opened (init, demo, upgrade, a newer motcua
 *    shipping a newer file), except years an administrator imported or central sent;
 *  - a year without an announced schedule is generated from the Labour Code and marked
 *    provisional; the current year and the next are always in the store, and any other
 *    year a computation reaches is generated on demand (calendar.h, cal_cover): no due
 *    date is ever counted across a day without a calendar;
 *  - `holidays import FILE.csv` (same columns as the shipped file: date, kind, reason,
 *    instrument, source) replaces the schedules of the years it holds: an admin action,
 *    recorded in calendar_changes, published to offices by central (kind "calendar");
 *  - when a year's schedule changes, the open dossiers whose appointment would move are
 *    listed (holidays_changes); appointments are never rewritten.
 *
 * A row belongs to the schedule of its date's year, except rows of a year that has only
 * late-December rows in the file while the next year has rows (2018-12-31 belongs to the
 * 2019 New-Year schedule).
 */
#ifndef MOTCUA_HOLIDAYS_H
#define MOTCUA_HOLIDAYS_H

#include <stddef.h>
#include "core.h"
#include "store.h"  /* the schedule types: struct cal_year_info, cal_day_row, ... */

#define HOLIDAYS_SHIPPED "calendar/vn-official-holidays.csv"

/* at open: the shipped schedules (when this motcua ships other data than the store last
 * took), then the current year and the next (provisional when not announced) */
int holidays_open(struct core *c, struct err *e);
/* every year in [from, to] has a schedule in the store (generated when missing) */
int holidays_ensure(struct core *c, int from, int to, struct err *e);

/* parse a schedule CSV (UTF-8, optional BOM; header date,kind,reason,instrument,source
 * in any order, source optional) into rows grouped by schedule year; *rows malloc'd */
int holidays_parse(const char *buf, size_t len, const char *what, struct cal_day_row **rows, int *n, struct err *e);

/* one year changed by an import */
struct holidays_year { int year, changed; char before[16]; };
/* import a schedule file: every year it holds becomes announced (one transaction);
 * years[] (up to max) says which years it held and whether each changed */
int holidays_import(struct core *c, const char *path, struct holidays_year *years, int max, int *nyears, struct err *e);

/* an open dossier whose appointment the last change of a year's schedule would move */
struct holidays_moved { const char *code; int64_t due_at, new_due_at; };
/* the open dossiers the last change of year's schedule would move, by appointment;
 * MC_NOTFOUND when the year's schedule never changed */
int holidays_changes(struct core *c, int year, int (*cb)(const struct holidays_moved *m, void *ctx), void *ctx,
		     struct cal_change *ch, struct err *e);

/* the year to warn about: from 1 October, next year while it is still provisional
 * (0: nothing to warn about) */
int holidays_warn_year(const struct core *c);

/* the schedules as the front ends read and change them (holidays_read.c): a year's
 * status (0 or MC_NOTFOUND), its rows, a year's schedule replaced (one transaction;
 * *changed = 0 when the store had exactly it), the last change of a year, and the
 * changes recorded after a mark (holidays_change_max) */
int holidays_year(struct core *c, int year, struct cal_year_info *y);
int holidays_rows(struct core *c, int year, int (*cb)(const struct cal_day_row *r, void *ctx), void *ctx);
int holidays_apply(struct core *c, const struct cal_apply *a, int *changed, struct err *e);
int holidays_change_last(struct core *c, int year, struct cal_change *ch);
int64_t holidays_change_max(struct core *c);
int holidays_changes_after(struct core *c, int64_t id, int (*cb)(int year, const char *origin, void *ctx), void *ctx);

#endif
