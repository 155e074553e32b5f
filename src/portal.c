/* portal.c - the outbox to the national portal and the mapping of dossiers to it
 * (see portal.h).
 */
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "dossier.h"
#include "history.h"
#include "i18n.h"
#include "lienthong.h"
#include "online_links.h"
#include "fees_counter.h"
#include "portal.h"
#include "store_portal.h"
#include "store_procver.h"

/* dossiers per pass chunk: marked "tried" together, their outcomes written together */
#define CHUNK 50
/* progress rows per CapNhatTienDoHoSoMC call (OCPS and TH send at most 10) */
#define ROWS_PER_CALL 10

int portal_query(struct central *cen, const char *sql, const char *const *p, int n, central_row_cb cb, void *ctx,
		 struct err *e)
{
	if (cen->ops == &central_pg_ops)
		return central_pg_query(cen, sql, p, n, cb, ctx, e);
	return central_sqlite_query(cen, sql, p, n, cb, ctx, e);
}

/* ---- mapping -------------------------------------------------------------------- */

int portal_stage_status(int stage)
{
	return stage_status(stage);
}

int portal_dossier_status(const struct dossier *d)
{
	/* fees owed from the procedure's payment step on (fees.h): 6, whatever the stage */
	return d->status == ST_PAYMENT ? ST_PAYMENT : portal_stage_status(d->stage);
}

const int portal_stages[] = {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING, SG_SUPPLEMENT,
			     SG_RESULT, SG_RETURNED, SG_REFUSED, SG_WITHDRAWN, SG_STOPPED, 0};

const char *portal_status_label(int status)
{
	static const char *L[] = {"", "Mới đăng ký", "Được tiếp nhận", "Không được tiếp nhận", "Đang xử lý",
				  "Yêu cầu bổ sung giấy tờ", "Yêu cầu thực hiện nghĩa vụ tài chính",
				  "Công dân yêu cầu rút hồ sơ", "Dừng xử lý", "Đã xử lý xong", "Đã trả kết quả"};
	return status >= 1 && status <= 10 ? L[status] : "";
}

const char *portal_applicant_kind(int kind)
{
	return kind == AK_BUSINESS ? "2" : "1";
}

const char *portal_channel(int channel)
{
	return channel == CH_ONLINE ? "2" : channel == CH_POSTAL ? "3" : "1";
}

const char *portal_delivery(int channel)
{
	return channel == CH_POSTAL ? "1" : "0";
}

void portal_date(int64_t t, char out[16])
{
	if (!t) {
		out[0] = 0;
		return;
	}
	time_t x = (time_t)(t + 7 * 3600);
	struct tm tm;
	gmtime_r(&x, &tm);
	strftime(out, 16, "%Y%m%d%H%M%S", &tm);
}

void portal_cap(const char *s, size_t maxchars, char *out, size_t n)
{
	size_t i = 0, chars = 0;
	if (!n)
		return;
	while (s[i]) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) { /* a character starts here */
			if (chars == maxchars || i >= n - 1)
				break;
			chars++;
		}
		i++;
	}
	/* i is at a character start (or the end): never inside one */
	if (i >= n)
		i = n - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	memcpy(out, s, i);
	out[i] = 0;
}

static const char *step_text(const char *kind)
{
	static const struct { const char *k, *t; } T[] = {
		{"received", "Tiếp nhận hồ sơ"}, {"accepted", "Tiếp nhận hồ sơ nộp trực tuyến"},
		{"transferred", "Chuyển phòng chuyên môn xử lý"}, {"assigned", "Phân công chuyên viên xử lý"},
		{"proposed", "Đề xuất kết quả giải quyết"}, {"sent_back", "Trả lại chuyên viên xử lý"},
		{"signed", "Ký duyệt kết quả"}, {"returned", "Trả kết quả cho công dân"},
		{"supplement_requested", "Yêu cầu bổ sung hồ sơ"}, {"supplement_received", "Tiếp nhận hồ sơ bổ sung"},
		{"refused", "Từ chối tiếp nhận hồ sơ"}, {"withdrawn", "Công dân rút hồ sơ"}, {"stopped", "Dừng xử lý hồ sơ"},
		{"extended", "Gia hạn, gửi thư xin lỗi"}, {"extension_proposed", "Đề xuất gia hạn"},
		{"rerouted", "Chuyển đơn vị xử lý"}, {"conflict_resolved", "Thống nhất xử lý hồ sơ"},
		{"fee_paid", "Nộp phí, lệ phí"}, {"fee_refunded", "Hoàn trả phí, lệ phí"},
	};
	for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
		if (!strcmp(T[i].k, kind))
			return T[i].t;
	if (lt_event_vi(kind)) /* liên thông parts */
		return lt_event_vi(kind);
	return kind;
}

