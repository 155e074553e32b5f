/* store_security.c - SQL for security: the signing-key history and the streaming
 * walk over the event chains (see store_security.h).
 *
 * The audit walk reads two index-ordered cursors side by side (events by
 * dossier_code, dseq; dossiers by code) and merges them, so a million-dossier store
 * is checked in one pass without loading it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"
#include "store_security.h"

void store_key_clear(struct store_key *k)
{
	free(k->pubkey);
	free(k->privkey);
	k->pubkey = k->privkey = NULL;
}

static char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? strdup((const char *)t) : NULL;
}

int store_key_add(struct store *st, const struct store_key *k, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO signing_keys(fingerprint, account, created_at, pubkey, privkey)"
				     " VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return err_set(e, MC_STORE, "internal SQL error (signing keys)");
	store_bind_text(s, 1, k->fingerprint);
	store_bind_text(s, 2, k->account);
	sqlite3_bind_int64(s, 3, k->created_at);
	store_bind_text(s, 4, k->pubkey);
	if (k->privkey)
		store_bind_text(s, 5, k->privkey);
	else
		sqlite3_bind_null(s, 5);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, N_("saving the signing key"));
	s = store_prep(st, "UPDATE users SET pubkey = ? WHERE account = ?");
	store_bind_text(s, 1, k->pubkey);
	store_bind_text(s, 2, k->account);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, rc, N_("publishing the public key"));
	return 0;
}

static int key_row(sqlite3_stmt *s, struct store_key *k)
{
	int found = sqlite3_step(s) == SQLITE_ROW;
	if (found) {
		store_col_text(s, 0, k->fingerprint, sizeof k->fingerprint);
		store_col_text(s, 1, k->account, sizeof k->account);
		k->created_at = sqlite3_column_int64(s, 2);
		k->pubkey = col_dup(s, 3);
		k->privkey = col_dup(s, 4);
	}
	sqlite3_reset(s);
	return found ? 0 : MC_NOTFOUND;
}

int store_key_private(struct store *st, const char *account, struct store_key *k)
{
	memset(k, 0, sizeof *k);
	sqlite3_stmt *s = store_prep(st, "SELECT fingerprint, account, created_at, pubkey, privkey FROM signing_keys"
				     " WHERE account = ? AND privkey IS NOT NULL ORDER BY created_at DESC, rowid DESC LIMIT 1");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, account);
	return key_row(s, k);
}

int store_key_by_fpr(struct store *st, const char *account, const char *fpr, struct store_key *k)
{
	memset(k, 0, sizeof *k);
	sqlite3_stmt *s = store_prep(st, "SELECT fingerprint, account, created_at, pubkey, NULL FROM signing_keys"
				     " WHERE fingerprint = ? AND account = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, fpr);
	store_bind_text(s, 2, account);
	return key_row(s, k);
}

int store_user_pubkey(struct store *st, const char *account, char **pem)
{
	*pem = NULL;
	sqlite3_stmt *s = store_prep(st, "SELECT pubkey FROM users WHERE account = ? AND pubkey IS NOT NULL");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, account);
	if (sqlite3_step(s) == SQLITE_ROW)
		*pem = col_dup(s, 0);
	sqlite3_reset(s);
	return *pem ? 0 : MC_NOTFOUND;
}

/* ---- the audit walk ------------------------------------------------------------ */

static void copy_col(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t l = t ? (size_t)sqlite3_column_bytes(s, i) : 0;
	if (l >= n)
		l = n - 1;
	if (l)
		memcpy(buf, t, l);
	buf[l] = 0;
}

static void read_event(sqlite3_stmt *es, struct event *ev)
{
	ev->seq = sqlite3_column_int64(es, 0);
	copy_col(es, 1, ev->id, sizeof ev->id);
	copy_col(es, 2, ev->dossier_code, sizeof ev->dossier_code);
	ev->dseq = sqlite3_column_int(es, 3);
	copy_col(es, 4, ev->kind, sizeof ev->kind);
	copy_col(es, 5, ev->os_account, sizeof ev->os_account);
	copy_col(es, 6, ev->actor, sizeof ev->actor);
	ev->at = sqlite3_column_int64(es, 7);
	copy_col(es, 8, ev->origin, sizeof ev->origin);
	const unsigned char *p = sqlite3_column_text(es, 9);
	ev->payload = (char *)(p ? p : (const unsigned char *)"");
	int prev_type = sqlite3_column_type(es, 10);
	ev->has_prev = prev_type != SQLITE_NULL;
	memset(ev->prev_hash, 0, 32);
	if (ev->has_prev) {
		/* a prev_hash that is not 32 bytes can never match: make it all ones */
		if (sqlite3_column_bytes(es, 10) == 32)
			memcpy(ev->prev_hash, sqlite3_column_blob(es, 10), 32);
		else
			memset(ev->prev_hash, 0xff, 32);
	}
	if (sqlite3_column_bytes(es, 11) == 32)
		memcpy(ev->hash, sqlite3_column_blob(es, 11), 32);
	else
		memset(ev->hash, 0xff, 32);
	store_event_sig(es, 12, ev);
}

