/* central_verify.h - central checks the events it holds against the offices' keys
 * (`motcua central verify`, src/central_verify.c).
 *
 * Why: PostgreSQL has no Ed25519, so c_ingest() re-checks everything of an office's
 * batch but its signatures: an office's own role can push, from psql, an event in its
 * own name that is unsigned or signed by no key of the office.  Every office checks
 * what it pulls, but central itself never learned of it.  This walks central's log in
 * position order, checks each event's hash and signature against the keys central
 * holds (storekey_set_check_many, on every core), and records what it finds in
 * c_verify_found (the events stay in c_events as they are).  The position checked up
 * to is kept in c_meta 'verify_pos', so that a daily run checks only what is new;
 * kept in central's own database, it goes back with the log when central is restored
 * from a backup or fails over to a standby, so positions written again are checked.
 *
 * Owns: c_verify_found and c_meta 'verify_pos'.
 */
#ifndef MOTCUA_CENTRAL_VERIFY_H
#define MOTCUA_CENTRAL_VERIFY_H

#include <stdint.h>
#include "central.h"

/* what is wrong with an event */
enum central_verify_reason {
	CV_BAD_HASH,      /* its hash does not match its content ("bad-hash") */
	CV_FORGED,        /* signed, by no key of its office ("forged") */
	CV_UNSIGNED,      /* unsigned, though its office signs every event since ("unsigned") */
	CV_ID_TWICE       /* its id is an earlier event's of another dossier or dseq ("id-twice";
			   * PostgreSQL: an id is unique there only with its dossier and dseq) */
};
/* the word recorded in c_verify_found.reason */
const char *central_verify_reason_word(int reason);

struct central_verify_finding {
	int64_t pos;
	char id[32];
	char origin[32];                 /* the office named as its author */
	char office[32];                 /* the office its dossier is routed to */
	char dossier_code[CODE_LEN];
	int dseq;
	char kind[24];
	int reason;                      /* enum central_verify_reason */
};
typedef int (*central_verify_cb)(const struct central_verify_finding *f, void *ctx);

struct central_verify_result {
	int64_t from, to;                /* positions checked: from (exclusive) up to to */
	int64_t checked, signed_ok, before, found;
	int64_t recorded;                /* rows of c_verify_found in all, after the run */
	int64_t mark;                    /* c_meta 'verify_pos' after the run */
	int mark_moved;                  /* 0: --since began after the mark, which stays */
};

/* Check central's events after position since (-1: after the mark c_meta
 * 'verify_pos', 0 when there is none) up to the log head a reader may take; cb (may be
 * NULL) gets each event found, which is also recorded (found_by: who ran it).  The
 * mark moves to the head when the run began at or before it.  0 (also when something
 * was found: r->found) or an MC_* code. */
int central_verify(struct central *cen, int64_t since, const char *found_by, int64_t now, central_verify_cb cb, void *ctx,
		   struct central_verify_result *r, struct err *e);

#endif
