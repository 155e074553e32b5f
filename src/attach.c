/* attach.c - attaching files to dossiers: type by content, hash, limits, the one
 * transaction with the event, listing, export, hash check, printing, audit (see
 * attach.h).  Bytes are stored by store_files.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <magic.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "attach.h"
#include "i18n.h"
#include "lpr.h"
#include "dossier.h"
#include "event.h"
#include "forms.h"
#include "store_files.h"
#include "store_procver.h"
#include "store_reuse.h"
#include "text.h"

#define HEAD_BYTES 65536

static const char *const taken[] = {"application/pdf", "image/jpeg", "image/png", "image/tiff"};

/* libmagic's cookie, loaded once.  The database is the system's: $MAGIC is ignored, so
 * nobody's environment decides what counts as a PDF. */
static magic_t cookie(void)
{
	static magic_t m;
	if (m)
		return m;
	m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	if (!m)
		return NULL;
	char *saved = getenv("MAGIC") ? strdup(getenv("MAGIC")) : NULL;
	unsetenv("MAGIC");
	if (magic_load(m, NULL) != 0) {
		magic_close(m);
		m = NULL;
	}
	if (saved) {
		setenv("MAGIC", saved, 1);
		free(saved);
	}
	return m;
}

int attach_type(const void *buf, size_t n, char *type, size_t tn, struct err *e)
{
	magic_t m = cookie();
	if (!m)
		return err_set(e, MC_IO, "the file-type database (libmagic) could not be loaded: install libmagic-mgc");
	const char *t = magic_buffer(m, buf, n);
	snprintf(type, tn, "%s", t ? t : "application/octet-stream");
	for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
		if (!strcmp(type, taken[i]))
			return 0;
	return err_set(e, MC_INVALID, "the file's content is %.60s, not a scan: only PDF, JPEG, PNG and TIFF files can be attached", type);
}

static EVP_MD_CTX *sha_new(void)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		md = NULL;
	}
	return md;
}

static void sha_end(EVP_MD_CTX *md, char out[65])
{
	unsigned char h[32];
	unsigned int len = 32;
	EVP_DigestFinal_ex(md, h, &len);
	EVP_MD_CTX_free(md);
	hex_encode(h, 32, out);
}

static ssize_t read_some(int fd, unsigned char *buf, size_t n)
{
	ssize_t r;
	while ((r = read(fd, buf, n)) < 0 && errno == EINTR)
		;
	return r;
}

int attach_hash_fd(int fd, char out[65], int64_t *size, struct err *e)
{
	unsigned char *buf = malloc(STORE_FILE_CHUNK);
	EVP_MD_CTX *md = sha_new();
	int64_t total = 0;
	int rc = 0;
	if (!buf || !md) {
		rc = err_set(e, MC_STORE, "out of memory");
	} else if (lseek(fd, 0, SEEK_SET) < 0) {
		rc = err_set(e, MC_IO, "cannot read the file: %s", strerror(errno));
	} else {
		ssize_t r;
		while ((r = read_some(fd, buf, STORE_FILE_CHUNK)) > 0) {
			EVP_DigestUpdate(md, buf, (size_t)r);
			total += r;
		}
		if (r < 0)
			rc = err_set(e, MC_IO, "cannot read the file: %s", strerror(errno));
	}
	free(buf);
	if (md)
		sha_end(md, out);
	if (size)
		*size = total;
	return rc;
}

static int64_t setting_mb(struct core *c, const char *key, int64_t dflt)
{
	char buf[32];
	if (store_setting_get(c->st, key, buf, sizeof buf) == 0 && atoll(buf) > 0)
		return atoll(buf) * 1024 * 1024;
	return dflt * 1024 * 1024;
}

void attach_limits(struct core *c, int64_t *file_max, int64_t *dossier_max)
{
	if (file_max)
		*file_max = setting_mb(c, "attach.max_mb", 20);
	if (dossier_max)
		*dossier_max = setting_mb(c, "attach.dossier_max_mb", 200);
}

