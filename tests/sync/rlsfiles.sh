#!/bin/sh
# rlsfiles.sh - attached files at a PostgreSQL central under row-level security
# (db/central/pg_0001_central.sql, src/central_rls.c): with psql and office B's
# credentials, office A's files are refused (their rows, bytes, names and hashes),
# and B can write no file row or chunk except through c_file_begin/put/settle(),
# which refuse a file of a dossier B does not hold and never drop good bytes; file
# sync between two offices each connected as its own role still works both ways
# (a dossier re-routed from A to B takes its papers along, B's own papers go up);
# a file offered by c_reuse_papers() for an applicant's ID number becomes readable
# to the office that asked, and the offer is recorded.  Also the holes an office's
# role could use around row-level security: a temporary table c_office_roles naming
# another office, a temporary view (or table with a policy) in place of the batch
# c_ingest() reads, an event at a log position of the office's choosing, an
# `attached` event naming the hash of a file the office never had, a SECURITY DEFINER
# function that searches the session's temporary schema first, a row in c_dossiers or
# a first event that would take another office's dossier code (or a part chain's code
# of a dossier it never held), a delivery at another event's place; and the list of
# every table and owner-rights function an office's role reaches.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
RA=motcua_000_00_17_h45
RB=motcua_000_00_31_h45
export LANG=C.UTF-8

pg_start_or_skip
python3 - "$T" <<'PY'
import os, random, sys
d = sys.argv[1]
r = random.Random(20)
for name, size in (('secret.pdf', 2 * 262144 + 77), ('shared.pdf', 262144 + 5), ('bown.pdf', 900)):
    open(os.path.join(d, name), 'wb').write(b'%PDF-1.5\n' + r.randbytes(size))
PY
sha() { sha256sum "$1" | cut -c1-64; }
codeof() { grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1; }
SEC=$(sha "$T/secret.pdf"); SHR=$(sha "$T/shared.pdf"); BOWN=$(sha "$T/bown.pdf")

DA=$T/a.db; DB_=$T/b.db
use_central pg rlsfiles
mt "2024-03-11 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
m "$DA" central init --central "$CURL" >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null
m "$DA" central office role $A --create --central "$CURL" >/dev/null
m "$DA" central office role $B --create --central "$CURL" >/dev/null
UA="postgresql:///rlsfiles?host=$PGDIR&port=$PGPORT&user=$RA"
UB="postgresql:///rlsfiles?host=$PGDIR&port=$PGPORT&user=$RB"
m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
mt "2024-03-11 08:05:00" "$DB_" sync --central "$UB" >/dev/null 2>&1

# A: a dossier of its own with a secret paper; a second one that central re-routes to B
c1=$(mt "2024-03-11 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Nguyễn Thị Kín" --id 022199000111 --components all | codeof)
c2=$(mt "2024-03-11 09:10:00" "$DA" --as clerk1 receive --procedure $P1 --name "Lê Văn Chuyển" --id 022199000222 --components all | codeof)
mt "2024-03-11 09:20:00" "$DA" --as clerk1 attach "$c1" --component 2 "$T/secret.pdf" >/dev/null
mt "2024-03-11 09:21:00" "$DA" --as clerk1 attach "$c2" --component 2 "$T/shared.pdf" >/dev/null
out=$(mt "2024-03-11 10:00:00" "$DA" sync --central "$UA" 2>&1)
check_match "A sends its two files as its own role" 'files: 2 sent' "$out"
check_eq "both are whole at central, hashing to their names" "$SEC $SHR" \
	"$(cq "select string_agg(f.sha256, ' ' order by f.sha256 = '$SHR') from c_files f where f.complete = 1
	  and encode(sha256((select string_agg(data, ''::bytea order by n) from c_file_chunks k where k.sha256 = f.sha256)), 'hex') = f.sha256")"
