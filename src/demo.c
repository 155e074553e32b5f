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
#include "fees.h"
#include "fees_counter.h"
#include "sign.h"
#include "lienthong.h"
#include "org.h"
#include "store.h"
#include "store_org.h"
#include "store_storekey.h"
#include "storekey.h"

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
 * (the receiving office's clerk, its code), routed at once to the competent agency (a
 * department, a commune's People's Committee, the vertical agency), processed there by
 * its own clerk, head, specialist and leader, some with liên thông parts at other
 * agencies (parallel or sequential), the result sent back to the place of return and
 * handed over there by that office's clerk.  In a real province these reach each office's
 * store through central; the demo writes them with the core switched to the office that
 * writes each step, and signs each office's events with a key of that office whose public
 * half the store knows, so the events are those central would deliver. */

#define PV_OFFICES 24
#define PV_STAFF 6
#define PV_PROCS 320

struct pv_office {
	struct office o;
	struct user clerk[PV_STAFF], head[PV_STAFF], spec[PV_STAFF], leader[PV_STAFF];
	int nclerk, nhead, nspec, nleader;
	int *procs, nprocs;      /* indices into pv.procs of what it resolves */
	int weight;              /* its share of the dossiers at scale */
};

struct pv {
	struct demo *d;
	struct pv_office off[PV_OFFICES];
	int noff, home, centre;
	int desk[PV_OFFICES], ndesk, res[PV_OFFICES], nres, wsum;
	struct { char code[32]; int64_t id, dept; uint32_t components; int lt; } procs[PV_PROCS];
	int nproc;
	struct storekey keys[PV_OFFICES];
	int nkeys;
};

static int pv_office_cb(const struct office *o, const char *parent, int receives, int resolves, void *ctx)
{
	(void)parent;
	(void)receives;
	(void)resolves;
	struct pv *v = ctx;
	if (strcmp(o->kind, "legacy") && v->noff < PV_OFFICES)
		v->off[v->noff++].o = *o;
	return 0;
}

static struct pv_office *pv_by_id(struct pv *v, int64_t id)
{
	for (int i = 0; i < v->noff; i++)
		if (v->off[i].o.id == id)
			return &v->off[i];
	return NULL;
}

static struct pv_office *pv_by_code(struct pv *v, const char *code)
{
	for (int i = 0; i < v->noff; i++)
		if (!strcmp(v->off[i].o.agency_code, code))
			return &v->off[i];
	return NULL;
}

static int pv_user_cb(const struct user *u, void *ctx)
{
	struct pv_office *o = pv_by_id(ctx, u->office_id);
	if (!o || !u->active)
		return 0;
	if ((u->roles & ROLE_CLERK) && o->nclerk < PV_STAFF) o->clerk[o->nclerk++] = *u;
	if ((u->roles & ROLE_HEAD) && o->nhead < PV_STAFF) o->head[o->nhead++] = *u;
	if ((u->roles & ROLE_SPECIALIST) && o->nspec < PV_STAFF) o->spec[o->nspec++] = *u;
	if ((u->roles & ROLE_LEADER) && o->nleader < PV_STAFF) o->leader[o->nleader++] = *u;
	return 0;
}

static int pv_proc_cb(const struct procedure *p, void *ctx)
{
	struct pv *v = ctx;
	if (v->nproc < PV_PROCS) {
		snprintf(v->procs[v->nproc].code, sizeof v->procs[0].code, "%s", p->code);
		v->procs[v->nproc].id = p->id;
		v->procs[v->nproc++].dept = p->dept_id;
	}
	return 0;
}

static int pv_lt_cb(const char *agency, const char *task, int days, int order, int lead, void *ctx)
{
	(void)agency;
	(void)task;
	(void)days;
	(void)order;
	(void)lead;
	++*(int *)ctx;
	return 0;
}

