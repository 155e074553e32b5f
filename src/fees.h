/* fees.h - fees and their payment: a procedure's fee lines (phí, lệ phí), the copy a
 * dossier takes when it is accepted, payments (cash, bank transfer, online through the
 * national payment platform), numbered receipts (biên lai) and refunds.
 *
 * Why: a fee was only a number printed on the receipt; the national portal wants status
 * 6 ("Yêu cầu thực hiện nghĩa vụ tài chính") while a dossier owes its fees, and the
 * cashier needs a receipt number series that is never reused.  This module owns the
 * rules: which dossier owes what and from which stage, who may record a payment or a
 * refund, the receipt numbers and the fees' report.  A payment and a refund are each
 * one event (fee_paid, fee_refunded) written with the dossier's projection in one
 * transaction, so they sync like every other step.
 */
#ifndef MOTCUA_FEES_H
#define MOTCUA_FEES_H

#include <jansson.h>
#include <stdint.h>
#include "core.h"
#include "strbuf.h"

#define FEE_LINES_MAX 8
#define FEE_NAME_MAX_CHARS 100
#define FEE_REF_MAX_CHARS 60
#define FEE_AMOUNT_MAX 10000000000LL /* đồng, one line: sums of lines never overflow */

struct fee_line {
	char kind[8];          /* "phi" (phí) or "le_phi" (lệ phí) */
	char name[FEE_NAME_MAX_CHARS * 4 + 1];
	int64_t amount;        /* đồng */
};

enum fee_method { FM_CASH = 1, FM_TRANSFER = 2, FM_ONLINE = 3 };

/* "KIND:AMOUNT:NAME" (KIND phi or le_phi, AMOUNT whole đồng) into *l */
int fees_parse_line(const char *s, struct fee_line *l, struct err *e);
/* lines separated by '|' (the catalog CSV's fees column); "" gives none */
int fees_parse_lines(const char *s, struct fee_line *l, int max, int *n, struct err *e);
/* "receive" or "result": the step at which payment is asked; 0 or MC_INVALID */
int fees_step_ok(const char *step, struct err *e);
const char *fees_kind_label(const char *kind);     /* translated: "phí" / "lệ phí" */
const char *fees_method_name(int method);          /* "cash", "transfer", "online" */
int fees_method_parse(const char *s);              /* 0 if unknown */
const char *fees_method_label(const char *name);   /* translated */

/* a procedure's lines and step (administrator; n 0 removes them) */
int fees_lines_set(struct core *c, const char *proc_code, const struct fee_line *l, int n, const char *step, struct err *e);
int fees_lines_get(struct core *c, const char *proc_code, struct fee_line *l, int max, int *n, char *step, size_t sn,
		   struct err *e);
/* the same inside the caller's transaction, for the catalog import */
int fees_lines_put(struct store *st, int64_t proc_id, const struct fee_line *l, int n, const char *step, struct err *e);

/* the dossier's copy of its procedure's lines, added to an accepting event's payload
 * ("fees": [...], "fee_stage": N); nothing when the procedure has none */
void fees_snapshot(struct store *st, int64_t proc_id, json_t *payload);
/* what an event does to d's fees (the projection; dossier.c calls it for every event) */
void fees_apply(struct dossier *d, const char *kind, json_t *payload);
/* the national status of d: 6 while it owes fees from its payment stage on, else its
 * stage's status (model.h) */
int fees_status(const struct dossier *d);
/* what d still owes (0: nothing) */
int64_t fees_owed(const struct dossier *d);

