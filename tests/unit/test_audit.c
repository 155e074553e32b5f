/* test_audit.c - the hash-chain audit (src/audit.h): the per-event rules on crafted
 * chains (edited content, removed first event, missing or unknown link, a fork from
 * sync), and the streaming walk over a real store with forged events appended and a
 * dossier row whose chain head, version or replayed fields no longer match its events.
 * The signed checkpoint (src/audit_checkpoint.h): a clean store audited twice checks
 * only new signatures the second time; a covered event's signature, hash or row number
 * changed, an event inserted or deleted below the checkpoint, or a checkpoint altered,
 * is named and every signature checked again; --all-signatures ignores it; a chunk of
 * many dossiers checked on every core gives the same answers as one at a time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "audit.h"
#include "audit_checkpoint.h"
#include "dossier.h"
#include "event.h"
#include "fixture.h"

static int setup(void **state)
{
	(void)state;
	fixture_setup("audit");
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60);
	return 0;
}

static void mk(struct event *ev, int dseq, const char *payload, const unsigned char *prev)
{
	memset(ev, 0, sizeof *ev);
	snprintf(ev->id, sizeof ev->id, "01TEST%020d", dseq);
	snprintf(ev->dossier_code, sizeof ev->dossier_code, "X-240311-0001");
	ev->dseq = dseq;
	snprintf(ev->kind, sizeof ev->kind, "noted");
	snprintf(ev->os_account, sizeof ev->os_account, "tester");
	snprintf(ev->actor, sizeof ev->actor, "clerk1");
	ev->at = 1710122400 + dseq;
	snprintf(ev->origin, sizeof ev->origin, "000.00.17.H45");
	ev->payload = (char *)payload;
	ev->has_prev = prev != NULL;
	if (prev)
		memcpy(ev->prev_hash, prev, 32);
	event_hash(ev);
}

static void chain_rules(void **state)
{
	(void)state;
	struct audit_chain ch = {0};
	struct event a, b, b2, c, bad;
	char what[256];
	mk(&a, 1, "{}", NULL);
	mk(&b, 2, "{\"n\":1}", a.hash);
	mk(&b2, 2, "{\"n\":2}", a.hash);          /* a fork: the other office's change */
	mk(&c, 3, "{}", b2.hash);
	assert_int_equal(audit_chain_add(&ch, &a, what, sizeof what), 0);
	assert_int_equal(audit_chain_add(&ch, &b, what, sizeof what), 0);
	assert_int_equal(audit_chain_add(&ch, &b2, what, sizeof what), 0);
	assert_int_equal(audit_chain_add(&ch, &c, what, sizeof what), 0);
	assert_true(audit_chain_has(&ch, c.hash));
	/* edited content */
	bad = c;
	bad.at++;
	assert_int_equal(audit_chain_add(&ch, &bad, what, sizeof what), -1);
	assert_non_null(strstr(what, "does not match its hash"));
	/* a link to nothing known */
	unsigned char other[32];
	memset(other, 7, 32);
	mk(&bad, 4, "{}", other);
	assert_int_equal(audit_chain_add(&ch, &bad, what, sizeof what), -1);
	assert_non_null(strstr(what, "matches no earlier event"));
	/* no link after the first */
	mk(&bad, 4, "{}", NULL);
	assert_int_equal(audit_chain_add(&ch, &bad, what, sizeof what), -1);
	assert_non_null(strstr(what, "no link"));
	/* the first event linking backwards: earlier events were removed */
	audit_chain_reset(&ch);
	assert_int_equal(audit_chain_add(&ch, &b, what, sizeof what), -1);
	assert_non_null(strstr(what, "first event"));
	audit_chain_free(&ch);
}

static void receive(const char *name, char code[CODE_LEN])
{
	fixture_receive(name, code, 60, fixture_as);
}

struct seen { int n; struct audit_problem p[8]; int stop_after; };
static int collect(const struct audit_problem *p, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 8)
		s->p[s->n] = *p;
	s->n++;
	return s->stop_after && s->n >= s->stop_after;
}

