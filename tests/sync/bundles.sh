#!/bin/sh
# bundles.sh - an office with no network at all, on both backends: bundles carry its
# events to central and central's reply back through the same idempotent path.
# Replayed and out-of-order bundles lose and duplicate nothing; truncated and
# corrupted bundles are refused before anything is applied.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

scenario() {
	use_central "$1" bundles
	k="[$1]"
	DA=$T/$1.a.db; D=$T/$1
	m "$DA" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 200 >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	check "export a first bundle $k" m "$DA" sync export --out "$D.b1"
	check_match "bundle names office, schema and range $k" "\"office\":\"$A\".*\"schema\":5|\"schema\":5.*\"office\":\"$A\"" "$(head -n 1 "$D.b1")"
	check_match "bundle ends with its checksum $k" "^sha256 [0-9a-f]{64}$" "$(tail -n 1 "$D.b1")"
	mt "2024-03-29 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Sau bó 1" --id 022123456781 --components all >/dev/null
	check "export a second bundle $k" m "$DA" sync export --out "$D.b2"
	y=$(mt "2024-03-29 09:30:00" "$DA" central submit-online --central "$CURL" --office $A --procedure $P1 --name "Trực tuyến" --id 022123456782)
	# truncated and corrupted copies are refused, nothing applied
	head -c $(($(wc -c <"$D.b2") / 2)) "$D.b2" >"$D.trunc"
	out=$(m "$DA" central import "$D.trunc" --reply "$D.r0" --central "$CURL" 2>&1)
	check_match "truncated bundle refused $k" "truncated or corrupted" "$out"
	sed '5s/"dseq":\([0-9]\)/"dseq":9\1/' "$D.b2" >"$D.bad"
	out=$(m "$DA" central import "$D.bad" --reply "$D.r0" --central "$CURL" 2>&1)
	check_match "corrupted bundle refused $k" "checksum mismatch" "$out"
	check_eq "nothing applied from them $k" 1 "$(cq "select count(*) from c_events")"
	check_fails "no reply written for them $k" test -e "$D.r0"
	# out of order: the second bundle first, then the first, then the second again
	check "central imports the second bundle $k" m "$DA" central import "$D.b2" --reply "$D.r2" --central "$CURL"
	out=$(m "$DA" central import "$D.b1" --reply "$D.r1" --central "$CURL" 2>&1)
	check_match "the first bundle after it adds nothing $k" "imported 0 new events" "$out"
	out=$(m "$DA" central import "$D.b2" --reply "$D.r2b" --central "$CURL" 2>&1)
	check_match "a replayed bundle adds nothing $k" "imported 0 new events" "$out"
	out=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 "$MOTCUA" --db "$DA" central import "$D.b2" --reply "$D.r2v" --central "$CURL" 2>&1)
	check_match "central import says what it did in Vietnamese by default $k" "^đã nhập 0 sự kiện mới \\([0-9]+ đã có, 0 bị từ chối\\); đã ghi phản hồi gồm" "$out"
	total=$(sqlite3 "$DA" "select count(*) from events")
	check_eq "every office event at central once $k" $((total + 1)) "$(cq "select count(*) from c_events")"
	check_fails "an office bundle is not a reply $k" m "$DA" sync import "$D.b1"
	check_fails "a truncated reply is refused $k" sh -c "head -c 300 '$D.r2' >'$D.rt' && '$MOTCUA' --db '$DA' sync import '$D.rt'"
	# replies out of order and twice
	check "office imports the second reply $k" m "$DA" sync import "$D.r2"
	check_eq "the online dossier arrived by reply $k" 1 "$(sqlite3 "$DA" "select stage from dossiers where code = '$y'")"
	check "office imports the first reply after it $k" m "$DA" sync import "$D.r1"
	check "and the second again $k" m "$DA" sync import "$D.r2"
	check_eq "nothing pending $k" "pending        0 events" "$(m "$DA" sync status | grep pending)"
	check "every event exactly once on both sides $k" same_events "$DA" $A
	check "chains match $k" same_chains "$DA" $A
	check_eq "store intact $k" ok "$(sqlite3 "$DA" 'pragma integrity_check')"
	# a reply for another office is refused
	DB_=$T/$1.b.db
	m "$DB_" init --office $B --name "Huyện" >/dev/null
	check_match "a reply for another office is refused $k" "not for this office" "$(m "$DB_" sync import "$D.r2" 2>&1)"
	# the district, offline from the start, gets its reference data by bundle
	check "district exports its first bundle $k" m "$DB_" sync export --out "$D.bb"
	check "central answers it $k" m "$DA" central import "$D.bb" --reply "$D.rb" --central "$CURL"
	check "district imports the reply $k" m "$DB_" sync import "$D.rb"
	check_eq "district got the catalog by bundle $k" 146 "$(sqlite3 "$DB_" 'select count(*) from procedures')"
	# an incompatible central schema is refused naming the side to upgrade
	cq "update c_meta set value = '0' where key = 'schema'" >/dev/null
	check_match "older central refuses a newer bundle: upgrade central $k" "upgrade central" "$(m "$DA" central import "$D.b1" --reply "$D.rx" --central "$CURL" 2>&1)"
	cq "update c_meta set value = '5' where key = 'schema'" >/dev/null
}

both_backends scenario
