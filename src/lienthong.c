/* lienthong.c - inter-agency processing: the procedure's agencies, a dossier's parts,
 * their deadlines, lateness and its attribution (see lienthong.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "i18n.h"
#include "lienthong.h"
#include "report.h"
#include "store.h"
#include "store_lienthong.h"
#include "text.h"

static int64_t jint(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* ---- configuration ------------------------------------------------------------ */

static int admin_only(struct core *c, struct err *e)
{
	if (!c->is_root && !(c->actor.roles & ROLE_ADMIN))
		return err_set(e, MC_DENIED, "this needs the admin role (or root)");
	return 0;
}

static int procedure_of(struct core *c, const char *procedure, int64_t *pid, struct err *e)
{
	if (!procedure || store_procedure_id(c->st, procedure, pid))
		return err_set(e, MC_NOTFOUND, "unknown procedure '%.40s': see 'motcua catalog list'", procedure ? procedure : "");
	return 0;
}

struct has_ctx { int64_t office_id; int n, found; };

static int has_agency(const char *agency, int64_t office_id, const char *task, int days, int order, int lead, void *ctx)
{
	(void)agency, (void)task, (void)days, (void)order;
	struct has_ctx *h = ctx;
	h->n += !lead;
	h->found |= office_id == h->office_id;
	return 0;
}

int lt_agency_set(struct core *c, const char *procedure, const char *agency, const char *task, int days, int order,
		  int lead, int add, struct err *e)
{
	int64_t pid;
	struct office o;
	char t[NOTE_MAX_CHARS * 4 + 1], msg[256];
	if (admin_only(c, e) || procedure_of(c, procedure, &pid, e))
		return e->code;
	if (!agency || store_office_by_code(c->st, agency, &o))
		return err_set(e, MC_NOTFOUND, "unknown office '%.40s'", agency ? agency : "");
	if (add) {
		if (text_clean(task ? task : "", "task", NOTE_MAX_CHARS, t, sizeof t, msg, sizeof msg))
			return err_set(e, MC_INVALID, "%s", msg);
		if (!t[0])
			return err_set(e, MC_INVALID, "say the agency's task in the procedure with --task TEXT");
		if (days < 0 || days > 365)
			return err_set(e, MC_INVALID, "the agency's share of the time limit must be 0 to 365 working days (--days N)");
		if (order < 0 || order > 99)
			return err_set(e, MC_INVALID, "the agency's place in the order must be 0 to 99 (--order N)");
	}
	struct has_ctx h = {o.id, 0, 0};
	store_lt_agencies(c->st, pid, has_agency, &h);
	int n = h.n;
	if (add && !lead && !h.found && n >= LT_MAX_PARTS)
		return err_set(e, MC_INVALID, "procedure %s has %d participating agencies already, the most a dossier can have", procedure, n);
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	char flow[12];
	store_lt_flow(c->st, pid, flow, sizeof flow);
	/* a procedure keeps a flow row once configured: central publishes its removals too */
	if ((rc = store_lt_agency_set(c->st, pid, o.id, t, days, order, lead, add, e)) ||
	    (!flow[0] && (rc = store_lt_flow_set(c->st, pid, "channel", e))) || (rc = store_commit(c->st, e)))
		store_rollback(c->st);
	return rc;
}

int lt_flow_set(struct core *c, const char *procedure, const char *flow, struct err *e)
{
	int64_t pid;
	if (admin_only(c, e) || procedure_of(c, procedure, &pid, e))
		return e->code;
	if (!flow || (strcmp(flow, "parallel") && strcmp(flow, "sequential") && strcmp(flow, "channel")))
		return err_set(e, MC_INVALID, "unknown flow '%.20s': say parallel, sequential or channel", flow ? flow : "");
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if ((rc = store_lt_flow_set(c->st, pid, flow, e)) || (rc = store_commit(c->st, e)))
		store_rollback(c->st);
	return rc;
}

struct agencies_ctx {
	int (*cb)(const char *agency, const char *task, int days, int order, int lead, void *ctx);
	void *ctx;
};

