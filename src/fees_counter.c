/* fees_counter.c - the receipt chain of fees paid at the receiving desk (see
 * fees_counter.h): its code, its opening with the first payment, the rules of a payment
 * there, and the holding dossier's projection of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "fees.h"
#include "fees_counter.h"
#include "history.h"
#include "i18n.h"
#include "store.h"
#include "store_fees.h"
#include "text.h"

int fees_counter_code(const char *parent, char *out, size_t n)
{
	if (!parent || !*parent)
		return MC_INVALID;
	size_t lim = n < CODE_LEN ? n : CODE_LEN;
	int k = snprintf(out, lim, "%s%s", parent, FEES_COUNTER_SUFFIX);
	return k > 0 && (size_t)k < lim ? 0 : MC_INVALID;
}

int fees_counter_parent(const char *code, char parent[CODE_LEN])
{
	size_t l = code ? strlen(code) : 0, k = strlen(FEES_COUNTER_SUFFIX);
	if (l <= k || l >= CODE_LEN || strcmp(code + l - k, FEES_COUNTER_SUFFIX))
		return 0;
	memcpy(parent, code, l - k);
	parent[l - k] = 0;
	return 1;
}

void fees_counter_load(struct store *st, struct dossier *d)
{
	char fc[CODE_LEN], parent[CODE_LEN];
	d->fee_counter_paid = d->fee_counter_refunded = 0;
	if (!d->fee_total || !d->recv_office_id || fees_counter_parent(d->code, parent) || fees_counter_code(d->code, fc, sizeof fc))
		return;
	/* only a chain filed for the office that received the dossier counts */
	store_fees_counter_get(st, fc, d->recv_office_id, &d->fee_counter_paid, &d->fee_counter_refunded);
}

int fees_counter_of(struct core *c, const struct dossier *d, char fc[CODE_LEN])
{
	char parent[CODE_LEN];
	if (!d->recv_office_id || fees_counter_parent(d->code, parent) || fees_counter_code(d->code, fc, CODE_LEN))
		return 0;
	struct dossier *k = malloc(sizeof *k);
	int ok = k && !store_dossier_get(c->st, fc, k) && k->office_id == d->recv_office_id;
	free(k);
	return ok;
}

int fees_counter_here(const struct core *c, const struct dossier *d)
{
	char parent[CODE_LEN];
	return c->actor.id && d->recv_office_id && d->recv_office_id == c->actor.office_id && d->office_id != c->actor.office_id &&
	       !fees_counter_parent(d->code, parent);
}

int fees_counter_refresh(struct core *c, const char *parent, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	if (!d)
		return err_set(e, MC_STORE, "out of memory");
	int rc = 0;
	/* the row's status as replaying its events now gives it (fees_status reads the chain) */
	if (!store_dossier_get(c->st, parent, d) && d->version > 0 && fees_status(d) != d->status) {
		d->status = fees_status(d);
		rc = store_dossier_update(c->st, d, e);
	}
	free(d);
	return rc;
}

/* ---- a payment at the desk --------------------------------------------------------- */

struct cpay {
	struct dossier parent;
	int method;
	unsigned lines;
	int64_t amount;
	const char *ref;
	struct fee_entry *out;
};

/* the lines already paid on the chain, and the receipt of each */
struct paid { unsigned mask; char receipt[FEE_LINES_MAX][64]; };

static int paid_one(const struct fee_entry *f, void *ctx)
{
	struct paid *x = ctx;
	if (strcmp(f->kind, "fee_paid"))
		return 0;
	for (int i = 0; i < FEE_LINES_MAX; i++)
		if ((f->lines & (1u << i)) && !(x->mask & (1u << i))) {
			x->mask |= 1u << i;
			snprintf(x->receipt[i], sizeof x->receipt[i], "%s", f->receipt[0] ? f->receipt : f->ref);
		}
	return 0;
}

static int64_t line_amount(json_t *l)
{
	json_int_t v = json_integer_value(json_object_get(l, "amount"));
	return v > 0 && v <= FEE_AMOUNT_MAX ? (int64_t)v : 0;
}

