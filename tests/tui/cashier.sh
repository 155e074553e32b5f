#!/bin/sh
# cashier.sh - the cashier's view at 80x24, in Vietnamese: v lists the dossiers
# awaiting payment with what each owes; r records a payment (cash, then the rest by
# bank transfer, which needs its reference) with its numbered receipt; i prints the
# receipt through lpr; the dossier leaves the list once paid.  A leader refunds part of
# a payment from the dossier's detail (z): the form offers the last receipt, wants a
# reason; a clerk may not refund.  Footer and help come from the action table.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-11 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
mc fee set 1.001037 --line "le_phi:50000:Lệ phí cấp giấy" --line "phi:20000:Phí thẩm định" >/dev/null
code=$(at "$NOW" mc --as clerk1 receive --procedure 1.001037 --name "Nguyễn Văn Đức" --id 022123456789 --components all |
	sed -n 's/^received \([^:]*\):.*/\1/p')
mkdir -p "$T/bin"
cat >"$T/bin/lpr" <<LPR
#!/bin/sh
echo "\$*" >>"$T/lpr.args"
cat >>"$T/lpr.out"
LPR
chmod +x "$T/bin/lpr"
uat() { start "env PATH=$T/bin:$PATH PRINTER=quay-thu-phi HOME=$T TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as $1"; }
q() { sqlite3 "$DB" "$1"; }

uat clerk1
expect "home" "Hàng đợi công việc"
keys v
expect "v opens the cashier's view" "Hồ sơ chờ nộp phí, lệ phí: 1"
expect "with the dossier and what it owes" "$code +70000 +70000 +Nguyễn Văn Đức"
expect "its footer: pay, print, refund" "r Thu tiền.*i In.*z Hoàn trả"
keys r
expect "r opens the payment form" "Ghi nhận thu phí, lệ phí"
expect "what is owed" "Còn nợ: 70000 đồng trên 70000"
expect "the amount offered is what is owed" "Số tiền \\(đồng\\) +70000"
keys Tab C-u; text "30000"; keys C-o
expect "paid in cash: receipt 1" "Đã thu 30000 đồng, biên lai 000.00.17.H45-BL2024-000001"
expect "the list shows what is left" "$code +40000 +70000"
check_eq "one fee_paid event, status still 6" "1|6" "$(q "select count(*) from events where kind = 'fee_paid'")|$(q "select status from dossiers where code = '$code'")"
keys i
expect "i prints the receipt" "(In|in|Đã gửi)"
i=0; while [ ! -s "$T/lpr.out" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check_match "lpr got the receipt (biên lai) with its number" "BIÊN LAI THU PHÍ, LỆ PHÍ" "$(cat "$T/lpr.out" 2>/dev/null)"
check_match "... for the configured printer" "-P quay-thu-phi" "$(cat "$T/lpr.args" 2>/dev/null)"
keys r
expect "the form again" "Còn nợ: 40000 đồng"
keys Right
expect "the method changes to bank transfer" "< chuyển khoản >"
keys Tab Tab C-o
expect "a transfer without its reference is refused" "mã tham chiếu"
text "VCB-778"; keys C-o
expect "paid by transfer: receipt 2" "Đã thu 40000 đồng, biên lai 000.00.17.H45-BL2024-000002"
expect "nothing is owed any more" "Không có hồ sơ nào còn nợ phí, lệ phí."
check_eq "paid: status 2" 2 "$(q "select status from dossiers where code = '$code'")"
check_eq "the transfer's reference is in the event" "VCB-778" "$(q "select json_extract(payload, '$.ref') from events where kind = 'fee_paid' order by seq desc limit 1")"
keys '?'
for p in 1 2 3; do wait_for "v, \\$ +Thu phí: hồ sơ chờ" && break; keys NPage; done
expect "the help lists the cashier from the action table" "v, \\$ +Thu phí: hồ sơ chờ nộp phí"
for p in 1 2 3; do wait_for "r, \\+ +Ghi nhận thu phí" && break; keys NPage; done
expect "... and its keys" "r, \\+ +Ghi nhận thu phí, lệ phí"
keys Escape Escape

# a clerk may not refund: the core refuses
keys /; text "$code"; keys Enter Enter
expect "the dossier's detail" "$code"
keys z
expect "the refund form" "Hoàn trả phí, lệ phí"
keys Tab; text "1000"; keys Tab; text "thử"; keys C-o
expect "a clerk is refused" "không được hoàn trả phí, lệ phí"
check_eq "no refund written" 0 "$(q "select count(*) from events where kind = 'fee_refunded'")"

uat leader1
expect "home" "Hàng đợi công việc"
keys /; text "$code"; keys Enter Enter
expect "the leader sees the dossier" "$code"
expect "its detail shows the fees" "Phí, lệ phí 70000 đồng: đã nộp 70000, đã hoàn trả 0, còn nợ 0"
expect "... and each payment with its receipt" "đã nộp 40000 \\(chuyển khoản\\) +000.00.17.H45-BL2024-000002"
expect "with Refund in its footer" "z Hoàn trả"
keys z
expect "the refund form offers the last receipt" "Số biên lai +000.00.17.H45-BL2024-000002"
keys Tab; text "10000"; keys C-o
expect "a refund needs a reason" "cần có lý do"
keys Tab; text "Thu thừa"; keys C-o
expect "refunded, with its own receipt 3" "Đã hoàn trả 10000 đồng, biên lai 000.00.17.H45-BL2024-000003"
check_eq "the refund event names the payment and the reason" "000.00.17.H45-BL2024-000002|Thu thừa" \
	"$(q "select json_extract(payload, '$.refund_of') || '|' || json_extract(payload, '$.reason') from events where kind = 'fee_refunded'")"
keys q

# an online payment: recorded only once central holds it as paid by the platform
mc central init --central "sqlite:$T/c.db" >/dev/null 2>&1
q "insert into settings(key, value) values ('central.url', 'sqlite:$T/c.db') on conflict(key) do update set value = excluded.value"
c2=$(at "$NOW" mc --as clerk1 receive --procedure 1.001037 --name "Trần Văn Ba" --id 022123456781 --components all |
	sed -n 's/^received \([^:]*\):.*/\1/p')
sqlite3 "$T/c.db" "insert into c_payments(ref, code, amount, state, created_at) values ('dvcREF1', '$c2', 70000, 'khoi-tao', 0)"
uat clerk1
expect "home" "Hàng đợi công việc"
keys v
expect "the new dossier awaits payment" "$c2 +70000"
keys r
expect "the payment form" "Ghi nhận thu phí, lệ phí"
keys Right Right
expect "online payment" "< thanh toán trực tuyến >"
keys Tab Tab; text "dvcREF1"; keys C-o
expect "not yet confirmed by the platform: refused" "chưa được nền tảng thanh toán xác nhận"
sqlite3 "$T/c.db" "update c_payments set state = 'thanh-cong' where ref = 'dvcREF1'"
keys C-o
expect "confirmed: recorded for the platform's amount" "Đã thu 70000 đồng, biên lai dvcREF1"
check_eq "an online fee_paid event with the platform's reference" "online|dvcREF1|" \
	"$(q "select json_extract(payload, '$.method') || '|' || json_extract(payload, '$.ref') || '|' || json_extract(payload, '$.receipt') from events where kind = 'fee_paid' and dossier_code = '$c2'")"
keys q
