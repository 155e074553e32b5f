/* report_digital.c - the Decision 766 digitisation indicators (see report_digital.h):
 * the store selects each accepted dossier's facts (store_reuse.c), this file counts,
 * rates and prints them with their formulas. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "forms.h"
#include "i18n.h"
#include "report.h"
#include "report_digital.h"
#include "store_reuse.h"
#include "strbuf.h"
#include "text.h"

double report_digital_rate(long num, long den)
{
	if (den <= 0)
		return -1;
	return round((double)num * 10000.0 / (double)den) / 100.0;
}

double report_digital_points(double rate, double max, double threshold)
{
	if (rate < 0)
		return 0;
	if (threshold > 0)
		return rate >= threshold ? max : round(rate * max / threshold * 100.0) / 100.0;
	return round(rate * max) / 100.0;
}

struct dctx { struct digital_report *r; int oom; };

static struct digital_row *row_for(struct dctx *x, const struct store_digital_row *d)
{
	struct digital_report *r = x->r;
	if (r->nrows && !strcmp(r->rows[r->nrows - 1].key, d->field_code))
		return &r->rows[r->nrows - 1]; /* rows come in field order */
	struct digital_row *rows = realloc(r->rows, (size_t)(r->nrows + 1) * sizeof *rows);
	if (!rows)
		return NULL;
	r->rows = rows;
	struct digital_row *w = &rows[r->nrows++];
	memset(w, 0, sizeof *w);
	snprintf(w->key, sizeof w->key, "%s", d->field_code);
	snprintf(w->name, sizeof w->name, "%s", d->field_name);
	return w;
}

static void add(struct digital_row *w, const struct store_digital_row *d)
{
	int filed_all = d->filed && !(d->components & ~d->filed);
	w->received++;
	w->result_file += d->result_file;
	w->signed_results += d->signed_result;
	w->digitised += filed_all && (!d->signed_result || d->result_file);
	w->reused += d->reused != 0;
	w->components += __builtin_popcount(d->components);
	w->components_reused += __builtin_popcount(d->reused & d->components);
}

static int on_dossier(const struct store_digital_row *d, void *arg)
{
	struct dctx *x = arg;
	struct digital_row *w = row_for(x, d);
	if (!w) {
		x->oom = 1;
		return 1;
	}
	add(w, d);
	add(&x->r->total, d);
	return 0;
}

int report_digital(struct core *c, int64_t from, int64_t to, struct digital_report *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (core_require(c, REPORT_ROLES, CORE_FOR_REPORTS, e))
		return e->code;
	if (to <= from)
		return err_set(e, MC_INVALID, "the period is empty or inverted");
	r->from = from;
	r->to = to;
	snprintf(r->office, sizeof r->office, "%s", c->office.name);
	snprintf(r->total.key, sizeof r->total.key, "total");
	snprintf(r->total.name, sizeof r->total.name, "%s", _("Total"));
	struct dctx x = {r, 0};
	int rc = store_digital_each(c->st, c->office.id, from, to, on_dossier, &x);
	if (x.oom || rc) {
		report_digital_free(r);
		return x.oom ? err_set(e, MC_STORE, "out of memory") : err_set(e, MC_STORE, "cannot read the dossiers of the period");
	}
	return 0;
}

void report_digital_free(struct digital_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
}

