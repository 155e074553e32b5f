/* store_trust.c - trusted CA certificates, CRLs and signers' certificates in SQLite
 * (see store_trust.h). */
#include <string.h>
#include "store_internal.h"
#include "store_trust.h"

static const char *col(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t ? t : "";
}

static int step_done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what)
{
	if (!s)
		return err_set(e, MC_STORE, "%s: internal SQL error", what);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st, e, rc, what);
	return 0;
}

int store_trust_each(struct store *st, enum trust_kind kind, const char *account, int active_only,
		     int (*cb)(const struct trust_row *r, void *ctx), void *ctx)
{
	sqlite3_stmt *s;
	if (kind == TK_CA)
		s = store_prep(st, "SELECT fingerprint, subject, is_root, not_after, pem, added_at, active FROM trust_certs"
				   " WHERE active OR NOT ?2 ORDER BY is_root DESC, subject, fingerprint");
	else if (kind == TK_CRL)
		s = store_prep(st, "SELECT issuer, this_update, next_update, pem, added_at FROM trust_crls ORDER BY issuer");
	else
		s = store_prep(st, "SELECT fingerprint, account, title, subject, not_after, pem, added_at, active FROM user_certs"
				   " WHERE (?1 IS NULL OR account = ?1) AND (active OR NOT ?2) ORDER BY account, added_at DESC, fingerprint");
	if (!s)
		return MC_STORE;
	if (kind != TK_CRL) {
		if (account)
			store_bind_text(s, 1, account);
		else
			sqlite3_bind_null(s, 1);
		sqlite3_bind_int(s, 2, active_only);
	}
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		struct trust_row r;
		memset(&r, 0, sizeof r);
		r.fpr = col(s, 0);
		if (kind == TK_CA) {
			r.subject = col(s, 1);
			r.is_root = sqlite3_column_int(s, 2);
			r.not_after = sqlite3_column_int64(s, 3);
			r.pem = col(s, 4);
			r.added_at = sqlite3_column_int64(s, 5);
			r.active = sqlite3_column_int(s, 6);
		} else if (kind == TK_CRL) {
			r.this_update = sqlite3_column_int64(s, 1);
			r.next_update = sqlite3_column_int64(s, 2);
			r.pem = col(s, 3);
			r.added_at = sqlite3_column_int64(s, 4);
			r.active = 1;
		} else {
			r.account = col(s, 1);
			r.title = col(s, 2);
			r.subject = col(s, 3);
			r.not_after = sqlite3_column_int64(s, 4);
			r.pem = col(s, 5);
			r.added_at = sqlite3_column_int64(s, 6);
			r.active = sqlite3_column_int(s, 7);
		}
		rc = cb(&r, ctx);
	}
	sqlite3_reset(s);
	return rc;
}

int store_trust_ca_put(struct store *st, const struct trust_row *r, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO trust_certs(fingerprint, subject, is_root, not_after, pem, added_at, active)"
				     " VALUES (?,?,?,?,?,?,?) ON CONFLICT(fingerprint) DO UPDATE SET active = excluded.active");
	if (s) {
		store_bind_text(s, 1, r->fpr);
		store_bind_text(s, 2, r->subject);
		sqlite3_bind_int(s, 3, r->is_root);
		sqlite3_bind_int64(s, 4, r->not_after);
		store_bind_text(s, 5, r->pem);
		sqlite3_bind_int64(s, 6, r->added_at);
		sqlite3_bind_int(s, 7, r->active);
	}
	return step_done(st, s, e, "saving a trusted certificate");
}

int store_trust_crl_put(struct store *st, const struct trust_row *r, int *kept, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO trust_crls(issuer, this_update, next_update, pem, added_at) VALUES (?,?,?,?,?)"
				     " ON CONFLICT(issuer) DO UPDATE SET this_update = excluded.this_update,"
				     " next_update = excluded.next_update, pem = excluded.pem, added_at = excluded.added_at"
				     " WHERE excluded.this_update > trust_crls.this_update");
	if (s) {
		store_bind_text(s, 1, r->fpr);
		sqlite3_bind_int64(s, 2, r->this_update);
		sqlite3_bind_int64(s, 3, r->next_update);
		store_bind_text(s, 4, r->pem);
		sqlite3_bind_int64(s, 5, r->added_at);
	}
	int rc = step_done(st, s, e, "saving a CRL");
	if (kept)
		*kept = !rc && sqlite3_changes(st->db) == 0;
	return rc;
}

