/* portal_pay.c - INIT and the signed callback of the national payment platform (see
 * portal_pay.h).
 */
#include <libintl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "portal.h"
#include "portal_pay.h"

void portal_pay_sign(const char *const *fields, int n, const char *secret, char out[65])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[32];
	unsigned int len = 0;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	for (int i = 0; i < n; i++) {
		EVP_DigestUpdate(md, fields[i] ? fields[i] : "", strlen(fields[i] ? fields[i] : ""));
		EVP_DigestUpdate(md, "|", 1);
	}
	EVP_DigestUpdate(md, secret, strlen(secret));
	EVP_DigestFinal_ex(md, d, &len);
	EVP_MD_CTX_free(md);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void ymdhms(int64_t t, char out[16])
{
	time_t x = (time_t)(t + 7 * 3600);
	struct tm tm;
	gmtime_r(&x, &tm);
	strftime(out, 16, "%Y%m%d%H%M%S", &tm); /* 24-hour clock (one system used hh) */
}

static void log_callback(struct central *cen, int64_t now, const char *ref, int ok, const char *reason, const char *body)
{
	char at[24], okb[4];
	snprintf(at, sizeof at, "%lld", (long long)now);
	snprintf(okb, sizeof okb, "%d", ok);
	const char *p[] = {at, ref, okb, reason, body};
	portal_query(cen, "INSERT INTO c_payment_log(at, ref, ok, reason, body) VALUES ($1, $2, $3, $4, $5)", p, 5, NULL, NULL,
		     &(struct err){0});
}

