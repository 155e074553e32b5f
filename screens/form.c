/* form.c - the form widget: labelled text fields, choices and checkboxes, one per row,
 * scrolled so the focused one is visible.  Used by receive, process, sign, return and
 * intake.  Tab/Down/Enter go to the next field (Enter on the last one confirms),
 * Up/S-Tab back; a choice changes with Right/Left/Space/^X, a checkbox with Space/^X.
 */
#include <string.h>
#include "screen.h"
#include "text.h"

struct field *form_add(struct form *fm, int kind, const char *label)
{
	if (fm->n >= FORM_MAX)
		return &fm->f[FORM_MAX - 1];
	struct field *f = &fm->f[fm->n++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->label = label;
	return f;
}

static int usable(const struct field *f) { return !f->hidden && f->kind != FK_INFO; }

int form_focus_err(struct form *fm, const struct err *e)
{
	if (!e || e->field == EF_NONE)
		return 0;
	for (int i = 0; i < fm->n; i++)
		if (fm->f[i].err_field == e->field && usable(&fm->f[i])) {
			fm->cur = i;
			if (fm->top > i)
				fm->top = i;
			return 1;
		}
	return 0;
}

int form_has_text_focus(const struct form *fm)
{
	return fm->n && fm->f[fm->cur].kind == FK_TEXT;
}

const int *form_footer(const struct form *fm)
{
	static const int text[] = {-1, A_SUBMIT, A_NEXT, A_BACK, A_TELEX, A_HELP, A_NONE};
	static const int choice[] = {-1, A_TOGGLE, A_SUBMIT, A_NEXT, A_BACK, A_HELP, A_NONE};
	return form_has_text_focus(fm) ? text : choice;
}

static int step(struct form *fm, int dir)
{
	for (int i = fm->cur + dir; i >= 0 && i < fm->n; i += dir)
		if (usable(&fm->f[i])) {
			fm->cur = i;
			return 1;
		}
	return 0;
}

int form_key(struct ui *ui, struct form *fm, const struct key *k, int *submit)
{
	*submit = 0;
	if (!fm->n)
		return 0;
	if (!usable(&fm->f[fm->cur]))
		step(fm, 1);
	struct field *f = &fm->f[fm->cur];
	if (f->kind == FK_TEXT && k->action != A_NEXT && k->action != A_ENTER && k->action != A_UP &&
	    k->action != A_DOWN && k->action != A_PREV) {
		int r = input_key(ui, &f->in, k);
		if (f->in.changed) {
			f->in.changed = 0;
			fm->changed = 1;
		}
		if (r)
			return r;
	}
	int choice_back = f->kind == FK_CHOICE && k->is_key && k->ch == KEY_LEFT;
	int toggle = k->action == A_TOGGLE || (!k->is_key && k->ch == ' ' && f->kind != FK_TEXT);
	if (f->kind == FK_CHOICE && (toggle || choice_back) && f->nchoices > 0) {
		f->value = (f->value + (choice_back ? f->nchoices - 1 : 1)) % f->nchoices;
		fm->changed = 1;
		return SCR_HANDLED;
	}
	if (f->kind == FK_CHECK && toggle) {
		f->value = !f->value;
		fm->changed = 1;
		return SCR_HANDLED;
	}
	switch (k->action) {
	case A_NEXT: case A_DOWN:
		step(fm, 1);
		return SCR_HANDLED;
	case A_ENTER:
		if (!step(fm, 1))
			*submit = 1;
		return SCR_HANDLED;
	case A_PREV: case A_UP:
		step(fm, -1);
		return SCR_HANDLED;
	}
	/* a letter on a choice or checkbox is not a command: q must not quit a form */
	if (!k->is_key && k->ch >= 0x20 && k->ch != 0x7F)
		return SCR_HANDLED;
	return 0;
}

void form_draw(struct ui *ui, struct form *fm, WINDOW *w, int y0, int h)
{
	int cols = getmaxx(w);
	/* visible rows */
	int idx[FORM_MAX], nv = 0, curv = 0;
	for (int i = 0; i < fm->n; i++)
		if (!fm->f[i].hidden) {
			if (i == fm->cur)
				curv = nv;
			idx[nv++] = i;
		}
	if (curv < fm->top)
		fm->top = curv;
	if (curv >= fm->top + h)
		fm->top = curv - h + 1;
	if (fm->top > nv - 1)
		fm->top = nv > 0 ? nv - 1 : 0;
	int lc = fm->label_cols ? fm->label_cols : 16;
	/* the label column grows to the widest label in this language (up to a third of
	 * the width), so that a translation is not cut: "Mật khẩu khoá ký" */
	for (int i = 0; i < fm->n; i++) {
		const struct field *f = &fm->f[i];
		if (f->hidden || f->kind == FK_CHECK)
			continue;
		int lw = text_width(f->raw_label ? f->label : _(f->label)) + 2;
		if (lw > lc)
			lc = lw < cols / 3 ? lw : cols / 3;
	}
	for (int r = 0; r < h && fm->top + r < nv; r++) {
		struct field *f = &fm->f[idx[fm->top + r]];
		int focus = idx[fm->top + r] == fm->cur;
		int y = y0 + r;
		const char *label = f->raw_label ? f->label : _(f->label);
		switch (f->kind) {
		case FK_TEXT:
			ui_put(ui, w, y, 1, lc - 1, focus ? UC_HEADER : UC_LABEL, label);
			input_draw(ui, &f->in, w, y, lc + 1, cols - lc - 2, focus);
			break;
		case FK_INFO:
			ui_put(ui, w, y, 1, lc - 1, UC_LABEL, label);
			ui_put(ui, w, y, lc + 1, cols - lc - 2, UC_HEADER, f->in.buf);
			break;
		case FK_CHOICE: {
			ui_put(ui, w, y, 1, lc - 1, focus ? UC_HEADER : UC_LABEL, label);
			char v[256];
			snprintf(v, sizeof v, "< %s >", f->nchoices ? _(f->choices[f->value]) : "");
			ui_put(ui, w, y, lc + 1, cols - lc - 2, focus ? UC_FOCUS : UC_FIELD, v);
			break;
		}
		case FK_CHECK: {
			const char *box = f->value ? ui->g.check_on : ui->g.check_off;
			ui_put(ui, w, y, lc + 1, 4, focus ? UC_FOCUS : UC_NORMAL, box);
			ui_put(ui, w, y, lc + 5, cols - lc - 6, UC_NORMAL, label);
			break;
		}
		}
	}
}
