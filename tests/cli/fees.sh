#!/bin/sh
# fees.sh - fees from the command line at Vietnam time: fee lines set by the
# administrator (and by the catalog CSV's optional columns), the dossier's copy taken
# at receipt (a later price change does not touch it), status 6 until paid, payments
# by cash and transfer with numbered receipts (consecutive per office and year, never
# reused after a refused step, a new series in a new year), the result not returned
# while fees are owed (payment asked at the "result" step), refunds (role, reason,
# limit, own receipt), receipts printed through lpr, and the fees report's identity.
. "$ROOT/tests/lib.sh"

NOW="2024-03-11 09:00:00"
check "demo store" at "$NOW" mc demo --dossiers 0
P=1.001037
q() { sqlite3 "$DB" "$1"; }
code_of() { sed -n 's/^received \([^:]*\):.*/\1/p' | head -1; }
recv() { at "$NOW" mc --as clerk1 receive --procedure "$1" --name "Nguyễn Văn Đức" --id 022123456789 --components all; }

check_fails "a clerk may not set fees" mc --as clerk1 fee set $P --line "le_phi:50000:Lệ phí"
check_fails "a bad fee line is refused" mc fee set $P --line "le_phi:abc:Lệ phí"
check_match "... saying why" "whole number of dong" "$(mc fee set $P --line "le_phi:abc:Lệ phí" 2>&1)"
check_fails "an unknown payment step is refused" mc fee set $P --line "le_phi:50000:Lệ phí" --step sign
check "the administrator sets two fee lines" mc fee set $P --line "le_phi:50.000:Lệ phí cấp giấy" --line "phi:20000:Phí thẩm định"
check_eq "they are stored" "le_phi|50000|Lệ phí cấp giấy phi|20000|Phí thẩm định" \
	"$(q "select group_concat(kind || '|' || amount || '|' || name, ' ') from (select * from procedure_fees order by n)")"

c1=$(recv $P | code_of)
check_eq "received: status 6 (financial obligation)" 6 "$(q "select status from dossiers where code = '$c1'")"
check_match "fee show says what is owed" "fees 70000 dong, paid 0, refunded 0, owed 70000; status 6" "$(mc --as clerk1 fee show "$c1")"
check_match "the received event holds the copy of the lines" '"fees":\[' "$(q "select payload from events where dossier_code = '$c1' and kind = 'received'")"
check_match "the dossier is on the cashier's list" "$c1  owes 70000 of 70000 dong" "$(mc --as clerk1 fee due)"
check "the price changes" mc fee set $P --line "le_phi:90000:Lệ phí cấp giấy"
check_match "the dossier keeps the price it was received under" "owed 70000" "$(mc --as clerk1 fee show "$c1")"
c2=$(recv $P | code_of)
check_match "a new dossier takes the new price" "owed 90000" "$(mc --as clerk1 fee show "$c2")"
c3=$(recv 1.001074 | code_of)
check_eq "a procedure without fees: status 2" 2 "$(q "select status from dossiers where code = '$c3'")"
check_fails "... and owes nothing" at "$NOW" mc --as clerk1 fee pay "$c3" --amount 1000

events() { q "select count(*) from events"; }
ev=$(events)
check_fails "more than owed is refused" at "2024-03-11 09:10:00" mc --as clerk1 fee pay "$c1" --amount 70001
check_fails "a transfer needs its reference" at "2024-03-11 09:10:00" mc --as clerk1 fee pay "$c1" --method transfer --amount 1000
check_fails "a specialist may not take money" at "2024-03-11 09:10:00" mc --as spec_tm1 fee pay "$c1" --amount 1000
check_eq "refused payments write nothing" "$ev" "$(events)"
out=$(at "2024-03-11 09:10:00" mc --as clerk1 fee pay "$c1" --amount 30000)
check_match "cash: receipt 1 of the year" "30000 dong paid by cash, receipt 000.00.17.H45-BL2024-000001" "$out"
check_eq "one event, fee_paid" "$((ev + 1))|fee_paid" "$(q "select count(*) from events")|$(q "select kind from events order by seq desc limit 1")"
check_eq "still status 6 with 40000 owed" "6" "$(q "select status from dossiers where code = '$c1'")"
out=$(at "2024-03-11 09:20:00" mc --as clerk1 fee pay "$c1" --method transfer --ref "VCB 20240311-778")
check_match "transfer of the rest: receipt 2" "40000 dong paid by bank transfer, receipt 000.00.17.H45-BL2024-000002" "$out"
check_eq "paid: status 2 again" 2 "$(q "select status from dossiers where code = '$c1'")"
check_nomatch "... and off the cashier's list" "$c1" "$(mc --as clerk1 fee due)"

