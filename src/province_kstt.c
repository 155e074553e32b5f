/* province_kstt.c - form II.06a's liên thông annex at central: per agency of the
 * province, the liên thông dossiers whose parts opened in the period, of which it led,
 * its parts and the late ones (province.h).
 *
 * Why: an office's annex (lt_report, lienthong.h) counts the dossiers its own store
 * holds; the province's supervisor needs every agency's, and only central sees them
 * all.  The part events are read from central's log (the dossiers opened in the
 * period by the partial index on lt_opened, then their own events and their part
 * chains' CODE-Pn) and folded by lienthong.c's own lt_apply and lt_apply_chain; a
 * part is late as lt_part_late says (back after its deadline, or open past it at the
 * period's end).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central_admin.h"
#include "history.h"
#include "lienthong.h"
#include "portal.h"
#include "province.h"

#define IS_PG(cen) ((cen)->ops == &central_pg_ops)

struct ltc {
	struct report *r;
	const char *office;       /* "" or the one agency whose dossiers are counted */
	int64_t to;               /* min(period end, now): when an open part is judged */
	char code[CODE_LEN];      /* the dossier being folded */
	struct lt_parts ps;
	int oom;
};

static struct rep_lt *lt_row(struct report *r, const char *agency)
{
	for (int i = 0; i < r->nlt; i++)
		if (!strcmp(r->lt[i].agency, agency))
			return &r->lt[i];
	struct rep_lt *v = realloc(r->lt, sizeof *v * (size_t)(r->nlt + 1));
	if (!v)
		return NULL;
	r->lt = v;
	struct rep_lt *w = &v[r->nlt++];
	memset(w, 0, sizeof *w);
	snprintf(w->agency, sizeof w->agency, "%s", agency);
	snprintf(w->name, sizeof w->name, "%s", agency);
	return w;
}

/* the dossier folded so far into the rows, counted as lt_report counts it */
static void lt_flush(struct ltc *x)
{
	struct lt_parts *ps = &x->ps;
	if (!x->code[0] || !ps->flow[0])
		return;
	int ours = !x->office[0] || !strcmp(ps->lead, x->office);
	for (int i = 0; i < ps->n && !ours; i++)
		ours = !strcmp(ps->p[i].agency, x->office);
	if (!ours)
		return;
	char seen[LT_MAX_PARTS + 1][32];
	int nseen = 0;
	struct rep_lt *l = lt_row(x->r, ps->lead);
	if (!l) {
		x->oom = 1;
		return;
	}
	l->dossiers++;
	l->leads++;
	snprintf(seen[nseen++], 32, "%s", ps->lead);
	for (int i = 0; i < ps->n; i++) {
		const struct lt_part *p = &ps->p[i];
		struct rep_lt *w = lt_row(x->r, p->agency);
		if (!w) {
			x->oom = 1;
			return;
		}
		int known = 0;
		for (int k = 0; k < nseen && !known; k++)
			known = !strcmp(seen[k], p->agency);
		if (!known) {
			w->dossiers++;
			snprintf(seen[nseen++], 32, "%s", p->agency);
		}
		w->parts++;
		/* late as lt_part_late says: back after its deadline, or open past it */
		if (p->due_at && p->state != LT_WAITING && (p->state == LT_BACK ? p->returned_at : x->to) > p->due_at)
			w->late_parts++;
	}
}

/* one event of a dossier or of one of its part chains, in dossier code order: the
 * parent's own events come before its chains' (CODE < CODE-Pn) */
