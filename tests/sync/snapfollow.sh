#!/bin/sh
# snapfollow.sh - a receiving office that joins by snapshot keeps following what it
# received, on both backends: a branch receives dossiers that a department and a
# commune resolve (offices offline between syncs); central takes its snapshot; a
# brand-new store of the branch syncs first and has them all, followed, with the
# progress and the three places the branch's own store shows; later steps keep
# arriving on top of the snapshot; audit verify passes; a re-sync brings nothing
# twice; `sync fetch` brings the older steps.  A new store of the department has the
# dossier it resolved whose result went back to the branch.  A first sync killed
# with -9 between two chunks resumes to the same result.  On PostgreSQL it runs again
# with each office connected as its own role (row-level security): the snapshot's
# rows of every dossier an office ever held are visible to that office's role, and a
# paper the department attaches reaches the branch that follows the dossier.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
. "$ROOT/tests/sync/org2025.inc"
PLAIN=${SYNC_MOTCUA:-$ROOT/motcua}   # the plain binary for the killed run

# the projection as the store's own ids do not show it: code, status, stage, version,
# head, where it is, its three places
ROWS="select d.code || ' ' || d.status || ' ' || d.stage || ' ' || d.version || ' ' || lower(hex(d.chain_head)) || ' ' ||
 o.agency_code || ' ' || r.agency_code || ' ' || s.agency_code || ' ' || t.agency_code || ' ' || d.due_at || ' ' || coalesce(d.decision, '')
 from dossiers d join offices o on o.id = d.office_id join offices r on r.id = d.recv_office_id
 join offices s on s.id = d.resolver_id join offices t on t.id = d.return_office_id order by d.code"
rows() { sqlite3 "$1" "$ROWS"; }
# no dossier has two events at one step, and no event is here twice
doubled() { sqlite3 "$1" "select (select count(*) from (select 1 from events group by dossier_code, dseq having count(*) > 1)) + (select count(*) - count(distinct id) from events)"; }
row() { sqlite3 "$1" "select o.agency_code || ' ' || d.stage from dossiers d join offices o on o.id = d.office_id where d.code = '$2'"; }

