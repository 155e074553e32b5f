/* settings.c - what a user sets up without the command line (m): a leader creates or
 * changes their signing key (the passphrase typed twice, never shown, wiped from
 * memory after use; sign_key_create of src/sign.h), an administrator sets the
 * office's printer and the central server's address (core_setting_put).
 *
 * One form; the fields shown depend on the roles.  F2/^O saves what was filled in:
 * the key when both passphrase fields are, the settings when they changed.
 */
#include <stdlib.h>
#include <string.h>
#include "forms.h"
#include "screen.h"
#include "sign.h"

struct settings {
	struct form fm;
	int f_key, f_pass1, f_pass2, f_printer, f_url;
	char key_info[256];
	char printer0[256], url0[1024];
};

static void key_line(struct ui *ui, struct settings *s)
{
	if (sign_key_exists(ui->c, ui->c->actor.account))
		snprintf(s->key_info, sizeof s->key_info, "%s", _("made: type a new passphrase twice to replace it"));
	else
		snprintf(s->key_info, sizeof s->key_info, "%s", _("none yet: type a passphrase twice to make it"));
	input_set(&s->fm.f[s->f_key].in, s->key_info);
}

static int set_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct settings *s = st;
	unsigned roles = ui->c->actor.roles;
	int leader = roles & ROLE_LEADER, admin = roles & ROLE_ADMIN;
	if (!leader && !admin) {
		ui_status(ui, "%s", _("Settings are for leaders (their signing key) and administrators"));
		return -1;
	}
	s->fm.label_cols = 24;
	s->f_key = s->f_pass1 = s->f_pass2 = s->f_printer = s->f_url = -1;
	struct field *f;
	if (leader) {
		s->f_key = s->fm.n;
		form_add(&s->fm, FK_INFO, N_("Signing key"));
		s->f_pass1 = s->fm.n;
		f = form_add(&s->fm, FK_TEXT, N_("New passphrase"));
		f->in.secret = 1;
		f->in.maxchars = SIGN_PASS_MAX;
		s->f_pass2 = s->fm.n;
		f = form_add(&s->fm, FK_TEXT, N_("Passphrase again"));
		f->in.secret = 1;
		f->in.maxchars = SIGN_PASS_MAX;
		key_line(ui, s);
	}
	if (admin) {
		if (forms_printer(ui->c, s->printer0, sizeof s->printer0))
			s->printer0[0] = 0;
		s->f_printer = s->fm.n;
		f = form_add(&s->fm, FK_TEXT, N_("Printer (CUPS queue)"));
		f->in.maxchars = 100;
		input_set(&f->in, s->printer0);
		if (core_setting_get(ui->c, "central.url", s->url0, sizeof s->url0))
			s->url0[0] = 0;
		s->f_url = s->fm.n;
		f = form_add(&s->fm, FK_TEXT, N_("Central server"));
		f->in.maxchars = 1000;
		input_set(&f->in, s->url0);
	}
	s->fm.cur = leader ? s->f_pass1 : s->f_printer;
	return 0;
}

static void set_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct settings *s = st;
	int cols = getmaxx(w);
	ui_put(ui, w, 0, 1, cols - 2, UC_HEADER, _("Settings"));
	form_draw(ui, &s->fm, w, 2, getmaxy(w) - 5);
	int y = 2 + s->fm.n + 1;
	if (s->f_url >= 0)
		ui_put(ui, w, y++, 1, cols - 2, UC_DIM, _("Central server: sqlite:PATH or postgresql://HOST/DB; empty: offline"));
	if (s->f_pass1 >= 0)
		ui_put(ui, w, y, 1, cols - 2, UC_DIM, _("A forgotten passphrase cannot be recovered: a new key is made instead"));
}

static void wipe(struct settings *s)
{
	if (s->f_pass1 >= 0) {
		explicit_bzero(s->fm.f[s->f_pass1].in.buf, sizeof s->fm.f[s->f_pass1].in.buf);
		explicit_bzero(s->fm.f[s->f_pass2].in.buf, sizeof s->fm.f[s->f_pass2].in.buf);
		input_set(&s->fm.f[s->f_pass1].in, "");
		input_set(&s->fm.f[s->f_pass2].in, "");
	}
}

static int save(struct ui *ui, struct settings *s)
{
	struct err e = {0};
	int key_made = 0, changed = 0;
	if (s->f_pass1 >= 0 && (s->fm.f[s->f_pass1].in.len || s->fm.f[s->f_pass2].in.len)) {
		if (strcmp(s->fm.f[s->f_pass1].in.buf, s->fm.f[s->f_pass2].in.buf)) {
			wipe(s);
			s->fm.cur = s->f_pass1;
			ui_status(ui, "%s", _("The two passphrases differ: type them again"));
			ui->status_err = 1;
			return SCR_HANDLED;
		}
		char fpr[SIGN_FPR_LEN];
		int replace = sign_key_exists(ui->c, ui->c->actor.account);
		int rc = sign_key_create(ui->c, s->fm.f[s->f_pass1].in.buf, replace, fpr, &e);
		wipe(s);
		if (rc) {
			ui_error(ui, &e);
			s->fm.cur = s->f_pass1;
			return SCR_HANDLED;
		}
		key_line(ui, s);
		ui_status(ui, _("Your signing key was made; fingerprint %.16s"), fpr);
		key_made = 1;
	}
	if (s->f_printer >= 0 && strcmp(s->fm.f[s->f_printer].in.buf, s->printer0)) {
		if (core_setting_put(ui->c, "printer", s->fm.f[s->f_printer].in.buf, &e)) {
			ui_error(ui, &e);
			s->fm.cur = s->f_printer;
			return SCR_HANDLED;
		}
		snprintf(s->printer0, sizeof s->printer0, "%s", s->fm.f[s->f_printer].in.buf);
		changed = 1;
	}
	if (s->f_url >= 0 && strcmp(s->fm.f[s->f_url].in.buf, s->url0)) {
		if (core_setting_put(ui->c, "central.url", s->fm.f[s->f_url].in.buf, &e)) {
			ui_error(ui, &e);
			s->fm.cur = s->f_url;
			return SCR_HANDLED;
		}
		snprintf(s->url0, sizeof s->url0, "%s", s->fm.f[s->f_url].in.buf);
		changed = 1;
		syncmark_refresh(ui, 0);
	}
	if (changed)
		ui_status(ui, "%s", key_made ? _("Your signing key was made and the settings were saved") : _("Settings saved"));
	else if (!key_made)
		ui_status(ui, "%s", _("Nothing changed"));
	return SCR_HANDLED;
}

static int set_key(struct ui *ui, void *st, const struct key *k)
{
	struct settings *s = st;
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	if (submit || k->action == A_SUBMIT)
		return save(ui, s);
	return r;
}

static void set_done(struct ui *ui, void *st)
{
	(void)ui;
	struct settings *s = st;
	wipe(s);
	explicit_bzero(&s->fm, sizeof s->fm);
}

const struct screen_ops settings_screen = {
	.name = "settings", .title = N_("Settings"), .state_size = sizeof(struct settings),
	.open = set_open, .draw = set_draw, .key = set_key, .done = set_done,
	.footer = (const int[]){-1, A_SUBMIT, A_NEXT, A_BACK, A_HELP, A_NONE},
};
