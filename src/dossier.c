/* dossier.c - the lifecycle steps and the projection of events onto the dossier row.
 *
 * Every step follows one path: step_open (buffers, then step_begin: transaction, load,
 * version and permission checks; the procedure when the step needs it) -> build the
 * payload -> step_finish (event with hash chain, projection, commit) -> step_close.  dossier_apply is the only code that changes a dossier row's meaning, so
 * replaying a dossier's events (dossier_rebuild) always gives the same row.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "storekey.h"
#include "i18n.h"
#include "lienthong.h"
#include "org.h"
#include "event.h"
#include "fees.h"
#include "fees_counter.h"
#include "procver.h"
#include "store.h"
#include "store_procver.h"
#include "text.h"
#include "workflow.h"

/* ---- validation ---------------------------------------------------------- */

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

int dossier_check_idno(int kind, const char *in, char *out, size_t n, struct err *e)
{
	size_t l = strlen(in);
	if (kind == AK_PERSON) {
		if (l != 12 || !all_digits(in, l))
			return err_set_field(e, MC_INVALID, EF_IDNO, "citizen ID number '%.40s' is invalid: it must be 12 digits", in);
		snprintf(out, n, "%s", in);
		return 0;
	}
	if ((l == 10 || l == 13) && all_digits(in, l)) {
		if (l == 13)
			snprintf(out, n, "%.10s-%.3s", in, in + 10);
		else
			snprintf(out, n, "%s", in);
		return 0;
	}
	if (l == 14 && in[10] == '-' && all_digits(in, 10) && all_digits(in + 11, 3)) {
		snprintf(out, n, "%s", in);
		return 0;
	}
	return err_set_field(e, MC_INVALID, EF_IDNO, "tax code '%.40s' is invalid: it must be 10 or 13 digits", in);
}

int dossier_check_phone(const char *in, char *out, size_t n, struct err *e)
{
	char d[32];
	size_t k = 0;
	if (!in || !*in) {
		snprintf(out, n, "%s", "");
		return 0;
	}
	const char *p = in;
	if (strncmp(p, "+84", 3) == 0) {
		d[k++] = '0';
		p += 3;
	}
	for (; *p && k < sizeof d - 1; p++) {
		if (isdigit((unsigned char)*p))
			d[k++] = *p;
		else if (*p != ' ' && *p != '.' && *p != '-')
			return err_set_field(e, MC_INVALID, EF_PHONE, "phone number '%.40s' is invalid: use digits only, e.g. 0912345678", in);
	}
	d[k] = 0;
	if (k < 10 || k > 11 || d[0] != '0')
		return err_set_field(e, MC_INVALID, EF_PHONE, "phone number '%.40s' is invalid: it must be 10 or 11 digits starting with 0", in);
	snprintf(out, n, "%s", d);
	return 0;
}

void dossier_format_code(const char *agency, int64_t at, int n, char *out, size_t sz)
{
	int y, m, d;
	cal_ymd_from_day(cal_day_of(at), &y, &m, &d);
	snprintf(out, sz, "%s-%02d%02d%02d-%04d", agency, y % 100, m, d, n);
}

/* ---- projection ------------------------------------------------------------ */