check_match "a second sync of A has nothing to send" 'files +0 to send' "$(m "$DA" sync status 2>&1)"
check "central re-routes c2 to B" mt "2024-03-11 11:00:00" "$DA" central reroute "$c2" --to $B --reason "Thuộc thẩm quyền huyện" --central "$CURL"
out=$(mt "2024-03-11 11:30:00" "$DB_" sync 2>&1)
check_match "B, as its own role, takes the re-routed dossier's paper" 'files: .*1 received' "$out"
check_eq "... the whole dossier, its attached event too" 1 "$(sqlite3 "$DB_" "select count(*) from events where dossier_code = '$c2' and kind = 'attached'")"
check_eq "... and the bytes, hashing to their name" "$SHR" "$(sqlite3 "$DB_" "select sha256 from files")"
check "B's audit verify is clean" m "$DB_" audit verify
mt "2024-03-11 13:00:00" "$DB_" --as d_clerk1 attach "$c2" --component 1 "$T/bown.pdf" >/dev/null 2>&1
out=$(mt "2024-03-11 13:10:00" "$DB_" sync 2>&1)
check_match "B sends its own paper on the dossier it holds now, as its own role" 'files: 1 sent' "$out"
check_eq "... whole at central" 1 "$(cq "select complete from c_files where sha256 = '$BOWN'")"
check "A syncs as its own role after that" mt "2024-03-11 13:20:00" "$DA" sync
check_eq "A did not take the paper B attached after the dossier left A (nothing delivered)" 0 "$(sqlite3 "$DA" "select count(*) from files where sha256 = '$BOWN'")"

pa() { psql -q -At -h "$PGDIR" -p "$PGPORT" -U "$RA" -d rlsfiles -c "$1" 2>&1; }
pb() { psql -q -At -h "$PGDIR" -p "$PGPORT" -U "$RB" -d rlsfiles -c "$1" 2>&1; }
# reading: A's secret paper is not there for B, by hash, by listing or by name
check_eq "psql as B: A's file row is refused" 0 "$(pb "select count(*) from c_files where sha256 = '$SEC'")"
check_eq "psql as B: A's file bytes are refused" 0 "$(pb "select count(*) from c_file_chunks where sha256 = '$SEC'")"
check_eq "psql as B: the hashes it may list are its own dossier's papers only" "$SHR $BOWN" \
	"$(pb "select string_agg(sha256, ' ' order by sha256 <> '$SHR') from c_files")"
check_eq "psql as B: no chunk of another file" 0 "$(pb "select count(*) from c_file_chunks where sha256 not in ('$SHR', '$BOWN')")"
check_eq "psql as B: the name of A's paper is in no event it reads" 0 "$(pb "select count(*) from c_events where payload like '%secret.pdf%' or payload like '%$SEC%'")"
check_eq "... which central does hold" 1 "$(cq "select count(*) from c_events where payload like '%secret.pdf%'")"
check_eq "psql as A: its own file is there" 3 "$(pa "select count(*) from c_file_chunks where sha256 = '$SEC'")"
check_eq "psql as A: of the log, only what was routed or delivered to it" 0 \
	"$(pa "select count(*) from c_events where dossier_code = '$c2' and payload like '%bown.pdf%'")"
check_eq "psql as A: the dossier it held, whole, through c_dossier_events (and so B's paper on it)" "1 1" \
	"$(pa "select count(*) from c_dossier_events('$c2') where payload like '%bown.pdf%'") $(pa "select count(*) from c_files where sha256 = '$BOWN'")"
check_eq "psql as B: the whole history of the dossier it holds now" "$(cq "select count(*) from c_events where dossier_code = '$c2'")" \
	"$(pb "select count(*) from c_dossier_events('$c2')")"
check_eq "psql as B: none of A's own dossier through the same function" 0 "$(pb "select count(*) from c_dossier_events('$c1')")"
# writing: only through the checked functions
check_match "psql as B: inserting a file row is refused" "permission denied" "$(pb "insert into c_files values ('$(printf '%064d' 0)', 1, 'x', 1)")"
check_match "psql as B: inserting a chunk is refused" "permission denied" "$(pb "insert into c_file_chunks values ('$SEC', 9, '\\x00')")"
check_match "psql as B: deleting chunks is refused" "permission denied" "$(pb "delete from c_file_chunks")"
check_match "psql as B: marking a file whole is refused" "permission denied" "$(pb "update c_files set complete = 1")"
check_match "psql as B: c_file_begin of a file no dossier of B has is refused" "may not store file" \
	"$(pb "select c_file_begin('$(printf '%064d' 1)', 10, 'application/pdf')")"
check_match "psql as B: c_file_put into A's file is refused" "may not store file" "$(pb "select c_file_put('$SEC', 3, '\\x00')")"
check_match "psql as B: c_file_settle dropping A's file is refused" "may not store file" "$(pb "select c_file_settle('$SEC', false)")"
check_eq "psql as B: calling a file it holds corrupt when it is not changes nothing" "t 2" \
	"$(pb "select c_file_settle('$SHR', false)") $(cq "select count(*) from c_file_chunks where sha256 = '$SHR'")"
