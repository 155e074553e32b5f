/* online_links.c - an online dossier's files as the portal links them.  A dossier filed
 * on the national portal comes with its components' download links (URL, name, and
 * the hash and size when the portal gives them); central keeps them in the dossier's
 * received event ("links"), so they reach the office with the dossier and stay what
 * was received.  The office lists them (online intake, `links CODE`) and fetches one
 * into the dossier's attachments (`links fetch`): downloaded over http(s) with
 * libcurl to a private temporary file, within the attachment size limit, checked
 * against the portal's size and SHA-256, then attached through attach_file, which
 * types it by its content (libmagic) and stores it in one transaction with its event.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "dossier.h"
#include "online_links.h"
#include "portal.h"
#include "procver.h"
#include "store.h"
#include "text.h"

static json_t *iget(json_t *o, const char *k)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
		if (!strcasecmp(key, k))
			return v;
	return NULL;
}

static const char *istr(json_t *o, const char *k)
{
	json_t *v = iget(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static int http_url(const char *u)
{
	return !strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8);
}

static int hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
			return 0;
	return 1;
}

json_t *links_from_portal(json_t *att, const struct procedure *p, const char *base)
{
	json_t *out = json_array(), *it;
	size_t i;
	json_array_foreach(att, i, it) {
		if (json_array_size(out) == LINKS_MAX)
			break;
		char url[LINK_URL_MAX + 1], name[ATTACH_NAME_CHARS * 4 + 1], capped[1024], msg[200], fa[256], fb[256];
		const char *raw = istr(it, "filedinhkem");
		if (!*raw)
			raw = istr(it, "duongDanTaiTepTin");
		size_t sch = strspn(raw, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
		if (http_url(raw))
			snprintf(url, sizeof url, "%s", raw);
		else if (sch && raw[sch] == ':')
			continue; /* another scheme (file:, ftp:, javascript:): never fetched */
		else if (*raw && base && *base && http_url(base))
			snprintf(url, sizeof url, "%s%s%s", base, base[strlen(base) - 1] == '/' || raw[0] == '/' ? "" : "/", raw);
		else
			continue;
		if (strlen(url) >= LINK_URL_MAX || !text_valid_utf8(url, strlen(url)) || strpbrk(url, " \t\r\n\"<>\\"))
			continue;
		portal_cap(istr(it, "tengiayto"), ATTACH_NAME_CHARS, capped, sizeof capped);
		if (text_clean(capped, "tengiayto", ATTACH_NAME_CHARS, name, sizeof name, msg, sizeof msg))
			name[0] = 0;
		json_t *l = json_pack("{s:i, s:s, s:s}", "n", (int)json_array_size(out) + 1, "name", name, "url", url);
		/* the component: the procedure's whose name it is */
		text_fold(name, fa, sizeof fa);
		for (int k = 0; p && *fa && k < p->ncomponents; k++) {
			text_fold(p->components[k].name, fb, sizeof fb);
			if (!strcmp(fa, fb)) {
				json_object_set_new(l, "component", json_integer(k + 1));
				break;
			}
		}
		const char *sha = istr(it, "sha256");
		if (!*sha)
			sha = istr(it, "hash");
		if (hex64(sha)) {
			char low[65];
			for (int k = 0; k < 64; k++)
				low[k] = (char)(sha[k] >= 'A' && sha[k] <= 'F' ? sha[k] + 32 : sha[k]);
			low[64] = 0;
			json_object_set_new(l, "sha256", json_string(low));
		}
		json_t *sz = iget(it, "kichThuoc");
		if (!sz)
			sz = iget(it, "size");
		long long size = json_is_integer(sz) ? (long long)json_integer_value(sz) : json_is_string(sz) ? atoll(json_string_value(sz)) : -1;
		if (size > 0)
			json_object_set_new(l, "size", json_integer(size));
		json_array_append_new(out, l);
	}
	if (!json_array_size(out)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

struct find { json_t *links; };

static int from_received(const struct event *ev, void *arg)
{
	struct find *f = arg;
	if (strcmp(ev->kind, "received"))
		return 0;
	json_t *p = json_loads(ev->payload ? ev->payload : "{}", 0, NULL);
	json_t *l = json_object_get(p, "links");
	if (json_is_array(l))
		f->links = json_incref(l);
	json_decref(p);
	return 1; /* the first received event is the one */
}

struct seen { struct online_link *l; int n; };

static int mark_fetched(const struct attach_info *a, void *ctx)
{
	struct seen *s = ctx;
	for (int i = 0; i < s->n; i++)
		if (s->l[i].sha256[0] ? !strcmp(s->l[i].sha256, a->sha256) : !strcmp(s->l[i].name, a->name))
			s->l[i].fetched = 1;
	return 0;
}

int links_of(struct core *c, const char *code, struct online_link *out, int max, struct err *e)
{
	struct dossier d;
	if (dossier_get(c, code, &d, e))
		return -1;
	struct find f = {NULL};
	store_events_of(c->st, code, from_received, &f);
	int n = 0;
	size_t i;
	json_t *l;
	json_array_foreach(f.links, i, l) {
		if (n == max)
			break;
		const char *url = json_string_value(json_object_get(l, "url"));
		if (!url || !http_url(url) || strlen(url) > LINK_URL_MAX)
			continue; /* received as data: only what a link may be is shown */
		struct online_link *o = &out[n++];
		memset(o, 0, sizeof *o);
		o->n = (int)i + 1;
		o->component = (int)json_integer_value(json_object_get(l, "component"));
		snprintf(o->url, sizeof o->url, "%s", url);
		const char *s = json_string_value(json_object_get(l, "name"));
		snprintf(o->name, sizeof o->name, "%s", s && text_valid_utf8(s, strlen(s)) ? s : "");
		s = json_string_value(json_object_get(l, "sha256"));
		snprintf(o->sha256, sizeof o->sha256, "%s", s && hex64(s) ? s : "");
		o->size = json_object_get(l, "size") ? json_integer_value(json_object_get(l, "size")) : -1;
	}
	json_decref(f.links);
	struct seen s = {out, n};
	attach_list(c, code, mark_fetched, &s, e);
	return n;
}

struct sink { int fd; int64_t got, max; int over, werr; };

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	if (s->got + (int64_t)n > s->max) {
		s->over = 1;
		return 0;
	}
	for (size_t off = 0; off < n;) {
		ssize_t w = write(s->fd, ptr + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->werr = 1;
			return 0;
		}
		off += (size_t)w;
	}
	s->got += (int64_t)n;
	return n;
}

