/* report.h - the period statistics report (in the legal report's shape) and the
 * catalog report.
 *
 * Why: supervisors send a statistics report every month, quarter and year, and the
 * provincial inspectors check that its sums add up.  This module owns the rules that put
 * every dossier of the period into exactly one column on each side, so that, in every row
 * and in the totals, as form II.06a counts them (Circular 01/2020/TT-VPCP):
 *
 *   received = carried over + new online + new direct + new postal
 *            = resolved (early + on time + late) + in progress (not yet due + overdue)
 *
 * "Received" means accepted at the one-stop (receipt slip, form 01; status 2 and on).
 * Where the other outcomes go (stated on the report too):
 *   - refused after processing (a negative result, 4 -> 9 -> 10), refused by the one-stop
 *     after acceptance, withdrawn and stopped ones are resolved: they end processing (as
 *     the national 766 engine counts them), early/on time/late by when they ended; the
 *     columns refused / withdrawn / stopped say how many of the resolved ones they are;
 *   - waiting for a supplement while processed: in progress (the clock is stopped; late
 *     only if it was late when the supplement was asked); column supplement says how many;
 *   - never received in the period (status 1, 3, or 5 at intake): outside the identity,
 *     counted apart (online_pending, intake_supplement, refused_at_intake,
 *     withdrawn_at_intake).
 *
 * The period is [from, to) in instants.  A dossier belongs to the period's report when it
 * was received before `to` and was not finished before `from`.  Left side: accepted before
 * `from` -> carried over, else by its channel.  Right side: finished inside the period ->
 * resolved (cal_timeliness of its end against the committed due date orig_due_at, paused
 * time included); otherwise its state at the end of the period (the dossier row when
 * nothing happened to it since, else its events replayed up to the end with
 * dossier_apply), judged at min(to, now).  Satisfaction rate: the share of ratings 4-5
 * among the dossiers resolved in the period that have been returned with a rating.
 *
 * Named periods follow the reporting regime (Decree 09/2019/NĐ-CP Art. 12): a month runs
 * from the 15th of the previous month to the 14th, a quarter from 15/12, 15/03, 15/06 or
 * 15/09, a half-year from 15/12 or 15/06, a year from 15/12 of the previous year to 14/12;
 * calendar periods on request.
 *
 * The store side (store_report.c) only selects rows; the classification lives here.
 */
#ifndef MOTCUA_REPORT_H
#define MOTCUA_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include "core.h"

/* the columns; the X-macro gives the enum, the JSON/CSV keys and the Vietnamese headers */
#define REP_COLUMNS(_) \
	_(CARRIED,      "carried_over",      "Từ kỳ trước chuyển qua") \
	_(NEW_ONLINE,   "new_online",        "Mới tiếp nhận trực tuyến") \
	_(NEW_DIRECT,   "new_direct",        "Mới tiếp nhận trực tiếp") \
	_(NEW_POSTAL,   "new_postal",        "Mới tiếp nhận qua bưu chính") \
	_(RECEIVED,     "received",          "Tổng số hồ sơ tiếp nhận") \
	_(EARLY,        "early",             "Đã giải quyết trước hạn") \
	_(ON_TIME,      "on_time",           "Đã giải quyết đúng hạn") \
	_(LATE,         "late",              "Đã giải quyết quá hạn") \
	_(RESOLVED,     "resolved",          "Tổng số đã giải quyết") \
	_(NOT_DUE,      "not_yet_due",       "Đang giải quyết trong hạn") \
	_(OVERDUE,      "overdue",           "Đang giải quyết quá hạn") \
	_(IN_PROGRESS,  "in_progress",       "Tổng số đang giải quyết") \
	_(SUPPLEMENT,   "supplement",        "Trong đó đang chờ bổ sung hồ sơ") \
	_(REFUSED,      "refused",           "Trong số đã giải quyết: từ chối") \
	_(WITHDRAWN,    "withdrawn",         "Trong số đã giải quyết: rút hồ sơ") \
	_(STOPPED,      "stopped",           "Trong số đã giải quyết: dừng xử lý") \
	_(LATE_APOLOGY, "late_with_apology", "Quá hạn có văn bản xin lỗi") \
	_(LATE_NO_APOLOGY, "late_without_apology", "Quá hạn không có văn bản xin lỗi") \
	_(RATED,        "rated",             "Số đánh giá") \
	_(SATISFIED,    "satisfied",         "Số đánh giá hài lòng (4-5)") \
	_(PENDING,      "online_pending",    "Chưa tiếp nhận: trực tuyến chờ tiếp nhận") \
	_(INTAKE_SUPPL, "intake_supplement", "Chưa tiếp nhận: chờ bổ sung thành phần") \
	_(REFUSED_INTAKE, "refused_at_intake", "Không được tiếp nhận (từ chối tại một cửa)") \
	_(WITHDRAWN_INTAKE, "withdrawn_at_intake", "Rút hồ sơ trước khi được tiếp nhận")

