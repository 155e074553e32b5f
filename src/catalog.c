/* catalog.c - catalog import from CSV with libcsv; every row is validated, and one
 * bad row leaves the store untouched (one transaction). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "catalog.h"
#include "fees.h"
#include "csvread.h"
#include "store.h"
#include "store_portal.h"
#include "text.h"

#define NCOLS 19
static const char *cols[NCOLS] = {"code", "name", "level", "field_code", "field_name", "department",
	"time_unit", "statutory_direct", "committed_direct", "statutory_online", "committed_online",
	"fee", "online_level", "components", "cutoff",
	"national_code", "field_national_code", /* optional: the national portal's codes (store_portal.h) */
	"fees", "fee_step"}; /* optional: fee lines KIND:AMOUNT:NAME|... and the payment step (fees.h) */

struct parse {
	struct core *c;
	struct err *e;
	int count;
	struct csvread r;
};

static int num(struct parse *p, int k, long lo, long hi, long *out)
{
	char *end;
	const char *s = p->r.cell[k] ? p->r.cell[k] : "";
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return err_set(p->e, MC_INVALID, "catalog line %d: %s '%.20s' must be a number from %ld to %ld", p->r.line, cols[k], s, lo, hi);
	*out = v;
	return 0;
}

static int text(struct parse *p, int k, size_t maxc, char *out, size_t n, int required)
{
	char msg[256], what[64];
	snprintf(what, sizeof what, "catalog line %d: %s", p->r.line, cols[k]);
	if (text_clean(p->r.cell[k] ? p->r.cell[k] : "", what, maxc, out, n, msg, sizeof msg))
		return err_set(p->e, MC_INVALID, "%s", msg);
	if (required && !*out)
		return err_set(p->e, MC_INVALID, "%s is empty", what);
	return 0;
}

/* MaTTHC: D.NNNNNN, optionally localised (.000.00.00.H56, .H56) */
int catalog_national_code_ok(const char *s)
{
	if (!(s[0] >= '0' && s[0] <= '9') || s[1] != '.')
		return 0;
	for (int i = 2; i < 8; i++)
		if (!(s[i] >= '0' && s[i] <= '9'))
			return 0;
	if (!s[8])
		return 1;
	if (s[8] != '.' || !s[9])
		return 0;
	for (const char *c = s + 9; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || *c == '.'))
			return 0;
	return s[strlen(s) - 1] != '.';
}

/* the optional fees and fee_step columns of a procedure just added */
static int catalog_fees(struct parse *p, const char *code)
{
	const char *fs = p->r.cell[17] ? p->r.cell[17] : "", *step = p->r.cell[18] ? p->r.cell[18] : "";
	struct fee_line l[FEE_LINES_MAX];
	int n = 0;
	int64_t id;
	if (!*fs && !*step)
		return 0;
	if (fees_parse_lines(fs, l, FEE_LINES_MAX, &n, p->e) || (*step && fees_step_ok(step, p->e))) {
		char why[sizeof p->e->msg];
		snprintf(why, sizeof why, "%s", p->e->msg);
		return err_set(p->e, MC_INVALID, "catalog line %d: %s", p->r.line, why);
	}
	if (store_procedure_id(p->c->st, code, &id))
		return err_set(p->e, MC_NOTFOUND, "unknown procedure '%.40s'", code);
	return fees_lines_put(p->c->st, id, l, n, *step ? step : "receive", p->e);
}

