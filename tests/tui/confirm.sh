#!/bin/sh
# confirm.sh - keys that cannot be undone ask first, at 80x24: c shows an online
# dossier's components and asks before accepting it, f names the department and asks
# before transferring, F8/^R discards a form only when pressed twice; Esc on any of
# these changes nothing.  The return form starts at "not rated" (no rating the
# applicant did not give); Esc from the withdraw form keeps the reason as a draft.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
printf 'leader passphrase\n' >"$T/pass"
mc --as leader1 key create --replace --passphrase-file "$T/pass" >/dev/null
recv() {
	at "$NOW" mc --as clerk1 receive --procedure 1.001074 --name "$1" --id "$2" --components all |
		sed -n 's/^received \([^:]*\):.*/\1/p'
}
uat() { start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as $1"; }
stage() { mc show "$1" | sed -n 's/^stage  *//p'; }
A=$(recv "Trần Văn Chuyển" 022123456781)     # accepted, to transfer
R=$(recv "Đỗ Thị Trả" 022123456782)          # result ready, to return
W=$(recv "Vũ Văn Rút" 022123456783)          # to withdraw
for c in "$R"; do
	at "$NOW" mc --as clerk1 transfer "$c" && at "$NOW" mc --as head_tm assign "$c" --to spec_tm1 &&
	at "$NOW" mc --as spec_tm1 propose "$c" --decision approve --note "Đạt" &&
	at "$NOW" mc --as leader1 sign "$c" --passphrase-file "$T/pass"
done >/dev/null
check_eq "R waits to be returned" "result ready, to return" "$(stage "$R")"

# ---- f: transfer asks first, naming the department ----
uat clerk1
expect "the clerk's queue" "Một cửa: tiếp nhận"
keys /; text "Tran Van Chuyen"; keys Enter
expect "search finds A" "Tìm thấy 1"
keys f
expect "f names the department and asks" "Chuyển hồ sơ này đến Phòng Quản lý Thương mại\\?"
keys Escape
expect "Esc goes back" "Tìm thấy 1"
check_eq "and transfers nothing" "accepted, to transfer" "$(stage "$A")"
keys f; expect "f asks again" "Chuyển hồ sơ này đến"
keys Enter
expect "Enter transfers it" "$A: Đang xử lý; hẹn trả"
check_eq "the store has it at the department" "at the department, to assign" "$(stage "$A")"

# ---- the return form: not rated by default ----
keys /; keys C-u; text "Do Thi Tra"; keys Enter
expect "search finds R" "Tìm thấy 1"
keys t
expect "the return form starts at not rated" "Đánh giá +< chưa đánh giá >"
check_nomatch "no rating is pre-selected" "rất hài lòng" "$(screen)"
keys C-o
expect "returned" "$R đã trả kết quả"
check_match "the store has no rating" '"rating": 0,' "$(mc --json show "$R")"
keys Enter
expect "the detail says not rated" "chưa đánh giá"
keys Escape

# ---- the withdraw form keeps its reason as a draft ----
keys /; keys C-u; text "Vu Van Rut"; keys Enter
expect "search finds W" "Tìm thấy 1"
keys w
expect "w opens the withdraw form" "Người nộp rút hồ sơ này"
text "Người nộp muốn bổ sung giấy tờ"
keys Escape
expect "Esc leaves the form" "Tìm thấy 1"
check_eq "nothing was withdrawn" "accepted, to transfer" "$(stage "$W")"
keys w
expect "the reason comes back" "Người nộp muốn bổ sung giấy tờ"
expect "and says so" "Đã khôi phục bản nháp"
keys C-o
expect "the withdrawal goes through with it" "THÔNG BÁO VỀ VIỆC RÚT HỒ SƠ"
check_match "the store keeps the reason" '"note": "Người nộp muốn bổ sung giấy tờ"' "$(mc --json show "$W")"
check_eq "and the draft is gone" "0" "$(sqlite3 "$DB" "SELECT count(*) FROM drafts")"
keys Escape

# ---- c: an online dossier's components shown before accepting ----
mc --db "$T/demo.db" demo --dossiers 100 >/dev/null 2>&1
start "env TZ=UTC-7 $MOTCUA --db $T/demo.db --as clerk1"
expect "home" "Hàng đợi công việc"
keys o
expect "the online intake" "Hồ sơ nộp trực tuyến chờ tiếp nhận"
O=$(screen | sed -n 's/^▶ \([0-9.A-Z]*-[0-9]*-[0-9]*\) .*/\1/p' | head -1)
keys c
expect "c lists the components filed" "Thành phần hồ sơ đã nộp \\(\\* bắt buộc\\):"
expect "with the required marker" "\\[.\\] \\* 1\\. "
expect "and asks" "Tiếp nhận hồ sơ này\\?"
keys Escape
expect "Esc goes back" "Hồ sơ nộp trực tuyến chờ tiếp nhận"
check_match "and accepts nothing" "stage +online, to accept" "$(mc --db "$T/demo.db" show "$O")"
keys c; expect "c asks again" "Tiếp nhận hồ sơ này\\?"
keys x
expect "a step letter does not start another step" "Tiếp nhận hồ sơ này\\?"
check_match "nor answer the question" "stage +online, to accept" "$(mc --db "$T/demo.db" show "$O")"
keys Enter
expect "Enter accepts" "$O: Được tiếp nhận; hẹn trả"
check_match "the store has it accepted" "stage +accepted" "$(mc --db "$T/demo.db" show "$O")"
echo "1..$n"
