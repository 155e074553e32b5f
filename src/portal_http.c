/* portal_http.c - the national portal's two transport profiles over libcurl (see
 * portal_http.h).  Owns the configuration file, the session and the answers.
 */
#include <curl/curl.h>
#include <stddef.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "portal_http.h"
#include "strbuf.h"

/* how long a session is trusted before logging in again (OCPS keeps it 10 minutes) */
#define SESSION_SECONDS 600

struct portal_http {
	struct portal_conf c;
	CURL *h;
	char session[512];
	time_t session_at;
	int64_t calls, logins;
};

static const struct { const char *key; size_t off, size; } KEYS[] = {
#define K(name) {#name, offsetof(struct portal_conf, name), sizeof(((struct portal_conf *)0)->name)}
	K(adapter_url), K(username), K(password), K(madonvi), K(dstcode), K(token), K(url_create), K(url_update),
	K(url_progress), K(url_lookup), K(url_list), K(url_catalog), K(download_base), K(unit_name), K(pay_url), K(pay_partner), K(pay_secret), K(pay_ip),
#undef K
	{"auth_endpoint", offsetof(struct portal_conf, auth_ep), sizeof(((struct portal_conf *)0)->auth_ep)},
	{"integration_endpoint", offsetof(struct portal_conf, integ_ep), sizeof(((struct portal_conf *)0)->integ_ep)},
	{"share_endpoint", offsetof(struct portal_conf, share_ep), sizeof(((struct portal_conf *)0)->share_ep)},
};