/* opens path and checks it; the descriptor, or -1 with e set */
static int probe_open(struct core *c, const char *path, char *type, size_t tn, int64_t *size, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno == ENOENT ? MC_NOTFOUND : MC_IO, "cannot open %.200s: %s", path, strerror(errno)), -1;
	struct stat sb;
	int64_t max;
	attach_limits(c, &max, NULL);
	unsigned char *head = NULL;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		err_set(e, MC_INVALID, "%.200s is not a regular file: attach a scanned file", path);
	} else if (sb.st_size == 0) {
		err_set(e, MC_INVALID, "%.200s is empty: scan the paper again", path);
	} else if (sb.st_size > max) {
		err_set(e, MC_INVALID, "%.200s is %lld KB, over the limit of %lld MB per file (setting attach.max_mb): scan it at a lower resolution",
			path, (long long)(sb.st_size / 1024), (long long)(max / 1024 / 1024));
	} else if (!(head = malloc(HEAD_BYTES))) {
		err_set(e, MC_STORE, "out of memory");
	} else {
		ssize_t n = read_some(fd, head, HEAD_BYTES);
		struct err te = {0};
		if (n <= 0) {
			err_set(e, MC_IO, "cannot read %.200s: %s", path, n < 0 ? strerror(errno) : "it is empty");
		} else if (attach_type(head, (size_t)n, type, tn, &te)) {
			if (te.code == MC_INVALID)
				err_set(e, MC_INVALID, "%.200s holds %.60s, not a scan: only PDF, JPEG, PNG and TIFF files can be attached", path, type);
			else
				*e = te;
		} else {
			free(head);
			*size = sb.st_size;
			return fd;
		}
	}
	free(head);
	close(fd);
	return -1;
}

int attach_probe(struct core *c, const char *path, char *type, size_t tn, struct err *e)
{
	int64_t size;
	int fd = probe_open(c, path, type, tn, &size, e);
	if (fd < 0)
		return e->code;
	close(fd);
	return 0;
}

int attach_payload(const char *payload, struct attach_info *a)
{
	json_t *p = json_loads(payload, 0, NULL);
	memset(a, 0, sizeof *a);
	if (!json_is_object(p)) {
		json_decref(p);
		return -1;
	}
	const char *s;
	a->component = (int)json_integer_value(json_object_get(p, "component"));
	a->result = json_is_true(json_object_get(p, "result"));
	a->size = json_integer_value(json_object_get(p, "size"));
	if ((s = json_string_value(json_object_get(p, "name"))))
		snprintf(a->name, sizeof a->name, "%s", s);
	if ((s = json_string_value(json_object_get(p, "sha256"))))
		snprintf(a->sha256, sizeof a->sha256, "%s", s);
	if ((s = json_string_value(json_object_get(p, "type"))))
		snprintf(a->type, sizeof a->type, "%s", s);
	json_t *reused = json_object_get(p, "reused");
	if ((s = json_string_value(json_object_get(reused, "dossier"))))
		snprintf(a->reused_from, sizeof a->reused_from, "%s", s);
	if ((s = json_string_value(json_object_get(reused, "event"))))
		snprintf(a->reused_event, sizeof a->reused_event, "%s", s);
	json_decref(p);
	return 0;
}

static int info_of(const struct event *ev, struct attach_info *a)
{
	int rc = attach_payload(ev->payload ? ev->payload : "{}", a);
	snprintf(a->event_id, sizeof a->event_id, "%s", ev->id);
	a->dseq = ev->dseq;
	snprintf(a->actor, sizeof a->actor, "%s", ev->actor);
	a->at = ev->at;
	return rc;
}

/* what the transaction of one attachment needs (dossier_attach's put) */
struct put_ctx {
	int fd, component;
	const char *sha256, *type, *path;
	int64_t size, total;
	EVP_MD_CTX *md;
};

static int sum_one(const struct event *ev, void *arg)
{
	struct attach_info a;
	if (!info_of(ev, &a))
		*(int64_t *)arg += a.size;
	return 0;
}

