/* steps.c - the three steps that end or stretch a dossier outside the normal flow:
 * withdraw (the applicant takes the dossier back, clerk), stop (processing is halted,
 * e.g. the applicant died or the law changed, leader) and extend (a new appointment
 * before the dossier goes late, specialist or head; the office owes an apology).
 *
 * Why one file: the three are one small form each (a reason; extend adds the new
 * appointment) followed by one core call (dossier_withdraw / _stop / _extend), and
 * then the paper the office hands over, exactly as forms.c builds it: the notice of
 * stopping or withdrawal (form 05) or the apology and new appointment (form 04).
 *
 * Extend: the specialist (or head) proposes, the leader issues (same key, e: the form
 * shows the proposal and Confirm issues it, then form 04).  The new appointment is typed as a date (YYYY-MM-DD or DD/MM/YYYY, meaning
 * the end of that working day, as `motcua extend --until` does) or with a time.  The
 * form shows the current appointment and what the typed one becomes, with the
 * reason it would be refused (not later, not a working day); the core checks it
 * again when the step is taken, and is the one that decides.
 *
 * Drafts: what was typed (the reason; extend's appointment) is kept when the form is
 * left without taking the step (Esc, or the UI ending), under the form's name and the
 * dossier's code ("withdraw:CODE"), and comes back when the same form is opened on
 * the same dossier; taking the step drops it.
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "draft.h"
#include "forms.h"
#include "screen.h"
#include "workflow.h"

#define PAPER_LINES 200

struct steps {
	int step;                   /* STEP_WITHDRAW, STEP_STOP, STEP_EXTEND, STEP_EXTEND_ISSUE */
	struct dossier *d;
	struct form fm;
	int f_now, f_until, f_becomes, f_reason;
	int64_t until;              /* the typed appointment as an instant; 0 if none/invalid */
	/* after the step: the form 04/05 text, one pointer per line into paper */
	int done;
	char *paper;
	const char *lines[PAPER_LINES];
	int nlines, top;
	char form_no[4];
	char draft[CODE_LEN + 16];  /* the draft's name: "withdraw:CODE" */
};

static const char *step_key(int step)
{
	return step == STEP_WITHDRAW ? "withdraw" : step == STEP_STOP ? "stop" : "extend";
}

/* the typed appointment on the first line, the reason after it */
static void draft_keep(struct ui *ui, struct steps *s)
{
	if (!s->d || s->done || !ui->c->actor.id || !s->draft[0]) /* issuing an extension types nothing */
		return;
	const char *reason = s->fm.f[s->f_reason].in.buf;
	const char *until = s->f_until >= 0 ? s->fm.f[s->f_until].in.buf : "";
	if (!*reason && !*until) {
		draft_drop(ui->c, s->draft);
		return;
	}
	size_t n = strlen(until) + strlen(reason) + 2;
	char *data = malloc(n);
	if (!data)
		return;
	snprintf(data, n, "%s\n%s", until, reason);
	draft_save(ui->c, s->draft, data);
	free(data);
}

static void draft_restore(struct ui *ui, struct steps *s)
{
	char *data = NULL;
	if (draft_load(ui->c, s->draft, &data) || !data)
		return;
	char *nl = strchr(data, '\n');
	if (nl) {
		*nl = 0;
		if (s->f_until >= 0)
			input_set(&s->fm.f[s->f_until].in, data);
		input_set(&s->fm.f[s->f_reason].in, nl + 1);
		ui_status(ui, "%s", _("Draft restored: continue where you left off"));
	}
	free(data);
}

static const char *weekday_name(int wd)
{
	static const char *const names[] = {N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"),
		N_("Thursday"), N_("Friday"), N_("Saturday")};
	return wd >= 0 && wd < 7 ? _(names[wd]) : "";
}

