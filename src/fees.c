/* fees.c - fee lines, the dossier's copy of them, payments, receipts and refunds (see
 * fees.h).  The projection (fees_apply) reads only the events' payloads, so a dossier
 * replayed anywhere (an office, central's portal link) owes and pays the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "fees.h"
#include "fees_counter.h"
#include "forms.h"
#include "i18n.h"
#include "portal_pay.h"
#include "store.h"
#include "store_fees.h"
#include "text.h"

/* ---- lines ------------------------------------------------------------------------ */

int fees_parse_line(const char *s, struct fee_line *l, struct err *e)
{
	memset(l, 0, sizeof *l);
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2)
		return err_set(e, MC_INVALID, "fee line '%.60s' must be KIND:AMOUNT:NAME, e.g. le_phi:50000:Lệ phí cấp giấy phép", s);
	size_t kl = (size_t)(c1 - s);
	if (!((kl == 3 && !strncmp(s, "phi", 3)) || (kl == 6 && !strncmp(s, "le_phi", 6))))
		return err_set(e, MC_INVALID, "fee line '%.60s': the kind must be phi (phí) or le_phi (lệ phí)", s);
	memcpy(l->kind, s, kl);
	char amt[32];
	size_t al = (size_t)(c2 - c1 - 1), k = 0;
	for (size_t i = 0; i < al; i++) /* 50.000 as printed in catalogues */
		if (c1[1 + i] != '.' && k + 1 < sizeof amt)
			amt[k++] = c1[1 + i];
	amt[k] = 0;
	char *end;
	long long v = strtoll(amt, &end, 10);
	if (!k || *end || v <= 0 || v > FEE_AMOUNT_MAX)
		return err_set(e, MC_INVALID, "fee line '%.60s': the amount must be a whole number of dong from 1 to 10000000000", s);
	l->amount = v;
	char msg[256];
	if (text_clean(c2 + 1, N_("fee name"), FEE_NAME_MAX_CHARS, l->name, sizeof l->name, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (!l->name[0])
		return err_set(e, MC_INVALID, "fee line '%.60s' has no name", s);
	return 0;
}

int fees_parse_lines(const char *s, struct fee_line *l, int max, int *n, struct err *e)
{
	*n = 0;
	char *buf = strdup(s ? s : "");
	if (!buf)
		return err_set(e, MC_STORE, "out of memory");
	int rc = 0;
	for (char *sv = NULL, *t = strtok_r(buf, "|", &sv); t && !rc; t = strtok_r(NULL, "|", &sv)) {
		while (*t == ' ')
			t++;
		if (!*t)
			continue;
		if (*n == max)
			rc = err_set(e, MC_INVALID, "a procedure has at most %d fee lines", max);
		else if (!(rc = fees_parse_line(t, &l[*n], e)))
			(*n)++;
	}
	free(buf);
	return rc;
}

int fees_step_ok(const char *step, struct err *e)
{
	if (!strcmp(step, "receive") || !strcmp(step, "result"))
		return 0;
	return err_set(e, MC_INVALID, "the payment step '%.30s' is unknown: use receive (when the dossier is accepted) or result (before the result is returned)",
		       step);
}

static int step_stage(const char *step) { return !strcmp(step, "result") ? SG_RESULT : SG_ACCEPTED; }

const char *fees_kind_label(const char *kind) { return !strcmp(kind, "phi") ? _("fee (phi)") : _("charge (le phi)"); }

const char *fees_method_name(int m)
{
	return m == FM_CASH ? "cash" : m == FM_TRANSFER ? "transfer" : m == FM_ONLINE ? "online" : "?";
}

int fees_method_parse(const char *s)
{
	return !strcmp(s, "cash") ? FM_CASH : !strcmp(s, "transfer") ? FM_TRANSFER : !strcmp(s, "online") ? FM_ONLINE : 0;
}

const char *fees_method_label(const char *name)
{
	return !strcmp(name, "cash") ? _("cash") : !strcmp(name, "transfer") ? _("bank transfer")
	     : !strcmp(name, "online") ? _("online payment") : name;
}

int fees_lines_put(struct store *st, int64_t proc_id, const struct fee_line *l, int n, const char *step, struct err *e)
{
	if (fees_step_ok(step && *step ? step : "receive", e))
		return e->code;
	return store_fee_lines_set(st, proc_id, l, n, step, e);
}

int fees_lines_set(struct core *c, const char *proc_code, const struct fee_line *l, int n, const char *step, struct err *e)
{
	if (!c->is_root && !(c->actor.roles & ROLE_ADMIN))
		return err_set(e, MC_DENIED, "only an administrator may change a procedure's fees");
	int64_t id;
	if (store_procedure_id(c->st, proc_code, &id))
		return err_set(e, MC_NOTFOUND, "unknown procedure '%.40s'", proc_code);
	if (store_begin(c->st, e))
		return e->code;
	if (fees_lines_put(c->st, id, l, n, step, e)) {
		store_rollback(c->st);
		return e->code;
	}
	return store_commit(c->st, e);
}

int fees_lines_get(struct core *c, const char *proc_code, struct fee_line *l, int max, int *n, char *step, size_t sn,
		   struct err *e)
{
	int64_t id;
	if (store_procedure_id(c->st, proc_code, &id))
		return err_set(e, MC_NOTFOUND, "unknown procedure '%.40s'", proc_code);
	if (store_fee_lines_get(c->st, id, l, max, n, step, sn))
		return err_set(e, MC_STORE, "cannot read the fee lines of %s", proc_code);
	return 0;
}

/* ---- the projection ------------------------------------------------------------------ */

void fees_snapshot(struct store *st, int64_t proc_id, json_t *payload)
{
	struct fee_line l[FEE_LINES_MAX];
	char step[16];
	int n = 0;
	if (store_fee_lines_get(st, proc_id, l, FEE_LINES_MAX, &n, step, sizeof step) || !n)
		return;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "kind", l[i].kind, "name", l[i].name, "amount",
						   (json_int_t)l[i].amount));
	json_object_set_new(payload, "fees", a);
	json_object_set_new(payload, "fee_stage", json_integer(step_stage(step)));
}

