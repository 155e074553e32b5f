/* test_container.c - large attached files in the container beside the store
 * (store_files.h): a file of STORE_FILE_CONTAINER_MIN bytes or more is written there
 * once and read back byte for byte, deduplicated by SHA-256; bytes past the committed
 * end (left by a crash) are cut off by the next large file, which goes at that end; a
 * small file stays in the store's rows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "attach.h"
#include "dossier.h"
#include "store.h"
#include "store_files.h"
#include "fixture.h"

static char container[128];

static int64_t csize(void)
{
	struct stat sb;
	return stat(container, &sb) ? -1 : (int64_t)sb.st_size;
}

static void scan(const char *name, size_t n, unsigned seed, char *path, size_t pn)
{
	snprintf(path, pn, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("%PDF-1.5\n", f);
	srand(seed);
	for (size_t i = 9; i < n; i++)
		fputc(rand() & 0xff, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	fixture_setup("container");
	snprintf(container, sizeof container, "%s/s.db-files", dir);
	C.now = cal_instant(cal_day_from_ymd(2024, 3, 11), 9 * 60);
	assert_int_equal(store_user_by_account(C.st, "clerk1", &C.actor), 0);
	return 0;
}

static int teardown(void **state) { return fixture_teardown(state); }

static int same_file(const char *a, const char *b)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, b);
	return system(cmd) == 0;
}

static void large_files(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	struct receive_req r = {.procedure = "1.001037", .name = "Nguyễn Văn A", .idno = "022123456789", .components = 3};
	if (dossier_receive(&C, &r, &d, &e))
		fail_msg("%s", e.msg);
	char small[128], big[128], big2[128], out[160];
	scan("small.pdf", 1000, 1, small, sizeof small);
	scan("big.pdf", STORE_FILE_CONTAINER_MIN + 5, 2, big, sizeof big);
	scan("big2.pdf", STORE_FILE_CONTAINER_MIN * 2, 3, big2, sizeof big2);
	assert_int_equal(csize(), 0);
	assert_int_equal(attach_file(&C, d.code, 1, small, NULL, &e), 0);
	assert_int_equal(csize(), 0);                                  /* small: in the store */
	struct attach_info a;
	assert_int_equal(attach_file(&C, d.code, 2, big, &a, &e), 0);
	assert_int_equal(csize(), STORE_FILE_CONTAINER_MIN + 5);        /* large: once, in the container */
	assert_int_equal(attach_file(&C, d.code, 1, big, NULL, &e), 0);  /* the same bytes: not again */
	assert_int_equal(csize(), STORE_FILE_CONTAINER_MIN + 5);
	snprintf(out, sizeof out, "%s/out.pdf", dir);
	assert_int_equal(attach_export(&C, &a, out, &e), 0);
	assert_true(same_file(big, out));

	/* bytes past the committed end, as a crash leaves them: nothing refers to them, the
	 * next large file is written at the end and cuts them off */
	FILE *f = fopen(container, "ab");
	assert_non_null(f);
	for (int i = 0; i < 300000; i++)
		fputc('x', f);
	fclose(f);
	int64_t broken = -1;
	assert_int_equal(attach_audit(&C, NULL, NULL, NULL, &broken, &e), 0);
	assert_int_equal(broken, 0);
	assert_int_equal(attach_file(&C, d.code, 2, big2, &a, &e), 0);
	assert_int_equal(csize(), STORE_FILE_CONTAINER_MIN + 5 + STORE_FILE_CONTAINER_MIN * 2);
	assert_int_equal(attach_export(&C, &a, out, &e), 0);
	assert_true(same_file(big2, out));
	assert_int_equal(attach_audit(&C, NULL, NULL, NULL, &broken, &e), 0);

	/* chunk by chunk, wherever the bytes live: the chunks put together are the file */
	unsigned char *chunk = malloc(STORE_FILE_CHUNK);
	assert_non_null(chunk);
	const char *files[] = {small, big2};
	for (int k = 0; k < 2; k++) {
		FILE *in = fopen(files[k], "rb");
		assert_non_null(in);
		char sha[65];
		int64_t n64;
		assert_int_equal(attach_hash_fd(fileno(in), sha, &n64, &e), 0);
		rewind(in);
		size_t len, total = 0;
		unsigned char *want = malloc(STORE_FILE_CHUNK);
		for (int n = 0;; n++) {
			assert_int_equal(store_file_chunk(C.st, sha, n, chunk, &len, &e), 0);
			if (!len)
				break;
			assert_int_equal(fread(want, 1, len, in), len);
			assert_memory_equal(chunk, want, len);
			total += len;
		}
		assert_int_equal(total, (size_t)n64);
		free(want);
		fclose(in);
	}
	assert_int_equal(store_file_chunk(C.st, "00ff", 0, chunk, &(size_t){0}, &e), MC_NOTFOUND);
	free(chunk);

	/* a damaged byte in the container: the file is named corrupt */
	f = fopen(container, "r+b");
	assert_non_null(f);
	fseek(f, 10, SEEK_SET);
	fputc('Z', f);
	fclose(f);
	assert_int_equal(attach_nth(&C, d.code, 2, &a, &e), 0);
	assert_int_equal(attach_check(&C, &a, &e), MC_INVALID);
	assert_int_equal(attach_audit(&C, NULL, NULL, NULL, &broken, &e), MC_INVALID);
	assert_true(broken >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(large_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