/* "2024-03-27 17:00 (Wednesday)" */
static void when_text(int64_t t, char *buf, size_t n)
{
	char at[24];
	cal_format(t, 1, at, sizeof at);
	snprintf(buf, n, "%s (%s)", at, weekday_name(cal_weekday(cal_day_of(t))));
}

/* what the typed appointment becomes, or why it will be refused (shown as typed) */
static void update_until(struct ui *ui, struct steps *s)
{
	if (s->step == STEP_EXTEND)
		ui_typed_appointment(ui, s->fm.f[s->f_until].in.buf, s->d->due_at, when_text, &s->fm.f[s->f_becomes].in, &s->until);
}

static void show_current(struct steps *s)
{
	if (s->step != STEP_EXTEND && s->step != STEP_EXTEND_ISSUE)
		return;
	char buf[256], when[96], committed[24];
	when_text(s->d->due_at, when, sizeof when);
	if (s->d->orig_due_at && s->d->orig_due_at != s->d->due_at) {
		cal_format(s->d->orig_due_at, 1, committed, sizeof committed);
		snprintf(buf, sizeof buf, _("%s, already extended (committed %s)"), when, committed);
	} else {
		snprintf(buf, sizeof buf, "%s", when);
	}
	input_set(&s->fm.f[s->f_now].in, buf);
}

static int steps_open(struct ui *ui, struct steps *s, int step, const char *arg)
{
	s->step = step;
	s->d = calloc(1, sizeof *s->d);
	if (!s->d || ui_load_dossier(ui, arg, s->d, step)) {
		free(s->d); /* a refused open never reaches steps_done */
		s->d = NULL;
		return -1;
	}
	s->fm.label_cols = 18;
	struct field *f;
	s->f_now = s->f_until = s->f_becomes = -1;
	if (step == STEP_EXTEND) {
		s->f_now = s->fm.n;
		form_add(&s->fm, FK_INFO, N_("Appointment now"));
		s->f_until = s->fm.n;
		f = form_add(&s->fm, FK_TEXT, N_("New appointment"));
		f->err_field = EF_DATE;
		f->in.maxchars = 20;
		s->f_becomes = s->fm.n;
		form_add(&s->fm, FK_INFO, N_("Becomes"));
		show_current(s);
		update_until(ui, s);
	}
	if (step == STEP_EXTEND_ISSUE) {
		/* the leader issues what the specialist proposed: shown, not typed */
		char reason[NOTE_MAX_CHARS * 4 + 1], when[96];
		s->f_now = s->fm.n;
		form_add(&s->fm, FK_INFO, N_("Appointment now"));
		show_current(s);
		if (!dossier_extension_proposed(ui->c, s->d->code, &s->until, reason, sizeof reason))
			s->until = 0;
		s->f_becomes = s->fm.n;
		f = form_add(&s->fm, FK_INFO, N_("Proposed appointment"));
		if (s->until)
			when_text(s->until, when, sizeof when);
		input_set(&f->in, s->until ? when : _("none proposed yet"));
		s->f_reason = s->fm.n;
		f = form_add(&s->fm, FK_INFO, N_("Reason"));
		input_set(&f->in, reason);
		s->fm.cur = s->f_reason;
		return 0;
	}
	s->f_reason = s->fm.n;
	f = form_add(&s->fm, FK_TEXT, N_("Reason"));
	f->err_field = EF_REASON;
	f->in.maxchars = NOTE_MAX_CHARS;
	s->fm.cur = step == STEP_EXTEND ? s->f_until : s->f_reason;
	snprintf(s->draft, sizeof s->draft, "%s:%s", step_key(step), s->d->code);
	draft_restore(ui, s);
	update_until(ui, s);
	return 0;
}

