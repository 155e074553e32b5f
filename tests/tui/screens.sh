#!/bin/sh
# screens.sh - screens that must not mislead, at 80x24: a dossier the signer sent back
# reads as sent back with the reason (queue and detail), never as approved; the home
# queue keeps the rows above the cursor after a step removed one; the required
# marker stays on a long component name; the home queue's overdue count is the
# dashboard's; search says when its list stops at the limit; rows without an
# appointment keep the columns; a short name has no ellipsis, a cut text always has
# one; report table 2 keeps (18) and the satisfaction rate (19) apart.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
printf 'leader passphrase\n' >"$T/pass"
mc --as leader1 key create --replace --passphrase-file "$T/pass" >/dev/null
recv() { # recv TIME NAME ID [ARGS]
	t=$1 nm=$2 id=$3; shift 3
	at "$t" mc --as clerk1 receive --procedure 1.001074 --name "$nm" --id "$id" --components all "$@" |
		sed -n 's/^received \([^:]*\):.*/\1/p'
}
uat() { start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as $1"; }

# S: proposed for approval, sent back by the leader
S=$(recv "$NOW" "Phạm Văn Sơn" 022123456790)
at "$NOW" mc --as clerk1 transfer "$S" >/dev/null
at "$NOW" mc --as head_tm assign "$S" --to spec_tm1 >/dev/null
at "$NOW" mc --as spec_tm1 propose "$S" --decision approve --note "Đủ điều kiện" >/dev/null
at "$NOW" mc --as leader1 send-back "$S" --reason "Thiếu chữ ký trên đơn" >/dev/null
check_match "S is back with the specialist" "stage +processing" "$(mc show "$S")"
# P: proposed, waiting for the leader's signature
P=$(recv "$NOW" "Trịnh Văn Phú" 022123456793)
at "$NOW" mc --as clerk1 transfer "$P" >/dev/null
at "$NOW" mc --as head_tm assign "$P" --to spec_tm1 >/dev/null
at "$NOW" mc --as spec_tm1 propose "$P" --decision approve --note "Đạt" >/dev/null
# L: received in January, signed late: a result waiting to be returned (late, not overdue)
L=$(recv "2024-01-02 09:00:00" "Lê Thị Lan" 022123456791)
at "2024-01-02 09:00:00" mc --as clerk1 transfer "$L" >/dev/null
at "2024-01-02 09:00:00" mc --as head_tm assign "$L" --to spec_tm1 >/dev/null
at "2024-03-19 09:00:00" mc --as spec_tm1 propose "$L" --decision approve --note "Đạt" >/dev/null
at "2024-03-19 09:30:00" mc --as leader1 sign "$L" --passphrase-file "$T/pass" >/dev/null
# O: received in January and still at the department: overdue
O=$(recv "2024-01-03 09:00:00" "Hoàng Văn Ổn" 022123456792)
at "2024-01-03 09:00:00" mc --as clerk1 transfer "$O" >/dev/null
# fifteen dossiers waiting for the applicant to complete them (no appointment yet),
# in the clerk's queue after L
i=10
while [ $i -lt 25 ]; do
	recv "$NOW" "Ngô Thị Hà $i" 0221234567$i --outcome supplement --reason "Thiếu bản sao" >/dev/null
	i=$((i + 1))
done

# ---- sent back: the specialist's queue and the detail ----
uat spec_tm1
expect "the specialist's queue marks the dossier as sent back" "^▶ $S .*Bị trả lại"
expect "and says why under the list" "Người ký trả lại: Thiếu chữ ký trên đơn"
keys Enter
expect "the detail gives the leader's reason as a send-back" "Người ký trả lại: Thiếu chữ ký trên đơn"
check_nomatch "and never as an approval" "đồng ý\] Thiếu" "$(screen)"

# the same in English (a real en_US.UTF-8 locale, built for the test)
mkdir -p "$T/loc"
if localedef -i en_US -f UTF-8 "$T/loc/en_US.UTF-8" >/dev/null 2>&1 || [ -d "$T/loc/en_US.UTF-8" ]; then
	start "env LOCPATH=$T/loc LANG=en_US.UTF-8 TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as spec_tm1"
	expect "English: the queue marks it as sent back" "^▶ $S .*Sent back"
	expect "English: and says why" "Sent back by the signer: Thiếu chữ ký trên đơn"
	keys Enter
	expect "English: the detail too" "Sent back by the signer: Thiếu chữ ký trên đơn"
	check_nomatch "English: never as an approval" "\\[approve\\] Thiếu" "$(screen)"
else
	ok "# SKIP localedef en_US.UTF-8 unavailable"
fi

# ---- the overdue count: home queue and dashboard agree ----
dash=$(at "$NOW" mc dashboard)
check_match "the dashboard counts one overdue (O, not the late result L)" "overdue +1" "$dash"
uat super1
expect "the supervisor's queue counts the same one overdue" "Tất cả hồ sơ đang xử lý: 4 hồ sơ, 1 quá hạn"
uat clerk1
expect "the clerk's queue counts the late result as not overdue" "Một cửa: tiếp nhận, chuyển, bổ sung, trả kết quả: 16 hồ sơ, 0 quá hạn"

# ---- columns: rows with and without an appointment align; short names uncut ----
scr=$(screen)
# the status column starts at the same column (48) in a row with an appointment (L,
# under the cursor) and in one without
stcol() { printf '%s\n' "$scr" | grep -- "$1" | sed 's/^▶/ /' | awk '{print (substr($0, 47, 1) == " " && substr($0, 48, 1) != " ")}'; }
check_eq "a row with an appointment has its status at column 48" 1 "$(stcol "$L")"
check_eq "a row without one too" 1 "$(stcol "Ngô Thị Hà 11")"
check_nomatch "a short name gets no ellipsis" "Ngô Thị Hà[^…]*…" "$(printf '%s\n' "$scr" | grep -- "Ngô Thị Hà")"

# ---- the rows above the cursor stay after x on a row further down ----
i=0; while [ $i -lt 12 ]; do keys Down; i=$((i + 1)); done
expect "the cursor is on a row further down" "^▶ .*Ngô Thị Hà 21"
keys x
expect "x opens the refusal form" "Từ chối"
text "Hồ sơ không thuộc thẩm quyền"; keys C-o
expect "the queue now has 15" "trả kết quả: 15 hồ sơ"
expect "the first row is still shown" "^  $L "
check_match "every row of the queue is on the screen" "^15$" "$(screen | grep -cE '^(▶| ) +000\.00\.17')"

# ---- the required marker on a long component name ----
keys n
expect "the procedure picker opens" "thủ tục phù hợp"
text "1.001111"; keys Enter
expect "the required marker leads a long component name" "\* 3\. Bản sao quyết định phê duyệt báo cáo đánh giá"
check_match "and the cut name ends with an ellipsis" "\* 3\. Bản sao .*…" "$(screen)"
keys C-r C-r

# ---- a cut label always ends with an ellipsis (detail of a long address) ----
LA=$(recv "$NOW" "Đinh Văn Dài" 022123456799 --phone 0912345678 --address "Số 123, đường Nguyễn Văn Linh, phường Phúc Đồng, quận Long Biên, thành phố Hà Nội")
keys /; text "$LA"; keys Enter
expect "search finds it" "Tìm thấy 1"
keys Enter
expect "the long address line is cut with an ellipsis" "Địa chỉ: Số 123, .*…"
expect "the phone is whole on its own line" "số giấy tờ 022123456799, điện thoại 0912345678\$"

# ---- a form's labels are not cut: the label column fits the widest ----
uat leader1
expect "the leader's queue" "^▶ $P "
keys k
expect "the passphrase label is whole" "Mật khẩu khoá ký( |$)"
check_nomatch "never cut" "Mật khẩu khoá k…|Mật khẩu khoá k " "$(screen)"
keys Escape

# ---- search says when it stops at its limit (a demo store of 8,000 dossiers) ----
DB2=$T/demo.db
mc --db "$DB2" demo --dossiers 8000 >/dev/null 2>&1
start "env TZ=UTC-7 $MOTCUA --db $DB2 --as clerk1"
expect "the demo store opens" "Một cửa: tiếp nhận"
keys /; text "nguyen"; keys Enter
expect "search says the list stops at 200" "Tìm thấy hơn 200: hiển thị 200 đầu tiên"
keys /; keys C-u; text "$(mc --db "$DB2" search nguyen | head -1 | cut -d' ' -f1)"; keys Enter
expect "a search under the limit says how many" "Tìm thấy 1\b"

# ---- report table 2: the last count (18) and the satisfaction rate (19) never run together ----
mc --db "$T/small.db" demo --dossiers 1000 >/dev/null 2>&1
rep=$("$MOTCUA" --db "$T/small.db" report stats --period 2024-Q1)
check_match "a satisfaction of 100,0 stands apart from (18)" " [0-9]+ +100,0$" "$rep"
check_nomatch "no count runs into the rate" "[0-9]100,0" "$rep"
check_match "the heading keeps (18) and (19) apart" "\(18\) +\(19\)" "$rep"
echo "1..$n"