static void set_s(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v ? v : ""));
}

static void set_date(json_t *o, const char *k, int64_t t)
{
	char b[16];
	portal_date(t, b);
	set_s(o, k, b);
}

/* DanhSachLePhi: what the dossier has paid (as one real system sends it: paid fees
 * only, strings; HinhThucThu 1 at reception, 4 at the result's return) */
static json_t *portal_fees_json(const struct dossier *d)
{
	json_t *a = json_array();
	int64_t paid = d->fee_paid + d->fee_counter_paid, refunded = d->fee_refunded + d->fee_counter_refunded;
	if (paid > refunded) { /* (with what the receiving desk took, fees_counter.h) */
		char gia[24], name[128];
		snprintf(gia, sizeof gia, "%lld", (long long)(paid - refunded));
		snprintf(name, sizeof name, "Phí, lệ phí hồ sơ %s", d->code);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}", "TenPhiLePhi", name, "MaPhiLePhi", "1", "HinhThucThu",
						   d->fee_stage == SG_RESULT ? "4" : "1", "Gia", gia, "LoaiPhiLePhi", "1"));
	}
	return a;
}

json_t *portal_dossier_json(struct store *st, const struct dossier *d, const char *office, const char *unit_name)
{
	struct procedure p;
	memset(&p, 0, sizeof p);
	store_procver_of_dossier(st, d, &p);
	char mattc[64] = "", malv[64] = "", unit[256] = "", buf[4096], num[16];
	if (store_national_codes(st, p.code, mattc, sizeof mattc, malv, sizeof malv)) {
		snprintf(mattc, sizeof mattc, "%s", p.code);
		snprintf(malv, sizeof malv, "%s", p.field_code);
	}
	struct office o;
	if (unit_name && *unit_name)
		snprintf(unit, sizeof unit, "%s", unit_name);
	else if (!store_office_by_code(st, office, &o))
		snprintf(unit, sizeof unit, "%s", o.name);
	json_t *j = json_object();
	set_s(j, "MaHoSo", d->code);
	set_s(j, "MaTTHC", mattc);
	set_s(j, "TenTTHC", p.name);
	set_s(j, "MaLinhVuc", malv);
	set_s(j, "TenLinhVuc", p.field_name);
	set_s(j, "KenhThucHien", portal_channel(d->channel));
	set_s(j, "SoBienNhan", d->code);
	set_s(j, "SoGiayToChuHoSo", d->applicant_idno);
	set_s(j, "ChuHoSo", d->applicant_name);
	set_s(j, "LoaiDoiTuong", portal_applicant_kind(d->applicant_kind));
	set_s(j, "MaDoiTuong", "");
	set_s(j, "ThongTinKhac", "");
	set_s(j, "Email", "");
	set_s(j, "Fax", "");
	set_s(j, "SoDienThoai", d->applicant_phone);
	char sum[2048];
	snprintf(sum, sizeof sum, "%s - %s", p.name, d->applicant_name);
	portal_cap(sum, 1000, buf, sizeof buf);
	set_s(j, "TrichYeuHoSo", buf);
	set_date(j, "NgayTiepNhan", d->accepted_at ? d->accepted_at : d->received_at);
	set_date(j, "NgayHenTra", d->due_at);
	snprintf(num, sizeof num, "%d", portal_dossier_status(d));
	set_s(j, "TrangThaiHoSo", num);
	set_date(j, "NgayTra", d->returned_at);
	set_s(j, "ThongTinTra", "");
	set_s(j, "HinhThuc", portal_delivery(d->channel));
	set_date(j, "NgayKetThucXuLy", d->resolved_at);
	set_s(j, "DonViXuLy", unit);
	json_object_set_new(j, "TaiLieuNop", json_array());
	json_object_set_new(j, "DanhSachLePhi", portal_fees_json(d));
	json_object_set_new(j, "DanhSachTepDinhKemKhac", json_array());
	json_object_set_new(j, "DanhSachHoSoBoSung", json_array());
	json_object_set_new(j, "DanhSachGiayToKetQua", json_array());
	set_date(j, "NgayNopHoSo", d->received_at);
	return j;
}

