/* receive.c - receiving a dossier at the one-stop, in three phases:
 *   1. pick the procedure: type any part of its code, name or field, without
 *      diacritics (both sides folded with text_fold); the office's most used ones
 *      come first, so the commonest is one Enter away;
 *   2. the form: applicant (person or business), ID number / tax code, phone,
 *      address (leaving a known ID number fills the empty ones from the applicant's
 *      last dossier), channel, the procedure's components as a checklist (^D ticks
 *      every required one), the outcome
 *      (accept / request a supplement / refuse with a reason); the appointment date is
 *      recomputed live (core_appointment) as the channel changes;
 *   3. the slip (receipt and appointment, supplement request or refusal) on screen.
 * An accepted dossier is transferred at once to the procedure's department.
 *
 * Drafts: the half-filled form is saved (draft_save, form "receive") when a
 * field changed and the keyboard rested a second, when moving between fields, and in
 * done() - which also runs on SIGHUP/SIGTERM.  It is restored the next time the
 * screen opens and dropped once the dossier is received (or with DISCARD).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "draft.h"
#include "office.h"
#include "receive.h"
#include "reuse.h"
#include "screen.h"
#include "text.h"

#define MAXP 2048
#define SLIP_LINES 64

struct proc_item { char code[32]; char name[400]; char field[128]; char key[640]; int level, rank; };

/* the office's most used procedures come first in the picker: counted over its last
 * USED_SAMPLE dossiers, the first USED_TOP of them */
#define USED_SAMPLE 2000
#define USED_TOP 8

struct receive {
	int phase;                 /* 0 pick, 1 form, 2 slip */
	struct proc_item *procs;
	int nprocs;
	int *match;
	struct list l;
	struct input filter;
	struct procedure *p;
	struct form fm;
	int f_proc, f_due, f_kind, f_name, f_id, f_phone, f_addr, f_channel, f_comp, f_outcome, f_reason;
	int dirty, finished;
	int discard_armed;         /* F8/^R pressed once: a second press discards */
	char form_no[4];           /* the slip's form: 01, 02 or 03 */
	time_t changed_at;
	char (*slip)[512];
	int nslip, slip_top;
	struct dossier *d;
	char labels[MAX_COMPONENTS][440];
	/* reuse.h: the applicant's earlier scans, one row per component after the reason
	 * (ticked: reused at receipt) */
	struct reuse_offer *offers;
	int f_reuse, nreuse;
	int reuse_of[FORM_MAX];    /* reuse row -> offer */
	uint32_t reused_mask;      /* the components reused at the last receipt, for the slip */
	char rlabels[FORM_MAX][600];
};

static const char *const kinds[] = {N_("person"), N_("business")};
static const char *const channels[] = {N_("direct"), N_("postal")};
static const char *const outcomes[] = {N_("accept"), N_("request a supplement"), N_("refuse")};

static int add_proc(const struct procedure *p, void *ctx)
{
	struct receive *s = ctx;
	if (s->nprocs >= MAXP)
		return 0;
	struct proc_item *it = &s->procs[s->nprocs++];
	snprintf(it->code, sizeof it->code, "%s", p->code);
	snprintf(it->name, sizeof it->name, "%s", p->name);
	snprintf(it->field, sizeof it->field, "%s", p->field_name);
	it->level = p->level;
	it->rank = USED_TOP;
	char all[1400];
	snprintf(all, sizeof all, "%s %s %s %s", p->code, p->name, p->field_code, p->field_name);
	text_fold(all, it->key, sizeof it->key);
	return 0;
}

static void proc_filter(struct receive *s, int level)
{
	char q[INPUT_MAX];
	text_fold(s->filter.buf, q, sizeof q);
	s->l.n = 0;
	for (int i = 0; i < s->nprocs; i++) {
		if (level && s->procs[i].level != level)
			continue;
		int ok = 1;
		char tmp[INPUT_MAX];
		snprintf(tmp, sizeof tmp, "%s", q);
		for (char *sv = NULL, *t = strtok_r(tmp, " ", &sv); t && ok; t = strtok_r(NULL, " ", &sv))
			ok = strstr(s->procs[i].key, t) != NULL;
		if (ok)
			s->match[s->l.n++] = i;
	}
	/* most used first, the catalog's order otherwise (a stable insertion sort: the
	 * few ranked ones move up) */
	for (int i = 1; i < s->l.n; i++) {
		int m = s->match[i], j = i;
		for (; j > 0 && s->procs[s->match[j - 1]].rank > s->procs[m].rank; j--)
			s->match[j] = s->match[j - 1];
		s->match[j] = m;
	}
	list_fix(&s->l, 1);
}