int portal_pay_init(struct central *cen, struct portal_http *h, const struct portal_conf *conf, const char *code,
		    int64_t amount, int64_t now, char *ref, size_t rn, char *url, size_t un, struct err *e)
{
	if (!conf->pay_url[0] || !conf->pay_partner[0] || !conf->pay_secret[0])
		return err_set(e, MC_INVALID, "the portal configuration has no payment platform: set pay_url, pay_partner and pay_secret");
	if (amount <= 0)
		return err_set(e, MC_INVALID, "the amount must be a positive number of dong");
	char t[16], compact[CODE_LEN] = "", sotien[24], info[128];
	ymdhms(now, t);
	size_t k = 0;
	for (const char *c = code; *c && k + 1 < sizeof compact; c++)
		if ((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z'))
			compact[k++] = *c;
	compact[k] = 0;
	snprintf(ref, rn, "dvc%s%s", compact, t + 2);
	snprintf(sotien, sizeof sotien, "%lld", (long long)amount);
	snprintf(info, sizeof info, "THANH TOAN HO SO %s", code);
	char at[24];
	snprintf(at, sizeof at, "%lld", (long long)now);
	const char *row[] = {ref, code, sotien, at};
	if (portal_query(cen, "INSERT INTO c_payments(ref, code, amount, state, created_at) VALUES ($1, $2, $3, 'khoi-tao', $4)",
			 row, 4, NULL, NULL, e))
		return e->code;
	const char *f[] = {"INIT", "1.0.6", conf->pay_partner, ref, sotien, "PAY", "1", "1", "vi-VN", "VND", "PAYMENT", info, t,
			   conf->pay_ip[0] ? conf->pay_ip : "127.0.0.1"};
	char sig[65];
	portal_pay_sign(f, 14, conf->pay_secret, sig);
	static const char *K[] = {"LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan",
				  "MaKenhThanhToan", "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich",
				  "ThoiGianGD", "Ip"};
	json_t *b = json_object();
	for (int i = 0; i < 14; i++)
		json_object_set_new(b, K[i], json_string(f[i]));
	json_object_set_new(b, "ThongTinBienLai", json_pack("{s:s, s:s}", "MaDichVu", "2", "MaHoSo", code));
	json_object_set_new(b, "MaXacThuc", json_string(sig));
	json_t *r = NULL;
	char msg[300];
	int rc = portal_http_post_json(h, conf->pay_url, b, &r, msg, sizeof msg);
	json_decref(b);
	if (rc) {
		json_decref(r);
		return err_set(e, MC_IO, "the payment platform did not take the payment of %s: %s", code, msg);
	}
	const char *ml = json_string_value(json_object_get(r, "MaLoi")), *u = json_string_value(json_object_get(r, "UrlThanhToan"));
	if (!ml || strcmp(ml, "00") || !u) {
		rc = err_set(e, MC_IO, "the payment platform refused the payment of %s (MaLoi %s)", code, ml ? ml : "?");
		json_decref(r);
		return rc;
	}
	snprintf(url, un, "%s", u);
	json_decref(r);
	return 0;
}

static int one_row(int nc, const char *const *v, void *ctx)
{
	char (*out)[64] = ctx;
	for (int i = 0; i < nc && i < 3; i++)
		snprintf(out[i], 64, "%s", v[i] ? v[i] : "");
	return 1;
}

static char *answer(const struct portal_conf *conf, const char *maloi, const char *ref, const char *t)
{
	const char *f[] = {maloi, conf->pay_partner, ref, t};
	char sig[65];
	portal_pay_sign(f, 4, conf->pay_secret, sig);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "MaLoi", maloi, "MoTaLoi",
			      !strcmp(maloi, "00") ? "Thành công" : "Các lỗi khác", "MaDoiTac", conf->pay_partner, "MaThamChieu",
			      ref, "ThoiGianGD", t, "MaXacThuc", sig);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return s;
}

int portal_pay_confirm(struct central *cen, const struct portal_conf *conf, const char *body, int64_t now, char **reply,
		       struct err *e)
{
	*reply = NULL;
	json_t *j = json_loads(body ? body : "", 0, NULL);
	static const char *K[] = {"LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich",
				  "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich"};
	char v[10][256], why[200] = "";
	for (int i = 0; i < 10; i++) {
		json_t *x = json_object_get(j, K[i]);
		if (json_is_integer(x)) /* SoTien comes as a number */
			snprintf(v[i], sizeof v[i], "%lld", (long long)json_integer_value(x));
		else
			snprintf(v[i], sizeof v[i], "%s", json_is_string(x) ? json_string_value(x) : "");
	}
	const char *given = json_string_value(json_object_get(j, "MaXacThuc"));
	const char *f[10];
	for (int i = 0; i < 10; i++)
		f[i] = v[i];
	char sig[65];
	portal_pay_sign(f, 10, conf->pay_secret, sig);
	unsigned diff = !given || strlen(given) != 64;
	for (int i = 0; !diff && i < 64; i++)
		diff |= (unsigned)(sig[i] ^ given[i]);
	char row[3][64] = {"", "", ""};
	if (!j)
		snprintf(why, sizeof why, "%s", gettext("the callback is not JSON"));
	else if (diff)
		snprintf(why, sizeof why, "%s", gettext("MaXacThuc does not match: the callback is not from the payment platform"));
	else if (strcmp(v[2], conf->pay_partner))
		snprintf(why, sizeof why, "%s", gettext("the callback names another partner (MaDoiTac)"));
	else {
		const char *p[] = {v[3]};
		if (portal_query(cen, "SELECT code, amount, state FROM c_payments WHERE ref = $1", p, 1, one_row, row, e)) {
			json_decref(j);
			return e->code;
		}
		if (!row[0][0])
			snprintf(why, sizeof why, "%s", gettext("no payment has this MaThamChieu"));
		else if (strcmp(row[1], v[4]))
			snprintf(why, sizeof why, "%s", gettext("the amount (SoTien) is not the one asked for"));
	}
	char t[16];
	ymdhms(now, t);
	if (*why) {
		log_callback(cen, now, v[3], 0, why, body ? body : "");
		*reply = answer(conf, "99", v[3], t);
		json_decref(j);
		return err_set(e, MC_DENIED, "payment callback refused: %s", why);
	}
	char paid[24];
	snprintf(paid, sizeof paid, "%lld", (long long)now);
	const char *p[] = {v[3], !strcmp(v[1], "00") ? "thanh-cong" : "that-bai", v[6], v[7], paid};
	/* only from khoi-tao: a callback repeated changes nothing */
	int rc = portal_query(cen,
			      "UPDATE c_payments SET state = $2, bank_txn = $3, bank = $4, paid_at = $5 WHERE ref = $1 AND state = 'khoi-tao'",
			      p, 5, NULL, NULL, e);
	if (!rc) {
		log_callback(cen, now, v[3], 1, !strcmp(v[1], "00") ? "paid" : "failed", body);
		*reply = answer(conf, "00", v[3], t);
	}
	json_decref(j);
	return rc;
}

/* ---- QUERY and GET_BILL (fees.h: the office records an online payment only once the
 * platform has confirmed it) ----------------------------------------------------------- */

static json_t *signed_request(const struct portal_conf *conf, const char *kind, const char *ref, int64_t now)
{
	char t[16], sig[65];
	ymdhms(now, t);
	const char *f[] = {kind, "1.0.6", conf->pay_partner, ref, t};
	portal_pay_sign(f, 5, conf->pay_secret, sig);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "LoaiBanTin", kind, "PhienBan", "1.0.6", "MaDoiTac", conf->pay_partner,
			 "MaThamChieu", ref, "ThoiGianGD", t, "MaXacThuc", sig);
}

