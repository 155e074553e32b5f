/* workflow.c - the one transition table and permission matrix (see workflow.h).
 *
 * Reading a row: step `name` may be taken by `role` on a dossier in one of the
 * `from` stages, if the dossier is in the actor's `scope`.  Receive has no from-stage:
 * it creates the dossier.  Supervisors and administrators take no dossier step.
 */
#include <stdio.h>
#include <string.h>
#include "i18n.h"
#include "workflow.h"
#include "calendar.h"

static const struct step_rule rules[] = {
	{STEP_RECEIVE,    "receive",    "received",             N_("receive"), ROLE_CLERK,      SC_OFFICE,   {0}},
	{STEP_ACCEPT,     "accept",     "accepted",             N_("accept an online dossier"), ROLE_CLERK,      SC_OFFICE,   {SG_ONLINE, 0}},
	{STEP_TRANSFER,   "transfer",   "transferred",          N_("transfer to the department"), ROLE_CLERK,      SC_OFFICE,   {SG_ACCEPTED, 0}},
	{STEP_ASSIGN,     "assign",     "assigned",             N_("assign"), ROLE_HEAD,       SC_DEPT,     {SG_DEPT, SG_PROCESSING, 0}},
	{STEP_PROPOSE,    "propose",    "proposed",             N_("propose a decision"), ROLE_SPECIALIST, SC_ASSIGNEE, {SG_PROCESSING, 0}},
	{STEP_SEND_BACK,  "send-back",  "sent_back",            N_("send back"), ROLE_LEADER,     SC_OFFICE,   {SG_SIGNING, 0}},
	{STEP_SIGN,       "sign",       "signed",               N_("sign"), ROLE_LEADER,     SC_OFFICE,   {SG_SIGNING, 0}},
	{STEP_RETURN,     "return",     "returned",             N_("return the result"), ROLE_CLERK,      SC_OFFICE,   {SG_RESULT, 0}},
	{STEP_SUPPLEMENT, "supplement", "supplement_requested", N_("request a supplement"), ROLE_CLERK,      SC_OFFICE,   {SG_ONLINE, 0}},
	{STEP_SUPPLEMENT, "supplement", "supplement_requested", N_("request a supplement"), ROLE_SPECIALIST, SC_ASSIGNEE, {SG_PROCESSING, 0}},
	{STEP_RESUME,     "resume",     "supplement_received",  N_("resume after a supplement"), ROLE_CLERK,      SC_OFFICE,   {SG_INTAKE_SUPPL, SG_SUPPLEMENT, 0}},
	{STEP_REFUSE,     "refuse",     "refused",              N_("refuse at intake"), ROLE_CLERK,      SC_OFFICE,   {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, 0}},
	{STEP_WITHDRAW,   "withdraw",   "withdrawn",            N_("withdraw"), ROLE_CLERK,      SC_OFFICE,
	 {SG_ONLINE, SG_INTAKE_SUPPL, SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING, SG_SUPPLEMENT, 0}},
	{STEP_STOP,       "stop",       "stopped",              N_("stop processing"), ROLE_LEADER,     SC_OFFICE,
	 {SG_ACCEPTED, SG_DEPT, SG_PROCESSING, SG_SIGNING, SG_SUPPLEMENT, 0}},
	/* an extension with an apology letter: the specialist (or the head) proposes it,
	 * the leader, head of the agency, issues it (form 04 names the leader as signer) */
	{STEP_EXTEND,     "extend",     "extension_proposed",   N_("propose an extension"), ROLE_SPECIALIST, SC_ASSIGNEE, {SG_PROCESSING, 0}},
	{STEP_EXTEND,     "extend",     "extension_proposed",   N_("propose an extension"), ROLE_HEAD,       SC_DEPT,     {SG_DEPT, SG_PROCESSING, SG_SIGNING, 0}},
	{STEP_EXTEND_ISSUE, "issue-extension", "extended",      N_("issue an extension"), ROLE_LEADER,     SC_OFFICE,   {SG_DEPT, SG_PROCESSING, SG_SIGNING, 0}},
};
#define NRULES (int)(sizeof rules / sizeof rules[0])

