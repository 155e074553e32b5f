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

/* ---- part chains ---------------------------------------------------------------- */

int lt_part_code(const char *parent, int n, char *out, size_t size)
{
	if (n < 1 || n > LT_MAX_PARTS || !parent || !*parent)
		return MC_INVALID;
	int k = snprintf(out, size < CODE_LEN ? size : CODE_LEN, "%s-P%d", parent, n);
	return k > 0 && (size_t)k < (size < CODE_LEN ? size : CODE_LEN) ? 0 : MC_INVALID;
}

int lt_part_parent(const char *code, char parent[CODE_LEN], int *n)
{
	const char *p = code ? strrchr(code, '-') : NULL;
	if (!p || p == code || p[1] != 'P' || p[2] < '1' || p[2] > '9' || p[3] || (size_t)(p - code) >= CODE_LEN)
		return 0;
	if (p[2] - '0' > LT_MAX_PARTS)
		return 0;
	memcpy(parent, code, (size_t)(p - code));
	parent[p - code] = 0;
	*n = p[2] - '0';
	return 1;
}

int lt_apply_chain(struct lt_parts *ps, int n, const char *kind, const char *origin, int64_t at, json_t *p)
{
	struct lt_part *x = part_n(ps, n);
	/* only the part's own agency writes its chain's steps, and only for that part */
	if (!x || strcmp(ps->flow, "parallel") || !p || jint(p, "n") != n || strcmp(origin, x->agency) ||
	    x->state == LT_WAITING)
		return 0;
	if (!strcmp(kind, "part_taken") && x->state != LT_BACK) {
		x->state = LT_TAKEN;
		put(x->assignee, sizeof x->assignee, jstr(p, "assignee"));
		return 1;
	}
	if (!strcmp(kind, "part_returned") && x->state != LT_BACK) {
		/* a parallel part opens nothing after it: "next" is not read here */
		x->state = LT_BACK;
		x->returned_at = at;
		put(x->result, sizeof x->result, jstr(p, "result"));
		return 1;
	}
	return 0;
}

struct chain { struct lt_parts *ps; int n; };

static int chain_one(const struct event *ev, void *ctx)
{
	struct chain *k = ctx;
	if (strcmp(ev->kind, "part_taken") && strcmp(ev->kind, "part_returned"))
		return 0;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	lt_apply_chain(k->ps, k->n, ev->kind, ev->origin, ev->at, p);
	json_decref(p);
	return 0;
}

/* the part chains this store has received, on top of the parent's own events */
static int chains_read(struct core *c, const char *code, struct lt_parts *ps)
{
	int rc = 0;
	for (int i = 0; !rc && i < ps->n && !strcmp(ps->flow, "parallel"); i++) {
		char pc[CODE_LEN];
		struct chain k = {ps, ps->p[i].n};
		if (!lt_part_code(code, ps->p[i].n, pc, sizeof pc))
			rc = store_events_of(c->st, pc, chain_one, &k);
	}
	return rc;
}

struct collect { struct lt_parts *ps; };

/* a part chain's first event: the one part it carries, open from then on */
static void chain_first(struct lt_parts *ps, int64_t at, json_t *x)
{
	memset(ps, 0, sizeof *ps);
	snprintf(ps->flow, sizeof ps->flow, "%s", "parallel");
	put(ps->lead, sizeof ps->lead, jstr(x, "lead"));
	struct lt_part *p = &ps->p[ps->n++];
	p->n = (int)jint(x, "n");
	put(p->agency, sizeof p->agency, jstr(x, "agency"));
	put(p->task, sizeof p->task, jstr(x, "task"));
	p->days = (int)jint(x, "days");
	p->due_at = jint(x, "due_at");
	p->state = LT_OPEN;
	p->opened_at = at;
}

