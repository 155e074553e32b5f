/* province.c - a province of N offices on one PostgreSQL central, driven through
 * central's own code (central_put_batch, events_since) from one thread per office,
 * for the parallel-ingest proof (tests/sync/parallel.sh) and the province bench
 * (tests/bench/province.sh).
 *
 *   province setup URL N             N offices P0001.. with a user each, into c_ref
 *   province hold URL N              each office opens one batch; all N are held open
 *                                    at once (a barrier before commit), then commit in
 *                                    random order while a reader pulls every office
 *                                    over and over; checks every office's pull saw its
 *                                    events exactly once and no cursor went backwards
 *   province run URL N DOSSIERS SLOTS [FIRST]
 *                                    N offices (P<FIRST>..) each push a day of
 *                                    DOSSIERS x 6 events in batches of SYNC_BATCH
 *                                    (PROVINCE_BATCH) and pull,
 *                                    all at once, at most SLOTS connections at a time
 *                                    (the others wait for a slot, as behind a pooler);
 *                                    prints wall, p50/p99 per office, events/s, errors
 *
 * Exit status 0 when every check held.  Not part of motcua. */
#include <pthread.h>
#include <sys/resource.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "central.h"
#include "central_rls.h"
#include "event.h"
#include "history.h"

static int BATCH = SYNC_BATCH; /* events per batch as sync sends them (PROVINCE_BATCH: another size) */
#define STEPS 6

static const char *url;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void office_code(int i, char out[32]) { snprintf(out, 32, "P%04d", i); }