static json_t *progress_json(struct store *st, const struct event *ev, const struct dossier *after)
{
	struct user u;
	char who[256], buf[1024], num[16];
	if (!strcmp(ev->actor, CENTRAL_PORTAL_ACTOR))
		snprintf(who, sizeof who, "Cổng Dịch vụ công");
	else if (!store_user_by_account(st, ev->actor, &u))
		snprintf(who, sizeof who, "%s", u.name);
	else
		snprintf(who, sizeof who, "%s", ev->actor);
	json_t *j = json_object();
	set_s(j, "MaHoSo", ev->dossier_code);
	portal_cap(who, 50, buf, sizeof buf);
	set_s(j, "NguoiXuLy", buf);
	set_s(j, "ChucDanh", "");
	set_date(j, "ThoiDiemXuLy", ev->at);
	set_s(j, "PhongBanXuLy", "");
	set_s(j, "NoiDungXuLy", step_text(ev->kind));
	snprintf(num, sizeof num, "%d", portal_dossier_status(after));
	set_s(j, "TrangThai", num);
	set_date(j, "NgayBatDau", ev->at);
	set_date(j, "NgayKetThucTheoQuyDinh", after->step_due_at);
	return j;
}

/* ---- the outbox ------------------------------------------------------------------ */

/* the head of central's log that a reader may take: every event at or below it is
 * committed (on PostgreSQL, batches commit in parallel and c_log_head() stays below
 * the oldest one still open; see central.h) */
static int log_head(struct central *cen, char *buf, size_t n, struct err *e)
{
	int64_t pos = 0;
	if (cen->ops->begin(cen, 0, &pos, e))
		return e->code;
	if (cen->ops->commit(cen, e))
		return e->code;
	snprintf(buf, n, "%lld", (long long)pos);
	return 0;
}

static int enqueue(struct central *cen, struct err *e)
{
	char lp[32] = "0", pp[32] = "0";
	if (log_head(cen, lp, sizeof lp, e))
		return e->code;
	int rc = cen->ops->meta_get(cen, "portal_pos", pp, sizeof pp, e);
	if (rc && rc != MC_NOTFOUND)
		return rc;
	e->code = 0;
	if (atoll(lp) <= atoll(pp))
		return 0;
	const char *p[] = {pp, lp};
	if (portal_query(cen,
		  "INSERT INTO c_portal(code, head_dseq, head_pos) SELECT dossier_code, max(dseq), min(pos) FROM c_events"
		  " WHERE pos > $1 AND pos <= $2 AND dossier_code NOT LIKE '%-P_' AND dossier_code NOT LIKE '%-P__' AND dossier_code NOT LIKE '%-F_' GROUP BY dossier_code"
		  " ON CONFLICT(code) DO UPDATE SET"
		  " head_pos = CASE WHEN c_portal.synced_dseq >= c_portal.head_dseq THEN excluded.head_pos ELSE c_portal.head_pos END,"
		  " head_dseq = CASE WHEN excluded.head_dseq > c_portal.head_dseq THEN excluded.head_dseq ELSE c_portal.head_dseq END",
		  p, 2, NULL, NULL, e))
		return e->code;
	/* a payment or refund at the receiving desk (the dossier's receipt chain,
	 * fees_counter.h) changes the dossier's status and fees, not its history: its record
	 * goes to the portal again (state_dseq behind its head) */
	if (portal_query(cen,
		  "UPDATE c_portal SET state_dseq = 0 WHERE state_dseq > 0 AND code IN (SELECT substr(dossier_code, 1,"
		  " length(dossier_code) - length('" FEES_COUNTER_SUFFIX "')) FROM c_events WHERE pos > $1 AND pos <= $2"
		  " AND dossier_code LIKE '%" FEES_COUNTER_SUFFIX "')",
		  p, 2, NULL, NULL, e))
		return e->code;
	return cen->ops->meta_set(cen, "portal_pos", lp, e);
}