static int withdraw_open(struct ui *ui, void *st, const char *arg) { return steps_open(ui, st, STEP_WITHDRAW, arg); }
static int stop_open(struct ui *ui, void *st, const char *arg) { return steps_open(ui, st, STEP_STOP, arg); }
/* e: the specialist or head proposes the new appointment, the leader issues it */
static int extend_open(struct ui *ui, void *st, const char *arg)
{
	struct dossier d;
	struct err e = {0};
	int issue = arg && dossier_get(ui->c, arg, &d, &e) == 0 &&
		    workflow_check(STEP_EXTEND, &ui->c->actor, &d, &e) != 0 &&
		    workflow_check(STEP_EXTEND_ISSUE, &ui->c->actor, &d, &e) == 0;
	return steps_open(ui, st, issue ? STEP_EXTEND_ISSUE : STEP_EXTEND, arg);
}

static const char *heading(int step)
{
	switch (step) {
	case STEP_WITHDRAW: return _("The applicant withdraws this dossier (notice form 05 with the reason)");
	case STEP_STOP: return _("Stop processing this dossier (notice form 05 with the reason)");
	case STEP_EXTEND_ISSUE: return _("Issue the apology letter with the proposed new appointment (form 04)");
	}
	return _("Extend the deadline: a new appointment and an apology letter (form 04)");
}

static void steps_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct steps *s = st;
	int cols = getmaxx(w), rows = getmaxy(w);
	char line[512];
	if (s->done) {
		ui_putf(ui, w, 0, 1, cols - 2, UC_HEADER, _("Press i to print it (form %s)"), s->form_no);
		int h = rows - 1;
		if (s->top > s->nlines - h)
			s->top = s->nlines - h > 0 ? s->nlines - h : 0;
		for (int i = 0; i < h && s->top + i < s->nlines; i++)
			ui_put(ui, w, 1 + i, 0, cols, UC_NORMAL, s->lines[s->top + i]);
		return;
	}
	ui_put(ui, w, 0, 1, cols - 2, UC_HEADER, heading(s->step));
	ui_dossier_line(ui, s->d, cols - 2, line, sizeof line);
	ui_put(ui, w, 1, 1, cols - 2, UC_NORMAL, line);
	int y = 3;
	if (s->step == STEP_EXTEND || s->step == STEP_EXTEND_ISSUE) {
		ui_put(ui, w, 2, 1, cols - 2, UC_DIM, _("Timeliness is still judged by the committed date (late, with an apology)."));
		y = 4;
	}
	form_draw(ui, &s->fm, w, y, rows - y);
}

/* keep the form's text (forms_build) and split it into lines for the screen */
static void keep_paper(struct steps *s, struct strbuf *t)
{
	s->paper = t->buf;
	t->buf = NULL;
	s->nlines = s->top = 0;
	for (char *p = s->paper, *nl; p && *p && s->nlines < PAPER_LINES; p = nl + 1) {
		s->lines[s->nlines++] = p;
		if (!(nl = strchr(p, '\n')))
			break;
		*nl = 0;
	}
}

