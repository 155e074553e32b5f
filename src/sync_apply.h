/* sync_apply.h - the office's side of sync, inside: checking and applying foreign
 * events, the projection (sync_apply.c), for sync.c's push, pull, snapshot, fetch and
 * bundles.  Not for other modules: they use sync.h. */
#ifndef MOTCUA_SYNC_APPLY_H
#define MOTCUA_SYNC_APPLY_H
#include <jansson.h>
#include "event.h"
#include "storekey.h"
#include "sync.h"

/* the keys of the offices this store knows, loaded once per pull or reply */
struct sigs {
	struct storekey_set ks;
	int ok;                      /* ks could be read */
	/* authors found to be users of their office here (a batch has few; the lookup
	 * is prepared again at every call): emptied whenever reference data is applied */
	struct { char actor[ACCOUNT_LEN], origin[32]; } authors[16];
	int nauthors;
};

#define SIG_UNCHECKED 99     /* a verdict not computed yet (storekey_set_check()'s are -2..1) */

/* a batch's signatures being checked: the events this store does not hold yet */
struct sigjob { struct event *evs; int *idx, *got, *out, n; struct storekey_job *job; };

void sync_sigs_load(struct core *c, struct sigs *g);
void sync_sigs_free(struct sigs *g);
/* out[i] becomes the verdict of evs[i] once sync_sig_finish() returns (SIG_UNCHECKED for
 * the events this store holds already); the check runs on other threads meanwhile */
void sync_sig_start(struct core *c, struct sigs *g, const struct event *evs, int k, int *out, struct sigjob *j);
void sync_sig_finish(struct sigjob *j);

/* 1 if this store holds ev already (skip it); else 0, with why set when ev may not be
 * taken (sig: its verdict, or SIG_UNCHECKED) */
int sync_held_or_checked(struct core *c, struct sigs *g, struct event *ev, int sig, char *why, size_t n);
/* an event of a dossier taken from central's snapshot: 1 if the base state holds it
 * already; 0 with why set when it changes a step before the base */
int sync_covered_by_base(struct core *c, const struct event *ev, char *why, size_t n);
/* one batch of foreign events and the cursor after it, in one local transaction
 * (sigv: the verdicts, or NULL); sync_apply_checked() checks the signatures first */
int sync_apply_batch(struct core *c, struct sigs *g, struct event *evs, const int *sigv, int k, int64_t cursor_after,
		     int caught_up, struct sync_result *r, struct err *e);
int sync_apply_checked(struct core *c, struct sigs *g, struct event *evs, int k, int64_t cursor_after,
		       int caught_up, struct sync_result *r, struct err *e);
/* reference rows [{kind, key, doc}] and their version, in one local transaction */
int sync_apply_ref(struct core *c, json_t *rows, int64_t version, struct err *e);
/* the dossier's row from its kept line (*opened, if not NULL: counts a conflict it opens) */
int sync_projection(struct core *c, const char *code, int *opened, struct err *e);
#endif
