#!/bin/sh
# synclock.sh - the sync lock under the set-group-id install (README "Deployment and
# security"): <store>-sync.lock is the group's like the store (660, made when root
# creates the store, opened with it before the group is given up), so syncs run by
# different accounts on one shared store exclude each other, and a plain user can
# neither read nor lock the file outside motcua.
. "$ROOT/tests/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
	ok "# SKIP needs root, useradd and runuser"
	exit 0
fi
P=$(mktemp -d "${TMPDIR:-/tmp}/motcua-inst.XXXXXX")
G=mcg$$
U=mcu$$
cleanup() {
	userdel "$U" 2>/dev/null
	groupdel "$G" 2>/dev/null
	rm -rf "$P" "$T"
}
trap cleanup EXIT
chmod 755 "$P"
groupadd "$G" && useradd -M -d /nonexistent -s /bin/sh "$U" || { not_ok "cannot create the temporary group and user"; exit 1; }
S=$P/var/lib/motcua
BIN=$P/bin/motcua
as_user() { runuser -u "$U" -- "$@"; }
make -C "$ROOT" --no-print-directory install PREFIX="$P" STATEDIR="$S" MOTCUA_GROUP="$G" >"$T/install.log" 2>&1
(umask 022; TZ=UTC-7 faketime -f "@2024-03-11 08:00:00" "$BIN" demo --dossiers 20 >/dev/null 2>&1)
check_eq "the lock file beside the store: group $G, mode 660 (umask 022)" "660 $G" "$(stat -c '%a %G' "$S/motcua.db-sync.lock" 2>&1)"
"$BIN" user add "$U" --name "Quản trị thử" --roles admin >/dev/null
chmod 755 "$T"
mkdir "$T/c"; chmod 777 "$T/c"
C=sqlite:$T/c/central.db
"$BIN" central init --central "$C" >/dev/null 2>&1
"$BIN" central publish --central "$C" >/dev/null 2>&1
chmod 666 "$T/c/central.db"
# the plain user's sync, each batch of 5 committed 400 ms late, holds the lock
as_user env MOTCUA_TEST_COMMIT_DELAY_MS=400 "$BIN" sync --central "$C" --batch 5 >"$T/held.out" 2>&1 &
H=$!
i=0; while [ $i -lt 100 ] && [ ! -s "$S/motcua.db-sync.lock" ]; do sleep 0.1; i=$((i + 1)); done
out=$("$BIN" sync --central "$C" 2>&1); rc=$?
check_eq "root's sync of the same store, meanwhile, is refused (busy) $(echo "$out" | tail -n 1)" 8 "$rc"
check_match "... naming the plain user's sync" "another sync of this store is running \(process [0-9]+ on " "$out"
check_fails "the plain user cannot read the lock file" as_user cat "$S/motcua.db-sync.lock"
check_fails "nor lock it outside motcua" as_user flock -n "$S/motcua.db-sync.lock" true
wait $H; rc=$?
check_eq "the plain user's sync ends well" 0 "$rc"
check_eq "nothing pending after it" 0 "$("$BIN" --json sync status | sed -n 's/.*"pending": \([0-9]*\).*/\1/p')"
check_eq "central holds each of the store's events once" \
	"$(sqlite3 "$S/motcua.db" "select count(*) || ' ' || count(*) from events")" "$(sqlite3 "$T/c/central.db" "select count(*) || ' ' || count(distinct id) from c_events")"
# a lock file the plain user cannot open (made 0600, as under a umask of 077): the
# message names the file and what it needs, not the folder
chmod 600 "$S/motcua.db-sync.lock"
out=$(as_user env LANGUAGE=en "$BIN" sync --central "$C" 2>&1); rc=$?
check_eq "a lock file the plain user cannot open: the sync fails" 1 "$([ $rc -ne 0 ] && echo 1 || echo 0)"
check_match "... naming the file and the permission it needs" \
	"cannot open $S/motcua.db-sync.lock, which keeps two syncs of this store apart: permission denied; every account that syncs this store must be able to read and write it" "$out"
check_nomatch "... not the store's folder" "folder must be writable" "$out"
chmod 660 "$S/motcua.db-sync.lock"
check "given back its mode, the plain user syncs again" as_user "$BIN" sync --central "$C"
echo "1..$n"
