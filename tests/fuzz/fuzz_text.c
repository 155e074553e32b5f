/* fuzz_text.c - libFuzzer target: the text boundary (text_valid_utf8, text_clean,
 * text_nfc, text_fold, text_sanitize, text_width, text_chars).  Properties: what
 * text_clean accepts is valid UTF-8 without C0/C1/DEL/bidi controls; what
 * text_sanitize produces is valid UTF-8 with no ESC, C1 or bidi control raw; nothing
 * overflows its buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"

/* 1 if s holds a character a terminal would obey */
static int dangerous(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 1;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 1;
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae)))
			return 1;
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = 0;
	size_t len = strlen(in);
	int valid = text_valid_utf8(in, len);
	char out[2048], msg[256], small[24];
	if (text_clean(in, "field", 200, out, sizeof out, msg, sizeof msg) == 0) {
		if (!valid || !text_valid_utf8(out, strlen(out)) || dangerous(out) || text_chars(out) > 200)
			abort();
		(void)text_width(out);
	} else if (!msg[0]) {
		abort();
	}
	if (text_nfc(in, out, sizeof out) == 0 && !text_valid_utf8(out, strlen(out)))
		abort();
	text_fold(in, out, sizeof out);
	if (!memchr(out, 0, sizeof out))
		abort();
	text_sanitize(in, out, sizeof out);
	if (!text_valid_utf8(out, strlen(out)) || dangerous(out))
		abort();
	text_sanitize(in, small, sizeof small); /* truncation at a character boundary */
	if (!text_valid_utf8(small, strlen(small)) || dangerous(small))
		abort();
	text_fold(in, small, sizeof small);
	if (valid) {
		(void)text_width(in);
		(void)text_chars(in);
	}
	free(in);
	return 0;
}
