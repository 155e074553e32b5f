#!/bin/sh
# projector.sh - the province's projector (src/province.c province_catch_up), on both
# backends: ingest leaves c_prov alone; after many batches one catch-up brings the
# projection to the head of central's log, equal to the one rebuilt from the log;
# kill -9 in the middle of a catch-up loses and doubles nothing (each chunk moves its
# rows and the cursor c_meta 'prov_pos' together); two projectors at once (two
# `central project --follow` services and reads) count nothing twice; `central
# project` (rebuild) leaves the cursor at the head it rebuilt from; the service
# (`central project --follow`) outlives a central restart; a dossier whose events are
# out of order in the log (PostgreSQL positions) is projected whole.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
NOW="2024-06-20 10:00:00"

# the projection, as a few checksums (rows, day and step counters, open dossiers)
proj() { cq "select code || office || field || dseq || stage || accepted_at || orig_due_at || fin_at || rating from c_prov order by code" | md5sum
	cq "select office || field || day || ':' || received || ':' || finished from c_prov_day where received + finished > 0 order by 1" | md5sum
	cq "select office || field || stage || ':' || n from c_prov_stage where n <> 0 order by 1" | md5sum
	cq "select code || stage || due_at from c_prov_open order by code" | md5sum; }
cursor() { cq "select coalesce((select value from c_meta where key = 'prov_pos'), '0')"; }
consistent() {
	check_eq "one row per dossier central holds $2" "$(cq "select count(distinct dossier_code) from c_events")" "$(cq "select count(*) from c_prov")"
	check_eq "every dossier received once in the day counters $2" "$(cq "select count(*) from c_prov")" "$(cq "select sum(received) from c_prov_day")"
	check_eq "every finished one once $2" "$(cq "select count(*) from c_prov where fin_at > 0")" "$(cq "select coalesce(sum(finished), 0) from c_prov_day")"
	check_eq "every open one once in the step counters $2" "$(cq "select count(*) from c_prov where stage < 90")" "$(cq "select coalesce(sum(n), 0) from c_prov_stage")"
	before=$(proj)
	mt "$NOW" "$DA" central project --central "$CURL" >/dev/null
	check_eq "$1 equals the projection rebuilt from the log $2" "$before" "$(proj)"
}
# a projector in the background, its own pid in $! (kill reaches motcua itself)
bg_project() { "$MOTCUA" --db "$DA" central project --follow --central "$CURL" "$@" & }
receive_more() {
	for i in $(seq 1 "$1"); do
		mt "$NOW" "$DA" --as clerk1 receive --procedure $P1 --name "Người thứ $i" --id 0221234$(printf %05d "$i") --components all >/dev/null
	done
}