/* the file name to attach under: the link's name, else its URL's last part, as a
 * plain file name */
static void file_name(const struct online_link *l, char *out, size_t n)
{
	const char *src = l->name;
	if (!*src) {
		src = strrchr(l->url, '/');
		src = src ? src + 1 : l->url;
	}
	size_t k = 0;
	for (const char *s = src; *s && k < n - 1 && k < 180; s++)
		out[k++] = *s == '/' || *s == '\\' || *s == '?' || *s == '&' || (unsigned char)*s < 0x20 ? '_' : *s;
	out[k] = 0;
	if (!k || !strcmp(out, ".") || !strcmp(out, ".."))
		snprintf(out, n, "link-%d", l->n);
	/* never cut a character in half */
	while (k && ((unsigned char)out[k - 1] & 0xC0) == 0x80 && !text_valid_utf8(out, k))
		out[--k] = 0;
	if (!text_valid_utf8(out, strlen(out)))
		snprintf(out, n, "link-%d", l->n);
}

int links_fetch(struct core *c, const char *code, int n, int component, struct attach_info *out, struct err *e)
{
	struct online_link *ls = calloc(LINKS_MAX, sizeof *ls), *l = NULL;
	if (!ls)
		return err_set(e, MC_STORE, "out of memory");
	int k = links_of(c, code, ls, LINKS_MAX, e), rc = 0;
	if (k < 0) {
		free(ls);
		return e->code;
	}
	for (int i = 0; i < k; i++)
		if (ls[i].n == n)
			l = &ls[i];
	if (!l) {
		free(ls);
		return k ? err_set(e, MC_NOTFOUND, "dossier %s has no link %d: it has %d (see motcua links %s)", code, n, k, code)
			 : err_set(e, MC_NOTFOUND, "dossier %s has no file linked from the portal", code);
	}
	int64_t max;
	attach_limits(c, &max, NULL);
	char name[256], path[800];
	const char *tmp = getenv("TMPDIR");
	char dirbuf[600];
	snprintf(dirbuf, sizeof dirbuf, "%s/motcua-link.XXXXXX", tmp && *tmp && strlen(tmp) < 400 ? tmp : "/tmp");
	if (!mkdtemp(dirbuf)) {
		free(ls);
		return err_set(e, MC_IO, "cannot make a temporary folder for the download: %s", strerror(errno));
	}
	file_name(l, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", dirbuf, name);
	struct sink s = {open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), 0, max, 0, 0};
	if (s.fd < 0) {
		rc = err_set(e, MC_IO, "cannot write the download to %s: %s", path, strerror(errno));
		goto out;
	}
	static int inited;
	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	CURL *h = curl_easy_init();
	if (!h) {
		close(s.fd);
		rc = err_set(e, MC_STORE, "out of memory");
		goto out;
	}
	char cerr[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, l->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	CURLcode cc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	int synced = fsync(s.fd) == 0;
	close(s.fd);
	if (s.over || cc == CURLE_FILESIZE_EXCEEDED) {
		rc = err_set(e, MC_INVALID, "link %d of dossier %s is over the limit of %lld MB per file (setting attach.max_mb): nothing was attached",
			     n, code, (long long)(max >> 20));
		goto out;
	}
	if (cc != CURLE_OK || s.werr || !synced) {
		rc = err_set(e, MC_IO, "link %d of dossier %s could not be downloaded (%.200s): nothing was attached; try again later or ask the applicant for the file",
			     n, code, s.werr || !synced ? strerror(errno) : cerr[0] ? cerr : curl_easy_strerror(cc));
		goto out;
	}
	if (l->size > 0 && l->size != s.got) {
		rc = err_set(e, MC_INVALID, "link %d of dossier %s gave %lld bytes where the portal said %lld: nothing was attached",
			     n, code, (long long)s.got, (long long)l->size);
		goto out;
	}
	if (l->sha256[0]) {
		char sha[65];
		int64_t sz;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || attach_hash_fd(fd, sha, &sz, e)) {
			if (fd >= 0)
				close(fd);
			rc = e->code ? e->code : err_set(e, MC_IO, "cannot read the download %s", path);
			goto out;
		}
		close(fd);
		if (strcmp(sha, l->sha256)) {
			rc = err_set(e, MC_INVALID, "link %d of dossier %s is not the file the portal named (its SHA-256 differs): nothing was attached", n, code);
			goto out;
		}
	}
	rc = attach_file(c, code, component >= 0 ? component : l->component, path, out, e);
out:
	unlink(path);
	rmdir(dirbuf);
	free(ls);
	return rc;
}