static int64_t jint(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int dossier_intake_stage(const char *outcome)
{
	return !strcmp(outcome, "accept") ? SG_ACCEPTED : !strcmp(outcome, "supplement") ? SG_INTAKE_SUPPL
	       : !strcmp(outcome, "refuse") ? SG_REFUSED : SG_ONLINE;
}

static void set_stage(struct dossier *d, int stage, int64_t at)
{
	if (d->stage != stage)
		d->stage_since = at;
	d->stage = stage;
	d->status = stage_status(stage);
}

/* ev applied to d, its payload already parsed into p */
static int apply(struct store *st, struct dossier *d, const struct event *ev, json_t *p, struct err *e)
{
	const char *k = ev->kind;
	int64_t at = ev->at;
	int rc = 0;
	if (!strcmp(k, "received")) {
		struct office o;
		int64_t proc_id;
		if (store_office_by_code(st, jstr(p, "office"), &o) ||
		    store_procedure_id(st, jstr(p, "procedure"), &proc_id)) {
			rc = err_set(e, MC_NOTFOUND, "dossier %s: office %s or procedure %s is not in this store",
				     ev->dossier_code, jstr(p, "office"), jstr(p, "procedure"));
			goto out;
		}
		int64_t id = d->id;
		memset(d, 0, sizeof *d);
		d->id = id;
		snprintf(d->code, sizeof d->code, "%s", ev->dossier_code);
		d->office_id = o.id;
		d->procedure_id = proc_id;
		snprintf(d->applicant_email, sizeof d->applicant_email, "%s", jstr(json_object_get(p, "applicant"), "email"));
		if (json_is_object(json_object_get(p, "proxy"))) {
			char *px = json_dumps(json_object_get(p, "proxy"), JSON_COMPACT | JSON_SORT_KEYS);
			if (px && strlen(px) < sizeof d->proxy)
				snprintf(d->proxy, sizeof d->proxy, "%s", px);
			free(px);
		}
		if (json_object_get(p, "return_at")) { /* the three places (org.h) */
			struct office r;
			d->recv_office_id = d->resolver_id = d->return_office_id = o.id;
			if (!store_office_by_code(st, jstr(p, "return_at"), &r))
				d->return_office_id = r.id;
		}
		d->channel = (int)jint(p, "channel");
		json_t *a = json_object_get(p, "applicant");
		d->applicant_kind = (int)jint(a, "kind");
		snprintf(d->applicant_name, sizeof d->applicant_name, "%s", jstr(a, "name"));
		snprintf(d->applicant_idno, sizeof d->applicant_idno, "%s", jstr(a, "idno"));
		snprintf(d->applicant_phone, sizeof d->applicant_phone, "%s", jstr(a, "phone"));
		snprintf(d->applicant_address, sizeof d->applicant_address, "%s", jstr(a, "address"));
		d->components = (uint32_t)jint(p, "components");
		d->proc_version = (int)jint(p, "pv"); /* 0 (online at central, or before versions): the one in force at receipt */
		d->received_at = at;
		d->stage_since = at;
		const char *outc = jstr(p, "outcome");
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "reason"));
		set_stage(d, dossier_intake_stage(outc), at);
		if (d->stage == SG_ACCEPTED) {
			d->accepted_at = at;
			d->due_at = d->orig_due_at = jint(p, "due_at");
		}
		d->stage_since = at;
		/* a liên thông part's chain (lienthong.h): no stage, no receipt, no deadline of
		 * its own; the part's deadline is in the payload and the parts' projection */
		if (json_is_object(json_object_get(p, "part"))) {
			d->stage = d->status = 0;
			d->received_at = d->due_at = d->orig_due_at = 0;
		}
		/* a receipt chain of fees paid at the receiving desk (fees_counter.h): no stage,
		 * no deadline; received when it was opened */
		if (json_is_object(json_object_get(p, "fee_of"))) {
			d->stage = d->status = 0;
			d->due_at = d->orig_due_at = 0;
		}
	} else if (!strcmp(k, "accepted") || (!strcmp(k, "supplement_received") && d->stage == SG_INTAKE_SUPPL)) {
		set_stage(d, SG_ACCEPTED, at);
		d->accepted_at = at;
		d->due_at = d->orig_due_at = jint(p, "due_at");
		d->components |= (uint32_t)jint(p, "components"); /* what the supplement brought */
		if (jint(p, "pv") > 0) /* an online dossier's version, fixed when the one-stop accepts it */
			d->proc_version = (int)jint(p, "pv");
	} else if (!strcmp(k, "supplement_received")) {
		d->components |= (uint32_t)jint(p, "components");
		set_stage(d, d->prev_stage ? d->prev_stage : SG_PROCESSING, at);
		d->prev_stage = 0;
		d->paused_at = 0;
		d->remaining = 0;
		d->due_at = jint(p, "due_at");
		d->orig_due_at = jint(p, "orig_due_at");
	} else if (!strcmp(k, "transferred")) {
		struct department dp;
		if (store_dept_by_code(st, jstr(p, "department"), &dp)) {
			rc = err_set(e, MC_NOTFOUND, "department %s is not in this store", jstr(p, "department"));
			goto out;
		}
		d->dept_id = dp.id;
		d->assignee_id = 0;
		set_stage(d, SG_DEPT, at);
	} else if (!strcmp(k, "assigned")) {
		struct user u;
		if (store_user_by_account(st, jstr(p, "assignee"), &u)) {
			rc = err_set(e, MC_NOTFOUND, "user %s is not in this store", jstr(p, "assignee"));
			goto out;
		}
		d->assignee_id = u.id;
		d->stage_since = at;
		set_stage(d, SG_PROCESSING, at);
	} else if (!strcmp(k, "proposed")) {
		d->decision = !strcmp(jstr(p, "decision"), "refuse") ? DEC_REFUSE : DEC_APPROVE;
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "note"));
		set_stage(d, SG_SIGNING, at);
	} else if (!strcmp(k, "sent_back")) {
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "reason"));
		set_stage(d, SG_PROCESSING, at);
	} else if (!strcmp(k, "signed")) {
		/* a refusal after processing is a result too (negative, d->decision): the
		 * one-stop returns it with the written refusal, status 9 then 10; status 3
		 * ("not received") belongs to intake only */
		d->resolved_at = at;
		set_stage(d, SG_RESULT, at);
	} else if (!strcmp(k, "returned")) {
		d->returned_at = at;
		d->rating = (int)jint(p, "rating");
		snprintf(d->collected_by, sizeof d->collected_by, "%s", jstr(p, "collected_by"));
		set_stage(d, SG_RETURNED, at);
	} else if (!strcmp(k, "supplement_requested")) {
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "reason"));
		if (d->stage == SG_ONLINE) {
			set_stage(d, SG_INTAKE_SUPPL, at);
		} else {
			d->prev_stage = d->stage;
			d->paused_at = at;
			d->remaining = jint(p, "remaining");
			set_stage(d, SG_SUPPLEMENT, at);
		}
	} else if (!strcmp(k, "refused")) {
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "reason"));
		set_stage(d, SG_REFUSED, at);
	} else if (!strcmp(k, "withdrawn")) {
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "reason"));
		set_stage(d, SG_WITHDRAWN, at);
	} else if (!strcmp(k, "stopped")) {
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "reason"));
		set_stage(d, SG_STOPPED, at);
	} else if (!strcmp(k, "rerouted")) {
		/* central sent the dossier to another office: it starts again at that
		 * office's one-stop (or waits there for acceptance / the supplement), with
		 * its deadline; no department, specialist or proposal follows it */
		struct office o;
		if (store_office_by_code(st, jstr(p, "to"), &o)) {
			rc = err_set(e, MC_NOTFOUND, "dossier %s: office %s is not in this store", ev->dossier_code, jstr(p, "to"));
			goto out;
		}
		d->office_id = o.id;
		d->dept_id = 0;
		d->assignee_id = 0;
		d->decision = DEC_NONE;
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "reason"));
		if (d->stage == SG_SUPPLEMENT)
			d->prev_stage = SG_ACCEPTED;
		else if (d->stage >= SG_ACCEPTED && d->stage < SG_RESULT)
			set_stage(d, SG_ACCEPTED, at);
	} else if (!strcmp(k, ORG_ROUTED_KIND)) {
		/* the office holding the dossier sends it on (org.h): to the competent agency
		 * after receipt, back to the place of return once the result is signed */
		struct office o;
		if (store_office_by_code(st, jstr(p, "to"), &o)) {
			rc = err_set(e, MC_NOTFOUND, "dossier %s: office %s is not in this store", ev->dossier_code, jstr(p, "to"));
			goto out;
		}
		d->office_id = o.id;
		if (!strcmp(jstr(p, "place"), "resolve")) {
			d->resolver_id = o.id;
			d->dept_id = 0;
			d->assignee_id = 0;
		}
	} else if (!strcmp(k, "extended")) {
		d->due_at = jint(p, "due_at");
		d->apology = 1;
		snprintf(d->note, sizeof d->note, "%s", jstr(p, "reason"));
	}
	/* other kinds (e.g. conflict decisions, signatures) change no field here */
	fees_apply(d, k, p);
	fees_counter_load(st, d); /* paid at the receiving desk (fees_counter.h) */
	d->status = fees_status(d);
	if (json_object_get(p, "step_due_at"))
		d->step_due_at = jint(p, "step_due_at");
	else if (d->stage_since == at && strcmp(k, "attached"))
		d->step_due_at = 0;
	d->version++;
	d->last_at = at;
	snprintf(d->last_actor, sizeof d->last_actor, "%s", ev->actor);
	memcpy(d->chain_head, ev->hash, 32);
out:
	return rc;
}

int dossier_apply(struct store *st, struct dossier *d, const struct event *ev, struct err *e)
{
	json_error_t je;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, &je);
	int rc = p && json_is_object(p) ? apply(st, d, ev, p, e) :
		 err_set(e, MC_INVALID, "event %s of %s has an unreadable payload", ev->id, ev->dossier_code);
	json_decref(p);
	return rc;
}

/* ---- steps ----------------------------------------------------------------- */

int dossier_get(struct core *c, const char *code, struct dossier *d, struct err *e)
{
	if (store_dossier_get(c->st, code, d))
		return err_set(e, MC_NOTFOUND, "no dossier with code '%.60s' in this store", code);
	return 0;
}

static int step_begin(struct core *c, int step, const char *code, struct dossier *d, struct err *e)
{
	if (store_begin(c->st, e))
		return e->code;
	if (dossier_get(c, code, d, e))
		goto fail;
	if (c->expect_version > 0 && d->version != c->expect_version) {
		char when[24];
		cal_format(d->last_at, 1, when, sizeof when);
		err_set(e, MC_CONFLICT, "dossier %s was changed by %s at %s while you had it open; reload it and try again",
			d->code, d->last_actor, when);
		goto fail;
	}
	if (workflow_check(step, &c->actor, d, e))
		goto fail;
	return 0;
fail:
	store_rollback(c->st);
	return e->code;
}

/* An event longer than central accepts is never written: central would quarantine it
 * and every later event of its dossier (EVENT_PAYLOAD_MAX) */
static int payload_fits(const struct event *ev, struct err *e)
{
	size_t len = strlen(ev->payload);
	if (len <= EVENT_PAYLOAD_MAX)
		return 0;
	return err_set(e, MC_INVALID, "the %s step on dossier %s would write %zu bytes into its history, more than the %d bytes an event may hold: nothing was written; shorten what was entered",
		       ev->kind, ev->dossier_code, len, EVENT_PAYLOAD_MAX);
}

