/* procver.h - versioned procedures: the national catalogue changes every quarter, and
 * a dossier keeps the rules it was received under (procver.c). */
#ifndef MOTCUA_PROCVER_H
#define MOTCUA_PROCVER_H

#include <stddef.h>
#include <stdint.h>
#include "core.h"

/* one procedure's content as a catalogue gives it, to add or to version */
struct procver_req {
	struct procedure *p;      /* code, name, level, field_id, dept_id, times, fee, level, cut-off, components */
	const char *national;     /* MaTTHC or NULL/"" (kept) */
	const char *field_national; /* MaLinhVuc or NULL/"" (kept) */
	int64_t effective_from;   /* 0: now; else when the new version applies (not before now) */
	const char *source;       /* "csv", "portal" */
	const char *fees;         /* fee lines as the portal gave them (JSON array text) or NULL */
};

/* PV_ARRANGED: the same rules, but its level or department changed (in place) */
enum procver_what { PV_ADDED = 1, PV_VERSIONED = 2, PV_UNCHANGED = 3, PV_ARRANGED = 4 };
struct procver_out {
	int what;                 /* procver_what */
	int version;              /* the procedure's version after the call */
	int64_t effective_from;
	char changes[256];        /* keys of what changed ("name,times,components"), PV_VERSIONED */
};

/* add the procedure, or version it when its content differs from its latest version,
 * or do nothing when it does not.  Runs inside the caller's transaction. */
int procver_put(struct core *c, const struct procver_req *r, struct procver_out *o, struct err *e);
/* the changes keys in words, translated, ", " between (buf >= 64) */
void procver_describe(const char *changes, char *buf, size_t n);
/* a dossier's procedure as of the version it was received under */
int procver_of_dossier(struct core *c, const struct dossier *d, struct procedure *p);
/* the procedure by code as of the version that applies to a dossier received at `at` */
int procver_by_code_at(struct core *c, const char *code, int64_t at, struct procedure *p);
/* the procedure by code as of its latest version */
int procver_latest(struct core *c, const char *code, struct procedure *p);
/* the version of procedure id that applies at `at` */
int procver_at(struct core *c, int64_t proc_id, int64_t at);

/* every version of procedure `code`, oldest first: its content, when it applies from,
 * where it came from and what changed; MC_NOTFOUND */
struct procver_row {
	const struct procedure *p;
	int version;
	int64_t effective_from, created_at;
	const char *source, *created_by, *changes, *fees;
};
typedef int (*procver_cb)(const struct procver_row *r, void *ctx);
int procver_each(struct core *c, const char *code, procver_cb cb, void *ctx, struct err *e);

#endif
