/* calendar.c - civil dates, working time, Vietnamese lunar calendar, holidays.
 *
 * Why: every deadline in motcua is counted in working time, and the public
 * holidays that interrupt it (Tet, Hung Kings day) move with the lunar
 * calendar.  This module owns that arithmetic: UTC+7 day numbers, the two
 * daily working sessions, holiday lookup, due-date computation, timeliness,
 * and Ho Ngoc Duc's lunar conversion.  It is pure: no I/O, no global state;
 * the holiday table belongs to the caller (struct calendar).
 *
 * Notes:
 *  - Civil dates are proleptic Gregorian everywhere, including inside the
 *    lunar algorithm (the original switches to Julian before 1582; irrelevant
 *    for this application).
 *  - Working sessions are assumed ordered (am before pm); an empty session
 *    (end <= start) is ignored and an overlapping pm session is clipped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calendar.h"
#include "i18n.h"

#define DAY_SECS 86400
#define JD_UNIX_EPOCH 2440588 /* Julian day number of 1970-01-01 */
#define LUNAR_TZ 7.0
#define CAL_PI 3.14159265358979323846
/* upper bound for cal_add_working (about 8000 years of 480-minute days) */
#define MAX_ADD_MINUTES ((int64_t)1000000000)

/* ---------------------------------------------------------------- civil dates */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int32_t cal_day_from_ymd(int y, int m, int d)
{
	/* H. Hinnant's days_from_civil */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (int64_t)(m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void cal_ymd_from_day(int32_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	if (y)
		*y = (int)(yy + (mm <= 2));
	if (m)
		*m = mm;
	if (d)
		*d = dd;
}

int cal_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday */
	int w = (int)(((int64_t)day + 4) % 7);
	return w < 0 ? w + 7 : w;
}

int32_t cal_day_of(int64_t t)
{
	return (int32_t)floor_div(t + CAL_TZ_OFFSET, DAY_SECS);
}

int cal_minute_of(int64_t t)
{
	int64_t sod = t + CAL_TZ_OFFSET - floor_div(t + CAL_TZ_OFFSET, DAY_SECS) * DAY_SECS;
	return (int)(sod / 60);
}

int64_t cal_instant(int32_t day, int minute)
{
	return (int64_t)day * DAY_SECS + (int64_t)minute * 60 - CAL_TZ_OFFSET;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* reads exactly n decimal digits; -1 when any is missing */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int cal_parse(const char *s, int64_t *out)
{
	if (!s || !out)
		return -1;
	int y = digits(s, 4);
	if (y < 1 || s[4] != '-')
		return -1;
	int m = digits(s + 5, 2);
	if (m < 1 || m > 12 || s[7] != '-')
		return -1;
	int d = digits(s + 8, 2);
	if (d < 1 || d > days_in_month(y, m))
		return -1;
	int minute = 0;
	const char *p = s + 10;
	if (*p == ' ' || *p == 'T') {
		int hh = digits(p + 1, 2);
		if (hh < 0 || hh > 23 || p[3] != ':')
			return -1;
		int mi = digits(p + 4, 2);
		if (mi < 0 || mi > 59)
			return -1;
		minute = hh * 60 + mi;
		p += 6;
	}
	if (*p != '\0')
		return -1;
	*out = cal_instant(cal_day_from_ymd(y, m, d), minute);
	return 0;
}

int cal_parse_appointment(const struct calendar *c, const char *in, int64_t *out)
{
	char s[64], iso[64];
	if (!in || !out)
		return -1;
	while (*in == ' ')
		in++;
	snprintf(s, sizeof s, "%s", in);
	size_t l = strlen(s);
	while (l && s[l - 1] == ' ')
		s[--l] = 0;
	int d, m, y, used = 0;
	if (sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &used) == 3 && used >= 8)
		snprintf(iso, sizeof iso, "%04d-%02d-%02d%s", y, m, d, s + used);
	else
		snprintf(iso, sizeof iso, "%s", s);
	int64_t t;
	if (!*iso || cal_parse(iso, &t))
		return -1;
	if (!strchr(iso, ' ') && !strchr(iso, 'T'))
		t = cal_instant(cal_day_of(t), c->pm_end);
	*out = t;
	return 0;
}

void cal_format(int64_t t, int with_time, char *buf, int bufsz)
{
	if (!buf || bufsz <= 0)
		return;
	int y, m, d;
	cal_ymd_from_day(cal_day_of(t), &y, &m, &d);
	if (with_time) {
		int mi = cal_minute_of(t);
		snprintf(buf, (size_t)bufsz, "%04d-%02d-%02d %02d:%02d", y, m, d, mi / 60, mi % 60);
	} else {
		snprintf(buf, (size_t)bufsz, "%04d-%02d-%02d", y, m, d);
	}
}

void cal_format_vn(int64_t t, char *buf, int bufsz)
{
	if (!buf || bufsz <= 0)
		return;
	int y, m, d;
	cal_ymd_from_day(cal_day_of(t), &y, &m, &d);
	snprintf(buf, (size_t)bufsz, "%02d/%02d/%04d", d, m, y);
}

/* --------------------------------------------------------------- working time */

struct session {
	int64_t s, e; /* seconds after local midnight, [s, e) */
};

static int clamp_min(int v)
{
	return v < 0 ? 0 : v > 1440 ? 1440 : v;
}

/* the non-empty sessions of a day, in order; returns their count (0..2) */
static int sessions(const struct calendar *c, struct session out[2])
{
	int n = 0;
	int as = clamp_min(c->am_start), ae = clamp_min(c->am_end);
	int ps = clamp_min(c->pm_start), pe = clamp_min(c->pm_end);
	if (ae > as) {
		out[n].s = (int64_t)as * 60;
		out[n].e = (int64_t)ae * 60;
		n++;
		if (ps < ae)
			ps = ae;
	}
	if (pe > ps) {
		out[n].s = (int64_t)ps * 60;
		out[n].e = (int64_t)pe * 60;
		n++;
	}
	return n;
}

void cal_init_default(struct calendar *c)
{
	c->am_start = 7 * 60 + 30;
	c->am_end = 11 * 60 + 30;
	c->pm_start = 13 * 60;
	c->pm_end = 17 * 60;
	c->days = NULL;
	c->ndays = 0;
	c->cover = NULL;
}

int cal_day_minutes(const struct calendar *c)
{
	struct session ss[2];
	int n = sessions(c, ss), total = 0;
	for (int i = 0; i < n; i++)
		total += (int)((ss[i].e - ss[i].s) / 60);
	return total;
}

static const struct cal_holiday *find_day(const struct cal_holiday *h, int n, int32_t day)
{
	if (!h || n <= 0)
		return NULL;
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int32_t v = h[mid].day;
		if (v == day)
			return &h[mid];
		if (v < day)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static int by_day(const void *a, const void *b)
{
	int32_t x = ((const struct cal_holiday *)a)->day, y = ((const struct cal_holiday *)b)->day;
	return x < y ? -1 : x > y;
}

/* a year without a schedule: its provisional days, generated once (cal_cover) */
static void cover_generate(struct cal_cover *cv, int year)
{
	struct cal_holiday h[48];
	int k = cal_generate_holidays(year, h, 48);
	cv->year[year - CAL_YEAR_MIN] = CAL_YEAR_GENERATED;
	if (cv->ngen + k > cv->capgen) {
		int cap = (cv->ngen + k) * 2;
		struct cal_holiday *n = realloc(cv->gen, (size_t)cap * sizeof *n);
		if (!n)
			return; /* out of memory: weekends only for that year */
		cv->gen = n;
		cv->capgen = cap;
	}
	memcpy(cv->gen + cv->ngen, h, (size_t)k * sizeof *h);
	cv->ngen += k;
	qsort(cv->gen, (size_t)cv->ngen, sizeof *cv->gen, by_day);
}

const struct cal_holiday *cal_holiday_on(const struct calendar *c, int32_t day)
{
	const struct cal_holiday *h = find_day(c->days, c->ndays, day);
	if (h || !c->cover)
		return h;
	int y;
	cal_ymd_from_day(day, &y, NULL, NULL);
	if (y < CAL_YEAR_MIN || y >= CAL_YEAR_MIN + CAL_YEARS)
		return NULL;
	struct cal_cover *cv = c->cover;
	int st = cv->year[y - CAL_YEAR_MIN];
	if (st == CAL_YEAR_ANNOUNCED || st == CAL_YEAR_PROVISIONAL)
		return NULL; /* a year with a schedule: c->days is all of it */
	if (st == CAL_YEAR_NONE)
		cover_generate(cv, y);
	return find_day(cv->gen, cv->ngen, day);
}

int cal_year_state(const struct calendar *c, int year)
{
	if (!c->cover || year < CAL_YEAR_MIN || year >= CAL_YEAR_MIN + CAL_YEARS)
		return CAL_YEAR_NONE;
	return c->cover->year[year - CAL_YEAR_MIN];
}

void cal_cover_free(struct cal_cover *cv)
{
	if (cv)
		free(cv->gen);
	free(cv);
}

int cal_is_working_day(const struct calendar *c, int32_t day)
{
	const struct cal_holiday *h = cal_holiday_on(c, day);
	if (h && h->kind == CAL_WORK)
		return 1;
	if (h && h->kind == CAL_OFF)
		return 0;
	int w = cal_weekday(day);
	return w >= 1 && w <= 5;
}

static int32_t next_working_day(const struct calendar *c, int32_t day)
{
	do
		day++;
	while (!cal_is_working_day(c, day));
	return day;
}

int32_t cal_next_working_day(const struct calendar *c, int32_t day) { return next_working_day(c, day); }

int64_t cal_add_with_cutoff(const struct calendar *c, int64_t t, int64_t minutes, int cutoff, int whole_days)
{
	if (cutoff <= 0) {
		/* a limit in days does not count the day of reception (Civil Code 2015 Art.
		 * 147(2)): received at or before the opening of a working day D, N days end at
		 * the opening of the N-th working day after D (not at D + N - 1's closing, the
		 * same instant of working time): the day of reception is never the last day, and
		 * a reception a minute later is never due earlier (it ends at that minute of the
		 * same day) */
		int32_t d0 = cal_day_of(t);
		int64_t open = cal_next_working(c, cal_instant(d0, 0));
		if (whole_days && cal_day_of(open) == d0 && t <= open)
			return cal_next_working(c, cal_add_working(c, open, minutes));
		return cal_add_working(c, t, minutes);
	}
	int64_t cur = cal_next_working(c, t);
	int32_t day = cal_day_of(cur);
	if (cal_day_of(t) != day) /* received on a day off or after hours: the next working day */
		cur = cal_next_working(c, cal_instant(day, 0));
	else if (cal_minute_of(cur) >= cutoff)
		cur = cal_next_working(c, cal_instant(next_working_day(c, day), 0));
	else if (whole_days)
		cur = cal_next_working(c, cal_instant(day, 0));
	return cal_add_working(c, cur, minutes);
}

int64_t cal_next_working(const struct calendar *c, int64_t t)
{
	struct session ss[2];
	int n = sessions(c, ss);
	if (n == 0)
		return t;
	int32_t day = cal_day_of(t);
	int64_t base = cal_instant(day, 0);
	int64_t sod = t - base;
	if (cal_is_working_day(c, day))
		for (int i = 0; i < n; i++)
			if (sod < ss[i].e)
				return sod >= ss[i].s ? t : base + ss[i].s;
	day = next_working_day(c, day);
	return cal_instant(day, 0) + ss[0].s;
}

int64_t cal_add_working(const struct calendar *c, int64_t t, int64_t minutes)
{
	struct session ss[2];
	int n = sessions(c, ss);
	int64_t cur = cal_next_working(c, t);
	if (minutes <= 0 || n == 0)
		return cur;
	if (minutes > MAX_ADD_MINUTES)
		minutes = MAX_ADD_MINUTES;
	int64_t rem = minutes * 60;
	int64_t daysecs = (int64_t)cal_day_minutes(c) * 60;

	/* the rest of the current (working) day, from cur */
	int32_t day = cal_day_of(cur);
	int64_t base = cal_instant(day, 0);
	int64_t sod = cur - base;
	for (int i = 0; i < n; i++) {
		if (sod >= ss[i].e)
			continue;
		int64_t from = sod > ss[i].s ? sod : ss[i].s;
		int64_t avail = ss[i].e - from;
		if (rem <= avail)
			return base + from + rem;
		rem -= avail;
	}
	/* whole working days, then the sessions of the last one */
	for (;;) {
		day = next_working_day(c, day);
		if (rem > daysecs) {
			rem -= daysecs;
			continue;
		}
		base = cal_instant(day, 0);
		for (int i = 0; i < n; i++) {
			int64_t avail = ss[i].e - ss[i].s;
			if (rem <= avail)
				return base + ss[i].s + rem;
			rem -= avail;
		}
	}
}

int64_t cal_working_between(const struct calendar *c, int64_t a, int64_t b)
{
	if (b <= a)
		return 0;
	struct session ss[2];
	int n = sessions(c, ss);
	if (n == 0)
		return 0;
	int32_t d0 = cal_day_of(a), d1 = cal_day_of(b);
	int64_t total = 0;
	for (int32_t day = d0; day <= d1; day++) {
		if (!cal_is_working_day(c, day))
			continue;
		int64_t base = cal_instant(day, 0);
		for (int i = 0; i < n; i++) {
			int64_t lo = base + ss[i].s, hi = base + ss[i].e;
			if (lo < a)
				lo = a;
			if (hi > b)
				hi = b;
			if (hi > lo)
				total += hi - lo;
		}
	}
	return total / 60;
}

int cal_timeliness(int64_t due_at, int64_t resolved_at, int64_t now)
{
	if (resolved_at != 0) {
		if (resolved_at > due_at)
			return TL_LATE;
		if (cal_day_of(resolved_at) == cal_day_of(due_at))
			return TL_ON_TIME;
		return TL_EARLY;
	}
	return now > due_at ? TL_OVERDUE : TL_NOT_DUE;
}

const char *cal_timeliness_name(int tl)
{
	switch (tl) {
	case TL_NOT_DUE: return N_("not yet due");
	case TL_OVERDUE: return N_("overdue");
	case TL_EARLY: return N_("early");
	case TL_ON_TIME: return N_("on time");
	case TL_LATE: return N_("late");
	}
	return "unknown";
}

/* ------------------------------------------------------------ lunar calendar */
/* Ho Ngoc Duc, "Computing the Vietnamese lunar calendar" (amlich).  Julian day
 * numbers are derived from our local day numbers. */

static int64_t jd_from_date(int d, int m, int y)
{
	return (int64_t)cal_day_from_ymd(y, m, d) + JD_UNIX_EPOCH;
}

static void jd_to_date(int64_t jd, int *y, int *m, int *d)
{
	cal_ymd_from_day((int32_t)(jd - JD_UNIX_EPOCH), y, m, d);
}

/* Julian day (fractional) of the k-th new moon after 1900-01-01 */
static double new_moon(int64_t k)
{
	const double dr = CAL_PI / 180;
	double kk = (double)k;
	double T = kk / 1236.85, T2 = T * T, T3 = T2 * T;
	double jd1 = 2415020.75933 + 29.53058868 * kk + 0.0001178 * T2 - 0.000000155 * T3;
	jd1 += 0.00033 * sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
	double M = 359.2242 + 29.10535608 * kk - 0.0000333 * T2 - 0.00000347 * T3;
	double Mpr = 306.0253 + 385.81691806 * kk + 0.0107306 * T2 + 0.00001236 * T3;
	double F = 21.2964 + 390.67050646 * kk - 0.0016528 * T2 - 0.00000239 * T3;
	double C1 = (0.1734 - 0.000393 * T) * sin(M * dr) + 0.0021 * sin(2 * dr * M);
	C1 = C1 - 0.4068 * sin(Mpr * dr) + 0.0161 * sin(dr * 2 * Mpr);
	C1 = C1 - 0.0004 * sin(dr * 3 * Mpr);
	C1 = C1 + 0.0104 * sin(dr * 2 * F) - 0.0051 * sin(dr * (M + Mpr));
	C1 = C1 - 0.0074 * sin(dr * (M - Mpr)) + 0.0004 * sin(dr * (2 * F + M));
	C1 = C1 - 0.0004 * sin(dr * (2 * F - M)) - 0.0006 * sin(dr * (2 * F + Mpr));
	C1 = C1 + 0.0010 * sin(dr * (2 * F - Mpr)) + 0.0005 * sin(dr * (2 * Mpr + M));
	double deltat;
	if (T < -11)
		deltat = 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3;
	else
		deltat = -0.000278 + 0.000265 * T + 0.000262 * T2;
	return jd1 + C1 - deltat;
}

/* sun's apparent longitude in radians [0, 2pi) at Julian day jdn */
static double sun_longitude(double jdn)
{
	const double dr = CAL_PI / 180;
	double T = (jdn - 2451545.0) / 36525, T2 = T * T;
	double M = 357.52910 + 35999.05030 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
	double L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
	double DL = (1.914600 - 0.004817 * T - 0.000014 * T2) * sin(dr * M);
	DL = DL + (0.019993 - 0.000101 * T) * sin(dr * 2 * M) + 0.000290 * sin(dr * 3 * M);
	double L = (L0 + DL) * dr;
	return L - CAL_PI * 2 * floor(L / (CAL_PI * 2));
}

static int64_t get_new_moon_day(int64_t k)
{
	return (int64_t)floor(new_moon(k) + 0.5 + LUNAR_TZ / 24);
}

/* sector 0..11 of the sun's longitude at the start of local day jd */
static int get_sun_longitude(int64_t jd)
{
	return (int)floor(sun_longitude((double)jd - 0.5 - LUNAR_TZ / 24) / CAL_PI * 6);
}

/* first day of the lunar month containing the winter solstice of year y */
static int64_t get_lunar_month11(int y)
{
	double off = (double)(jd_from_date(31, 12, y) - 2415021);
	int64_t k = (int64_t)floor(off / 29.530588853);
	int64_t nm = get_new_moon_day(k);
	if (get_sun_longitude(nm) >= 9)
		nm = get_new_moon_day(k - 1);
	return nm;
}

/* offset (in months after month 11 starting at a11) of the leap month */
static int get_leap_month_offset(int64_t a11)
{
	int64_t k = (int64_t)floor(((double)a11 - 2415021.076998695) / 29.530588853 + 0.5);
	int i = 1;
	int arc = get_sun_longitude(get_new_moon_day(k + i)), last;
	do {
		last = arc;
		i++;
		arc = get_sun_longitude(get_new_moon_day(k + i));
	} while (arc != last && i < 14);
	return i - 1;
}

void lunar_from_solar(int y, int m, int d, int *ly, int *lm, int *ld, int *leap)
{
	int64_t dn = jd_from_date(d, m, y);
	int64_t k = (int64_t)floor(((double)dn - 2415021.076998695) / 29.530588853);
	int64_t month_start = get_new_moon_day(k + 1);
	if (month_start > dn)
		month_start = get_new_moon_day(k);
	int64_t a11 = get_lunar_month11(y), b11 = a11;
	int lyear;
	if (a11 >= month_start) {
		lyear = y;
		a11 = get_lunar_month11(y - 1);
	} else {
		lyear = y + 1;
		b11 = get_lunar_month11(y + 1);
	}
	int lday = (int)(dn - month_start + 1);
	int diff = (int)floor((double)(month_start - a11) / 29);
	int lleap = 0, lmonth = diff + 11;
	if (b11 - a11 > 365) {
		int leap_diff = get_leap_month_offset(a11);
		if (diff >= leap_diff) {
			lmonth = diff + 10;
			if (diff == leap_diff)
				lleap = 1;
		}
	}
	if (lmonth > 12)
		lmonth -= 12;
	if (lmonth >= 11 && diff < 4)
		lyear -= 1;
	if (ly)
		*ly = lyear;
	if (lm)
		*lm = lmonth;
	if (ld)
		*ld = lday;
	if (leap)
		*leap = lleap;
}

int lunar_to_solar(int ly, int lm, int ld, int leap, int *y, int *m, int *d)
{
	if (lm < 1 || lm > 12 || ld < 1 || ld > 30)
		return -1;
	int64_t a11, b11;
	if (lm < 11) {
		a11 = get_lunar_month11(ly - 1);
		b11 = get_lunar_month11(ly);
	} else {
		a11 = get_lunar_month11(ly);
		b11 = get_lunar_month11(ly + 1);
	}
	int64_t k = (int64_t)floor(0.5 + ((double)a11 - 2415021.076998695) / 29.530588853);
	int off = lm - 11;
	if (off < 0)
		off += 12;
	if (b11 - a11 > 365) {
		int leap_off = get_leap_month_offset(a11);
		int leap_month = leap_off - 2;
		if (leap_month < 0)
			leap_month += 12;
		if (leap && lm != leap_month)
			return -1;
		if (leap || off >= leap_off)
			off += 1;
	} else if (leap) {
		return -1;
	}
	int64_t month_start = get_new_moon_day(k + off);
	int64_t jd = month_start + ld - 1;
	if (ld == 30 && get_new_moon_day(k + off + 1) <= jd)
		return -1; /* a 29-day month */
	jd_to_date(jd, y, m, d);
	return 0;
}

/* ------------------------------------------------------------------ holidays */

/* copies src into a 96-byte name, never cutting a UTF-8 sequence */
static void set_name(char dst[96], const char *prefix, const char *src)
{
	size_t n = 0, cap = 95;
	const char *parts[2] = { prefix, src };
	for (int p = 0; p < 2; p++) {
		const char *s = parts[p];
		size_t len = strlen(s);
		if (n + len > cap) {
			len = cap - n;
			while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
				len--;
		}
		memcpy(dst + n, s, len);
		n += len;
	}
	dst[n] = '\0';
}

static int holiday_index(const struct cal_holiday *h, int n, int32_t day)
{
	for (int i = 0; i < n; i++)
		if (h[i].day == day)
			return i;
	return -1;
}

static void add_holiday(struct cal_holiday *h, int *n, int cap, int32_t day, const char *prefix,
			const char *name)
{
	if (*n >= cap || holiday_index(h, *n, day) >= 0)
		return;
	h[*n].day = day;
	h[*n].kind = CAL_OFF;
	set_name(h[*n].name, prefix, name);
	(*n)++;
}

static void sort_holidays(struct cal_holiday *h, int n)
{
	for (int i = 1; i < n; i++) {
		struct cal_holiday x = h[i];
		int j = i - 1;
		while (j >= 0 && h[j].day > x.day) {
			h[j + 1] = h[j];
			j--;
		}
		h[j + 1] = x;
	}
}

#define HOLIDAY_CAP 48

int cal_generate_holidays(int year, struct cal_holiday *out, int max)
{
	struct cal_holiday h[HOLIDAY_CAP];
	int n = 0;
	int y, m, d;

	add_holiday(h, &n, HOLIDAY_CAP, cal_day_from_ymd(year, 1, 1), "", "Tết Dương lịch");

	if (lunar_to_solar(year, 1, 1, 0, &y, &m, &d) == 0) {
		int32_t tet = cal_day_from_ymd(y, m, d);
		int ey, em, eday, ely, elm, eld, eleap;
		cal_ymd_from_day(tet - 1, &ey, &em, &eday);
		lunar_from_solar(ey, em, eday, &ely, &elm, &eld, &eleap);
		add_holiday(h, &n, HOLIDAY_CAP, tet - 1, "",
			    eld == 29 ? "Tết Nguyên Đán (29 tháng Chạp)" : "Tết Nguyên Đán (30 tháng Chạp)");
		static const char *const days[4] = {
			"Tết Nguyên Đán (mùng 1)", "Tết Nguyên Đán (mùng 2)",
			"Tết Nguyên Đán (mùng 3)", "Tết Nguyên Đán (mùng 4)",
		};
		for (int i = 0; i < 4; i++)
			add_holiday(h, &n, HOLIDAY_CAP, tet + i, "", days[i]);
	}
	if (lunar_to_solar(year, 3, 10, 0, &y, &m, &d) == 0)
		add_holiday(h, &n, HOLIDAY_CAP, cal_day_from_ymd(y, m, d), "", "Giỗ Tổ Hùng Vương");
	add_holiday(h, &n, HOLIDAY_CAP, cal_day_from_ymd(year, 4, 30), "", "Ngày Chiến thắng");
	add_holiday(h, &n, HOLIDAY_CAP, cal_day_from_ymd(year, 5, 1), "", "Ngày Quốc tế Lao động");
	int32_t qk = cal_day_from_ymd(year, 9, 2);
	add_holiday(h, &n, HOLIDAY_CAP, qk, "", "Quốc khánh");
	/* adjacent day: Monday 1/9 when 2/9 is a Tuesday, otherwise 3/9 */
	add_holiday(h, &n, HOLIDAY_CAP, cal_weekday(qk) == 2 ? qk - 1 : qk + 1, "",
		    "Quốc khánh (ngày liền kề)");

	/* compensatory days, in date order so that they chain past each other */
	sort_holidays(h, n);
	int nbase = n;
	for (int i = 0; i < nbase; i++) {
		int w = cal_weekday(h[i].day);
		if (w != 0 && w != 6)
			continue;
		int32_t c = h[i].day + 1;
		while (cal_weekday(c) == 0 || cal_weekday(c) == 6 || holiday_index(h, n, c) >= 0)
			c++;
		add_holiday(h, &n, HOLIDAY_CAP, c, "Nghỉ bù ", h[i].name);
	}
	sort_holidays(h, n);

	if (!out || max <= 0)
		return 0;
	int cnt = n < max ? n : max;
	memcpy(out, h, (size_t)cnt * sizeof *out);
	return cnt;
}
