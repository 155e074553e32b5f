/* queue.c - the role -> queue table (see queue.h). */
#include "i18n.h"
#include "queue.h"
#include "store.h"

static const struct queue_def defs[] = {
	{ROLE_CLERK, Q_OFFICE_STAGE, {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, SG_SUPPLEMENT, SG_RESULT}, 5,
	 "clerk", N_("One-stop: to accept, transfer, complete or return")},
	{ROLE_HEAD, Q_DEPT_STAGE, {SG_DEPT}, 1,
	 "head", N_("Department: to assign")},
	{ROLE_SPECIALIST, Q_ASSIGNEE_STAGE, {SG_PROCESSING}, 1,
	 "specialist", N_("Assigned to me: to process")},
	{ROLE_LEADER, Q_OFFICE_STAGE, {SG_SIGNING}, 1,
	 "leader", N_("To sign")},
	{ROLE_SUPERVISOR, Q_OFFICE_STAGE, {SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING, SG_SUPPLEMENT, SG_RESULT}, 6,
	 "supervisor", N_("All dossiers in progress")},
};

const struct queue_def *queue_def_for(unsigned role)
{
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
		if (defs[i].role == role)
			return &defs[i];
	return NULL;
}

int64_t queue_key(const struct core *c, const struct queue_def *def)
{
	switch (def->scope) {
	case Q_DEPT_STAGE: return c->actor.dept_id;
	case Q_ASSIGNEE_STAGE: return c->actor.id;
	}
	return queue_office(c);
}

int64_t queue_office(const struct core *c) { return c->actor.office_id ? c->actor.office_id : c->office.id; }

int queue_office_stage(struct core *c, int stage, int limit, dossier_cb cb, void *ctx)
{
	return store_queue(c->st, Q_OFFICE_STAGE, queue_office(c), &stage, 1, limit, 0, cb, ctx);
}

int queue_list(struct core *c, const struct queue_def *def, int limit, int offset, dossier_cb cb, void *ctx)
{
	return store_queue(c->st, def->scope, queue_key(c, def), def->stages, def->nstages, limit, offset, cb, ctx);
}

int queue_count(struct core *c, const struct queue_def *def, int *total, int *overdue)
{
	return store_queue_count(c->st, def->scope, queue_key(c, def), def->stages, def->nstages,
				 core_now(c), total, overdue);
}
