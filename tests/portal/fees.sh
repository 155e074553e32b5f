#!/bin/sh
# fees.sh - fees and the national portal: a dossier that owes fees reaches the portal
# with status 6 ("Yêu cầu thực hiện nghĩa vụ tài chính") and its payment as a progress
# row that takes it back to 2; the payment platform's QUERY and GET_BILL go out signed
# (the mock checks fields, order and MaXacThuc); an answer with a wrong MaXacThuc is
# refused, logged and changes nothing; the office records an online payment only once
# the platform has confirmed it, for its amount, once.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"
A=$T/a.db; C=$T/c.db
CURL="sqlite:$C"
check "a central with a small demo quarter" central_quarter "$A" "$C" 3
check "the mock portal starts" mock_start
conf_a "$T/p.conf"
printf 'pay_url = %s/pay\npay_partner = MOTCUA\npay_secret = pay-secret\n' "$MURL" >>"$T/p.conf"
check "fee lines on a procedure" "$MOTCUA" --db "$A" fee set 1.001037 --line "le_phi:50000:Lệ phí" --line "phi:20000:Phí thẩm định"
at2() { t=$1; shift; LANGUAGE=en TZ=UTC-7 faketime -f "@$t" "$MOTCUA" --db "$A" "$@"; }
code=$(at2 "2024-03-12 09:00:00" --as clerk1 receive --procedure 1.001037 --name "Trần Thị Phí" --id 022123456780 --components all | sed -n 's/^received \([^:]*\):.*/\1/p')
check_eq "received, owing its fees: status 6" 6 "$(sqlite3 "$A" "select status from dossiers where code = '$code'")"
at2 "2024-03-12 09:05:00" sync --central "$CURL" >/dev/null 2>&1
check "the portal push" "$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/p.conf"
st() { curl -s "$MURL/state" | python3 -c "
import json, sys
s = json.load(sys.stdin); c = sys.argv[1]
h = s['dossiers'].get(c, {}).get('hoso', {}); rows = s['progress'].get(c, [])
print(h.get('TrangThaiHoSo', '-') + '|' + ','.join(r['TrangThai'] for r in rows) + '|' + ','.join(r['NoiDungXuLy'] for r in rows))" "$1"; }
check_eq "the portal has it with status 6, one row" "6|6|Tiếp nhận hồ sơ" "$(st "$code")"

# online: INIT, then the platform is asked (QUERY) until it says paid
out=$(at2 "2024-03-12 09:10:00" portal pay "$code" --amount 70000 --central "$CURL" --config "$T/p.conf")
ref=$(sqlite3 "$C" "select ref from c_payments where code = '$code'")
check_match "INIT taken" "payment $ref of 70000 dong" "$out"
check_fails "the office cannot record it before it is paid" at2 "2024-03-12 09:11:00" --as clerk1 fee pay "$code" --method online --ref "$ref" --central "$CURL"
check_match "... saying so" "not confirmed by the payment platform" "$(at2 "2024-03-12 09:11:00" --as clerk1 fee pay "$code" --method online --ref "$ref" --central "$CURL" 2>&1)"
check_match "QUERY: still pending" "payment $ref: khoi-tao" "$("$MOTCUA" --db "$A" portal pay-query "$ref" --central "$CURL" --config "$T/p.conf")"
check_eq "... the mock took a signed QUERY" "1|0|[]" "$(curl -s "$MURL/state" | python3 -c "import json, sys; s = json.load(sys.stdin); print('%s|%s|%s' % (s.get('pay_queries'), s.get('pay_bad_sig', 0), json.dumps(s['format_errors'])))")"
check_fails "GET_BILL of an unpaid transaction is refused" "$MOTCUA" --db "$A" portal pay-bill "$ref" --central "$CURL" --config "$T/p.conf"
mock_ctl "{\"pay_result\": {\"$ref\": \"1\"}, \"pay_bad_reply\": true}"
out=$("$MOTCUA" --db "$A" portal pay-query "$ref" --central "$CURL" --config "$T/p.conf" 2>&1); rc=$?
check_eq "a forged answer (wrong MaXacThuc) is refused (exit 5)" 5 "$rc"
check_match "... saying why" "MaXacThuc does not match" "$out"
check_eq "... changes nothing" "khoi-tao|" "$(sqlite3 "$C" "select state, bank_txn from c_payments where ref = '$ref'")"
check_eq "... and is logged" "0" "$(sqlite3 "$C" "select ok from c_payment_log where ref = '$ref' order by rowid desc limit 1")"
mock_ctl '{"pay_bad_reply": false}'
check_match "QUERY: paid" "payment $ref: thanh-cong" "$("$MOTCUA" --db "$A" portal pay-query "$ref" --central "$CURL" --config "$T/p.conf")"
check_eq "the transaction is paid with the bank's reference" "thanh-cong|VCB" "$(sqlite3 "$C" "select state, bank from c_payments where ref = '$ref'")"
check_match "GET_BILL gives the e-receipt's address" "^http://127.0.0.1/bienlai/$ref.pdf$" "$("$MOTCUA" --db "$A" portal pay-bill "$ref" --central "$CURL" --config "$T/p.conf")"
check_fails "another dossier cannot use the transaction" at2 "2024-03-12 09:12:00" --as clerk1 fee pay "$(sqlite3 "$A" "select code from dossiers where code <> '$code' limit 1")" --method online --ref "$ref" --central "$CURL"
out=$(at2 "2024-03-12 09:12:00" --as clerk1 fee pay "$code" --method online --ref "$ref" --central "$CURL")
check_match "the office records the online payment, for its amount" "70000 dong paid by online payment, receipt $ref" "$out"
check_fails "... once" at2 "2024-03-12 09:13:00" --as clerk1 fee pay "$code" --method online --ref "$ref" --central "$CURL"
check_eq "paid: status 2" 2 "$(sqlite3 "$A" "select status from dossiers where code = '$code'")"
at2 "2024-03-12 09:15:00" sync --central "$CURL" >/dev/null 2>&1
check "the portal push again" "$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/p.conf"
check_eq "the payment reached the portal: status 2 after a row 'Nộp phí, lệ phí'" "2|6,2|Tiếp nhận hồ sơ,Nộp phí, lệ phí" "$(st "$code")"
check_eq "the dossier's DanhSachLePhi holds what was paid" "70000|1" "$(curl -s "$MURL/state" | python3 -c "
import json, sys
f = json.load(sys.stdin)['dossiers'][sys.argv[1]]['hoso']['DanhSachLePhi']
print('%s|%s' % (f[0]['Gia'], f[0]['HinhThucThu']) if f else '-')" "$code")"
check_eq "no format error at the mock" "[]" "$(curl -s "$MURL/state" | python3 -c "import json, sys; print(json.dumps(json.load(sys.stdin)['format_errors']))")"
check_match "the fee report counts it as online" "^Total +0 +0 +70000 +70000 +0 +70000" "$(at2 "2024-03-12 10:00:00" --as super1 fee report --period 2024-Q1 | grep '^Total')"

# the poller: transactions still waiting, begun between 3 days and 30 minutes ago
code2=$(sqlite3 "$A" "select code from dossiers where code <> '$code' order by code limit 1")
pq() { TZ=UTC-7 faketime -f "@$1" "$MOTCUA" --db "$A" portal "$2" "$3" --central "$CURL" --config "$T/p.conf"; }
TZ=UTC-7 faketime -f "@2024-03-12 09:00:00" "$MOTCUA" --db "$A" portal pay "$code2" --amount 15000 --central "$CURL" --config "$T/p.conf" >/dev/null
ref2=$(sqlite3 "$C" "select ref from c_payments where code = '$code2'")
mock_ctl "{\"pay_result\": {\"$ref2\": \"4\"}}"
check_match "ten minutes later it is too early to ask" "0 paid, 0 failed, 0 still waiting" "$(pq "2024-03-12 09:10:00" pay-query --all)"
check_match "an hour later the poller asks: failed" "0 paid, 1 failed, 0 still waiting" "$(pq "2024-03-12 10:00:00" pay-query --all)"
check_eq "the transaction is marked failed" "that-bai" "$(sqlite3 "$C" "select state from c_payments where ref = '$ref2'")"

# central publishes the fee lines with the catalog: another office gets them, and their removal
check "the lines are published with the catalog" "$MOTCUA" --db "$A" central publish --central "$CURL"
B=$T/b.db
"$MOTCUA" --db "$B" init --office 000.00.31.H45 --name "UBND huyện Tiên Yên" >/dev/null 2>&1
TZ=UTC-7 faketime -f "@2024-03-12 11:00:00" "$MOTCUA" --db "$B" sync --central "$CURL" >/dev/null 2>&1
check_eq "the district office has them" "le_phi|50000|Lệ phí phi|20000|Phí thẩm định" \
	"$(sqlite3 "$B" "select group_concat(kind || '|' || amount || '|' || name, ' ') from (select f.* from procedure_fees f join procedures p on p.id = f.procedure_id where p.code = '1.001037' order by n)")"
check_eq "... and only there" "1" "$(sqlite3 "$B" "select count(distinct procedure_id) from procedure_fees")"
"$MOTCUA" --db "$A" fee set 1.001037 --clear >/dev/null
check "the removal is published" "$MOTCUA" --db "$A" central publish --central "$CURL"
TZ=UTC-7 faketime -f "@2024-03-12 11:05:00" "$MOTCUA" --db "$B" sync --central "$CURL" >/dev/null 2>&1
check_eq "the district office no longer asks for them" "0" "$(sqlite3 "$B" "select count(*) from procedure_fees")"
