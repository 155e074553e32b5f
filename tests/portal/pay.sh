#!/bin/sh
# pay.sh - a fee paid online through the national payment platform: INIT goes out
# signed (the mock checks the fields, their order and MaXacThuc) and the transaction
# waits; a callback whose MaXacThuc is wrong is refused, logged and changes nothing,
# as does one with another amount; the right one marks the payment paid with the
# bank's reference and is answered with a signed "00"; the same callback again
# changes nothing.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"
A=$T/a.db; C=$T/c.db
CURL="sqlite:$C"
check "a central with a small demo quarter" central_quarter "$A" "$C" 10
check "the mock portal starts" mock_start
conf_a "$T/p.conf"
printf 'pay_url = %s/pay\npay_partner = MOTCUA\npay_secret = pay-secret\n' "$MURL" >>"$T/p.conf"
printf 'unit_name = Sở Công Thương tỉnh Quảng Ninh\n' >>"$T/p.conf"
code=$(sqlite3 "$A" "select code from dossiers order by code limit 1")
out=$("$MOTCUA" --db "$A" portal pay "$code" --amount 200000 --central "$CURL" --config "$T/p.conf" 2>&1)
check_match "INIT is taken: the applicant is sent to the platform" "payment dvc[0-9A-Za-z]+ of 200000 dong for $code: send the applicant to http" "$out"
ref=$(sqlite3 "$C" "select ref from c_payments")
check_eq "the payment waits (khoi-tao)" "khoi-tao|200000|$code" "$(sqlite3 "$C" "select state, amount, code from c_payments")"
check_eq "the platform got a signed INIT" "[]|0" "$(curl -s "$MURL/state" | python3 -c "import json, sys; s = json.load(sys.stdin); print(json.dumps(s['format_errors']) + '|' + str(s.get('pay_bad_sig', 0)))")"
callback() { # MaLoi SoTien SECRET
	python3 - "$ref" "$1" "$2" "$3" <<'PY'
import hashlib, json, sys
ref, maloi, sotien, secret = sys.argv[1:5]
f = ["PAY", maloi, "MOTCUA", ref, sotien, "VND", "GD123456", "VCB", "20240315093000", "THANH TOAN"]
sig = hashlib.sha256(("|".join(f) + "|" + secret).encode()).hexdigest()
keys = ["LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich", "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich"]
d = dict(zip(keys, f)); d["SoTien"] = int(sotien); d["MaXacThuc"] = sig
print(json.dumps(d))
PY
}
callback 00 200000 wrong-secret >"$T/bad.json"
out=$("$MOTCUA" --db "$A" portal pay-confirm --central "$CURL" --config "$T/p.conf" <"$T/bad.json" 2>"$T/err"); rc=$?
check_eq "a callback with a wrong MaXacThuc is refused (exit 5)" 5 "$rc"
check_match "... answered 99" '"MaLoi":"99"' "$out"
check_match "... saying why" "MaXacThuc does not match" "$(cat "$T/err")"
check_eq "... and changes nothing" "khoi-tao||0" "$(sqlite3 "$C" "select state, bank_txn, paid_at from c_payments")"
check_eq "... but is logged with its reason" "0|MaXacThuc does not match: the callback is not from the payment platform" "$(sqlite3 "$C" "select ok, reason from c_payment_log")"
callback 00 1000 pay-secret >"$T/amount.json"
check_fails "a signed callback for another amount is refused" "$MOTCUA" --db "$A" portal pay-confirm --central "$CURL" --config "$T/p.conf" <"$T/amount.json"
check_eq "... and changes nothing" "khoi-tao" "$(sqlite3 "$C" "select state from c_payments")"
callback 00 200000 pay-secret >"$T/good.json"
out=$("$MOTCUA" --db "$A" portal pay-confirm --central "$CURL" --config "$T/p.conf" <"$T/good.json")
check_match "the platform's callback is taken: 00" '"MaLoi":"00"' "$out"
check_eq "the payment is paid, with the bank's reference" "thanh-cong|GD123456|VCB" "$(sqlite3 "$C" "select state, bank_txn, bank from c_payments")"
check_eq "the answer is signed" "ok" "$(printf '%s' "$out" | python3 -c "
import hashlib, json, sys
r = json.load(sys.stdin)
f = [r['MaLoi'], r['MaDoiTac'], r['MaThamChieu'], r['ThoiGianGD']]
print('ok' if r['MaXacThuc'] == hashlib.sha256(('|'.join(f) + '|pay-secret').encode()).hexdigest() else 'bad')")"
paid=$(sqlite3 "$C" "select paid_at from c_payments")
check "the same callback again is answered" "$MOTCUA" --db "$A" portal pay-confirm --central "$CURL" --config "$T/p.conf" <"$T/good.json"
check_eq "... and changes nothing" "thanh-cong|$paid" "$(sqlite3 "$C" "select state, paid_at from c_payments")"
