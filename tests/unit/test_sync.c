/* test_sync.c - unit tests for sync: bundle files (round trip, truncation and
 * corruption refused), hex parsing, the schema check naming the side to upgrade, and
 * central batches on the SQLite backend (idempotent replay, refusal of altered,
 * unchained and unknown-author events without blocking the rest, commit-ordered
 * log positions and a cursor that reads each event once), and the rule that an office
 * writes only the dossiers routed to it - on SQLite, and on PostgreSQL too when
 * MOTCUA_TEST_CENTRAL_PG names an empty database (tests/sync/routes.sh does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "event.h"
#include "sync.h"

static char dir[64];

static int setup(void **st)
{
	(void)st;
	snprintf(dir, sizeof dir, "/tmp/motcua-unit-sync.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void mk(struct event *ev, const char *code, int dseq, const char *kind, const char *actor,
	       const char *origin, const char *payload, const struct event *prev)
{
	memset(ev, 0, sizeof *ev);
	static int64_t ms = 1710000000000;
	event_ulid(ms++, ev->id);
	snprintf(ev->dossier_code, sizeof ev->dossier_code, "%s", code);
	ev->dseq = dseq;
	snprintf(ev->kind, sizeof ev->kind, "%s", kind);
	snprintf(ev->os_account, sizeof ev->os_account, "root");
	snprintf(ev->actor, sizeof ev->actor, "%s", actor);
	ev->at = 1710000000 + dseq;
	snprintf(ev->origin, sizeof ev->origin, "%s", origin);
	ev->payload = strdup(payload);
	if (prev) {
		ev->has_prev = 1;
		memcpy(ev->prev_hash, prev->hash, 32);
	}
	event_hash(ev);
}

static void t_hex(void **st)
{
	(void)st;
	unsigned char h[32], back[32];
	char hex[65];
	for (int i = 0; i < 32; i++)
		h[i] = (unsigned char)(i * 7 + 3);
	hex_encode(h, 32, hex);
	assert_int_equal(hex_decode(hex, back, 32), 0);
	assert_memory_equal(h, back, 32);
	hex[10] = 'z';
	assert_int_equal(hex_decode(hex, back, 32), -1);
	assert_int_equal(hex_decode("abc", back, 32), -1);
}

/* the canonical text a hash covers, built without printf, is printf's to the byte:
 * numbers at their limits, empty fields, Vietnamese, no payload, one that does not fit */
static void t_canonical(void **st)
{
	(void)st;
	static const long long ats[] = {0, -1, 1772766000000LL, -9223372036854775807LL - 1, 9223372036854775807LL};
	static const int dseqs[] = {1, 0, -7, 2147483647, -2147483647 - 1};
	char buf[2048], small[40];
	for (int k = 0; k < 5; k++) {
		struct event ev;
		mk(&ev, k % 2 ? "" : "H01-260306-00001", 1, k % 2 ? "" : "received", "clerk", "H01",
		   k == 2 ? "{\"ten\":\"Nguy\u1ec5n V\u0103n A\",\"note\":\"Ho so \u0111\u00e3 nh\u1eadn\"}" : "{}", NULL);
		ev.at = ats[k];
		ev.dseq = dseqs[k];
		if (k == 3) {
			free(ev.payload);
			ev.payload = NULL;
		}
		char *want = event_canonical(&ev);
		assert_non_null(want);
		assert_int_equal(event_canonical_into(&ev, buf, sizeof buf), (int)strlen(want));
		assert_string_equal(buf, want);
		assert_int_equal(event_canonical_into(&ev, small, sizeof small), -1);
		assert_int_equal(event_canonical_into(&ev, buf, (int)strlen(want)), -1);     /* no room for the NUL */
		assert_int_equal(event_canonical_into(&ev, buf, (int)strlen(want) + 1), (int)strlen(want));
		free(want);
		free(ev.payload);
	}
}

