#!/bin/sh
# ingestlimits.sh - what an office can push to central: an event's payload is at most
# 1 MiB (EVENT_PAYLOAD_MAX, src/event.h), and on PostgreSQL an office's role may not
# push an event dated more than a day after central's clock.  An office's own role
# pushing through psql and c_ingest() a payload one byte over the limit, an event
# dated 2099 or one with an identifier of 300 bytes is refused with the reason, and
# nothing of its batch is written; a payload at the limit, an event of yesterday and
# one twelve hours ahead go in.  An office whose store holds an oversize event made by
# hand (sqlite3) has it quarantined by central on both backends (central_put_batch):
# its size and the reason only, not its payload; the rest of the batch goes in and the
# office syncs on.  (The core
# refusing to write such an event: tests/unit/test_dossier.c, oversize_payload.)
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
LIMIT=1048576

# handmade DB CODE BYTES: a hand-made event in store DB, a note on dossier CODE after
# its last event, with a payload of BYTES bytes (odd; its hash is made up: central
# refuses the size first)
handmade() {
	sqlite3 "$1" "insert into events (id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
		select 'HANDMADE$3', dossier_code, dseq + 1, 'noted', os_account, actor, at + 60, origin,
			'{\"note\":\"' || replace(hex(zeroblob(($3 - 11) / 2)), '0', 'a') || '\"}', hash, randomblob(32)
		from events where dossier_code = '$2' order by dseq desc limit 1"
}

scenario() {
	use_central "$1" ilimits
	k="[$1]"
	DA=$T/$1.a.db
	demo_synced "$DA" 5
	events=$(cq "select count(*) from c_events")
	quar=$(cq "select count(*) from c_quarantine")
	# a dossier received by the office, then the hand-made event on it: one batch
	code=$(m "$DA" --as clerk1 --json receive --procedure $P1 --name "Lê Văn Dài" --id 001234567897 --components all |
		sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1)
	before=$(sqlite3 "$DA" "select count(*) from events")
	handmade "$DA" "$code" $((LIMIT + 1))
	check_eq "the store holds a hand-made event of $((LIMIT + 1)) bytes $k" "$((LIMIT + 1))" \
		"$(sqlite3 "$DA" "select length(payload) from events where id = 'HANDMADE$((LIMIT + 1))'")"
	out=$(m "$DA" sync --central "$CURL" 2>&1); rc=$?
	check_eq "sync goes on $k" 0 "$rc"
	check_match "... saying central refused one event $k" "1 refused there" "$out"
	check_match "central quarantines it, naming its size and the limit $k" \
		"its payload of $((LIMIT + 1)) bytes is more than the $LIMIT bytes central accepts \\(only its size is kept here\\)" \
		"$(cq "select reason from c_quarantine where id = 'HANDMADE$((LIMIT + 1))'")"
	check_eq "... keeping its size, not its payload $k" 1 \
		"$(cq "select count(*) from c_quarantine where id = 'HANDMADE$((LIMIT + 1))' and length(event) < 1024")"
	check_eq "... not the event itself $k" 0 "$(cq "select count(*) from c_events where id = 'HANDMADE$((LIMIT + 1))'")"
	check_eq "the rest of the batch went in (the dossier received before it) $k" 1 \
		"$(cq "select count(*) from c_events where dossier_code = '$code'")"
	check "the office syncs again $k" m "$DA" sync --central "$CURL"
	check_eq "the office still has it to push $k" "$((before + 1))" "$(sqlite3 "$DA" "select count(*) from events")"
}
both_backends scenario

[ -n "$PGPORT" ] || { echo "1..$n"; exit 0; }

