#!/bin/sh
# centralverify.sh - `motcua central verify`: central checks the events it holds
# against the offices' keys.  PostgreSQL has no Ed25519, so an office's own role can
# push through c_ingest() from psql an event in its own name that is unsigned or
# signed by no key of the office (c_ingest() re-checks everything else); offices
# check what they pull, and now central finds it too.  A clean central passes (exit
# 0); each forged, unsigned or altered event is named with its office, dossier,
# position and reason, recorded in c_verify_found (the event stays in the log), and
# the run exits non-zero; a later run checks only what is new since its mark, and
# --since POS checks again from a position.  Both backends, and on PostgreSQL the
# forgeries pushed through psql with an office's own role.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

# evhash ID CODE DSEQ KIND ACTOR AT ORIGIN PAYLOAD [PREVHEX]: an event's SHA-256 (src/event.c)
evhash() {
	python3 - "$@" <<'PY'
import hashlib, sys
a = sys.argv[1:]
prev = bytes.fromhex(a[8]) if len(a) > 8 and a[8] else bytes(32)
c = "motcua-event-v1\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s" % (a[0], a[1], a[2], a[3], "root", a[4], a[5], a[6], a[7])
print(hashlib.sha256(prev + c.encode()).hexdigest())
PY
}
rnd() { head -c "$1" /dev/urandom | od -An -tx1 -v | tr -d ' \n'; }
# cforge ID CODE ORIGIN ACTOR SIG HASH: a first event of CODE in ORIGIN's name written
# into central's log by its owner; SIG: hex or NULL; HASH: "good" or "bad"
cforge() {
	pl="{\"office\":\"$3\"}"
	now=$(date +%s)
	fh=$(evhash "$1" "$2" 1 received "$4" "$now" "$3" "$pl")
	[ "$6" = bad ] && fh=$(rnd 32)
	if [ "$BK" = sqlite ]; then
		sg=NULL; [ "$5" != NULL ] && sg="x'$5'"
		cq "insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
		values ('$1', (select value from c_meta where key = 'log_pos') + 1, '$3', '$2', 1, 'received', 'root', '$4', $now, '$3', '$pl', NULL, x'$fh', $sg);
		update c_meta set value = value + 1 where key = 'log_pos';"
	else
		sg=NULL; [ "$5" != NULL ] && sg="decode('$5', 'hex')"
		cq "insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
		values ('$1', (pg_current_xact_id()::text::bigint << 20) + 1, '$3', '$2', 1, 'received', 'root', '$4', $now, '$3', '$pl', NULL, decode('$fh', 'hex'), $sg)" >/dev/null
	fi
}
# cv ARGS: central verify, its exit code kept in $T/.rc
cv() { m "$DA" central verify --central "$CURL" "$@" >"$T/.cv" 2>&1; echo $? >"$T/.rc"; cat "$T/.cv"; }

