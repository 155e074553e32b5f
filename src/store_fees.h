/* store_fees.h - the store's part of fees (see fees.h and db/0017_fees.sql). */
#ifndef MOTCUA_STORE_FEES_H
#define MOTCUA_STORE_FEES_H

#include <stddef.h>
#include <stdint.h>
#include "core.h"
#include "err.h"
#include "fees.h"
#include "store.h"

/* a dossier's fee projection (dossier_fees) into d->fee_*: zeros when it has none */
void store_fees_load(struct store *st, struct dossier *d);
/* save d->fee_* (nothing for a dossier without fees) */
int store_fees_save(struct store *st, const struct dossier *d, struct err *e);
/* a procedure's fee lines (at most max) and the step payment is asked at ("receive"
 * when none is set); *n the number of lines */
int store_fee_lines_get(struct store *st, int64_t proc_id, struct fee_line *l, int max, int *n, char *step, size_t sn);
/* replace them */
int store_fee_lines_set(struct store *st, int64_t proc_id, const struct fee_line *l, int n, const char *step, struct err *e);
/* the next receipt number of office's series for year (inside the caller's transaction),
 * above every number with this prefix ("AGENCY-BLyyyy-") already in the event log */
int store_receipt_next(struct store *st, int64_t office_id, int year, const char *prefix, int64_t *n, struct err *e);
/* the office's dossiers that owe fees, and those it received that another office
 * holds, oldest first */
int store_fee_due_list(struct store *st, int64_t office_id, dossier_cb cb, void *ctx);
/* what the receipt chain `chain` (fees_counter.h) filed for office_id (the office that
 * received its dossier) paid and refunded: zeros when the store holds no such chain (0,
 * or MC_STORE) */
int store_fees_counter_get(struct store *st, const char *chain, int64_t office_id, int64_t *paid, int64_t *refunded);
/* the same report, only the money office (agency code; NULL: every office) took; with
 * office NULL and own (this store's office) given, a receipt chain's money (fees_counter.h)
 * counts only if own took it: another desk's chain delivered here is that desk's money */
int store_fee_report_at(struct store *st, const char *office, const char *own, int64_t from, int64_t to, fees_report_cb cb,
			void *ctx, struct err *e);
/* fees collected and refunded per field for events in [from, to) */
int store_fee_report(struct store *st, int64_t from, int64_t to, fees_report_cb cb, void *ctx, struct err *e);

/* central's reference data: a procedure's lines added to its published document (only
 * when its fees were ever set), and applied at the office from it ("fees" absent: kept) */
void store_fees_ref_add(struct store *st, int64_t proc_id, json_t *doc);
int store_fees_ref_apply(struct store *st, const char *code, json_t *doc, struct err *e);

#endif
