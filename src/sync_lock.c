/* sync_lock.c - one sync of a store at a time (see sync_lock.h).
 *
 * Why: two syncs of one store at once (`sync --watch` as a service, and a clerk's
 * `motcua sync` or the UI's) push the same pending events side by side and move the
 * same cursors.  Central would skip the doubles (event ids are unique), but the two
 * push cursors race, and sync_recover.c relies on central holding a prefix of the
 * positions this store pushed, which two interleaved pushes break; two pulls race on
 * the pull cursor the same way.
 *
 * Why a lock file with flock(2) and not a row in the store: a row must be written in
 * a transaction to be taken and again to be given back, and a holder that crashed
 * leaves it behind; telling a dead holder from a slow one needs its pid (meaningless
 * from another machine, and reused) or a lease the holder renews, which a sync stuck
 * on a slow central lets lapse, and then two run.  The kernel's lock goes with its
 * process however it ends (kill -9, a crash, a power cut), costs nothing and never
 * takes the store's write lock, which the clerks' steps need meanwhile.  The file
 * (<store>-sync.lock, store_synclock.c) only names the holder for the message.
 *
 * A store on a network file system: Linux's NFS client makes flock a lock of the
 * whole file held at the server (NLM, or NFSv4's own), so two machines opening one
 * shared store exclude each other, and a machine that dies gives the lock up when
 * its lease ends (NFSv4: about 90 s) or when it comes back.  A share mounted with
 * `nolock` or `local_lock` keeps every lock on one machine: SQLite's own locks of
 * the store are then just as blind, and the store belongs on a local disk (README).
 * The holder's host name is in the message, so a clerk sees which machine syncs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "calendar.h"
#include "store_synclock.h"
#include "sync_lock.h"

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define SYNC_HOLDER_SINCE_MAX 253402300799LL /* 9999-12-31 23:59:59 UTC */

/* the holder's line "PID SINCE HOST", kept to what may be shown (the file is the
 * group's, so anyone in it could write there) */
static void holder_read(struct core *c, struct sync_holder *h)
{
	char line[200], host[200] = "";
	long long since = 0;
	memset(h, 0, sizeof *h);
	store_synclock_holder(c->st, line, sizeof line);
	/* a time no clock gives (the calendar's arithmetic would overflow on it): a line
	 * this program did not write, so it names no one */
	if (sscanf(line, "%ld %lld %199s", &h->pid, &since, host) != 3 || h->pid <= 0 || since <= 0 ||
	    since > SYNC_HOLDER_SINCE_MAX) {
		memset(h, 0, sizeof *h);
		return;
	}
	h->since = since;
	size_t j = 0;
	for (size_t i = 0; host[i] && j < sizeof h->host - 1; i++)
		if ((host[i] >= 'a' && host[i] <= 'z') || (host[i] >= 'A' && host[i] <= 'Z') || (host[i] >= '0' && host[i] <= '9') ||
		    host[i] == '.' || host[i] == '-' || host[i] == '_')
			h->host[j++] = host[i];
	h->host[j] = 0;
	if (!j)
		snprintf(h->host, sizeof h->host, "?");
}

static int busy(struct core *c, struct err *e)
{
	struct sync_holder h;
	holder_read(c, &h);
	if (!h.pid)
		return err_set(e, MC_BUSY, "another sync of this store is running: let it finish and sync again, or stop it if it hangs");
	char at[24];
	cal_format(h.since, 1, at, sizeof at);
	return err_set(e, MC_BUSY, "another sync of this store is running (process %ld on %s since %s): let it finish and sync again,"
		       " or stop that process if it hangs", h.pid, h.host, at);
}

/* mark: name this process as the holder (a look by sync_lock_running does not) */
static int try_once(struct core *c, int mark, struct err *e)
{
	char host[65] = "", line[160] = "";
	if (gethostname(host, sizeof host - 1) || !host[0])
		snprintf(host, sizeof host, "?");
	if (mark)
		snprintf(line, sizeof line, "%ld %lld %s\n", (long)getpid(), (long long)time(NULL), host);
	int rc = store_synclock_try(c->st, line);
	if (rc == MC_IO) {
		char path[4200];
		int err = errno;
		store_synclock_path(c->st, path, sizeof path);
		/* the file is there but not this account's to open (made 0600 under a umask
		 * of 077, or by another account): its folder is not the cause */
		if (store_synclock_denied(c->st))
			return err_set(e, MC_IO, "cannot open %s, which keeps two syncs of this store apart: permission denied; every"
				       " account that syncs this store must be able to read and write it, as the store itself"
				       " (an administrator: give it the store's owner, group and mode, e.g. 660)", path);
		return err_set(e, MC_IO, "cannot lock %s, which keeps two syncs of this store apart: %s; the store's folder must be writable",
			       path, strerror(err));
	}
	return rc;
}

int sync_lock(struct core *c, int wait_ms, void (*waiting)(void *ctx), void *ctx, struct err *e)
{
	if (wait_ms == 0)
		wait_ms = SYNC_LOCK_WAIT_MS;
	int64_t until = mono_ms() + (wait_ms > 0 ? wait_ms : 0);
	int rc = try_once(c, 1, e);
	if (rc == MC_BUSY && wait_ms > 0 && waiting)
		waiting(ctx);
	while (rc == MC_BUSY && mono_ms() < until) {
		usleep(100 * 1000);
		rc = try_once(c, 1, e);
	}
	return rc == MC_BUSY ? busy(c, e) : rc;
}

static void waiting_progress(void *ctx)
{
	const struct sync_opts *o = ctx;
	if (o->progress)
		o->progress(o->ctx, "wait", 0, 0);
}

int sync_lock_opts(struct core *c, const struct sync_opts *o, struct err *e)
{
	return sync_lock(c, 0, o ? waiting_progress : NULL, (void *)o, e);
}

void sync_unlock(struct core *c) { store_synclock_release(c->st); }

int sync_lock_running(struct core *c, struct sync_holder *h)
{
	struct err e = {0};
	memset(h, 0, sizeof *h);
	int rc = try_once(c, 0, &e);
	if (!rc)
		sync_unlock(c);
	if (rc != MC_BUSY)
		return 0;
	holder_read(c, h);
	return 1;
}
