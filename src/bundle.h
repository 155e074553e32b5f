/* bundle.h - bundle files: sync batches carried on a USB stick.
 *
 * Why: an office with no network at all exchanges files with central through the
 * same idempotent path as online sync.  A bundle is self-describing and checksummed:
 * one JSON object per line,
 *   {"motcua_bundle":1, "kind":"events"|"reply", "office":..., "schema":N, ...}
 *   {"t":"ref", "kind":..., "key":..., "doc":"<JSON text>"}            (replies)
 *   {"t":"ev", "pos":P, "id":..., "code":..., "dseq":..., "kind":..., "os":...,
 *    "actor":..., "at":..., "origin":..., "payload":"<JSON text>",
 *    "prev":HEX|null, "hash":HEX, "sig":HEX (the event's signature, if it has one)}
 *   {"end":true, "count":N, "cursor_to":C, "head":H}
 *   {"sig":HEX, "signer":AGENCY, "pub":HEX, "since":T}
 *   sha256 <hex of every byte before this line>
 * An events bundle names the office, schema version, the sequence range of the
 * office's events (from..to), the office's pull cursor and reference version; a reply
 * names the acknowledged sequence (ack) and the pulled log range.  A file is written
 * under a temporary name and renamed, so a reader never sees half a bundle from us;
 * a truncated or altered file fails the checksum and is refused before anything is
 * applied.  Reading streams: memory stays flat whatever the size.
 * Signed (storekey.h): the "sig" line is the writer's Ed25519 signature over
 * "motcua-bundle-sig-v1\n" and the SHA-256 of every byte before it, with the
 * signer's agency code and public key; the reader checks the signature, and its
 * caller whether that key is the one the signer is known by.  The SHA-256 line alone
 * proves nothing against someone who edits the file (anyone can recompute it).  A
 * reply's trailer names central's log head when it was written ("head"): its cursor
 * may never pass it.
 */
#ifndef MOTCUA_BUNDLE_H
#define MOTCUA_BUNDLE_H

#include <stdint.h>
#include "err.h"
#include "model.h"
#include "storekey.h"

#define BUNDLE_FORMAT 1

struct bundle_header {
	char kind[16];               /* "events" or "reply" */
	char office[32];
	int schema;
	int64_t created;
	int64_t from, to;            /* events: the office's seq range */
	int64_t cursor;              /* events: office's pull cursor; reply: pulled from */
	int64_t ref_version;
	int64_t ack;                 /* reply: own events up to this seq are at central */
	int own;                     /* events: the office wants its own events too */
	int64_t count, cursor_to;    /* from the trailer */
	int64_t head;                /* reply: central's log head when it was written (trailer) */
	int sig_ok;                  /* 1: a "sig" line whose signature by pub is valid */
	char signer[32];             /* its agency code */
	unsigned char pub[32];       /* its public key */
	int64_t since;               /* when that key was made */
};

struct bundle_item {
	int type;                    /* 'e' event, 'r' reference row */
	struct event ev;             /* ev.seq: central log position (reply) or local seq; payload owned */
	char rkind[24], rkey[256];
	char *doc;                   /* owned */
};

struct bundle_writer;
struct bundle_writer *bundle_create(const char *path, const struct bundle_header *h, struct err *e);
int bundle_put_event(struct bundle_writer *w, const struct event *ev, int64_t pos);
int bundle_put_ref(struct bundle_writer *w, const char *kind, const char *key, const char *doc);
/* sign the bundle with k when it is finished (k must live until then) */
void bundle_sign_with(struct bundle_writer *w, const struct storekey *k);
/* a reply: central's log head, written in the trailer */
void bundle_set_head(struct bundle_writer *w, int64_t head);
/* writes the trailer, the signature and the checksum, fsyncs and renames into place */
int bundle_finish(struct bundle_writer *w, int64_t cursor_to, struct err *e);
void bundle_abort(struct bundle_writer *w);

struct bundle_reader;
/* verifies the checksum over the whole file, then reads the header and trailer */
struct bundle_reader *bundle_open(const char *path, struct bundle_header *h, struct err *e);
/* 1: an item, 0: the end, or an MC_* code with e set */
int bundle_next(struct bundle_reader *r, struct bundle_item *it, struct err *e);
void bundle_item_clear(struct bundle_item *it);
/* back to the first item (a second pass: check the whole bundle, then apply it) */
int bundle_rewind(struct bundle_reader *r, struct err *e);
void bundle_close(struct bundle_reader *r);

#endif
