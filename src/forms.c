/* forms.c - the printable forms 01-07 (see forms.h); their text layout is forms_text.c's
 * and their tables forms_grid.c's.
 *
 * Each form is built from the dossier row, its procedure and its events (the history
 * is the source for who did what and when), laid out line by line in a strbuf; every
 * stored string is sanitised first and every line is fitted to FORM_COLS display
 * columns.  forms_output (forms_output.c) converts to the printer's encoding only at
 * the very end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "dossier.h"
#include "forms.h"
#include "lienthong.h"
#include "org.h"
#include "report.h"
#include "snapshot.h"
#include "store_procver.h"
#include "text.h"

/* ---- data a form needs ------------------------------------------------------------ */

struct evlist { struct event *v; int n; int oom; };

static int ev_collect(const struct event *ev, void *arg)
{
	struct evlist *l = arg;
	struct event *n = realloc(l->v, sizeof *n * (size_t)(l->n + 1));
	if (!n) {
		l->oom = 1;
		return 1;
	}
	l->v = n;
	n[l->n] = *ev;
	n[l->n].payload = strdup(ev->payload ? ev->payload : "{}");
	l->n++;
	return 0;
}

static void ev_free(struct evlist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i].payload);
	free(l->v);
}

static json_t *ev_payload(const struct event *ev)
{
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	return p ? p : json_object();
}

static const char *pstr(json_t *p, const char *k)
{
	const char *s = json_string_value(json_object_get(p, k));
	return s ? s : "";
}

static int64_t pint(json_t *p, const char *k) { return json_integer_value(json_object_get(p, k)); }

/* the last event of one of the kinds (NULL-terminated list), or NULL */
static const struct event *ev_last(const struct evlist *l, const char *const *kinds)
{
	for (int i = l->n - 1; i >= 0; i--)
		for (int k = 0; kinds[k]; k++)
			if (!strcmp(l->v[i].kind, kinds[k]))
				return &l->v[i];
	return NULL;
}

static void user_name(struct core *c, const char *account, char *out, size_t n)
{
	struct user u;
	if (account && *account && store_user_by_account(c->st, account, &u) == 0)
		snprintf(out, n, "%s", u.name);
	else
		snprintf(out, n, "%s", account && *account ? account : "");
}

/* "HH giờ MM phút, ngày dd/mm/yyyy"; under Circular 03/2025 the date as Decree 30/2020
 * writes it ("ngày 5 tháng 7" -> "ngày 05 tháng 7 năm 2025", forms_date_vn) */
static void when_vn(int64_t t, int v2025, char *buf, size_t n)
{
	char d[64];
	if (v2025)
		forms_date_vn(NULL, t, d, sizeof d);
	else {
		char dd[16];
		cal_format_vn(t, dd, sizeof dd);
		snprintf(d, sizeof d, "ngày %s", dd);
	}
	int m = cal_minute_of(t);
	snprintf(buf, n, "%02d giờ %02d phút, %s", m / 60, m % 60, d);
}

static void short_time(int64_t t, char *buf, size_t n)
{
	char d[16];
	cal_format_vn(t, d, sizeof d);
	int m = cal_minute_of(t);
	snprintf(buf, n, "%s %02d:%02d", d, m / 60, m % 60);
}

/* A number as Vietnamese writes it: a dot between thousands, a decimal comma
 * (1.234.567,5).  decimals: digits after the comma (0-6), rounded. */
void forms_number_vn(double v, int decimals, char *out, size_t n)
{
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	char raw[64];
	snprintf(raw, sizeof raw, "%.*f", decimals, v < 0 ? -v : v);
	char *dot = strchr(raw, '.');
	size_t il = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
	char res[96];
	int neg = v < 0 && strspn(raw, "0.") != strlen(raw); /* no "-0" */
	if (neg)
		res[o++] = '-';
	for (size_t i = 0; i < il; i++) {
		if (i && (il - i) % 3 == 0)
			res[o++] = '.';
		res[o++] = raw[i];
	}
	if (dot) {
		res[o++] = ',';
		for (const char *q = dot + 1; *q && o < sizeof res - 1; q++)
			res[o++] = *q;
	}
	res[o] = 0;
	snprintf(out, n, "%s", res);
}

/* an amount in đồng: 1.500.000 đồng */
void forms_money_vn(int64_t v, char *buf, size_t n)
{
	char num[64];
	forms_number_vn((double)v, 0, num, sizeof num);
	snprintf(buf, n, "%s đồng", num);
}

static void money(int64_t v, char *buf, size_t n) { forms_money_vn(v, buf, n); }

/* the national status list's official wording (DVCQG TrangThai 1-10): a form is a
 * legal Vietnamese document whatever the reader's locale */
static const char *status_official(int s)
{
	static const char *n[] = {"?", "Mới đăng ký", "Được tiếp nhận", "Không được tiếp nhận", "Đang xử lý",
		"Yêu cầu bổ sung giấy tờ", "Yêu cầu thực hiện nghĩa vụ tài chính", "Công dân yêu cầu rút hồ sơ",
		"Dừng xử lý", "Đã xử lý xong", "Đã trả kết quả"};
	return s >= 1 && s <= 10 ? n[s] : n[0];
}

static const char *tl_vi(int tl)
{
	switch (tl) {
	case TL_NOT_DUE: return "Còn hạn";
	case TL_OVERDUE: return "Quá hạn";
	case TL_EARLY: return "Trước hạn";
	case TL_ON_TIME: return "Đúng hạn";
	case TL_LATE: return "Quá hạn";
	}
	return "";
}

static const char *channel_vi(int ch)
{
	return ch == CH_ONLINE ? "Trực tuyến" : ch == CH_POSTAL ? "Qua dịch vụ bưu chính" : "Trực tiếp";
}

static const char *event_vi(const char *kind)
{
	static const struct { const char *k, *vi; } t[] = {
		{"received", "Tiếp nhận hồ sơ"}, {"accepted", "Tiếp nhận hồ sơ trực tuyến"},
		{"transferred", "Chuyển phòng chuyên môn"}, {"assigned", "Phân công xử lý"},
		{"proposed", "Trình ký kết quả"}, {"sent_back", "Trả lại để xử lý lại"},
		{"signed", "Ký duyệt kết quả"}, {"returned", "Trả kết quả"},
		{"supplement_requested", "Yêu cầu bổ sung hồ sơ"}, {"supplement_received", "Nhận hồ sơ bổ sung"},
		{"refused", "Từ chối hồ sơ"}, {"withdrawn", "Rút hồ sơ"}, {"stopped", "Dừng xử lý"},
		{"extended", "Gia hạn, xin lỗi và hẹn lại"}, {"rerouted", "Chuyển cơ quan giải quyết"},
		{"routed", "Chuyển hồ sơ (tiếp nhận không phụ thuộc địa giới)"},
		{"conflict_resolved", "Quyết định xung đột đồng bộ"},
		{"fee_paid", "Nộp phí, lệ phí"}, {"fee_refunded", "Hoàn trả phí, lệ phí"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i].k, kind))
			return t[i].vi;
	if (lt_event_vi(kind)) /* liên thông parts */
		return lt_event_vi(kind);
	return kind;
}

struct fctx {
	int key;              /* FK_* below: the form whatever its number */
	int v2025;            /* 1: Circular 03/2025 (received from 1 July 2025); 0: Circular 01/2018 */
	struct core *c;
	struct dossier d;
	struct procedure p;
	struct office o;
	struct evlist ev;
	struct strbuf *t;
};

/* ---- stable keys and legal versions -------------------------------------------------
 * A form is named by a stable key; its number depends on the legal version that governs
 * the dossier: Circular 01/2018/TT-VPCP for a dossier received before 1 July 2025,
 * Circular 03/2025/TT-VPCP (Phụ lục I) from then on.  The 2018 frame had no stop notice
 * (motcua printed its own).  The 2025 numbers of 04 and 05 are INFERRED in LAW.md §2.1. */
enum { FK_RECEIPT = 1, FK_SUPPLEMENT_REQUEST, FK_REFUSAL, FK_APOLOGY_EXTENSION, FK_STOP_NOTICE, FK_CONTROL_SHEET,
       FK_REGISTER };
