/* catalog.h - importing the procedure catalog from CSV (all or nothing).
 *
 * Header row (names, any order): code, name, level, field_code, field_name,
 * department, time_unit (day|hour), statutory_direct, committed_direct,
 * statutory_online, committed_online, fee, online_level (full|partial), components,
 * cutoff (optional: HH:MM; received at or after it, the time counts from the next
 * working day: "trong ngày; sau 15 giờ thì ngày làm việc tiếp theo").
 * components: names separated by '|'; a leading '*' marks an optional one.
 * effective (optional): YYYY-MM-DD from which a changed procedure's new version applies
 * (today or later; empty: now).
 *
 * A code already in the catalog is an update: the same content changes nothing, other
 * content makes a new version of the procedure (procver.h), reported with what changed.
 */
#ifndef MOTCUA_CATALOG_H
#define MOTCUA_CATALOG_H
#include <stddef.h>
#include <stdint.h>
#include "core.h"

struct procver_out;
/* what an import did, procedure by procedure */
struct catalog_change {
	char code[32];
	int what;                 /* PV_ADDED, PV_VERSIONED, PV_UNCHANGED (procver.h) */
	int version;
	int64_t effective_from;
	char changes[256];        /* keys (procver_describe) */
};
struct catalog_result {
	int added, versioned, unchanged;
	int n, cap;
	struct catalog_change *list;
};
void catalog_result_free(struct catalog_result *r);
int catalog_result_add(struct catalog_result *r, const char *code, const struct procver_out *o, struct err *e);
/* parse an effective date YYYY-MM-DD: today (= now) or later; 0 or CATALOG_DATE_* */
enum { CATALOG_DATE_BAD = 1, CATALOG_DATE_PAST = 2 };
int catalog_effective(struct core *c, const char *s, int64_t *out);
int catalog_import_buf_ex(struct core *c, const char *buf, size_t len, struct catalog_result *r, struct err *e);
int catalog_import_file_ex(struct core *c, const char *path, struct catalog_result *r, struct err *e);

/* parse and import buf (UTF-8 CSV) in one transaction; *count = procedures added or versioned */
int catalog_import_buf(struct core *c, const char *buf, size_t len, int *count, struct err *e);
int catalog_import_file(struct core *c, const char *path, int *count, struct err *e);
/* 1 if s is a national procedure code (MaTTHC): 1.004552, 1.003560.000.00.00.H56, 2.002621.H56 */
int catalog_national_code_ok(const char *s);

#endif