static void rank_used(struct ui *ui, struct receive *s)
{
	char codes[USED_TOP][32];
	int n = office_procedures_used(ui->c, USED_SAMPLE, codes, USED_TOP);
	for (int k = 0; k < n; k++)
		for (int i = 0; i < s->nprocs; i++)
			if (!strcmp(s->procs[i].code, codes[k]))
				s->procs[i].rank = k;
}

/* the ID number was typed and left: a returning applicant's name, phone and address
 * come from their last dossier, into the fields still empty */
static void applicant_lookup(struct ui *ui, struct receive *s)
{
	struct form *fm = &s->fm;
	const char *idno = fm->f[s->f_id].in.buf;
	struct dossier *d = calloc(1, sizeof *d);
	if (!d)
		return;
	if (*idno && core_applicant_last(ui->c, idno, d) == 0) {
		int filled = 0, fields[] = {s->f_name, s->f_phone, s->f_addr};
		const char *vals[] = {d->applicant_name, d->applicant_phone, d->applicant_address};
		for (int i = 0; i < 3; i++)
			if (!fm->f[fields[i]].in.len && *vals[i]) {
				input_set(&fm->f[fields[i]].in, vals[i]);
				filled++;
			}
		if (filled) {
			fm->f[s->f_kind].value = d->applicant_kind == AK_BUSINESS;
			ui_status(ui, _("Filled in from the applicant's last dossier %s: check them"), d->code);
			fm->changed = 1;
		}
	}
	free(d);
}

/* the ID number was left: the applicant's earlier scans that fit this procedure's
 * components, offered as one checkbox per component (the newest file), unticked */
static void reuse_lookup(struct ui *ui, struct receive *s)
{
	struct form *fm = &s->fm;
	fm->n = s->f_reuse;
	s->nreuse = 0;
	if (fm->cur >= fm->n)
		fm->cur = s->f_name;
	const char *idno = fm->f[s->f_id].in.buf;
	if (!*idno || !s->offers)
		return;
	struct err e = {0};
	int kind = fm->f[s->f_kind].value == 1 ? AK_BUSINESS : AK_PERSON;
	char note[600] = "";
	/* this store's, and (online) those central has from other offices */
	int n = reuse_offers_central(ui->c, NULL, s->p->code, kind, idno, NULL, s->offers, REUSE_MAX, note, sizeof note, &e);
	for (int i = 0; i < n && fm->n < FORM_MAX; i++) {
		if (i && s->offers[i].component == s->offers[i - 1].component)
			continue; /* the newest of each component */
		const struct reuse_offer *o = &s->offers[i];
		if (o->central)
			snprintf(s->rlabels[s->nreuse], sizeof s->rlabels[0], _("Reuse for %d: %s (central, %s)"), o->component, o->name,
				 o->office);
		else
			snprintf(s->rlabels[s->nreuse], sizeof s->rlabels[0], _("Reuse for %d: %s from dossier %s"), o->component, o->name, o->from_code);
		struct field *f = form_add(fm, FK_CHECK, s->rlabels[s->nreuse]);
		f->raw_label = 1;
		s->reuse_of[s->nreuse++] = i;
	}
	if (s->nreuse)
		ui_status(ui, _("The applicant's earlier scans fit %d components: tick those to reuse (at the end of the form)"), s->nreuse);
	else if (note[0])
		ui_status(ui, "%s", note); /* offline: only this store's were looked up */
}

static void tick_required(struct ui *ui, struct receive *s)
{
	int n = 0;
	for (int i = 0; i < s->p->ncomponents && s->f_comp + i < s->f_outcome; i++)
		if (s->p->components[i].required) {
			s->fm.f[s->f_comp + i].value = 1;
			n++;
		}
	s->fm.changed = 1;
	ui_status(ui, _("%d required components ticked"), n);
}

