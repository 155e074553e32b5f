/* test_dossier.c - the lifecycle core on a real temporary store: every path,
 * deadlines across holidays, supplement pause in both modes, extension with
 * apology, stale-version conflicts, bad input that must write nothing, and the
 * bulk load the demo uses (same rows, all-or-nothing, unfinished stores refused). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit.h"
#include "dossier.h"
#include "event.h"
#include "fixture.h"
#include "store_sync.h"

static void as(const char *account) { fixture_as(account); }

static int setup(void **state)
{
	(void)state;
	fixture_setup("unit");
	struct err e = {0};
	struct cal_holiday h[40];
	int n = cal_generate_holidays(2024, h, 40);
	for (int i = 0; i < n; i++) {
		char day[16];
		cal_format(cal_instant(h[i].day, 0), 0, day, sizeof day);
		assert_int_equal(store_holiday_put(C.st, day, h[i].name, "off", &e), 0);
	}
	assert_int_equal(core_reload(&C, &e), 0);
	return 0;
}

static int count_events(void)
{
	/* number of events via the chain of every dossier is awkward; use the count of a
	 * known dossier's history instead where needed.  Here: total dossiers. */
	return (int)store_dossier_count(C.st);
}

static void receive(const char *proc, const char *name, struct dossier *d, int64_t when)
{
	struct err e = {0};
	as("clerk1");
	C.now = when;
	struct receive_req r = {.procedure = proc, .name = name, .idno = "022123456789", .phone = "0912345678",
				.components = 0xffff & ((1u << 5) - 1)};
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, proc, &p), 0);
	r.components = (1u << p.ncomponents) - 1;
	int rc = dossier_receive(&C, &r, d, &e);
	if (rc)
		fail_msg("receive: %s", e.msg);
}

static const char *first_proc(void)
{
	static struct procedure p;
	assert_int_equal(store_procedure_get(C.st, 1, &p), 0);
	return p.code;
}

static void full_path(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	int64_t t0 = at(2024, 3, 11, 9, 0); /* a Monday */
	receive(first_proc(), "Nguyễn Văn Đức", &d, t0);
	assert_int_equal(d.status, ST_ACCEPTED);
	assert_non_null(strstr(d.code, "000.00.17.H45-240311-"));
	struct procedure p;
	store_procedure_get(C.st, d.procedure_id, &p);
	assert_int_equal(d.due_at, cal_add_working(&C.cal, t0, (int64_t)p.committed_direct * 480));
	char code[CODE_LEN];
	snprintf(code, sizeof code, "%s", d.code);
	C.now = t0 + 3600;
	assert_int_equal(dossier_transfer(&C, code, NULL, &d, &e), 0);
	assert_int_equal(d.stage, SG_DEPT);
	as("head_tm");
	/* a specialist of another department cannot be assigned */
	assert_int_equal(dossier_assign(&C, code, "spec_nl1", &d, &e), MC_INVALID);
	if (d.dept_id == 1) {
		assert_int_equal(dossier_assign(&C, code, "spec_tm1", &d, &e), 0);
	} else {
		as(d.dept_id == 2 ? "head_nl" : d.dept_id == 3 ? "head_at" : "head_cn");
		assert_int_equal(dossier_assign(&C, code, d.dept_id == 2 ? "spec_nl1" : d.dept_id == 3 ? "spec_at1" : "spec_cn1", &d, &e), 0);
	}
	assert_int_equal(d.stage, SG_PROCESSING);
	struct user u;
	store_user_get(C.st, d.assignee_id, &u);
	as(u.account);
	C.now += 7200;
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "Đủ điều kiện", &d, &e), 0);
	assert_int_equal(d.stage, SG_SIGNING);
	as("leader1");
	C.now += 600;
	assert_int_equal(dossier_send_back(&C, code, "Bổ sung căn cứ", &d, &e), 0);
	assert_int_equal(d.stage, SG_PROCESSING);
	as(u.account);
	C.now += 600;
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "", &d, &e), 0);
	as("leader1");
	C.now += 600;
	assert_int_equal(dossier_sign(&C, code, NULL, &d, &e), 0);
	assert_int_equal(d.status, ST_RESOLVED);
	assert_int_equal(core_timeliness(&C, &d), TL_EARLY);
	as("clerk2");
	C.now += 600;
	assert_int_equal(dossier_return(&C, code, "Nguyễn Văn Đức", 6, &d, &e), MC_INVALID);
	assert_int_equal(dossier_return(&C, code, "Nguyễn Văn Đức", -1, &d, &e), MC_INVALID);
	assert_int_equal(dossier_return(&C, code, "Nguyễn Văn Đức", 5, &d, &e), 0);
	assert_int_equal(d.status, ST_RETURNED);
	assert_int_equal(d.version, 8);
	/* a step that is not allowed any more names the status and who changed it */
	assert_int_equal(dossier_return(&C, code, "X", 5, &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "clerk2"));
	/* the projection equals a replay of the events */
	struct dossier before, after;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	store_dossier_get(C.st, code, &before);
	assert_int_equal(store_begin(C.st, &e), 0);
	assert_int_equal(dossier_rebuild(&C, code, &e), 0);
	assert_int_equal(store_commit(C.st, &e), 0);
	store_dossier_get(C.st, code, &after);
	assert_memory_equal(&before, &after, sizeof before);
}