/* an amount of an event's payload (it may come from another office): 0 when it is
 * not one fees.c could have written, so a sum never turns negative or overflows */
static int64_t amount_of(json_t *o, int64_t max)
{
	json_int_t v = json_integer_value(json_object_get(o, "amount"));
	return v > 0 && v <= max ? (int64_t)v : 0;
}

void fees_apply(struct dossier *d, const char *kind, json_t *p)
{
	json_t *a = json_object_get(p, "fees");
	if (json_is_array(a) && (!strcmp(kind, "received") || !strcmp(kind, "accepted") || !strcmp(kind, "supplement_received"))) {
		size_t i;
		json_t *x;
		d->fee_total = 0;
		json_array_foreach(a, i, x)
			if (i < FEE_LINES_MAX)
				d->fee_total += amount_of(x, FEE_AMOUNT_MAX);
		d->fee_stage = (int)json_integer_value(json_object_get(p, "fee_stage"));
	} else if (!strcmp(kind, "fee_paid") && d->fee_paid <= FEE_LINES_MAX * FEE_AMOUNT_MAX) {
		d->fee_paid += amount_of(p, FEE_LINES_MAX * FEE_AMOUNT_MAX);
	} else if (!strcmp(kind, "fee_refunded") && d->fee_refunded <= FEE_LINES_MAX * FEE_AMOUNT_MAX) {
		d->fee_refunded += amount_of(p, FEE_LINES_MAX * FEE_AMOUNT_MAX);
	}
}

/* what was paid on the dossier and at the receiving desk (fees_counter.h) */
int64_t fees_owed(const struct dossier *d)
{
	int64_t paid = d->fee_paid + d->fee_counter_paid;
	return d->fee_total > paid ? d->fee_total - paid : 0;
}

int fees_status(const struct dossier *d)
{
	if (fees_owed(d) && d->fee_stage && d->stage >= d->fee_stage && d->stage < SG_FINAL && d->stage != SG_SUPPLEMENT)
		return ST_PAYMENT;
	return stage_status(d->stage);
}

/* ---- entries --------------------------------------------------------------------------- */

static void entry_of(const struct event *ev, json_t *p, struct fee_entry *f)
{
	memset(f, 0, sizeof *f);
	snprintf(f->kind, sizeof f->kind, "%s", ev->kind);
	const char *s;
#define STR(field, key) snprintf(f->field, sizeof f->field, "%s", (s = json_string_value(json_object_get(p, key))) ? s : "")
	STR(method, "method");
	STR(receipt, "receipt");
	STR(ref, "ref");
	STR(refund_of, "refund_of");
	STR(reason, "reason");
#undef STR
	f->amount = json_integer_value(json_object_get(p, "amount"));
	f->at = ev->at;
	f->dseq = ev->dseq;
	snprintf(f->actor, sizeof f->actor, "%s", ev->actor);
	snprintf(f->office, sizeof f->office, "%s", ev->origin);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(p, "lines"), i, x) { /* a payment at the receiving desk */
		json_int_t n = json_integer_value(json_object_get(x, "n"));
		if (n >= 1 && n <= FEE_LINES_MAX)
			f->lines |= 1u << (n - 1);
	}
}

