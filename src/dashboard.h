/* dashboard.h - today's queues for supervisors and department heads.
 *
 * Why: a supervisor opens one screen in the morning and must see at once what arrived
 * today, what falls due today, what is overdue, what falls due in the next N working
 * days, and where dossiers wait: at each step, in each department, with each person,
 * with the oldest items first.  Every number has the list of dossiers behind it
 * (drill-down).
 *
 * One query reads the office's open dossiers (plus today's receipts); everything else is
 * computed in memory.  dashboard_stale() tells a screen whether anything changed (the
 * last event's seq: O(1)) so that a refresh re-runs the query only when needed; when
 * only the clock moved, dashboard_classify() re-sorts the same rows without SQL.
 * Overdue follows the core rule (core_timeliness: the committed due date, a paused
 * dossier judged when it was paused); "due today" and "due within N working days" look
 * at the current appointment (due_at), which an extension with apology moves.
 *
 * Scope follows the acting user's role (dashboard_scope): a supervisor, leader or
 * administrator (or root without --as) sees the whole office; a department head who
 * holds none of those roles sees only the dossiers at their own department (every
 * number, step, person and list); anyone else is refused (REPORT_ROLES, checked by
 * dashboard_load itself).  The CLI and the screen both call dashboard_load, so they
 * cannot disagree.
 */
#ifndef MOTCUA_DASHBOARD_H
#define MOTCUA_DASHBOARD_H

#include <stdio.h>
#include "core.h"
#include "report.h"

#define DASH_WITHIN_DEFAULT 3   /* working days; setting 'dashboard.within' overrides */

enum dash_list {
	DL_RECEIVED_TODAY = 1, DL_DUE_TODAY, DL_OVERDUE, DL_DUE_SOON,
	DL_STAGE,       /* key: stage */
	DL_DEPT,        /* key: department id */
	DL_PERSON,      /* key: user id (the assigned specialist) */
};

/* one number of the dashboard and the dossiers behind it */
struct dash_entry {
	int list;
	int64_t key;
	char label[256];        /* English, stable for --json */
	char text[256];         /* the label in the reader's language */
	int count, overdue;
	int *items;             /* indexes into dashboard.items, oldest first */
	int64_t oldest_since;   /* how long the oldest has waited (instant), 0 if none */
};

struct dashboard {
	int64_t now, day_start, day_end, soon_until;
	int within;
	int64_t stamp;          /* store_report_stamp at load */
	int64_t office_id;
	int64_t dept_id;        /* 0: the whole office; else only this department's dossiers */
	char dept_code[32], dept_name[256];
	struct rep_item *items; /* open dossiers, then today's finished receipts */
	int nitems;
	struct dash_entry *v;   /* 4 headline numbers, then stages, departments, people */
	int n;
	int open;               /* open dossiers */
	int cal_warn;           /* from 1 October: next year while its calendar is provisional (holidays.h) */
};

/* the department the actor's dashboard is limited to (0: the whole office), or -1
 * with e set (MC_DENIED) for a department head who has no department */
int64_t dashboard_scope(const struct core *c, struct err *e);
/* within < 0: the setting 'dashboard.within' or DASH_WITHIN_DEFAULT */
int dashboard_load(struct core *c, int within, struct dashboard *d, struct err *e);
/* recompute the numbers from the rows in memory at core_now (no SQL) */
int dashboard_classify(struct core *c, struct dashboard *d, struct err *e);
void dashboard_free(struct dashboard *d);
/* 2: the store changed (reload); 1: only the minute changed (classify); 0: nothing */
int dashboard_stale(struct core *c, const struct dashboard *d);
/* the entry of a list/key, or NULL */
const struct dash_entry *dashboard_find(const struct dashboard *d, int list, int64_t key);

void dashboard_text(const struct dashboard *d, FILE *f, int oldest);
char *dashboard_json(const struct dashboard *d, int oldest); /* caller frees */

#endif