static void supplement_modes(void **state)
{
	(void)state;
	struct err e = {0};
	for (int mode = 0; mode < 2; mode++) {
		C.supplement_restart = mode;
		struct dossier d;
		int64_t t0 = at(2024, 3, 4, 7, 30); /* Monday 07:30 */
		receive("1.001037", mode ? "Trần Thị B" : "Trần Thị A", &d, t0);
		char code[CODE_LEN];
		snprintf(code, sizeof code, "%s", d.code);
		struct procedure p;
		store_procedure_get(C.st, d.procedure_id, &p);
		int64_t full = (int64_t)p.committed_direct * 480;
		C.now = t0 + 600;
		assert_int_equal(dossier_transfer(&C, code, "TM", &d, &e), 0);
		as("head_tm");
		assert_int_equal(dossier_assign(&C, code, "spec_tm1", &d, &e), 0);
		as("spec_tm1");
		C.now = at(2024, 3, 5, 8, 30); /* Tuesday: 1 working day + 60 min used */
		int64_t used = cal_working_between(&C.cal, t0, C.now);
		assert_int_equal(used, 480 + 60);
		assert_int_equal(dossier_supplement(&C, code, "Thiếu bản vẽ", &d, &e), 0);
		assert_int_equal(d.status, ST_SUPPLEMENT);
		/* paused: not overdue however long it waits */
		C.now = at(2024, 6, 3, 9, 0);
		assert_int_not_equal(core_timeliness(&C, &d), TL_OVERDUE);
		as("clerk1");
		assert_int_equal(dossier_resume(&C, code, 0, &d, &e), 0);
		assert_int_equal(d.stage, SG_PROCESSING);
		/* received at the opening on Monday: due at the opening of the last day (the
		 * reception's minute, calendar.h), so Monday's 480 and Tuesday's 60 minutes
		 * were used */
		int64_t want = cal_next_working(&C.cal, cal_add_working(&C.cal, C.now, mode ? full : full - used));
		assert_int_equal(d.due_at, want);
		assert_int_equal(d.orig_due_at, want);
	}
	C.supplement_restart = 0;
}

static void tet_and_april_deadlines(void **state)
{
	(void)state;
	struct dossier d;
	/* received Wed 2024-02-07 09:00, 5 working days: 7, 8 Feb then Tet 9-15 Feb off,
	 * so 16, 19, 20 Feb -> Tue 2024-02-20... computed from the calendar */
	receive("1.001037", "Lê Văn C", &d, at(2024, 2, 7, 9, 0));
	int y, m, dd;
	cal_ymd_from_day(cal_day_of(d.due_at), &y, &m, &dd);
	struct procedure p;
	store_procedure_get(C.st, d.procedure_id, &p);
	/* no due date may fall on a holiday or a weekend */
	assert_true(cal_is_working_day(&C.cal, cal_day_of(d.due_at)));
	assert_true(d.due_at > at(2024, 2, 15, 17, 0));
	/* after-hours receipt counts from the next working morning */
	receive("1.001037", "Lê Văn D", &d, at(2024, 4, 26, 18, 30)); /* Friday evening */
	assert_int_equal(d.due_at, cal_add_working(&C.cal, at(2024, 4, 29, 7, 30), (int64_t)p.committed_direct * 480));
}