struct work {
	char code[CODE_LEN];
	int head_dseq, tried, accepted, state_dseq, synced_dseq, attempts;
	int64_t head_pos;
	/* outcome */
	int done, refused, dead;
	char reason[300];
};

struct worklist { struct work *w; int n, cap; };

static int work_add(int nc, const char *const *v, void *ctx)
{
	struct worklist *l = ctx;
	if (nc < 8 || l->n == l->cap)
		return 1;
	struct work *w = &l->w[l->n++];
	memset(w, 0, sizeof *w);
	snprintf(w->code, sizeof w->code, "%s", v[0] ? v[0] : "");
	w->head_dseq = atoi(v[1] ? v[1] : "0");
	w->tried = atoi(v[2] ? v[2] : "0");
	w->accepted = atoi(v[3] ? v[3] : "0");
	w->state_dseq = atoi(v[4] ? v[4] : "0");
	w->synced_dseq = atoi(v[5] ? v[5] : "0");
	w->attempts = atoi(v[6] ? v[6] : "0");
	w->head_pos = atoll(v[7] ? v[7] : "0");
	return 0;
}

/* what the receiving desk took on the dossier's receipt chain at central (fees_counter.h):
 * into d, with the national status it gives */
static void portal_counter(struct central *cen, const char *code, const char *recv, struct dossier *d)
{
	char fc[CODE_LEN];
	struct history l = {0};
	struct err e = {0};
	if (d->fee_total && !fees_counter_code(code, fc, sizeof fc) && !cen->ops->dossier_events(cen, fc, history_add, &l, &e)) {
		d->fee_counter_paid = d->fee_counter_refunded = 0;
		for (int i = 0; i < l.n; i++) {
			json_t *p = json_loads(l.ev[i].payload ? l.ev[i].payload : "{}", 0, NULL);
			json_int_t v = json_integer_value(json_object_get(p, "amount"));
			if (strcmp(l.ev[i].origin, recv)) /* only the receiving office writes it */
				v = 0;
			if (v > 0 && v <= FEE_AMOUNT_MAX && !strcmp(l.ev[i].kind, "fee_paid"))
				d->fee_counter_paid += v;
			else if (v > 0 && v <= FEE_AMOUNT_MAX && !strcmp(l.ev[i].kind, "fee_refunded"))
				d->fee_counter_refunded += v;
			json_decref(p);
		}
		d->status = fees_status(d);
	}
	history_free(&l);
}

