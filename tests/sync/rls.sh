#!/bin/sh
# rls.sh - each office connects to a PostgreSQL central as its own role
# (src/central_rls.c, the policies in db/central/pg_0001_central.sql): with psql and
# an office's credentials one reads only its own office's events, dossiers,
# snapshot and province rows, never another office's personal data, the portal's
# outbox or payments; it cannot insert, change or delete an event, COPY into the log,
# nor push through c_ingest() an event on another office's dossier or in another
# office's name, nor one whose hash, chain, actor or log position is forged (the whole
# batch is refused, saying why); the office's own sync still works both ways; central's owner still
# sees everything.  A SQLite central has no roles and says so.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
RA=motcua_000_00_17_h45
RB=motcua_000_00_31_h45

DA=$T/a.db; DB_=$T/b.db
m "$DA" demo --dossiers 60 >/dev/null
use_central sqlite rls
m "$DA" central init --central "$CURL" >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null
check_fails "a SQLite central has no roles" m "$DA" central office role $A --create --central "$CURL"
check_match "... and says so" "SQLite file, which has no roles" "$(cat "$T/.out")"

pg_start_or_skip
use_central pg rls
m "$DA" central init --central "$CURL" >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null
out=$(m "$DA" central office role $A --central "$CURL")
check_match "without --create the statement is printed" "office $A's role is $RA.*c_office_role" "$out"
check_fails "an unknown office has no role" m "$DA" central office role 000.00.99.H45 --create --central "$CURL"
check_fails "an office's admin may not make roles" m "$DA" --as admin central office role $A --create --central "$CURL"
echo "mat-khau-a" >"$T/pw"
check "central's owner makes office A's role" m "$DA" central office role $A --create --password-file "$T/pw" --central "$CURL"
check "... and office B's" m "$DA" central office role $B --create --central "$CURL"
check_eq "both are known to central" "$RA $A|$RB $B" "$(cq "select role || ' ' || office from c_office_roles order by 1" | paste -sd'|')"
check_eq "A's role has the password given" t "$(cq "select rolpassword is not null from pg_authid where rolname = '$RA'")"
UA="postgresql:///rls?host=$PGDIR&port=$PGPORT&user=$RA"
UB="postgresql:///rls?host=$PGDIR&port=$PGPORT&user=$RB"
# B: its own store, a few dossiers of its own
m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
check "office B syncs as its own role" m "$DB_" sync --central "$UB"
for i in 1 2 3; do
	m "$DB_" --as d_clerk1 receive --procedure $P2 --name "Trần Thị Riêng $i" --id 02212345679$i --components all >/dev/null
done
check "office B pushes its dossiers as its own role" m "$DB_" sync --central "$UB"
check "office A syncs as its own role" m "$DA" sync --central "$UA"
check_eq "every event of A reached central once" "$(sqlite3 "$DA" "select count(*) from events")" \
	"$(cq "select count(*) from c_events where office = '$A'")"
check "A's events are all there, hashes equal" same_events "$DA" $A
check "B's too" same_events "$DB_" $B
m "$DA" --as clerk1 receive --procedure $P1 --name "Nguyễn Văn Mới" --id 022123450009 --components all >/dev/null
check "a later push as the role works" m "$DA" sync --central "$UA"
check "... and is at central" same_events "$DA" $A
check_eq "the role notes its office's last sync" "$A" "$(cq "select office from c_prov_sync where office = '$A'")"
m "$DA" central dashboard --central "$CURL" >/dev/null
check_eq "the province's projection follows the role's batches (central's projector)" "$(sqlite3 "$DA" "select count(*) from dossiers")" \
	"$(cq "select count(*) from c_prov where office = '$A'")"

pa() { psql -q -At -h "$PGDIR" -p "$PGPORT" -U "$RA" -d rls -c "$1" 2>&1; }
check_eq "psql as A: its own events only" "$(cq "select count(*) from c_events where office = '$A'")" "$(pa "select count(*) from c_events")"
check_eq "psql as A: none of B's events" 0 "$(pa "select count(*) from c_events where office = '$B'")"
check_eq "psql as A: no B applicant's ID number in any payload" 0 "$(pa "select count(*) from c_events where payload like '%02212345679_%'")"
check_eq "... which central does hold" 3 "$(cq "select count(*) from c_events where payload like '%02212345679_%'")"
check_eq "psql as A: none of B's dossiers" 0 "$(pa "select count(*) from c_dossiers where office = '$B'")"
check_eq "psql as A: none of B's province rows" 0 "$(pa "select count(*) from c_prov where office = '$B'")"
check_match "psql as A: writing the province's projection is refused" "permission denied" \
	"$(pa "select c_prov_batch('[]', '[]', '[]', '[]', '[]', '$A', 0)")"
