/* fixture.h - the set-up the core's unit tests share: a temporary directory, a store
 * created in it (with the demo catalog), the core C open on it acting for the OS
 * account "tester", and the teardown that closes it and removes the directory.
 *
 * Include it after the C headers a test needs; it brings cmocka, core.h and store.h
 * (unit tests may reach behind the core to plant or inspect rows).
 */
#ifndef MOTCUA_TEST_FIXTURE_H
#define MOTCUA_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include "core.h"
#include "store.h"

static char dir[64];
static struct core C;

/* a local time (UTC+7) */
static inline int64_t at(int y, int m, int d, int hh, int mm)
{
	return cal_instant(cal_day_from_ymd(y, m, d), hh * 60 + mm);
}

/* a fresh temporary directory dir, named after tag */
static inline void fixture_dir(const char *tag)
{
	snprintf(dir, sizeof dir, "/tmp/motcua-%s.XXXXXX", tag);
	assert_non_null(mkdtemp(dir));
}

/* a new store dir/name.db opened as C */
static inline void fixture_open(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	struct err e = {0};
	if (core_open(&C, path, CORE_CREATE, &e))
		fail_msg("open %s: %s", path, e.msg);
	snprintf(C.os_account, sizeof C.os_account, "tester");
}

/* the usual set-up: dir, store "s" with the demo catalog, settings reloaded */
static inline int fixture_setup(const char *tag)
{
	struct err e = {0};
	fixture_dir(tag);
	fixture_open("s");
	assert_int_equal(store_exec_embedded(C.st, "demo/catalog.sql", &e), 0);
	assert_int_equal(core_reload(&C, &e), 0);
	return 0;
}

/* close C if open and remove dir (a cmocka teardown) */
static inline int fixture_teardown(void **state)
{
	(void)state;
	if (C.st)
		core_close(&C);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

/* act as the store user account (OS account "tester") */
static inline void fixture_as(const char *account)
{
	assert_int_equal(store_user_by_account(C.st, account, &C.actor), 0);
	snprintf(C.os_account, sizeof C.os_account, "tester");
}

#endif