# refunds
check_fails "a clerk may not refund" at "2024-03-12 09:00:00" mc --as clerk1 fee refund "$c1" --receipt 000.00.17.H45-BL2024-000001 --amount 1000 --reason "Thu thừa"
check_fails "a refund needs a reason" at "2024-03-12 09:00:00" mc --as leader1 fee refund "$c1" --receipt 000.00.17.H45-BL2024-000001 --amount 1000
check_fails "no more than the payment" at "2024-03-12 09:00:00" mc --as leader1 fee refund "$c1" --receipt 000.00.17.H45-BL2024-000001 --amount 30001 --reason "Thu thừa"
out=$(at "2024-03-12 09:00:00" mc --as leader1 fee refund "$c1" --receipt 000.00.17.H45-BL2024-000001 --amount 10000 --reason "Thu thừa")
check_match "a leader refunds, with its own receipt 3" "10000 dong refunded of 000.00.17.H45-BL2024-000001, receipt 000.00.17.H45-BL2024-000003" "$out"
check_eq "the refund is an event with reason and reference" "Thu thừa|000.00.17.H45-BL2024-000001|000.00.17.H45-BL2024-000003" \
	"$(q "select json_extract(payload, '$.reason') || '|' || json_extract(payload, '$.refund_of') || '|' || json_extract(payload, '$.receipt') from events where kind = 'fee_refunded'")"
check_fails "the refund's limit counts what was already refunded" at "2024-03-12 09:00:00" mc --as leader1 fee refund "$c1" --receipt 000.00.17.H45-BL2024-000001 --amount 20001 --reason "Thu thừa"

# receipts through the printer path (a fake lpr)
mkdir -p "$T/bin"
cat >"$T/bin/lpr" <<EOS
#!/bin/sh
echo "\$@" >"$T/lpr.args"
cat >"$T/lpr.data"
EOS
chmod +x "$T/bin/lpr"
check "receipt 2 is printed" env PRINTER=quay1 PATH="$T/bin:$PATH" "$MOTCUA" --db "$DB" --as clerk1 fee receipt "$c1" --receipt 000.00.17.H45-BL2024-000002 --print
check_eq "lpr got -P quay1" "-P quay1" "$(cat "$T/lpr.args")"
check_match "it is the receipt (biên lai) with its number" "BIÊN LAI THU PHÍ, LỆ PHÍ" "$(cat "$T/lpr.data")"
check_match "... the copy of the lines" "Lệ phí cấp giấy \\(lệ phí\\) +50.000 đ" "$(cat "$T/lpr.data")"
check_match "... the transfer's reference" "VCB 20240311-778" "$(cat "$T/lpr.data")"
check_eq "every line fits 80 columns" "" "$(python3 -c 'import sys; [print(l) for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if len(l) > 80]' "$T/lpr.data")"
check "the refund's voucher too" env PRINTER=quay1 PATH="$T/bin:$PATH" "$MOTCUA" --db "$DB" --as clerk1 fee receipt "$c1" --receipt 000.00.17.H45-BL2024-000003 --print
check_match "... as a refund, naming the payment" "Hoàn trả cho biên lai số: 000.00.17.H45-BL2024-000001" "$(cat "$T/lpr.data")"
check_fails "an unknown receipt number" mc --as clerk1 fee receipt "$c1" --receipt 000.00.17.H45-BL2024-000099

# payment asked before the result is returned
check "another procedure asks at the result" mc fee set 1.001074 --line "le_phi:15000:Lệ phí" --step result
c4=$(recv 1.001074 | code_of)
check_eq "accepted: not yet asked (status 2)" 2 "$(q "select status from dossiers where code = '$c4'")"
at "2024-03-11 09:30:00" mc --as clerk1 transfer "$c4" >/dev/null
dept=$(q "select d.code from dossiers x join departments d on d.id = x.dept_id where x.code = '$c4'")
head=$(q "select account from users where roles & 2 and dept_id = (select dept_id from dossiers where code = '$c4') limit 1")
spec=$(q "select account from users where roles & 4 and dept_id = (select dept_id from dossiers where code = '$c4') limit 1")
at "2024-03-11 10:00:00" mc --as "$head" assign "$c4" --to "$spec" >/dev/null
at "2024-03-11 11:00:00" mc --as "$spec" propose "$c4" --decision approve >/dev/null
printf 'motcua-demo\n' >"$T/pass"
check "signed" at "2024-03-11 14:00:00" mc --as leader1 sign "$c4" --passphrase-file "$T/pass"
check_eq "result ready but unpaid: status 6" 6 "$(q "select status from dossiers where code = '$c4'")"
check_fails "the result is not returned while fees are owed" at "2024-03-11 15:00:00" mc --as clerk1 return "$c4" --collected-by "Nguyễn Văn Đức" --rating 5
check_match "... saying so" "still owes 15000 dong of fees" "$(at "2024-03-11 15:00:00" mc --as clerk1 return "$c4" --collected-by "Nguyễn Văn Đức" --rating 5 2>&1)"
check_match "paid: receipt 4 (the series continues)" "receipt 000.00.17.H45-BL2024-000004" "$(at "2024-03-11 15:05:00" mc --as clerk1 fee pay "$c4")"
check_eq "status 9" 9 "$(q "select status from dossiers where code = '$c4'")"
check "then returned" at "2024-03-11 15:10:00" mc --as clerk1 return "$c4" --collected-by "Nguyễn Văn Đức" --rating 5