/* the organisation in memory: offices, their staff, what each resolves, the keys */
static int pv_load(struct pv *v, int64_t since)
{
	struct core *c = v->d->c;
	struct err *e = v->d->e;
	store_org_each(c->st, pv_office_cb, v);
	store_users(c->st, pv_user_cb, v);
	store_procedures(c->st, pv_proc_cb, v);
	v->home = v->centre = -1;
	for (int i = 0; i < v->noff; i++) {
		struct pv_office *o = &v->off[i];
		if (o->o.id == c->office.id)
			v->home = i;
		if (!strcmp(o->o.kind, "centre"))
			v->centre = i;
		if (org_kind_receives(o->o.kind) && o->nclerk)
			v->desk[v->ndesk++] = i;
		if (!(o->procs = calloc((size_t)v->nproc, sizeof *o->procs)))
			return err_set(e, MC_STORE, "out of memory");
	}
	struct procedure *p = malloc(sizeof *p);
	if (!p)
		return err_set(e, MC_STORE, "out of memory");
	for (int k = 0; k < v->nproc; k++) {
		char codes[8][32];
		int n = store_org_offices(c->st, v->procs[k].id, "resolve", codes, 8), lt = 0;
		for (int j = 0; j < n && j < 8; j++) {
			struct pv_office *o = pv_by_code(v, codes[j]);
			if (o)
				o->procs[o->nprocs++] = k;
		}
		if (!store_procedure_by_code(c->st, v->procs[k].code, p))
			v->procs[k].components = p->ncomponents >= 32 ? 0xffffffffu : (1u << p->ncomponents) - 1;
		char flow[12];
		lt_agencies(c, v->procs[k].code, flow, sizeof flow, pv_lt_cb, &lt, &(struct err){0});
		v->procs[k].lt = lt > 1;
	}
	free(p);
	/* resolvers, and their shares at scale: commune centres the most (civil status,
	 * certification), the Department of Industry and Trade more than the other
	 * departments, the vertical agency some */
	for (int i = 0; i < v->noff; i++) {
		struct pv_office *o = &v->off[i];
		if (!o->nprocs || !o->nclerk || !o->nhead || !o->nspec || !o->nleader)
			continue;
		o->weight = !strcmp(o->o.kind, "commune") ? 9 : i == v->home ? 10 : !strcmp(o->o.kind, "vertical") ? 8 : 4;
		v->wsum += o->weight;
		v->res[v->nres++] = i;
	}
	if (v->home < 0 || v->centre < 0 || !v->off[v->centre].nclerk || v->ndesk < 2 || v->nres < 2)
		return err_set(e, MC_STORE, "demo: the demo province's offices, users or procedures are missing");
	/* a key for every other office, its public half known to the store as central
	 * would have published it */
	int rc = store_begin(c->st, e);
	for (int i = 0; i < v->noff && !rc; i++) {
		if (i == v->home)
			continue;
		struct storekey *k = &v->keys[v->nkeys];
		if (storekey_generate(k, v->off[i].o.agency_code))
			rc = err_set(e, MC_STORE, "cannot make a key for office %s (OpenSSL)", v->off[i].o.agency_code);
		else if (!(rc = store_known_key_put(c->st, v->off[i].o.agency_code, k->pub, 0, since, e)))
			v->nkeys++;
	}
	if (rc)
		store_rollback(c->st);
	else
		rc = store_commit(c->st, e);
	if (!rc)
		storekey_sign_for(v->keys, v->nkeys);
	return rc;
}

static void pv_free(struct pv *v)
{
	storekey_sign_for(NULL, 0);
	for (int i = 0; i < v->nkeys; i++)
		storekey_free(&v->keys[i]);
	for (int i = 0; i < v->noff; i++)
		free(v->off[i].procs);
}

/* act at office o as user u at t */
static void pv_at(struct pv *v, const struct pv_office *o, const struct user *u, int64_t t)
{
	v->d->c->office = o->o;
	as(v->d, u, t);
}

static const struct user *pv_pick(struct demo *d, const struct user *u, int n)
{
	return &u[pick(&d->r, n)];
}

/* o's user of role set that works in division dept, else any of them */
static const struct user *pv_of(struct demo *d, const struct user *u, int n, int64_t dept)
{
	for (int i = 0; i < n; i++)
		if (u[i].dept_id == dept)
			return &u[i];
	return pv_pick(d, u, n);
}

/* the liên thông parts of a dossier the lead opened: each agency takes its part and hands
 * it back (a sequential flow one after the other, the dossier going along; a parallel
 * one all at once), some late; 1 if the clock ran out first */
