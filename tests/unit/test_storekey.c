/* test_storekey.c - unit tests for the store's own Ed25519 key (made once, kept, signs
 * and verifies; a changed message or key fails) and for the push counting what it
 * sends: steps saved while a push runs go with the next one, so its progress never
 * passes its total ("2/1 events"); checking many events at once (on every core, the
 * own key's by signing again, an office with two stores' keys) gives exactly what checking
 * them one by one gives. */
#include <jansson.h>
#include <string.h>
#include "event.h"
#include "fixture.h"
#include "storekey.h"
#include "sync.h"

static int setup(void **state)
{
	(void)state;
	return fixture_setup("storekey");
}

static void t_own_key(void **state)
{
	(void)state;
	struct err e = {0};
	struct storekey a, b;
	assert_int_equal(storekey_own(C.st, C.office.agency_code, C.now, &a, &e), 0);
	assert_int_equal(storekey_own(C.st, C.office.agency_code, C.now, &b, &e), 0);
	assert_memory_equal(a.pub, b.pub, 32); /* made once, then kept */
	unsigned char sig[STOREKEY_SIG];
	const char msg[] = "motcua";
	assert_int_equal(storekey_sign(&a, msg, sizeof msg, sig), 0);
	assert_int_equal(storekey_verify(b.pub, msg, sizeof msg, sig), 1);
	assert_int_equal(storekey_verify(b.pub, "motcuA", sizeof msg, sig), 0);
	struct storekey other;
	assert_int_equal(storekey_generate(&other, "X"), 0);
	assert_int_equal(storekey_verify(other.pub, msg, sizeof msg, sig), 0);
	sig[5] ^= 1;
	assert_int_equal(storekey_verify(a.pub, msg, sizeof msg, sig), 0);
	storekey_free(&a);
	storekey_free(&b);
	storekey_free(&other);
}

struct seen { int64_t max_done, total; int wrote; };

static void on_progress(void *ctx, const char *phase, int64_t done, int64_t total)
{
	struct seen *s = ctx;
	if (strcmp(phase, "push"))
		return;
	if (done > s->max_done)
		s->max_done = done;
	s->total = total;
	if (!s->wrote) { /* a clerk saves a step while the push runs */
		char code[CODE_LEN];
		s->wrote = 1;
		fixture_receive("Trần Thị Hai", code, 60, fixture_as);
	}
}

static void t_push_counts(void **state)
{
	(void)state;
	struct err e = {0};
	char url[128], code[CODE_LEN];
	snprintf(url, sizeof url, "sqlite:%s/central.db", dir);
	assert_int_equal(central_init(url, NULL, &e), 0);
	struct central *cen = central_open(url, 0, &e);
	assert_non_null(cen);
	assert_int_equal(central_publish(cen, C.st, NULL, &e), 0);
	fixture_receive("Nguyễn Văn Một", code, 60, fixture_as);
	struct seen s = {0, 0, 0};
	struct sync_opts o = {1, on_progress, &s};
	struct sync_result r = {0};
	assert_int_equal(sync_push(&C, cen, &o, &r, &e), 0);
	assert_int_equal(s.total, 2);      /* received + transferred */
	assert_int_equal(s.max_done, 2);   /* never past it */
	assert_int_equal(r.pushed, 2);
	memset(&r, 0, sizeof r);
	s.wrote = 1;
	s.max_done = 0;
	assert_int_equal(sync_push(&C, cen, &o, &r, &e), 0);
	assert_int_equal(r.pushed, 2);     /* the step saved meanwhile goes now */
	assert_int_equal(s.max_done, s.total);
	central_close(cen);
}

/* 300 events: own-signed, signed by another office, forged, unsigned before and after
 * a store began signing; checked one by one, with and without the own key, and many
 * at once, every answer the same */
