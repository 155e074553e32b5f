/* sync_recover.c - an office's sync after central went back in time.
 *
 * Why: central can lose what it had acknowledged.  An asynchronous hot standby that
 * is promoted lacks the last transactions the old primary committed; a central
 * restored from a backup lacks everything after the backup.  An office has then
 * marked as sent events central no longer holds, and has followed central's log to
 * a position that central, writing on, will fill with other events.  Left alone, the
 * office would never send those events again, and would never read what lands at
 * the positions it believes it has read.
 *
 * So, before every sync (sync_run), this module:
 *  - refuses a central that is a read-only standby (the province's reports read
 *    there; offices sync with the primary);
 *  - checks that central holds the last event this office had sent.  If it does not,
 *    it finds the last one it holds (an office's batches are sent one after the other,
 *    so central holds a prefix of them: a binary search on the store's positions; an
 *    event central refused counts as held, its quarantine has it)
 *    and moves the push cursor back there: the rest go again, and central skips what
 *    it already holds (event ids are unique);
 *  - compares central's identity with the one this office last synced with
 *    (PostgreSQL: the cluster's system identifier and its current timeline, which a
 *    promotion changes; SQLite: c_meta 'epoch', made at central init) and central's
 *    log head with the office's pull cursor.  If central is another one, or behind
 *    the cursor, the office reads central's log again from the start, applying only
 *    what it lacks.
 * A synchronous standby (synchronous_standby_names) loses nothing acknowledged, and
 * then none of this has work to do.  Owns the setting 'central.epoch'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central.h"
#include "i18n.h"
#include "portal.h"
#include "store_recover.h"
#include "store_sync.h"
#include "sync.h"

static int first_value(int ncol, const char *const *vals, void *ctx)
{
	char *out = ctx;
	snprintf(out, 128, "%s", ncol > 0 && vals[0] ? vals[0] : "");
	return 0;
}

/* central's identity (see above) into id[128]; "" if it has none to give */
static int central_identity(struct central *cen, char *id, int *standby, struct err *e)
{
	id[0] = 0;
	*standby = 0;
	if (cen->ops == &central_pg_ops) {
		char rec[128];
		int rc = central_pg_query(cen, "SELECT pg_is_in_recovery()::text", NULL, 0, first_value, rec, e);
		if (rc)
			return rc;
		if (!strcmp(rec, "true")) {
			*standby = 1;
			return 0;
		}
		return central_pg_query(cen, "SELECT (SELECT system_identifier FROM pg_control_system())::text || ':' ||"
				       " substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)", NULL, 0, first_value, id, e);
	}
	int rc = cen->ops->meta_get(cen, "epoch", id, 128, e);
	if (rc == MC_NOTFOUND) {
		memset(e, 0, sizeof *e);
		id[0] = 0;
		return 0;
	}
	return rc;
}

/* 1 if central holds the event with this id, or refused it (its quarantine: an event
 * central refused was not lost, and sending it again would be refused again, sync
 * after sync), 0 if neither, -1 on error (e set) */
static int central_holds(struct central *cen, const struct event *ev, struct err *e)
{
	char office[64], q[128] = "";
	int rc = cen->ops->event_office(cen, ev, office, sizeof office, e);
	if (rc != MC_NOTFOUND)
		return rc ? -1 : 1;
	memset(e, 0, sizeof *e);
	/* this event, not another under its id (ids are unique at a PostgreSQL central only
	 * with their dossier, and its quarantine keeps every refused event) */
	char dseq[16];
	snprintf(dseq, sizeof dseq, "%d", ev->dseq);
	const char *par[4] = {ev->id, ev->origin, ev->dossier_code, dseq};
	const char *sql = cen->ops == &central_pg_ops
		? "SELECT 1 FROM c_quarantine WHERE id = $1 AND origin = $2 AND dossier_code = $3 AND (event::json->>'dseq')::int = $4::int LIMIT 1"
		: "SELECT 1 FROM c_quarantine WHERE id = $1 AND origin = $2 AND dossier_code = $3 AND json_extract(event, '$.dseq') = CAST($4 AS INTEGER) LIMIT 1";
	rc = cen->ops == &central_pg_ops ? central_pg_query(cen, sql, par, 4, first_value, q, e)
	     : central_sqlite_query(cen, sql, par, 4, first_value, q, e);
	return rc ? -1 : q[0] != 0;
}

/* the push cursor back to the last own event central holds (see above) */
static int recover_push(struct core *c, struct central *cen, int64_t push_seq, struct sync_recovery *rv, struct err *e)
{
	const char *me = c->office.agency_code;
	struct event ev;
	if (push_seq <= 0 || store_recover_own_at(c->st, me, push_seq, &ev))
		return 0;
	int h = central_holds(cen, &ev, e);
	if (h)
		return h < 0 ? e->code : 0;
	/* lo: every own event at or below it is at central; hi: the one at hi is not */
	int64_t lo = 0, hi = ev.seq;
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (store_recover_own_at(c->st, me, mid, &ev) || ev.seq <= lo) {
			lo = mid;
			continue;
		}
		if ((h = central_holds(cen, &ev, e)) < 0)
			return e->code;
		if (h)
			lo = ev.seq;
		else
			hi = ev.seq;
	}
	int64_t before = store_recover_own_after(c->st, me, push_seq);
	int rc = store_recover_rewind(c->st, lo, -1, e);
	if (!rc)
		rv->resend = store_recover_own_after(c->st, me, lo) - before;
	return rc;
}

int sync_recover(struct core *c, struct central *cen, struct sync_recovery *rv, struct err *e)
{
	struct sync_state_row s;
	char id[128], known[128];
	int standby;
	memset(rv, 0, sizeof *rv);
	if (store_sync_state(c->st, &s))
		return err_set(e, MC_VERSION, "this store has no sync tables: open it once read-write to upgrade it");
	int rc = central_identity(cen, id, &standby, e);
	if (rc)
		return rc;
	if (standby)
		return err_set(e, MC_DENIED, "central %s is a read-only standby: offices sync with the primary (the standby serves"
			       " the province's reports)", cen->target);
	if ((rc = recover_push(c, cen, s.push_seq, rv, e)))
		return rc;
	int64_t head = 0;
	if ((rc = cen->ops->begin(cen, 0, &head, e)))
		return rc;
	cen->ops->rollback(cen);
	if (store_setting_get(c->st, "central.epoch", known, sizeof known))
		known[0] = 0;
	int other = id[0] && known[0] && strcmp(known, id);
	if (s.pull_cursor > 0 && (other || head < s.pull_cursor)) {
		if ((rc = store_recover_rewind(c->st, -1, 0, e)))
			return rc;
		rv->reread = other ? 1 : 2;
	}
	if (id[0] && strcmp(known, id)) {
		if ((rc = store_begin(c->st, e)))
			return rc;
		if ((rc = store_setting_set(c->st, "central.epoch", id, e)) || (rc = store_commit(c->st, e)))
			store_rollback(c->st);
	}
	return rc;
}
