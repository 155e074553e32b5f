/* csvread.c - CSV with a header row through libcsv (see csvread.h). */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "csvread.h"

static void on_field(void *s, size_t len, void *data)
{
	struct csvread *r = data;
	if (r->rc)
		return;
	if (!s)
		len = 0;
	if (!r->header_done) {
		int k = -1;
		for (int i = 0; i < r->ncols; i++)
			if (s && strlen(r->cols[i]) == len && !memcmp(r->cols[i], s, len))
				k = i;
		if (r->col < r->maxcols)
			r->map[r->col] = k;
	} else if (r->col < r->maxcols && r->map[r->col] >= 0) {
		char *v = malloc(len + 1);
		if (v) {
			if (len)
				memcpy(v, s, len);
			v[len] = 0;
		}
		free(r->cell[r->map[r->col]]);
		r->cell[r->map[r->col]] = v;
	}
	r->col++;
}

static void on_row(int ch, void *data)
{
	(void)ch;
	struct csvread *r = data;
	r->line++;
	if (!r->rc) {
		if (!r->header_done) {
			int seen[CSVREAD_MAXCOLS] = {0};
			for (int i = 0; i < r->col && i < r->maxcols; i++)
				if (r->map[i] >= 0)
					seen[r->map[i]] = 1;
			r->rc = r->header(r, seen);
			r->header_done = 1;
		} else {
			r->rc = r->row(r);
		}
	}
	for (int i = 0; i < r->ncols; i++) {
		free(r->cell[i]);
		r->cell[i] = NULL;
	}
	r->col = 0;
}

int csvread_parse(struct csvread *r, const char *buf, size_t len)
{
	if (r->maxcols > CSVREAD_MAXCOLS)
		r->maxcols = CSVREAD_MAXCOLS;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		buf += 3;
		len -= 3;
	}
	struct csv_parser cp;
	if (csv_init(&cp, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
		return CSVREAD_NOMEM;
	if (csv_parse(&cp, buf, len, on_field, on_row, r) != len || csv_fini(&cp, on_field, on_row, r) != 0) {
		if (!r->rc) {
			r->csv_error = csv_strerror(csv_error(&cp));
			r->rc = CSVREAD_MALFORMED;
		}
	}
	csv_free(&cp);
	for (int i = 0; i < r->ncols; i++) {
		free(r->cell[i]);
		r->cell[i] = NULL;
	}
	return r->rc;
}