static int office_level(struct ui *ui, struct receive *s)
{
	int lv = ui->c->office.level;
	for (int i = 0; i < s->nprocs; i++)
		if (s->procs[i].level == lv)
			return lv;
	return 0;
}

/* ---- drafts ---- */

static void put(char *out, size_t n, size_t *len, const char *key, const char *val)
{
	*len += (size_t)snprintf(out + *len, *len < n ? n - *len : 0, "%s=", key);
	for (const char *p = val; *p && *len + 3 < n; p++) {
		if (*p == '\\' || *p == '\n') {
			out[(*len)++] = '\\';
			out[(*len)++] = *p == '\n' ? 'n' : '\\';
		} else {
			out[(*len)++] = *p;
		}
	}
	if (*len + 1 < n)
		out[(*len)++] = '\n';
	out[*len < n ? *len : n - 1] = 0;
}

static void keep_draft(struct ui *ui, struct receive *s)
{
	if (!s->dirty || s->finished || !ui->c->actor.id)
		return;
	size_t n = 4 * INPUT_MAX + 8192, len = 0;
	char *out = malloc(n), num[32];
	if (!out)
		return;
	out[0] = 0;
	put(out, n, &len, "filter", s->filter.buf);
	if (s->phase >= 1 && s->p) {
		put(out, n, &len, "proc", s->p->code);
		uint32_t mask = 0;
		for (int i = 0; i < s->p->ncomponents; i++)
			if (s->fm.f[s->f_comp + i].value)
				mask |= 1u << i;
		static const char *keys[] = {"kind", "channel", "outcome"};
		int idx[] = {s->f_kind, s->f_channel, s->f_outcome};
		for (int i = 0; i < 3; i++) {
			snprintf(num, sizeof num, "%d", s->fm.f[idx[i]].value);
			put(out, n, &len, keys[i], num);
		}
		snprintf(num, sizeof num, "%u", mask);
		put(out, n, &len, "comps", num);
		put(out, n, &len, "name", s->fm.f[s->f_name].in.buf);
		put(out, n, &len, "idno", s->fm.f[s->f_id].in.buf);
		put(out, n, &len, "phone", s->fm.f[s->f_phone].in.buf);
		put(out, n, &len, "address", s->fm.f[s->f_addr].in.buf);
		put(out, n, &len, "reason", s->fm.f[s->f_reason].in.buf);
		snprintf(num, sizeof num, "%d", s->fm.cur);
		put(out, n, &len, "cur", num);
	}
	draft_save(ui->c, "receive", out);
	free(out);
	s->dirty = 0;
}

/* value of key in draft text (unescaped into out); 0 if found */
static int draft_value(const char *data, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key);
	for (const char *p = data; p && *p;) {
		const char *eol = strchr(p, '\n');
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			const char *v = p + kl + 1;
			size_t o = 0;
			for (; *v && *v != '\n' && o + 1 < n; v++) {
				if (*v == '\\' && v[1]) {
					v++;
					out[o++] = *v == 'n' ? '\n' : *v;
				} else {
					out[o++] = *v;
				}
			}
			out[o] = 0;
			return 0;
		}
		p = eol ? eol + 1 : NULL;
	}
	out[0] = 0;
	return -1;
}

/* ---- the form ---- */

static void set_due(struct ui *ui, struct receive *s)
{
	int ch = s->fm.f[s->f_channel].value == 1 ? CH_POSTAL : CH_DIRECT;
	int64_t due = core_appointment(ui->c, s->p, ch, core_now(ui->c));
	char t[24];
	cal_format(due, 1, t, sizeof t);
	input_set(&s->fm.f[s->f_due].in, t);
	int outcome = s->fm.f[s->f_outcome].value;
	s->fm.f[s->f_reason].hidden = outcome == 0;
	if (outcome)
		snprintf(s->fm.f[s->f_due].in.buf, sizeof s->fm.f[s->f_due].in.buf, "-");
}

