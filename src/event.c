/* event.c - ULIDs, making an event, canonical event bytes and the SHA-256 hash chain,
 * hex (see event.h). */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "event.h"

static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* n random bytes, drawn from OpenSSL a few kilobytes at a time (one call per event
 * cost as much as the rest of the id); refilled in a new process */
static void random_bytes(unsigned char *out, size_t n)
{
	static unsigned char pool[4096];
	static size_t used = sizeof pool;
	static pid_t pid;
	if (used + n > sizeof pool || pid != getpid()) {
		if (RAND_bytes(pool, sizeof pool) != 1)
			for (size_t i = 0; i < sizeof pool; i++)
				pool[i] = (unsigned char)rand();
		used = 0;
		pid = getpid();
	}
	memcpy(out, pool + used, n);
	used += n;
}

void event_ulid(int64_t ms, char out[27])
{
	static int64_t last_ms = -1;
	static unsigned char last_rand[10];
	unsigned char r[10];
	if (ms == last_ms) {
		memcpy(r, last_rand, 10);
		for (int i = 9; i >= 0; i--)
			if (++r[i] != 0)
				break;
	} else {
		random_bytes(r, sizeof r);
	}
	last_ms = ms;
	memcpy(last_rand, r, 10);
	/* 48-bit time then 80 bits of randomness, 5 bits per char, big-endian */
	unsigned char b[16];
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)((uint64_t)ms >> (8 * (5 - i)));
	memcpy(b + 6, r, 10);
	/* 128 bits -> 26 chars: first char carries 3 bits (bits 127..125 are 2 leading zeros + 1) */
	int bit = -2; /* 130 bits of output, the top two are zero */
	for (int c = 0; c < 26; c++) {
		int v = 0;
		for (int k = 0; k < 5; k++, bit++) {
			v <<= 1;
			if (bit >= 0)
				v |= (b[bit / 8] >> (7 - bit % 8)) & 1;
		}
		out[c] = b32[v];
	}
	out[26] = 0;
}

#define CANONICAL "motcua-event-v1\n%s\n%s\n%d\n%s\n%s\n%s\n%lld\n%s\n%s"
#define CANONICAL_ARGS(ev) (ev)->id, (ev)->dossier_code, (ev)->dseq, (ev)->kind, (ev)->os_account, \
	(ev)->actor, (long long)(ev)->at, (ev)->origin, (ev)->payload ? (ev)->payload : "{}"

char *event_canonical(const struct event *ev)
{
	char *s = NULL;
	if (asprintf(&s, CANONICAL, CANONICAL_ARGS(ev)) < 0)
		return NULL;
	return s;
}

/* CANONICAL into buf without printf (a push and a pull check every event's hash: the
 * format's parsing was half of it); the length, or -1 if it does not fit */
static int put_part(char *buf, int at, int size, const char *s, size_t len)
{
	if (at < 0 || (size_t)(size - at) <= len)
		return -1;
	memcpy(buf + at, s, len);
	return at + (int)len;
}

static int put_text(char *buf, int at, int size, const char *s, int nl)
{
	at = put_part(buf, at, size, s, strlen(s));
	return nl ? put_part(buf, at, size, "\n", 1) : at;
}

static int put_num(char *buf, int at, int size, long long v)
{
	char d[24], *p = d + sizeof d;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	at = put_part(buf, at, size, p, (size_t)(d + sizeof d - p));
	return put_part(buf, at, size, "\n", 1);
}

int event_canonical_into(const struct event *ev, char *buf, int size)
{
	int at = put_part(buf, 0, size, "motcua-event-v1\n", 16);
	at = put_text(buf, at, size, ev->id, 1);
	at = put_text(buf, at, size, ev->dossier_code, 1);
	at = put_num(buf, at, size, ev->dseq);
	at = put_text(buf, at, size, ev->kind, 1);
	at = put_text(buf, at, size, ev->os_account, 1);
	at = put_text(buf, at, size, ev->actor, 1);
	at = put_num(buf, at, size, (long long)ev->at);
	at = put_text(buf, at, size, ev->origin, 1);
	at = put_text(buf, at, size, ev->payload ? ev->payload : "{}", 0);
	if (at >= 0)
		buf[at] = 0;
	return at;
}