static int agency_row(const char *agency, int64_t office_id, const char *task, int days, int order, int lead, void *ctx)
{
	(void)office_id;
	struct agencies_ctx *a = ctx;
	return a->cb(agency, task, days, order, lead, a->ctx);
}

int lt_agencies(struct core *c, const char *procedure, char *flow, size_t n,
		int (*cb)(const char *agency, const char *task, int days, int order, int lead, void *ctx), void *ctx,
		struct err *e)
{
	int64_t pid;
	if (procedure_of(c, procedure, &pid, e))
		return e->code;
	store_lt_flow(c->st, pid, flow, n);
	struct agencies_ctx a = {cb, ctx};
	return store_lt_agencies(c->st, pid, agency_row, &a);
}

/* ---- events and their projection ---------------------------------------------- */

int lt_is_event(const char *kind)
{
	return !strcmp(kind, "lt_opened") || !strcmp(kind, "part_taken") || !strcmp(kind, "part_returned");
}

static struct lt_part *part_n(struct lt_parts *ps, int n)
{
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i].n == n)
			return &ps->p[i];
	return NULL;
}

/* text from an event (another office may have written it) is kept sanitised: the
 * projection is what the CLI and the screens show */
static void put(char *dst, size_t n, const char *src)
{
	text_sanitize(src, dst, n);
}

void lt_apply(struct lt_parts *ps, const char *kind, int64_t at, json_t *p)
{
	if (!strcmp(kind, "lt_opened")) {
		memset(ps, 0, sizeof *ps);
		put(ps->flow, sizeof ps->flow, jstr(p, "flow"));
		put(ps->lead, sizeof ps->lead, jstr(p, "lead"));
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(p, "parts"), i, v) {
			if (ps->n >= LT_MAX_PARTS)
				break;
			struct lt_part *x = &ps->p[ps->n++];
			x->n = (int)jint(v, "n");
			put(x->agency, sizeof x->agency, jstr(v, "agency"));
			put(x->task, sizeof x->task, jstr(v, "task"));
			x->days = (int)jint(v, "days");
			x->due_at = jint(v, "due_at");
			x->slip = (int)jint(v, "slip");
			x->state = x->due_at ? LT_OPEN : LT_WAITING;
			x->opened_at = x->due_at ? at : 0;
		}
		return;
	}
	struct lt_part *x = part_n(ps, (int)jint(p, "n"));
	if (!x)
		return;
	if (!strcmp(kind, "part_taken")) {
		x->state = LT_TAKEN;
		put(x->assignee, sizeof x->assignee, jstr(p, "assignee"));
	} else if (!strcmp(kind, "part_returned")) {
		x->state = LT_BACK;
		x->returned_at = at;
		put(x->result, sizeof x->result, jstr(p, "result"));
		struct lt_part *nx = jint(p, "next") ? part_n(ps, (int)jint(p, "next")) : NULL;
		if (nx) {
			nx->state = LT_OPEN;
			nx->opened_at = at;
			nx->due_at = jint(p, "next_due_at");
			nx->slip = (int)jint(p, "slip");
		}
	}
}

struct collect { struct lt_parts *ps; };

static int collect_one(const struct event *ev, void *ctx)
{
	struct collect *k = ctx;
	if (!lt_is_event(ev->kind))
		return 0;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	if (p)
		lt_apply(k->ps, ev->kind, ev->at, p);
	json_decref(p);
	return 0;
}

/* the parts as the events say, with each part's office id in this store */
static int parts_read(struct core *c, const char *code, struct lt_parts *ps)
{
	memset(ps, 0, sizeof *ps);
	struct collect k = {ps};
	int rc = store_events_of(c->st, code, collect_one, &k);
	for (int i = 0; i < ps->n; i++) {
		struct office o;
		if (!store_office_by_code(c->st, ps->p[i].agency, &o))
			ps->p[i].office_id = o.id;
	}
	return rc;
}

