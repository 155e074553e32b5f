/* audit_checkpoint.h - the signed audit checkpoint: a full `audit verify` re-checks only
 * the event signatures written since the last audit that found nothing wrong.
 *
 * Why: an Ed25519 check costs 30-90 µs; a store of a million dossiers holds six
 * million events, so checking every signature at every full audit takes minutes even
 * on every core.  A signature once checked need not be checked again if the audit can
 * prove that the event has not changed since.
 *
 * A checkpoint (db/0021_audit_checkpoint.sql) is recorded after a full audit that found
 * nothing wrong: the highest event row the audit covered (upto), how many rows that is,
 * a SHA-256 digest over every row up to it (its seq, hash and signature bytes as stored,
 * in seq order), when and by whom it ran (an OS account and a motcua user: a record of
 * its own, not an event), all signed with the store's own Ed25519 key (storekey.h).
 *
 * The next full audit takes the newest checkpoint and
 *   - checks its signature with the store's own key: any other key, a bad signature or
 *     a malformed row is a problem the audit names (the checkpoint was forged or
 *     altered), and every signature is checked;
 *   - recomputes the digest over the rows up to upto, in the same read snapshot as the
 *     walk: a covered row edited, inserted, deleted or renumbered changes it, and the
 *     audit names that as a problem and checks every signature;
 *   - otherwise leaves out the signature check of the covered events and nothing
 *     else: every hash, chain, fork rule, replay against its row and daily counter is
 *     checked as before (audit.h), and a covered event counts as validly signed in the
 *     fork rules because the audit that covered it checked it;
 *   - records a new checkpoint if it finds nothing wrong.
 * `audit verify --all-signatures` ignores the checkpoints (and records a new one).
 *
 * The trust argument.  The store's own private key is kept in the store (storekey.h).
 * Whoever can change the store's rows and read that key can forge a checkpoint.  For
 * the events of this store's office that gives them nothing: with the same key they
 * can sign any such event, and every audit, with or without a checkpoint, accepts it.
 * There a checkpoint is exactly as strong as the event signatures themselves.  For the
 * events of other offices and of central it is weaker, and only as strong as this
 * store's key: forging one of those needs that office's key, unless a checkpoint
 * covers it, which this store's key can forge.  So someone holding this store's file
 * could alter a covered event pulled from another office and sign a new checkpoint
 * over it, and the plain audit of this store would not notice.  What bounds it: such
 * an event was checked against its office's key at pull and by a full audit before
 * any checkpoint covered it; this store never sends it on (central keeps the
 * original, signed by its office, and checks every event it receives); and
 * `audit verify --all-signatures` checks it against its own office's key again.  An
 * office's store holds many events of other offices (a province's dossiers travel), so
 * leaving them out of the checkpoint would make every audit check them again.
 *
 * Also:
 *   - Writers while the audit runs: the checkpoint covers only rows of the audit's
 *     snapshot (upto is its highest seq).  An event committed during the audit gets a
 *     higher seq (SQLite gives a new row the highest rowid plus one) and is checked by the
 *     next audit; a row put below upto by hand changes the digest.
 *   - Quarantined events are rows of `quarantine`, never of `events`: neither checked
 *     nor covered.  Pulled events, and any event released or taken later, are new rows:
 *     checked by the next full audit before a checkpoint covers them.
 *   - Snapshot base states (snapshot.h) are not events: every audit reads them and
 *     replays from them as before; a base event is an event like any other.
 *   - A store restored from a backup carries the checkpoints of its own file, which
 *     cover what the backup holds.  A checkpoint taken over from another copy of the
 *     store covers rows this one lacks or holds differently: the digest differs and the
 *     audit says so.  A store rebuilt from central has a new key: older checkpoints
 *     cannot come with it.
 *   - A store without a key of its own (one that never signed) records none.
 */
#ifndef MOTCUA_AUDIT_CHECKPOINT_H
#define MOTCUA_AUDIT_CHECKPOINT_H

#include <stdint.h>
#include "audit.h"
#include "core.h"
#include "storekey.h"
#include "store_audit.h"

struct audit_cp {
	int state;
	struct store_checkpoint last;   /* the newest checkpoint (state != NONE) */
	int64_t trusted_upto;           /* signed events with seq <= this are covered (0: none) */
	/* the rows of this audit's snapshot, for the checkpoint it records */
	int64_t upto, events;
	unsigned char digest[32];
};

/* Read the newest checkpoint, check its signature and digest every event row (inside
 * the audit's read transaction); use 0: ignore it.  0 or MC_STORE. */
int audit_cp_scan(struct store *st, const struct storekey_set *keys, int use, struct audit_cp *cp, struct err *e);
/* 1 if ev's signature is covered by the checkpoint and need not be checked again */
int audit_cp_covers(const struct audit_cp *cp, const struct event *ev);
/* Sign and record the checkpoint of an audit that found nothing wrong (after its read
 * transaction).  0 (also when there is nothing to record: no key, no event), or an MC_*
 * code with e set. */
int audit_cp_record(struct core *c, const struct storekey_set *keys, const struct audit_cp *cp, int64_t *recorded,
		    struct err *e);

#endif