static void compute(const struct event *ev, unsigned char out[32])
{
	static const unsigned char zero[32];
	static EVP_MD *sha256;    /* fetched once: each implicit fetch costs a lookup */
	char buf[2048], *c = buf;
	int n = event_canonical_into(ev, buf, sizeof buf);
	if (n < 0) /* a long payload */
		n = (c = event_canonical(ev)) ? (int)strlen(c) : 0;
	if (!sha256)
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	unsigned int len = 32;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, sha256, NULL);
	EVP_DigestUpdate(md, ev->has_prev ? ev->prev_hash : zero, 32);
	if (c)
		EVP_DigestUpdate(md, c, (size_t)n);
	EVP_DigestFinal_ex(md, out, &len);
	EVP_MD_CTX_free(md);
	if (c != buf)
		free(c);
}

void event_hash(struct event *ev) { compute(ev, ev->hash); }

int event_hash_ok(const struct event *ev)
{
	unsigned char h[32];
	compute(ev, h);
	return memcmp(h, ev->hash, 32) == 0;
}

void event_make(struct event *ev, const char *code, int dseq, const char *kind, const char *os_account,
		const char *actor, int64_t at, const char *origin, json_t *payload, const unsigned char *prev_hash)
{
	memset(ev, 0, sizeof *ev);
	event_ulid(at * 1000, ev->id);
	snprintf(ev->dossier_code, sizeof ev->dossier_code, "%s", code);
	ev->dseq = dseq;
	snprintf(ev->kind, sizeof ev->kind, "%s", kind);
	snprintf(ev->os_account, sizeof ev->os_account, "%s", os_account);
	snprintf(ev->actor, sizeof ev->actor, "%s", actor);
	ev->at = at;
	snprintf(ev->origin, sizeof ev->origin, "%s", origin);
	ev->payload = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	if (prev_hash) {
		ev->has_prev = 1;
		memcpy(ev->prev_hash, prev_hash, 32);
	}
	event_hash(ev);
}

void event_sig_message(const struct event *ev, unsigned char out[EVENT_SIG_MSG])
{
	memcpy(out, "motcua-event-sig-v1\n", 20);
	memcpy(out + 20, ev->hash, 32);
}

void event_clear(struct event *ev)
{
	free(ev->payload);
	ev->payload = NULL;
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = 0;
}

int hex_decode(const char *hex, unsigned char *out, size_t n)
{
	if (!hex || strlen(hex) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char ch = hex[2 * i + k];
			int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
				ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
			if (d < 0)
				return -1;
			v = v * 16 + d;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

/* ---- a batch's chains ---------------------------------------------------------------
 * An event whose previous event is in the same batch finds it by its prev_hash: the
 * batch's indexes ordered by hash, then a binary search (not a walk back through the
 * batch, quadratic at a sync batch's 2,000 events).  The sort and the search read the
 * hashes' first 8 bytes kept beside each index, not the events themselves (a cache
 * miss each: the search was a tenth of a push's own CPU). */

static uint64_t hash_key(const unsigned char *h)
{
	uint64_t k = 0;
	for (int b = 0; b < 8; b++)
		k = k << 8 | h[b];
	return k;
}

static int key_cmp(const void *a, const void *b)
{
	const struct event_byhash *x = a, *y = b;
	return x->key != y->key ? (x->key > y->key) - (x->key < y->key) : (x->ix > y->ix) - (x->ix < y->ix);
}

struct event_byhash *event_batch_by_hash(const struct event *evs, int n)
{
	struct event_byhash *ix = malloc((size_t)(n > 0 ? n : 1) * sizeof *ix);
	if (!ix)
		return NULL;
	for (int k = 0; k < n; k++)
		ix[k] = (struct event_byhash){hash_key(evs[k].hash), k};
	qsort(ix, (size_t)n, sizeof *ix, key_cmp);
	return ix;
}

int event_prev_in_batch(const struct event *evs, const struct event_byhash *byhash, int n, int i)
{
	uint64_t want = hash_key(evs[i].prev_hash);
	int lo = 0, hi = n, found = -1;
	while (lo < hi) { /* the first entry whose key is >= prev_hash's */
		int mid = (lo + hi) / 2;
		if (byhash[mid].key < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && byhash[lo].key == want; lo++) {
		int j = byhash[lo].ix;
		if (j < i && j > found && !memcmp(evs[j].hash, evs[i].prev_hash, 32) && evs[j].dseq == evs[i].dseq - 1 &&
		    !strcmp(evs[j].dossier_code, evs[i].dossier_code))
			found = j;
	}
	return found;
}
