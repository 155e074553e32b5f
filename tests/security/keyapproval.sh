#!/bin/sh
# keyapproval.sh - an approved key's approval is dated (issue 14, the gap left by key
# approval): under the policy 'approved' an office whose only key is approved but not
# used yet signs every event from its approval on at the latest, so an unsigned event
# in its name written after the approval is forged: central refuses it (a bundle signed
# with the approved key), an office pulling it quarantines it, `audit verify` names it;
# one written before the approval still passes as from before signing began.
# `central key list` shows when and by whom each key was approved.  On PostgreSQL an
# office's own role cannot set or change the approval through c_enrol_key(), and
# its first sync keeps it.  Both backends.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
ME=$(id -un)   # the account an approval is recorded as (root: no --as)

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
# central_forge ID CODE ORIGIN OFFICE ACTOR AT: an unsigned first event of CODE in
# ORIGIN's name, routed to OFFICE, written into central's log by its owner (what an
# office's role can push through c_ingest() on PostgreSQL, see centralverify.sh)
central_forge() {
	pl="{\"office\":\"$4\"}"
	ch=$(evhash "$1" "$2" 1 received "$5" "$6" "$3" "$pl")
	if [ "$BK" = sqlite ]; then
		cq "insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
		values ('$1', (select value from c_meta where key = 'log_pos') + 1, '$4', '$2', 1, 'received', 'root', '$5', $6, '$3', '$pl', NULL, x'$ch', NULL);
		update c_meta set value = value + 1 where key = 'log_pos';"
	else
		cq "insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
		values ('$1', (pg_current_xact_id()::text::bigint << 20) + 1, '$4', '$2', 1, 'received', 'root', '$5', $6, '$3', '$pl', NULL, decode('$ch', 'hex'), NULL)" >/dev/null
	fi
}
# store_forge DB ID CODE DSEQ PREVDSEQ ORIGIN ACTOR AT: an unsigned event appended in a store
store_forge() {
	fprev=""
	[ "$5" -gt 0 ] && fprev=$(sqlite3 "$1" "select lower(hex(hash)) from events where dossier_code = '$3' and dseq = $5 order by seq limit 1")
	fkind=note; [ "$4" = 1 ] && fkind=received
	fh=$(evhash "$2" "$3" "$4" $fkind "$7" "$8" "$6" "{}" "$fprev")
	fpv=NULL; [ -n "$fprev" ] && fpv="x'$fprev'"
	sqlite3 "$1" "insert into events(id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
		values ('$2', '$3', $4, '$fkind', 'root', '$7', $8, '$6', '{}', $fpv, x'$fh', NULL)"
}

scenario() {
	use_central "$1" keyappr
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	demo_synced "$DA" 10
	m "$DA" central key policy approved --central "$CURL" >/dev/null
	m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
	keyB=$(m "$DB_" sync key | sed -n 's/.*[ :]\([0-9a-f]\{64\}\)$/\1/p')
	m "$DB_" sync --central "$CURL" >/dev/null
	check "an administrator of central approves B's key $k" m "$DA" central key approve $B "$keyB" --central "$CURL"
	appr=$(cq "select doc from c_ref where kind = 'storekey' and key = '$B $keyB'")
	at=$(printf '%s' "$appr" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("approved_at", ""))')
	now=$(date +%s)
	check_match "the approval is dated in the key's row $k" "^[0-9]+$" "$at"
	[ -n "$at" ] || at=$now
	check "... within a minute of now $k" test $((now - at)) -lt 60
	check_match "... with who approved it $k" "\"approved_by\": ?\"$ME\"" "$appr"
	day=$(TZ=UTC-7 date -d "@$at" +%Y-%m-%d)
	out=$(m "$DA" central key list --central "$CURL")
	check_match "central key list shows when and by whom $k" "$B +$keyB +approved, not used yet +approved [0-9-]+ [0-9:]+ by $ME" "$out"
	check_match "... and in JSON $k" "\"approved_at\": $at, +\"approved_by\": \"$ME\"" "$(m "$DA" --json central key list --central "$CURL" | tr '\n' ' ')"
	check_nomatch "a key trusted on first use shows no approval $k" "$A .*approved" "$out"
	# after: beyond the day an office's clock may run ahead of central's
	# (STOREKEY_CLOCK_SLACK, tests/security/keyclockskew.sh)
	after=$((at + 2 * 86400)); before=$((at - 3600))

	# A learns B's approved key with the reference data; a forged event in B's name
	# dated after the approval reaches A's feed at central: A's pull quarantines it
	m "$DA" sync --central "$CURL" >/dev/null 2>&1
	check_eq "A's store knows B's key as signing from a day after its approval $k" "$((at + 86400))" \
		"$(sqlite3 "$DA" "select since from store_keys_known where agency = '$B' and central = 0")"
	central_forge FORGEDAFTER1 "$B-X-1" $B $A d_clerk1 $after
	central_forge FORGEDBEFORE1 "$B-X-2" $B $A d_clerk1 $before
	m "$DA" sync --central "$CURL" >/dev/null 2>&1
	check_match "A's pull quarantines an unsigned event of B after B's key was approved $k" \
		"not signed, though office $B signs every event" "$(sqlite3 "$DA" "select reason from quarantine where event_id = 'FORGEDAFTER1'")"
	check_eq "... and does not apply it $k" 0 "$(sqlite3 "$DA" "select count(*) from events where id = 'FORGEDAFTER1'")"
	check_nomatch "one dated before the approval is not called unsigned $k" "not signed" \
		"$(sqlite3 "$DA" "select reason from quarantine where event_id = 'FORGEDBEFORE1'")"

	# audit verify at A names an unsigned event in B's name after the approval
	F=$T/$1.f.db
	sqlite3 "$DA" ".backup '$F'"
	store_forge "$F" FORGEDAUDIT1 "$B-Y-1" 1 0 $B d_clerk1 $after
	check_match "audit verify names an unsigned event of B after the approval $k" "not signed, though office $B" \
		"$(m "$F" audit verify 2>&1)"
	sqlite3 "$DA" ".backup '$F'"
	store_forge "$F" FORGEDAUDIT2 "$B-Y-2" 1 0 $B d_clerk1 $before
	check_nomatch "... not one dated before it $k" "not signed, though office $B" "$(m "$F" audit verify 2>&1)"

	# central: a bundle signed with B's approved key, not used online yet, holding an
	# unsigned event dated after the approval: refused (quarantined), the rest taken
	m "$DB_" --as d_clerk1 receive --procedure $P2 --name "Trần Thị Riêng" --id 022123456791 --components all >/dev/null
	code=$(sqlite3 "$DB_" "select code from dossiers limit 1")
	h=$(sqlite3 "$DB_" "select max(dseq) from events where dossier_code = '$code'")
	store_forge "$DB_" FORGEDBUNDLE1 "$code" $((h + 1)) "$h" $B d_clerk1 $after
	m "$DB_" sync export --out "$T/$1.bundle" >/dev/null
	m "$DA" central import "$T/$1.bundle" --reply "$T/$1.reply" --central "$CURL" >/dev/null 2>&1
	check_match "central refuses B's unsigned event after the approval $k" "not signed, though office $B signs every event" \
		"$(cq "select reason from c_quarantine where id = 'FORGEDBUNDLE1'")"
	check_eq "... and took B's signed events $k" "$h" "$(cq "select count(*) from c_events where dossier_code = '$code'")"
	check_match "the key is still listed as approved then $k" "$B +$keyB .*approved [0-9-]+" "$(m "$DA" central key list --central "$CURL")"
}

