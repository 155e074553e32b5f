/* catalog.h - importing the procedure catalog from CSV (all or nothing).
 *
 * Header row (names, any order): code, name, level, field_code, field_name,
 * department, time_unit (day|hour), statutory_direct, committed_direct,
 * statutory_online, committed_online, fee, online_level (full|partial), components,
 * cutoff (optional: HH:MM; received at or after it, the time counts from the next
 * working day: "trong ngày; sau 15 giờ thì ngày làm việc tiếp theo").
 * components: names separated by '|'; a leading '*' marks an optional one.
 */
#ifndef MOTCUA_CATALOG_H
#define MOTCUA_CATALOG_H
#include <stddef.h>
#include "core.h"

/* parse and import buf (UTF-8 CSV) in one transaction; *count = procedures added */
int catalog_import_buf(struct core *c, const char *buf, size_t len, int *count, struct err *e);
int catalog_import_file(struct core *c, const char *path, int *count, struct err *e);
/* 1 if s is a national procedure code (MaTTHC): 1.004552, 1.003560.000.00.00.H56, 2.002621.H56 */
int catalog_national_code_ok(const char *s);

#endif