/* appends the event built from payload, applies it, saves the row, commits */
static int step_finish(struct core *c, const char *kind, struct dossier *d, json_t *payload,
		       int is_new, const char *search_key, struct dossier *out, struct err *e)
{
	struct event ev;
	event_make(&ev, d->code, d->version + 1, kind, c->os_account, c->actor.account, core_now(c), c->office.agency_code,
		   payload, d->version > 0 ? d->chain_head : NULL);
	/* the payload object is what ev.payload says: applied without parsing it back */
	int rc = !ev.payload || payload_fits(&ev, e) || storekey_sign_event(c->st, c->office.agency_code, core_now(c), &ev, e) ||
		 store_event_append(c->st, &ev, e) || apply(c->st, d, &ev, payload, e) ||
		 (is_new ? store_dossier_insert(c->st, d, e) : store_dossier_update(c->st, d, e)) ||
		 (is_new && store_search_add(c->st, d->id, search_key, e)) ||
		 store_commit(c->st, e);
	json_decref(payload);
	if (rc) {
		if (!ev.payload)
			err_set(e, MC_STORE, "out of memory");
		store_rollback(c->st);
		event_clear(&ev);
		return e->code;
	}
	event_clear(&ev);
	if (out)
		*out = *d;
	return 0;
}

/* step_finish, then (to non-NULL) the dossier sent on to office `to` by a "routed"
 * event in the same transaction: to the competent agency (place "resolve") or to the
 * place of return ("return") */
static int step_finish_route(struct core *c, const char *kind, struct dossier *d, json_t *payload, int is_new,
			     const char *search_key, const struct office *to, const char *place, struct dossier *out, struct err *e)
{
	struct event ev, rt;
	memset(&rt, 0, sizeof rt);
	event_make(&ev, d->code, d->version + 1, kind, c->os_account, c->actor.account, core_now(c), c->office.agency_code,
		   payload, d->version > 0 ? d->chain_head : NULL);
	int rc = !ev.payload || payload_fits(&ev, e) || storekey_sign_event(c->st, c->office.agency_code, core_now(c), &ev, e) ||
		 store_event_append(c->st, &ev, e) || apply(c->st, d, &ev, payload, e) ||
		 (is_new ? store_dossier_insert(c->st, d, e) : store_dossier_update(c->st, d, e)) ||
		 (is_new && store_search_add(c->st, d->id, search_key, e));
	json_t *rp = NULL;
	if (!rc && to) {
		rp = json_pack("{s:s, s:s, s:s}", "from", c->office.agency_code, "to", to->agency_code, "place", place);
		event_make(&rt, d->code, d->version + 1, ORG_ROUTED_KIND, c->os_account, c->actor.account, core_now(c),
			   c->office.agency_code, rp, d->chain_head);
		rc = !rt.payload || storekey_sign_event(c->st, c->office.agency_code, core_now(c), &rt, e) ||
		     store_event_append(c->st, &rt, e) || apply(c->st, d, &rt, rp, e) ||
		     store_dossier_update(c->st, d, e) || store_dossier_move(c->st, d->id, d->office_id, e);
	}
	rc = rc || store_commit(c->st, e);
	json_decref(payload);
	json_decref(rp);
	if (rc) {
		if (!ev.payload || (to && !rt.payload))
			err_set(e, MC_STORE, "out of memory");
		store_rollback(c->st);
	} else if (out) {
		*out = *d;
	}
	event_clear(&ev);
	event_clear(&rt);
	return rc ? e->code : 0;
}

static int clean(const char *in, const char *what, size_t maxc, char *out, size_t n, int required, struct err *e)
{
	char msg[256];
	/* the input the message is about, for a form's cursor */
	int field = !strcmp(what, "applicant name") ? EF_NAME : !strcmp(what, "address") ? EF_ADDRESS
		  : !strcmp(what, "collected by") ? EF_COLLECTED_BY : EF_REASON;
	if (text_clean(in ? in : "", what, maxc, out, n, msg, sizeof msg))
		return err_set_field(e, MC_INVALID, field, "%s", msg);
	if (required && !out[0])
		return err_set_field(e, MC_INVALID, field, "%s is required", _(what));
	return 0;
}

/* What a bulk load (dossier_bulk_begin) keeps in memory: the procedures read so far (the
 * catalog does not change meanwhile). */
#define BULK_PROCS 512
struct bulk_cache {
	int nprocs;
	struct procedure *procs[BULK_PROCS];
};

/* dossier d's procedure as of the version it was received under, or (d NULL) the
 * procedure `code` as of the version in force now, read into *buf (or in a bulk load,
 * found in or added to its cache); NULL if there is none */
static const struct procedure *procedure(struct core *c, const struct dossier *d, const char *code, struct procedure *buf)
{
	int64_t id = 0;
	if (d)
		id = d->procedure_id;
	else if (store_procedure_id(c->st, code ? code : "", &id))
		return NULL;
	int ver = d && d->proc_version > 0 ? d->proc_version : procver_at(c, id, d ? d->received_at : core_now(c));
	struct bulk_cache *b = c->bulk;
	for (int i = 0; b && i < b->nprocs; i++)
		if (b->procs[i]->id == id && b->procs[i]->version == ver)
			return b->procs[i];
	struct procedure *p = b && b->nprocs < BULK_PROCS ? malloc(sizeof *p) : buf;
	if (!p || store_procver_get(c->st, id, ver, p)) {
		if (p != buf)
			free(p);
		return NULL;
	}
	p->version = ver; /* the cache's key, even for a version the store does not hold */
	if (p != buf)
		b->procs[b->nprocs++] = p;
	return p;
}

/* the share of the committed time a stage may take, as a due instant */
static int64_t step_due_of(struct core *c, const struct dossier *d, int stage, const struct procedure *p)
{
	int idx = stage == SG_ACCEPTED ? 0 : stage == SG_DEPT ? 1 : stage == SG_PROCESSING ? 2 :
		  stage == SG_SIGNING ? 3 : -1;
	if (idx < 0 || !d->due_at)
		return 0;
	int64_t total = core_allowed_minutes(c, p, d->channel);
	int64_t due = cal_add_working(&c->cal, core_now(c), total * c->step_share[idx] / 100);
	return due > d->due_at ? d->due_at : due;
}

static int64_t step_due(struct core *c, const struct dossier *d, int stage)
{
	struct procedure *buf = malloc(sizeof *buf);
	const struct procedure *p = procedure(c, d, NULL, buf);
	int64_t due = p ? step_due_of(c, d, stage, p) : 0;
	free(buf);
	return due;
}