int lt_parts_of(struct core *c, const char *code, struct lt_parts *out, struct err *e)
{
	struct dossier d;
	if (dossier_get(c, code, &d, e))
		return e->code;
	if (parts_read(c, code, out))
		return err_set(e, MC_STORE, "the events of dossier %s could not be read", code);
	return 0;
}

int lt_rebuild(struct core *c, const char *code, int64_t dossier_id, struct err *e)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	if (!ps)
		return err_set(e, MC_STORE, "out of memory");
	int rc = parts_read(c, code, ps) ? err_set(e, MC_STORE, "the events of dossier %s could not be read", code)
					  : store_lt_parts_put(c->st, dossier_id, ps, e);
	free(ps);
	return rc;
}

static int post_rebuild(struct core *c, struct dossier *d, void *ctx, struct err *e)
{
	(void)ctx;
	return lt_rebuild(c, d->code, d->id, e);
}

/* ---- deadlines and lateness -------------------------------------------------------- */

static int64_t part_due(const struct core *c, int64_t from, int days)
{
	return cal_add_working(&c->cal, from, (int64_t)days * cal_day_minutes(&c->cal));
}

int64_t lt_part_late(const struct core *c, const struct lt_part *p, int64_t now)
{
	if (!p->due_at || p->state == LT_WAITING)
		return 0;
	int64_t end = p->state == LT_BACK ? p->returned_at : now;
	if (end <= p->due_at)
		return 0;
	int64_t m = cal_working_between(&c->cal, p->due_at, end);
	return m > 0 ? m : 1; /* past the deadline out of working hours: late all the same */
}

static int responsible_of(const struct core *c, const struct lt_parts *ps, char agency[32])
{
	int64_t worst = 0;
	snprintf(agency, 32, "%s", ps->lead);
	for (int i = 0; i < ps->n; i++) {
		int64_t l = lt_part_late(c, &ps->p[i], core_now(c));
		if (l > worst) {
			worst = l;
			snprintf(agency, 32, "%s", ps->p[i].agency);
		}
	}
	return ps->flow[0] != 0;
}

int lt_responsible(struct core *c, const char *code, char agency[32])
{
	struct lt_parts *ps = malloc(sizeof *ps);
	agency[0] = 0;
	if (!ps)
		return 0;
	int has = !parts_read(c, code, ps) && responsible_of(c, ps, agency);
	if (!has)
		agency[0] = 0;
	free(ps);
	return has;
}

int lt_part_back(struct core *c, const char *code, const char *agency)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	int found = 0, back = 1;
	if (ps && !parts_read(c, code, ps))
		for (int i = 0; i < ps->n; i++)
			if (!strcmp(ps->p[i].agency, agency)) {
				found = 1;
				back &= ps->p[i].state == LT_BACK;
			}
	free(ps);
	return found && back;
}

int lt_may_conclude(struct core *c, const struct dossier *d, struct err *e)
{
	/* the projection answers the common case (no parts) with one indexed read */
	int open = 0, agencies = 0, n = store_lt_parts_count(c->st, d->id, d->procedure_id, &open, &agencies);
	if (!n) {
		/* a procedure with participating agencies concludes only after their parts */
		if (agencies)
			return err_set(e, MC_STATE, "dossier %s needs the participating agencies' parts first (liên thông): open them with 'motcua part open %s'",
				       d->code, d->code);
		return 0;
	}
	if (!open)
		return 0;
	struct lt_parts *ps = malloc(sizeof *ps);
	if (!ps)
		return err_set(e, MC_STORE, "out of memory");
	int rc = 0;
	if (parts_read(c, d->code, ps))
		rc = err_set(e, MC_STORE, "the events of dossier %s could not be read", d->code);
	for (int i = 0; i < ps->n && !rc; i++)
		if (ps->p[i].state != LT_BACK)
			rc = err_set(e, MC_STATE, "the lead agency concludes dossier %s only when every part is back: part %d at agency %s is not handed back yet",
				     d->code, ps->p[i].n, ps->p[i].agency);
	free(ps);
	return rc;
}

