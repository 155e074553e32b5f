/* fuzz_catalog.c - libFuzzer target: catalog CSV import (catalog_import_buf) on a
 * temporary store.  Each input is imported inside an outer transaction that is rolled
 * back, so every run starts from the same store (demo catalog loaded). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "catalog.h"
#include "store.h"

static struct core C;
static char dir[64];

static void cleanup(void)
{
	char path[128];
	core_close(&C);
	snprintf(path, sizeof path, "%s/s.db", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/s.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/s.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	struct err e = {0};
	char path[128];
	snprintf(dir, sizeof dir, "/tmp/motcua-fuzz.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/s.db", dir);
	if (core_open(&C, path, STORE_CREATE, &e) || store_exec_embedded(C.st, "demo/catalog.sql", &e) ||
	    core_reload(&C, &e)) {
		fprintf(stderr, "fuzz_catalog: %s\n", e.msg);
		abort();
	}
	store_bulk(C.st); /* no fsync: the store is thrown away */
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {0};
	int count = -1;
	if (store_begin(C.st, &e))
		abort();
	int rc = catalog_import_buf(&C, (const char *)data, size, &count, &e);
	store_rollback(C.st);
	/* an error always says something; success reports a count */
	if (rc && !e.msg[0])
		abort();
	if (!rc && count < 0)
		abort();
	return 0;
}