static int choose(struct ui *ui, struct receive *s, const char *code)
{
	if (!s->p)
		s->p = calloc(1, sizeof *s->p);
	if (!s->p || office_procedure(ui->c, code, s->p)) {
		ui_status(ui, _("Unknown procedure %s"), code);
		return -1;
	}
	struct form *fm = &s->fm;
	memset(fm, 0, sizeof *fm);
	fm->label_cols = 18;
	struct field *f;
	s->f_proc = fm->n;
	f = form_add(fm, FK_INFO, N_("Procedure"));
	snprintf(f->in.buf, sizeof f->in.buf, "%s %s", s->p->code, s->p->name);
	s->f_due = fm->n;
	form_add(fm, FK_INFO, N_("Appointment"));
	s->f_kind = fm->n;
	f = form_add(fm, FK_CHOICE, N_("Applicant is a"));
	f->choices = kinds;
	f->nchoices = 2;
	s->f_name = fm->n;
	f = form_add(fm, FK_TEXT, N_("Name"));
	f->in.maxchars = NAME_MAX_CHARS;
	f->err_field = EF_NAME;
	s->f_id = fm->n;
	f = form_add(fm, FK_TEXT, N_("ID no. / tax code"));
	f->in.maxchars = 20;
	f->err_field = EF_IDNO;
	s->f_phone = fm->n;
	f = form_add(fm, FK_TEXT, N_("Phone"));
	f->in.maxchars = 20;
	f->err_field = EF_PHONE;
	s->f_addr = fm->n;
	f = form_add(fm, FK_TEXT, N_("Address"));
	f->in.maxchars = ADDRESS_MAX_CHARS;
	f->err_field = EF_ADDRESS;
	s->f_channel = fm->n;
	f = form_add(fm, FK_CHOICE, N_("Channel"));
	f->choices = channels;
	f->nchoices = 2;
	s->f_comp = fm->n;
	for (int i = 0; i < s->p->ncomponents && fm->n < FORM_MAX - 3; i++) {
		/* the required marker first: a long name is cut at its end, the marker stays */
		snprintf(s->labels[i], sizeof s->labels[i], "%s%d. %s", s->p->components[i].required ? "* " : "  ",
			 i + 1, s->p->components[i].name);
		f = form_add(fm, FK_CHECK, s->labels[i]);
		f->raw_label = 1;
		f->err_field = i == 0 ? EF_COMPONENTS : EF_NONE;
	}
	s->f_outcome = fm->n;
	f = form_add(fm, FK_CHOICE, N_("Outcome"));
	f->choices = outcomes;
	f->nchoices = 3;
	s->f_reason = fm->n;
	f = form_add(fm, FK_TEXT, N_("Reason"));
	f->in.maxchars = NOTE_MAX_CHARS;
	f->err_field = EF_REASON;
	s->f_reuse = fm->n;
	s->nreuse = 0;
	fm->cur = s->f_name;
	s->phase = 1;
	set_due(ui, s);
	return 0;
}

static void restore(struct ui *ui, struct receive *s, const char *data)
{
	char v[INPUT_MAX];
	draft_value(data, "filter", v, sizeof v);
	input_set(&s->filter, v);
	if (draft_value(data, "proc", v, sizeof v) == 0 && *v && choose(ui, s, v) == 0) {
		int idx[] = {s->f_kind, s->f_channel, s->f_outcome};
		static const char *keys[] = {"kind", "channel", "outcome"};
		for (int i = 0; i < 3; i++)
			if (draft_value(data, keys[i], v, sizeof v) == 0)
				s->fm.f[idx[i]].value = atoi(v) % s->fm.f[idx[i]].nchoices;
		int tf[] = {s->f_name, s->f_id, s->f_phone, s->f_addr, s->f_reason};
		static const char *tk[] = {"name", "idno", "phone", "address", "reason"};
		for (int i = 0; i < 5; i++) {
			draft_value(data, tk[i], v, sizeof v);
			char nfc[INPUT_MAX];
			input_set(&s->fm.f[tf[i]].in, text_nfc(v, nfc, sizeof nfc) == 0 ? nfc : "");
		}
		draft_value(data, "comps", v, sizeof v);
		uint32_t mask = (uint32_t)strtoul(v, NULL, 10);
		for (int i = 0; i < s->p->ncomponents; i++)
			s->fm.f[s->f_comp + i].value = !!(mask & (1u << i));
		reuse_lookup(ui, s);
		if (draft_value(data, "cur", v, sizeof v) == 0 && atoi(v) > 0 && atoi(v) < s->fm.n)
			s->fm.cur = atoi(v);
		set_due(ui, s);
	}
	ui_status(ui, "%s", _("Draft restored: continue where you left off (F8 or ^R discards it)"));
}