int dossier_receive(struct core *c, const struct receive_req *r, struct dossier *out, struct err *e)
{
	struct dossier *d = calloc(1, sizeof *d);
	struct procedure *pbuf = calloc(1, sizeof *pbuf);
	const struct procedure *p;
	char name[NAME_MAX_CHARS * 4 + 1], addr[ADDRESS_MAX_CHARS * 4 + 1], idno[32], phone[32];
	char reason[NOTE_MAX_CHARS * 4 + 1], key[2048], folded[1024];
	int rc = 0;
	if (!d || !pbuf) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	if (!r->pending && (rc = workflow_check(STEP_RECEIVE, &c->actor, NULL, e)))
		goto done;
	if (!r->pending && c->actor.office_id != c->office.id) {
		rc = err_set(e, MC_DENIED, "%s is a clerk of another office: dossiers are received at the clerk's own office",
			     c->actor.account);
		goto done;
	}
	if (!r->procedure || !(p = procedure(c, NULL, r->procedure, pbuf))) {
		rc = err_set_hint(e, MC_NOTFOUND, HINT_CATALOG_LIST, "unknown procedure '%.40s'", r->procedure ? r->procedure : "");
		goto done;
	}
	int kind = r->kind ? r->kind : AK_PERSON;
	int channel = r->channel ? r->channel : CH_DIRECT;
	int outcome = r->outcome ? r->outcome : OUT_ACCEPT;
	if ((rc = clean(r->name, N_("applicant name"), NAME_MAX_CHARS, name, sizeof name, 1, e)) ||
	    (rc = clean(r->address, N_("address"), ADDRESS_MAX_CHARS, addr, sizeof addr, 0, e)) ||
	    (rc = clean(r->reason, N_("reason"), NOTE_MAX_CHARS, reason, sizeof reason, 0, e)) ||
	    (rc = dossier_check_idno(kind, r->idno ? r->idno : "", idno, sizeof idno, e)) ||
	    (rc = dossier_check_phone(r->phone, phone, sizeof phone, e)))
		goto done;
	char email[256], pname[NAME_MAX_CHARS * 4 + 1], pidno[32], paddr[ADDRESS_MAX_CHARS * 4 + 1], pphone[32], pemail[256],
		pdoc[400];
	if ((rc = clean(r->email, N_("email"), 100, email, sizeof email, 0, e)) ||
	    (rc = clean(r->proxy_name, N_("proxy's name"), NAME_MAX_CHARS, pname, sizeof pname, 0, e)) ||
	    (rc = clean(r->proxy_address, N_("proxy's address"), ADDRESS_MAX_CHARS, paddr, sizeof paddr, 0, e)) ||
	    (rc = clean(r->proxy_email, N_("proxy's email"), 100, pemail, sizeof pemail, 0, e)) ||
	    (rc = clean(r->proxy_doc, N_("authorisation document"), 90, pdoc, sizeof pdoc, 0, e)) ||
	    (rc = dossier_check_phone(r->proxy_phone, pphone, sizeof pphone, e)))
		goto done;
	if ((email[0] && !strchr(email, '@')) || (pemail[0] && !strchr(pemail, '@'))) {
		rc = err_set(e, MC_INVALID, "email '%.60s' is not an email address: it needs a name, '@' and a domain",
			     email[0] && !strchr(email, '@') ? email : pemail);
		goto done;
	}
	pidno[0] = 0;
	if (pname[0] && (rc = dossier_check_idno(AK_PERSON, r->proxy_idno ? r->proxy_idno : "", pidno, sizeof pidno, e)))
		goto done;
	if (!pname[0] && (pidno[0] || paddr[0] || pphone[0] || pemail[0] || pdoc[0] || (r->proxy_idno && *r->proxy_idno))) {
		rc = err_set(e, MC_INVALID, "a proxy's details need the proxy's name: give --proxy-name too");
		goto done;
	}
	if (outcome != OUT_ACCEPT && !reason[0]) {
		rc = outcome == OUT_REFUSE ? err_set_field(e, MC_INVALID, EF_REASON, "a reason is required to refuse a dossier")
					   : err_set_field(e, MC_INVALID, EF_REASON, "a reason is required to request a supplement");
		goto done;
	}
	uint32_t all = p->ncomponents >= 32 ? 0xffffffffu : ((1u << p->ncomponents) - 1);
	if (r->components & ~all) {
		rc = err_set(e, MC_INVALID, "procedure %s has %d components; component numbers must be 1-%d", p->code, p->ncomponents, p->ncomponents);
		goto done;
	}
	if (outcome == OUT_ACCEPT && !r->pending) {
		for (int i = 0; i < p->ncomponents; i++)
			if (p->components[i].required && !(r->components & (1u << i))) {
				rc = err_set_field(e, MC_INVALID, EF_COMPONENTS, "required component %d (%.80s) is missing: request a supplement instead of accepting", i + 1, p->components[i].name);
				goto done;
			}
	}
	struct office res, ret;
	int placed = 0;
	if (outcome == OUT_ACCEPT && !r->pending) {
		if ((rc = org_places(c, p, r->resolver, r->return_at, &res, &ret, e)))
			goto done;
		placed = res.id != c->office.id || ret.id != c->office.id || strcmp(c->office.kind, "legacy");
	} else if ((r->resolver && *r->resolver) || (r->return_at && *r->return_at)) {
		rc = err_set(e, MC_INVALID, "only an accepted dossier goes to the competent agency: accept it to name the resolver or the place of return");
		goto done;
	}
	int64_t now = core_now(c);
	if ((rc = store_begin(c->st, e)))
		goto done;
	int n;
	char day[16];
	cal_format(now, 0, day, sizeof day);
	if ((rc = store_counter_next(c->st, c->office.id, day, &n, e))) {
		store_rollback(c->st);
		goto done;
	}
	dossier_format_code(c->office.agency_code, now, n, d->code, sizeof d->code);
	json_t *pl = json_pack("{s:s, s:s, s:i, s:i, s:{s:i, s:s, s:s, s:s, s:s}, s:s}",
		"office", c->office.agency_code, "procedure", p->code, "channel", channel,
		"components", (int)r->components,
		"applicant", "kind", kind, "name", name, "idno", idno, "phone", phone, "address", addr,
		"outcome", r->pending ? "pending" : outcome == OUT_ACCEPT ? "accept" : outcome == OUT_SUPPLEMENT ? "supplement" : "refuse");
	if (reason[0])
		json_object_set_new(pl, "reason", json_string(reason));
	json_object_set_new(pl, "pv", json_integer(p->version > 0 ? p->version : 1)); /* the procedure's version (procver.h) */
	d->proc_version = p->version > 0 ? p->version : 1;
	if (outcome == OUT_ACCEPT && !r->pending) {
		int64_t due = core_appointment(c, p, channel, now);
		json_object_set_new(pl, "due_at", json_integer(due));
		d->due_at = due;
		d->procedure_id = p->id;
		d->channel = channel;
		json_object_set_new(pl, "step_due_at", json_integer(step_due_of(c, d, SG_ACCEPTED, p)));
		fees_snapshot(c->st, p->id, pl);
	}
	if (placed)
		json_object_set_new(pl, "return_at", json_string(ret.agency_code));
	if (email[0])
		json_object_set_new(json_object_get(pl, "applicant"), "email", json_string(email));
	if (pname[0])
		json_object_set_new(pl, "proxy", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", pname, "idno", pidno,
							   "address", paddr, "phone", pphone, "email", pemail, "doc", pdoc));
	snprintf(key, sizeof key, "%s %s %s %s", name, idno, phone, d->code);
	text_fold(key, folded, sizeof folded);
	d->version = 0;
	rc = step_finish_route(c, "received", d, pl, 1, folded, placed && res.id != c->office.id ? &res : NULL, "resolve", out, e);
done:
	free(d);
	free(pbuf);
	return rc;
}

/* The opening every step on an existing dossier shares: the dossier's buffer (and, with
 * OPEN_PROC_BUF, a procedure buffer; with OPEN_PROC, the dossier's procedure read into it,
 * or MC_NOTFOUND), then step_begin: the transaction, the dossier loaded, its version and
 * the step checked.  On failure nothing is held (no transaction, no memory); on success
 * the step ends with step_finish or store_rollback, then step_close. */