struct walk {
	fee_entry_cb cb;
	void *ctx;
	json_t *lines;      /* the dossier's copy of the fee lines (last accepting event) */
	int counter;        /* walking the receipt chain (fees_counter.h) */
	char office[32];    /* ... filed for this office (the receiving desk's) */
};

static int walk_one(const struct event *ev, void *arg)
{
	struct walk *w = arg;
	int pay = !strcmp(ev->kind, "fee_paid") || !strcmp(ev->kind, "fee_refunded");
	if (!pay && strcmp(ev->kind, "received") && strcmp(ev->kind, "accepted") && strcmp(ev->kind, "supplement_received"))
		return 0;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	int rc = 0;
	if (pay && w->cb) {
		struct fee_entry f;
		entry_of(ev, p, &f);
		f.counter = w->counter;
		if (w->office[0]) /* the desk that took it (the origin, in a store of one office) */
			snprintf(f.office, sizeof f.office, "%s", w->office);
		rc = w->cb(&f, w->ctx);
	} else if (!pay && json_is_array(json_object_get(p, "fees"))) {
		json_decref(w->lines);
		w->lines = json_incref(json_object_get(p, "fees"));
	}
	json_decref(p);
	return rc;
}

int fees_walk(struct core *c, const char *code, fee_entry_cb cb, void *ctx)
{
	char parent[CODE_LEN];
	struct walk w = {cb, ctx, NULL, fees_counter_parent(code, parent), ""};
	struct dossier *k = w.counter ? malloc(sizeof *k) : NULL;
	struct office o;
	if (k && !store_dossier_get(c->st, code, k) && !store_office_get(c->st, k->office_id, &o))
		snprintf(w.office, sizeof w.office, "%s", o.agency_code);
	free(k);
	int rc = store_events_of(c->st, code, walk_one, &w);
	json_decref(w.lines);
	return rc;
}

json_t *fees_lines_copy(struct core *c, const char *code)
{
	struct walk w = {NULL, NULL, NULL, 0, ""};
	store_events_of(c->st, code, walk_one, &w);
	return w.lines;
}

/* the entries of the dossier and of its receipt chain, in time order */
struct coll { struct fee_entry *v; int n, cap, oom; };

static int coll_one(const struct fee_entry *f, void *ctx)
{
	struct coll *k = ctx;
	if (k->n == k->cap) {
		int cap = k->cap ? 2 * k->cap : 8;
		struct fee_entry *v = realloc(k->v, (size_t)cap * sizeof *v);
		if (!v)
			return k->oom = 1;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = *f;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct fee_entry *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->counter != y->counter)
		return x->counter - y->counter;
	return x->dseq - y->dseq;
}

int fees_entries(struct core *c, const char *code, fee_entry_cb cb, void *ctx, struct err *e)
{
	struct dossier d;
	if (dossier_get(c, code, &d, e))
		return e->code;
	struct coll k = {0};
	char fc[CODE_LEN];
	fees_walk(c, code, coll_one, &k);
	if (fees_counter_of(c, &d, fc))
		fees_walk(c, fc, coll_one, &k);
	if (k.oom) {
		free(k.v);
		return err_set(e, MC_STORE, "out of memory");
	}
	if (k.n > 1)
		qsort(k.v, (size_t)k.n, sizeof *k.v, entry_cmp);
	int rc = 0;
	for (int i = 0; i < k.n && !rc; i++)
		rc = cb(&k.v[i], ctx);
	free(k.v);
	return 0;
}

/* the paid and refunded amounts of the payment `of` (receipt number or reference) */
struct find { const char *of; int found; int64_t paid, refunded; char receipt[64]; };

