/* filebundle.c - files bundles beside events bundles (format and rules in
 * filebundle.h): writing them at the office and at central, applying them at either
 * end through the same chunk-by-chunk path as online file sync. */
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bundle.h"
#include "central_files.h"
#include "filebundle.h"
#include "hashfile.h"
#include "store_files.h"
#include "store_filesync.h"

#define FB_CHUNK CENTRAL_FILE_CHUNK
#define FB_MAX_LINE (1 << 20)

/* ---- writing ------------------------------------------------------------------------- */

struct fb_writer {
	struct hashfile h;
	int64_t files;
	unsigned char *b64;          /* one chunk's base64 */
};

static void fb_line(struct fb_writer *w, const char *s, size_t n) { hashfile_put(&w->h, s, n); }
static void fb_json(struct fb_writer *w, json_t *j) { hashfile_json(&w->h, j); }

static struct fb_writer *fb_create(const char *path, const char *office, int64_t now, struct err *e)
{
	struct fb_writer *w = calloc(1, sizeof *w);
	if (!w || !(w->b64 = malloc(4 * (FB_CHUNK / 3 + 1) + 1))) {
		free(w);
		err_set(e, MC_STORE, "out of memory");
		return NULL;
	}
	if (hashfile_open(&w->h, path, e)) {
		free(w->b64);
		free(w);
		return NULL;
	}
	fb_json(w, json_pack("{s:i, s:s, s:I}", "motcua_files", 1, "office", office, "created", (json_int_t)now));
	return w;
}

static void fb_file(struct fb_writer *w, const char *sha, int64_t size, const char *type)
{
	fb_json(w, json_pack("{s:s, s:s, s:I, s:s}", "t", "file", "sha256", sha, "size", (json_int_t)size, "type", type));
	w->files++;
}

static int fb_chunk(int64_t n, const unsigned char *data, size_t len, void *ctx)
{
	struct fb_writer *w = ctx;
	char head[64];
	int k = snprintf(head, sizeof head, "{\"t\":\"chunk\",\"n\":%lld,\"data\":\"", (long long)n);
	int b = EVP_EncodeBlock(w->b64, data, (int)len);
	fb_line(w, head, (size_t)k);
	fb_line(w, (const char *)w->b64, (size_t)b);
	fb_line(w, "\"}\n", 3);
	return w->h.failed;
}

static void fb_abort(struct fb_writer *w)
{
	if (!w)
		return;
	hashfile_abort(&w->h);
	free(w->b64);
	free(w);
}

static int fb_finish(struct fb_writer *w, struct err *e)
{
	fb_json(w, json_pack("{s:b, s:I}", "end", 1, "files", (json_int_t)w->files));
	int failed = hashfile_close(&w->h), rc = 0;
	if (failed)
		rc = err_set(e, MC_IO, "cannot write the files bundle %s: %s", w->h.path, strerror(failed));
	free(w->b64);
	free(w);
	return rc;
}

/* ---- reading ------------------------------------------------------------------------- */

/* where the items of a files bundle go: the office's store or central */
struct fb_sink {
	/* 1: chunks wanted, 0: already there (skip), or an MC_* error */
	int (*begin)(void *ctx, const char *sha, int64_t size, const char *type, struct err *e);
	int (*chunk)(void *ctx, const char *sha, int64_t n, const unsigned char *data, size_t len, struct err *e);
	/* the file's chunks are over: check and keep it, or drop it */
	int (*end)(void *ctx, const char *sha, int64_t size, const char *type, int64_t chunks, struct err *e);
	int (*have)(void *ctx, const char *sha, struct err *e);
	void *ctx;
};

/* one line into *line (grown up to FB_MAX_LINE + 1 bytes, never more): its length,
 * -1 at the end, -2 for a line longer than FB_MAX_LINE (a bundle anyone could have
 * written must not make us hold an unbounded line in memory) */