static int collect_one(const struct event *ev, void *ctx)
{
	struct collect *k = ctx;
	int first = ev->dseq == 1 && !strcmp(ev->kind, "received");
	if (!lt_is_event(ev->kind) && !first)
		return 0;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	if (p && first && json_is_object(json_object_get(p, "part")))
		chain_first(k->ps, ev->at, json_object_get(p, "part"));
	else if (p && !first)
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
	if (!rc)
		rc = chains_read(c, code, ps);
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
	char parent[CODE_LEN];
	int n, chain = lt_part_parent(code, parent, &n);
	struct dossier *pd = chain ? malloc(sizeof *pd) : NULL;
	int held = pd && !store_dossier_get(c->st, parent, pd);
	int rc = parts_read(c, code, ps) ? err_set(e, MC_STORE, "the events of dossier %s could not be read", code) : 0;
	/* a part chain's own row lists its part only where the store does not hold the
	 * parent (there the parent's rows, which read the chain, list it once) */
	if (!rc && held)
		ps->n = 0;
	if (!rc)
		rc = store_lt_parts_put(c->st, dossier_id, ps, e);
	free(ps);
	/* a part chain's steps change its parent's parts, where this store holds the parent */
	if (!rc && held)
		rc = lt_rebuild(c, parent, pd->id, e);
	free(pd);
	return rc;
}

static int post_rebuild(struct core *c, struct dossier *d, void *ctx, struct err *e)
{
	(void)ctx;
	return lt_rebuild(c, d->code, d->id, e);
}

/* ---- deadlines and lateness -------------------------------------------------------- */

/* a part's deadline: its working days counted as the dossier's are (the day the agency
 * takes it up is not one of them when that is at or before the opening: Civil Code
 * 2015 Art. 147(2); no reception cut-off).  Written into the event that opens the part
 * (due_at, next_due_at), so parts opened before this rule keep the deadline they had. */
static int64_t part_due(const struct core *c, int64_t from, int days)
{
	return cal_add_with_cutoff(&c->cal, from, (int64_t)days * cal_day_minutes(&c->cal), 0, 1);
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

int lt_part_away(struct core *c, const char *code, const char *agency)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	struct dossier *d = malloc(sizeof *d);
	int away = 0;
	if (ps && d && strcmp(agency, c->office.agency_code) && !parts_read(c, code, ps))
		for (int i = 0; i < ps->n && !away; i++) {
			char pc[CODE_LEN];
			away = !strcmp(ps->p[i].agency, agency) && !lt_part_code(code, ps->p[i].n, pc, sizeof pc) &&
			       !store_dossier_get(c->st, pc, d);
		}
	free(ps);
	free(d);
	return away;
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
	int64_t until;          /* an apology's proposed appointment */
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

/* 1 if this store's parallel parts travel on chains of their own: it syncs with a
 * central and holds the dossier as its own office's */
static int chains_wanted(struct core *c, const struct dossier *d)
{
	char url[512];
	return d->office_id == c->office.id && !store_setting_get(c->st, "central.url", url, sizeof url) && url[0];
}

/* after lt_opened: the parts' rows, and in the same transaction each part's chain,
 * sent to the part's office (central routes it as any dossier) */
static int open_post(struct core *c, struct dossier *d, void *ctx, struct err *e)
{
	struct step *s = ctx;
	int rc = lt_rebuild(c, d->code, d->id, e);
	if (rc || !chains_wanted(c, d))
		return rc;
	if (parts_read(c, d->code, &s->ps))
		return err_set(e, MC_STORE, "the events of dossier %s could not be read", d->code);
	for (int i = 0; !rc && !strcmp(s->ps.flow, "parallel") && i < s->ps.n; i++) {
		const struct lt_part *x = &s->ps.p[i];
		char pc[CODE_LEN];
		if (lt_part_code(d->code, x->n, pc, sizeof pc))
			return err_set(e, MC_INVALID, "the code of part %d of dossier %s would be too long", x->n, d->code);
		if (store_office_by_code(c->st, x->agency, &s->to))
			return err_set(e, MC_NOTFOUND, "unknown office '%.40s'", x->agency);
		if (s->to.id == c->office.id)
			continue;
		json_t *part = json_pack("{s:s, s:i, s:s, s:s, s:i, s:I, s:s}", "parent", d->code, "n", x->n, "agency", x->agency,
					 "task", x->task, "days", x->days, "due_at", (json_int_t)x->due_at, "lead", s->ps.lead);
		/* the dossier's appointment, which a late part's apology must come before */
		json_object_set_new(part, "appointment", json_integer(d->due_at));
		json_t *pl = json_pack("{s:s, s:s, s:i, s:s, s:{}, s:o}", "office", c->office.agency_code, "procedure",
				       s->proc.code, "channel", d->channel, "outcome", "part", "applicant", "part", part);
		rc = dossier_chain_open(c, pc, pl, &s->to, LT_ROUTE_PLACE, e);
	}
	return rc;
}

int lt_open(struct core *c, const char *code, const char *flow, struct dossier *out, struct err *e)
{
	struct step *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, MC_STORE, "out of memory");
	s->flow = flow;
	int rc = dossier_step_custom(c, code, "lt_opened", open_fn, open_post, s, out, e);
	free(s);
	return rc;
}

