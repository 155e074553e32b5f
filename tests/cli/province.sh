#!/bin/sh
# province.sh - `motcua demo --province`: the demo becomes a province of the 2025 model
# (the provincial centre and two branches, six departments, six commune centres, one
# vertical agency) with dossiers received at one office and resolved at another, while
# the seed's Q1/2024 quarter stays exactly the history of the plain demo (same codes,
# same report); refused before 1 July 2025.
. "$ROOT/tests/lib.sh"
NOW="2025-09-15 10:00:00"
at "$NOW" mc demo --dossiers 400 --seed 3 >/dev/null 2>&1
cp "$DB" "$T/plain.db"
rm -f "$DB"
check "the province demo builds" at "$NOW" mc demo --dossiers 400 --seed 3 --province
q() { sqlite3 "$DB" "$1"; }
P() { sqlite3 "$T/plain.db" "$1"; }
list=$(mc --as admin office list 2>&1)
check_eq "one provincial centre" 1 "$(q "select count(*) from offices where kind = 'centre' and level = 1")"
check_eq "two branches of it" 2 "$(q "select count(*) from offices where kind = 'branch' and parent_id = (select id from offices where kind = 'centre')")"
check_eq "six departments, the Department of Industry and Trade among them" "6 department" \
	"$(q "select count(*) from offices where kind = 'department'") $(q "select kind from offices where agency_code = '000.00.17.H45'")"
check_eq "six commune centres" 6 "$(q "select count(*) from offices where kind = 'commune' and level = 3")"
check_eq "one vertical agency" 1 "$(q "select count(*) from offices where kind = 'vertical'")"
check_match "office list shows the centre" "000.00.70.H45 +centre" "$list"
check_match "and a branch under it" "000.00.71.H45 +branch" "$list"
# the history: the quarter of the plain demo, unchanged
old="select code || '|' || stage || '|' || received_at || '|' || resolved_at from dossiers where received_at < strftime('%s', '2024-04-01') order by code"
check_eq "Q1/2024: the same dossiers, stages and times as the plain demo" "$(P "$old" | md5sum)" "$(q "$old" | md5sum)"
check_eq "the quarter's report is the plain demo's" \
	"$(at "$NOW" mc --db "$T/plain.db" --as super1 report stats --period 2024-Q1 --format csv | md5sum)" \
	"$(at "$NOW" mc --as super1 report stats --period 2024-Q1 --format csv | md5sum)"
check_eq "the old quarter keeps the 2018 model (no places)" 0 \
	"$(q "select count(*) from dossiers where received_at < strftime('%s', '2025-07-01') - 25200 and (recv_office_id + resolver_id + return_office_id) > 0")"
# fees: the procedures with a fee in the demo have fee lines (demo values, from 1 July
# 2025 only); the dossiers whose result was handed over paid first, with a receipt; the
# others still owe them, in the cashier's list of the office holding them
check_eq "three procedures with fee lines, all of the reform" "3 3" \
	"$(q "select count(distinct procedure_id) from procedure_fees") $(q "select count(distinct procedure_id) from procedure_fees where procedure_id >= 147")"
check "some dossiers paid before their result was handed over" test "$(q "select count(*) from events where kind = 'fee_paid' and json_extract(payload, '\$.receipt') <> ''")" -gt 0
# (what a dossier paid at the receiving desk is on its receipt chain CODE-F1, fees_counter.h)
paid="(f.paid + coalesce((select cf.paid from dossiers cd join dossier_fees cf on cf.dossier_id = cd.id where cd.code = d.code || '-F1'), 0))"
check_eq "every returned dossier with fees paid them" 0 "$(q "select count(*) from dossier_fees f join dossiers d on d.id = f.dossier_id where d.returned_at > 0 and $paid < f.total")"
check "some paid at the receiving desk, on a receipt chain filed by the receiving office" test \
	"$(q "select count(*) from dossiers c join dossiers d on c.code = d.code || '-F1' join events e on e.dossier_code = c.code and e.kind = 'fee_paid' join offices r on r.id = d.recv_office_id where c.office_id = d.recv_office_id and e.origin = r.agency_code")" -gt 0
check_eq "... and nothing paid twice" 0 "$(q "select count(*) from dossier_fees f join dossiers d on d.id = f.dossier_id where d.code not like '%-F1' and $paid > f.total")"
owe=$(q "select d.code || ' ' || u.account from dossier_fees f join dossiers d on d.id = f.dossier_id join users u on u.office_id = d.office_id and u.roles & 1 where $paid < f.total and d.stage < 90 order by d.code, u.account limit 1")
check "a dossier still owes its fees" test -n "$owe"
check_match "the cashier's list has it" "${owe% *}" "$(at "$NOW" mc --as "${owe#* }" fee due 2>&1)"
# crossing dossiers: 130 of the 2025 model over every resolving office (tests/cli/
# province_cross.sh checks each); 12 of them received elsewhere and resolved here, at
# the Department of Industry and Trade (before every department had procedures of its
# own, all 40 were)
check_eq "130 dossiers of the 2025 model" 130 "$(q "select count(*) from dossiers where recv_office_id > 0")"
cross=$(q "select count(*) from dossiers d join offices r on r.id = d.recv_office_id where r.kind in ('centre', 'branch', 'commune') and d.resolver_id = 1")
check_eq "12 dossiers received elsewhere and resolved by the department" 12 "$cross"
check "received at the centre, a branch and a commune centre" test "$(q "select count(distinct r.kind) from dossiers d join offices r on r.id = d.recv_office_id")" -eq 3
check "each has the receiving office's code" test "$(q "select count(*) from dossiers d join offices r on r.id = d.recv_office_id where d.code not like r.agency_code || '-%'")" -eq 0
check "some are back at the place of return" test "$(q "select count(*) from dossiers where recv_office_id > 0 and office_id = return_office_id and office_id <> 1")" -gt 0
check "some were handed over there" test "$(q "select count(*) from dossiers where recv_office_id > 0 and stage = 91")" -gt 0
check "some ask for the result at another office than where they filed" test "$(q "select count(*) from dossiers where recv_office_id > 0 and return_office_id <> recv_office_id")" -gt 0
c=$(q "select code from dossiers where recv_office_id > 0 and office_id = 1 and stage < 90 limit 1")
check_match "the department's queue holds what it resolves" "$c" "$(at "$NOW" mc --as clerk1 queue --limit 10000 2>&1; at "$NOW" mc --as head_tm queue --limit 10000 2>&1; at "$NOW" mc --as spec_tm1 queue --limit 10000 2>&1; for u in head_nl head_at head_cn spec_nl1 spec_at1 spec_cn1; do at "$NOW" mc --as $u queue --limit 10000 2>&1; done)"
r=$(at "$NOW" mc --as clerk1 form RECEIPT $c 2>&1)
check_match "its receipt is the receiving office's" "^(Trung tâm Phục vụ hành chính công|Bộ phận Tiếp nhận và Trả kết quả): (Trung tâm|Chi nhánh|UBND xã)" "$r"
check_match "with the place before the date" "Quảng Ninh, ngày" "$r"
check_match "II.06a counts them at province level" "^I   Cấp tỉnh +[1-9]" "$(at "$NOW" mc --as super1 report kstt --period 2025-09 2>&1)"
check_match "before the reform it is refused" "1 July 2025" "$(at "2025-06-30 10:00:00" mc --db "$T/early.db" demo --dossiers 0 --province 2>&1)"
check_fails "and fails" at "2025-06-30 10:00:00" mc --db "$T/early2.db" demo --dossiers 0 --province
echo "1..$n"
