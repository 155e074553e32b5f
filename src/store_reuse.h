/* store_reuse.h - the rows reuse (src/reuse.c) and the digitisation indicators
 * (src/report_digital.c) read: earlier `attached` events of an applicant, by ID number
 * (index dossiers_idno, db/0020_reuse.sql), and per dossier of a period which of its
 * components have files, which were reused, and whether it has a result document.
 * Only selects; the rules are the callers'.
 */
#ifndef MOTCUA_STORE_REUSE_H
#define MOTCUA_STORE_REUSE_H

#include <stdint.h>
#include "store.h"

/* one earlier `attached` event with its dossier's applicant and the name its
 * procedure gives the component */
struct store_reuse_row {
	char event_id[32];
	char code[CODE_LEN];
	char origin[32];
	int64_t at;
	int applicant_kind;
	char idno[32];
	char component_name[400];   /* "" when the component is not in the procedure */
	char payload[2048];
};
typedef int (*store_reuse_cb)(const struct store_reuse_row *r, void *ctx);

/* every `attached` event of the dossiers of applicant idno (other than dossier
 * exclude, may be NULL), newest first */
int store_reuse_each(struct store *st, const char *idno, const char *exclude, store_reuse_cb cb, void *ctx);
/* one `attached` event by its id: 0, or MC_NOTFOUND */
int store_reuse_source(struct store *st, const char *event_id, struct store_reuse_row *out);

/* the digitisation facts of one dossier accepted in a period, as at the period's end */
struct store_digital_row {
	char code[CODE_LEN];
	char field_code[32];
	char field_name[256];
	uint32_t components;        /* received (bit n-1: component n) */
	uint32_t filed;             /* components with a file attached before the end */
	uint32_t reused;            /* components with a reused file attached before the end */
	int result_file;            /* a result document attached before the end */
	int signed_result;          /* the leader signed before the end */
};
typedef int (*store_digital_cb)(const struct store_digital_row *r, void *ctx);
/* every dossier of office_id accepted in [p0, p1), in field then code order */
int store_digital_each(struct store *st, int64_t office_id, int64_t p0, int64_t p1, store_digital_cb cb, void *ctx);

#endif
