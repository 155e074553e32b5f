/* queue.h - work queues: what is each role's to do now, by due date, overdue first.
 * One table maps a role to the stages and the scope of its queue; the CLI, the home
 * screen and the dashboard all read it. */
#ifndef MOTCUA_QUEUE_H
#define MOTCUA_QUEUE_H

#include "core.h"

struct queue_def {
	unsigned role;
	int scope;             /* enum queue_scope */
	int stages[8];
	int nstages;
	const char *key;       /* "clerk" ... */
	const char *title;     /* N_(): show it with _() */
};

/* the queue of one role (NULL if the role has none) */
const struct queue_def *queue_def_for(unsigned role);
/* the scope key (office, department or user id) of def for the acting user */
int64_t queue_key(const struct core *c, const struct queue_def *def);
int queue_list(struct core *c, const struct queue_def *def, int limit, int offset, dossier_cb cb, void *ctx);
/* the office a queue of the office's scope lists: the actor's, else the store's */
int64_t queue_office(const struct core *c);
/* the office's dossiers at one stage (e.g. SG_ONLINE: filed online, to accept) */
int queue_office_stage(struct core *c, int stage, int limit, dossier_cb cb, void *ctx);
int queue_count(struct core *c, const struct queue_def *def, int *total, int *overdue);

#endif
