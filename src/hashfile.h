/* hashfile.h - a file written beside its final name (NAME.tmp) with a SHA-256 over every
 * byte, ended by the line "sha256 HEX" (the hash of all that came before), synced and
 * renamed into place only when complete.
 *
 * Why: both bundle formats are written this way - events bundles (bundle.c) and files
 * bundles (filebundle.c) - and a reader trusts neither a half-written file nor one whose
 * hash line does not match; one copy of the writing keeps the two from drifting. */
#ifndef MOTCUA_HASHFILE_H
#define MOTCUA_HASHFILE_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdio.h>
#include "err.h"

struct hashfile {
	FILE *f;
	EVP_MD_CTX *md;
	char path[4200], tmp[4300];
	int failed;              /* the errno of a failed write (ENOMEM: a line could not be made), else 0 */
};

/* open path.tmp for writing: 0, or MC_IO with e set (nothing left open) */
int hashfile_open(struct hashfile *h, const char *path, struct err *e);
/* n bytes written and hashed; a failure is kept in h->failed */
void hashfile_put(struct hashfile *h, const void *s, size_t n);
/* j (taken) as one compact ASCII JSON line */
void hashfile_json(struct hashfile *h, json_t *j);
/* the SHA-256 of what was written so far, the writing going on: 0, or -1 */
int hashfile_digest(struct hashfile *h, unsigned char d[32]);
/* the "sha256 HEX" line, synced, closed and renamed to path: 0, or the errno that
 * failed (path.tmp removed) */
int hashfile_close(struct hashfile *h);
/* closed and path.tmp removed */
void hashfile_abort(struct hashfile *h);

#endif