/* send one dossier; 0 done, PORTAL_REFUSED (w->reason), PORTAL_DOWN (msg), or -1 (e) */
static int push_one(struct central *cen, struct store *st, struct portal_http *h, const struct portal_conf *conf,
		    struct work *w, struct portal_result *r, char *msg, size_t n, struct err *e)
{
	struct history l = {0};
	int rc = cen->ops->dossier_events(cen, w->code, history_add, &l, e), heads[8], nh, *line = NULL, len;
	struct dossier *after = NULL;
	json_t *arr = NULL;
	if (rc) {
		rc = -1;
		goto out;
	}
	nh = history_heads(&l, NULL, heads, 8);
	if (nh != 1) {
		snprintf(w->reason, sizeof w->reason, "%s", gettext("the dossier is in conflict at central: resolve it first"));
		rc = PORTAL_REFUSED;
		goto out;
	}
	line = malloc(sizeof *line * (size_t)(l.n ? l.n : 1));
	after = calloc((size_t)(l.n ? l.n : 1), sizeof *after);
	if (!line || !after || (len = history_line(&l, heads[0], line)) < 1) {
		snprintf(w->reason, sizeof w->reason, "%s", gettext("the dossier's history at central is broken"));
		rc = PORTAL_REFUSED;
		goto out;
	}
	struct dossier d;
	memset(&d, 0, sizeof d);
	char office[32] = "";
	for (int i = 0; i < len; i++) {
		const struct event *ev = &l.ev[line[i]];
		if (i == 0) {
			json_t *pl = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
			snprintf(office, sizeof office, "%s", jstr(pl, "office"));
			json_decref(pl);
		}
		if (dossier_apply(st, &d, ev, e)) {
			snprintf(w->reason, sizeof w->reason, "%s", e->msg);
			e->code = 0;
			rc = PORTAL_REFUSED;
			goto out;
		}
		after[i] = d;
	}
	portal_counter(cen, w->code, office, &d);
	int head = l.ev[line[len - 1]].dseq;
	/* the dossier */
	if (!w->accepted && w->tried) {
		int x = portal_http_exists(h, w->code, msg, n);
		if (x < 0) {
			rc = -x;
			if (rc != PORTAL_DOWN)
				snprintf(w->reason, sizeof w->reason, "%s", msg);
			goto out;
		}
		if (x) {
			w->accepted = 1;
			w->state_dseq = 0;
		}
	}
	if (!w->accepted || w->state_dseq < head) {
		arr = json_array();
		json_array_append_new(arr, portal_dossier_json(st, &d, office, conf->unit_name));
		rc = portal_http_send(h, "DongBoHoSoMC", arr, w->accepted ? "True" : "False", msg, n);
		if (rc == PORTAL_EXISTS) {
			w->accepted = 1;
			rc = portal_http_send(h, "DongBoHoSoMC", arr, "True", msg, n);
		}
		json_decref(arr);
		arr = NULL;
		if (rc) {
			if (rc != PORTAL_DOWN)
				snprintf(w->reason, sizeof w->reason, "DongBoHoSoMC: %s", msg);
			goto out;
		}
		w->accepted = 1;
		w->state_dseq = head;
	}
	/* its progress, in order, from the first event the portal has not accepted */
	int i = 0;
	while (i < len && l.ev[line[i]].dseq <= w->synced_dseq)
		i++;
	while (i < len) {
		arr = json_array();
		int k = i;
		for (; k < len && k < i + ROWS_PER_CALL; k++)
			json_array_append_new(arr, progress_json(st, &l.ev[line[k]], &after[k]));
		rc = portal_http_send(h, "CapNhatTienDoHoSoMC", arr, NULL, msg, n);
		json_decref(arr);
		arr = NULL;
		if (rc) {
			if (rc == PORTAL_EXISTS)
				rc = PORTAL_REFUSED;
			if (rc != PORTAL_DOWN)
				snprintf(w->reason, sizeof w->reason, "CapNhatTienDoHoSoMC: %s", msg);
			goto out;
		}
		r->rows += k - i;
		w->synced_dseq = l.ev[line[k - 1]].dseq;
		i = k;
	}
	if (w->synced_dseq < head)
		w->synced_dseq = head;
	w->done = 1;
	rc = 0;
out:
	json_decref(arr);
	free(line);
	free(after);
	history_free(&l);
	return rc;
}

static int64_t backoff(int attempts, long first)
{
	int64_t s = first;
	for (int i = 1; i < attempts && s < 3600; i++)
		s *= 2;
	return s < 3600 ? s : 3600;
}

/* the chunk's outcomes in one transaction */
static int record(struct central *cen, struct work *w, int n, const struct portal_conf *conf, int64_t now,
		  struct portal_result *r, struct err *e)
{
	if (portal_query(cen, "BEGIN", NULL, 0, NULL, NULL, e))
		return e->code;
	char nowb[24], next[24], hd[16], acc[16], st[16], sy[16], at[16], dead[4];
	snprintf(nowb, sizeof nowb, "%lld", (long long)now);
	for (int i = 0; i < n; i++) {
		struct work *x = &w[i];
		/* refused: one more; done: start afresh; skipped (no answer): as it was */
		int attempts = x->refused ? x->attempts + 1 : x->done ? 0 : x->attempts;
		int is_dead = x->refused && attempts >= conf->max_attempts;
		if (x->done)
			r->dossiers++;
		if (x->refused)
			r->refused++;
		if (is_dead)
			r->dead++;
		snprintf(next, sizeof next, "%lld", (long long)(x->refused ? now + backoff(attempts, conf->retry_seconds) : 0));
		snprintf(hd, sizeof hd, "%d", x->head_dseq);
		snprintf(acc, sizeof acc, "%d", x->accepted);
		snprintf(st, sizeof st, "%d", x->state_dseq);
		snprintf(sy, sizeof sy, "%d", x->synced_dseq);
		snprintf(at, sizeof at, "%d", attempts);
		snprintf(dead, sizeof dead, "%d", is_dead);
		const char *p[] = {x->code, acc, st, sy, at, next, dead, x->reason, nowb};
		if (portal_query(cen,
			  "UPDATE c_portal SET accepted = $2, state_dseq = $3, synced_dseq = $4, attempts = $5, next_at = $6,"
			  " dead = $7, reason = $8, changed_at = $9 WHERE code = $1",
			  p, 9, NULL, NULL, e)) {
			portal_query(cen, "ROLLBACK", NULL, 0, NULL, NULL, &(struct err){0});
			return e->code;
		}
	}
	return portal_query(cen, "COMMIT", NULL, 0, NULL, NULL, e);
}