static int pv_parts(struct pv *v, const char *code, int64_t *t, int *rc)
{
	struct demo *d = v->d;
	struct lt_parts *ps = malloc(sizeof *ps);
	struct dossier ds;
	int stop = 0;
	if (!ps) {
		*rc = err_set(d->e, MC_STORE, "out of memory");
		return 1;
	}
	for (int round = 0; !stop && !*rc && round < LT_MAX_PARTS; round++) {
		if ((*rc = lt_parts_of(d->c, code, ps, d->e)))
			break;
		int any = 0;
		for (int i = 0; i < ps->n && !stop && !*rc; i++) {
			const struct lt_part *x = &ps->p[i];
			struct pv_office *o = pv_by_id(v, x->office_id);
			if (x->state != LT_OPEN)
				continue;
			if (!o || !o->nhead || !o->nspec) { /* nobody there to take it: it stays open */
				stop = 1;
				break;
			}
			any = 1;
			const struct user *spec = pv_pick(d, o->spec, o->nspec);
			if (later(d, t, 30 + pick(&d->r, 240))) {
				stop = 1;
				break;
			}
			pv_at(v, o, &o->head[0], *t);
			if ((*rc = lt_take(d->c, code, x->n, spec->account, &ds, d->e)))
				break;
			/* one part in three comes back after its deadline */
			int64_t back = *t;
			if (pick(&d->r, 3) == 0 && x->due_at > back)
				back = cal_add_working(&d->c->cal, x->due_at, 60 + pick(&d->r, 480));
			else if (later(d, &back, 120 + pick(&d->r, 600)))
				back = d->now + 1;
			if (back > d->now) {
				stop = 1;
				break;
			}
			*t = back;
			pv_at(v, o, spec, *t);
			*rc = lt_return(d->c, code, x->n, "Đã thực hiện phần việc được giao", &ds, d->e);
		}
		if (!any)
			break;
	}
	free(ps);
	return stop;
}

/* a receiving desk for a dossier of a resolver of kind `kind` */
static int pv_desk(struct pv *v, const char *kind)
{
	struct rng *r = &v->d->r;
	int k = pick(r, 4), cand[PV_OFFICES], n = 0;
	if (!strcmp(kind, "commune") || k == 3)
		return v->desk[pick(r, v->ndesk)];
	if (k < 2)
		return v->centre;
	for (int i = 0; i < v->ndesk; i++)
		if (!strcmp(v->off[v->desk[i]].o.kind, "branch"))
			cand[n++] = v->desk[i];
	return n ? cand[pick(r, n)] : v->centre;
}

/* one dossier received at t at a desk and resolved by resolver ri.  force (the first
 * rounds, so that every office has dossiers of every kind): received at another office;
 * finish (those and everything older than two weeks): walked to the end as far as the
 * clock allows, else some stop on the way and wait in today's queues */
