/* sign_common.h - what the two kinds of dossier signature share: the Ed25519 one of
 * sign.c and the certificate (CMS) one of sign_cms.c.
 *
 * Why: both write canonical "name: value" lines, find the dossier's last "signed"
 * event, check its event log and chain before trusting it, and export or read back
 * the same kind of files.  One copy of each lives in sign.c; only the two signature
 * modules use this header.
 */
#ifndef MOTCUA_SIGN_COMMON_H
#define MOTCUA_SIGN_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core.h"
#include "event.h"
#include "model.h"
#include "strbuf.h"

/* one canonical line "name: value\n"; backslash, CR and LF in value written \\ \r \n
 * (0, or -1 with b->oom set) */
int sign_line(struct strbuf *b, const char *name, const char *value);
/* the time (UTC, ISO 8601) and chain (hex) lines' values */
void sign_time_chain(int64_t t, const unsigned char chain[32], char when[32], char hex[65]);
/* "refuse" or "approve" */
const char *sign_decision_word(const struct dossier *d);

/* Inside the signing transaction: dossier code again (d), refused with MC_CONFLICT when
 * it changed since c->expect_version, and its procedure (p). */
int sign_locked_dossier(struct core *c, const char *code, struct dossier *d, struct procedure *p, struct err *e);
/* the signing transaction: begun with sign_locked_dossier (rolled back if that fails);
 * ended by the sign event carrying the "signature" object x (taken), committed (rolled
 * back if the event is refused) */
int sign_tx_begin(struct core *c, const char *code, struct dossier *d, struct procedure *p, struct err *e);
int sign_tx_end(struct core *c, const char *code, json_t *x, struct dossier *out, struct err *e);

/* the dossier's last "signed" event (found 0 when none; free ev.payload) */
struct sign_event { struct event ev; int found; };
void sign_last_event(struct core *c, const char *code, struct sign_event *s);
/* Before trusting a signature: dossier code (d) whose event log verifies, and its last
 * "signed" event (s, zeroed first; free s->ev.payload even on error). */
int sign_load_event(struct core *c, const char *code, struct dossier *d, struct sign_event *s, struct err *e);
/* the signed chain must be the one before the sign event; then the procedure (p) */
int sign_check_chain(struct core *c, const char *code, const struct dossier *d, const struct event *ev, const unsigned char ch[32],
		     struct procedure *p, struct err *e);

/* write dir/name; read at most max bytes of dir/name (*n = size; NUL-terminated; NULL
 * with e set on error) */
int sign_write_file(const char *dir, const char *name, const void *data, size_t n, struct err *e);
/* directory dir, made if missing (0755) */
int sign_make_dir(const char *dir, struct err *e);
char *sign_read_file(const char *dir, const char *name, size_t max, size_t *n, struct err *e);

#endif
