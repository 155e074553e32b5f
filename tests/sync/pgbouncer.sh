#!/bin/sh
# pgbouncer.sh - offices sync through PgBouncer in transaction pooling mode, as
# README's production set-up puts it in front of central: two offices, each as its
# own role, push and pull at the same time through a pool of two server connections,
# batches larger than one SYNC_BATCH (each batch may meet another server connection:
# an office role's temporary table lives for its transaction only); nothing lost or
# doubled, nothing quarantined, and the pooler really served them transaction by
# transaction.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
. "$ROOT/tests/sync/pgbouncer.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
RA=motcua_000_00_17_h45
RB=motcua_000_00_31_h45
trap 'pgb_stop; pg_stop; rm -rf "$T"' EXIT
pg_start_or_skip
if ! pgb_have; then
	not_ok "pgbouncer is not installed (tools/deps.sh installs it)"
	exit 0
fi
check "PgBouncer starts in transaction mode, two server connections" pgb_start 2 transaction $RA $RB
DA=$T/a.db; DB_=$T/b.db
m "$DA" demo --dossiers 700 >/dev/null
use_central pg pgb
m "$DA" central init --central "$CURL" >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null
m "$DA" central office role $A --create --central "$CURL" >/dev/null
m "$DA" central office role $B --create --central "$CURL" >/dev/null
m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
UA=$(pgb_url pgb $RA)
UB=$(pgb_url pgb $RB)
check "office B's first sync through the pooler" m "$DB_" sync --central "$UB"
for i in 1 2 3 4 5; do
	m "$DB_" --as d_clerk1 receive --procedure $P2 --name "Trần Thị Riêng $i" --id 02212345679$i --components all >/dev/null
done
na=$(sqlite3 "$DA" "select count(*) from events")
check "office A has more events than one batch ($na)" test "$na" -gt 2000
# both offices at once, each a few times
( m "$DA" sync --central "$UA" >"$T/a1.out" 2>&1; echo $? >"$T/a1.rc" ) &
( m "$DB_" sync --central "$UB" >"$T/b1.out" 2>&1; echo $? >"$T/b1.rc" ) &
wait
check_eq "office A's sync through the pooler succeeded" 0 "$(cat "$T/a1.rc")"
check_eq "office B's sync through the pooler succeeded" 0 "$(cat "$T/b1.rc")"
m "$DA" --as clerk1 receive --procedure $P1 --name "Nguyễn Văn Mới" --id 022123450009 --components all >/dev/null
m "$DB_" --as d_clerk1 receive --procedure $P2 --name "Trần Thị Sáu" --id 022123456786 --components all >/dev/null
( m "$DA" sync --central "$UA" >"$T/a2.out" 2>&1; echo $? >"$T/a2.rc" ) &
( m "$DB_" sync --central "$UB" >"$T/b2.out" 2>&1; echo $? >"$T/b2.rc" ) &
wait
check_eq "both second syncs succeeded" "0 0" "$(cat "$T/a2.rc") $(cat "$T/b2.rc")"
check "every event of A is at central, hashes equal" same_events "$DA" $A
check "every event of B is at central, hashes equal" same_events "$DB_" $B
check_eq "none doubled" 0 "$(cq "select count(*) - count(distinct id) from c_events")"
check_eq "none quarantined" 0 "$(cq "select count(*) from c_quarantine")"
check_eq "A's store holds all of its events, and central the same number" "$(sqlite3 "$DA" "select count(*) from events")" \
	"$(cq "select count(*) from c_events where origin = '$A'")"
check "a third sync finds nothing to do" m "$DA" sync --central "$UA"
check_eq "... and changes nothing at central" "$(cq "select count(*) from c_events where origin = '$A'")" \
	"$(sqlite3 "$DA" "select count(*) from events")"
# the pooler served them: more transactions than server connections, at most two at once
stats=$(psql -At -F' ' -h "$PGDIR" -p "$PGBPORT" -U postgres -d pgbouncer -c "SHOW STATS" 2>&1 | awk '$1 == "pgb" { print $2 }')
check "the pooler counted the offices' transactions ($stats)" test "${stats:-0}" -gt 10
servers=$(psql -At -F' ' -h "$PGDIR" -p "$PGBPORT" -U postgres -d pgbouncer -c "SHOW SERVERS" 2>&1 | awk '$3 == "pgb" && $2 != "postgres"' | wc -l)
check "... through at most two server connections per office role" test "$servers" -le 4
# the province's figures read through the pooler too (central's owner, a read)
out=$(m "$DA" central dashboard --central "$(pgb_url pgb)" 2>&1)
check_match "central's dashboard reads through the pooler" "$A" "$out"
