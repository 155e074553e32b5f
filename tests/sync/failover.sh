#!/bin/sh
# failover.sh - central going back in time.  A SQLite central restored from a copy:
# the commune reads its log again, the centre sends again what it lost.  A PostgreSQL
# central with a hot standby (issue 20: "a standby where
# it matters").  The province's reports and dashboard read on the standby and give
# what the primary gives; an office syncing against the standby is refused with a
# message that says it is one.  Then the failover an asynchronous standby allows:
# the primary acknowledged a centre's last push and a commune pulled it, the standby
# never got it, the primary dies and the standby is promoted.  The centre finds that
# central lacks events it had acknowledged and sends them again; the commune finds
# that central's log is another one than the one it followed and reads it again from
# the start, so it misses nothing written after the failover (whose log positions may
# repeat the lost ones); nothing is doubled, every audit passes.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
sb_ctl() { as_pg "$PGBIN/pg_ctl" -D "$SB" -w -l "$PGDIR/standby.log" "$@" >/dev/null 2>&1; }
sb_start() {
	for try in 1 2 3 4 5; do
		SPORT=$(shuf -i 20000-60000 -n 1)
		sb_ctl -o "-k $PGDIR -p $SPORT -c listen_addresses='' -c fsync=off -c hot_standby=on" start && return 0
	done
	return 1
}
sq() { psql -q -At -h "$PGDIR" -p "$SPORT" -U postgres -d failover -c "$1"; }
CTR=$A                 # the demo office, made the province's centre
PC=$P2                 # a procedure the commune resolves
rows() { sqlite3 "$1" "select code || ' ' || status || ' ' || stage || ' ' || version from dossiers order by code"; }
# every event of the store $1 is at central, with its hash
all_at_central() {
	sqlite3 "$1" "select id || ' ' || lower(hex(hash)) from events" | LC_ALL=C sort >"$T/l.ids"
	cq "select id || ' ' || $(chex hash) from c_events" | LC_ALL=C sort >"$T/c.ids"
	[ -s "$T/l.ids" ] && [ -z "$(LC_ALL=C comm -23 "$T/l.ids" "$T/c.ids")" ]
}
doubled() { sqlite3 "$1" "select (select count(*) from (select 1 from events group by dossier_code, dseq having count(*) > 1)) + (select count(*) - count(distinct id) from events)"; }

# the centre's store DA and the commune's DB_ on central $CURL
province() {
	mt "2025-07-02 08:00:00" "$DA" demo --dossiers 0 >/dev/null
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" office set $CTR --kind centre --level 1 >/dev/null
	m "$DA" office set $B --kind commune >/dev/null
	m "$DA" office resolves $B $PC >/dev/null
	m "$DA" office receives $CTR $PC >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	m "$DB_" init --office $B --name "UBND xã Tiên Yên" >/dev/null
}
recv() { m "$DA" --as clerk1 receive --procedure $PC --name "$1" --id "$2" --components all >/dev/null; }

# a SQLite central restored from a copy taken before the last sync
use_central sqlite restore
DA=$T/s.a.db; DB_=$T/s.b.db
province
recv "Nguyễn Văn Một" 022123450001
m "$DA" sync --central "$CURL" >/dev/null; m "$DB_" sync --central "$CURL" >/dev/null
cp "$CDB" "$T/central.backup"
recv "Trần Thị Hai" 022123450002
m "$DA" sync --central "$CURL" >/dev/null; m "$DB_" sync --central "$CURL" >/dev/null
cp "$T/central.backup" "$CDB"; rm -f "$CDB-wal" "$CDB-shm"
check_eq "[sqlite] the restored central lacks the last dossier" 1 "$(cq "select count(distinct dossier_code) from c_events")"
out=$(m "$DB_" sync --central "$CURL" 2>&1)
check_match "[sqlite] the commune finds central's log behind its cursor and reads it again" "behind what this office had read" "$out"
out=$(m "$DA" sync --central "$CURL" 2>&1)
check_match "[sqlite] the centre sends again what central lost" "central lacks 2 events this office had sent it" "$out"
check "[sqlite] every event of the centre is at central again" all_at_central "$DA"
check_eq "[sqlite] nothing doubled at central" 0 "$(cq "select count(*) - count(distinct id) from c_events")"
m "$DB_" sync --central "$CURL" >/dev/null
check_eq "[sqlite] the commune holds both dossiers, once" "2 0" "$(sqlite3 "$DB_" "select count(*) from dossiers") $(doubled "$DB_")"