const struct step_rule *workflow_rules(int step, int *n)
{
	for (int i = 0; i < NRULES; i++)
		if (rules[i].step == step) {
			int k = 0;
			while (i + k < NRULES && rules[i + k].step == step)
				k++;
			*n = k;
			return &rules[i];
		}
	*n = 0;
	return NULL;
}

const char *workflow_step_name(int step)
{
	int n;
	const struct step_rule *r = workflow_rules(step, &n);
	return r ? r->name : "?";
}

static int stage_in(const int *from, int stage)
{
	for (int i = 0; i < 8 && from[i]; i++)
		if (from[i] == stage)
			return 1;
	return 0;
}

int workflow_allows(int step, unsigned roles, int stage)
{
	int n;
	const struct step_rule *r = workflow_rules(step, &n);
	for (int i = 0; i < n; i++)
		if ((roles & r[i].role) && (step == STEP_RECEIVE || stage_in(r[i].from, stage)))
			return 1;
	return 0;
}

static int in_scope(const struct step_rule *r, const struct user *u, const struct dossier *d)
{
	if (!d)
		return 1;
	switch (r->scope) {
	case SC_OFFICE: return d->office_id == u->office_id;
	case SC_DEPT: return d->dept_id != 0 && d->dept_id == u->dept_id;
	case SC_ASSIGNEE: return d->assignee_id == u->id;
	}
	return 0;
}

const char *workflow_event_of(const char *name)
{
	for (int i = 0; i < NRULES; i++)
		if (!strcmp(rules[i].name, name))
			return rules[i].event;
	return NULL;
}

const char *workflow_step_label(int step)
{
	int n;
	const struct step_rule *r = workflow_rules(step, &n);
	return r ? _(r->label) : "?";
}

int workflow_check(int step, const struct user *u, const struct dossier *d, struct err *e)
{
	int n;
	const struct step_rule *r = workflow_rules(step, &n);
	const char *need[2] = {"?", NULL}; /* a step has one or two roles */
	int role_ok = 0, stage_ok = 0;
	if (u->id && !u->active)
		return err_set(e, MC_DENIED, "user %s is deactivated", u->account);
	for (int i = 0; i < n; i++) {
		if (i < 2)
			need[i] = role_label(r[i].role);
		if (!(u->roles & r[i].role))
			continue;
		role_ok = 1;
		if (d && !stage_in(r[i].from, d->stage))
			continue;
		stage_ok = 1;
		if (in_scope(&r[i], u, d))
			return 0;
	}
	const char *name = r ? _(r->label) : "?";
	if (!u->id)
		return err_set(e, MC_DENIED, "the step '%s' needs a motcua user; run it as that user", name);
	if (!role_ok && need[1])
		return err_set(e, MC_DENIED, "%s may not take the step '%s': it needs the role %s or %s",
			       u->account, name, need[0], need[1]);
	if (!role_ok)
		return err_set(e, MC_DENIED, "%s may not take the step '%s': it needs the role %s", u->account, name, need[0]);
	if (!stage_ok) {
		char when[24];
		cal_format(d->last_at, 1, when, sizeof when);
		return err_set(e, MC_STATE, "the step '%s' is not possible on dossier %s: its status is %s (%s), last changed by %s at %s",
			       name, d->code, status_label(d->status), _(stage_name(d->stage)), d->last_actor, when);
	}
	for (int i = 0; i < n; i++)
		if ((u->roles & r[i].role) && stage_in(r[i].from, d->stage)) {
			if (r[i].scope == SC_DEPT)
				return err_set(e, MC_DENIED, "%s may not take the step '%s' on dossier %s: it is not at your department",
					       u->account, name, d->code);
			if (r[i].scope == SC_ASSIGNEE)
				return err_set(e, MC_DENIED, "%s may not take the step '%s' on dossier %s: it is not assigned to you",
					       u->account, name, d->code);
		}
	return err_set(e, MC_DENIED, "%s may not take the step '%s' on dossier %s: it belongs to another office",
		       u->account, name, d->code);
}