check_match "psql as A: noting another office's sync is refused" "may not write office" \
	"$(pa "select c_prov_synced('$B', 0)")"
check_match "psql as A: the province's projection is refused for writing" "permission denied" "$(pa "delete from c_prov")"
check_match "psql as A: the portal's outbox is refused" "permission denied" "$(pa "select count(*) from c_portal")"
check_match "psql as A: payments are refused" "permission denied" "$(pa "select count(*) from c_payments")"
check_match "psql as A: the role table is refused" "permission denied" "$(pa "select count(*) from c_office_roles")"
check_match "psql as A: inserting an event is refused" "permission denied|row-level security" \
	"$(pa "insert into c_events select * from c_events limit 0; insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, hash) values ('X1', 1, '$A', 'C', 1, 'received', 'x', 'x', 0, '$A', '{}', '\\x00')")"
check_match "psql as A: COPY into the log is refused" "permission denied|row-level security" \
	"$(printf 'X2\t1\n' | psql -q -h "$PGDIR" -p "$PGPORT" -U "$RA" -d rls -c "copy c_events (id, pos) from stdin" 2>&1)"
check_match "psql as A: changing an event is refused" "permission denied" "$(pa "update c_events set payload = '{}'")"
check_match "psql as A: deleting events is refused" "permission denied" "$(pa "delete from c_events")"
check_match "psql as A: changing reference data is refused" "permission denied" "$(pa "update c_ref set doc = '{}'")"
check_eq "psql as A: central's private signing key is not readable" 0 "$(pa "select count(*) from c_meta where key = 'sign_key'")"
check_eq "central holds a signing key" 1 "$(cq "select count(*) from c_meta where key = 'sign_key'")"
check_match "psql as A: enrolling a key in B's name is refused" "only its own store" \
	"$(pa "select c_enrol_key('$B 00', '{\"agency\":\"$B\",\"pub\":\"00\"}')")"
check_eq "A's store key was enrolled through c_enrol_key" 1 "$(cq "select count(*) from c_ref where kind = 'storekey' and key like '$A %'")"
check_match "psql as A: making itself another office is refused" "permission denied" "$(pa "insert into c_office_roles values ('$RA', '$B')")"
# c_ingest: an event in B's name, and one on B's dossier, are refused; nothing lands
bcode=$(cq "select dossier_code from c_events where office = '$B' limit 1")
forge() { # ORIGIN OFFICE CODE DSEQ PREVSQL
	pa "begin; create temp table c_events_in (like c_events) on commit drop;
	insert into c_events_in values ('FORGED$4', 99, '$2', '$3', $4, 'withdrawn', 'x', 'clerk1', 0, '$1', '{}', $5, '\\x00');
	select c_ingest(); commit;"
}
check_match "c_ingest refuses an event in another office's name" "is not office $A's own" "$(forge $B $B NEW 1 NULL)"
check_match "c_ingest refuses an event on another office's dossier" "is not office $A's own|may not file dossier" \
	"$(forge $A $A "$bcode" 2 "(select hash from c_events where dossier_code = '$bcode' and dseq = 1)")"
check_eq "nothing forged reached the log" 0 "$(cq "select count(*) from c_events where id like 'FORGED%'")"
# c_ingest re-checks each row as sync's own checks would (hash, chain, author, position):
# a row made in psql with A's credentials but without its store's key.  fg MUTATION
# [REHASH]: one well-made continuation of A's dossier, then MUTATION, then (unless
# REHASH is "keep") its hash computed again, then c_ingest; rolled back either way.
# (Its time is yesterday by central's clock, in seconds as an event's is: c_ingest()
# refuses one dated more than a day after central's clock.)
acode=$(cq "select dossier_code from c_events where office = '$A' and dseq = 1 order by pos limit 1")
adseq=$(cq "select max(dseq) from c_events where dossier_code = '$acode'")
auser=$(cq "select key from c_ref where kind = 'user' and doc::json->>'office' = '$A' order by key limit 1")
buser=$(cq "select key from c_ref where kind = 'user' and doc::json->>'office' = '$B' order by key limit 1")
HASH="sha256(coalesce(prev_hash, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
	|| convert_to(concat_ws(E'\\n', 'motcua-event-v1', id, dossier_code, dseq, kind, os_account, actor, at, origin, payload), 'UTF8'))"
