/* common.c - what the dossier screens share: translated names (status, timeliness,
 * event kinds), one-line summaries for lists, the dispatch of a step key on a
 * selected dossier (open the step's screen, or run a one-key step through the core),
 * and the step keys a footer offers for a dossier's stage.
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "screen.h"
#include "text.h"
#include "workflow.h"

const char *ui_status_name(const struct ui *ui, int status)
{
	(void)ui;
	return status_label(status);
}

const char *ui_tl_name(int tl)
{
	switch (tl) {
	case TL_NOT_DUE: return _("not yet due");
	case TL_OVERDUE: return _("overdue");
	case TL_EARLY: return _("early");
	case TL_ON_TIME: return _("on time");
	case TL_LATE: return _("late");
	}
	return "";
}

const char *ui_event_name(const char *kind) { return event_label(kind); }

void ui_drow_fill(struct ui *ui, struct drow *r, const struct dossier *d)
{
	snprintf(r->code, sizeof r->code, "%s", d->code);
	char due[24] = "-";
	if (d->due_at)
		cal_format(d->due_at, 1, due, sizeof due);
	int tl = core_timeliness(ui->c, d);
	r->overdue = tl == TL_OVERDUE;
	r->stage = d->stage;
	r->version = d->version;
	r->back = d->stage == SG_PROCESSING && d->decision != DEC_NONE;
	r->why[0] = 0;
	if (r->back) {
		ui_fit(ui, d->note, 70, r->why, sizeof r->why);
		for (size_t n = strlen(r->why); n && r->why[n - 1] == ' '; n--)
			r->why[n - 1] = 0;
	}
	/* fixed columns that add up to the 78 of a row at 80 columns: a dossier with no
	 * appointment keeps them aligned; the name is cut only when it does not fit,
	 * and never padded (a padded name would be cut with a misleading ellipsis) */
	char name[128], st[64], dcol[64];
	ui_fit(ui, due, 16, dcol, sizeof dcol);
	ui_fit(ui, d->applicant_name, DROW_NAME_COLS, name, sizeof name);
	for (size_t n = strlen(name); n && name[n - 1] == ' '; n--)
		name[n - 1] = 0;
	/* a dossier the signer sent back reads so in its status column */
	ui_fit(ui, r->back ? _("Sent back") : ui_status_name(ui, d->status), 15, st, sizeof st);
	snprintf(r->line, sizeof r->line, "%-25s %s %s %s %s", d->code, dcol, r->overdue ? "!" : " ", st, name);
}

void ui_dossier_line(struct ui *ui, const struct dossier *d, int cols, char *out, size_t n)
{
	struct drow r;
	ui_drow_fill(ui, &r, d);
	ui_fit(ui, r.line, cols, out, n);
}

int ui_step_now(struct ui *ui, int action, const char *code, int version)
{
	struct dossier *d = calloc(1, sizeof *d);
	struct err e = {0};
	int rc;
	if (!d)
		return SCR_HANDLED;
	ui->c->expect_version = version;
	switch (action) {
	case A_ACCEPT: rc = dossier_accept(ui->c, code, d, &e); break;
	default: rc = dossier_transfer(ui->c, code, NULL, d, &e); break;
	}
	ui->c->expect_version = 0;
	if (rc) {
		ui_error(ui, &e);
	} else {
		char due[24] = "-";
		if (d->due_at)
			cal_format(d->due_at, 1, due, sizeof due);
		ui_status(ui, _("%s: %s; appointment %s"), d->code, ui_status_name(ui, d->status), due);
	}
	ui_changed(ui);
	free(d);
	return SCR_HANDLED;
}

int ui_dossier_action(struct ui *ui, int action, const char *code, int version)
{
	if (!code || !*code)
		return 0;
	switch (action) {
	case A_ENTER: ui_push(ui, &detail_screen, code); return SCR_HANDLED;
	case A_ACCEPT: case A_TRANSFER: {
		/* not undone by a key: the confirmation screen asks first */
		char arg[CODE_LEN + 32];
		snprintf(arg, sizeof arg, "%d %d %s", action, version, code);
		ui_push(ui, &confirm_screen, arg);
		return SCR_HANDLED;
	}
	case A_RESUME: ui_push(ui, &resume_screen, code); return SCR_HANDLED; /* a checklist, then confirm */
	case A_PRINT: ui_push(ui, &print_screen, code); return SCR_HANDLED;
	case A_REFUSE: ui_push(ui, &refuse_screen, code); return SCR_HANDLED;
	case A_ASSIGN: ui_push(ui, &assign_screen, code); return SCR_HANDLED;
	case A_PROCESS: ui_push(ui, &process_screen, code); return SCR_HANDLED;
	case A_SIGN: ui_push(ui, &sign_screen, code); return SCR_HANDLED;
	case A_RETURN: ui_push(ui, &return_screen, code); return SCR_HANDLED;
	case A_EXTEND: ui_push(ui, &extend_screen, code); return SCR_HANDLED;
	case A_WITHDRAW: ui_push(ui, &withdraw_screen, code); return SCR_HANDLED;
	case A_STOP: ui_push(ui, &stop_screen, code); return SCR_HANDLED;
	case A_PAY: ui_push(ui, &pay_screen, code); return SCR_HANDLED;       /* fees (cashier.c) */
	case A_REFUND: ui_push(ui, &refund_screen, code); return SCR_HANDLED;
	case A_APOLOGY: ui_push(ui, &apology_screen, code); return SCR_HANDLED; /* liên thông (apology.c) */
	}
	return 0;
}