/* a payment or refund of a dossier, as its event says */
struct fee_entry {
	char kind[16];         /* "fee_paid" or "fee_refunded" */
	char method[12];       /* payments: cash, transfer, online */
	int64_t amount;
	char receipt[64];      /* its receipt number ("" for online: the platform's e-receipt) */
	char ref[FEE_REF_MAX_CHARS * 4 + 1]; /* bank transfer reference or MaThamChieu */
	char refund_of[64];    /* refunds: the payment's receipt number (or reference) */
	char reason[NOTE_MAX_CHARS * 4 + 1];
	int64_t at;
	char actor[ACCOUNT_LEN];
	int dseq;
	char office[32];       /* the office that took (or refunded) the money: the event's origin */
	unsigned lines;        /* a payment at the receiving desk: the fee lines it paid (bit n-1: line n) */
	int counter;           /* 1: on the dossier's receipt chain (fees_counter.h) */
};
typedef int (*fee_entry_cb)(const struct fee_entry *f, void *ctx);

/* record a payment (clerk of the dossier's office; amount at most what is owed):
 * method FM_CASH, FM_TRANSFER (ref: the bank's reference, required) or FM_ONLINE (ref:
 * the platform's MaThamChieu, required); *out the entry written (receipt number) */
int fees_pay(struct core *c, const char *code, int method, int64_t amount, const char *ref, struct fee_entry *out,
	     struct err *e);
/* an online payment through the national payment platform: transaction ref (the
 * MaThamChieu `portal pay` gave) must be confirmed paid at central (central_url, or the
 * office's setting central.url) for this dossier; its amount is recorded */
int fees_pay_online(struct core *c, const char *code, const char *central_url, const char *ref, struct fee_entry *out,
		    struct err *e);
/* refund (leader or supervisor of the dossier's office) part or all of one payment,
 * named by its receipt number (or, for online ones, its reference), with a reason */
int fees_refund(struct core *c, const char *code, const char *of, int64_t amount, const char *reason, struct fee_entry *out,
		struct err *e);
/* the dossier's payments and refunds in order */
int fees_entries(struct core *c, const char *code, fee_entry_cb cb, void *ctx, struct err *e);
/* the office's dossiers that owe fees, and those it received that another office holds
 * (paid at its receiving desk, fees_counter.h) (clerks, supervisors, leaders) */
int fees_due_list(struct core *c, dossier_cb cb, void *ctx, struct err *e);
/* the printable receipt (biên lai) of the entry with this receipt number (or reference) */
int fees_receipt_text(struct core *c, const char *code, const char *receipt, struct strbuf *out, struct err *e);

/* for fees_counter.c: the next receipt number of office_id's series (inside the
 * caller's transaction); the dossier's copy of its fee lines (a new reference, NULL if
 * none); each payment and refund on one code's own events (no chain's), in order */
int fees_receipt_take(struct core *c, int64_t office_id, char *buf, size_t n, struct err *e);
json_t *fees_lines_copy(struct core *c, const char *code);
int fees_walk(struct core *c, const char *code, fee_entry_cb cb, void *ctx);
/* 1 if a payment with reference ref is recorded on dossier code or on other (its
 * receipt chain; NULL or "": none) */
int fees_ref_recorded(struct core *c, const char *code, const char *other, const char *ref);

/* fees collected and refunded per field in a period */
struct fees_row {
	char field_code[32];
	char field_name[256];
	int64_t cash, transfer, online, collected, refunded, net, dossiers;
};
typedef int (*fees_report_cb)(const struct fees_row *r, void *ctx);
/* the rows for events in [from, to), then a "total" row (field_code "") */
int fees_report(struct core *c, int64_t from, int64_t to, fees_report_cb cb, void *ctx, struct err *e);
/* the same for the money one office (agency code; NULL: every office) took: a payment
 * counts at the office that took it, also one taken at the receiving desk */
int fees_report_at(struct core *c, const char *office, int64_t from, int64_t to, fees_report_cb cb, void *ctx,
		   struct err *e);

/* the fees' section of the statistics report (Vietnamese text, 80 columns; the
 * caller checked the reader's role): malloc'd, NULL when nothing was collected or
 * refunded in [from, to) */
char *fees_report_section(struct core *c, int64_t from, int64_t to);

#endif
