/* test_deadline_law.c - "correct to the day on every deadline", case by case.
 *
 * Every expected value below was worked out by hand, on paper, from the rules and the
 * announced day-off schedules, never by running motcua; the comment of each case names
 * its sources.  The cases run on the calendar a real store holds after motcua applied
 * its shipped schedules (db/calendar/vn-official-holidays.csv), through the core
 * (core_appointment, the dossier steps), so that the data, its loading and the
 * arithmetic are checked together.
 *
 * Sources cited:
 *  - BLLĐ 2019 Art. 112(1) (the holidays), Art. 112(3) (Tết days and the day next to 2/9
 *    chosen by the Prime Minister), Art. 111(3) (nghỉ bù on the next working day).
 *  - The announcements: CV 8662/VPCP-KGVX + TB 5015/TB-LĐTBXH (2024); CV 8726/VPCP-KGVX
 *    + TB 6150/TB-BLĐTBXH (2025: Tết 25/01-02/02, swap Fri 02/05 for Sat 26/04, 2/9 with
 *    Mon 01/09); CV 12729/VPCP-KGVX (New Year 2026: swap Fri 02/01 for Sat 10/01);
 *    CV 9859/VPCP-KGVX + TB 9441/TB-BNV (Tết 2026 14/02-22/02; 2/9/2026 with Tue 01/09,
 *    swap Mon 31/08 for Sat 22/08); Giỗ Tổ 2026 on Sunday 26/04: nghỉ bù Mon 27/04.
 *  - Decree 118/2025/NĐ-CP: in force 01/07/2025 (forms of Circular 03/2025 from then
 *    on); Art. 11 (a supplement asked once); Art. 17 (a dossier is received when
 *    complete; online dossiers are received by the one-stop).
 *  - Decree 61/2018/NĐ-CP Art. 19(4) (after a supplement the time counts again: motcua's
 *    supplement.mode = restart) and Art. 19(9) (apology and new appointment at the latest
 *    the day before the appointment, once); the Decision-766 engine (LAW.md §4.3):
 *    supplement time excluded (supplement.mode = resume), on time = end <= appointment.
 *  - Civil Code 2015 (91/2015/QH13) Art. 147: a limit in hours starts at the moment
 *    given; a limit in days does not count its first day (the day of reception); Art.
 *    148(1): it ends with its last day.
 *  - motcua's working time (README "How it works", DESIGN "Time"): Mon-Fri 07:30-11:30,
 *    13:00-17:00 (480 minutes a day), a limit in days is counted in working minutes from
 *    the reception, after hours or on a day off from the next working morning; half a day
 *    is 4 hours; a same-day procedure with a cut-off ("trong ngày; sau 15 giờ thì ngày
 *    làm việc tiếp theo") is due at the end of the working day.
 */
#include <string.h>
#include "fixture.h"
#include "embedded.h"
#include "forms.h"
#include "holidays.h"
#include "lienthong.h"
#include "report.h"

static void as(const char *account) { fixture_as(account); }

static int setup(void **state)
{
	(void)state;
	return fixture_setup("deadline");
}

static int64_t parse_local(const char *s)
{
	int64_t t;
	if (cal_parse(s, &t))
		fail_msg("bad time in the test table: %s", s);
	return t;
}

static const char *show(int64_t t, char buf[32])
{
	cal_format(t, 1, buf, 32);
	return buf;
}

/* ---------------------------------------------------------------- appointments */

enum { DAYS = 0, HOURS = 1 };

struct appt_case {
	const char *received;  /* local "YYYY-MM-DD HH:MM" */
	int amount, unit;      /* committed time */
	int cutoff;            /* minutes after midnight, 0: none */
	int channel;
	const char *due;       /* expected appointment */
};

/* Minutes are worked out session by session: "330 Fri" = 10:00-11:30 (90) + 13:00-17:00
 * (240) on Friday; a day is 480. */