enum rep_col {
#define REP_ENUM(name, key, vi) RC_##name,
	REP_COLUMNS(REP_ENUM)
#undef REP_ENUM
	RC_COUNT
};

const char *report_col_key(int col);   /* "carried_over" ... */

/* REP_BY_KSTT: form II.06a/VPCP/KSTT (Circular 01/2020/TT-VPCP, LAW.md §3.1): rows by
 * level, then by field within the level.  A dossier's level is the competent agency's
 * (its resolver office) when it has one, else its procedure's; a district procedure
 * received from 1 July 2025 on counts at commune level (no district level since the
 * reform; configurable by re-levelling the procedure).  The district rows appear for
 * periods that start before 1 July 2025, and after it only for district dossiers
 * received before the reform and still carried over. */
enum rep_by { REP_BY_FIELD = 1, REP_BY_LEVEL = 2, REP_BY_KSTT = 3 };

struct rep_row {
	char key[32];          /* field code, or "1"/"2"/"3"; II.06a: "L.FIELD" */
	char name[256];        /* field name, or "Cấp tỉnh" ... */
	int level;             /* II.06a: the row's level 1-3 (0: procedure not in the catalog) */
	long v[RC_COUNT];
};

/* liên thông per agency under II.06a: dossiers processed by several agencies and the
 * parts each agency finished late (issue 16 item 3).  report_lienthong fills it. */
struct rep_lt {
	char agency[32];
	char name[256];
	long dossiers, leads, parts, late_parts;  /* dossiers it took part in, of which it led; its parts, of which late */
};

struct report {
	int64_t from, to;      /* [from, to) */
	int calendar;          /* set by the caller (kept by report_stats): 1 calendar period, 0 reporting regime (named periods), -1 dates given */
	int all_offices;       /* set by the caller (kept): every office's dossiers this store holds, not only this office's */
	int64_t as_of;         /* min(to, now): when open dossiers are judged */
	int by;
	char office[256];      /* the office's name, for the title */
	char recipient[256];   /* II.06a: who receives the report (setting report.recipient) */
	char field[32];        /* "" for all fields, else the one field reported */
	struct rep_row *rows;
	int nrows;
	struct rep_row total;
	struct rep_row levels[4]; /* II.06a: each level's subtotal (index = level; 0: not in the catalog) */
	int district;          /* II.06a: the district level is shown (period before 1 July 2025, or carried over) */
	struct rep_lt *lt;     /* II.06a: liên thông per agency (NULL, nlt 0: none counted) */
	int nlt;
	int lt_counted;        /* 1 once a counting function filled lt (even with no rows) */
	long replayed;         /* dossiers whose state at the end was replayed from events */
	long seen;             /* dossiers of the period so far */
	/* optional, set by the caller before report_stats (kept by it): called every
	 * 20,000 dossiers, so that a report over years shows progress */
	void (*progress)(long seen, void *arg);
	void *progress_arg;
};

/* Parse a period: "2024-Q1", "2024-H1", "2024-03", "2024", or from/to dates "YYYY-MM-DD"
 * (to inclusive).  Named periods follow the reporting regime (Decree 09/2019 Art. 12:
 * 2024-03 is 15/02-14/03, 2024-Q1 is 15/12/2023-14/03/2024) unless calendar is 1.
 * Fills [from, to).  Errors (MC_INVALID / MC_USAGE) name the problem: bad date, inverted
 * or empty period. */
int report_period(const char *period, const char *from, const char *to, int calendar, int64_t *p0, int64_t *p1, struct err *e);

/* who may read reports and the dashboard (root without --as too); a department
 * head's dashboard is narrowed to their department (dashboard_scope) */
#define REPORT_ROLES (ROLE_SUPERVISOR | ROLE_LEADER | ROLE_HEAD | ROLE_ADMIN)
/* field_code: NULL for all, else restrict to that field (MC_NOTFOUND if unknown);
 * MC_DENIED for anyone without REPORT_ROLES (core_require) */
int report_stats(struct core *c, int64_t from, int64_t to, int by, const char *field_code,
		 struct report *r, struct err *e);
void report_free(struct report *r);
/* 1 if every row and the total satisfy the identity and the sub-sums (see above) */
int report_check(const struct report *r, char *msg, size_t n);
/* II.06a's column 3-13 of a row (columns 1-2 are the number and the name):
 *   3 = 4 + 5 + 6 received (4 online, 5 in person or by post, 6 carried over);
 *   7 = 8 + 9 + 10 resolved (early, on time, late); 11 = 12 + 13 in progress (not yet
 *   due, overdue); 3 = 7 + 11.  -1 for another column. */
