#!/bin/sh
# audit.sh - the tamper-evident log through the CLI: an attacker with sqlite3 drops the
# append-only triggers and edits, deletes or forges event rows; `audit verify` names the
# dossier and the event of the first broken link and exits 3.
. "$ROOT/tests/lib.sh"

at "2024-03-11 08:00:00" mc demo --dossiers 0 >/dev/null
P=1.001037
for i in 1 2 3; do
	at "2024-03-11 09:0$i:00" mc --as clerk1 receive --procedure $P --name "Nguyễn Văn $i" --id 02212345678$i >/dev/null
	at "2024-03-11 10:0$i:00" mc --as clerk1 transfer "000.00.17.H45-240311-000$i" >/dev/null
	at "2024-03-11 10:3$i:00" mc --as head_tm assign "000.00.17.H45-240311-000$i" --to spec_tm1 >/dev/null
done
c2=000.00.17.H45-240311-0002

out=$(mc audit verify); rc=$?
check_eq "intact store: exit 0" 0 $rc
check_match "intact store: counts" "checked 3 dossiers, 9 events: every chain is intact" "$out"
check_match "one dossier" "checked 1 dossiers, 3 events" "$(mc audit verify $c2)"
check_match "--json" '"broken_count": 0' "$(mc --json audit verify)"
check_fails "the triggers stop a plain UPDATE" sqlite3 "$DB" "update events set actor = 'x' where dossier_code = '$c2'"
check_fails "the triggers stop a plain DELETE" sqlite3 "$DB" "delete from events where dossier_code = '$c2'"
check_fails "a clerk may not audit" mc --as clerk1 audit verify
check "a supervisor may audit" mc --as super1 audit verify

# an attacker edits the assignment of dossier 2
cp "$DB" "$T/a.db"
ev=$(sqlite3 "$T/a.db" "select id from events where dossier_code = '$c2' and dseq = 3")
sqlite3 "$T/a.db" "drop trigger events_append_only_update; update events set payload = replace(payload, 'spec_tm1', 'spec_tm2') where id = '$ev'"
out=$("$MOTCUA" --db "$T/a.db" audit verify 2>&1); rc=$?
check_eq "edited event: exit 3" 3 $rc
check_match "edited event: names dossier and event" "dossier $c2: event $ev \(#3\): its content does not match its hash" "$out"
check_match "edited event: one broken" "checked 3 dossiers, 9 events: 1 broken" "$out"
check_match "--json names it too" "\"event\": \"$ev\"" "$("$MOTCUA" --db "$T/a.db" --json audit verify 2>/dev/null)"

# an attacker edits the first event and recomputes nothing else
cp "$DB" "$T/b.db"
ev1=$(sqlite3 "$T/b.db" "select id from events where dossier_code = '$c2' and dseq = 1")
sqlite3 "$T/b.db" "drop trigger events_append_only_update; update events set os_account = 'someone' where id = '$ev1'"
check_match "edited OS account: first link named" "dossier $c2: event $ev1 \(#1\)" "$("$MOTCUA" --db "$T/b.db" audit verify 2>&1)"

# an attacker deletes an event in the middle
cp "$DB" "$T/c.db"
sqlite3 "$T/c.db" "drop trigger events_append_only_delete; delete from events where dossier_code = '$c2' and dseq = 2"
out=$("$MOTCUA" --db "$T/c.db" audit verify 2>&1)
check_match "deleted event: the next link is named" "dossier $c2: event $ev \(#3\): its previous hash .* matches no earlier event" "$out"

# an attacker deletes the last event (the chain stays consistent; the row does not)
cp "$DB" "$T/d.db"
sqlite3 "$T/d.db" "drop trigger events_append_only_delete; delete from events where id = '$ev'"
check_match "deleted last event: the row says so" "dossier $c2: its chain head matches none of its events" "$("$MOTCUA" --db "$T/d.db" audit verify 2>&1)"

# an attacker inserts a forged event with a made-up hash
cp "$DB" "$T/e.db"
sqlite3 "$T/e.db" "insert into events(id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
	select '01FORGED0000000000000000000', dossier_code, 4, 'refused', 'root', 'clerk1', at + 60, origin, '{\"reason\":\"x\"}', hash, randomblob(32)
	from events where id = '$ev'"