fg() {
	rehash="update c_events_in set hash = $HASH;"
	[ "${2:-}" = keep ] && rehash=""
	pa "begin; create temp table c_events_in (like c_events) on commit drop;
	insert into c_events_in (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
	select 'FORGED1', (pg_current_xact_id()::text::bigint << 20) + 1, '$A', '$acode', $adseq + 1, 'noted', 'x', '$auser',
		extract(epoch from now())::bigint - 86400, '$A', '{}', hash, '\\x00' from c_events where dossier_code = '$acode' and dseq = $adseq limit 1;
	update c_events_in set hash = $HASH;
	$1
	$rehash
	select 'ingested ' || c_ingest(); rollback;"
}
check_eq "c_ingest takes a well-made row of A's (the control)" "ingested 1" "$(fg "")"
check_match "c_ingest refuses a row whose content was changed after hashing" "FORGED1 is not office $A's own.*hash does not match its content" \
	"$(fg "update c_events_in set payload = '{\"note\":\"x\"}';" keep)"
check_match "c_ingest refuses a hash made up for the row" "hash does not match" "$(fg "update c_events_in set hash = sha256('x');" keep)"
check_match "c_ingest refuses a row whose previous event central does not hold" "previous event is not at central" \
	"$(fg "update c_events_in set prev_hash = sha256('elsewhere');")"
check_match "c_ingest refuses a row that skips a step of the chain" "previous event is not at central" \
	"$(fg "update c_events_in set dseq = dseq + 1;")"
check_match "c_ingest refuses a row that claims to start the dossier again" "first event must be 'received'|central has it already" \
	"$(fg "update c_events_in set prev_hash = NULL, dseq = 1;")"
check_match "c_ingest refuses a new dossier filed for another office" "files the dossier for another office" \
	"$(fg "update c_events_in set prev_hash = NULL, dseq = 1, kind = 'received', dossier_code = '$A-NEW', payload = '{\"office\":\"$B\"}';")"
check_match "c_ingest refuses a routing to an office central does not know" "does not name or central does not know" \
	"$(fg "update c_events_in set kind = 'routed', office = 'XX.99', payload = '{\"to\":\"XX.99\"}';")"
check_match "c_ingest refuses a row whose actor is another office's user" "actor $buser is not a user of office $A" \
	"$(fg "update c_events_in set actor = '$buser';")"
check_match "c_ingest refuses a log position outside the batch's own" "log position is not one of this batch's" \
	"$(fg "update c_events_in set pos = 99;")"
check_match "c_ingest refuses a log position below a batch already committed" "log position is not one of this batch's" \
	"$(fg "update c_events_in set pos = (select max(pos) from c_events) - 1;")"
check_match "c_ingest refuses two rows on one log position" "log position is taken" \
	"$(fg "insert into c_events_in select 'FORGED2', pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash from c_events_in;")"
check_match "c_ingest refuses the same positions a second time in one transaction" "log position (is|already) taken" \
	"$(fg "select c_ingest(); delete from c_events_in; insert into c_events_in select 'FORGED3', pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash from c_events where id = 'FORGED1';")"
check_eq "a batch with one good and one forged row writes nothing, even committed" \
	"0" "$(pa "begin; create temp table c_events_in (like c_events) on commit drop;
	insert into c_events_in (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
	select 'FORGED1', (pg_current_xact_id()::text::bigint << 20) + 1, '$A', '$acode', $adseq + 1, 'noted', 'x', '$auser',
		extract(epoch from now())::bigint - 86400, '$A', '{}', hash, '\\x00' from c_events where dossier_code = '$acode' and dseq = $adseq limit 1;
	update c_events_in set hash = $HASH;
	insert into c_events_in select 'FORGED2', pos + 1, office, dossier_code, dseq + 1, kind, os_account, actor, at, origin,
		payload, hash, sha256('x') from c_events_in;
	select c_ingest(); commit;" >/dev/null; cq "select count(*) from c_events where id like 'FORGED%'")"
check_match "a role that is not an office's may not call c_ingest" "permission denied" \
	"$(psql -q -At -h "$PGDIR" -p "$PGPORT" -U postgres -d rls -c "create role stranger login" >/dev/null 2>&1;
	   psql -q -At -h "$PGDIR" -p "$PGPORT" -U stranger -d rls -c "select c_ingest()" 2>&1)"
# pulls as the role: B takes what central delivers to it, nothing of A's
n=$(sqlite3 "$DB_" "select count(*) from events")
check "B pulls as its own role" m "$DB_" sync --central "$UB"
check_eq "... and holds none of A's dossiers" 0 "$(sqlite3 "$DB_" "select count(*) from dossiers where code like '$A-%'")"
check_eq "central's owner still sees every office" 2 "$(cq "select count(distinct office) from c_events")"