static int take_step(struct ui *ui, struct steps *s)
{
	struct err e = {0};
	const char *reason = s->fm.f[s->f_reason].in.buf;
	if (s->step == STEP_EXTEND && !s->until) {
		ui_status(ui, "%s %s", _("New appointment:"), s->fm.f[s->f_becomes].in.buf);
		ui->status_err = 1;
		s->fm.cur = s->f_until;
		return SCR_HANDLED;
	}
	ui->c->expect_version = s->d->version;
	int rc = s->step == STEP_WITHDRAW ? dossier_withdraw(ui->c, s->d->code, reason, s->d, &e)
	       : s->step == STEP_STOP ? dossier_stop(ui->c, s->d->code, reason, s->d, &e)
	       : s->step == STEP_EXTEND_ISSUE ? dossier_extend_issue(ui->c, s->d->code, s->d, &e)
	       : dossier_extend(ui->c, s->d->code, s->until, reason, s->d, &e);
	ui->c->expect_version = 0;
	if (rc) {
		ui_step_failed(ui, &e, s->d);
		form_focus_err(&s->fm, &e);
		show_current(s);    /* a conflict reloaded the dossier */
		update_until(ui, s);
		return SCR_HANDLED;
	}
	ui_changed(ui);
	draft_drop(ui->c, s->draft);
	if (s->step == STEP_EXTEND) {
		/* proposed: the leader issues it (motcua issue-extension), then form 04 exists */
		char when[24];
		cal_format(s->until, 1, when, sizeof when);
		ui_status(ui, _("%s: new appointment %s proposed, for the leader to sign"), s->d->code, when);
		return SCR_HANDLED | SCR_CLOSE;
	} else if (s->step == STEP_EXTEND_ISSUE) {
		char when[24];
		cal_format(s->d->due_at, 1, when, sizeof when);
		ui_status(ui, _("%s: new appointment %s; hand over the apology letter (form 04)"), s->d->code, when);
	} else {
		ui_status(ui, _("%s: %s; hand over the notice (form 05)"), s->d->code,
			  ui_status_name(ui, s->d->status));
	}
	snprintf(s->form_no, sizeof s->form_no, "%s", s->step == STEP_EXTEND_ISSUE ? "04" : "05");
	struct strbuf t = {0};
	struct err e2 = {0};
	if (forms_build(ui->c, s->form_no, s->d->code, 0, 0, &t, &e2) || t.oom || !t.buf) {
		strbuf_release(&t);
		return SCR_HANDLED | SCR_CLOSE; /* the step is taken; the paper can be printed later */
	}
	keep_paper(s, &t);
	s->done = 1;
	return SCR_HANDLED;
}

static int steps_key(struct ui *ui, void *st, const struct key *k)
{
	struct steps *s = st;
	if (s->done) {
		int h = ui->rows - 4;
		switch (k->action) {
		case A_UP: s->top--; break;
		case A_DOWN: s->top++; break;
		case A_PGUP: s->top -= h; break;
		case A_PGDN: s->top += h; break;
		case A_FIRST: s->top = 0; break;
		case A_LAST: s->top = s->nlines; break;
		case A_ENTER: case A_SUBMIT: return SCR_HANDLED | SCR_CLOSE;
		case A_PRINT: ui_print_form(ui, s->form_no, s->d->code); return SCR_HANDLED;
		default: return 0;
		}
		if (s->top < 0)
			s->top = 0;
		return SCR_HANDLED;
	}
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	update_until(ui, s);
	if (!submit && k->action != A_SUBMIT)
		return r;
	return take_step(ui, s);
}

static void steps_done(struct ui *ui, void *st)
{
	struct steps *s = st;
	draft_keep(ui, s);
	free(s->d);
	free(s->paper);
}

static const int *steps_footer(struct ui *ui, void *st)
{
	(void)ui;
	struct steps *s = st;
	static const int paper[] = {A_PRINT, A_PGDN, A_PGUP, A_BACK, A_HELP, A_NONE};
	static const int text[] = {-1, A_SUBMIT, A_NEXT, A_BACK, A_TELEX, A_HELP, A_NONE};
	return s->done ? paper : text;
}

const struct screen_ops withdraw_screen = {
	.name = "withdraw", .title = N_("Withdraw"), .state_size = sizeof(struct steps),
	.open = withdraw_open, .draw = steps_draw, .key = steps_key, .done = steps_done,
	.footer_fn = steps_footer,
};

const struct screen_ops stop_screen = {
	.name = "stop", .title = N_("Stop"), .state_size = sizeof(struct steps),
	.open = stop_open, .draw = steps_draw, .key = steps_key, .done = steps_done,
	.footer_fn = steps_footer,
};

const struct screen_ops extend_screen = {
	.name = "extend", .title = N_("Extend"), .state_size = sizeof(struct steps),
	.open = extend_open, .draw = steps_draw, .key = steps_key, .done = steps_done,
	.footer_fn = steps_footer,
};