static void extend_and_conflict(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	receive("1.001037", "Phạm Thị E", &d, at(2024, 3, 18, 10, 0));
	char code[CODE_LEN];
	snprintf(code, sizeof code, "%s", d.code);
	assert_int_equal(dossier_transfer(&C, code, "TM", &d, &e), 0);
	as("head_tm");
	assert_int_equal(dossier_assign(&C, code, "spec_tm2", &d, &e), 0);
	int64_t due = d.due_at;
	/* extend: must be later and on a working day */
	assert_int_equal(dossier_extend(&C, code, due - 60, "x", &d, &e), MC_INVALID);
	int64_t sat = cal_instant(cal_day_from_ymd(2024, 6, 1), 600);
	assert_int_equal(dossier_extend(&C, code, sat, "Cần xác minh", &d, &e), MC_INVALID);
	int64_t newdue = cal_add_working(&C.cal, due, 480 * 3);
	/* the leader issues only what was proposed */
	as("leader1");
	assert_int_equal(dossier_extend_issue(&C, code, &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "proposes"));
	as("head_tm");
	assert_int_equal(dossier_extend(&C, code, newdue, "Cần xác minh thực tế", &d, &e), 0);
	assert_int_equal(d.apology, 0);
	assert_int_equal(d.due_at, due); /* proposed, not issued yet */
	as("spec_tm2");
	assert_int_equal(dossier_extend_issue(&C, code, &d, &e), MC_DENIED); /* a leader's step */
	as("leader1");
	assert_int_equal(dossier_extend_issue(&C, code, &d, &e), 0);
	assert_int_equal(d.apology, 1);
	assert_int_equal(d.due_at, newdue);
	assert_int_equal(d.orig_due_at, due);
	/* at most once (Decree 61/2018 Art. 19(9)) */
	as("head_tm");
	assert_int_equal(dossier_extend(&C, code, cal_add_working(&C.cal, newdue, 480), "Lần nữa", &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "only once"));
	assert_non_null(strstr(e.msg, "Art. 19(9)"));
	/* a stale view: someone changed it since version v */
	int v = d.version;
	as("head_tm");
	assert_int_equal(dossier_assign(&C, code, "spec_tm1", &d, &e), 0);
	C.expect_version = v;
	as("spec_tm1");
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "", &d, &e), MC_CONFLICT);
	assert_non_null(strstr(e.msg, "head_tm"));
	C.expect_version = 0;
	/* scope: the specialist it was taken from may no longer propose */
	as("spec_tm2");
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "", &d, &e), MC_DENIED);
}

/* a dossier of 1.001037 transferred to TM and assigned to spec_tm1 at `when` */
static void to_specialist(const char *name, int64_t when, char *code)
{
	struct dossier d;
	struct err e = {0};
	receive("1.001037", name, &d, when);
	snprintf(code, CODE_LEN, "%s", d.code);
	assert_int_equal(dossier_transfer(&C, code, "TM", &d, &e), 0);
	as("head_tm");
	assert_int_equal(dossier_assign(&C, code, "spec_tm1", &d, &e), 0);
	as("spec_tm1");
}

/* Decree 118/2025 Art. 11: one supplement while processing, always with a reason; the
 * setting supplement.limit relaxes it */
