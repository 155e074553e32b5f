/* demo.c - builds the demo store (see demo.h).
 *
 * Every dossier goes through the same core calls a clerk's would (dossier.h), with
 * the core clock set to each step's moment and the actor switched to the user of
 * that role, so the demo's events, hash chains and projections are real.  For speed
 * (a million dossiers for the benchmarks) the build is a bulk load (dossier_bulk_begin):
 * dossiers are committed 2,000 to a transaction, the steps inside take no savepoint
 * and write each dossier's row once, and nothing is synced before the end; a build
 * that does not finish leaves the store marked unfinished, and motcua refuses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "demo.h"
#include "holidays.h"
#include "dossier.h"
#include "sign.h"
#include "store.h"

struct rng { uint64_t s; };
static uint64_t next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}
static int pick(struct rng *r, int n) { return (int)(next(r) % (uint64_t)n); }
static double unit(struct rng *r) { return (double)(next(r) >> 11) / (double)(1ULL << 53); }

static const char *family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan", "Đinh"};
static const char *middle[] = {"Văn", "Thị", "Đức", "Minh", "Thanh", "Hoài", "Quốc", "Ngọc", "Thu", "Hữu"};
static const char *given[] = {"An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hương", "Khánh",
	"Lan", "Long", "Mai", "Nam", "Ngọc", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Yến", "Thương", "Tiến"};
static const char *company[] = {"Công ty TNHH Petro Bình Minh", "Công ty Cổ phần Xăng dầu Quảng Ninh", "Công ty TNHH Thương mại Hạ Long",
	"Công ty Cổ phần Than Cẩm Phả", "Công ty TNHH Gas Miền Bắc", "Hợp tác xã Chè Đường Hoa", "Công ty Cổ phần Điện lực Móng Cái",
	"Công ty TNHH Hóa chất Uông Bí", "Công ty TNHH Rượu Hoành Bồ", "Công ty Cổ phần Thương mại Vân Đồn"};
static const char *place[] = {"Hạ Long", "Cẩm Phả", "Uông Bí", "Móng Cái", "Quảng Yên", "Đông Triều", "Vân Đồn", "Tiên Yên"};

#define MAXU 32
struct demo {
	struct core *c;
	struct rng r;
	struct user clerks[MAXU], leaders[MAXU], heads[MAXU], specs[MAXU];
	int nclerk, nleader, nhead, nspec;
	struct { char code[32]; int64_t dept; uint32_t components; } procs[256];
	int nproc;
	int64_t now;
	int sign_real;        /* recent dossiers carry real digital signatures */
	struct err *e;
};

static int collect_user(const struct user *u, void *ctx)
{
	struct demo *d = ctx;
	if (u->office_id != d->c->office.id)
		return 0;
	if ((u->roles & ROLE_CLERK) && d->nclerk < MAXU) d->clerks[d->nclerk++] = *u;
	if ((u->roles & ROLE_LEADER) && d->nleader < MAXU) d->leaders[d->nleader++] = *u;
	if ((u->roles & ROLE_HEAD) && d->nhead < MAXU) d->heads[d->nhead++] = *u;
	if ((u->roles & ROLE_SPECIALIST) && d->nspec < MAXU) d->specs[d->nspec++] = *u;
	return 0;
}

static int collect_proc(const struct procedure *p, void *ctx)
{
	struct demo *d = ctx;
	if (p->level == d->c->office.level && d->nproc < 256) {
		snprintf(d->procs[d->nproc].code, sizeof d->procs[0].code, "%s", p->code);
		d->procs[d->nproc++].dept = p->dept_id;
	}
	return 0;
}

static const struct user *head_of(struct demo *d, int64_t dept)
{
	for (int i = 0; i < d->nhead; i++)
		if (d->heads[i].dept_id == dept)
			return &d->heads[i];
	return NULL;
}

static const struct user *spec_of(struct demo *d, int64_t dept)
{
	int k = 0, idx[MAXU];
	for (int i = 0; i < d->nspec; i++)
		if (d->specs[i].dept_id == dept)
			idx[k++] = i;
	return k ? &d->specs[idx[pick(&d->r, k)]] : NULL;
}

