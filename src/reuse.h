/* reuse.h - reusing an applicant's papers digitised for an earlier dossier.
 *
 * Why: a citizen's papers that were scanned once should not be asked for again (Decision
 * 766's indicator 4.3 counts the dossiers that reuse digitised data).  When a dossier is
 * received, the applicant's ID number finds the files attached to the components of
 * their earlier dossiers in this store: this office's, and other offices' that central
 * has delivered here (routed, followed or loaded from the snapshot).  They are offered
 * component by component: an earlier file fits a component of the new procedure whose
 * name is the same (compared folded, without case or diacritics).
 *
 * A reuse is an `attached` event of the new dossier (component, name, sha256, size,
 * type, as attach.h writes them) with "reused": {"dossier", "event", "office"} naming
 * the earlier attachment: the bytes, stored once per SHA-256, are not copied.  Listing,
 * export, hash checks, sync and `audit verify` treat it as any attachment; audit also
 * checks that a reuse names an earlier attachment of the same file.  The component
 * counts as received.  Reusing is the clerk's choice: at receipt, in the receipt's own
 * transaction (reuse_receive), or later (reuse_attach); the core checks every choice
 * again (same applicant, same component name, bytes present), whatever the caller says.
 */
#ifndef MOTCUA_REUSE_H
#define MOTCUA_REUSE_H

#include <stdint.h>
#include "attach.h"
#include "receive.h"

#define REUSE_MAX 64   /* offers shown at most */

struct reuse_offer {
	int component;                            /* of the new dossier's procedure */
	char component_name[400];
	char event_id[32];                        /* the earlier `attached` event */
	char from_code[CODE_LEN];                 /* its dossier */
	char office[32];                          /* the office that attached it */
	char name[ATTACH_NAME_CHARS * 4 + 1];
	char sha256[65];
	char type[64];
	int64_t size, at;
	int central;                              /* found at central (reuse_central.c): its bytes come from there */
};

/* what an `attached` event's payload says of its file (a result document, or a
 * payload without a component or a SHA-256, is not a paper to reuse: -1) */
struct reuse_src { int component, result; char name[ATTACH_NAME_CHARS * 4 + 1], sha[65], type[64]; int64_t size; };
int reuse_src_parse(const char *payload, struct reuse_src *s);
/* What reuse.c and reuse_central.c share while they gather offers for procedure p:
 * its components' folded names and the offers so far, out[0..n) (at most max). */
struct reuse_gather {
	struct core *c;
	const struct procedure *p;
	char folded[MAX_COMPONENTS][800];
	struct reuse_offer *out;
	int n, max;
};
void reuse_gather_init(struct reuse_gather *g, struct core *c, const struct procedure *p, struct reuse_offer *out, int n,
		       int max);
/* adds the offer of file s for every component of p whose folded name is f, once per
 * component and file */
void reuse_offer_put(struct reuse_gather *g, const char *f, const struct reuse_src *s, const char *event_id,
		     const char *code, const char *origin, int64_t at, int central);
/* the offers sorted by component, newest first: how many */
int reuse_gather_sort(struct reuse_gather *g);
/* 0 if the acting user may look up and reuse earlier papers, else MC_DENIED with e set */
int reuse_may(struct core *c, struct err *e);
/* *found: dossier code has sha as its component's file (not a result); attach_list's code */
int reuse_has(struct core *c, const char *code, int component, const char *sha, int *found, struct err *e);
/* dossier_attach's put for a reuse (ctx: the SHA-256): nothing to store, the bytes must
 * already be here */
int reuse_put_none(struct core *c, const struct dossier *d, void *ctx, struct err *e);

/* the offers for procedure (code) and the applicant (kind AK_*, ID number idno), from
 * dossiers other than exclude (NULL: none): per component of the procedure, its earlier
 * files newest first, each file once.  Returns how many (at most max), or -1 with e set
 * (an invalid ID number, an unknown procedure, no clerk). */
int reuse_offers(struct core *c, const char *procedure, int kind, const char *idno, const char *exclude,
		 struct reuse_offer *out, int max, struct err *e);
/* the same for an existing dossier (its procedure and applicant; its own files left out) */
int reuse_offers_for(struct core *c, const char *code, struct reuse_offer *out, int max, struct err *e);

/* a clerk's choice: component n of the new dossier takes the file of earlier event */
struct reuse_pick {
	int component;
	char event_id[32];
};
/* the newest offer of each component in mask (bit n-1: component n; 0: every component
 * that has an offer) into picks: how many, or -1 with e naming a component that has no
 * earlier file */
int reuse_pick_newest(const struct reuse_offer *offers, int n, uint32_t mask, struct reuse_pick *picks, int max,
		      struct err *e);

/* record the reuse of earlier event_id as component's paper of dossier code (a later
 * step; also used inside reuse_receive's transaction) */
int reuse_attach(struct core *c, const char *code, int component, const char *event_id, struct attach_info *out,
		 struct err *e);
/* receive (receive.h) and record the picks, all in one transaction: the picked
 * components count as received.  Nothing is written if any pick is refused. */
int reuse_receive(struct core *c, const struct receive_req *r, int transfer_default, const struct reuse_pick *picks,
		  int npicks, struct receive_result *out, struct err *e);

/* ---- reuse through central, the province (src/reuse_central.c) ----
 * An applicant's papers attached at other offices and never delivered to this store
 * are looked up at central by ID number (online only: url, or NULL for the central
 * this store syncs with), offered beside this store's (central = 1, office: where they
 * were attached), and on the clerk's choice their bytes come from central through the
 * file sync's chunks (resumable, checked by hash) before the reuse is recorded.  Only
 * an office known to central, by a user central knows at that office, may ask, and
 * only for one applicant's ID number; the reuse event logs the lookup
 * ("reused": {..., "central": {"office", "actor", "found"}}).  Offline (no central
 * configured or reachable), the offers are this store's and note says so. */
int reuse_offers_central(struct core *c, const char *url, const char *procedure, int kind, const char *idno,
			 const char *exclude, struct reuse_offer *out, int max, char *note, size_t nnote, struct err *e);
int reuse_offers_for_central(struct core *c, const char *url, const char *code, struct reuse_offer *out, int max,
			     char *note, size_t nnote, struct err *e);
/* reuse_attach for an event of this store or at central (its bytes fetched first) */
int reuse_attach_central(struct core *c, const char *url, const char *code, int component, const char *event_id,
			 struct attach_info *out, struct err *e);
/* reuse_receive with picks of this store or at central: central's bytes are fetched
 * before the receipt's transaction; nothing is recorded if any pick is refused */
int reuse_receive_central(struct core *c, const char *url, const struct receive_req *r, int transfer_default,
			  const struct reuse_pick *picks, int npicks, struct receive_result *out, struct err *e);

#endif
