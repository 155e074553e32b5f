/* catalog_fetch.h - the national catalogue read into the procedure catalog
 * (catalog_fetch.c). */
#ifndef MOTCUA_CATALOG_FETCH_H
#define MOTCUA_CATALOG_FETCH_H

#include <jansson.h>
#include "catalog.h"
#include "core.h"
#include "portal_http.h"

/* read the procedures codes[0..n) (national codes, MaTTHC), or with field set every
 * procedure of that field (MaLinhVuc) that LayDanhSachTTHC lists, through LayThuTuc;
 * then add or version each (procver_put), all in one transaction, or nothing.
 * effective_from: 0 now, else when the new versions apply.  MC_IO when the portal does
 * not answer, MC_INVALID when an answer is not a catalogue entry motcua can use,
 * MC_NOTFOUND when the portal has no such procedure; nothing is changed then. */
int catalog_fetch(struct core *c, struct portal_http *h, const char *const *codes, int n, const char *field,
		  int64_t effective_from, struct catalog_result *r, struct err *e);
/* one LayThuTuc entry into a procedure: what catalog_fetch does for each (exposed for
 * the unit tests); *fees a new string (the fee lines as the portal gave them) */
int catalog_fetch_map(struct core *c, json_t *thutuc, struct procedure *p, char *nat, size_t natn, char *fnat,
		      size_t fnatn, char **fees, struct err *e);

#endif