static int lt_event(int nc, const char *const *v, void *ctx)
{
	struct ltc *x = ctx;
	if (nc < 5 || !v[0] || !v[1] || !lt_is_event(v[1]))
		return 0;
	char parent[CODE_LEN];
	int n = 0;
	int chain = lt_part_parent(v[0], parent, &n);
	if (!chain && strcmp(v[0], x->code)) {
		lt_flush(x);
		snprintf(x->code, sizeof x->code, "%s", v[0]);
		memset(&x->ps, 0, sizeof x->ps);
	}
	if (chain && strcmp(parent, x->code))
		return 0;
	json_t *p = json_loads(v[4] ? v[4] : "{}", 0, NULL);
	if (!p)
		return 0;
	int64_t at = strtoll(v[2] ? v[2] : "0", NULL, 10);
	if (chain)
		lt_apply_chain(&x->ps, n, v[1], v[3] ? v[3] : "", at, p);
	else
		lt_apply(&x->ps, v[1], at, p);
	json_decref(p);
	return 0;
}

static int lt_code(int nc, const char *const *v, void *ctx)
{
	json_t *codes = ctx;
	if (nc >= 1 && v[0]) {
		json_array_append_new(codes, json_string(v[0]));
		for (int i = 1; i <= LT_MAX_PARTS; i++) {
			char pc[CODE_LEN];
			if (!lt_part_code(v[0], i, pc, sizeof pc))
				json_array_append_new(codes, json_string(pc));
		}
	}
	return 0;
}

static int lt_name(const char *key, json_t *doc, void *ctx)
{
	struct report *r = ctx;
	for (int i = 0; i < r->nlt; i++)
		if (!strcmp(r->lt[i].agency, key) && *jstr(doc, "name"))
			snprintf(r->lt[i].name, sizeof r->lt[i].name, "%s", jstr(doc, "name"));
	return 0;
}

static int lt_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rep_lt *)a)->agency, ((const struct rep_lt *)b)->agency);
}

int province_lienthong(struct central *cen, const char *office, struct report *r, struct err *e)
{
	free(r->lt);
	r->lt = NULL;
	r->nlt = 0;
	r->lt_counted = 0;
	struct ltc *x = calloc(1, sizeof *x);
	json_t *codes = json_array();
	char *text = NULL;
	int rc = 0;
	if (!x || !codes) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	x->r = r;
	x->office = office ? office : "";
	x->to = r->as_of;
	char a[24], b[24];
	snprintf(a, sizeof a, "%lld", (long long)r->from);
	snprintf(b, sizeof b, "%lld", (long long)r->to);
	const char *par[2] = {a, b};
	/* the dossiers whose parts opened in the period (c_events_lt), then their part events */
	if ((rc = portal_query(cen, "SELECT DISTINCT dossier_code FROM c_events WHERE kind = 'lt_opened' AND at >= $1 AND at < $2",
			       par, 2, lt_code, codes, e)))
		goto out;
	for (size_t i = 0; i < json_array_size(codes) && !rc; i += 900) {
		json_t *part = json_array();
		for (size_t k = i; k < json_array_size(codes) && k < i + 900; k++)
			json_array_append(part, json_array_get(codes, k));
		text = json_dumps(part, JSON_COMPACT);
		json_decref(part);
		if (!text) {
			rc = err_set(e, MC_STORE, "out of memory");
			break;
		}
		const char *p1[1] = {text};
		rc = portal_query(cen, IS_PG(cen) ?
				  "SELECT dossier_code, kind, at, origin, payload FROM c_events WHERE dossier_code ="
				  " ANY (ARRAY(SELECT json_array_elements_text($1::json))) ORDER BY dossier_code COLLATE \"C\", dseq, pos" :
				  "SELECT dossier_code, kind, at, origin, payload FROM c_events WHERE dossier_code IN"
				  " (SELECT value FROM json_each($1)) ORDER BY dossier_code, dseq, pos",
				  p1, 1, lt_event, x, e);
		free(text);
		text = NULL;
	}
	if (!rc) {
		lt_flush(x);
		if (x->oom)
			rc = err_set(e, MC_STORE, "out of memory");
	}
	if (!rc && (rc = central_ref_each(cen, "office", lt_name, r, e)))
		goto out;
	if (!rc && r->nlt > 1)
		qsort(r->lt, (size_t)r->nlt, sizeof *r->lt, lt_cmp);
	if (!rc)
		r->lt_counted = 1;
out:
	json_decref(codes);
	free(x);
	return rc;
}
