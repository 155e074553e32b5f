/* fuzz_calendar.c - libFuzzer target: the calendar CSV (holidays_parse, the parser of
 * `holidays import` and of the shipped schedules).  Property: what it accepts is a
 * sorted list of distinct days, each off or work (work never on a weekday), with a
 * reason of valid UTF-8 and a schedule year that is its date's year or the next. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "holidays.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cal_day_row *r = NULL;
	int n = 0;
	struct err e = {0};
	if (holidays_parse((const char *)data, size, "fuzz", &r, &n, &e) != 0) {
		if (!e.code || !e.msg[0])
			abort();
		return 0;
	}
	for (int i = 0; i < n; i++) {
		int y, w = cal_weekday(r[i].day);
		cal_ymd_from_day(r[i].day, &y, NULL, NULL);
		if ((i && r[i].day <= r[i - 1].day) || (r[i].kind != CAL_OFF && r[i].kind != CAL_WORK) ||
		    (r[i].kind == CAL_WORK && w >= 1 && w <= 5) || !r[i].reason[0] ||
		    !text_valid_utf8(r[i].reason, strlen(r[i].reason)) || (r[i].year != y && r[i].year != y + 1))
			abort();
	}
	free(r);
	return 0;
}
