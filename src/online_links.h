/* online_links.h - the download links of an online dossier's files (online_links.c). */
#ifndef MOTCUA_ONLINE_LINKS_H
#define MOTCUA_ONLINE_LINKS_H

#include <jansson.h>
#include <stdint.h>
#include "attach.h"
#include "core.h"

#define LINKS_MAX 32
#define LINK_URL_MAX 2000

struct online_link {
	int n;                        /* 1.. in the order the portal listed them */
	int component;                /* the procedure's component it is (by name), 0 if none matched */
	char name[ATTACH_NAME_CHARS * 4 + 1];
	char url[LINK_URL_MAX + 1];
	char sha256[65];              /* as the portal gave it, "" if not */
	int64_t size;                 /* as the portal gave it, -1 if not */
	int fetched;                  /* an attachment of the dossier has its hash (or, without one, its name) */
};

/* central, pulling from the portal: the links of a dossier's attachment list
 * (hoSoDinhKem: tengiayto, filedinhkem, optional sha256/hash and kichThuoc/size, keys of
 * any case) as the received event's "links"; a relative link is taken against base
 * ("" none: dropped), anything but http(s) is dropped, at most LINKS_MAX.  NULL if none */
json_t *links_from_portal(json_t *att, const struct procedure *p, const char *base);
/* the links of dossier code (from its received event): how many (<= max), or -1 with e */
int links_of(struct core *c, const char *code, struct online_link *out, int max, struct err *e);
/* download link n of dossier code (http or https only, within the file size limit,
 * checked against the size and SHA-256 the portal gave) and attach it to component
 * (-1: the one it matched, else 0) through attach_file: its type is found from its
 * content.  MC_NOTFOUND (no such link), MC_IO (the download failed), MC_INVALID (too
 * large, not what the portal said, a type motcua does not take) */
int links_fetch(struct core *c, const char *code, int n, int component, struct attach_info *out, struct err *e);

#endif
