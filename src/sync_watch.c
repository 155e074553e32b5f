/* sync_watch.c - continuous sync (`motcua sync --watch`): keeps an online office
 * within seconds of central.
 *
 * Why a loop of plain syncs and not a protocol of its own: every sync is already
 * idempotent and resumable, so the watcher only decides when to run one.  It pushes
 * within a short debounce after the store changed (the newest event's seq, one
 * index lookup, read twice a second), and pulls by polling central every interval
 * with jitter (±20%), so that 150 offices reconnecting at 07:30 spread out instead
 * of arriving together.  When central cannot be reached it says so once, waits with
 * exponential backoff (2 s doubling to 60 s, with jitter) and says when it is back.
 * When another sync of this store runs (a clerk's, the UI's: sync_lock.h), it says
 * once that it waits, and tries again every second until its turn comes.
 * Each successful sync records its time (sync_state), which the UI's status line
 * shows as the lag.  On a PostgreSQL central it also LISTENs on its office's channel
 * (src/central_listen.c) and pulls as soon as central notifies that a write for it
 * committed; polling stays, as the fallback when that connection is lost.
 *
 * It owns nothing but its timers; the sync itself is sync_run (src/sync.c).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "central_listen.h"
#include "report.h"
#include "store.h"
#include "sync.h"
#include "sync_lock.h"
#include "sync_watch.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

void sync_watch_stop(void) { stop_flag = 1; }

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ms * (1 ± spread), spread in percent */
static int64_t jitter(int64_t ms, int spread)
{
	return ms + (ms * ((rand() % (2 * spread + 1)) - spread)) / 100;
}

int sync_watch(struct core *c, const char *url, const struct sync_watch_opts *o, struct err *e)
{
	int interval = o->interval_s > 0 ? o->interval_s : SYNC_WATCH_INTERVAL;
	int64_t debounce = o->debounce_ms > 0 ? o->debounce_ms : SYNC_WATCH_DEBOUNCE_MS;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	srand((unsigned)(mono_ms() ^ getpid()));
	stop_flag = 0;
	int64_t next = mono_ms(), changed_at = 0, backoff = 0, last_top = store_report_stamp(c->st);
	int offline = 0, runs = 0, waiting = 0; /* waiting: for another sync of this store */
	struct central_listen *ln = NULL;   /* central's notifications (PostgreSQL) */
	int64_t listen_at = 0;              /* when to try listening again */
	while (!stop_flag) {
		int64_t now = mono_ms(), top = store_report_stamp(c->st);
		if (top != last_top) {        /* a step was written here: push it soon */
			last_top = top;
			changed_at = now;
		}
		int push_due = changed_at && now - changed_at >= debounce && !offline;
		if (push_due || now >= next) {
			struct sync_result r = {0};
			struct err se = {0};
			/* the lock first, not waiting (a store busy otherwise is no turn to wait
			 * for); sync_run takes it again on the same file, which has it */
			int rc = sync_lock(c, -1, NULL, NULL, &se), busy = rc == MC_BUSY;
			if (!rc) {
				rc = sync_run(c, url, o->sync, &r, &se);
				sync_unlock(c);
			}
			now = mono_ms();
			changed_at = 0;
			if (busy) { /* another sync of this store runs (sync_lock.h): its turn first */
				if (o->report && !waiting)
					o->report(o->ctx, SYNC_WATCH_WAITING, NULL, se.msg, 1);
				waiting = 1;
				next = now + 1000;
				continue;
			}
			runs++;
			last_top = store_report_stamp(c->st);
			if (rc) {
				if (rc == MC_USAGE || rc == MC_VERSION || rc == MC_DENIED) {
					*e = se;      /* nothing waiting will fix these */
					return rc;
				}
				backoff = backoff ? backoff * 2 : 2000;
				if (backoff > 60000)
					backoff = 60000;
				int64_t wait = jitter(backoff, 25);
				if (o->report)
					o->report(o->ctx, offline ? SYNC_WATCH_STILL_OFFLINE : SYNC_WATCH_OFFLINE, NULL, se.msg,
						  (int)((wait + 999) / 1000));
				offline = 1;
				waiting = 0;
				next = now + wait;
				central_listen_close(ln);
				ln = NULL;
			} else {
				if (o->report && (offline || waiting || r.pushed || r.pulled || r.push_refused || r.conflicts || runs == 1))
					o->report(o->ctx, offline ? SYNC_WATCH_BACK : SYNC_WATCH_SYNCED, &r, NULL, 0);
				offline = 0;
				backoff = 0;
				waiting = 0;
				next = now + jitter((int64_t)interval * 1000, 20);
			}
			if (o->max_runs && runs >= o->max_runs) {
				central_listen_close(ln);
				ln = NULL;
				break;
			}
			continue;
		}
		int tick = o->tick_ms > 0 ? o->tick_ms : 500;
		if (!ln && !offline && runs && now >= listen_at) {
			char saved[1024] = "";
			struct err le = {0};
			const char *u = url ? url : store_setting_get(c->st, "central.url", saved, sizeof saved) == 0 ? saved : NULL;
			if (!(ln = central_listen_open(u, c->office.agency_code, &le)))
				listen_at = now + 60000;
			else if (runs > 1)
				next = now;             /* listening again: what was said meanwhile is pulled now */
			continue;
		}
		if (ln) {
			int heard = central_listen_wait(ln, tick);
			if (heard > 0 && !offline)
				next = mono_ms();      /* central has something for us: pull now */
			else if (heard < 0) {
				central_listen_close(ln);
				ln = NULL;
				listen_at = mono_ms() + 2000;
			}
		} else {
			usleep((useconds_t)tick * 1000);
		}
	}
	central_listen_close(ln);
	return 0;
}