enum { OPEN_PROC_BUF = 1, OPEN_PROC = 2 };
struct step_ctx { struct dossier *d; struct procedure *pbuf; const struct procedure *p; };

static void step_close(struct step_ctx *s)
{
	free(s->d);
	free(s->pbuf);
	s->d = NULL;
	s->pbuf = NULL;
}

static int step_open(struct core *c, int step, const char *code, int proc, struct step_ctx *s, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->d = malloc(sizeof *s->d);
	s->pbuf = proc ? malloc(sizeof *s->pbuf) : NULL;
	if (!s->d || (proc && !s->pbuf)) {
		step_close(s);
		return err_set(e, MC_STORE, "out of memory");
	}
	if (step_begin(c, step, code, s->d, e)) {
		step_close(s);
		return e->code;
	}
	if (proc == OPEN_PROC && !(s->p = procedure(c, s->d, NULL, s->pbuf))) {
		store_rollback(c->st);
		step_close(s);
		return err_set(e, MC_NOTFOUND, "the procedure of %s is missing from the catalog", code);
	}
	return 0;
}

/* a step on an existing dossier with an optional text field */
static int simple_step(struct core *c, int step, const char *code, const char *text_key, const char *text,
		       int text_required, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	char buf[NOTE_MAX_CHARS * 4 + 1];
	int rc;
	if (text_key && (rc = clean(text, text_key, NOTE_MAX_CHARS, buf, sizeof buf, text_required, e)))
		return rc;
	if ((rc = step_open(c, step, code, 0, &s, e)))
		return rc;
	json_t *pl = json_object();
	if (text_key)
		json_object_set_new(pl, text_key, json_string(buf));
	int n;
	const struct step_rule *r = workflow_rules(step, &n);
	rc = step_finish(c, r->event, s.d, pl, 0, NULL, out, e);
	step_close(&s);
	return rc;
}

int dossier_accept(struct core *c, const char *code, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	int rc;
	if ((rc = step_open(c, STEP_ACCEPT, code, OPEN_PROC, &s, e)))
		return rc;
	struct dossier *d = s.d;
	d->due_at = core_appointment(c, s.p, d->channel, core_now(c));
	json_t *pl = json_pack("{s:I, s:I, s:i}", "due_at", (json_int_t)d->due_at,
			       "step_due_at", (json_int_t)step_due_of(c, d, SG_ACCEPTED, s.p), "pv", s.p->version > 0 ? s.p->version : 1);
	fees_snapshot(c->st, s.p->id, pl);
	rc = step_finish(c, "accepted", d, pl, 0, NULL, out, e);
	step_close(&s);
	return rc;
}

int dossier_transfer(struct core *c, const char *code, const char *dept_code, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	const struct procedure *p;
	struct department dp;
	int rc;
	if ((rc = step_open(c, STEP_TRANSFER, code, OPEN_PROC_BUF, &s, e)))
		return rc;
	struct dossier *d = s.d;
	if (dept_code && *dept_code) {
		if (store_dept_by_code(c->st, dept_code, &dp)) {
			store_rollback(c->st);
			rc = err_set(e, MC_NOTFOUND, "unknown department '%.40s'", dept_code);
			goto done;
		}
	} else if (!(p = procedure(c, d, NULL, s.pbuf)) || !p->dept_id ||
		   store_dept_get(c->st, p->dept_id, &dp)) {
		store_rollback(c->st);
		rc = err_set_hint(e, MC_INVALID, HINT_DEPARTMENT, "the procedure of %s names no competent department", code);
		goto done;
	}
	/* a dossier central re-routed here: the procedure's department is at the office it
	 * came from; an office with a single department takes it there (dp unchanged if not) */
	if (dp.office_id != d->office_id && !(dept_code && *dept_code))
		store_dept_only(c->st, d->office_id, &dp);
	if (dp.office_id != d->office_id) {
		store_rollback(c->st);
		rc = err_set_hint(e, MC_INVALID, HINT_DEPARTMENT, "department %s belongs to another office",
			     dp.code);
		goto done;
	}
	json_t *pl = json_pack("{s:s, s:I}", "department", dp.code, "step_due_at", (json_int_t)step_due(c, d, SG_DEPT));
	rc = step_finish(c, "transferred", d, pl, 0, NULL, out, e);
done:
	step_close(&s);
	return rc;
}

int dossier_assign(struct core *c, const char *code, const char *account, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	struct user u;
	int rc;
	if ((rc = step_open(c, STEP_ASSIGN, code, 0, &s, e)))
		return rc;
	struct dossier *d = s.d;
	if (!account || store_user_by_account(c->st, account, &u)) {
		store_rollback(c->st);
		rc = err_set(e, MC_NOTFOUND, "unknown user '%.40s'", account ? account : "");
		goto done;
	}
	if (!(u.roles & ROLE_SPECIALIST) || u.dept_id != d->dept_id || !u.active) {
		store_rollback(c->st);
		rc = err_set(e, MC_INVALID, "%s cannot be assigned %s: assign a specialist of the same department", u.account, code);
		goto done;
	}
	json_t *pl = json_pack("{s:s, s:I}", "assignee", u.account, "step_due_at", (json_int_t)step_due(c, d, SG_PROCESSING));
	rc = step_finish(c, "assigned", d, pl, 0, NULL, out, e);
done:
	step_close(&s);
	return rc;
}

int dossier_propose(struct core *c, const char *code, int decision, const char *note, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	char buf[NOTE_MAX_CHARS * 4 + 1];
	int rc;
	if (decision != DEC_APPROVE && decision != DEC_REFUSE)
		return err_set(e, MC_INVALID, "the proposal must be approve or refuse");
	if ((rc = clean(note, N_("note"), NOTE_MAX_CHARS, buf, sizeof buf, decision == DEC_REFUSE, e)))
		return rc;
	if ((rc = step_open(c, STEP_PROPOSE, code, 0, &s, e)))
		return rc;
	/* liên thông: the lead concludes when every part is back (lienthong.h) */
	if ((rc = lt_may_conclude(c, s.d, e))) {
		store_rollback(c->st);
		step_close(&s);
		return rc;
	}
	json_t *pl = json_pack("{s:s, s:s, s:I}", "decision", decision == DEC_REFUSE ? "refuse" : "approve",
			       "note", buf, "step_due_at", (json_int_t)step_due(c, s.d, SG_SIGNING));
	rc = step_finish(c, "proposed", s.d, pl, 0, NULL, out, e);
	step_close(&s);
	return rc;
}

int dossier_send_back(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e)
{
	return simple_step(c, STEP_SEND_BACK, code, "reason", reason, 1, out, e);
}

int dossier_sign(struct core *c, const char *code, const char *extra, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	int rc;
	if ((rc = step_open(c, STEP_SIGN, code, 0, &s, e)))
		return rc;
	struct dossier *d = s.d;
	json_t *pl = json_pack("{s:s}", "decision", d->decision == DEC_REFUSE ? "refuse" : "approve");
	if (extra) {
		json_t *x = json_loads(extra, 0, NULL);
		if (!json_is_object(x)) {
			json_decref(x);
			json_decref(pl);
			store_rollback(c->st);
			rc = err_set(e, MC_INVALID, "internal: signature data is not a JSON object");
			goto done;
		}
		json_object_update(pl, x);
		json_decref(x);
	}
	/* the result goes back to the place of return the applicant chose (org.h) */
	struct office ret;
	int back = d->return_office_id && d->return_office_id != c->office.id && !store_office_get(c->st, d->return_office_id, &ret);
	rc = step_finish_route(c, "signed", d, pl, 0, NULL, back ? &ret : NULL, "return", out, e);
done:
	step_close(&s);
	return rc;
}