static void t_check_many(void **state)
{
	(void)state;
	enum { N = 300 };
	struct storekey own, other;
	assert_int_equal(storekey_generate(&own, "A"), 0);
	assert_int_equal(storekey_generate(&other, "B"), 0);
	unsigned char priv[32];
	assert_int_equal(storekey_priv(&own, priv), 0);
	struct storekey_set plain = {0}, fast = {0};
	assert_int_equal(storekey_set_add(&plain, "A", own.pub, 0, 1000), 0);
	assert_int_equal(storekey_set_add(&plain, "B", other.pub, 0, 1000), 0);
	assert_int_equal(storekey_set_add(&fast, "A", own.pub, 0, 1000), 0);
	assert_int_equal(storekey_set_add(&fast, "B", other.pub, 0, 1000), 0);
	storekey_set_own(&fast, own.pub, priv);
	struct event *evs = calloc(N, sizeof *evs);
	int want[N], got[N], got_plain[N];
	assert_non_null(evs);
	for (int i = 0; i < N; i++) {
		struct event *ev = &evs[i];
		snprintf(ev->dossier_code, sizeof ev->dossier_code, "X-%d", i);
		snprintf(ev->kind, sizeof ev->kind, "received");
		snprintf(ev->origin, sizeof ev->origin, "%s", i % 3 == 1 ? "B" : "A");
		ev->dseq = 1;
		ev->at = i % 7 == 0 ? 500 : 2000;   /* before / after the keys' "since" */
		for (int j = 0; j < 32; j++)
			ev->hash[j] = (unsigned char)(i * 31 + j);
		unsigned char msg[EVENT_SIG_MSG];
		event_sig_message(ev, msg);
		if (i % 7 == 0)
			continue;                        /* unsigned, written before signing */
		if (i % 11 == 0)
			continue;                        /* unsigned after: a forgery */
		assert_int_equal(storekey_sign(i % 3 == 1 ? &other : &own, msg, sizeof msg, ev->sig), 0);
		ev->has_sig = 1;
		if (i % 5 == 0)
			ev->sig[i % 64] ^= 0x10;        /* altered */
		if (i % 13 == 0)                     /* signed by the wrong office's key */
			assert_int_equal(storekey_sign(i % 3 == 1 ? &own : &other, msg, sizeof msg, ev->sig), 0);
	}
	int counts[4] = {0};
	for (int i = 0; i < N; i++) {
		want[i] = storekey_set_check(&plain, &evs[i]);
		assert_int_equal(storekey_set_check(&fast, &evs[i]), want[i]);
		counts[want[i] + 2]++;
	}
	for (int i = 0; i < 4; i++)
		assert_true(counts[i] > 0);          /* every answer occurs */
	storekey_set_check_many(&fast, evs, N, got);
	storekey_set_check_many(&plain, evs, N, got_plain);
	assert_memory_equal(got, want, sizeof want);
	assert_memory_equal(got_plain, want, sizeof want);
	storekey_set_check_many(&fast, evs, 5, got); /* too few to share out */
	assert_memory_equal(got, want, 5 * sizeof *want);
	free(evs);
	storekey_set_free(&plain);
	storekey_set_free(&fast);
	storekey_free(&own);
	storekey_free(&other);
}

/* an office with two stores' keys (a store made again after a loss): events signed by
 * either, in runs and alternating, some altered; checked with the new store's own key
 * and without it, one by one and many at once, every answer the same (the key that
 * signed the last event is tried first) */
static void t_check_two_keys(void **state)
{
	(void)state;
	enum { N = 200 };
	struct storekey oldk, newk;
	assert_int_equal(storekey_generate(&oldk, "A"), 0);
	assert_int_equal(storekey_generate(&newk, "A"), 0);
	unsigned char priv[32];
	assert_int_equal(storekey_priv(&newk, priv), 0);
	struct storekey_set plain = {0}, fast = {0};
	assert_int_equal(storekey_set_add(&plain, "A", oldk.pub, 0, 100), 0);
	assert_int_equal(storekey_set_add(&plain, "A", newk.pub, 0, 5000), 0);
	assert_int_equal(storekey_set_add(&fast, "A", newk.pub, 0, 5000), 0);
	assert_int_equal(storekey_set_add(&fast, "A", oldk.pub, 0, 100), 0);
	storekey_set_own(&fast, newk.pub, priv);
	struct event *evs = calloc(N, sizeof *evs);
	int want[N], got[N];
	assert_non_null(evs);
	for (int i = 0; i < N; i++) {
		struct event *ev = &evs[i];
		snprintf(ev->dossier_code, sizeof ev->dossier_code, "Y-%d", i);
		snprintf(ev->kind, sizeof ev->kind, "note");
		snprintf(ev->origin, sizeof ev->origin, "A");
		ev->dseq = 2;
		ev->at = 6000;
		for (int j = 0; j < 32; j++)
			ev->hash[j] = (unsigned char)(i * 7 + j);
		unsigned char msg[EVENT_SIG_MSG];
		event_sig_message(ev, msg);
		int by_old = i < 60 || (i >= 120 && i % 2);
		assert_int_equal(storekey_sign(by_old ? &oldk : &newk, msg, sizeof msg, ev->sig), 0);
		ev->has_sig = 1;
		if (i % 9 == 0)
			ev->sig[(i * 5) % 64] ^= 0x01; /* altered: R or S */
	}
	for (int i = 0; i < N; i++) {
		want[i] = storekey_set_check(&plain, &evs[i]);
		assert_int_equal(want[i], i % 9 == 0 ? STOREKEY_BAD : STOREKEY_SIGNED);
		assert_int_equal(storekey_set_check(&fast, &evs[i]), want[i]);
	}
	storekey_set_check_many(&fast, evs, N, got);
	assert_memory_equal(got, want, sizeof want);
	memset(got, 0x55, sizeof got);
	struct storekey_job *j = storekey_set_check_start(&fast, evs, N, got);
	storekey_set_check_wait(j);
	assert_memory_equal(got, want, sizeof want);
	free(evs);
	storekey_set_free(&plain);
	storekey_set_free(&fast);
	storekey_free(&oldk);
	storekey_free(&newk);
}