static const struct { const char *key; const char *n2018, *n2025; } form_keys[] = {
	[FK_RECEIPT] = {"RECEIPT", "01", "01"},
	[FK_SUPPLEMENT_REQUEST] = {"SUPPLEMENT_REQUEST", "02", "02"},
	[FK_REFUSAL] = {"REFUSAL", "03", "03"},
	[FK_APOLOGY_EXTENSION] = {"APOLOGY_EXTENSION", "04", "04"},
	[FK_STOP_NOTICE] = {"STOP_NOTICE", NULL, "05"},
	[FK_CONTROL_SHEET] = {"CONTROL_SHEET", "05", "06"},
	[FK_REGISTER] = {"REGISTER", "06", "07"},
};

/* the form's key from a key or from motcua's own numbers 01-07; 0 if unknown */
static int forms_key(const char *form)
{
	for (int k = FK_RECEIPT; k <= FK_REGISTER; k++)
		if (!strcmp(form, form_keys[k].key))
			return k;
	int n = form[0] >= '0' && form[0] <= '9' && strlen(form) <= 2 ? atoi(form) : 0;
	return n >= 1 && n <= 7 ? n : 0;
}

const char *forms_number(const char *key, int v2025)
{
	int k = forms_key(key);
	return k ? (v2025 ? form_keys[k].n2025 : form_keys[k].n2018) : NULL;
}

/* 1 July 2025 00:00 in Vietnam: the day Decree 118/2025 and Circular 03/2025 apply */
int64_t forms_reform_instant(void)
{
	return cal_instant(cal_day_from_ymd(2025, 7, 1), 0);
}

/* A date as Decree 30/2020/NĐ-CP writes it: the place, then "ngày D tháng M năm Y",
 * with a leading zero only for days below 10 and for months 1 and 2. */
void forms_date_vn(const char *place, int64_t t, char *out, size_t n)
{
	char d[16];
	cal_format_vn(t, d, sizeof d); /* "dd/mm/yyyy" */
	int day = atoi(d), month = atoi(d + 3);
	snprintf(out, n, "%s%sngày %02d tháng %0*d năm %.4s", place && *place ? place : "", place && *place ? ", " : "", day,
		 month <= 2 ? 2 : 1, month, d + 6);
}

/* the line naming the form and the act it comes from */
static void designation(struct fctx *x)
{
	const char *num = x->v2025 ? form_keys[x->key].n2025 : form_keys[x->key].n2018;
	char buf[160];
	if (num)
		snprintf(buf, sizeof buf, "Mẫu số %s - Thông tư %s", num, x->v2025 ? "03/2025/TT-VPCP" : "01/2018/TT-VPCP");
	else
		snprintf(buf, sizeof buf, "Thông báo (Thông tư 01/2018/TT-VPCP không có mẫu này)");
	char pad[200];
	form_pad(buf, FORM_COLS, 1, pad, sizeof pad);
	ftext_line(x->t, pad);
}

/* the heading: office, national motto, number and the form's date (when it was issued) */
static void header(struct fctx *x, const char *number, int64_t when)
{
	if (x->v2025) {
		/* Circular 03/2025: the centre (or the one-stop desk) under its governing body,
		 * the place before the date (setting org.place, e.g. "Quảng Ninh") */
		char date[128], place[128] = "";
		store_setting_get(x->c->st, "org.place", place, sizeof place);
		forms_date_vn(place, when ? when : core_now(x->c), date, sizeof date);
		designation(x);
		int centre = !strcmp(x->o.kind, "centre") || !strcmp(x->o.kind, "branch") || !strcmp(x->o.kind, "commune");
		/* the office's name wrapped in the left column (never cut), the motto beside it */
		struct strbuf nm = {0};
		form_wrap(&nm, "", x->o.name, 36);
		const char *right[] = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"};
		int row = 0;
		for (char *ln = nm.buf, *nl; ln && *ln; ln = nl ? nl + 1 : NULL, row++) {
			nl = strchr(ln, '\n');
			if (nl)
				*nl = 0;
			form_two_cols(x->t, ln, row < 2 ? right[row] : "", 36);
		}
		strbuf_release(&nm);
		for (; row < 1; row++)
			form_two_cols(x->t, "", right[row], 36);
		form_two_cols(x->t, centre ? "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" : "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", row < 2 ? right[row] : "", 36);
		if (form_width(number) <= 36) {
			form_two_cols(x->t, number, date, 36);
		} else { /* a long dossier code: the number on its own line under the heading */
			form_two_cols(x->t, "", date, 36);
			ftext_line(x->t, number);
		}
		ftext_line(x->t, "");
		return;
	}
	designation(x);
	/* the date as Decree 30/2020 (and Circular 01/2011 before it) writes it */
	char date[64];
	forms_date_vn(NULL, when ? when : core_now(x->c), date, sizeof date);
	form_two_cols(x->t, x->o.name, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 36);
	form_two_cols(x->t, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "Độc lập - Tự do - Hạnh phúc", 36);
	form_two_cols(x->t, number, date, 36);
	ftext_line(x->t, "");
}

static void applicant(struct fctx *x)
{
	form_wrap(x->t, "Tên tổ chức, cá nhân: ", x->d.applicant_name, FORM_COLS);
	if (x->v2025) {
		/* Circular 03/2025: every line is on the form, dotted when unknown */
		const char *dots = "..............................";
		form_wrap(x->t, "Số định danh cá nhân/tổ chức: ", x->d.applicant_idno[0] ? x->d.applicant_idno : dots, FORM_COLS);
		form_wrap(x->t, "Địa chỉ: ", x->d.applicant_address[0] ? x->d.applicant_address : dots, FORM_COLS);
		form_wrap(x->t, "Số điện thoại: ", x->d.applicant_phone[0] ? x->d.applicant_phone : dots, FORM_COLS);
		form_wrap(x->t, "Email: ", x->d.applicant_email[0] ? x->d.applicant_email : dots, FORM_COLS);
		return;
	}
	form_wrap(x->t, x->d.applicant_kind == AK_BUSINESS ? "Mã số thuế: " : "Số định danh cá nhân: ",
		  x->d.applicant_idno, FORM_COLS);
	if (x->d.applicant_address[0])
		form_wrap(x->t, "Địa chỉ: ", x->d.applicant_address, FORM_COLS);
	if (x->d.applicant_phone[0])
		form_wrap(x->t, "Số điện thoại: ", x->d.applicant_phone, FORM_COLS);
	if (x->d.applicant_email[0])
		form_wrap(x->t, "Email: ", x->d.applicant_email, FORM_COLS);
}

/* Circular 03/2025: a centre (branch, commune centre) or a one-stop desk receives */
static int is_centre(const struct office *o)
{
	return !strcmp(o->kind, "centre") || !strcmp(o->kind, "branch") || !strcmp(o->kind, "commune");
}

static const char *office_label(const struct office *o)
{
	return is_centre(o) ? "Trung tâm Phục vụ hành chính công: " : "Bộ phận Tiếp nhận và Trả kết quả: ";
}

/* the number of a 2025 form: the dossier code, the form's sign and the body
 * ("Số: CODE/PBS-TTPVHCC"; a one-stop desk writes BPTNTKQ) */
static void doc_number(struct fctx *x, const char *sign, char *out, size_t n)
{
	int centre = !strcmp(x->o.kind, "centre") || !strcmp(x->o.kind, "branch") || !strcmp(x->o.kind, "commune");
	snprintf(out, n, "Số: %s/%s%s%s", x->d.code, sign ? sign : "", sign ? "-" : "", centre ? "TTPVHCC" : "BPTNTKQ");
}

/* Circular 03/2025: where the applicant registered to collect the result */
static void collect_place(struct fctx *x, const char *label)
{
	struct office ret = x->o;
	if (x->d.return_office_id)
		org_office(x->c, NULL, x->d.return_office_id, &ret);
	else if (x->d.recv_office_id)
		org_office(x->c, NULL, x->d.recv_office_id, &ret);
	form_wrap(x->t, label, ret.name, FORM_COLS);
}

/* Circular 03/2025 form 01: the proxy filing for the applicant, if any */
static void proxy_block(struct fctx *x)
{
	json_t *p = x->d.proxy[0] ? json_loads(x->d.proxy, 0, NULL) : NULL;
	if (!json_is_object(p)) {
		json_decref(p);
		return;
	}
	static const char *const f[][2] = {{"name", "Người được ủy quyền: "}, {"idno", "Số định danh cá nhân: "},
					   {"address", "Địa chỉ: "}, {"phone", "Số điện thoại: "}, {"email", "Email: "},
					   {"doc", "Văn bản ủy quyền: "}};
	ftext_line(x->t, "Trường hợp nộp thay (ủy quyền):");
	for (int i = 0; i < 6; i++)
		if (pstr(p, f[i][0])[0])
			form_wrap(x->t, f[i][1], pstr(p, f[i][0]), FORM_COLS);
	json_decref(p);
}

