/* portal.h - central's link to the national portal (DVCQG): the outbox and the mapping.
 *
 * Why: the portal must hold every dossier and every step of its progress, and it
 * scores provinces on them.  Central has every office's events, so the link runs
 * there (`motcua portal push|run`, central's administrator).  This module owns the
 * outbox (c_portal in db/central/: per dossier what the portal has, with backoff and
 * dead letters) and the mapping of a dossier and its events to DongBoHoSoMC and
 * CapNhatTienDoHoSoMC (src/portal_http.c carries them).  Projection uses the admin
 * store that publishes the reference data (as `central snapshot` does).
 *
 * Rules: DongBoHoSoMC first ("False" the first time, "True" after), progress only
 * for a dossier the portal accepted, one progress row per event of the dossier's
 * line, in order, at most 10 per call; a create that may have reached the portal
 * before a crash is looked up (TraCuuHoSo) before it is sent again, so nothing is
 * created twice.  The portal down stops the pass (the caller backs off); a dossier
 * the portal refuses backs off alone and goes to the dead letters after
 * max_attempts refusals, until `portal resend`.
 */
#ifndef MOTCUA_PORTAL_H
#define MOTCUA_PORTAL_H

#include <jansson.h>
#include <stdint.h>
#include "central.h"
#include "err.h"
#include "model.h"
#include "portal_http.h"
#include "store.h"

struct portal_result {
	int64_t dossiers;        /* dossiers brought up to date */
	int64_t rows;            /* progress rows accepted */
	int64_t refused;         /* dossiers the portal refused this pass */
	int64_t dead;            /* of them, given up */
	int down;                /* the portal did not answer: back off */
	char reason[300];        /* why it is down */
};

struct portal_status {
	int64_t log_pos, portal_pos;   /* central's log and how far the outbox has taken it */
	int64_t dossiers, waiting, dead, accepted;
	int64_t lag;                   /* seconds since the oldest event not at the portal (0: none) */
	int64_t retrying;              /* waiting after a refusal */
};

/* the national status of a motcua stage (1-10), the table README states */
int portal_stage_status(int stage);
/* the national status pushed for a dossier: its stage's, or 6 while it owes fees
 * (the extra row of the README's table) */
int portal_dossier_status(const struct dossier *d);
/* the portal's official label of a national status (1-10), "" otherwise */
const char *portal_status_label(int status);
/* the stages in order, ending with 0 (for the table `portal map` prints) */
extern const int portal_stages[];
/* LoaiDoiTuong of an applicant kind, KenhThucHien and HinhThuc of a channel */
const char *portal_applicant_kind(int kind);
const char *portal_channel(int channel);
const char *portal_delivery(int channel);
/* yyyyMMddHHmmss in Asia/Ho_Chi_Minh (UTC+7, no DST); "" for 0 */
void portal_date(int64_t t, char out[16]);
/* s cut to at most maxchars characters, never inside one (valid UTF-8 in) */
void portal_cap(const char *s, size_t maxchars, char *out, size_t n);

/* the HoSo object of a dossier's state (d projected with st) */
json_t *portal_dossier_json(struct store *st, const struct dossier *d, const char *office, const char *unit_name);

/* one pass: take new events into the outbox, then push up to limit dossiers */
int portal_push(struct central *cen, struct store *st, struct portal_http *h, const struct portal_conf *conf, int limit,
		int64_t now, struct portal_result *r, struct err *e);
/* the dossiers filed on the portal (DanhSachHoSo) received in the last `days` days
 * become online dossiers at central with the portal's MaHoSo as their code (an
 * office takes them at its next sync, as `central submit-online` ones); a code
 * central already has is skipped, so a pull repeated or a list with duplicates
 * creates nothing twice.  Their steps go back with the push (as updates). */
struct portal_pull_result {
	int64_t listed, created, known, refused;
	int down;
	char reason[300];           /* the first refusal or why the portal is down */
};
int portal_pull(struct central *cen, struct store *st, struct portal_http *h, int days, int64_t now,
		struct portal_pull_result *r, struct err *e);
int portal_status_get(struct central *cen, int64_t now, struct portal_status *s, struct err *e);
/* dead letters: code, attempts, reason, when */
typedef int (*portal_dead_cb)(const char *code, int attempts, const char *reason, int64_t at, void *ctx);
int portal_dead_list(struct central *cen, portal_dead_cb cb, void *ctx, struct err *e);
/* put dead letters back (code NULL: all); *n how many */
int portal_resend(struct central *cen, const char *code, int64_t *n, struct err *e);

/* a statement on central's portal tables through its backend's text query */
int portal_query(struct central *cen, const char *sql, const char *const *p, int n,
		 int (*cb)(int ncol, const char *const *vals, void *ctx), void *ctx, struct err *e);

/* the backends' text query (central_sqlite.c, central_pg.c): $1..$n text parameters */
typedef int (*central_row_cb)(int ncol, const char *const *vals, void *ctx);
int central_sqlite_query(struct central *c, const char *sql, const char *const *params, int n, central_row_cb cb,
			 void *ctx, struct err *e);
int central_pg_query(struct central *c, const char *sql, const char *const *params, int n, central_row_cb cb,
		     void *ctx, struct err *e);

#endif