static void supplement_once(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char code[CODE_LEN];
	to_specialist("Võ Văn Một", at(2024, 4, 1, 9, 0), code);
	C.now = at(2024, 4, 1, 10, 0);
	assert_int_equal(dossier_supplement(&C, code, "", &d, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "must state"));
	assert_int_equal(dossier_supplement(&C, code, "Thiếu bản vẽ", &d, &e), 0);
	as("clerk1");
	C.now = at(2024, 4, 2, 9, 0);
	assert_int_equal(dossier_resume(&C, code, 0, &d, &e), 0);
	as("spec_tm1");
	int v = d.version;
	assert_int_equal(dossier_supplement(&C, code, "Thiếu thêm giấy tờ", &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "only once"));
	assert_non_null(strstr(e.msg, "Decree 118/2025/NĐ-CP Art. 11"));
	assert_int_equal(store_dossier_get(C.st, code, &d), 0);
	assert_int_equal(d.version, v); /* nothing written */
	/* a province whose rules differ: two, or no limit */
	assert_int_equal(store_setting_set(C.st, "supplement.limit", "2", &e), 0);
	assert_int_equal(core_reload(&C, &e), 0);
	assert_int_equal(C.supplement_limit, 2);
	assert_int_equal(dossier_supplement(&C, code, "Thiếu thêm giấy tờ", &d, &e), 0);
	as("clerk1");
	assert_int_equal(dossier_resume(&C, code, 0, &d, &e), 0);
	as("spec_tm1");
	assert_int_equal(dossier_supplement(&C, code, "Lần ba", &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "supplement.limit"));
	assert_int_equal(store_setting_set(C.st, "supplement.limit", "0", &e), 0);
	assert_int_equal(core_reload(&C, &e), 0);
	assert_int_equal(dossier_supplement(&C, code, "Lần ba", &d, &e), 0);
	assert_int_equal(store_setting_set(C.st, "supplement.limit", "1", &e), 0);
	assert_int_equal(core_reload(&C, &e), 0);
	/* an intake supplement does not count: one more while processing is allowed */
	struct receive_req r = {.procedure = "1.001037", .name = "Võ Văn Hai", .idno = "022123456789",
				.outcome = OUT_SUPPLEMENT, .reason = "Thiếu giấy tờ"};
	struct procedure p;
	store_procedure_by_code(C.st, "1.001037", &p);
	as("clerk1");
	C.now = at(2024, 4, 3, 9, 0);
	assert_int_equal(dossier_receive(&C, &r, &d, &e), 0);
	snprintf(code, sizeof code, "%s", d.code);
	assert_int_equal(dossier_resume(&C, code, (1u << p.ncomponents) - 1, &d, &e), 0);
	assert_int_equal(dossier_transfer(&C, code, "TM", &d, &e), 0);
	as("head_tm");
	assert_int_equal(dossier_assign(&C, code, "spec_tm1", &d, &e), 0);
	as("spec_tm1");
	assert_int_equal(dossier_supplement(&C, code, "Thiếu bản vẽ", &d, &e), 0);
}

/* an extension is issued at the latest the day before the appointment */
static void extend_too_late(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char code[CODE_LEN];
	to_specialist("Võ Văn Ba", at(2024, 4, 8, 9, 0), code);
	assert_int_equal(store_dossier_get(C.st, code, &d), 0);
	int64_t due = d.due_at;
	C.now = cal_instant(cal_day_of(due), 8 * 60); /* the appointment's morning */
	assert_int_equal(dossier_extend(&C, code, cal_add_working(&C.cal, due, 960), "Cần xác minh", &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "the day before the appointment"));
	C.now = cal_instant(cal_day_of(due) - 1, 16 * 60); /* the day before */
	assert_int_equal(dossier_extend(&C, code, cal_add_working(&C.cal, due, 960), "Cần xác minh", &d, &e), 0);
	as("leader1");
	C.now = cal_instant(cal_day_of(due), 8 * 60); /* issued only on the day: too late */
	assert_int_equal(dossier_extend_issue(&C, code, &d, &e), MC_STATE);
	assert_non_null(strstr(e.msg, "Art. 19(9)"));
}

