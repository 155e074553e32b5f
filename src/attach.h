/* attach.h - attachments: the scanned papers of a dossier's components, a specialist's
 * working papers, the signed result.
 *
 * Why: the law expects a one-stop to digitise dossiers at receipt and to issue results
 * electronically.  A file's type is found from its content (libmagic), never from its
 * name: only PDF, JPEG, PNG and TIFF are taken.  Its bytes are stored once per SHA-256
 * inside the store (store_files.h) in the same transaction as the event `attached`
 * (payload: component, name, sha256, size, type) that references it, so a crash at any
 * moment leaves the event with its complete file, or neither.  Sizes are limited by the
 * settings attach.max_mb (one file, default 20) and attach.dossier_max_mb (all files of
 * a dossier, default 200).  Component 0 is a paper that is no component (working papers,
 * the result document).
 */
#ifndef MOTCUA_ATTACH_H
#define MOTCUA_ATTACH_H

#include <stddef.h>
#include <stdint.h>
#include "audit.h"
#include "core.h"

#define ATTACH_NAME_CHARS 200
/* attach_file's component for the result document (stored as component 0, marked
 * "result": the leader's certificate signature covers its SHA-256, sign_cms.h) */
#define ATTACH_RESULT (-1)

struct attach_info {
	char event_id[32];
	int dseq;
	int component;
	int result;            /* the result document */
	char name[ATTACH_NAME_CHARS * 4 + 1];
	char sha256[65];
	char type[64];
	int64_t size;
	char actor[64];
	int64_t at;
	/* a reuse (reuse.h): the earlier dossier and event the file comes from, else "" */
	char reused_from[48];
	char reused_event[32];
};

/* the MIME type of content (its first bytes are enough): 0 if it is one motcua takes
 * (PDF, JPEG, PNG, TIFF), else MC_INVALID naming the type found */
int attach_type(const void *buf, size_t n, char *type, size_t tn, struct err *e);
/* the file an `attached` event's payload names (component, result, name, sha256, type,
 * size, reused) into a, zeroed first; -1 if the payload is no JSON object */
int attach_payload(const char *payload, struct attach_info *a);
/* SHA-256 of a file's bytes as 64 lowercase hex; 0 or MC_IO */
int attach_hash_fd(int fd, char out[65], int64_t *size, struct err *e);
/* the limits in bytes (settings attach.max_mb, attach.dossier_max_mb) */
void attach_limits(struct core *c, int64_t *file_max, int64_t *dossier_max);
/* check a file before attaching it (readable, regular, not empty, within the limit, a
 * type motcua takes): 0 with its type, or an error naming the file */
int attach_probe(struct core *c, const char *path, char *type, size_t tn, struct err *e);
/* attach the file at path to component (0: not a component) of dossier code */
int attach_file(struct core *c, const char *code, int component, const char *path, struct attach_info *out, struct err *e);
/* the SHA-256 of the dossier's result document (the last one attached as the result):
 * 0, or MC_NOTFOUND */
int attach_result_sha(struct core *c, const char *code, char out[65]);
/* the dossier whose signed result is the file at path (its SHA-256 in a signature):
 * 0 and its code, MC_NOTFOUND, or MC_IO */
int attach_result_find(struct core *c, const char *path, char *code, size_t n, char sha[65], struct err *e);
/* the dossier's attachments in the order attached; non-zero from cb stops */
int attach_list(struct core *c, const char *code, int (*cb)(const struct attach_info *a, void *ctx), void *ctx, struct err *e);
/* one attachment by its place in the list (1-based): 0 or MC_NOTFOUND */
int attach_nth(struct core *c, const char *code, int n, struct attach_info *out, struct err *e);
/* write an attachment's bytes to path (a new file: written aside, synced, renamed),
 * checking the hash on the way: MC_INVALID if the stored bytes are corrupt */
int attach_export(struct core *c, const struct attach_info *a, const char *path, struct err *e);
/* the stored bytes still hash to the attachment's SHA-256: 0, MC_NOTFOUND (missing) or
 * MC_INVALID (corrupt) */
int attach_check(struct core *c, const struct attach_info *a, struct err *e);
/* send an attachment to the printer (lpr -P, the setting 'printer' or $PRINTER) */
int attach_print(struct core *c, const struct attach_info *a, struct err *e);
/* the file name an export writes: "<component>-<name>" with anything but a plain
 * name's characters replaced */
void attach_export_name(const struct attach_info *a, char *out, size_t n);
/* the scanner's drop folder (setting scan.dir): its regular files, newest first, at
 * most max; returns how many, or -1 with e set (no folder set, or unreadable) */
struct attach_scan { char name[256]; char path[4352]; int64_t size, mtime; };
int attach_scans(struct core *c, struct attach_scan *out, int max, char *dir, size_t dn, struct err *e);
/* the number of components of dossier code's procedure (0 if unknown), and the name
 * of component n into name ("" if none) */
int attach_component_name(struct core *c, const char *code, int n, char *name, size_t nn);
/* an administrator sets one of the attachment settings: scan.dir, export.dir (a
 * directory; "" removes it), attach.max_mb, attach.dossier_max_mb (1-10000) */
int attach_setting_put(struct core *c, const char *key, const char *value, struct err *e);
/* where the UI exports files: setting export.dir, else the current directory */
void attach_export_dir(struct core *c, char *buf, size_t n);
/* audit: every attached file present and intact, every stored file attached by some
 * event (of dossier code, or the whole store when NULL; orphans only for the whole
 * store).  Each problem goes to cb; *broken counts them. */
int attach_audit(struct core *c, const char *code, audit_cb cb, void *ctx, int64_t *broken, struct err *e);
/* bytes past the committed end of the container of large files (store_files.h), left
 * by an attachment that did not commit: no file refers to them and the next large file
 * is written over them; 0 when there are none */
int64_t attach_leftover(struct core *c);

#endif