int portal_conf_load(const char *path, struct portal_conf *c, struct err *e)
{
	memset(c, 0, sizeof *c);
	c->profile = 'A';
	snprintf(c->auth_ep, sizeof c->auth_ep, "/mapi/login");
	snprintf(c->integ_ep, sizeof c->integ_ep, "/mapi/g");
	snprintf(c->share_ep, sizeof c->share_ep, "/mapi/g");
	c->timeout = 60;
	c->max_attempts = 10;
	c->retry_seconds = 30;
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set(e, MC_IO, "cannot read the portal configuration %s: give --config FILE", path);
	char line[1024];
	int ln = 0, rc = 0;
	while (!rc && fgets(line, sizeof line, f)) {
		ln++;
		line[strcspn(line, "\r\n")] = 0;
		char *k = line;
		while (*k == ' ' || *k == '\t')
			k++;
		if (!*k || *k == '#')
			continue;
		char *eq = strchr(k, '=');
		if (!eq) {
			rc = err_set(e, MC_INVALID, "portal configuration %s line %d: expected key = value", path, ln);
			break;
		}
		*eq = 0;
		char *v = eq + 1, *end = eq - 1;
		while (end >= k && (*end == ' ' || *end == '\t'))
			*end-- = 0;
		while (*v == ' ' || *v == '\t')
			v++;
		size_t vl = strlen(v);
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			v[--vl] = 0;
		if (!strcmp(k, "profile")) {
			if (strcmp(v, "A") && strcmp(v, "B"))
				rc = err_set(e, MC_INVALID, "portal configuration %s line %d: profile is A (adapter) or B (REST wrappers)", path, ln);
			c->profile = v[0];
			continue;
		}
		if (!strcmp(k, "timeout") || !strcmp(k, "max_attempts") || !strcmp(k, "retry_seconds") || !strcmp(k, "pull_days")) {
			long x = atol(v);
			if (k[0] == 'p' && x == 0 && !strcmp(v, "0"))
				c->pull_days = 0;
			else if (x < 1 || x > 100000)
				rc = err_set(e, MC_INVALID, "portal configuration %s line %d: %s must be a positive number", path, ln, k);
			else if (k[0] == 't')
				c->timeout = x;
			else if (k[0] == 'r')
				c->retry_seconds = x;
			else if (k[0] == 'p')
				c->pull_days = x;
			else
				c->max_attempts = (int)x;
			continue;
		}
		size_t i;
		for (i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
			if (!strcmp(k, KEYS[i].key))
				break;
		if (i == sizeof KEYS / sizeof KEYS[0])
			rc = err_set(e, MC_INVALID, "portal configuration %s line %d: unknown key '%.40s'", path, ln, k);
		else if (vl >= KEYS[i].size)
			rc = err_set(e, MC_INVALID, "portal configuration %s line %d: the value of %s is too long", path, ln, k);
		else
			memcpy((char *)c + KEYS[i].off, v, vl + 1);
	}
	fclose(f);
	if (rc)
		return rc;
	if (c->profile == 'A' && !c->adapter_url[0])
		return err_set(e, MC_INVALID, "portal configuration %s: profile A needs adapter_url", path);
	if (c->profile == 'B' && (!c->url_create[0] || !c->url_update[0] || !c->url_progress[0]))
		return err_set(e, MC_INVALID, "portal configuration %s: profile B needs url_create, url_update and url_progress", path);
	return 0;
}

struct portal_http *portal_http_new(const struct portal_conf *c, struct err *e)
{
	static int inited;
	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	struct portal_http *p = calloc(1, sizeof *p);
	if (!p || !(p->h = curl_easy_init())) {
		free(p);
		err_set(e, MC_STORE, "out of memory");
		return NULL;
	}
	p->c = *c;
	return p;
}

void portal_http_free(struct portal_http *p)
{
	if (!p)
		return;
	curl_easy_cleanup(p->h);
	free(p);
}

const char *portal_http_download_base(const struct portal_http *p) { return p->c.download_base; }

void portal_http_stats(const struct portal_http *p, int64_t *calls, int64_t *logins)
{
	*calls = p->calls;
	*logins = p->logins;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct strbuf *b = ud;
	size_t n = size * nmemb;
	if (b->len + n > 16u << 20) /* a portal answer is small: 16 MiB is an attack */
		return 0;
	strbuf_add(b, ptr, n);
	return n;
}

/* one request to url: POST body, or GET when body is NULL (profile B's catalogue
 * wrappers); 0 and the answer in out, or PORTAL_DOWN with msg.  once: on a connection
 * of its own, so that libcurl never sends it again by itself (it resends a request
 * whose reused connection closed before an answer: the portal may have applied it) -
 * for creates, which must reach the portal once */
static int request(struct portal_http *p, const char *url, const char *body, int once, struct strbuf *out, char *msg,
		   size_t n)
{
	struct curl_slist *hd = NULL;
	char line[600];
	hd = curl_slist_append(hd, "Accept: application/json");
	if (body) {
		hd = curl_slist_append(hd, "Content-Type: application/json");
		hd = curl_slist_append(hd, "Charset: utf-8");
		hd = curl_slist_append(hd, "Expect:"); /* no 100-continue round trip */
		if (p->c.dstcode[0]) {
			snprintf(line, sizeof line, "dstcode: %s", p->c.dstcode);
			hd = curl_slist_append(hd, line);
		}
	}
	if (p->c.token[0]) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", p->c.token);
		hd = curl_slist_append(hd, line);
	}
	CURL *h = p->h;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		curl_easy_setopt(h, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, p->c.timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, p->c.timeout < 10 ? p->c.timeout : 10L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	if (once) {
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	strbuf_reset(out);
	p->calls++;
	CURLcode cc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hd);
	if (cc != CURLE_OK) {
		snprintf(msg, n, "%.200s: %s", url, curl_easy_strerror(cc));
		return PORTAL_DOWN;
	}
	if (status < 200 || status >= 300) {
		snprintf(msg, n, "%.200s: HTTP %ld", url, status);
		return PORTAL_DOWN;
	}
	if (out->oom)
		snprintf(msg, n, "%s", gettext("out of memory reading the portal's answer"));
	return out->oom ? PORTAL_DOWN : 0;
}

/* error_code as an integer: 0, "0", "00" are success; -1 if missing or not a number */
static int error_code(json_t *j, int *code)
{
	json_t *v = json_object_get(j, "error_code");
	if (json_is_integer(v)) {
		*code = (int)json_integer_value(v);
		return 0;
	}
	const char *s = json_string_value(v);
	if (!s || !*s)
		return -1;
	char *end;
	long x = strtol(s, &end, 10);
	if (*end)
		return -1;
	*code = (int)x;
	return 0;
}

/* the answer's meaning: 0, PORTAL_EXISTS, PORTAL_REFUSED (msg: what the portal said) */
static int judge(const char *body, char *msg, size_t n, json_t **keep)
{
	json_error_t je;
	json_t *j = json_loads(body ? body : "", 0, &je);
	int code, rc;
	if (!j) {
		/* profile B progress answers in plain text */
		if (body && strstr(body, "thành công")) {
			snprintf(msg, n, "%.200s", body);
			return 0;
		}
		snprintf(msg, n, gettext("the portal's answer is not JSON: %.120s"), body ? body : "");
		return PORTAL_REFUSED;
	}
	/* a wrapper's {"message": "<JSON>"} */
	const char *m = json_string_value(json_object_get(j, "message"));
	if (error_code(j, &code)) {
		snprintf(msg, n, gettext("the portal's answer has no error_code: %.120s"), body);
		rc = PORTAL_REFUSED;
	} else if (code == 0) {
		snprintf(msg, n, "%.200s", m ? m : "");
		rc = 0;
	} else {
		snprintf(msg, n, "error_code %d: %.200s", code, m ? m : "");
		rc = (code == 3 || code == -3) && m && strstr(m, "đã tồn tại") ? PORTAL_EXISTS : PORTAL_REFUSED;
	}
	if (keep)
		*keep = j;
	else
		json_decref(j);
	return rc;
}

/* one profile-B call: data as JSON (flags: json_dumps's) POSTed to url, the answer
 * judged (keep: as judge) */
static int call_b(struct portal_http *p, const char *url, json_t *data, size_t flags, int once, json_t **keep, char *msg,
		  size_t n)
{
	char *body = json_dumps(data, flags);
	struct strbuf out = {0};
	int rc = body ? request(p, url, body, once, &out, msg, n) : PORTAL_DOWN;
	free(body);
	if (!rc)
		rc = judge(out.buf, msg, n, keep);
	strbuf_release(&out);
	return rc;
}

static int login(struct portal_http *p, char *msg, size_t n)
{
	char url[800];
	snprintf(url, sizeof url, "%s%s", p->c.adapter_url, p->c.auth_ep);
	json_t *b = json_pack("{s:s, s:s}", "username", p->c.username, "password", p->c.password);
	char *body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	struct strbuf out = {0};
	int rc = body ? request(p, url, body, 0, &out, msg, n) : PORTAL_DOWN;
	free(body);
	json_t *j = NULL;
	if (!rc && !(rc = judge(out.buf, msg, n, &j))) {
		const char *s = json_string_value(json_object_get(j, "session"));
		if (!s || !*s || strlen(s) >= sizeof p->session) {
			snprintf(msg, n, "%s", gettext("the portal's login answer has no session"));
			rc = PORTAL_REFUSED;
		} else {
			snprintf(p->session, sizeof p->session, "%s", s);
			p->session_at = time(NULL);
			p->logins++;
		}
	} else if (rc == PORTAL_REFUSED || rc == PORTAL_EXISTS) {
		char m2[300];
		snprintf(m2, sizeof m2, "%s", msg);
		snprintf(msg, n, gettext("the portal refused the login (%s): check username and password"), m2);
		rc = PORTAL_DOWN; /* nothing can be sent: wait, do not count it against a dossier */
	}
	json_decref(j);
	strbuf_release(&out);
	return rc;
}

/* one profile-A call with the session; *fresh: the session was opened for it */
static int call_a(struct portal_http *p, json_t *env, const char *ep, struct strbuf *out, int *fresh, char *msg, size_t n)
{
	int rc;
	*fresh = 0;
	if (!p->session[0] || time(NULL) - p->session_at > SESSION_SECONDS) {
		if ((rc = login(p, msg, n)))
			return rc;
		*fresh = 1;
	}
	/* the envelope in the order real clients send it: session, madonvi, service, ... */
	json_t *full = json_pack("{s:s, s:s}", "session", p->session, "madonvi", p->c.madonvi);
	json_object_update(full, env);
	char *body = json_dumps(full, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(full);
	char url[800];
	snprintf(url, sizeof url, "%s%s", p->c.adapter_url, ep);
	const char *iu = json_string_value(json_object_get(env, "isUpdating"));
	rc = body ? request(p, url, body, iu && !strcmp(iu, "False"), out, msg, n) : PORTAL_DOWN;
	free(body);
	return rc;
}

/* the profile-A round: call; on a refusal with a session that was not new, log in
 * again once and call again (the portal gives no expiry) */
static int round_a(struct portal_http *p, json_t *env, const char *ep, char *msg, size_t n, json_t **keep)
{
	struct strbuf out = {0};
	int fresh, rc = call_a(p, env, ep, &out, &fresh, msg, n);
	if (!rc) {
		rc = judge(out.buf, msg, n, keep);
		if (rc == PORTAL_REFUSED && !fresh) {
			if (keep) {
				json_decref(*keep);
				*keep = NULL;
			}
			p->session[0] = 0;
			rc = call_a(p, env, ep, &out, &fresh, msg, n);
			if (!rc)
				rc = judge(out.buf, msg, n, keep);
		}
	}
	strbuf_release(&out);
	return rc;
}

int portal_http_send(struct portal_http *p, const char *service, json_t *data, const char *is_updating, char *msg,
		     size_t n)
{
	if (p->c.profile == 'A') {
		json_t *env = json_object();
		json_object_set_new(env, "service", json_string(service));
		if (is_updating)
			json_object_set_new(env, "isUpdating", json_string(is_updating));
		json_object_set(env, "data", data);
		int rc = round_a(p, env, p->c.integ_ep, msg, n, NULL);
		json_decref(env);
		return rc;
	}
	const char *url = !strcmp(service, "CapNhatTienDoHoSoMC") ? p->c.url_progress
			  : is_updating && !strcmp(is_updating, "True") ? p->c.url_update : p->c.url_create;
	return call_b(p, url, data, JSON_COMPACT | JSON_PRESERVE_ORDER, url == p->c.url_create, NULL, msg, n);
}

int portal_http_exists(struct portal_http *p, const char *code, char *msg, size_t n)
{
	json_t *j = NULL;
	int rc;
	if (p->c.profile == 'A') {
		json_t *env = json_pack("{s:s, s:s}", "service", "TraCuuHoSo", "mahoso", code);
		rc = round_a(p, env, p->c.integ_ep, msg, n, &j);
		json_decref(env);
	} else {
		if (!p->c.url_lookup[0]) {
			/* no lookup configured: creating again answers "already exists" */
			return 0;
		}
		json_t *b = json_pack("{s:s}", "mahoso", code);
		rc = call_b(p, p->c.url_lookup, b, JSON_COMPACT, 0, &j, msg, n);
		json_decref(b);
	}
	int exists = 0;
	if (!rc) {
		json_t *r = json_object_get(j, "result");
		if (!r)
			r = json_object_get(j, "data");
		exists = json_is_array(r) && json_array_size(r) > 0;
	}
	json_decref(j);
	return rc ? -rc : exists;
}

int portal_http_list(struct portal_http *p, const char *from, const char *to, json_t **items, char *msg, size_t n)
{
	json_t *j = NULL;
	int rc;
	*items = NULL;
	if (p->c.profile == 'A') {
		json_t *env = json_pack("{s:s, s:s, s:s, s:s}", "service", "DanhSachHoSo", "donViXuLy", p->c.madonvi, "ngayNhan1",
					from, "ngayNhan2", to);
		rc = round_a(p, env, p->c.integ_ep, msg, n, &j);
		json_decref(env);
	} else {
		if (!p->c.url_list[0]) {
			snprintf(msg, n, "%s", gettext("profile B needs url_list to pull online dossiers"));
			return PORTAL_REFUSED;
		}
		json_t *b = json_pack("{s:s, s:s, s:s}", "donViXuLy", p->c.madonvi, "ngayNhan1", from, "ngayNhan2", to);
		rc = call_b(p, p->c.url_list, b, JSON_COMPACT, 0, &j, msg, n);
		json_decref(b);
	}
	if (!rc) {
		json_t *r = json_object_get(j, "data");
		if (!r)
			r = json_object_get(j, "result");
		if (!json_is_array(r)) {
			snprintf(msg, n, "%s", gettext("the portal's list of online dossiers is not an array"));
			rc = PORTAL_REFUSED;
		} else {
			*items = json_incref(r);
		}
	}
	json_decref(j);
	return rc;
}

int portal_http_post_json(struct portal_http *p, const char *url, json_t *body, json_t **reply, char *msg, size_t n)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct strbuf out = {0};
	*reply = NULL;
	int rc = text ? request(p, url, text, 1, &out, msg, n) : PORTAL_DOWN;
	free(text);
	if (!rc) {
		*reply = json_loads(out.buf ? out.buf : "", 0, NULL);
		if (!json_is_object(*reply)) {
			json_decref(*reply);
			*reply = NULL;
			snprintf(msg, n, gettext("the payment platform's answer is not JSON: %.120s"), out.buf ? out.buf : "");
			rc = PORTAL_REFUSED;
		}
	}
	strbuf_release(&out);
	return rc;
}

/* ---- the national catalogue (LayThuTuc, LayDanhSachTTHC; catalog_fetch.c) ---- */

int portal_http_catalog(struct portal_http *p, const char *code, json_t **result, char *msg, size_t n)
{
	json_t *j = NULL;
	int rc;
	*result = NULL;
	if (p->c.profile == 'A') {
		json_t *env = code ? json_pack("{s:s, s:s}", "service", "LayThuTuc", "maTTHC", code)
				   : json_pack("{s:s}", "service", "LayDanhSachTTHC");
		rc = round_a(p, env, code ? p->c.integ_ep : p->c.share_ep, msg, n, &j);
		json_decref(env);
	} else {
		if (!p->c.url_catalog[0]) {
			snprintf(msg, n, "%s", gettext("profile B needs url_catalog to read the national catalogue"));
			return PORTAL_REFUSED;
		}
		char url[1200];
		if (code) {
			char *q = curl_easy_escape(p->h, code, 0);
			snprintf(url, sizeof url, "%s/LayThuTuc?maTTHC=%s", p->c.url_catalog, q ? q : "");
			curl_free(q);
		} else {
			snprintf(url, sizeof url, "%s/LayDanhSachTTHC", p->c.url_catalog);
		}
		struct strbuf out = {0};
		rc = request(p, url, NULL, 0, &out, msg, n);
		if (!rc) {
			j = json_loads(out.buf ? out.buf : "", 0, NULL);
			/* the wrapper's {"message": "<JSON {result: [...]}>"} */
			const char *inner = json_string_value(json_object_get(j, "message"));
			if (j && inner && !json_object_get(j, "result")) {
				json_t *k = json_loads(inner, 0, NULL);
				json_decref(j);
				j = k;
			}
			if (!json_is_object(j)) {
				snprintf(msg, n, gettext("the portal's answer is not JSON: %.120s"), out.buf ? out.buf : "");
				rc = PORTAL_REFUSED;
			} else if (json_object_get(j, "error_code")) {
				char *text = json_dumps(j, JSON_COMPACT);
				rc = judge(text, msg, n, NULL);
				free(text);
			}
		}
		strbuf_release(&out);
	}
	if (!rc) {
		json_t *r = json_object_get(j, "result");
		if (!r)
			r = json_object_get(j, "data");
		if (!json_is_array(r)) {
			snprintf(msg, n, "%s", gettext("the portal's answer has no result list"));
			rc = PORTAL_REFUSED;
		} else {
			*result = json_incref(r);
		}
	}
	json_decref(j);
	return rc;
}
