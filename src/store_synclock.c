/* store_synclock.c - the lock file of one sync at a time (see store_synclock.h).
 *
 * Owns the file <store>-sync.lock and its descriptor: opened with the store, while
 * the set-group-id install still holds the group (like <store>-files), and locked
 * with flock(2) only while a sync runs.  The file holds one line naming its holder
 * (process, host, since), for the message of the sync that finds it taken; the lock
 * itself is the kernel's, and goes with the process however it ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "privilege.h"
#include "store_internal.h"
#include "store_synclock.h"

/* beside the store's file itself: SQLite names it with its symbolic links resolved (its
 * -wal and -shm are there too), so a store opened through a link to it, or by another
 * name of its folder, is locked by the same file as when opened by its own name */
void store_synclock_path(const struct store *st, char *buf, size_t n)
{
	const char *f = st->db ? sqlite3_db_filename(st->db, "main") : NULL;
	snprintf(buf, n, "%s-sync.lock", f && *f ? f : st->path);
}

void store_synclock_open(struct store *st)
{
	char path[4200];
	if (st->readonly)
		return; /* a read-only store never syncs */
	store_synclock_path(st, path, sizeof path);
	st->sync_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, privilege_setid() ? 0660 : 0644);
	if (st->sync_fd < 0) /* a file this user may only read still locks (flock needs no write right) */
		st->sync_fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	int err = errno;
	/* (seen now: a set-group-id motcua may no longer look into the folder later) */
	if (st->sync_fd < 0 && (err == EACCES || err == EPERM) && lstat(path, &sb) == 0)
		st->sync_denied = 1;
	errno = err;
	if (st->sync_fd >= 0 && privilege_setid() && fstat(st->sync_fd, &sb) == 0 && sb.st_size == 0)
		fchmod(st->sync_fd, 0660);
}

int store_synclock_try(struct store *st, const char *holder)
{
	if (st->sync_fd < 0) /* the store was opened before its directory could take the file */
		store_synclock_open(st);
	if (st->sync_fd < 0)
		return MC_IO;
	while (flock(st->sync_fd, LOCK_EX | LOCK_NB)) {
		if (errno == EWOULDBLOCK)
			return MC_BUSY;
		if (errno != EINTR)
			return MC_IO;
	}
	/* the holder's name is only for messages: the lock is held whether it is written or not */
	if (ftruncate(st->sync_fd, 0) == 0 && pwrite(st->sync_fd, holder, strlen(holder), 0) < 0)
		errno = 0;
	return 0;
}

int store_synclock_denied(const struct store *st) { return st->sync_denied; }

void store_synclock_release(struct store *st)
{
	if (st->sync_fd < 0)
		return;
	if (ftruncate(st->sync_fd, 0)) /* a stale name is only shown, never trusted */
		errno = 0;
	flock(st->sync_fd, LOCK_UN);
}

void store_synclock_holder(struct store *st, char *buf, size_t n)
{
	buf[0] = 0;
	if (st->sync_fd < 0 || n < 2)
		return;
	ssize_t got = pread(st->sync_fd, buf, n - 1, 0);
	buf[got > 0 ? got : 0] = 0;
}
