/* apology.c - the late part's apology in liên thông (form 04, key j on a dossier).
 *
 * Why: the agency whose part of a liên thông dossier is late apologises and proposes a
 * new appointment, signed by its head; at the lead, the desk records the appointment
 * the letter proposes (lienthong.h).  One key does what applies to the acting user,
 * as lt_apology_mode says:
 *   - a leader of the late part's agency, where the part is worked in this store (its
 *     chain, or the dossier it holds): a form with the new appointment and the reason,
 *     then lt_apologise;
 *   - a clerk, head or leader of the office holding the dossier when an apology came
 *     on a part's chain: the letter shown, Confirm records it (lt_reschedule).
 * The core checks everything again when the step is taken and is the one that decides.
 * Form 04 is printed afterwards from the dossier's print menu (key i).
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "lienthong.h"
#include "screen.h"
#include "text.h"

struct apology {
	int mode, n;
	struct dossier *d;
	struct form fm;
	int f_until, f_becomes, f_reason;
	int64_t until;
};

static void when_text(int64_t t, char *buf, size_t n)
{
	if (t)
		cal_format(t, 1, buf, (int)n);
	else
		snprintf(buf, n, "%s", "-");
}

/* what the typed appointment becomes, or why it will be refused */
static void update_until(struct ui *ui, struct apology *s)
{
	if (s->mode == LT_AP_SIGN) /* any working day: the late part's new appointment */
		ui_typed_appointment(ui, s->fm.f[s->f_until].in.buf, -1, when_text, &s->fm.f[s->f_becomes].in, &s->until);
}

static void info(struct apology *s, const char *label, const char *text)
{
	struct field *f = form_add(&s->fm, FK_INFO, label);
	char safe[1024];
	text_sanitize(text, safe, sizeof safe);
	input_set(&f->in, safe);
}

static int apology_open(struct ui *ui, void *st, const char *arg)
{
	struct apology *s = st;
	s->d = calloc(1, sizeof *s->d);
	if (!s->d || ui_load_dossier(ui, arg, s->d, -1)) {
		free(s->d);
		s->d = NULL;
		return -1;
	}
	s->mode = lt_apology_mode(ui->c, arg, &s->n);
	if (s->mode == LT_AP_NONE) {
		ui_status(ui, _("%s: no apology to sign or record here: a leader of the agency whose liên thông part is late signs it at its own store, and the lead's desk records it"),
			  arg);
		ui->status_err = 1;
		free(s->d);
		s->d = NULL;
		return -1;
	}
	s->fm.label_cols = 20;
	s->f_until = s->f_becomes = s->f_reason = -1;
	char buf[256], when[24];
	snprintf(buf, sizeof buf, "%d", s->n);
	info(s, N_("Part"), buf);
	if (s->mode == LT_AP_SIGN) {
		struct field *f;
		s->f_until = s->fm.n;
		f = form_add(&s->fm, FK_TEXT, N_("New appointment"));
		f->err_field = EF_DATE;
		f->in.maxchars = 20;
		s->f_becomes = s->fm.n;
		form_add(&s->fm, FK_INFO, N_("Becomes"));
		s->f_reason = s->fm.n;
		f = form_add(&s->fm, FK_TEXT, N_("Reason"));
		f->err_field = EF_REASON;
		f->in.maxchars = NOTE_MAX_CHARS;
		s->fm.cur = s->f_until;
		update_until(ui, s);
		return 0;
	}
	/* at the lead: the letter as it came, Confirm records its appointment */
	struct lt_apology a;
	if (!lt_apology_of(ui->c, arg, &a))
		memset(&a, 0, sizeof a);
	info(s, N_("Late agency"), a.agency);
	snprintf(buf, sizeof buf, "%s (%s)", a.signer_name[0] ? a.signer_name : a.signer, a.signer);
	info(s, N_("Signed by"), buf);
	when_text(a.at, when, sizeof when);
	info(s, N_("Letter of"), when);
	info(s, N_("Reason"), a.reason);
	when_text(s->d->due_at, when, sizeof when);
	info(s, N_("Appointment now"), when);
	when_text(a.due_at, when, sizeof when);
	info(s, N_("New appointment"), when);
	s->fm.cur = s->fm.n - 1;
	return 0;
}

static void apology_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct apology *s = st;
	int cols = getmaxx(w), rows = getmaxy(w);
	char line[512];
	ui_put(ui, w, 0, 1, cols - 2, UC_HEADER,
	       s->mode == LT_AP_SIGN ? _("Apologise for the late part: the reason and a new appointment (form 04, signed by you)")
				     : _("Record the new appointment the late agency's apology proposes (form 04)"));
	ui_dossier_line(ui, s->d, cols - 2, line, sizeof line);
	ui_put(ui, w, 1, 1, cols - 2, UC_NORMAL, line);
	form_draw(ui, &s->fm, w, 3, rows - 3);
}

static int take_step(struct ui *ui, struct apology *s)
{
	struct err e = {0};
	char when[24];
	if (s->mode == LT_AP_SIGN && !s->until) {
		ui_status(ui, "%s %s", _("New appointment:"), s->fm.f[s->f_becomes].in.buf);
		ui->status_err = 1;
		s->fm.cur = s->f_until;
		return SCR_HANDLED;
	}
	int rc = s->mode == LT_AP_SIGN
		 ? lt_apologise(ui->c, s->d->code, s->n, s->until, s->fm.f[s->f_reason].in.buf, s->d, &e)
		 : lt_reschedule(ui->c, s->d->code, s->n, s->d, &e);
	if (rc) {
		ui_step_failed(ui, &e, s->d);
		form_focus_err(&s->fm, &e);
		return SCR_HANDLED;
	}
	ui_changed(ui);
	if (s->mode == LT_AP_SIGN) {
		when_text(s->until, when, sizeof when);
		ui_status(ui, _("Apology for part %d signed, proposing the new appointment %s"), s->n, when);
	} else {
		when_text(s->d->due_at, when, sizeof when);
		ui_status(ui, _("%s: new appointment %s; hand over the apology letter (form 04)"), s->d->code, when);
	}
	return SCR_HANDLED | SCR_CLOSE;
}

static int apology_key(struct ui *ui, void *st, const struct key *k)
{
	struct apology *s = st;
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	update_until(ui, s);
	if (!submit && k->action != A_SUBMIT)
		return r;
	return take_step(ui, s);
}

static void apology_done(struct ui *ui, void *st)
{
	(void)ui;
	struct apology *s = st;
	free(s->d);
}

static const int *apology_footer(struct ui *ui, void *st)
{
	(void)ui;
	struct apology *s = st;
	static const int text[] = {-1, A_SUBMIT, A_NEXT, A_BACK, A_TELEX, A_HELP, A_NONE};
	static const int confirm[] = {A_SUBMIT, A_BACK, A_HELP, A_NONE};
	return s->mode == LT_AP_SIGN ? text : confirm;
}

const struct screen_ops apology_screen = {
	.name = "apology", .title = N_("Apology"), .state_size = sizeof(struct apology),
	.open = apology_open, .draw = apology_draw, .key = apology_key, .done = apology_done,
	.footer_fn = apology_footer,
};
