#!/bin/sh
# auditcheckpoint.sh - the signed audit checkpoint (issue 14): a full `audit verify` that
# finds nothing wrong records one, and the next checks only the signatures written
# since (the counts printed say so).  Changing a covered event's signature, hash or row
# number, or inserting or deleting an event below the checkpoint, or altering the
# checkpoint itself, is caught by the next audit, which then checks every signature;
# --all-signatures ignores the checkpoint; a forged fork fails every audit with and
# without one; a restored backup keeps its own checkpoints.
. "$ROOT/tests/lib.sh"

P1=1.001037
m() { _db=$1; shift; "$MOTCUA" --db "$_db" "$@"; }
mt() { _t=$1; _db=$2; shift 2; TZ=UTC-7 faketime -f "@$_t" "$MOTCUA" --db "$_db" "$@"; }
. "$ROOT/tests/security/forge.inc"
# a copy of the store to tamper with, the triggers that keep rows dropped
scratch() {
	rm -f "$T/f.db"*
	sqlite3 "$1" ".backup '$T/f.db'"
	sqlite3 "$T/f.db" "drop trigger events_append_only_update; drop trigger events_append_only_delete"
	echo "$T/f.db"
}

D=$T/a.db
mt "2024-03-11 08:00:00" "$D" demo --dossiers 40 >/dev/null
nev=$(sqlite3 "$D" "select count(*) from events")
out=$(mt "2024-03-12 08:00:00" "$D" audit verify 2>&1); rc=$?
check_eq "the first audit of a clean store passes" 0 $rc
check_match "and checks every signature ($nev)" "^signatures: $nev checked now, every one$" "$out"
check_match "and records a checkpoint over them" "^audit checkpoint recorded over these $nev events" "$out"
check_eq "one checkpoint row, signed by the store's key, naming who ran it" "1|$nev|root|" \
	"$(sqlite3 "$D" "select count(*), max(events), max(os_account), max(actor) from audit_checkpoints
		where pub = (select pub from store_key) and length(sig) = 64 and length(digest) = 32")"
out=$(mt "2024-03-12 09:00:00" "$D" audit verify 2>&1); rc=$?
check_eq "the second audit passes" 0 $rc
check_match "and checks no signature: all are covered by the first audit's checkpoint" \
	"^signatures of $nev events were checked at the audit of 2024-03-12 08:00 \(its checkpoint proves them unchanged\); 0 checked now$" "$out"
check_match "every chain is still walked" "checked [0-9]+ dossiers, $nev events: every chain is intact" "$out"
check_eq "it records its own checkpoint too (who and when: a record, not an event)" "2|$nev" \
	"$(sqlite3 "$D" "select count(*), (select count(*) from events) from audit_checkpoints")"

# new steps: only their signatures are checked
mt "2024-03-13 09:00:00" "$D" --as clerk1 receive --procedure $P1 --name "Trần Thị Mới" --id 022123456780 --components all >/dev/null
c1=$(sqlite3 "$D" "select dossier_code from events order by seq desc limit 1")
mt "2024-03-13 09:30:00" "$D" --as clerk1 transfer "$c1" >/dev/null
new=$(($(sqlite3 "$D" "select count(*) from events") - nev))
check "a new dossier of $new events" test "$new" -ge 2
out=$(mt "2024-03-13 10:00:00" "$D" audit verify 2>&1)
check_match "the third audit checks only the $new new signatures" \
	"^signatures of $nev events were checked at the audit of 2024-03-12 09:00 \(its checkpoint proves them unchanged\); $new checked now$" "$out"
