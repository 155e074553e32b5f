/* province.h - provincial supervision at central (src/province.c): the per-dossier
 * projection central keeps at ingest (c_prov), the province-wide dashboard and the
 * statistics report over it.
 *
 * Why: a provincial supervisor must see, at central, which offices are late and what
 * waits where, and send the province's statistics, without anyone scanning the event
 * log.  Ingest only notes each office's last sync (province_ingest, in the batch's
 * transaction); the projector (province_catch_up) follows central's log by a cursor,
 * out of the ingest path, and every read of the province catches it up first.
 */
#ifndef MOTCUA_PROVINCE_H
#define MOTCUA_PROVINCE_H

#include <stdint.h>
#include "central.h"
#include "report.h"

/* roles that may read the province's dashboard and report at central */
#define PROVINCE_ROLES (ROLE_SUPERVISOR | ROLE_LEADER | ROLE_ADMIN)

/* inside central_put_batch: note the origin office's sync (c_prov_sync), the one
 * part of the projection that must be exact when the batch commits */
int province_ingest(struct central *cen, const struct event *evs, int n, const char (*route)[32], int64_t now,
		    struct err *e);
/* the projector: bring c_prov and its counters up to the head of central's log that
 * a reader may take, from c_meta 'prov_pos', in chunks, each one transaction that also
 * moves the cursor (idempotent after kill -9).  One at a time: on PostgreSQL a second
 * one skips (advisory lock), as does a hot standby.  Every read of the province calls
 * it first; `central project --follow` runs it as a service.  *applied (may be NULL):
 * how many events it read */
int province_catch_up(struct central *cen, int64_t *applied, struct err *e);
/* 0 if account may supervise the province at central (an active user of central's own
 * agency with PROVINCE_ROLES); MC_DENIED naming the account otherwise */
int province_authorize(struct central *cen, const char *account, struct err *e);
/* 1 if account is an administrator of central (may re-route, decide, publish, resend) */
int province_is_admin(struct central *cen, const char *account);

/* the dashboard: one line per office (and field when by_field) */
enum { PD_RECEIVED_TODAY, PD_DUE_TODAY, PD_OVERDUE, PD_OPEN, PD_ONLINE, PD_ACCEPTED, PD_DEPT, PD_PROCESSING,
       PD_SIGNING, PD_SUPPLEMENT, PD_RESULT, PD_COUNT };
const char *province_col_key(int col);   /* "received_today", ... */
struct prov_line {
	char office[32], field[32];
	long v[PD_COUNT];
};
struct prov_sync { char office[32]; char name[256]; int64_t at; };   /* at 0: never synced */
struct prov_oldest { char code[64]; char office[32]; int stage; int64_t accepted_at, orig_due_at; };
struct prov_dash {
	int64_t now;
	struct prov_line *lines; int nlines;
	struct prov_line total;
	struct prov_sync *offices; int noffices;
	struct prov_oldest oldest[10]; int noldest;
};
/* office NULL: the whole province */
int province_dashboard(struct central *cen, const char *office, int by_field, int64_t now, struct prov_dash *d,
		       struct err *e);
void province_dashboard_free(struct prov_dash *d);
/* drill-down: the dossiers behind one number (col, office and field may be NULL) */
typedef int (*prov_code_cb)(const char *code, const char *office, int stage, int64_t due, void *ctx);
int province_list(struct central *cen, int col, const char *office, const char *field, int64_t now, int limit,
		  prov_code_cb cb, void *ctx, struct err *e);
int province_col_parse(const char *s);   /* -1 if unknown */

/* the statistics report (report.h) for the province (office NULL) or one office, over
 * c_prov, classified by report.c's own rules (report_tally) */
int province_report(struct central *cen, const char *office, int64_t from, int64_t to, int64_t now, struct report *r,
		    struct err *e);

/* form II.06a (report.h, REP_BY_KSTT) for the province (office NULL) or one office,
 * field NULL or one field: rows by level and field by report.c's own rules, the level
 * from the competent agency central projects (c_prov.resolver) and central's catalog
 * and offices; with the liên thông dossiers and late parts per agency */
int province_report_kstt(struct central *cen, const char *office, const char *field, int64_t from, int64_t to, int64_t now,
			 struct report *r, struct err *e);

/* II.06a's liên thông annex for r's period (src/province_kstt.c): per agency, the
 * liên thông dossiers whose parts opened in it, of which it led, its parts and the
 * late ones, from central's log (office NULL: the province; else the dossiers that
 * agency led or had a part in); sets r->lt, r->nlt, r->lt_counted */
int province_lienthong(struct central *cen, const char *office, struct report *r, struct err *e);

/* rebuild the projection from central's log (a central that took events before it
 * kept one: run once after upgrading); the projector waits meanwhile and goes on from
 * the head rebuilt from (c_meta 'prov_pos').  *dossiers projected */
int province_rebuild(struct central *cen, int64_t now, int64_t *dossiers, struct err *e);

#endif
