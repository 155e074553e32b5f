/* test_attach.c - attachments (src/attach.h) on a real temporary store: the type comes
 * from the content (a .pdf name holding PNG bytes is a PNG, text is refused), SHA-256,
 * one event per attachment with its file in the same transaction, deduplication, who
 * may attach, export byte for byte, a corrupted file found by the hash check. */
#include <string.h>
#include <unistd.h>
#include "attach.h"
#include "store_files.h"
#include "fixture.h"

static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
				    0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde};
static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
static const unsigned char JPEG[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
static const unsigned char TIFF[] = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0};

static void write_file(const char *name, const void *b, size_t n, char *path, size_t pn)
{
	snprintf(path, pn, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	fixture_setup("attach");
	C.now = at(2024, 3, 11, 9, 0);
	return 0;
}

static void type_by_content(void **state)
{
	(void)state;
	char t[64];
	struct err e = {0};
	assert_int_equal(attach_type(PNG, sizeof PNG, t, sizeof t, &e), 0);
	assert_string_equal(t, "image/png");
	assert_int_equal(attach_type(PDF, strlen(PDF), t, sizeof t, &e), 0);
	assert_string_equal(t, "application/pdf");
	assert_int_equal(attach_type(JPEG, sizeof JPEG, t, sizeof t, &e), 0);
	assert_string_equal(t, "image/jpeg");
	assert_int_equal(attach_type(TIFF, sizeof TIFF, t, sizeof t, &e), 0);
	assert_string_equal(t, "image/tiff");
	const char *text = "Đơn đề nghị cấp giấy phép\n";
	assert_int_equal(attach_type(text, strlen(text), t, sizeof t, &e), MC_INVALID);
	assert_string_equal(t, "text/plain");
	assert_non_null(strstr(e.msg, "only PDF, JPEG, PNG and TIFF"));
	const char *html = "<html><body>a</body></html>\n";
	assert_int_equal(attach_type(html, strlen(html), t, sizeof t, &e), MC_INVALID);
}

static void sha256_of_a_file(void **state)
{
	(void)state;
	char path[128], h[65];
	int64_t size;
	struct err e = {0};
	write_file("abc", "abc", 3, path, sizeof path);
	FILE *f = fopen(path, "rb");
	assert_int_equal(attach_hash_fd(fileno(f), h, &size, &e), 0);
	fclose(f);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(size, 3);
}

static int count_one(const struct attach_info *a, void *ctx)
{
	(void)a;
	(*(int *)ctx)++;
	return 0;
}

static int nattached(const char *code)
{
	int n = 0;
	struct err e = {0};
	assert_int_equal(attach_list(&C, code, count_one, &n, &e), 0);
	return n;
}

static void attach_list_export_check(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	struct receive_req r = {.procedure = "1.001037", .name = "Nguyễn Văn A", .idno = "022123456789", .components = 3};
	fixture_as("clerk1");
	if (dossier_receive(&C, &r, &d, &e))
		fail_msg("%s", e.msg);
	int64_t due = d.step_due_at;
	int version = d.version;
	char png[128], txt[128], out[160];
	write_file("giay-to.pdf", PNG, sizeof PNG, png, sizeof png);
	write_file("note.pdf", "just text\n", 10, txt, sizeof txt);

	struct attach_info a;
	assert_int_equal(attach_file(&C, d.code, 1, png, &a, &e), 0);
	assert_string_equal(a.type, "image/png");              /* the content, not the name */
	assert_string_equal(a.name, "giay-to.pdf");
	assert_int_equal(a.size, sizeof PNG);
	assert_int_equal(nattached(d.code), 1);
	struct dossier after;
	assert_int_equal(dossier_get(&C, d.code, &after, &e), 0);
	assert_int_equal(after.version, version + 1);           /* one event */
	assert_int_equal(after.stage, d.stage);                 /* it changes no step */
	assert_int_equal(after.step_due_at, due);

	/* text is refused and writes nothing */
	assert_int_equal(attach_file(&C, d.code, 1, txt, NULL, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "text/plain"));
	assert_int_equal(nattached(d.code), 1);
	/* a component the procedure lacks, a supervisor */
	assert_int_equal(attach_file(&C, d.code, 99, png, NULL, &e), MC_INVALID);
	fixture_as("super1");
	assert_int_equal(attach_file(&C, d.code, 1, png, NULL, &e), MC_DENIED);
	fixture_as("clerk1");

	/* the same bytes again: a second event, one stored file */
	assert_int_equal(attach_file(&C, d.code, 0, png, NULL, &e), 0);
	assert_int_equal(nattached(d.code), 2);
	int nfiles = 0;
	struct err ae = {0};
	int64_t broken = -1;
	assert_int_equal(attach_audit(&C, NULL, NULL, NULL, &broken, &ae), 0);
	assert_int_equal(broken, 0);
	assert_int_equal(store_file_info(C.st, a.sha256, NULL, NULL, 0), 0);
	(void)nfiles;

	/* export byte for byte, hash check */
	struct attach_info first;
	assert_int_equal(attach_nth(&C, d.code, 1, &first, &e), 0);
	assert_int_equal(attach_check(&C, &first, &e), 0);
	snprintf(out, sizeof out, "%s/exported", dir);
	assert_int_equal(attach_export(&C, &first, out, &e), 0);
	FILE *f = fopen(out, "rb");
	unsigned char buf[256];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_int_equal(n, sizeof PNG);
	assert_memory_equal(buf, PNG, sizeof PNG);
	assert_int_equal(attach_nth(&C, d.code, 3, &first, &e), MC_NOTFOUND);

	/* a stored file whose hash no longer matches is named corrupt */
	struct attach_info fake = first;
	memset(fake.sha256, '0', 64);
	assert_int_equal(attach_check(&C, &fake, &e), MC_NOTFOUND);
	fake = first;
	fake.size++;
	assert_int_equal(attach_check(&C, &fake, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "corrupt"));

	/* replaying the events gives the same row */
	assert_int_equal(dossier_rebuild(&C, d.code, &e), 0);
	struct dossier rebuilt;
	assert_int_equal(dossier_get(&C, d.code, &rebuilt, &e), 0);
	assert_int_equal(rebuilt.version, after.version + 1);
	assert_int_equal(rebuilt.step_due_at, due);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(type_by_content),
		cmocka_unit_test(sha256_of_a_file),
		cmocka_unit_test(attach_list_export_check),
	};
	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
