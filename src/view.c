/* view.c - the dossier reads every front end shows (see view.h). */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "snapshot.h"
#include "store.h"
#include "store_procver.h"
#include "text.h"
#include "view.h"

void dossier_view_of(struct core *c, const struct dossier *d, struct dossier_view *v)
{
	if (&v->d != d)
		v->d = *d;
	memset(&v->proc, 0, sizeof v->proc);
	memset(&v->dept, 0, sizeof v->dept);
	memset(&v->assignee, 0, sizeof v->assignee);
	if (store_procver_of_dossier(c->st, d, &v->proc))
		memset(&v->proc, 0, sizeof v->proc);
	if (d->dept_id && store_dept_get(c->st, d->dept_id, &v->dept))
		memset(&v->dept, 0, sizeof v->dept);
	if (d->assignee_id && store_user_get(c->st, d->assignee_id, &v->assignee))
		memset(&v->assignee, 0, sizeof v->assignee);
	v->timeliness = core_timeliness(c, d);
}

int dossier_view(struct core *c, const char *code, struct dossier_view *v, struct err *e)
{
	if (dossier_get(c, code, &v->d, e))
		return e->code;
	dossier_view_of(c, &v->d, v);
	return 0;
}

struct replay {
	struct core *c;
	struct dossier d;
	int base_dseq, n, rc;
	history_cb cb;
	void *ctx;
	struct err *e;
};

static int replay_one(const struct event *ev, void *arg)
{
	struct replay *r = arg;
	int64_t step_due = r->d.step_due_at;
	int tl = step_due && ev->dseq > r->base_dseq ? cal_timeliness(step_due, ev->at, ev->at) : 0;
	/* the head of a snapshot base: the base state is the dossier after it */
	if (ev->dseq > r->base_dseq && dossier_apply(r->c->st, &r->d, ev, r->e))
		return r->rc = r->e->code;
	struct history_step s = {ev, &r->d, tl, r->base_dseq, r->n++ == 0};
	return r->rc = r->cb(&s, r->ctx);
}

int dossier_history(struct core *c, const char *code, history_cb cb, void *ctx, int *base_dseq, struct err *e)
{
	struct replay *r = calloc(1, sizeof *r);
	if (!r)
		return err_set(e, MC_STORE, "out of memory reading the history of %s", code);
	r->c = c;
	r->cb = cb;
	r->ctx = ctx;
	r->e = e;
	int rc = dossier_get(c, code, &r->d, e);
	if (!rc) {
		r->base_dseq = snapshot_replay_start(c->st, code, &r->d, e);
		rc = r->base_dseq < 0 ? e->code : 0;
	}
	if (!rc) {
		store_events_of(c->st, code, replay_one, r);
		rc = r->rc;
	}
	if (base_dseq)
		*base_dseq = r->base_dseq > 0 ? r->base_dseq : 0;
	free(r);
	return rc;
}

int dossier_search(struct core *c, const char *text, int limit, dossier_cb cb, void *ctx, struct err *e)
{
	if (!text_valid_utf8(text, strlen(text)))
		return err_set(e, MC_INVALID, "the search text is not valid UTF-8");
	char folded[1024];
	text_fold(text, folded, sizeof folded);
	if (!*folded)
		return 0;
	store_search(c->st, folded, limit, cb, ctx);
	return 0;
}