static void t_bundle_roundtrip(void **st)
{
	(void)st;
	char path[128];
	struct err e = {0};
	struct event a, b;
	mk(&a, "X-240311-0001", 1, "received", "portal", "C", "{\"office\":\"O\",\"n\":\"Nguy\\u1ec5n\\ttab\"}", NULL);
	mk(&b, "X-240311-0001", 2, "withdrawn", "portal", "C", "{\"reason\":\"line\\nbreak\"}", &a);
	snprintf(path, sizeof path, "%s/b1", dir);
	struct bundle_header h = {.kind = "events", .office = "O", .schema = 1, .from = 5, .to = 6, .cursor = 9, .own = 1};
	struct bundle_writer *w = bundle_create(path, &h, &e);
	assert_non_null(w);
	assert_int_equal(bundle_put_ref(w, "office", "O", "{\"code\":\"O\"}"), 0);
	assert_int_equal(bundle_put_event(w, &a, 5), 0);
	assert_int_equal(bundle_put_event(w, &b, 6), 0);
	assert_int_equal(bundle_finish(w, 42, &e), 0);

	struct bundle_header r;
	struct bundle_reader *br = bundle_open(path, &r, &e);
	assert_non_null(br);
	assert_string_equal(r.kind, "events");
	assert_string_equal(r.office, "O");
	assert_int_equal(r.schema, 1);
	assert_int_equal(r.from, 5);
	assert_int_equal(r.to, 6);
	assert_int_equal(r.cursor, 9);
	assert_int_equal(r.count, 2);
	assert_int_equal(r.cursor_to, 42);
	assert_int_equal(r.own, 1);
	struct bundle_item it;
	assert_int_equal(bundle_next(br, &it, &e), 1);
	assert_int_equal(it.type, 'r');
	assert_string_equal(it.rkind, "office");
	bundle_item_clear(&it);
	assert_int_equal(bundle_next(br, &it, &e), 1);
	assert_int_equal(it.type, 'e');
	assert_string_equal(it.ev.id, a.id);
	assert_string_equal(it.ev.payload, a.payload);
	assert_int_equal(it.ev.has_prev, 0);
	assert_true(event_hash_ok(&it.ev));
	bundle_item_clear(&it);
	assert_int_equal(bundle_next(br, &it, &e), 1);
	assert_int_equal(it.ev.seq, 6);
	assert_int_equal(it.ev.has_prev, 1);
	assert_memory_equal(it.ev.prev_hash, a.hash, 32);
	assert_true(event_hash_ok(&it.ev));
	bundle_item_clear(&it);
	assert_int_equal(bundle_next(br, &it, &e), 0);
	bundle_close(br);

	/* truncated: refused before anything is read */
	char cmd[400], cut[140], bad[140];
	snprintf(cut, sizeof cut, "%s/cut", dir);
	snprintf(cmd, sizeof cmd, "head -c 200 %s > %s", path, cut);
	assert_int_equal(system(cmd), 0);
	assert_null(bundle_open(cut, &r, &e));
	assert_non_null(strstr(e.msg, "truncated"));
	/* one byte changed */
	snprintf(bad, sizeof bad, "%s/bad", dir);
	snprintf(cmd, sizeof cmd, "sed '2s/O/P/' %s > %s", path, bad);
	assert_int_equal(system(cmd), 0);
	assert_null(bundle_open(bad, &r, &e));
	assert_non_null(strstr(e.msg, "checksum mismatch"));
	assert_int_equal(access(path, F_OK), 0);
	event_clear(&a);
	event_clear(&b);
}

static int count_ev(const struct event *ev, void *ctx)
{
	(void)ev;
	(*(int *)ctx)++;
	return 0;
}

