/* lpr.c - the one way motcua prints: a pipe into `lpr -P PRINTER` (see lpr.h).
 *
 * Forms write a finished text and attachments stream their chunks, both through this
 * pair.  Under the set-group-id install PATH is not trusted, so lpr is /usr/bin/lpr
 * there; SIGPIPE is ignored while writing so that an lpr that dies early is an error
 * message, not a killed clerk's session.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lpr.h"

int lpr_write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

int lpr_open(struct lpr *l, const char *printer, struct err *e)
{
	for (const char *p = printer; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, MC_INVALID, "the printer name holds a control character");
	if (printer[0] == '-')
		return err_set(e, MC_INVALID, "printer name '%.40s' is not valid", printer);
	size_t n = strlen(printer);
	if (n >= sizeof l->printer)
		return err_set(e, MC_INVALID, "printer name '%.40s' is not valid", printer);
	memcpy(l->printer, printer, n + 1);
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
		execlp(lpr, "lpr", "-P", l->printer, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	l->pid = pid;
	l->fd = fds[1];
	l->old_sigpipe = signal(SIGPIPE, SIG_IGN);
	return 0;
}

int lpr_close(struct lpr *l, int failed, int file, struct err *e)
{
	close(l->fd);
	signal(SIGPIPE, l->old_sigpipe);
	int status = 0;
	while (waitpid(l->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return file ? err_set(e, MC_IO, "lpr was not found: install cups-client (lpr) or export the file with motcua file export")
			    : err_set_hint(e, MC_IO, HINT_PRINT_FILE, "lpr was not found: install cups-client (lpr)");
	if (failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, MC_IO, "lpr failed (printer '%.40s', exit %d): nothing was printed", l->printer,
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
