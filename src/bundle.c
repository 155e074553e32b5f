/* bundle.c - writing and reading bundle files (format in bundle.h): streaming, with a
 * SHA-256 over every byte before the checksum line. */
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bundle.h"
#include "event.h"
#include "hashfile.h"

#define MAX_LINE (4 << 20)

struct bundle_writer {
	struct hashfile h;
	int64_t count, head;
	const struct storekey *key;
};

#define SIG_CONTEXT "motcua-bundle-sig-v1\n"

/* the message a bundle's signature covers: the context and the digest so far */
static void sig_message(const unsigned char digest[32], unsigned char msg[sizeof SIG_CONTEXT - 1 + 32])
{
	memcpy(msg, SIG_CONTEXT, sizeof SIG_CONTEXT - 1);
	memcpy(msg + sizeof SIG_CONTEXT - 1, digest, 32);
}

void bundle_sign_with(struct bundle_writer *w, const struct storekey *k) { w->key = k; }
void bundle_set_head(struct bundle_writer *w, int64_t head) { w->head = head; }

static void wline(struct bundle_writer *w, json_t *j) { hashfile_json(&w->h, j); }

struct bundle_writer *bundle_create(const char *path, const struct bundle_header *h, struct err *e)
{
	struct bundle_writer *w = calloc(1, sizeof *w);
	if (!w) {
		err_set(e, MC_STORE, "out of memory");
		return NULL;
	}
	if (hashfile_open(&w->h, path, e)) {
		free(w);
		return NULL;
	}
	wline(w, json_pack("{s:i, s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "motcua_bundle", BUNDLE_FORMAT,
			   "kind", h->kind, "office", h->office, "schema", h->schema, "created", (json_int_t)h->created,
			   "from", (json_int_t)h->from, "to", (json_int_t)h->to, "cursor", (json_int_t)h->cursor,
			   "ref_version", (json_int_t)h->ref_version, "ack", (json_int_t)h->ack, "own", h->own));
	return w;
}

int bundle_put_event(struct bundle_writer *w, const struct event *ev, int64_t pos)
{
	char prev[65], hash[65];
	hex_encode(ev->hash, 32, hash);
	if (ev->has_prev)
		hex_encode(ev->prev_hash, 32, prev);
	char sig[2 * 64 + 1];
	if (ev->has_sig)
		hex_encode(ev->sig, 64, sig);
	wline(w, json_pack("{s:s, s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:s, s:s, s:s?, s:s, s:s?}", "t", "ev",
			   "pos", (json_int_t)pos, "id", ev->id, "code", ev->dossier_code, "dseq", ev->dseq,
			   "kind", ev->kind, "os", ev->os_account, "actor", ev->actor, "at", (json_int_t)ev->at,
			   "origin", ev->origin, "payload", ev->payload ? ev->payload : "{}",
			   "prev", ev->has_prev ? prev : NULL, "hash", hash, "sig", ev->has_sig ? sig : NULL));
	w->count++;
	return w->h.failed;
}

int bundle_put_ref(struct bundle_writer *w, const char *kind, const char *key, const char *doc)
{
	wline(w, json_pack("{s:s, s:s, s:s, s:s}", "t", "ref", "kind", kind, "key", key, "doc", doc));
	return w->h.failed;
}

void bundle_abort(struct bundle_writer *w)
{
	if (!w)
		return;
	hashfile_abort(&w->h);
	free(w);
}

int bundle_finish(struct bundle_writer *w, int64_t cursor_to, struct err *e)
{
	json_t *t = json_pack("{s:b, s:I, s:I}", "end", 1, "count", (json_int_t)w->count, "cursor_to", (json_int_t)cursor_to);
	if (t && w->head)
		json_object_set_new(t, "head", json_integer(w->head));
	wline(w, t);
	if (w->key) {
		unsigned char d[32], msg[sizeof SIG_CONTEXT - 1 + 32], sig[STOREKEY_SIG];
		char sighex[2 * STOREKEY_SIG + 1], pubhex[65];
		if (hashfile_digest(&w->h, d)) {
			w->h.failed = ENOMEM;
		} else {
			sig_message(d, msg);
			if (storekey_sign(w->key, msg, sizeof msg, sig)) {
				w->h.failed = EINVAL;
			} else {
				hex_encode(sig, STOREKEY_SIG, sighex);
				hex_encode(w->key->pub, 32, pubhex);
				wline(w, json_pack("{s:s, s:s, s:s, s:I}", "sig", sighex, "signer", w->key->agency, "pub", pubhex,
						   "since", (json_int_t)w->key->since));
			}
		}
	}
	int failed = hashfile_close(&w->h);
	if (failed)
		err_set(e, failed == ENOSPC ? MC_FULL : MC_IO, "cannot write the bundle %s: %s", w->h.path, strerror(failed));
	free(w);
	return failed ? e->code : 0;
}

/* ---- reading ----------------------------------------------------------------- */

