/* files.c - a dossier's attached files (b on its detail): the list (name, type, size,
 * who, when); Enter checks the selected file's SHA-256, l exports it to the export
 * folder (setting export.dir), i prints it; b opens the scanner's drop folder (setting
 * scan.dir), newest scan first, where Right chooses the component and Enter
 * attaches the selected scan, so a clerk with a scanner on the desk never types a path.
 * Everything goes through src/attach.h (the core): type by content, limits, one event.
 */
#include <stdlib.h>
#include <string.h>
#include "attach.h"
#include "dossier.h"
#include "screen.h"

#define MAXFILES 200
#define MAXSCANS 200

extern const struct screen_ops files_screen, scans_screen;

/* ---- the dossier's files ---- */

struct files { char code[CODE_LEN]; struct attach_info *a; struct list l; };

static int collect(const struct attach_info *a, void *ctx)
{
	struct files *s = ctx;
	if (s->l.n < MAXFILES)
		s->a[s->l.n++] = *a;
	return 0;
}

static void files_load(struct ui *ui, struct files *s)
{
	struct err e = {0};
	s->l.n = 0;
	if (attach_list(ui->c, s->code, collect, s, &e))
		ui_error(ui, &e);
	list_clamp(&s->l);
}

static int files_open(struct ui *ui, void *st, const char *arg)
{
	struct files *s = st;
	if (!arg)
		return -1;
	snprintf(s->code, sizeof s->code, "%s", arg);
	if (!(s->a = calloc(MAXFILES, sizeof *s->a)))
		return -1;
	files_load(ui, s);
	return 0;
}

static void files_reload(struct ui *ui, void *st) { files_load(ui, st); }

static void human_size(int64_t n, char *buf, size_t bn)
{
	if (n >= 1024 * 1024)
		snprintf(buf, bn, "%.1f MB", (double)n / 1048576.0);
	else
		snprintf(buf, bn, "%lld KB", (long long)((n + 1023) / 1024));
}

static void files_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct files *s = st;
	int h = getmaxy(w), cols = getmaxx(w);
	ui_putf(ui, w, 0, 1, cols - 2, UC_HEADER, _("Attached files of %s"), s->code);
	if (!s->l.n) {
		ui_put(ui, w, 2, 1, cols - 2, UC_DIM, _("No file is attached yet: press b to attach a scan from the scanner's folder"));
		return;
	}
	char c1[96], c2[96], c3[96], c4[96], c5[96], head[512];
	ui_fit(ui, _("File name"), 22, c1, sizeof c1);
	ui_fit(ui, _("Type"), 15, c2, sizeof c2);
	ui_fit(ui, _("Size"), 8, c3, sizeof c3);
	ui_fit(ui, _("By"), 10, c4, sizeof c4);
	ui_fit(ui, _("Time"), 16, c5, sizeof c5);
	snprintf(head, sizeof head, "%s %s %s %s %s %s", "C ", c1, c2, c3, c4, c5);
	ui_put(ui, w, 1, 1, cols - 2, UC_DIM, head);
	int rows = h - 2;
	list_fix(&s->l, rows);
	for (int i = 0; i < rows && s->l.top + i < s->l.n; i++) {
		const struct attach_info *a = &s->a[s->l.top + i];
		char name[200], type[96], size[32], sz[64], who[64], when[24], line[700];
		ui_fit(ui, a->name, 22, name, sizeof name);
		ui_fit(ui, a->type, 15, type, sizeof type);
		human_size(a->size, size, sizeof size);
		ui_fit(ui, size, 8, sz, sizeof sz);
		ui_fit(ui, a->actor, 10, who, sizeof who);
		cal_format(a->at, 1, when, sizeof when);
		snprintf(line, sizeof line, "%-2d %s %s %s %s %s", a->component, name, type, sz, who, when);
		ui_row(ui, w, 2 + i, s->l.top + i == s->l.sel, UC_NORMAL, line);
	}
}

static int files_key(struct ui *ui, void *st, const struct key *k)
{
	struct files *s = st;
	if (list_key(&s->l, k->action, ui->rows - 5))
		return SCR_HANDLED;
	const struct attach_info *a = s->l.n ? &s->a[s->l.sel] : NULL;
	struct err e = {0};
	switch (k->action) {
	case A_FILES:
		ui_push(ui, &scans_screen, s->code);
		return SCR_HANDLED;
	case A_ENTER:
		if (!a)
			return SCR_HANDLED;
		if (attach_check(ui->c, a, &e))
			ui_error(ui, &e);
		else
			ui_status(ui, _("%s is intact: its SHA-256 matches (%.16s...)"), a->name, a->sha256);
		return SCR_HANDLED;
	case A_EXPORT: {
		if (!a)
			return SCR_HANDLED;
		char dir[1024], name[1024], path[2100];
		attach_export_dir(ui->c, dir, sizeof dir);
		attach_export_name(a, name, sizeof name);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (attach_export(ui->c, a, path, &e))
			ui_error(ui, &e);
		else
			ui_status(ui, _("%s was saved as %s"), a->name, path);
		return SCR_HANDLED;
	}
	case A_PRINT:
		if (!a)
			return SCR_HANDLED;
		if (attach_print(ui->c, a, &e))
			ui_error(ui, &e);
		else
			ui_status(ui, _("%s was sent to the printer"), a->name);
		return SCR_HANDLED;
	}
	/* a letter here is no step on the dossier */
	if (!k->is_key && k->ch >= 0x20 && k->action != A_QUIT && k->action != A_HELP)
		return SCR_HANDLED;
	return 0;
}

