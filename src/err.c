/* err.c - filling in struct err (see err.h). */
#include <stdarg.h>
#include <stdio.h>
#include "err.h"

int err_set(struct err *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->code = code;
	return code;
}

const char *err_kind(int code)
{
	switch (code) {
#define MC_CASE(name, c, text) case c: return text;
	MC_STATUS(MC_CASE)
#undef MC_CASE
	}
	return "error";
}