static int prep_counter(struct core *c, struct dossier *d, void *ctx, json_t **pl, const struct office **to,
			const char **place, struct err *e)
{
	(void)to; /* the chain stays at the office that received the dossier */
	(void)place;
	struct cpay *k = ctx;
	const struct dossier *pd = &k->parent;
	if (!c->actor.id || !c->actor.active)
		return err_set(e, MC_DENIED, "recording a payment needs an active motcua user; run it as that user");
	if (!(c->actor.roles & ROLE_CLERK))
		return err_set(e, MC_DENIED, "%s may not record a payment: it needs the role clerk", c->actor.account);
	if (d->office_id != c->actor.office_id)
		return err_set(e, MC_DENIED, "%s may not record fees on the receipt chain of dossier %s: only the office that received the dossier writes it",
			       c->actor.account, pd->code);
	if (pd->stage >= SG_FINAL)
		return err_set(e, MC_STATE, "dossier %s is closed (national status %d): no payment can be recorded on it; a payment made earlier can still be refunded",
			       pd->code, pd->status);
	if (!pd->fee_total)
		return err_set(e, MC_STATE, "dossier %s owes no fees: its procedure has no fee lines, or it is not accepted yet", pd->code);
	if (!fees_owed(pd))
		return err_set(e, MC_STATE, "the fees of dossier %s are already paid", pd->code);
	json_t *lines = fees_lines_copy(c, pd->code);
	int n = json_is_array(lines) ? (int)json_array_size(lines) : 0;
	if (n > FEE_LINES_MAX)
		n = FEE_LINES_MAX;
	struct paid x;
	memset(&x, 0, sizeof x);
	fees_walk(c, d->code, paid_one, &x);
	unsigned all = n ? (1u << n) - 1 : 0, want = k->lines ? k->lines : all & ~x.mask;
	int rc = 0;
	for (int i = 0; i < 32 && !rc && k->lines; i++) {
		if (!(k->lines & (1u << i)))
			continue;
		if (i >= n)
			rc = err_set(e, MC_INVALID, "dossier %s has %d fee lines: there is no line %d", pd->code, n, i + 1);
		else if (x.mask & (1u << i))
			rc = err_set(e, MC_STATE, "fee line %d of dossier %s is already paid at the receiving desk, receipt %s", i + 1,
				     pd->code, x.receipt[i]);
	}
	if (!rc && !want)
		rc = err_set(e, MC_STATE, "the fees of dossier %s are already paid", pd->code);
	int64_t sum = 0;
	json_t *paid = json_array();
	for (int i = 0; !rc && i < n; i++) {
		if (!(want & (1u << i)))
			continue;
		json_t *l = json_array_get(lines, (size_t)i);
		sum += line_amount(l);
		json_array_append_new(paid, json_pack("{s:i, s:s, s:s, s:I}", "n", i + 1, "kind", jstr(l, "kind"), "name",
						      jstr(l, "name"), "amount", (json_int_t)line_amount(l)));
	}
	json_decref(lines);
	if (!rc && k->amount && k->amount != sum)
		rc = err_set(e, MC_INVALID, "at the receiving desk a payment pays whole fee lines: the lines to pay on dossier %s come to %lld dong, not %lld",
			     pd->code, (long long)sum, (long long)k->amount);
	if (!rc && sum > fees_owed(pd))
		rc = err_set(e, MC_STATE, "dossier %s owes %lld dong, less than the %lld dong its unpaid fee lines come to: the office that holds it takes the rest",
			     pd->code, (long long)fees_owed(pd), (long long)sum);
	if (!rc && k->ref && *k->ref) { /* a transfer or an online payment is recorded once */
		if (fees_ref_recorded(c, pd->code, d->code, k->ref))
			rc = err_set(e, MC_STATE, "the payment with reference '%.60s' is already recorded on dossier %s", k->ref, pd->code);
	}
	char receipt[64] = "";
	if (!rc && k->method != FM_ONLINE)
		rc = fees_receipt_take(c, d->office_id, receipt, sizeof receipt, e);
	if (rc) {
		json_decref(paid);
		return rc;
	}
	*pl = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "amount", (json_int_t)sum, "method", fees_method_name(k->method),
			"receipt", receipt, "ref", k->ref ? k->ref : "", "parent", pd->code, "lines", paid);
	if (!*pl)
		return err_set(e, MC_STORE, "out of memory");
	if (k->out) {
		struct office o;
		memset(k->out, 0, sizeof *k->out);
		snprintf(k->out->kind, sizeof k->out->kind, "%s", "fee_paid");
		snprintf(k->out->method, sizeof k->out->method, "%s", fees_method_name(k->method));
		snprintf(k->out->receipt, sizeof k->out->receipt, "%s", receipt);
		snprintf(k->out->ref, sizeof k->out->ref, "%s", k->ref ? k->ref : "");
		if (!store_office_get(c->st, d->office_id, &o))
			snprintf(k->out->office, sizeof k->out->office, "%s", o.agency_code);
		k->out->amount = sum;
		k->out->at = core_now(c);
		k->out->lines = want;
		k->out->counter = 1;
	}
	return 0;
}

