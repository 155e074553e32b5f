/* sync_glance.c - the cheap sync read of the status line (see sync_glance.h). */
#include <string.h>
#include "report.h"
#include "snapshot.h"
#include "sync.h"
#include "sync_glance.h"

int sync_glance(struct core *c, struct sync_glance *g)
{
	struct sync_state_row row;
	char url[1024];
	memset(g, 0, sizeof *g);
	if (store_sync_state(c->st, &row))
		return -1;
	g->has_central = store_setting_get(c->st, "central.url", url, sizeof url) == 0 && url[0];
	g->push_seq = row.push_seq;
	g->last_ok_at = row.last_ok_at;
	g->last_error_at = row.last_error_at;
	snprintf(g->last_error, sizeof g->last_error, "%s", row.last_error);
	g->conflicts = store_sync_count(c->st, "conflicts");
	g->top = store_report_stamp(c->st);
	return 0;
}

int64_t sync_glance_pending(struct core *c, int64_t from, int64_t *last)
{
	return store_sync_pending_count(c->st, c->office.agency_code, from, last);
}

int64_t sync_glance_snapshot_bases(struct core *c) { return store_snapshot_base_count(c->st); }

int sync_glance_remember(struct core *c, const char *url, struct err *e)
{
	char saved[1024];
	if (store_setting_get(c->st, "central.url", saved, sizeof saved) == 0 && saved[0])
		return 0;
	if (store_begin(c->st, e) || store_setting_set(c->st, "central.url", url, e) || store_commit(c->st, e)) {
		store_rollback(c->st);
		return e->code;
	}
	return 0;
}
