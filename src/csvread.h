/* csvread.h - reading a UTF-8 CSV file whose first row names its columns (libcsv).
 *
 * Why: the catalog and the calendar import read CSV the same way: the header maps the
 * columns by name (in any order, unknown ones ignored), then each data row's cells are
 * handed over by known column.  This module owns that reading; the callers own the
 * meaning of the cells and every message a person sees.
 */
#ifndef MOTCUA_CSVREAD_H
#define MOTCUA_CSVREAD_H

#include <stddef.h>

#define CSVREAD_MAXCOLS 64
#define CSVREAD_NOMEM (-1)      /* out of memory before reading */
#define CSVREAD_MALFORMED (-2)  /* not CSV near line r->line + 1; r->csv_error says why */

struct csvread {
	/* set by the caller */
	const char *const *cols;        /* the known columns' names */
	int ncols;                      /* how many (at most CSVREAD_MAXCOLS) */
	int maxcols;                    /* columns of the file looked at (at most CSVREAD_MAXCOLS) */
	/* after the header: seen[k] is 1 when column k is in it; 0 or an error code */
	int (*header)(struct csvread *r, const int *seen);
	/* each data row: cell[k] is column k's text, NULL when absent or empty */
	int (*row)(struct csvread *r);
	void *ctx;
	/* filled while reading */
	int line;                       /* rows read so far (the current one included) */
	int header_done;
	char *cell[CSVREAD_MAXCOLS];
	const char *csv_error;          /* with CSVREAD_MALFORMED */
	/* internal */
	int col, map[CSVREAD_MAXCOLS], rc;
};

/* Read buf (a UTF-8 byte order mark is skipped): 0, the first nonzero return of a
 * callback (reading stops there), CSVREAD_NOMEM or CSVREAD_MALFORMED. */
int csvread_parse(struct csvread *r, const char *buf, size_t len);

#endif