check_eq "psql as B: a chunk put into a whole file is ignored" "2" \
	"$(pb "select c_file_put('$SHR', 7, '\\x00')" >/dev/null; cq "select count(*) from c_file_chunks where sha256 = '$SHR'")"
check_eq "central's files are all still whole" "3 3" "$(cq "select count(*) || ' ' || sum(complete) from c_files")"
check "central's owner's check of every file passes" m "$DA" central files --central "$CURL"
# knowing a file's hash is not having it: B's own dossier with an `attached` event naming
# A's secret file does not open its bytes; nor may B's batch choose its log positions
# (to come first among a file's events, or to hide behind the offices' cursors)
own() { # ID POS DSEQ KIND PAYLOAD PREV: one well-made event of B's own dossier through c_ingest()
	pb "begin; create temp table c_events_in (like c_events) on commit drop;
	insert into c_events_in select id, pos, '$B', code, dseq, kind, 'x', 'd_clerk1', 0, '$B', payload, prev,
		sha256(coalesce(prev, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) || convert_to(concat_ws(E'\\n',
		'motcua-event-v1', id, code, dseq, kind, 'x', 'd_clerk1', 0, '$B', payload), 'UTF8'))
	from (select '$1'::text id, $2::bigint pos, '$B-991231-0009'::text code, $3::int dseq, '$4'::text kind, '$5'::text payload,
		$6::bytea prev) e;
	select c_ingest(); commit;"
}
XP="(pg_current_xact_id()::text::bigint << 20)"
check_match "psql as B: an event at a log position of its own choosing is refused" "log position is not one of this batch" \
	"$(own HASH-0 1 1 received "{\"office\":\"$B\"}" NULL)"
check_eq "psql as B: its own dossier" 1 "$(own HASH-1 "$XP + 1" 1 received "{\"office\":\"$B\"}" NULL)"
check_eq "psql as B: ... with an attached event naming A's secret file's hash" 1 \
	"$(own HASH-2 "$XP + 1" 2 attached "{\"sha256\":\"$SEC\"}" "(select hash from c_events where id = 'HASH-1')")"
check_eq "psql as B: A's file row and bytes are still refused" "0 0" \
	"$(pb "select count(*) from c_files where sha256 = '$SEC'") $(pb "select count(*) from c_file_chunks where sha256 = '$SEC'")"
check_eq "psql as A: its own file is still there" 3 "$(pa "select count(*) from c_file_chunks where sha256 = '$SEC'")"
# reuse: an applicant's ID number offers that applicant's papers, and only those
check_eq "psql as B: c_reuse_papers offers A's paper for its applicant's ID number" "$c1" \
	"$(pb "select r_code from c_reuse_papers('022199000111', '1', 10)")"
check_eq "... after which B may read that file" 3 "$(pb "select count(*) from c_file_chunks where sha256 = '$SEC'")"
check_eq "... and central records the offer" "$B" "$(cq "select office from c_file_grants where sha256 = '$SEC'")"
check_eq "psql as B: reading c_file_grants is refused" "" "$(pb "select office from c_file_grants" | grep -v "permission denied")"
# around the policies
check_eq "psql as B: a temporary c_office_roles does not make B another office" "$B 0" \
	"$(pb "create temp table c_office_roles (role text, office text); insert into c_office_roles values (session_user, '$A');
	  select c_my_office() || ' ' || (select count(*) from c_events where dossier_code = '$c1')")"
check_eq "every SECURITY DEFINER function of central searches the temporary schema last" "" \
	"$(cq "select string_agg(proname, ' ') from pg_proc where prosecdef and proname like 'c\\_%'
	  and not coalesce(array_to_string(proconfig, ',') like '%search_path=%pg_temp', false)")"
check_match "psql as B: c_ingest refuses a temporary view in place of its batch" "ordinary temporary table" \
	"$(pb "create function pg_temp.evil() returns boolean language plpgsql as \$f\$ begin
	  insert into c_office_roles values ('x_' || current_user, '$A'); return true; end \$f\$;
	  create temp view c_events_in as select e.* from (select 1) x left join c_events e on false where pg_temp.evil() is null;
	  select c_ingest();")"