total=$((nev + new))
json=$(mt "2024-03-13 11:00:00" "$D" --json audit verify)
check_match "--json: the checkpoint was used" '"checkpoint": "used"' "$json"
check_match "--json: signatures covered" "\"signatures_covered\": $total" "$json"
check_match "--json: none checked now" '"signatures_checked": 0' "$json"
check_match "--json: when the covering audit ran" '"checkpoint_at": "2024-03-13 10:00"' "$json"
out=$(mt "2024-03-13 12:00:00" "$D" audit verify --all-signatures 2>&1); rc=$?
check_eq "--all-signatures passes" 0 $rc
check_match "--all-signatures checks every signature" \
	"^signatures: $total checked now, every one \(--all-signatures: the checkpoint of the audit of 2024-03-13 11:00 was not used\)$" "$out"
check_match "a one-dossier audit neither uses nor records it" "checked 1 dossiers" "$(m "$D" audit verify "$c1")"
check_eq "(still one row per full audit)" 5 "$(sqlite3 "$D" "select count(*) from audit_checkpoints")"
check_fails "an unknown option is refused" m "$D" audit verify --all

# tampering below the checkpoint: each caught by the next audit
tampered() {
	desc=$1; sql=$2; also=$3
	F=$(scratch "$D")
	sqlite3 "$F" "$sql"
	out=$(m "$F" audit verify 2>&1); rc=$?
	check_eq "$desc: the audit fails" 3 $rc
	check_match "$desc: it says the covered events changed" \
		"BROKEN.*the events covered by the audit checkpoint of 2024-03-13 12:00 changed since that audit" "$out"
	check_match "$desc: and checks every signature again" "^signatures: [0-9]+ checked now, every one$" "$out"
	[ -n "$also" ] && check_match "$desc: and names the event" "$also" "$out"
	check_fails "$desc: the next audit fails again" m "$F" audit verify
}
s5=$(sqlite3 "$D" "select seq from events where seq < 10 order by seq limit 1 offset 4")
tampered "a covered signature replaced" "update events set sig = (select sig from events where seq = $s5 + 1) where seq = $s5" \
	"signature is not by a key of office"
tampered "a covered hash replaced" "update events set hash = randomblob(32) where seq = $s5" "does not match its hash"
tampered "two covered rows renumbered" "update events set seq = -5 where seq = 3; update events set seq = 3 where seq = 4;
	update events set seq = 4 where seq = -5"
tampered "a covered event deleted (last of its dossier, the row set back)" \
	"delete from events where seq = (select max(seq) from events where dossier_code = '$c1');
	 update dossiers set version = version - 1, chain_head = (select hash from events where dossier_code = '$c1' order by dseq desc limit 1) where code = '$c1'"
tampered "a copy of an event inserted below the others" \
	"insert into events select 0, id || 'X', dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig from events where seq = $s5"
# only the digest saw the renumbering: --all-signatures ignores the checkpoint and
# records a new one over the store as it is
F=$(scratch "$D")
sqlite3 "$F" "update events set seq = -5 where seq = 3; update events set seq = 3 where seq = 4; update events set seq = 4 where seq = -5"
out=$(m "$F" audit verify 2>&1)
check_match "renumbered rows: every chain is intact, yet the audit fails" "every chain is intact" "$out"
check "--all-signatures passes on it" m "$F" audit verify --all-signatures
check "and the next audit passes with the new checkpoint" m "$F" audit verify
# the checkpoint itself altered
F=$(scratch "$D")
sqlite3 "$F" "drop trigger audit_checkpoints_keep_update; update audit_checkpoints set upto_seq = upto_seq + 100 where id = (select max(id) from audit_checkpoints)"
out=$(m "$F" audit verify 2>&1); rc=$?
check_eq "an altered checkpoint: the audit fails" 3 $rc
check_match "an altered checkpoint is named" "is not signed by this store's own key \(it was forged or altered\)" "$out"
F=$(scratch "$D")
sqlite3 "$F" "insert into audit_checkpoints(upto_seq, events, digest, at, os_account, actor, pub, sig)
	select upto_seq + 100, events + 100, digest, at + 1, os_account, actor, pub, sig from audit_checkpoints order by id desc limit 1"