# ourl OFFICE: the URL an office's store syncs with (its own role in the roles run)
ourl() { if [ "$ROLES" = 1 ]; then echo "postgresql:///snaproles?host=$PGDIR&port=$PGPORT&user=motcua_$(echo "$1" | tr 'A-Z.' 'a-z_')"; else echo "$CURL"; fi; }
scenario() {
	if [ "$ROLES" = 1 ]; then use_central pg snaproles; else use_central "$1" snapfollow; fi
	k="[$1]"
	DA=$T/$1.a.db; DBR=$T/$1.br.db; DC=$T/$1.c.db; DN=$T/$1.new.db; DK=$T/$1.kill.db; DAN=$T/$1.anew.db
	printf 'motcua-demo\n' >"$T/pass"
	m "$DA" central init --central "$CURL" >/dev/null 2>&1
	mt "2025-07-01 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
	org2025 "$DA"
	m "$DA" user add c_head --name "Trưởng VP xã" --roles head --office $CM --department VP-DN >/dev/null 2>&1
	m "$DA" central publish --central "$CURL" >/dev/null 2>&1
	if [ "$ROLES" = 1 ]; then
		for o in $A $BR $CM; do check "office $o's own role $k" m "$DA" central office role $o --create --central "$CURL"; done
	fi
	m "$DA" sync --central "$(ourl $A)" >/dev/null 2>&1
	m "$DBR" init --office $BR --name "Chi nhánh số 1" >/dev/null 2>&1
	m "$DC" init --office $CM --name "UBND xã Đông Ngũ" >/dev/null 2>&1
	mt "2025-07-01 08:05:00" "$DBR" sync --central "$(ourl $BR)" >/dev/null 2>&1
	mt "2025-07-01 08:05:00" "$DC" sync --central "$(ourl $CM)" >/dev/null 2>&1

	# the branch receives for the department (d1, d3 and six more) and the commune (d2)
	d1=$BR-250710-0001; d2=$BR-250710-0002; d3=$BR-250710-0003
	mt "2025-07-10 09:00:00" "$DBR" --as br_clerk receive --procedure $P1 --name "Nguyễn Văn Một" --id 022123456781 --components all >/dev/null 2>&1
	mt "2025-07-10 09:05:00" "$DBR" --as br_clerk receive --procedure $PC --name "Trần Thị Hai" --id 022123456782 --components all --return-at $CM >/dev/null 2>&1
	mt "2025-07-10 09:10:00" "$DBR" --as br_clerk receive --procedure $P1 --name "Phạm Văn Ba" --id 022123456783 --components all >/dev/null 2>&1
	for i in 4 5 6 7 8 9; do
		mt "2025-07-10 09:2$i:00" "$DBR" --as br_clerk receive --procedure $P1 --name "Người Số $i" --id 02212345679$i --components all >/dev/null 2>&1
	done
	check_eq "the branch received nine dossiers $k" 9 "$(sqlite3 "$DBR" "select count(*) from dossiers")"
	check "the branch syncs $k" mt "2025-07-10 09:30:00" "$DBR" sync
	mt "2025-07-10 09:40:00" "$DA" sync >/dev/null 2>&1
	mt "2025-07-10 09:40:00" "$DC" sync >/dev/null 2>&1
	# the department works d1 and resolves d3 (its result goes back to the branch);
	# the commune works d2
	mt "2025-07-10 10:00:00" "$DA" --as clerk1 transfer $d1 >/dev/null 2>&1
	mt "2025-07-10 10:10:00" "$DA" --as head_tm assign $d1 --to spec_tm1 >/dev/null 2>&1
	mt "2025-07-10 10:20:00" "$DA" --as spec_tm1 propose $d1 --decision approve >/dev/null 2>&1
	# the department scans a paper into d1; the branch that follows d1 takes it
	printf '%%PDF-1.4\n%% d1 %s\n' "$1" >"$T/$1.scan.pdf"
	scan=$(sha256sum "$T/$1.scan.pdf" | cut -c1-64)
	check "the department attaches a scan to d1 $k" mt "2025-07-10 10:25:00" "$DA" --as clerk1 attach $d1 --component 1 "$T/$1.scan.pdf"
	mt "2025-07-10 10:01:00" "$DA" --as clerk1 transfer $d3 >/dev/null 2>&1
	mt "2025-07-10 10:11:00" "$DA" --as head_tm assign $d3 --to spec_tm1 >/dev/null 2>&1
	mt "2025-07-10 10:21:00" "$DA" --as spec_tm1 propose $d3 --decision approve >/dev/null 2>&1
	check "the department signs d3 $k" mt "2025-07-10 11:00:00" "$DA" --as leader1 sign $d3 --passphrase-file "$T/pass"
	mt "2025-07-10 13:00:00" "$DC" --as c_clerk transfer $d2 >/dev/null 2>&1
	mt "2025-07-10 13:10:00" "$DC" --as c_head assign $d2 --to c_spec >/dev/null 2>&1
	check "the commune works d2 $k" mt "2025-07-10 13:20:00" "$DC" --as c_spec propose $d2 --decision approve
	mt "2025-07-10 13:30:00" "$DA" sync >/dev/null 2>&1
	mt "2025-07-10 13:30:00" "$DC" sync >/dev/null 2>&1
	check "the branch syncs again $k" mt "2025-07-10 13:40:00" "$DBR" sync
	check_eq "the branch has the department's scan of d1, whole $k" "$scan" "$(sqlite3 "$DBR" "select sha256 from files where sha256 = '$scan'")"
	check_eq "the branch follows d1 at the department $k" "$A 40" "$(row "$DBR" $d1)"
	check_eq "and d2 at the commune $k" "$CM 40" "$(row "$DBR" $d2)"
	check_eq "d3's result waits at the branch $k" "$BR 60" "$(row "$DBR" $d3)"
	check "the branch returns d3 $k" mt "2025-07-10 13:50:00" "$DBR" --as br_clerk return $d3 --collected-by "Phạm Văn Ba" --rating 5
	mt "2025-07-10 13:55:00" "$DBR" sync >/dev/null 2>&1
	check_eq "central holds d1, d2 elsewhere $k" "$A $CM" "$(cq "select office from c_dossiers where code in ('$d1', '$d2') order by code" | tr '\n' ' ' | sed 's/ $//')"

	check "central takes its snapshot $k" mt "2025-07-10 14:00:00" "$DA" central snapshot --central "$CURL"
	# a new store of the branch: its first sync loads the snapshot
	m "$DN" init --office $BR --name "Chi nhánh số 1" >/dev/null 2>&1
	out=$(mt "2025-07-10 14:10:00" "$DN" sync --central "$(ourl $BR)" 2>&1)
	check_match "the new branch store syncs by snapshot $k" "dossiers taken from central's snapshot" "$out"
	check_eq "it has every dossier the branch received, as the branch has them $k" "$(rows "$DBR")" "$(rows "$DN")"
	check_eq "d1 followed at the department $k" "$A 40" "$(row "$DN" $d1)"
	check_eq "d2 followed at the commune, returned there $k" "$CM 40" "$(row "$DN" $d2)"
	check_eq "the followed list is the branch's $k" "$(m "$DBR" --as br_clerk office followed --all 2>&1)" "$(m "$DN" --as br_clerk office followed --all 2>&1)"
	check_match "d1 is listed as followed $k" "^$d1 +$A .*waiting for signature" "$(m "$DN" --as br_clerk office followed 2>&1)"
	check_match "d2 too $k" "^$d2 +$CM " "$(m "$DN" --as br_clerk office followed 2>&1)"
	check_nomatch "neither is in the branch's queue $k" "$BR-250710-000[12]" "$(m "$DN" --as br_clerk queue 2>&1)"
	check_match "show gives d1's progress $k" "$A" "$(m "$DN" --as br_clerk show $d1 2>&1)"
	check_eq "only head events came $k" 9 "$(sqlite3 "$DN" "select count(*) from events")"
	check "audit verify passes on the new store $k" m "$DN" audit verify
	check_eq "nothing doubled $k" 0 "$(doubled "$DN")"

	# later steps keep arriving on top of the snapshot
	check "the department signs d1 $k" mt "2025-07-10 14:20:00" "$DA" --as leader1 sign $d1 --passphrase-file "$T/pass"
	mt "2025-07-10 14:30:00" "$DA" --as clerk1 transfer $BR-250710-0004 >/dev/null 2>&1
	check "the applicant withdraws d2 at the commune $k" mt "2025-07-10 14:25:00" "$DC" --as c_clerk withdraw $d2 --reason "Công dân rút hồ sơ"
	mt "2025-07-10 14:40:00" "$DA" sync >/dev/null 2>&1
	mt "2025-07-10 14:40:00" "$DC" sync >/dev/null 2>&1
	n0=$(sqlite3 "$DN" "select count(*) from events")
	check "the new branch store syncs again $k" mt "2025-07-10 14:50:00" "$DN" sync
	mt "2025-07-10 14:50:00" "$DBR" sync >/dev/null 2>&1
	check_eq "d1's result came back to the new store $k" "$BR 60" "$(row "$DN" $d1)"
	check "later steps arrived $k" test "$(sqlite3 "$DN" "select count(*) from events")" -gt "$n0"
	check_eq "both branch stores agree $k" "$(rows "$DBR")" "$(rows "$DN")"
	check_eq "no quarantine $k" "0 0" "$(sqlite3 "$DN" 'select count(*) from quarantine') $(cq 'select count(*) from c_quarantine')"
	n1=$(sqlite3 "$DN" "select count(*) from events")
	out=$(mt "2025-07-10 15:00:00" "$DN" sync 2>&1)
	check_eq "a re-sync brings nothing $k" "$n1" "$(sqlite3 "$DN" "select count(*) from events")"
	check_eq "nothing twice $k" 0 "$(doubled "$DN")"
	check "audit verify after the later steps $k" m "$DN" audit verify
	# the returning branch's new store works on what came back
	check "the new store returns d1 $k" mt "2025-07-10 15:10:00" "$DN" --as br_clerk return $d1 --collected-by "Nguyễn Văn Một" --rating 5
	check "and syncs it $k" mt "2025-07-10 15:20:00" "$DN" sync
	check_eq "central has the return once $k" 1 "$(cq "select count(*) from c_events where dossier_code = '$d1' and kind = 'returned'")"
	check "sync fetch brings d1's older steps $k" m "$DN" sync fetch $d1
	check_eq "d1's whole chain is here $k" "$(cq "select count(*) from c_events where dossier_code = '$d1'")" "$(sqlite3 "$DN" "select count(*) from events where dossier_code = '$d1'")"
	check "audit verify after the fetch $k" m "$DN" audit verify

	# a new store of the department has the dossier it resolved (returned at the branch)
	m "$DAN" init --office $A --name "Sở (máy mới)" >/dev/null 2>&1
	check "a new department store syncs by snapshot $k" mt "2025-07-10 15:30:00" "$DAN" sync --central "$(ourl $A)"
	check_eq "it has d3, returned at the branch $k" "$(sqlite3 "$DN" "$ROWS" | grep "^$d3 ")" "$(sqlite3 "$DAN" "$ROWS" | grep "^$d3 ")"
	# (d1 was signed after the snapshot; the department's own routing of it to the
	# branch is in the branch's line, which a store of the department does not pull)
	check_eq "and d1, resolved there $k" "1 $A" "$(sqlite3 "$DAN" "select count(*) || ' ' || max(s.agency_code) from dossiers d join offices s on s.id = d.resolver_id where d.code = '$d1'")"
	check_eq "and its own dossiers, as its own store has them $k" "$(sqlite3 "$DA" "$ROWS" | grep -v "^$BR-")" "$(sqlite3 "$DAN" "$ROWS" | grep -v "^$BR-")"
	check "audit verify on it $k" m "$DAN" audit verify

	# a first sync killed with -9 between two chunks resumes
	m "$DA" central snapshot --central "$CURL" >/dev/null 2>&1
	m "$DK" init --office $BR --name "Chi nhánh số 1" >/dev/null 2>&1
	MOTCUA_TEST_SNAPSHOT_CHUNK_MS=600 "$PLAIN" --db "$DK" sync --batch 2 --central "$(ourl $BR)" >/dev/null 2>&1 &
	pid=$!
	sleep 1.5
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	part=$(sqlite3 "$DK" "select count(*) from dossiers")
	check_eq "killed midway through the load $k" 0 "$(sqlite3 "$DK" "select done from snapshot_load" 2>/dev/null)"
	check "with part of it loaded ($part) $k" test "$part" -gt 0 -a "$part" -lt 9
	check_eq "store intact $k" ok "$(sqlite3 "$DK" 'pragma integrity_check')"
	check "a plain sync resumes it $k" mt "2025-07-10 15:50:00" "$DK" sync
	check_eq "the resumed store has what the branch's other store has $k" "$(rows "$DN")" "$(rows "$DK")"
	check_eq "nothing twice after the resume $k" 0 "$(doubled "$DK")"
	check "audit verify after the resume $k" m "$DK" audit verify
}

ROLES=0
roles() { ROLES=1; scenario pg-roles; }
both_backends scenario roles
