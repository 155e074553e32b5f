/* dossier.h - the dossier lifecycle: one core call per step.
 *
 * Each call: checks the actor's role and scope and the dossier's stage (workflow.h),
 * validates its input, then in one store transaction appends the step's event (hash
 * chained) and updates the dossier row, which is a projection of its events
 * (dossier_apply).  On any error nothing is written and e names the problem.
 * `out` (may be NULL) receives the dossier as it is after the step.
 */
#ifndef MOTCUA_DOSSIER_H
#define MOTCUA_DOSSIER_H

#include "core.h"
#include "model.h"

enum outcome { OUT_ACCEPT = 1, OUT_SUPPLEMENT = 2, OUT_REFUSE = 3 };

struct receive_req {
	const char *procedure;      /* procedure code */
	int channel;                /* CH_DIRECT, CH_POSTAL, CH_ONLINE */
	int kind;                   /* AK_PERSON, AK_BUSINESS */
	const char *name, *idno, *phone, *address;
	uint32_t components;        /* received components, bit n-1 = component n */
	int outcome;                /* OUT_ACCEPT (default), OUT_SUPPLEMENT, OUT_REFUSE */
	const char *reason;         /* for supplement / refuse */
	int pending;                /* 1: filed online, waits for a clerk to accept (stage 1) */
	const char *resolver;       /* agency competent for it (org.h); NULL: the rules pick */
	const char *return_at;      /* office that returns the result; NULL: the receiving one */
	const char *email;          /* the applicant's email (optional) */
	/* a proxy filing for the applicant (Circular 03/2025 form 01): name and ID number
	 * required when proxy_name is given; the rest optional */
	const char *proxy_name, *proxy_idno, *proxy_address, *proxy_phone, *proxy_email, *proxy_doc;
};

/* the stage a 'received' event's outcome puts a dossier in (the projector's too) */
int dossier_intake_stage(const char *outcome);
int dossier_receive(struct core *c, const struct receive_req *r, struct dossier *out, struct err *e);
int dossier_accept(struct core *c, const char *code, struct dossier *out, struct err *e);
int dossier_transfer(struct core *c, const char *code, const char *dept_code, struct dossier *out, struct err *e);
int dossier_assign(struct core *c, const char *code, const char *account, struct dossier *out, struct err *e);
int dossier_propose(struct core *c, const char *code, int decision, const char *note, struct dossier *out, struct err *e);
int dossier_send_back(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e);
/* sign: extra is an optional JSON object text merged into the event payload (the
 * digital signature); NULL records the approval alone */
int dossier_sign(struct core *c, const char *code, const char *extra, struct dossier *out, struct err *e);
/* rating 1-5, or 0 when the applicant gave none */
int dossier_return(struct core *c, const char *code, const char *collected_by, int rating, struct dossier *out, struct err *e);
int dossier_supplement(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e);
/* resume: the supplement arrived; components: those it brought (bit n-1 = component n).
 * A dossier waiting at intake is accepted only when every required component is in. */
int dossier_resume(struct core *c, const char *code, uint32_t components, struct dossier *out, struct err *e);
int dossier_refuse(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e);
int dossier_withdraw(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e);
int dossier_stop(struct core *c, const char *code, const char *reason, struct dossier *out, struct err *e);
/* extend: the specialist (or head) proposes a new appointment with the apology's reason;
 * extend_issue: the leader issues it (the appointment moves, form 04 is signed by the
 * leader).  Both at the latest the day before the appointment, once per dossier. */
int dossier_extend(struct core *c, const char *code, int64_t new_due, const char *reason, struct dossier *out, struct err *e);
int dossier_extend_issue(struct core *c, const char *code, struct dossier *out, struct err *e);
/* the last extension proposed for a dossier: 1 and its new appointment and reason, or 0 */
int dossier_extension_proposed(struct core *c, const char *code, int64_t *due, char *reason, size_t n);

/* Bulk load (the demo builds its store with it), begun and ended outside any
 * transaction.  The steps stay the same calls writing the same events and rows, but
 * only the caller's outer transactions are transactions, commits are not synced, and
 * the procedures read are kept in memory (store_bulk_begin).  End it in every case:
 * complete = 0 after a failure leaves the store marked unfinished. */
int dossier_bulk_begin(struct core *c, struct err *e);
int dossier_bulk_end(struct core *c, int complete, struct err *e);

/* attach a file: checks that the actor may (a clerk, head, specialist or leader of the
 * dossier's office, while the dossier is not finished), then in one transaction runs
 * put (it stores the file's bytes and may refuse, src/attach.c) and appends the event
 * `attached` with payload (taken over).  Either both are stored or neither. */
struct json_t;
typedef int (*dossier_put_fn)(struct core *c, const struct dossier *d, void *ctx, struct err *e);
int dossier_attach(struct core *c, const char *code, struct json_t *payload, dossier_put_fn put, void *ctx,
		   struct dossier *out, struct err *e);

/* a step another core module owns (src/lienthong.c, src/fees.c): in one transaction the dossier
 * loaded (its version checked), then fn checks the actor and builds the payload
 * (*payload, taken over) and may name an office *to (a buffer of its own) the dossier is
 * sent on to by a "routed" event with place *place; then the event kind, the routing
 * event, post (may be NULL: the module's own rows, from the events now appended), and
 * the commit.  Either everything is written or nothing. */
typedef int (*dossier_step_fn)(struct core *c, struct dossier *d, void *ctx, struct json_t **payload,
			       const struct office **to, const char **place, struct err *e);
typedef int (*dossier_post_fn)(struct core *c, struct dossier *d, void *ctx, struct err *e);
int dossier_step_custom(struct core *c, const char *code, const char *kind, dossier_step_fn fn, dossier_post_fn post,
			void *ctx, struct dossier *out, struct err *e);

/* a new dossier line that is not a dossier of its own (a liên thông part's chain,
 * src/lienthong.c): its first event "received" with payload (taken over, naming this
 * store's office and the procedure), then, to non-NULL, a "routed" event sending it to
 * office to with place; inside the caller's transaction */
int dossier_chain_open(struct core *c, const char *code, struct json_t *payload, const struct office *to,
		       const char *place, struct err *e);

/* read a dossier by code (MC_NOTFOUND with a message) */
int dossier_get(struct core *c, const char *code, struct dossier *d, struct err *e);

/* Projection: apply one event to d (d zeroed for the first event).  Needs the store
 * only to map codes in the payload to local ids.  Returns 0 or MC_INVALID. */
int dossier_apply(struct store *st, struct dossier *d, const struct event *ev, struct err *e);
/* rebuild a dossier row from all its events (after sync brought foreign events) */
int dossier_rebuild(struct core *c, const char *code, struct err *e);

/* validation used by receive (exposed for forms and tests) */
int dossier_check_idno(int kind, const char *in, char *out, size_t n, struct err *e);
int dossier_check_phone(const char *in, char *out, size_t n, struct err *e);
/* "<agency>-<YYMMDD>-<NNNN>" */
void dossier_format_code(const char *agency, int64_t at, int n, char *out, size_t sz);

#endif
