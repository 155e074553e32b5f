/* central_reuse.h - central's side of reuse through the province (src/reuse_central.c):
 * the `attached` events of the dossiers whose `received` event names one applicant
 * (kind and ID number), whose bytes central holds complete.
 *
 * Why apart from central_ops: a read for one applicant only, outside the log's
 * batches, asked by an office when a dossier is received.  It takes the ID number
 * and never lists applicants: what may be asked and by whom is checked in
 * src/reuse_central.c.  Two implementations: src/central_sqlite_reuse.c and
 * src/central_pg_reuse.c (index c_events_applicant, db/central/).
 */
#ifndef MOTCUA_CENTRAL_REUSE_H
#define MOTCUA_CENTRAL_REUSE_H

#include <stdint.h>
#include "central.h"

#define CENTRAL_REUSE_MAX 200   /* rows read at most per applicant */

struct central_reuse_row {
	char event_id[32];
	char code[CODE_LEN];
	char origin[32];            /* the office that attached it */
	int64_t at;
	char procedure[32];         /* of its dossier, from the `received` event */
	char payload[2048];         /* the `attached` event's */
};
typedef int (*central_reuse_cb)(const struct central_reuse_row *r, void *ctx);

/* newest first; 0, or an error (MC_VERSION: central has no file tables) */
int central_reuse_each(struct central *c, int kind, const char *idno, central_reuse_cb cb, void *ctx, struct err *e);
int central_sqlite_reuse_each(struct central *c, int kind, const char *idno, central_reuse_cb cb, void *ctx, struct err *e);
int central_pg_reuse_each(struct central *c, int kind, const char *idno, central_reuse_cb cb, void *ctx, struct err *e);

#endif
