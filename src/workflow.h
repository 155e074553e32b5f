/* workflow.h - the transition table and permission matrix: which step may be taken
 * from which stage, by which role, within which scope.  One table, used by the core
 * for every check, by the CLI for its help and by the screens for their menus.
 */
#ifndef MOTCUA_WORKFLOW_H
#define MOTCUA_WORKFLOW_H

#include "err.h"
#include "model.h"

enum step {
	STEP_RECEIVE, STEP_ACCEPT, STEP_TRANSFER, STEP_ASSIGN, STEP_PROPOSE, STEP_SEND_BACK,
	STEP_SIGN, STEP_RETURN, STEP_SUPPLEMENT, STEP_RESUME, STEP_REFUSE, STEP_WITHDRAW,
	STEP_STOP, STEP_EXTEND, STEP_EXTEND_ISSUE, STEP_COUNT
};

/* scope: beyond the role, whose dossier it must be */
enum scope {
	SC_OFFICE = 1,    /* a dossier of the actor's office */
	SC_DEPT = 2,      /* a dossier at the actor's department */
	SC_ASSIGNEE = 3,  /* a dossier assigned to the actor */
};

struct step_rule {
	int step;
	const char *name;      /* CLI verb: "send-back" */
	const char *event;     /* event kind: "sent_back" */
	const char *label;     /* N_() name of the step in messages: "send back" */
	unsigned role;         /* one role */
	int scope;
	int from[8];           /* stages it may start from (0 ends) */
};

/* the rules for a step (a step may have several rows, one per role) */
const struct step_rule *workflow_rules(int step, int *n);
const char *workflow_step_name(int step);
/* the event kind a step's CLI verb writes ("send-back" -> "sent_back"), or NULL */
const char *workflow_event_of(const char *name);
/* the step's label in the reader's language */
const char *workflow_step_label(int step);
/* may user u take step on dossier d (NULL for receive)?  0, or MC_DENIED / MC_STATE
 * with a message naming the needed role or the current status */
int workflow_check(int step, const struct user *u, const struct dossier *d, struct err *e);
/* 1 if the stage/role allows the step, ignoring scope (for menus) */
int workflow_allows(int step, unsigned roles, int stage);

#endif
