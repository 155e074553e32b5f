/* forms_output.c - where a form or report goes once built (see forms.h): the printer
 * (lpr -P, the setting 'printer' or $PRINTER), a file, or stdout, in the printer's
 * encoding.
 *
 * Why apart from forms.c: building a form's text and sending bytes to a device are two
 * jobs; this one owns the encoding at the edge (the lpr child process is src/lpr.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "charset.h"
#include "forms.h"
#include "lpr.h"
#include "store.h"

/* ---- output ------------------------------------------------------------------------------- */

int forms_printer(struct core *c, char *buf, size_t n)
{
	if (store_setting_get(c->st, "printer", buf, n) == 0 && buf[0])
		return 0;
	const char *p = secure_getenv("PRINTER");
	if (p && *p) {
		snprintf(buf, n, "%s", p);
		return 0;
	}
	buf[0] = 0;
	return -1;
}

static int to_printer(const char *printer, const char *bytes, size_t len, struct err *e)
{
	struct lpr l;
	int rc = lpr_open(&l, printer, e);
	return rc ? rc : lpr_close(&l, lpr_write_all(l.fd, bytes, len), 0, e);
}

int forms_output(struct core *c, const char *text, const char *encoding, const char *out_file,
		 int print, struct err *e)
{
	char msg[256], printer[256];
	if (print && forms_printer(c, printer, sizeof printer))
		return err_set_hint(e, MC_INVALID, HINT_PRINTER, "no printer is configured");
	struct charset *cs = charset_open(encoding && *encoding ? encoding : "utf-8", msg, sizeof msg);
	if (!cs)
		return err_set(e, MC_INVALID, "%s", msg);
	size_t len = strlen(text);
	char *bytes = NULL;
	const char *outp = text;
	if (!charset_is_utf8(cs)) {
		size_t cap = len * 2 + 16;
		bytes = malloc(cap);
		if (!bytes) {
			charset_close(cs);
			return err_set(e, MC_STORE, "out of memory");
		}
		len = charset_from_utf8(cs, text, bytes, cap);
		outp = bytes;
	}
	charset_close(cs);
	int rc = 0;
	if (out_file) {
		FILE *f = fopen(out_file, "wb");
		if (!f || fwrite(outp, 1, len, f) != len) {
			rc = err_set(e, MC_IO, "cannot write %.200s: %s", out_file, strerror(errno));
			if (f)
				fclose(f);
		} else if (fclose(f)) {
			rc = err_set(e, MC_IO, "cannot write %.200s: %s", out_file, strerror(errno));
		}
	} else if (print) {
		rc = to_printer(printer, outp, len, e);
	} else {
		fwrite(outp, 1, len, stdout);
		fflush(stdout);
	}
	free(bytes);
	return rc;
}