int portal_push(struct central *cen, struct store *st, struct portal_http *h, const struct portal_conf *conf, int limit,
		int64_t now, struct portal_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (enqueue(cen, e))
		return e->code;
	struct work wbuf[CHUNK];
	char nowb[24], lim[16], msg[300];
	snprintf(nowb, sizeof nowb, "%lld", (long long)now);
	int64_t taken = 0;
	int downs = 0, answered = 0;
	char after_pos[24] = "-1";
	while (!r->down && (limit <= 0 || taken < limit)) {
		struct worklist wl = {wbuf, 0, CHUNK};
		int want = CHUNK;
		if (limit > 0 && limit - taken < want)
			want = (int)(limit - taken);
		snprintf(lim, sizeof lim, "%d", want);
		const char *p[] = {nowb, after_pos, lim};
		/* by head_pos (oldest first); after_pos moves on so a refused dossier is not taken twice in a pass */
		if (portal_query(cen,
			  "SELECT code, head_dseq, tried, accepted, state_dseq, synced_dseq, attempts, head_pos FROM c_portal"
			  " WHERE dead = 0 AND (synced_dseq < head_dseq OR state_dseq < head_dseq) AND next_at <= $1 AND head_pos > $2"
			  " ORDER BY head_pos LIMIT $3",
			  p, 3, work_add, &wl, e))
			return e->code;
		if (!wl.n)
			break;
		/* the creates of this chunk may reach the portal: say so first (a crash then looks them up) */
		if (portal_query(cen, "BEGIN", NULL, 0, NULL, NULL, e))
			return e->code;
		for (int i = 0; i < wl.n; i++) {
			if (wl.w[i].tried || wl.w[i].accepted)
				continue;
			const char *q1[] = {wl.w[i].code};
			if (portal_query(cen, "UPDATE c_portal SET tried = 1 WHERE code = $1", q1, 1, NULL, NULL, e)) {
				portal_query(cen, "ROLLBACK", NULL, 0, NULL, NULL, &(struct err){0});
				return e->code;
			}
		}
		if (portal_query(cen, "COMMIT", NULL, 0, NULL, NULL, e))
			return e->code;
		snprintf(after_pos, sizeof after_pos, "%lld", (long long)wl.w[wl.n - 1].head_pos);
		int n = 0;
		for (; n < wl.n; n++) {
			struct work *w = &wl.w[n];
			int rc = push_one(cen, st, h, conf, w, r, msg, sizeof msg, e);
			if (rc < 0)
				return e->code;
			if (rc == PORTAL_DOWN) {
				/* one call without an answer skips the dossier (its partial progress is
				 * kept, it comes again next pass); three in a row: the portal is down */
				snprintf(r->reason, sizeof r->reason, "%s", msg);
				if (++downs >= 3) {
					r->down = 1;
					n++;
					break;
				}
				continue;
			}
			downs = 0;
			answered++;
			if (rc)
				w->refused = 1;
		}
		if (record(cen, wl.w, n, conf, now, r, e))
			return e->code;
		taken += wl.n;
		if (wl.n < want)
			break;
	}
	/* fewer than three dossiers waited and none of their calls was answered: the
	 * portal is as down as three unanswered calls in a row say */
	if (downs && !answered)
		r->down = 1;
	return 0;
}

/* ---- status, dead letters, resend ------------------------------------------------ */

static int get_i64s(int nc, const char *const *v, void *ctx)
{
	int64_t *out = ctx;
	for (int i = 0; i < nc; i++)
		out[i] = v[i] ? atoll(v[i]) : 0;
	return 1;
}

