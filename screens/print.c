/* print.c - paper from the UI: a form of a dossier or a report goes to the printer the
 * office configured (setting 'printer', else $PRINTER) through the same core path as
 * `motcua form 01 CODE --print` (forms_build, forms_output: lpr -P PRINTER), so a
 * clerk under a ForceCommand login never needs the command line to print.
 *
 * The print menu (i on a dossier's detail) lists the forms 01-06 that apply to the
 * dossier now: those forms_build can make (an apology only after an extension, a
 * notice only after a stop or a withdrawal ...); Enter prints the selected one.
 */
#include <stdlib.h>
#include <string.h>
#include "forms.h"
#include "screen.h"

static const struct { const char *no, *title; } form_titles[] = {
	{"01", N_("Receipt and appointment slip")},
	{"02", N_("Request to complete the dossier")},
	{"03", N_("Refusal to receive the dossier")},
	{"04", N_("Apology and new appointment")},
	{"05", N_("Notice of stopping or withdrawal")},
	{"06", N_("Process-control sheet")},
};
#define NFORMS (int)(sizeof form_titles / sizeof form_titles[0])

static void printed(struct ui *ui, const char *what)
{
	char printer[256];
	if (forms_printer(ui->c, printer, sizeof printer))
		printer[0] = 0;
	ui_status(ui, _("%s was sent to the printer %s"), what, printer);
}

int ui_print_text(struct ui *ui, const char *text, const char *what)
{
	struct err e = {0};
	if (forms_output(ui->c, text, NULL, NULL, 1, &e)) {
		ui_error(ui, &e);
		return -1;
	}
	printed(ui, what);
	return 0;
}

int ui_print_form(struct ui *ui, const char *form, const char *code)
{
	struct strbuf t = {0};
	struct err e = {0};
	int rc = -1;
	if (forms_build(ui->c, form, code, 0, 0, &t, &e) || t.oom || !t.buf) {
		if (e.code)
			ui_error(ui, &e);
		else
			ui_status(ui, "%s", _("Out of memory"));
	} else {
		char what[128];
		snprintf(what, sizeof what, _("Form %s of %s"), form, code);
		rc = ui_print_text(ui, t.buf, what);
	}
	strbuf_release(&t);
	return rc;
}

/* ---- the menu of a dossier's forms ---- */

struct printmenu {
	char code[CODE_LEN];
	int forms[NFORMS];   /* indexes into form_titles that apply */
	struct list l;
};

static int pm_open(struct ui *ui, void *st, const char *arg)
{
	struct printmenu *s = st;
	if (!arg)
		return -1;
	snprintf(s->code, sizeof s->code, "%s", arg);
	for (int i = 0; i < NFORMS; i++) {
		struct strbuf t = {0};
		struct err e = {0};
		if (forms_build(ui->c, form_titles[i].no, s->code, 0, 0, &t, &e) == 0 && !t.oom)
			s->forms[s->l.n++] = i;
		strbuf_release(&t);
	}
	if (!s->l.n) {
		ui_status(ui, _("No form applies to %s yet"), s->code);
		return -1;
	}
	return 0;
}

static void pm_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct printmenu *s = st;
	int cols = getmaxx(w);
	char printer[256], line[512];
	ui_putf(ui, w, 0, 1, cols - 2, UC_HEADER, _("Print a form of %s"), s->code);
	if (forms_printer(ui->c, printer, sizeof printer))
		ui_put(ui, w, 1, 1, cols - 2, UC_OVERDUE, _("No printer is configured: an administrator sets it under Settings (m)"));
	else
		ui_putf(ui, w, 1, 1, cols - 2, UC_DIM, _("Printer: %s"), printer);
	for (int i = 0; i < s->l.n; i++) {
		snprintf(line, sizeof line, "%s  %s", form_titles[s->forms[i]].no, _(form_titles[s->forms[i]].title));
		ui_row(ui, w, 3 + i, i == s->l.sel, UC_NORMAL, line);
	}
}

static int pm_key(struct ui *ui, void *st, const struct key *k)
{
	struct printmenu *s = st;
	if (list_key(&s->l, k->action, s->l.n))
		return SCR_HANDLED;
	if (k->action == A_ENTER || k->action == A_PRINT || k->action == A_SUBMIT) {
		if (ui_print_form(ui, form_titles[s->forms[s->l.sel]].no, s->code) == 0)
			return SCR_HANDLED | SCR_CLOSE;
		return SCR_HANDLED;
	}
	/* a letter here is no step on the dossier */
	if (!k->is_key && k->ch >= 0x20 && k->action != A_QUIT && k->action != A_HELP)
		return SCR_HANDLED;
	return 0;
}

const struct screen_ops print_screen = {
	.name = "print", .title = N_("Print"), .state_size = sizeof(struct printmenu),
	.open = pm_open, .draw = pm_draw, .key = pm_key,
	.footer = (const int[]){A_ENTER, A_DOWN, A_BACK, A_HELP, A_NONE},
};
