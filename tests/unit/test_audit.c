/* test_audit.c - the hash-chain audit (src/audit.h): the per-event rules on crafted
 * chains (edited content, removed first event, missing or unknown link, a fork from
 * sync), and the streaming walk over a real store with forged events appended and a
 * dossier row whose chain head or version no longer matches its events. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit.h"
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
	struct err e = {0};
	struct dossier d;
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, "1.001037", &p), 0);
	struct receive_req r = {.procedure = "1.001037", .name = name, .idno = "022123456789",
				.components = (1u << p.ncomponents) - 1};
	assert_int_equal(store_user_by_account(C.st, "clerk1", &C.actor), 0);
	C.now += 60;
	if (dossier_receive(&C, &r, &d, &e) || dossier_transfer(&C, d.code, "TM", &d, &e))
		fail_msg("%s", e.msg);
	snprintf(code, CODE_LEN, "%s", d.code);
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_rules),
		cmocka_unit_test(store_walk),
	};
	return cmocka_run_group_tests_name("audit", tests, setup, fixture_teardown);
}