static void procedure_line(struct fctx *x, const char *label)
{
	char buf[1200];
	snprintf(buf, sizeof buf, "%s (mã %s)", x->p.name, x->p.code);
	form_wrap(x->t, label, buf, FORM_COLS);
}

static void signatures(struct fctx *x, const char *left_title, const char *left_name,
		       const char *right_title, const char *right_name)
{
	ftext_line(x->t, "");
	form_two_cols(x->t, left_title, right_title, 40);
	form_two_cols(x->t, left_title[0] ? "(Ký và ghi rõ họ tên)" : "", "(Ký và ghi rõ họ tên)", 40);
	ftext_line(x->t, "");
	ftext_line(x->t, "");
	form_two_cols(x->t, left_name, right_name, 40);
}

/* ---- the forms ------------------------------------------------------------------------ */

static int form01(struct fctx *x, struct err *e)
{
	const struct event *a = NULL;
	/* the acceptance: the received event (accepted at once) or a later accepted one */
	for (int i = 0; i < x->ev.n && !a; i++) {
		json_t *p = ev_payload(&x->ev.v[i]);
		if ((!strcmp(x->ev.v[i].kind, "received") && !strcmp(pstr(p, "outcome"), "accept")) ||
		    !strcmp(x->ev.v[i].kind, "accepted") ||
		    (!strcmp(x->ev.v[i].kind, "supplement_received") && !json_object_get(p, "orig_due_at")))
			a = &x->ev.v[i];
		json_decref(p);
	}
	if (!a || !x->d.accepted_at)
		return err_set(e, MC_STATE, "dossier %s has not been accepted: it has no receipt and appointment", x->d.code);
	json_t *p = ev_payload(a);
	int64_t due = pint(p, "due_at");
	json_decref(p);
	char buf[1024], clerk[300], num[96];
	user_name(x->c, a->actor, clerk, sizeof clerk);
	if (x->v2025)
		doc_number(x, NULL, num, sizeof num);
	else
		snprintf(num, sizeof num, "Số: %s", x->d.code);
	header(x, num, a->at);
	form_center(x->t, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", FORM_COLS);
	snprintf(buf, sizeof buf, "Mã hồ sơ: %s", x->d.code);
	form_center(x->t, buf, FORM_COLS);
	ftext_line(x->t, "");
	form_wrap(x->t, !x->v2025 ? "Bộ phận tiếp nhận và trả kết quả: " : office_label(&x->o), x->o.name, FORM_COLS);
	ftext_line(x->t, x->v2025 ? "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức:" : "Tiếp nhận hồ sơ của:");
	applicant(x);
	if (x->v2025)
		proxy_block(x);
	procedure_line(x, "Nội dung yêu cầu giải quyết: ");
	form_wrap(x->t, "Hình thức nộp: ", channel_vi(x->d.channel), FORM_COLS);
	ftext_line(x->t, "1. Thành phần hồ sơ nộp gồm:");
	/* every component received, visit by visit: at the first visit, then each
	 * supplement that brought some (what is in the row but in no event comes last) */
	int k = 0;
	uint32_t listed = 0;
	for (int v = 0; v <= x->ev.n; v++) {
		const struct event *ev = v < x->ev.n ? &x->ev.v[v] : NULL;
		uint32_t mask;
		if (!ev) {
			mask = x->d.components & ~listed;
		} else if (!strcmp(ev->kind, "received") || !strcmp(ev->kind, "supplement_received")) {
			json_t *p = ev_payload(ev);
			mask = (uint32_t)pint(p, "components") & ~listed;
			json_decref(p);
		} else {
			continue;
		}
		if (!mask)
			continue;
		if (ev && strcmp(ev->kind, "received")) {
			when_vn(ev->at, x->v2025, buf, sizeof buf);
			form_wrap(x->t, "   Nộp bổ sung lúc ", buf, FORM_COLS);
		}
		for (int i = 0; i < x->p.ncomponents; i++)
			if (mask & (1u << i)) {
				char lab[16];
				snprintf(lab, sizeof lab, "   %d) ", ++k);
				form_wrap(x->t, lab, x->p.components[i].name, FORM_COLS);
			}
		listed |= mask;
	}
	if (!k)
		ftext_line(x->t, "   (không có thành phần nào)");
	ftext_line(x->t, x->v2025 ? "2. Số lượng hồ sơ: 01 (bộ)" : "2. Số lượng hồ sơ: 01 bộ");
	int days = x->d.channel == CH_ONLINE ? x->p.committed_online : x->p.committed_direct;
	snprintf(buf, sizeof buf, "%s %d %s", x->v2025 ? "3. Thời gian giải quyết hồ sơ theo quy định là:" : "3. Thời gian giải quyết hồ sơ:",
		 days, x->p.hours ? "giờ làm việc" : "ngày làm việc");
	form_wrap(x->t, "", buf, FORM_COLS);
	when_vn(a->at, x->v2025, buf, sizeof buf);
	form_wrap(x->t, "4. Thời gian nhận hồ sơ: ", buf, FORM_COLS);
	when_vn(due, x->v2025, buf, sizeof buf);
	form_wrap(x->t, x->v2025 ? "5. Thời gian trả kết quả giải quyết hồ sơ: " : "5. Hẹn trả kết quả: ", buf, FORM_COLS);
	/* the dossier's copy of its fee lines (fees.h), else the procedure's catalogue fee */
	int64_t fee = x->d.fee_total > 0 ? x->d.fee_total : x->p.fee;
	if (fee > 0)
		money(fee, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "Không thu phí, lệ phí");
	form_wrap(x->t, "6. Phí, lệ phí: ", buf, FORM_COLS);
	if (x->v2025) {
		/* Circular 03/2025: where the applicant collects the result, and the register entry */
		collect_place(x, "7. Đăng ký nhận kết quả tại: ");
		char book[32];
		int no = forms_register_entry(x->c, x->d.code, book, sizeof book);
		if (no)
			snprintf(buf, sizeof buf, "Vào Sổ theo dõi hồ sơ, Quyển số: %s, Số thứ tự: %02d", book, no);
		else
			snprintf(buf, sizeof buf, "Vào Sổ theo dõi hồ sơ, Quyển số: ....., Số thứ tự: .....");
		form_wrap(x->t, "", buf, FORM_COLS);
	} else {
		form_wrap(x->t, "7. Nhận kết quả tại: ", "Bộ phận tiếp nhận và trả kết quả", FORM_COLS);
		form_wrap(x->t, "", "Vào sổ theo dõi hồ sơ theo mã hồ sơ trên. Khi đến nhận kết quả, ông/bà mang theo giấy này.", FORM_COLS);
	}
	signatures(x, "NGƯỜI NỘP HỒ SƠ", x->d.applicant_name, "NGƯỜI TIẾP NHẬN HỒ SƠ", clerk);
	return 0;
}

/* the opening every notice to the applicant shares: title, dossier code, date of
 * receipt, applicant and the procedure asked for */
static void form_opening(struct fctx *x, const char *title)
{
	char buf[1024];
	form_center(x->t, title, FORM_COLS);
	snprintf(buf, sizeof buf, x->v2025 && x->key == FK_REFUSAL ? "Mã hồ sơ (nếu có): %s" : "Mã hồ sơ: %s", x->d.code);
	form_center(x->t, buf, FORM_COLS);
	ftext_line(x->t, "");
	if (x->v2025) {
		struct office r = x->o;
		if (x->d.recv_office_id)
			org_office(x->c, NULL, x->d.recv_office_id, &r);
		form_wrap(x->t, office_label(&r), r.name, FORM_COLS);
	}
	when_vn(x->d.received_at, x->v2025, buf, sizeof buf);
	form_wrap(x->t, "Ngày tiếp nhận: ", buf, FORM_COLS);
	ftext_line(x->t, x->v2025 && x->key == FK_REFUSAL ? "Tiếp nhận hồ sơ của:" : "Hồ sơ của:");
	applicant(x);
	if (x->v2025)
		proxy_block(x);
	procedure_line(x, "Nội dung yêu cầu giải quyết: ");
	if (x->v2025)
		collect_place(x, "Đăng ký nhận kết quả tại: ");
	ftext_line(x->t, "");
}

static int form02(struct fctx *x, struct err *e)
{
	const struct event *s = NULL;
	for (int i = x->ev.n - 1; i >= 0 && !s; i--) {
		json_t *p = ev_payload(&x->ev.v[i]);
		if (!strcmp(x->ev.v[i].kind, "supplement_requested") ||
		    (!strcmp(x->ev.v[i].kind, "received") && !strcmp(pstr(p, "outcome"), "supplement")))
			s = &x->ev.v[i];
		json_decref(p);
	}
	if (!s)
		return err_set(e, MC_STATE, "no supplement was requested for dossier %s", x->d.code);
	json_t *p = ev_payload(s);
	char buf[1024], who[300], num[96], reason[NOTE_MAX_CHARS * 4 + 1];
	snprintf(reason, sizeof reason, "%s", pstr(p, "reason"));
	json_decref(p);
	user_name(x->c, s->actor, who, sizeof who);
	if (x->v2025)
		doc_number(x, "PBS", num, sizeof num);
	else
		snprintf(num, sizeof num, "Số: %s/BS", x->d.code);
	header(x, num, s->at);
	form_opening(x, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ");
	form_wrap(x->t, "", "Sau khi xem xét, hồ sơ cần được bổ sung, hoàn thiện những nội dung sau:", FORM_COLS);
	form_wrap(x->t, "   ", reason, FORM_COLS);
	when_vn(s->at, x->v2025, buf, sizeof buf);
	form_wrap(x->t, "Thời gian yêu cầu bổ sung: ", buf, FORM_COLS);
	if (x->v2025) {
		/* Circular 03/2025 form 02: the request, its reason, and whom to call */
		form_wrap(x->t, "Lý do: ", reason, FORM_COLS);
		form_wrap(x->t, "", "Thời gian giải quyết tạm dừng từ thời điểm trên đến khi nhận đủ hồ sơ bổ sung.", FORM_COLS);
		char phone[64] = "";
		store_setting_get(x->c->st, "org.phone", phone, sizeof phone);
		snprintf(buf, sizeof buf, "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ %s, số điện thoại %s "
			 "để được hướng dẫn.", who[0] ? who : "..........", phone[0] ? phone : "..........");
		form_wrap(x->t, "", buf, FORM_COLS);
	} else {
		form_wrap(x->t, "", "Thời gian giải quyết tạm dừng từ thời điểm trên đến khi nhận đủ hồ sơ bổ sung. "
			  "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ Bộ phận tiếp nhận và "
			  "trả kết quả để được hướng dẫn.", FORM_COLS);
	}
	signatures(x, "", "", "NGƯỜI HƯỚNG DẪN", who);
	return 0;
}

static int form03(struct fctx *x, struct err *e)
{
	/* refused at intake, or refused after processing (a negative result, signed) */
	if (x->d.stage != SG_REFUSED && !(x->d.decision == DEC_REFUSE && x->d.resolved_at))
		return err_set(e, MC_STATE, "dossier %s was not refused: no refusal slip", x->d.code);
	const struct event *s = NULL;
	char reason[NOTE_MAX_CHARS * 4 + 1] = "";
	for (int i = x->ev.n - 1; i >= 0 && !s; i--) {
		const char *k = x->ev.v[i].kind;
		json_t *p = ev_payload(&x->ev.v[i]);
		if (!strcmp(k, "refused") || (!strcmp(k, "received") && !strcmp(pstr(p, "outcome"), "refuse"))) {
			s = &x->ev.v[i];
			snprintf(reason, sizeof reason, "%s", pstr(p, "reason"));
		} else if (!strcmp(k, "signed")) {
			s = &x->ev.v[i];
			snprintf(reason, sizeof reason, "%s", x->d.note);
		}
		json_decref(p);
	}
	char buf[1024], who[300], num[96];
	user_name(x->c, s ? s->actor : x->d.last_actor, who, sizeof who);
	if (x->v2025)
		doc_number(x, "PTC", num, sizeof num);
	else
		snprintf(num, sizeof num, "Số: %s/TC", x->d.code);
	header(x, num, s ? s->at : 0);
	form_opening(x, "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ");
	form_wrap(x->t, "", "Cơ quan, đơn vị không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:", FORM_COLS);
	form_wrap(x->t, "   ", reason[0] ? reason : x->d.note, FORM_COLS);
	if (s) {
		when_vn(s->at, x->v2025, buf, sizeof buf);
		form_wrap(x->t, "Thời gian: ", buf, FORM_COLS);
	}
	form_wrap(x->t, "", "Xin thông báo để ông/bà được biết và thực hiện.", FORM_COLS);
	if (x->v2025) /* Circular 03/2025 form 03: both sign */
		signatures(x, "NGƯỜI NỘP HỒ SƠ", x->d.applicant_name, "NGƯỜI TIẾP NHẬN HỒ SƠ", who);
	else
		signatures(x, "", "", "NGƯỜI LẬP PHIẾU", who);
	return 0;
}

static int form04(struct fctx *x, struct err *e)
{
	static const char *const k[] = {"extended", NULL};
	const struct event *s = ev_last(&x->ev, k);
	/* liên thông: a late agency's apology on its part's chain, before the lead applied it */
	struct lt_apology *ap = s ? NULL : malloc(sizeof *ap);
	if (ap && !lt_apology_of(x->c, x->d.code, ap)) {
		free(ap);
		ap = NULL;
	}
	if (!s && !ap)
		return err_set(e, MC_STATE, "dossier %s was never extended: no apology letter", x->d.code);
	json_t *p = s ? ev_payload(s) : NULL;
	int64_t prev = s ? pint(p, "previous_due_at") : ap->previous_due_at, due = s ? pint(p, "due_at") : ap->due_at;
	int64_t at = s ? (pint(p, "apology_at") ? pint(p, "apology_at") : s->at) : ap->at;
	char reason[NOTE_MAX_CHARS * 4 + 1], agency[32], signer[300];
	snprintf(reason, sizeof reason, "%s", s ? pstr(p, "reason") : ap->reason);
	snprintf(agency, sizeof agency, "%s", s ? pstr(p, "agency") : ap->agency);
	snprintf(signer, sizeof signer, "%s", s ? pstr(p, "signer_name") : ap->signer_name);
	char late[256] = ""; /* liên thông: the agency whose part made it late signs */
	if (agency[0]) {
		struct office lo;
		snprintf(late, sizeof late, "%s", org_office(x->c, agency, 0, &lo) ? agency : lo.name);
	}
	json_decref(p);
	char buf[1024], who[300], num[96], a[80], b[80];
	/* signed by the late agency's head when it issued the letter itself (its name travels with it) */
	if (signer[0])
		form_safe(signer, who, sizeof who);
	else
		user_name(x->c, s ? s->actor : ap->signer, who, sizeof who);
	free(ap);
	if (x->v2025)
		snprintf(num, sizeof num, "Số: %s/PXL", x->d.code);
	else
		snprintf(num, sizeof num, "Số: %s/XL", x->d.code);
	header(x, num, at);
	/* Circular 03/2025 renamed form 04: it now also asks for the extension */
	form_center(x->t, x->v2025 ? "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" : "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
		    FORM_COLS);
	snprintf(buf, sizeof buf, "Mã hồ sơ: %s", x->d.code);
	form_center(x->t, buf, FORM_COLS);
	ftext_line(x->t, "");
	cal_format_vn(x->d.received_at, a, sizeof a);
	when_vn(prev ? prev : x->d.orig_due_at, x->v2025, b, sizeof b);
	if (x->v2025) {
		/* Circular 03/2025 form 04: to the applicant, from the agency, with the ID and code */
		form_wrap(x->t, "Kính gửi: ", x->d.applicant_name, FORM_COLS);
		struct office r = x->o;
		if (x->d.resolver_id)
			org_office(x->c, NULL, x->d.resolver_id, &r);
		char d30[64], safe[300];
		forms_date_vn(NULL, x->d.received_at, d30, sizeof d30);
		form_safe(r.name, safe, sizeof safe);
		snprintf(buf, sizeof buf, "Ngày %s, %s tiếp nhận đề nghị giải quyết thủ tục hành chính của:", d30 + strlen("ngày "), safe);
		form_wrap(x->t, "", buf, FORM_COLS);
		applicant(x);
		proxy_block(x);
		form_wrap(x->t, "Mã số hồ sơ: ", x->d.code, FORM_COLS);
	} else {
		snprintf(buf, sizeof buf, "Ngày %s, Bộ phận tiếp nhận và trả kết quả tiếp nhận hồ sơ của:", a);
		form_wrap(x->t, "", buf, FORM_COLS);
		applicant(x);
	}
	procedure_line(x, "Nội dung yêu cầu giải quyết: ");
	form_wrap(x->t, "Thời gian hẹn trả kết quả: ", b, FORM_COLS);
	form_wrap(x->t, "", "Tuy nhiên đến nay, cơ quan, đơn vị chưa trả kết quả giải quyết hồ sơ đúng hạn ghi trên "
		  "Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Lý do:", FORM_COLS);
	form_wrap(x->t, "   ", reason, FORM_COLS);
	form_wrap(x->t, "", "Sự chậm trễ này đã gây phiền hà cho ông/bà. Cơ quan, đơn vị xin lỗi ông/bà "
		  "và hẹn lại thời gian trả kết quả:", FORM_COLS);
	when_vn(due, x->v2025, b, sizeof b);
	form_wrap(x->t, "   ", b, FORM_COLS);
	if (late[0])
		form_wrap(x->t, "Cơ quan, đơn vị chậm giải quyết (ký phiếu): ", late, FORM_COLS);
	if (x->v2025) {
		collect_place(x, "Nơi trả kết quả: ");
		form_wrap(x->t, "", "Cơ quan, đơn vị rất mong nhận được sự thông cảm của ông/bà.", FORM_COLS);
	}
	/* issued by the leader, head of the agency (the "extended" event's actor, or the late
	 * agency's head who signed it) */
	signatures(x, "", "", "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", who);
	return 0;
}

static int form05(struct fctx *x, struct err *e)
{
	if (x->d.stage != SG_STOPPED && x->d.stage != SG_WITHDRAWN)
		return err_set(e, MC_STATE, "dossier %s was neither stopped nor withdrawn: no notice", x->d.code);
	static const char *const k[] = {"stopped", "withdrawn", NULL};
	const struct event *s = ev_last(&x->ev, k);
	char reason[NOTE_MAX_CHARS * 4 + 1] = "", buf[1024], who[300], num[96];
	if (s) {
		json_t *p = ev_payload(s);
		snprintf(reason, sizeof reason, "%s", pstr(p, "reason"));
		json_decref(p);
	}
	int stop = x->d.stage == SG_STOPPED;
	user_name(x->c, s ? s->actor : x->d.last_actor, who, sizeof who);
	snprintf(num, sizeof num, "Số: %s/%s", x->d.code, stop ? "DXL" : "RHS");
	header(x, num, s ? s->at : 0);
	form_center(x->t, !stop ? "THÔNG BÁO VỀ VIỆC RÚT HỒ SƠ" : x->v2025 ? "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" : "THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ",
		    FORM_COLS);
	snprintf(buf, sizeof buf, "Mã hồ sơ: %s", x->d.code);
	form_center(x->t, buf, FORM_COLS);
	ftext_line(x->t, "");
	when_vn(x->d.received_at, x->v2025, buf, sizeof buf);
	form_wrap(x->t, "Ngày tiếp nhận: ", buf, FORM_COLS);
	ftext_line(x->t, "Hồ sơ của:");
	applicant(x);
	procedure_line(x, "Nội dung yêu cầu giải quyết: ");
	ftext_line(x->t, "");
	form_wrap(x->t, "", stop ? "Cơ quan, đơn vị thông báo dừng xử lý hồ sơ trên. Lý do:"
		  : "Theo đề nghị của người nộp, hồ sơ trên được rút và không tiếp tục giải quyết. Lý do:", FORM_COLS);
	form_wrap(x->t, "   ", reason[0] ? reason : x->d.note, FORM_COLS);
	if (s) {
		when_vn(s->at, x->v2025, buf, sizeof buf);
		form_wrap(x->t, "Thời gian: ", buf, FORM_COLS);
	}
	if (x->v2025) {
		/* Circular 03/2025 form 05 (its fields are INFERRED in the notes): what becomes of
		 * the originals and of the fees paid */
		collect_place(x, "Giấy tờ gốc (nếu có) trả lại tại: ");
		char fee[64];
		/* with fee lines (fees.h): what was paid and not refunded; else the catalogue fee */
		int64_t due = x->d.fee_total > 0 ? x->d.fee_total : x->p.fee;
		int64_t paid = x->d.fee_total > 0 ? x->d.fee_paid + x->d.fee_counter_paid - x->d.fee_refunded - x->d.fee_counter_refunded
						  : x->p.fee; /* (with what the receiving desk took, fees_counter.h) */
		if (paid > 0)
			money(paid, fee, sizeof fee);
		if (paid > 0)
			snprintf(buf, sizeof buf, "Phí, lệ phí đã nộp (%s) được xử lý theo quy định về phí, lệ phí.", fee);
		else
			snprintf(buf, sizeof buf, "%s", due > 0 ? "Chưa nộp phí, lệ phí." : "Thủ tục không thu phí, lệ phí.");
		form_wrap(x->t, "", buf, FORM_COLS);
	}
	signatures(x, "", "", stop ? "NGƯỜI CÓ THẨM QUYỀN" : "NGƯỜI TIẾP NHẬN", who);
	return 0;
}

/* the grids of forms 06 and 07 (defined with form 07) */

/* who holds the dossier after an event */
static void receiver(struct fctx *x, const struct event *ev, char *out, size_t n)
{
	json_t *p = ev_payload(ev);
	const char *k = ev->kind;
	if (!strcmp(k, "transferred")) {
		struct department dp;
		if (store_dept_by_code(x->c->st, pstr(p, "department"), &dp) == 0)
			snprintf(out, n, "%s", dp.name);
		else
			snprintf(out, n, "%s", pstr(p, "department"));
	} else if (lt_receiver(x->c, ev, out, n)) {
		/* a part of a liên thông dossier: the co-operating agency */
	} else if (!strcmp(k, "assigned")) {
		user_name(x->c, pstr(p, "assignee"), out, n);
	} else if (!strcmp(k, "proposed")) {
		snprintf(out, n, "Lãnh đạo (ký duyệt)");
	} else if (!strcmp(k, "sent_back")) {
		snprintf(out, n, "Chuyên viên xử lý");
	} else if (!strcmp(k, "routed")) {
		struct office o;
		snprintf(out, n, "%s", org_office(x->c, pstr(p, "to"), 0, &o) ? pstr(p, "to") : o.name);
	} else if (!strcmp(k, "signed")) {
		snprintf(out, n, "Bộ phận một cửa (trả kết quả)");
	} else if (!strcmp(k, "returned")) {
		snprintf(out, n, "%s", pstr(p, "collected_by"));
	} else if (!strcmp(k, "supplement_requested")) {
		snprintf(out, n, "Người nộp hồ sơ (bổ sung)");
	} else if (!strcmp(k, "received") && strcmp(pstr(p, "outcome"), "accept")) {
		snprintf(out, n, "%s", !strcmp(pstr(p, "outcome"), "refuse") ? "(từ chối)" :
			 !strcmp(pstr(p, "outcome"), "supplement") ? "Người nộp hồ sơ (bổ sung)" : "Bộ phận một cửa (chờ tiếp nhận)");
	} else if (!strcmp(k, "received") || !strcmp(k, "accepted") || !strcmp(k, "supplement_received")) {
		snprintf(out, n, "Bộ phận một cửa");
	} else {
		out[0] = 0;
	}
	json_decref(p);
}

/* liên thông between stores: the parts handed back on their own chains (lienthong.h),
 * rows of form 06 between the dossier's own steps */
struct chain_backs { int n; struct lt_part p[LT_MAX_PARTS]; char lead[32]; };

static int chain_back(const struct lt_part *p, const char *lead, void *ctx)
{
	struct chain_backs *b = ctx;
	if (b->n < LT_MAX_PARTS) {
		b->p[b->n++] = *p;
		snprintf(b->lead, sizeof b->lead, "%s", lead);
	}
	return 0;
}

static void chain_back_row(struct fctx *x, const struct lt_part *p, const char *lead, const int *cw, const int *sw)
{
	char from[300], to[300], unit[700], when[80], result[120], note[NOTE_MAX_CHARS * 4 + 200], due[40];
	struct office o;
	snprintf(from, sizeof from, "%s", org_office(x->c, p->agency, 0, &o) ? p->agency : o.name);
	snprintf(to, sizeof to, "%s", org_office(x->c, lead, 0, &o) ? lead : o.name);
	snprintf(unit, sizeof unit, "1. Giao: %s\n2. Nhận: %s", from, to);
	when_vn(p->returned_at, 0, when, sizeof when);
	short_time(p->due_at, due, sizeof due);
	snprintf(result, sizeof result, "%s\n(hạn %s)", tl_vi(cal_timeliness(p->due_at, p->returned_at, core_now(x->c))), due);
	snprintf(note, sizeof note, "Phần việc %d: %s\n%s", p->n, lt_event_vi("part_returned"), p->result);
	const char *cells[4] = {unit, when, result, note};
	ftext_grid_row(x->t, 4, cw, cells);
	const char *sig[1] = {"Người giao: ........................  Người nhận: ........................"};
	ftext_grid_row(x->t, 1, sw, sig);
	ftext_grid_rule(x->t, 4, cw);
}

/* the late agencies' apologies on their chains: a row each, the letter going to the lead */
struct chain_aps { int n; struct lt_apology a[LT_MAX_PARTS]; char lead[32]; };

static int chain_ap(const struct lt_apology *a, void *ctx)
{
	struct chain_aps *b = ctx;
	if (b->n < LT_MAX_PARTS)
		b->a[b->n++] = *a;
	return 0;
}

static void chain_ap_row(struct fctx *x, const struct lt_apology *a, const int *cw, const int *sw)
{
	char from[300], to[300], unit[900], when[80], note[NOTE_MAX_CHARS * 4 + 300], due[40], who[300];
	struct office o;
	snprintf(from, sizeof from, "%s", org_office(x->c, a->agency, 0, &o) ? a->agency : o.name);
	snprintf(to, sizeof to, "%s", x->o.name);
	if (x->d.resolver_id && !org_office(x->c, NULL, x->d.resolver_id, &o))
		snprintf(to, sizeof to, "%s", o.name);
	form_safe(a->signer_name[0] ? a->signer_name : a->signer, who, sizeof who);
	snprintf(unit, sizeof unit, "1. Giao: %s (%s)\n2. Nhận: %s", who, from, to);
	when_vn(a->at, 0, when, sizeof when);
	short_time(a->due_at, due, sizeof due);
	snprintf(note, sizeof note, "Phần việc %d: %s\nHẹn mới: %s; lý do: %s", a->n, lt_event_vi("part_apology"), due, a->reason);
	const char *cells[4] = {unit, when, "", note};
	ftext_grid_row(x->t, 4, cw, cells);
	const char *sig[1] = {"Người giao: ........................  Người nhận: ........................"};
	ftext_grid_row(x->t, 1, sw, sig);
	ftext_grid_rule(x->t, 4, cw);
}

static int form06(struct fctx *x, struct err *e)
{
	(void)e;
	char buf[1024], a[40], b[40], who[300], to[300];
	designation(x);
	form_center(x->t, x->o.name, FORM_COLS);
	if (x->v2025) {
		doc_number(x, "PKS", buf, sizeof buf);
		ftext_line(x->t, buf);
	}
	form_center(x->t, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", FORM_COLS);
	snprintf(buf, sizeof buf, "Mã hồ sơ: %s", x->d.code);
	form_center(x->t, buf, FORM_COLS);
	ftext_line(x->t, "");
	form_wrap(x->t, "Người nộp: ", x->d.applicant_name, FORM_COLS);
	procedure_line(x, "Thủ tục: ");
	short_time(x->d.received_at, a, sizeof a);
	if (x->d.orig_due_at) {
		short_time(x->d.orig_due_at, b, sizeof b);
		snprintf(buf, sizeof buf, "Nhận: %s; hẹn trả (cam kết): %s", a, b);
	} else {
		snprintf(buf, sizeof buf, "Nhận: %s", a);
	}
	form_wrap(x->t, "", buf, FORM_COLS);
	if (x->d.due_at && x->d.due_at != x->d.orig_due_at) {
		short_time(x->d.due_at, b, sizeof b);
		form_wrap(x->t, "Hẹn lại: ", b, FORM_COLS);
	}
	if (x->v2025) {
		/* Circular 03/2025 form 06: the agency resolving it and those co-operating */
		struct office r = x->o;
		if (x->d.resolver_id)
			org_office(x->c, NULL, x->d.resolver_id, &r);
		form_wrap(x->t, "Cơ quan (bộ phận) giải quyết hồ sơ: ", r.name, FORM_COLS);
		/* liên thông: the participating agencies (lienthong.h) */
		char coop[1024];
		form_wrap(x->t, "Cơ quan phối hợp giải quyết hồ sơ: ", lt_cooperating(x->c, x->d.code, coop, sizeof coop) ? coop : "không có",
			  FORM_COLS);
		when_vn(x->d.received_at, 1, buf, sizeof buf);
		form_wrap(x->t, "Ngày nhận: ", buf, FORM_COLS);
		if (x->d.due_at) {
			when_vn(x->d.due_at, 1, buf, sizeof buf);
			form_wrap(x->t, "Hẹn trả kết quả vào ", buf, FORM_COLS);
		}
	}
	ftext_line(x->t, "");
	/* Circular 03/2025: the notes' table of four columns, a row per hand-over */
	static const int cw[4] = {24, 17, 20, 14}, sw[1] = {78};
	static const char *const heads[4] = {"Tên đơn vị", "Thời gian giao nhận hồ sơ",
		"Kết quả giải quyết hồ sơ (trước hạn/ đúng hạn/quá hạn)", "Ghi chú"};
	char rule[FORM_COLS + 1];
	memset(rule, '-', FORM_COLS);
	rule[FORM_COLS] = 0;
	if (x->v2025) {
		ftext_grid_rule(x->t, 4, cw);
		ftext_grid_row(x->t, 4, cw, heads);
		ftext_grid_rule(x->t, 4, cw);
	} else {
		ftext_line(x->t, "TT  Thời gian         Bước / bên giao -> bên nhận / hạn của bước");
		ftext_line(x->t, rule);
	}
	int64_t now = core_now(x->c);
	struct snapshot_base base;
	int older = 0;          /* steps before the first one here */
	if (store_snapshot_base_get(x->c->st, x->d.code, 0, &base) == 0 && base.dseq > 1) {
		older = base.dseq - 1;
		/* a dossier taken from central's snapshot: its older steps are not here */
		snprintf(buf, sizeof buf, "Các bước 1-%d nằm ở máy chủ trung tâm (motcua sync fetch %s để lấy về).",
			 base.dseq - 1, x->d.code);
		form_wrap(x->t, "", buf, FORM_COLS);
	}
	struct chain_backs cb = {0};
	struct chain_aps *ca = calloc(1, sizeof *ca);
	int nb = 0, na = 0;
	if (x->v2025)
		lt_chain_backs(x->c, x->d.code, chain_back, &cb);
	if (ca)
		lt_chain_apologies(x->c, x->d.code, chain_ap, ca);
	for (int i = 0; i < x->ev.n && x->v2025; i++) {
		/* 1. Giao / 2. Nhận, the time, the step's result, what the step was */
		const struct event *ev = &x->ev.v[i];
		/* the chains' hand-backs and apologies before this step, in time order */
		for (;;) {
			int back = nb < cb.n && cb.p[nb].returned_at <= ev->at, ap = ca && na < ca->n && ca->a[na].at <= ev->at;
			if (back && (!ap || cb.p[nb].returned_at <= ca->a[na].at))
				chain_back_row(x, &cb.p[nb++], cb.lead, cw, sw);
			else if (ap)
				chain_ap_row(x, &ca->a[na++], cw, sw);
			else
				break;
		}
		char unit[700], when[80], result[120] = "", note[900];
		user_name(x->c, ev->actor, who, sizeof who);
		receiver(x, ev, to, sizeof to);
		snprintf(unit, sizeof unit, "1. Giao: %s\n2. Nhận: %s", who, to[0] ? to : "..........");
		when_vn(ev->at, 0, when, sizeof when);
		json_t *p = ev_payload(ev);
		int64_t sdue = pint(p, "step_due_at");
		snprintf(note, sizeof note, "Bước %d: %s", older + i + 1, event_vi(ev->kind));
		if (!strcmp(ev->kind, "extended")) {
			short_time(pint(p, "due_at"), b, sizeof b);
			size_t l = strlen(note);
			snprintf(note + l, sizeof note - l, "\nHẹn mới: %s; lý do: %s", b, pstr(p, "reason"));
		}
		json_decref(p);
		if (sdue > 0) {
			int64_t end = 0;
			for (int j = i + 1; j < x->ev.n && !end; j++)
				if (strcmp(x->ev.v[j].kind, "extended"))
					end = x->ev.v[j].at;
			short_time(sdue, b, sizeof b);
			snprintf(result, sizeof result, "%s%s\n(hạn %s)", end ? "" : "Đang xử lý: ", tl_vi(cal_timeliness(sdue, end, now)), b);
		}
		const char *cells[4] = {unit, when, result, note};
		ftext_grid_row(x->t, 4, cw, cells);
		/* the giver's and the receiver's signatures under each hand-over */
		const char *sig[1] = {"Người giao: ........................  Người nhận: ........................"};
		ftext_grid_row(x->t, 1, sw, sig);
		ftext_grid_rule(x->t, 4, cw);
	}
	while (x->v2025 && (nb < cb.n || (ca && na < ca->n))) {
		if (nb < cb.n && (!ca || na >= ca->n || cb.p[nb].returned_at <= ca->a[na].at))
			chain_back_row(x, &cb.p[nb++], cb.lead, cw, sw);
		else
			chain_ap_row(x, &ca->a[na++], cw, sw);
	}
	for (int i = 0; i < x->ev.n && !x->v2025; i++) {
		const struct event *ev = &x->ev.v[i];
		short_time(ev->at, a, sizeof a);
		char lab[64];
		snprintf(lab, sizeof lab, "%2d. %s  ", older + i + 1, a);
		form_wrap(x->t, lab, event_vi(ev->kind), FORM_COLS);
		user_name(x->c, ev->actor, who, sizeof who);
		receiver(x, ev, to, sizeof to);
		snprintf(buf, sizeof buf, "%s (%s)%s%s", who, ev->actor, to[0] ? " -> " : "", to);
		form_wrap(x->t, "                      Giao: ", buf, FORM_COLS);
		json_t *p = ev_payload(ev);
		int64_t sdue = pint(p, "step_due_at");
		if (!strcmp(ev->kind, "extended")) {
			short_time(pint(p, "due_at"), b, sizeof b);
			snprintf(buf, sizeof buf, "Hẹn mới: %s; lý do: %s", b, pstr(p, "reason"));
			form_wrap(x->t, "                      ", buf, FORM_COLS);
		}
		json_decref(p);
		if (sdue > 0) {
			/* the step ends with the next hand-over (an extension is none) */
			int64_t end = 0;
			for (int j = i + 1; j < x->ev.n && !end; j++)
				if (strcmp(x->ev.v[j].kind, "extended"))
					end = x->ev.v[j].at;
			int tl = cal_timeliness(sdue, end, now);
			short_time(sdue, b, sizeof b);
			if (end) {
				short_time(end, a, sizeof a);
				snprintf(buf, sizeof buf, "Hạn: %s; xong: %s; %s", b, a, tl_vi(tl));
			} else {
				snprintf(buf, sizeof buf, "Hạn: %s; đang xử lý: %s", b, tl_vi(tl));
			}
			form_wrap(x->t, "                      ", buf, FORM_COLS);
		}
	}
	if (!x->v2025)
		ftext_line(x->t, rule);
	int tl = core_timeliness(x->c, &x->d);
	snprintf(buf, sizeof buf, "%s%s%s", status_official(x->d.status), tl ? " - " : "", tl ? tl_vi(tl) : "");
	form_wrap(x->t, "Tình trạng: ", buf, FORM_COLS);
	if (x->d.apology || (ca && ca->n))
		form_wrap(x->t, "", "Có văn bản xin lỗi và hẹn lại ngày trả kết quả.", FORM_COLS);
	free(ca);
	return 0;
}

/* ---- form 07: the register ------------------------------------------------------------ */

/* The register's books (Circular 01/2018 Art. 10, kept under Circular 03/2025): one book
 * opened each year; entries numbered from 01 through the year; a full book is followed
 * by the next, which continues the numbering.  How many entries a book holds is the
 * setting register.book_entries (0 or unset: one book a year). */
int forms_register_entry(struct core *c, const char *code, char *book, size_t n)
{
	int year = 0, no = org_register_no(c, code, &year);
	if (!no) {
		if (n)
			book[0] = 0;
		return 0;
	}
	char v[32] = "";
	store_setting_get(c->st, "register.book_entries", v, sizeof v);
	long size = atol(v);
	long k = size > 0 ? (no - 1) / size + 1 : 1;
	snprintf(book, n, "%02ld/%d", k, year);
	return no;
}

/* Circular 03/2025 form 07's columns (LAW.md §2.2), widths summing with the 12 bars to 80 */
enum { RG_COLS = 11 };
static const int rg_w[RG_COLS] = {4, 8, 8, 8, 6, 6, 6, 6, 6, 6, 4};
static const char *const rg_head[RG_COLS] = {"STT", "Mã hồ sơ", "Tên TTHC", "Tên tổ chức, cá nhân", "Địa chỉ/ SĐT",
	"Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả", "Phương thức nhận kết quả", "Ký nhận"};

static void grid_row(struct strbuf *t, const char *const cells[RG_COLS]) { ftext_grid_row(t, RG_COLS, rg_w, cells); }
static void grid_rule(struct strbuf *t) { ftext_grid_rule(t, RG_COLS, rg_w); }

static void grid_head(struct strbuf *t)
{
	grid_rule(t);
	/* the group over columns 7-11 */
	int span = RG_COLS - 7; /* bars inside the group */
	for (int k = 6; k < RG_COLS; k++)
		span += rg_w[k];
	char pad[160], line[256];
	const char *g = "Nhận và trả kết quả";
	int gw = form_width(g);
	/* the columns 1-6 continue beside it: their bars */
	size_t o = (size_t)snprintf(pad, sizeof pad, "|");
	for (int k = 0; k < 6; k++)
		o += (size_t)snprintf(pad + o, sizeof pad - o, "%*s|", rg_w[k], "");
	snprintf(line, sizeof line, "%s%*s%s%*s|", pad, (span - gw) / 2, "", g, span - gw - (span - gw) / 2, "");
	ftext_line(t, line);
	o = (size_t)snprintf(line, sizeof line, "|");
	for (int k = 0; k < RG_COLS; k++) {
		if (k < 6)
			o += (size_t)snprintf(line + o, sizeof line - o, "%*s|", rg_w[k], "");
		else {
			memset(line + o, '-', (size_t)rg_w[k]);
			o += (size_t)rg_w[k];
			line[o++] = k == RG_COLS - 1 ? '|' : '+';
			line[o] = 0;
		}
	}
	ftext_line(t, line);
	grid_row(t, rg_head);
	const char *nums[RG_COLS];
	char nb[RG_COLS][8];
	for (int k = 0; k < RG_COLS; k++) {
		snprintf(nb[k], sizeof nb[k], "(%d)", k + 1);
		nums[k] = nb[k];
	}
	grid_row(t, nums);
	grid_rule(t);
}

static const char *result_way(int channel)
{
	/* the result goes back the way the dossier came (as the portal's HinhThuc says) */
	return channel == CH_POSTAL ? "Bưu chính" : channel == CH_ONLINE ? "Trực tuyến" : "Trực tiếp";
}

struct reg {
	struct fctx *x;
	int n;
	struct { int64_t id; char code[32]; char name[200]; } cache[64];
	int ncache;
	struct procedure *p;
	struct dossier *d;
	char book[32];          /* the book of the last entry ("" before the first) */
};

static int reg_one(const struct rep_item *it, void *arg)
{
	struct reg *g = arg;
	struct fctx *x = g->x;
	char buf[1024], a[40], b[40];
	if (store_dossier_get(x->c->st, it->code, g->d))
		return 0;
	int k = -1;
	for (int i = 0; i < g->ncache; i++)
		if (g->cache[i].id == it->procedure_id)
			k = i;
	if (k < 0) {
		k = g->ncache < 64 ? g->ncache++ : (int)(it->procedure_id % 64);
		g->cache[k].id = it->procedure_id;
		if (store_procedure_get(x->c->st, it->procedure_id, g->p) == 0) {
			snprintf(g->cache[k].code, sizeof g->cache[k].code, "%s", g->p->code);
			snprintf(g->cache[k].name, sizeof g->cache[k].name, "%s", g->p->name);
		} else {
			snprintf(g->cache[k].code, sizeof g->cache[k].code, "?");
			g->cache[k].name[0] = 0;
		}
	}
	g->n++;
	char code[80], book[32];
	form_safe(it->code, code, sizeof code);
	/* numbered through the year, across books (Circular 01/2018 Art. 10) */
	int no = forms_register_entry(x->c, it->code, book, sizeof book);
	if (no && strcmp(book, g->book)) {
		if (g->book[0] || x->v2025) {
			snprintf(buf, sizeof buf, "Quyển số %s, từ số thứ tự %02d", book, no);
			if (x->v2025) {
				char line[128];
				form_pad(buf, FORM_COLS - 2, 0, line, sizeof line);
				ftext_linef(x->t, "|%s|", line);
				grid_rule(x->t);
			} else {
				ftext_line(x->t, buf);
			}
		}
		snprintf(g->book, sizeof g->book, "%s", book);
	}
	if (x->v2025) {
		/* Circular 03/2025 form 07: one row of the grid */
		char stt[16], addr[600], lead[300] = "", recv[40], due[40] = "", ret[40] = "";
		struct office r;
		snprintf(stt, sizeof stt, "%02d", no ? no : g->n);
		snprintf(addr, sizeof addr, "%s%s%s", g->d->applicant_address, g->d->applicant_address[0] && g->d->applicant_phone[0] ? " / " : "",
			 g->d->applicant_phone);
		if (!org_office(x->c, NULL, g->d->resolver_id ? g->d->resolver_id : g->d->office_id, &r))
			snprintf(lead, sizeof lead, "%s", r.name);
		cal_format_vn(it->received_at, a, sizeof a);
		int m = cal_minute_of(it->received_at);
		snprintf(recv, sizeof recv, "%02d:%02d %s", m / 60, m % 60, a);
		if (it->due_at)
			cal_format_vn(it->due_at, due, sizeof due);
		if (g->d->returned_at)
			cal_format_vn(g->d->returned_at, ret, sizeof ret);
		const char *cells[RG_COLS] = {stt, code, g->cache[k].name, g->d->applicant_name, addr, lead, recv, due, ret,
			result_way(g->d->channel), ""};
		/* "05/07/2025" breaks after its second slash: "05/07/" "2025" */
		grid_row(x->t, cells);
		grid_rule(x->t);
		return 0;
	}
	short_time(it->received_at, a, sizeof a);
	if (it->due_at) {
		cal_format_vn(it->due_at, b, sizeof b);
	} else {
		snprintf(b, sizeof b, "-");
	}
	ftext_linef(x->t, "%5d %-27s Nhận %s  Hẹn %s", no ? no : g->n, code, a, b);
	form_wrap(x->t, "      ", g->d->applicant_name, FORM_COLS);
	snprintf(buf, sizeof buf, "%s %s", g->cache[k].code, g->cache[k].name);
	form_wrap(x->t, "      ", buf, FORM_COLS);
	int tl = core_timeliness(x->c, g->d);
	const char *st = status_official(g->d->status);
	if (g->d->returned_at) {
		cal_format_vn(g->d->returned_at, a, sizeof a);
		snprintf(buf, sizeof buf, "%s ngày %s%s%s", st, a, tl ? " - " : "", tl ? tl_vi(tl) : "");
	} else {
		snprintf(buf, sizeof buf, "%s%s%s", st, tl ? " - " : "", tl ? tl_vi(tl) : "");
	}
	form_wrap(x->t, "      ", buf, FORM_COLS);
	return 0;
}

static int form07(struct fctx *x, int64_t from, int64_t to, struct err *e)
{
	if (to <= from)
		return err_set_hint(e, MC_USAGE, HINT_PERIOD, "form 07 (register) needs a period");
	char a[16], b[16], buf[256];
	cal_format_vn(from, a, sizeof a);
	cal_format_vn(to - 1, b, sizeof b);
	if (x->v2025) {
		/* the 2025 heading: the register's number and the place before the date */
		x->o = x->c->office;
		snprintf(x->d.code, sizeof x->d.code, "%.4s", a + 6);
		char num[96];
		doc_number(x, "STD", num, sizeof num);
		header(x, num, from);
	} else {
		designation(x);
		form_center(x->t, x->c->office.name, FORM_COLS);
	}
	form_center(x->t, "SỔ THEO DÕI HỒ SƠ", FORM_COLS);
	snprintf(buf, sizeof buf, "Từ ngày %s đến ngày %s", a, b);
	form_center(x->t, buf, FORM_COLS);
	ftext_line(x->t, "");
	char rule[FORM_COLS + 1];
	memset(rule, '-', FORM_COLS);
	rule[FORM_COLS] = 0;
	if (x->v2025) {
		grid_head(x->t);
	} else {
		ftext_line(x->t, "  STT Mã hồ sơ / người nộp / thủ tục / tình trạng");
		ftext_line(x->t, rule);
	}
	struct reg *g = calloc(1, sizeof *g);
	if (!g)
		return err_set(e, MC_STORE, "out of memory");
	g->x = x;
	g->p = malloc(sizeof *g->p);
	g->d = malloc(sizeof *g->d);
	int rc = 0;
	if (!g->p || !g->d)
		rc = err_set(e, MC_STORE, "out of memory");
	else if ((x->v2025 ? store_report_received_here : store_report_received)(x->c->st, x->c->office.id, from, to, reg_one, g))
		rc = err_set(e, MC_STORE, "reading the register failed");
	if (!rc) {
		if (!x->v2025)
			ftext_line(x->t, rule);
		ftext_linef(x->t, "Tổng số: %d hồ sơ", g->n);
		if (x->v2025) {
			ftext_line(x->t, "");
			form_wrap(x->t, "", "Sổ được mở theo năm và khóa sổ cuối năm; số thứ tự đánh liên tục từ 01 trong năm, "
				  "sang quyển mới trong năm thì tiếp theo số cuối của quyển trước.", FORM_COLS);
		}
	}
	free(g->p);
	free(g->d);
	free(g);
	return rc;
}

int forms_build(struct core *c, const char *form, const char *code, int64_t from, int64_t to,
		struct strbuf *out, struct err *e)
{
	int n = form ? forms_key(form) : 0;
	if (!n)
		return err_set(e, MC_USAGE, "unknown form '%.20s': forms are 01 to 07, or RECEIPT, SUPPLEMENT_REQUEST, REFUSAL, APOLOGY_EXTENSION, STOP_NOTICE, CONTROL_SHEET, REGISTER",
			       form ? form : "");
	struct fctx *x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, MC_STORE, "out of memory");
	x->c = c;
	x->t = out;
	x->key = n;
	int rc = 0;
	if (n == 7) {
		x->v2025 = from >= forms_reform_instant();
		rc = form07(x, from, to, e);
		goto done;
	}
	if (!code || !*code) {
		rc = err_set(e, MC_USAGE, "form %02d needs a dossier code", n);
		goto done;
	}
	if ((rc = dossier_get(c, code, &x->d, e)))
		goto done;
	if (store_procver_of_dossier(c->st, &x->d, &x->p) || store_office_get(c->st, x->d.office_id, &x->o)) {
		rc = err_set(e, MC_NOTFOUND, "the procedure or office of dossier %s is missing", x->d.code);
		goto done;
	}
	x->v2025 = x->d.received_at >= forms_reform_instant();
	/* the receipt is the receiving office's, wherever the dossier is now (org.h) */
	if (n == FK_RECEIPT && x->d.recv_office_id)
		org_office(c, NULL, x->d.recv_office_id, &x->o);
	store_events_of(c->st, x->d.code, ev_collect, &x->ev);
	if (x->ev.oom) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	switch (n) {
	case 1: rc = form01(x, e); break;
	case 2: rc = form02(x, e); break;
	case 3: rc = form03(x, e); break;
	case 4: rc = form04(x, e); break;
	case 5: rc = form05(x, e); break;
	case 6: rc = form06(x, e); break;
	}
done:
	if (!rc && out->oom)
		rc = err_set(e, MC_STORE, "out of memory");
	ev_free(&x->ev);
	free(x);
	return rc;
}
