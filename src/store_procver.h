/* store_procver.h - the versions of a procedure in the store (db/0018_procversions.sql;
 * the rules are procver.c's). */
#ifndef MOTCUA_STORE_PROCVER_H
#define MOTCUA_STORE_PROCVER_H

#include <stdint.h>
#include <jansson.h>
#include "err.h"
#include "model.h"
#include "store.h"

struct procver_info {
	int version;
	int64_t effective_from;  /* unix seconds; 0: from the start */
	char source[16];         /* "initial", "csv", "portal", "central" */
	int64_t created_at;
	char created_by[ACCOUNT_LEN];
	char changes[256];       /* keys of what changed from the previous version, ','-separated */
	char fees[4096];         /* fee lines as the portal gave them (JSON array text) or "" */
};

/* version v->version of p (p->id, its content and components) */
int store_procver_add(struct store *st, const struct procedure *p, const struct procver_info *v, struct err *e);
/* the latest version kept as a version row if it has none (before a new one is made) */
int store_procver_keep(struct store *st, int64_t proc_id, struct err *e);
/* the procedures row (and its components) take p's content as the latest version */
int store_procver_set_latest(struct store *st, const struct procedure *p, int version, struct err *e);
/* procedure proc_id as of version (0: the latest); a version the store does not hold
 * reads as the latest.  p->version says which it is.  MC_NOTFOUND */
int store_procver_get(struct store *st, int64_t proc_id, int version, struct procedure *p);
/* dossier d's procedure as of the version it was received under (procver_of_dossier) */
int store_procver_of_dossier(struct store *st, const struct dossier *d, struct procedure *p);
/* the version that applies to a dossier received at `at`: the highest whose
 * effective_from <= at, else the first */
int store_procver_at(struct store *st, int64_t proc_id, int64_t at, int *version);
int store_procver_latest(struct store *st, int64_t proc_id, int *version);
/* every version of proc_id, oldest first, each read whole (p) with its record (v) */
typedef int (*store_procver_cb)(const struct procedure *p, const struct procver_info *v, void *ctx);
int store_procver_each(struct store *st, int64_t proc_id, store_procver_cb cb, void *ctx);

/* the field whose national code (MaLinhVuc) is nat; MC_NOTFOUND */
int store_field_by_national(struct store *st, const char *nat, int64_t *id);

/* reference data: the versions of the procedure row being published (json array), and
 * a published procedure's versions applied at an office (doc: central's document) */
json_t *store_procver_ref(struct store *st, int64_t proc_id);
int store_procver_ref_apply(struct store *st, json_t *doc, struct err *e);

#endif