/* an office whose only key is approved but not used yet (since -1): an unsigned
 * event of it written more than a day (STOREKEY_CLOCK_SLACK: the office's clock may
 * run ahead of central's) after the approval is forged, one written before passes as
 * from before signing began; once used, the earlier of since and the approval's
 * bound counts (an office cannot move the time later with its own since) */
static void t_approved_unused(void **state)
{
	(void)state;
	enum { D = STOREKEY_CLOCK_SLACK };
	struct storekey k;
	assert_int_equal(storekey_generate(&k, "B"), 0);
	struct storekey_set s = {0};
	struct event ev = {0};
	snprintf(ev.origin, sizeof ev.origin, "B");
	snprintf(ev.kind, sizeof ev.kind, "received");
	ev.dseq = 1;
	/* trusted on first use, never used: nothing signed yet, all passes */
	assert_int_equal(storekey_set_add(&s, "B", k.pub, 0, -1), 0);
	ev.at = 5000 + D;
	assert_int_equal(storekey_set_check(&s, &ev), STOREKEY_BEFORE);
	/* approved at 3000 by admin, not used: a day after it forged, before it not */
	storekey_set_approved(&s, 3000, "admin");
	assert_string_equal(s.k[0].approved_by, "admin");
	assert_int_equal(storekey_set_check(&s, &ev), STOREKEY_UNSIGNED);
	/* an office whose clock runs 7 hours ahead: its event just before its key was
	 * made, a few minutes before the approval, is dated after it: not forged */
	ev.at = 3000 + 7 * 3600 - 300;
	assert_int_equal(storekey_set_check(&s, &ev), STOREKEY_BEFORE);
	ev.at = 2999;
	assert_int_equal(storekey_set_check(&s, &ev), STOREKEY_BEFORE);
	/* used: its since, but never later than the approval's bound */
	s.k[0].since = 2000;
	assert_int_equal(storekey_set_check(&s, &ev), STOREKEY_UNSIGNED);
	s.k[0].since = 9000 + D;
	ev.at = 4000 + D;
	assert_int_equal(storekey_set_check(&s, &ev), STOREKEY_UNSIGNED);
	/* the office's since on its own (ahead) clock, within the day, counts */
	s.k[0].since = 3000 + 7 * 3600;
	ev.at = 3000 + 7 * 3600 - 60;
	assert_int_equal(storekey_set_check(&s, &ev), STOREKEY_BEFORE);
	ev.at = 3000 + 7 * 3600 + 60;
	assert_int_equal(storekey_set_check(&s, &ev), STOREKEY_UNSIGNED);
	assert_int_equal(storekey_signs_from(-1, 0), -1);
	assert_int_equal(storekey_signs_from(-1, 3000), 3000 + D);
	assert_int_equal(storekey_signs_from(2000, 3000), 2000);
	assert_int_equal(storekey_signs_from(9000, 3000), 9000);
	assert_int_equal(storekey_signs_from(9000 + D, 3000), 3000 + D);
	assert_int_equal(storekey_signs_from(0, 0), 0);
	assert_int_equal(storekey_signs_from(-1, INT64_MAX - 5), INT64_MAX);
	storekey_set_free(&s);
	storekey_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_own_key),
		cmocka_unit_test(t_push_counts),
		cmocka_unit_test(t_check_many),
		cmocka_unit_test(t_check_two_keys),
		cmocka_unit_test(t_approved_unused),
	};
	return cmocka_run_group_tests_name("storekey", tests, setup, fixture_teardown);
}
