/* filebundle.h - attached files carried by bundles, for offices with no network: a
 * files bundle travels beside an events bundle (FILE.files beside FILE) and carries
 * the bytes its events' `attached` files need, chunk by chunk.
 *
 * Why a file of its own and not more lines in the events bundle: the events must be
 * applicable without the bytes (a bundle with a missing or damaged file still brings
 * its dossier events; the file is then named missing, never half stored), and the
 * events bundle keeps its format.  One JSON object per line:
 *   {"motcua_files":1, "office":..., "created":N}
 *   {"t":"file", "sha256":HEX, "size":N, "type":MIME}
 *   {"t":"chunk", "n":N, "data":BASE64}      (256 KB each, in order, after their file)
 *   {"t":"have", "sha256":HEX}               (a reply: central holds it complete)
 *   {"end":true, "files":N}
 *   sha256 <hex of every byte before this line>
 * Written under a temporary name and renamed; the checksum is verified over the whole
 * file before anything is applied, and reading streams one line at a time.  A file is
 * stored at the receiver only if all its chunks came and they hash to its name;
 * files already there are skipped, so importing twice duplicates nothing.
 */
#ifndef MOTCUA_FILEBUNDLE_H
#define MOTCUA_FILEBUNDLE_H

#include <stdint.h>
#include "central.h"
#include "core.h"

struct filebundle_result {
	int64_t files;               /* stored by this import */
	int64_t dup;                 /* already there */
	int64_t broken;              /* incomplete or failing their hash: not stored */
	int64_t missing;             /* attached by the events, in neither the bundle nor the store */
	char bad[65];                /* the last broken or missing one */
};

/* the office: beside the events bundle, the files central may lack (path gets
 * ".files"); *files counts them, nothing is written when there is none */
int filebundle_export(struct core *c, const char *bundle, int64_t *files, struct err *e);
/* the office: apply the files beside central's reply (absent: nothing to do) */
int filebundle_import(struct core *c, const char *reply, struct filebundle_result *r, struct err *e);
/* central: apply the files beside an office's events bundle, count the attached files
 * still missing, and write beside the reply the files its events attach (*sent) */
int filebundle_central(struct central *cen, const char *bundle, const char *reply, struct filebundle_result *r,
		       int64_t *sent, struct err *e);

#endif
