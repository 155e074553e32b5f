/* draft.h - half-filled forms kept for the acting user (the receive form survives a
 * dropped SSH session).  A draft is the form's own text, one per user and form; the
 * core keeps it so that no screen writes to the store (screens/screen.h).
 */
#ifndef MOTCUA_DRAFT_H
#define MOTCUA_DRAFT_H

#include "core.h"

/* keep data as the actor's draft of form (replacing an older one) */
int draft_save(struct core *c, const char *form, const char *data);
/* the actor's draft of form: 0 and *data (caller frees), or non-zero if none */
int draft_load(struct core *c, const char *form, char **data);
int draft_drop(struct core *c, const char *form);

#endif