int portal_status_get(struct central *cen, int64_t now, struct portal_status *s, struct err *e)
{
	memset(s, 0, sizeof *s);
	char b[32] = "0";
	if (log_head(cen, b, sizeof b, e))
		return e->code;
	s->log_pos = atoll(b);
	snprintf(b, sizeof b, "0");
	int rc = cen->ops->meta_get(cen, "portal_pos", b, sizeof b, e);
	if (rc && rc != MC_NOTFOUND)
		return rc;
	e->code = 0;
	s->portal_pos = atoll(b);
	int64_t v[6] = {0};
	if (portal_query(cen,
		  "SELECT count(*), sum(CASE WHEN dead = 0 AND synced_dseq < head_dseq THEN 1 ELSE 0 END),"
		  " sum(dead), sum(accepted), sum(CASE WHEN dead = 0 AND attempts > 0 THEN 1 ELSE 0 END),"
		  " min(CASE WHEN synced_dseq < head_dseq THEN head_pos END) FROM c_portal",
		  NULL, 0, get_i64s, v, e))
		return e->code;
	s->dossiers = v[0];
	s->waiting = v[1];
	s->dead = v[2];
	s->accepted = v[3];
	s->retrying = v[4];
	int64_t oldest = v[5];
	if (!oldest && s->log_pos > s->portal_pos)
		oldest = s->portal_pos + 1;
	if (oldest) {
		char pb[32];
		snprintf(pb, sizeof pb, "%lld", (long long)oldest);
		const char *p[] = {pb};
		int64_t at[1] = {0};
		if (portal_query(cen, "SELECT at FROM c_events WHERE pos = $1", p, 1, get_i64s, at, e))
			return e->code;
		if (at[0])
			s->lag = now > at[0] ? now - at[0] : 0;
	}
	return 0;
}

struct dead_ctx { portal_dead_cb cb; void *ctx; };

static int dead_row(int nc, const char *const *v, void *ctx)
{
	struct dead_ctx *d = ctx;
	if (nc < 4)
		return 1;
	return d->cb(v[0] ? v[0] : "", v[1] ? atoi(v[1]) : 0, v[2] ? v[2] : "", v[3] ? atoll(v[3]) : 0, d->ctx);
}

int portal_dead_list(struct central *cen, portal_dead_cb cb, void *ctx, struct err *e)
{
	struct dead_ctx d = {cb, ctx};
	return portal_query(cen, "SELECT code, attempts, reason, changed_at FROM c_portal WHERE dead = 1 ORDER BY code", NULL, 0,
		     dead_row, &d, e);
}

static int count_row(int nc, const char *const *v, void *ctx)
{
	*(int64_t *)ctx = nc && v[0] ? atoll(v[0]) : 0;
	return 1;
}

int portal_resend(struct central *cen, const char *code, int64_t *n, struct err *e)
{
	*n = 0;
	const char *p[] = {code};
	if (code) {
		if (portal_query(cen, "SELECT count(*) FROM c_portal WHERE dead = 1 AND code = $1", p, 1, count_row, n, e))
			return e->code;
		if (!*n)
			return err_set(e, MC_NOTFOUND, "dossier %.60s is not in the portal's dead letters", code);
		return portal_query(cen, "UPDATE c_portal SET dead = 0, attempts = 0, next_at = 0 WHERE dead = 1 AND code = $1", p, 1,
			     NULL, NULL, e);
	}
	if (portal_query(cen, "SELECT count(*) FROM c_portal WHERE dead = 1", NULL, 0, count_row, n, e))
		return e->code;
	return portal_query(cen, "UPDATE c_portal SET dead = 0, attempts = 0, next_at = 0 WHERE dead = 1", NULL, 0, NULL, NULL, e);
}

/* ---- online dossiers from the portal ------------------------------------------- */

static int count_events(const struct event *ev, void *ctx)
{
	(void)ev;
	(*(int *)ctx)++;
	return 0;
}

