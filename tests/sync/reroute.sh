#!/bin/sh
# reroute.sh - central sends a dossier to another office, on both backends: the new
# office takes its whole history at its next sync and carries on; the office it left
# learns it has gone and can no longer write it; a dossier the old office worked on
# while central re-routed it is a conflict in both offices' queues and central's,
# which only central decides (either way), and the decision reaches both offices; a
# new office's first sync by snapshot puts a re-routed dossier where it now is; an
# office with no network takes a re-routed dossier by bundle; a central of schema 1
# is refused until 'central init' upgrades it.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

# every event of the store exists once at central with the same hash
in_central() {
	sqlite3 "$1" "select id || ' ' || lower(hex(hash)) from events" | LC_ALL=C sort >"$T/l.ids"
	cq "select id || ' ' || $(chex hash) from c_events" | LC_ALL=C sort >"$T/c.ids"
	[ -s "$T/l.ids" ] && [ -z "$(LC_ALL=C comm -23 "$T/l.ids" "$T/c.ids")" ] && [ "$(sort -u "$T/l.ids" | wc -l)" = "$(wc -l <"$T/l.ids")" ]
}
# a dossier's events at central and in a store, as "dseq kind hash" lines
dossier_same() {
	sqlite3 "$1" "select dseq || ' ' || kind || ' ' || lower(hex(hash)) from events where dossier_code = '$2'" | LC_ALL=C sort >"$T/l.d"
	cq "select dseq || ' ' || kind || ' ' || $(chex hash) from c_events where dossier_code = '$2'" | LC_ALL=C sort >"$T/c.d"
	diff "$T/l.d" "$T/c.d" && [ -s "$T/l.d" ]
}
row() { sqlite3 "$1" "select o.agency_code || ' ' || d.stage || ' ' || d.conflict from dossiers d join offices o on o.id = d.office_id where d.code = '$2'"; }
cev() { cq "select id from c_events where dossier_code = '$1' and kind = '$2'"; }