static int find_one(const struct fee_entry *f, void *ctx)
{
	struct find *x = ctx;
	/* a payment is named by its receipt number; an online one (no local receipt) by its reference */
	if (!strcmp(f->kind, "fee_paid") && !strcmp(f->receipt[0] ? f->receipt : f->ref, x->of)) {
		x->found = 1;
		x->paid += f->amount;
		snprintf(x->receipt, sizeof x->receipt, "%s", f->receipt[0] ? f->receipt : f->ref);
	} else if (!strcmp(f->kind, "fee_refunded") && !strcmp(f->refund_of, x->of))
		x->refunded += f->amount;
	return 0;
}

/* a payment with this reference (a transfer's or the platform's) is already recorded */
struct dup { const char *ref; int found; };

static int dup_one(const struct fee_entry *f, void *ctx)
{
	struct dup *x = ctx;
	if (!strcmp(f->kind, "fee_paid") && f->ref[0] && !strcmp(f->ref, x->ref))
		x->found = 1;
	return 0;
}

int fees_ref_recorded(struct core *c, const char *code, const char *other, const char *ref)
{
	struct dup x = {ref, 0};
	fees_walk(c, code, dup_one, &x);
	if (other && *other)
		fees_walk(c, other, dup_one, &x);
	return x.found;
}

/* ---- payments and refunds ------------------------------------------------------------ */

struct pay_req {
	int refund;
	int method;
	int64_t amount;
	const char *ref, *of, *reason;
	struct fee_entry *out;
};

/* the next number of the series of the dossier's office (a store may hold several
 * offices) for this year */
int fees_receipt_take(struct core *c, int64_t office_id, char *buf, size_t n, struct err *e)
{
	int y, m, dd;
	int64_t k;
	struct office o = c->office;
	if (office_id != o.id && store_office_get(c->st, office_id, &o))
		return err_set(e, MC_NOTFOUND, "office %lld is not in this store", (long long)office_id);
	cal_ymd_from_day(cal_day_of(core_now(c)), &y, &m, &dd);
	char prefix[64];
	snprintf(prefix, sizeof prefix, "%s-BL%04d-", o.agency_code, y);
	if (store_receipt_next(c->st, o.id, y, prefix, &k, e))
		return e->code;
	snprintf(buf, n, "%s%06lld", prefix, (long long)k);
	return 0;
}

static int prep_pay(struct core *c, struct dossier *d, void *ctx, struct json_t **pl, const struct office **to,
		    const char **place, struct err *e)
{
	(void)to; /* a payment sends the dossier nowhere */
	(void)place;
	struct pay_req *r = ctx;
	if (!c->actor.id || !c->actor.active)
		return err_set(e, MC_DENIED, "recording a payment needs an active motcua user; run it as that user");
	if (r->refund && !(c->actor.roles & (ROLE_LEADER | ROLE_SUPERVISOR)))
		return err_set(e, MC_DENIED, "%s may not refund fees: it needs the role leader or supervisor", c->actor.account);
	if (!r->refund && !(c->actor.roles & ROLE_CLERK))
		return err_set(e, MC_DENIED, "%s may not record a payment: it needs the role clerk", c->actor.account);
	if (d->office_id != c->actor.office_id)
		return err_set(e, MC_DENIED, "%s may not record fees of dossier %s: it belongs to another office", c->actor.account,
			       d->code);
	char receipt[64] = "";
	if (!r->refund) {
		if (d->stage >= SG_FINAL) /* returned, refused, withdrawn or stopped: nothing is owed any more */
			return err_set(e, MC_STATE, "dossier %s is closed (national status %d): no payment can be recorded on it; a payment made earlier can still be refunded",
				       d->code, d->status);
		if (!d->fee_total)
			return err_set(e, MC_STATE, "dossier %s owes no fees: its procedure has no fee lines, or it is not accepted yet", d->code);
		if (!fees_owed(d))
			return err_set(e, MC_STATE, "the fees of dossier %s are already paid", d->code);
		if (r->amount > fees_owed(d))
			return err_set(e, MC_INVALID, "dossier %s owes %lld dong: %lld is more than that", d->code,
				       (long long)fees_owed(d), (long long)r->amount);
		if (r->ref && *r->ref) { /* a transfer or an online payment is recorded once */
			char fc[CODE_LEN] = ""; /* or at the receiving desk */
			if (!fees_counter_of(c, d, fc))
				fc[0] = 0;
			if (fees_ref_recorded(c, d->code, fc, r->ref))
				return err_set(e, MC_STATE, "the payment with reference '%.60s' is already recorded on dossier %s", r->ref, d->code);
		}
		if (r->method != FM_ONLINE && fees_receipt_take(c, d->office_id, receipt, sizeof receipt, e))
			return e->code;
		*pl = json_pack("{s:I, s:s, s:s, s:s}", "amount", (json_int_t)r->amount, "method", fees_method_name(r->method),
				"receipt", receipt, "ref", r->ref ? r->ref : "");
	} else {
		struct find x = {r->of, 0, 0, 0, ""};
		struct walk w = {find_one, &x, NULL, 0, ""};
		store_events_of(c->st, d->code, walk_one, &w);
		json_decref(w.lines);
		if (!x.found)
			return err_set(e, MC_NOTFOUND, "dossier %s has no payment with receipt or reference '%.60s'", d->code, r->of);
		if (r->amount > x.paid - x.refunded)
			return err_set(e, MC_INVALID, "payment %s of dossier %s has %lld dong left to refund: %lld is more than that", x.receipt,
				       d->code, (long long)(x.paid - x.refunded), (long long)r->amount);
		if (fees_receipt_take(c, d->office_id, receipt, sizeof receipt, e))
			return e->code;
		*pl = json_pack("{s:I, s:s, s:s, s:s}", "amount", (json_int_t)r->amount, "reason", r->reason, "receipt", receipt,
				"refund_of", x.receipt);
	}
	if (!*pl)
		return err_set(e, MC_STORE, "out of memory");
	if (r->out) {
		memset(r->out, 0, sizeof *r->out);
		snprintf(r->out->kind, sizeof r->out->kind, "%s", r->refund ? "fee_refunded" : "fee_paid");
		snprintf(r->out->method, sizeof r->out->method, "%s", r->refund ? "" : fees_method_name(r->method));
		snprintf(r->out->receipt, sizeof r->out->receipt, "%s", receipt);
		snprintf(r->out->ref, sizeof r->out->ref, "%s", r->ref ? r->ref : "");
		snprintf(r->out->office, sizeof r->out->office, "%s", c->office.agency_code);
		char parent[CODE_LEN];
		r->out->counter = fees_counter_parent(d->code, parent); /* a refund on the receipt chain */
		r->out->amount = r->amount;
		r->out->at = core_now(c);
	}
	return 0;
}

