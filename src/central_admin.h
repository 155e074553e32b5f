/* central_admin.h - offices, departments and procedures set up at central by
 * command (src/central_admin.c). */
#ifndef MOTCUA_CENTRAL_ADMIN_H
#define MOTCUA_CENTRAL_ADMIN_H
#include <jansson.h>
#include "central.h"

/* add or change an office (level 1 province, 2 district, 3 commune); offices take it at their next sync */
int central_office_put(struct central *cen, const char *code, const char *name, int level, struct err *e);
/* add or change a department of an office central knows */
int central_department_put(struct central *cen, const char *code, const char *office, const char *name, struct err *e);
/* the department that handles a procedure ("" for none) */
int central_procedure_assign(struct central *cen, const char *code, const char *dept, struct err *e);
/* central's reference documents of one kind, by key */
typedef int (*central_ref_cb)(const char *key, json_t *doc, void *ctx);
int central_ref_each(struct central *cen, const char *kind, central_ref_cb cb, void *ctx, struct err *e);

#endif
