/* load.c - the load driver: N clerk processes on one store doing a realistic mix
 * (receive, search, transfer, assign, propose, sign, return, dashboard) with think
 * time, each through the core as a long-lived UI process would: leaders with a key
 * sign digitally (Ed25519, as the signing screen does), supervisors load the
 * dashboard as its screen does.  Every step a worker
 * saw confirmed is logged with its event's dossier and version; afterwards the driver
 * checks the store holds each exactly once.  Prints "BENCH ..." lines and a summary.
 * Usage: load STORE PROCESSES SECONDS LOGDIR */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dashboard.h"
#include "demo.h"
#include "dossier.h"
#include "queue.h"
#include "sign.h"
#include "store.h"
#include "text.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct pick { char code[CODE_LEN]; int found; };
static int first(const struct dossier *d, void *ctx)
{
	struct pick *p = ctx;
	snprintf(p->code, sizeof p->code, "%s", d->code);
	p->found = 1;
	return 1;
}

static const char *heads[] = {"head_tm", "head_nl", "head_at", "head_cn"};
static const char *specs[][2] = {{"spec_tm1", "spec_tm2"}, {"spec_nl1", "spec_nl1"}, {"spec_at1", "spec_at1"}, {"spec_cn1", "spec_cn1"}};

static int worker(const char *path, int w, int seconds, const char *logdir)
{
	struct core c;
	struct err e = {0};
	if (core_open(&c, path, 0, &e)) {
		fprintf(stderr, "worker %d: %s\n", w, e.msg);
		return 1;
	}
	snprintf(c.os_account, sizeof c.os_account, "load%d", w);
	char fn[512];
	snprintf(fn, sizeof fn, "%s/w%d.log", logdir, w);
	FILE *log = fopen(fn, "w");
	srand((unsigned)(w * 7919 + time(NULL)));
	/* 0,1 clerk; 2 head; 3 specialist; 4 leader; 5 supervisor.  The i-th head and the
	 * i-th specialist work in the same department (TM, NL, KTAT, CN, TM), so what a
	 * head assigns reaches a specialist who is at work */
	int role = w % 6, i = w / 6;
	const char *acct = role <= 1 ? (w % 2 ? "clerk1" : "clerk2") : role == 2 ? heads[i % 4] :
			   role == 3 ? specs[i % 4][i / 4 % 2] : role == 4 ? (w % 2 ? "leader1" : "leader2") : "super1";
	store_user_by_account(c.st, acct, &c.actor);
	int keyed = role == 4 && sign_key_exists(&c, acct);
	struct dossier *d = malloc(sizeof *d);
	double end = now_ms() + seconds * 1000.0;
	int n = 0;
	while (now_ms() < end) {
		usleep((useconds_t)(20000 + rand() % 80000)); /* think time 20-100 ms */
		struct pick p = {"", 0};
		const char *kind = NULL;
		int rc = 0, write = 1;
		double t0 = now_ms();
		if (role <= 1) {
			int r = rand() % 10;
			if (r < 4) {
				char name[64], id[16];
				snprintf(name, sizeof name, "Khách tải %d-%d", w, n);
				snprintf(id, sizeof id, "022%09d", w * 100000 + n);
				struct receive_req q = {.procedure = "1.001037", .name = name, .idno = id, .components = 0xffff};
				struct procedure pr;
				store_procedure_by_code(c.st, q.procedure, &pr);
				q.components = (1u << pr.ncomponents) - 1;
				kind = "receive";
				rc = dossier_receive(&c, &q, d, &e);
			} else if (r < 6) {
				kind = "search";
				write = 0;
				char f[64];
				text_fold("nguyen van", f, sizeof f);
				struct pick sp = {"", 0};
				store_search(c.st, f, 20, first, &sp);
			} else {
				const struct queue_def *qd = queue_def_for(ROLE_CLERK);
				queue_list(&c, qd, 1, rand() % 5, first, &p);
				if (p.found) {
					store_dossier_get(c.st, p.code, d);
					kind = d->stage == SG_ACCEPTED ? "transfer" : d->stage == SG_RESULT ? "return" : NULL;
					if (d->stage == SG_ACCEPTED)
						rc = dossier_transfer(&c, p.code, NULL, d, &e);
					else if (d->stage == SG_RESULT)
						rc = dossier_return(&c, p.code, "Người nộp", 5, d, &e);
				}
			}
		} else if (role == 5) {
			kind = "dashboard";
			write = 0;
			struct dashboard db;
			memset(&db, 0, sizeof db);
			rc = dashboard_load(&c, -1, &db, &e);
			dashboard_free(&db);
		} else {
			unsigned rl = role == 2 ? ROLE_HEAD : role == 3 ? ROLE_SPECIALIST : ROLE_LEADER;
			queue_list(&c, queue_def_for(rl), 1, rand() % 3, first, &p);
			if (p.found) {
				if (role == 2) {
					struct department dp;
					store_dept_get(c.st, c.actor.dept_id, &dp);
					int k = (int)(c.actor.dept_id - 1) % 4;
					kind = "assign";
					rc = dossier_assign(&c, p.code, specs[k][rand() % 2], d, &e);
				} else if (role == 3) {
					kind = "propose";
					rc = dossier_propose(&c, p.code, DEC_APPROVE, "Đủ điều kiện", d, &e);
				} else {
					kind = "sign";
					rc = keyed ? sign_dossier(&c, p.code, DEMO_PASSPHRASE, d, &e) : dossier_sign(&c, p.code, NULL, d, &e);
				}
			}
		}
		double ms = now_ms() - t0;
		if (!kind)
			continue;
		n++;
		/* a lost race (someone else took it first) is the normal answer, not an error */
		const char *res = rc == 0 ? "ok" : (rc == MC_STATE || rc == MC_CONFLICT || rc == MC_DENIED) ? "race" : "error";
		fprintf(log, "%s %s %.3f %s %d %s\n", kind, res, ms, write && rc == 0 ? d->code : "-",
			write && rc == 0 ? d->version : 0, rc && rc != MC_STATE && rc != MC_CONFLICT && rc != MC_DENIED ? e.msg : "");
		fflush(log);
	}
	fclose(log);
	free(d);
	core_close(&c);
	return 0;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: load STORE PROCESSES SECONDS LOGDIR\n");
		return 2;
	}
	int np = atoi(argv[2]), secs = atoi(argv[3]);
	for (int w = 0; w < np; w++)
		if (fork() == 0)
			_exit(worker(argv[1], w, secs, argv[4]));
	int status, failed = 0;
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	/* gather: latencies of writing steps, errors, confirmations */
	size_t cap = 1 << 16, nl = 0;
	double *lat = malloc(cap * sizeof *lat);
	int errors = 0, races = 0, writes = 0, missing = 0, steps = 0;
	struct core c;
	struct err e = {0};
	if (core_open(&c, argv[1], 0, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	for (int w = 0; w < np; w++) {
		char fn[512], line[1024];
		snprintf(fn, sizeof fn, "%s/w%d.log", argv[4], w);
		FILE *f = fopen(fn, "r");
		while (f && fgets(line, sizeof line, f)) {
			char kind[32], res[16], code[CODE_LEN];
			double ms;
			int ver;
			if (sscanf(line, "%31s %15s %lf %47s %d", kind, res, &ms, code, &ver) != 5)
				continue;
			steps++;
			if (nl == cap)
				lat = realloc(lat, (cap *= 2) * sizeof *lat);
			lat[nl++] = ms;
			if (!strcmp(res, "error")) {
				errors++;
				fprintf(stderr, "error: %s", line);
			}
			if (!strcmp(res, "race"))
				races++;
			if (!strcmp(res, "ok") && strcmp(code, "-")) {
				/* the confirmed step: the event with that version exists exactly once */
				writes++;
				struct dossier d;
				if (store_dossier_get(c.st, code, &d) || d.version < ver)
					missing++;
			}
		}
		if (f)
			fclose(f);
	}
	char msg[256];
	int bad = store_integrity_check(c.st, msg, sizeof msg);
	core_close(&c);
	qsort(lat, nl, sizeof *lat, cmpd);
	double p50 = nl ? lat[nl / 2] : 0, p99 = nl ? lat[(size_t)(nl * 0.99)] : 0;
	printf("# load: %d processes, %d s: %d steps (%d confirmed writes, %d lost races), %d errors, p50 %.2f ms, p99 %.2f ms\n",
	       np, secs, steps, writes, races, errors, p50, p99);
	printf("BENCH load_%dp_p99_ms %.3f ms <50 %s\n", np, p99, p99 < 50 ? "PASS" : "FAIL");
	printf("BENCH load_%dp_steps_per_s %.1f steps/s info PASS\n", np, steps / (double)secs);
	printf("BENCH load_%dp_errors %d count 0 %s\n", np, errors + failed, errors + failed ? "FAIL" : "PASS");
	printf("BENCH load_%dp_lost_confirmed %d count 0 %s\n", np, missing, missing ? "FAIL" : "PASS");
	printf("BENCH load_%dp_integrity %d bad 0 %s\n", np, bad, bad ? "FAIL" : "PASS");
	free(lat);
	return errors || missing || bad || failed;
}
