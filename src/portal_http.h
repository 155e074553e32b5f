/* portal_http.h - talking to the national portal (DVCQG): the two transport profiles.
 *
 * Why: provinces reach the portal either through the adapter itself (profile A:
 * POST {adapter}{auth} to log in, then POST {adapter}{integration} with a "service"
 * envelope and the session in the body) or through their integration platform's
 * REST wrappers (profile B: one URL per operation, a bare JSON array, a bearer
 * token).  This module owns the configuration, the HTTP (libcurl), the session (kept
 * at most 10 minutes, renewed and the call retried once when the portal refuses it)
 * and the reading of the answer (error_code as an integer, 0 / "0" / "00").
 */
#ifndef MOTCUA_PORTAL_HTTP_H
#define MOTCUA_PORTAL_HTTP_H

#include <jansson.h>
#include <stdint.h>
#include "err.h"

/* results of a call besides 0 (accepted) */
#define PORTAL_REFUSED 1    /* the portal answered with a non-zero error_code */
#define PORTAL_EXISTS  2    /* "already exists" (error_code 3 / -3, "đã tồn tại") */
#define PORTAL_DOWN    3    /* no answer: connection, timeout, HTTP error */

struct portal_conf {
	char profile;                        /* 'A' adapter, 'B' REST wrappers */
	char adapter_url[512], auth_ep[128], integ_ep[128], share_ep[128];
	char username[128], password[128], madonvi[64], dstcode[64], token[512];
	char url_create[512], url_update[512], url_progress[512], url_lookup[512], url_list[512];
	char url_catalog[512];               /* profile B: the catalogue wrappers' base (.../KetNoiMotCuaQuocGia) */
	char download_base[512];             /* online dossiers' file links that are not absolute URLs are taken against it */
	char unit_name[256];                 /* DonViXuLy: the processing agency's name */
	char pay_url[512], pay_partner[64], pay_secret[128], pay_ip[64]; /* the payment platform */
	long timeout;                        /* seconds per call */
	int max_attempts;                    /* refusals before a dossier goes to the dead letters */
	long retry_seconds;                  /* first wait after a refusal (doubling, at most an hour) */
	long pull_days;                      /* portal run: pull the online dossiers of the last N days each pass (0: never) */
};

/* read a key=value file (# comments); unknown keys are an error */
int portal_conf_load(const char *path, struct portal_conf *c, struct err *e);

struct portal_http;
struct portal_http *portal_http_new(const struct portal_conf *c, struct err *e);
void portal_http_free(struct portal_http *p);

/* a write service (DongBoHoSoMC, CapNhatTienDoHoSoMC): data is an array (borrowed);
 * is_updating "True"/"False" or NULL.  0, PORTAL_REFUSED, PORTAL_EXISTS or
 * PORTAL_DOWN, with the portal's message in msg */
int portal_http_send(struct portal_http *p, const char *service, json_t *data, const char *is_updating, char *msg,
		     size_t n);
/* TraCuuHoSo: 1 the portal has the dossier, 0 it has not, or -PORTAL_* */
int portal_http_exists(struct portal_http *p, const char *code, char *msg, size_t n);
/* DanhSachHoSo: the dossiers filed on the portal for this unit received between
 * two days (yyyy-MM-dd); *items a new reference to the array; 0 or PORTAL_* */
int portal_http_list(struct portal_http *p, const char *from, const char *to, json_t **items, char *msg, size_t n);
/* the national catalogue: LayThuTuc of one procedure (code) or LayDanhSachTTHC (code
 * NULL); *result a new reference to the answer's "result" array (profile B's wrapper
 * answers {"message": "<JSON>"}, parsed twice); 0 or PORTAL_* with msg */
int portal_http_catalog(struct portal_http *p, const char *code, json_t **result, char *msg, size_t n);
/* POST a JSON object to url (the payment platform); *reply the answer object */
int portal_http_post_json(struct portal_http *p, const char *url, json_t *body, json_t **reply, char *msg, size_t n);
/* the configuration's download_base ("" none) */
const char *portal_http_download_base(const struct portal_http *p);
/* calls made, sessions opened (for status and the bench) */
void portal_http_stats(const struct portal_http *p, int64_t *calls, int64_t *logins);

#endif