static void store_walk(void **state)
{
	(void)state;
	struct err e = {0};
	char c1[CODE_LEN], c2[CODE_LEN], c3[CODE_LEN];
	receive("Nguyễn Văn Một", c1);
	receive("Nguyễn Văn Hai", c2);
	receive("Nguyễn Văn Ba", c3);
	struct audit_stats st;
	struct seen s = {0};
	assert_int_equal(audit_verify(&C, NULL, collect, &s, &st, &e), 0);
	assert_int_equal(st.dossiers, 3);
	assert_int_equal(st.events, 6);
	assert_int_equal(st.broken, 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(audit_verify(&C, c2, NULL, NULL, &st, &e), 0);
	assert_int_equal(st.dossiers, 1);
	assert_int_equal(st.events, 2);
	assert_int_equal(audit_verify(&C, "NO-SUCH-CODE", NULL, NULL, &st, &e), MC_NOTFOUND);

	/* a forged event appended to c2 with a hash that does not fit its content */
	struct dossier d;
	assert_int_equal(store_dossier_get(C.st, c2, &d), 0);
	struct event ev;
	memset(&ev, 0, sizeof ev);
	event_ulid(C.now * 1000, ev.id);
	snprintf(ev.dossier_code, sizeof ev.dossier_code, "%s", c2);
	ev.dseq = 3;
	snprintf(ev.kind, sizeof ev.kind, "refused");
	snprintf(ev.os_account, sizeof ev.os_account, "mallory");
	snprintf(ev.actor, sizeof ev.actor, "clerk1");
	ev.at = C.now;
	snprintf(ev.origin, sizeof ev.origin, "000.00.17.H45");
	ev.payload = "{\"reason\":\"x\"}";
	ev.has_prev = 1;
	memcpy(ev.prev_hash, d.chain_head, 32);
	event_hash(&ev);
	ev.hash[0] ^= 1;
	assert_int_equal(store_event_append(C.st, &ev, &e), 0);
	/* and c3's row edited to point at no event of its own */
	struct dossier d3;
	assert_int_equal(store_dossier_get(C.st, c3, &d3), 0);
	d3.chain_head[5] ^= 0x10;
	assert_int_equal(store_dossier_update(C.st, &d3, &e), 0);

	memset(&s, 0, sizeof s);
	assert_int_equal(audit_verify(&C, NULL, collect, &s, &st, &e), MC_INVALID);
	assert_int_equal(st.broken, 2);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.p[0].code, c2);
	assert_string_equal(s.p[0].event_id, ev.id);
	assert_int_equal(s.p[0].dseq, 3);
	assert_non_null(strstr(s.p[0].what, "does not match its hash"));
	assert_string_equal(s.p[1].code, c3);
	assert_string_equal(s.p[1].event_id, "");
	assert_non_null(strstr(s.p[1].what, "chain head"));
	/* the error names the first broken link */
	assert_non_null(strstr(e.msg, c2));
	assert_non_null(strstr(e.msg, ev.id));
	/* a callback can stop the walk */
	memset(&s, 0, sizeof s);
	s.stop_after = 1;
	assert_int_equal(audit_verify(&C, NULL, collect, &s, &st, &e), MC_INVALID);
	assert_int_equal(s.n, 1);
	/* c1 alone is intact */
	assert_int_equal(audit_verify(&C, c1, NULL, NULL, &st, &e), 0);

	/* a row whose version does not count its events */
	d3.chain_head[5] ^= 0x10;
	d3.version++;
	assert_int_equal(store_dossier_update(C.st, &d3, &e), 0);
	assert_int_equal(audit_verify(&C, c3, NULL, NULL, &st, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "records 3 events but 2 are stored"));

	/* the projection: c1's row is its events' replay until a field is edited */
	assert_int_equal(audit_projection(&C, c1, &e), 0);
	struct dossier d1;
	assert_int_equal(store_dossier_get(C.st, c1, &d1), 0);
	d1.due_at += 3600;
	assert_int_equal(store_dossier_update(C.st, &d1, &e), 0);
	assert_int_equal(audit_projection(&C, c1, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "field due_at"));
	assert_int_equal(audit_projection(&C, "NO-SUCH-CODE", &e), MC_NOTFOUND);
	/* the full walk replays too: the edited field is named (one dossier's chain walk
	 * leaves it to audit_projection) */
	assert_int_equal(audit_verify(&C, c1, NULL, NULL, &st, &e), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(audit_verify(&C, NULL, collect, &s, &st, &e), MC_INVALID);
	assert_string_equal(s.p[0].code, c1);
	assert_non_null(strstr(s.p[0].what, "field due_at"));
}

/* ---- the checkpoint ---------------------------------------------------------------- */

/* a fresh store dir/name.db as C, with n dossiers received (2 events each) */
static void fresh(const char *name, int n)
{
	struct err e = {0};
	if (C.st)
		core_close(&C);
	fixture_open(name);
	assert_int_equal(store_exec_embedded(C.st, "demo/catalog.sql", &e), 0);
	assert_int_equal(core_reload(&C, &e), 0);
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60);
	for (int i = 0; i < n; i++) {
		char code[CODE_LEN], who[64];
		snprintf(who, sizeof who, "Nguyễn Văn %d", i);
		receive(who, code);
	}
}