static int receive_open(struct ui *ui, void *st, const char *arg)
{
	(void)arg;
	struct receive *s = st;
	s->procs = calloc(MAXP, sizeof *s->procs);
	s->match = calloc(MAXP, sizeof *s->match);
	s->slip = calloc(SLIP_LINES, sizeof *s->slip);
	s->d = calloc(1, sizeof *s->d);
	s->offers = calloc(REUSE_MAX, sizeof *s->offers);
	if (!s->procs || !s->match || !s->slip || !s->d || !s->offers)
		return -1;
	s->filter.maxchars = 100;
	office_procedures(ui->c, add_proc, s);
	rank_used(ui, s);
	char *draft = NULL;
	if (draft_load(ui->c, "receive", &draft) == 0) {
		restore(ui, s, draft);
		free(draft);
	}
	proc_filter(s, office_level(ui, s));
	return 0;
}

/* ---- the slip ---- */

static void slip_add(struct receive *s, const char *text)
{
	if (s->nslip < SLIP_LINES)
		snprintf(s->slip[s->nslip++], sizeof s->slip[0], "%s", text);
}

static void make_slip(struct ui *ui, struct receive *s, int outcome, const char *reason, const char *dept)
{
	(void)ui;
	struct dossier *d = s->d;
	char line[512], t[24];
	s->nslip = 0;
	slip_add(s, outcome == 0 ? _("RECEIPT AND APPOINTMENT SLIP (form 01)")
		    : outcome == 1 ? _("REQUEST TO COMPLETE THE DOSSIER (form 02)") : _("REFUSAL TO RECEIVE THE DOSSIER (form 03)"));
	slip_add(s, "");
	snprintf(line, sizeof line, "%s %s", _("Dossier code:"), d->code);
	slip_add(s, line);
	snprintf(line, sizeof line, "%s %s (%s %s)", _("Applicant:"), d->applicant_name, _("ID"), d->applicant_idno);
	slip_add(s, line);
	if (*d->applicant_phone || *d->applicant_address) {
		snprintf(line, sizeof line, "%s %s, %s", _("Contact:"), d->applicant_phone, d->applicant_address);
		slip_add(s, line);
	}
	snprintf(line, sizeof line, "%s %s %s", _("Procedure:"), s->p->code, s->p->name);
	slip_add(s, line);
	cal_format(d->received_at, 1, t, sizeof t);
	snprintf(line, sizeof line, "%s %s", _("Received at:"), t);
	slip_add(s, line);
	slip_add(s, _("Components received:"));
	for (int i = 0; i < s->p->ncomponents; i++)
		if (d->components & (1u << i)) {
			if (s->reused_mask & (1u << i))
				snprintf(line, sizeof line, _("  %d. %s (an earlier scan reused)"), i + 1, s->p->components[i].name);
			else
				snprintf(line, sizeof line, "  %d. %s", i + 1, s->p->components[i].name);
			slip_add(s, line);
		}
	if (outcome == 0) {
		cal_format(d->due_at, 1, t, sizeof t);
		snprintf(line, sizeof line, "%s %s", _("APPOINTMENT TO RETURN THE RESULT:"), t);
		slip_add(s, line);
		if (dept && *dept) {
			snprintf(line, sizeof line, "%s %s", _("Transferred to:"), dept);
			slip_add(s, line);
		}
	} else {
		snprintf(line, sizeof line, "%s %s", _("Reason:"), reason);
		slip_add(s, line);
	}
	slip_add(s, "");
	snprintf(s->form_no, sizeof s->form_no, "%s", outcome == 0 ? "01" : outcome == 1 ? "02" : "03");
	snprintf(line, sizeof line, _("Press i to print it (form %s)"), s->form_no);
	slip_add(s, line);
}

