/* view.h - the reads of a dossier that every front end shows: the row with the names
 * of what it refers to, its history replayed step by step, and search.
 *
 * Why: the CLI (`show`, `history`, `search`) and the UI (detail and search screens)
 * showed the same things with reads of their own; now both call these, so a new field
 * or a new rule of timeliness is written once.
 */
#ifndef MOTCUA_VIEW_H
#define MOTCUA_VIEW_H

#include "core.h"

/* a dossier with the names of its procedure, department and specialist */
struct dossier_view {
	struct dossier d;
	struct procedure proc;      /* code "" if unknown; components not loaded */
	struct department dept;     /* code "" if none */
	struct user assignee;       /* account "" if none */
	int timeliness;             /* core_timeliness now (0: none) */
};

/* read a dossier by code with its names (MC_NOTFOUND with a message) */
int dossier_view(struct core *c, const char *code, struct dossier_view *v, struct err *e);
/* the names of a dossier already read (v->d = *d) */
void dossier_view_of(struct core *c, const struct dossier *d, struct dossier_view *v);

/* one step of a dossier's history, with the dossier as it was after it */
struct history_step {
	const struct event *ev;
	const struct dossier *after;
	int timeliness;             /* of this step against the step's due date (0: none) */
	int base_dseq;              /* > 1: steps 1..base_dseq-1 are at central (snapshot) */
	int first;                  /* the first step given */
};
typedef int (*history_cb)(const struct history_step *s, void *ctx);

/* Replay the dossier's events from the start (or from the base a snapshot gave this
 * store) and call cb for each.  *base_dseq (may be NULL) gets the snapshot base step
 * (0: the whole history is here).  A callback's non-zero return stops the walk and is
 * returned. */
int dossier_history(struct core *c, const char *code, history_cb cb, void *ctx, int *base_dseq, struct err *e);

/* dossiers matching text (code, name, ID number, phone; diacritics and case ignored),
 * newest first; MC_INVALID for text that is not UTF-8; no call for empty text */
int dossier_search(struct core *c, const char *text, int limit, dossier_cb cb, void *ctx, struct err *e);

#endif
