/* model.h - the records motcua works with: offices, users, procedures, dossiers,
 * events, and the enums that give them meaning (roles, stages, national status codes,
 * channels).  Plain structs shared by the core, the store, sync and the screens.
 */
#ifndef MOTCUA_MODEL_H
#define MOTCUA_MODEL_H

#include <stdint.h>
#include <stddef.h>

/* field limits (characters, not bytes; buffers hold 4 bytes per character) */
#define NAME_MAX_CHARS    200
#define ADDRESS_MAX_CHARS 300
#define NOTE_MAX_CHARS    1000
#define CODE_LEN          48
#define ACCOUNT_LEN       64
#define MAX_COMPONENTS    16

enum role {
	ROLE_CLERK = 1, ROLE_HEAD = 2, ROLE_SPECIALIST = 4,
	ROLE_LEADER = 8, ROLE_SUPERVISOR = 16, ROLE_ADMIN = 32,
};

enum channel { CH_DIRECT = 1, CH_POSTAL = 2, CH_ONLINE = 3 };
enum applicant_kind { AK_PERSON = 1, AK_BUSINESS = 2 };
enum decision { DEC_NONE = 0, DEC_APPROVE = 1, DEC_REFUSE = 2 };

/* National portal status codes. */
enum status {
	ST_REGISTERED = 1, ST_ACCEPTED = 2, ST_REFUSED = 3, ST_IN_PROGRESS = 4,
	ST_SUPPLEMENT = 5, ST_PAYMENT = 6, ST_WITHDRAWN = 7, ST_STOPPED = 8,
	ST_RESOLVED = 9, ST_RETURNED = 10,
};

/* Where a dossier is in motcua's workflow; each stage maps to one status. */
enum stage {
	SG_ONLINE = 1,        /* filed online, waiting for the one-stop to accept (1) */
	SG_INTAKE_SUPPL = 2,  /* not accepted yet: the applicant must complete it (5) */
	SG_ACCEPTED = 10,     /* accepted at the one-stop, to transfer (2) */
	SG_DEPT = 20,         /* at the department, to assign (4) */
	SG_PROCESSING = 30,   /* with a specialist (4) */
	SG_SIGNING = 40,      /* proposal with the signer (4) */
	SG_SUPPLEMENT = 50,   /* supplement requested during processing, clock stopped (5) */
	SG_RESULT = 60,       /* result ready at the one-stop (9) */
	SG_FINAL = 90,        /* stages from here on are final */
	SG_RETURNED = 91, SG_REFUSED = 92, SG_WITHDRAWN = 93, SG_STOPPED = 94,
};

struct office {
	int64_t id;
	char agency_code[32];
	char name[256];
	int level;            /* 1 province, 2 district, 3 commune */
	char kind[16];        /* "centre", "branch", "commune", "department", "vertical", "legacy" (org.h) */
	int64_t parent_id;    /* a branch's centre; 0 */
};

struct department {
	int64_t id, office_id;
	char code[32];
	char name[256];
};

struct user {
	int64_t id;
	char account[ACCOUNT_LEN];
	char name[256];
	unsigned roles;
	int64_t office_id, dept_id;
	int active;
};

struct component {
	int n;
	int required;
	char name[400];
};

struct procedure {
	int64_t id;
	char code[32];
	char name[800];
	int level;
	int64_t field_id;
	char field_code[32];
	char field_name[256];
	int64_t dept_id;
	int hours;            /* 1: times are working hours; 0: working days */
	int statutory_direct, committed_direct, statutory_online, committed_online;
	int64_t fee;
	int full_online;
	int cutoff;           /* same-day procedures: minutes after midnight after which the time counts from the next working day; 0: none */
	int ncomponents;
	struct component components[MAX_COMPONENTS];
	int version;          /* which version of the procedure this is (procver.h); 0 or 1: the first */
};

struct dossier {
	int64_t id;
	char code[CODE_LEN];
	int64_t office_id, procedure_id;
	int channel, status, stage, prev_stage;
	int applicant_kind;
	char applicant_name[NAME_MAX_CHARS * 4 + 1];
	char applicant_idno[32];
	char applicant_phone[32];
	char applicant_address[ADDRESS_MAX_CHARS * 4 + 1];
	uint32_t components;  /* bit n-1 set: component n received */
	int64_t received_at, accepted_at, due_at, orig_due_at, step_due_at, stage_since;
	int64_t paused_at, remaining; /* remaining working minutes while paused */
	int64_t dept_id, assignee_id;
	int decision;
	char note[NOTE_MAX_CHARS * 4 + 1];
	int64_t resolved_at, returned_at;
	int rating;
	char collected_by[NAME_MAX_CHARS * 4 + 1];
	int apology;
	int version;          /* number of events applied */
	int64_t last_at;
	char last_actor[ACCOUNT_LEN];
	unsigned char chain_head[32];
	int conflict;
	/* the three places since 1 July 2025 (org.h): where it was received, the competent
	 * agency, where the result is returned; 0 = the office it is at (2018 model) */
	int64_t recv_office_id, resolver_id, return_office_id;
	char applicant_email[256];
	char proxy[2048];     /* JSON {name, idno, address, phone, email, doc} or "" (Circular 03/2025 form 01) */
	/* fees (fees.h): the total of the lines copied at acceptance, what was paid and
	 * refunded, and the stage from which payment is asked (0: no fees) */
	int64_t fee_total, fee_paid, fee_refunded;
	int fee_stage;
	/* paid and refunded at the receiving desk on the dossier's receipt chain, while
	 * another office held it (fees_counter.h); read with the row, never saved with it */
	int64_t fee_counter_paid, fee_counter_refunded;
	int proc_version;     /* the version of its procedure it was received under (procver.h); 0 = 1 */
};

struct event {
	int64_t seq;          /* local order */
	char id[32];          /* ULID */
	char dossier_code[CODE_LEN];
	int dseq;
	char kind[24];
	char os_account[ACCOUNT_LEN];
	char actor[ACCOUNT_LEN];
	int64_t at;
	char origin[32];      /* agency code of the office that wrote it */
	char *payload;        /* JSON object text; owned (free with event_clear) */
	unsigned char prev_hash[32];
	int has_prev;
	unsigned char hash[32];
	unsigned char sig[64];  /* Ed25519 by the writing store's key over the hash (storekey.h) */
	int has_sig;            /* 0: written before signing began */
};

const char *role_name(unsigned role);          /* "clerk", ... for one bit */
const char *role_label(unsigned role);         /* translated: "cán bộ một cửa" ... */
void roles_label(unsigned roles, char *buf, size_t n); /* translated, ", " between */
int role_parse(const char *s, unsigned *roles); /* "clerk,head" -> bits; -1 if unknown */
void roles_format(unsigned roles, char *buf, size_t n);
const char *stage_name(int stage);              /* English key, e.g. "processing" (N_: _() it to show it) */
int stage_status(int stage);                    /* national status code */
const char *status_name(int status);            /* English key: "in progress" ... */
const char *status_label(int status);           /* translated national wording */
const char *event_label(const char *kind);      /* translated: "đã tiếp nhận" ... */
const char *channel_name(int ch);               /* "direct", "postal", "online" */
int channel_parse(const char *s);               /* 0 if unknown */
/* --components: "all" (COMPONENTS_ALL: every component of the procedure) or numbers
 * "1,2,3", each 1..MAX_COMPONENTS, into bits (bit n-1: component n); -1 if malformed */
#define COMPONENTS_ALL 0xffffffffu
int components_parse(const char *s, uint32_t *out);

#endif