scenario() {
	use_central "$1" cverify
	k="[$1]"
	DA=$T/$1.a.db
	demo_synced "$DA" 20
	# central's own event, signed with central's key
	m "$DA" central submit-online --central "$CURL" --office $A --procedure $P1 --name "Trực tuyến" --id 022123456782 >/dev/null
	total=$(cq "select count(*) from c_events")
	check_eq "central holds an event of its own $k" 1 "$(cq "select count(*) from c_events where origin <> '$A'")"
	out=$(cv)
	check_eq "a clean central passes central verify (exit 0) $k" 0 "$(cat "$T/.rc")"
	check_match "... having checked every event $k" "checked $total events at central after position 0" "$out"
	check_match "... all signed $k" ": $total signed, 0 unsigned" "$out"
	check_match "... and says so $k" "no forged, unsigned or altered event found" "$out"
	check_eq "the mark is the log head $k" "$(chead)" "$(cq "select value from c_meta where key = 'verify_pos'")"
	out=$(cv)
	check_match "a second run checks only what is new: nothing $k" "checked 0 events" "$out"
	check_eq "... exit 0 $k" 0 "$(cat "$T/.rc")"
	check_fails "a clerk may not run it $k" m "$DA" --as clerk1 central verify --central "$CURL"
	check_fails "a format that is not one is refused $k" m "$DA" central verify --format xml --central "$CURL"
	check_fails "--since takes a position $k" m "$DA" central verify --since abc --central "$CURL"

	# the owner's hand (or a restored, tampered copy) writes three bad events into the log
	user=$(cq "select key from c_ref where kind = 'user' and key = 'clerk1'")
	cforge FORGEDSIG1 "$A-V-1" $A "$user" "$(rnd 64)" good
	cforge FORGEDUNS1 "$A-V-2" $A "$user" NULL good
	cforge FORGEDHASH1 "$A-V-3" $A "$user" NULL bad
	m "$DA" --as clerk1 receive --procedure $P1 --name "Sau khi giả" --id 022123456783 --components all >/dev/null
	m "$DA" sync --central "$CURL" >/dev/null 2>&1
	pos=$(cq "select pos from c_events where id = 'FORGEDSIG1'")
	out=$(cv)
	check_eq "central verify exits non-zero when it finds any $k" 3 "$(cat "$T/.rc")"
	check_match "it names the forged signature: position, event, office, dossier $k" \
		"position $pos: event FORGEDSIG1 of office $A on dossier $A-V-1 is signed by no key of that office" "$out"
	check_match "... the unsigned event $k" "event FORGEDUNS1 of office $A on dossier $A-V-2 is not signed, though that office signs every event" "$out"
	check_match "... the altered one $k" "event FORGEDHASH1 of office $A on dossier $A-V-3 has a hash that does not match its content" "$out"
	fresh=$(($(cq "select count(*) from c_events") - total))
	check_match "... only those three, among the new events $k" "checked $fresh events .*: $((fresh - 3)) signed, 0 unsigned" "$out"
	check_match "... and that they are recorded $k" "3 events are forged, unsigned or altered: they are recorded in central's table c_verify_found" "$out"
	check_eq "c_verify_found has them, with their reasons $k" "FORGEDHASH1 bad-hash $A $A-V-3|FORGEDSIG1 forged $A $A-V-1|FORGEDUNS1 unsigned $A $A-V-2" \
		"$(cq "select id || ' ' || reason || ' ' || origin || ' ' || dossier_code from c_verify_found order by id" | paste -sd'|')"
	check_eq "... at their positions $k" "$pos" "$(cq "select pos from c_verify_found where id = 'FORGEDSIG1'")"
	check_eq "the events stay in the log $k" 3 "$(cq "select count(*) from c_events where id like 'FORGED%'")"
	out=$(cv)
	check_eq "the next run has nothing new: exit 0 $k" 0 "$(cat "$T/.rc")"
	check_match "... and says what was found earlier $k" "3 found earlier are recorded" "$out"
	out=$(cv --since 0 --format json)
	check_eq "--since 0 checks everything again: exit non-zero $k" 3 "$(cat "$T/.rc")"
	check_match "... in JSON $k" '"reason": "forged"' "$out"
	check_match "... naming the position $k" "\"pos\": $pos" "$(printf '%s' "$out" | tr '\n' ' ')"
	check_eq "... every event checked $k" "$(cq "select count(*) from c_events")" \
		"$(printf '%s' "$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["checked"])')"
	check_eq "... recorded once each $k" 3 "$(cq "select count(*) from c_verify_found")"
	# --since after the mark checks from there and leaves the mark where it was
	mark=$(cq "select value from c_meta where key = 'verify_pos'")
	m "$DA" --as clerk1 receive --procedure $P1 --name "Một" --id 022123456784 --components all >/dev/null
	m "$DA" --as clerk1 receive --procedure $P1 --name "Hai" --id 022123456785 --components all >/dev/null
	m "$DA" sync --central "$CURL" >/dev/null 2>&1
	p1=$(cq "select min(pos) from c_events where pos > $mark")
	out=$(cv --since "$p1")
	check_match "--since after the mark checks from that position $k" "checked 1 events at central after position $p1" "$out"
	check_match "... and leaves the mark $k" "stays at position $mark" "$out"
	out=$(cv)
	check_match "the next run checks from the mark $k" "checked 2 events at central after position $mark" "$out"
}

both_backends scenario

