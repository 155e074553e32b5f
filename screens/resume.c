/* resume.c - "supplement received" (key u): the clerk ticks the components the applicant
 * brought, then confirms, and the core records them with the supplement (dossier_resume).
 *
 * Why a form and not one key: a dossier waiting at intake is accepted only when every
 * required component has been received (the core refuses otherwise and names the
 * missing one), and form 01 lists the components visit by visit, so what was brought
 * must be recorded.  The list shows the components not received yet, the same checklist
 * rows as the receive screen (a * marks a required one); the first Confirm asks again
 * and says how many will be recorded, the second takes the step.
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "office.h"
#include "screen.h"
#include "workflow.h"

struct resume {
	struct dossier *d;
	struct procedure *p;
	struct form fm;
	int f_have, f_comp;
	int comp_of[MAX_COMPONENTS];   /* form row -> component index */
	int ncomp;
	char labels[MAX_COMPONENTS][440];
	char have[256];
	int confirm;                   /* 1: the next Confirm takes the step */
};

static uint32_t brought(const struct resume *s)
{
	uint32_t m = 0;
	for (int i = 0; i < s->ncomp; i++)
		if (s->fm.f[s->f_comp + i].value)
			m |= 1u << s->comp_of[i];
	return m;
}

static int resume_open(struct ui *ui, void *st, const char *arg)
{
	struct resume *s = st;
	s->d = calloc(1, sizeof *s->d);
	s->p = calloc(1, sizeof *s->p);
	if (!s->d || !s->p || ui_load_dossier(ui, arg, s->d, STEP_RESUME) ||
	    office_dossier_procedure(ui->c, s->d, s->p)) {
		free(s->d);
		free(s->p);
		s->d = NULL;
		s->p = NULL;
		return -1;
	}
	s->fm.label_cols = 18;
	int have = 0;
	for (int i = 0; i < s->p->ncomponents; i++)
		have += !!(s->d->components & (1u << i));
	snprintf(s->have, sizeof s->have, _("%d of %d components"), have, s->p->ncomponents);
	s->f_have = s->fm.n;
	struct field *f = form_add(&s->fm, FK_INFO, N_("Received before"));
	input_set(&f->in, s->have);
	s->f_comp = s->fm.n;
	for (int i = 0; i < s->p->ncomponents && s->fm.n < FORM_MAX - 1; i++) {
		if (s->d->components & (1u << i))
			continue;
		snprintf(s->labels[s->ncomp], sizeof s->labels[0], "%d. %s%s", i + 1, s->p->components[i].name,
			 s->p->components[i].required ? " *" : "");
		f = form_add(&s->fm, FK_CHECK, s->labels[s->ncomp]);
		f->raw_label = 1;
		s->comp_of[s->ncomp++] = i;
	}
	s->fm.cur = s->ncomp ? s->f_comp : s->f_have;
	return 0;
}

static void resume_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct resume *s = st;
	int cols = getmaxx(w), rows = getmaxy(w);
	char line[512];
	ui_put(ui, w, 0, 1, cols - 2, UC_HEADER, _("The supplement arrived: tick the components the applicant brought"));
	ui_dossier_line(ui, s->d, cols - 2, line, sizeof line);
	ui_put(ui, w, 1, 1, cols - 2, UC_NORMAL, line);
	if (s->confirm) {
		int n = 0;
		for (uint32_t m = brought(s); m; m &= m - 1)
			n++;
		ui_putf(ui, w, 2, 1, cols - 2, UC_HEADER, _("Record the supplement with %d component(s) brought? Confirm again to record it, Back to cancel."), n);
	} else if (!s->ncomp) {
		ui_put(ui, w, 2, 1, cols - 2, UC_DIM, _("Every component was received before; Confirm records the supplement."));
	} else {
		ui_put(ui, w, 2, 1, cols - 2, UC_DIM, _("* required: the dossier is accepted only when every one is in."));
	}
	form_draw(ui, &s->fm, w, 4, rows - 4);
}

static int resume_key(struct ui *ui, void *st, const struct key *k)
{
	struct resume *s = st;
	if (s->confirm && k->action == A_BACK) {
		s->confirm = 0;
		return SCR_HANDLED;
	}
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	if (s->fm.changed) {
		s->fm.changed = 0;
		s->confirm = 0;
	}
	if (!submit && k->action != A_SUBMIT)
		return r;
	if (!s->confirm) {
		s->confirm = 1;
		return SCR_HANDLED;
	}
	s->confirm = 0;
	struct err e = {0};
	ui->c->expect_version = s->d->version;
	int rc = dossier_resume(ui->c, s->d->code, brought(s), s->d, &e);
	ui->c->expect_version = 0;
	if (rc) {
		ui_step_failed(ui, &e, s->d);
		return SCR_HANDLED;
	}
	ui_changed(ui);
	char due[24] = "-";
	if (s->d->due_at)
		cal_format(s->d->due_at, 1, due, sizeof due);
	ui_status(ui, _("%s: %s; appointment %s"), s->d->code, ui_status_name(ui, s->d->status), due);
	return SCR_HANDLED | SCR_CLOSE;
}

static void resume_done(struct ui *ui, void *st)
{
	(void)ui;
	struct resume *s = st;
	free(s->d);
	free(s->p);
}

static const int *resume_footer(struct ui *ui, void *st)
{
	(void)ui;
	(void)st;
	static const int keys[] = {-1, A_SUBMIT, A_TOGGLE, A_NEXT, A_BACK, A_HELP, A_NONE};
	return keys;
}

const struct screen_ops resume_screen = {
	.name = "resume", .title = N_("Supplement received"), .state_size = sizeof(struct resume),
	.open = resume_open, .draw = resume_draw, .key = resume_key, .done = resume_done,
	.footer_fn = resume_footer,
};
