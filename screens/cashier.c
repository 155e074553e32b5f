/* cashier.c - the cashier's view: the office's dossiers awaiting payment (fees owed
 * from their payment step on), a payment recorded with its receipt number (cash or
 * bank transfer; an online one by its MaThamChieu once central has it confirmed), the
 * receipt (biên lai) printed, and a refund (leader or supervisor)
 * against one receipt.  The rules are in src/fees.c; this file only asks and shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "fees.h"
#include "screen.h"
#include "strbuf.h"

/* the receipt made last in this session, for Print */
static char last_code[CODE_LEN], last_receipt[64];

static void print_receipt(struct ui *ui, const char *code, const char *receipt)
{
	struct strbuf t = {0};
	struct err e = {0};
	if (fees_receipt_text(ui->c, code, receipt, &t, &e) || !t.buf) {
		if (e.code)
			ui_error(ui, &e);
	} else {
		char what[128];
		snprintf(what, sizeof what, _("Receipt %s"), receipt);
		ui_print_text(ui, t.buf, what);
	}
	strbuf_release(&t);
}

/* ---- the list ------------------------------------------------------------------------ */

struct due_row { char code[CODE_LEN]; char line[512]; };

struct cashier {
	struct due_row *rows;
	struct list l;
	int cap;
};

static int add_row(const struct dossier *d, void *ctx)
{
	struct cashier *s = ctx;
	if (s->l.n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 64;
		struct due_row *r = realloc(s->rows, (size_t)cap * sizeof *r);
		if (!r)
			return 1;
		s->rows = r;
		s->cap = cap;
	}
	struct due_row *r = &s->rows[s->l.n++];
	snprintf(r->code, sizeof r->code, "%s", d->code);
	snprintf(r->line, sizeof r->line, "%-26s %12lld %12lld  %s", d->code, (long long)fees_owed(d), (long long)d->fee_total,
		 d->applicant_name);
	return 0;
}

static int cashier_load(struct ui *ui, struct cashier *s)
{
	struct err e = {0};
	s->l.n = 0;
	if (fees_due_list(ui->c, add_row, s, &e)) {
		ui_error(ui, &e);
		return -1;
	}
	list_clamp(&s->l);
	return 0;
}

static int cashier_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct cashier *s = st;
	if (cashier_load(ui, s)) {
		free(s->rows);
		return -1;
	}
	return 0;
}

static void cashier_reload(struct ui *ui, void *st) { cashier_load(ui, st); }

static void cashier_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct cashier *s = st;
	int h = getmaxy(w), cols = getmaxx(w);
	ui_putf(ui, w, 0, 1, cols - 2, UC_HEADER, _("Dossiers awaiting payment: %d"), s->l.n);
	char head[256];
	snprintf(head, sizeof head, "%-26s %12s %12s  %s", _("Code"), _("Owed"), _("Fees"), _("Applicant"));
	ui_put(ui, w, 1, 1, cols - 2, UC_LABEL, head);
	int rows = h - 3;
	list_fix(&s->l, rows);
	for (int i = 0; i < rows && s->l.top + i < s->l.n; i++) {
		int k = s->l.top + i;
		char line[512];
		ui_fit(ui, s->rows[k].line, cols - 2, line, sizeof line);
		ui_row(ui, w, 2 + i, k == s->l.sel, UC_NORMAL, line);
	}
	if (!s->l.n)
		ui_put(ui, w, 3, 1, cols - 2, UC_DIM, _("No dossier owes fees."));
	if (last_receipt[0])
		ui_putf(ui, w, h - 1, 1, cols - 2, UC_DIM, _("Last receipt: %s (%s)"), last_receipt, last_code);
}

static int cashier_key(struct ui *ui, void *st, const struct key *k)
{
	struct cashier *s = st;
	if (list_key(&s->l, k->action, ui->rows - 6))
		return SCR_HANDLED;
	const char *code = s->l.n && s->l.sel < s->l.n ? s->rows[s->l.sel].code : NULL;
	switch (k->action) {
	case A_PRINT:
		if (last_receipt[0])
			print_receipt(ui, last_code, last_receipt);
		else
			ui_status(ui, "%s", _("No receipt was made yet: record a payment first"));
		return SCR_HANDLED;
	case A_PAY:
		if (code)
			ui_push(ui, &pay_screen, code);
		return SCR_HANDLED;
	case A_REFUND:
		if (code)
			ui_push(ui, &refund_screen, code);
		return SCR_HANDLED;
	case A_ENTER:
		return ui_dossier_action(ui, A_ENTER, code, 0);
	}
	return 0;
}

static void cashier_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct cashier *)st)->rows);
}

const struct screen_ops cashier_screen = {
	.name = "cashier", .title = N_("Cashier"), .state_size = sizeof(struct cashier),
	.open = cashier_open, .draw = cashier_draw, .key = cashier_key, .done = cashier_done,
	.reload = cashier_reload,
	.footer = (const int[]){A_HELP, A_PAY, A_PRINT, A_REFUND, A_ENTER, A_REDRAW, A_BACK, A_NONE},
};

/* ---- a payment ------------------------------------------------------------------------- */

/* online: the platform's MaThamChieu in the reference field, checked at central (the
 * office's central.url) and recorded for the amount the platform confirmed */
static const char *const methods[] = {N_("cash"), N_("bank transfer"), N_("online payment")};

struct pay {
	struct dossier d;
	struct form fm;
	int refund;
	char info[256];
};

struct last_pay { char receipt[64]; };

static int last_one(const struct fee_entry *f, void *ctx)
{
	struct last_pay *x = ctx;
	if (!strcmp(f->kind, "fee_paid"))
		snprintf(x->receipt, sizeof x->receipt, "%s", f->receipt[0] ? f->receipt : f->ref);
	return 0;
}

