#!/bin/sh
# synclock.sh - one sync of a store at a time (src/sync_lock.c), on both backends:
# a sync held open at central (batches of 5, each committed late) keeps a second
# `motcua sync` of the same store out: it waits its bounded time, then says who
# syncs (process, since) and exits non-zero, and `sync status` names that process; so
# does a bundle export;
# a second sync started near the end of the first waits and then runs; `sync
# --watch` waits its turn and says so; a holder killed with SIGKILL blocks nothing.
# Each time central holds every event of the store exactly once.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

now_ms() { date +%s%3N; }
# rcv DB TIME NAME ID: a dossier received at the province
rcv() { mt "$2" "$1" --as clerk1 receive --procedure $P1 --name "$3" --id "$4" --components all >/dev/null; }
# held_by DB PID: the sync lock of DB names process PID (it holds it)
held_by() { [ "$(cut -d' ' -f1 "$1-sync.lock" 2>/dev/null)" = "$2" ]; }
# wait_held DB PID: until then (10 s at most)
wait_held() { i=0; while [ $i -lt 100 ]; do held_by "$1" "$2" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
# held DB ID [BATCH]: a sync of DB in the background, each batch (of 5) committed
# 400 ms (DELAY) late; HOLDER is its pid
held() {
	MOTCUA_TEST_COMMIT_DELAY_MS=${DELAY:-400} "$MOTCUA" --db "$1" sync --central "$CURL" --batch "${3:-5}" >"$T/$2.out" 2>&1 &
	HOLDER=$!
}
pending() { m "$1" --json sync status | sed -n 's/.*"pending": \([0-9]*\).*/\1/p'; }

scenario() {
	use_central "$1" synclock
	k="[$1]"
	DA=$T/$1.a.db
	m "$DA" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 30 >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	total=$(sqlite3 "$DA" "select count(*) from events")

	# a second sync while the first one runs: refused after its wait, naming the first
	held "$DA" first
	check "the first sync takes the lock and names itself in it $k" wait_held "$DA" "$HOLDER"
	st=$(m "$DA" sync status 2>&1)
	check_match "sync status names the running sync $k" "process $HOLDER on " "$st"
	t0=$(now_ms)
	out=$(m "$DA" sync 2>&1); rc=$?
	t1=$(now_ms)
	check_eq "the second sync exits with 8 (busy) $k" 8 "$rc"
	check_match "... saying another sync of this store runs, which process, and what to do $k" \
		"another sync of this store is running \(process $HOLDER on [^ ]+ since [0-9-]+ [0-9:]+\): let it finish and sync again" "$out"
	check_match "... after saying that it waits $k" "waits up to 5 seconds" "$out"
	check "... after waiting its bounded time, about 5 s (took $((t1 - t0)) ms) $k" test $((t1 - t0)) -ge 4500 -a $((t1 - t0)) -lt 9000
	check "the first sync was still running meanwhile $k" kill -0 "$HOLDER"
	wait "$HOLDER"; hrc=$?
	check_eq "the first sync ends well $k" 0 "$hrc"
	check_eq "nothing pending after it $k" 0 "$(pending "$DA")"
	check "central holds every event of the store exactly once $k" same_events "$DA" $A
	check_eq "... all $total of them $k" "$total" "$(cq "select count(*) from c_events where office = '$A'")"
	check_eq "the lock is free again: sync status names no sync $k" "" "$(m "$DA" sync status 2>&1 | grep -i "process")"

	# a second sync started near the end of the first waits, then runs
	for i in 1 2 3 4 5 6; do rcv "$DA" "2024-03-12 0$i:00:00" "Chờ lượt $i" "02212345670$i"; done
	held "$DA" second
	wait_held "$DA" "$HOLDER"
	out=$(m "$DA" sync 2>&1); rc=$?
	check_eq "a sync that finds the lock taken briefly waits and succeeds $k" 0 "$rc"
	check_match "... and says it waited $k" "another sync of this store is running: this one waits" "$out"
	wait "$HOLDER"
	check "central holds every event exactly once $k" same_events "$DA" $A

	# a bundle export waits for a running sync too (its header names the cursors the
	# sync moves), then says who syncs and writes nothing
	for i in 1 2 3 4 5 6; do rcv "$DA" "2024-03-12 1$i:00:00" "Gói $i" "02212345671$i"; done
	DELAY=1500 held "$DA" export 1
	wait_held "$DA" "$HOLDER"
	out=$(m "$DA" sync export --out "$T/$1.bundle" 2>&1); rc=$?
	check_eq "a bundle export while a sync runs exits with 8 (busy) $k" 8 "$rc"
	check_match "... naming the running sync $k" "another sync of this store is running \(process $HOLDER on " "$out"
	check "... and writes no bundle $k" test ! -e "$T/$1.bundle"
	check "the sync was still running meanwhile $k" kill -0 "$HOLDER"
	wait "$HOLDER"
	check_eq "after it, the export runs $k" 0 "$(m "$DA" sync export --out "$T/$1.bundle" >/dev/null 2>&1; echo $?)"

	# --watch waits its turn, and says so
	for i in 1 2 3 4 5 6 7 8 9; do rcv "$DA" "2024-03-13 0$i:00:00" "Theo dõi $i" "02212345680$i"; done
	DELAY=1000 held "$DA" third 1 # long enough for a watch starting under load to find it
	wait_held "$DA" "$HOLDER"
	"$MOTCUA" --db "$DA" sync --watch --interval 1 >"$T/watch.out" 2>&1 & W=$!
	i=0; while [ $i -lt 50 ] && ! grep -q "waiting" "$T/watch.out"; do sleep 0.1; i=$((i + 1)); done
	check_match "the watch says it waits for its turn, naming the running sync $k" \
		"waiting for its turn: another sync of this store is running \(process $HOLDER " "$(cat "$T/watch.out")"
	wait "$HOLDER"
	i=0; while [ $i -lt 50 ] && ! grep -q "synced" "$T/watch.out"; do sleep 0.1; i=$((i + 1)); done
	kill "$W"; wait "$W"
	check_match "... and syncs once the other one ended $k" "synced: " "$(cat "$T/watch.out")"
	check "central holds every event exactly once $k" same_events "$DA" $A

	# a holder killed with SIGKILL mid-push: the next sync is not kept out
	for i in 1 2 3 4 5 6 7 8 9; do rcv "$DA" "2024-03-14 0$i:00:00" "Bị ngắt $i" "02212345690$i"; done
	before=$(pending "$DA")
	held "$DA" killed 1
	wait_held "$DA" "$HOLDER"
	i=0; while [ $i -lt 100 ] && [ "$(pending "$DA")" = "$before" ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$HOLDER"; wait "$HOLDER" 2>/dev/null
	left=$(pending "$DA")
	check "the killed sync had pushed part of its $before events ($left left) $k" test "$left" -gt 0 -a "$left" -lt "$before"
	t0=$(now_ms)
	out=$(m "$DA" sync 2>&1); rc=$?
	t1=$(now_ms)
	check_eq "the next sync runs at once after a killed holder $k" 0 "$rc"
	check "... without waiting for it (took $((t1 - t0)) ms) $k" test $((t1 - t0)) -lt 4000
	check_nomatch "... and without a word about another sync $k" "another sync" "$out"
	check_eq "nothing pending after it $k" 0 "$(pending "$DA")"
	check "central holds every event exactly once $k" same_events "$DA" $A
	check_eq "... the same as the store's events $k" "$(sqlite3 "$DA" "select count(*) from events")" \
		"$(cq "select count(*) from c_events where office = '$A'")"
}
both_backends scenario
echo "1..$n"