long report_kstt_col(const struct rep_row *row, int col);
/* II.06a's rules, one copy for an office's report and central's (province.h): the
 * level a dossier counts at from its competent agency's level (0: none or unknown),
 * its procedure's level and when it was received; the row of (level, field) in r,
 * added on first use (level 0: the row of procedures missing from the catalog; -1
 * out of memory).  report_finish orders the rows and sums the levels when r->by is
 * REP_BY_KSTT. */
int report_kstt_level(int resolver_level, int proc_level, int64_t received_at);
int report_kstt_row(struct report *r, int level, const char *field_code, const char *field_name);
/* the level's name on II.06a ("Cấp tỉnh", "Cấp huyện", "Cấp xã") */
const char *report_level_name(int level, int before_reform);
/* liên thông in II.06a: the liên thông dossiers and parts (late ones too) per agency
 * for the period of r (lt_report, lienthong.h) into r->lt / r->nlt; sets r->lt_counted */
int report_lienthong(struct core *c, struct report *r, struct err *e);
void report_kstt_text(const struct report *r, FILE *f);
void report_kstt_csv(const struct report *r, FILE *f);
/* satisfaction rate in percent (-1 if nobody rated) */
double report_satisfaction(const struct rep_row *row);

/* output; the text and CSV are UTF-8, the caller converts (charset.h) */
void report_text(const struct report *r, FILE *f);
void report_csv(const struct report *r, FILE *f);
char *report_json(const struct report *r);     /* JSON text, caller frees */

/* ---- catalog report ---- */
struct cat_row {
	int level;             /* 1..3 */
	char field_code[32];   /* "" for the level's subtotal and the grand total */
	char field_name[256];
	int procedures, fields;
	double statutory_days, committed_days; /* direct filing; hours count as 1/8 day */
};
struct catalog_report {
	struct cat_row *rows;  /* per level: one row per field then the level's subtotal */
	int nrows;
	struct cat_row total;  /* level 0 */
};
int report_catalog(struct core *c, struct catalog_report *r, struct err *e);
void report_catalog_free(struct catalog_report *r);
double report_reduction(const struct cat_row *row);  /* percent, e.g. -55.54 */
void report_catalog_text(const struct catalog_report *r, FILE *f);
void report_catalog_csv(const struct catalog_report *r, FILE *f);
char *report_catalog_json(const struct catalog_report *r);

/* ---- store side (store_report.c) ---- */

/* the columns of a dossier the report and the dashboard need */
struct rep_item {
	int64_t id;
	char code[CODE_LEN];
	int64_t procedure_id, office_id, dept_id, assignee_id;
	int channel, stage, apology, rating, decision;
	int64_t received_at, accepted_at, due_at, orig_due_at, resolved_at, returned_at;
	int64_t stage_since, paused_at, last_at;
	int64_t resolver_id;   /* the competent agency since 1 July 2025 (org.h), 0: the office */
};
typedef int (*rep_item_cb)(const struct rep_item *it, void *ctx);

/* the same rules for dossiers another source selects (central's projection,
 * province.h): start an empty report, add rows (index of the row with key, added in
 * key order if new; -1 out of memory), tally dossiers whose fields give their state
 * at the period's end (last_at < to: nothing is replayed here), then sum and check */
void report_start(struct report *r, int64_t from, int64_t to, int64_t now, const char *office);
int report_row(struct report *r, const char *key, const char *name);
void report_tally(struct report *r, int row, const struct rep_item *it, long n);   /* n dossiers alike */
int report_finish(struct report *r, struct err *e);

/* Every dossier of office_id (0: every office in the store) that belongs to the period
 * [p0, p1): received in it, or received before it and finished at or after p0 (or
 * never).  Each exactly once. */
int store_report_period(struct store *st, int64_t office_id, int64_t p0, int64_t p1, rep_item_cb cb, void *ctx);
/* procedures of the catalog, active or not: id -> level, field */
struct rep_proc {
	int64_t id, field_id; int level; char field_code[32]; char field_name[256];
	int64_t since;          /* when its first version came into force (0: always) */
};
typedef int (*rep_proc_cb)(const struct rep_proc *p, void *ctx);
int store_report_procs(struct store *st, rep_proc_cb cb, void *ctx);
/* open dossiers of an office (stage < 90), for the dashboard */
int store_report_open(struct store *st, int64_t office_id, rep_item_cb cb, void *ctx);
/* dossiers of an office received in [a, b), by receipt time */
int store_report_received(struct store *st, int64_t office_id, int64_t a, int64_t b, rep_item_cb cb, void *ctx);
/* the same for the register since 1 July 2025: what office_id received, wherever it is now */
int store_report_received_here(struct store *st, int64_t office_id, int64_t a, int64_t b, rep_item_cb cb, void *ctx);
/* a number that changes whenever any dossier changes (the last event's seq) */
int64_t store_report_stamp(struct store *st);

#endif
