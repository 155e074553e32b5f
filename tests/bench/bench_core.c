/* bench_core.c - core benchmarks for `make bench`: receiving throughput through the
 * core against raw SQLite inserts of the same rows with the same pragmas, and the cost
 * of show, the first page of a queue, search and the dashboard on a large and a small
 * store, measured in alternating rounds (medians).
 * Prints lines "BENCH name value unit target PASS|FAIL" (tests/bench/run.sh reads them).
 * Usage: bench_core receive | read STORE_1M STORE_10K */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dossier.h"
#include "dashboard.h"
#include "queue.h"
#include "store.h"
#include "text.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void bench(const char *name, double v, const char *unit, const char *target, int ok)
{
	printf("BENCH %s %.3f %s %s %s\n", name, v, unit, target, ok ? "PASS" : "FAIL");
	fflush(stdout);
}

static int receive_bench(void)
{
	char dir[] = "/tmp/motcua-bench.XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char p1[128], p2[128];
	snprintf(p1, sizeof p1, "%s/core.db", dir);
	snprintf(p2, sizeof p2, "%s/raw.db", dir);
	struct core c;
	struct err e = {0};
	if (core_open(&c, p1, STORE_CREATE, &e) || store_exec_embedded(c.st, "demo/catalog.sql", &e) ||
	    core_reload(&c, &e) || store_user_by_account(c.st, "clerk1", &c.actor)) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	snprintf(c.os_account, sizeof c.os_account, "bench");
	const int n = 3000;
	struct procedure p;
	store_procedure_by_code(c.st, "1.001037", &p);
	struct dossier *d = malloc(sizeof *d);
	double t0 = now_ms();
	for (int i = 0; i < n; i++) {
		char name[64], id[16];
		snprintf(name, sizeof name, "Nguyễn Văn Khách %d", i);
		snprintf(id, sizeof id, "022%09d", i);
		struct receive_req r = {.procedure = "1.001037", .name = name, .idno = id, .phone = "0912345678",
					.address = "Hạ Long", .components = (1u << p.ncomponents) - 1};
		if (dossier_receive(&c, &r, d, &e)) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return 1;
		}
	}
	double core_ms = now_ms() - t0;
	core_close(&c);
	/* raw: the same rows (counter, dossier, event, search key), one transaction each */
	struct store *st = store_open(p2, STORE_CREATE, &e);
	store_close(st);
	sqlite3 *db;
	sqlite3_open(p2, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;", 0, 0, 0);
	sqlite3_stmt *cnt, *ins, *ev, *fts, *b, *cm;
	sqlite3_prepare_v2(db, "INSERT INTO daily_counters(office_id, day, n) VALUES (1, '2026-01-01', 1) ON CONFLICT DO UPDATE SET n = n + 1 RETURNING n", -1, &cnt, 0);
	sqlite3_prepare_v2(db, "INSERT INTO dossiers(code, office_id, procedure_id, channel, status, stage, applicant_kind, applicant_name, applicant_idno, applicant_phone, applicant_address, components, received_at, accepted_at, due_at, orig_due_at, step_due_at, stage_since, version, last_at, last_actor, chain_head) VALUES (?, 1, 1, 1, 2, 10, 1, ?, ?, '0912345678', 'Hạ Long', 31, 1, 1, 2, 2, 2, 1, 1, 1, 'clerk1', zeroblob(32))", -1, &ins, 0);
	sqlite3_prepare_v2(db, "INSERT INTO events(id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash) VALUES (?, ?, 1, 'received', 'bench', 'clerk1', 1, 'X', ?, NULL, zeroblob(32))", -1, &ev, 0);
	sqlite3_prepare_v2(db, "INSERT INTO dossier_search(rowid, key) VALUES (?, ?)", -1, &fts, 0);
	sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &b, 0);
	sqlite3_prepare_v2(db, "COMMIT", -1, &cm, 0);
	const char *payload = "{\"applicant\":{\"address\":\"H\\u1ea1 Long\",\"idno\":\"022000000001\",\"kind\":1,\"name\":\"Nguy\\u1ec5n V\\u0103n Kh\\u00e1ch 1\",\"phone\":\"0912345678\"},\"channel\":1,\"components\":31,\"due_at\":1710991800,\"office\":\"000.00.17.H45\",\"outcome\":\"accept\",\"procedure\":\"1.001037\",\"step_due_at\":1710150000}";
	t0 = now_ms();
	for (int i = 0; i < n; i++) {
		char code[64], name[64], id[16], eid[32];
		snprintf(code, sizeof code, "000.00.17.H45-260101-%04d", i);
		snprintf(name, sizeof name, "Nguyễn Văn Khách %d", i);
		snprintf(id, sizeof id, "022%09d", i);
		snprintf(eid, sizeof eid, "01BENCH%019d", i);
		sqlite3_step(b); sqlite3_reset(b);
		sqlite3_step(cnt); sqlite3_reset(cnt);
		sqlite3_bind_text(ins, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, id, -1, SQLITE_STATIC);
		sqlite3_step(ins); sqlite3_reset(ins);
		sqlite3_int64 rowid = sqlite3_last_insert_rowid(db);
		sqlite3_bind_text(ev, 1, eid, -1, SQLITE_STATIC);
		sqlite3_bind_text(ev, 2, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ev, 3, payload, -1, SQLITE_STATIC);
		sqlite3_step(ev); sqlite3_reset(ev);
		char key[256], folded[256];
		snprintf(key, sizeof key, "%s %s 0912345678 %s", name, id, code);
		text_fold(key, folded, sizeof folded);
		sqlite3_bind_int64(fts, 1, rowid);
		sqlite3_bind_text(fts, 2, folded, -1, SQLITE_STATIC);
		sqlite3_step(fts); sqlite3_reset(fts);
		sqlite3_step(cm); sqlite3_reset(cm);
	}
	double raw_ms = now_ms() - t0;
	sqlite3_finalize(cnt); sqlite3_finalize(ins); sqlite3_finalize(ev); sqlite3_finalize(fts);
	sqlite3_finalize(b); sqlite3_finalize(cm);
	sqlite3_close(db);
	double core_rate = n / (core_ms / 1e3), raw_rate = n / (raw_ms / 1e3);
	bench("receive_core_per_s", core_rate, "dossiers/s", ">=2000", core_rate >= 2000);
	bench("receive_raw_sqlite_per_s", raw_rate, "dossiers/s", "reference", 1);
	bench("receive_core_vs_raw", raw_rate / core_rate, "x_slower", "info", 1);
	free(d);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) != 0;
}

