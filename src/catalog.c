/* catalog.c - catalog import from CSV with libcsv; every row is validated, and one
 * bad row leaves the store untouched (one transaction). */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "catalog.h"
#include "store.h"
#include "text.h"

#define NCOLS 15
static const char *cols[NCOLS] = {"code", "name", "level", "field_code", "field_name", "department",
	"time_unit", "statutory_direct", "committed_direct", "statutory_online", "committed_online",
	"fee", "online_level", "components", "cutoff"};

struct parse {
	struct core *c;
	struct err *e;
	int line, col, map[64], header_done, count, rc;
	char *cell[NCOLS];
};

static int num(struct parse *p, int k, long lo, long hi, long *out)
{
	char *end;
	const char *s = p->cell[k] ? p->cell[k] : "";
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return err_set(p->e, MC_INVALID, "catalog line %d: %s '%.20s' must be a number from %ld to %ld", p->line, cols[k], s, lo, hi);
	*out = v;
	return 0;
}

static int text(struct parse *p, int k, size_t maxc, char *out, size_t n, int required)
{
	char msg[256], what[64];
	snprintf(what, sizeof what, "catalog line %d: %s", p->line, cols[k]);
	if (text_clean(p->cell[k] ? p->cell[k] : "", what, maxc, out, n, msg, sizeof msg))
		return err_set(p->e, MC_INVALID, "%s", msg);
	if (required && !*out)
		return err_set(p->e, MC_INVALID, "%s is empty", what);
	return 0;
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
		rc = err_set(p->e, MC_INVALID, "catalog line %d: time_unit must be day or hour", p->line);
		goto out;
	}
	int *t[4] = {&pr->statutory_direct, &pr->committed_direct, &pr->statutory_online, &pr->committed_online};
	for (int i = 0; i < 4; i++) {
		if ((rc = num(p, 7 + i, 1, 10000, &v)))
			goto out;
		*t[i] = (int)v;
	}
	if (pr->committed_direct > pr->statutory_direct || pr->committed_online > pr->statutory_online) {
		rc = err_set(p->e, MC_INVALID, "catalog line %d: the committed time cannot exceed the statutory time", p->line);
		goto out;
	}
	if (p->cell[11] && *p->cell[11]) {
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
			rc = err_set(p->e, MC_INVALID, "catalog line %d: cutoff '%s' must be a time of day HH:MM, e.g. 15:00", p->line, cut);
			goto out;
		}
		pr->cutoff = hh * 60 + mm;
	}
	pr->full_online = !strcmp(level, "full");
	if (*level && strcmp(level, "full") && strcmp(level, "partial")) {
		rc = err_set(p->e, MC_INVALID, "catalog line %d: online_level must be full or partial", p->line);
		goto out;
	}
	if (store_field_by_code(p->c->st, fcode, &pr->field_id, NULL, 0)) {
		if (!*fname) {
			rc = err_set(p->e, MC_INVALID, "catalog line %d: new field %s needs a field_name", p->line, fcode);
			goto out;
		}
		if ((rc = store_field_add(p->c->st, fcode, fname, &pr->field_id, p->e)))
			goto out;
	}
	if (*dept) {
		struct department d;
		if (store_dept_by_code(p->c->st, dept, &d)) {
			rc = err_set(p->e, MC_NOTFOUND, "catalog line %d: unknown department '%s'", p->line, dept);
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
			rc = err_set(p->e, MC_INVALID, "catalog line %d: at most %d components", p->line, MAX_COMPONENTS);
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
		rc = err_set(p->e, MC_INVALID, "catalog line %d: procedure %s is already in the catalog", p->line, pr->code);
		goto out;
	}
	if (!(rc = store_procedure_add(p->c->st, pr, p->e)))
		p->count++;
out:
	free(pr);
	return rc;
}

static void on_field(void *s, size_t len, void *data)
{
	struct parse *p = data;
	if (p->rc)
		return;
	if (!s)
		len = 0;
	if (!p->header_done) {
		int k = -1;
		for (int i = 0; i < NCOLS; i++)
			if (s && strlen(cols[i]) == len && !memcmp(cols[i], s, len))
				k = i;
		if (p->col < 64)
			p->map[p->col] = k;
	} else if (p->col < 64 && p->map[p->col] >= 0) {
		char *v = malloc(len + 1);
		if (v) {
			if (len)
				memcpy(v, s, len);
			v[len] = 0;
		}
		free(p->cell[p->map[p->col]]);
		p->cell[p->map[p->col]] = v;
	}
	p->col++;
}

static void on_row(int ch, void *data)
{
	(void)ch;
	struct parse *p = data;
	p->line++;
	if (!p->rc) {
		if (!p->header_done) {
			int seen[NCOLS] = {0};
			for (int i = 0; i < p->col && i < 64; i++)
				if (p->map[i] >= 0)
					seen[p->map[i]] = 1;
			for (int i = 0; i < NCOLS; i++)
				if (!seen[i] && i != 4 && i != 5 && i != 6 && i != 11 && i != 12 && i != 13 && i != 14) {
					p->rc = err_set(p->e, MC_INVALID, "catalog: the header has no '%s' column", cols[i]);
					break;
				}
			p->header_done = 1;
		} else {
			p->rc = row(p);
		}
	}
	for (int i = 0; i < NCOLS; i++) {
		free(p->cell[i]);
		p->cell[i] = NULL;
	}
	p->col = 0;
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
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		buf += 3;
		len -= 3;
	}
	struct csv_parser cp;
	if (csv_init(&cp, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
		return err_set(e, MC_STORE, "out of memory");
	if (store_begin(c->st, e)) {
		csv_free(&cp);
		return e->code;
	}
	if (csv_parse(&cp, buf, len, on_field, on_row, &p) != len || csv_fini(&cp, on_field, on_row, &p) != 0) {
		if (!p.rc)
			p.rc = err_set(e, MC_INVALID, "catalog: malformed CSV near line %d: %s", p.line + 1, csv_strerror(csv_error(&cp)));
	}
	csv_free(&cp);
	for (int i = 0; i < NCOLS; i++)
		free(p.cell[i]);
	if (!p.rc && !p.header_done)
		p.rc = err_set(e, MC_INVALID, "catalog: the file is empty");
	if (p.rc) {
		store_rollback(c->st);
		return p.rc;
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
