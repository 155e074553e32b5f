#!/bin/sh
# counterfees.sh - fees paid at the receiving desk in the 2025 model, on both backends:
# the provincial centre receives a commune's procedure, which goes at once to the
# commune; the applicant pays there and then at the centre's desk, which writes the
# payment on the dossier's receipt chain (CODE-F1: the fee lines paid, the amount, the
# centre's receipt number, method and clerk), one line at a time, each once.  The chain
# syncs to central, which delivers it to the commune holding the dossier: the commune
# sees the fees paid (status, `fee show`, the cashier's list, the receipt, the report
# counts the money once, at the centre), takes no second payment, and may not refund
# the centre's receipt (the centre does).  When the commune sends the result on to the
# branch where the applicant collects it, the chain goes with it (also when the branch
# synced after the chain was written): the branch returns the result without asking
# for the fees again; the commune's whole report counts none of the centre's money.
# On PostgreSQL every office syncs as its own role (row-level security): the centre
# files the chain, the commune and the branch read it, another office's role reads
# none of it through psql.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

CTR=000.00.99.H45      # the provincial service centre (the receiving desk)
BR=000.01.99.H45       # its branch (the place of return)
CM=000.31.29.H45       # the commune centre (UBND xã Đông Ngũ), competent for PC
PC=2.006365            # a commune procedure
role() { printf 'motcua_%s' "$(echo "$1" | tr 'A-Z.' 'a-z_')"; }
row() { sqlite3 "$1" "select o.agency_code || ' ' || d.stage || ' ' || d.status from dossiers d join offices o on o.id = d.office_id where d.code = '$2'"; }

