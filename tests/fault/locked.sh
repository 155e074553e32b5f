#!/bin/sh
# locked.sh - the store is held by a long reader, a backup, or another writer: writers
# wait and succeed, and no "database is locked" reaches the user.
. "$ROOT/tests/lib.sh"
mc demo --dossiers 200 >/dev/null
# a long reader (WAL: readers never block writers)
mkfifo "$T/r"
(sqlite3 "$DB" <"$T/r" >/dev/null 2>&1) &
exec 3>"$T/r"
echo "BEGIN; SELECT count(*) FROM events;" >&3
check "receive while a long read transaction is open" mc --as clerk1 receive --procedure 1.001037 --name "Khi đọc" --id 022123456700
# a backup
check "backup runs" sqlite3 "$DB" ".backup '$T/backup.db'"
check_eq "the backup is intact" ok "$(sqlite3 "$T/backup.db" 'pragma integrity_check')"
echo "COMMIT;" >&3
exec 3>&-
# another writer holds the write lock for 2 seconds
mkfifo "$T/w"
(sqlite3 "$DB" <"$T/w" >/dev/null 2>&1) &
exec 4>"$T/w"
# (with a busy timeout of its own: the probe below must not make it fail to lock)
echo ".timeout 5000" >&4
echo "BEGIN IMMEDIATE; INSERT INTO settings(key, value) VALUES ('lock.test', '1');" >&4
# wait until it really holds the lock
n=0
while sqlite3 -cmd ".timeout 0" "$DB" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
(sleep 2; echo "COMMIT;" >&4; exec 4>&-) &
t0=$(date +%s%N)
out=$(mc --as clerk1 receive --procedure 1.001037 --name "Khi bị khóa" --id 022123456701 2>&1)
rc=$?
t1=$(date +%s%N)
exec 4>&-
wait
check_eq "the writer waited and succeeded" 0 "$rc"
check_nomatch "no 'locked' message" "locked|busy" "$out"
check_match "it really waited for the lock (ms)" "^[1-9][0-9]{2,}$" "$(( (t1 - t0) / 1000000 ))"
check_eq "integrity" ok "$(sqlite3 "$DB" 'pragma integrity_check')"
