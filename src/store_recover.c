/* store_recover.c - queries for src/sync_recover.c (see store_recover.h). */
#include <stdio.h>
#include <string.h>
#include "i18n.h"
#include "store_internal.h"
#include "store_recover.h"

int store_recover_own_at(struct store *st, const char *origin, int64_t seq, struct event *ev)
{
	sqlite3_stmt *s = store_prep(st, "SELECT seq, id, dossier_code, dseq FROM events WHERE origin = ? AND seq <= ?"
					 " ORDER BY seq DESC LIMIT 1");
	if (!s)
		return -1;
	store_bind_text(s, 1, origin);
	sqlite3_bind_int64(s, 2, seq);
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		memset(ev, 0, sizeof *ev);
		ev->seq = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, ev->id, sizeof ev->id);
		store_col_text(s, 2, ev->dossier_code, sizeof ev->dossier_code);
		ev->dseq = sqlite3_column_int(s, 3);
		snprintf(ev->origin, sizeof ev->origin, "%s", origin);
	}
	sqlite3_reset(s);
	return found ? 0 : 1;
}

int64_t store_recover_own_after(struct store *st, const char *origin, int64_t seq)
{
	sqlite3_stmt *s = store_prep(st, "SELECT count(*) FROM events WHERE origin = ? AND seq > ?");
	if (!s)
		return 0;
	store_bind_text(s, 1, origin);
	sqlite3_bind_int64(s, 2, seq);
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return n;
}

int store_recover_rewind(struct store *st, int64_t push_seq, int64_t pull_cursor, struct err *e)
{
	int rc = store_begin(st, e);
	if (rc)
		return rc;
	sqlite3_stmt *s = store_prep(st, "UPDATE sync_state SET push_seq = CASE WHEN ?1 >= 0 THEN min(push_seq, ?1) ELSE push_seq END,"
				     " pull_cursor = CASE WHEN ?2 >= 0 THEN min(pull_cursor, ?2) ELSE pull_cursor END WHERE id = 1");
	if (s) {
		sqlite3_bind_int64(s, 1, push_seq);
		sqlite3_bind_int64(s, 2, pull_cursor);
	}
	if ((rc = store_step_done(st, s, e, N_("moving the sync cursors back"))) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}
