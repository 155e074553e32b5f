/* forms_output.c - where a form or report goes once built (see forms.h): the printer
 * (lpr -P, the setting 'printer' or $PRINTER), a file, or stdout, in the printer's
 * encoding.
 *
 * Why apart from forms.c: building a form's text and sending bytes to a device are two
 * jobs; this one owns the encoding at the edge, the lpr child process and its errors.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "charset.h"
#include "forms.h"
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

static int write_all(int fd, const char *s, size_t l)
{
	while (l) {
		ssize_t w = write(fd, s, l);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		l -= (size_t)w;
	}
	return 0;
}

static int to_printer(const char *printer, const char *bytes, size_t len, struct err *e)
{
	for (const char *p = printer; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, MC_INVALID, "the printer name holds a control character");
	if (printer[0] == '-')
		return err_set(e, MC_INVALID, "printer name '%.40s' is not valid", printer);
	int fds[2];
	if (pipe(fds))
		return err_set(e, MC_IO, "cannot start lpr: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return err_set(e, MC_IO, "cannot start lpr: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		/* set-id: never trust PATH */
		const char *lpr = getuid() != geteuid() || getgid() != getegid() ? "/usr/bin/lpr" : "lpr";
		execlp(lpr, "lpr", "-P", printer, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	int wr = write_all(fds[1], bytes, len);
	close(fds[1]);
	signal(SIGPIPE, old);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return err_set_hint(e, MC_IO, HINT_PRINT_FILE, "lpr was not found: install cups-client (lpr)");
	if (wr || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, MC_IO, "lpr failed (printer '%.40s', exit %d): nothing was printed", printer,
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
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