static const char *text_or_empty(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

/* its own statements (not the cache): the walk is long and the callbacks may query */
int store_audit_walk(struct store *st, const char *code, const struct store_audit_sink *sk)
{
	static const char *ev_all = "SELECT seq, id, dossier_code, dseq, kind, os_account, actor, at, origin, payload,"
		" prev_hash, hash, sig FROM events ORDER BY dossier_code, dseq, seq";
	static const char *ev_one = "SELECT seq, id, dossier_code, dseq, kind, os_account, actor, at, origin, payload,"
		" prev_hash, hash, sig FROM events WHERE dossier_code = ?1 ORDER BY dossier_code, dseq, seq";
	/* the whole row: the audit compares it with the replay of its events */
	char dq[1024];
	snprintf(dq, sizeof dq, "SELECT %s FROM dossiers %s ORDER BY code", store_dossier_cols(),
		 code ? "WHERE code = ?1" : "");
	sqlite3_stmt *es = NULL, *ds = NULL;
	int rc = 0, began = 0;
	struct dossier *row = malloc(sizeof *row);
	if (!row || sqlite3_prepare_v2(st->db, code ? ev_one : ev_all, -1, &es, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, dq, -1, &ds, NULL) != SQLITE_OK) {
		rc = MC_STORE;
		goto out;
	}
	if (code) {
		store_bind_text(es, 1, code);
		store_bind_text(ds, 1, code);
	}
	/* one read transaction: both cursors see the same snapshot */
	if (st->depth == 0 && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
		began = 1;
	struct event ev;
	memset(&ev, 0, sizeof ev);
	int have_e = sqlite3_step(es) == SQLITE_ROW, have_d = sqlite3_step(ds) == SQLITE_ROW;
	while (!rc && (have_e || have_d)) {
		int cmp = !have_e ? 1 : !have_d ? -1 : strcmp(text_or_empty(es, 2), text_or_empty(ds, 1));
		char *dc = strdup(cmp <= 0 ? text_or_empty(es, 2) : text_or_empty(ds, 1));
		if (!dc) {
			rc = MC_STORE;
			break;
		}
		/* the dossier's events (none when it has a row only) */
		while (cmp <= 0 && !rc && have_e && strcmp(text_or_empty(es, 2), dc) == 0) {
			read_event(es, &ev);
			rc = sk->event(&ev, sk->ctx);
			ev.payload = NULL;
			have_e = sqlite3_step(es) == SQLITE_ROW;
		}
		/* then what its row says (or that it has none) */
		if (!rc && cmp >= 0) {
			struct dossier *r = sk->row_buf ? sk->row_buf(sk->ctx) : row;
			if (!r) {
				rc = MC_STORE;
				free(dc);
				break;
			}
			store_dossier_row(ds, r);
			rc = sk->dossier(dc, r, sk->ctx);
		} else if (!rc) {
			rc = sk->dossier(dc, NULL, sk->ctx);
		}
		if (cmp >= 0)
			have_d = sqlite3_step(ds) == SQLITE_ROW;
		free(dc);
	}
	if (began)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
out:
	free(row);
	sqlite3_finalize(es);
	sqlite3_finalize(ds);
	return rc;
}

int store_audit_counters(struct store *st, int (*cb)(const char *agency, const char *day, int n, void *ctx), void *ctx)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT o.agency_code, c.day, c.n FROM daily_counters c"
			       " JOIN offices o ON o.id = c.office_id ORDER BY o.agency_code, c.day", -1, &s, NULL) != SQLITE_OK)
		return MC_STORE;
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
		rc = cb(text_or_empty(s, 0), text_or_empty(s, 1), sqlite3_column_int(s, 2), ctx);
	if (!rc && step != SQLITE_DONE)
		rc = MC_STORE;
	sqlite3_finalize(s);
	return rc;
}

int store_audit_code_known(struct store *st, const char *code)
{
	sqlite3_stmt *s = store_prep(st, "SELECT EXISTS(SELECT 1 FROM dossiers WHERE code = ?1)"
				     " OR EXISTS(SELECT 1 FROM events WHERE dossier_code = ?1)");
	store_bind_text(s, 1, code);
	int known = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return known;
}
