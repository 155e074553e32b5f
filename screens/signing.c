/* signing.c - the leader's step: review the proposal, then sign it with the signing
 * key (passphrase asked here, never shown or kept; sign_dossier of src/sign.h makes
 * the digital signature) or send it back to the specialist with a reason.
 */
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "screen.h"
#include "sign.h"
#include "sign_cms.h"
#include "token.h"
#include "workflow.h"

struct signs {
	struct dossier *d;
	struct form fm;
	int has_key;
	int cms;          /* the signer has a certificate: a token PIN, a decision number */
};

static const char *const choices[] = {N_("sign"), N_("send back")};

static void fields(struct signs *s)
{
	int back = s->fm.f[0].value == 1;
	s->fm.f[1].hidden = back;
	s->fm.f[2].hidden = !back;
	if (s->fm.n > 3)
		s->fm.f[3].hidden = back;
}

static int sign_open(struct ui *ui, void *st, const char *arg)
{
	struct signs *s = st;
	s->d = calloc(1, sizeof *s->d);
	if (!s->d || ui_load_dossier(ui, arg, s->d, STEP_SIGN))
		return -1;
	s->cms = sign_cms_user(ui->c, ui->c->actor.account);
	s->has_key = s->cms || sign_key_exists(ui->c, ui->c->actor.account);
	s->fm.label_cols = 16;
	struct field *f = form_add(&s->fm, FK_CHOICE, N_("Decision"));
	f->choices = choices;
	f->nchoices = 2;
	f = form_add(&s->fm, FK_TEXT, s->cms ? N_("Token PIN") : N_("Passphrase"));
	f->err_field = EF_PASSPHRASE;
	f->in.secret = 1;
	f->in.maxchars = s->cms ? TOKEN_PIN_MAX : SIGN_PASS_MAX;
	f = form_add(&s->fm, FK_TEXT, N_("Reason"));
	f->err_field = EF_REASON;
	f->in.maxchars = NOTE_MAX_CHARS;
	if (s->cms) {
		f = form_add(&s->fm, FK_TEXT, N_("Decision no."));
		f->in.maxchars = 60;
	}
	fields(s);
	return 0;
}

static void sign_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct signs *s = st;
	int cols = getmaxx(w);
	char line[512];
	fields(s);
	ui_dossier_line(ui, s->d, cols - 2, line, sizeof line);
	ui_put(ui, w, 0, 1, cols - 2, UC_NORMAL, line);
	ui_putf(ui, w, 1, 1, cols - 2, UC_HEADER, "%s %s", _("Proposal:"),
		s->d->decision == DEC_APPROVE ? _("approve") : s->d->decision == DEC_REFUSE ? _("refuse") : "-");
	ui_putf(ui, w, 2, 1, cols - 2, UC_NORMAL, "%s %s", _("Note:"), s->d->note);
	if (!s->has_key)
		ui_put(ui, w, 3, 1, cols - 2, UC_ERROR, _("You have no signing key yet: create it with 'motcua key create'"));
	else if (s->cms)
		ui_put(ui, w, 3, 1, cols - 2, UC_DIM, _("Signing with the certificate on your token: insert it and type its PIN"));
	form_draw(ui, &s->fm, w, 5, getmaxy(w) - 5);
}

static int sign_key(struct ui *ui, void *st, const struct key *k)
{
	struct signs *s = st;
	int submit = 0, r = form_key(ui, &s->fm, k, &submit);
	fields(s);
	if (!submit && k->action != A_SUBMIT)
		return r;
	struct err e = {0};
	int rc;
	ui->c->expect_version = s->d->version;
	if (s->fm.f[0].value == 1) {
		rc = dossier_send_back(ui->c, s->d->code, s->fm.f[2].in.buf, s->d, &e);
	} else if (s->cms) {
		struct sign_cms_opts o = {.decision_no = s->fm.f[3].in.buf[0] ? s->fm.f[3].in.buf : NULL};
		rc = sign_cms_ready(ui->c, s->d->code, &e);
		if (!rc)
			rc = sign_cms_dossier(ui->c, s->d->code, s->fm.f[1].in.buf, &o, s->d, &e);
	} else {
		rc = sign_ready(ui->c, s->d->code, &e);
		if (!rc)
			rc = sign_dossier(ui->c, s->d->code, s->fm.f[1].in.buf, s->d, &e);
	}
	ui->c->expect_version = 0;
	explicit_bzero(s->fm.f[1].in.buf, sizeof s->fm.f[1].in.buf);
	input_set(&s->fm.f[1].in, "");
	if (rc) {
		ui_step_failed(ui, &e, s->d);
		form_focus_err(&s->fm, &e);
		return SCR_HANDLED;
	}
	ui_status(ui, s->fm.f[0].value == 1 ? _("%s sent back to the specialist") : _("%s signed: the result is ready to return"), s->d->code);
	ui_changed(ui);
	return SCR_HANDLED | SCR_CLOSE;
}

static void sign_done(struct ui *ui, void *st)
{
	(void)ui;
	struct signs *s = st;
	explicit_bzero(&s->fm, sizeof s->fm);
	free(s->d);
}

static const int *sign_footer(struct ui *ui, void *st)
{
	(void)ui;
	return form_footer(&((struct signs *)st)->fm);
}

const struct screen_ops sign_screen = {
	.name = "sign", .title = N_("Sign"), .state_size = sizeof(struct signs),
	.open = sign_open, .draw = sign_draw, .key = sign_key, .done = sign_done,
	.footer_fn = sign_footer,
};