/* SQL behind motcua's back on dir/name.db (the triggers that keep rows dropped first) */
static void tamper(const char *name, const char *sql)
{
	char path[128], *msg = NULL;
	sqlite3 *db = NULL;
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	int rc = sqlite3_exec(db, "DROP TRIGGER IF EXISTS events_append_only_update;"
			      "DROP TRIGGER IF EXISTS events_append_only_delete;"
			      "DROP TRIGGER IF EXISTS audit_checkpoints_keep_update;", NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
	sqlite3_close(db);
}

static int full(struct audit_stats *st, struct seen *s, int all)
{
	struct err e = {0};
	struct audit_opts o = {.all_signatures = all};
	memset(s, 0, sizeof *s);
	return audit_verify_opts(&C, NULL, &o, collect, s, st, &e);
}

static void checkpoint_twice(void **state)
{
	(void)state;
	struct audit_stats st;
	struct seen s;
	fresh("cp1", 3);
	assert_int_equal(full(&st, &s, 0), 0);
	assert_int_equal(st.checkpoint, AUDIT_CP_NONE);
	assert_int_equal(st.sig_checked, 6);
	assert_int_equal(st.sig_covered, 0);
	assert_int_equal(st.recorded, 6);
	/* the second audit checks no signature: none is new */
	assert_int_equal(full(&st, &s, 0), 0);
	assert_int_equal(st.checkpoint, AUDIT_CP_USED);
	assert_int_equal(st.sig_covered, 6);
	assert_int_equal(st.sig_checked, 0);
	assert_int_equal(st.events, 6);
	assert_int_equal(st.dossiers, 3);
	assert_true(st.checkpoint_at > 0);
	/* a new dossier: only its two events are checked */
	char code[CODE_LEN];
	receive("Trần Thị Mới", code);
	assert_int_equal(full(&st, &s, 0), 0);
	assert_int_equal(st.sig_covered, 6);
	assert_int_equal(st.sig_checked, 2);
	assert_int_equal(st.recorded, 8);
	/* --all-signatures: the checkpoint is not used */
	assert_int_equal(full(&st, &s, 1), 0);
	assert_int_equal(st.checkpoint, AUDIT_CP_IGNORED);
	assert_int_equal(st.sig_checked, 8);
	assert_int_equal(st.sig_covered, 0);
	/* one dossier's audit neither uses nor records one */
	struct err e = {0};
	assert_int_equal(audit_verify(&C, code, NULL, NULL, &st, &e), 0);
	assert_int_equal(st.sig_checked, 2);
	assert_int_equal(st.recorded, 0);
	/* the checkpoint is still signed and unchanged */
	assert_int_equal(full(&st, &s, 0), 0);
	assert_int_equal(st.checkpoint, AUDIT_CP_USED);
	assert_int_equal(st.sig_covered, 8);
}

/* a store with a checkpoint over 3 dossiers, then sql behind its back: the next audit
 * names the change (the first problem, with no dossier) and checks every signature */
static void caught(const char *name, const char *sql, const char *also)
{
	struct audit_stats st;
	struct seen s;
	fresh(name, 3);
	assert_int_equal(full(&st, &s, 0), 0);
	assert_int_equal(st.recorded, 6);
	tamper(name, sql);
	assert_int_equal(full(&st, &s, 0), MC_INVALID);
	assert_int_equal(st.checkpoint, AUDIT_CP_CHANGED);
	assert_int_equal(st.sig_covered, 0);
	assert_true(st.sig_checked >= 5);
	/* named after the dossiers' problems, and no broken dossier itself */
	assert_true(s.n >= 1 && s.n <= 8);
	assert_string_equal(s.p[s.n - 1].code, "");
	assert_non_null(strstr(s.p[s.n - 1].what, "changed since that audit"));
	assert_int_equal(st.broken, s.n - 1);
	if (also) {
		int found = 0;
		for (int i = 0; i < s.n - 1; i++)
			found |= strstr(s.p[i].what, also) != NULL;
		if (!found)
			fail_msg("no problem says '%s'", also);
	}
	assert_int_equal(st.recorded, 0);   /* no checkpoint over a broken store */
	/* and again at the next audit */
	assert_int_equal(full(&st, &s, 0), MC_INVALID);
	assert_int_equal(st.checkpoint, AUDIT_CP_CHANGED);
}

static void checkpoint_signature_changed(void **state)
{
	(void)state;
	/* the signature of a covered event: only checking it again can see it */
	caught("cp2", "UPDATE events SET sig = CAST(zeroblob(64) AS BLOB) WHERE seq = 2", "signature is not by a key");
}

static void checkpoint_hash_changed(void **state)
{
	(void)state;
	caught("cp3", "UPDATE events SET hash = zeroblob(32) WHERE seq = 3", "does not match its hash");
}

static void checkpoint_renumbered(void **state)
{
	(void)state;
	/* two rows swap their numbers: every chain still holds, only the digest sees it */
	caught("cp4", "UPDATE events SET seq = 1000 WHERE seq = 1; UPDATE events SET seq = 1 WHERE seq = 2;"
		      "UPDATE events SET seq = 2 WHERE seq = 1000", NULL);
	struct audit_stats st;
	struct seen s;
	assert_int_equal(full(&st, &s, 0), MC_INVALID);
	assert_int_equal(s.n, 1);
	/* --all-signatures ignores the checkpoint: the chains are intact, a new one is made */
	assert_int_equal(full(&st, &s, 1), 0);
	assert_int_equal(st.recorded, 6);
	assert_int_equal(full(&st, &s, 0), 0);
	assert_int_equal(st.sig_covered, 6);
}

static void checkpoint_inserted(void **state)
{
	(void)state;
	/* a copy of an event with a new id put below the others */
	caught("cp5", "INSERT INTO events(seq, id, dossier_code, dseq, kind, os_account, actor, at, origin, payload,"
		      " prev_hash, hash, sig) SELECT 0, id || 'X', dossier_code, dseq, kind, os_account, actor, at, origin,"
		      " payload, prev_hash, hash, sig FROM events WHERE seq = 2", NULL);
}

static void checkpoint_deleted(void **state)
{
	(void)state;
	/* the last event of a dossier removed and its row set back to match (item 3's case) */
	caught("cp6", "DELETE FROM events WHERE seq = 6;"
		      "UPDATE dossiers SET version = 1, chain_head = (SELECT hash FROM events WHERE seq = 5)"
		      " WHERE code = (SELECT dossier_code FROM events WHERE seq = 5)", NULL);
}

static void checkpoint_forged(void **state)
{
	(void)state;
	struct audit_stats st;
	struct seen s;
	fresh("cp7", 2);
	assert_int_equal(full(&st, &s, 0), 0);
	/* its digest made to fit an altered signature, but not signed again */
	tamper("cp7", "UPDATE audit_checkpoints SET events = events + 1");
	assert_int_equal(full(&st, &s, 0), MC_INVALID);
	assert_int_equal(st.checkpoint, AUDIT_CP_FORGED);
	assert_int_equal(st.sig_checked, 4);
	assert_int_equal(st.broken, 0);
	assert_int_equal(s.n, 1);
	assert_non_null(strstr(s.p[0].what, "not signed by this store's own key"));
	assert_int_equal(full(&st, &s, 1), 0);   /* a new, genuine one */
	assert_int_equal(full(&st, &s, 0), 0);
	assert_int_equal(st.checkpoint, AUDIT_CP_USED);
}

static void checkpoint_covers(void **state)
{
	(void)state;
	struct audit_cp cp;
	struct event ev;
	memset(&cp, 0, sizeof cp);
	mk(&ev, 1, "{}", NULL);
	ev.seq = 5;
	ev.has_sig = 1;
	assert_false(audit_cp_covers(&cp, &ev));          /* no checkpoint */
	cp.trusted_upto = 5;
	assert_true(audit_cp_covers(&cp, &ev));
	ev.seq = 6;
	assert_false(audit_cp_covers(&cp, &ev));          /* written after it */
	ev.seq = 4;
	snprintf(ev.origin, sizeof ev.origin, "000.00.12.H45");
	assert_true(audit_cp_covers(&cp, &ev));           /* another office's, checked before */
	ev.has_sig = 0;
	assert_false(audit_cp_covers(&cp, &ev));          /* unsigned: nothing to cover */
}

static void many_dossiers_chunked(void **state)
{
	(void)state;
	/* more events than one chunk: forgeries on both sides of a chunk's end are named in
	 * store order, as one at a time would */
	struct audit_stats st;
	struct seen s;
	fresh("cp8", 4200);
	assert_int_equal(full(&st, &s, 0), 0);
	assert_int_equal(st.events, 8400);
	assert_int_equal(st.sig_checked, 8400);
	tamper("cp8", "UPDATE events SET sig = CAST(zeroblob(64) AS BLOB) WHERE seq IN (8000, 8400);"
		      "UPDATE events SET hash = zeroblob(32) WHERE seq = 10");
	assert_int_equal(full(&st, &s, 1), MC_INVALID);
	assert_int_equal(st.broken, 3);
	char c1[CODE_LEN], c2[CODE_LEN];
	assert_non_null(strstr(s.p[0].what, "does not match its hash"));
	assert_non_null(strstr(s.p[1].what, "signature is not by a key"));
	assert_non_null(strstr(s.p[2].what, "signature is not by a key"));
	snprintf(c1, sizeof c1, "%s", s.p[1].code);
	snprintf(c2, sizeof c2, "%s", s.p[2].code);
	assert_true(strcmp(c1, c2) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_rules),
		cmocka_unit_test(store_walk),
		cmocka_unit_test(checkpoint_twice),
		cmocka_unit_test(checkpoint_signature_changed),
		cmocka_unit_test(checkpoint_hash_changed),
		cmocka_unit_test(checkpoint_renumbered),
		cmocka_unit_test(checkpoint_inserted),
		cmocka_unit_test(checkpoint_deleted),
		cmocka_unit_test(checkpoint_forged),
		cmocka_unit_test(checkpoint_covers),
		cmocka_unit_test(many_dossiers_chunked),
	};
	return cmocka_run_group_tests_name("audit", tests, setup, fixture_teardown);
}