static const struct appt_case appts[] = {
	/* 1. Tết 2025 (CV 8726, TB 6150: Mon 27/01-Fri 31/01 off, no make-up Saturday).
	 * Fri 24/01 10:00, 1 day: 330 Fri, 27-31/01 off, weekend, 150 Mon 03/02 -> 10:00 */
	{"2025-01-24 10:00", 1, DAYS, 0, CH_DIRECT, "2025-02-03 10:00"},
	/* 2. Friday afternoon before Tết 2025: 60 Fri 16:00-17:00, 420 Mon 03/02 -> 16:00 */
	{"2025-01-24 16:00", 1, DAYS, 0, CH_DIRECT, "2025-02-03 16:00"},
	/* 3. Thu 23/01/2025 09:00, 3 days (1440): 390 Thu, 480 Fri (870), Tết, 480 Mon 03/02
	 * (1350), 90 Tue 04/02 -> 09:00 */
	{"2025-01-23 09:00", 3, DAYS, 0, CH_DIRECT, "2025-02-04 09:00"},
	/* 4. Received on Saturday 25/01/2025 (weekly day off, first day of the Tết break):
	 * from Mon 03/02 07:30, 1 day -> 17:00 */
	{"2025-01-25 09:00", 1, DAYS, 0, CH_DIRECT, "2025-02-03 17:00"},
	/* 5. Online, accepted on mùng 1 (Wed 29/01/2025, a holiday) at 20:00: counted from
	 * Mon 03/02 07:30, 2 days -> Tue 04/02 17:00 */
	{"2025-01-29 20:00", 2, DAYS, 0, CH_ONLINE, "2025-02-04 17:00"},
	/* 6. Tết 2026 (CV 9859, TB 9441: Mon 16/02-Fri 20/02 off).  Fri 13/02 15:00, 1 day:
	 * 120 Fri, 16-20/02 off, 240 + 120 Mon 23/02 -> 15:00 */
	{"2026-02-13 15:00", 1, DAYS, 0, CH_DIRECT, "2026-02-23 15:00"},
	/* 7. Thu 12/02/2026 08:00, 5 days (2400): 450 Thu, 480 Fri (930), Tết, Mon 23 (1410),
	 * Tue 24 (1890), Wed 25 (2370), 30 Thu 26/02 -> 08:00 */
	{"2026-02-12 08:00", 5, DAYS, 0, CH_DIRECT, "2026-02-26 08:00"},
	/* 8. Year boundary into 2026 (BLLĐ Art. 112(1)(a) 01/01; CV 12729 swap: Fri 02/01
	 * off).  Wed 31/12/2025 10:00, 1 day: 330 Wed, Thu 01/01 and Fri 02/01 off,
	 * weekend, 150 Mon 05/01 -> 10:00 */
	{"2025-12-31 10:00", 1, DAYS, 0, CH_DIRECT, "2026-01-05 10:00"},
	/* 9. The make-up Saturday 10/01/2026 (CV 12729) is a working day: Fri 09/01 10:00,
	 * 1 day: 330 Fri, 150 Sat 10/01 -> 10:00 */
	{"2026-01-09 10:00", 1, DAYS, 0, CH_DIRECT, "2026-01-10 10:00"},
	/* 10. Received on that working Saturday 10/01/2026 09:00, 1 day: 390 Sat, Sunday
	 * off, 90 Mon 12/01 -> 09:00 */
	{"2026-01-10 09:00", 1, DAYS, 0, CH_DIRECT, "2026-01-12 09:00"},
	/* 11. An ordinary Saturday (17/01/2026) is a day off: from Mon 19/01 07:30 -> 17:00 */
	{"2026-01-17 09:00", 1, DAYS, 0, CH_DIRECT, "2026-01-19 17:00"},
	/* 12. Year boundary into 2025 (01/01/2025 Wed off, BLLĐ Art. 112(1)(a)).  Tue
	 * 31/12/2024 14:00, 2 days (960): 180 Tue, 01/01 off, 480 Thu 02/01 (660), 300 Fri
	 * 03/01 -> 240 morning + 60 -> 14:00 */
	{"2024-12-31 14:00", 2, DAYS, 0, CH_DIRECT, "2025-01-03 14:00"},
	/* 13. 30/4-1/5 2025 bridge (CV 8726: Fri 02/05 off, Sat 26/04 worked).  Fri 25/04
	 * 10:00, 1 day: 330 Fri, 150 Sat 26/04 -> 10:00 */
	{"2025-04-25 10:00", 1, DAYS, 0, CH_DIRECT, "2025-04-26 10:00"},
	/* 14. Tue 29/04/2025 10:00, 1 day: 330 Tue, 30/04, 01/05, 02/05 off, weekend, 150
	 * Mon 05/05 -> 10:00 */
	{"2025-04-29 10:00", 1, DAYS, 0, CH_DIRECT, "2025-05-05 10:00"},
	/* 15. Tue 29/04/2025 16:00, 2 days: 60 Tue, 480 Mon 05/05 (540), 420 Tue 06/05 ->
	 * 16:00 */
	{"2025-04-29 16:00", 2, DAYS, 0, CH_DIRECT, "2025-05-06 16:00"},
	/* 16. 2026: Giỗ Tổ on Sunday 26/04, nghỉ bù Mon 27/04 (BLLĐ Art. 111(3)).  Fri 24/04
	 * 10:00, 2 days: 330 Fri, Mon 27 off, 480 Tue 28 (810), 150 Wed 29/04 -> 10:00 */
	{"2026-04-24 10:00", 2, DAYS, 0, CH_DIRECT, "2026-04-29 10:00"},
	/* 17. 30/4 (Thu) and 1/5 (Fri) 2026, no swap: Wed 29/04 14:00, 1 day: 180 Wed,
	 * Thu-Sun off, 240 + 60 Mon 04/05 -> 14:00 */
	{"2026-04-29 14:00", 1, DAYS, 0, CH_DIRECT, "2026-05-04 14:00"},
	/* 18. 2/9/2025 had two days, Mon 01/09 and Tue 02/09 (CV 8726; BLLĐ Art. 112(1)(đ)).
	 * Fri 29/08 10:00, 1 day: 330 Fri, Sat-Tue off, 150 Wed 03/09 -> 10:00 */
	{"2025-08-29 10:00", 1, DAYS, 0, CH_DIRECT, "2025-09-03 10:00"},
	/* 19. Received online on the holiday Mon 01/09/2025 09:00, 1 day: from Wed 03/09
	 * 07:30 -> 17:00 */
	{"2025-09-01 09:00", 1, DAYS, 0, CH_ONLINE, "2025-09-03 17:00"},
	/* 20. Fri 29/08/2025 10:00, 5 days (2400): 330, Wed 03 (810), Thu 04 (1290), Fri 05
	 * (1770), Mon 08 (2250), 150 Tue 09/09 -> 10:00 */
	{"2025-08-29 10:00", 5, DAYS, 0, CH_DIRECT, "2025-09-09 10:00"},
	/* 21. 2/9/2026 (CV 9859: Mon 31/08 off for the working Sat 22/08; Tue 01/09 and Wed
	 * 02/09 off).  Fri 21/08 10:00, 1 day: 330 Fri, 150 Sat 22/08 -> 10:00 */
	{"2026-08-21 10:00", 1, DAYS, 0, CH_DIRECT, "2026-08-22 10:00"},
	/* 22. Fri 28/08/2026 10:00, 1 day: 330 Fri, 29/08-02/09 off, 150 Thu 03/09 -> 10:00 */
	{"2026-08-28 10:00", 1, DAYS, 0, CH_DIRECT, "2026-09-03 10:00"},
	/* 23. Hours: Friday afternoon.  Fri 07/03/2025 16:30, 4 hours: 30 Fri, 210 Mon
	 * 10/03 from 07:30 -> 11:00 */
	{"2025-03-07 16:30", 4, HOURS, 0, CH_DIRECT, "2025-03-10 11:00"},
	/* 24. After hours on Friday (17:30): the day counts from Mon 10/03 07:30 -> 17:00 */
	{"2025-03-07 17:30", 1, DAYS, 0, CH_DIRECT, "2025-03-10 17:00"},
	/* 25. Half a day (4 working hours): Tue 11/03/2025 10:00: 90 before lunch, 150 after
	 * -> 15:30 */
	{"2025-03-11 10:00", 4, HOURS, 0, CH_DIRECT, "2025-03-11 15:30"},
	/* 26. 8 hours received in the lunch break (12:00): from 13:00, 240 Tue, 240 Wed
	 * 12/03 morning -> 11:30 (an end on a session's end stays there) */
	{"2025-03-11 12:00", 8, HOURS, 0, CH_DIRECT, "2025-03-12 11:30"},
	/* 27. 2 hours from Fri 29/08/2025 16:00: 60 Fri, 2/9 break, 60 Wed 03/09 -> 08:30 */
	{"2025-08-29 16:00", 2, HOURS, 0, CH_DIRECT, "2025-09-03 08:30"},
	/* 28. Same-day procedure, cut-off 15:00, received Fri 24/01/2025 15:10: the next
	 * working day is Mon 03/02 (Tết) -> its end, 17:00 */
	{"2025-01-24 15:10", 1, DAYS, 15 * 60, CH_DIRECT, "2025-02-03 17:00"},
	/* 29. Same, received 14:50, before the cut-off: that day's end */
	{"2025-01-24 14:50", 1, DAYS, 15 * 60, CH_DIRECT, "2025-01-24 17:00"},
	/* 30. Same-day procedure received on the holiday Thu 30/04/2026: the next working day
	 * is Mon 04/05 */
	{"2026-04-30 09:00", 1, DAYS, 15 * 60, CH_ONLINE, "2026-05-04 17:00"},
	/* 31. Fri 25/04/2025 15:30, after the cut-off: the working Saturday 26/04 */
	{"2025-04-25 15:30", 1, DAYS, 15 * 60, CH_DIRECT, "2025-04-26 17:00"},
	/* 32. Wed 31/12/2025 16:00, after the cut-off: 01/01 and 02/01/2026 off -> Mon 05/01 */
	{"2025-12-31 16:00", 1, DAYS, 15 * 60, CH_DIRECT, "2026-01-05 17:00"},
	/* 33. 2018-model dossier (received before 01/07/2025, Decree 61/2018) across the
	 * reform day: the calendar is the same.  Mon 30/06/2025 10:00, 3 days: 330 Mon, Tue
	 * 01/07 (810), Wed 02/07 (1290), 150 Thu 03/07 -> 10:00 */
	{"2025-06-30 10:00", 3, DAYS, 0, CH_DIRECT, "2025-07-03 10:00"},
	/* 34. 2025-model dossier (Decree 118/2025, from 01/07/2025): Tue 01/07 10:00, 3 days
	 * -> Fri 04/07 10:00 */
	{"2025-07-01 10:00", 3, DAYS, 0, CH_DIRECT, "2025-07-04 10:00"},
	/* 35. Tết 2024 (CV 8662, TB 5015: Thu 08/02-Wed 14/02 off).  Wed 07/02/2024 09:00,
	 * 2 days: 390 Wed, 480 Thu 15/02 (870), 90 Fri 16/02 -> 09:00 */
	{"2024-02-07 09:00", 2, DAYS, 0, CH_DIRECT, "2024-02-16 09:00"},
	/* 36. 2024 swap (CV 2450/VPCP-KGVX, TB 1570: Mon 29/04 off, Sat 04/05 worked).  Fri
	 * 26/04/2024 10:00, 3 days: 330 Fri, 29/04-01/05 off, Thu 02 (810), Fri 03 (1290),
	 * 150 Sat 04/05 -> 10:00 */
	{"2024-04-26 10:00", 3, DAYS, 0, CH_DIRECT, "2024-05-04 10:00"},
	/* 37. When the clock starts: a limit in days does not count the day of reception
	 * (Civil Code 2015 Art. 147(2); ends with the last day, Art. 148(1)).  Received Mon
	 * 10/03/2025 at the opening, 07:30, 1 day: Tuesday is the day (not Monday 17:00);
	 * motcua's appointment keeps the reception's minute, so Tue 11/03 07:30, never later
	 * than a reception a minute after it (case 39) */
	{"2025-03-10 07:30", 1, DAYS, 0, CH_DIRECT, "2025-03-11 07:30"},
	/* 38. Received before the opening (06:45, an online dossier accepted early), 2 days:
	 * Tue and Wed -> Wed 12/03, at the opening minute 07:30 */
	{"2025-03-10 06:45", 2, DAYS, 0, CH_ONLINE, "2025-03-12 07:30"},
	/* 39. A minute after the opening: 479 Mon, 1 Tue 11/03 -> 07:31, the same day as the
	 * law's (Tuesday) */
	{"2025-03-10 07:31", 1, DAYS, 0, CH_DIRECT, "2025-03-11 07:31"},
	/* 40. A limit in hours starts at the reception (Civil Code Art. 147(1)), before the
	 * opening from the opening: Mon 10/03 07:00, 4 hours -> 11:30 the same day */
	{"2025-03-10 07:00", 4, HOURS, 0, CH_DIRECT, "2025-03-10 11:30"},
	/* 41. At the opening of the first working day after Tết 2026 (Mon 23/02 07:30), 1 day:
	 * Tue 24/02 07:30 */
	{"2026-02-23 07:30", 1, DAYS, 0, CH_DIRECT, "2026-02-24 07:30"},
	/* 42. At the opening of the working Saturday 22/08/2026, 1 day: Sunday off, Monday
	 * 24/08 07:30 */
	{"2026-08-22 07:30", 1, DAYS, 0, CH_DIRECT, "2026-08-24 07:30"},
};

