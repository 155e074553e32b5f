/* event.h - events: globally unique ids (ULID), canonical bytes, the hash chain.
 *
 * Each event's hash is SHA-256 over the previous event's hash of the same dossier
 * (32 zero bytes for the first) followed by its canonical content (event_canonical).
 * Changing any stored field of any event breaks the chain from there on.
 */
#ifndef MOTCUA_EVENT_H
#define MOTCUA_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

/* a new ULID for time ms (26 Crockford base-32 chars + NUL); monotonic per process */
void event_ulid(int64_t ms, char out[27]);
/* canonical content; returns a malloc'd string */
char *event_canonical(const struct event *ev);
/* computes ev->hash from ev->prev_hash (or zeros) and the content */
void event_hash(struct event *ev);
/* 1 if ev->hash matches its content and prev_hash */
int event_hash_ok(const struct event *ev);
void event_clear(struct event *ev);
void hex_encode(const unsigned char *in, size_t n, char *out); /* out: 2n+1 */

#endif