static int setup(int n)
{
	struct err e = {0};
	struct central *c = central_open(url, 0, &e);
	if (!c || c->ops->begin(c, 1, NULL, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return 1;
	}
	for (int i = 1; i <= n && !e.code; i++) {
		char code[32], acc[40], doc[256];
		office_code(i, code);
		snprintf(doc, sizeof doc, "{\"code\":\"%s\",\"level\":3,\"name\":\"Xa %d\"}", code, i);
		if (c->ops->ref_put(c, "office", code, doc, &e))
			break;
		snprintf(acc, sizeof acc, "clerk.%s", code);
		snprintf(doc, sizeof doc, "{\"account\":\"%s\",\"active\":1,\"dept\":\"\",\"name\":\"Clerk\",\"office\":\"%s\",\"roles\":1}",
			 acc, code);
		c->ops->ref_put(c, "user", acc, doc, &e);
	}
	if (e.code || c->ops->commit(c, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return 1;
	}
	central_close(c);
	return 0;
}

/* an office's day: ndos dossiers of STEPS events, in waves (every dossier received,
 * then every dossier's second step, ...), so that chains cross batches; from t0
 * (seconds, as an event's time is: 2026-03-06), a second apart */
struct poffice {
	char code[32];
	struct event *evs;
	int n;
	double start, end;
	int64_t inserted, pulled, dup, missing, backwards;
	char err[512];
};

static const char *kinds[STEPS] = {"received", "accepted", "assigned", "processed", "signed", "returned"};

static int make_day(struct poffice *o, int ndos, int64_t t0)
{
	char acc[40];
	snprintf(acc, sizeof acc, "clerk.%s", o->code);
	o->n = ndos * STEPS;
	o->evs = calloc((size_t)o->n, sizeof *o->evs);
	if (!o->evs)
		return -1;
	for (int s = 0; s < STEPS; s++)
		for (int d = 0; d < ndos; d++) {
			struct event *ev = &o->evs[s * ndos + d];
			char code[CODE_LEN];
			snprintf(code, sizeof code, "%s-260306-%05d", o->code, d + 1);
			json_t *p = s ? json_pack("{s:i}", "step", s) : json_pack("{s:s}", "office", o->code);
			event_make(ev, code, s + 1, kinds[s], "motcua", acc, t0 + (int64_t)(s * ndos + d), o->code, p,
				   s ? o->evs[(s - 1) * ndos + d].hash : NULL);
			json_decref(p);
			if (!ev->payload)
				return -1;
		}
	return 0;
}

static int id_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ---- hold: N batches open at once, committed in random order --------------------- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int held, nheld, timed_out, committed;

static void hold_hook(struct central *cen)
{
	(void)cen;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30;
	pthread_mutex_lock(&mu);
	held++;
	pthread_cond_broadcast(&cv);
	while (held < nheld && !timed_out)
		if (pthread_cond_timedwait(&cv, &mu, &until))
			timed_out = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	usleep((useconds_t)(rand() % 2000) * 1000); /* rand(): the order only */
}

struct pulled { char **ids; int n, cap; int64_t cursor; };

static int collect(const struct event *ev, void *ctx)
{
	struct pulled *p = ctx;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->ids = realloc(p->ids, (size_t)p->cap * sizeof *p->ids);
	}
	p->ids[p->n++] = strdup(ev->id);
	return 0;
}

/* pull everything new for office since its cursor; -1 if the cursor went backwards */
static int pull(struct central *c, const char *office, struct pulled *p, int own, struct err *e)
{
	for (;;) {
		int64_t next = p->cursor;
		int before = p->n;
		if (c->ops->begin(c, 0, NULL, e))
			return e->code;
		int rc = c->ops->events_since(c, office, p->cursor, 1000, own, collect, p, &next, e);
		c->ops->commit(c, e);
		if (rc)
			return rc;
		if (next < p->cursor)
			return -1;
		p->cursor = next;
		if (p->n - before < 1000)
			return 0;
	}
}

static struct poffice *offices;

static void *hold_writer(void *arg)
{
	struct poffice *o = arg;
	struct err e = {0};
	struct central *c = central_open(url, 0, &e);
	struct central_put r = {0};
	if (!c || central_put_batch(c, o->evs, o->n, 0, &r, &e))
		snprintf(o->err, sizeof o->err, "%s", e.msg);
	o->inserted = r.inserted;
	central_close(c);
	pthread_mutex_lock(&mu);
	committed++;
	pthread_mutex_unlock(&mu);
	return NULL;
}

static int check_office(struct poffice *o, struct pulled *p)
{
	char **want = malloc((size_t)o->n * sizeof *want);
	for (int i = 0; i < o->n; i++)
		want[i] = o->evs[i].id;
	qsort(want, (size_t)o->n, sizeof *want, id_cmp);
	qsort(p->ids, (size_t)p->n, sizeof *p->ids, id_cmp);
	int i = 0, j = 0;
	while (i < o->n || j < p->n) {
		int c = i == o->n ? 1 : j == p->n ? -1 : strcmp(want[i], p->ids[j]);
		if (c < 0) {
			o->missing++;
			i++;
		} else if (c > 0) {
			o->dup++; /* an id pulled that was not pushed, or pulled again */
			j++;
		} else {
			i++;
			j++;
			while (j < p->n && !strcmp(p->ids[j], p->ids[j - 1])) {
				o->dup++;
				j++;
			}
		}
	}
	free(want);
	return o->missing || o->dup;
}

static int hold(int n)
{
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	offices = calloc((size_t)n, sizeof *offices);
	struct pulled *pl = calloc((size_t)n, sizeof *pl);
	pthread_t *th = calloc((size_t)n, sizeof *th);
	for (int i = 0; i < n; i++) {
		office_code(i + 1, offices[i].code);
		if (make_day(&offices[i], 10, 1772766000LL + i)) /* 60 events an office */
			return 2;
	}
	nheld = n;
	central_test_before_commit = hold_hook;
	struct err e = {0};
	struct central *r = central_open(url, 0, &e);
	if (!r) {
		fprintf(stderr, "reader: %s\n", e.msg);
		return 2;
	}
	for (int i = 0; i < n; i++)
		pthread_create(&th[i], NULL, hold_writer, &offices[i]);
	/* the reader: every office over and over while the batches commit */
	int rounds = 0, partial = 0, backwards = 0, done;
	do {
		pthread_mutex_lock(&mu);
		done = committed == n;
		int open = held == n;
		pthread_mutex_unlock(&mu);
		int64_t seen = 0;
		for (int i = 0; i < n; i++) {
			int rc = pull(r, offices[i].code, &pl[i], 1, &e);
			if (rc == -1)
				backwards++;
			else if (rc) {
				fprintf(stderr, "reader: %s\n", e.msg);
				return 2;
			}
			seen += pl[i].n;
		}
		if (open && seen > 0 && seen < (int64_t)n * offices[0].n)
			partial++;
		rounds++;
		usleep(20000);
	} while (!done);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < n; i++) /* once more after the last commit */
		if (pull(r, offices[i].code, &pl[i], 1, &e) == -1)
			backwards++;
	central_close(r);
	int bad = 0;
	int64_t missing = 0, dup = 0, errors = 0;
	for (int i = 0; i < n; i++) {
		if (offices[i].err[0]) {
			fprintf(stderr, "office %s: %s\n", offices[i].code, offices[i].err);
			errors++;
		}
		bad |= check_office(&offices[i], &pl[i]);
		missing += offices[i].missing;
		dup += offices[i].dup;
	}
	printf("held %d of %d batches open at once%s\n", held, n, timed_out ? " (timed out waiting: not concurrent)" : "");
	printf("reader rounds %d, with part of the batches committed %d\n", rounds, partial);
	printf("events missing %lld, doubled %lld, cursor backwards %d, errors %lld\n", (long long)missing, (long long)dup,
	       backwards, (long long)errors);
	return bad || timed_out || backwards || errors ? 1 : 0;
}

/* ---- run: the province bench ------------------------------------------------------ */

static sem_t slots;
static double t_start;