static int row(struct parse *p)
{
	struct procedure *pr = calloc(1, sizeof *pr);
	char fcode[64], fname[256], dept[64], unit[16], level[16], comps[4096];
	long v;
	int rc = 0;
	if (!pr)
		return err_set(p->e, MC_STORE, "out of memory");
	if ((rc = text(p, 0, 30, pr->code, sizeof pr->code, 1)) || (rc = text(p, 1, 190, pr->name, sizeof pr->name, 1)) ||
	    (rc = text(p, 3, 30, fcode, sizeof fcode, 1)) || (rc = text(p, 4, 60, fname, sizeof fname, 0)) ||
	    (rc = text(p, 5, 30, dept, sizeof dept, 0)) || (rc = text(p, 6, 8, unit, sizeof unit, 0)) ||
	    (rc = text(p, 12, 8, level, sizeof level, 0)) || (rc = text(p, 13, 1000, comps, sizeof comps, 0)))
		goto out;
	if ((rc = num(p, 2, 1, 3, &v)))
		goto out;
	pr->level = (int)v;
	if (!*unit || !strcmp(unit, "day"))
		pr->hours = 0;
	else if (!strcmp(unit, "hour"))
		pr->hours = 1;
	else {
		rc = err_set(p->e, MC_INVALID, "catalog line %d: time_unit must be day or hour", p->r.line);
		goto out;
	}
	int *t[4] = {&pr->statutory_direct, &pr->committed_direct, &pr->statutory_online, &pr->committed_online};
	for (int i = 0; i < 4; i++) {
		if ((rc = num(p, 7 + i, 1, 10000, &v)))
			goto out;
		*t[i] = (int)v;
	}
	if (pr->committed_direct > pr->statutory_direct || pr->committed_online > pr->statutory_online) {
		rc = err_set(p->e, MC_INVALID, "catalog line %d: the committed time cannot exceed the statutory time", p->r.line);
		goto out;
	}
	if (p->r.cell[11] && *p->r.cell[11]) {
		if ((rc = num(p, 11, 0, 1000000000L, &v)))
			goto out;
		pr->fee = v;
	}
	char cut[16];
	if ((rc = text(p, 14, 5, cut, sizeof cut, 0)))
		goto out;
	if (*cut) {
		int hh, mm, used = 0;
		if (sscanf(cut, "%2d:%2d%n", &hh, &mm, &used) != 2 || used != (int)strlen(cut) || hh < 0 || hh > 23 || mm < 0 ||
		    mm > 59 || hh * 60 + mm == 0) {
			rc = err_set(p->e, MC_INVALID, "catalog line %d: cutoff '%s' must be a time of day HH:MM, e.g. 15:00", p->r.line, cut);
			goto out;
		}
		pr->cutoff = hh * 60 + mm;
	}
	pr->full_online = !strcmp(level, "full");
	if (*level && strcmp(level, "full") && strcmp(level, "partial")) {
		rc = err_set(p->e, MC_INVALID, "catalog line %d: online_level must be full or partial", p->r.line);
		goto out;
	}
	if (store_field_by_code(p->c->st, fcode, &pr->field_id, NULL, 0)) {
		if (!*fname) {
			rc = err_set(p->e, MC_INVALID, "catalog line %d: new field %s needs a field_name", p->r.line, fcode);
			goto out;
		}
		if ((rc = store_field_add(p->c->st, fcode, fname, &pr->field_id, p->e)))
			goto out;
	}
	if (*dept) {
		struct department d;
		if (store_dept_by_code(p->c->st, dept, &d)) {
			rc = err_set(p->e, MC_NOTFOUND, "catalog line %d: unknown department '%s'", p->r.line, dept);
			goto out;
		}
		pr->dept_id = d.id;
	}
	for (char *sv = NULL, *tk = strtok_r(comps, "|", &sv); tk; tk = strtok_r(NULL, "|", &sv)) {
		while (*tk == ' ')
			tk++;
		if (!*tk)
			continue;
		if (pr->ncomponents == MAX_COMPONENTS) {
			rc = err_set(p->e, MC_INVALID, "catalog line %d: at most %d components", p->r.line, MAX_COMPONENTS);
			goto out;
		}
		struct component *cp = &pr->components[pr->ncomponents++];
		cp->required = *tk != '*';
		snprintf(cp->name, sizeof cp->name, "%s", tk + (*tk == '*'));
	}
	struct procedure *old = malloc(sizeof *old);
	int exists = old && store_procedure_by_code(p->c->st, pr->code, old) == 0;
	free(old);
	if (exists) {
		rc = err_set(p->e, MC_INVALID, "catalog line %d: procedure %s is already in the catalog", p->r.line, pr->code);
		goto out;
	}
	char nat[64], fnat[64];
	if ((rc = text(p, 15, 40, nat, sizeof nat, 0)) || (rc = text(p, 16, 30, fnat, sizeof fnat, 0)))
		goto out;
	if (*nat && !catalog_national_code_ok(nat)) {
		rc = err_set(p->e, MC_INVALID, "catalog line %d: national_code '%s' is not a national procedure code like 1.004552 or 1.003560.000.00.00.H56",
			     p->r.line, nat);
		goto out;
	}
	if (!(rc = store_procedure_add(p->c->st, pr, p->e)) && (*nat || *fnat))
		rc = store_national_set(p->c->st, pr->code, *nat ? nat : "", fnat, p->e);
	if (!rc)
		rc = catalog_fees(p, pr->code);
	if (!rc)
		p->count++;
out:
	free(pr);
	return rc;
}