static int payment_row(struct central *cen, const char *ref, char row[3][64], struct err *e)
{
	const char *p[] = {ref};
	memset(row, 0, 3 * 64);
	if (portal_query(cen, "SELECT code, amount, state FROM c_payments WHERE ref = $1", p, 1, one_row, row, e))
		return e->code;
	if (!row[0][0])
		return err_set(e, MC_NOTFOUND, "no payment has the reference (MaThamChieu) %.60s", ref);
	return 0;
}

int portal_pay_query(struct central *cen, struct portal_http *h, const struct portal_conf *conf, const char *ref, int64_t now,
		     char *state, size_t sn, struct err *e)
{
	if (!conf->pay_url[0] || !conf->pay_partner[0] || !conf->pay_secret[0])
		return err_set(e, MC_INVALID, "the portal configuration has no payment platform: set pay_url, pay_partner and pay_secret");
	char row[3][64];
	if (payment_row(cen, ref, row, e))
		return e->code;
	json_t *b = signed_request(conf, "QUERY", ref, now), *r = NULL;
	char msg[300];
	int rc = portal_http_post_json(h, conf->pay_url, b, &r, msg, sizeof msg);
	json_decref(b);
	if (rc) {
		json_decref(r);
		return err_set(e, MC_IO, "the payment platform did not answer the query of %s: %s", ref, msg);
	}
	/* the answer has the callback's shape (plus TrangThaiGD) and is signed like it */
	static const char *K[] = {"LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich",
				  "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich"};
	char v[10][256], sig[65], why[200] = "";
	const char *f[10];
	for (int i = 0; i < 10; i++) {
		json_t *x = json_object_get(r, K[i]);
		if (json_is_integer(x))
			snprintf(v[i], sizeof v[i], "%lld", (long long)json_integer_value(x));
		else
			snprintf(v[i], sizeof v[i], "%s", json_is_string(x) ? json_string_value(x) : "");
		f[i] = v[i];
	}
	const char *given = json_string_value(json_object_get(r, "MaXacThuc")),
		   *tt = json_string_value(json_object_get(r, "TrangThaiGD"));
	portal_pay_sign(f, 10, conf->pay_secret, sig);
	unsigned diff = !given || strlen(given) != 64;
	for (int i = 0; !diff && i < 64; i++)
		diff |= (unsigned)(sig[i] ^ given[i]);
	if (strcmp(v[1], "00")) {
		rc = err_set(e, MC_IO, "the payment platform could not answer the query of %s (MaLoi %s)", ref, v[1][0] ? v[1] : "?");
		json_decref(r);
		return rc;
	}
	if (diff)
		snprintf(why, sizeof why, "%s", gettext("MaXacThuc does not match: the answer is not from the payment platform"));
	else if (strcmp(v[2], conf->pay_partner) || strcmp(v[3], ref))
		snprintf(why, sizeof why, "%s", gettext("the answer names another partner or transaction"));
	else if (tt && !strcmp(tt, "1") && strcmp(v[4], row[1]))
		snprintf(why, sizeof why, "%s", gettext("the amount (SoTien) is not the one asked for"));
	char *body = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (*why) {
		log_callback(cen, now, ref, 0, why, body ? body : "");
		free(body);
		json_decref(r);
		return err_set(e, MC_DENIED, "the payment platform's answer to the query was refused: %s", why);
	}
	const char *ns = tt && !strcmp(tt, "1") ? "thanh-cong" : tt && !strcmp(tt, "4") ? "that-bai" : NULL;
	if (ns) {
		char paid[24];
		snprintf(paid, sizeof paid, "%lld", (long long)now);
		const char *p[] = {ref, ns, v[6], v[7], paid};
		rc = portal_query(cen,
				  "UPDATE c_payments SET state = $2, bank_txn = $3, bank = $4, paid_at = $5 WHERE ref = $1 AND state = 'khoi-tao'",
				  p, 5, NULL, NULL, e);
		if (!rc)
			log_callback(cen, now, ref, 1, !strcmp(ns, "thanh-cong") ? "query: paid" : "query: failed", body ? body : "");
	}
	free(body);
	json_decref(r);
	if (rc)
		return rc;
	if (payment_row(cen, ref, row, e))
		return e->code;
	snprintf(state, sn, "%s", row[2]);
	return 0;
}