check_match "a checkpoint row added by hand is named" "is not signed by this store's own key" "$(m "$F" audit verify 2>&1)"
F=$(scratch "$D")
sqlite3 "$F" "drop trigger audit_checkpoints_keep_delete; delete from audit_checkpoints"
check_match "checkpoints deleted: every signature is checked" "^signatures: $total checked now, every one$" "$(m "$F" audit verify 2>&1)"

# a forged fork (the issue's case) fails every audit, with and without a checkpoint
since=$(sqlite3 "$D" "select created_at from store_key")
late=$((since + 86400))
F=$(scratch "$D")
forge "$F" "$c1" 2 1 returned "$late" >/dev/null
check_match "an unsigned fork after the checkpoint fails the audit" "not signed, though office" "$(m "$F" audit verify 2>&1)"
check_match "and with --all-signatures" "not signed, though office" "$(m "$F" audit verify --all-signatures 2>&1)"
F=$(scratch "$D")
forge "$F" "$c1" 2 1 returned "$late" own >/dev/null
check_match "a fork signed with the office's own key fails with a checkpoint" "forged fork" "$(m "$F" audit verify 2>&1)"
check_match "and with --all-signatures" "forged fork" "$(m "$F" audit verify --all-signatures 2>&1)"
F=$(scratch "$D")
forge "$F" "$c1" 2 1 returned "$late" own -1 >/dev/null
out=$(m "$F" audit verify 2>&1)
check_match "a signed fork hidden below the checkpoint fails: the fork rule" "forged fork" "$out"
check_match "and the digest" "changed since that audit" "$out"

# a restored backup: its own checkpoints cover what it holds
B=$T/backup.db
sqlite3 "$D" ".backup '$B'"
mt "2024-03-14 09:00:00" "$D" --as clerk1 receive --procedure $P1 --name "Lê Văn Sau" --id 022123456781 --components all >/dev/null
mt "2024-03-14 10:00:00" "$D" audit verify >/dev/null
check_match "a restored backup's audit uses its checkpoint" "^signatures of $total events were checked at the audit of 2024-03-13 12:00" \
	"$(m "$B" audit verify 2>&1)"
sqlite3 "$B" "attach '$D' as d; insert into audit_checkpoints(upto_seq, events, digest, at, os_account, actor, pub, sig)
	select upto_seq, events, digest, at, os_account, actor, pub, sig from d.audit_checkpoints order by id desc limit 1"
sqlite3 "$B" "drop trigger events_append_only_delete; delete from events where seq = (select max(seq) from events)"
check_match "a newer checkpoint copied into an older backup is caught" "changed since that audit" "$(m "$B" audit verify 2>&1)"

# steps written while an audit runs: its checkpoint covers only the rows it saw, so the
# next audit checks theirs
W=$T/w.db
mt "2024-03-11 08:00:00" "$W" demo --dossiers 1500 >/dev/null
m "$W" audit verify >"$T/audit.out" 2>&1 &
apid=$!
i=0
while kill -0 $apid 2>/dev/null && [ $i -lt 40 ]; do
	i=$((i + 1))
	mt "2024-03-15 09:00:00" "$W" --as clerk1 receive --procedure $P1 --name "Song Song $i" --id 02212345$(printf %04d $i) --components all >/dev/null
done
wait $apid
check_match "an audit with steps written meanwhile passes" "every chain is intact" "$(cat "$T/audit.out")"
upto=$(sqlite3 "$W" "select upto_seq from audit_checkpoints order by id desc limit 1")
covered=$(sqlite3 "$W" "select count(*) from events where seq <= $upto")
after=$(sqlite3 "$W" "select count(*) from events where seq > $upto")
check_eq "its checkpoint counts the rows up to its last ($covered)" "$covered" \
	"$(sqlite3 "$W" "select events from audit_checkpoints order by id desc limit 1")"
check_match "the next audit checks the $after written meanwhile or after" "^signatures of $covered events were checked at the audit of .*; $after checked now$" \
	"$(m "$W" audit verify 2>&1)"
