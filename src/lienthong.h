/* lienthong.h - inter-agency processing (liên thông): a procedure that needs several
 * agencies, and each dossier's parts at them.
 *
 * Why: since Decree 118/2025 (after Decree 61/2018 Art. 19) a dossier may need several
 * agencies.  Electronic dossiers go to all of them at once (parallel); paper ones pass
 * from one to the next with a transfer slip, "phiếu chuyển xử lý" (sequential).  Each
 * agency has its task and its share of the time, works its part in its own queue and
 * hands back a partial result; the lead agency (the competent agency holding the
 * dossier) concludes only when every part is back.  The agency whose part was late is
 * the one that made the dossier late: it signs the apology (form 04).
 *
 * This module owns the procedure's configuration (procedure_agencies, procedure_flows),
 * the part events on the dossier's own chain (lt_opened, part_taken, part_returned) and
 * their projection (dossier_parts, rebuilt from the events), the per-part deadlines
 * (announced calendar, src/calendar.c), lateness and its attribution, and the counts
 * the statistics report takes.  A part at another office travels as the dossier does
 * (sequential flow: a "routed" event with place "part" sends the dossier to the agency
 * whose part opens, and back to the lead with the last hand-back; central carries it).
 */
#ifndef MOTCUA_LIENTHONG_H
#define MOTCUA_LIENTHONG_H

#include "core.h"

#define LT_MAX_PARTS 8
#define LT_ROUTE_PLACE "part"

enum lt_state { LT_WAITING = 0, LT_OPEN = 1, LT_TAKEN = 2, LT_BACK = 3 };

struct lt_part {
	int n;                  /* 1.. in the order of the flow */
	char agency[32];        /* the participating agency (an office's agency code) */
	int64_t office_id;
	char task[NOTE_MAX_CHARS * 4 + 1];
	int days;               /* its share of the time limit, working days */
	int state;              /* enum lt_state */
	int64_t opened_at, due_at, returned_at;
	char assignee[ACCOUNT_LEN];
	char result[NOTE_MAX_CHARS * 4 + 1];
	int slip;               /* the transfer slip it opened with (sequential), 0 none */
};

struct lt_parts {
	char flow[12];          /* "parallel" or "sequential"; "" when the dossier has no parts */
	char lead[32];          /* the lead agency */
	int n;
	struct lt_part p[LT_MAX_PARTS];
};

/* ---- configuration (admin) ---- */
/* a procedure's participating agency: add (or change) with its task, share in working
 * days and order; lead marks the agency that concludes; add = 0 removes it */
int lt_agency_set(struct core *c, const char *procedure, const char *agency, const char *task, int days, int order,
		  int lead, int add, struct err *e);
/* the procedure's flow: "parallel", "sequential" or "channel" */
int lt_flow_set(struct core *c, const char *procedure, const char *flow, struct err *e);
/* the configured agencies of a procedure (cb per agency, in order); *flow gets its flow */
int lt_agencies(struct core *c, const char *procedure, char *flow, size_t n,
		int (*cb)(const char *agency, const char *task, int days, int order, int lead, void *ctx), void *ctx,
		struct err *e);

/* ---- the parts of a dossier ---- */
/* the lead opens the parts of dossier code from its procedure's configuration: every
 * part (parallel) or the first with transfer slip 1 (sequential); flow NULL: the
 * procedure's (channel: online dossiers parallel, others sequential) */
int lt_open(struct core *c, const char *code, const char *flow, struct dossier *out, struct err *e);
/* the agency takes part n: its head names the assignee (account), or a specialist of
 * the agency takes it (account NULL) */
int lt_take(struct core *c, const char *code, int n, const char *account, struct dossier *out, struct err *e);
/* the agency hands back part n with its partial result; sequential: the next part
 * opens with the next transfer slip (the dossier goes on to its agency), the last one
 * goes back to the lead */
int lt_return(struct core *c, const char *code, int n, const char *result, struct dossier *out, struct err *e);
/* the dossier's parts as its events say (flow "" when none) */
int lt_parts_of(struct core *c, const char *code, struct lt_parts *out, struct err *e);
/* working minutes part p is late at `now` (returned late, or open past its deadline); 0 if not */
int64_t lt_part_late(const struct core *c, const struct lt_part *p, int64_t now);
/* the agency the dossier's lateness is attributed to: the agency whose part is latest
 * past its deadline, else the lead; "" when the dossier has no parts */
int lt_responsible(struct core *c, const char *code, char agency[32]);
/* 1 if agency's part(s) of the dossier are all handed back (and it has one) */
int lt_part_back(struct core *c, const char *code, const char *agency);
/* 1 if agency's part of the dossier is worked on a chain of its own at the agency's
 * own store (parallel flow between stores): its users write nothing on the dossier here */
int lt_part_away(struct core *c, const char *code, const char *agency);
/* 0 if the lead may conclude (no parts, or all back), else MC_STATE naming what is out */
int lt_may_conclude(struct core *c, const struct dossier *d, struct err *e);
/* parts open at office_id (0: every office), by deadline; all: handed back ones too */
int lt_each_part(struct core *c, int64_t office_id, int all,
		 int (*cb)(const char *code, const struct lt_part *p, void *ctx), void *ctx);

/* the acting user's agency's open parts as a work queue: cb gets each dossier (once,
 * by the part's deadline, at most limit); *total and *overdue count the open parts and
 * those past their deadline */
int lt_queue(struct core *c, int limit, dossier_cb cb, void *ctx, int *total, int *overdue);