/* where part n of dossier code is worked: its chain, when this store holds one
 * (parallel flow between stores), else the dossier itself */
static void part_target(struct core *c, const char *code, int n, char out[CODE_LEN])
{
	struct dossier *d = malloc(sizeof *d);
	char pc[CODE_LEN], parent[CODE_LEN];
	int k;
	snprintf(out, CODE_LEN, "%s", code);
	if (d && !lt_part_parent(code, parent, &k) && !lt_part_code(code, n, pc, sizeof pc) && !store_dossier_get(c->st, pc, d))
		snprintf(out, CODE_LEN, "%s", pc);
	free(d);
}

/* the checks of a step on a part: the dossier's stage, or for a part's chain, that
 * this store's office holds it (the part's office works it at its own store) */
static int part_where(struct core *c, const struct dossier *d, struct step *s, struct err *e)
{
	char parent[CODE_LEN];
	int n;
	if (!lt_part_parent(d->code, parent, &n))
		return busy_stage(d, e);
	if (n != s->n)
		return err_set(e, MC_NOTFOUND, "dossier %s has no part %d: see 'motcua part show %s'", d->code, s->n, d->code);
	if (d->office_id != c->office.id) {
		struct office o;
		if (store_office_get(c->st, d->office_id, &o))
			o.agency_code[0] = 0;
		return err_set(e, MC_STATE, "part %d of dossier %s is worked at the store of agency %s: its steps are written there",
			       n, parent, o.agency_code);
	}
	return 0;
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
	if (actor_ok(c, e) || part_where(c, d, s, e))
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
	char target[CODE_LEN];
	part_target(c, code, n, target);
	int rc = dossier_step_custom(c, target, "part_taken", take_fn, post_rebuild, s, out, e);
	free(s);
	return rc;
}

static int return_fn(struct core *c, struct dossier *d, void *ctx, json_t **payload, const struct office **to,
		     const char **place, struct err *e)
{
	struct step *s = ctx;
	if (actor_ok(c, e) || part_where(c, d, s, e))
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
	char parent[CODE_LEN];
	int pn;
	/* a part's chain goes back to the lead, whose store then holds all its steps */
	if (lt_part_parent(d->code, parent, &pn) && !store_office_by_code(c->st, s->ps.lead, &s->to) &&
	    s->to.id != d->office_id) {
		*to = &s->to;
		*place = LT_ROUTE_PLACE;
	} else if (!strcmp(s->ps.flow, "sequential")) {
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
	else {
		char target[CODE_LEN];
		part_target(c, code, n, target);
		rc = dossier_step_custom(c, target, "part_returned", return_fn, post_rebuild, s, out, e);
	}
	free(s);
	return rc;
}

/* ---- the late agency's apology ---------------------------------------------------- */

/* what a part's chain (or the dossier) says about apologies: the appointment the chain
 * carries, and the last apology (part_apology, or "extended" for a part) */
struct apscan { struct lt_apology *a; int found; int64_t appointment; int n; const char *origin; int chain_only; };

static void apology_fill(struct lt_apology *a, const struct event *ev, json_t *p, int ext)
{
	memset(a, 0, sizeof *a);
	a->n = (int)jint(p, ext ? "part" : "n");
	put(a->agency, sizeof a->agency, jstr(p, "agency"));
	put(a->code, sizeof a->code, ext && jstr(p, "apology")[0] ? jstr(p, "apology") : ev->dossier_code);
	a->at = ext && jint(p, "apology_at") ? jint(p, "apology_at") : ev->at;
	a->due_at = jint(p, "due_at");
	a->previous_due_at = jint(p, "previous_due_at");
	put(a->signer, sizeof a->signer, jstr(p, "signer")[0] ? jstr(p, "signer") : ev->actor);
	put(a->signer_name, sizeof a->signer_name, jstr(p, "signer_name"));
	put(a->reason, sizeof a->reason, jstr(p, "reason"));
	a->applied = ext;
}

static int apscan_one(const struct event *ev, void *ctx)
{
	struct apscan *k = ctx;
	int first = ev->dseq == 1 && !strcmp(ev->kind, "received");
	int ext = !strcmp(ev->kind, "extended"), pa = !strcmp(ev->kind, "part_apology");
	if (!first && !ext && !pa)
		return 0;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	if (!p)
		return 0;
	if (first) {
		k->appointment = jint(json_object_get(p, "part"), "appointment");
	} else if ((ext && jint(p, "part") > 0 && jstr(p, "agency")[0] && !k->chain_only) ||
		   /* on a chain only the part's own agency apologises, for that part */
		   (pa && (!k->n || jint(p, "n") == k->n) && (!k->origin || !strcmp(ev->origin, k->origin)) &&
		    !strcmp(ev->origin, jstr(p, "agency")))) {
		apology_fill(k->a, ev, p, ext);
		k->found = 1;
	}
	json_decref(p);
	return 0;
}

/* the latest apology on the dossier's parts' chains (not yet applied or not) */
static int chain_apology(struct core *c, const char *code, int n, struct lt_apology *out)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	struct lt_apology *a = malloc(sizeof *a);
	int found = 0;
	if (ps && a && !parts_read(c, code, ps) && !strcmp(ps->flow, "parallel"))
		for (int i = 0; i < ps->n; i++) {
			char pc[CODE_LEN];
			if ((n && ps->p[i].n != n) || lt_part_code(code, ps->p[i].n, pc, sizeof pc))
				continue;
			struct apscan k = {a, 0, 0, ps->p[i].n, ps->p[i].agency, 1};
			store_events_of(c->st, pc, apscan_one, &k);
			if (k.found && (!found || a->at >= out->at)) {
				*out = *a;
				found = 1;
			}
		}
	free(ps);
	free(a);
	return found;
}