# PostgreSQL: office A's own role pushes through psql and c_ingest()
role_office ilimitsrole 5
check_eq "[role] A synced as its own role" "$(sqlite3 "$DA" "select count(*) from events")" "$(cq "select count(*) from c_events where office = '$A'")"
# push2 ID AT PAYLOAD [OSACCOUNT]: one batch of two events continuing A's dossier, both
# well made: an ordinary note (ID-a, now), then ID-b at time AT (SQL) with payload
# PAYLOAD (SQL); committed when c_ingest() takes it
push2() {
	pa "begin; create temp table c_events_in (like c_events) on commit drop;
	insert into c_events_in (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
	select '$1-a', (pg_current_xact_id()::text::bigint << 20) + 1, '$A', '$acode', dseq + 1, 'noted', 'x', '$auser',
		extract(epoch from now())::bigint, '$A', '{\"note\":\"a\"}', hash, '\\x00'
	from c_events where dossier_code = '$acode' order by dseq desc limit 1;
	update c_events_in set hash = $HASH;
	insert into c_events_in (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
	select '$1-b', pos + 1, office, dossier_code, dseq + 1, 'noted', '${4:-x}', actor, $2, origin, $3, hash, '\\x00'
	from c_events_in where id = '$1-a';
	update c_events_in set hash = $HASH where id = '$1-b';
	select 'ingested ' || c_ingest(); commit;"
}
# note N: a payload {"note":"aaa..."} of N bytes
note() { echo "'{\"note\":\"' || repeat('a', $(($1 - 11))) || '\"}'"; }
NOW="extract(epoch from now())::bigint"
count() { cq "select count(*) from c_events where id like '$1-%'"; }

out=$(push2 OVER "$NOW" "$(note $((LIMIT + 1)))")
check_match "[role] c_ingest() refuses a payload one byte over the limit" \
	"event OVER-b of dossier $acode holds a payload of $((LIMIT + 1)) bytes, more than the $LIMIT bytes central accepts; nothing of the batch was written" "$out"
check_eq "[role] ... and writes nothing of the batch" 0 "$(count OVER)"
check_eq "[role] a payload at the limit goes in" "ingested 2" "$(push2 ATLIMIT "$NOW" "$(note $LIMIT)")"
check_eq "[role] ... both events of the batch" "$LIMIT" "$(cq "select max(octet_length(payload)) from c_events where id like 'ATLIMIT-%'")"

out=$(push2 FUTURE "extract(epoch from timestamptz '2099-01-01 00:00:00+00')::bigint" "'{\"note\":\"x\"}'")
check_match "[role] c_ingest() refuses an event dated 2099, naming its time and central's" \
	"event FUTURE-b of dossier $acode is dated 2099-01-01 00:00:00 UTC, more than a day after central's clock \\(20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC\\): fix the office computer's clock; what it wrote ahead goes in when central's clock gets there, or now by a bundle \\('motcua sync export', then 'motcua central import' at central\\); nothing of the batch was written" "$out"
check_eq "[role] ... and writes nothing of the batch" 0 "$(count FUTURE)"
out=$(push2 TWODAYS "$NOW + 2 * 86400" "'{\"note\":\"x\"}'")
check_match "[role] ... and one two days ahead" "event TWODAYS-b .* more than a day after central's clock" "$out"
check_eq "[role] ... nothing of it written" 0 "$(count TWODAYS)"
check_eq "[role] an event dated yesterday goes in" "ingested 2" "$(push2 YESTERDAY "$NOW - 86400" "'{\"note\":\"x\"}'")"
check_eq "[role] ... and one twelve hours ahead (a clock a little off)" "ingested 2" \
	"$(push2 AHEAD "$NOW + 43200" "'{\"note\":\"x\"}'")"

out=$(push2 LONGID "$NOW" "'{\"note\":\"x\"}'" "$(printf '%300s' | tr ' ' u)")
check_match "[role] c_ingest() refuses an identifier of 300 bytes" \
	"event LONGID-b of dossier $acode has an identifier longer than 256 bytes or a signature longer than 64; nothing of the batch was written" "$out"
check_eq "[role] ... and writes nothing of the batch" 0 "$(count LONGID)"

# an office whose clock is years ahead: its own sync, as its role, is refused by
# c_ingest() with the reason
events=$(cq "select count(*) from c_events")
mt "2099-03-01 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Lê Văn Sớm" --id 001234567897 \
	--components all >/dev/null 2>&1
out=$(mt "2099-03-01 09:05:00" "$DA" sync --central "$UA" 2>&1); rc=$?
check_eq "[role] an office's sync with its clock in 2099 exits non-zero" 1 "$([ $rc -ne 0 ] && echo 1 || echo 0)"
check_match "[role] ... saying the event's time and central's, and to fix the clock" \
	"is dated 2099-03-01 02:00:00 UTC, more than a day after central's clock \\(20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC\\): fix the office computer's clock" "$out"
check_eq "[role] ... and central holds nothing of it" "$events" "$(cq "select count(*) from c_events")"
# its clock set right, the event already written stays ahead of central: the message
# says how it goes in meanwhile (a bundle central's administrator imports: the owner's
# import has no such limit), and after that the office syncs again
out=$(m "$DA" sync --central "$UA" 2>&1); rc=$?
check_match "[role] ... refused again once the clock is right, saying how the events already written go in" \
	"fix the office computer's clock; what it wrote ahead goes in when central's clock gets there, or now by a bundle \\('motcua sync export', then 'motcua central import' at central\\); nothing of the batch was written" "$out"
m "$DA" sync export --out "$T/ahead.bundle" >/dev/null 2>&1
m "$DA" central import "$T/ahead.bundle" --reply "$T/ahead.reply" --central "$CURL" >/dev/null 2>&1
m "$DA" sync import "$T/ahead.reply" >/dev/null 2>&1
check_eq "[role] ... the bundle's import took the event dated 2099" 1 \
	"$(cq "select count(*) from c_events where office = '$A' and at > extract(epoch from now())::bigint + 86400")"
check "[role] ... and the office syncs again as its role" m "$DA" sync --central "$UA"

# the office's own sync, as its role, with a hand-made oversize event: quarantined by
# central_put_batch in the pushing process with its size only, the rest goes in
events=$(cq "select count(*) from c_events")
code=$(m "$DA" --as clerk1 --json receive --procedure $P1 --name "Lê Văn Dài" --id 001234567897 --components all |
	sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1)
handmade "$DA" "$code" $((LIMIT + 1))
out=$(m "$DA" sync --central "$UA" 2>&1); rc=$?
check_eq "[role] an office's sync with an oversize event goes on" 0 "$rc"
check_match "[role] ... central quarantines it as the role, naming its size and the limit" \
	"its payload of $((LIMIT + 1)) bytes is more than the $LIMIT bytes central accepts" \
	"$(cq "select reason from c_quarantine where id = 'HANDMADE$((LIMIT + 1))' and origin = '$A' and length(event) < 1024")"
check_eq "[role] ... and takes the rest of the batch" "$((events + 1))" "$(cq "select count(*) from c_events")"
echo "1..$n"