int lt_each_part(struct core *c, int64_t office_id, int all, int (*cb)(const char *code, const struct lt_part *p, void *ctx),
		 void *ctx)
{
	return store_lt_parts_each(c->st, office_id, all, cb, ctx);
}

struct queue_ctx { struct core *c; int limit, n, total, overdue; dossier_cb cb; void *ctx; char last[CODE_LEN]; };

static int queue_one(const char *code, const struct lt_part *p, void *ctx)
{
	struct queue_ctx *q = ctx;
	q->total++;
	q->overdue += lt_part_late(q->c, p, core_now(q->c)) > 0;
	if (!q->cb || q->n >= q->limit || !strcmp(code, q->last))
		return 0;
	struct dossier *d = malloc(sizeof *d);
	struct err e = {0};
	int rc = 0;
	if (d && !dossier_get(q->c, code, d, &e)) {
		snprintf(q->last, sizeof q->last, "%s", code);
		q->n++;
		rc = q->cb(d, q->ctx);
	}
	free(d);
	return rc;
}

int lt_queue(struct core *c, int limit, dossier_cb cb, void *ctx, int *total, int *overdue)
{
	struct queue_ctx q = {c, limit, 0, 0, 0, cb, ctx, ""};
	int rc = c->actor.id ? store_lt_parts_each(c->st, c->actor.office_id, 0, queue_one, &q) : 0;
	if (total)
		*total = q.total;
	if (overdue)
		*overdue = q.overdue;
	return rc;
}

/* ---- the steps ---------------------------------------------------------------- */

struct step {
	const char *flow;
	int n;
	const char *account;
	char text[NOTE_MAX_CHARS * 4 + 1];
	struct office to;
	struct lt_parts ps;
	struct procedure proc;
};

static int actor_ok(struct core *c, struct err *e)
{
	if (!c->actor.id)
		return err_set(e, MC_DENIED, "this step on a part needs a motcua user; run it as that user");
	if (!c->actor.active)
		return err_set(e, MC_DENIED, "user %s is deactivated", c->actor.account);
	return 0;
}

static int busy_stage(const struct dossier *d, struct err *e)
{
	if (d->stage < SG_DEPT || d->stage > SG_PROCESSING)
		return err_set(e, MC_STATE, "the parts of dossier %s are worked while the lead agency processes it: its status is %s (%s)",
			       d->code, status_label(d->status), _(stage_name(d->stage)));
	return 0;
}

struct build { struct core *c; struct step *s; json_t *parts; int64_t lead_id; };

static int build_part(const char *agency, int64_t office_id, const char *task, int days, int order, int lead, void *ctx)
{
	(void)order;
	struct build *b = ctx;
	if (lead || office_id == b->lead_id)
		return 0;
	int n = (int)json_array_size(b->parts) + 1;
	if (n > LT_MAX_PARTS)
		return 0;
	int open = !strcmp(b->s->flow, "parallel") || n == 1;
	int64_t due = open ? part_due(b->c, core_now(b->c), days) : 0;
	json_t *x = json_pack("{s:i, s:s, s:s, s:i, s:I}", "n", n, "agency", agency, "task", task, "days", days, "due_at",
			      (json_int_t)due);
	if (open && strcmp(b->s->flow, "parallel"))
		json_object_set_new(x, "slip", json_integer(1));
	if (n == 1)
		b->s->to.id = office_id; /* where a sequential flow sends the dossier first */
	json_array_append_new(b->parts, x);
	return 0;
}