# a new year, a new series
check_match "2025: receipt 1 of 2025" "receipt 000.00.17.H45-BL2025-000001" "$(at "2025-01-02 09:00:00" mc --as clerk1 fee pay "$c2" --amount 1000)"
check "pay and write the receipt in one step" at "2025-01-02 09:05:00" mc --as clerk1 fee pay "$c2" --amount 500 --out "$T/r2025.txt"
check_match "... the receipt of that payment" "Số: 000.00.17.H45-BL2025-000002" "$(cat "$T/r2025.txt")"
check "refund and write its voucher in one step" at "2025-01-02 09:10:00" mc --as leader1 fee refund "$c2" --receipt 000.00.17.H45-BL2025-000002 --amount 500 --reason "Nộp nhầm" --out "$T/v2025.txt"
check_match "... the voucher names the payment" "Hoàn trả cho biên lai số: 000.00.17.H45-BL2025-000002" "$(cat "$T/v2025.txt")"
check_match "fee pay --json" '"receipt": "000.00.17.H45-BL2025-000004"' "$(at "2025-01-02 09:15:00" mc --as clerk1 --json fee pay "$c2" --amount 100)"
check_eq "numbers are never reused" "$(q "select count(*) from events where kind like 'fee_%'")" \
	"$(q "select count(distinct json_extract(payload, '$.receipt')) from events where kind like 'fee_%'")"

# the report: per field, collected - refunded = net, the fields sum to the total
rep=$(mc --as super1 fee report --period 2024-Q1)
check_match "the report has the field and the total" "^Total +45000 +40000 +0 +85000 +10000 +75000" "$(printf '%s\n' "$rep" | grep '^Total')"
mc --as super1 --json fee report --period 2024-Q1 >"$T/rep.json"
check_eq "identity per row and fields sum to the total" "ok" "$(python3 - "$T/rep.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
tot = rows[-1]; fields = rows[:-1]
ok = tot["field"] == "" and all(r["collected"] - r["refunded"] == r["net"] and r["cash"] + r["transfer"] + r["online"] == r["collected"] for r in rows)
ok = ok and all(sum(r[k] for r in fields) == tot[k] for k in ("cash", "transfer", "online", "collected", "refunded", "net"))
print("ok" if ok else "bad %r" % rows)
PY
)"
check "audit verify: the hash chains and the projection (fees included) hold" mc audit verify
check_eq "fee show --json: one object with its entries" "70000|3" "$(mc --as clerk1 --json fee show "$c1" | python3 -c 'import json, sys; j = json.load(sys.stdin); print("%d|%d" % (j["paid"], len(j["entries"])))')"
check_fails "the report is not for clerks" mc --as clerk1 fee report --period 2024-Q1
check_match "the 2025 payments are not in 2024's report" "^Total +1600 " "$(mc --as super1 fee report --period 2025-Q1 | grep '^Total')"

# the catalog CSV's optional columns: fees and fee_step
cat >"$T/fees.csv" <<'CSV'
code,name,level,field_code,field_name,statutory_direct,committed_direct,statutory_online,committed_online,fees,fee_step
9.000001,Cấp phép thử có phí,1,XD,,10,5,10,5,"le_phi:100.000:Lệ phí cấp phép|phi:250000:Phí thẩm định",result
9.000002,Cấp phép thử không phí,1,XD,,10,5,10,5,,
CSV
check "a catalog with fee columns is imported" mc catalog import "$T/fees.csv"
check_match "its fee lines and step" "le_phi  100000  Lệ phí cấp phép  \\(result\\)" "$(mc --as clerk1 fee lines 9.000001)"
check_eq "the other has none" "" "$(mc --as clerk1 fee lines 9.000002)"
sed 's/9.00000/9.10000/; s/le_phi:100.000/le_phi:-3/' "$T/fees.csv" >"$T/badfees.csv"
n0=$(q "select count(*) from procedures")
check_fails "a bad fee line refuses the whole file" mc catalog import "$T/badfees.csv"
check_match "... naming the line" "catalog line 2: fee line" "$(mc catalog import "$T/badfees.csv" 2>&1)"
check_eq "... and adds nothing" "$n0" "$(q "select count(*) from procedures")"

# the statistics report has a fees section (when anything was collected), 80 columns
st=$(mc --as super1 report stats --period 2024-Q1)
check_match "report stats: the fees section" "PHÍ, LỆ PHÍ \\(đồng\\)" "$st"
check_match "... with its total" "^Tổng cộng +45000 +40000 +0 +85000 +10000 +75000$" "$(printf '%s\n' "$st" | sed -n '/PHÍ, LỆ PHÍ/,$p')"
check_eq "... every line within 80 columns" "" "$(printf '%s\n' "$st" | sed -n '/PHÍ, LỆ PHÍ/,$p' | python3 -c 'import sys; [print(l) for l in sys.stdin.read().splitlines() if len(l) > 80]')"
check_nomatch "a period without fees has no section" "PHÍ, LỆ PHÍ" "$(mc --as super1 report stats --period 2023-Q1)"
