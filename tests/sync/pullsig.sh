#!/bin/sh
# pullsig.sh - signatures checked a batch at a time (issue 14: the cost of item 2), on
# both backends.  A pull checks each batch's signatures on every core while it applies
# the batch before it; a push checks its own events by signing them again and central
# checks only the rest.  One forged event among hundreds of good ones, in central's log
# (altered there, where no check stands between it and the pull) or in the pushing
# store, is quarantined alone with the events that follow it in its dossier, and every
# other event is applied, across many small batches; a pull whose batches all check
# quarantines nothing.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

# flip one byte of a signature: "UPDATE ... SET sig = flipped(sig)" in either dialect
flip_sql() {
	if [ "$BK" = sqlite ]; then
		echo "update c_events set sig = x'00' || substr(sig, 2) where id = '$1'"
	else
		echo "update c_events set sig = set_byte(sig, 0, get_byte(sig, 0) # 255) where id = '$1'"
	fi
}
# the ids of the events a dossier has after dseq, in store DB (sorted)
after() { sqlite3 "$1" "select id from events where dossier_code = '$2' and dseq > $3 order by id"; }

scenario() {
	use_central "$1" pullsig
	k="[$1]"
	DA=$T/$1.a.db; DR=$T/$1.r.db; DR2=$T/$1.r2.db
	m "$DA" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 120 >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	total=$(sqlite3 "$DA" "select count(*) from events")
	check "the office pushes $total events in batches of 50 $k" m "$DA" sync --central "$CURL" --batch 50
	check_eq "central holds every one, none quarantined $k" "$total 0" \
		"$(cq "select count(*) from c_events") $(cq "select count(*) from c_quarantine")"

	# a new store of the office pulls them all, in batches of 40: all good
	m "$DR2" init --office $A --name "Khôi phục" >/dev/null
	check "a new store of the office pulls them in batches of 40 $k" m "$DR2" sync --central "$CURL" --batch 40
	check_eq "it applied every event and quarantined none $k" "$total 0" \
		"$(sqlite3 "$DR2" "select count(*) from events") $(sqlite3 "$DR2" "select count(*) from quarantine")"
	check "its audit passes $k" m "$DR2" audit verify

	# one event in the middle of a dossier's line altered in central's log
	code=$(sqlite3 "$DA" "select dossier_code from events group by dossier_code having max(dseq) >= 5 order by dossier_code limit 1 offset 7")
	id=$(sqlite3 "$DA" "select id from events where dossier_code = '$code' and dseq = 3")
	cq "$(flip_sql "$id")" >/dev/null
	desc=$(after "$DA" "$code" 3)
	nd=$(printf '%s\n' "$desc" | grep -c .)
	m "$DR" init --office $A --name "Khôi phục" >/dev/null
	out=$(m "$DR" sync --central "$CURL" --batch 40 2>&1)
	check_match "another new store pulls them in batches of 40 $k" "$((nd + 1)) quarantined" "$out"
	check_eq "exactly the forged event and the $nd after it in its dossier are quarantined $k" \
		"$(printf '%s\n%s\n' "$id" "$desc" | grep . | LC_ALL=C sort)" \
		"$(sqlite3 "$DR" "select event_id from quarantine" | LC_ALL=C sort)"
	check_match "the forged one for its signature $k" "signature is not by a key of office $A" \
		"$(sqlite3 "$DR" "select reason from quarantine where event_id = '$id'")"
	check_eq "the ones after it because it is quarantined $k" "$nd" \
		"$(sqlite3 "$DR" "select count(*) from quarantine where reason like '%previous event is quarantined%'")"
	check_eq "every other event is applied $k" "$((total - nd - 1))" "$(sqlite3 "$DR" "select count(*) from events")"
	check_eq "the dossier stands at its last good step $k" 2 "$(sqlite3 "$DR" "select version from dossiers where code = '$code'")"
	check_eq "every other dossier as at the office $k" \
		"$(sqlite3 "$DA" "select code || ' ' || version from dossiers where code <> '$code' order by code" | md5sum)" \
		"$(sqlite3 "$DR" "select code || ' ' || version from dossiers where code <> '$code' order by code" | md5sum)"
	check "its audit passes $k" m "$DR" audit verify
	check "a second pull changes nothing $k" m "$DR" sync --central "$CURL" --batch 40
	check_eq "still $((nd + 1)) quarantined $k" "$((nd + 1)) $((total - nd - 1))" \
		"$(sqlite3 "$DR" "select count(*) from quarantine") $(sqlite3 "$DR" "select count(*) from events")"

	# a push: one event of the store altered before it is sent, among hundreds
	DP=$T/$1.p.db
	use_central "$1" pullsig2
	m "$DP" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DP" demo --dossiers 120 >/dev/null
	m "$DP" central publish --central "$CURL" >/dev/null
	ptotal=$(sqlite3 "$DP" "select count(*) from events")
	pcode=$(sqlite3 "$DP" "select dossier_code from events group by dossier_code having max(dseq) >= 5 order by dossier_code limit 1 offset 11")
	pid=$(sqlite3 "$DP" "select id from events where dossier_code = '$pcode' and dseq = 2")
	sqlite3 "$DP" "drop trigger events_append_only_update; update events set sig = x'00' || substr(sig, 2) where id = '$pid'"
	pdesc=$(after "$DP" "$pcode" 2)
	pnd=$(printf '%s\n' "$pdesc" | grep -c .)
	m "$DP" sync --central "$CURL" --batch 50 >/dev/null 2>&1
	check_eq "central quarantines exactly the altered event and the $pnd after it $k" \
		"$(printf '%s\n%s\n' "$pid" "$pdesc" | grep . | LC_ALL=C sort)" \
		"$(cq "select id from c_quarantine" | LC_ALL=C sort)"
	check_match "the altered one for its signature $k" "signature is not by a key of office $A" \
		"$(cq "select reason from c_quarantine where id = '$pid'")"
	check_eq "and stores every other event $k" "$((ptotal - pnd - 1))" "$(cq "select count(*) from c_events")"
}
both_backends scenario
