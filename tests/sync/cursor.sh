#!/bin/sh
# cursor.sh - the pull cursor never skips a row of a transaction that commits late
# (see src/central.h): a batch commits late while a second writer and a reader run.
# SQLite: the second writer waits for the first (one writer at a time, positions in
# commit order).  PostgreSQL: it does not wait (parallel ingest; positions come from
# transaction ids, readers stop below every batch still open); its positions still
# come after the first writer's.  Either way the reader neither blocks nor moves its
# cursor past the uncommitted rows, and afterwards every event arrives exactly once.
# tests/sync/parallel.sh holds 50 batches open at once.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

now_ms() { date +%s%3N; }

scenario() {
	use_central "$1" cursor
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	m "$DA" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 100 >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	m "$DB_" init --office $B --name "Huyện" >/dev/null
	m "$DB_" sync --central "$CURL" >/dev/null 2>&1
	before=$(chead)
	# writer 1: the province's push, committing 2 s late
	( MOTCUA_TEST_COMMIT_DELAY_MS=2000 "$MOTCUA" --db "$DA" sync --central "$CURL" --batch 100000 >/dev/null 2>&1; now_ms >"$T/w1.end" ) &
	sleep 0.5
	# writer 2: an online dossier for the district, started while writer 1 holds the lock
	t0=$(now_ms)
	x=$("$MOTCUA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Muộn" --id 022123456700)
	t2=$(now_ms)
	# a reader meanwhile (writer 1 has not committed yet if writer 2 waited)
	wait
	w1=$(cat "$T/w1.end")
	if [ "$1" = sqlite ]; then
		check "writer 2 waited for writer 1's commit $k" test "$t2" -ge "$((w1 - 200))"
		check "writer 2 did wait $k" test "$((t2 - t0))" -ge 800
	else
		check "writer 2 committed before writer 1 $k" test "$t2" -lt "$((w1 - 500))"
		check "writer 2 did not wait $k" test "$((t2 - t0))" -lt 1200
	fi
	check_match "writer 2 filed its dossier $k" "^000\.00\.00\.H45-" "$x"
	pos_x=$(cq "select pos from c_events where dossier_code = '$x'")
	max_a=$(cq "select max(pos) from c_events where office = '$A'")
	check "the later writer's positions come after the first's $k" test "$pos_x" -gt "$max_a"
	# a reader that runs while a batch is held: no blocking, no skipping
	( MOTCUA_TEST_COMMIT_DELAY_MS=2000 "$MOTCUA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Giữ khóa" --id 022123456701 >"$T/held" 2>&1 ) &
	sleep 0.5
	r0=$(now_ms)
	m "$DB_" sync >/dev/null 2>&1
	r1=$(now_ms)
	check "the reader does not wait for the held batch $k" test "$((r1 - r0))" -lt 1500
	cur=$(sqlite3 "$DB_" "select pull_cursor from sync_state")
	wait
	held_pos=$(cq "select pos from c_events where dossier_code = '$(cat "$T/held")'")
	check "the reader's cursor stopped before the late rows $k" test "$cur" -lt "$held_pos"
	m "$DB_" sync >/dev/null 2>&1
	check_eq "the late dossier arrives at the next pull $k" 1 "$(sqlite3 "$DB_" "select count(*) from dossiers where code = '$(cat "$T/held")'")"
	check "district: every event once on both sides $k" same_events "$DB_" $B
	check "province: every event once on both sides $k" same_events "$DA" $A
	check "log moved past the start $k" test "$(chead)" -gt "$before"
}

both_backends scenario