static int submit(struct ui *ui, struct receive *s)
{
	struct form *fm = &s->fm;
	uint32_t mask = 0;
	for (int i = 0; i < s->p->ncomponents; i++)
		if (fm->f[s->f_comp + i].value)
			mask |= 1u << i;
	int outcome = fm->f[s->f_outcome].value;
	struct receive_req q = {
		.procedure = s->p->code,
		.channel = fm->f[s->f_channel].value == 1 ? CH_POSTAL : CH_DIRECT,
		.kind = fm->f[s->f_kind].value == 1 ? AK_BUSINESS : AK_PERSON,
		.name = fm->f[s->f_name].in.buf, .idno = fm->f[s->f_id].in.buf,
		.phone = *fm->f[s->f_phone].in.buf ? fm->f[s->f_phone].in.buf : NULL,
		.address = *fm->f[s->f_addr].in.buf ? fm->f[s->f_addr].in.buf : NULL,
		.components = mask,
		.outcome = OUT_ACCEPT + outcome,
		.reason = outcome ? fm->f[s->f_reason].in.buf : NULL,
	};
	struct err e = {0};
	struct receive_result *res = calloc(1, sizeof *res);
	if (!res)
		return SCR_HANDLED;
	/* the ticked earlier scans are reused in the receipt's transaction */
	struct reuse_pick picks[FORM_MAX];
	int npicks = 0;
	s->reused_mask = 0;
	for (int i = 0; i < s->nreuse; i++)
		if (fm->f[s->f_reuse + i].value) {
			const struct reuse_offer *o = &s->offers[s->reuse_of[i]];
			picks[npicks].component = o->component;
			snprintf(picks[npicks].event_id, sizeof picks[npicks].event_id, "%s", o->event_id);
			npicks++;
			if (o->component >= 1 && o->component <= 32)
				s->reused_mask |= 1u << (o->component - 1);
		}
	/* the setting receive.transfer decides; the screen transfers where it is not set */
	if (reuse_receive_central(ui->c, NULL, &q, 1, picks, npicks, res, &e)) {
		free(res);
		ui_error(ui, &e);
		form_focus_err(fm, &e);
		return SCR_HANDLED;
	}
	*s->d = res->d;
	s->finished = 1;
	draft_drop(ui->c, "receive");
	char dept[300] = "";
	if (res->transferred)
		snprintf(dept, sizeof dept, "%s", res->dept.name);
	free(res);
	make_slip(ui, s, outcome, fm->f[s->f_reason].in.buf, dept);
	s->phase = 2;
	s->slip_top = 0;
	ui_status(ui, _("Dossier %s received"), s->d->code);
	ui_changed(ui);
	return SCR_HANDLED;
}

static void receive_draw(struct ui *ui, void *st, WINDOW *w)
{
	struct receive *s = st;
	int cols = getmaxx(w), rows = getmaxy(w);
	if (s->phase == 0) {
		ui_put(ui, w, 0, 1, 12, UC_LABEL, _("Procedure:"));
		input_draw(ui, &s->filter, w, 0, 13, cols - 14, 1);
		char n[160];
		snprintf(n, sizeof n, _("%d procedures match (code, name or field; no diacritics needed)"), s->l.n);
		ui_put(ui, w, 1, 13, cols - 14, UC_DIM, n);
		int h = rows - 3;
		list_fix(&s->l, h);
		for (int i = 0; i < h && s->l.top + i < s->l.n; i++) {
			const struct proc_item *it = &s->procs[s->match[s->l.top + i]];
			char line[1024];
			snprintf(line, sizeof line, "%-10s %s", it->code, it->name);
			ui_row(ui, w, 3 + i, s->l.top + i == s->l.sel, UC_NORMAL, line);
		}
		return;
	}
	if (s->phase == 1) {
		if (s->fm.changed)
			set_due(ui, s);
		form_draw(ui, &s->fm, w, 0, rows);
		return;
	}
	for (int i = 0; i < rows && s->slip_top + i < s->nslip; i++)
		ui_put(ui, w, i, 2, cols - 4, i + s->slip_top == 0 ? UC_HEADER : UC_NORMAL, s->slip[s->slip_top + i]);
}

static void mark(struct receive *s)
{
	s->dirty = 1;
	s->changed_at = time(NULL);
}

