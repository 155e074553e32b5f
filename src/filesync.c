/* filesync.c - attached files travel with sync (see filesync.h): the office's rules
 * for what to send and take, chunk by chunk, resumable, checked by hash at the end. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "central_files.h"
#include "filesync.h"
#include "store_files.h"
#include "store_filesync.h"
#include "store_sync.h"
#include "sync.h"

#define FS_CHUNK CENTRAL_FILE_CHUNK

/* the files of one phase, listed before the link is used */
struct fs_item { char sha[65]; int64_t size; char type[64]; };
struct fs_list { struct fs_item *v; int n, cap; int64_t bytes; };

static int list_add(const char *sha, int64_t size, const char *type, void *ctx)
{
	struct fs_list *l = ctx;
	if (strlen(sha) != 64)
		return 0;
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 64;
		struct fs_item *v = realloc(l->v, (size_t)cap * sizeof *v);
		if (!v)
			return MC_STORE;
		l->v = v;
		l->cap = cap;
	}
	struct fs_item *it = &l->v[l->n++];
	snprintf(it->sha, sizeof it->sha, "%s", sha);
	it->size = size;
	snprintf(it->type, sizeof it->type, "%s", type);
	l->bytes += size;
	return 0;
}

static int64_t chunks_of(int64_t size) { return (size + FS_CHUNK - 1) / FS_CHUNK; }

struct fs_run {
	struct core *c;
	struct central *cen;
	const struct central_file_ops *ops;
	const struct sync_opts *o;
	struct filesync_result *r;
	struct err *e;
	time_t deadline;             /* 0: none */
	int64_t done, total;         /* KB, for progress */
	const char *sha;
	EVP_MD_CTX *md;
	int64_t got;                 /* bytes of the chunks seen */
};

static void progress(struct fs_run *x, int64_t bytes)
{
	if (bytes <= 0)
		return;
	x->done += bytes;
	if (x->o && x->o->progress)
		x->o->progress(x->o->ctx, "files", x->done / 1024, x->total / 1024);
}

static int out_of_time(struct fs_run *x)
{
	if (!x->deadline || time(NULL) < x->deadline)
		return 0;
	x->r->left++;
	return 1;
}

/* ---- sending -------------------------------------------------------------------------- */

static int send_chunk(int64_t n, const unsigned char *data, size_t len, void *ctx)
{
	struct fs_run *x = ctx;
	int rc = x->ops->put(x->cen, x->sha, n, data, len, x->e);
	if (!rc)
		progress(x, (int64_t)len);
	return rc;
}

/* one file up to central; returns 0 also when it was left for the next sync */
static int send_file(struct fs_run *x, const struct fs_item *it)
{
	struct central_file f;
	struct err *e = x->e;
	for (int attempt = 0; attempt < 2; attempt++) {
		int rc = x->ops->get(x->cen, it->sha, &f, e);
		if (rc == MC_NOTFOUND) {
			if ((rc = x->ops->begin(x->cen, it->sha, it->size, it->type, e)))
				return rc;
			f.chunks = 0;
			f.complete = 0;
		} else if (rc) {
			return rc;
		}
		if (f.complete)
			return store_fs_mark(x->c->st, it->sha, 1, e);
		x->sha = it->sha;
		progress(x, f.chunks * FS_CHUNK > it->size ? it->size : f.chunks * FS_CHUNK);
		for (int64_t n = f.chunks; n < chunks_of(it->size); n++) {
			if (out_of_time(x))
				return 0;
			rc = store_fs_chunk(x->c->st, it->sha, n, send_chunk, x);
			if (rc == MC_NOTFOUND) { /* broken here: audit verify names it; the others go on */
				x->r->corrupt++;
				snprintf(x->r->bad, sizeof x->r->bad, "%s", it->sha);
				return 0;
			}
			if (rc)
				return e->code ? e->code : rc;
		}
		char h[65];
		if ((rc = x->ops->hash(x->cen, it->sha, h, e)))
			return rc;
		int ok = !strcmp(h, it->sha);
		if ((rc = x->ops->settle(x->cen, it->sha, ok, e)))
			return rc;
		if (ok) {
			x->r->sent++;
			x->r->sent_bytes += it->size;
			return store_fs_mark(x->c->st, it->sha, 1, e);
		}
		/* what arrived does not hash to the name: dropped at central; once more */
		x->r->corrupt++;
		snprintf(x->r->bad, sizeof x->r->bad, "%s", it->sha);
	}
	/* twice: the bytes here are what is wrong (audit verify names them); the others go on */
	return 0;
}

