/* store_lienthong.h - rows of liên thông (db/0016_lienthong.sql): the procedure's
 * participating agencies and flow, and each dossier's parts.  Only src/lienthong.c
 * calls these. */
#ifndef MOTCUA_STORE_LIENTHONG_H
#define MOTCUA_STORE_LIENTHONG_H

#include <jansson.h>
#include "lienthong.h"
#include "store.h"

int store_lt_agency_set(struct store *st, int64_t procedure_id, int64_t office_id, const char *task, int days, int order,
			int lead, int add, struct err *e);
int store_lt_flow_set(struct store *st, int64_t procedure_id, const char *flow, struct err *e);
/* the flow into buf ("" when none); 0 */
int store_lt_flow(struct store *st, int64_t procedure_id, char *buf, size_t n);
/* the agencies in order (order, then agency code) */
int store_lt_agencies(struct store *st, int64_t procedure_id,
		      int (*cb)(const char *agency, int64_t office_id, const char *task, int days, int order, int lead, void *ctx),
		      void *ctx);
/* replace the dossier's parts */
int store_lt_parts_put(struct store *st, int64_t dossier_id, const struct lt_parts *p, struct err *e);
/* how many parts the dossier has, how many of them are not handed back, and how many
 * participating agencies besides a lead its procedure declares (one read) */
int store_lt_parts_count(struct store *st, int64_t dossier_id, int64_t procedure_id, int *open, int *agencies);
/* parts at office_id (0: all), open ones (all: every one), by deadline */
int store_lt_parts_each(struct store *st, int64_t office_id, int all,
			int (*cb)(const char *code, const struct lt_part *p, void *ctx), void *ctx);
/* parts of dossiers whose parts opened in [from, to) (any part's opened_at), with the
 * dossier's code and the lead (its resolver, or the office holding it) */
int store_lt_parts_between(struct store *st, int64_t from, int64_t to,
			   int (*cb)(const char *code, const char *lead, const struct lt_part *p, void *ctx), void *ctx);

/* reference sync (central publish): one "lienthong" row per procedure with agencies or a
 * flow: {procedure, flow, agencies: [{agency, task, days, order, lead}]}; applying one
 * replaces that procedure's configuration */
int store_lt_ref_each(struct store *st, int (*cb)(const char *, const char *, json_t *, void *), void *ctx);
int store_lt_ref_apply(struct store *st, json_t *doc, struct err *e);

#endif
