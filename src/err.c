/* err.c - filling in struct err (see err.h). */
#include <stdarg.h>
#include <stdio.h>
#include "err.h"
#include "i18n.h"

static int err_vset(struct err *e, int code, int hint, int field, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	/* the format is translated, then filled in: msgids are whole English sentences */
	vsnprintf(e->msg, sizeof e->msg, gettext(fmt), ap);
	e->code = code;
	e->hint = hint;
	e->field = field;
	return code;
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, HINT_NONE, EF_NONE, fmt, ap);
	va_end(ap);
	return code;
}

int err_set_hint(struct err *e, int code, int hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, hint, EF_NONE, fmt, ap);
	va_end(ap);
	return code;
}

int err_set_field(struct err *e, int code, int field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, HINT_NONE, field, fmt, ap);
	va_end(ap);
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