# PostgreSQL: office A's own role pushes, through psql and c_ingest(), an unsigned
# event and one with a forged signature in its own name, each otherwise well made
if [ -n "$PGPORT" ]; then
	role_office cverifyrole 20
	check_eq "[role] A synced as its own role" "$(sqlite3 "$DA" "select count(*) from events")" "$(cq "select count(*) from c_events where office = '$A'")"
	cv >/dev/null
	check_eq "[role] the clean central passes (exit 0)" 0 "$(cat "$T/.rc")"
	adseq=$(cq "select max(dseq) from c_events where dossier_code = '$acode'")
	# push ID DSEQ SIG [CODE]: a continuation of A's dossier (acode, or CODE), as A's role, committed
	push() {
		pa "begin; create temp table c_events_in (like c_events) on commit drop;
		insert into c_events_in (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
		select '$1', (pg_current_xact_id()::text::bigint << 20) + 1, '$A', '${4:-$acode}', $2, 'noted', 'x', '$auser',
			extract(epoch from now())::bigint, '$A', '{}', hash, '\\x00', $3 from c_events where dossier_code = '${4:-$acode}' and dseq = $2 - 1 limit 1;
		update c_events_in set hash = $HASH;
		select 'ingested ' || c_ingest(); commit;"
	}
	check_eq "[role] c_ingest() takes an unsigned event of A's role in A's name" "ingested 1" "$(push ROLEUNSIGNED1 $((adseq + 1)) NULL)"
	check_eq "[role] ... and one with a forged signature" "ingested 1" "$(push ROLEFORGED1 $((adseq + 2)) "decode('$(rnd 64)', 'hex')")"
	pu=$(cq "select pos from c_events where id = 'ROLEUNSIGNED1'")
	pf=$(cq "select pos from c_events where id = 'ROLEFORGED1'")
	out=$(cv)
	check_eq "[role] central verify exits non-zero" 3 "$(cat "$T/.rc")"
	check_match "[role] it names the unsigned event: position, office, dossier" \
		"position $pu: event ROLEUNSIGNED1 of office $A on dossier $acode is not signed, though that office signs every event" "$out"
	check_match "[role] ... and the forged signature" \
		"position $pf: event ROLEFORGED1 of office $A on dossier $acode is signed by no key of that office" "$out"
	check_eq "[role] both recorded for an inspector" "ROLEFORGED1 forged|ROLEUNSIGNED1 unsigned" \
		"$(cq "select id || ' ' || reason from c_verify_found order by id" | paste -sd'|')"
	check_eq "[role] the office's role cannot read the findings" "permission denied" \
		"$(pa "select count(*) from c_verify_found" | sed -n 's/.*\(permission denied\).*/\1/p')"
	check_eq "[role] the events stay in the log" 2 "$(cq "select count(*) from c_events where id like 'ROLE%'")"
	# the office's role cannot run it (no right to the findings): told to connect as
	# central's owner, not to initialise central; the mark stays
	mark=$(cq "select value from c_meta where key = 'verify_pos'")
	out=$(m "$DA" central verify --central "$UA" 2>&1); rc=$?
	check_eq "[role] central verify as A's role fails" 1 "$([ $rc -ne 0 ] && echo 1 || echo 0)"
	check_match "[role] ... saying to connect as central's owner" "run it connected as central's owner" "$out"
	check_nomatch "[role] ... not to initialise central" "central init" "$out"
	check_eq "[role] ... the mark stays" "$mark" "$(cq "select value from c_meta where key = 'verify_pos'")"
	# two unsigned events whose ids, longer than an event's, share their first 40
	# characters: each is recorded, under its whole id
	L=ROLELONG_0123456789012345678901234567890
	check_eq "[role] c_ingest() takes events with ids longer than an event's" "ingested 1|ingested 1" \
		"$({ push ${L}_first $((adseq + 3)) NULL; push ${L}_second $((adseq + 4)) NULL; } | paste -sd'|')"
	cv >/dev/null
	check_eq "[role] central verify exits non-zero" 3 "$(cat "$T/.rc")"
	check_eq "[role] each recorded under its whole id" "${L}_first|${L}_second" \
		"$(cq "select id from c_verify_found where id like 'ROLELONG%' order by id" | paste -sd'|')"
	check_eq "[role] ... at its position" "$(cq "select pos from c_events where id like 'ROLELONG%' order by id" | paste -sd'|')" \
		"$(cq "select pos from c_verify_found where id like 'ROLELONG%' order by id" | paste -sd'|')"
	# central keeps no index of the id alone: an id is unique with its dossier and dseq.
	# A's role reusing the id of an event of the same dossier is refused by c_ingest();
	# one of another dossier goes in, and central verify names it
	d1id=$(cq "select id from c_events where dossier_code = '$acode' and dseq = 1")
	out=$(push "$d1id" $((adseq + 5)) NULL)
	check_match "[role] c_ingest() refuses an id another event of the dossier has" "its id is another event's of the dossier at central" "$out"
	check_eq "[role] ... and writes nothing" 1 "$(cq "select count(*) from c_events where id = '$d1id'")"
	other=$(cq "select id from c_events where office = '$A' and dossier_code <> '$acode' and dseq = 1 order by pos limit 1")
	check_eq "[role] c_ingest() takes an id of another dossier's event" "ingested 1" "$(push "$other" $((adseq + 5)) NULL)"
	check_eq "[role] ... which central now holds twice" 2 "$(cq "select count(*) from c_events where id = '$other'")"
	ptw=$(cq "select max(pos) from c_events where id = '$other'")
	out=$(cv)
	check_eq "[role] central verify exits non-zero" 3 "$(cat "$T/.rc")"
	check_match "[role] it names the later event holding an earlier event's id" \
		"position $ptw: event $other of office $A on dossier $acode has the id of an earlier event of another dossier or step" "$out"
	check_eq "[role] ... recorded once, at the later position" "$ptw id-twice" \
		"$(cq "select pos || ' ' || reason from c_verify_found where id = '$other'")"
	out=$(cv)
	check_nomatch "[role] a later run does not name it again" "position $ptw: event" "$out"
	# an unsigned event, and a later one on another dossier that takes its id, found in
	# one run: each is recorded, at its own position (the first is not lost behind the
	# second's id)
	bcode=$(cq "select dossier_code from c_events where office = '$A' and dossier_code not in ('$acode', (select dossier_code from c_events where id = '$other' and dossier_code <> '$acode')) and dseq = 1 order by pos limit 1")
	bdseq=$(cq "select max(dseq) from c_events where dossier_code = '$bcode'")
	check_eq "[role] c_ingest() takes an unsigned event, and one of another dossier with its id" "ingested 1|ingested 1" \
		"$({ push ROLEPAIR1 $((adseq + 6)) NULL; push ROLEPAIR1 $((bdseq + 1)) NULL "$bcode"; } | paste -sd'|')"
	out=$(cv)
	check_eq "[role] central verify exits non-zero" 3 "$(cat "$T/.rc")"
	check_eq "[role] both recorded, each at its position: the first unsigned, the second holding its id" \
		"$(cq "select pos from c_events where id = 'ROLEPAIR1' and dossier_code = '$acode'") unsigned|$(cq "select pos from c_events where id = 'ROLEPAIR1' and dossier_code = '$bcode'") id-twice" \
		"$(cq "select pos || ' ' || reason from c_verify_found where id = 'ROLEPAIR1' order by pos" | paste -sd'|')"
	# the ids held twice are looked for with one read of the log, the checked events'
	# ids hashed: a run over the few hundred events since position 0 writes no temporary
	# file (work_mem 1 MB) before a long log (hashing the whole log spilled it to disk
	# on every run, however few events were new)
	cq "alter database cverifyrole set work_mem = '1MB'" >/dev/null
	cq "insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
		select 'FILL' || g, -g, '$A', 'FILL-' || g, 1, 'noted', 'x', 'x', 0, '$A', '{}', NULL, sha256(g::text::bytea)
		from generate_series(1, 100000) g; analyze c_events" >/dev/null
	tf() { sleep 1; cq "select temp_files from pg_stat_database where datname = current_database()"; }
	t0=$(tf)
	out=$(cv --since 0)
	check_match "[role] central verify checks the events since position 0" "checked $(cq "select count(*) from c_events where pos > 0") events at central" "$out"
	check_eq "[role] ... and writes no temporary file" "$t0" "$(tf)"
fi
