/* store_fees.c - fee lines of procedures, the fee projection of dossiers, the receipt
 * number series and the fee report's query (store_fees.h, db/0017_fees.sql). */
#include <stdio.h>
#include <string.h>
#include "store_internal.h"
#include "store_fees.h"
#include "fees_counter.h"
#include "text.h"

void store_fees_load(struct store *st, struct dossier *d)
{
	d->fee_total = d->fee_paid = d->fee_refunded = 0;
	d->fee_stage = 0;
	sqlite3_stmt *s = store_prep(st, "SELECT total, paid, refunded, stage FROM dossier_fees WHERE dossier_id = ?");
	if (!s)
		return;
	sqlite3_bind_int64(s, 1, d->id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		d->fee_total = sqlite3_column_int64(s, 0);
		d->fee_paid = sqlite3_column_int64(s, 1);
		d->fee_refunded = sqlite3_column_int64(s, 2);
		d->fee_stage = sqlite3_column_int(s, 3);
	}
	sqlite3_reset(s);
	fees_counter_load(st, d);
}

int store_fees_counter_get(struct store *st, const char *chain, int64_t office_id, int64_t *paid, int64_t *refunded)
{
	*paid = *refunded = 0;
	if (st->held && !strcmp(chain, st->held_d->code)) { /* bulk load: the chain's row is in memory */
		if (st->held_d->office_id == office_id) {
			*paid = st->held_d->fee_paid;
			*refunded = st->held_d->fee_refunded;
		}
		return 0;
	}
	sqlite3_stmt *s = store_prep(st, "SELECT f.paid, f.refunded FROM dossiers d JOIN dossier_fees f ON f.dossier_id = d.id"
				     " WHERE d.code = ? AND d.office_id = ?");
	if (!s)
		return MC_STORE;
	store_bind_text(s, 1, chain);
	sqlite3_bind_int64(s, 2, office_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*paid = sqlite3_column_int64(s, 0);
		*refunded = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return 0;
}

int store_fees_save(struct store *st, const struct dossier *d, struct err *e)
{
	if (!d->fee_total && !d->fee_paid && !d->fee_refunded && !d->fee_stage)
		return 0;
	sqlite3_stmt *s = store_prep(st, "INSERT INTO dossier_fees(dossier_id, total, paid, refunded, stage) VALUES (?1, ?2, ?3, ?4, ?5)"
				     " ON CONFLICT(dossier_id) DO UPDATE SET total = ?2, paid = ?3, refunded = ?4, stage = ?5");
	if (!s)
		return store_fail(st, e, SQLITE_ERROR, "saving the dossier's fees");
	sqlite3_bind_int64(s, 1, d->id);
	sqlite3_bind_int64(s, 2, d->fee_total);
	sqlite3_bind_int64(s, 3, d->fee_paid);
	sqlite3_bind_int64(s, 4, d->fee_refunded);
	sqlite3_bind_int(s, 5, d->fee_stage);
	return store_step_done(st, s, e, "saving the dossier's fees");
}

int store_fee_lines_get(struct store *st, int64_t proc_id, struct fee_line *l, int max, int *n, char *step, size_t sn)
{
	*n = 0;
	snprintf(step, sn, "receive");
	sqlite3_stmt *s = store_prep(st, "SELECT kind, name, amount FROM procedure_fees WHERE procedure_id = ? ORDER BY n");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, proc_id);
	while (sqlite3_step(s) == SQLITE_ROW && *n < max) {
		store_col_text(s, 0, l[*n].kind, sizeof l[*n].kind);
		store_col_text(s, 1, l[*n].name, sizeof l[*n].name);
		l[*n].amount = sqlite3_column_int64(s, 2);
		(*n)++;
	}
	sqlite3_reset(s);
	s = store_prep(st, "SELECT step FROM procedure_fee_step WHERE procedure_id = ?");
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, proc_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		store_col_text(s, 0, step, sn);
	sqlite3_reset(s);
	return 0;
}