static int open_fn(struct core *c, struct dossier *d, void *ctx, json_t **payload, const struct office **to, const char **place,
		   struct err *e)
{
	struct step *s = ctx;
	if (actor_ok(c, e))
		return e->code;
	if (c->actor.office_id != d->office_id || !(c->actor.roles & (ROLE_CLERK | ROLE_HEAD | ROLE_SPECIALIST)))
		return err_set(e, MC_DENIED, "%s may not open the parts of dossier %s: the lead agency's clerk, head or specialist opens them",
			       c->actor.account, d->code);
	if (busy_stage(d, e))
		return e->code;
	if (parts_read(c, d->code, &s->ps))
		return err_set(e, MC_STORE, "the events of dossier %s could not be read", d->code);
	if (s->ps.flow[0])
		return err_set(e, MC_STATE, "the parts of dossier %s are already open (%s flow)", d->code, s->ps.flow);
	if (store_procedure_get(c->st, d->procedure_id, &s->proc))
		return err_set(e, MC_NOTFOUND, "the procedure of %s is missing from the catalog", d->code);
	char flow[12];
	store_lt_flow(c->st, s->proc.id, flow, sizeof flow);
	if (s->flow && *s->flow) {
		if (strcmp(s->flow, "parallel") && strcmp(s->flow, "sequential"))
			return err_set(e, MC_INVALID, "unknown flow '%.20s': say parallel or sequential", s->flow);
		snprintf(flow, sizeof flow, "%s", s->flow);
	} else if (!flow[0] || !strcmp(flow, "channel")) {
		/* electronic dossiers go to every agency at once, paper ones pass on */
		snprintf(flow, sizeof flow, "%s", d->channel == CH_ONLINE ? "parallel" : "sequential");
	}
	s->flow = flow;
	struct office lead;
	if (store_office_get(c->st, d->office_id, &lead))
		return err_set(e, MC_NOTFOUND, "the office of dossier %s is not in this store", d->code);
	struct build b = {c, s, json_array(), lead.id};
	memset(&s->to, 0, sizeof s->to);
	store_lt_agencies(c->st, s->proc.id, build_part, &b);
	if (!json_array_size(b.parts)) {
		json_decref(b.parts);
		return err_set(e, MC_INVALID, "procedure %s has no participating agency besides the lead: add them with 'motcua part agency %s AGENCY --task TEXT --days N'",
			       s->proc.code, s->proc.code);
	}
	*payload = json_pack("{s:s, s:s, s:o}", "flow", flow, "lead", lead.agency_code, "parts", b.parts);
	/* sequential: the dossier goes with its transfer slip to the first agency */
	if (!strcmp(flow, "sequential") && s->to.id && s->to.id != d->office_id && !store_office_get(c->st, s->to.id, &s->to)) {
		*to = &s->to;
		*place = LT_ROUTE_PLACE;
	}
	s->flow = NULL;
	return 0;
}

int lt_open(struct core *c, const char *code, const char *flow, struct dossier *out, struct err *e)
{
	struct step *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, MC_STORE, "out of memory");
	s->flow = flow;
	int rc = dossier_step_custom(c, code, "lt_opened", open_fn, post_rebuild, s, out, e);
	free(s);
	return rc;
}

/* part n of d, read into s->ps; MC_NOTFOUND if there is none */
static struct lt_part *find_part(struct core *c, struct dossier *d, struct step *s, struct err *e)
{
	if (parts_read(c, d->code, &s->ps)) {
		err_set(e, MC_STORE, "the events of dossier %s could not be read", d->code);
		return NULL;
	}
	struct lt_part *x = part_n(&s->ps, s->n);
	if (!x)
		err_set(e, MC_NOTFOUND, "dossier %s has no part %d: see 'motcua part show %s'", d->code, s->n, d->code);
	return x;
}