int dossier_return(struct core *c, const char *code, const char *collected_by, int rating, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	char who[NAME_MAX_CHARS * 4 + 1];
	int rc;
	if (rating < 0 || rating > 5) /* 0: the applicant gave no rating */
		return err_set_field(e, MC_INVALID, EF_RATING, "satisfaction rating must be 1 to 5 (1 very dissatisfied, 5 very satisfied)");
	if ((rc = clean(collected_by, N_("collected by"), NAME_MAX_CHARS, who, sizeof who, 1, e)))
		return rc;
	if ((rc = step_open(c, STEP_RETURN, code, 0, &s, e)))
		return rc;
	if (fees_owed(s.d)) { /* the result is handed over once the fees are paid */
		rc = err_set(e, MC_STATE, "dossier %s still owes %lld dong of fees: record the payment before returning the result",
			     code, (long long)fees_owed(s.d));
		store_rollback(c->st);
		step_close(&s);
		return rc;
	}
	json_t *pl = json_pack("{s:s, s:i}", "collected_by", who, "rating", rating);
	rc = step_finish(c, "returned", s.d, pl, 0, NULL, out, e);
	step_close(&s);
	return rc;
}

/* Supplements requested while the dossier was processed (not at intake), found by
 * replaying its events; *last: when the last one was asked. */
struct suppl_count { struct store *st; struct dossier *d; int n; int64_t last; };

static int suppl_one(const struct event *ev, void *arg)
{
	struct suppl_count *x = arg;
	if (!strcmp(ev->kind, "supplement_requested") && x->d->version && x->d->stage != SG_ONLINE) {
		x->n++;
		x->last = ev->at;
	}
	struct err ignore = {0};
	return dossier_apply(x->st, x->d, ev, &ignore) ? 1 : 0;
}

static int supplements_while_processing(struct core *c, const char *code, int64_t *last)
{
	struct suppl_count x = {c->st, calloc(1, sizeof *x.d), 0, 0};
	if (x.d)
		store_events_of(c->st, code, suppl_one, &x);
	free(x.d);
	*last = x.last;
	return x.n;
}

int dossier_supplement(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	char buf[NOTE_MAX_CHARS * 4 + 1];
	int rc;
	if ((rc = clean(reason, N_("reason"), NOTE_MAX_CHARS, buf, sizeof buf, 0, e)))
		return rc;
	if (!buf[0])
		return err_set(e, MC_INVALID, "a supplement request must state what to supplement and why (Decree 118/2025/NĐ-CP Art. 11; form 02)");
	if ((rc = step_open(c, STEP_SUPPLEMENT, code, 0, &s, e)))
		return rc;
	struct dossier *d = s.d;
	int64_t last;
	int n;
	if (d->stage == SG_PROCESSING && c->supplement_limit > 0 &&
	    (n = supplements_while_processing(c, d->code, &last)) >= c->supplement_limit) {
		char when[24];
		cal_format(last, 1, when, sizeof when);
		store_rollback(c->st);
		rc = c->supplement_limit == 1
			? err_set(e, MC_STATE, "a supplement may be requested only once per dossier while it is processed, and dossier %s had one on %s (Decree 118/2025/NĐ-CP Art. 11)", d->code, when)
			: err_set(e, MC_STATE, "dossier %s already had %d supplement requests while it was processed, the last on %s: this office allows %d (setting supplement.limit)", d->code, n, when, c->supplement_limit);
		goto done;
	}
	/* the time left counts from the minute the request was made, as the papers show it
	 * (at 09:00:02 it is 09:00): counted from the second, a minute begun was lost, and
	 * an appointment at 09:00 came back at 08:59 after the pause */
	int64_t asked = core_now(c) - core_now(c) % 60;
	int64_t remaining = d->due_at ? cal_working_between(&c->cal, asked, d->due_at) : 0;
	json_t *pl = json_pack("{s:s, s:I}", "reason", buf, "remaining", (json_int_t)remaining);
	rc = step_finish(c, "supplement_requested", d, pl, 0, NULL, out, e);
done:
	step_close(&s);
	return rc;
}

int dossier_resume(struct core *c, const char *code, uint32_t components, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	int rc;
	if ((rc = step_open(c, STEP_RESUME, code, OPEN_PROC, &s, e)))
		return rc;
	struct dossier *d = s.d;
	const struct procedure *p = s.p;
	uint32_t all = p->ncomponents >= 32 ? 0xffffffffu : ((1u << p->ncomponents) - 1);
	if (components & ~all) {
		store_rollback(c->st);
		rc = err_set(e, MC_INVALID, "procedure %s has %d components; component numbers must be 1-%d", p->code, p->ncomponents, p->ncomponents);
		goto done;
	}
	if (d->stage == SG_INTAKE_SUPPL)
		for (int i = 0; i < p->ncomponents; i++)
			if (p->components[i].required && !((d->components | components) & (1u << i))) {
				store_rollback(c->st);
				rc = err_set(e, MC_INVALID, "required component %d (%.80s) of dossier %s is still missing: a dossier is accepted only when every required component has been received (Decree 118/2025/NĐ-CP Art. 17)",
					     i + 1, p->components[i].name, d->code);
				goto done;
			}
	int64_t now = core_now(c), due;
	json_t *pl;
	if (d->stage == SG_INTAKE_SUPPL) {
		/* now complete: accepted from today, with the full time */
		due = core_appointment(c, p, d->channel, now);
		d->due_at = due;
		pl = json_pack("{s:I, s:I}", "due_at", (json_int_t)due, "step_due_at", (json_int_t)step_due_of(c, d, SG_ACCEPTED, p));
		fees_snapshot(c->st, p->id, pl);
	} else {
		/* restart (Decree 61/2018 Art. 19(4)): the time counts again from the start, as
		 * at a reception, so by the reception's rule (core_appointment: its cut-off too) */
		due = c->supplement_restart ? core_appointment(c, p, d->channel, now) : cal_add_working(&c->cal, now, d->remaining);
		/* the committed date moves by the paused time too: the clock was stopped */
		int64_t orig = d->orig_due_at;
		if (d->orig_due_at && d->paused_at) {
			/* from the minute the request was made, as its time left (dossier_supplement) */
			int64_t asked = d->paused_at - d->paused_at % 60;
			int64_t left = d->orig_due_at > asked ? cal_working_between(&c->cal, asked, d->orig_due_at) : 0;
			orig = c->supplement_restart ? due : cal_add_working(&c->cal, now, left);
		}
		d->due_at = due;
		pl = json_pack("{s:I, s:I, s:s, s:I}", "due_at", (json_int_t)due, "orig_due_at", (json_int_t)orig,
			       "mode", c->supplement_restart ? "restart" : "resume",
			       "step_due_at", (json_int_t)step_due_of(c, d, d->prev_stage, p));
	}
	if (components)
		json_object_set_new(pl, "components", json_integer(components));
	rc = step_finish(c, "supplement_received", d, pl, 0, NULL, out, e);
done:
	step_close(&s);
	return rc;
}

