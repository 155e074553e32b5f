#!/bin/sh
# offices.sh - two offices and central, on both backends: both work offline, both
# sync, each sees what concerns it; reference data flows down; an online dossier is
# filed at central and accepted by its office; a deliberate conflict (the office
# accepts while the applicant withdraws at central) lands in both conflict queues
# and the supervisor's decision syncs back; clocks skewed by days do not reorder a
# dossier's history; invalid events are quarantined without blocking the rest; an
# incompatible schema is refused naming the side to upgrade.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

scenario() {
	use_central "$1" offices
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	check "central init $k" m "$DA" central init --central "$CURL"
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 0 >/dev/null
	m "$DA" user add d_super --name "Giám sát huyện" --roles supervisor --office $B >/dev/null
	m "$DA" user add ghost --name "Không có ở trung tâm" --roles clerk >/dev/null
	check "publish reference data $k" m "$DA" central publish --central "$CURL"
	# the ghost clerk is local to A: take it out of central again (a user central does not know)
	cq "delete from c_ref where kind = 'user' and key = 'ghost'"
	check "district store created $k" m "$DB_" init --office $B --name "UBND huyện Tiên Yên"
	check "first sync of the district $k" mt "2024-03-11 08:05:00" "$DB_" sync --central "$CURL"
	check_eq "district got the catalog $k" 146 "$(sqlite3 "$DB_" 'select count(*) from procedures')"
	check_eq "district got its users and supervisor $k" "d_clerk1 d_super" "$(sqlite3 "$DB_" "select group_concat(account, ' ') from (select account from users where account in ('d_clerk1', 'd_super') order by 1)")"
	# the announced years (each store makes the provisional ones itself, for the year its
	# clock is in and the next: two stores opened on either side of New Year differ)
	hol="select group_concat(day || ' ' || kind, ',') from (select day, kind from holidays where status = 'announced' order by day)"
	check_eq "district got the holidays $k" "$(sqlite3 "$DA" "$hol")" "$(sqlite3 "$DB_" "$hol")"
	check_eq "district got the working hours $k" "07:30-11:30" "$(sqlite3 "$DB_" "select value from settings where key = 'hours.morning'")"
	check_eq "district kept its own identity $k" "$B" "$(sqlite3 "$DB_" "select value from settings where key = 'office'")"

	# both work offline
	for i in 1 2 3; do
		mt "2024-03-11 09:0$i:00" "$DA" --as clerk1 receive --procedure $P1 --name "Nguyễn Văn $i" --id 02212345678$i --components all >/dev/null
	done
	ca=$A-240311-0001
	mt "2024-03-11 10:00:00" "$DA" --as clerk1 transfer $ca >/dev/null
	for i in 1 2; do
		mt "2024-03-11 09:1$i:00" "$DB_" --as d_clerk1 receive --procedure $P2 --name "Trần Thị $i" --id 02212345679$i --components all >/dev/null
	done
	x=$(mt "2024-03-11 11:00:00" "$DA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Lê Văn Online" --id 022123456700 --components all)
	check_match "online dossier numbered by central $k" "^000\.00\.00\.H45-240311-0001$" "$x"
	y=$(mt "2024-03-11 11:01:00" "$DA" central submit-online --central "$CURL" --office $A --procedure $P1 --name "Phạm Thị Online" --id 022123456701 --components all)

	check "province syncs $k" mt "2024-03-11 12:00:00" "$DA" sync --central "$CURL"
	# the district's clock runs three days late: history still follows the chain
	check "district syncs (clock 3 days late) $k" mt "2024-03-08 12:00:00" "$DB_" sync
	check_eq "province sees its own and its online dossier only $k" "$y $ca $A-240311-0002 $A-240311-0003" \
		"$(sqlite3 "$DA" "select group_concat(code, ' ') from (select code from dossiers order by code)")"
	check_eq "district sees its own and its online dossier only $k" "$x $B-240311-0001 $B-240311-0002" \
		"$(sqlite3 "$DB_" "select group_concat(code, ' ') from (select code from dossiers order by code)")"
	check_eq "online dossier waits to be accepted $k" 1 "$(sqlite3 "$DB_" "select stage from dossiers where code = '$x'")"
	check "every province event once on both sides $k" same_events "$DA" $A
	check "every district event once on both sides $k" same_events "$DB_" $B
	check "province chains match $k" same_chains "$DA" $A
	check_eq "nothing pending $k" "pending        0 events" "$(m "$DB_" sync status | grep pending)"

	# the conflict: the district accepts (clock late) while the applicant withdraws at central
	check "district clerk accepts the online dossier $k" mt "2024-03-09 08:00:00" "$DB_" --as d_clerk1 accept "$x"
	check "applicant withdraws at central $k" mt "2024-03-12 08:30:00" "$DA" central withdraw "$x" --reason "Người nộp rút hồ sơ" --central "$CURL"
	out=$(mt "2024-03-09 09:00:00" "$DB_" sync 2>&1)
	check_match "sync reports the conflict $k" "1 dossiers are now in conflict" "$out"
	check_eq "dossier marked in conflict $k" 1 "$(sqlite3 "$DB_" "select conflict from dossiers where code = '$x'")"
	q=$(m "$DB_" conflicts)
	check_match "district queue lists both lines $k" "accepted #2 by d_clerk1" "$q"
	check_match "district queue lists the withdrawal $k" "withdrawn #2 by portal" "$q"
	check_match "central queue lists it too $k" "$x" "$(m "$DA" central conflicts --central "$CURL")"
	check_eq "history ordered by the chain, not the skewed clocks $k" "received accepted withdrawn" \
		"$(sqlite3 "$DB_" "select group_concat(kind, ' ') from (select kind from events where dossier_code = '$x' order by dseq, kind)")"
	acc=$(sqlite3 "$DB_" "select id from events where dossier_code = '$x' and kind = 'accepted'")
	check_fails "a clerk cannot resolve $k" m "$DB_" --as d_clerk1 conflicts resolve "$x" --keep "$acc"
	check "the supervisor keeps the office's line $k" mt "2024-03-09 10:00:00" "$DB_" --as d_super conflicts resolve "$x" --keep "$acc"
	check_eq "projection follows the kept line $k" "10 0" "$(sqlite3 "$DB_" "select stage || ' ' || conflict from dossiers where code = '$x'")"
	check_eq "queue empty at the office $k" "" "$(m "$DB_" conflicts)"
	check "decision syncs $k" mt "2024-03-09 11:00:00" "$DB_" sync
	check_eq "central queue empty after the decision $k" "" "$(m "$DA" central conflicts --central "$CURL")"
	check_eq "decision is at central $k" 1 "$(cq "select count(*) from c_events where dossier_code = '$x' and kind = 'conflict_resolved'")"
	check "district events once on both sides after the conflict $k" same_events "$DB_" $B
	check "district chains match $k" same_chains "$DB_" $B
	check "the kept line goes on: transfer $k" mt "2024-03-11 08:00:00" "$DB_" --as d_clerk1 transfer "$x"

	# quarantine at central: an author central does not know; the rest goes on
	mt "2024-03-12 09:00:00" "$DA" --as ghost receive --procedure $P1 --name "Ma" --id 022123456799 --components all >/dev/null
	mt "2024-03-12 09:01:00" "$DA" --as clerk1 receive --procedure $P1 --name "Người thật" --id 022123456798 --components all >/dev/null
	out=$(mt "2024-03-12 10:00:00" "$DA" sync 2>&1)
	check_match "central refuses the unknown author $k" "1 refused there" "$out"
	check_match "central quarantine names the reason $k" "not a user of office $A" "$(cq "select reason from c_quarantine")"
	check_eq "the next event was accepted $k" 1 "$(cq "select count(*) from c_events where dossier_code = '$A-240312-0002'")"
	check_eq "nothing pending after a refusal $k" "pending        0 events" "$(m "$DA" sync status | grep pending)"

	# quarantine at the office: an event altered at central; the rest goes on
	z1=$(mt "2024-03-12 11:00:00" "$DA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Bị sửa" --id 022123456711)
	z2=$(mt "2024-03-12 11:01:00" "$DA" central submit-online --central "$CURL" --office $B --procedure $P2 --name "Nguyên vẹn" --id 022123456712)
	cq "update c_events set payload = replace(payload, '022123456711', '022123456719') where dossier_code = '$z1'" >/dev/null
	out=$(mt "2024-03-12 12:00:00" "$DB_" sync 2>&1)
	check_match "office quarantines the altered event $k" "1 quarantined" "$out"
	check_match "office quarantine names the reason $k" "hash does not match" "$(sqlite3 "$DB_" "select reason from quarantine where dossier_code = '$z1'")"
	check_eq "altered dossier not applied, the next one is $k" "0 1" "$(sqlite3 "$DB_" "select (select count(*) from dossiers where code = '$z1') || ' ' || (select count(*) from dossiers where code = '$z2')")"
	check_match "status counts the quarantine $k" "quarantined +1 events" "$(m "$DB_" sync status)"

	# schema versions
	cq "update c_meta set value = '6' where key = 'schema'" >/dev/null
	check_match "newer central: upgrade the office $k" "upgrade motcua at this office \($A\)" "$(m "$DA" sync 2>&1)"
	cq "update c_meta set value = '0' where key = 'schema'" >/dev/null
	check_match "older central: upgrade central $k" "upgrade central" "$(m "$DA" sync 2>&1)"
	check_match "status shows the last error $k" "last error.*schema version mismatch" "$(m "$DA" sync status)"
	cq "update c_meta set value = '5' where key = 'schema'" >/dev/null
	check "sync again after the upgrade $k" m "$DA" sync
	check_eq "province store intact $k" ok "$(sqlite3 "$DA" 'pragma integrity_check')"
	check_eq "district store intact $k" ok "$(sqlite3 "$DB_" 'pragma integrity_check')"
}

both_backends scenario