int lt_apology_of(struct core *c, const char *code, struct lt_apology *out)
{
	struct apscan k = {out, 0, 0, 0, NULL, 0};
	store_events_of(c->st, code, apscan_one, &k);
	return k.found || chain_apology(c, code, 0, out);
}

int lt_chain_apologies(struct core *c, const char *code, int (*cb)(const struct lt_apology *a, void *ctx), void *ctx)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	struct lt_apology *v = calloc(LT_MAX_PARTS, sizeof *v);
	int m = 0, rc = 0;
	if (ps && v && !parts_read(c, code, ps) && !strcmp(ps->flow, "parallel"))
		for (int i = 0; i < ps->n && m < LT_MAX_PARTS; i++) {
			char pc[CODE_LEN];
			struct apscan k = {&v[m], 0, 0, ps->p[i].n, ps->p[i].agency, 1};
			if (!lt_part_code(code, ps->p[i].n, pc, sizeof pc) && !store_events_of(c->st, pc, apscan_one, &k) && k.found)
				m++;
		}
	/* in time order (a handful: insertion) */
	for (int i = 1; i < m; i++)
		for (int j = i; j > 0 && v[j].at < v[j - 1].at; j--) {
			struct lt_apology t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (int i = 0; i < m && !rc; i++)
		rc = cb(&v[i], ctx);
	free(ps);
	free(v);
	return rc;
}

/* 1 if this store syncs with a central (its events must be its own office's) */
static int has_central(struct core *c)
{
	char url[512];
	return !store_setting_get(c->st, "central.url", url, sizeof url) && url[0];
}

