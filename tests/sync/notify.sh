#!/bin/sh
# notify.sh - `motcua sync --watch` on a PostgreSQL central pulls when central
# NOTIFYs (a batch itself, src/central_pg.c; a delivery, trigger c_notify; heard in
# src/central_listen.c), not when its poll comes round:
# with a 60 s poll interval, central's re-routing of a province dossier to the
# district reaches the district (and the province learns it left) within seconds,
# so does an online dossier filed at central; a rolled-back batch notifies nobody;
# when central drops the listening connection the watch listens again and catches
# what was said meanwhile; both offices end with every event once.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
. "$ROOT/tests/sync/watch.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
watch_setup notify
moved() { [ "$(sqlite3 "$1" "select o.agency_code from dossiers d join offices o on o.id = d.office_id where d.code = '$2'")" = "$3" ]; }
listening() { [ "$(cq "select count(*) from pg_stat_activity where query like 'LISTEN%'")" -ge "$1" ]; }

"$MOTCUA" --db "$DA" sync --watch --interval 60 >"$T/a.out" 2>&1 & WA=$!
"$MOTCUA" --db "$DB_" sync --watch --interval 60 >"$T/b.out" 2>&1 & WB=$!
t=$(wait_for 10 listening 2)
check "both watches listen to central (took ${t}/10 s)" test "$t" != never
sleep 1
code=$(sqlite3 "$DA" "select code from dossiers where stage = 30 order by code limit 1")
m "$DA" central reroute "$code" --to $B --reason "Sai thẩm quyền" --central "$CURL" >/dev/null
t=$(wait_for 20 in_store "$DB_" "$code")
check "central's re-routing reaches the district on notify, well before its 60 s poll (took ${t}/10 s)" test "${t#never}" -lt 50
t=$(wait_for 20 moved "$DA" "$code" $B)
check "... and the province learns the dossier left (took ${t}/10 s)" test "${t#never}" -lt 50
y=$("$MOTCUA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Trực tuyến" --id 022123456791)
t=$(wait_for 20 in_store "$DB_" "$y")
check "an online dossier filed at central reaches the district on notify (took ${t}/10 s)" test "${t#never}" -lt 50
# a batch rolled back says nothing: notifications are sent at commit only
n0=$(grep -c . "$T/b.out")
cq "begin; insert into c_deliveries select '$B', pos + 1, id from c_events where dossier_code = '$y' limit 1; rollback" >/dev/null
sleep 2
check_eq "a rolled-back write notifies nobody (the district did not sync)" "$n0" "$(grep -c . "$T/b.out")"
# central drops the listening connections: the watches listen again and catch up
cq "select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN%'" >/dev/null
z=$("$MOTCUA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Khi mất kết nối" --id 022123456792)
t=$(wait_for 20 in_store "$DB_" "$z")
check "after its connection is dropped the district listens again and catches up (took ${t}/10 s)" test "${t#never}" -lt 100
t=$(wait_for 10 listening 2)
check "... both listen again" test "$t" != never
kill -TERM $WA $WB
wait $WA; ra=$?
wait $WB; rb=$?
check_eq "SIGTERM ends both watches cleanly" "0 0" "$ra $rb"
# every event of each store is at central with the same hash (a re-routed dossier's
# older steps stay filed under the province at central), none twice
at_central_all() {
	sqlite3 "$1" "select id || ' ' || lower(hex(hash)) from events" | LC_ALL=C sort >"$T/l.ids"
	cq "select id || ' ' || encode(hash, 'hex') from c_events" | LC_ALL=C sort >"$T/c.ids"
	[ -z "$(LC_ALL=C comm -23 "$T/l.ids" "$T/c.ids")" ] && [ "$(sort -u "$T/c.ids" | wc -l)" = "$(wc -l <"$T/c.ids")" ]
}
check "province: every event at central, once" at_central_all "$DA"
check "district: every event at central, once" at_central_all "$DB_"
sed 's/^/# b: /' "$T/b.out" | head -10
