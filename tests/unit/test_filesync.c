/* test_filesync.c - central's file rows (central_files.h) on a SQLite central: a file
 * counts as present only once its chunks hash to its name; chunks go in once however
 * often they are sent; a corrupt file is dropped and wanted again; central's check
 * (filesync_check_central) finds and drops a corrupted chunk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "central_files.h"
#include "filesync.h"

static char dir[64];
static struct central *C;
static const struct central_file_ops *F;
static unsigned char *bytes;
static const size_t SIZE = 2 * CENTRAL_FILE_CHUNK + 1234;
static char sha[65];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/motcua-filesync.XXXXXX");
	assert_non_null(mkdtemp(dir));
	char url[160];
	struct err e = {0};
	snprintf(url, sizeof url, "sqlite:%s/central.db", dir);
	assert_int_equal(central_init(url, "C", &e), 0);
	C = central_open(url, 0, &e);
	assert_non_null(C);
	F = central_files(C);
	assert_ptr_equal(F, &central_sqlite_file_ops);
	bytes = malloc(SIZE);
	assert_non_null(bytes);
	for (size_t i = 0; i < SIZE; i++)
		bytes[i] = (unsigned char)(i * 7 + i / 251);
	unsigned char h[32];
	unsigned len = 0;
	EVP_Digest(bytes, SIZE, h, &len, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(sha + 2 * i, 3, "%02x", h[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	central_close(C);
	free(bytes);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static int put_chunk(int64_t n)
{
	struct err e = {0};
	size_t off = (size_t)n * CENTRAL_FILE_CHUNK, len = SIZE - off < CENTRAL_FILE_CHUNK ? SIZE - off : CENTRAL_FILE_CHUNK;
	return F->put(C, sha, n, bytes + off, len, &e);
}

static int64_t got_len;
static int got_chunk(int64_t n, const unsigned char *data, size_t len, void *ctx)
{
	(void)ctx;
	assert_memory_equal(data, bytes + n * CENTRAL_FILE_CHUNK, len);
	got_len = (int64_t)len;
	return 0;
}

static int wanted_n;
static int count_wanted(const char *h, void *ctx)
{
	(void)ctx;
	assert_string_equal(h, sha);
	wanted_n++;
	return 0;
}

static void file_whole_only_when_hashed(void **state)
{
	(void)state;
	struct err e = {0};
	struct central_file f;
	char h[65];
	assert_int_equal(F->get(C, sha, &f, &e), MC_NOTFOUND);
	assert_int_equal(F->begin(C, sha, (int64_t)SIZE, "application/pdf", &e), 0);
	assert_int_equal(F->begin(C, sha, (int64_t)SIZE, "application/pdf", &e), 0); /* again: nothing */
	assert_int_equal(put_chunk(0), 0);
	assert_int_equal(put_chunk(0), 0); /* a chunk sent twice is kept once */
	assert_int_equal(F->get(C, sha, &f, &e), 0);
	assert_int_equal(f.complete, 0);
	assert_int_equal(f.chunks, 1);
	assert_int_equal(f.size, (int64_t)SIZE);
	wanted_n = 0;
	assert_int_equal(F->wanted(C, count_wanted, NULL, &e), 0);
	assert_int_equal(wanted_n, 1);
	/* half a file does not hash to its name */
	assert_int_equal(F->hash(C, sha, h, &e), 0);
	assert_string_not_equal(h, sha);
	assert_int_equal(put_chunk(1), 0);
	assert_int_equal(put_chunk(2), 0);
	assert_int_equal(F->hash(C, sha, h, &e), 0);
	assert_string_equal(h, sha);
	assert_int_equal(F->settle(C, sha, 1, &e), 0);
	assert_int_equal(F->get(C, sha, &f, &e), 0);
	assert_int_equal(f.complete, 1);
	assert_int_equal(f.chunks, 3);
	assert_int_equal(F->chunk(C, sha, 2, got_chunk, NULL, &e), 0);
	assert_int_equal(got_len, 1234);
	assert_int_equal(F->chunk(C, sha, 3, got_chunk, NULL, &e), MC_NOTFOUND);
	wanted_n = 0;
	assert_int_equal(F->wanted(C, count_wanted, NULL, &e), 0);
	assert_int_equal(wanted_n, 0);
}

static int named;
static int name_bad(const char *h, int64_t size, void *ctx)
{
	(void)ctx;
	assert_string_equal(h, sha);
	assert_int_equal(size, (int64_t)SIZE);
	named++;
	return 0;
}

static void corrupt_found_and_dropped(void **state)
{
	(void)state;
	struct err e = {0};
	struct central_file f;
	int64_t checked = 0, bad = 0;
	assert_int_equal(filesync_check_central(C, name_bad, NULL, &checked, &bad, &e), 0);
	assert_int_equal(checked, 1);
	assert_int_equal(bad, 0);
	/* a byte changed in the middle chunk */
	bytes[CENTRAL_FILE_CHUNK + 5] ^= 1;
	struct err e2 = {0};
	assert_int_equal(F->settle(C, sha, 0, &e2), 0); /* drop, then store the changed bytes under the old name */
	for (int n = 0; n < 3; n++)
		assert_int_equal(put_chunk(n), 0);
	assert_int_equal(F->settle(C, sha, 1, &e), 0);
	named = 0;
	assert_int_equal(filesync_check_central(C, name_bad, NULL, &checked, &bad, &e), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(named, 1);
	assert_int_equal(F->get(C, sha, &f, &e), 0);
	assert_int_equal(f.complete, 0);
	assert_int_equal(f.chunks, 0);
	wanted_n = 0;
	assert_int_equal(F->wanted(C, count_wanted, NULL, &e), 0);
	assert_int_equal(wanted_n, 1);
	bytes[CENTRAL_FILE_CHUNK + 5] ^= 1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_whole_only_when_hashed),
		cmocka_unit_test(corrupt_found_and_dropped),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