/* The appointment of a dossier received at each instant, by the core's own rule
 * (core_appointment, as dossier_receive and the receiving screen use it). */
static void test_appointments(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof appts / sizeof *appts; i++) {
		const struct appt_case *k = &appts[i];
		struct procedure p;
		memset(&p, 0, sizeof p);
		p.hours = k->unit == HOURS;
		p.committed_direct = p.committed_online = k->amount;
		p.cutoff = k->cutoff;
		char got[32];
		show(core_appointment(&C, &p, k->channel, parse_local(k->received)), got);
		if (strcmp(got, k->due))
			fail_msg("case %zu: received %s, %d %s: due %s, expected %s", i + 1, k->received, k->amount,
				 k->unit == HOURS ? "hours" : "days", got, k->due);
	}
}

/* ------------------------------------------------------------------ timeliness */

struct tl_case {
	const char *due, *resolved, *now; /* resolved NULL: still open, judged at now */
	int want;
};

static const struct tl_case tls[] = {
	/* The due day itself (case 28's appointment, Mon 03/02/2025 17:00, the end of the
	 * working day).  766 engine (LAW.md §4.3): on time = end <= appointment. */
	{"2025-02-03 17:00", "2025-02-03 16:59", NULL, TL_ON_TIME},
	{"2025-02-03 17:00", "2025-02-03 17:00", NULL, TL_ON_TIME},
	{"2025-02-03 17:00", "2025-02-03 17:01", NULL, TL_LATE},
	/* resolved on a day before the due day: early (trước hạn) */
	{"2025-02-03 17:00", "2025-01-24 16:00", NULL, TL_EARLY},
	/* worked on Sunday 02/02 (a day off): a day before, early */
	{"2025-02-03 17:00", "2025-02-02 10:00", NULL, TL_EARLY},
	/* open on the due day: not due until the end of the working day, overdue after */
	{"2025-02-03 17:00", NULL, "2025-02-03 09:00", TL_NOT_DUE},
	{"2025-02-03 17:00", NULL, "2025-02-03 17:00", TL_NOT_DUE},
	{"2025-02-03 17:00", NULL, "2025-02-03 17:01", TL_OVERDUE},
	/* an appointment with the hour of the receipt (case 18, Wed 03/09/2025 10:00: Mẫu
	 * 01 gives "... giờ ... phút"): on time up to that instant, late after it */
	{"2025-09-03 10:00", "2025-09-03 09:59", NULL, TL_ON_TIME},
	{"2025-09-03 10:00", "2025-09-03 10:01", NULL, TL_LATE},
	{"2025-09-03 10:00", NULL, "2025-09-02 16:00", TL_NOT_DUE},
};

