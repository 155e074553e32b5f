/* test_synclock.c - one sync of a store at a time (sync_lock.h): a second opening of
 * the store (as another process would have) cannot take the lock while the first
 * holds it, learns who holds it (process, host, since) for its message, waits its
 * bounded time and no longer; the lock is free again once given up or once its
 * holder's descriptor is closed (as the kernel does for a killed process); a holder's
 * line that is garbage names nobody, and a host name is cut to what may be shown. */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sync_lock.h"
#include "fixture.h"

static struct core C2;

static int setup(void **state)
{
	(void)state;
	fixture_setup("synclock");
	char path[128];
	struct err e = {0};
	snprintf(path, sizeof path, "%s/s.db", dir);
	if (core_open(&C2, path, 0, &e))
		fail_msg("open %s: %s", path, e.msg);
	return 0;
}

static int teardown(void **state)
{
	if (C2.st)
		core_close(&C2);
	return fixture_teardown(state);
}

static int64_t ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void one_at_a_time(void **state)
{
	(void)state;
	struct err e = {0};
	struct sync_holder h;
	assert_int_equal(sync_lock_running(&C2, &h), 0);
	assert_int_equal(sync_lock(&C, -1, NULL, NULL, &e), 0);
	/* taken again by its holder at once (sync --watch, then sync_run inside it) */
	assert_int_equal(sync_lock(&C, -1, NULL, NULL, &e), 0);
	/* the other opening: busy, naming this process */
	memset(&e, 0, sizeof e);
	assert_int_equal(sync_lock(&C2, -1, NULL, NULL, &e), MC_BUSY);
	char want[64];
	snprintf(want, sizeof want, "(process %ld on ", (long)getpid());
	assert_non_null(strstr(e.msg, want));
	assert_non_null(strstr(e.msg, "let it finish and sync again"));
	assert_int_equal(sync_lock_running(&C2, &h), 1);
	assert_int_equal(h.pid, (long)getpid());
	assert_true(h.since > 0 && h.host[0]);
	/* a bounded wait: about what was asked, then busy */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sync_lock(&C2, 300, NULL, NULL, &e), MC_BUSY);
	int64_t took = ms_since(&t0);
	assert_true(took >= 300 && took < 2000);
	/* given up: free for the other one */
	sync_unlock(&C);
	assert_int_equal(sync_lock_running(&C, &h), 0);
	assert_int_equal(sync_lock(&C2, -1, NULL, NULL, &e), 0);
	assert_int_equal(sync_lock(&C, -1, NULL, NULL, &e), MC_BUSY);
	/* the holder's descriptor closed (its process killed): free, whatever its file says */
	core_close(&C2);
	memset(&C2, 0, sizeof C2);
	assert_int_equal(sync_lock(&C, -1, NULL, NULL, &e), 0);
	sync_unlock(&C);
}

static void holder_line(void **state)
{
	(void)state;
	struct err e = {0};
	struct sync_holder h;
	char path[160];
	struct core O; /* the holder: another opening of the store */
	snprintf(path, sizeof path, "%s/s.db", dir);
	assert_int_equal(core_open(&O, path, 0, &e), 0);
	assert_int_equal(sync_lock(&O, -1, NULL, NULL, &e), 0);
	snprintf(path, sizeof path, "%s/s.db-sync.lock", dir);
	/* what another account in the group could write there */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("42 1710122400 h\x1b[2Jost;rm\n", f);
	fclose(f);
	assert_int_equal(sync_lock_running(&C, &h), 1);
	assert_int_equal(h.pid, 42);
	assert_string_equal(h.host, "h2Jostrm");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("garbage\n", f);
	fclose(f);
	assert_int_equal(sync_lock(&C, -1, NULL, NULL, &e), MC_BUSY);
	assert_null(strstr(e.msg, "process"));
	assert_non_null(strstr(e.msg, "another sync of this store is running"));
	sync_unlock(&O);
	core_close(&O);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_at_a_time),
		cmocka_unit_test(holder_line),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