/* ---- events ---- */
/* 1 if kind is one of this module's events */
int lt_is_event(const char *kind);
/* apply one part event (payload parsed) to parts */
struct json_t;
void lt_apply(struct lt_parts *parts, const char *kind, int64_t at, struct json_t *payload);
/* rebuild the dossier's dossier_parts rows from its events (after sync, in the caller's transaction);
 * for a part chain's code, the parent's rows (when this store holds the parent) */
int lt_rebuild(struct core *c, const char *code, int64_t dossier_id, struct err *e);

/* ---- part chains (parallel flow between offices with stores of their own) ----
 * A part worked at another office keeps its steps on a chain of its own, code
 * PARENT-Pn, that travels to the part's office while the parent stays at the lead; the
 * lead's projection of the parent's parts reads the part chains it has received. */
/* the code of part n's chain into out (0; MC_INVALID if it would not fit) */
int lt_part_code(const char *parent, int n, char *out, size_t size);
/* 1 if code is a part chain's code: its parent's code into parent, its part into *n */
int lt_part_parent(const char *code, char parent[CODE_LEN], int *n);
/* apply one event of part n's chain to the parent's parts: only part_taken and
 * part_returned of a parallel flow's part n, written by that part's agency (origin);
 * returns 1 if it changed the parts */
int lt_apply_chain(struct lt_parts *parts, int n, const char *kind, const char *origin, int64_t at,
		   struct json_t *payload);

/* ---- the late agency's apology (form 04, "Phiếu xin lỗi và đề nghị gia hạn thời gian
 * giải quyết") ----
 * The agency whose part is late apologises and proposes a new appointment, signed by
 * its head (a leader of that agency), at its own store: on the part's chain (parallel
 * flow between stores: event part_apology, which reaches the lead through central as the
 * part's steps do) or on the dossier itself when that office holds it (sequential flow,
 * or every office in one store: an "extended" event, the appointment moves at once).
 * At the lead, a clerk, head or leader of the office holding the dossier records the
 * new appointment the apology proposes (lt_reschedule: an "extended" event naming the
 * agency and the letter), as the desk changes the due date in the system when the late
 * agency's letter arrives (Decree 61/2018 Art. 19(9), kept under Decree 118/2025). */
struct lt_apology {
	int n;                  /* the late part */
	char agency[32];        /* its agency: the one that apologises */
	char code[CODE_LEN];    /* the chain (or dossier) the letter was written on */
	int64_t at;             /* the letter's date */
	int64_t due_at;         /* the new appointment it proposes */
	int64_t previous_due_at; /* the appointment it replaces; 0 if the agency's store did not know it */
	char signer[ACCOUNT_LEN]; /* the agency's leader who signed it */
	char signer_name[256];
	char reason[NOTE_MAX_CHARS * 4 + 1];
	int applied;            /* the dossier's appointment was moved to it ("extended") */
};
/* the late agency's leader signs the apology for part n of dossier code (or its chain
 * CODE-Pn), with the reason and the proposed new appointment */
int lt_apologise(struct core *c, const char *code, int n, int64_t new_due, const char *reason, struct dossier *out,
		 struct err *e);
/* the lead records the new appointment of the apology for part n (0: any part) that
 * reached it on a part's chain */
int lt_reschedule(struct core *c, const char *code, int n, struct dossier *out, struct err *e);
/* the dossier's apology for a late part: the one applied to the dossier, else the
 * latest on its parts' chains; 1 if there is one */
int lt_apology_of(struct core *c, const char *code, struct lt_apology *out);
/* each apology written on the dossier's parts' chains, in time order */
int lt_chain_apologies(struct core *c, const char *code, int (*cb)(const struct lt_apology *a, void *ctx), void *ctx);
/* 0: nothing; LT_AP_SIGN: the acting user may sign the apology for part *n here;
 * LT_AP_APPLY: an apology waits for the acting user's office to record its appointment */
enum { LT_AP_NONE = 0, LT_AP_SIGN = 1, LT_AP_APPLY = 2 };
int lt_apology_mode(struct core *c, const char *code, int *n);

/* ---- reports ---- */
/* per agency, over the dossiers whose parts opened in [from, to): how many liên thông
 * dossiers it took part in (lead or part), how many parts it had, how many were late
 * (returned after the deadline, or open past it at `to`), and for how many of those
 * dossiers it apologised (form 04); cb per agency in code order */
struct lt_count { char agency[32]; int dossiers, leads, parts, late, apologies; };
int lt_report(struct core *c, int64_t from, int64_t to, int (*cb)(const struct lt_count *r, void *ctx), void *ctx,
	      struct err *e);
/* form 04's signer: the responsible agency's code and name (lt_responsible); 1 if the
 * dossier has parts, 0 otherwise (the form keeps its own signer) */
int lt_apology_signer(struct core *c, const char *code, char agency[32], char *name, size_t n);
/* form 06: each hand-over of the dossier's parts (to the agency, back from it), in time
 * order, with the co-operating agency; cb's strings valid during the call */
int lt_handovers(struct core *c, const char *code,
		 int (*cb)(int64_t at, const char *from, const char *to, const char *what, void *ctx), void *ctx);

/* the parts of a parallel dossier handed back on their chains (not on the dossier's own
 * events), by the time each came back: cb per part, with the lead agency */
int lt_chain_backs(struct core *c, const char *code, int (*cb)(const struct lt_part *p, const char *lead, void *ctx),
		   void *ctx);

/* form hooks (src/forms.c, Vietnamese as the forms are): the Vietnamese name of a part
 * event (NULL for another kind); who receives the dossier at a part event (1 and out,
 * 0 for another kind); the co-operating agencies' names, "; " between (0 if none) */
const char *lt_event_vi(const char *kind);
int lt_receiver(struct core *c, const struct event *ev, char *out, size_t n);
int lt_cooperating(struct core *c, const char *code, char *out, size_t n);

#endif