static void files_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct files *)st)->a);
}

const struct screen_ops files_screen = {
	.name = "files", .title = N_("Files"), .state_size = sizeof(struct files),
	.open = files_open, .draw = files_draw, .key = files_key, .done = files_done, .reload = files_reload,
	.footer = (const int[]){A_FILES, A_ENTER, A_EXPORT, A_PRINT, A_BACK, A_HELP, A_NONE},
};

/* ---- the scanner's drop folder ---- */

struct scans {
	char code[CODE_LEN];
	char dir[1024];
	struct attach_scan *sc;
	struct list l;
	int component, ncomp;
	char comp_name[400];
};

static void scans_component(struct ui *ui, struct scans *s)
{
	s->ncomp = attach_component_name(ui->c, s->code, s->component, s->comp_name, sizeof s->comp_name);
}

static int scans_open(struct ui *ui, void *st, const char *arg)
{
	struct scans *s = st;
	struct err e = {0};
	if (!arg)
		return -1;
	snprintf(s->code, sizeof s->code, "%s", arg);
	if (!(s->sc = calloc(MAXSCANS, sizeof *s->sc)))
		return -1;
	int n = attach_scans(ui->c, s->sc, MAXSCANS, s->dir, sizeof s->dir, &e);
	if (n < 0) {
		ui_error(ui, &e);
		free(s->sc);
		return -1;
	}
	s->l.n = n;
	s->component = 1;
	scans_component(ui, s);
	return 0;
}

static void scans_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct scans *s = st;
	int h = getmaxy(w), cols = getmaxx(w);
	ui_putf(ui, w, 0, 1, cols - 2, UC_HEADER, _("Attach a scan to %s from %s"), s->code, s->dir);
	if (s->component)
		ui_putf(ui, w, 1, 1, cols - 2, UC_LABEL, _("Component %d: %s (Right: another component)"), s->component, s->comp_name);
	else
		ui_put(ui, w, 1, 1, cols - 2, UC_LABEL, _("Component 0: other papers (Right: another component)"));
	if (!s->l.n) {
		ui_put(ui, w, 3, 1, cols - 2, UC_DIM, _("The scanner's folder is empty"));
		return;
	}
	int rows = h - 3;
	list_fix(&s->l, rows);
	for (int i = 0; i < rows && s->l.top + i < s->l.n; i++) {
		const struct attach_scan *a = &s->sc[s->l.top + i];
		char name[200], size[32], when[24], line[400];
		ui_fit(ui, a->name, 40, name, sizeof name);
		human_size(a->size, size, sizeof size);
		cal_format(a->mtime, 1, when, sizeof when);
		snprintf(line, sizeof line, "%s  %s  %s", when, name, size);
		ui_row(ui, w, 3 + i, s->l.top + i == s->l.sel, UC_NORMAL, line);
	}
}

static int scans_key(struct ui *ui, void *st, const struct key *k)
{
	struct scans *s = st;
	if (list_key(&s->l, k->action, ui->rows - 6))
		return SCR_HANDLED;
	if (k->action == A_TOGGLE) {
		s->component = (s->component + 1) % (s->ncomp + 1);
		scans_component(ui, s);
		return SCR_HANDLED;
	}
	if ((k->action == A_ENTER || k->action == A_SUBMIT) && s->l.n) {
		struct err e = {0};
		struct attach_info a;
		const struct attach_scan *sc = &s->sc[s->l.sel];
		if (attach_file(ui->c, s->code, s->component, sc->path, &a, &e)) {
			ui_error(ui, &e);
			return SCR_HANDLED;
		}
		ui_status(ui, _("%s attached to component %d (%s)"), a.name, a.component, a.type);
		ui_changed(ui);
		return SCR_HANDLED | SCR_CLOSE;
	}
	if (!k->is_key && k->ch >= 0x20 && k->action != A_QUIT && k->action != A_HELP)
		return SCR_HANDLED;
	return 0;
}

static void scans_done(struct ui *ui, void *st)
{
	(void)ui;
	free(((struct scans *)st)->sc);
}

const struct screen_ops scans_screen = {
	.name = "scans", .title = N_("Scanner folder"), .state_size = sizeof(struct scans),
	.open = scans_open, .draw = scans_draw, .key = scans_key, .done = scans_done,
	.footer = (const int[]){A_ENTER, A_TOGGLE, A_DOWN, A_BACK, A_HELP, A_NONE},
};
