#!/bin/sh
# watch.sh - continuous sync (`motcua sync --watch`, src/sync_watch.c) on a
# PostgreSQL central: two offices watching converge within seconds (a step at the
# province reaches central, central's online dossier for the district reaches the
# district), and both survive a central restart (they say they are offline, wait,
# and catch up when it is back).  SIGTERM ends a watch cleanly.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
if ! pg_start; then
	if pg_have; then not_ok "PostgreSQL could not start"; else echo "ok - # SKIP PostgreSQL server binaries are not installed"; fi
	exit 0
fi
use_central pg watch
DA=$T/a.db; DB_=$T/b.db
m "$DA" central init --central "$CURL" >/dev/null
mt "2024-03-11 08:00:00" "$DA" demo --dossiers 20 >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null
m "$DA" sync --central "$CURL" >/dev/null 2>&1
m "$DB_" init --office $B --name "Huyện" >/dev/null
m "$DB_" sync --central "$CURL" >/dev/null 2>&1
# wait_for SECONDS CMD...: until CMD succeeds; prints the tenths of a second it took
wait_for() {
	lim=$(($1 * 10)); shift; i=0
	while [ $i -lt $lim ]; do "$@" && { echo $i; return 0; }; sleep 0.1; i=$((i + 1)); done
	echo never; return 1
}
at_central() { [ "$(cq "select count(*) from c_events where dossier_code = '$1'")" -gt 0 ]; }
# rcv DB TIME NAME ID: a dossier received at the province; prints its code
rcv() { mt "$2" "$1" --as clerk1 --json receive --procedure $P1 --name "$3" --id "$4" --components all | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1; }
in_store() { [ "$(sqlite3 "$1" "select count(*) from dossiers where code = '$2'")" = 1 ]; }

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