static int take_fn(struct core *c, struct dossier *d, void *ctx, json_t **payload, const struct office **to, const char **place,
		   struct err *e)
{
	(void)to;
	(void)place;
	struct step *s = ctx;
	if (actor_ok(c, e) || busy_stage(d, e))
		return e->code;
	struct lt_part *x = find_part(c, d, s, e);
	if (!x)
		return e->code;
	if (c->actor.office_id != x->office_id)
		return err_set(e, MC_DENIED, "%s may not take part %d of dossier %s: it is the part of agency %s",
			       c->actor.account, x->n, d->code, x->agency);
	if (x->state == LT_WAITING || x->state == LT_BACK)
		return err_set(e, MC_STATE, "part %d of dossier %s is not open at agency %s: it is %s", x->n, d->code, x->agency,
			       x->state == LT_BACK ? _("handed back") : _("waiting for the previous part"));
	struct user u = c->actor;
	if (s->account && *s->account) {
		if (!(c->actor.roles & ROLE_HEAD))
			return err_set(e, MC_DENIED, "%s may not give part %d of dossier %s to another user: the agency's head does",
				       c->actor.account, x->n, d->code);
		if (store_user_by_account(c->st, s->account, &u))
			return err_set(e, MC_NOTFOUND, "unknown user '%.40s'", s->account);
		if (!(u.roles & (ROLE_SPECIALIST | ROLE_HEAD)) || u.office_id != x->office_id || !u.active)
			return err_set(e, MC_INVALID, "%s cannot be given part %d of dossier %s: give it to a specialist of agency %s",
				       u.account, x->n, d->code, x->agency);
	} else if (!(c->actor.roles & (ROLE_SPECIALIST | ROLE_HEAD))) {
		return err_set(e, MC_DENIED, "%s may not take part %d of dossier %s: a specialist or head of agency %s takes it",
			       c->actor.account, x->n, d->code, x->agency);
	} else if (x->state == LT_TAKEN && strcmp(x->assignee, c->actor.account) && !(c->actor.roles & ROLE_HEAD)) {
		return err_set(e, MC_STATE, "part %d of dossier %s is already with %s", x->n, d->code, x->assignee);
	}
	*payload = json_pack("{s:i, s:s, s:s}", "n", x->n, "agency", x->agency, "assignee", u.account);
	return 0;
}

int lt_take(struct core *c, const char *code, int n, const char *account, struct dossier *out, struct err *e)
{
	struct step *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, MC_STORE, "out of memory");
	s->n = n;
	s->account = account;
	int rc = dossier_step_custom(c, code, "part_taken", take_fn, post_rebuild, s, out, e);
	free(s);
	return rc;
}

static int return_fn(struct core *c, struct dossier *d, void *ctx, json_t **payload, const struct office **to,
		     const char **place, struct err *e)
{
	struct step *s = ctx;
	if (actor_ok(c, e) || busy_stage(d, e))
		return e->code;
	struct lt_part *x = find_part(c, d, s, e);
	if (!x)
		return e->code;
	if (c->actor.office_id != x->office_id)
		return err_set(e, MC_DENIED, "%s may not hand back part %d of dossier %s: it is the part of agency %s",
			       c->actor.account, x->n, d->code, x->agency);
	if (x->state == LT_WAITING || x->state == LT_BACK)
		return err_set(e, MC_STATE, "part %d of dossier %s is not open at agency %s: it is %s", x->n, d->code, x->agency,
			       x->state == LT_BACK ? _("handed back") : _("waiting for the previous part"));
	if (!(c->actor.roles & ROLE_HEAD) && (x->state != LT_TAKEN || strcmp(x->assignee, c->actor.account)))
		return err_set(e, MC_DENIED, "%s may not hand back part %d of dossier %s: its assignee or the agency's head does",
			       c->actor.account, x->n, d->code);
	int64_t now = core_now(c), late = lt_part_late(c, x, now);
	*payload = json_pack("{s:i, s:s, s:s, s:I, s:b}", "n", x->n, "agency", x->agency, "result", s->text, "due_at",
			     (json_int_t)x->due_at, "late", late > 0);
	if (!strcmp(s->ps.flow, "sequential")) {
		struct lt_part *nx = part_n(&s->ps, x->n + 1);
		const char *dest = nx ? nx->agency : s->ps.lead;
		if (nx) {
			json_object_set_new(*payload, "next", json_integer(nx->n));
			json_object_set_new(*payload, "next_due_at", json_integer(part_due(c, now, nx->days)));
			json_object_set_new(*payload, "slip", json_integer(x->slip + 1));
		}
		/* the dossier goes on with the transfer slip to the next agency, or back to the lead */
		if (!store_office_by_code(c->st, dest, &s->to) && s->to.id != d->office_id) {
			*to = &s->to;
			*place = LT_ROUTE_PLACE;
		}
	}
	return 0;
}

