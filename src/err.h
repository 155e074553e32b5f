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

/* What a front end may add to a message: the core never names a command-line flag
 * or a command.  The CLI turns a hint into its flag text (cli.c), the UI into its own
 * words (screens/common.c). */
enum err_hint {
	HINT_NONE,
	HINT_DEPARTMENT,     /* choose a department */
	HINT_PERIOD,         /* give a period, or a from and to date */
	HINT_PRINT_FILE,     /* print to a file instead */
	HINT_PRINTER,        /* configure a printer */
	HINT_KEY_CREATE,     /* create a signing key */
	HINT_KEY_REPLACE,    /* replacing a key must be asked for */
	HINT_STORE_CREATE,   /* create a store or name another one */
	HINT_OFFICE_CREATE,  /* the store needs an office */
	HINT_CENTRAL_URL,    /* name the central database */
	HINT_CENTRAL_INIT,   /* initialise the central database */
	HINT_CATALOG_LIST,   /* see the catalog's codes */
	HINT_USERS_LIST,     /* see the store's users */
	HINT_ACT_AS,         /* root acts for a user */
	HINT_COUNT
};

/* which input a message is about, so that a form can put the cursor there */
enum err_field {
	EF_NONE,
	EF_PROCEDURE,
	EF_NAME,
	EF_IDNO,
	EF_PHONE,
	EF_ADDRESS,
	EF_COMPONENTS,
	EF_REASON,
	EF_DATE,
	EF_PASSPHRASE,
	EF_DEPARTMENT,
	EF_ASSIGNEE,
	EF_COLLECTED_BY,
	EF_RATING
};

struct err {
	int code;
	int hint;       /* enum err_hint: what the front end may add */
	int field;      /* enum err_field: the input the message is about */
	char msg[512];
};

/* sets e->code and a printf-style message (its format translated by gettext, so
 * one whole English sentence); clears hint and field; returns code (so
 * `return err_set(...)`) */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* err_set with a hint for the front end */
int err_set_hint(struct err *e, int code, int hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* err_set about one input (enum err_field) */
int err_set_field(struct err *e, int code, int field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
const char *err_kind(int code);
/* print e as "motcua: message" to stderr (sanitised); returns its exit code (1 if none) */
int err_print(const struct err *e);

#endif