static int on_header(struct csvread *r, const int *seen)
{
	struct parse *p = r->ctx;
	for (int i = 0; i < NCOLS; i++)
		if (!seen[i] && i != 4 && i != 5 && i != 6 && i != 11 && i != 12 && i != 13 && i < 14)
			return err_set(p->e, MC_INVALID, "catalog: the header has no '%s' column", cols[i]);
	return 0;
}

static int on_row(struct csvread *r)
{
	return row(r->ctx);
}

int catalog_import_buf(struct core *c, const char *buf, size_t len, int *count, struct err *e)
{
	struct parse p;
	memset(&p, 0, sizeof p);
	p.c = c;
	p.e = e;
	const char *nul = memchr(buf, 0, len);
	if (nul) {
		int line = 1;
		for (const char *q = buf; q < nul; q++)
			line += *q == '\n';
		return err_set(e, MC_INVALID, "catalog line %d holds a NUL byte: the file is not a text CSV file", line);
	}
	if (!text_valid_utf8(buf, len))
		return err_set(e, MC_INVALID, "catalog: the file is not valid UTF-8 (convert it first, e.g. iconv -f CP1258 -t UTF-8)");
	if (store_begin(c->st, e))
		return e->code;
	p.r = (struct csvread){.cols = cols, .ncols = NCOLS, .maxcols = 64, .header = on_header, .row = on_row, .ctx = &p};
	int rc = csvread_parse(&p.r, buf, len);
	if (rc == CSVREAD_NOMEM)
		rc = err_set(e, MC_STORE, "out of memory");
	else if (rc == CSVREAD_MALFORMED)
		rc = err_set(e, MC_INVALID, "catalog: malformed CSV near line %d: %s", p.r.line + 1, p.r.csv_error);
	if (!rc && !p.r.header_done)
		rc = err_set(e, MC_INVALID, "catalog: the file is empty");
	if (rc) {
		store_rollback(c->st);
		return rc;
	}
	*count = p.count;
	return store_commit(c->st, e);
}

int catalog_import_file(struct core *c, const char *path, int *count, struct err *e)
{
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return err_set(e, MC_INVALID, "%s is a directory: give the catalog's CSV file", path);
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, MC_IO, "cannot read %s", path);
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[65536];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n > 64u << 20) {
			fclose(f);
			free(buf);
			return err_set(e, MC_INVALID, "%s: larger than 64 MB", path);
		}
		if (len + n > cap) {
			cap = (len + n) * 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				free(buf);
				return err_set(e, MC_STORE, "out of memory");
			}
			buf = nb;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	int rc = catalog_import_buf(c, buf ? buf : "", len, count, e);
	free(buf);
	return rc;
}