both_backends scenario

# PostgreSQL: an office's own role may not date its approval, nor change it
if [ -n "$PGPORT" ]; then
	use_central pg keyapprrole
	DA=$T/r.a.db; DC=$T/r.c.db
	m "$DA" demo --dossiers 5 >/dev/null
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	m "$DA" central office role $B --create --central "$CURL" >/dev/null
	m "$DA" central office role $A --create --central "$CURL" >/dev/null
	UB="postgresql:///keyapprrole?host=$PGDIR&port=$PGPORT&user=motcua_000_00_31_h45"
	pb() { psql -q -At -h "$PGDIR" -p "$PGPORT" -U motcua_000_00_31_h45 -d keyapprrole -c "$1" 2>&1; }
	m "$DC" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
	keyC=$(m "$DC" sync key | sed -n 's/.*[ :]\([0-9a-f]\{64\}\)$/\1/p')
	sinceC=$(sqlite3 "$DC" "select created_at from store_key")
	# trust on first use: a role enrolling its key may not say it was approved
	out=$(pb "SELECT c_enrol_key('$B $keyC', '{\"agency\":\"$B\",\"pub\":\"$keyC\",\"central\":false,\"since\":$sinceC,\"approved_at\":1,\"approved_by\":\"admin\"}')")
	check_match "[role] a role enrolling its key may not date an approval" "may not say when or by whom" "$out"
	check_eq "[role] ... nothing enrolled" 0 "$(cq "select count(*) from c_ref where kind = 'storekey' and key like '$B %'")"
	m "$DA" central key policy approved --central "$CURL" >/dev/null
	m "$DA" central key approve $B "$keyC" --central "$CURL" >/dev/null
	row() { cq "select doc::json->>'since', doc::json->>'approved_at', doc::json->>'approved_by' from c_ref where kind = 'storekey' and key = '$B $keyC'" | tr '|' ' '; }
	r0=$(row)
	check_match "[role] approved: since -1, dated, by whom" "^-1 [0-9]+ $ME$" "$r0"
	out=$(pb "SELECT c_enrol_key('$B $keyC', '{\"agency\":\"$B\",\"pub\":\"$keyC\",\"central\":false,\"since\":$sinceC,\"approved_at\":99999999999,\"approved_by\":\"$ME\"}')")
	check_match "[role] c_enrol_key() refuses another approval time" "may not say when or by whom" "$out"
	out=$(pb "SELECT c_enrol_key('$B $keyC', '{\"agency\":\"$B\",\"pub\":\"$keyC\",\"central\":false,\"since\":$sinceC,\"approved_by\":\"someone\"}')")
	check_match "[role] ... and another approver" "may not say when or by whom" "$out"
	check_eq "[role] the row is as the administrator left it" "$r0" "$(row)"
	# a document without the approval fills in since and keeps it
	out=$(pb "SELECT c_enrol_key('$B $keyC', '{\"agency\":\"$B\",\"pub\":\"$keyC\",\"central\":false,\"since\":$sinceC}')")
	check_eq "[role] the role fills in since without saying the approval" "" "$out"
	check_eq "[role] ... and the approval stays" "$sinceC ${r0#-1 }" "$(row)"
	check "[role] the office's own sync with its approved key works" m "$DC" sync --central "$UB"
	check_eq "[role] ... the approval still there" "$sinceC ${r0#-1 }" "$(row)"
fi