pg_start_or_skip
SB=$PGDIR/standby
PRIMARY=$PGPORT
use_central pg failover
DA=$T/a.db; DB_=$T/b.db
province
recv "Nguyễn Văn Một" 022123450001
recv "Trần Thị Hai" 022123450002
check "the centre pushes" m "$DA" sync --central "$CURL"
check "the commune pulls" m "$DB_" sync --central "$CURL"

# the standby, streaming from the primary
check "a standby from a base backup" as_pg "$PGBIN/pg_basebackup" -h "$PGDIR" -p "$PRIMARY" -U postgres -D "$SB" -R -X stream -c fast
check "the standby starts" sb_start
SURL=$(echo "$CURL" | sed "s/port=$PRIMARY/port=$SPORT/")
w=0; while [ "$(sq "select count(*) from c_events" 2>/dev/null)" != "$(cq "select count(*) from c_events")" ] && [ $w -lt 100 ]; do sleep 0.1; w=$((w + 1)); done
check_eq "the standby is in recovery" t "$(sq "select pg_is_in_recovery()")"
check_eq "... and has every event" "$(cq "select count(*) from c_events")" "$(sq "select count(*) from c_events")"
m "$DA" central project --central "$CURL" >/dev/null
w=0; while [ "$(sq "select value from c_meta where key = 'prov_pos'" 2>/dev/null)" != "$(cq "select value from c_meta where key = 'prov_pos'")" ] && [ $w -lt 100 ]; do sleep 0.1; w=$((w + 1)); done
check "the province's dashboard reads on the standby" m "$DA" central dashboard --central "$SURL"
check_eq "... the same as on the primary" "$(m "$DA" central dashboard --central "$CURL")" "$(cat "$T/.out")"
check "the province's report reads on the standby" m "$DA" central report 2025-Q3 --central "$SURL"
check_eq "... the same as on the primary" "$(m "$DA" central report 2025-Q3 --central "$CURL")" "$(cat "$T/.out")"
recv "Lê Văn Ba" 022123450003
check_fails "an office's sync against the standby is refused" m "$DA" sync --central "$SURL"
check_match "... saying it is a read-only standby" "standby" "$(cat "$T/.out")"

# the standby stops receiving; the primary acknowledges more; then it dies
sb_ctl -m fast stop
recv "Phạm Văn Bốn" 022123450004
check "the primary acknowledges the centre's push" m "$DA" sync --central "$CURL"
check "the commune pulls from the primary" m "$DB_" sync --central "$CURL"
lost=$(rows "$DB_")
check_eq "the commune holds four dossiers" 4 "$(sqlite3 "$DB_" "select count(*) from dossiers")"
pg_stop
sed -i '/primary_conninfo/d' "$SB/postgresql.auto.conf"
check "the standby starts alone" sb_ctl -o "-k $PGDIR -p $SPORT -c listen_addresses='' -c fsync=off" start
check "... and is promoted" sb_ctl promote
w=0; while [ "$(sq "select pg_is_in_recovery()")" != f ] && [ $w -lt 100 ]; do sleep 0.1; w=$((w + 1)); done
check_eq "the new primary lacks what the old one acknowledged last" 2 "$(sq "select count(distinct dossier_code) from c_events")"
# after the failover the centre receives again before it syncs
recv "Hoàng Thị Năm" 022123450005
out=$(m "$DA" sync --central "$SURL" 2>&1)
check_match "the centre notices central lacks events it had acknowledged, and sends them again" "central lacks [0-9]+ events this office had sent it.*sends them again" "$out"
PGPORT=$SPORT
check "every event of the centre is at the new primary" all_at_central "$DA"
out=$(m "$DB_" sync --central "$SURL" 2>&1)
check_match "the commune notices central's log is another one, and reads it again" "another one than the one this office followed" "$out"
check_eq "the commune holds every dossier, the one made after the failover too" 5 "$(sqlite3 "$DB_" "select count(*) from dossiers")"
check_eq "... in the same state as the centre" "$(rows "$DA")" "$(rows "$DB_")"
check_eq "nothing doubled at the commune" 0 "$(doubled "$DB_")"
check_eq "nothing doubled at central" 0 "$(sq "select count(*) - count(distinct id) from c_events")"
check "the centre's audit passes" m "$DA" audit verify
check "the commune's audit passes" m "$DB_" audit verify
out=$(m "$DB_" sync --central "$SURL" 2>&1)
check_match "a later sync is an ordinary one" "pulled 0 events" "$out"
sb_ctl -m immediate stop