static int refresh_post(struct core *c, struct dossier *d, void *ctx, struct err *e)
{
	(void)d;
	struct cpay *k = ctx;
	return fees_counter_refresh(c, k->parent.code, e);
}

/* the chain's first event: filed for the acting user's office, for the dossier code */
static int counter_open(struct core *c, const struct dossier *pd, const char *fc, struct err *e)
{
	struct office mine, holder;
	struct procedure *p = malloc(sizeof *p);
	if (!p)
		return err_set(e, MC_STORE, "out of memory");
	int rc = 0;
	if (store_office_get(c->st, c->actor.office_id, &mine) || store_office_get(c->st, pd->office_id, &holder))
		rc = err_set(e, MC_NOTFOUND, "office %lld is not in this store", (long long)c->actor.office_id);
	else if (store_procedure_get(c->st, pd->procedure_id, p))
		rc = err_set(e, MC_NOTFOUND, "the procedure of dossier %s is not in this store", pd->code);
	if (!rc) {
		json_t *pl = json_pack("{s:s, s:s, s:i, s:s, s:{}, s:{s:s, s:s}}", "office", mine.agency_code, "procedure", p->code,
				       "channel", pd->channel, "outcome", "counter", "applicant", "fee_of", "parent", pd->code,
				       "holder", holder.agency_code);
		rc = pl ? dossier_chain_open(c, fc, pl, NULL, NULL, e) : err_set(e, MC_STORE, "out of memory");
	}
	free(p);
	return rc;
}

int fees_counter_pay(struct core *c, const char *code, int method, unsigned lines, int64_t amount, const char *ref,
		     struct fee_entry *out, struct err *e)
{
	char fc[CODE_LEN], clean_ref[FEE_REF_MAX_CHARS * 4 + 1], msg[256];
	if (method != FM_CASH && method != FM_TRANSFER && method != FM_ONLINE)
		return err_set(e, MC_INVALID, "the payment method must be cash, transfer or online");
	if (text_clean(ref ? ref : "", N_("reference"), FEE_REF_MAX_CHARS, clean_ref, sizeof clean_ref, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	ref = clean_ref;
	if (method != FM_CASH && !*ref)
		return err_set(e, MC_INVALID, "a payment by transfer or online needs its reference (the bank's, or the platform's MaThamChieu)");
	struct cpay *k = calloc(1, sizeof *k);
	struct dossier *chain = malloc(sizeof *chain);
	int rc = 0;
	if (!k || !chain) {
		rc = err_set(e, MC_STORE, "out of memory");
		goto done;
	}
	*k = (struct cpay){.method = method, .lines = lines, .amount = amount, .ref = ref, .out = out};
	if ((rc = store_begin(c->st, e)))
		goto done;
	if ((rc = dossier_get(c, code, &k->parent, e)))
		goto fail;
	if (c->expect_version > 0 && k->parent.version != c->expect_version) {
		rc = err_set(e, MC_CONFLICT, "dossier %s was changed by %s while you had it open; reload it and try again", code,
			     k->parent.last_actor);
		goto fail;
	}
	if (!fees_counter_here(c, &k->parent)) {
		rc = err_set(e, MC_DENIED, "%s may not take fees of dossier %s at the receiving desk: it was not received at that office, or that office holds it",
			     c->actor.id ? c->actor.account : c->os_account, code);
		goto fail;
	}
	if (fees_counter_code(code, fc, sizeof fc)) {
		rc = err_set(e, MC_INVALID, "the code of the receipt chain of dossier %s would be too long", code);
		goto fail;
	}
	if (store_dossier_get(c->st, fc, chain) && (rc = counter_open(c, &k->parent, fc, e)))
		goto fail;
	int saved = c->expect_version;
	c->expect_version = 0; /* the version the caller saw is the dossier's, not its chain's */
	rc = dossier_step_custom(c, fc, "fee_paid", prep_counter, refresh_post, k, NULL, e);
	c->expect_version = saved;
	if (rc || (rc = store_commit(c->st, e)))
		goto fail;
	goto done;
fail:
	store_rollback(c->st);
done:
	free(k);
	free(chain);
	return rc;
}