static int pv_dossier(struct pv *v, int ri, int64_t t, int force, int finish)
{
	struct demo *d = v->d;
	struct core *c = d->c;
	struct rng *r = &d->r;
	struct pv_office *res = &v->off[ri];
	int pi = res->procs[pick(r, res->nprocs)];
	if (!v->procs[pi].lt && pick(r, 3) == 0)
		for (int k = 0; k < res->nprocs; k++)
			if (v->procs[res->procs[k]].lt)
				pi = res->procs[k];
	/* where it is received: a commune's dossiers mostly at its own centre (at scale),
	 * boundary-free at any other desk; a department's or the vertical agency's half at
	 * the provincial centre, a quarter at a branch, a quarter at a commune centre */
	int di = pv_desk(v, res->o.kind);
	if (!force && org_kind_receives(res->o.kind) && pick(r, 10) < 7)
		di = ri;
	for (int k = 0; di == ri && (force || !org_kind_receives(res->o.kind)) && k < 64; k++)
		di = pv_desk(v, res->o.kind);
	if (di == ri && (force || !org_kind_receives(res->o.kind)))
		return 0;
	struct pv_office *desk = &v->off[di], *ret = desk;
	/* a quarter ask for the result at the provincial centre, a few at another place */
	int rr = pick(r, 8);
	if (rr < 2)
		ret = &v->off[v->centre];
	else if (rr == 2)
		ret = &v->off[v->desk[pick(r, v->ndesk)]];
	char name[256], idno[32], phone[32], addr[256];
	int business = pick(r, 100) < 25;
	if (business) {
		snprintf(name, sizeof name, "%s", company[pick(r, 10)]);
		snprintf(idno, sizeof idno, "57%08d", pick(r, 100000000));
	} else {
		snprintf(name, sizeof name, "%s %s %s", family[pick(r, 15)], middle[pick(r, 10)], given[pick(r, 26)]);
		snprintf(idno, sizeof idno, "022%09d", pick(r, 1000000000));
	}
	snprintf(phone, sizeof phone, "09%08d", pick(r, 100000000));
	snprintf(addr, sizeof addr, "Số %d, %s, Quảng Ninh", 1 + pick(r, 300), place[pick(r, 8)]);
	int ch = pick(r, 100);
	struct receive_req q = {.procedure = v->procs[pi].code, .channel = ch < 35 ? CH_ONLINE : ch < 90 ? CH_DIRECT : CH_POSTAL,
				.kind = business ? AK_BUSINESS : AK_PERSON, .name = name, .idno = idno, .phone = phone,
				.address = addr, .components = v->procs[pi].components, .outcome = OUT_ACCEPT,
				.resolver = res->o.agency_code, .return_at = ret != desk ? ret->o.agency_code : NULL};
	struct dossier ds;
	const struct user *dclerk = pv_pick(d, desk->clerk, desk->nclerk);
	pv_at(v, desk, dclerk, t);
	int rc = dossier_receive(c, &q, &ds, d->e);
	if (rc)
		return rc;
	char code[CODE_LEN];
	snprintf(code, sizeof code, "%s", ds.code);
	if (ds.office_id != res->o.id) /* not routed to the resolver (it cannot happen with this catalog) */
		return 0;
	/* the applicant pays the fees there and then at the receiving desk, for half the
	 * dossiers with fees (on the dossier's receipt chain, fees_counter.h); the others pay
	 * at the place of return.  No draw from the generator: the dossiers after this one
	 * stay as they were */
	size_t cl0 = strlen(code);
	if (ds.fee_total && cl0 && code[cl0 - 1] % 2 == 0 && fees_counter_here(c, &ds)) {
		struct fee_entry fe;
		if ((rc = fees_counter_pay(c, code, FM_CASH, 0, 0, NULL, &fe, d->e)))
			return rc;
	}
	/* at the competent agency: its one-stop clerk hands it to the division */
	int64_t dept = v->procs[pi].dept;
	const struct user *head = pv_of(d, res->head, res->nhead, dept), *spec = pv_of(d, res->spec, res->nspec, dept);
	if (spec->dept_id != head->dept_id)
		for (int k = 0; k < res->nspec; k++)
			if (res->spec[k].dept_id == head->dept_id)
				spec = &res->spec[k];
	if (later(d, &t, 30 + pick(r, 200)))
		return 0;
	pv_at(v, res, pv_pick(d, res->clerk, res->nclerk), t);
	if ((rc = dossier_transfer(c, code, NULL, &ds, d->e)) || later(d, &t, 30 + pick(r, 300)))
		return rc;
	pv_at(v, res, head, t);
	if ((rc = dossier_assign(c, code, spec->account, &ds, d->e)) || (!finish && pick(r, 8) == 0))
		return rc;
	if (v->procs[pi].lt) {
		if (later(d, &t, 60 + pick(r, 240)))
			return 0;
		pv_at(v, res, spec, t);
		if ((rc = lt_open(c, code, q.channel == CH_ONLINE ? "parallel" : "sequential", &ds, d->e)))
			return rc;
		if (pv_parts(v, code, &t, &rc) || rc)
			return rc;
	}
	if (later(d, &t, 240 + pick(r, 960)))
		return 0;
	pv_at(v, res, spec, t);
	int refuse = pick(r, 100) < 3;
	if ((rc = dossier_propose(c, code, refuse ? DEC_REFUSE : DEC_APPROVE, refuse ? "Hồ sơ không đủ điều kiện theo quy định" : "Đủ điều kiện",
				  &ds, d->e)) || later(d, &t, 60 + pick(r, 240)))
		return rc;
	pv_at(v, res, pv_pick(d, res->leader, res->nleader), t);
	if ((rc = dossier_sign(c, code, NULL, &ds, d->e)) || (!finish && pick(r, 6) == 0) || later(d, &t, 120 + pick(r, 480)))
		return rc;
	/* the result went back to the place of return: handed over there, its fees paid
	 * first (a dossier left before this step still owes them: the cashier's work) */
	pv_at(v, ret, pv_pick(d, ret->clerk, ret->nclerk), t);
	if (fees_owed(&ds)) {
		struct fee_entry fe;
		/* no draw from the generator: the dossiers after this one stay as they were */
		size_t cl = strlen(code);
		int tr = cl && code[cl - 1] % 3 == 0;
		char ref[48];
		snprintf(ref, sizeof ref, "CK-%s", code);
		if ((rc = fees_pay(c, code, tr ? FM_TRANSFER : FM_CASH, fees_owed(&ds), tr ? ref : NULL, &fe, d->e)))
			return rc;
	}
	return dossier_return(c, code, business ? "Người được ủy quyền" : "Người nộp hồ sơ", pick(r, 100) < 85 ? 5 : 4, &ds, d->e);
}

