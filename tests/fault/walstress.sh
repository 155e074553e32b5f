#!/bin/sh
# walstress.sh - the WAL-reset race (SQLite before 3.51.3): many writers commit and
# checkpoint while outside SQLite clients back the store up (sqlite3 .backup) and
# checkpoint it without any writer lock.  Nothing is lost, every backup and the store
# stay intact, and motcua runs a SQLite that has the bug fixed (unless built with
# SQLITE=system, which 'motcua check' warns about).
. "$ROOT/tests/lib.sh"
M=$ROOT/motcua
"$M" --db "$DB" demo --dossiers 300 >/dev/null
ver=$("$M" --db "$DB" check 2>"$T/check.err" | head -1)
check_match "motcua check reports the SQLite in use" "^SQLite 3\.[0-9]+\.[0-9]+$" "$ver"
if grep -q "WAL-reset" "$T/check.err"; then
	ok "# SKIP built against a SQLite with the WAL-reset bug: $ver (the warning is given)"
else
	minor=$(echo "$ver" | cut -d. -f2); patch=$(echo "$ver" | cut -d. -f3)
	check "the SQLite in use has the WAL-reset fix (3.51.3 or later)" test "$minor" -gt 51 -o \( "$minor" -eq 51 -a "$patch" -ge 3 \)
fi
mkdir -p "$T/log"
"$ROOT/build/load" "$DB" 12 6 "$T/log" >"$T/load.out" 2>&1 &
load=$!
i=0
while kill -0 $load 2>/dev/null && [ $i -lt 200 ]; do
	i=$((i + 1))
	sqlite3 "$DB" ".timeout 2000" ".backup '$T/bk$((i % 4)).db'" 2>>"$T/outside.err" &&
		[ "$(sqlite3 "$T/bk$((i % 4)).db" 'pragma integrity_check')" = ok ] || echo "backup $i not intact" >>"$T/bad"
	sqlite3 "$DB" ".timeout 2000" "pragma wal_checkpoint(PASSIVE)" >/dev/null 2>>"$T/outside.err"
done
wait $load
out=$(cat "$T/load.out")
echo "$out" | grep -E "processes|BENCH load_12p_(errors|lost|integrity)" | sed 's/^/# /'
check "outside clients ran alongside ($i backups and checkpoints)" test "$i" -ge 3
check_eq "every backup taken under load is intact" "" "$(cat "$T/bad" 2>/dev/null)"
check_match "12 writers worked" "12 processes, 6 s: [1-9][0-9]* steps" "$out"
check_match "no error reached a user" "BENCH load_12p_errors 0 " "$out"
check_match "every confirmed step is in the store" "BENCH load_12p_lost_confirmed 0 " "$out"
check_eq "the store is intact" ok "$(sqlite3 "$DB" 'pragma integrity_check')"
check_eq "every dossier row matches its events" 0 "$(sqlite3 "$DB" "select count(*) from dossiers d where version != (select count(*) from events e where e.dossier_code = d.code)")"
check "the audit chain holds" "$M" --db "$DB" audit verify
wal=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
check "the WAL was checkpointed along the way (not past 64 MiB)" test "$wal" -le 67108864
