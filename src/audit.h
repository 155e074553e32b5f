/* audit.h - the tamper-evident log: checking the per-dossier hash chains.
 *
 * Why: every event stores SHA-256(previous hash || its canonical content) (event.h),
 * so an edited, removed or inserted event breaks its dossier's chain.  This module
 * walks the chains and names the first broken link of each dossier: its code, the
 * event id, its dseq and what is wrong.
 *
 * Rules (events of a dossier in dseq order):
 *   - each event's stored hash matches its content and prev_hash (event_hash_ok);
 *   - the first event has no prev_hash; every later one has a prev_hash equal to the
 *     hash of some earlier event of the same dossier (sync may fork a chain when two
 *     places changed the dossier: both branches are valid);
 *   - the dossier row's chain_head is the hash of one of its events and its version
 *     counts its events (a removed last event is noticed);
 *   - every event is signed by a key of the store that wrote it (its origin; the keys
 *     as storekey.h says), or was written before that store began signing (counted);
 *   - a fork (two events after the same event) stands only where both lines are
 *     validly signed by offices that could write the dossier at that point (the office
 *     it was routed to, or central), and by two different places: one store writes its
 *     line in order and never forks it.  Forks among events all written before
 *     signing began are accepted as they were.
 * audit_chain_* check a chain event by event (sync uses them on upload); audit_verify
 * streams the whole store in one pass.  It reads the store in chunks of dossiers: a
 * second thread checks the hashes and signatures of one chunk on every core
 * (storekey_set_check_many) while the walk reads the next and runs the rules of the one
 * before, in store order.  A full audit leaves out the signatures its signed checkpoint
 * covers (audit_checkpoint.h) and records a new one when it finds nothing wrong.
 */
#ifndef MOTCUA_AUDIT_H
#define MOTCUA_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include "core.h"
#include "model.h"

/* one dossier's chain so far */
struct audit_chain {
	unsigned char (*hashes)[32];  /* hashes of the events seen, in order */
	size_t n, cap;
};
void audit_chain_reset(struct audit_chain *ch);
void audit_chain_free(struct audit_chain *ch);
/* check the next event of the chain (dseq order); 0 if it links, else -1 with what is
 * wrong in `what` ("its content does not match its hash (edited?)", ...) */
int audit_chain_add(struct audit_chain *ch, const struct event *ev, char *what, size_t n);
/* 1 if hash is the hash of an event of the chain */
int audit_chain_has(const struct audit_chain *ch, const unsigned char hash[32]);

struct audit_problem {
	char code[CODE_LEN];
	char event_id[32];     /* "" when the problem is the dossier row */
	int dseq;
	char what[512];
};
/* called for the first broken link of each broken dossier; non-zero stops the walk */
typedef int (*audit_cb)(const struct audit_problem *p, void *ctx);

/* what a full audit did with the store's newest checkpoint (audit_checkpoint.h) */
enum {
	AUDIT_CP_NONE = 0,   /* the store has none */
	AUDIT_CP_USED,       /* valid and unchanged: covered signatures were not checked again */
	AUDIT_CP_IGNORED,    /* --all-signatures */
	AUDIT_CP_CHANGED,    /* a covered row changed since: a problem */
	AUDIT_CP_FORGED      /* not signed by the store's own key: a problem */
};

struct audit_stats {
	int64_t dossiers, events, broken;
	int64_t unsigned_old;  /* events written before their store began signing (storekey.h) */
	int64_t sig_checked;   /* signatures checked by this audit */
	int64_t sig_covered;   /* signatures not checked again: covered by the checkpoint */
	int checkpoint;        /* AUDIT_CP_* (audit_checkpoint.h): what became of the newest one */
	int64_t checkpoint_at; /* when the audit ran whose checkpoint that is (0: none) */
	int64_t recorded;      /* events covered by the checkpoint this audit recorded (0: none) */
	char record_err[256];  /* why none was recorded after a clean full audit ("" if not) */
};

/* how a full audit treats the checkpoint (NULL: the defaults, all 0) */
struct audit_opts {
	int all_signatures;    /* ignore the checkpoint: check every signature */
	int no_record;         /* record no new checkpoint */
};

/* Walk the chains of dossier `code` (NULL: every dossier of the store).  The walk over
 * every dossier also replays each one (dossier_apply) and compares it with its row,
 * names a dossier whose events have no row, and names every code a daily counter gave
 * out that the store no longer holds; one dossier: a code the counter gave out but
 * gone is MC_INVALID (missing), its row is compared by audit_projection.  Returns 0 if
 * every chain is intact; MC_INVALID if one is broken (e names the first broken link);
 * MC_NOTFOUND if code has neither events nor a row.  cb (may be NULL) hears every
 * broken dossier; stats (may be NULL) are filled. */
int audit_verify(struct core *c, const char *code, audit_cb cb, void *ctx, struct audit_stats *stats, struct err *e);
/* audit_verify with options o (may be NULL); a single dossier's audit neither uses
 * nor records a checkpoint */
int audit_verify_opts(struct core *c, const char *code, const struct audit_opts *o, audit_cb cb, void *ctx,
		      struct audit_stats *stats, struct err *e);
/* Replay dossier `code`'s events (dossier_apply) and compare with its row: 0 if they
 * agree, MC_INVALID naming the first field that differs (the row was edited behind
 * motcua's back).  `audit verify CODE` runs it after the chain check. */
int audit_projection(struct core *c, const char *code, struct err *e);
/* a problem as one line: "dossier X: event ID (#N): what" (no code: what alone) */
void audit_format(const struct audit_problem *p, char *buf, size_t n);

#endif
