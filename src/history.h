/* history.h - a dossier's history as both sides of sync read it.
 *
 * Why: the office (sync.c) and central (central.c) judge forks, lines and routes by
 * the same rules; they live here once.  A dossier's events form a tree linked by
 * their hashes (dseq, prev_hash), never ordered by clock time: a fork (two events
 * with the same previous event) leaves two live heads until a conflict decision (a
 * SYNC_RESOLVED_KIND event on the kept line, naming the discarded heads) closes it.
 * The office a line routes its dossier to is named by its first event ("office"),
 * moved by central's re-routing ("to") and by central's decisions ("route").
 * Nothing here reads or writes a store or central: callers fill a struct history
 * (history_add is a store and central event callback) and ask it questions.
 */
#ifndef MOTCUA_HISTORY_H
#define MOTCUA_HISTORY_H

#include <jansson.h>
#include <stdint.h>
#include "err.h"
#include "model.h"
#include "store_sync.h"

/* events per batch, at the office and at central; each batch costs PostgreSQL ~2 ms
 * of CPU besides its rows (statements planned, functions, commit), so 2,000 (about
 * 1 MB) rather than 500 cut central's CPU per event by a fifth (tests/bench/province.sh) */
#define SYNC_BATCH 2000
/* a conflict decision (payload keep, discard, chosen; central's also route, notify) */
#define SYNC_RESOLVED_KIND "conflict_resolved"
/* central sends a dossier to another office (payload from, to, reason) */
#define SYNC_REROUTED_KIND "rerouted"
/* an office sends a dossier on to the competent agency or the place of return (org.h) */
#define SYNC_ROUTED_KIND "routed"

/* a forked dossier and its live heads, as the conflict queues show them */
struct sync_head {               /* one live head of a forked dossier */
	char id[32], kind[24], actor[ACCOUNT_LEN], origin[32];
	int dseq;
	int64_t at;
};
struct sync_conflict {
	char code[CODE_LEN];
	int64_t detected_at;
	int nheads;
	struct sync_head heads[8];
};
typedef int (*sync_conflict_cb)(const struct sync_conflict *k, void *ctx);

/* a dossier's events (any order) */
struct history {
	struct event *ev;            /* payloads owned */
	unsigned char *child, *dead; /* set by history_heads */
	int n, cap;
	int has_base;                /* the dossier's local history starts at a snapshot base */
	struct snapshot_base base;
};
void history_free(struct history *l);
/* append a copy of ev (an event callback: ctx is the struct history); MC_STORE if out of memory */
int history_add(const struct event *ev, void *ctx);
/* live heads (indexes into l->ev): events nothing follows and no conflict decision
 * discarded; the preferred head (first) is own's line (own may be NULL), then the
 * longest.  Returns how many (at most max), -1 if out of memory. */
int history_heads(struct history *l, const char *own, int *heads, int max);
/* the line ending at head, first event first (the dossier's first event, or the head
 * event of its snapshot base) into line (room for l->n); its length or -1 (broken) */
int history_line(const struct history *l, int head, int *line);
/* the head whose line holds the event keep_id (a conflict decision names a line by
 * any event on it after the fork); list: the command that lists the heads */
int history_kept_head(const struct history *l, const int *heads, int nh, const char *code, const char *keep_id,
		      const char *list, int *kept, struct err *e);
/* the office the line ending at head routes its dossier to ("" if broken) */
void history_route(const struct history *l, int head, char out[32]);
/* the payload key naming the office ev routes its dossier to ("office", "to",
 * "route"), NULL for an event that routes nothing */
const char *history_route_key(const struct event *ev);
/* the heads as a conflict queue row shows them */
void history_conflict(const struct history *l, const int *heads, int nh, struct sync_conflict *k);

/* a batch of at most cap events (payloads owned); batch_add is an event callback
 * that returns 1 when the batch is full */
struct batch { struct event *ev; int n, cap; };
int batch_add(const struct event *ev, void *ctx);
void batch_clear(struct batch *b);

/* a growing list of dossier codes; codes_add is a code callback (MC_STORE if out of memory) */
struct codes { char (*code)[CODE_LEN]; int n, cap; };
int codes_add(const char *code, void *ctx);

/* a payload's string member, "" if missing */
static inline const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

#endif