/* advance t by working minutes and a random extra; 1 if that is past now */
static int later(struct demo *d, int64_t *t, int64_t minutes)
{
	int64_t n = cal_add_working(&d->c->cal, *t, minutes < 1 ? 1 : minutes);
	if (n <= *t)
		n = *t + 60;
	*t = n;
	return n > d->now;
}

static void as(struct demo *d, const struct user *u, int64_t t)
{
	d->c->actor = *u;
	d->c->now = t;
}

/* one dossier received at t0, walked as far as the clock allows */
static int one(struct demo *d, int64_t t0, int online_pending)
{
	struct core *c = d->c;
	struct rng *r = &d->r;
	int pi = pick(r, d->nproc);
	char name[256], idno[32], phone[32], addr[256];
	int business = pick(r, 100) < 30;
	if (business) {
		snprintf(name, sizeof name, "%s", company[pick(r, 10)]);
		snprintf(idno, sizeof idno, "57%08d", pick(r, 100000000));
	} else {
		snprintf(name, sizeof name, "%s %s %s", family[pick(r, 15)], middle[pick(r, 10)], given[pick(r, 26)]);
		snprintf(idno, sizeof idno, "022%09d", pick(r, 1000000000));
	}
	snprintf(phone, sizeof phone, "09%08d", pick(r, 100000000));
	snprintf(addr, sizeof addr, "Số %d, phường %d, %s, Quảng Ninh", 1 + pick(r, 300), 1 + pick(r, 20), place[pick(r, 8)]);
	int ch = pick(r, 100);
	struct receive_req q = {
		.procedure = d->procs[pi].code, .channel = ch < 58 ? CH_ONLINE : ch < 95 ? CH_DIRECT : CH_POSTAL,
		.kind = business ? AK_BUSINESS : AK_PERSON, .name = name, .idno = idno, .phone = phone,
		.address = addr, .components = 0xffff, .outcome = OUT_ACCEPT,
	};
	struct dossier *ds = malloc(sizeof *ds);
	int rc = 0;
	if (!ds)
		return err_set(d->e, MC_STORE, "out of memory");
	q.components = d->procs[pi].components;
	int roll = pick(r, 1000);
	if (roll < 15) {
		q.outcome = OUT_REFUSE;
		q.reason = "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan";
	} else if (roll < 35) {
		q.outcome = OUT_SUPPLEMENT;
		q.reason = "Thiếu bản sao Giấy chứng nhận đăng ký doanh nghiệp";
		q.components &= ~1u; /* the first component is missing; the supplement brings it */
	}
	int64_t t = t0;
	const struct user *clerk = &d->clerks[pick(r, d->nclerk)];
	as(d, clerk, t);
	if (online_pending) {
		q.pending = 1;
		q.channel = CH_ONLINE;
	}
	if ((rc = dossier_receive(c, &q, ds, d->e)))
		goto out;
	if (online_pending)
		goto out;
	const char *code = ds->code;
	if (q.outcome == OUT_REFUSE)
		goto out;
	if (q.outcome == OUT_SUPPLEMENT) {
		if (later(d, &t, 480 + pick(r, 480 * 4)))
			goto out;
		as(d, clerk, t);
		if (pick(r, 10) < 8) {
			if ((rc = dossier_resume(c, code, d->procs[pi].components & ~q.components, ds, d->e)))
				goto out;
		} else {
			rc = dossier_withdraw(c, code, "Người nộp rút hồ sơ", ds, d->e);
			goto out;
		}
	}
	int64_t due = ds->due_at;
	if (later(d, &t, 10 + pick(r, 110)))
		goto out;
	as(d, clerk, t);
	if ((rc = dossier_transfer(c, code, NULL, ds, d->e)))
		goto out;
	const struct user *head = head_of(d, d->procs[pi].dept), *spec = spec_of(d, d->procs[pi].dept);
	if (!head || !spec)
		goto out;
	if (later(d, &t, 30 + pick(r, 450)))
		goto out;
	as(d, head, t);
	if ((rc = dossier_assign(c, code, spec->account, ds, d->e)))
		goto out;
	roll = pick(r, 1000);
	if (roll < 10) { /* withdrawn while processing */
		if (later(d, &t, 240 + pick(r, 960)))
			goto out;
		as(d, clerk, t);
		rc = dossier_withdraw(c, code, "Người nộp đề nghị rút hồ sơ", ds, d->e);
		goto out;
	}
	if (roll < 15) {
		if (later(d, &t, 240 + pick(r, 960)))
			goto out;
		as(d, &d->leaders[pick(r, d->nleader)], t);
		rc = dossier_stop(c, code, "Cơ sở không còn hoạt động kinh doanh", ds, d->e);
		goto out;
	}
	if (roll < 70) { /* supplement during processing */
		if (later(d, &t, 120 + pick(r, 480)))
			goto out;
		as(d, spec, t);
		if ((rc = dossier_supplement(c, code, "Bổ sung bản vẽ mặt bằng cơ sở", ds, d->e)))
			goto out;
		if (later(d, &t, 480 + pick(r, 480 * 3)))
			goto out;
		as(d, clerk, t);
		if ((rc = dossier_resume(c, code, 0, ds, d->e)))
			goto out;
		due = ds->due_at;
	}
	/* when the signer will sign: mostly early, some on the day, a few late */
	int64_t left = cal_working_between(&c->cal, t, due);
	int64_t target;
	roll = pick(r, 1000);
	int late = roll >= 985;
	if (roll < 780)
		target = cal_add_working(&c->cal, t, (int64_t)(left * (0.15 + 0.6 * unit(r))));
	else if (!late)
		target = cal_instant(cal_day_of(due), c->cal.am_start + pick(r, 180));
	else
		target = cal_add_working(&c->cal, due, 480 + pick(r, 960));
	if (target > due && !late)
		target = due;
	/* an apology and a new appointment, the day before the appointment at the latest:
	 * the specialist proposes it, a leader issues it an hour later */
	int64_t te = cal_instant(cal_day_of(due) - 1, c->cal.am_start + 60);
	if (te <= t)
		te = t + 60;
	if (late && pick(r, 2) && cal_day_of(te + 3600) < cal_day_of(due)) {
		if (te + 3600 > d->now)
			goto out;
		as(d, spec, te);
		rc = dossier_extend(c, code, cal_add_working(&c->cal, target, 480), "Hồ sơ cần xác minh thực tế tại cơ sở", ds, d->e);
		if (rc)
			goto out;
		as(d, &d->leaders[pick(r, d->nleader)], te + 3600);
		if ((rc = dossier_extend_issue(c, code, ds, d->e)))
			goto out;
		t = te + 3600;
	}
	int64_t tp = target - 3600 * (1 + pick(r, 3));
	if (tp <= t)
		tp = t + 600;
	if (tp > d->now)
		goto out;
	t = tp;
	as(d, spec, t);
	int refuse = pick(r, 100) < 3;
	if ((rc = dossier_propose(c, code, refuse ? DEC_REFUSE : DEC_APPROVE,
				  refuse ? "Cơ sở không đáp ứng điều kiện về phòng cháy chữa cháy" : "Đủ điều kiện cấp phép", ds, d->e)))
		goto out;
	const struct user *leader = &d->leaders[pick(r, d->nleader)];
	if (pick(r, 100) < 4) {
		if (later(d, &t, 30 + pick(r, 120)))
			goto out;
		as(d, leader, t);
		if ((rc = dossier_send_back(c, code, "Đề nghị làm rõ căn cứ pháp lý", ds, d->e)))
			goto out;
		if (later(d, &t, 60 + pick(r, 120)))
			goto out;
		as(d, spec, t);
		if ((rc = dossier_propose(c, code, DEC_APPROVE, "Đã bổ sung căn cứ pháp lý", ds, d->e)))
			goto out;
		refuse = 0;
	}
	t = target > t ? target : t + 600;
	if (t > d->now)
		goto out;
	as(d, leader, t);
	/* a refusal is signed and handed back as a result is (status 9, then 10) */
	if ((rc = d->sign_real ? sign_dossier(c, code, DEMO_PASSPHRASE, ds, d->e) : dossier_sign(c, code, NULL, ds, d->e)))
		goto out;
	if (later(d, &t, 60 + pick(r, 480 * 3)))
		goto out;
	as(d, clerk, t);
	static const char *who[] = {"Người nộp hồ sơ", "Người được ủy quyền", "Nhận qua bưu điện"};
	rc = dossier_return(c, code, who[pick(r, 3)], pick(r, 100) < 85 ? 5 : pick(r, 100) < 80 ? 4 : 3, ds, d->e);
out:
	free(ds);
	return rc;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* a random working instant in [a, b): a random working day, then a random working minute */
static int64_t working_instant(struct demo *d, int64_t a, int64_t b)
{
	const struct calendar *c = &d->c->cal;
	int32_t d0 = cal_day_of(a), d1 = cal_day_of(b - 1);
	int32_t day = d0;
	for (int tries = 0; tries < 1000; tries++) {
		day = d0 + (int32_t)(next(&d->r) % (uint64_t)(d1 - d0 + 1));
		if (cal_is_working_day(c, day))
			break;
	}
	int am = c->am_end - c->am_start, pm = c->pm_end - c->pm_start;
	int m = pick(&d->r, am + pm > 0 ? am + pm : 1);
	int minute = m < am ? c->am_start + m : c->pm_start + (m - am);
	int64_t t = cal_instant(day, minute) + pick(&d->r, 60);
	return t < a ? cal_next_working(c, a) : t >= b ? a : t;
}

/* the catalog, users and the calendar (from `start` to next year), then the leaders' keys */
static int reference_data(struct demo *d, int64_t start)
{
	struct core *c = d->c;
	struct err *e = d->e;
	int rc;
	if ((rc = store_begin(c->st, e)))
		return rc;
	if ((rc = store_exec_embedded(c->st, "demo/catalog.sql", e))) {
		store_rollback(c->st);
		return rc;
	}
	if ((rc = store_commit(c->st, e)))
		return rc;
	/* the calendar: the shipped announced schedules (applied when the store was opened),
	 * and any year from `start` to next year that has none, provisional */
	int y0, y1;
	cal_ymd_from_day(cal_day_of(start), &y0, NULL, NULL);
	cal_ymd_from_day(cal_day_of(d->now), &y1, NULL, NULL);
	if ((rc = holidays_ensure(c, y0, y1 + 1, e)))
		return rc;
	if ((rc = core_reload(c, e)))
		return rc;
	store_users(c->st, collect_user, d);
	store_procedures(c->st, collect_proc, d);
	if (!d->nclerk || !d->nleader || !d->nproc)
		return err_set(e, MC_STORE, "demo: the demo catalog has no clerk, leader or procedure");
	/* every dossier brings all the components of its procedure */
	struct procedure *p = malloc(sizeof *p);
	for (int i = 0; i < d->nproc && !rc; i++) {
		if (!p || store_procedure_by_code(c->st, d->procs[i].code, p))
			rc = err_set(e, MC_STORE, "demo: procedure %s missing", d->procs[i].code);
		else
			d->procs[i].components = p->ncomponents >= 32 ? 0xffffffffu : (1u << p->ncomponents) - 1;
	}
	free(p);
	/* the leaders' signing keys, so that the demo can be signed from the UI */
	struct user saved = c->actor;
	for (int i = 0; i < d->nleader && !rc; i++) {
		char fpr[SIGN_FPR_LEN];
		c->actor = d->leaders[i];
		rc = sign_key_create(c, DEMO_PASSPHRASE, 0, fpr, e);
	}
	c->actor = saved;
	return rc;
}

/* dossiers received at times[0..n), in transactions of `batch` dossiers */
static int walk(struct demo *d, const int64_t *times, long n, long batch, int pending_every, demo_progress progress)
{
	struct store *st = d->c->st;
	int rc = 0;
	for (long i = 0; i < n && !rc;) {
		if ((rc = store_begin(st, d->e)))
			break;
		for (long k = 0; k < batch && i < n && !rc; k++, i++)
			rc = one(d, times[i], pending_every && i % pending_every == pending_every - 1);
		if (rc)
			store_rollback(st);
		else if (!(rc = store_commit(st, d->e)) && progress)
			progress(i, n);
	}
	return rc;
}

static int build(struct demo *d, long n, demo_progress progress)
{
	struct core *c = d->c;
	long quarters = n > 8000 ? (n + 7999) / 8000 : 1;
	int64_t q1 = cal_instant(cal_day_from_ymd(2024, 1, 1), 0), q1end = cal_instant(cal_day_from_ymd(2024, 4, 1), 0);
	int64_t start = q1 - (int64_t)(quarters - 1) * 91 * 86400 - 14 * 86400;
	int rc = reference_data(d, start);
	if (rc)
		return rc;
	/* receipt instants, in time order so that codes follow the days */
	int64_t *times = malloc(sizeof *times * (size_t)(n > 0 ? n : 1));
	if (!times)
		return err_set(d->e, MC_STORE, "out of memory");
	for (long i = 0; i < n; i++)
		times[i] = working_instant(d, start, q1end);
	qsort(times, (size_t)n, sizeof *times, cmp64);
	rc = walk(d, times, n, 2000, 0, progress);
	free(times);
	/* a few dozen recent dossiers so that today's queues have work, one in ten still
	 * waiting online, the signed ones with real digital signatures */
	if (!rc && n >= 100) {
		int64_t from = cal_add_working(&c->cal, d->now, 0) - 14 * 86400, recent[60];
		for (int k = 0; k < 60; k++)
			recent[k] = working_instant(d, from, d->now);
		qsort(recent, 60, sizeof recent[0], cmp64);
		d->sign_real = 1;
		rc = walk(d, recent, 60, 60, 10, NULL);
	}
	return rc;
}

int demo_build(struct core *c, long n, unsigned long seed, demo_progress progress, struct err *e)
{
	if (store_dossier_count(c->st) > 0)
		return err_set(e, MC_INVALID, "the store %s already has dossiers: demo needs a new store", store_path(c->st));
	struct demo *d = calloc(1, sizeof *d);
	if (!d)
		return err_set(e, MC_STORE, "out of memory");
	d->c = c;
	d->e = e;
	d->r.s = seed * 0x9E3779B97F4A7C15ULL + 1;
	d->now = core_now(c);
	struct user saved = c->actor;
	int rc = dossier_bulk_begin(c, e);
	if (!rc)
		rc = build(d, n, progress);
	c->actor = saved;
	c->now = 0;
	/* after a failure the store stays marked unfinished (store_bulk_begin) */
	int end = dossier_bulk_end(c, rc == 0, rc ? &(struct err){0} : e);
	free(d);
	return rc ? rc : end;
}

/* ---- the province after the reform (demo --province) -------------------------------
 * The organisation of db/demo/province.sql, then dossiers that cross offices as they do
 * since 1 July 2025: received at the provincial centre, a branch or a commune centre
 * (the receiving office's clerk, its code), routed at once to the Department of Industry
 * and Trade which resolves them here, the result sent back to the place of return and
 * handed over there by that office's clerk.  In a real province these reach the
 * department's store through central; the demo writes them with the core switched to
 * the receiving office, so the events are those central would deliver. */

static const struct { const char *agency, *clerk; } desks[] = {
	{"000.00.70.H45", "tt_clerk1"}, {"000.00.70.H45", "tt_clerk2"}, {"000.00.71.H45", "cp_clerk1"},
	{"000.00.72.H45", "mc_clerk1"}, {"000.31.29.H45", "dn_clerk1"}, {"000.31.31.H45", "hl_clerk1"},
};

/* act as a user of another office: the core's office becomes that office */
static int at_desk(struct demo *d, const char *agency, const char *clerk, int64_t t)
{
	struct user u;
	if (store_office_by_code(d->c->st, agency, &d->c->office) || store_user_by_account(d->c->st, clerk, &u))
		return err_set(d->e, MC_STORE, "demo: office %s or user %s missing", agency, clerk);
	as(d, &u, t);
	return 0;
}

static int crossing(struct demo *d, const struct office *home, int64_t t)
{
	struct core *c = d->c;
	struct rng *r = &d->r;
	int k = pick(r, (int)(sizeof desks / sizeof desks[0])), pi = pick(r, d->nproc);
	/* a quarter of them ask for the result at the provincial centre, wherever they filed */
	const char *ret = pick(r, 4) == 0 ? desks[0].agency : NULL;
	char name[256], idno[32], phone[32];
	snprintf(name, sizeof name, "%s %s %s", family[pick(r, 15)], middle[pick(r, 10)], given[pick(r, 26)]);
	snprintf(idno, sizeof idno, "022%09d", pick(r, 1000000000));
	snprintf(phone, sizeof phone, "09%08d", pick(r, 100000000));
	struct receive_req q = {.procedure = d->procs[pi].code, .channel = pick(r, 3) ? CH_DIRECT : CH_POSTAL, .kind = AK_PERSON,
				.name = name, .idno = idno, .phone = phone, .components = d->procs[pi].components,
				.outcome = OUT_ACCEPT, .return_at = ret};
	struct dossier ds;
	int rc = at_desk(d, desks[k].agency, desks[k].clerk, t);
	if (!rc)
		rc = dossier_receive(c, &q, &ds, d->e);
	c->office = *home;
	if (rc)
		return rc;
	/* at the department: its one-stop clerk hands it to the division, then as usual */
	const struct user *head = head_of(d, d->procs[pi].dept), *spec = spec_of(d, d->procs[pi].dept);
	if (!head || !spec || later(d, &t, 30 + pick(r, 200)))
		return 0;
	as(d, &d->clerks[pick(r, d->nclerk)], t);
	if ((rc = dossier_transfer(c, ds.code, NULL, &ds, d->e)) || later(d, &t, 30 + pick(r, 300)))
		return rc;
	as(d, head, t);
	if ((rc = dossier_assign(c, ds.code, spec->account, &ds, d->e)) || pick(r, 3) == 0 || later(d, &t, 480 + pick(r, 960)))
		return rc;
	as(d, spec, t);
	if ((rc = dossier_propose(c, ds.code, DEC_APPROVE, "Đủ điều kiện", &ds, d->e)) || later(d, &t, 60 + pick(r, 240)))
		return rc;
	as(d, &d->leaders[pick(r, d->nleader)], t);
	if ((rc = dossier_sign(c, ds.code, NULL, &ds, d->e)) || pick(r, 2) || later(d, &t, 120 + pick(r, 480)))
		return rc;
	/* the result went back to the place of return: handed over there */
	const char *ra = ret ? ret : desks[k].agency, *rc_clerk = ret ? desks[0].clerk : desks[k].clerk;
	if (!(rc = at_desk(d, ra, rc_clerk, t)))
		rc = dossier_return(c, ds.code, "Người nộp hồ sơ", pick(r, 100) < 85 ? 5 : 4, &ds, d->e);
	c->office = *home;
	return rc;
}

int demo_province(struct core *c, unsigned long seed, long n, struct err *e)
{
	int64_t now = core_now(c);
	if (now < cal_instant(cal_day_from_ymd(2025, 7, 1), 0))
		return err_set(e, MC_INVALID, "the demo province of the 2025 model needs a clock on or after 1 July 2025");
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if ((rc = store_exec_embedded(c->st, "demo/province.sql", e))) {
		store_rollback(c->st);
		return rc;
	}
	if ((rc = store_commit(c->st, e)) || (rc = core_reload(c, e)))
		return rc;
	struct demo *d = calloc(1, sizeof *d);
	if (!d)
		return err_set(e, MC_STORE, "out of memory");
	d->c = c;
	d->e = e;
	d->r.s = seed * 0x9E3779B97F4A7C15ULL + 77;
	d->now = now;
	store_users(c->st, collect_user, d);
	store_procedures(c->st, collect_proc, d);
	struct procedure *p = malloc(sizeof *p);
	for (int i = 0; i < d->nproc && p && !rc; i++)
		if (store_procedure_by_code(c->st, d->procs[i].code, p) == 0)
			d->procs[i].components = p->ncomponents >= 32 ? 0xffffffffu : (1u << p->ncomponents) - 1;
	free(p);
	struct office home = c->office;
	struct user saved = c->actor;
	int64_t times[200];
	if (n > 200)
		n = 200;
	for (long i = 0; i < n; i++)
		times[i] = working_instant(d, cal_add_working(&c->cal, now, 0) - 14 * 86400, now);
	qsort(times, (size_t)n, sizeof times[0], cmp64);
	for (long i = 0; i < n && !rc && d->nclerk && d->nleader && d->nproc; i++)
		rc = crossing(d, &home, times[i]);
	c->office = home;
	c->actor = saved;
	c->now = 0;
	free(d);
	return rc;
}