static int pay_open_common(struct ui *ui, struct pay *s, const char *code, int refund)
{
	struct err e = {0};
	if (dossier_get(ui->c, code, &s->d, &e)) {
		ui_error(ui, &e);
		return -1;
	}
	s->refund = refund;
	s->fm.label_cols = 18;
	char amount[32];
	if (!refund) {
		if (!fees_owed(&s->d)) {
			ui_status(ui, _("%s owes no fees"), code);
			return -1;
		}
		snprintf(s->info, sizeof s->info, _("Owed: %lld dong of %lld"), (long long)fees_owed(&s->d), (long long)s->d.fee_total);
		struct field *f = form_add(&s->fm, FK_CHOICE, N_("Method"));
		f->choices = methods;
		f->nchoices = 3;
		f = form_add(&s->fm, FK_TEXT, N_("Amount (dong)"));
		f->in.maxchars = 12;
		snprintf(amount, sizeof amount, "%lld", (long long)fees_owed(&s->d));
		input_set(&f->in, amount);
		f = form_add(&s->fm, FK_TEXT, N_("Reference (transfer, MaThamChieu)"));
		f->in.maxchars = FEE_REF_MAX_CHARS;
	} else {
		struct last_pay x = {""};
		fees_entries(ui->c, code, last_one, &x, &e);
		if (!x.receipt[0]) {
			ui_status(ui, _("%s has no payment to refund"), code);
			return -1;
		}
		snprintf(s->info, sizeof s->info, _("Paid: %lld dong, refunded %lld"), (long long)(s->d.fee_paid + s->d.fee_counter_paid),
			 (long long)(s->d.fee_refunded + s->d.fee_counter_refunded));
		struct field *f = form_add(&s->fm, FK_TEXT, N_("Receipt number"));
		f->in.maxchars = 60;
		input_set(&f->in, x.receipt);
		f = form_add(&s->fm, FK_TEXT, N_("Amount (dong)"));
		f->in.maxchars = 12;
		f = form_add(&s->fm, FK_TEXT, N_("Reason"));
		f->err_field = EF_REASON;
		f->in.maxchars = NOTE_MAX_CHARS;
	}
	return 0;
}

static int pay_open(struct ui *ui, void *st, const char *arg) { return pay_open_common(ui, st, arg, 0); }
static int refund_open(struct ui *ui, void *st, const char *arg) { return pay_open_common(ui, st, arg, 1); }

static void pay_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct pay *s = st;
	int cols = getmaxx(w);
	char line[512];
	ui_dossier_line(ui, &s->d, cols - 2, line, sizeof line);
	ui_put(ui, w, 0, 1, cols - 2, UC_NORMAL, line);
	ui_put(ui, w, 1, 1, cols - 2, UC_HEADER, s->refund ? _("Refund fees") : _("Record a payment of fees"));
	ui_put(ui, w, 2, 1, cols - 2, UC_LABEL, s->info);
	form_draw(ui, &s->fm, w, 4, getmaxy(w) - 4);
}

static int pay_key(struct ui *ui, void *st, const struct key *k)
{
	struct pay *s = st;
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	if (!submit && k->action != A_SUBMIT)
		return r;
	struct err e = {0};
	struct fee_entry f;
	const char *amt = s->fm.f[1].in.buf;
	char *end;
	long long v = strtoll(amt, &end, 10);
	if (!*amt || *end || v <= 0) {
		s->fm.cur = 1;
		ui_status(ui, "%s", _("The amount must be a whole positive number of dong"));
		return SCR_HANDLED;
	}
	ui->c->expect_version = s->d.version;
	int m = s->fm.f[0].value;
	int rc = s->refund ? fees_refund(ui->c, s->d.code, s->fm.f[0].in.buf, v, s->fm.f[2].in.buf, &f, &e)
	       : m == 2 ? fees_pay_online(ui->c, s->d.code, NULL, s->fm.f[2].in.buf, &f, &e)
			: fees_pay(ui->c, s->d.code, m ? FM_TRANSFER : FM_CASH, v, s->fm.f[2].in.buf, &f, &e);
	if (!rc && m == 2 && !s->refund)
		v = f.amount;
	ui->c->expect_version = 0;
	if (rc) {
		ui_error(ui, &e);
		form_focus_err(&s->fm, &e);
		return SCR_HANDLED;
	}
	snprintf(last_code, sizeof last_code, "%s", s->d.code);
	snprintf(last_receipt, sizeof last_receipt, "%s", f.receipt[0] ? f.receipt : f.ref);
	if (s->refund)
		ui_status(ui, _("Refunded %lld dong, receipt %s (i prints it)"), (long long)v, f.receipt);
	else
		ui_status(ui, _("Paid %lld dong, receipt %s (i prints it)"), (long long)v, f.receipt[0] ? f.receipt : f.ref);
	ui_changed(ui);
	return SCR_HANDLED | SCR_CLOSE;
}

static const int *pay_footer(struct ui *ui, void *st)
{
	(void)ui;
	return form_footer(&((struct pay *)st)->fm);
}

const struct screen_ops pay_screen = {
	.name = "pay", .title = N_("Payment"), .state_size = sizeof(struct pay),
	.open = pay_open, .draw = pay_draw, .key = pay_key, .footer_fn = pay_footer,
};

const struct screen_ops refund_screen = {
	.name = "refund", .title = N_("Refund"), .state_size = sizeof(struct pay),
	.open = refund_open, .draw = pay_draw, .key = pay_key, .footer_fn = pay_footer,
};