/* One store read as a clerk would.  The large and the small store are opened side by
 * side and measured in alternating rounds, each figure the median of its rounds: a
 * burst of noise on the machine hits both stores alike instead of one of them. */
#define ROUNDS 31
static const char *const names[] = {"nguyen", "tran", "le", "pham", "hoang", "vu", "dang", "bui"};

struct col { char (*codes)[CODE_LEN]; int n, max; };

static int collect(const struct dossier *x, void *ctx)
{
	struct col *col = ctx;
	if (col->n >= col->max)
		return 1;
	snprintf(col->codes[col->n++], CODE_LEN, "%s", x->code);
	return 0;
}

struct reader {
	struct core c;
	int64_t total;
	char (*codes)[CODE_LEN];   /* sample codes, found through search */
	int k;
	char (*page)[CODE_LEN];
	struct dossier d;
	double t[4][ROUNDS];       /* per round: show, queue page, search, dashboard (ms each) */
};

static int reader_open(struct reader *r, const char *path)
{
	struct err e = {0};
	memset(r, 0, sizeof *r);
	if (core_open(&r->c, path, 0, &e)) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	r->total = store_dossier_count(r->c.st);
	r->codes = calloc(500, CODE_LEN);
	r->page = calloc(50, CODE_LEN);
	struct col col = {r->codes, 0, 500};
	for (int i = 0; col.n < 500 && i < 8; i++)
		store_search(r->c.st, names[i], 500 / 8, collect, &col);
	r->k = col.n;
	return 0;
}

static double round_show(struct reader *r)
{
	struct err e = {0};
	struct procedure *p = malloc(sizeof *p);
	double t0 = now_ms();
	for (int i = 0; i < r->k; i++) {
		if (dossier_get(&r->c, r->codes[i], &r->d, &e) || store_procedure_get(r->c.st, r->d.procedure_id, p))
			fprintf(stderr, "bench: show %s failed\n", r->codes[i]);
		core_timeliness(&r->c, &r->d);
	}
	double ms = (now_ms() - t0) / (r->k ? r->k : 1);
	free(p);
	return ms;
}