int dossier_refuse(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e)
{
	return simple_step(c, STEP_REFUSE, code, "reason", reason, 1, out, e);
}

int dossier_withdraw(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e)
{
	return simple_step(c, STEP_WITHDRAW, code, "reason", reason, 1, out, e);
}

/* Stopping at the applicant's request (Decree 118/2025/NĐ-CP Art. 21, Circular
 * 03/2025/TT-VPCP Art. 7): only while no decision or result exists; the stop notice
 * (form STOP_NOTICE) confirms it. */
int dossier_stop(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	if (!d)
		return err_set(e, MC_STORE, "out of memory");
	int decided = dossier_get(c, code, d, e) == 0 && (d->resolved_at > 0 || d->stage == SG_RESULT || d->stage == SG_RETURNED);
	char when[24] = "";
	if (decided)
		cal_format(d->resolved_at ? d->resolved_at : d->stage_since, 1, when, sizeof when);
	/* who may stop comes first: a clerk is refused for the role, as for any step */
	struct err role = {0};
	int denied = decided && workflow_check(STEP_STOP, &c->actor, d, &role) == MC_DENIED;
	free(d);
	if (denied) {
		*e = role;
		return MC_DENIED;
	}
	if (decided)
		return err_set(e, MC_STATE, "dossier %s cannot be stopped at the applicant's request: its decision was issued on %s, and a dossier may be stopped only before a decision or result exists (Decree 118/2025/NĐ-CP Art. 21)",
			       code, when);
	return simple_step(c, STEP_STOP, code, "reason", reason, 1, out, e);
}

/* Decree 61/2018/NĐ-CP Art. 19(9), repeated by the provinces' rules under Decree
 * 118/2025: the apology letter with the new appointment reaches the applicant at the
 * latest one day before the appointment, and an appointment is rescheduled only once. */
static int extension_allowed(struct core *c, const struct dossier *d, struct err *e)
{
	char when[24];
	if (d->apology) {
		cal_format(d->due_at, 1, when, sizeof when);
		return err_set(e, MC_STATE, "an appointment may be rescheduled with an apology letter only once, and dossier %s was already rescheduled to %s (Decree 61/2018/NĐ-CP Art. 19(9))", d->code, when);
	}
	if (!d->due_at || cal_day_of(core_now(c)) >= cal_day_of(d->due_at)) {
		cal_format(d->due_at, 1, when, sizeof when);
		return err_set(e, MC_STATE, "an apology letter with a new appointment must be issued at the latest the day before the appointment, and dossier %s is due %s (Decree 61/2018/NĐ-CP Art. 19(9))", d->code, when);
	}
	return 0;
}

int dossier_extend(struct core *c, const char *code, int64_t new_due, const char *reason, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	char buf[NOTE_MAX_CHARS * 4 + 1];
	int rc;
	if ((rc = clean(reason, N_("reason"), NOTE_MAX_CHARS, buf, sizeof buf, 1, e)))
		return rc;
	/* liên thông: the head of the agency whose part made the dossier late may propose
	 * it too, for the department the dossier is at (lienthong.h) */
	char resp[32];
	struct office ro;
	struct dossier cur;
	struct user own = c->actor;
	if ((c->actor.roles & ROLE_HEAD) && lt_responsible(c, code, resp) && !store_office_by_code(c->st, resp, &ro) &&
	    ro.id == c->actor.office_id && !lt_part_away(c, code, resp) && !dossier_get(c, code, &cur, e)) {
		c->actor.office_id = cur.office_id;
		c->actor.dept_id = cur.dept_id;
	}
	rc = step_open(c, STEP_EXTEND, code, 0, &s, e);
	c->actor = own;
	if (rc)
		return rc;
	struct dossier *d = s.d;
	if ((rc = extension_allowed(c, d, e))) {
		store_rollback(c->st);
		goto done;
	}
	if (new_due <= d->due_at || new_due <= core_now(c)) {
		char due[24];
		cal_format(d->due_at, 1, due, sizeof due);
		store_rollback(c->st);
		rc = err_set_field(e, MC_INVALID, EF_DATE, "the new appointment must be later than the current one (%s) and than now", due);
		goto done;
	}
	if (new_due > core_now(c) + (int64_t)20 * 366 * 86400) {
		store_rollback(c->st);
		rc = err_set(e, MC_INVALID, "the new appointment is more than 20 years away: check the date");
		goto done;
	}
	if (!cal_is_working_day(&c->cal, cal_day_of(new_due))) {
		store_rollback(c->st);
		rc = err_set_field(e, MC_INVALID, EF_DATE, "the new appointment falls on a non-working day: choose a working day");
		goto done;
	}
	json_t *pl = json_pack("{s:I, s:I, s:s}", "due_at", (json_int_t)new_due, "previous_due_at",
			       (json_int_t)d->due_at, "reason", buf);
	rc = step_finish(c, "extension_proposed", d, pl, 0, NULL, out, e);
done:
	step_close(&s);
	return rc;
}

/* the last extension proposed for a dossier (its event, payload kept), if any */
struct proposal { const char *code; struct event ev; int found; };

static int proposal_one(const struct event *ev, void *arg)
{
	struct proposal *x = arg;
	if (!strcmp(ev->kind, "extension_proposed")) {
		event_clear(&x->ev);
		x->ev = *ev;
		x->ev.payload = strdup(ev->payload ? ev->payload : "{}");
		x->found = x->ev.payload != NULL;
	}
	return 0;
}

int dossier_extension_proposed(struct core *c, const char *code, int64_t *due, char *reason, size_t n)
{
	struct proposal x = {code, {0}, 0};
	store_events_of(c->st, code, proposal_one, &x);
	json_t *p = x.found ? json_loads(x.ev.payload, 0, NULL) : NULL;
	*due = p ? jint(p, "due_at") : 0;
	snprintf(reason, n, "%s", p ? jstr(p, "reason") : "");
	json_decref(p);
	event_clear(&x.ev);
	return *due > 0;
}

int dossier_extend_issue(struct core *c, const char *code, struct dossier *out, struct err *e)
{
	struct step_ctx s;
	struct proposal x = {code, {0}, 0};
	int rc;
	/* liên thông: the agency whose part made the dossier late signs the apology (its
	 * head, for the office holding the dossier); without parts, the holder's leader */
	char resp[32];
	struct office ro;
	int64_t own = c->actor.office_id;
	struct dossier cur;
	if (lt_responsible(c, code, resp) && !store_office_by_code(c->st, resp, &ro) && !dossier_get(c, code, &cur, e)) {
		/* between offices (sequential flow) the late agency signs while it holds the
		 * dossier; once its part went back elsewhere, or while it works its part on a
		 * chain at its own store (parallel flow), the holder's leader issues the
		 * letter, which still names the late agency */
		int away = (lt_part_back(c, code, resp) || lt_part_away(c, code, resp)) && cur.office_id != ro.id;
		if (!away && c->actor.id && c->actor.office_id != ro.id)
			return err_set(e, MC_DENIED, "the apology for dossier %s is signed by the head of agency %s, the agency that made it late",
				       code, resp);
		if (!away)
			c->actor.office_id = cur.office_id;
	} else {
		resp[0] = 0;
	}
	rc = step_open(c, STEP_EXTEND_ISSUE, code, 0, &s, e);
	c->actor.office_id = own;
	if (rc)
		return rc;
	struct dossier *d = s.d;
	if ((rc = extension_allowed(c, d, e))) {
		store_rollback(c->st);
		goto done;
	}
	store_events_of(c->st, d->code, proposal_one, &x);
	json_t *prop = x.found ? json_loads(x.ev.payload, 0, NULL) : NULL;
	int64_t new_due = prop ? jint(prop, "due_at") : 0;
	if (!prop || new_due <= d->due_at) {
		json_decref(prop);
		store_rollback(c->st);
		rc = err_set(e, MC_STATE, "no extension of dossier %s is waiting to be issued: the specialist proposes the new appointment and its reason first", d->code);
		goto done;
	}
	json_t *pl = json_pack("{s:I, s:I, s:s, s:s}", "due_at", (json_int_t)new_due, "previous_due_at",
			       (json_int_t)d->due_at, "reason", jstr(prop, "reason"), "proposed_by", x.ev.actor);
	if (resp[0])
		json_object_set_new(pl, "agency", json_string(resp));
	json_decref(prop);
	rc = step_finish(c, "extended", d, pl, 0, NULL, out, e);
done:
	event_clear(&x.ev);
	step_close(&s);
	return rc;
}