scenario() {
	k="[$1]"
	DA=$T/$1.a.db
	use_central "$1" projector
	mt "2024-06-18 08:00:00" "$DA" demo --dossiers 300 >/dev/null
	mt "$NOW" "$DA" central init --central "$CURL" >/dev/null
	mt "$NOW" "$DA" central publish --central "$CURL" >/dev/null

	# many batches, then one catch-up
	check "the office syncs in many small batches $k" mt "$NOW" "$DA" sync --batch 40 --central "$CURL"
	check_match "... dozens of them $k" "^[4-9][0-9]|^[1-9][0-9][0-9]" "$(cq "select batches from c_prov_sync")"
	check_eq "ingest wrote no projected row $k" 0 "$(cq "select count(*) from c_prov")"
	check_eq "... and moved no cursor $k" 0 "$(cursor)"
	out=$(mt "$NOW" "$DA" central dashboard --central "$CURL")
	check_match "a read of the province catches the projector up first $k" "total" "$out"
	check_eq "... to the head of central's log $k" "$(chead)" "$(cursor)"
	consistent "the projection caught up after many batches" "$k"
	check_eq "the rebuild leaves the cursor at the head it rebuilt from $k" "$(chead)" "$(cursor)"

	# kill -9 in the middle of a catch-up: chunks of 100 events, each held 150 ms
	receive_more 30
	mt "$NOW" "$DA" sync --central "$CURL" >/dev/null 2>&1
	cq "delete from c_prov" >/dev/null; cq "delete from c_prov_open" >/dev/null
	cq "delete from c_prov_day" >/dev/null; cq "delete from c_prov_stage" >/dev/null
	cq "update c_meta set value = '0' where key = 'prov_pos'" >/dev/null
	head=$(chead)
	moved=0
	for d in 0.5 0.7 0.9 1.1; do
		MOTCUA_TEST_PROJECT_CHUNK=100 MOTCUA_TEST_PROJECT_DELAY_MS=150 bg_project >/dev/null 2>&1; p=$!
		sleep $d; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
		c=$(cursor)
		[ "$c" -gt 0 ] && [ "$c" -lt "$head" ] && moved=$((moved + 1))
	done
	check_match "kill -9 stopped the projector part way, with the cursor between 0 and the head $k" "^[1-4]$" "$moved"
	check_eq "... and no chunk half written: the rows are those of the events below the cursor $k" \
		"$(cq "select count(distinct dossier_code) from c_events where pos <= $(cursor)")" "$(cq "select count(*) from c_prov")"
	MOTCUA_TEST_PROJECT_CHUNK=100 mt "$NOW" "$DA" central dashboard --central "$CURL" >/dev/null
	check_eq "the next catch-up goes on to the head $k" "$head" "$(cursor)"
	consistent "after kill -9 during catch-ups the projection" "$k"

	# two projectors at once: two services and a read, over new batches
	receive_more 40
	mt "$NOW" "$DA" sync --batch 10 --central "$CURL" >/dev/null 2>&1
	head=$(chead)
	pids=""
	for i in 1 2; do
		MOTCUA_TEST_PROJECT_CHUNK=20 MOTCUA_TEST_PROJECT_DELAY_MS=30 bg_project --interval 1 >"$T/follow.$i" 2>&1; pids="$pids $!"
	done
	sleep 0.3
	MOTCUA_TEST_PROJECT_CHUNK=20 MOTCUA_TEST_PROJECT_DELAY_MS=30 mt "$NOW" "$DA" central dashboard --central "$CURL" >/dev/null 2>&1
	for i in $(seq 1 100); do [ "$(cursor)" = "$head" ] && break; sleep 0.2; done
	check_eq "two projectors at once reach the head $k" "$head" "$(cursor)"
	kill -TERM $pids 2>/dev/null
	st=0; for p in $pids; do wait $p || st=1; done
	check_eq "... and end cleanly on SIGTERM $k" 0 "$st"
	check_match "... saying what they took $k" "took [0-9]+ new events" "$(cat "$T/follow.1" "$T/follow.2")"
	consistent "with two projectors at once the projection" "$k"

	# the service outlives a central restart: it says so once and goes on
	if [ "$1" = pg ]; then
		port=$PGPORT
		bg_project --interval 1 >"$T/follow.r" 2>&1; fp=$!
		sleep 0.5
		pg_stop; sleep 2
		pg_restart "$port"
		receive_more 5
		mt "$NOW" "$DA" sync --central "$CURL" >/dev/null 2>&1
		head=$(chead)
		for i in $(seq 1 50); do [ "$(cursor)" = "$head" ] && break; sleep 0.2; done
		check_eq "after central restarts, the service catches up by itself $k" "$head" "$(cursor)"
		kill -TERM $fp 2>/dev/null; wait $fp
		check_match "... having said that it could not, once $k" "could not catch up: .*trying again every 1 s" "$(cat "$T/follow.r")"
		check_match "... and that it is caught up again $k" "caught up again" "$(cat "$T/follow.r")"
	fi

	# a dossier's later event at a lower position than its first (on PostgreSQL a
	# batch that began earlier may commit later): the projector reads the events
	# before it by the dossier, and the log's later copy of them changes nothing
	dc=$(cq "select dossier_code from c_events group by dossier_code order by count(*) desc, dossier_code limit 1")
	p1=$(cq "select min(pos) from c_events where dossier_code = '$dc' and dseq = 1")
	pm=$(cq "select min(pos) from c_events where dossier_code = '$dc' and dseq = (select max(dseq) from c_events where dossier_code = '$dc')")
	# (swapped through a free position: a position holds one event, c_events_pos_once)
	cq "begin; update c_events set pos = -1 where pos = $p1; update c_events set pos = $p1 where pos = $pm;
		update c_events set pos = $pm where pos = -1; commit" >/dev/null
	cq "delete from c_prov" >/dev/null; cq "delete from c_prov_open" >/dev/null
	cq "delete from c_prov_day" >/dev/null; cq "delete from c_prov_stage" >/dev/null
	cq "update c_meta set value = '0' where key = 'prov_pos'" >/dev/null
	MOTCUA_TEST_PROJECT_CHUNK=7 mt "$NOW" "$DA" central dashboard --central "$CURL" >/dev/null
	check_match "a dossier of several events is at the head of the log, its first event after $k" "^[3-9]|^[1-9][0-9]" \
		"$(cq "select dseq from c_events where pos = $p1")"
	check_eq "... and the projector takes it whole $k" "$(cq "select max(dseq) from c_events where dossier_code = '$dc'")" \
		"$(cq "select dseq from c_prov where code = '$dc'")"
	consistent "with a dossier's events out of order in the log the projection" "$k"
}

both_backends scenario