static int apology_fn(struct core *c, struct dossier *d, void *ctx, json_t **payload, const struct office **to,
		      const char **place, struct err *e)
{
	(void)to;
	(void)place;
	struct step *s = ctx;
	char parent[CODE_LEN], when[24];
	int pn, chain = lt_part_parent(d->code, parent, &pn);
	if (actor_ok(c, e) || part_where(c, d, s, e))
		return e->code;
	struct lt_part *x = find_part(c, d, s, e);
	if (!x)
		return e->code;
	/* form 04 is signed by the head of the agency whose part is late */
	if (c->actor.office_id != x->office_id || !(c->actor.roles & ROLE_LEADER))
		return err_set(e, MC_DENIED, "%s may not sign the apology for part %d of dossier %s: a leader of agency %s, whose part it is, signs it (form 04)",
			       c->actor.account, x->n, chain ? parent : d->code, x->agency);
	if (x->state == LT_WAITING || x->state == LT_BACK)
		return err_set(e, MC_STATE, "part %d of dossier %s is not open at agency %s: it is %s", x->n, d->code, x->agency,
			       x->state == LT_BACK ? _("handed back") : _("waiting for the previous part"));
	/* not only once the part is past its own deadline: the letter goes out at the latest
	 * the day before the dossier's appointment, for a dossier that will be late (Decree
	 * 61/2018 Art. 19(9), kept under Decree 118/2025); a part whose deadline is that day
	 * (the last of a sequence) would otherwise never be in time */
	int64_t now = core_now(c);
	/* the dossier itself: only where this office holds it, unless every office works in this store */
	if (!chain && d->office_id != c->actor.office_id && has_central(c)) {
		struct office h;
		if (store_office_get(c->st, d->office_id, &h))
			h.agency_code[0] = 0;
		return err_set(e, MC_STATE, "dossier %s is held by agency %s, whose store writes its steps: there its leader issues the apology naming agency %s",
			       d->code, h.agency_code, x->agency);
	}
	/* the appointment it replaces, and once only (Decree 61/2018 Art. 19(9)) */
	struct lt_apology *prior = calloc(1, sizeof *prior);
	if (!prior)
		return err_set(e, MC_STORE, "out of memory");
	struct apscan k = {prior, 0, 0, x->n, x->agency, 1};
	if (chain)
		store_events_of(c->st, d->code, apscan_one, &k);
	int64_t appt = chain ? k.appointment : d->due_at;
	int again = chain ? k.found : d->apology;
	int64_t again_due = chain ? prior->due_at : d->due_at;
	free(prior);
	const char *code = chain ? parent : d->code;
	if (again) {
		cal_format(again_due, 1, when, sizeof when);
		return err_set(e, MC_STATE, "an appointment may be rescheduled with an apology letter only once, and dossier %s was already rescheduled to %s (Decree 61/2018/NĐ-CP Art. 19(9))",
			       code, when);
	}
	if (appt && cal_day_of(now) >= cal_day_of(appt)) {
		cal_format(appt, 1, when, sizeof when);
		return err_set(e, MC_STATE, "an apology letter with a new appointment must be issued at the latest the day before the appointment, and dossier %s is due %s (Decree 61/2018/NĐ-CP Art. 19(9))",
			       code, when);
	}
	int64_t floor = appt ? appt : x->due_at;
	if (s->until <= floor || s->until <= now) {
		cal_format(floor, 1, when, sizeof when);
		return err_set_field(e, MC_INVALID, EF_DATE, "the new appointment must be later than the current one (%s) and than now", when);
	}
	if (s->until > now + (int64_t)20 * 366 * 86400)
		return err_set(e, MC_INVALID, "the new appointment is more than 20 years away: check the date");
	if (!cal_is_working_day(&c->cal, cal_day_of(s->until)))
		return err_set_field(e, MC_INVALID, EF_DATE, "the new appointment falls on a non-working day: choose a working day");
	if (chain)
		*payload = json_pack("{s:i, s:s, s:s, s:I, s:I, s:s, s:s}", "n", x->n, "agency", x->agency, "reason", s->text,
				     "due_at", (json_int_t)s->until, "previous_due_at", (json_int_t)appt, "signer",
				     c->actor.account, "signer_name", c->actor.name);
	else /* the dossier is here: its appointment moves with the letter */
		*payload = json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:s, s:s}", "due_at", (json_int_t)s->until, "previous_due_at",
				     (json_int_t)d->due_at, "reason", s->text, "proposed_by", c->actor.account, "agency", x->agency,
				     "part", x->n, "signer", c->actor.account, "signer_name", c->actor.name);
	return *payload ? 0 : err_set(e, MC_STORE, "out of memory");
}

int lt_apologise(struct core *c, const char *code, int n, int64_t new_due, const char *reason, struct dossier *out,
		 struct err *e)
{
	struct step *s = calloc(1, sizeof *s);
	char msg[256];
	if (!s)
		return err_set(e, MC_STORE, "out of memory");
	s->n = n;
	s->until = new_due;
	int rc;
	if (text_clean(reason ? reason : "", "reason", NOTE_MAX_CHARS, s->text, sizeof s->text, msg, sizeof msg))
		rc = err_set(e, MC_INVALID, "%s", msg);
	else if (!s->text[0])
		rc = err_set(e, MC_INVALID, "say why the part is late with --reason TEXT");
	else if (new_due <= 0)
		rc = err_set(e, MC_INVALID, "say the new appointment the apology proposes with --until DATE");
	else {
		char target[CODE_LEN], parent[CODE_LEN];
		int k;
		part_target(c, code, n, target);
		int chain = lt_part_parent(target, parent, &k);
		rc = dossier_step_custom(c, target, chain ? "part_apology" : "extended", apology_fn, post_rebuild, s, out, e);
	}
	free(s);
	return rc;
}

