/* draft.c - drafts of half-filled forms, per acting user (see draft.h). */
#include "draft.h"
#include "store.h"

int draft_save(struct core *c, const char *form, const char *data)
{
	return store_draft_save(c->st, c->actor.account, form, data, core_now(c));
}

int draft_load(struct core *c, const char *form, char **data)
{
	return store_draft_load(c->st, c->actor.account, form, data);
}

int draft_drop(struct core *c, const char *form) { return store_draft_drop(c->st, c->actor.account, form); }
