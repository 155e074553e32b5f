/* store_synclock.h - the lock file beside the store that lets one sync of the store
 * run at a time: <store>-sync.lock (src/store_synclock.c; the rules and why a file
 * lock: src/sync_lock.h). */
#ifndef MOTCUA_STORE_SYNCLOCK_H
#define MOTCUA_STORE_SYNCLOCK_H
#include <stddef.h>
#include "store.h"

/* take the lock without waiting and write holder (one line) into the file: 0 taken,
 * MC_BUSY another process holds it, MC_IO the file cannot be opened or locked (errno) */
int store_synclock_try(struct store *st, const char *holder);
/* 1 when the lock file is there but this account may not open it (its mode or owner) */
int store_synclock_denied(const struct store *st);
/* give the lock up (the file is emptied first) */
void store_synclock_release(struct store *st);
/* what the holder wrote into the file ("" if nothing yet) */
void store_synclock_holder(struct store *st, char *buf, size_t n);
/* the lock file's path */
void store_synclock_path(const struct store *st, char *buf, size_t n);

#endif