/* refused after processing: resolved with a negative result, 4 -> 9 -> 10, never 3 */
static void refused_after_processing(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	char code[CODE_LEN];
	to_specialist("Võ Văn Bốn", at(2024, 4, 15, 9, 0), code);
	C.now = at(2024, 4, 15, 10, 0);
	assert_int_equal(dossier_propose(&C, code, DEC_REFUSE, "", &d, &e), MC_INVALID); /* reasons required */
	assert_int_equal(dossier_propose(&C, code, DEC_REFUSE, "Không đủ điều kiện", &d, &e), 0);
	assert_int_equal(d.status, ST_IN_PROGRESS);
	as("leader1");
	assert_int_equal(dossier_sign(&C, code, NULL, &d, &e), 0);
	assert_int_equal(d.status, ST_RESOLVED);
	assert_int_equal(d.stage, SG_RESULT);
	assert_int_equal(d.decision, DEC_REFUSE);
	assert_true(d.resolved_at > 0);
	as("clerk1");
	assert_int_equal(dossier_refuse(&C, code, "x", &d, &e), MC_STATE); /* not an intake refusal */
	assert_int_equal(dossier_return(&C, code, "Võ Văn Bốn", 3, &d, &e), 0);
	assert_int_equal(d.status, ST_RETURNED);
	assert_int_equal(audit_projection(&C, code, &e), 0);
}

/* accepted after an intake supplement only with every required component */
static void intake_components(void **state)
{
	(void)state;
	struct dossier d;
	struct err e = {0};
	struct procedure p;
	assert_int_equal(store_procedure_by_code(C.st, "1.001037", &p), 0);
	int req = 0;
	for (int i = 0; i < p.ncomponents; i++)
		req += p.components[i].required;
	assert_true(req >= 2);
	uint32_t all = (1u << p.ncomponents) - 1;
	as("clerk1");
	C.now = at(2024, 4, 22, 9, 0);
	struct receive_req r = {.procedure = "1.001037", .name = "Võ Văn Năm", .idno = "022123456789",
				.components = 1, .outcome = OUT_SUPPLEMENT, .reason = "Thiếu giấy tờ"};
	assert_int_equal(dossier_receive(&C, &r, &d, &e), 0);
	char code[CODE_LEN];
	snprintf(code, sizeof code, "%s", d.code);
	C.now = at(2024, 4, 23, 9, 0);
	assert_int_equal(dossier_resume(&C, code, 0, &d, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "still missing"));
	assert_int_equal(dossier_resume(&C, code, 1u << 30, &d, &e), MC_INVALID);
	assert_int_equal(store_dossier_get(C.st, code, &d), 0);
	assert_int_equal(d.stage, SG_INTAKE_SUPPL);
	assert_int_equal(dossier_resume(&C, code, all & ~1u, &d, &e), 0);
	assert_int_equal(d.stage, SG_ACCEPTED);
	assert_int_equal(d.components, all);
	assert_int_equal(audit_projection(&C, code, &e), 0);
}

static void bad_input_writes_nothing(void **state)
{
	(void)state;
	struct err e = {0};
	struct dossier d;
	as("clerk1");
	C.now = at(2024, 3, 20, 9, 0);
	int before = count_events();
	struct receive_req r = {.procedure = "1.001037", .name = "A", .idno = "123", .components = 0x3};
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_INVALID);
	assert_non_null(strstr(e.msg, "12 digits"));
	r.idno = "022123456789";
	r.name = "Bad\x1b]0;x\x07";
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_INVALID);
	r.name = "Bad \xc3\x28";
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_INVALID);
	char longname[1200];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	r.name = longname;
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_INVALID);
	r.name = "Ok";
	r.procedure = "9.999999";
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_NOTFOUND);
	r.procedure = "1.001037";
	r.components = 0; /* required components missing */
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_INVALID);
	as("head_tm");
	r.components = 0xff;
	assert_int_equal(dossier_receive(&C, &r, &d, &e), MC_DENIED);
	assert_non_null(strstr(e.msg, "clerk"));
	assert_int_equal(count_events(), before);
	/* the hash chain of a new dossier starts from zeros and links */
	as("clerk1");
	r.components = 0xff;
	struct procedure p;
	store_procedure_by_code(C.st, "1.001037", &p);
	r.components = (1u << p.ncomponents) - 1;
	assert_int_equal(dossier_receive(&C, &r, &d, &e), 0);
	struct event ev;
	assert_int_equal(store_event_last(C.st, d.code, &ev), 0);
	assert_false(ev.has_prev);
	assert_true(event_hash_ok(&ev));
	assert_int_equal(strlen(ev.id), 26);
	event_clear(&ev);
}