/* the resolver of the k-th dossier: the first rounds go round every resolver, then by share */
static int pv_resolver(struct pv *v, long k)
{
	if (k < 2L * v->nres)
		return v->res[k % v->nres];
	int w = pick(&v->d->r, v->wsum);
	for (int i = 0; i < v->nres; i++)
		if ((w -= v->off[v->res[i]].weight) < 0)
			return v->res[i];
	return v->res[0];
}

int demo_province(struct core *c, unsigned long seed, long recent, long after, demo_progress progress, struct err *e)
{
	int64_t now = core_now(c), reform = cal_instant(cal_day_from_ymd(2025, 7, 1), 0);
	if (now < reform)
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
	struct pv *v = calloc(1, sizeof *v);
	struct demo *d = calloc(1, sizeof *d);
	long n = recent + after;
	int64_t *times = malloc(sizeof *times * (size_t)(n > 0 ? n : 1));
	if (!v || !d || !times) {
		free(v);
		free(d);
		free(times);
		return err_set(e, MC_STORE, "out of memory");
	}
	d->c = c;
	d->e = e;
	d->r.s = seed * 0x9E3779B97F4A7C15ULL + 77;
	d->now = now;
	v->d = d;
	struct office home = c->office;
	struct user saved = c->actor;
	/* `after` dossiers from 1 July 2025 to two weeks ago, `recent` in the last two weeks */
	int64_t two_weeks = cal_add_working(&c->cal, now, 0) - 14 * 86400;
	if (two_weeks < reform)
		two_weeks = reform;
	for (long i = 0; i < n; i++)
		times[i] = i < after && two_weeks > reform ? working_instant(d, reform, two_weeks) : working_instant(d, two_weeks, now);
	qsort(times, (size_t)n, sizeof times[0], cmp64);
	if (!(rc = pv_load(v, reform)))
		rc = dossier_bulk_begin(c, e);
	if (!rc) {
		for (long i = 0; i < n && !rc;) {
			if ((rc = store_begin(c->st, e)))
				break;
			for (long k = 0; k < 2000 && i < n && !rc; k++, i++)
				rc = pv_dossier(v, pv_resolver(v, i), times[i], i < 2L * v->nres, i < 2L * v->nres || times[i] < two_weeks);
			c->office = home;
			if (rc)
				store_rollback(c->st);
			else if (!(rc = store_commit(c->st, e)) && progress)
				progress(i, n);
		}
		c->office = home;
		c->actor = saved;
		c->now = 0;
		int end = dossier_bulk_end(c, rc == 0, rc ? &(struct err){0} : e);
		rc = rc ? rc : end;
	}
	c->office = home;
	c->actor = saved;
	c->now = 0;
	pv_free(v);
	free(v);
	free(d);
	free(times);
	return rc;
}