static long fb_getline(FILE *f, char **line, size_t *cap)
{
	size_t n = 0;
	int ch;
	while ((ch = getc_unlocked(f)) != EOF) {
		if (n + 2 > *cap) {
			if (n >= FB_MAX_LINE)
				return -2;
			size_t nc = *cap ? 2 * *cap : 4096;
			if (nc > FB_MAX_LINE + 2)
				nc = FB_MAX_LINE + 2;
			char *p = realloc(*line, nc);
			if (!p)
				return -2;
			*line = p;
			*cap = nc;
		}
		(*line)[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (!n)
		return -1;
	(*line)[n] = 0;
	return n > FB_MAX_LINE ? -2 : (long)n;
}

/* a file's name: 64 lowercase hex digits (nothing path-like reaches a store) */
static int fb_is_sha(const char *h)
{
	if (!h || strlen(h) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return 1;
}

/* the checksum over the whole file, before anything is applied */
static int fb_verify(const char *path, struct err *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set(e, MC_IO, "cannot read the files bundle %s: %s", path, strerror(errno));
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	char *line = NULL, want[65] = "", got[65];
	size_t cap = 0;
	long n;
	int bad = 0;
	while ((n = fb_getline(f, &line, &cap)) > 0) {
		if (want[0]) { /* something after the checksum line */
			bad = 1;
			break;
		}
		if (n == 7 + 64 + 1 && !strncmp(line, "sha256 ", 7)) {
			snprintf(want, sizeof want, "%.64s", line + 7);
			continue;
		}
		EVP_DigestUpdate(md, line, (size_t)n);
	}
	unsigned char h[32];
	unsigned len = 0;
	EVP_DigestFinal_ex(md, h, &len);
	EVP_MD_CTX_free(md);
	free(line);
	fclose(f);
	for (int i = 0; i < 32; i++)
		snprintf(got + 2 * i, 3, "%02x", h[i]);
	if (bad || n == -2 || !want[0] || strcmp(want, got))
		return err_set(e, MC_INVALID, "the files bundle %s is truncated or corrupted (checksum mismatch); no file from it was stored: copy it again", path);
	return 0;
}

static int fb_apply(const char *path, const struct fb_sink *k, struct err *e)
{
	if (fb_verify(path, e))
		return e->code;
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set(e, MC_IO, "cannot read the files bundle %s: %s", path, strerror(errno));
	char *line = NULL, sha[65] = "", type[64] = "";
	size_t cap = 0;
	unsigned char *buf = malloc(FB_CHUNK + 4);
	int64_t size = 0, chunks = 0, expect = 0;
	int want = 0, rc = buf ? 0 : err_set(e, MC_STORE, "out of memory"), first = 1;
	long n;
	while (!rc && (n = fb_getline(f, &line, &cap)) != -1) {
		if (n < 0) {
			rc = err_set(e, MC_INVALID, "the files bundle %s is truncated or corrupted (checksum mismatch); no file from it was stored: copy it again", path);
			break;
		}
		if (!strncmp(line, "sha256 ", 7))
			break;
		if (first) {
			first = 0;
			if (strncmp(line, "{\"motcua_files\":1", 17)) {
				rc = err_set(e, MC_INVALID, "%s is not a files bundle of this version", path);
				break;
			}
			continue;
		}
		if (!strncmp(line, "{\"t\":\"chunk\",\"n\":", 17)) {
			/* the hot line, parsed by hand: {"t":"chunk","n":N,"data":"..."} */
			char *p = line + 17, *end;
			long long cn = strtoll(p, &end, 10);
			char *d = strstr(end, "\"data\":\"");
			char *q = d ? strchr(d + 8, '"') : NULL;
			/* a chunk missing in between leaves the file failing its hash at its end */
			if (!sha[0] || !d || !q || cn < expect || cn > (size > 0 ? (size - 1) / FB_CHUNK : 0) ||
			    q - (d + 8) > 4 * (FB_CHUNK / 3 + 1)) {
				rc = err_set(e, MC_INVALID, "the files bundle %s has a chunk out of place; no further file from it was stored", path);
				break;
			}
			expect = cn + 1;
			if (!want)
				continue;
			int blen = (int)(q - (d + 8));
			int len = EVP_DecodeBlock(buf, (unsigned char *)d + 8, blen);
			if (len < 0) {
				rc = err_set(e, MC_INVALID, "the files bundle %s has a damaged chunk; no further file from it was stored", path);
				break;
			}
			/* EVP_DecodeBlock counts the padding's zero bytes */
			for (int i = blen - 1; i >= 0 && d[8 + i] == '='; i--)
				len--;
			rc = k->chunk(k->ctx, sha, cn, buf, (size_t)len, e);
			chunks++;
			continue;
		}
		/* a file, a have or the end: the previous file is over */
		if (sha[0] && want)
			rc = k->end(k->ctx, sha, size, type, chunks, e);
		sha[0] = 0;
		if (rc)
			break;
		json_t *j = json_loads(line, 0, NULL);
		const char *t = json_string_value(json_object_get(j, "t"));
		const char *h = json_string_value(json_object_get(j, "sha256"));
		json_t *js = json_object_get(j, "size");
		if (t && fb_is_sha(h) && !strcmp(t, "file") && json_is_integer(js) && json_integer_value(js) >= 0) {
			snprintf(sha, sizeof sha, "%s", h);
			const char *ty = json_string_value(json_object_get(j, "type"));
			snprintf(type, sizeof type, "%s", ty ? ty : "");
			size = json_integer_value(js);
			chunks = expect = 0;
			want = k->begin(k->ctx, sha, size, type, e);
			if (want < 0 || want > 1)
				rc = want;
		} else if (t && fb_is_sha(h) && !strcmp(t, "have")) {
			rc = k->have ? k->have(k->ctx, h, e) : 0;
		} else if (!json_is_true(json_object_get(j, "end"))) {
			rc = err_set(e, MC_INVALID, "the files bundle %s has a line this motcua does not know; no further file from it was stored", path);
		}
		json_decref(j);
	}
	free(line);
	free(buf);
	fclose(f);
	return rc;
}

/* ---- the office ------------------------------------------------------------------------ */

static int add_file(const char *sha, int64_t size, const char *type, void *ctx)
{
	struct fb_writer *w = ctx;
	fb_file(w, sha, size, type);
	return 0;
}

struct fb_list { char (*sha)[65]; int64_t *size; char (*type)[64]; int n, cap; };

static int list_file(const char *sha, int64_t size, const char *type, void *ctx)
{
	struct fb_list *l = ctx;
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 64;
		void *a = realloc(l->sha, (size_t)cap * sizeof *l->sha), *b = a ? realloc(l->size, (size_t)cap * sizeof *l->size) : NULL;
		if (a)
			l->sha = a;
		if (b)
			l->size = b;
		void *c = b ? realloc(l->type, (size_t)cap * sizeof *l->type) : NULL;
		if (!c)
			return MC_STORE;
		l->type = c;
		l->cap = cap;
	}
	snprintf(l->sha[l->n], 65, "%s", sha);
	l->size[l->n] = size;
	snprintf(l->type[l->n], 64, "%s", type);
	l->n++;
	return 0;
}

static void list_free(struct fb_list *l)
{
	free(l->sha);
	free(l->size);
	free(l->type);
}

int filebundle_export(struct core *c, const char *bundle, int64_t *files, struct err *e)
{
	char path[4200];
	snprintf(path, sizeof path, "%s.files", bundle);
	*files = 0;
	struct fb_list l = {0};
	/* every file an event here attaches that central is not known to hold */
	if (store_fs_to_send(c->st, c->office.agency_code, INT64_MAX, list_file, &l)) {
		list_free(&l);
		return err_set(e, MC_STORE, "out of memory");
	}
	if (!l.n) {
		list_free(&l);
		unlink(path);
		return 0;
	}
	struct fb_writer *w = fb_create(path, c->office.agency_code, core_now(c), e);
	int rc = w ? 0 : e->code;
	for (int i = 0; !rc && i < l.n; i++) {
		add_file(l.sha[i], l.size[i], l.type[i], w);
		for (int64_t n = 0; !rc && n * FB_CHUNK < l.size[i]; n++)
			if ((rc = store_fs_chunk(c->st, l.sha[i], n, fb_chunk, w)))
				rc = err_set(e, MC_IO, "cannot write the file %.12s... into the files bundle %s", l.sha[i], path);
	}
	list_free(&l);
	if (rc) {
		fb_abort(w);
		return rc;
	}
	*files = w->files;
	return fb_finish(w, e);
}

struct office_sink { struct core *c; struct filebundle_result *r; EVP_MD_CTX *md; int64_t got; };

static int of_begin(void *ctx, const char *sha, int64_t size, const char *type, struct err *e)
{
	(void)size, (void)type;
	struct office_sink *s = ctx;
	if (store_file_info(s->c->st, sha, NULL, NULL, 0) == 0) {
		s->r->dup++;
		return 0;
	}
	return store_fs_parts_drop(s->c->st, sha, e) ? e->code : 1;
}

static int of_chunk(void *ctx, const char *sha, int64_t n, const unsigned char *data, size_t len, struct err *e)
{
	struct office_sink *s = ctx;
	return store_fs_part_put(s->c->st, sha, n, data, len, e);
}

static int of_hash(int64_t n, const unsigned char *data, size_t len, void *ctx)
{
	(void)n;
	struct office_sink *s = ctx;
	EVP_DigestUpdate(s->md, data, len);
	s->got += (int64_t)len;
	return 0;
}

static int of_end(void *ctx, const char *sha, int64_t size, const char *type, int64_t chunks, struct err *e)
{
	(void)chunks;
	struct office_sink *s = ctx;
	s->md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(s->md, EVP_sha256(), NULL);
	s->got = 0;
	store_fs_parts_each(s->c->st, sha, of_hash, s);
	unsigned char h[32];
	unsigned len = 0;
	char hex[65];
	EVP_DigestFinal_ex(s->md, h, &len);
	EVP_MD_CTX_free(s->md);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	if (strcmp(hex, sha) || s->got != size) {
		s->r->broken++;
		snprintf(s->r->bad, sizeof s->r->bad, "%s", sha);
		return store_fs_parts_drop(s->c->st, sha, e);
	}
	if (store_fs_promote(s->c->st, sha, size, type, e))
		return e->code;
	s->r->files++;
	return 0;
}

static int of_have(void *ctx, const char *sha, struct err *e)
{
	struct office_sink *s = ctx;
	return store_fs_mark(s->c->st, sha, 1, e);
}

int filebundle_import(struct core *c, const char *reply, struct filebundle_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	char path[4200];
	snprintf(path, sizeof path, "%s.files", reply);
	if (access(path, F_OK))
		return 0;
	struct office_sink s = {c, r, NULL, 0};
	struct fb_sink k = {of_begin, of_chunk, of_end, of_have, &s};
	return fb_apply(path, &k, e);
}

/* ---- central ---------------------------------------------------------------------------- */

struct central_sink { struct central *cen; const struct central_file_ops *ops; struct filebundle_result *r; };

static int ce_begin(void *ctx, const char *sha, int64_t size, const char *type, struct err *e)
{
	struct central_sink *s = ctx;
	struct central_file f;
	int rc = s->ops->get(s->cen, sha, &f, e);
	if (!rc && f.complete) {
		s->r->dup++;
		return 0;
	}
	if (rc == MC_NOTFOUND)
		rc = s->ops->begin(s->cen, sha, size, type, e);
	return rc ? rc : 1;
}

static int ce_chunk(void *ctx, const char *sha, int64_t n, const unsigned char *data, size_t len, struct err *e)
{
	struct central_sink *s = ctx;
	return s->ops->put(s->cen, sha, n, data, len, e);
}

static int ce_end(void *ctx, const char *sha, int64_t size, const char *type, int64_t chunks, struct err *e)
{
	(void)size, (void)type, (void)chunks;
	struct central_sink *s = ctx;
	char h[65];
	if (s->ops->hash(s->cen, sha, h, e))
		return e->code;
	int ok = !strcmp(h, sha);
	if (!ok) {
		s->r->broken++;
		snprintf(s->r->bad, sizeof s->r->bad, "%s", sha);
	} else {
		s->r->files++;
	}
	return s->ops->settle(s->cen, sha, ok, e);
}

/* the hashes the `attached` events of an events bundle name */
static int bundle_attached(const char *path, struct fb_list *l, struct err *e)
{
	struct bundle_header h;
	struct bundle_reader *br = bundle_open(path, &h, e);
	if (!br)
		return e->code;
	struct bundle_item it;
	int rc;
	while ((rc = bundle_next(br, &it, e)) == 1) {
		if (it.type == 'e' && !strcmp(it.ev.kind, "attached")) {
			json_t *p = json_loads(it.ev.payload ? it.ev.payload : "{}", 0, NULL);
			const char *sha = json_string_value(json_object_get(p, "sha256"));
			int dup = 0;
			for (int i = 0; sha && i < l->n && !dup; i++)
				dup = !strcmp(l->sha[i], sha);
			if (sha && strlen(sha) == 64 && !dup && list_file(sha, json_integer_value(json_object_get(p, "size")),
									  json_string_value(json_object_get(p, "type")) ?
									  json_string_value(json_object_get(p, "type")) : "", l))
				rc = err_set(e, MC_STORE, "out of memory");
			json_decref(p);
		}
		bundle_item_clear(&it);
		if (rc != 1)
			break;
	}
	bundle_close(br);
	return rc == 0 ? 0 : rc == 1 ? 0 : rc;
}

struct reply_ctx { struct fb_writer *w; };

int filebundle_central(struct central *cen, const char *bundle, const char *reply, struct filebundle_result *r,
		       int64_t *sent, struct err *e)
{
	memset(r, 0, sizeof *r);
	*sent = 0;
	char in[4200], out[4200];
	snprintf(in, sizeof in, "%s.files", bundle);
	snprintf(out, sizeof out, "%s.files", reply);
	const struct central_file_ops *ops = central_files(cen);
	struct central_sink s = {cen, ops, r};
	struct fb_sink k = {ce_begin, ce_chunk, ce_end, NULL, &s};
	int rc = access(in, F_OK) ? 0 : fb_apply(in, &k, e);
	if (rc)
		return rc;
	/* the office's attached files central holds (to acknowledge) or still lacks */
	struct fb_list mine = {0}, theirs = {0};
	if ((rc = bundle_attached(bundle, &mine, e)) || (rc = bundle_attached(reply, &theirs, e))) {
		list_free(&mine);
		list_free(&theirs);
		return rc;
	}
	struct fb_writer *w = fb_create(out, cen->agency, 0, e);
	rc = w ? 0 : e->code;
	struct central_file f;
	for (int i = 0; !rc && i < mine.n; i++) {
		int g = ops->get(cen, mine.sha[i], &f, e);
		if (g && g != MC_NOTFOUND) {
			rc = g;
		} else if (!g && f.complete) {
			fb_json(w, json_pack("{s:s, s:s}", "t", "have", "sha256", mine.sha[i]));
		} else {
			r->missing++;
			snprintf(r->bad, sizeof r->bad, "%s", mine.sha[i]);
		}
	}
	/* the files the reply's events attach, as central holds them */
	for (int i = 0; !rc && i < theirs.n; i++) {
		int g = ops->get(cen, theirs.sha[i], &f, e);
		if (g == MC_NOTFOUND || (!g && !f.complete))
			continue;
		if ((rc = g))
			break;
		fb_file(w, theirs.sha[i], f.size, f.type);
		for (int64_t n = 0; !rc && n * FB_CHUNK < f.size; n++)
			rc = ops->chunk(cen, theirs.sha[i], n, fb_chunk, w, e);
		if (rc && !e->code)
			rc = err_set(e, MC_IO, "cannot write the file %.12s... into the files bundle %s", theirs.sha[i], out);
	}
	list_free(&mine);
	list_free(&theirs);
	if (rc) {
		fb_abort(w);
		return rc;
	}
	*sent = w->files;
	return fb_finish(w, e);
}
