/* store_portal.h - the national codes of procedures and fields (see store_portal.c). */
#ifndef MOTCUA_STORE_PORTAL_H
#define MOTCUA_STORE_PORTAL_H

#include <stddef.h>
#include "err.h"
#include "store.h"

/* MaTTHC and MaLinhVuc of a procedure (the local codes when none is set); MC_NOTFOUND */
int store_national_codes(struct store *st, const char *proc_code, char *mattc, size_t n, char *malv, size_t m);
/* set them (malv NULL or "": the field's stays) */
int store_national_set(struct store *st, const char *proc_code, const char *mattc, const char *malv, struct err *e);

/* the local procedure whose national code (or code) is mattc; MC_NOTFOUND */
int store_procedure_by_national(struct store *st, const char *mattc, char *code, size_t n);

#endif