/* each step key and the workflow step it takes (send-back and supplement are choices
 * inside the sign and process forms) */
static const struct { int step, action; } step_keys[] = {
	{STEP_ACCEPT, A_ACCEPT}, {STEP_REFUSE, A_REFUSE}, {STEP_TRANSFER, A_TRANSFER}, {STEP_ASSIGN, A_ASSIGN},
	{STEP_PROPOSE, A_PROCESS}, {STEP_SIGN, A_SIGN}, {STEP_RESUME, A_RESUME}, {STEP_RETURN, A_RETURN},
	{STEP_EXTEND, A_EXTEND}, {STEP_EXTEND_ISSUE, A_EXTEND}, {STEP_WITHDRAW, A_WITHDRAW}, {STEP_STOP, A_STOP},
};

void ui_step_actions(const struct ui *ui, int stage, int *acts, int *n, int max)
{
	for (size_t i = 0; i < sizeof step_keys / sizeof step_keys[0] && *n < max; i++)
		if (workflow_allows(step_keys[i].step, ui->c->actor.roles, stage)) {
			int dup = 0;
			for (int k = 0; k < *n; k++)
				dup |= acts[k] == step_keys[i].action;
			if (!dup)
				acts[(*n)++] = step_keys[i].action;
		}
}

int ui_load_dossier(struct ui *ui, const char *code, struct dossier *d, int step)
{
	struct err e = {0};
	if (!code || dossier_get(ui->c, code, d, &e)) {
		if (code)
			ui_error(ui, &e);
		return -1;
	}
	if (step >= 0 && workflow_check(step, &ui->c->actor, d, &e)) {
		ui_error(ui, &e);
		return -1;
	}
	return 0;
}

void list_fix(struct list *l, int h)
{
	if (h < 1)
		h = 1;
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	if (l->top > l->n - h)
		l->top = l->n - h; /* rows went away: fill the screen from above */
	if (l->top < 0)
		l->top = 0;
}

void list_clamp(struct list *l)
{
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->top > l->sel)
		l->top = l->sel;
}

int list_key(struct list *l, int action, int h)
{
	switch (action) {
	case A_UP: l->sel--; break;
	case A_DOWN: l->sel++; break;
	case A_PGUP: l->sel -= h; l->top -= h; break;
	case A_PGDN: l->sel += h; l->top += h; break;
	case A_FIRST: l->sel = 0; break;
	case A_LAST: l->sel = l->n - 1; break;
	default: return 0;
	}
	if (l->top > l->n - h)
		l->top = l->n - h;
	list_fix(l, h);
	return SCR_HANDLED;
}

void ui_step_failed(struct ui *ui, const struct err *e, struct dossier *d)
{
	ui_error(ui, e);
	if (e->code == MC_CONFLICT && d) {
		char code[CODE_LEN];
		struct err e2 = {0};
		snprintf(code, sizeof code, "%s", d->code);
		dossier_get(ui->c, code, d, &e2); /* show what it is now; the next try uses it */
		ui_changed(ui);
	}
}

void ui_typed_appointment(struct ui *ui, const char *typed, int64_t after, void (*when)(int64_t t, char *buf, size_t n),
			  struct input *becomes, int64_t *until)
{
	char buf[256], at[96];
	int64_t t;
	*until = 0;
	if (!*typed) {
		input_set(becomes, _("type the date (end of that working day) or date and time"));
		return;
	}
	if (cal_parse_appointment(&ui->c->cal, typed, &t)) {
		input_set(becomes, _("not a date: YYYY-MM-DD or DD/MM/YYYY, optionally HH:MM"));
		return;
	}
	when(t, at, sizeof at);
	if (after >= 0 && (t <= after || t <= core_now(ui->c)))
		snprintf(buf, sizeof buf, _("%s: must be later than the current appointment and than now"), at);
	else if (!cal_is_working_day(&ui->c->cal, cal_day_of(t)))
		snprintf(buf, sizeof buf, _("%s: not a working day"), at);
	else {
		snprintf(buf, sizeof buf, "%s", at);
		*until = t;
	}
	input_set(becomes, buf);
}