static void test_timeliness(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof tls / sizeof *tls; i++) {
		const struct tl_case *k = &tls[i];
		int64_t due = parse_local(k->due);
		int tl = k->resolved ? cal_timeliness(due, parse_local(k->resolved), 0)
				     : cal_timeliness(due, 0, parse_local(k->now));
		if (tl != k->want)
			fail_msg("timeliness case %zu: due %s, %s %s: %s, expected %s", i + 1, k->due,
				 k->resolved ? "resolved" : "open at", k->resolved ? k->resolved : k->now,
				 cal_timeliness_name(tl), cal_timeliness_name(k->want));
	}
}

/* --------------------------------------------------------- the dossier's steps */

static void assert_due(int64_t t, const char *want)
{
	char b[32];
	assert_string_equal(show(t, b), want);
}

/* a dossier of proc (1.001037 in the demo catalog: 9 working days direct, 8 online)
 * received at `when`, transferred to TM and assigned to spec_tm1 */
static void to_specialist_of(const char *proc, int64_t when, const char *name, char code[CODE_LEN], struct dossier *d)
{
	struct err e = {0};
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, proc, &p), 0);
	struct receive_req r = {.procedure = proc, .name = name, .idno = "022123456789",
				.components = (1u << p.ncomponents) - 1};
	as("clerk1");
	C.now = when;
	if (dossier_receive(&C, &r, d, &e))
		fail_msg("receive: %s", e.msg);
	snprintf(code, CODE_LEN, "%s", d->code);
	assert_int_equal(dossier_transfer(&C, code, "TM", d, &e), 0);
	as("head_tm");
	assert_int_equal(dossier_assign(&C, code, "spec_tm1", d, &e), 0);
	as("spec_tm1");
}

static void to_specialist(int64_t when, const char *name, char code[CODE_LEN], struct dossier *d)
{
	to_specialist_of("1.001037", when, name, code, d);
}

/* A supplement stops the clock and resuming gives back the time that was left (766
 * engine: supplement time excluded; motcua's default supplement.mode = resume).
 *  - received Fri 24/01/2025 16:00, 9 days (4320): 60 Fri, then 03/02..12/02 are 8
 *    working days (3900), 420 Thu 13/02 -> 2025-02-13 16:00
 *  - supplement asked Wed 05/02 16:00: left = 60 Wed + 5 days (06, 07, 10, 11, 12/02)
 *    + 420 Thu 13/02 = 2880
 *  - resumed Mon 10/02 10:00: 330 Mon, 480 x 4 (11, 12, 13, 14/02) = 2250, 480 Mon 17
 *    = 2730, 150 Tue 18/02 -> 2025-02-18 10:00 */