static void *run_office(void *arg)
{
	struct poffice *o = arg;
	struct err e = {0};
	struct pulled p = {0};
	sem_wait(&slots);
	/* PROVINCE_ROLE_URL: each office connects as its own role (that URL + the role) */
	char ubuf[1200];
	const char *prefix = getenv("PROVINCE_ROLE_URL"), *u = url;
	if (prefix) {
		char role[80];
		central_office_role_name(o->code, role, sizeof role);
		snprintf(ubuf, sizeof ubuf, "%s%s", prefix, role);
		u = ubuf;
	}
	struct central *c = central_open(u, 0, &e);
	if (!c) {
		snprintf(o->err, sizeof o->err, "%s", e.msg);
		sem_post(&slots);
		o->end = now_ms();
		return NULL;
	}
	for (int i = 0; i < o->n && !e.code; i += BATCH) {
		struct central_put r = {0};
		int k = o->n - i < BATCH ? o->n - i : BATCH;
		if (central_put_batch(c, o->evs + i, k, 0, &r, &e) == 0)
			o->inserted += r.inserted;
	}
	/* the pull an office does after its push: what central has for it from others */
	if (!e.code)
		pull(c, o->code, &p, 0, &e);
	if (e.code)
		snprintf(o->err, sizeof o->err, "%s", e.msg);
	central_close(c);
	sem_post(&slots);
	o->end = now_ms();
	for (int i = 0; i < p.n; i++)
		free(p.ids[i]);
	free(p.ids);
	return NULL;
}

/* CPU seconds: this process (the offices' side), and the whole machine (/proc/stat; not what runs niced) */
static double cpu_self(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static double cpu_all(void)
{
	/* PROVINCE_CPUACCT: a cpuacct cgroup's usage file holding this run (and its server) */
	const char *cg = getenv("PROVINCE_CPUACCT");
	if (cg) {
		unsigned long long ns = 0;
		FILE *g = fopen(cg, "r");
		if (g && fscanf(g, "%llu", &ns) != 1)
			ns = 0;
		if (g)
			fclose(g);
		return (double)ns / 1e9;
	}
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "r");
	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			 &v[7]) != 8) {
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	return (double)(v[0] + v[2] + v[5] + v[6] + v[7]) / (double)sysconf(_SC_CLK_TCK);
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int run(int n, int ndos, int nslots, int first)
{
	offices = calloc((size_t)n, sizeof *offices);
	pthread_t *th = calloc((size_t)n, sizeof *th);
	for (int i = 0; i < n; i++) {
		office_code(first + i, offices[i].code);
		if (make_day(&offices[i], ndos, 1772766000LL + i))
			return 2;
	}
	sem_init(&slots, 0, (unsigned)nslots);
	double c_self = cpu_self(), c_all = cpu_all();
	t_start = now_ms();
	for (int i = 0; i < n; i++)
		pthread_create(&th[i], NULL, run_office, &offices[i]);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	double wall = now_ms() - t_start, *t = calloc((size_t)n, sizeof *t);
	fprintf(stderr, "cpu: offices %.2f s, machine %.2f s, wall %.2f s\n", cpu_self() - c_self, cpu_all() - c_all, wall / 1e3);
	int64_t ins = 0, want = 0;
	int errors = 0;
	for (int i = 0; i < n; i++) {
		t[i] = offices[i].end - t_start;
		ins += offices[i].inserted;
		want += offices[i].n;
		if (offices[i].err[0]) {
			if (errors++ < 3)
				fprintf(stderr, "office %s: %s\n", offices[i].code, offices[i].err);
		}
	}
	qsort(t, (size_t)n, sizeof *t, dcmp);
	int i50 = (n - 1) / 2, i99 = (int)((n - 1) * 0.99 + 0.5);
	/* offices wall_ms p50_ms p99_ms events_per_s inserted expected errors */
	printf("%d %.0f %.0f %.0f %.0f %lld %lld %d\n", n, wall, t[i50], t[i99], ins / (wall / 1000.0), (long long)ins,
	       (long long)want, errors);
	return errors || ins != want;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: province setup|hold URL N | run URL N DOSSIERS SLOTS [FIRST]\n");
		return 2;
	}
	url = argv[2];
	if (getenv("PROVINCE_BATCH") && atoi(getenv("PROVINCE_BATCH")) > 0)
		BATCH = atoi(getenv("PROVINCE_BATCH"));
	int n = atoi(argv[3]);
	if (!strcmp(argv[1], "setup"))
		return setup(n);
	if (!strcmp(argv[1], "hold"))
		return hold(n);
	if (!strcmp(argv[1], "run") && argc >= 6)
		return run(n, atoi(argv[4]), atoi(argv[5]), argc > 6 ? atoi(argv[6]) : 1);
	fprintf(stderr, "province: unknown command\n");
	return 2;
}
