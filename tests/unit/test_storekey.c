/* test_storekey.c - unit tests for the store's own Ed25519 key (made once, kept, signs
 * and verifies; a changed message or key fails) and for the push counting what it
 * sends: steps saved while a push runs go with the next one, so its progress never
 * passes its total ("2/1 events"). */
#include <jansson.h>
#include <string.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_own_key),
		cmocka_unit_test(t_push_counts),
	};
	return cmocka_run_group_tests_name("storekey", tests, setup, fixture_teardown);
}
