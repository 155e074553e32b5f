/* event.h - events: globally unique ids (ULID), canonical bytes, the hash chain.
 *
 * Each event's hash is SHA-256 over the previous event's hash of the same dossier
 * (32 zero bytes for the first) followed by its canonical content (event_canonical).
 * Changing any stored field of any event breaks the chain from there on.
 */
#ifndef MOTCUA_EVENT_H
#define MOTCUA_EVENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "model.h"

/* The most bytes an event's payload (its JSON text) may hold: the core refuses to
 * write a longer one (dossier.c), central quarantines one with its size only
 * (central_put_batch; c_ingest() in db/central/pg_0001_central.sql says the same
 * figure, 1048576).  Measured: the longest payloads the core writes are a CMS
 * signature with its certificate chain (8.6 KB with the tests' chain) and a 'received'
 * with every text field at its maximum in Vietnamese (13 KB: each letter is six bytes
 * as \uXXXX).  Bounded by the fields' limits, an online dossier's 32 download links
 * (a URL under 2,000 bytes, a name of 200 characters) add at most ~150 KB; every other
 * kind holds a few fields of at most 1,000 characters (the most, a liên thông
 * dossier's eight parts with their tasks: under 60 KB), and an attachment carries its
 * file's name, size and hash, never the file.  1 MiB is over six times the worst case, and bounds what one
 * event can cost central's disk. */
#define EVENT_PAYLOAD_MAX (1024 * 1024)

/* a new ULID for time ms (26 Crockford base-32 chars + NUL); monotonic per process */
void event_ulid(int64_t ms, char out[27]);
/* canonical content; returns a malloc'd string */
char *event_canonical(const struct event *ev);
/* the same into buf (NUL-terminated): its length, or -1 if it needs more than size bytes */
int event_canonical_into(const struct event *ev, char *buf, int size);
/* computes ev->hash from ev->prev_hash (or zeros) and the content */
void event_hash(struct event *ev);
/* 1 if ev->hash matches its content and prev_hash */
int event_hash_ok(const struct event *ev);
/* a new event: a fresh id for time at, the fields given, the payload object as
 * canonical JSON text (sorted keys, ASCII; ev->payload is NULL if memory ran out: check
 * it), chained to prev_hash (NULL: a dossier's first event), and its hash.  The
 * payload object stays the caller's; ev->payload is freed by event_clear. */
void event_make(struct event *ev, const char *code, int dseq, const char *kind, const char *os_account,
		const char *actor, int64_t at, const char *origin, json_t *payload, const unsigned char *prev_hash);
void event_clear(struct event *ev);
/* the bytes an event's signature covers: a context line and its hash (out: 52 bytes) */
#define EVENT_SIG_MSG 52
void event_sig_message(const struct event *ev, unsigned char out[EVENT_SIG_MSG]);
/* a batch's events ordered by hash (malloc'd; NULL: out of memory; free() it), and the
 * latest event before i in the batch that is event i's previous one (its prev_hash,
 * the same dossier, dseq one less), or -1 */
struct event_byhash { uint64_t key; int ix; }; /* key: the hash's first 8 bytes */
struct event_byhash *event_batch_by_hash(const struct event *evs, int n);
int event_prev_in_batch(const struct event *evs, const struct event_byhash *byhash, int n, int i);
/* n bytes as lowercase hex (out: 2n+1) and back (exactly 2n hex digits: 0, else -1) */
void hex_encode(const unsigned char *in, size_t n, char *out);
int hex_decode(const char *hex, unsigned char *out, size_t n);

#endif
