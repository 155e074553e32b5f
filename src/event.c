/* event.c - ULIDs, canonical event bytes and the SHA-256 hash chain (see event.h). */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"

static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

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
	} else if (RAND_bytes(r, sizeof r) != 1) {
		for (int i = 0; i < 10; i++)
			r[i] = (unsigned char)rand();
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

char *event_canonical(const struct event *ev)
{
	char *s = NULL;
	if (asprintf(&s, "motcua-event-v1\n%s\n%s\n%d\n%s\n%s\n%s\n%lld\n%s\n%s", ev->id,
		     ev->dossier_code, ev->dseq, ev->kind, ev->os_account, ev->actor,
		     (long long)ev->at, ev->origin, ev->payload ? ev->payload : "{}") < 0)
		return NULL;
	return s;
}

static void compute(const struct event *ev, unsigned char out[32])
{
	static const unsigned char zero[32];
	char *c = event_canonical(ev);
	unsigned int len = 32;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, ev->has_prev ? ev->prev_hash : zero, 32);
	if (c)
		EVP_DigestUpdate(md, c, strlen(c));
	EVP_DigestFinal_ex(md, out, &len);
	EVP_MD_CTX_free(md);
	free(c);
}

void event_hash(struct event *ev) { compute(ev, ev->hash); }

int event_hash_ok(const struct event *ev)
{
	unsigned char h[32];
	compute(ev, h);
	return memcmp(h, ev->hash, 32) == 0;
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