static long read_hashing(void *arg, unsigned char *buf, size_t max, struct err *e)
{
	struct put_ctx *x = arg;
	ssize_t r = read_some(x->fd, buf, max);
	if (r < 0)
		return err_set(e, MC_IO, "cannot read %.200s: %s", x->path, strerror(errno)), -1;
	EVP_DigestUpdate(x->md, buf, (size_t)r);
	return (long)r;
}

static int put_file(struct core *c, const struct dossier *d, void *arg, struct err *e)
{
	struct put_ctx *x = arg;
	struct procedure *p = malloc(sizeof *p);
	if (!p)
		return err_set(e, MC_STORE, "out of memory");
	int n = store_procver_of_dossier(c->st, d, p) ? 0 : p->ncomponents;
	free(p);
	if (x->component < 0 || x->component > n) {
		if (n)
			return err_set(e, MC_INVALID, "dossier %s has components 1 to %d: component %d does not exist (0: a paper that is no component)",
				       d->code, n, x->component);
		return err_set(e, MC_INVALID, "the procedure of dossier %s lists no components: attach with component 0", d->code);
	}
	int64_t total = 0, dmax;
	attach_limits(c, NULL, &dmax);
	store_attached_events(c->st, d->code, sum_one, &total);
	if (total + x->size > dmax)
		return err_set(e, MC_INVALID, "dossier %s would hold %lld MB of files, over the limit of %lld MB (setting attach.dossier_max_mb)",
			       d->code, (long long)((total + x->size + 1048575) / 1048576), (long long)(dmax / 1048576));
	if (store_file_info(c->st, x->sha256, NULL, NULL, 0) == 0)
		return 0; /* the same bytes are stored already */
	if (lseek(x->fd, 0, SEEK_SET) < 0)
		return err_set(e, MC_IO, "cannot read %.200s: %s", x->path, strerror(errno));
	if (!(x->md = sha_new()))
		return err_set(e, MC_STORE, "out of memory");
	int rc = store_file_put(c->st, x->sha256, x->type, x->size, read_hashing, x, e);
	char again[65];
	sha_end(x->md, again);
	x->md = NULL;
	if (!rc && strcmp(again, x->sha256))
		rc = err_set(e, MC_IO, "%.200s changed while it was being attached: attach it again once the scanner has finished writing it", x->path);
	return rc;
}

static void base_name(const char *path, char *out, size_t n)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(out, n, "%s", *b ? b : "scan");
}

