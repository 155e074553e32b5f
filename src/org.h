/* org.h - the one-stop since 1 July 2025 (Decree 118/2025): offices are provincial
 * service centres with branches or reception points, commune centres, departments and
 * vertical agencies; any centre receives any procedure of the province (boundary-free)
 * and the dossier goes to the agency competent for it.
 *
 * Why: a dossier now has three places - where it was received, who resolves it, where
 * the result is returned - and the receiving office must pick the competent agency at
 * receipt.  This module owns those rules (which office may receive a procedure, which
 * resolves it, which may take the result back) and the administration of the office
 * kinds and lists; the routing itself is an office's "routed" event that central
 * follows like its own re-routing (sync.h, central.h).  Offices of the 2018 model are
 * kind "legacy" and keep receiving and resolving their own procedures.
 */
#ifndef MOTCUA_ORG_H
#define MOTCUA_ORG_H

#include "core.h"

#define ORG_ROUTED_KIND "routed"

/* 1 if kind is one of the kinds below; the receiving kinds take dossiers boundary-free */
int org_kind_valid(const char *kind);
int org_kind_receives(const char *kind);

/* administration (admin role): an office of the 2025 model (added if new: name and
 * level then required), a procedure it receives or resolves (role "receive"/"resolve") */
int org_office_set(struct core *c, const char *agency, const char *name, int level, const char *kind, const char *parent,
		   struct err *e);
int org_procedure_set(struct core *c, const char *agency, const char *procedure, const char *role, int add, struct err *e);

/* The places of a dossier received here for procedure p: the competent agency (resolver:
 * an agency code the clerk chose, or NULL to let the rules pick) and where the result
 * is returned (NULL: here).  Refuses a procedure this office does not receive and an
 * agency that does not resolve it. */
int org_places(struct core *c, const struct procedure *p, const char *resolver, const char *return_at, struct office *res,
	       struct office *ret, struct err *e);

/* every office of the store (cb returns non-zero to stop) */
int org_each_office(struct core *c, int (*cb)(const struct office *o, const char *parent, int receives, int resolves, void *ctx),
		    void *ctx);

/* The dossier's entry in the receiving office's register (Circular 01/2018 Art. 10,
 * kept by Circular 03/2025): numbered from 1 through the calendar year and continuing
 * across books; the code (AGENCY-YYMMDD-NNNN, issued once) orders it.  Sets *year and
 * returns the number, 0 if the code is not of that shape. */
int org_register_no(struct core *c, const char *code, int *year);

/* what this office received and another office holds now (all: finished ones too): the
 * receiving centre follows their progress (central delivers their steps here) */
int org_followed(struct core *c, int all, int (*cb)(const char *code, const char *at, int stage, int64_t due_at, void *ctx),
		 void *ctx);

/* an office by agency code or id, for display (0 if found) */
int org_office(struct core *c, const char *agency, int64_t id, struct office *o);

#endif
