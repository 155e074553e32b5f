#!/bin/sh
# idtwice.sh - a PostgreSQL central keeps no index of the event id alone (an id is
# unique there with its dossier and dseq), so it may hold two different events under
# one id (an office's role pushing through psql, a store that reused one).  An office
# pulling such an event whose id it already holds for another event does not take it
# for one it has (it would be lost without a word): it is quarantined with the reason,
# and the event the office held stays as it was.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
pg_start_or_skip
use_central pg idtwice
DA=$T/a.db
demo_synced "$DA" 5
check_eq "the office synced" "$(sqlite3 "$DA" "select count(*) from events")" "$(cq "select count(*) from c_events where office = '$A'")"
# central's owner writes an event for office A, on a new dossier, under the id of an
# event A holds (its hash is its content's: only its id is wrong)
held=$(sqlite3 "$DA" "select id from events order by seq limit 1")
heldhash=$(sqlite3 "$DA" "select lower(hex(hash)) from events where id = '$held'")
cen=$(cq "select value from c_meta where key = 'agency'")
cq "insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
	values ('$held', (pg_current_xact_id()::text::bigint << 20) + 1, '$A', '$A-TWICE-1', 1, 'received', 'root', 'x',
	extract(epoch from now())::bigint, '$cen', '{\"office\":\"$A\"}', NULL, '\\x00');
	update c_events set hash = sha256('\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
		|| convert_to(concat_ws(E'\\n', 'motcua-event-v1', id, dossier_code, dseq, kind, os_account, actor, at, origin, payload), 'UTF8'))
	where dossier_code = '$A-TWICE-1'" >/dev/null
check_eq "central holds the id twice" 2 "$(cq "select count(*) from c_events where id = '$held'")"
m "$DA" sync --central "$CURL" >"$T/pull.out" 2>&1
check_eq "the office quarantines the event that takes its event's id" "$A-TWICE-1" \
	"$(sqlite3 "$DA" "select dossier_code from quarantine where event_id = '$held'")"
check_match "... saying why" "its id is another event's that this store holds" \
	"$(sqlite3 "$DA" "select reason from quarantine where event_id = '$held'")"
check_eq "... and keeps its own event as it was" "1 $heldhash" \
	"$(sqlite3 "$DA" "select count(*) || ' ' || lower(hex(hash)) from events where id = '$held'")"
check_eq "... and no dossier of it" 0 "$(sqlite3 "$DA" "select count(*) from dossiers where code = '$A-TWICE-1'")"
m "$DA" sync --central "$CURL" >/dev/null 2>&1
check_eq "a second sync changes nothing" 1 "$(sqlite3 "$DA" "select count(*) from quarantine")"
