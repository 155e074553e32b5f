/* privilege.h - the set-group-id install's privilege, used once and given up first.
 *
 * Installed set-group-id (README, "Deployment and security"), motcua starts with the
 * motcua group's right to the shared store.  privilege_drop_early() is the first
 * thing main() does: it opens the shared store (store_preopen: the file, its -wal and
 * -shm) and gives the group up for good (real, effective and saved ids), before any
 * argument is read.  Every later open (a central database, a bundle, a passphrase
 * file, an output file) runs with the user's own rights only.
 */
#ifndef MOTCUA_PRIVILEGE_H
#define MOTCUA_PRIVILEGE_H

/* 0, or MC_DENIED when the privilege cannot be given up (the process must stop) */
int privilege_drop_early(void);
/* 1 if the process was started set-user-id or set-group-id (it no longer is) */
int privilege_setid(void);

#endif