scenario() {
	use_central "$1" reroute
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db; DN=$T/$1.n.db
	m "$DA" central init --central "$CURL" >/dev/null 2>&1
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
	m "$DA" user add d_super --name "Giám sát huyện" --roles supervisor --office $B >/dev/null 2>&1
	m "$DA" central publish --central "$CURL" >/dev/null 2>&1
	m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
	mt "2024-03-11 08:05:00" "$DB_" sync --central "$CURL" >/dev/null 2>&1

	# the province receives three dossiers and hands one to a department
	for i in 1 2 3 4; do
		mt "2024-03-11 09:0$i:00" "$DA" --as clerk1 receive --procedure $P1 --name "Nguyễn Văn $i" --id 02212345678$i --components all >/dev/null 2>&1
	done
	d1=$A-240311-0001; d2=$A-240311-0002; d3=$A-240311-0003; d4=$A-240311-0004
	mt "2024-03-11 10:00:00" "$DA" --as clerk1 transfer $d1 >/dev/null 2>&1
	check "province syncs $k" mt "2024-03-11 10:30:00" "$DA" sync --central "$CURL"

	# refusals, each naming what is wrong
	check_match "reroute needs a reason $k" "needs CODE, --to AGENCY and --reason" "$(m "$DA" central reroute $d1 --to $B --central "$CURL" 2>&1)"
	check_match "unknown office refused $k" "knows no office 'X.99'" "$(m "$DA" central reroute $d1 --to X.99 --reason r --central "$CURL" 2>&1)"
	check_match "same office refused $k" "already routed to office $A" "$(m "$DA" central reroute $d1 --to $A --reason r --central "$CURL" 2>&1)"
	check_match "unknown dossier refused $k" "central has no dossier 'NO-1'" "$(m "$DA" central reroute NO-1 --to $B --reason r --central "$CURL" 2>&1)"
	check_fails "a failed reroute exits non-zero $k" m "$DA" central reroute $d1 --to $A --reason r --central "$CURL"
	check_eq "nothing written by the refusals $k" 0 "$(cq "select count(*) from c_events where kind = 'rerouted'")"

	# d1 goes to the district
	out=$(mt "2024-03-11 11:00:00" "$DA" central reroute $d1 --to $B --reason "Không thuộc thẩm quyền của tỉnh" --central "$CURL" 2>&1)
	check_match "central re-routes d1 $k" "re-routed to office $B" "$out"
	check_eq "central routes d1 to the district $k" "$B" "$(cq "select office from c_dossiers where code = '$d1'")"
	check_eq "d1 reroute delivered to the province $k" "$A" "$(cq "select d.office from c_deliveries d join c_events e on e.id = d.id where e.dossier_code = '$d1'")"
	check "district syncs $k" mt "2024-03-11 11:30:00" "$DB_" sync
	check "the district has d1's whole history $k" dossier_same "$DB_" $d1
	check_eq "d1 waits at the district's one-stop $k" "$B 10 0" "$(row "$DB_" $d1)"
	check_match "district history shows the re-routing $k" "re-routed" "$(m "$DB_" history $d1 2>&1)"
	check "district clerk hands d1 to its only department (the procedure's is the province's) $k" mt "2024-03-11 13:00:00" "$DB_" --as d_clerk1 transfer $d1
	check_eq "d1 at the district's department $k" "KT-TY" "$(sqlite3 "$DB_" "select p.code from dossiers d join departments p on p.id = d.dept_id where d.code = '$d1'")"
	check "district head assigns d1 $k" mt "2024-03-11 13:10:00" "$DB_" --as d_head assign $d1 --to d_spec1
	check "district pushes its steps on d1 $k" mt "2024-03-11 13:30:00" "$DB_" sync
	check_eq "central took them $k" 5 "$(cq "select count(*) from c_events where dossier_code = '$d1'")"
	check "province syncs after the re-routing $k" mt "2024-03-11 14:00:00" "$DA" sync
	check_eq "the province knows d1 left $k" "$B 10 0" "$(row "$DA" $d1)"
	check_nomatch "d1 is not in the province's queue $k" "$d1" "$(m "$DA" --as clerk1 queue 2>&1)"
	check_match "the province can no longer write d1 $k" "belongs to another office" "$(mt "2024-03-11 14:10:00" "$DA" --as clerk1 transfer $d1 2>&1)"
	total() { m "$1" --as "$2" report stats --period 2024-03 --format json | grep -A6 '"key": "total"' | sed -n 's/.*"received": \([0-9]*\).*/\1/p'; }
	check_eq "the province's report counts 3 dossiers, the district's d1 $k" "3 1" "$(total "$DA" super1) $(total "$DB_" d_super)"
	check_eq "no quarantine anywhere $k" "0 0 0" "$(sqlite3 "$DA" 'select count(*) from quarantine') $(sqlite3 "$DB_" 'select count(*) from quarantine') $(cq 'select count(*) from c_quarantine')"

	# d2, d3: the province works offline while central re-routes them
	mt "2024-03-11 15:00:00" "$DA" --as clerk1 transfer $d2 >/dev/null 2>&1
	mt "2024-03-11 15:01:00" "$DA" --as clerk1 transfer $d3 >/dev/null 2>&1
	check "central re-routes d2 $k" mt "2024-03-11 15:05:00" "$DA" central reroute $d2 --to $B --reason "Chuyển huyện" --central "$CURL"
	check "central re-routes d3 $k" mt "2024-03-11 15:06:00" "$DA" central reroute $d3 --to $B --reason "Chuyển huyện" --central "$CURL"
	out=$(mt "2024-03-11 16:00:00" "$DA" sync 2>&1)
	check_match "province sync reports two conflicts $k" "2 dossiers are now in conflict" "$out"
	check_eq "central kept the province's steps (not refused) $k" "0" "$(cq 'select count(*) from c_quarantine')"
	q=$(m "$DA" conflicts)
	check_match "province queue lists its transfer $k" "transferred #2 by clerk1" "$q"
	check_match "province queue lists central's re-routing $k" "rerouted #2 by portal" "$q"
	tr2=$(cev $d2 transferred); rr2=$(cev $d2 rerouted); tr3=$(cev $d3 transferred)
	check_match "the office may not decide a re-routing conflict $k" "central decides this conflict" \
		"$(mt "2024-03-11 16:10:00" "$DA" --as super1 conflicts resolve $d2 --keep "$tr2" 2>&1)"
	cc=$(m "$DA" central conflicts --central "$CURL")
	check_match "central lists d2 $k" "$d2" "$cc"
	check_match "central lists d3 $k" "$d3" "$cc"
	out=$(mt "2024-03-11 16:30:00" "$DB_" sync 2>&1)
	check_match "district sync takes d2 and d3 and reports their conflicts $k" "2 dossiers are now in conflict" "$out"
	check_eq "the district sees d2 in conflict too $k" "1" "$(sqlite3 "$DB_" "select conflict from dossiers where code = '$d2'")"
	check "the district has all of d2 $k" dossier_same "$DB_" $d2

	check_match "--keep outside 'conflicts resolve' is refused $k" "belongs to 'central conflicts resolve" "$(m "$DA" central conflicts --keep "$rr2" --central "$CURL" 2>&1)"
	check_match "central decision needs --keep $k" "resolve needs CODE and --keep" "$(m "$DA" central conflicts resolve $d2 --central "$CURL" 2>&1)"
	check "central keeps the re-routing of d2 $k" mt "2024-03-11 17:00:00" "$DA" central conflicts resolve $d2 --keep "$rr2" --central "$CURL"
	check "central keeps the province's line of d3 $k" mt "2024-03-11 17:01:00" "$DA" central conflicts resolve $d3 --keep "$tr3" --central "$CURL"
	check_eq "central queue empty $k" "" "$(m "$DA" central conflicts --central "$CURL")"
	check_eq "central routes d2 to the district, d3 back to the province $k" "$B $A" \
		"$(cq "select office from c_dossiers where code = '$d2'") $(cq "select office from c_dossiers where code = '$d3'")"
	check "province syncs the decisions $k" mt "2024-03-11 17:30:00" "$DA" sync
	check "district syncs the decisions $k" mt "2024-03-11 17:31:00" "$DB_" sync
	check_eq "d2 at the district's one-stop, conflict closed, in both $k" "$B 10 0|$B 10 0" "$(row "$DA" $d2)|$(row "$DB_" $d2)"
	check_eq "d3 back at the province's department, conflict closed, in both $k" "$A 20 0|$A 20 0" "$(row "$DA" $d3)|$(row "$DB_" $d3)"
	check_eq "office queues empty $k" "|" "$(m "$DA" conflicts)|$(m "$DB_" conflicts)"
	check "the province goes on with d3 $k" mt "2024-03-12 08:00:00" "$DA" --as head_tm assign $d3 --to spec_tm1
	check_match "the district cannot write d3 $k" "may not take the step .assign. on dossier .*not at your department" "$(mt "2024-03-12 08:00:00" "$DB_" --as d_head assign $d3 --to d_spec1 2>&1)"
	check "the district goes on with d2 $k" mt "2024-03-12 08:01:00" "$DB_" --as d_clerk1 transfer $d2 --department KT-TY
	check "both sync $k" sh -c "TZ=UTC-7 faketime -f '@2024-03-12 09:00:00' '$MOTCUA' --db '$DA' sync && TZ=UTC-7 faketime -f '@2024-03-12 09:00:00' '$MOTCUA' --db '$DB_' sync"
	for d in $d1 $d2 $d3; do
		check "$d same at central and where it is routed $k" dossier_same "$( [ $d = $d3 ] && echo "$DA" || echo "$DB_")" $d
	done
	check "every province event once at central $k" in_central "$DA"
	check "every district event once at central $k" in_central "$DB_"
	check "province audit verifies $k" m "$DA" audit verify
	check "district audit verifies $k" m "$DB_" audit verify

	# a finished dossier stays where it is
	m "$DA" --as clerk1 withdraw $d4 --reason "Người nộp rút" >/dev/null 2>&1
	mt "2024-03-12 10:00:00" "$DA" sync >/dev/null 2>&1
	check_match "a finished dossier cannot be re-routed $k" "cannot be re-routed: it is withdrawn" \
		"$(m "$DA" central reroute $d4 --to $B --reason r --central "$CURL" 2>&1)"

	# a new district store: first sync by snapshot finds the re-routed dossiers there
	check "central snapshot $k" m "$DA" central snapshot --central "$CURL"
	m "$DN" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
	check "new district store's first sync $k" mt "2024-03-12 11:00:00" "$DN" sync --central "$CURL"
	# d3 came back to the province by central's decision, delivered to the district:
	# the district's stores hold it where it is, as one the district cannot write
	check_eq "it holds d1, d2 and d3 (delivered to the district) $k" "$d1 $d2 $d3" "$(sqlite3 "$DN" "select group_concat(code, ' ') from (select code from dossiers where code like '$A%' order by code)")"
	check_match "d3 at the province there $k" "^$A [0-9]+ 0$" "$(row "$DN" $d3)"
	check_match "the new district store cannot write d3 $k" "not at your department|belongs to another office" "$(mt "2024-03-12 11:01:00" "$DN" --as d_head assign $d3 --to d_spec1 2>&1)"
	check_eq "d2 at the district's department there $k" "$B 20 0" "$(row "$DN" $d2)"
	# d2 goes to the province and back: the snapshot-loaded store takes what it missed
	check "central re-routes d2 to the province $k" mt "2024-03-12 11:10:00" "$DA" central reroute $d2 --to $A --reason "Tỉnh xem lại" --central "$CURL"
	mt "2024-03-12 11:15:00" "$DA" sync >/dev/null 2>&1
	check "the province works on d2 $k" mt "2024-03-12 11:20:00" "$DA" --as clerk1 transfer $d2
	mt "2024-03-12 11:25:00" "$DA" sync >/dev/null 2>&1
	check "central sends d2 back to the district $k" mt "2024-03-12 11:30:00" "$DA" central reroute $d2 --to $B --reason "Trả huyện" --central "$CURL"
	check "the snapshot-loaded store syncs $k" mt "2024-03-12 11:40:00" "$DN" sync
	check_eq "d2 back at its one-stop there $k" "$B 10 0" "$(row "$DN" $d2)"
	check "it has all of d2 now $k" dossier_same "$DN" $d2
	check_eq "nothing quarantined there $k" 0 "$(sqlite3 "$DN" 'select count(*) from quarantine')"
	check "its audit verifies $k" m "$DN" audit verify

	# an office with no network: the re-routed dossier comes whole in the reply bundle
	DC=$T/$1.c.db
	m "$DC" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
	m "$DC" sync export --out "$T/$1.c.b" >/dev/null 2>&1
	m "$DA" central import "$T/$1.c.b" --reply "$T/$1.c.r" --central "$CURL" >/dev/null 2>&1
	check "bundle office imports its reply $k" m "$DC" sync import "$T/$1.c.r"
	mt "2024-03-12 12:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Bó" --id 022123456790 --components all >/dev/null 2>&1
	d5=$(sqlite3 "$DA" "select max(code) from dossiers where code like '$A-240312-%'")
	mt "2024-03-12 12:30:00" "$DA" sync >/dev/null 2>&1
	m "$DA" central reroute $d5 --to $B --reason "Chuyển huyện" --central "$CURL" >/dev/null 2>&1
	m "$DC" sync export --out "$T/$1.c.b2" >/dev/null 2>&1
	m "$DA" central import "$T/$1.c.b2" --reply "$T/$1.c.r2" --central "$CURL" >/dev/null 2>&1
	check "bundle office imports the re-routed dossier $k" m "$DC" sync import "$T/$1.c.r2"
	check "it has d5 whole $k" dossier_same "$DC" $d5
	check_eq "d5 at its one-stop $k" "$B 10 0" "$(row "$DC" $d5)"
	check_eq "nothing quarantined by bundle $k" 0 "$(sqlite3 "$DC" 'select count(*) from quarantine')"

	# a central of schema 1 (before deliveries): refused until 'central init' upgrades it
	cq "drop table c_deliveries" >/dev/null 2>&1
	cq "update c_meta set value = '1' where key = 'schema'" >/dev/null 2>&1
	check_match "schema 1 central: upgrade central $k" "upgrade central" "$(m "$DA" sync 2>&1)"
	check "central init upgrades it $k" m "$DA" central init --central "$CURL"
	check_eq "schema upgraded $k" 5 "$(cq "select value from c_meta where key = 'schema'")"
	check "sync works again $k" m "$DA" sync
	check_eq "province store intact $k" ok "$(sqlite3 "$DA" 'pragma integrity_check')"
	check_eq "district store intact $k" ok "$(sqlite3 "$DB_" 'pragma integrity_check')"
}

both_backends scenario
