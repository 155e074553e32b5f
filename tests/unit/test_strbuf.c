/* test_strbuf.c - unit tests for the small shared helpers: src/strbuf.c (the growing
 * buffer of forms, signatures and the PostgreSQL COPY stream), components_parse
 * (src/model.c, --components of receive and central submit-online) and hex_decode
 * (src/event.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "event.h"
#include "model.h"
#include "strbuf.h"

static void t_strbuf(void **st)
{
	(void)st;
	struct strbuf b = {0};
	assert_null(b.buf);
	assert_int_equal(strbuf_addstr(&b, "ab"), 0);
	assert_int_equal(strbuf_add(&b, "c\0d", 3), 0);   /* bytes, a NUL among them */
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.buf, "abc\0d", 6);         /* and NUL-terminated */
	/* growing far past the first allocation keeps every byte */
	for (int i = 0; i < 10000; i++)
		strbuf_add(&b, "0123456789", 10);
	assert_int_equal(b.len, 100005);
	assert_false(b.oom);
	assert_memory_equal(b.buf + b.len - 10, "0123456789", 11);
	strbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	strbuf_addstr(&b, "x");
	assert_string_equal(b.buf, "x");
	strbuf_release(&b);
	assert_null(b.buf);
	assert_int_equal(b.len, 0);
}

static void t_components(void **st)
{
	(void)st;
	uint32_t c;
	assert_int_equal(components_parse("all", &c), 0);
	assert_true(c == COMPONENTS_ALL);
	assert_int_equal(components_parse("1,3", &c), 0);
	assert_int_equal(c, 5);
	assert_int_equal(components_parse("", &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(components_parse("16", &c), 0);
	assert_int_equal(c, 1u << 15);
	/* a procedure has at most MAX_COMPONENTS components */
	assert_int_equal(components_parse("17", &c), -1);
	assert_int_equal(components_parse("0", &c), -1);
	assert_int_equal(components_parse("1,x", &c), -1);
	assert_int_equal(components_parse("1;2", &c), -1);
	assert_int_equal(components_parse("1,,2", &c), -1);
}

static void t_hex(void **st)
{
	(void)st;
	unsigned char in[4] = {0x00, 0xab, 0x7f, 0xff}, out[4];
	char hex[9];
	hex_encode(in, 4, hex);
	assert_string_equal(hex, "00ab7fff");
	assert_int_equal(hex_decode(hex, out, 4), 0);
	assert_memory_equal(in, out, 4);
	assert_int_equal(hex_decode("00AB7FFF", out, 4), 0);
	assert_memory_equal(in, out, 4);
	assert_int_equal(hex_decode("00ab7ff", out, 4), -1);    /* too short */
	assert_int_equal(hex_decode("00ab7fff0", out, 4), -1);  /* too long */
	assert_int_equal(hex_decode("00ab7fgf", out, 4), -1);
	assert_int_equal(hex_decode(NULL, out, 4), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_strbuf),
		cmocka_unit_test(t_components),
		cmocka_unit_test(t_hex),
	};
	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