scenario() {
	use_central "$1" counterfees
	k="[$1]"
	DA=$T/$1.a.db; DCT=$T/$1.ctr.db; DC=$T/$1.c.db; DBR=$T/$1.br.db
	printf 'motcua-demo\n' >"$T/pass"
	m "$DA" central init --central "$CURL" >/dev/null 2>&1
	mt "2025-07-01 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
	m "$DA" office set $A --kind department >/dev/null 2>&1
	m "$DA" office set $CM --kind commune >/dev/null 2>&1
	m "$DA" office set $CTR --kind centre --name "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh" --level 1 >/dev/null 2>&1
	m "$DA" office set $BR --kind branch --parent $CTR --name "Chi nhánh số 1" --level 1 >/dev/null 2>&1
	m "$DA" office resolves $CM $PC >/dev/null 2>&1
	check "the commune's procedure has two fee lines, paid at receipt $k" \
		m "$DA" fee set $PC --line "le_phi:30000:Lệ phí chứng thực" --line "phi:20000:Phí sao y" --step receive
	m "$DA" user add ctr_clerk --name "Lê Văn Thu" --roles clerk --office $CTR >/dev/null 2>&1
	m "$DA" user add ctr_lead --name "Giám đốc Trung tâm" --roles leader --office $CTR >/dev/null 2>&1
	m "$DA" user add br_clerk --name "Cán bộ chi nhánh" --roles clerk --office $BR >/dev/null 2>&1
	m "$DA" user add c_clerk --name "Cán bộ xã" --roles clerk --office $CM >/dev/null 2>&1
	m "$DA" user add c_head --name "Trưởng VP xã" --roles head --office $CM --department VP-DN >/dev/null 2>&1
	m "$DA" user add c_spec --name "Công chức xã" --roles specialist --office $CM --department VP-DN >/dev/null 2>&1
	m "$DA" user add c_lead --name "Chủ tịch xã" --roles leader --office $CM >/dev/null 2>&1
	m "$DA" central publish --central "$CURL" >/dev/null 2>&1
	m "$DA" sync --central "$CURL" >/dev/null 2>&1
	UCTR=$CURL; UC=$CURL; UBR=$CURL
	if [ "$1" = pg ]; then
		for o in $CTR $CM $BR $B; do m "$DA" central office role $o --create --central "$CURL" >/dev/null 2>&1; done
		UCTR="postgresql:///counterfees?host=$PGDIR&port=$PGPORT&user=$(role $CTR)"
		UC="postgresql:///counterfees?host=$PGDIR&port=$PGPORT&user=$(role $CM)"
		UBR="postgresql:///counterfees?host=$PGDIR&port=$PGPORT&user=$(role $BR)"
		check_eq "each office has its role $k" 4 "$(cq "select count(*) from c_office_roles")"
	fi
	m "$DCT" init --office $CTR --name "Trung tâm" >/dev/null 2>&1
	m "$DC" init --office $CM --name "UBND xã Đông Ngũ" >/dev/null 2>&1
	m "$DBR" init --office $BR --name "Chi nhánh số 1" >/dev/null 2>&1
	check "the centre syncs $k" mt "2025-07-01 08:05:00" "$DCT" sync --central "$UCTR"
	check "the commune syncs $k" mt "2025-07-01 08:05:00" "$DC" sync --central "$UC"
	check "the branch syncs $k" mt "2025-07-01 08:05:00" "$DBR" sync --central "$UBR"

	# the centre receives the commune's procedure: it goes to the commune at once
	out=$(mt "2025-07-10 09:00:00" "$DCT" --as ctr_clerk receive --procedure $PC --name "Nguyễn Thị Nộp" --id 022123456781 --components all --return-at $BR 2>&1)
	check_match "the centre receives it $k" "received $CTR-250710-0001" "$out"
	d1=$CTR-250710-0001; f1=$d1-F1
	check_eq "the commune holds it, owing 50000 (status 6) $k" "$CM 10 6" "$(row "$DCT" $d1)"
	# the applicant pays at the centre's desk: line 1 first, then the rest
	out=$(mt "2025-07-10 09:05:00" "$DCT" --as ctr_clerk fee pay $d1 --line 1 2>&1)
	check_match "the desk takes line 1 under its own receipt series $k" "30000 dong paid by cash, receipt $CTR-BL2025-000001" "$out"
	check_match "... on the receipt chain, which goes to the holding office $k" "paid at the receiving desk of office $CTR" "$out"
	ev=$(sqlite3 "$DCT" "select count(*) from events")
	out=$(mt "2025-07-10 09:06:00" "$DCT" --as ctr_clerk fee pay $d1 --line 1 2>&1)
	check_match "the same line twice is refused, naming its receipt $k" "fee line 1 of dossier $d1 is already paid at the receiving desk, receipt $CTR-BL2025-000001" "$out"
	check_fails "... with a non-zero exit $k" mt "2025-07-10 09:06:00" "$DCT" --as ctr_clerk fee pay $d1 --line 1
	check_match "a part amount is refused: whole lines $k" "pays whole fee lines" "$(mt "2025-07-10 09:06:00" "$DCT" --as ctr_clerk fee pay $d1 --amount 5000 2>&1)"
	check_eq "refusals write nothing $k" "$ev" "$(sqlite3 "$DCT" "select count(*) from events")"
	check_match "the rest: line 2 $k" "20000 dong paid by bank transfer, receipt $CTR-BL2025-000002" \
		"$(mt "2025-07-10 09:07:00" "$DCT" --as ctr_clerk fee pay $d1 --method transfer --ref "VCB-778" 2>&1)"
	check_match "a third payment is refused $k" "already paid" "$(mt "2025-07-10 09:08:00" "$DCT" --as ctr_clerk fee pay $d1 2>&1)"
	check_eq "the chain: received, two payments, each one event with the lines it paid $k" "received| fee_paid|1 fee_paid|2" \
		"$(sqlite3 "$DCT" "select group_concat(kind || '|' || coalesce((select group_concat(json_extract(value, '\$.n')) from json_each(payload, '\$.lines')), ''), ' ') from (select * from events where dossier_code = '$f1' order by dseq)")"
	check_eq "the centre's copy of the dossier: paid, status 2 $k" "$CM 10 2" "$(row "$DCT" $d1)"
	check_nomatch "search does not list the chain as a dossier $k" "$f1" "$(m "$DCT" --as ctr_clerk search "Nộp" 2>&1)"

	check "the centre syncs $k" mt "2025-07-10 09:30:00" "$DCT" sync
	check_eq "central has the chain, filed for the centre $k" "3 $CTR" "$(cq "select count(*) || ' ' || min(office) from c_events where dossier_code = '$f1'")"
	check_eq "... delivered to the commune $k" 3 "$(cq "select count(*) from c_deliveries d join c_events e on e.id = d.id where e.dossier_code = '$f1' and d.office = '$CM'")"
	check "the commune syncs $k" mt "2025-07-10 09:40:00" "$DC" sync
	check_eq "the commune holds the dossier, paid: status 2 $k" "$CM 10 2" "$(row "$DC" $d1)"
	out=$(m "$DC" --as c_clerk fee show $d1 2>&1)
	check_match "the commune's fee view: paid 50000, owed 0 $k" "fees 50000 dong, paid 50000, refunded 0, owed 0" "$out"
	check_match "... each payment with the desk's receipt $k" "paid 30000 dong by cash at the receiving desk of office $CTR, receipt $CTR-BL2025-000001" "$out"
	check_nomatch "not on the commune's cashier list $k" "$d1" "$(m "$DC" --as c_clerk fee due 2>&1)"
	check_match "the commune takes no second payment $k" "already paid|owes no fees" "$(mt "2025-07-10 09:45:00" "$DC" --as c_clerk fee pay $d1 --amount 1000 2>&1)"
	check_fails "... exits non-zero $k" mt "2025-07-10 09:45:00" "$DC" --as c_clerk fee pay $d1 --amount 1000
	r=$(m "$DC" --as c_clerk fee receipt $d1 --receipt $CTR-BL2025-000001 2>&1)
	check_match "the receipt prints at the commune, under the centre's name $k" "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh" "$r"
	check_match "... with the line it paid $k" "Lệ phí chứng thực" "$r"
	check_nomatch "... and not the other $k" "Phí sao y" "$r"
	check_match "the commune's report: the money is the centre's, once $k" "^Total +30000 +20000 +0 +50000 +0 +50000" \
		"$(m "$DC" --as c_lead fee report --period 2025-07 --office $CTR 2>&1 | grep '^Total')"
	check_match "... none of it the commune's $k" "^Total +0 +0 +0 +0 +0 +0" "$(m "$DC" --as c_lead fee report --period 2025-07 --office $CM 2>&1 | grep '^Total')"
	check_match "... nor its whole report: the centre's money is not counted again at the commune $k" "^Total +0 +0 +0 +0 +0 +0" \
		"$(m "$DC" --as c_lead fee report --period 2025-07 2>&1 | grep '^Total')"
	check_match "the centre's report counts it once $k" "^Total +30000 +20000 +0 +50000 +0 +50000" \
		"$(m "$DCT" --as ctr_lead fee report --period 2025-07 2>&1 | grep '^Total')"

	# refunds follow today's rules, at the office that took the money
	check_match "the commune may not refund the centre's receipt $k" "only that office may refund it" \
		"$(mt "2025-07-10 10:00:00" "$DC" --as c_lead fee refund $d1 --receipt $CTR-BL2025-000001 --amount 1000 --reason "Thu thừa" 2>&1)"
	check_fails "a clerk may not refund at the desk $k" mt "2025-07-10 10:00:00" "$DCT" --as ctr_clerk fee refund $d1 --receipt $CTR-BL2025-000001 --amount 1000 --reason "Thu thừa"
	check_fails "no more than the payment $k" mt "2025-07-10 10:00:00" "$DCT" --as ctr_lead fee refund $d1 --receipt $CTR-BL2025-000001 --amount 30001 --reason "Thu thừa"
	check_match "the centre's leader refunds part of it $k" "10000 dong refunded of $CTR-BL2025-000001, receipt $CTR-BL2025-000003" \
		"$(mt "2025-07-10 10:01:00" "$DCT" --as ctr_lead fee refund $d1 --receipt $CTR-BL2025-000001 --amount 10000 --reason "Thu thừa" 2>&1)"
	mt "2025-07-10 10:10:00" "$DCT" sync >/dev/null 2>&1
	mt "2025-07-10 10:20:00" "$DC" sync >/dev/null 2>&1
	check_match "the commune sees the refund $k" "paid 50000, refunded 10000, owed 0" "$(m "$DC" --as c_clerk fee show $d1 2>&1)"
	# the branch syncs before the result comes: its pull passes the chain's positions in
	# central's log, so the chain delivered later must come with the dossier
	check "the branch syncs meanwhile $k" mt "2025-07-10 10:25:00" "$DBR" sync
	# a new store of the commune made from central's snapshot takes the receipt chain too
	check "central takes its snapshot $k" mt "2025-07-10 10:30:00" "$DA" central snapshot --central "$CURL"
	DC2=$T/$1.c2.db
	m "$DC2" init --office $CM --name "UBND xã Đông Ngũ" >/dev/null 2>&1
	check "a new commune store syncs by snapshot $k" mt "2025-07-10 10:40:00" "$DC2" sync --central "$UC"
	check_eq "it has the dossier from the snapshot $k" 1 "$(sqlite3 "$DC2" "select count(*) from snapshot_base where dossier_code = '$d1'")"
	check_eq "... paid: status 2 $k" "$CM 10 2" "$(row "$DC2" $d1)"
	check_match "... with the desk's payments and refund $k" "paid 50000, refunded 10000, owed 0" "$(m "$DC2" --as c_clerk fee show $d1 2>&1)"
	check_match "... and takes no second payment $k" "already paid|owes no fees" "$(mt "2025-07-10 10:45:00" "$DC2" --as c_clerk fee pay $d1 --amount 1000 2>&1)"
	check "... and verifies $k" m "$DC2" audit verify

	# the commune resolves it; the result goes to the branch, and the receipts with it
	mt "2025-07-10 13:00:00" "$DC" --as c_clerk transfer $d1 >/dev/null 2>&1
	mt "2025-07-10 13:10:00" "$DC" --as c_head assign $d1 --to c_spec >/dev/null 2>&1
	mt "2025-07-10 13:20:00" "$DC" --as c_spec propose $d1 --decision approve >/dev/null 2>&1
	m "$DC" --as c_lead key create --passphrase-file "$T/pass" >/dev/null 2>&1
	check "the commune's leader signs $k" mt "2025-07-10 13:30:00" "$DC" --as c_lead sign $d1 --passphrase-file "$T/pass"
	check_eq "the result goes to the branch $k" "$BR 60 9" "$(row "$DC" $d1)"
	check "the commune syncs (as its own role on PostgreSQL) $k" mt "2025-07-10 13:40:00" "$DC" sync
	check_eq "central delivered the chain to the branch too $k" 4 "$(cq "select count(*) from c_deliveries d join c_events e on e.id = d.id where e.dossier_code = '$f1' and d.office = '$BR'")"
	check "the branch syncs $k" mt "2025-07-10 13:50:00" "$DBR" sync
	check_match "the branch sees the fees paid $k" "paid 50000, refunded 10000, owed 0" "$(m "$DBR" --as br_clerk fee show $d1 2>&1)"
	check "the branch returns the result without asking for them again $k" \
		mt "2025-07-10 14:00:00" "$DBR" --as br_clerk return $d1 --collected-by "Nguyễn Thị Nộp" --rating 5
	for s in "$DCT" "$DC" "$DBR"; do check "audit verify passes at $(basename "$s") $k" m "$s" audit verify; done
	check_eq "no quarantine anywhere $k" "0 0 0 0" "$(sqlite3 "$DCT" 'select count(*) from quarantine') $(sqlite3 "$DC" 'select count(*) from quarantine') $(sqlite3 "$DBR" 'select count(*) from quarantine') $(cq 'select count(*) from c_quarantine')"

	m "$DA" central dashboard --central "$CURL" >/dev/null 2>&1
	check_eq "the province's projection counts the dossier, not its receipt chain $k" "1 0" \
		"$(cq "select count(*) from c_prov where code = '$d1'") $(cq "select count(*) from c_prov where code = '$f1'")"
	if [ "$1" = pg ]; then
		pr() { psql -q -At -h "$PGDIR" -p "$PGPORT" -U "$(role "$1")" -d counterfees -c "$2" 2>&1; }
		check_eq "psql as the commune: it reads the chain $k" 4 "$(pr $CM "select count(*) from c_events where dossier_code = '$f1'")"
		check_eq "psql as the centre: it reads its own chain $k" 4 "$(pr $CTR "select count(*) from c_events where dossier_code = '$f1'")"
		check_eq "psql as another office: none of the chain $k" 0 "$(pr $B "select count(*) from c_events where dossier_code = '$f1'")"
		check_eq "... nor through c_dossier_events $k" 0 "$(pr $B "select count(*) from c_dossier_events('$f1')")"
		check_eq "... nor any receipt in a payload $k" 0 "$(pr $B "select count(*) from c_events where payload like '%BL2025%'")"
		check_match "psql as another office: delivering the chain to itself is refused $k" "row-level security|permission denied" \
			"$(pr $B "insert into c_deliveries(office, pos, id) select '$B', pos, id from c_events where dossier_code = '$f1'") $(pr $B "insert into c_deliveries(office, pos, id) values ('$B', 1, 'x')")"
		check_eq "psql as the commune: it may not deliver the chain to another office $k" 0 \
			"$(pr $CM "insert into c_deliveries(office, pos, id) select '$B', pos, id from c_events where dossier_code = '$f1'" >/dev/null; cq "select count(*) from c_deliveries where office = '$B'")"
		check_match "psql as another office: filing a chain of the centre's dossier is refused $k" "may not file|row-level security" \
			"$(pr $B "insert into c_dossiers(code, office) values ('$d1-F2', '$B')")"
	fi
}

both_backends scenario