static void test_supplement_resume(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char code[CODE_LEN];
	to_specialist(parse_local("2025-01-24 16:00"), "Nguyễn Văn Bổ Sung", code, &d);
	assert_due(d.due_at, "2025-02-13 16:00");
	C.now = parse_local("2025-02-05 16:00");
	assert_int_equal(dossier_supplement(&C, code, "Thiếu bản vẽ mặt bằng", &d, &e), 0);
	assert_int_equal(d.remaining, 2880);
	/* the clock is stopped: still not overdue a month later */
	C.now = parse_local("2025-03-05 10:00");
	assert_int_equal(core_timeliness(&C, &d), TL_NOT_DUE);
	/* Decree 118/2025 Art. 11: asked once only, even after resuming */
	as("clerk1");
	C.now = parse_local("2025-02-10 10:00");
	assert_int_equal(dossier_resume(&C, code, 0, &d, &e), 0);
	assert_due(d.due_at, "2025-02-18 10:00");
	assert_due(d.orig_due_at, "2025-02-18 10:00");
	as("spec_tm1");
	assert_int_equal(dossier_supplement(&C, code, "Thiếu thêm", &d, &e), MC_STATE);
	/* on the due day: not due up to the appointment, overdue a minute after */
	C.now = parse_local("2025-02-18 10:00");
	assert_int_equal(core_timeliness(&C, &d), TL_NOT_DUE);
	C.now = parse_local("2025-02-18 10:01");
	assert_int_equal(core_timeliness(&C, &d), TL_OVERDUE);
}

/* supplement.mode = restart (Decree 61/2018 Art. 19(4): once the dossier is complete the
 * time counts again from the start): resumed Mon 10/02/2025 10:00 with the full 9 days
 * (4320): 330 Mon, 11, 12, 13, 14, 17, 18, 19, 20/02 (8 x 480 = 3840, 4170), 150 Fri
 * 21/02 -> 2025-02-21 10:00 */
static void test_supplement_restart(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char code[CODE_LEN];
	to_specialist(parse_local("2025-01-24 16:00"), "Nguyễn Văn Làm Lại", code, &d);
	C.now = parse_local("2025-02-05 16:00");
	assert_int_equal(dossier_supplement(&C, code, "Thiếu bản vẽ mặt bằng", &d, &e), 0);
	C.supplement_restart = 1;
	as("clerk1");
	C.now = parse_local("2025-02-10 10:00");
	int rc = dossier_resume(&C, code, 0, &d, &e);
	C.supplement_restart = 0;
	assert_int_equal(rc, 0);
	assert_due(d.due_at, "2025-02-21 10:00");
	assert_due(d.orig_due_at, "2025-02-21 10:00");
}

/* A same-day procedure of the catalog: 1 working day, cut-off 15:00 ("trong ngày; sau
 * 15 giờ thì ngày làm việc tiếp theo"), made from 1.001037 */
static void add_same_day(void)
{
	struct err e = {0};
	struct procedure p;
	if (store_procedure_by_code(C.st, "9.999001", &p) == 0)
		return;
	assert_int_equal(store_procedure_by_code(C.st, "1.001037", &p), 0);
	snprintf(p.code, sizeof p.code, "9.999001");
	p.committed_direct = p.committed_online = p.statutory_direct = p.statutory_online = 1;
	p.hours = 0;
	p.cutoff = 15 * 60;
	if (store_procedure_add(C.st, &p, &e))
		fail_msg("%s", e.msg);
}

/* Restarting counts as a reception (Decree 61/2018 Art. 19(4): the time counts again
 * from the start once the dossier is complete), so the reception's rules apply to it,
 * the cut-off included.  Same-day procedure received Tue 26/08/2025 09:00 -> due 17:00
 * that day; supplement asked 11:00; complete again Fri 29/08 16:00, after the cut-off:
 * Sat 30/08 - Tue 02/09 off -> the end of Wed 03/09. */
static void test_supplement_restart_cutoff(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char code[CODE_LEN];
	add_same_day();
	to_specialist_of("9.999001", parse_local("2025-08-26 09:00"), "Trần Thị Trong Ngày", code, &d);
	assert_due(d.due_at, "2025-08-26 17:00");
	C.now = parse_local("2025-08-26 11:00");
	assert_int_equal(dossier_supplement(&C, code, "Thiếu bản sao", &d, &e), 0);
	C.supplement_restart = 1;
	as("clerk1");
	C.now = parse_local("2025-08-29 16:00");
	int rc = dossier_resume(&C, code, 0, &d, &e);
	C.supplement_restart = 0;
	assert_int_equal(rc, 0);
	assert_due(d.due_at, "2025-09-03 17:00");
	assert_due(d.orig_due_at, "2025-09-03 17:00");
}

/* The same in resume mode: the 270 minutes left (11:00-11:30, 13:00-17:00 on 26/08)
 * run from Fri 29/08 16:00: 60 Fri, 210 Wed 03/09 -> 11:00; asked at 11:00:42, the
 * same (the papers say 11:00) */
static void test_supplement_resume_cutoff(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char code[CODE_LEN];
	add_same_day();
	to_specialist_of("9.999001", parse_local("2025-08-26 09:00"), "Trần Văn Tiếp Tục", code, &d);
	/* asked a few seconds into 11:00: the minute the papers show counts, not the second */
	C.now = parse_local("2025-08-26 11:00") + 42;
	assert_int_equal(dossier_supplement(&C, code, "Thiếu bản sao", &d, &e), 0);
	assert_int_equal(d.remaining, 270);
	as("clerk1");
	C.now = parse_local("2025-08-29 16:00");
	assert_int_equal(dossier_resume(&C, code, 0, &d, &e), 0);
	assert_due(d.due_at, "2025-09-03 11:00");
	/* the committed date moves by the same pause: not a minute short of the appointment
	 * (timeliness counts against it) */
	assert_due(d.orig_due_at, "2025-09-03 11:00");
}

