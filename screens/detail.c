/* detail.c - one dossier: its data and its timeline as the process-control sheet
 * (form 06): every hand-over with time, person and early / on time / late against
 * that step's due date.  The dossier and its timeline are the core's reads
 * (dossier_view, dossier_history), as `motcua show` and `history` use; a dossier taken from
 * central's snapshot starts from its base state, with a line saying where its older
 * steps are.  The footer offers
 * the steps the acting user may take now (workflow_allows).
 */
#include <stdlib.h>
#include <string.h>
#include "attach.h"
#include "dossier.h"
#include "lienthong.h"
#include "org.h"
#include "fees.h"
#include "screen.h"
#include "sign_cms.h"
#include "view.h"
#include "workflow.h"

#define DLINES 400

extern const struct screen_ops files_screen; /* screens/files.c */
#define DCOLS 600

struct detail {
	char code[CODE_LEN];
	struct dossier *d;
	char (*lines)[DCOLS];
	int *roles;   /* color role per line */
	int n;
	struct list l;
	int acts[16];
};

static void add(struct detail *s, int role, const char *text)
{
	if (s->n >= DLINES)
		return;
	size_t len = strlen(text);
	if (len >= DCOLS) {
		/* cut on a character boundary, never inside a UTF-8 sequence */
		len = DCOLS - 1;
		while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(s->lines[s->n], text, len);
	s->lines[s->n][len] = 0;
	s->roles[s->n++] = role;
}

struct replay { struct ui *ui; struct detail *s; char note_kind[24]; };

/* the kinds of event whose payload gives the dossier its note (dossier_apply) */
static int sets_note(const char *kind)
{
	static const char *const k[] = {"received", "proposed", "sent_back", "supplement_requested", "refused",
					"withdrawn", "stopped", "rerouted", "extended"};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		if (!strcmp(k[i], kind))
			return 1;
	return 0;
}

/* the note line: what the note is depends on the step that wrote it last (a leader's
 * send-back keeps the specialist's decision, but its reason is no approval) */
static void note_line(struct dossier *d, const char *kind, char *line, size_t n)
{
	int ended = d->stage == SG_WITHDRAWN || d->stage == SG_STOPPED || d->stage == SG_REFUSED;
	if (!strcmp(kind, "sent_back")) {
		snprintf(line, n, "%s %s", _("Sent back by the signer:"), d->note);
		return;
	}
	int proposal = !strcmp(kind, "proposed") || (!*kind && !ended);
	const char *dec = !proposal ? "" : d->decision == DEC_APPROVE ? _("[approve] ") :
			  d->decision == DEC_REFUSE ? _("[refuse] ") : "";
	snprintf(line, n, "%s %s%s", ended ? _("Reason:") : _("Note:"), dec, d->note);
}

static int one_event(const struct history_step *h, void *ctx)
{
	struct replay *r = ctx;
	const struct event *ev = h->ev;
	char at[24], line[DCOLS], who[40];
	if (h->first && h->base_dseq > 1) {
		snprintf(line, sizeof line, _("Steps 1-%d are at central: 'motcua sync fetch %s' brings them"),
			 h->base_dseq - 1, r->s->code);
		add(r->s, UC_DIM, line);
	}
	if (sets_note(ev->kind))
		snprintf(r->note_kind, sizeof r->note_kind, "%s", ev->kind);
	cal_format(ev->at, 1, at, sizeof at);
	ui_fit(r->ui, ev->actor, 12, who, sizeof who);
	char name[64], st[64];
	ui_fit(r->ui, ui_event_name(ev->kind), 16, name, sizeof name);
	ui_fit(r->ui, h->timeliness ? ui_tl_name(h->timeliness) : "", 10, st, sizeof st);
	snprintf(line, sizeof line, "%3d %s %s %s %s %s", ev->dseq, at, name, who, st,
		 ui_status_name(r->ui, fees_status(h->after)));
	add(r->s, h->timeliness == TL_LATE ? UC_OVERDUE : UC_NORMAL, line);
	return 0;
}

/* the attached files: component, name, type, size, who, when (b opens them) */
struct attached { struct ui *ui; struct detail *s; int n; };

static int attached_one(const struct attach_info *a, void *ctx)
{
	struct attached *x = ctx;
	char name[200], type[96], who[64], when[24], line[DCOLS];
	ui_fit(x->ui, a->name, 22, name, sizeof name);
	ui_fit(x->ui, a->type, 15, type, sizeof type);
	ui_fit(x->ui, a->actor, 10, who, sizeof who);
	cal_format(a->at, 1, when, sizeof when);
	snprintf(line, sizeof line, "%-2d %s %s %6lldK %s %s", a->component, name, type, (long long)((a->size + 1023) / 1024), who, when);
	if (x->n++ == 0) {
		add(x->s, UC_NORMAL, "");
		add(x->s, UC_HEADER, _("Attached files (b: attach, check, export, print)"));
	}
	add(x->s, UC_NORMAL, line);
	if (a->reused_from[0]) { /* reuse.h: an earlier dossier's file, not copied */
		snprintf(line, sizeof line, _("   reused from dossier %s"), a->reused_from);
		add(x->s, UC_DIM, line);
	}
	return 0;
}

static void attached_lines(struct ui *ui, struct detail *s)
{
	struct attached x = {ui, s, 0};
	struct err e = {0};
	attach_list(ui->c, s->code, attached_one, &x, &e);
}

/* the fees: what is owed, paid and refunded, each payment and refund (fees.h) */
struct feelines { struct ui *ui; struct detail *s; };

static int fee_one(const struct fee_entry *f, void *ctx)
{
	struct feelines *x = ctx;
	char line[DCOLS], when[24], no[80];
	cal_format(f->at, 1, when, sizeof when);
	ui_fit(x->ui, f->receipt[0] ? f->receipt : f->ref, 30, no, sizeof no);
	if (f->counter && !strcmp(f->kind, "fee_paid")) /* at the receiving desk (fees_counter.h) */
		snprintf(line, sizeof line, _("%s  paid %lld at the receiving desk  %s"), when, (long long)f->amount, no);
	else if (!strcmp(f->kind, "fee_paid"))
		snprintf(line, sizeof line, _("%s  paid %lld (%s)  %s"), when, (long long)f->amount, fees_method_label(f->method), no);
	else
		snprintf(line, sizeof line, _("%s  refunded %lld  %s"), when, (long long)f->amount, no);
	add(x->s, UC_NORMAL, line);
	return 0;
}

static void fee_lines(struct ui *ui, struct detail *s)
{
	if (!s->d->fee_total && !s->d->fee_paid)
		return;
	/* with what was paid at the receiving desk (fees_counter.h) */
	int64_t paid = s->d->fee_paid + s->d->fee_counter_paid, refunded = s->d->fee_refunded + s->d->fee_counter_refunded;
	char line[DCOLS];
	struct err e = {0};
	struct feelines x = {ui, s};
	add(s, UC_NORMAL, "");
	snprintf(line, sizeof line, _("Fees %lld dong: paid %lld, refunded %lld, owed %lld"), (long long)s->d->fee_total,
		 (long long)paid, (long long)refunded, (long long)fees_owed(s->d));
	add(s, UC_HEADER, line);
	fees_entries(ui->c, s->code, fee_one, &x, &e);
}

/* who signed, as what, under which CA, and whether it still verifies */
static void signature_lines(struct ui *ui, struct detail *s)
{
	char line[DCOLS], when[24];
	struct err e = {0};
	if (sign_cms_has(ui->c, s->code)) {
		struct sign_cms_check k;
		if (sign_cms_verify(ui->c, s->code, &k, &e)) {
			snprintf(line, sizeof line, _("Signature NOT valid: %s"), e.msg);
			add(s, UC_ERROR, line);
			return;
		}
		cal_format(k.base.signed_at, 1, when, sizeof when);
		snprintf(line, sizeof line, _("Signed by %s, %s, %s at %s"), k.name, k.title, k.agency, when);
		add(s, UC_NORMAL, line);
		snprintf(line, sizeof line, _("Digital signature valid: certificate %s of %s (root %s), valid and not revoked at signing time"),
			 k.serial, k.issuer, k.root);
		add(s, UC_NORMAL, line);
		if (k.revoked_at) {
			cal_format(k.revoked_at, 1, when, sizeof when);
			snprintf(line, sizeof line, _("The certificate was revoked on %s, after this signature was made"), when);
			add(s, UC_DIM, line);
		}
		return;
	}
	struct sign_check k;
	int rc = sign_verify(ui->c, s->code, &k, &e);
	if (rc == MC_NOTFOUND)
		return;
	if (rc) {
		snprintf(line, sizeof line, _("Signature NOT valid: %s"), e.msg);
		add(s, UC_ERROR, line);
		return;
	}
	cal_format(k.signed_at, 1, when, sizeof when);
	snprintf(line, sizeof line, _("Signed by %s at %s with a motcua Ed25519 key (an integrity seal, not a certificate signature)"),
		 k.signer, when);
	add(s, UC_NORMAL, line);
}

/* liên thông (lienthong.h): the lead agency and each part, its state and deadline */
static void parts_lines(struct ui *ui, struct detail *s)
{
	struct lt_parts *ps = malloc(sizeof *ps);
	struct err e = {0};
	if (ps && !lt_parts_of(ui->c, s->code, ps, &e) && ps->flow[0]) {
		char line[DCOLS], due[24], resp[32];
		snprintf(line, sizeof line, _("Liên thông (%s), lead agency %s:"),
			 !strcmp(ps->flow, "parallel") ? _("parallel") : _("sequential"), ps->lead);
		add(s, UC_NORMAL, line);
		for (int i = 0; i < ps->n; i++) {
			const struct lt_part *p = &ps->p[i];
			int late = lt_part_late(ui->c, p, core_now(ui->c)) > 0;
			snprintf(due, sizeof due, "%s", "-");
			if (p->due_at)
				cal_format(p->due_at, 1, due, sizeof due);
			snprintf(line, sizeof line, _("  part %d %s: %s, due %s%s"), p->n, p->agency,
				 p->state == LT_WAITING ? _("waiting") : p->state == LT_OPEN ? _("open") :
				 p->state == LT_TAKEN ? _("taken") : _("handed back"), due, late ? _(" (late)") : "");
			add(s, late ? UC_OVERDUE : UC_NORMAL, line);
		}
		if (lt_responsible(ui->c, s->code, resp) && strcmp(resp, ps->lead)) {
			snprintf(line, sizeof line, _("Lateness attributed to agency %s"), resp);
			add(s, UC_OVERDUE, line);
		}
		/* the late agency's apology (form 04), and whether the appointment moved to it */
		struct lt_apology *a = malloc(sizeof *a);
		if (a && lt_apology_of(ui->c, s->code, a)) {
			char at[24], nd[24], who[300], keys[32];
			cal_format(a->at, 1, at, sizeof at);
			cal_format(a->due_at, 1, nd, sizeof nd);
			snprintf(who, sizeof who, "%s", a->signer_name[0] ? a->signer_name : a->signer);
			snprintf(line, sizeof line, _("Apology of agency %s, signed by %s on %s"), a->agency, who, at);
			add(s, UC_NORMAL, line);
			snprintf(line, sizeof line, _("  new appointment %s; reason: %s"), nd, a->reason);
			add(s, UC_NORMAL, line);
			if (!a->applied) {
				snprintf(line, sizeof line, _("Not yet recorded on the dossier: the lead's clerk, head or leader records it (key %s)"),
					 keys_of(A_APOLOGY, keys, sizeof keys));
				add(s, UC_OVERDUE, line);
			}
		}
		free(a);
	}
	free(ps);
}

static void load(struct ui *ui, struct detail *s)
{
	s->n = 0;
	struct err e = {0};
	struct dossier_view *v = calloc(1, sizeof *v);
	if (!v)
		return;
	if (dossier_view(ui->c, s->code, v, &e)) {
		ui_error(ui, &e);
		free(v);
		return;
	}
	*s->d = v->d;
	struct dossier *d = s->d;
	const struct procedure *p = &v->proc;
	const struct department dp = v->dept;
	const struct user u = v->assignee;
	char line[DCOLS], t1[24] = "-", t2[24] = "-", t3[24] = "-";
	snprintf(line, sizeof line, "%s  %s  (%s)", d->code, ui_status_name(ui, d->status),
		 ui_tl_name(v->timeliness));
	add(s, UC_HEADER, line);
	snprintf(line, sizeof line, "%s %s %s", _("Procedure:"), p->code, p->name);
	add(s, UC_NORMAL, line);
	/* the ID number and the phone on a line of their own: a long name never hides them */
	snprintf(line, sizeof line, "%s %s (%s)", _("Applicant:"), d->applicant_name,
		 d->applicant_kind == AK_BUSINESS ? _("business") : _("person"));
	add(s, UC_NORMAL, line);
	snprintf(line, sizeof line, "           %s %s, %s %s", _("ID"), d->applicant_idno, _("phone"),
		 *d->applicant_phone ? d->applicant_phone : "-");
	add(s, UC_NORMAL, line);
	snprintf(line, sizeof line, "%s %s", _("Address:"), d->applicant_address);
	add(s, UC_NORMAL, line);
	if (d->received_at)
		cal_format(d->received_at, 1, t1, sizeof t1);
	if (d->due_at)
		cal_format(d->due_at, 1, t2, sizeof t2);
	if (d->step_due_at)
		cal_format(d->step_due_at, 1, t3, sizeof t3);
	snprintf(line, sizeof line, "%s %s, %s %s, %s %s", _("Received:"), t1, _("appointment"), t2, _("step due"), t3);
	add(s, UC_NORMAL, line);
	if (d->recv_office_id) {
		/* the three places since 1 July 2025 (org.h): by agency code, short and exact */
		struct office o[3];
		int64_t ids[3] = {d->recv_office_id, d->resolver_id, d->return_office_id};
		for (int i = 0; i < 3; i++)
			if (org_office(ui->c, NULL, ids[i], &o[i]))
				snprintf(o[i].agency_code, sizeof o[i].agency_code, "-");
		snprintf(line, sizeof line, _("Received at %s, resolved by %s, result returned at %s"), o[0].agency_code,
			 o[1].agency_code, o[2].agency_code);
		add(s, UC_NORMAL, line);
	}
	parts_lines(ui, s);
	snprintf(line, sizeof line, "%s %s, %s %s%s", _("Department:"), *dp.code ? dp.name : "-", _("specialist"),
		 *u.account ? u.name : "-", d->apology ? _(", extended with an apology") : "");
	add(s, UC_NORMAL, line);
	int note_at = -1;
	if (*d->note) {
		/* refused, withdrawn, stopped: the note is the reason given for it; the
		 * replay below says which step wrote it and the line is made again then */
		note_at = s->n;
		note_line(d, "", line, sizeof line);
		add(s, UC_NORMAL, line);
	}
	if (*d->collected_by) {
		if (d->rating)
			snprintf(line, sizeof line, "%s %s, %s %d/5", _("Collected by:"), d->collected_by, _("rating"), d->rating);
		else
			snprintf(line, sizeof line, "%s %s, %s", _("Collected by:"), d->collected_by, _("not rated"));
		add(s, UC_NORMAL, line);
	}
	signature_lines(ui, s);
	fee_lines(ui, s);
	attached_lines(ui, s);
	add(s, UC_NORMAL, "");
	add(s, UC_HEADER, _("Process-control sheet (each hand-over, person, time, on time or late)"));
	char head[512], c1[96], c2[96], c3[96], c4[96];
	ui_fit(ui, _("Time"), 16, c1, sizeof c1);
	ui_fit(ui, _("Step"), 16, c2, sizeof c2);
	ui_fit(ui, _("By"), 12, c3, sizeof c3);
	ui_fit(ui, _("Timeliness"), 10, c4, sizeof c4);
	snprintf(head, sizeof head, "  # %s %s %s %s %s", c1, c2, c3, c4, _("Status after"));
	add(s, UC_DIM, head);
	struct replay r = {ui, s, ""};
	if (dossier_history(ui->c, s->code, one_event, &r, NULL, &e))
		ui_error(ui, &e);
	if (note_at >= 0 && note_at < s->n && r.note_kind[0]) {
		note_line(d, r.note_kind, line, sizeof line);
		int n = s->n;
		s->n = note_at;
		add(s, UC_NORMAL, line);
		s->n = n;
		if (!strcmp(r.note_kind, "sent_back"))
			s->roles[note_at] = UC_OVERDUE;
	}
	free(v);
	s->l.n = s->n;
}

static int detail_open(struct ui *ui, void *st, const char *arg)
{
	struct detail *s = st;
	if (!arg)
		return -1;
	snprintf(s->code, sizeof s->code, "%s", arg);
	s->d = calloc(1, sizeof *s->d);
	s->lines = calloc(DLINES, sizeof *s->lines);
	s->roles = calloc(DLINES, sizeof *s->roles);
	if (!s->d || !s->lines || !s->roles)
		return -1;
	load(ui, s);
	return s->n ? 0 : -1;
}

static void detail_refresh(struct ui *ui, void *st) { load(ui, st); }

static void detail_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct detail *s = st;
	int h = getmaxy(w), cols = getmaxx(w);
	if (s->l.top > s->n - h)
		s->l.top = s->n - h > 0 ? s->n - h : 0;
	for (int i = 0; i < h && s->l.top + i < s->n; i++)
		ui_put(ui, w, i, 1, cols - 2, s->roles[s->l.top + i], s->lines[s->l.top + i]);
}