check_match "forged event: named" "dossier $c2: event 01FORGED0000000000000000000 \(#4\)" "$("$MOTCUA" --db "$T/e.db" audit verify 2>&1)"

# an attacker edits a dossier row (the projection) but no event: the one-dossier audit
# replays the events and names the field
cp "$DB" "$T/f.db"
sqlite3 "$T/f.db" "update dossiers set assignee_id = (select id from users where account = 'spec_tm2') where code = '$c2'"
out=$("$MOTCUA" --db "$T/f.db" audit verify 2>&1); rc=$?
check_eq "edited row: the full audit fails too" 3 $rc
check_match "edited row: the full audit replays and names the field" "dossier $c2: its row does not match its events \(field assignee_id" "$out"
out=$("$MOTCUA" --db "$T/f.db" audit verify $c2 2>&1); rc=$?
check_eq "edited row: exit 3" 3 $rc
check_match "edited row: the field is named" "dossier $c2: its row does not match its events \(field assignee_id" "$out"

# the full audit replays every dossier: each projected field edited alone is named
for edit in "applicant_name = 'Trần Thị X'|applicant_name" "stage = stage + 1|stage" "status = 9|status" \
	    "due_at = due_at + 86400|due_at" "step_due_at = step_due_at + 60|step_due_at" "note = 'x'|note"; do
	cp "$DB" "$T/g.db"
	sqlite3 "$T/g.db" "update dossiers set ${edit%|*} where code = '$c2'"
	check_match "row edit ${edit#*|}: named by the full audit" "dossier $c2: its row does not match its events \(field ${edit#*|} " \
		"$("$MOTCUA" --db "$T/g.db" audit verify 2>&1)"
done

# an attacker deletes the last event and sets the row's version and chain head back to
# the event before it: the chain and the counts agree, the replayed row does not
cp "$DB" "$T/h.db"
sqlite3 "$T/h.db" "drop trigger events_append_only_delete; delete from events where id = '$ev';
	update dossiers set version = 2, chain_head = (select hash from events where dossier_code = '$c2' and dseq = 2) where code = '$c2'"
out=$("$MOTCUA" --db "$T/h.db" audit verify 2>&1); rc=$?
check_eq "last event deleted, version and head fixed: exit 3" 3 $rc
check_match "last event deleted, version and head fixed: named" "dossier $c2: its row does not match its events" "$out"

# an attacker deletes a dossier row and keeps its events
cp "$DB" "$T/i.db"
sqlite3 "$T/i.db" "delete from dossiers where code = '$c2'"
out=$("$MOTCUA" --db "$T/i.db" audit verify 2>&1); rc=$?
check_eq "row deleted: exit 3" 3 $rc
check_match "row deleted: named" "dossier $c2: it has events but no row" "$out"

# an attacker deletes a whole dossier (its row and every event): the daily counter
# gave its number out, so it is named missing; so is the day's last one
cp "$DB" "$T/j.db"
sqlite3 "$T/j.db" "drop trigger events_append_only_delete; delete from events where dossier_code in ('$c2', '000.00.17.H45-240311-0003');
	delete from dossiers where code in ('$c2', '000.00.17.H45-240311-0003')"
out=$("$MOTCUA" --db "$T/j.db" audit verify 2>&1); rc=$?
check_eq "whole dossier deleted: exit 3" 3 $rc
check_match "whole dossier deleted: named" "dossier $c2: the dossier is missing" "$out"
check_match "the day's last dossier deleted: named" "dossier 000.00.17.H45-240311-0003: the dossier is missing" "$out"
check_match "whole dossiers deleted: counted" "checked 1 dossiers, 3 events: 2 broken" "$out"
out=$("$MOTCUA" --db "$T/j.db" audit verify $c2 2>&1); rc=$?
check_eq "whole dossier deleted, audit verify CODE: exit 3" 3 $rc
check_match "whole dossier deleted, audit verify CODE: named missing" "dossier $c2: the dossier is missing" "$out"
check_fails "a number the counter never gave out is unknown" "$MOTCUA" --db "$T/j.db" audit verify 000.00.17.H45-240311-0004

# the other dossiers still check out one by one
check "an untouched dossier of a tampered store" "$MOTCUA" --db "$T/a.db" audit verify 000.00.17.H45-240311-0001
check_fails "an unknown code" mc audit verify 000.00.17.H45-990101-0001
