/* fuzz_bundle.c - libFuzzer target: the sync bundle reader (bundle_open, bundle_next).
 * The input is the bundle's body; unless it has a "sha256 " line of its own, the
 * harness appends the checksum line the format requires, so the fuzzer reaches the
 * JSON lines behind the checksum gate as well as the gate itself.  The file lives in a temp directory. */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bundle.h"
#include "event.h"

static char path[128];

static void cleanup(void)
{
	unlink(path);
	*strrchr(path, '/') = 0;
	rmdir(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	char dir[64];
	snprintf(dir, sizeof dir, "/tmp/motcua-fuzzb.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/b.bundle", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	if (!memmem(data, size, "sha256 ", 7)) {
		unsigned char md[32];
		unsigned int mdlen = 32;
		char hx[65];
		EVP_Digest(data, size, md, &mdlen, EVP_sha256(), NULL);
		hex_encode(md, 32, hx);
		fprintf(f, "sha256 %s\n", hx);
	}
	fclose(f);
	struct bundle_header h;
	struct err e = {0};
	struct bundle_reader *r = bundle_open(path, &h, &e);
	if (!r) {
		if (!e.msg[0])
			abort();
		return 0;
	}
	struct bundle_item it;
	memset(&it, 0, sizeof it);
	int rc, n = 0;
	while ((rc = bundle_next(r, &it, &e)) == 1 && n++ < 100000)
		bundle_item_clear(&it);
	bundle_item_clear(&it);
	if (rc > 1 && !e.msg[0]) /* a refusal always says why */
		abort();
	bundle_close(r);
	return 0;
}