/* The apology letter and new appointment (Decree 61/2018 Art. 19(9), repeated after
 * Decree 118/2025): at the latest the day before the appointment, once, on a working
 * day; the dossier stays late against its first appointment.
 * Received Mon 03/03/2025 10:00, 9 days: 330 Mon, 04..13/03 (8 days, 4170), 150 Fri
 * 14/03 -> 2025-03-14 10:00. */
static void test_extension(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char code[CODE_LEN];
	to_specialist(parse_local("2025-03-03 10:00"), "Lê Thị Gia Hạn", code, &d);
	assert_due(d.due_at, "2025-03-14 10:00");
	/* on the due day itself: too late for an apology letter */
	C.now = parse_local("2025-03-14 08:00");
	assert_int_equal(dossier_extend(&C, code, parse_local("2025-03-19 17:00"), "Cần xác minh", &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "Art. 19(9)"));
	/* the day before: allowed; a Saturday (15/03) is refused */
	C.now = parse_local("2025-03-13 16:00");
	assert_int_equal(dossier_extend(&C, code, parse_local("2025-03-15 17:00"), "Cần xác minh", &d, &e), MC_INVALID);
	assert_int_equal(dossier_extend(&C, code, parse_local("2025-03-19 17:00"), "Cần xác minh thực tế", &d, &e), 0);
	as("leader1");
	assert_int_equal(dossier_extend_issue(&C, code, &d, &e), 0);
	assert_int_equal(d.apology, 1);
	assert_due(d.due_at, "2025-03-19 17:00");
	assert_due(d.orig_due_at, "2025-03-14 10:00");
	/* once only */
	as("spec_tm1");
	C.now = parse_local("2025-03-17 09:00");
	assert_int_equal(dossier_extend(&C, code, parse_local("2025-03-21 17:00"), "Lần nữa", &d, &e), MC_STATE);
	/* judged against the first appointment: overdue after 14/03 10:00, even before the
	 * new one; a result on 18/03 is late (with apology) */
	assert_int_equal(core_timeliness(&C, &d), TL_OVERDUE);
	assert_int_equal(cal_timeliness(d.orig_due_at, parse_local("2025-03-18 15:00"), 0), TL_LATE);
}

/* An online dossier (Decree 118/2025 Art. 17(2)): its time starts when the one-stop
 * accepts it, not when it was filed.  Filed Sunday 27/04/2025 20:00, accepted Mon 28/04
 * 08:00, 8 days online (3840): 450 Mon, 480 Tue 29 (930), 30/04-04/05 off (02/05 swapped
 * for Sat 26/04, CV 8726), Mon 05 (1410), 06 (1890), 07 (2370), 08 (2850), 09 (3330),
 * Mon 12 (3810), 30 Tue 13/05 -> 08:00 */
static void test_online(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, "1.001037", &p), 0);
	struct receive_req r = {.procedure = "1.001037", .name = "Phạm Văn Trực Tuyến", .idno = "022123456789",
				.channel = CH_ONLINE, .pending = 1, .components = (1u << p.ncomponents) - 1};
	as("clerk1");
	C.now = parse_local("2025-04-27 20:00");
	if (dossier_receive(&C, &r, &d, &e))
		fail_msg("receive: %s", e.msg);
	char code[CODE_LEN];
	snprintf(code, sizeof code, "%s", d.code);
	C.now = parse_local("2025-04-28 08:00");
	assert_int_equal(dossier_accept(&C, code, &d, &e), 0);
	assert_due(d.due_at, "2025-05-13 08:00");
}

/* Liên thông: each participating agency's part has its own limit, counted in working
 * days from when its part opens (Decree 61/2018 Art. 19, kept by Decree 118/2025:
 * "Phiếu chuyển xử lý" with each agency's task and deadline; electronic dossiers go to
 * all agencies at once).  1.001074 received Fri 29/08/2025 10:00 and opened in parallel
 * at 10:10: the district's 2 days = 320 Fri, 2/9 break (30/08-02/09), 480 Wed 03/09
 * (800), 160 Thu 04/09 -> 10:10; the commune's 1 day = 320 Fri, 160 Wed 03/09 -> 10:10.
 * A part handed back an hour after its deadline is 60 working minutes late. */
#define LT_DIS "000.00.31.H45"
#define LT_COM "000.31.29.H45"
#define LT_DEP "000.00.17.H45"
static void test_lienthong_parts(void **state)
{
	(void)state;
	struct err e = {0};
	C.is_root = 1;
	assert_int_equal(lt_agency_set(&C, "1.001074", LT_DEP, "Thẩm định", 5, 0, 1, 1, &e), 0);
	assert_int_equal(lt_agency_set(&C, "1.001074", LT_DIS, "Xác nhận của huyện", 2, 1, 0, 1, &e), 0);
	assert_int_equal(lt_agency_set(&C, "1.001074", LT_COM, "Xác nhận của xã", 1, 2, 0, 1, &e), 0);
	C.is_root = 0;
	struct dossier d;
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, "1.001074", &p), 0);
	struct receive_req r = {.procedure = "1.001074", .name = "Đỗ Văn Liên Thông", .idno = "022123456789",
				.components = (1u << p.ncomponents) - 1};
	as("clerk1");
	C.now = parse_local("2025-08-29 10:00");
	if (dossier_receive(&C, &r, &d, &e))
		fail_msg("receive: %s", e.msg);
	char code[CODE_LEN];
	snprintf(code, sizeof code, "%s", d.code);
	assert_int_equal(dossier_transfer(&C, code, "TM", &d, &e), 0);
	as("head_tm");
	C.now = parse_local("2025-08-29 10:10");
	if (lt_open(&C, code, "parallel", &d, &e))
		fail_msg("lt_open: %s", e.msg);
	struct lt_parts ps;
	assert_int_equal(lt_parts_of(&C, code, &ps, &e), 0);
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.p[0].agency, LT_DIS);
	assert_due(ps.p[0].due_at, "2025-09-04 10:10");
	assert_string_equal(ps.p[1].agency, LT_COM);
	assert_due(ps.p[1].due_at, "2025-09-03 10:10");
	struct lt_part back = ps.p[1];
	back.state = LT_BACK;
	back.returned_at = parse_local("2025-09-03 10:10");
	assert_int_equal(lt_part_late(&C, &back, back.returned_at), 0);
	back.returned_at = parse_local("2025-09-03 11:10");
	assert_int_equal(lt_part_late(&C, &back, back.returned_at), 60);
	/* still out on the holiday 01/09: not late, its deadline is after the break */
	assert_int_equal(lt_part_late(&C, &ps.p[0], parse_local("2025-09-01 16:00")), 0);
}

