/* lpr.h - handing bytes to the system's print spooler (lpr), for forms and files. */
#ifndef MOTCUA_LPR_H
#define MOTCUA_LPR_H
#include <sys/types.h>
#include "err.h"

struct lpr {
	pid_t pid;
	int fd;                 /* write the document here */
	void (*old_sigpipe)(int);
	char printer[256];
};

/* starts `lpr -P printer` reading a pipe; refuses a printer name that could be an option
 * or holds a control character */
int lpr_open(struct lpr *l, const char *printer, struct err *e);
/* closes the pipe and waits for lpr; failed: the caller's writing failed.  Sets e (with
 * the hint to print to a file, or to export when file is set) and returns non-zero when
 * nothing was printed. */
int lpr_close(struct lpr *l, int failed, int file, struct err *e);
int lpr_write_all(int fd, const char *s, size_t len);

#endif