static int reschedule_fn(struct core *c, struct dossier *d, void *ctx, json_t **payload, const struct office **to,
			 const char **place, struct err *e)
{
	(void)to;
	(void)place;
	struct step *s = ctx;
	char when[24], due[24];
	if (actor_ok(c, e))
		return e->code;
	if (c->actor.office_id != d->office_id || !(c->actor.roles & (ROLE_CLERK | ROLE_HEAD | ROLE_LEADER))) {
		struct office h;
		if (store_office_get(c->st, d->office_id, &h))
			h.agency_code[0] = 0;
		return err_set(e, MC_DENIED, "%s may not reschedule dossier %s: a clerk, head or leader of agency %s, which holds it, records the new appointment",
			       c->actor.account, d->code, h.agency_code);
	}
	if (d->stage < SG_DEPT || d->stage > SG_SIGNING)
		return err_set(e, MC_STATE, "the appointment of dossier %s can no longer be rescheduled: its status is %s (%s)", d->code,
			       status_label(d->status), _(stage_name(d->stage)));
	struct lt_apology *a = calloc(1, sizeof *a);
	if (!a)
		return err_set(e, MC_STORE, "out of memory");
	int rc = 0;
	if (!chain_apology(c, d->code, s->n, a)) {
		rc = err_set(e, MC_NOTFOUND, "no participating agency has apologised for a part of dossier %s: see 'motcua part show %s'",
			     d->code, d->code);
	} else if (d->apology) {
		cal_format(d->due_at, 1, when, sizeof when);
		rc = err_set(e, MC_STATE, "an appointment may be rescheduled with an apology letter only once, and dossier %s was already rescheduled to %s (Decree 61/2018/NĐ-CP Art. 19(9))",
			     d->code, when);
	} else if (cal_day_of(a->at) >= cal_day_of(d->due_at)) {
		/* the letter itself came too late; its arrival here may be later than it */
		cal_format(a->at, 1, when, sizeof when);
		cal_format(d->due_at, 1, due, sizeof due);
		rc = err_set(e, MC_STATE, "the apology of agency %s for dossier %s is dated %s, not at the latest the day before the appointment (%s): the appointment stays (Decree 61/2018/NĐ-CP Art. 19(9))",
			     a->agency, d->code, when, due);
	} else if (a->due_at <= d->due_at) {
		cal_format(a->due_at, 1, when, sizeof when);
		cal_format(d->due_at, 1, due, sizeof due);
		rc = err_set(e, MC_STATE, "the apology of agency %s proposes %s, which is not later than the appointment of dossier %s (%s): the appointment stays",
			     a->agency, when, d->code, due);
	} else {
		*payload = json_pack("{s:I, s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:I}", "due_at", (json_int_t)a->due_at,
				     "previous_due_at", (json_int_t)d->due_at, "reason", a->reason, "proposed_by", a->signer, "part",
				     a->n, "agency", a->agency, "signer", a->signer, "signer_name", a->signer_name, "apology", a->code,
				     "apology_at", (json_int_t)a->at);
		if (!*payload)
			rc = err_set(e, MC_STORE, "out of memory");
	}
	free(a);
	return rc;
}

int lt_reschedule(struct core *c, const char *code, int n, struct dossier *out, struct err *e)
{
	struct step *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, MC_STORE, "out of memory");
	s->n = n;
	int rc = dossier_step_custom(c, code, "extended", reschedule_fn, NULL, s, out, e);
	free(s);
	return rc;
}