/* central names what it lacks (dropped as corrupt, or half sent): send those again */
static int wanted_one(const char *sha, void *ctx)
{
	struct fs_run *x = ctx;
	return store_fs_mark(x->c->st, sha, 0, x->e);
}

/* ---- receiving ------------------------------------------------------------------------ */

static int take_chunk(int64_t n, const unsigned char *data, size_t len, void *ctx)
{
	struct fs_run *x = ctx;
	int rc = store_fs_part_put(x->c->st, x->sha, n, data, len, x->e);
	if (!rc)
		progress(x, (int64_t)len);
	return rc;
}

static int hash_part(int64_t n, const unsigned char *data, size_t len, void *ctx)
{
	(void)n;
	struct fs_run *x = ctx;
	EVP_DigestUpdate(x->md, data, len);
	x->got += (int64_t)len;
	return 0;
}

static int get_file(struct fs_run *x, const struct fs_item *it)
{
	struct central_file f;
	struct err *e = x->e;
	int rc = x->ops->get(x->cen, it->sha, &f, e);
	if (rc == MC_NOTFOUND || (!rc && !f.complete)) {
		x->r->waiting++;
		return 0;
	}
	if (rc)
		return rc;
	x->sha = it->sha;
	int64_t have = store_fs_parts(x->c->st, it->sha), n = chunks_of(f.size);
	progress(x, have * FS_CHUNK > f.size ? f.size : have * FS_CHUNK);
	for (int64_t k = have; k < n; k++) {
		if (out_of_time(x))
			return 0;
		rc = x->ops->chunk(x->cen, it->sha, k, take_chunk, x, e);
		if (rc == MC_NOTFOUND) { /* dropped at central meanwhile: it will be sent again */
			x->r->waiting++;
			return store_fs_parts_drop(x->c->st, it->sha, e);
		}
		if (rc)
			return e->code ? e->code : rc;
	}
	/* all here: whole only if the chunks hash to the name */
	x->md = EVP_MD_CTX_new();
	if (!x->md || EVP_DigestInit_ex(x->md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(x->md);
		return err_set(e, MC_STORE, "out of memory");
	}
	x->got = 0;
	rc = store_fs_parts_each(x->c->st, it->sha, hash_part, x);
	unsigned char h[32];
	unsigned len = 0;
	char hex[65];
	EVP_DigestFinal_ex(x->md, h, &len);
	EVP_MD_CTX_free(x->md);
	x->md = NULL;
	if (rc)
		return err_set(e, MC_STORE, "cannot read the chunks received for %.12s...", it->sha);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	if (strcmp(hex, it->sha) || x->got != f.size) {
		/* corrupt at central: dropped there and here, the office that has it sends it again */
		x->r->corrupt++;
		snprintf(x->r->bad, sizeof x->r->bad, "%s", it->sha);
		if ((rc = store_fs_parts_drop(x->c->st, it->sha, e)))
			return rc;
		return x->ops->settle(x->cen, it->sha, 0, e);
	}
	if ((rc = store_fs_promote(x->c->st, it->sha, f.size, f.type, e)))
		return rc;
	x->r->received++;
	x->r->received_bytes += f.size;
	return 0;
}

int filesync_run(struct core *c, struct central *cen, const struct sync_opts *o, struct filesync_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	struct sync_state_row s;
	if (store_sync_state(c->st, &s))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
	char buf[32];
	long budget = 600;
	if (store_setting_get(c->st, "sync.files_seconds", buf, sizeof buf) == 0)
		budget = atol(buf);
	struct fs_run x = {c, cen, central_files(cen), o, r, e, budget > 0 ? time(NULL) + budget : 0, 0, 0, NULL, NULL, 0};
	int rc = x.ops->wanted(cen, wanted_one, &x, e);
	if (rc == MC_VERSION) { /* a central not yet upgraded: the events went, files wait */
		r->no_tables = 1;
		return 0;
	}
	if (rc)
		return rc;
	/* central holds fewer files than we believe it does (restored from an older backup,
	 * tables recreated): ask again about every file, the ones it has cost a question */
	int64_t there = 0;
	if ((rc = x.ops->count(cen, &there, e)))
		return rc;
	if (there < store_fs_at_central(c->st) && (rc = store_fs_forget_central(c->st, e)))
		return rc;
	struct fs_list up = {0}, down = {0};
	if (store_fs_to_send(c->st, c->office.agency_code, s.push_seq, list_add, &up) ||
	    store_fs_to_get(c->st, list_add, &down)) {
		free(up.v);
		free(down.v);
		return err_set(e, MC_STORE, "out of memory");
	}
	x.total = up.bytes + down.bytes;
	if (x.total && o && o->progress)
		o->progress(o->ctx, "files", 0, x.total / 1024);
	for (int i = 0; !rc && i < up.n && !r->left; i++)
		rc = send_file(&x, &up.v[i]);
	for (int i = 0; !rc && i < down.n && !r->left; i++)
		rc = get_file(&x, &down.v[i]);
	free(up.v);
	free(down.v);
	return rc;
}

int filesync_status(struct core *c, int64_t *send, int64_t *send_bytes, int64_t *get, struct err *e)
{
	struct sync_state_row s;
	if (store_sync_state(c->st, &s))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
	if (store_fs_counts(c->st, c->office.agency_code, s.push_seq, send, send_bytes, get))
		return err_set(e, MC_VERSION, "this store has no tables for files in sync: open it once read-write to upgrade it");
	return 0;
}

/* ---- central's check ------------------------------------------------------------------- */

struct fs_check {
	struct central *cen;
	const struct central_file_ops *ops;
	int (*cb)(const char *sha, int64_t size, void *ctx);
	void *ctx;
	struct fs_list bad;
	int64_t checked;
	struct err *e;
};

static int check_one(const char *sha, int64_t size, void *ctx)
{
	struct fs_check *k = ctx;
	char h[65];
	struct central_file f;
	k->checked++;
	if (k->ops->hash(k->cen, sha, h, k->e))
		return k->e->code;
	int bad = strcmp(h, sha) != 0;
	if (!bad && !k->ops->get(k->cen, sha, &f, k->e))
		bad = f.chunks != chunks_of(size);
	return bad ? list_add(sha, size, "", &k->bad) : 0;
}

int filesync_check_central(struct central *cen, int (*cb)(const char *sha, int64_t size, void *ctx), void *ctx,
			   int64_t *checked, int64_t *bad, struct err *e)
{
	struct fs_check k = {cen, central_files(cen), cb, ctx, {0}, 0, e};
	int rc = k.ops->each(cen, check_one, &k, e);
	for (int i = 0; !rc && i < k.bad.n; i++) {
		if (cb)
			cb(k.bad.v[i].sha, k.bad.v[i].size, ctx);
		rc = k.ops->settle(cen, k.bad.v[i].sha, 0, e);
	}
	*checked = k.checked;
	*bad = k.bad.n;
	free(k.bad.v);
	return rc;
}

/* ---- one file on demand (reuse through central, src/reuse_central.c) ------------------- */

int filesync_fetch(struct core *c, struct central *cen, const char *sha, struct err *e)
{
	struct filesync_result r;
	memset(&r, 0, sizeof r);
	struct central_file f;
	const struct central_file_ops *ops = central_files(cen);
	if (store_file_info(c->st, sha, NULL, NULL, 0) == 0)
		return 0;
	int rc = ops->get(cen, sha, &f, e);
	if (rc && rc != MC_NOTFOUND)
		return rc;
	if (rc == MC_NOTFOUND || !f.complete)
		return err_set(e, MC_NOTFOUND, "central does not hold the whole file %.12s yet: sync again later, or scan the paper and attach it", sha);
	struct fs_item it;
	snprintf(it.sha, sizeof it.sha, "%s", sha);
	it.size = f.size;
	snprintf(it.type, sizeof it.type, "%s", f.type);
	struct fs_run x = {c, cen, ops, NULL, &r, e, 0, 0, f.size, NULL, NULL, 0};
	if ((rc = get_file(&x, &it)))
		return rc;
	if (r.corrupt)
		return err_set(e, MC_INVALID, "the file %.12s from central failed its hash check: it was dropped there to be sent again; try later, or scan the paper and attach it", sha);
	if (!r.received)
		return err_set(e, MC_NOTFOUND, "central does not hold the whole file %.12s yet: sync again later, or scan the paper and attach it", sha);
	return 0;
}
