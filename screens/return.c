/* return.c - the clerk hands the result over: who collected it and the applicant's
 * satisfaction rating (1-5, or not rated), then dossier_return.
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "screen.h"
#include "workflow.h"

struct ret {
	struct dossier *d;
	struct form fm;
};

/* the applicant's answer, or none: "not rated" comes first and is the default, so
 * that no rating is ever recorded that the applicant did not give */
static const char *const ratings[] = {N_("not rated"), N_("5 very satisfied"), N_("4 satisfied"), N_("3 neutral"),
	N_("2 dissatisfied"), N_("1 very dissatisfied")};

static int return_open(struct ui *ui, void *st, const char *arg)
{
	struct ret *s = st;
	s->d = calloc(1, sizeof *s->d);
	if (!s->d || ui_load_dossier(ui, arg, s->d, STEP_RETURN)) {
		free(s->d); /* a refused open never reaches done */
		return -1;
	}
	s->fm.label_cols = 16;
	struct field *f = form_add(&s->fm, FK_TEXT, N_("Collected by"));
	f->err_field = EF_COLLECTED_BY;
	f->in.maxchars = NAME_MAX_CHARS;
	input_set(&f->in, s->d->applicant_name);
	f = form_add(&s->fm, FK_CHOICE, N_("Rating"));
	f->choices = ratings;
	f->nchoices = 6;
	return 0;
}

static void return_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct ret *s = st;
	int cols = getmaxx(w);
	char line[512];
	ui_dossier_line(ui, s->d, cols - 2, line, sizeof line);
	ui_put(ui, w, 0, 1, cols - 2, UC_NORMAL, line);
	ui_put(ui, w, 1, 1, cols - 2, UC_HEADER, _("Return the result to the applicant"));
	form_draw(ui, &s->fm, w, 3, getmaxy(w) - 3);
}

static int return_key(struct ui *ui, void *st, const struct key *k)
{
	struct ret *s = st;
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	if (!submit && k->action != A_SUBMIT)
		return r;
	struct err e = {0};
	ui->c->expect_version = s->d->version;
	int rc = dossier_return(ui->c, s->d->code, s->fm.f[0].in.buf, s->fm.f[1].value ? 6 - s->fm.f[1].value : 0, s->d, &e);
	ui->c->expect_version = 0;
	if (rc) {
		ui_step_failed(ui, &e, s->d);
		form_focus_err(&s->fm, &e);
		return SCR_HANDLED;
	}
	ui_status(ui, _("%s returned"), s->d->code);
	ui_changed(ui);
	return SCR_HANDLED | SCR_CLOSE;
}

static void return_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct ret *)st)->d);
}

static const int *return_footer(struct ui *ui, void *st)
{
	(void)ui;
	return form_footer(&((struct ret *)st)->fm);
}

const struct screen_ops return_screen = {
	.name = "return", .title = N_("Return"), .state_size = sizeof(struct ret),
	.open = return_open, .draw = return_draw, .key = return_key, .done = return_done,
	.footer_fn = return_footer,
};
