#!/bin/sh
# faults.sh - sync survives everything, on both backends: kill -9 of the sync at
# random points over 20 runs (pushing and pulling), central stopped mid-batch and
# connections dropped (PostgreSQL).  Afterwards every event exists exactly once on
# both sides, counts and per-dossier hash chains match, and the stores pass
# PRAGMA integrity_check.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}   # the plain binary: many short processes killed at random

kill_runs() { # DB: 20 syncs in small batches, each killed after a random moment
	killed=0
	for run in $(seq 1 20); do
		"$MOTCUA" --db "$1" sync --batch 10 >/dev/null 2>&1 &
		pid=$!
		sleep "0.$(shuf -i 2-20 -n 1 | sed 's/^\([0-9]\)$/0\1/')"
		kill -9 $pid 2>/dev/null && killed=$((killed + 1))
		wait $pid 2>/dev/null
	done
	echo $killed
}

scenario() {
	use_central "$1" faults
	k="[$1]"
	DA=$T/$1.a.db; DR=$T/$1.r.db
	m "$DA" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 3000 >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	m "$DA" sync status >/dev/null
	sqlite3 "$DA" "insert or replace into settings(key, value) values ('central.url', '$CURL')"
	total=$(sqlite3 "$DA" "select count(*) from events")
	kills=$(kill_runs "$DA")
	check_match "push killed many times ($kills) $k" '^[1-9][0-9]*$' "$kills"
	check_eq "store intact after the kills $k" ok "$(sqlite3 "$DA" 'pragma integrity_check')"
	check "a last sync completes $k" m "$DA" sync
	check_eq "all $total events at central $k" "$total" "$(cq "select count(*) from c_events")"
	check "every event exactly once on both sides $k" same_events "$DA" $A
	check "per-dossier chains match $k" same_chains "$DA" $A
	check_eq "no event refused $k" 0 "$(cq "select count(*) from c_quarantine")"
	check_eq "nothing pending $k" "pending        0 events" "$(m "$DA" sync status | grep pending)"

	# pulling, killed: a new store of the same office gets its history back
	m "$DR" init --office $A --name "Sở Công Thương (khôi phục)" >/dev/null
	sqlite3 "$DR" "insert or replace into settings(key, value) values ('central.url', '$CURL')"
	kills=$(kill_runs "$DR")
	check_match "pull killed many times ($kills) $k" '^[1-9][0-9]*$' "$kills"
	check_eq "store intact after the pull kills $k" ok "$(sqlite3 "$DR" 'pragma integrity_check')"
	check "a last pull completes $k" m "$DR" sync
	check "restored store: every event once $k" same_events "$DR" $A
	check "restored store: chains match $k" same_chains "$DR" $A
	check_eq "restored store: dossiers rebuilt $k" "$(sqlite3 "$DA" 'select count(*) from dossiers')" "$(sqlite3 "$DR" 'select count(*) from dossiers')"
	check_eq "restored rows equal the originals $k" "$(sqlite3 "$DA" 'select group_concat(code || stage || version || hex(chain_head)) from (select * from dossiers order by code)')" \
		"$(sqlite3 "$DR" 'select group_concat(code || stage || version || hex(chain_head)) from (select * from dossiers order by code)')"
	check "audit of the restored store $k" m "$DR" audit verify
}

pg_faults() {
	k="[pg]"
	use_central pg faults2
	DA=$T/pg2.a.db
	m "$DA" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 1500 >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	sqlite3 "$DA" "insert or replace into settings(key, value) values ('central.url', '$CURL')" 2>/dev/null || m "$DA" sync status >/dev/null
	total=$(sqlite3 "$DA" "select count(*) from events")
	# central stopped mid-batch
	port=$PGPORT
	"$MOTCUA" --db "$DA" sync --batch 20 >"$T/stop.out" 2>&1 &
	pid=$!
	sleep 0.3
	pg_stop
	wait $pid; rc=$?
	check_eq "sync fails when central stops $k" "10" "$rc"
	check_match "the error says so $k" "central" "$(cat "$T/stop.out")"
	check_match "status remembers the error $k" "last error" "$(m "$DA" sync status)"
	check "central restarts $k" pg_restart $port
	# dropped connections: terminate the sync's backend while it runs
	"$MOTCUA" --db "$DA" sync --batch 20 >"$T/drop.out" 2>&1 &
	pid=$!
	sleep 0.3
	psql -q -At -h "$PGDIR" -p "$PGPORT" -U postgres -d postgres -c \
		"select pg_terminate_backend(pid) from pg_stat_activity where datname = 'faults2' and pid <> pg_backend_pid()" >/dev/null
	wait $pid; rc=$?
	check_match "a dropped connection fails the sync cleanly ($rc) $k" "^(0|10)$" "$rc"
	check "sync completes after the faults $k" m "$DA" sync
	check_eq "all $total events at central $k" "$total" "$(cq "select count(*) from c_events")"
	check "every event exactly once on both sides $k" same_events "$DA" $A
	check "chains match $k" same_chains "$DA" $A
	check_eq "store intact $k" ok "$(sqlite3 "$DA" 'pragma integrity_check')"
}

both_backends scenario pg_faults
