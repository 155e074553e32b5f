/* err.h - status codes and the error record every core and store call fills in.
 *
 * Why: a clerk must always learn what was wrong and what to do.  Functions return
 * 0 on success or an MC_* code, and write a one-line message into struct err.  One
 * X-macro gives both the enum and the CLI exit code per kind.
 */
#ifndef MOTCUA_ERR_H
#define MOTCUA_ERR_H

#define MC_STATUS(_) \
	_(OK,        0, "ok") \
	_(USAGE,     2, "usage") \
	_(INVALID,   3, "invalid input") \
	_(NOTFOUND,  4, "not found") \
	_(DENIED,    5, "permission denied") \
	_(STATE,     6, "not allowed in this status") \
	_(CONFLICT,  7, "changed by someone else") \
	_(BUSY,      8, "store busy") \
	_(STORE,     9, "store error") \
	_(IO,       10, "input/output error") \
	_(VERSION,  11, "schema version") \
	_(FULL,     12, "disk full")

enum mc_status {
#define MC_ENUM(name, code, text) MC_##name = code,
	MC_STATUS(MC_ENUM)
#undef MC_ENUM
};

struct err {
	int code;
	char msg[512];
};

/* sets e->code and a printf-style message; returns code (so `return err_set(...)`) */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *err_kind(int code);
/* print e as "motcua: message" to stderr (sanitised); returns its exit code (1 if none) */
int err_print(const struct err *e);

#endif
