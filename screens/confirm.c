/* confirm.c - one question before a step that one key would otherwise take at once
 * and that cannot be undone: accepting a dossier filed online (its components are
 * shown first, so the clerk sees what was filed, and which required ones are missing)
 * and transferring one to its department (the department is named).
 *
 * Enter, F2 or ^O takes the step through the core (ui_step_now); Esc goes back and
 * changes nothing.  The screen's argument is "ACTION VERSION CODE": the step key and
 * the version of the dossier the list showed, so that a change made meanwhile is
 * refused as a conflict, as the one-key step did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "office.h"
#include "screen.h"
#include "workflow.h"

#define CONFIRM_LINES (MAX_COMPONENTS + 8)

struct confirm {
	int action, version;
	char code[CODE_LEN];
	char lines[CONFIRM_LINES][512];
	int roles[CONFIRM_LINES];
	int n;
};

static void add(struct confirm *s, int role, const char *text)
{
	if (s->n < CONFIRM_LINES) {
		snprintf(s->lines[s->n], sizeof s->lines[0], "%s", text);
		s->roles[s->n++] = role;
	}
}

static int confirm_open(struct ui *ui, void *st, const char *arg)
{
	struct confirm *s = st;
	if (!arg || sscanf(arg, "%d %d %47s", &s->action, &s->version, s->code) != 3)
		return -1;
	struct dossier *d = calloc(1, sizeof *d);
	struct procedure *p = calloc(1, sizeof *p);
	int rc = -1;
	/* a step the user may not take says why at once, without the question */
	if (!d || !p || ui_load_dossier(ui, s->code, d, s->action == A_ACCEPT ? STEP_ACCEPT : STEP_TRANSFER))
		goto out;
	char line[512];
	ui_dossier_line(ui, d, 78, line, sizeof line);
	add(s, UC_NORMAL, line);
	if (office_dossier_procedure(ui->c, d, p) == 0) {
		snprintf(line, sizeof line, "%s %s %s", _("Procedure:"), p->code, p->name);
		add(s, UC_NORMAL, line);
	}
	add(s, UC_NORMAL, "");
	if (s->action == A_ACCEPT) {
		add(s, UC_HEADER, _("Components filed (* required):"));
		int missing = 0;
		for (int i = 0; i < p->ncomponents; i++) {
			int got = !!(d->components & (1u << i));
			missing += !got && p->components[i].required;
			snprintf(line, sizeof line, "%s %s%d. %s", got ? ui->g.check_on : ui->g.check_off,
				 p->components[i].required ? "* " : "  ", i + 1, p->components[i].name);
			add(s, !got && p->components[i].required ? UC_OVERDUE : UC_NORMAL, line);
		}
		if (missing) {
			snprintf(line, sizeof line, _("%d required components are missing."), missing);
			add(s, UC_OVERDUE, line);
		}
		add(s, UC_NORMAL, "");
		add(s, UC_HEADER, _("Accept this dossier? The appointment starts counting now."));
	} else {
		struct department dp = {0};
		if (p->dept_id && office_department(ui->c, p->dept_id, &dp) == 0 && dp.office_id == d->office_id)
			snprintf(line, sizeof line, _("Transfer this dossier to %s?"), dp.name);
		else
			snprintf(line, sizeof line, "%s", _("Transfer this dossier to the competent department?"));
		add(s, UC_HEADER, line);
	}
	add(s, UC_DIM, _("Enter or F2 confirms; Esc goes back and changes nothing."));
	rc = 0;
out:
	free(d);
	free(p);
	return rc;
}

static void confirm_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct confirm *s = st;
	int cols = getmaxx(w), rows = getmaxy(w);
	for (int i = 0; i < s->n && i < rows; i++)
		ui_put(ui, w, i, 1, cols - 2, s->roles[i], s->lines[i]);
}

static int confirm_key(struct ui *ui, void *st, const struct key *k)
{
	struct confirm *s = st;
	if (k->action == A_ENTER || k->action == A_SUBMIT) {
		ui_step_now(ui, s->action, s->code, s->version);
		return SCR_HANDLED | SCR_CLOSE;
	}
	/* nothing else acts here: a stray letter must not start another step */
	if (k->action == A_BACK || k->action == A_QUIT || k->action == A_HELP || k->action == A_REDRAW)
		return 0;
	return SCR_HANDLED;
}

const struct screen_ops confirm_screen = {
	.name = "confirm", .title = N_("Confirm"), .state_size = sizeof(struct confirm),
	.open = confirm_open, .draw = confirm_draw, .key = confirm_key,
	.footer = (const int[]){A_ENTER, A_SUBMIT, A_BACK, A_HELP, A_NONE},
};