int lt_return(struct core *c, const char *code, int n, const char *result, struct dossier *out, struct err *e)
{
	struct step *s = calloc(1, sizeof *s);
	char msg[256];
	if (!s)
		return err_set(e, MC_STORE, "out of memory");
	s->n = n;
	int rc;
	if (text_clean(result ? result : "", "result", NOTE_MAX_CHARS, s->text, sizeof s->text, msg, sizeof msg))
		rc = err_set(e, MC_INVALID, "%s", msg);
	else if (!s->text[0])
		rc = err_set(e, MC_INVALID, "say the part's result with --result TEXT");
	else
		rc = dossier_step_custom(c, code, "part_returned", return_fn, post_rebuild, s, out, e);
	free(s);
	return rc;
}

/* ---- reports and forms ---------------------------------------------------------- */

#define LT_REPORT_MAX 256

struct rep {
	const struct core *c;
	int64_t to;
	struct lt_count r[LT_REPORT_MAX];
	int n;
	char last[CODE_LEN];
	char seen[LT_REPORT_MAX];
};

static struct lt_count *rep_row(struct rep *x, const char *agency)
{
	for (int i = 0; i < x->n; i++)
		if (!strcmp(x->r[i].agency, agency))
			return &x->r[i];
	if (x->n >= LT_REPORT_MAX)
		return NULL;
	struct lt_count *r = &x->r[x->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->agency, sizeof r->agency, "%s", agency);
	return r;
}

static int rep_part(const char *code, const char *lead, const struct lt_part *p, void *ctx)
{
	struct rep *x = ctx;
	if (strcmp(code, x->last)) { /* a new dossier: its lead and agencies count it once */
		snprintf(x->last, sizeof x->last, "%s", code);
		memset(x->seen, 0, sizeof x->seen);
		struct lt_count *l = rep_row(x, lead);
		if (l) {
			l->dossiers++;
			l->leads++;
			x->seen[l - x->r] = 1;
		}
	}
	struct lt_count *r = rep_row(x, p->agency);
	if (!r)
		return 0;
	if (!x->seen[r - x->r]) {
		r->dossiers++;
		x->seen[r - x->r] = 1;
	}
	r->parts++;
	if (lt_part_late(x->c, p, x->to) > 0)
		r->late++;
	return 0;
}

static int by_agency(const void *a, const void *b)
{
	return strcmp(((const struct lt_count *)a)->agency, ((const struct lt_count *)b)->agency);
}

int lt_report(struct core *c, int64_t from, int64_t to, int (*cb)(const struct lt_count *r, void *ctx), void *ctx,
	      struct err *e)
{
	if (core_require(c, REPORT_ROLES, CORE_FOR_REPORTS, e))
		return e->code;
	struct rep *x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, MC_STORE, "out of memory");
	x->c = c;
	x->to = to < core_now(c) ? to : core_now(c);
	int rc = store_lt_parts_between(c->st, from, to, rep_part, x);
	if (rc)
		rc = err_set(e, MC_STORE, "the parts of liên thông dossiers could not be read");
	qsort(x->r, (size_t)x->n, sizeof x->r[0], by_agency);
	for (int i = 0; !rc && i < x->n; i++)
		rc = cb(&x->r[i], ctx);
	free(x);
	return rc;
}

int lt_apology_signer(struct core *c, const char *code, char agency[32], char *name, size_t n)
{
	struct office o;
	if (!lt_responsible(c, code, agency))
		return 0;
	snprintf(name, n, "%s", store_office_by_code(c->st, agency, &o) ? agency : o.name);
	return 1;
}

struct hand { struct core *c; int (*cb)(int64_t, const char *, const char *, const char *, void *); void *ctx;
	      struct lt_parts ps; int rc; };