int store_trust_user_put(struct store *st, const struct trust_row *r, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO user_certs(fingerprint, account, title, subject, not_after, pem, added_at, active)"
				     " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(fingerprint) DO UPDATE SET account = excluded.account,"
				     " title = excluded.title, active = excluded.active");
	if (s) {
		store_bind_text(s, 1, r->fpr);
		store_bind_text(s, 2, r->account);
		store_bind_text(s, 3, r->title ? r->title : "");
		store_bind_text(s, 4, r->subject);
		sqlite3_bind_int64(s, 5, r->not_after);
		store_bind_text(s, 6, r->pem);
		sqlite3_bind_int64(s, 7, r->added_at);
		sqlite3_bind_int(s, 8, r->active);
	}
	return step_done(st, s, e, "saving a signer's certificate");
}

int store_trust_disable(struct store *st, enum trust_kind kind, const char *fpr, struct err *e)
{
	sqlite3_stmt *s = kind == TK_CA ? store_prep(st, "UPDATE trust_certs SET active = 0 WHERE fingerprint = ?")
					: store_prep(st, "UPDATE user_certs SET active = 0 WHERE fingerprint = ?");
	if (s)
		store_bind_text(s, 1, fpr);
	int rc = step_done(st, s, e, "switching a certificate off");
	if (!rc && sqlite3_changes(st->db) == 0)
		rc = err_set(e, MC_NOTFOUND, "no certificate with fingerprint %.64s in this store", fpr);
	return rc;
}

/* ---- reference data ---------------------------------------------------------------- */

struct refctx { int (*cb)(const char *, const char *, json_t *, void *); void *ctx; const char *kind; };

static int ref_row(const struct trust_row *r, void *ctx)
{
	struct refctx *x = ctx;
	json_t *j;
	if (!strcmp(x->kind, "trust_cert"))
		j = json_pack("{s:s, s:s, s:i, s:I, s:s, s:I, s:i}", "fingerprint", r->fpr, "subject", r->subject, "root", r->is_root,
			      "not_after", (json_int_t)r->not_after, "pem", r->pem, "added_at", (json_int_t)r->added_at, "active", r->active);
	else if (!strcmp(x->kind, "trust_crl"))
		j = json_pack("{s:s, s:I, s:I, s:s, s:I}", "issuer", r->fpr, "this_update", (json_int_t)r->this_update,
			      "next_update", (json_int_t)r->next_update, "pem", r->pem, "added_at", (json_int_t)r->added_at);
	else
		j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:i}", "fingerprint", r->fpr, "account", r->account,
			      "title", r->title, "subject", r->subject, "not_after", (json_int_t)r->not_after, "pem", r->pem,
			      "added_at", (json_int_t)r->added_at, "active", r->active);
	if (!j)
		return MC_STORE;
	int rc = x->cb(x->kind, r->fpr, j, x->ctx);
	json_decref(j);
	return rc;
}

int store_trust_ref_each(struct store *st, int (*cb)(const char *, const char *, json_t *, void *), void *ctx)
{
	struct refctx a = {cb, ctx, "trust_cert"}, b = {cb, ctx, "trust_crl"}, c = {cb, ctx, "user_cert"};
	int rc = store_trust_each(st, TK_CA, NULL, 0, ref_row, &a);
	if (!rc)
		rc = store_trust_each(st, TK_CRL, NULL, 0, ref_row, &b);
	if (!rc)
		rc = store_trust_each(st, TK_USER, NULL, 0, ref_row, &c);
	return rc;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int64_t ji(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

int store_trust_ref_apply(struct store *st, const char *kind, json_t *doc, int *rc, struct err *e)
{
	struct trust_row r;
	memset(&r, 0, sizeof r);
	r.subject = js(doc, "subject");
	r.pem = js(doc, "pem");
	r.added_at = ji(doc, "added_at");
	r.active = json_object_get(doc, "active") ? (int)ji(doc, "active") : 1;
	if (!strcmp(kind, "trust_cert")) {
		r.fpr = js(doc, "fingerprint");
		r.is_root = (int)ji(doc, "root");
		r.not_after = ji(doc, "not_after");
		*rc = store_trust_ca_put(st, &r, e);
	} else if (!strcmp(kind, "trust_crl")) {
		r.fpr = js(doc, "issuer");
		r.this_update = ji(doc, "this_update");
		r.next_update = ji(doc, "next_update");
		*rc = store_trust_crl_put(st, &r, NULL, e);
	} else if (!strcmp(kind, "user_cert")) {
		r.fpr = js(doc, "fingerprint");
		r.account = js(doc, "account");
		r.title = js(doc, "title");
		r.not_after = ji(doc, "not_after");
		*rc = store_trust_user_put(st, &r, e);
	} else
		return 0;
	return 1;
}