struct bundle_reader {
	FILE *f;
	char *line;
	size_t cap;
	char path[4096];
	int done;
};

/* reads one line (with its '\n') into r->line; returns its length, 0 at EOF, -1 if too long */
static long read_line(struct bundle_reader *r)
{
	size_t n = 0;
	int ch;
	while ((ch = getc_unlocked(r->f)) != EOF) {
		if (n + 2 > r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 8192;
			if (cap > MAX_LINE + 2)
				return -1;
			char *p = realloc(r->line, cap);
			if (!p)
				return -1;
			r->line = p;
			r->cap = cap;
		}
		r->line[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (r->line)
		r->line[n] = 0;
	return (long)n;
}

static int64_t jint(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

void bundle_close(struct bundle_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	free(r->line);
	free(r);
}

struct bundle_reader *bundle_open(const char *path, struct bundle_header *h, struct err *e)
{
	struct bundle_reader *r = calloc(1, sizeof *r);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *first = NULL, *trailer = NULL, *before = NULL, *sigline = NULL;
	unsigned char want[32], got[32], sigdig[32];
	int have_sum = 0, lines = 0, sig_at = -1;
	memset(h, 0, sizeof *h);
	if (!r || !md) {
		err_set(e, MC_STORE, "out of memory");
		goto fail;
	}
	snprintf(r->path, sizeof r->path, "%s", path);
	if (!(r->f = fopen(path, "r"))) {
		err_set(e, MC_IO, "cannot read the bundle %s: %s", path, strerror(errno));
		goto fail;
	}
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	long n;
	while ((n = read_line(r)) > 0) {
		if (have_sum) { /* anything after the checksum line */
			have_sum = 0;
			break;
		}
		if (!strncmp(r->line, "sha256 ", 7) && n == 7 + 64 + 1 && r->line[n - 1] == '\n') {
			r->line[n - 1] = 0;
			if (hex_decode(r->line + 7, want, 32) == 0)
				have_sum = 1;
			else
				break;
			continue;
		}
		if (!strncmp(r->line, "{\"sig\":", 7)) { /* the digest it signs: every byte before it */
			EVP_MD_CTX *c = EVP_MD_CTX_new();
			unsigned int dl = 32;
			if (c && EVP_MD_CTX_copy_ex(c, md) == 1 && EVP_DigestFinal_ex(c, sigdig, &dl) == 1) {
				free(sigline);
				sigline = strdup(r->line);
				sig_at = lines;
			}
			EVP_MD_CTX_free(c);
		}
		EVP_DigestUpdate(md, r->line, (size_t)n);
		if (!lines++)
			first = strdup(r->line);
		free(before);
		before = trailer;
		trailer = strdup(r->line);
	}
	/* a signature counts only as the last line before the checksum; the trailer is
	 * then the line before it */
	if (sigline && sig_at == lines - 1 && lines > 2) {
		free(trailer);
		trailer = before;
		before = NULL;
		lines--;
	} else {
		free(sigline);
		sigline = NULL;
	}
	free(before);
	before = NULL;
	if (n < 0) {
		err_set(e, MC_INVALID, "the bundle %s is corrupted (a line is too long); nothing was applied", path);
		goto fail;
	}
	if (!have_sum) {
		err_set(e, MC_INVALID, "the bundle %s is truncated or corrupted (no valid checksum at its end); nothing was applied: copy it again", path);
		goto fail;
	}
	unsigned int len = 32;
	EVP_DigestFinal_ex(md, got, &len);
	if (memcmp(want, got, 32)) {
		err_set(e, MC_INVALID, "the bundle %s is corrupted (checksum mismatch); nothing was applied: copy it again", path);
		goto fail;
	}
	json_t *hj = first ? json_loads(first, 0, NULL) : NULL;
	json_t *tj = trailer && lines > 1 ? json_loads(trailer, 0, NULL) : NULL;
	if (!json_is_object(hj) || jint(hj, "motcua_bundle") < 1 || !json_is_object(tj) || !json_is_true(json_object_get(tj, "end"))) {
		json_decref(hj);
		json_decref(tj);
		err_set(e, MC_INVALID, "%s is not a motcua bundle", path);
		goto fail;
	}
	if (jint(hj, "motcua_bundle") > BUNDLE_FORMAT) {
		json_decref(hj);
		json_decref(tj);
		err_set(e, MC_VERSION, "the bundle %s has format %d, newer than this motcua knows (%d): upgrade motcua here",
			path, (int)jint(hj, "motcua_bundle"), BUNDLE_FORMAT);
		goto fail;
	}
	snprintf(h->kind, sizeof h->kind, "%s", jstr(hj, "kind"));
	snprintf(h->office, sizeof h->office, "%s", jstr(hj, "office"));
	h->schema = (int)jint(hj, "schema");
	h->created = jint(hj, "created");
	h->from = jint(hj, "from");
	h->to = jint(hj, "to");
	h->cursor = jint(hj, "cursor");
	h->ref_version = jint(hj, "ref_version");
	h->ack = jint(hj, "ack");
	h->own = json_is_true(json_object_get(hj, "own"));
	h->count = jint(tj, "count");
	h->cursor_to = jint(tj, "cursor_to");
	h->head = jint(tj, "head");
	json_decref(hj);
	json_decref(tj);
	if (sigline) {
		json_t *sj = json_loads(sigline, 0, NULL);
		unsigned char sig[STOREKEY_SIG], msg[sizeof SIG_CONTEXT - 1 + 32];
		snprintf(h->signer, sizeof h->signer, "%s", jstr(sj, "signer"));
		h->since = jint(sj, "since");
		if (hex_decode(jstr(sj, "sig"), sig, STOREKEY_SIG) == 0 && hex_decode(jstr(sj, "pub"), h->pub, 32) == 0) {
			sig_message(sigdig, msg);
			h->sig_ok = storekey_verify(h->pub, msg, sizeof msg, sig);
		}
		json_decref(sj);
		free(sigline);
	}
	free(first);
	free(trailer);
	EVP_MD_CTX_free(md);
	/* second pass: position after the header */
	rewind(r->f);
	if (read_line(r) <= 0) {
		err_set(e, MC_IO, "cannot reread the bundle %s", path);
		bundle_close(r);
		return NULL;
	}
	return r;
fail:
	free(first);
	free(trailer);
	free(before);
	free(sigline);
	EVP_MD_CTX_free(md);
	bundle_close(r);
	return NULL;
}

void bundle_item_clear(struct bundle_item *it)
{
	free(it->ev.payload);
	free(it->doc);
	memset(it, 0, sizeof *it);
}

int bundle_next(struct bundle_reader *r, struct bundle_item *it, struct err *e)
{
	memset(it, 0, sizeof *it);
	if (r->done)
		return 0;
	long n = read_line(r);
	if (n <= 0) {
		r->done = 1;
		return err_set(e, MC_INVALID, "the bundle %s ended early", r->path);
	}
	json_t *j = json_loads(r->line, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return err_set(e, MC_INVALID, "the bundle %s has an unreadable line", r->path);
	}
	int rc = 1;
	const char *t = jstr(j, "t");
	if (json_is_true(json_object_get(j, "end"))) {
		r->done = 1;
		rc = 0;
	} else if (!strcmp(t, "ev")) {
		struct event *ev = &it->ev;
		it->type = 'e';
		ev->seq = jint(j, "pos");
		snprintf(ev->id, sizeof ev->id, "%s", jstr(j, "id"));
		snprintf(ev->dossier_code, sizeof ev->dossier_code, "%s", jstr(j, "code"));
		ev->dseq = (int)jint(j, "dseq");
		snprintf(ev->kind, sizeof ev->kind, "%s", jstr(j, "kind"));
		snprintf(ev->os_account, sizeof ev->os_account, "%s", jstr(j, "os"));
		snprintf(ev->actor, sizeof ev->actor, "%s", jstr(j, "actor"));
		ev->at = jint(j, "at");
		snprintf(ev->origin, sizeof ev->origin, "%s", jstr(j, "origin"));
		ev->payload = strdup(jstr(j, "payload"));
		ev->has_prev = json_is_string(json_object_get(j, "prev"));
		if ((ev->has_prev && hex_decode(jstr(j, "prev"), ev->prev_hash, 32)) || hex_decode(jstr(j, "hash"), ev->hash, 32)) {
			/* the checksum matched, so the writer wrote this: the event's own checks
			 * (hash) will refuse it; keep the zero hash */
			memset(ev->hash, 0, 32);
		}
		/* a signature that does not decode is no signature: the checks refuse it */
		ev->has_sig = json_is_string(json_object_get(j, "sig")) && hex_decode(jstr(j, "sig"), ev->sig, 64) == 0;
		if (!ev->has_sig && json_is_string(json_object_get(j, "sig"))) {
			ev->has_sig = 1;
			memset(ev->sig, 0, 64);
		}
		if (!ev->payload)
			rc = err_set(e, MC_STORE, "out of memory");
	} else if (!strcmp(t, "ref")) {
		it->type = 'r';
		snprintf(it->rkind, sizeof it->rkind, "%s", jstr(j, "kind"));
		snprintf(it->rkey, sizeof it->rkey, "%s", jstr(j, "key"));
		it->doc = strdup(jstr(j, "doc"));
		if (!it->doc)
			rc = err_set(e, MC_STORE, "out of memory");
	} else {
		it->type = '?'; /* an item kind this motcua does not know: skipped */
	}
	json_decref(j);
	return rc;
}

int bundle_rewind(struct bundle_reader *r, struct err *e)
{
	rewind(r->f);
	r->done = 0;
	if (read_line(r) <= 0)
		return err_set(e, MC_IO, "cannot reread the bundle %s", r->path);
	return 0;
}
