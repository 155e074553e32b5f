/* filesync.h - attached files travel with sync: after the events, the office sends
 * central the files its synced `attached` events name that central lacks, and takes
 * from central the files of the `attached` events it pulled but has no bytes for.
 *
 * Why apart from sync.c: events never wait for files.  sync_run runs this after its
 * push and pull, so a slow link carries the dossier events first; files then go
 * chunk by chunk (256 KB, one committed statement each at the receiving end), so a
 * kill or a dropped link resumes at the next chunk, memory stays one chunk, and a
 * file becomes visible at the receiver only when all its chunks are there and hash
 * to its name.  Deduplicated by SHA-256: central keeps one copy per hash
 * (central_files.h), an office one (store_files.h).  A time budget (setting
 * sync.files_seconds, 600 by default) ends the file phase of one sync; the next
 * resumes it.
 */
#ifndef MOTCUA_FILESYNC_H
#define MOTCUA_FILESYNC_H

#include <stdint.h>
#include "central.h"
#include "core.h"

struct sync_opts;

struct filesync_result {
	int64_t sent, sent_bytes;         /* files completed at central by this run */
	int64_t received, received_bytes; /* files completed here */
	int64_t waiting;                  /* attached here, not (yet) complete at central */
	int64_t corrupt;                  /* failed their hash: dropped, to be sent again */
	int64_t left;                     /* the time budget ran out: sync again */
	int no_tables;                    /* central predates files: they wait for its 'central init' */
	char bad[65];                     /* the last corrupt one */
};

int filesync_run(struct core *c, struct central *cen, const struct sync_opts *o, struct filesync_result *r, struct err *e);

/* for `sync status`: files to send (and bytes) and to receive */
int filesync_status(struct core *c, int64_t *send, int64_t *send_bytes, int64_t *get, struct err *e);

/* central's side (`motcua central files`): re-hash every complete file at central;
 * a corrupt one is named to cb and dropped, so an office that holds it sends it again */
int filesync_check_central(struct central *cen, int (*cb)(const char *sha, int64_t size, void *ctx), void *ctx,
			   int64_t *checked, int64_t *bad, struct err *e);

/* one file from central now, through the same chunks as sync (resumable, checked
 * by hash): 0 once it is stored here (also when it was already), or an error saying
 * central lacks it whole or it failed its hash */
int filesync_fetch(struct core *c, struct central *cen, const char *sha, struct err *e);

#endif
