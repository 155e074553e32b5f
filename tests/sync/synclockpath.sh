#!/bin/sh
# synclockpath.sh - the sync lock (src/sync_lock.c) whatever name the store is opened
# by, and what its holder line may say: a sync through a symbolic link to the store is
# kept out while a sync by the store's own name runs (one lock file, beside the store's
# real file, none beside the link); a holder line written by hand, with a time no clock
# gives or terminal control characters, is neither trusted nor shown raw, and `sync
# status` and a second sync still report the running sync and end normally.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

held_by() { [ "$(cut -d' ' -f1 "$1-sync.lock" 2>/dev/null)" = "$2" ]; }
wait_held() { i=0; while [ $i -lt 100 ]; do held_by "$1" "$2" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }

use_central sqlite synclockpath
DA=$T/a.db
m "$DA" central init --central "$CURL" >/dev/null
mt "2024-03-11 08:00:00" "$DA" demo --dossiers 30 >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null
ln -s "$DA" "$T/link.db"

# a sync by the store's own name holds the lock; one through a link to it waits, then stops
MOTCUA_TEST_COMMIT_DELAY_MS=400 "$MOTCUA" --db "$DA" sync --central "$CURL" --batch 5 >"$T/held.out" 2>&1 &
H=$!
check "the first sync takes the lock" wait_held "$DA" "$H"
out=$(m "$T/link.db" sync 2>&1); rc=$?
check_eq "a sync of the same store through a symbolic link is kept out (busy, 8)" 8 "$rc"
check_match "... naming the running sync" "another sync of this store is running \(process $H on " "$out"
check "... and makes no second lock file beside the link" test ! -e "$T/link.db-sync.lock"
check_match "sync status through the link names the running sync" "process $H on " "$(m "$T/link.db" sync status 2>&1)"
wait "$H"
check_eq "the first sync ends well" 0 "$?"
check "central holds every event of the store exactly once" same_events "$DA" $A

# a holder line written by hand while another process holds the lock
ESC=$(printf '\033')
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "r+")
fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
f.truncate(0)
f.write("4242 9223372036854775807 host\n")
f.flush()
time.sleep(30)' "$DA-sync.lock" &
F=$!
i=0; while [ $i -lt 50 ] && [ ! -s "$DA-sync.lock" ]; do sleep 0.1; i=$((i + 1)); done
out=$(m "$DA" sync status 2>&1); rc=$?
check_eq "sync status with a holder line giving an impossible time ends normally" 0 "$rc"
check_match "... saying that another process syncs, without naming it" "another process is syncing this store" "$out"
check_nomatch "... and no date from that line" "process 4242" "$out"
printf '4243 1710122400 ho%s]0;pwned%sst%s[2J\n' "$ESC" "$(printf '\007')" "$ESC" >"$DA-sync.lock"
out=$(m "$DA" sync status 2>&1)
check_match "a holder line with control characters: the host shown is cleaned" "process 4243 on ho0pwnedst2J since 2024-03-11 09:00" "$out"
check_nomatch "... with no escape character in what is printed" "$ESC" "$out"
kill "$F" 2>/dev/null; wait "$F" 2>/dev/null
check_eq "once the other process is gone the lock is free" "" "$(m "$DA" sync status 2>&1 | grep -i "syncing now")"
echo "1..$n"