int store_fee_lines_set(struct store *st, int64_t proc_id, const struct fee_line *l, int n, const char *step, struct err *e)
{
	sqlite3_stmt *s = store_prep(st, "DELETE FROM procedure_fees WHERE procedure_id = ?");
	if (!s)
		return store_fail(st, e, SQLITE_ERROR, "saving the fee lines");
	sqlite3_bind_int64(s, 1, proc_id);
	if (store_step_done(st, s, e, "saving the fee lines"))
		return e->code;
	for (int i = 0; i < n; i++) {
		s = store_prep(st, "INSERT INTO procedure_fees(procedure_id, n, kind, name, amount) VALUES (?, ?, ?, ?, ?)");
		if (!s)
			return store_fail(st, e, SQLITE_ERROR, "saving the fee lines");
		sqlite3_bind_int64(s, 1, proc_id);
		sqlite3_bind_int(s, 2, i + 1);
		store_bind_text(s, 3, l[i].kind);
		store_bind_text(s, 4, l[i].name);
		sqlite3_bind_int64(s, 5, l[i].amount);
		if (store_step_done(st, s, e, "saving the fee lines"))
			return e->code;
	}
	s = store_prep(st, "INSERT INTO procedure_fee_step(procedure_id, step) VALUES (?1, ?2)"
			   " ON CONFLICT(procedure_id) DO UPDATE SET step = ?2");
	if (!s)
		return store_fail(st, e, SQLITE_ERROR, "saving the fee lines");
	sqlite3_bind_int64(s, 1, proc_id);
	store_bind_text(s, 2, step && *step ? step : "receive");
	return store_step_done(st, s, e, "saving the fee lines");
}

int store_receipt_next(struct store *st, int64_t office_id, int year, const char *prefix, int64_t *n, struct err *e)
{
	/* the highest number of the series already in the log: a store rebuilt from
	 * central (replay or snapshot) has the events but not the counter's row */
	int64_t seen = 0;
	sqlite3_stmt *s = store_prep(st, "SELECT MAX(CAST(substr(r, length(?1) + 1) AS INTEGER)) FROM"
				     " (SELECT json_extract(payload, '$.receipt') AS r FROM events"
				     " WHERE kind IN ('fee_paid', 'fee_refunded')) WHERE substr(r, 1, length(?1)) = ?1");
	if (!s)
		return store_fail(st, e, SQLITE_ERROR, "numbering the receipt");
	store_bind_text(s, 1, prefix);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		seen = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, e, rc, N_("numbering the receipt"));
	s = store_prep(st, "INSERT INTO receipt_counters(office_id, year, n) VALUES (?1, ?2, ?3 + 1)"
			   " ON CONFLICT(office_id, year) DO UPDATE SET n = MAX(n, ?3) + 1 RETURNING n");
	if (!s)
		return store_fail(st, e, SQLITE_ERROR, "numbering the receipt");
	sqlite3_bind_int64(s, 1, office_id);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_int64(s, 3, seen);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, e, rc, N_("numbering the receipt"));
}

int store_fee_due_list(struct store *st, int64_t office_id, dossier_cb cb, void *ctx)
{
	static char sql[2048];
	if (!sql[0])
		/* the office's dossiers, and those it received that another office holds (the
		 * applicant pays at the desk, fees_counter.h); what was paid at the receiving
		 * desk counts too (its receipt chain) */
		snprintf(sql, sizeof sql, "SELECT %s FROM dossiers x WHERE id IN (SELECT dossier_id FROM dossier_fees WHERE total > paid)"
			 " AND stage < %d AND (office_id = ?1 OR (recv_office_id = ?1 AND office_id <> ?1)) AND (SELECT f.total > f.paid + coalesce((SELECT cf.paid FROM dossiers cd"
			 " JOIN dossier_fees cf ON cf.dossier_id = cd.id WHERE cd.code = x.code || '" FEES_COUNTER_SUFFIX "'"
			 " AND cd.office_id = x.recv_office_id), 0)"
			 " FROM dossier_fees f WHERE f.dossier_id = x.id) ORDER BY received_at, id", store_dossier_cols(), SG_FINAL);
	sqlite3_stmt *s = store_prep(st, sql);
	if (!s)
		return MC_STORE;
	sqlite3_bind_int64(s, 1, office_id);
	struct dossier d;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		memset(&d, 0, sizeof d);
		store_dossier_row(s, &d);
		store_fees_load(st, &d);
		rc = cb(&d, ctx);
	}
	sqlite3_reset(s);
	return rc;
}

int store_fee_report(struct store *st, int64_t from, int64_t to, fees_report_cb cb, void *ctx, struct err *e)
{
	return store_fee_report_at(st, NULL, NULL, from, to, cb, ctx, e);
}