check_match "... and one with a row policy of its own" "ordinary temporary table" \
	"$(pb "begin; create function pg_temp.evil() returns boolean language sql as 'select true';
	  create temp table c_events_in (like c_events); alter table c_events_in enable row level security;
	  alter table c_events_in force row level security; create policy p on c_events_in using (pg_temp.evil());
	  select c_ingest(); rollback;")"
check_eq "no office role ran anything as central's owner" "" "$(cq "select role from c_office_roles where role like 'x\\_%'")"
# taking another office's dossier code: B may not route one to itself in c_dossiers,
# nor file a first event under it (before or after A's), so it never holds A's dossier
check_match "psql as B: a c_dossiers row for A's dossier is refused" "row-level security|permission denied" \
	"$(pb "insert into c_dossiers values ('$c1', '$B')")"
check_match "psql as B: ... and for a code A has not used yet" "row-level security|permission denied" \
	"$(pb "insert into c_dossiers values ('$A-991231-0001', '$B')")"
forge() { # CODE: a first event of B's under CODE
	pb "begin; create temp table c_events_in (like c_events) on commit drop;
	insert into c_events_in values ('FORGED-$1', 99, '$B', '$1', 1, 'received', 'x', 'd_clerk1', 0, '$B', '{}', NULL, '\\x00');
	select c_ingest(); commit;"
}
check_match "psql as B: c_ingest refuses a first event under A's dossier's code" "may not file dossier $c1" "$(forge "$c1")"
check_match "psql as B: ... and under a code A has not used yet" "may not file dossier $A-991231-0001" "$(forge "$A-991231-0001")"
check_match "psql as B: ... and under a part chain's code of A's own dossier (one B never held)" "may not file dossier $c1-P1" "$(forge "$c1-P1")"
check_match "psql as B: ... or of a dossier A has not filed yet" "may not file dossier $A-991231-0001-P2" "$(forge "$A-991231-0001-P2")"
check_match "psql as B: a c_dossiers row for such a code is refused" "row-level security|permission denied" \
	"$(pb "insert into c_dossiers values ('$A-991231-0001-P2', '$B')")"
check_eq "nothing forged reached central" 0 "$(cq "select count(*) from c_events where id like 'FORGED%'")"
check_match "psql as B: a delivery of its own event at another event's place is refused" "row-level security" \
	"$(pb "insert into c_deliveries select '$A', 1, id from c_events where origin = '$B' limit 1")"
check_eq "psql as B: A's dossier is still hidden" 0 "$(pb "select count(*) from c_events where dossier_code = '$c1'")"
# what an office's role may reach at all (a new table or function given to motcua_office
# must be added here on purpose, with its policy)
rel() { cq "select string_agg(relname, ' ' order by relname) from pg_class where relnamespace = current_schema()::regnamespace
	and relkind in ('r', 'p', 'v', 'm', 'f') and $1"; }
check_eq "the tables an office's role may read" \
	"c_deliveries c_dossiers c_events c_file_chunks c_files c_meta c_prov c_prov_day c_prov_open c_prov_stage c_prov_sync c_quarantine c_ref c_snapshot" \
	"$(rel "has_table_privilege('$RB', oid, 'SELECT')")"
check_eq "... of which only the reference data every office receives is not under row-level security" "c_ref" \
	"$(rel "has_table_privilege('$RB', oid, 'SELECT') and not relrowsecurity")"
check_eq "the tables it may write directly, each under a policy" "c_deliveries c_dossiers c_quarantine" \
	"$(rel "has_table_privilege('$RB', oid, 'INSERT, UPDATE, DELETE, TRUNCATE') and relrowsecurity")"
check_eq "... and none other" "" "$(rel "has_table_privilege('$RB', oid, 'INSERT, UPDATE, DELETE, TRUNCATE') and not relrowsecurity")"
# (c_log_head: the head of the whole log, a number, so that a pull does not walk other
# offices' rows under the policy)
check_eq "the functions with central's owner's rights it may call" \
	"c_dossier_events c_enrol_key c_file_begin c_file_put c_file_readable c_file_settle c_files_count c_held c_holds c_ingest c_log_head c_my_office c_prov_synced c_reuse_papers c_route" \
	"$(cq "select string_agg(proname, ' ' order by proname) from pg_proc where pronamespace = current_schema()::regnamespace
	  and prosecdef and has_function_privilege('$RB', oid, 'EXECUTE')")"
check "B still pushes and pulls as its own role" mt "2024-03-11 14:00:00" "$DB_" sync
echo "1..$n"