static int detail_key(struct ui *ui, void *st, const struct key *k)
{
	struct detail *s = st;
	int h = ui->rows - 3;
	switch (k->action) {
	case A_UP: case A_DOWN: case A_PGUP: case A_PGDN: case A_FIRST: case A_LAST: {
		/* scroll: the list's "selection" is the top row */
		int d = k->action == A_UP ? -1 : k->action == A_DOWN ? 1 : k->action == A_PGUP ? -h :
			k->action == A_PGDN ? h : k->action == A_FIRST ? -s->n : s->n;
		s->l.top += d;
		if (s->l.top > s->n - h)
			s->l.top = s->n - h;
		if (s->l.top < 0)
			s->l.top = 0;
		return SCR_HANDLED;
	}
	case A_ENTER:
		return SCR_HANDLED;
	case A_FILES:
		ui_push(ui, &files_screen, s->code);
		return SCR_HANDLED;
	}
	return ui_dossier_action(ui, k->action, s->code, s->d->version);
}

static const int *detail_footer(struct ui *ui, void *st)
{
	struct detail *s = st;
	int n = 0, max = (int)(sizeof s->acts / sizeof s->acts[0]) - 4;
	s->acts[n++] = A_HELP;
	ui_step_actions(ui, s->d->stage, s->acts, &n, max - 3);
	if (fees_owed(s->d) && (ui->c->actor.roles & ROLE_CLERK))
		s->acts[n++] = A_PAY;
	if (s->d->fee_paid + s->d->fee_counter_paid > s->d->fee_refunded + s->d->fee_counter_refunded &&
	    (ui->c->actor.roles & (ROLE_LEADER | ROLE_SUPERVISOR)))
		s->acts[n++] = A_REFUND;
	int part;
	if (lt_apology_mode(ui->c, s->code, &part) != LT_AP_NONE)
		s->acts[n++] = A_APOLOGY;
	s->acts[n++] = A_PRINT;
	s->acts[n++] = A_FILES;
	s->acts[n++] = A_PGDN;
	s->acts[n++] = A_BACK;
	s->acts[n] = A_NONE;
	return s->acts;
}

static void detail_done(struct ui *ui, void *st)
{
	(void)ui;
	struct detail *s = st;
	free(s->d);
	free(s->lines);
	free(s->roles);
}

const struct screen_ops detail_screen = {
	.name = "detail", .title = N_("Dossier"), .state_size = sizeof(struct detail),
	.open = detail_open, .draw = detail_draw, .key = detail_key, .done = detail_done,
	.reload = detail_refresh, .footer_fn = detail_footer,
};