static int count_found(const struct dossier *d, void *ctx)
{
	(void)d;
	++*(int *)ctx;
	return 0;
}

static void bulk_load(void **state)
{
	(void)state;
	struct dossier d, row;
	struct err e = {0};
	char path[128];
	snprintf(path, sizeof path, "%s/s.db", dir);
	int64_t before = store_dossier_count(C.st), t0 = at(2024, 3, 12, 9, 0);
	assert_int_equal(dossier_bulk_begin(&C, &e), 0);
	/* a failed step fails its whole outer transaction: nothing of it is saved */
	assert_int_equal(store_begin(C.st, &e), 0);
	receive(first_proc(), "Lê Thị Bulk", &d, t0);
	assert_int_equal(dossier_transfer(&C, d.code, "NO-SUCH-DEPT", &d, &e), MC_NOTFOUND);
	assert_int_equal(store_commit(C.st, &e), MC_STORE);
	assert_int_equal(store_dossier_count(C.st), before);
	/* steps inside one transaction: the row is the projection of the events */
	assert_int_equal(store_begin(C.st, &e), 0);
	receive(first_proc(), "Lê Thị Bulk", &d, t0);
	as("clerk1");
	C.now = t0 + 600;
	assert_int_equal(dossier_transfer(&C, d.code, "TM", &d, &e), 0);
	assert_int_equal(store_commit(C.st, &e), 0);
	/* until the bulk load ends, the store is refused */
	struct core other;
	assert_int_equal(core_open(&other, path, 0, &e), MC_STORE);
	assert_non_null(strstr(e.msg, "unfinished"));
	assert_int_equal(dossier_bulk_end(&C, 1, &e), 0);
	assert_int_equal(core_open(&other, path, 0, &e), 0);
	core_close(&other);
	assert_int_equal(store_dossier_count(C.st), before + 1);
	assert_int_equal(store_dossier_get(C.st, d.code, &row), 0);
	assert_int_equal(row.version, 2);
	assert_int_equal(row.stage, SG_DEPT);
	assert_int_equal(audit_projection(&C, d.code, &e), 0); /* the row replays from its events */
	int found = 0;
	assert_int_equal(store_search(C.st, "bulk", 10, count_found, &found), 0);
	assert_int_equal(found, 1);
}

/* an event longer than central accepts (EVENT_PAYLOAD_MAX) is never written: the step
 * fails naming the size and the limit, and the dossier and its history stay as they
 * were; one at the limit is written */