int lt_apology_mode(struct core *c, const char *code, int *n)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	struct dossier *d = malloc(sizeof *d);
	struct lt_apology *a = malloc(sizeof *a);
	int mode = LT_AP_NONE;
	*n = 0;
	if (!ps || !d || !a || !c->actor.id || store_dossier_get(c->st, code, d) || parts_read(c, code, ps))
		goto done;
	/* a leader of the agency of an open part (late or about to be), where that part is worked in this store */
	for (int i = 0; i < ps->n && !mode; i++) {
		const struct lt_part *x = &ps->p[i];
		char target[CODE_LEN];
		struct dossier *t = malloc(sizeof *t);
		part_target(c, code, x->n, target);
		if (t && (c->actor.roles & ROLE_LEADER) && c->actor.office_id == x->office_id &&
		    (x->state == LT_OPEN || x->state == LT_TAKEN) &&
		    !store_dossier_get(c->st, target, t) && (t->office_id == c->office.id || !has_central(c))) {
			/* not once more: an apology on the chain, or the dossier already rescheduled */
			char parent[CODE_LEN];
			int pn;
			struct apscan k = {a, 0, 0, x->n, x->agency, 1};
			if (lt_part_parent(target, parent, &pn))
				store_events_of(c->st, target, apscan_one, &k);
			else
				k.found = t->apology;
			if (!k.found) {
				mode = LT_AP_SIGN;
				*n = x->n;
			}
		}
		free(t);
	}
	if (!mode && !d->apology && d->office_id == c->actor.office_id &&
	    (c->actor.roles & (ROLE_CLERK | ROLE_HEAD | ROLE_LEADER)) && chain_apology(c, code, 0, a)) {
		mode = LT_AP_APPLY;
		*n = a->n;
	}
done:
	free(ps);
	free(d);
	free(a);
	return mode;
}

/* ---- reports and forms ---------------------------------------------------------- */

#define LT_REPORT_MAX 256

struct rep {
	struct core *c;
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

/* the agencies named by a dossier's apologies: "extended" naming the late agency, or a
 * part_apology its agency wrote on its chain */
struct apcount { char agency[LT_MAX_PARTS + 1][32]; int n; };

static int apcount_one(const struct event *ev, void *ctx)
{
	struct apcount *k = ctx;
	int ext = !strcmp(ev->kind, "extended");
	if (!ext && strcmp(ev->kind, "part_apology"))
		return 0;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	const char *ag = jstr(p, "agency");
	if (*ag && (ext || !strcmp(ag, ev->origin))) {
		int seen = 0;
		for (int i = 0; i < k->n; i++)
			seen |= !strcmp(k->agency[i], ag);
		if (!seen && k->n <= LT_MAX_PARTS)
			snprintf(k->agency[k->n++], sizeof k->agency[0], "%s", ag);
	}
	json_decref(p);
	return 0;
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
		/* the agencies that apologised for it (form 04): once per dossier each */
		struct apcount k = {{{0}}, 0};
		store_events_of(x->c->st, code, apcount_one, &k);
		for (int n = 1; n <= LT_MAX_PARTS; n++) {
			char pc[CODE_LEN];
			if (!lt_part_code(code, n, pc, sizeof pc))
				store_events_of(x->c->st, pc, apcount_one, &k);
		}
		for (int i = 0; i < k.n; i++) {
			struct lt_count *a = rep_row(x, k.agency[i]);
			if (a)
				a->apologies++;
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

struct backs { int (*cb)(int64_t, const char *, const char *, const char *, void *); void *ctx; };

static int back_one(const struct lt_part *p, const char *lead, void *ctx)
{
	struct backs *b = ctx;
	return b->cb(p->returned_at, p->agency, lead, p->result, b->ctx);
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
	struct backs b = {cb, ctx};
	return rc ? rc : lt_chain_backs(c, code, back_one, &b);
}

int lt_chain_backs(struct core *c, const char *code, int (*cb)(const struct lt_part *p, const char *lead, void *ctx),
		   void *ctx)
{
	/* the parts as the dossier's own events say, and as its chains say too */
	struct lt_parts *own = calloc(1, sizeof *own), *ps = malloc(sizeof *ps);
	struct collect k = {own};
	int rc = !own || !ps || store_events_of(c->st, code, collect_one, &k) ? MC_STORE : 0;
	if (!rc && !strcmp(own->flow, "parallel") && !parts_read(c, code, ps)) {
		int done[LT_MAX_PARTS] = {0};
		for (int n = 0; n < ps->n && !rc; n++) {
			int best = -1;
			for (int i = 0; i < ps->n; i++)
				if (!done[i] && ps->p[i].state == LT_BACK && own->p[i].state != LT_BACK &&
				    (best < 0 || ps->p[i].returned_at < ps->p[best].returned_at))
					best = i;
			if (best < 0)
				break;
			done[best] = 1;
			rc = cb(&ps->p[best], ps->lead, ctx);
		}
	}
	free(own);
	free(ps);
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
	if (!strcmp(kind, "part_apology"))
		return "Cơ quan chậm giải quyết xin lỗi, đề nghị gia hạn";
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