int portal_pay_bill(struct central *cen, struct portal_http *h, const struct portal_conf *conf, const char *ref, int64_t now,
		    char *url, size_t un, struct err *e)
{
	if (!conf->pay_url[0] || !conf->pay_partner[0] || !conf->pay_secret[0])
		return err_set(e, MC_INVALID, "the portal configuration has no payment platform: set pay_url, pay_partner and pay_secret");
	char row[3][64];
	if (payment_row(cen, ref, row, e))
		return e->code;
	if (strcmp(row[2], "thanh-cong"))
		return err_set(e, MC_STATE, "payment %s is not paid (state %s): there is no e-receipt yet; query it first", ref, row[2]);
	json_t *b = signed_request(conf, "GET_BILL", ref, now), *r = NULL;
	char msg[300];
	int rc = portal_http_post_json(h, conf->pay_url, b, &r, msg, sizeof msg);
	json_decref(b);
	if (rc) {
		json_decref(r);
		return err_set(e, MC_IO, "the payment platform did not give the e-receipt of %s: %s", ref, msg);
	}
	const char *ml = json_string_value(json_object_get(r, "MaLoi")), *u = json_string_value(json_object_get(r, "UrlBienLai"));
	if (!ml || strcmp(ml, "00") || !u || strncmp(u, "http", 4)) {
		rc = err_set(e, MC_IO, "the payment platform gave no e-receipt for %s (MaLoi %s)", ref, ml ? ml : "?");
		json_decref(r);
		return rc;
	}
	snprintf(url, un, "%s", u);
	json_decref(r);
	return 0;
}

int portal_pay_paid(struct central *cen, const char *ref, const char *code, int64_t *amount, struct err *e)
{
	char row[3][64];
	if (payment_row(cen, ref, row, e))
		return e->code;
	if (strcmp(row[0], code))
		return err_set(e, MC_INVALID, "payment %s is for dossier %s, not %s", ref, row[0], code);
	if (strcmp(row[2], "thanh-cong"))
		return err_set(e, MC_STATE, "payment %s is not confirmed by the payment platform (state %s): wait for its callback or query it at central",
			       ref, row[2]);
	*amount = atoll(row[1]);
	return 0;
}

struct refs { char (*v)[96]; int n, cap; };

static int ref_row(int nc, const char *const *v, void *ctx)
{
	struct refs *r = ctx;
	if (nc < 1 || r->n == r->cap)
		return 0;
	snprintf(r->v[r->n++], 96, "%s", v[0] ? v[0] : "");
	return 0;
}

int portal_pay_query_pending(struct central *cen, struct portal_http *h, const struct portal_conf *conf, int64_t now,
			     int64_t *paid, int64_t *failed, int64_t *pending, struct err *e)
{
	*paid = *failed = *pending = 0;
	/* as one real system does: transactions begun between 3 days and 30 minutes ago */
	char lo[24], hi[24];
	snprintf(lo, sizeof lo, "%lld", (long long)(now - 3 * 86400));
	snprintf(hi, sizeof hi, "%lld", (long long)(now - 30 * 60));
	struct refs r = {calloc(500, 96), 0, 500};
	if (!r.v)
		return err_set(e, MC_STORE, "out of memory");
	const char *p[] = {lo, hi};
	int rc = portal_query(cen, "SELECT ref FROM c_payments WHERE state = 'khoi-tao' AND created_at >= $1 AND created_at <= $2 ORDER BY created_at",
			      p, 2, ref_row, &r, e);
	for (int i = 0; !rc && i < r.n; i++) {
		char st[32];
		struct err one = {0};
		if (portal_pay_query(cen, h, conf, r.v[i], now, st, sizeof st, &one)) {
			if (one.code == MC_IO) { /* the platform is away: the next pass asks again */
				rc = err_set(e, MC_IO, "%s", one.msg);
				break;
			}
			(*pending)++;   /* refused answers are logged; the transaction waits */
			continue;
		}
		if (!strcmp(st, "thanh-cong"))
			(*paid)++;
		else if (!strcmp(st, "that-bai"))
			(*failed)++;
		else
			(*pending)++;
	}
	free(r.v);
	return rc;
}
