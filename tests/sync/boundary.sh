#!/bin/sh
# boundary.sh - the one-stop since 1 July 2025, on both backends, offices offline
# between syncs: a branch of the provincial centre receives a department's procedure and
# a commune's (boundary-free); each goes through central to the competent agency, the
# branch follows its progress, the department's result comes back to the branch to be
# returned there, the commune's is returned where the applicant chose (the commune);
# the code is the branch's, issued once.  Receiving a procedure an office may not
# receive, or naming an agency that does not resolve it, is refused.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

CTR=000.00.99.H45      # the provincial service centre
BR=000.01.99.H45       # its branch
CM=000.31.29.H45       # the commune centre (UBND xã Đông Ngũ)
PC=2.006365            # a commune procedure

row() { sqlite3 "$1" "select o.agency_code || ' ' || d.stage from dossiers d join offices o on o.id = d.office_id where d.code = '$2'"; }
places() { sqlite3 "$1" "select r.agency_code || ' ' || s.agency_code || ' ' || t.agency_code from dossiers d join offices r on r.id = d.recv_office_id join offices s on s.id = d.resolver_id join offices t on t.id = d.return_office_id where d.code = '$2'"; }

scenario() {
	use_central "$1" boundary
	k="[$1]"
	DA=$T/$1.a.db; DBR=$T/$1.br.db; DC=$T/$1.c.db
	printf 'motcua-demo\n' >"$T/pass"
	m "$DA" central init --central "$CURL" >/dev/null 2>&1
	mt "2025-07-01 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
	check "the department is of the 2025 model $k" m "$DA" office set $A --kind department
	check "the commune is a commune centre $k" m "$DA" office set $CM --kind commune
	check "a provincial centre is added $k" m "$DA" office set $CTR --kind centre --name "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh" --level 1
	check "with a branch $k" m "$DA" office set $BR --kind branch --parent $CTR --name "Chi nhánh số 1" --level 1
	check_match "a branch needs its centre $k" "belongs to a centre" "$(m "$DA" office set 000.02.99.H45 --kind branch --name X --level 1 2>&1)"
	check_match "an unknown kind is refused $k" "unknown office kind 'district'" "$(m "$DA" office set $B --kind district 2>&1)"
	check "the department resolves $P1 $k" m "$DA" office resolves $A $P1
	check "the commune resolves $PC $k" m "$DA" office resolves $CM $PC
	m "$DA" user add br_clerk --name "Lê Văn Nhận" --roles clerk --office $BR >/dev/null 2>&1
	m "$DA" user add c_clerk --name "Cán bộ xã" --roles clerk --office $CM >/dev/null 2>&1
	m "$DA" user add c_head --name "Trưởng VP xã" --roles head --office $CM --department VP-DN >/dev/null 2>&1
	m "$DA" user add c_spec --name "Công chức xã" --roles specialist --office $CM --department VP-DN >/dev/null 2>&1
	m "$DA" central publish --central "$CURL" >/dev/null 2>&1
	m "$DA" sync --central "$CURL" >/dev/null 2>&1
	m "$DBR" init --office $BR --name "Chi nhánh số 1" >/dev/null 2>&1
	m "$DC" init --office $CM --name "UBND xã Đông Ngũ" >/dev/null 2>&1
	mt "2025-07-01 08:05:00" "$DBR" sync --central "$CURL" >/dev/null 2>&1
	mt "2025-07-01 08:05:00" "$DC" sync --central "$CURL" >/dev/null 2>&1
	check_eq "the branch knows its kind and who resolves what $k" "branch $CTR 2" \
		"$(sqlite3 "$DBR" "select o.kind || ' ' || p.agency_code || ' ' || (select count(*) from office_procedures) from offices o join offices p on p.id = o.parent_id where o.agency_code = '$BR'")"

	# the branch, offline, receives a department's procedure and a commune's
	out=$(mt "2025-07-10 09:00:00" "$DBR" --as br_clerk receive --procedure $P1 --name "Nguyễn Văn Một" --id 022123456781 --components all 2>&1)
	check_match "the branch receives the department's procedure $k" "received $BR-250710-0001" "$out"
	out=$(mt "2025-07-10 09:05:00" "$DBR" --as br_clerk receive --procedure $PC --name "Trần Thị Hai" --id 022123456782 --components all --return-at $CM 2>&1)
	check_match "and the commune's, returned at the commune $k" "received $BR-250710-0002" "$out"
	d1=$BR-250710-0001; d2=$BR-250710-0002; d3=$BR-250710-0003
	mt "2025-07-10 09:10:00" "$DBR" --as br_clerk receive --procedure $P1 --name "Phạm Văn Ba" --id 022123456784 --components all >/dev/null 2>&1
	check_match "an agency that does not resolve it is refused $k" "agency $B does not resolve procedure $PC" \
		"$(mt "2025-07-10 09:06:00" "$DBR" --as br_clerk receive --procedure $PC --name "X" --id 022123456783 --components all --resolver $B 2>&1)"
	check_match "the department does not receive the commune's procedure $k" "receives only the procedures it resolves" \
		"$(mt "2025-07-10 09:07:00" "$DA" --as clerk1 receive --procedure $PC --name "X" --id 022123456783 --components all 2>&1)"
	check_match "nor returns results $k" "does not return results" \
		"$(mt "2025-07-10 09:08:00" "$DBR" --as br_clerk receive --procedure $P1 --name "X" --id 022123456783 --components all --return-at $A 2>&1)"
	check_eq "nothing written by the refusals $k" 6 "$(sqlite3 "$DBR" "select count(*) from events")"
	check_eq "d1 goes to the department $k" "$A 10" "$(row "$DBR" $d1)"
	check_eq "d1's places $k" "$BR $A $BR" "$(places "$DBR" $d1)"
	check_eq "d2's places $k" "$BR $CM $CM" "$(places "$DBR" $d2)"
	check_nomatch "the branch's queue holds neither $k" "$BR-250710" "$(m "$DBR" --as br_clerk queue 2>&1)"

	check "the branch syncs $k" mt "2025-07-10 09:30:00" "$DBR" sync
	check_eq "central routes them $k" "$A $CM" "$(cq "select office from c_dossiers where code in ('$d1', '$d2') order by code" | tr '\n' ' ' | sed 's/ $//')"
	check "the department syncs $k" mt "2025-07-10 09:40:00" "$DA" sync
	check "the commune syncs $k" mt "2025-07-10 09:40:00" "$DC" sync
	check_eq "d1 waits at the department's one-stop $k" "$A 10" "$(row "$DA" $d1)"
	check_eq "d2 waits at the commune's $k" "$CM 10" "$(row "$DC" $d2)"
	check_eq "the commune knows d2's places $k" "$BR $CM $CM" "$(places "$DC" $d2)"
	check_match "d1 is in the department's queue $k" "$d1" "$(m "$DA" --as clerk1 queue 2>&1)"

	# the department works d1; the branch follows it
	mt "2025-07-10 10:00:00" "$DA" --as clerk1 transfer $d1 >/dev/null 2>&1
	mt "2025-07-10 10:10:00" "$DA" --as head_tm assign $d1 --to spec_tm1 >/dev/null 2>&1
	mt "2025-07-10 10:20:00" "$DA" --as spec_tm1 propose $d1 --decision approve >/dev/null 2>&1
	mt "2025-07-10 10:30:00" "$DA" sync >/dev/null 2>&1
	check "the branch syncs again $k" mt "2025-07-10 10:40:00" "$DBR" sync
	check_eq "the branch sees d1 waiting for signature at the department $k" "$A 40" "$(row "$DBR" $d1)"
	check_match "the branch follows d1 at the department $k" "^$d1 +$A +2025-07-23 09:00 +waiting for signature" "$(m "$DBR" --as br_clerk office followed 2>&1)"
	check_match "and d2 at the commune $k" "^$d2 +$CM +2025-07-31 09:05 +accepted" "$(m "$DBR" --as br_clerk office followed 2>&1)"
	check_match "the branch cannot write d1 $k" "belongs to another office" "$(mt "2025-07-10 10:41:00" "$DBR" --as br_clerk withdraw $d1 --reason "Rút" 2>&1)"
	# the applicant asks to stop d3 before a decision exists (Decree 118 Art. 21)
	check "the department's leader stops d3 before a decision $k" mt "2025-07-10 10:50:00" "$DA" --as leader1 stop $d3 --reason "Công dân đề nghị dừng giải quyết"
	check_match "the stop notice confirms it $k" "THÔNG BÁO" "$(mt "2025-07-10 10:51:00" "$DA" form STOP_NOTICE $d3 2>&1 || mt "2025-07-10 10:51:00" "$DA" form 05 $d3 2>&1)"
	check "the leader signs d1 $k" mt "2025-07-10 11:00:00" "$DA" --as leader1 sign $d1 --passphrase-file "$T/pass"
	check_eq "the signed result goes back to the branch $k" "$BR 60" "$(row "$DA" $d1)"
	out=$(mt "2025-07-10 11:05:00" "$DA" --as leader1 stop $d1 --reason "Công dân đề nghị dừng" 2>&1)
	check_match "no stop once the decision exists, naming the rule $k" "cannot be stopped at the applicant's request.*Art. 21" "$out"
	check_fails "a refused stop exits non-zero $k" mt "2025-07-10 11:05:00" "$DA" --as leader1 stop $d1 --reason "Công dân đề nghị dừng"
	mt "2025-07-10 11:10:00" "$DA" sync >/dev/null 2>&1
	mt "2025-07-10 11:20:00" "$DBR" sync >/dev/null 2>&1
	check_eq "the result waits at the branch $k" "$BR 60" "$(row "$DBR" $d1)"
	check_eq "the branch sees d3 stopped at the department $k" "$A 94" "$(row "$DBR" $d3)"
	check "the branch returns it $k" mt "2025-07-10 11:30:00" "$DBR" --as br_clerk return $d1 --collected-by "Nguyễn Văn Một" --rating 5
	check "the branch syncs its return $k" mt "2025-07-10 11:40:00" "$DBR" sync
	check_eq "the code was issued once $k" "$d1" "$(cq "select distinct dossier_code from c_events where dossier_code like '%-250710-0001'")"
	check_eq "d1's line at central $k" "received routed transferred assigned proposed signed routed returned" \
		"$(cq "select kind from c_events where dossier_code = '$d1' order by dseq" | tr '\n' ' ' | sed 's/ $//')"

	# the commune resolves d2 and returns it itself
	mt "2025-07-10 13:00:00" "$DC" --as c_clerk transfer $d2 >/dev/null 2>&1
	mt "2025-07-10 13:10:00" "$DC" --as c_head assign $d2 --to c_spec >/dev/null 2>&1
	mt "2025-07-10 13:20:00" "$DC" --as c_spec propose $d2 --decision approve >/dev/null 2>&1
	check_eq "the commune processes d2 $k" "$CM 40" "$(row "$DC" $d2)"
	check "the commune syncs $k" mt "2025-07-10 13:30:00" "$DC" sync
	check "the branch syncs $k" mt "2025-07-10 13:40:00" "$DBR" sync
	check_eq "the branch sees d2 at the commune $k" "$CM 40" "$(row "$DBR" $d2)"
	f=$(m "$DBR" --as br_clerk office followed 2>&1)
	check_nomatch "d1, returned here, is no longer followed $k" "$d1" "$f"
	check_nomatch "nor d3, stopped $k" "$d3" "$f"
	check_match "d3 with --all $k" "^$d3 +$A .*stopped" "$(m "$DBR" --as br_clerk office followed --all 2>&1)"
	check_eq "no quarantine anywhere $k" "0 0 0 0" "$(sqlite3 "$DA" 'select count(*) from quarantine') $(sqlite3 "$DBR" 'select count(*) from quarantine') $(sqlite3 "$DC" 'select count(*) from quarantine') $(cq 'select count(*) from c_quarantine')"
	check "the branch's chains verify $k" m "$DBR" audit verify

	# a new commune store made from central's snapshot keeps d2's three places
	check "central takes its snapshot $k" mt "2025-07-10 14:00:00" "$DA" central snapshot --central "$CURL"
	DC2=$T/$1.c2.db
	m "$DC2" init --office $CM --name "UBND xã Đông Ngũ" >/dev/null 2>&1
	check "a new commune store syncs by snapshot $k" mt "2025-07-10 14:10:00" "$DC2" sync --central "$CURL"
	check_eq "it has d2 where it is $k" "$CM 40" "$(row "$DC2" $d2)"
	check_eq "with its three places $k" "$BR $CM $CM" "$(places "$DC2" $d2)"
}

both_backends scenario
