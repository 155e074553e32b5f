/* fees_counter.h - fees paid at the receiving desk for a dossier another office holds.
 *
 * Why: since 1 July 2025 (Decree 118/2025) a service centre receives dossiers whatever
 * the administrative boundary, and the dossier goes at once to the competent agency's
 * office; central takes a dossier's steps only from the office it is routed to.  The
 * applicant pays the fees (phí, lệ phí) when submitting in most procedures, at the desk
 * that received the dossier, which no longer holds it.  So the desk writes the payment
 * on a small chain of its own, as a liên thông part travels (lienthong.h): the receipt
 * chain PARENT-F1, filed for the receiving office (its first event "received" with
 * "fee_of": the parent's code), whose events are fee_paid and fee_refunded with the
 * lines paid, the amount, the receipt number of the desk's own series, the method and
 * the clerk.  Central accepts it from that office and delivers it to the office holding
 * the dossier (src/central.c); the holding office counts what the chain paid as paid
 * (fee_counter_paid), once, and the money stays counted at the office that took it
 * (the chain's events are that office's).
 *
 * This module owns the chain's code, its opening together with the first payment (one
 * transaction), the rules of a payment at the desk (whole fee lines, each paid once)
 * and the parent's projection of it.  A refund of a payment taken at the desk is
 * written on the chain, by the desk's office, under the rules of fees_refund.
 */
#ifndef MOTCUA_FEES_COUNTER_H
#define MOTCUA_FEES_COUNTER_H

#include "core.h"
#include "fees.h"

#define FEES_COUNTER_SUFFIX "-F1"

/* the receipt chain's code of dossier parent into out (0; MC_INVALID if too long) */
int fees_counter_code(const char *parent, char *out, size_t n);
/* 1 if code is a receipt chain's code, its dossier's code into parent */
int fees_counter_parent(const char *code, char parent[CODE_LEN]);
/* 1 if this store holds d's receipt chain, filed for the office that received d (the
 * only one that counts), its code into fc */
int fees_counter_of(struct core *c, const struct dossier *d, char fc[CODE_LEN]);
/* d->fee_counter_*: what d's receipt chain in this store paid and refunded (zeros when
 * there is none; only a dossier of the 2025 model with fees has one) */
void fees_counter_load(struct store *st, struct dossier *d);
/* 1 if the acting user's office received d and another office holds it now: a payment
 * there goes on the receipt chain */
int fees_counter_here(const struct core *c, const struct dossier *d);
/* record a payment at the receiving desk: the fee lines whose bit is set in lines (bit
 * n-1: line n; 0: every line not paid at the desk yet), amount 0 or what they come to;
 * the chain opened with it when it is the first */
int fees_counter_pay(struct core *c, const char *code, int method, unsigned lines, int64_t amount, const char *ref,
		     struct fee_entry *out, struct err *e);
/* the holding row of dossier parent recomputed after its receipt chain changed (its
 * national status: 6 while it owes); nothing when this store does not hold it */
int fees_counter_refresh(struct core *c, const char *parent, struct err *e);

#endif