/* a portal code usable as motcua's: printable ASCII of codes, not too long */
static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n >= CODE_LEN)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '.' ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* the portal has the dossier: push it as an update */
static int mark_accepted(struct central *cen, const char *code, struct err *e)
{
	const char *p[] = {code};
	return portal_query(cen,
		     "INSERT INTO c_portal(code, head_dseq, head_pos, tried, accepted) VALUES ($1, 0, 0, 1, 1)"
		     " ON CONFLICT(code) DO UPDATE SET tried = 1, accepted = 1",
		     p, 1, NULL, NULL, e);
}

static const char *istr(json_t *o, const char *k)
{
	/* keys are read case-insensitively: wrappers differ (maHoSo, MaHoSo) */
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
		if (!strcasecmp(key, k))
			return json_is_string(v) ? json_string_value(v) : "";
	return "";
}

int portal_pull(struct central *cen, struct store *st, struct portal_http *h, int days, int64_t now,
		struct portal_pull_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	char from[16], to[16], msg[300];
	time_t a = (time_t)(now + 7 * 3600 - (int64_t)days * 86400), b = (time_t)(now + 7 * 3600);
	struct tm tm;
	gmtime_r(&a, &tm);
	strftime(from, sizeof from, "%Y-%m-%d", &tm);
	gmtime_r(&b, &tm);
	strftime(to, sizeof to, "%Y-%m-%d", &tm);
	json_t *items = NULL;
	int rc = portal_http_list(h, from, to, &items, msg, sizeof msg);
	if (rc) {
		r->down = rc == PORTAL_DOWN;
		if (!r->down)
			r->refused++;
		snprintf(r->reason, sizeof r->reason, "DanhSachHoSo: %s", msg);
		return 0;
	}
	size_t i;
	json_t *it;
	rc = 0;
	json_array_foreach(items, i, it) {
		r->listed++;
		const char *code = istr(it, "maHoSo"), *nat = istr(it, "maTTHC");
		char proc[32], why[300] = "";
		int nev = 0;
		if (!code_ok(code))
			snprintf(why, sizeof why, gettext("an online dossier's code '%.60s' is not usable"), code);
		else if ((rc = cen->ops->dossier_events(cen, code, count_events, &nev, e)))
			break;
		else if (nev) {
			r->known++;
			if ((rc = mark_accepted(cen, code, e)))
				break;
			continue;
		} else if (store_procedure_by_national(st, nat, proc, sizeof proc))
			snprintf(why, sizeof why, gettext("online dossier %s: no procedure has the national code '%.40s'"), code, nat);
		if (!*why) {
			json_t *att = NULL;
			const char *key;
			json_t *v;
			json_object_foreach(it, key, v)
				if (!strcasecmp(key, "hoSoDinhKem"))
					att = v;
			struct online_req q = {0};
			q.office = istr(it, "maDonVi");
			q.procedure = proc;
			q.name = istr(it, "hoTen");
			q.idno = istr(it, "soCmnd");
			q.phone = istr(it, "soDienThoai");
			q.address = istr(it, "diaChi");
			q.kind = !strcmp(istr(it, "loaiDoiTuong"), "2") ? AK_BUSINESS : AK_PERSON;
			q.components = json_array_size(att) ? COMPONENTS_ALL : 0;
			q.os_account = CENTRAL_PORTAL_ACTOR;
			q.portal_code = code;
			/* the files' download links travel in the received event (online_links.h) */
			struct procedure *lp = malloc(sizeof *lp);
			if (lp && store_procedure_by_code(st, proc, lp))
				memset(lp, 0, sizeof *lp);
			q.links = links_from_portal(att, lp, portal_http_download_base(h));
			free(lp);
			char made[CODE_LEN];
			struct err e2 = {0};
			int src = central_submit_online(cen, &q, now, made, sizeof made, &e2);
			json_decref(q.links);
			if (src) {
				if (e2.code == MC_INVALID || e2.code == MC_NOTFOUND)
					snprintf(why, sizeof why, _("online dossier %s: %s"), code, e2.msg);
				else {
					*e = e2;
					rc = e->code;
					break;
				}
			} else {
				r->created++;
				if ((rc = mark_accepted(cen, code, e)))
					break;
			}
		}
		if (*why) {
			if (!r->refused)
				snprintf(r->reason, sizeof r->reason, "%s", why);
			r->refused++;
		}
	}
	json_decref(items);
	return rc;
}