int dossier_bulk_begin(struct core *c, struct err *e)
{
	if (!(c->bulk = calloc(1, sizeof *c->bulk)))
		return err_set(e, MC_STORE, "out of memory");
	return store_bulk_begin(c->st, e);
}

int dossier_bulk_end(struct core *c, int complete, struct err *e)
{
	for (int i = 0; c->bulk && i < c->bulk->nprocs; i++)
		free(c->bulk->procs[i]);
	free(c->bulk);
	c->bulk = NULL;
	return store_bulk_end(c->st, complete, e);
}

struct rebuild { struct store *st; struct dossier *d; struct err *e; int rc; int lt; };

static int rebuild_one(const struct event *ev, void *ctx)
{
	struct rebuild *r = ctx;
	r->lt |= lt_is_event(ev->kind);
	r->rc = dossier_apply(r->st, r->d, ev, r->e);
	return r->rc;
}

int dossier_rebuild(struct core *c, const char *code, struct err *e)
{
	struct dossier *d = calloc(1, sizeof *d), *old = malloc(sizeof *old);
	int rc = 0;
	if (!d || !old) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	int exists = store_dossier_get(c->st, code, old) == 0;
	struct rebuild r = {c->st, d, e, 0, 0};
	if ((rc = store_events_of(c->st, code, rebuild_one, &r)))
		goto done;
	if (!d->version) {
		rc = err_set(e, MC_NOTFOUND, "no events for dossier %s", code);
		goto done;
	}
	if (exists) {
		d->id = old->id;
		d->conflict = old->conflict;
		rc = store_dossier_update(c->st, d, e);
		if (!rc && d->office_id != old->office_id)
			rc = store_dossier_move(c->st, d->id, d->office_id, e);
	} else {
		char key[2048], folded[1024];
		snprintf(key, sizeof key, "%s %s %s %s", d->applicant_name, d->applicant_idno, d->applicant_phone, d->code);
		text_fold(key, folded, sizeof folded);
		rc = store_dossier_insert(c->st, d, e);
		if (!rc)
			rc = store_search_add(c->st, d->id, folded, e);
	}
	/* the liên thông parts are a projection of the same events (a part chain's too) */
	char parent[CODE_LEN];
	int part;
	if (!rc && (r.lt || lt_part_parent(code, parent, &part)))
		rc = lt_rebuild(c, code, d->id, e);
	/* a receipt chain's payments change what its dossier owes, where this store holds it */
	if (!rc && fees_counter_parent(code, parent))
		rc = fees_counter_refresh(c, parent, e);
done:
	free(d);
	free(old);
	return rc;
}

/* ---- steps of other modules -------------------------------------------------- */

int dossier_step_custom(struct core *c, const char *code, const char *kind, dossier_step_fn fn, dossier_post_fn post,
			void *ctx, struct dossier *out, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	if (!d)
		return err_set(e, MC_STORE, "out of memory");
	json_t *pl = NULL;
	const struct office *to = NULL;
	const char *place = NULL;
	int rc = store_begin(c->st, e);
	if (rc)
		goto done;
	if ((rc = dossier_get(c, code, d, e)))
		goto fail;
	if (c->expect_version > 0 && d->version != c->expect_version) {
		char when[24];
		cal_format(d->last_at, 1, when, sizeof when);
		rc = err_set(e, MC_CONFLICT, "dossier %s was changed by %s at %s while you had it open; reload it and try again",
			     d->code, d->last_actor, when);
		goto fail;
	}
	if ((rc = fn(c, d, ctx, &pl, &to, &place, e)))
		goto fail;
	/* step_finish_route commits: the module's rows go in first through a nested
	 * transaction, so it runs inside an outer one of our own */
	if ((rc = store_begin(c->st, e)))
		goto fail;
	rc = step_finish_route(c, kind, d, pl, 0, NULL, to, place ? place : "", NULL, e);
	pl = NULL;
	if (!rc && post)
		rc = post(c, d, ctx, e);
	if (!rc)
		rc = store_commit(c->st, e);
	if (rc)
		goto fail;
	if (out)
		*out = *d;
	goto done;
fail:
	store_rollback(c->st);
done:
	json_decref(pl);
	free(d);
	return rc;
}

int dossier_chain_open(struct core *c, const char *code, json_t *payload, const struct office *to, const char *place,
		       struct err *e)
{
	struct dossier *d = calloc(1, sizeof *d);
	if (!d) {
		json_decref(payload);
		return err_set(e, MC_STORE, "out of memory");
	}
	snprintf(d->code, sizeof d->code, "%s", code);
	int rc = store_begin(c->st, e);
	if (!rc)
		rc = step_finish_route(c, "received", d, payload, 1, code, to, place, NULL, e);
	else
		json_decref(payload);
	free(d);
	return rc;
}

/* ---- attachments ------------------------------------------------------------ */

int dossier_attach(struct core *c, const char *code, struct json_t *payload, dossier_put_fn put, void *ctx,
		   struct dossier *out, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	int rc;
	if (!d) {
		json_decref(payload);
		return err_set(e, MC_STORE, "out of memory");
	}
	if (store_begin(c->st, e)) {
		rc = e->code;
		goto done;
	}
	if ((rc = dossier_get(c, code, d, e)))
		goto fail;
	if (!c->actor.id || !(c->actor.roles & (ROLE_CLERK | ROLE_HEAD | ROLE_SPECIALIST | ROLE_LEADER))) {
		rc = err_set(e, MC_DENIED, "%s may not attach files: that needs the role clerk, head, specialist or leader",
			     c->actor.id ? c->actor.account : c->os_account);
		goto fail;
	}
	if (c->actor.office_id != d->office_id) {
		rc = err_set(e, MC_DENIED, "%s may not attach files to %s: the dossier belongs to another office", c->actor.account, code);
		goto fail;
	}
	if (d->stage >= SG_FINAL) {
		rc = err_set(e, MC_STATE, "dossier %s is finished: no file can be attached to it any more", code);
		goto fail;
	}
	if ((rc = put(c, d, ctx, e)))
		goto fail;
	rc = step_finish(c, "attached", d, payload, 0, NULL, out, e);
	payload = NULL;
	goto done;
fail:
	store_rollback(c->st);
done:
	json_decref(payload);
	free(d);
	return rc;
}