static void oversize_payload(void **state)
{
	(void)state;
	struct dossier d, row;
	struct err e = {0};
	int64_t t0 = at(2024, 3, 13, 9, 0), top = 0;
	receive(first_proc(), "Trần Văn Dài", &d, t0);
	char code[CODE_LEN];
	snprintf(code, sizeof code, "%s", d.code);
	C.now = t0 + 600;
	assert_int_equal(dossier_transfer(&C, code, NULL, &d, &e), 0);
	const char *head = d.dept_id == 1 ? "head_tm" : d.dept_id == 2 ? "head_nl" : d.dept_id == 3 ? "head_at" : "head_cn";
	const char *spec = d.dept_id == 1 ? "spec_tm1" : d.dept_id == 2 ? "spec_nl1" : d.dept_id == 3 ? "spec_at1" : "spec_cn1";
	as(head);
	assert_int_equal(dossier_assign(&C, code, spec, &d, &e), 0);
	as(spec);
	assert_int_equal(dossier_propose(&C, code, DEC_APPROVE, "", &d, &e), 0);
	as("leader1");
	/* {"decision":"approve","x":"aaa..."}: 29 bytes besides the a's */
	size_t big = EVENT_PAYLOAD_MAX - 29 + 1;
	char *extra = malloc(big + 16);
	assert_non_null(extra);
	memcpy(extra, "{\"x\":\"", 6);
	memset(extra + 6, 'a', big);
	memcpy(extra + 6 + big, "\"}", 3);
	int64_t events = store_sync_pending_count(C.st, C.office.agency_code, 0, &top);
	assert_int_equal(dossier_sign(&C, code, extra, &d, &e), MC_INVALID);
	char want[160];
	snprintf(want, sizeof want, "would write %d bytes into its history, more than the %d bytes", EVENT_PAYLOAD_MAX + 1,
		 EVENT_PAYLOAD_MAX);
	if (!strstr(e.msg, want))
		fail_msg("message: %s", e.msg);
	assert_int_equal(store_sync_pending_count(C.st, C.office.agency_code, 0, &top), events);
	assert_int_equal(store_dossier_get(C.st, code, &row), 0);
	assert_int_equal(row.version, 4);
	assert_int_equal(row.stage, SG_SIGNING);
	/* at the limit it goes in */
	memcpy(extra + 6 + big - 1, "\"}", 3);
	assert_int_equal(dossier_sign(&C, code, extra, &d, &e), 0);
	assert_int_equal(d.version, 5);
	assert_int_equal(store_sync_pending_count(C.st, C.office.agency_code, 0, &top), events + 1);
	free(extra);
}

/* what the receive form reuses: the applicant's last dossier by ID number, the
 * office's most used procedures; and the settings an administrator changes in the UI */
static void receive_helpers(void **state)
{
	(void)state;
	struct dossier d, last;
	struct err e = {0};
	int64_t t0 = at(2024, 3, 12, 9, 0);
	receive(first_proc(), "Người Cũ", &d, t0);
	receive(first_proc(), "Người Mới Nhất", &d, t0 + 60);
	assert_int_equal(core_applicant_last(&C, "022123456789", &last), 0);
	assert_string_equal(last.applicant_name, "Người Mới Nhất");
	assert_string_equal(last.applicant_phone, "0912345678");
	assert_int_equal(core_applicant_last(&C, "022123456788", &last), MC_NOTFOUND);
	assert_int_equal(core_applicant_last(&C, "", &last), MC_NOTFOUND);
	char codes[4][32];
	int n = store_procedures_used(C.st, C.office.id, 2000, codes, 4);
	assert_true(n >= 1);
	assert_string_equal(codes[0], first_proc());
	as("clerk1");
	assert_int_equal(core_setting_put(&C, "printer", "may-in", &e), MC_DENIED);
	as("admin");
	assert_int_equal(core_setting_put(&C, "printer", "may-in", &e), 0);
	assert_int_equal(core_setting_put(&C, "printer", "-x", &e), MC_INVALID);
	assert_int_equal(core_setting_put(&C, "central.url", "http://x", &e), MC_INVALID);
	assert_int_equal(core_setting_put(&C, "central.url", "sqlite:/tmp/c.db", &e), 0);
	assert_int_equal(core_setting_put(&C, "office", "X", &e), MC_INVALID);
	char buf[64];
	assert_int_equal(store_setting_get(C.st, "printer", buf, sizeof buf), 0);
	assert_string_equal(buf, "may-in");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_path),
		cmocka_unit_test(supplement_modes),
		cmocka_unit_test(tet_and_april_deadlines),
		cmocka_unit_test(extend_and_conflict),
		cmocka_unit_test(supplement_once),
		cmocka_unit_test(extend_too_late),
		cmocka_unit_test(refused_after_processing),
		cmocka_unit_test(intake_components),
		cmocka_unit_test(bad_input_writes_nothing),
		cmocka_unit_test(bulk_load),
		cmocka_unit_test(receive_helpers),
		cmocka_unit_test(oversize_payload),
	};
	return cmocka_run_group_tests_name("dossier", tests, setup, fixture_teardown);
}