static void t_central_batches(void **st)
{
	(void)st;
	char url[160];
	struct err e = {0};
	snprintf(url, sizeof url, "sqlite:%s/central.db", dir);
	assert_int_equal(central_init(url, "C", &e), 0);
	struct central *c = central_open(url, 0, &e);
	assert_non_null(c);
	assert_string_equal(c->agency, "C");
	assert_int_equal(central_check_schema(c, CENTRAL_SCHEMA, "office O", &e), 0);
	assert_int_equal(central_check_schema(c, CENTRAL_SCHEMA + 1, "office O", &e), MC_VERSION);
	assert_non_null(strstr(e.msg, "upgrade central"));
	assert_int_equal(central_check_schema(c, CENTRAL_SCHEMA - 1, "office O", &e), MC_VERSION);
	assert_non_null(strstr(e.msg, "upgrade motcua at office O"));

	/* central's own dossier: received (for its own office C) then withdrawn */
	struct event ev[5];
	mk(&ev[0], "C-240311-0001", 1, "received", "portal", "C", "{\"office\":\"C\"}", NULL);
	mk(&ev[1], "C-240311-0001", 2, "withdrawn", "portal", "C", "{\"reason\":\"r\"}", &ev[0]);
	mk(&ev[2], "C-240311-0002", 1, "received", "portal", "C", "{\"office\":\"C\"}", NULL);
	free(ev[2].payload);
	ev[2].payload = strdup("{\"office\":\"C\",\"altered\":1}"); /* hash no longer matches */
	mk(&ev[3], "C-240311-0003", 1, "received", "stranger", "C", "{\"office\":\"C\"}", NULL);
	mk(&ev[4], "C-240311-0004", 2, "withdrawn", "portal", "C", "{}", &ev[2]); /* parent refused */
	struct central_put p = {0};
	assert_int_equal(central_put_batch(c, ev, 5, 1710000000, &p, &e), 0);
	assert_int_equal(p.inserted, 2);
	assert_int_equal(p.refused, 3);
	/* replay: nothing new */
	struct central_put q = {0};
	assert_int_equal(central_put_batch(c, ev, 2, 1710000000, &q, &e), 0);
	assert_int_equal(q.inserted, 0);
	assert_int_equal(q.duplicate, 2);
	int64_t n = 0, quar = 0;
	assert_int_equal(c->ops->counts(c, NULL, &n, &quar, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(quar, 3);
	/* the cursor: read in two pages, each event once, then nothing */
	int seen = 0;
	int64_t next = 0;
	assert_int_equal(c->ops->begin(c, 0, NULL, &e), 0);
	assert_int_equal(c->ops->events_since(c, "C", 0, 1, 1, count_ev, &seen, &next, &e), 0);
	c->ops->rollback(c);
	assert_int_equal(seen, 1);
	int64_t first = next;
	assert_int_equal(c->ops->begin(c, 0, NULL, &e), 0);
	assert_int_equal(c->ops->events_since(c, "C", first, 10, 1, count_ev, &seen, &next, &e), 0);
	c->ops->rollback(c);
	assert_int_equal(seen, 2);
	assert_true(next >= first);
	int64_t last = next;
	assert_int_equal(c->ops->begin(c, 0, NULL, &e), 0);
	assert_int_equal(c->ops->events_since(c, "C", last, 10, 1, count_ev, &seen, &next, &e), 0);
	c->ops->rollback(c);
	assert_int_equal(seen, 2);
	assert_int_equal(next, last);
	/* own events are left out unless asked for */
	assert_int_equal(c->ops->begin(c, 0, NULL, &e), 0);
	assert_int_equal(c->ops->events_since(c, "C", 0, 10, 0, count_ev, &seen, &next, &e), 0);
	c->ops->rollback(c);
	assert_int_equal(seen, 2);
	for (int i = 0; i < 5; i++)
		event_clear(&ev[i]);
	central_close(c);
	assert_null(central_open("ftp://x", 0, &e));
	assert_int_equal(e.code, MC_USAGE);
}

/* a fresh central (agency C) at url that knows offices a and b, each with one user */
static struct central *two_offices(const char *url, const char *a, const char *b, const char *ua, const char *ub)
{
	struct err e = {0};
	char doc[64];
	assert_int_equal(central_init(url, "C", &e), 0);
	struct central *c = central_open(url, 0, &e);
	assert_non_null(c);
	const char *office[2] = {a, b}, *user[2] = {ua, ub};
	for (int i = 0; i < 2; i++) {
		snprintf(doc, sizeof doc, "{\"name\":\"%s\"}", office[i]);
		assert_int_equal(c->ops->ref_put(c, "office", office[i], doc, &e), 0);
		snprintf(doc, sizeof doc, "{\"office\":\"%s\"}", office[i]);
		assert_int_equal(c->ops->ref_put(c, "user", user[i], doc, &e), 0);
	}
	return c;
}

/* fn on a SQLite central in the test directory, then on PostgreSQL when the sync tests
 * give one (MOTCUA_TEST_CENTRAL_PG, tests/sync/routes.sh) */
static void on_centrals(const char *file, void (*fn)(const char *url))
{
	char url[160];
	snprintf(url, sizeof url, "sqlite:%s/%s", dir, file);
	fn(url);
	const char *pg = getenv("MOTCUA_TEST_CENTRAL_PG");
	if (pg && *pg)
		fn(pg);
}

/* an office writes only the dossiers routed to it; central writes any */
static void routes_on(const char *url)
{
	struct err e = {0};
	struct central *c = two_offices(url, "A", "B", "a1", "b1");
	struct event ev[8];
	mk(&ev[0], "A-240311-0001", 1, "received", "a1", "A", "{\"office\":\"A\"}", NULL);
	mk(&ev[1], "A-240311-0001", 2, "transferred", "a1", "A", "{}", &ev[0]);
	mk(&ev[2], "A-240311-0001", 2, "transferred", "b1", "B", "{}", &ev[0]);       /* B, previous event in the batch */
	mk(&ev[3], "A-240311-0001", 3, "assigned", "b1", "B", "{}", &ev[2]);          /* after a refused one */
	mk(&ev[4], "B-240311-0001", 1, "received", "b1", "B", "{\"office\":\"B\"}", NULL);
	struct central_put p = {0};
	assert_int_equal(central_put_batch(c, ev, 5, 1710000000, &p, &e), 0);
	assert_int_equal(p.inserted, 3);
	assert_int_equal(p.refused, 2);
	mk(&ev[5], "A-240311-0001", 3, "assigned", "b1", "B", "{}", &ev[1]);          /* B, previous event at central */
	mk(&ev[6], "A-240311-0001", 3, "assigned", "a1", "A", "{}", &ev[1]);          /* A, its own */
	mk(&ev[7], "A-240311-0001", 3, "withdrawn", "portal", "C", "{}", &ev[1]);     /* central */
	struct central_put q = {0};
	assert_int_equal(central_put_batch(c, ev + 5, 3, 1710000000, &q, &e), 0);
	assert_int_equal(q.inserted, 2);
	assert_int_equal(q.refused, 1);
	int64_t n = 0, quar = 0;
	assert_int_equal(c->ops->counts(c, NULL, &n, &quar, &e), 0);
	assert_int_equal(n, 5);
	assert_int_equal(quar, 3);
	/* a replayed event whose author has moved office since is a replay, not a refusal,
	 * and a new event after it in the same batch goes in */
	assert_int_equal(c->ops->ref_put(c, "user", "a2", "{\"office\":\"A\"}", &e), 0);
	assert_int_equal(central_load_users(c, &e), 0);
	struct event r[6];
	mk(&r[0], "A-240311-0002", 1, "received", "a1", "A", "{\"office\":\"A\"}", NULL);
	mk(&r[1], "A-240311-0002", 2, "transferred", "a2", "A", "{}", &r[0]);
	struct central_put p3 = {0};
	assert_int_equal(central_put_batch(c, r, 2, 1710000000, &p3, &e), 0);
	assert_int_equal(p3.inserted, 2);
	assert_int_equal(c->ops->ref_put(c, "user", "a2", "{\"office\":\"B\"}", &e), 0);
	assert_int_equal(central_load_users(c, &e), 0);
	mk(&r[2], "A-240311-0002", 3, "assigned", "a1", "A", "{}", &r[1]);
	struct central_put p4 = {0};
	assert_int_equal(central_put_batch(c, r + 1, 2, 1710000000, &p4, &e), 0);
	assert_int_equal(p4.inserted, 1);
	assert_int_equal(p4.refused, 0);
	assert_int_equal(p4.duplicate, 1);
	/* the same event twice in one batch: both copies refused, and what follows them */
	mk(&r[3], "A-240311-0002", 4, "proposed", "b1", "B", "{}", &r[2]);
	r[4] = r[3];
	r[4].payload = strdup(r[3].payload);
	mk(&r[5], "A-240311-0002", 5, "signed", "b1", "B", "{}", &r[3]);
	struct central_put p5 = {0};
	assert_int_equal(central_put_batch(c, r + 3, 3, 1710000000, &p5, &e), 0);
	assert_int_equal(p5.inserted, 0);
	assert_int_equal(p5.refused, 3);
	assert_int_equal(c->ops->counts(c, NULL, &n, &quar, &e), 0);
	assert_int_equal(n, 8);
	assert_int_equal(quar, 5);
	for (int i = 0; i < 6; i++)
		event_clear(&r[i]);
	/* office B pulls its own dossier only */
	int seen = 0;
	int64_t next = 0;
	assert_int_equal(c->ops->begin(c, 0, NULL, &e), 0);
	assert_int_equal(c->ops->events_since(c, "B", 0, 100, 1, count_ev, &seen, &next, &e), 0);
	c->ops->rollback(c);
	assert_int_equal(seen, 1);
	for (int i = 0; i < 8; i++)
		event_clear(&ev[i]);
	central_close(c);
}

static void t_central_routes(void **st)
{
	(void)st;
	on_centrals("routes.db", routes_on);
}

static int64_t pulled(struct central *c, const char *office, int own)
{
	struct err e = {0};
	int seen = 0;
	int64_t next = 0;
	assert_int_equal(c->ops->begin(c, 0, NULL, &e), 0);
	assert_int_equal(c->ops->events_since(c, office, 0, 100, own, count_ev, &seen, &next, &e), 0);
	c->ops->rollback(c);
	return seen;
}

/* central re-routes a dossier from RA to RB: the new line is RB's to write, the old
 * line is still RA's (a fork, not a refusal); the re-routing reaches A too; central's
 * decision routes the dossier to the kept line's office and reaches the other.  X is
 * sent in one batch (routes found in the batch), Y across batches (found at central). */
static void reroute_on(const char *url)
{
	struct err e = {0};
	struct central *c = two_offices(url, "RA", "RB", "ra1", "rb1");
	const char *code[2] = {"RA-240312-0001", "RA-240312-0002"}; /* not t_central_routes' (same database) */
	struct event ev[2][7];
	for (int d = 0; d < 2; d++) {
		struct event *x = ev[d];
		mk(&x[0], code[d], 1, "received", "ra1", "RA", "{\"office\":\"RA\"}", NULL);
		mk(&x[1], code[d], 2, "transferred", "ra1", "RA", "{}", &x[0]);
		mk(&x[2], code[d], 3, "rerouted", "portal", "C", "{\"from\":\"RA\",\"reason\":\"r\",\"to\":\"RB\"}", &x[1]);
		mk(&x[3], code[d], 4, "transferred", "rb1", "RB", "{}", &x[2]);   /* B on the new line */
		mk(&x[4], code[d], 4, "assigned", "ra1", "RA", "{}", &x[2]);      /* A on the new line: refused */
		mk(&x[5], code[d], 3, "assigned", "ra1", "RA", "{}", &x[1]);      /* A on its old line: a fork */
	}
	struct central_put p = {0};
	assert_int_equal(central_put_batch(c, ev[0], 6, 1710000000, &p, &e), 0);
	assert_int_equal(p.inserted, 5);
	assert_int_equal(p.refused, 1);
	struct central_put q = {0};
	for (int i = 0; i < 6; i++)
		assert_int_equal(central_put_batch(c, &ev[1][i], 1, 1710000000, &q, &e), 0);
	assert_int_equal(q.inserted, 5);
	assert_int_equal(q.refused, 1);
	char office[32];
	for (int d = 0; d < 2; d++) {
		assert_int_equal(c->ops->event_office(c, &ev[d][3], office, sizeof office, &e), 0);
		assert_string_equal(office, "RB");
		assert_int_equal(c->ops->event_office(c, &ev[d][5], office, sizeof office, &e), 0);
		assert_string_equal(office, "RA");
		assert_int_equal(c->ops->event_office(c, &ev[d][4], office, sizeof office, &e), MC_NOTFOUND);
	}
	/* B pulls the re-routings and its own steps; A its old lines and the re-routings */
	assert_int_equal(pulled(c, "RB", 1), 4);
	assert_int_equal(pulled(c, "RA", 0), 2);
	assert_int_equal(pulled(c, "RA", 1), 8);
	/* central decides X for A's line: routed back to A, and B hears of it */
	assert_int_equal(central_resolve(c, code[0], ev[0][5].id, "root", 1710000100, &e), 0);
	assert_int_equal(pulled(c, "RB", 1), 5);
	assert_int_equal(pulled(c, "RA", 0), 3);
	/* a settled or conflicted dossier is not re-routed; Y is in conflict */
	assert_int_equal(central_reroute(c, code[1], "RA", "back", "root", 1710000200, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "in conflict"));
	assert_int_equal(central_resolve(c, code[1], ev[1][3].id, "root", 1710000300, &e), 0);
	assert_int_equal(central_reroute(c, code[1], "RB", "again", "root", 1710000400, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "already routed to office RB"));
	assert_int_equal(central_reroute(c, code[1], "RA", "back", "root", 1710000500, &e), 0);
	assert_int_equal(pulled(c, "RA", 0), 5); /* Y's decision (after which B's line goes on) and its way back */
	for (int d = 0; d < 2; d++)
		for (int i = 0; i < 6; i++)
			event_clear(&ev[d][i]);
	central_close(c);
}

static void t_central_reroute(void **st)
{
	(void)st;
	on_centrals("reroute.db", reroute_on);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_hex),
		cmocka_unit_test(t_canonical),
		cmocka_unit_test(t_bundle_roundtrip),
		cmocka_unit_test(t_central_batches),
		cmocka_unit_test(t_central_routes),
		cmocka_unit_test(t_central_reroute),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