static void pct(long num, long den, char *buf, size_t n)
{
	double v = report_digital_rate(num, den);
	if (v < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.2f%%", v);
}

static void date_of(int64_t t, char *buf, int n)
{
	cal_format(t, 0, buf, n);
}

#define LABEL_COLS 32

static void line_of(const struct digital_row *w, char *out, size_t n)
{
	char safe[512], cell[512], p1[16], p2[16], p3[16];
	form_safe(w->key[0] && strcmp(w->key, "total") ? w->key : "", safe, sizeof safe);
	char label[600];
	if (safe[0])
		snprintf(label, sizeof label, "%s %s", safe, w->name);
	else
		snprintf(label, sizeof label, "%s", w->name);
	form_safe(label, safe, sizeof safe);
	form_pad(safe, LABEL_COLS, 0, cell, sizeof cell);
	pct(w->result_file, w->received, p1, sizeof p1);
	pct(w->digitised, w->received, p2, sizeof p2);
	pct(w->reused, w->received, p3, sizeof p3);
	snprintf(out, n, "%s%6ld%6ld%8s%6ld%8s%6ld%8s", cell, w->received, w->result_file, p1, w->digitised, p2, w->reused, p3);
}

static void wrap(struct strbuf *t, const char *label, const char *text)
{
	form_wrap(t, label, text, FORM_COLS);
}

void report_digital_text(const struct digital_report *r, FILE *f)
{
	struct strbuf t = {0};
	char buf[1024], a[16], b[16], cell[512], line[1024];
	form_center(&t, _("DIGITISATION INDICATORS (Decision 766/QĐ-TTg, group 4)"), FORM_COLS);
	form_center(&t, r->office, FORM_COLS);
	date_of(r->from, a, sizeof a);
	date_of(r->to - 1, b, sizeof b);
	snprintf(buf, sizeof buf, _("Period: from %s to %s; the dossiers accepted in it, as they stood at its end."), a, b);
	wrap(&t, "", buf);
	ftext_line(&t, "");
	form_pad(_("Field"), LABEL_COLS, 0, cell, sizeof cell);
	snprintf(line, sizeof line, "%s%6s%6s%8s%6s%8s%6s%8s", cell, "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)");
	ftext_line(&t, line);
	for (int i = 0; i < r->nrows; i++) {
		line_of(&r->rows[i], line, sizeof line);
		ftext_line(&t, line);
	}
	char rule[FORM_COLS + 1];
	memset(rule, '-', FORM_COLS);
	rule[FORM_COLS] = 0;
	ftext_line(&t, rule);
	line_of(&r->total, line, sizeof line);
	ftext_line(&t, line);
	ftext_line(&t, "");
	wrap(&t, "(1) ", _("dossiers received: accepted at the one-stop in the period."));
	wrap(&t, "(2) ", _("of them, with the result document attached (the electronic result)."));
	wrap(&t, "(4) ", _("of them, digitised: every component received has a scanned file, and once the leader has signed, the result document is attached."));
	wrap(&t, "(6) ", _("of them, with at least one component reused from the applicant's earlier digitised papers."));
	ftext_line(&t, "");
	wrap(&t, "", _("Formulas (Decision 766/QĐ-TTg, group 4, as the national portal computes them; a rate is - when nothing was received):"));
	snprintf(buf, sizeof buf, _("%s: (3) = (2) / (1) x 100%%; every procedure of the catalog issues a written result; at most %d points."),
		 "4.1 Hồ sơ có kết quả giải quyết điện tử", 6);
	wrap(&t, "- ", buf);
	snprintf(buf, sizeof buf, _("%s: (5) = (4) / (1) x 100%%; at most %d points, all of them from %d%%."), "4.2 Hồ sơ thực hiện số hóa", 4, 80);
	wrap(&t, "- ", buf);
	snprintf(buf, sizeof buf, _("%s: (7) = (6) / (1) x 100%%; at most %d points, all of them from %d%%."),
		 "4.3 Hồ sơ khai thác, sử dụng lại dữ liệu số hóa", 2, 80);
	wrap(&t, "- ", buf);
	char p[16];
	pct(r->total.components_reused, r->total.components, p, sizeof p);
	snprintf(buf, sizeof buf, _("Components reused: %ld of the %ld components received (%s)."), r->total.components_reused,
		 r->total.components, p);
	wrap(&t, "", buf);
	pct(r->total.result_file, r->total.signed_results, p, sizeof p);
	snprintf(buf, sizeof buf, _("Results issued electronically: %ld result documents for %ld signed results (%s)."),
		 r->total.result_file, r->total.signed_results, p);
	wrap(&t, "", buf);
	double r1 = report_digital_rate(r->total.result_file, r->total.received);
	double r2 = report_digital_rate(r->total.digitised, r->total.received);
	double r3 = report_digital_rate(r->total.reused, r->total.received);
	snprintf(buf, sizeof buf, _("Points on the portal's scale (total): 4.1 %.2f of 6, 4.2 %.2f of 4, 4.3 %.2f of 2."),
		 report_digital_points(r1, 6, 0), report_digital_points(r2, 4, 80), report_digital_points(r3, 2, 80));
	wrap(&t, "", buf);
	if (t.buf)
		fputs(t.buf, f);
	strbuf_release(&t);
}

static void csv_cell(FILE *f, const char *s)
{
	char safe[600];
	form_safe(s, safe, sizeof safe);
	fputc('"', f);
	for (const char *p = safe; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

static void csv_row(FILE *f, const struct digital_row *w)
{
	char p1[16], p2[16], p3[16], p4[16];
	pct(w->result_file, w->received, p1, sizeof p1);
	pct(w->digitised, w->received, p2, sizeof p2);
	pct(w->reused, w->received, p3, sizeof p3);
	pct(w->components_reused, w->components, p4, sizeof p4);
	csv_cell(f, w->key);
	fputc(',', f);
	csv_cell(f, w->name);
	fprintf(f, ",%ld,%ld,%s,%ld,%s,%ld,%s,%ld,%ld,%s,%ld\r\n", w->received, w->result_file, p1, w->digitised, p2, w->reused,
		p3, w->components, w->components_reused, p4, w->signed_results);
}

void report_digital_csv(const struct digital_report *r, FILE *f)
{
	fputs("field,name,received,result_file,rate_4_1,digitised,rate_4_2,reused,rate_4_3,components,components_reused,"
	      "components_reused_rate,signed_results\r\n",
	      f);
	for (int i = 0; i < r->nrows; i++)
		csv_row(f, &r->rows[i]);
	csv_row(f, &r->total);
}

static json_t *rate_json(long num, long den)
{
	double v = report_digital_rate(num, den);
	return v < 0 ? json_null() : json_real(v);
}

static json_t *row_json(const struct digital_row *w)
{
	char name[600];
	form_safe(w->name, name, sizeof name);
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "field", w->key, "name", name, "received",
			      (json_int_t)w->received, "result_file", (json_int_t)w->result_file, "digitised", (json_int_t)w->digitised,
			      "reused", (json_int_t)w->reused, "components", (json_int_t)w->components, "components_reused",
			      (json_int_t)w->components_reused, "signed_results", (json_int_t)w->signed_results);
	if (o) {
		json_object_set_new(o, "rate_4_1", rate_json(w->result_file, w->received));
		json_object_set_new(o, "rate_4_2", rate_json(w->digitised, w->received));
		json_object_set_new(o, "rate_4_3", rate_json(w->reused, w->received));
		json_object_set_new(o, "components_reused_rate", rate_json(w->components_reused, w->components));
	}
	return o;
}

char *report_digital_json(const struct digital_report *r)
{
	char a[16], b[16], office[600];
	date_of(r->from, a, sizeof a);
	date_of(r->to - 1, b, sizeof b);
	form_safe(r->office, office, sizeof office);
	json_t *rows = json_array();
	for (int i = 0; i < r->nrows; i++)
		json_array_append_new(rows, row_json(&r->rows[i]));
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:s}}", "from", a, "to", b, "office", office, "rows", rows,
			      "total", row_json(&r->total), "formulas", "rate_4_1", "result_file / received x 100",
			      "rate_4_2", "digitised / received x 100 (every received component filed; the result document once signed)",
			      "rate_4_3", "reused / received x 100 (at least one component reused)", "components_reused_rate",
			      "components_reused / components x 100");
	char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return s;
}
