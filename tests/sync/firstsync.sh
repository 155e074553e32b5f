#!/bin/sh
# firstsync.sh - a first 'sync --central URL' killed midway remembers its central, so
# a plain 'motcua sync' resumes it; the push progress never counts past its total
# when clerks save steps while it runs.  Both backends.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

scenario() {
	use_central "$1" first
	k="[$1]"
	DA=$T/$1.a.db
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" demo --dossiers 0 >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	m "$DA" --as clerk1 receive --procedure $P1 --name "Một" --id 022123456701 >/dev/null
	# the first sync, held at its commit, killed
	MOTCUA_TEST_COMMIT_DELAY_MS=5000 "$MOTCUA" --db "$DA" sync --central "$CURL" >/dev/null 2>&1 &
	pid=$!
	sleep 1
	kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
	check_eq "the killed first sync remembered its central $k" "$CURL" "$(m "$DA" sync status | sed -n 's/^central  *//p')"
	check "a plain 'motcua sync' resumes it $k" m "$DA" sync
	check_eq "its events reached central $k" "$(sqlite3 "$DA" 'select count(*) from events')" \
		"$(cq "select count(*) from c_events where office = '$A'")"
	# one pending event, pushed one per batch; a clerk saves another step meanwhile
	m "$DA" --as clerk1 receive --procedure $P1 --name "Hai" --id 022123456702 >/dev/null
	MOTCUA_TEST_COMMIT_DELAY_MS=1500 "$MOTCUA" --db "$DA" sync --batch 1 --central "$CURL" >"$T/out" 2>"$T/progress" &
	pid=$!
	sleep 0.5
	m "$DA" --as clerk1 receive --procedure $P1 --name "Ba" --id 022123456703 >/dev/null
	wait $pid
	# it sends what it counted; the new step goes with the next push (never "2/1",
	# nor a total raised on the way to hide it)
	check_match "the push sent what it counted $k" "pushed 1 events" "$(cat "$T/out")"
	bad=$(awk -F'[ /]' '/^push: / { if ($2 + 0 > $3 + 0) print }' "$T/progress")
	check_eq "the push progress never counts past its total $k" "" "$bad"
	check_match "the progress was shown $k" "^push: " "$(cat "$T/progress")"
	check_eq "its total was what was pending when it began $k" "" "$(grep '^push: ' "$T/progress" | grep -v '/1 events$')"
	check_match "the next push sends the new step $k" "pushed 1 events" "$(m "$DA" sync 2>/dev/null)"
	check_eq "every event at central $k" "$(sqlite3 "$DA" 'select count(*) from events')" \
		"$(cq "select count(*) from c_events where office = '$A'")"
}
both_backends scenario
