/* process.c - the specialist's step: propose approve or refuse with a note (the
 * proposal goes to the signer), or request a supplement (the clock stops).
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "lienthong.h"
#include "screen.h"
#include "workflow.h"

struct process {
	struct dossier *d;
	struct form fm;
	char parts[256];   /* liên thông: how many parts are back (lienthong.h); "" without parts */
	int parts_out;
};

static const char *const decisions[] = {N_("propose approval"), N_("propose refusal"), N_("request a supplement")};

static int process_open(struct ui *ui, void *st, const char *arg)
{
	struct process *s = st;
	s->d = calloc(1, sizeof *s->d);
	if (!s->d || ui_load_dossier(ui, arg, s->d, STEP_PROPOSE)) {
		free(s->d); /* a refused open never reaches done */
		return -1;
	}
	struct lt_parts *ps = malloc(sizeof *ps);
	struct err e = {0};
	if (ps && !lt_parts_of(ui->c, s->d->code, ps, &e) && ps->flow[0]) {
		int back = 0;
		for (int i = 0; i < ps->n; i++)
			back += ps->p[i].state == LT_BACK;
		s->parts_out = back < ps->n;
		snprintf(s->parts, sizeof s->parts, _("Liên thông: %d of %d parts handed back; the lead concludes when all are back"),
			 back, ps->n);
	}
	free(ps);
	s->fm.label_cols = 14;
	struct field *f = form_add(&s->fm, FK_CHOICE, N_("Decision"));
	f->choices = decisions;
	f->nchoices = 3;
	f = form_add(&s->fm, FK_TEXT, N_("Note"));
	f->err_field = EF_REASON;
	f->in.maxchars = NOTE_MAX_CHARS;
	return 0;
}

static void process_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct process *s = st;
	int cols = getmaxx(w);
	char line[512];
	ui_dossier_line(ui, s->d, cols - 2, line, sizeof line);
	ui_put(ui, w, 0, 1, cols - 2, UC_NORMAL, line);
	ui_putf(ui, w, 1, 1, cols - 2, UC_DIM, "%s %s", _("Address:"), s->d->applicant_address);
	if (s->parts[0])
		ui_put(ui, w, 2, 1, cols - 2, s->parts_out ? UC_OVERDUE : UC_DIM, s->parts);
	form_draw(ui, &s->fm, w, 3, getmaxy(w) - 3);
}

static int process_key(struct ui *ui, void *st, const struct key *k)
{
	struct process *s = st;
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	if (!submit && k->action != A_SUBMIT)
		return r;
	struct err e = {0};
	int dec = s->fm.f[0].value;
	const char *note = s->fm.f[1].in.buf;
	ui->c->expect_version = s->d->version;
	int rc = dec == 2 ? dossier_supplement(ui->c, s->d->code, note, s->d, &e)
			  : dossier_propose(ui->c, s->d->code, dec == 0 ? DEC_APPROVE : DEC_REFUSE, note, s->d, &e);
	ui->c->expect_version = 0;
	if (rc) {
		ui_step_failed(ui, &e, s->d);
		form_focus_err(&s->fm, &e);
		return SCR_HANDLED;
	}
	ui_status(ui, dec == 2 ? _("%s: supplement requested, the clock is stopped") : _("%s sent to the signer"), s->d->code);
	ui_changed(ui);
	return SCR_HANDLED | SCR_CLOSE;
}

static void process_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct process *)st)->d);
}

static const int *process_footer(struct ui *ui, void *st)
{
	(void)ui;
	return form_footer(&((struct process *)st)->fm);
}

const struct screen_ops process_screen = {
	.name = "process", .title = N_("Process"), .state_size = sizeof(struct process),
	.open = process_open, .draw = process_draw, .key = process_key, .done = process_done,
	.footer_fn = process_footer,
};