int attach_file(struct core *c, const char *code, int component, const char *path, struct attach_info *out, struct err *e)
{
	char type[64], name[ATTACH_NAME_CHARS * 4 + 1], raw[1024], msg[256], sha[65];
	int64_t size, hashed;
	base_name(path, raw, sizeof raw);
	if (text_clean(raw, "file name", ATTACH_NAME_CHARS, name, sizeof name, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	int fd = probe_open(c, path, type, sizeof type, &size, e);
	if (fd < 0)
		return e->code;
	if (attach_hash_fd(fd, sha, &hashed, e)) {
		close(fd);
		return e->code;
	}
	if (hashed != size) {
		close(fd);
		return err_set(e, MC_IO, "%.200s changed while it was being attached: attach it again once the scanner has finished writing it", path);
	}
	int result = component == ATTACH_RESULT;
	if (result)
		component = 0;
	struct put_ctx x = {fd, component, sha, type, path, size, 0, NULL};
	json_t *pl = json_pack("{s:i, s:s, s:s, s:I, s:s}", "component", component, "name", name, "sha256", sha,
			       "size", (json_int_t)size, "type", type);
	if (pl && result)
		json_object_set_new(pl, "result", json_true());
	struct dossier *d = malloc(sizeof *d);
	int rc = !pl || !d ? err_set(e, MC_STORE, "out of memory") : dossier_attach(c, code, pl, put_file, &x, d, e);
	if (!pl || !d)
		json_decref(pl);
	close(fd);
	if (!rc && out) {
		memset(out, 0, sizeof *out);
		out->component = component;
		out->result = result;
		out->size = size;
		out->dseq = d->version;
		snprintf(out->name, sizeof out->name, "%s", name);
		snprintf(out->sha256, sizeof out->sha256, "%s", sha);
		snprintf(out->type, sizeof out->type, "%s", type);
		snprintf(out->actor, sizeof out->actor, "%s", c->actor.account);
		out->at = d->last_at;
	}
	free(d);
	return rc;
}

static int result_one(const struct attach_info *a, void *ctx)
{
	if (a->result)
		snprintf(ctx, 65, "%s", a->sha256);
	return 0;
}

int attach_result_sha(struct core *c, const char *code, char out[65])
{
	struct err e = {0};
	out[0] = 0;
	if (attach_list(c, code, result_one, out, &e) || !out[0])
		return MC_NOTFOUND;
	return 0;
}

int attach_result_find(struct core *c, const char *path, char *code, size_t n, char sha[65], struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno == ENOENT ? MC_NOTFOUND : MC_IO, "cannot open %.200s: %s", path, strerror(errno));
	int rc = attach_hash_fd(fd, sha, NULL, e);
	close(fd);
	if (rc)
		return rc;
	if (store_signed_result(c->st, sha, code, n))
		return err_set(e, MC_NOTFOUND, "no signed result of this store has the SHA-256 of %.200s (%.16s...): it is not a result signed here, or it was changed", path, sha);
	return 0;
}

struct list_ctx { int (*cb)(const struct attach_info *a, void *ctx); void *ctx; int n, want; struct attach_info *found; };

static int list_one(const struct event *ev, void *arg)
{
	struct list_ctx *l = arg;
	struct attach_info a;
	if (info_of(ev, &a))
		return 0;
	l->n++;
	if (l->found) {
		if (l->n == l->want) {
			*l->found = a;
			return 1;
		}
		return 0;
	}
	return l->cb(&a, l->ctx);
}

int attach_list(struct core *c, const char *code, int (*cb)(const struct attach_info *a, void *ctx), void *ctx, struct err *e)
{
	struct dossier d;
	if (dossier_get(c, code, &d, e))
		return e->code;
	struct list_ctx l = {cb, ctx, 0, 0, NULL};
	int rc = store_attached_events(c->st, code, list_one, &l);
	return rc == MC_STORE ? err_set(e, MC_STORE, "cannot read the attachments of %s", code) : 0;
}

int attach_nth(struct core *c, const char *code, int n, struct attach_info *out, struct err *e)
{
	struct dossier d;
	if (dossier_get(c, code, &d, e))
		return e->code;
	struct list_ctx l = {NULL, NULL, 0, n, out};
	if (n < 1 || store_attached_events(c->st, code, list_one, &l) != 1)
		return err_set(e, MC_NOTFOUND, "dossier %s has no attachment number %d: see motcua files %s", code, n, code);
	return 0;
}

/* streaming sinks: hash, and optionally write to a descriptor */
struct sink { EVP_MD_CTX *md; int fd; int64_t n; };

static int sink_write(void *arg, const unsigned char *buf, size_t n, struct err *e)
{
	struct sink *s = arg;
	EVP_DigestUpdate(s->md, buf, n);
	s->n += (int64_t)n;
	while (s->fd >= 0 && n) {
		ssize_t w = write(s->fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return err_set(e, errno == ENOSPC ? MC_FULL : MC_IO, "cannot write the file: %s", strerror(errno));
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* streams a's bytes into fd (-1: only hash); 0, MC_NOTFOUND or MC_INVALID */
static int stream(struct core *c, const struct attach_info *a, int fd, struct err *e)
{
	struct sink s = {sha_new(), fd, 0};
	if (!s.md)
		return err_set(e, MC_STORE, "out of memory");
	int rc = store_file_get(c->st, a->sha256, sink_write, &s, e);
	char h[65];
	sha_end(s.md, h);
	if (rc == MC_NOTFOUND)
		return err_set(e, MC_NOTFOUND, "the file %s (%.12s) is missing from the store", a->name, a->sha256);
	if (!rc && (strcmp(h, a->sha256) || s.n != a->size))
		rc = err_set(e, MC_INVALID, "the stored file %s (%.12s) is corrupt: its bytes no longer match its SHA-256", a->name, a->sha256);
	return rc;
}

int attach_check(struct core *c, const struct attach_info *a, struct err *e)
{
	return stream(c, a, -1, e);
}

void attach_export_name(const struct attach_info *a, char *out, size_t n)
{
	char safe[ATTACH_NAME_CHARS * 4 + 1];
	size_t k = 0;
	for (const char *p = a->name; *p && k + 1 < sizeof safe; p++)
		safe[k++] = (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f) ? '_' : *p;
	safe[k] = 0;
	if (safe[0] == '.')
		safe[0] = '_';
	snprintf(out, n, "%d-%s", a->component, safe);
}

int attach_export(struct core *c, const struct attach_info *a, const char *path, struct err *e)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.part", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0)
		return err_set(e, errno == ENOSPC ? MC_FULL : MC_IO, "cannot write %.200s: %s", tmp, strerror(errno));
	int rc = stream(c, a, fd, e);
	if (!rc && fsync(fd))
		rc = err_set(e, errno == ENOSPC ? MC_FULL : MC_IO, "cannot write %.200s: %s", tmp, strerror(errno));
	if (close(fd) && !rc)
		rc = err_set(e, MC_IO, "cannot write %.200s: %s", tmp, strerror(errno));
	if (!rc && rename(tmp, path))
		rc = err_set(e, MC_IO, "cannot write %.200s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}

int attach_print(struct core *c, const struct attach_info *a, struct err *e)
{
	char printer[256];
	if (forms_printer(c, printer, sizeof printer))
		return err_set(e, MC_INVALID, "no printer is configured: set the setting 'printer' or $PRINTER");
	struct lpr l;
	int rc = lpr_open(&l, printer, e);
	if (rc)
		return rc;
	struct err we = {0};
	rc = stream(c, a, l.fd, &we);
	if (rc == MC_NOTFOUND || rc == MC_INVALID) {
		struct err ignored = {0};
		lpr_close(&l, 1, 1, &ignored);
		*e = we;
		return rc;
	}
	return lpr_close(&l, rc, 1, e);
}

static int newest_first(const void *a, const void *b)
{
	const struct attach_scan *x = a, *y = b;
	return x->mtime != y->mtime ? (x->mtime < y->mtime ? 1 : -1) : strcmp(x->name, y->name);
}

int attach_scans(struct core *c, struct attach_scan *out, int max, char *dir, size_t dn, struct err *e)
{
	if (store_setting_get(c->st, "scan.dir", dir, dn) || !dir[0])
		return err_set(e, MC_NOTFOUND, "no scanner folder is set: an administrator sets scan.dir to the folder the scanner writes into"), -1;
	DIR *d = opendir(dir);
	if (!d)
		return err_set(e, MC_IO, "cannot read the scanner folder %.200s: %s", dir, strerror(errno)), -1;
	/* keep the newest max: collect all into a growing array, sort, cut */
	struct attach_scan *all = NULL;
	int n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		struct attach_scan sc;
		struct stat sb;
		snprintf(sc.name, sizeof sc.name, "%s", de->d_name);
		snprintf(sc.path, sizeof sc.path, "%s/%s", dir, de->d_name);
		if (stat(sc.path, &sb) || !S_ISREG(sb.st_mode))
			continue;
		sc.size = sb.st_size;
		sc.mtime = sb.st_mtime;
		if (n == cap) {
			int nc = cap ? cap * 2 : 64;
			struct attach_scan *a = realloc(all, (size_t)nc * sizeof *a);
			if (!a)
				break;
			all = a;
			cap = nc;
		}
		all[n++] = sc;
	}
	closedir(d);
	if (n)
		qsort(all, (size_t)n, sizeof *all, newest_first);
	if (n > max)
		n = max;
	if (n)
		memcpy(out, all, (size_t)n * sizeof *out);
	free(all);
	return n;
}

int attach_component_name(struct core *c, const char *code, int n, char *name, size_t nn)
{
	struct dossier d;
	struct err e = {0};
	struct procedure *p = calloc(1, sizeof *p);
	int count = 0;
	name[0] = 0;
	if (p && dossier_get(c, code, &d, &e) == 0 && store_procver_of_dossier(c->st, &d, p) == 0) {
		count = p->ncomponents;
		for (int i = 0; i < p->ncomponents; i++)
			if (p->components[i].n == n)
				snprintf(name, nn, "%s", p->components[i].name);
	}
	free(p);
	return count;
}

int attach_setting_put(struct core *c, const char *key, const char *value, struct err *e)
{
	char clean[1024], msg[256];
	if (!(c->actor.roles & ROLE_ADMIN) && !(c->is_root && !c->actor.id))
		return err_set(e, MC_DENIED, "only an administrator may change the setting %s", key);
	int dir = !strcmp(key, "scan.dir") || !strcmp(key, "export.dir");
	int mb = !strcmp(key, "attach.max_mb") || !strcmp(key, "attach.dossier_max_mb");
	if (!dir && !mb)
		return err_set(e, MC_INVALID, "%s is no attachment setting: use scan.dir, export.dir, attach.max_mb or attach.dossier_max_mb", key);
	if (text_clean(value ? value : "", key, 1000, clean, sizeof clean, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (mb) {
		char *end;
		long v = strtol(clean, &end, 10);
		if (!clean[0] || *end || v < 1 || v > 10000)
			return err_set(e, MC_INVALID, "%s must be a number of megabytes from 1 to 10000", key);
	}
	if (dir && clean[0] && clean[0] != '/')
		return err_set(e, MC_INVALID, "%s must be an absolute path, e.g. /srv/scans", key);
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if ((rc = store_setting_set(c->st, key, clean, e)) || (rc = store_commit(c->st, e))) {
		store_rollback(c->st);
		return rc;
	}
	return 0;
}

void attach_export_dir(struct core *c, char *buf, size_t n)
{
	if (store_setting_get(c->st, "export.dir", buf, n) || !buf[0])
		snprintf(buf, n, "%s", ".");
}

/* ---- audit --------------------------------------------------------------- */

struct ref { char sha[65]; char code[CODE_LEN]; char event[32]; int dseq; };
struct audit_ctx {
	struct core *c;
	const char *code;
	audit_cb cb;
	void *ctx;
	int64_t broken;
	struct ref *refs;
	size_t n, cap;
	int oom;
};

static void problem(struct audit_ctx *x, const char *code, const char *event, int dseq, const char *what)
{
	struct audit_problem p = {.dseq = dseq};
	snprintf(p.code, sizeof p.code, "%s", code);
	snprintf(p.event_id, sizeof p.event_id, "%s", event);
	snprintf(p.what, sizeof p.what, "%s", what);
	x->broken++;
	if (x->cb)
		x->cb(&p, x->ctx);
}

/* a reuse (reuse.h) names an earlier attachment: when that event is in this store it
 * must be a component file with the same bytes (a reuse of an event this store never
 * received is checked where it was recorded) */
static void audit_reused(struct audit_ctx *x, const struct event *ev, const struct attach_info *a)
{
	struct store_reuse_row *r = malloc(sizeof *r);
	char what[512];
	if (!r)
		return;
	if (store_reuse_source(x->c->st, a->reused_event, r) == 0) {
		json_t *p = json_loads(r->payload, 0, NULL);
		const char *sha = json_string_value(json_object_get(p, "sha256"));
		if (!sha || strcmp(sha, a->sha256) || !strcmp(r->code, ev->dossier_code)) {
			snprintf(what, sizeof what, _("the reused file %.100s (%.12s) does not match the earlier attachment %.32s it names"), a->name,
				 a->sha256, a->reused_event);
			problem(x, ev->dossier_code, ev->id, ev->dseq, what);
		}
		json_decref(p);
	}
	free(r);
}

static int audit_ref(const struct event *ev, void *arg)
{
	struct audit_ctx *x = arg;
	struct attach_info a;
	char what[512];
	if (info_of(ev, &a) || strlen(a.sha256) != 64) {
		problem(x, ev->dossier_code, ev->id, ev->dseq, _("its attachment payload is unreadable"));
		return 0;
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct ref *r = realloc(x->refs, cap * sizeof *r);
		if (!r) {
			x->oom = 1;
			return 1;
		}
		x->refs = r;
		x->cap = cap;
	}
	struct ref *r = &x->refs[x->n++];
	snprintf(r->sha, sizeof r->sha, "%s", a.sha256);
	snprintf(r->code, sizeof r->code, "%s", ev->dossier_code);
	snprintf(r->event, sizeof r->event, "%s", ev->id);
	r->dseq = ev->dseq;
	int64_t size;
	if (store_file_info(x->c->st, a.sha256, &size, NULL, 0)) {
		snprintf(what, sizeof what, _("the attached file %.100s (%.12s) is missing from the store"), a.name, a.sha256);
		problem(x, ev->dossier_code, ev->id, ev->dseq, what);
	} else if (x->code) { /* one dossier: check its files' bytes here */
		struct err e = {0};
		if (attach_check(x->c, &a, &e))
			problem(x, ev->dossier_code, ev->id, ev->dseq, e.msg);
	}
	if (a.reused_event[0])
		audit_reused(x, ev, &a);
	return 0;
}

static int ref_cmp(const void *a, const void *b) { return strcmp(((const struct ref *)a)->sha, ((const struct ref *)b)->sha); }

static int audit_stored(const char *sha, int64_t size, void *arg)
{
	struct audit_ctx *x = arg;
	struct ref key;
	snprintf(key.sha, sizeof key.sha, "%s", sha);
	struct ref *r = x->n ? bsearch(&key, x->refs, x->n, sizeof *x->refs, ref_cmp) : NULL;
	struct attach_info a = {.size = size};
	snprintf(a.sha256, sizeof a.sha256, "%s", sha);
	snprintf(a.name, sizeof a.name, "%s", "file");
	struct err e = {0};
	char what[512];
	if (!r) {
		snprintf(what, sizeof what, _("the stored file %.12s (%lld bytes) is attached by no event (orphaned)"), sha, (long long)size);
		problem(x, "-", "", 0, what);
	} else if (attach_check(x->c, &a, &e)) {
		snprintf(what, sizeof what, _("the stored file %.12s is corrupt: its bytes no longer match its SHA-256"), sha);
		problem(x, r->code, r->event, r->dseq, what);
	}
	return 0;
}

int attach_audit(struct core *c, const char *code, audit_cb cb, void *ctx, int64_t *broken, struct err *e)
{
	struct audit_ctx x = {c, code, cb, ctx, 0, NULL, 0, 0, 0};
	int rc = store_attached_events(c->st, code, audit_ref, &x);
	if (!x.oom && rc != MC_STORE && !code) {
		if (x.n)
			qsort(x.refs, x.n, sizeof *x.refs, ref_cmp);
		rc = store_files_each(c->st, audit_stored, &x);
	}
	free(x.refs);
	if (x.oom)
		return err_set(e, MC_STORE, "out of memory");
	if (rc == MC_STORE)
		return err_set(e, MC_STORE, "cannot read the stored files");
	if (broken)
		*broken = x.broken;
	if (x.broken)
		return err_set(e, MC_INVALID, "%lld attached files are missing, corrupt or orphaned", (long long)x.broken);
	return 0;
}

int64_t attach_leftover(struct core *c)
{
	int64_t end, size;
	if (store_files_container(c->st, &end, &size) || size <= end)
		return 0;
	return size - end;
}
