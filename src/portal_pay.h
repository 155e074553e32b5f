/* portal_pay.h - fees paid online through the national payment platform.
 *
 * Why: the platform (PaymentPlatform) takes the citizen's payment and calls back with
 * the result; every message is signed with MaXacThuc, the lowercase hex SHA-256 of
 * its fields joined with '|' and the shared secret.  One real system accepts the
 * callback without checking it; here a callback whose MaXacThuc does not match is
 * refused, logged (c_payment_log) and changes nothing.  This module owns INIT, the
 * callback (confirm) and the payments' rows at central (c_payments).
 */
#ifndef MOTCUA_PORTAL_PAY_H
#define MOTCUA_PORTAL_PAY_H

#include <stdint.h>
#include "central.h"
#include "err.h"
#include "portal_http.h"

/* MaXacThuc of fields[0..n) and the secret into out (65 bytes) */
void portal_pay_sign(const char *const *fields, int n, const char *secret, char out[65]);
/* INIT: a payment of amount VND for dossier code; ref (MaThamChieu) and the URL to
 * send the citizen to; the row is written before the platform is asked */
int portal_pay_init(struct central *cen, struct portal_http *h, const struct portal_conf *conf, const char *code,
		    int64_t amount, int64_t now, char *ref, size_t rn, char *url, size_t un, struct err *e);
/* the platform's callback (body: its JSON); *reply the answer to send back (malloc'd).
 * 0 applied (or already applied), MC_DENIED refused (bad MaXacThuc, unknown
 * transaction, another partner or amount: logged, nothing changed) */
int portal_pay_confirm(struct central *cen, const struct portal_conf *conf, const char *body, int64_t now, char **reply,
		       struct err *e);

/* QUERY: ask the platform how transaction ref stands; a signed answer that it was paid
 * (TrangThaiGD 1) or failed (4) is applied as its callback would be; *state the
 * transaction's state after (khoi-tao, thanh-cong, that-bai).  MC_DENIED when the
 * answer's MaXacThuc, partner, reference or amount is wrong: logged, nothing changed */
int portal_pay_query(struct central *cen, struct portal_http *h, const struct portal_conf *conf, const char *ref, int64_t now,
		     char *state, size_t sn, struct err *e);
/* QUERY every transaction still waiting that began between 3 days and 30 minutes
 * before now (the poller `portal run` and `portal pay-query --all` run) */
int portal_pay_query_pending(struct central *cen, struct portal_http *h, const struct portal_conf *conf, int64_t now,
			     int64_t *paid, int64_t *failed, int64_t *pending, struct err *e);
/* GET_BILL: the address of a paid transaction's e-receipt (UrlBienLai) */
int portal_pay_bill(struct central *cen, struct portal_http *h, const struct portal_conf *conf, const char *ref, int64_t now,
		    char *url, size_t un, struct err *e);
/* an office's check before it records an online payment: transaction ref is for
 * dossier code and confirmed paid (thanh-cong); *amount what was paid */
int portal_pay_paid(struct central *cen, const char *ref, const char *code, int64_t *amount, struct err *e);

#endif