int fees_pay(struct core *c, const char *code, int method, int64_t amount, const char *ref, struct fee_entry *out,
	     struct err *e)
{
	char clean_ref[FEE_REF_MAX_CHARS * 4 + 1], msg[256];
	if (method != FM_CASH && method != FM_TRANSFER && method != FM_ONLINE)
		return err_set(e, MC_INVALID, "the payment method must be cash, transfer or online");
	if (amount <= 0)
		return err_set(e, MC_INVALID, "the amount must be a positive number of dong");
	if (text_clean(ref ? ref : "", N_("reference"), FEE_REF_MAX_CHARS, clean_ref, sizeof clean_ref, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (method != FM_CASH && !clean_ref[0])
		return err_set(e, MC_INVALID, "a payment by transfer or online needs its reference (the bank's, or the platform's MaThamChieu)");
	/* the receiving desk of a dossier another office holds: on its receipt chain */
	struct dossier *d = malloc(sizeof *d);
	if (!d)
		return err_set(e, MC_STORE, "out of memory");
	int here = !dossier_get(c, code, d, e) && fees_counter_here(c, d);
	free(d);
	if (here)
		return fees_counter_pay(c, code, method, 0, amount, clean_ref, out, e);
	struct pay_req r = {0, method, amount, clean_ref, NULL, NULL, out};
	return dossier_step_custom(c, code, "fee_paid", prep_pay, NULL, &r, NULL, e);
}

static int counter_post(struct core *c, struct dossier *d, void *ctx, struct err *e)
{
	(void)ctx;
	char parent[CODE_LEN];
	return fees_counter_parent(d->code, parent) ? fees_counter_refresh(c, parent, e) : 0;
}

int fees_refund(struct core *c, const char *code, const char *of, int64_t amount, const char *reason, struct fee_entry *out,
		struct err *e)
{
	char why[NOTE_MAX_CHARS * 4 + 1], msg[256];
	if (amount <= 0)
		return err_set(e, MC_INVALID, "the amount must be a positive number of dong");
	if (text_clean(reason ? reason : "", N_("reason"), NOTE_MAX_CHARS, why, sizeof why, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (!why[0])
		return err_set(e, MC_INVALID, "a refund needs a reason");
	if (!of || !*of)
		return err_set(e, MC_INVALID, "a refund names the payment it returns: give its receipt number");
	struct pay_req r = {1, 0, amount, NULL, of, why, out};
	/* a payment taken at the receiving desk is refunded on its receipt chain, by that office */
	char fc[CODE_LEN];
	const char *target = code;
	struct find x = {of, 0, 0, 0, ""};
	struct dossier *pd = malloc(sizeof *pd);
	if (!pd)
		return err_set(e, MC_STORE, "out of memory");
	int held = !dossier_get(c, code, pd, e) && fees_counter_of(c, pd, fc);
	free(pd);
	if (held && !fees_walk(c, fc, find_one, &x) && x.found) {
		struct dossier *k = malloc(sizeof *k);
		struct office o;
		if (!k)
			return err_set(e, MC_STORE, "out of memory");
		int away = !dossier_get(c, fc, k, e) && k->office_id != c->actor.office_id;
		if (away && store_office_get(c->st, k->office_id, &o))
			o.agency_code[0] = 0;
		free(k);
		if (away)
			return err_set(e, MC_DENIED, "payment %.60s of dossier %s was taken at the receiving desk of office %s: only that office may refund it",
				       of, code, o.agency_code);
		target = fc;
	}
	int saved = c->expect_version;
	if (target != code)
		c->expect_version = 0; /* the version the caller saw is the dossier's, not its chain's */
	int rc = dossier_step_custom(c, target, "fee_refunded", prep_pay, target != code ? counter_post : NULL, &r, NULL, e);
	c->expect_version = saved;
	if (!rc && out)
		snprintf(out->refund_of, sizeof out->refund_of, "%s", of);
	return rc;
}

int fees_pay_online(struct core *c, const char *code, const char *central_url, const char *ref, struct fee_entry *out,
		    struct err *e)
{
	char url[1024] = "";
	if (central_url && *central_url)
		snprintf(url, sizeof url, "%s", central_url);
	else if (core_setting_get(c, "central.url", url, sizeof url) || !url[0])
		return err_set(e, MC_INVALID, "an online payment is checked at central: this office has no central.url; give the central's address");
	if (!ref || !*ref)
		return err_set(e, MC_INVALID, "a payment by transfer or online needs its reference (the bank's, or the platform's MaThamChieu)");
	struct central *cen = central_open(url, 0, e);
	if (!cen)
		return e->code;
	int64_t amount = 0;
	int rc = portal_pay_paid(cen, ref, code, &amount, e);
	central_close(cen);
	return rc ? rc : fees_pay(c, code, FM_ONLINE, amount, ref, out, e);
}

struct due { dossier_cb cb; void *ctx; };

int fees_due_list(struct core *c, dossier_cb cb, void *ctx, struct err *e)
{
	if (!c->is_root && !(c->actor.roles & (ROLE_CLERK | ROLE_SUPERVISOR | ROLE_LEADER)))
		return err_set(e, MC_DENIED, "the list of fees to collect is for clerks, supervisors and leaders");
	if (store_fee_due_list(c->st, c->actor.office_id ? c->actor.office_id : c->office.id, cb, ctx) == MC_STORE)
		return err_set(e, MC_STORE, "cannot read the dossiers that owe fees");
	return 0;
}

/* ---- the receipt ----------------------------------------------------------------------- */

struct rcpt { const char *want; struct fee_entry f; int found; };

static int rcpt_one(const struct fee_entry *f, void *ctx)
{
	struct rcpt *x = ctx;
	if ((f->receipt[0] && !strcmp(f->receipt, x->want)) || (!f->receipt[0] && f->ref[0] && !strcmp(f->ref, x->want))) {
		x->f = *f;
		x->found = 1;
	}
	return 0;
}

static void money(int64_t v, char *out, size_t n)
{
	char d[32], r[48];
	snprintf(d, sizeof d, "%lld", (long long)(v < 0 ? -v : v));
	size_t l = strlen(d), k = 0;
	for (size_t i = 0; i < l; i++) {
		if (i && (l - i) % 3 == 0)
			r[k++] = '.';
		r[k++] = d[i];
	}
	r[k] = 0;
	snprintf(out, n, "%s%s", v < 0 ? "-" : "", r);
}

static const char *method_vi(const char *m)
{
	return !strcmp(m, "cash") ? "Tiền mặt" : !strcmp(m, "transfer") ? "Chuyển khoản" : !strcmp(m, "online") ? "Trực tuyến (Nền tảng thanh toán quốc gia)" : m;
}

int fees_receipt_text(struct core *c, const char *code, const char *receipt, struct strbuf *out, struct err *e)
{
	struct dossier d;
	if (dossier_get(c, code, &d, e))
		return e->code;
	struct rcpt x;
	memset(&x, 0, sizeof x);
	x.want = receipt;
	struct walk w = {rcpt_one, &x, NULL, 0, ""};
	store_events_of(c->st, code, walk_one, &w);
	char fc[CODE_LEN];
	if (!x.found && fees_counter_of(c, &d, fc)) /* taken at the receiving desk */
		fees_walk(c, fc, rcpt_one, &x);
	if (!x.found) {
		json_decref(w.lines);
		return err_set(e, MC_NOTFOUND, "dossier %s has no payment or refund with receipt number '%.60s'", code, receipt);
	}
	struct procedure *p = calloc(1, sizeof *p);
	if (!p) {
		json_decref(w.lines);
		return err_set(e, MC_STORE, "out of memory");
	}
	store_procedure_get(c->st, d.procedure_id, p);
	int refund = !strcmp(x.f.kind, "fee_refunded");
	char line[1024], amt[48], when[24], safe[1024];
	struct office taker = c->office; /* the office that took the money (the receiving desk's) */
	if (x.f.counter && store_office_by_code(c->st, x.f.office, &taker))
		taker = c->office;
	form_center(out, taker.name, FORM_COLS);
	ftext_line(out, "");
	form_center(out, refund ? "PHIẾU HOÀN TRẢ PHÍ, LỆ PHÍ" : "BIÊN LAI THU PHÍ, LỆ PHÍ", FORM_COLS);
	form_safe(x.f.receipt[0] ? x.f.receipt : x.f.ref, safe, sizeof safe);
	snprintf(line, sizeof line, "Số: %s", safe);
	form_center(out, line, FORM_COLS);
	ftext_line(out, "");
	form_wrap(out, "Người nộp: ", d.applicant_name, FORM_COLS);
	form_wrap(out, "Hồ sơ: ", d.code, FORM_COLS);
	form_wrap(out, "Thủ tục: ", p->name, FORM_COLS);
	size_t i;
	json_t *l;
	if (!refund && json_is_array(w.lines)) {
		ftext_line(out, "Các khoản phải nộp:");
		json_array_foreach(w.lines, i, l) {
			if (x.f.lines && (i >= FEE_LINES_MAX || !(x.f.lines & (1u << i))))
				continue; /* paid at the receiving desk: the lines it paid */
			const char *k = json_string_value(json_object_get(l, "kind")), *nm = json_string_value(json_object_get(l, "name"));
			char name[400], pad[400];
			money(json_integer_value(json_object_get(l, "amount")), amt, sizeof amt);
			form_safe(nm ? nm : "", name, sizeof name);
			snprintf(line, sizeof line, "  %s (%s)", name, k && !strcmp(k, "phi") ? "phí" : "lệ phí");
			form_pad(line, 60, 0, pad, sizeof pad);
			ftext_linef(out, "%s %16s đ", pad, amt);
		}
	}
	money(x.f.amount, amt, sizeof amt);
	if (refund) {
		form_safe(x.f.refund_of, safe, sizeof safe);
		ftext_linef(out, "Hoàn trả cho biên lai số: %s", safe);
		form_wrap(out, "Lý do: ", x.f.reason, FORM_COLS);
		ftext_linef(out, "Số tiền hoàn trả: %s đồng", amt);
	} else {
		form_safe(method_vi(x.f.method), safe, sizeof safe); /* an unknown one is the payload's own text */
		ftext_linef(out, "Hình thức thanh toán: %s", safe);
		if (x.f.ref[0]) {
			form_safe(x.f.ref, safe, sizeof safe);
			ftext_linef(out, "Mã giao dịch: %s", safe);
		}
		ftext_linef(out, "Số tiền đã nộp: %s đồng", amt);
	}
	cal_format(x.f.at, 1, when, sizeof when);
	forms_date_vn(NULL, x.f.at, line, sizeof line);
	ftext_line(out, "");
	ftext_linef(out, "%*s%s", 40, "", line);
	form_safe(x.f.actor, safe, sizeof safe);
	ftext_linef(out, "%*sNgười thu tiền: %s", 40, "", safe);
	json_decref(w.lines);
	free(p);
	return 0;
}

/* ---- the report -------------------------------------------------------------------------- */

struct rep { fees_report_cb cb; void *ctx; struct fees_row total; int stop; };

static int rep_one(const struct fees_row *r, void *ctx)
{
	struct rep *x = ctx;
	x->total.cash += r->cash;
	x->total.transfer += r->transfer;
	x->total.online += r->online;
	x->total.collected += r->collected;
	x->total.refunded += r->refunded;
	x->total.net += r->net;
	x->total.dossiers += r->dossiers;
	return x->stop = x->cb(r, x->ctx);
}

int fees_report(struct core *c, int64_t from, int64_t to, fees_report_cb cb, void *ctx, struct err *e)
{
	return fees_report_at(c, NULL, from, to, cb, ctx, e);
}

int fees_report_at(struct core *c, const char *office, int64_t from, int64_t to, fees_report_cb cb, void *ctx,
		   struct err *e)
{
	if (core_require(c, ROLE_SUPERVISOR | ROLE_LEADER | ROLE_HEAD | ROLE_ADMIN, CORE_FOR_REPORTS, e))
		return e->code;
	struct rep x;
	memset(&x, 0, sizeof x);
	x.cb = cb;
	x.ctx = ctx;
	if (office && *office) {
		struct office o;
		if (store_office_by_code(c->st, office, &o))
			return err_set(e, MC_NOTFOUND, "unknown office '%.40s'", office);
	}
	if (store_fee_report_at(c->st, office && *office ? office : NULL, c->office.agency_code, from, to, rep_one, &x, e))
		return e->code;
	if (!x.stop)
		cb(&x.total, ctx);
	return 0;
}

/* ---- the section of the statistics report ------------------------------------------------ */

struct section { struct strbuf *t; int rows; };

static void section_row(struct strbuf *t, const char *name, const int64_t *v)
{
	static const int w[] = {10, 12, 10, 11, 10, 11};
	char pad[256], num[32], line[512];
	size_t k = 0;
	form_pad(name, 10, 0, pad, sizeof pad);
	k += (size_t)snprintf(line + k, sizeof line - k, "%s", pad);
	for (int i = 0; i < 6; i++) {
		snprintf(num, sizeof num, "%lld", (long long)v[i]);
		form_pad(num, w[i], 1, pad, sizeof pad);
		k += (size_t)snprintf(line + k, k < sizeof line ? sizeof line - k : 0, " %s", pad);
	}
	ftext_line(t, line);
}

static int section_one(const struct fees_row *r, void *ctx)
{
	struct section *x = ctx;
	char name[64];
	form_safe(r->field_code, name, sizeof name);
	int64_t v[] = {r->cash, r->transfer, r->online, r->collected, r->refunded, r->net};
	section_row(x->t, name, v);
	x->rows++;
	return 0;
}

char *fees_report_section(struct core *c, int64_t from, int64_t to)
{
	struct strbuf t = {0};
	struct rep x;
	struct section sec = {&t, 0};
	struct err e = {0};
	memset(&x, 0, sizeof x);
	x.cb = section_one;
	x.ctx = &sec;
	ftext_line(&t, "");
	ftext_line(&t, "PHÍ, LỆ PHÍ (đồng)");
	static const char *h[] = {"Lĩnh vực", "Tiền mặt", "Chuyển khoản", "Trực tuyến", "Đã thu", "Hoàn trả", "Thực thu"};
	static const int w[] = {10, 10, 12, 10, 11, 10, 11};
	char pad[256], line[512];
	size_t k = 0;
	for (int i = 0; i < 7; i++) {
		form_pad(h[i], w[i], i > 0, pad, sizeof pad);
		k += (size_t)snprintf(line + k, k < sizeof line ? sizeof line - k : 0, "%s%s", i ? " " : "", pad);
	}
	ftext_line(&t, line);
	/* this office's money: not what another desk took on a receipt chain delivered here */
	if (store_fee_report_at(c->st, NULL, c->office.agency_code, from, to, rep_one, &x, &e) || !sec.rows || t.oom) {
		strbuf_release(&t);
		return NULL; /* nothing collected or refunded in the period: no section */
	}
	int64_t v[] = {x.total.cash, x.total.transfer, x.total.online, x.total.collected, x.total.refunded, x.total.net};
	section_row(&t, "Tổng cộng", v);
	return t.buf;
}