static int receive_key(struct ui *ui, void *st, const struct key *k)
{
	struct receive *s = st;
	if (k->action == A_DISCARD && s->phase < 2 && !s->discard_armed) {
		/* the whole form goes: ask with the same key first */
		s->discard_armed = 1;
		ui_status(ui, "%s", _("Press F8 or ^R again to discard the whole form and its draft; any other key keeps it"));
		return SCR_HANDLED;
	}
	if (k->action != A_DISCARD && s->discard_armed) {
		s->discard_armed = 0;
		ui_status(ui, "%s", "");
	}
	if (k->action == A_DISCARD && s->phase < 2) {
		draft_drop(ui->c, "receive");
		s->finished = 1;
		ui_status(ui, "%s", _("The half-filled form was discarded"));
		return SCR_HANDLED | SCR_CLOSE;
	}
	if (s->phase == 0) {
		int text = !k->is_key && k->ch >= 0x20 && k->ch != 0x7F;
		if (!text && list_key(&s->l, k->action, ui->rows - 6))
			return SCR_HANDLED;
		if (k->action == A_ENTER || k->action == A_SUBMIT) {
			if (s->l.n && choose(ui, s, s->procs[s->match[s->l.sel]].code) == 0)
				mark(s);
			return SCR_HANDLED;
		}
		int r = input_key(ui, &s->filter, k);
		if (s->filter.changed) {
			s->filter.changed = 0;
			s->l.sel = s->l.top = 0;
			proc_filter(s, office_level(ui, s));
			mark(s);
		}
		return r;
	}
	if (s->phase == 2) {
		switch (k->action) {
		case A_DOWN: case A_PGDN: s->slip_top++; return SCR_HANDLED;
		case A_UP: case A_PGUP: if (s->slip_top) s->slip_top--; return SCR_HANDLED;
		case A_ENTER: return SCR_HANDLED | SCR_CLOSE;
		case A_PRINT: ui_print_form(ui, s->form_no, s->d->code); return SCR_HANDLED;
		case A_RECEIVE:
			/* another dossier: start over, keeping nothing */
			s->phase = 0;
			s->finished = 0;
			input_set(&s->filter, "");
			proc_filter(s, office_level(ui, s));
			return SCR_HANDLED;
		}
		return 0;
	}
	if (k->action == A_TICKALL) {
		tick_required(ui, s);
		mark(s);
		return SCR_HANDLED;
	}
	int was = s->fm.cur, sub = 0, r = form_key(ui, &s->fm, k, &sub);
	if (was == s->f_id && s->fm.cur != s->f_id) {
		applicant_lookup(ui, s);
		reuse_lookup(ui, s);
	}
	if (s->fm.changed) {
		set_due(ui, s);
		s->fm.changed = 0;
		mark(s);
	}
	if (k->action == A_NEXT || k->action == A_PREV || k->action == A_ENTER || k->action == A_UP || k->action == A_DOWN)
		keep_draft(ui, s);
	if (sub || k->action == A_SUBMIT)
		return submit(ui, s);
	return r;
}

static void receive_tick(struct ui *ui, void *st)
{
	struct receive *s = st;
	if (s->dirty && time(NULL) - s->changed_at >= 1)
		keep_draft(ui, s);
}

static void receive_done(struct ui *ui, void *st)
{
	struct receive *s = st;
	keep_draft(ui, s);
	free(s->procs);
	free(s->match);
	free(s->slip);
	free(s->p);
	free(s->d);
	free(s->offers);
}

static const int *receive_footer(struct ui *ui, void *st)
{
	(void)ui;
	struct receive *s = st;
	static const int pick[] = {-1, A_ENTER, A_DOWN, A_BACK, A_DISCARD, A_TELEX, A_HELP, A_NONE};
	static const int text[] = {-1, A_SUBMIT, A_NEXT, A_TICKALL, A_BACK, A_DISCARD, A_TELEX, A_HELP, A_NONE};
	static const int other[] = {-1, A_TOGGLE, A_SUBMIT, A_NEXT, A_TICKALL, A_BACK, A_DISCARD, A_HELP, A_NONE};
	static const int slip[] = {A_PRINT, A_ENTER, A_RECEIVE, A_BACK, A_DOWN, A_HELP, A_NONE};
	return s->phase == 0 ? pick : s->phase == 2 ? slip : form_has_text_focus(&s->fm) ? text : other;
}

const struct screen_ops receive_screen = {
	.name = "receive", .title = N_("Receive a dossier"), .state_size = sizeof(struct receive),
	.open = receive_open, .draw = receive_draw, .key = receive_key, .done = receive_done,
	.tick = receive_tick, .footer_fn = receive_footer,
};
