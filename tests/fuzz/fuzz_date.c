/* fuzz_date.c - libFuzzer target: date parsing (cal_parse).  Property: a date it
 * accepts formats back (cal_format) to a string it parses to the same instant. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	if (size >= sizeof s)
		size = sizeof s - 1;
	memcpy(s, data, size);
	s[size] = 0;
	int64_t t, t2;
	if (cal_parse(s, &t) != 0)
		return 0;
	char buf[32];
	cal_format(t, 1, buf, sizeof buf);
	if (cal_parse(buf, &t2) != 0 || t2 != t)
		abort();
	return 0;
}