/* What "overdue" means for reporting (form II.06a, LAW.md §3.1; the 766 engine, §4.3:
 * on time = end <= appointment; a dossier still open is judged at the end of the
 * period).  Period: October 2025, [01/10, 01/11).  1.001037 (9 days) received Mon 20/10
 * 10:00: 330 Mon, 21-24 and 27-30/10 (8 days, 4170), 150 Fri 31/10 -> 10:00, the last
 * day of the period.  Signed 31/10 09:59: on time (đúng hạn); signed 31/10 10:01: late
 * (quá hạn); still open at the end of the period: overdue.  Received Tue 21/10 10:00:
 * due Mon 03/11 10:00, after the period: in progress within time (trong hạn).  Signed
 * Thu 30/10: early (trước hạn). */
static void propose_as_tm(const char *code, int64_t t)
{
	struct err e = {0};
	struct dossier d;
	as("spec_tm1");
	C.now = t;
	if (dossier_propose(&C, code, DEC_APPROVE, "Đủ điều kiện", &d, &e))
		fail_msg("propose: %s", e.msg);
}

static void sign_at(const char *code, int64_t t)
{
	struct err e = {0};
	as("leader1");
	C.now = t;
	if (dossier_sign(&C, code, NULL, NULL, &e))
		fail_msg("sign: %s", e.msg);
}

static void test_report_due_day(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char on[CODE_LEN], late[CODE_LEN], open[CODE_LEN], within[CODE_LEN], early[CODE_LEN];
	/* a store of its own: the other cases' open dossiers would be carried over */
	core_close(&C);
	fixture_open("report");
	assert_int_equal(store_exec_embedded(C.st, "demo/catalog.sql", &e), 0);
	assert_int_equal(core_reload(&C, &e), 0);
	to_specialist(parse_local("2025-10-20 10:00"), "Đúng Hạn", on, &d);
	assert_due(d.due_at, "2025-10-31 10:00");
	to_specialist(parse_local("2025-10-20 10:00"), "Quá Hạn", late, &d);
	to_specialist(parse_local("2025-10-20 10:00"), "Còn Mở", open, &d);
	to_specialist(parse_local("2025-10-20 10:00"), "Trước Hạn", early, &d);
	to_specialist(parse_local("2025-10-21 10:00"), "Trong Hạn", within, &d);
	assert_due(d.due_at, "2025-11-03 10:00");
	propose_as_tm(on, parse_local("2025-10-30 09:00"));
	propose_as_tm(late, parse_local("2025-10-30 09:00"));
	propose_as_tm(early, parse_local("2025-10-30 09:00"));
	sign_at(early, parse_local("2025-10-30 15:00"));
	sign_at(on, parse_local("2025-10-31 09:59"));
	sign_at(late, parse_local("2025-10-31 10:01"));
	/* the report is read a week later: open dossiers are judged at the period's end */
	as("leader1");
	C.now = parse_local("2025-11-07 09:00");
	struct report r = {0};
	if (report_stats(&C, parse_local("2025-10-01 00:00"), parse_local("2025-11-01 00:00"), REP_BY_LEVEL, NULL, &r, &e))
		fail_msg("report: %s", e.msg);
	long *v = r.total.v;
	assert_int_equal(v[RC_EARLY], 1);
	assert_int_equal(v[RC_ON_TIME], 1);
	assert_int_equal(v[RC_LATE], 1);
	assert_int_equal(v[RC_OVERDUE], 1);
	assert_int_equal(v[RC_NOT_DUE], 1);
	report_free(&r);
	(void)open;
	(void)within;
}

/* The 2018 and the 2025 model around 1 July 2025 (Decree 118/2025 in force 01/07/2025;
 * Circular 01/2018 forms before, Circular 03/2025 forms from then): the forms follow the
 * reception instant, the deadline arithmetic does not change (cases 33 and 34). */
static void test_reform_day(void **state)
{
	(void)state;
	int64_t reform = forms_reform_instant();
	assert_due(reform, "2025-07-01 00:00");
	int64_t before = parse_local("2025-06-30 23:59"), after = parse_local("2025-07-01 00:00");
	assert_true(before < reform && after >= reform);
	/* 2018: control sheet 05, register 06, no stop notice; 2025: 06, 07, 05 */
	assert_string_equal(forms_number("CONTROL_SHEET", 0), "05");
	assert_string_equal(forms_number("REGISTER", 0), "06");
	assert_null(forms_number("STOP_NOTICE", 0));
	assert_string_equal(forms_number("CONTROL_SHEET", 1), "06");
	assert_string_equal(forms_number("REGISTER", 1), "07");
	assert_string_equal(forms_number("STOP_NOTICE", 1), "05");
	assert_string_equal(forms_number("APOLOGY_EXTENSION", 0), "04");
	assert_string_equal(forms_number("APOLOGY_EXTENSION", 1), "04");
}

/* ----------------------------------------------- the announced calendar, day by day */

