/* calendar.h - working time, Vietnamese lunar calendar and public holidays.
 *
 * Why: every deadline in motcua is counted in working time (Mon-Fri, configured
 * working hours, minus public holidays, plus swapped working Saturdays).  This
 * module owns that arithmetic and the lunar computation that places Tet and
 * Hung Kings day.  It is pure: no I/O, no store, no curses.
 *
 * Time model: instants are Unix seconds (UTC).  Vietnam is UTC+7 without DST,
 * so local civil time is t + 7h; a "day number" is the count of local days
 * since 1970-01-01 (local).  Working time is measured in minutes.
 */
#ifndef MOTCUA_CALENDAR_H
#define MOTCUA_CALENDAR_H

#include <stdint.h>

#define CAL_TZ_OFFSET (7 * 3600)

enum cal_daykind { CAL_OFF = 1, CAL_WORK = 2 };

struct cal_holiday {
	int32_t day;          /* local day number */
	int kind;             /* CAL_OFF: public holiday; CAL_WORK: swapped working day (e.g. a Saturday) */
	char name[96];
};

/* Years the calendar knows (CAL_YEAR_MIN .. CAL_YEAR_MIN + CAL_YEARS - 1).  A year
 * with no schedule is generated the first time a computation reaches it (provisional,
 * cal_generate_holidays), so no due date is ever counted across a day without a
 * calendar.  Held behind a pointer: it changes while the calendar is read as const. */
#define CAL_YEAR_MIN 1900
#define CAL_YEARS 300
enum cal_year_state { CAL_YEAR_NONE = 0, CAL_YEAR_ANNOUNCED = 1, CAL_YEAR_PROVISIONAL = 2, CAL_YEAR_GENERATED = 3 };
struct cal_cover {
	unsigned char year[CAL_YEARS]; /* enum cal_year_state */
	struct cal_holiday *gen;       /* days of the years generated on demand, sorted */
	int ngen, capgen;
};

struct calendar {
	/* working hours as minutes after local midnight; two sessions a day */
	int am_start, am_end, pm_start, pm_end;
	struct cal_holiday *days; /* sorted by day, unique; owned by the caller */
	int ndays;
	struct cal_cover *cover;  /* NULL: days is all there is (no generation); owned by the caller */
};

/* Timeliness of a dossier or step. */
enum timeliness { TL_NOT_DUE = 1, TL_OVERDUE = 2, TL_EARLY = 3, TL_ON_TIME = 4, TL_LATE = 5 };

/* civil date <-> local day number */
int32_t cal_day_from_ymd(int y, int m, int d);
void cal_ymd_from_day(int32_t day, int *y, int *m, int *d);
int cal_weekday(int32_t day);                 /* 0 = Sunday .. 6 = Saturday */
int32_t cal_day_of(int64_t t);                /* local day number of instant t */
int cal_minute_of(int64_t t);                 /* local minutes after midnight */
int64_t cal_instant(int32_t day, int minute); /* instant of local day+minute */
/* parse "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (local); 0 on success, -1 on bad input */
int cal_parse(const char *s, int64_t *out);
/* an appointment as a person types it: "YYYY-MM-DD" or "DD/MM/YYYY", optionally
 * followed by " HH:MM"; a date alone means the end of that working day (c->pm_end).
 * Surrounding blanks are ignored.  0 on success, -1 on bad input */
int cal_parse_appointment(const struct calendar *c, const char *s, int64_t *out);
/* format local time: "YYYY-MM-DD HH:MM" (with_time) or "YYYY-MM-DD"; buf >= 17 */
void cal_format(int64_t t, int with_time, char *buf, int bufsz);
/* format local date as dd/mm/yyyy for printed forms */
void cal_format_vn(int64_t t, char *buf, int bufsz);

/* working calendar */
void cal_init_default(struct calendar *c);    /* 07:30-11:30, 13:00-17:00, no holidays */
int cal_day_minutes(const struct calendar *c);/* working minutes in a full day (480 by default) */
int cal_is_working_day(const struct calendar *c, int32_t day);
/* the day's row: c->days first, else the generated days of a year without a schedule */
const struct cal_holiday *cal_holiday_on(const struct calendar *c, int32_t day);
/* enum cal_year_state of a year (CAL_YEAR_NONE without a cover or out of range) */
int cal_year_state(const struct calendar *c, int year);
/* the first working day after day */
int32_t cal_next_working_day(const struct calendar *c, int32_t day);
/* the appointment of a procedure with a cut-off (minutes after midnight; <= 0: none,
 * cal_add_working, except that a time in whole days received at or before the opening
 * of a working day ends at the opening of its last day, not at the close of the day
 * before: the day of reception is never the last day, Civil Code 2015 Art. 147(2)):
 * received at or after it, or on a day off, or after hours, the
 * time counts from the start of the next working day; before it, from t, or with
 * whole_days from the start of that working day, so that a time in whole days ends at
 * the close of a working day ("trong ngày; sau 15 giờ thì ngày làm việc tiếp theo"). */
int64_t cal_add_with_cutoff(const struct calendar *c, int64_t t, int64_t minutes, int cutoff, int whole_days);
/* the first working instant >= t (t itself when inside working hours) */
int64_t cal_next_working(const struct calendar *c, int64_t t);
/* instant reached after `minutes` working minutes counted from t (after-hours t counts
 * from the next working morning).  A result that lands exactly on the end of a session
 * stays there (17:00), never rolls to the next morning. */
int64_t cal_add_working(const struct calendar *c, int64_t t, int64_t minutes);
/* working minutes in [a, b) (0 if b <= a) */
int64_t cal_working_between(const struct calendar *c, int64_t a, int64_t b);
/* early / on time / late once resolved (resolved_at != 0);
 * not yet due / overdue while in progress (judged at `now`).
 * Early: resolved on a local day before the due day; on time: on the due day and not
 * after the due instant; late: after the due instant. */
int cal_timeliness(int64_t due_at, int64_t resolved_at, int64_t now);
const char *cal_timeliness_name(int tl);      /* "early", "on time", ... (English, for CLI/json) */

/* Vietnamese lunar calendar (UTC+7), Ho Ngoc Duc's astronomical algorithm. */
void lunar_from_solar(int y, int m, int d, int *ly, int *lm, int *ld, int *leap);
/* returns 0 and the solar date, or -1 if that lunar date does not exist */
int lunar_to_solar(int ly, int lm, int ld, int leap, int *y, int *m, int *d);

/* Provisional public holidays of a year (Labour Code 2019, art. 112(1)): 1/1; Tet: the
 * last day of the lunar year and days 1-4 of the new year; Hung Kings day (10/3 lunar);
 * 30/4; 1/5; 2/9 and one adjacent day (the Tet days and the adjacent day are the Prime
 * Minister's to decide each year, art. 112(3)); plus a compensatory day on the next
 * working day for each holiday falling on a weekly day off (art. 111(3)).  Writes up to max entries sorted by day and
 * returns the count. */
int cal_generate_holidays(int year, struct cal_holiday *out, int max);
void cal_cover_free(struct cal_cover *cv);

#endif