/* the first page (and the counts) of every queue of five users of every role */
static double round_queue(struct reader *r)
{
	static const char *const who[] = {"clerk1", "head_tm", "spec_tm1", "leader1", "super1"};
	int n = 0;
	double t0 = now_ms();
	for (int w = 0; w < 5; w++) {
		store_user_by_account(r->c.st, who[w], &r->c.actor);
		for (unsigned role = 1; role <= ROLE_SUPERVISOR; role <<= 1) {
			const struct queue_def *q = (r->c.actor.roles & role) ? queue_def_for(role) : NULL;
			if (!q)
				continue;
			struct col page = {r->page, 0, 20};
			int tot, od;
			queue_count(&r->c, q, &tot, &od);
			queue_list(&r->c, q, 20, 0, collect, &page);
			n++;
		}
	}
	return (now_ms() - t0) / (n ? n : 1);
}

static double round_search(struct reader *r)
{
	double t0 = now_ms();
	for (int i = 0; i < 8; i++) {
		struct col page = {r->page, 0, 50};
		char q[64];
		snprintf(q, sizeof q, "%s van", names[i]);
		store_search(r->c.st, q, 50, collect, &page);
	}
	return (now_ms() - t0) / 8;
}

/* the supervisor's dashboard, loaded from the store (what the screen pays when the
 * store changed) */
static double round_dashboard(struct reader *r)
{
	struct err e = {0};
	struct dashboard d;
	store_user_by_account(r->c.st, "super1", &r->c.actor);
	double t0 = now_ms();
	if (dashboard_load(&r->c, 3, &d, &e))
		fprintf(stderr, "bench: dashboard: %s\n", e.msg);
	else
		dashboard_free(&d);
	return now_ms() - t0;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, ROUNDS, sizeof *v, dcmp);
	return v[ROUNDS / 2];
}

static void reader_close(struct reader *r)
{
	free(r->codes);
	free(r->page);
	core_close(&r->c);
}

static int read_bench(const char *big_path, const char *small_path)
{
	struct reader *big = malloc(sizeof *big), *small = malloc(sizeof *small);
	if (!big || !small || reader_open(big, big_path) || reader_open(small, small_path))
		return 1;
	double (*const fig[4])(struct reader *) = {round_show, round_queue, round_search, round_dashboard};
	/* round -1 warms the page cache (a UI session is long-lived) and is not kept */
	for (int r = -1; r < ROUNDS; r++)
		for (int f = 0; f < 4; f++) {
			struct reader *first = r & 1 ? small : big, *second = r & 1 ? big : small;
			double a = fig[f](first), b = fig[f](second);
			if (r >= 0) {
				first->t[f][r] = a;
				second->t[f][r] = b;
			}
		}
	double bm[4], sm[4];
	for (int f = 0; f < 4; f++) {
		bm[f] = median(big->t[f]);
		sm[f] = median(small->t[f]);
	}
	printf("# large: %lld dossiers, small: %lld; medians of %d alternating rounds: show %.3f / %.3f ms (%d / %d codes),"
	       " queue page %.3f / %.3f ms, search %.3f / %.3f ms, dashboard %.3f / %.3f ms\n", (long long)big->total,
	       (long long)small->total, ROUNDS, bm[0], sm[0], big->k, small->k, bm[1], sm[1], bm[2], sm[2], bm[3], sm[3]);
	bench("show_1M_ms", bm[0], "ms", "<10", bm[0] < 10);
	bench("show_1M_vs_10k", bm[0] / sm[0], "ratio", "<=2", bm[0] / sm[0] <= 2);
	bench("queue_page_1M_ms", bm[1], "ms", "<10", bm[1] < 10);
	bench("queue_page_1M_vs_10k", bm[1] / sm[1], "ratio", "<=2", bm[1] / sm[1] <= 2);
	bench("search_1M_ms", bm[2], "ms", "<50", bm[2] < 50);
	bench("search_1M_vs_10k", bm[2] / sm[2], "ratio", "info", 1);
	bench("dashboard_1M_ms", bm[3], "ms", "<50", bm[3] < 50);
	bench("dashboard_1M_vs_10k", bm[3] / sm[3], "ratio", "<=2", bm[3] / sm[3] <= 2);
	reader_close(big);
	reader_close(small);
	free(big);
	free(small);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "receive"))
		return receive_bench();
	if (argc == 4 && !strcmp(argv[1], "read"))
		return read_bench(argv[2], argv[3]);
	fprintf(stderr, "usage: bench_core receive | read STORE_1M STORE_10K\n");
	return 2;
}