/* Every weekday off and every working Saturday of the announced schedules 2019-2026, as
 * the announcements give them (the instruments are named per year in the header and in
 * db/calendar/vn-official-holidays.csv).  A day not listed is off on Saturday and Sunday
 * and a working day from Monday to Friday. */
static const char *const announced_off[] = {
	/* 2019: CV 6519/VPCP-KGVX, TB 3238/TB-LĐTBXH (31/12/2018 swapped for Sat 05/01) */
	"2018-12-31", "2019-01-01", "2019-02-04", "2019-02-05", "2019-02-06", "2019-02-07", "2019-02-08",
	"2019-04-15", "2019-04-29", "2019-04-30", "2019-05-01", "2019-09-02",
	/* 2020: CV 9087/VPCP-KGVX */
	"2020-01-01", "2020-01-23", "2020-01-24", "2020-01-27", "2020-01-28", "2020-01-29", "2020-04-02",
	"2020-04-30", "2020-05-01", "2020-09-02",
	/* 2021: CV 9895/VPCP-KGVX, TB 4875/TB-LĐTBXH */
	"2021-01-01", "2021-02-10", "2021-02-11", "2021-02-12", "2021-02-15", "2021-02-16", "2021-04-21",
	"2021-04-30", "2021-05-03", "2021-09-02", "2021-09-03",
	/* 2022: CV 245/VPCP-KGVX */
	"2022-01-03", "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04", "2022-04-11",
	"2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02",
	/* 2023: TB 5034/TB-LĐTBXH */
	"2023-01-02", "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-05-01",
	"2023-05-02", "2023-05-03", "2023-09-01", "2023-09-04",
	/* 2024: CV 8662/VPCP-KGVX, TB 5015/TB-LĐTBXH, CV 2450/VPCP-KGVX, TB 1570/TB-BLĐTBXH */
	"2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14", "2024-04-18",
	"2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03",
	/* 2025: CV 8726/VPCP-KGVX, TB 6150/TB-BLĐTBXH */
	"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07",
	"2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
	/* 2026: CV 12729/VPCP-KGVX, CV 9859/VPCP-KGVX, TB 9441/TB-BNV; BLLĐ Art. 111(3) */
	"2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
	"2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02",
};
static const char *const announced_work[] = {
	"2019-01-05", "2019-05-04", "2024-05-04", "2025-04-26", "2026-01-10", "2026-08-22",
};

static int listed(const char *const *list, size_t n, int32_t day)
{
	for (size_t i = 0; i < n; i++)
		if (cal_day_of(parse_local(list[i])) == day)
			return 1;
	return 0;
}

static int expected_working(int32_t day)
{
	if (listed(announced_off, sizeof announced_off / sizeof *announced_off, day))
		return 0;
	if (listed(announced_work, sizeof announced_work / sizeof *announced_work, day))
		return 1;
	int w = cal_weekday(day);
	return w >= 1 && w <= 5;
}

/* the store's calendar (the shipped file applied when the store was opened) and the
 * shipped file itself, parsed, against the announcements for every day of 2019-2026 */
static void test_announced_days(void **state)
{
	(void)state;
	/* the counts of the transcription match the announcements' (NOTES per year) */
	assert_int_equal(sizeof announced_off / sizeof *announced_off, 12 + 10 + 11 + 11 + 11 + 12 + 12 + 13);
	const struct embedded *f = embedded_find(HOLIDAYS_SHIPPED);
	assert_non_null(f);
	struct cal_day_row *rows;
	int n;
	struct err e = {0};
	assert_int_equal(holidays_parse(f->text, f->len, "shipped", &rows, &n, &e), 0);
	struct calendar shipped;
	cal_init_default(&shipped);
	struct cal_holiday *h = calloc((size_t)n, sizeof *h);
	assert_non_null(h);
	for (int i = 0; i < n; i++) {
		h[i].day = rows[i].day;
		h[i].kind = rows[i].kind;
	}
	shipped.days = h;
	shipped.ndays = n; /* rows come sorted by day */
	int bad = 0;
	for (int32_t day = cal_day_from_ymd(2018, 12, 31); day <= cal_day_from_ymd(2026, 12, 31); day++) {
		int want = expected_working(day);
		char b[32];
		cal_format(cal_instant(day, 0), 0, b, sizeof b);
		if (cal_is_working_day(&shipped, day) != want) {
			print_error("shipped file: %s should be %s\n", b, want ? "a working day" : "a day off");
			bad++;
		}
		if (cal_is_working_day(&C.cal, day) != want) {
			print_error("store calendar: %s should be %s\n", b, want ? "a working day" : "a day off");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	/* every year 2019-2026 is announced in the store, none provisional */
	for (int y = 2019; y <= 2026; y++)
		assert_int_equal(cal_year_state(&C.cal, y), CAL_YEAR_ANNOUNCED);
	/* 2018-12-31 belongs to the 2019 schedule */
	for (int i = 0; i < n; i++)
		if (rows[i].day == cal_day_from_ymd(2018, 12, 31))
			assert_int_equal(rows[i].year, 2019);
	free(h);
	free(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appointments),
		cmocka_unit_test(test_timeliness),
		cmocka_unit_test(test_supplement_resume),
		cmocka_unit_test(test_supplement_restart),
		cmocka_unit_test(test_supplement_restart_cutoff),
		cmocka_unit_test(test_supplement_resume_cutoff),
		cmocka_unit_test(test_extension),
		cmocka_unit_test(test_online),
		cmocka_unit_test(test_lienthong_parts),
		cmocka_unit_test(test_report_due_day),
		cmocka_unit_test(test_reform_day),
		cmocka_unit_test(test_announced_days),
	};
	return cmocka_run_group_tests_name("deadline_law", tests, setup, fixture_teardown);
}