static int hand_one(const struct event *ev, void *ctx)
{
	struct hand *h = ctx;
	if (!lt_is_event(ev->kind) || h->rc)
		return h->rc;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	if (!p)
		return 0;
	lt_apply(&h->ps, ev->kind, ev->at, p);
	char what[NOTE_MAX_CHARS * 4 + 64];
	if (!strcmp(ev->kind, "lt_opened")) {
		for (int i = 0; i < h->ps.n && !h->rc; i++)
			if (h->ps.p[i].state == LT_OPEN) {
				snprintf(what, sizeof what, "%s", h->ps.p[i].task);
				h->rc = h->cb(ev->at, h->ps.lead, h->ps.p[i].agency, what, h->ctx);
			}
	} else if (!strcmp(ev->kind, "part_returned")) {
		struct lt_part *x = part_n(&h->ps, (int)jint(p, "n"));
		struct lt_part *nx = jint(p, "next") ? part_n(&h->ps, (int)jint(p, "next")) : NULL;
		if (x) {
			snprintf(what, sizeof what, "%s", x->result);
			h->rc = h->cb(ev->at, x->agency, nx ? nx->agency : h->ps.lead, what, h->ctx);
		}
	}
	json_decref(p);
	return h->rc;
}

int lt_handovers(struct core *c, const char *code,
		 int (*cb)(int64_t at, const char *from, const char *to, const char *what, void *ctx), void *ctx)
{
	struct hand *h = calloc(1, sizeof *h);
	if (!h)
		return MC_STORE;
	h->c = c;
	h->cb = cb;
	h->ctx = ctx;
	int rc = store_events_of(c->st, code, hand_one, h);
	rc = rc ? rc : h->rc;
	free(h);
	return rc;
}

const char *lt_event_vi(const char *kind)
{
	if (!strcmp(kind, "lt_opened"))
		return "Chuyển cơ quan phối hợp (liên thông)";
	if (!strcmp(kind, "part_taken"))
		return "Cơ quan phối hợp phân công xử lý";
	if (!strcmp(kind, "part_returned"))
		return "Cơ quan phối hợp trả kết quả xử lý";
	return NULL;
}

static void office_name(struct core *c, const char *agency, char *out, size_t n)
{
	struct office o;
	snprintf(out, n, "%s", store_office_by_code(c->st, agency, &o) ? agency : o.name);
}

int lt_receiver(struct core *c, const struct event *ev, char *out, size_t n)
{
	if (!lt_is_event(ev->kind))
		return 0;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	out[0] = 0;
	if (!strcmp(ev->kind, "lt_opened")) {
		size_t i, k = 0;
		json_t *v;
		json_array_foreach(json_object_get(p, "parts"), i, v) {
			char name[256];
			if (!jint(v, "due_at") || k + 8 >= n)
				continue;
			office_name(c, jstr(v, "agency"), name, sizeof name);
			snprintf(out + k, n - k, "%s%s", k ? "; " : "", name);
			k = strlen(out);
		}
	} else if (!strcmp(ev->kind, "part_taken")) {
		struct user u;
		char name[256];
		office_name(c, jstr(p, "agency"), name, sizeof name);
		snprintf(out, n, "%s (%s)", store_user_by_account(c->st, jstr(p, "assignee"), &u) ? jstr(p, "assignee") : u.name, name);
	} else {
		/* handed back: to the next agency of a sequential flow, else to the lead */
		struct lt_parts *ps = malloc(sizeof *ps);
		const char *to = NULL;
		if (ps && !parts_read(c, ev->dossier_code, ps)) {
			struct lt_part *nx = jint(p, "next") ? part_n(ps, (int)jint(p, "next")) : NULL;
			to = nx ? nx->agency : ps->lead;
		}
		if (to)
			office_name(c, to, out, n);
		free(ps);
	}
	json_decref(p);
	return 1;
}

int lt_cooperating(struct core *c, const char *code, char *out, size_t n)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	size_t k = 0;
	out[0] = 0;
	if (ps && !parts_read(c, code, ps))
		for (int i = 0; i < ps->n && k + 8 < n; i++) {
			char name[256];
			office_name(c, ps->p[i].agency, name, sizeof name);
			snprintf(out + k, n - k, "%s%s", k ? "; " : "", name);
			k = strlen(out);
		}
	free(ps);
	return k > 0;
}
