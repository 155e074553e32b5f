/* store_org.h - the organisation of 2025 in the store: office kinds and parents, which
 * procedures an office receives and which it resolves (db/0012_org.sql).  Only the
 * core (org.c) and reference sync call these. */
#ifndef MOTCUA_STORE_ORG_H
#define MOTCUA_STORE_ORG_H

#include <jansson.h>
#include "store.h"

/* kind and parent (agency code, "" for none) of an office */
int store_org_set_kind(struct store *st, int64_t office_id, const char *kind, int64_t parent_id, struct err *e);
/* role "receive" or "resolve"; add = 0 removes the pair */
int store_org_proc_set(struct store *st, int64_t office_id, int64_t procedure_id, const char *role, int add, struct err *e);
/* the offices holding (procedure, role), by agency code in code order; returns how many */
int store_org_offices(struct store *st, int64_t procedure_id, const char *role, char (*codes)[32], int max);
/* 1 if the office has the pair; *any: 1 if it has any pair of that role */
int store_org_has(struct store *st, int64_t office_id, int64_t procedure_id, const char *role, int *any);

/* every office, by level and agency code, with its parent and how many procedures it lists */
int store_org_each(struct store *st, int (*cb)(const struct office *o, const char *parent, int receives, int resolves, void *ctx),
		   void *ctx);

/* how many dossiers have a code in [first, code] (the register's running number) */
int store_org_register_no(struct store *st, const char *first, const char *code);

/* the dossiers office_id received that another office holds (all: finished ones too), by due date */
int store_org_followed(struct store *st, int64_t office_id, int all,
		       int (*cb)(const char *code, const char *at, int stage, int64_t due_at, void *ctx), void *ctx);

/* reference sync: one "org" row per office that is not legacy or holds pairs */
int store_org_ref_each(struct store *st, int (*cb)(const char *, const char *, json_t *, void *), void *ctx);
int store_org_ref_apply(struct store *st, json_t *doc, struct err *e);

#endif