int store_fee_report_at(struct store *st, const char *office, const char *own, int64_t from, int64_t to, fees_report_cb cb,
			void *ctx, struct err *e)
{
	sqlite3_stmt *s = store_prep(st,
		"SELECT f.code, f.name,"
		" SUM(CASE WHEN e.kind = 'fee_paid' AND json_extract(e.payload, '$.method') = 'cash' THEN json_extract(e.payload, '$.amount') ELSE 0 END),"
		" SUM(CASE WHEN e.kind = 'fee_paid' AND json_extract(e.payload, '$.method') = 'transfer' THEN json_extract(e.payload, '$.amount') ELSE 0 END),"
		" SUM(CASE WHEN e.kind = 'fee_paid' AND json_extract(e.payload, '$.method') = 'online' THEN json_extract(e.payload, '$.amount') ELSE 0 END),"
		" SUM(CASE WHEN e.kind = 'fee_refunded' THEN json_extract(e.payload, '$.amount') ELSE 0 END),"
		/* a dossier paid on it and at the receiving desk (its receipt chain) is one dossier */
		" COUNT(DISTINCT CASE WHEN e.kind = 'fee_paid' THEN CASE WHEN e.dossier_code LIKE '%" FEES_COUNTER_SUFFIX "'"
		" THEN substr(e.dossier_code, 1, length(e.dossier_code) - length('" FEES_COUNTER_SUFFIX "')) ELSE e.dossier_code END END)"
		" FROM events e JOIN dossiers d ON d.code = e.dossier_code JOIN procedures p ON p.id = d.procedure_id"
		" JOIN fields f ON f.id = p.field_id"
		" WHERE e.kind IN ('fee_paid', 'fee_refunded') AND e.at >= ?1 AND e.at < ?2 AND (?3 IS NULL OR e.origin = ?3)"
		/* the whole store's report: money another office's desk took on a receipt chain
		 * delivered here with its dossier is that office's (fees_counter.h), not this one's */
		" AND (?3 IS NOT NULL OR ?4 IS NULL OR e.origin = ?4 OR e.dossier_code NOT LIKE '%" FEES_COUNTER_SUFFIX "')"
		" GROUP BY f.code, f.name ORDER BY f.code");
	if (!s)
		return store_fail(st, e, SQLITE_ERROR, "reading the fees");
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	if (office)
		store_bind_text(s, 3, office);
	else
		sqlite3_bind_null(s, 3);
	if (own && *own)
		store_bind_text(s, 4, own);
	else
		sqlite3_bind_null(s, 4);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct fees_row r;
		memset(&r, 0, sizeof r);
		store_col_text(s, 0, r.field_code, sizeof r.field_code);
		store_col_text(s, 1, r.field_name, sizeof r.field_name);
		r.cash = sqlite3_column_int64(s, 2);
		r.transfer = sqlite3_column_int64(s, 3);
		r.online = sqlite3_column_int64(s, 4);
		r.refunded = sqlite3_column_int64(s, 5);
		r.dossiers = sqlite3_column_int64(s, 6);
		r.collected = r.cash + r.transfer + r.online;
		r.net = r.collected - r.refunded;
		if (cb(&r, ctx)) {
			sqlite3_reset(s);
			return 0;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, rc, N_("reading the fees"));
}

/* ---- reference data: central publishes a procedure's fee lines with it ------------ */

void store_fees_ref_add(struct store *st, int64_t proc_id, json_t *doc)
{
	struct fee_line l[FEE_LINES_MAX];
	char step[16];
	int n = 0;
	sqlite3_stmt *s = store_prep(st, "SELECT 1 FROM procedure_fee_step WHERE procedure_id = ?");
	if (!s)
		return;
	sqlite3_bind_int64(s, 1, proc_id);
	int has = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	/* only procedures whose fees were ever set: the others' documents stay as they were */
	if (!has || store_fee_lines_get(st, proc_id, l, FEE_LINES_MAX, &n, step, sizeof step))
		return;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "kind", l[i].kind, "name", l[i].name, "amount",
						   (json_int_t)l[i].amount));
	json_object_set_new(doc, "fees", a);
	json_object_set_new(doc, "fee_step", json_string(step));
}

int store_fees_ref_apply(struct store *st, const char *code, json_t *doc, struct err *e)
{
	json_t *a = json_object_get(doc, "fees"), *x;
	if (!json_is_array(a))
		return 0; /* a central that publishes no fees: the office's stay */
	struct fee_line l[FEE_LINES_MAX];
	int n = 0;
	size_t i;
	json_array_foreach(a, i, x) { /* from central, untrusted: what does not fit is left out */
		const char *k = json_string_value(json_object_get(x, "kind")), *nm = json_string_value(json_object_get(x, "name"));
		json_int_t v = json_integer_value(json_object_get(x, "amount"));
		if (n == FEE_LINES_MAX || !k || (strcmp(k, "phi") && strcmp(k, "le_phi")) || !nm || !*nm ||
		    strlen(nm) >= sizeof l[n].name || !text_valid_utf8(nm, strlen(nm)) || v <= 0 || v > FEE_AMOUNT_MAX)
			continue;
		snprintf(l[n].kind, sizeof l[n].kind, "%s", k);
		snprintf(l[n].name, sizeof l[n].name, "%s", nm);
		l[n++].amount = v;
	}
	const char *step = json_string_value(json_object_get(doc, "fee_step"));
	int64_t id;
	if (store_procedure_id(st, code, &id))
		return 0;
	return store_fee_lines_set(st, id, l, n, step && !strcmp(step, "result") ? "result" : "receive", e);
}
