#!/bin/sh
# watch.sh - continuous sync (`motcua sync --watch`, src/sync_watch.c) on a
# PostgreSQL central: two offices watching converge within seconds (a step at the
# province reaches central, central's online dossier for the district reaches the
# district), and both survive a central restart (they say they are offline, wait,
# and catch up when it is back).  SIGTERM ends a watch cleanly.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
. "$ROOT/tests/sync/watch.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
watch_setup watch
at_central() { [ "$(cq "select count(*) from c_events where dossier_code = '$1'")" -gt 0 ]; }
# rcv DB TIME NAME ID: a dossier received at the province; prints its code
rcv() { mt "$2" "$1" --as clerk1 --json receive --procedure $P1 --name "$3" --id "$4" --components all | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1; }

"$MOTCUA" --db "$DA" sync --watch --interval 1 >"$T/a.out" 2>&1 & WA=$!
"$MOTCUA" --db "$DB_" sync --watch --interval 1 >"$T/b.out" 2>&1 & WB=$!
sleep 1
x=$(rcv "$DA" "2024-03-12 09:00:00" "Theo dõi" 022123456790)
t=$(wait_for 10 at_central "$x")
check "a step at the province reaches central within 5 s (took ${t}/10 s)" test "${t#never}" -lt 50
y=$("$MOTCUA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Trực tuyến" --id 022123456791)
t=$(wait_for 10 in_store "$DB_" "$y")
check "central's dossier reaches the district within 5 s (took ${t}/10 s)" test "${t#never}" -lt 50

# central restarts
port=$PGPORT
pg_stop
z=$(rcv "$DA" "2024-03-12 10:00:00" "Khi mất mạng" 022123456792)
t=$(wait_for 10 grep -q "offline" "$T/a.out")
check "the province's watch says it is offline" test "$t" != never
check_match "... and when it tries again" "trying again in [0-9]+ s" "$(cat "$T/a.out")"
sleep 2
pg_restart "$port"
t=$(wait_for 90 at_central "$z")
check "after the restart the step written offline reaches central (took ${t}/10 s)" test "$t" != never
w=$("$MOTCUA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Sau khởi động" --id 022123456793)
t=$(wait_for 90 in_store "$DB_" "$w")
check "... and the district gets central's new dossier (took ${t}/10 s)" test "$t" != never
check_match "the province's watch is online again" "online again" "$(cat "$T/a.out")"
kill -TERM $WA $WB
wait $WA; ra=$?
wait $WB; rb=$?
check_eq "SIGTERM ends both watches cleanly" "0 0" "$ra $rb"
check "province: every event once on both sides" same_events "$DA" $A
check "district: every event once on both sides" same_events "$DB_" $B
sed 's/^/# a: /' "$T/a.out" | head -20
