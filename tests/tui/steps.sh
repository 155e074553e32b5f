#!/bin/sh
# steps.sh - the steps outside the normal flow, through the terminal UI at 80x24: the
# clerk withdraws a dossier at the applicant's request (a concurrent change meanwhile is
# refused as a conflict first), the leader stops one, the specialist proposes a new
# appointment for one and the leader issues it with the apology letter (form 04).  A role that may not take a
# step is not offered it in the footer, and its key only says why.  Each step is checked
# on the screen and in the store (motcua show).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
recv() {
	at "$NOW" mc --as clerk1 receive --procedure 1.001074 --name "$1" --id "$2" --components all |
		sed -n 's/^received \([^:]*\):.*/\1/p'
}
A=$(recv "Nguyễn Văn An" 022123456781)   # withdrawn at the one-stop
B=$(recv "Trần Thị Bình" 022123456782)   # stopped by the leader while waiting for signature
C=$(recv "Lê Văn Cường" 022123456783)    # extended by the specialist
check_match "three dossiers received" "^000\.00\.17\.H45-240320-[0-9]{4}$" "$C"
for c in "$B" "$C"; do
	at "$NOW" mc --as clerk1 transfer "$c" && at "$NOW" mc --as head_tm assign "$c" --to spec_tm1
done >/dev/null
at "$NOW" mc --as spec_tm1 propose "$B" --decision approve --note "Đủ điều kiện" >/dev/null
check_match "B waits for the signature" "stage +waiting for signature" "$(mc show "$B")"
# uat USER: the UI for USER with the clock of the test
uat() { start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as $1"; }
footer() { screen | tail -1; }

# ---- withdraw (clerk) ----
uat clerk1
expect "the clerk's queue lists the accepted dossier" "^▶ $A "
expect "the footer offers withdraw on it" "w Rút hồ sơ"
check_nomatch "but not stop or extend (leader's, specialist's)" "Dừng xử lý|Gia hạn" "$(footer)"
keys w
expect "w opens the withdraw form" "Người nộp rút hồ sơ này"
text "Người nộp xin rút để bổ sung giấy tờ khác"
# meanwhile another clerk's session transfers it: the form's version is now stale
at "$NOW" mc --as clerk1 transfer "$A" >/dev/null
keys C-o
expect "a concurrent change is a clear conflict on the status line" "Hồ sơ vừa được người khác thay đổi"
check_match "nothing was written over it" "stage +at the department" "$(mc show "$A")"
keys C-o
expect "after the reload the withdrawal goes through and the notice (form 05) is shown" "THÔNG BÁO VỀ VIỆC RÚT HỒ SƠ"
expect "the notice gives the reason" "Người nộp xin rút để bổ sung giấy tờ khác"
out=$(mc --json show "$A")
check_match "the store says withdrawn (status 7)" '"status": 7,' "$out"
check_match "the store keeps the reason" '"note": "Người nộp xin rút để bổ sung giấy tờ khác"' "$out"
keys Escape
keys /; text "nguyen van an"; keys Enter
expect "search finds it" "Tìm thấy 1"
keys Enter
expect "the detail screen says withdrawn, as the store" "^ $A +Công dân yêu cầu rút hồ sơ"
expect "and gives the reason, as the store" "Lý do: Người nộp xin rút để bổ sung giấy tờ khác"
expect "the withdrawal is on the process-control sheet" "rút hồ sơ +clerk1"
check_nomatch "a withdrawn dossier offers no step" "Rút hồ sơ|Dừng xử lý|Gia hạn" "$(footer)"
ver=$(mc --json show "$A" | sed -n 's/^  "version": \([0-9]*\),$/\1/p')
keys w
expect "w on it only says why" "không thể thực hiện bước .rút hồ sơ. với hồ sơ"
check_match "and changes nothing" "\"version\": $ver," "$(mc --json show "$A")"

# ---- stop (leader) ----
uat leader1
expect "the leader's queue lists the dossier to sign" "^▶ $B "
expect "the footer offers stop" "h Dừng xử lý"
check_nomatch "but not withdraw (the clerk's)" "Rút hồ sơ" "$(footer)"
check_match "and e, to issue an extension once one is proposed" "e Gia hạn" "$(footer)"
keys e
expect "nothing proposed for B: the form says so" "Hẹn trả đề xuất +chưa có đề xuất"
keys C-o
expect "and Confirm is refused with the reason" "no extension of dossier $B is waiting to be issued|hồ sơ $B không có đề xuất gia hạn"
keys Escape
keys h
expect "h opens the stop form" "Dừng xử lý hồ sơ này"
text "Người nộp đã qua đời"; keys Enter
expect "Enter on the reason confirms; the notice of stopping (form 05) is shown" "THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ"
out=$(mc --json show "$B")
check_match "the store says stopped (status 8)" '"status": 8,' "$out"
check_match "with the reason" '"note": "Người nộp đã qua đời"' "$out"
keys Escape
expect "back in the queue" "Chờ ký duyệt: 0 hồ sơ"
check_nomatch "the stopped dossier left the leader's queue" "$B" "$(screen)"

# ---- extend (specialist); a clerk is not offered it ----
due=$(mc show "$C" | sed -n 's/^due_at  *//p')
uat clerk1
keys /; text "le van cuong"; keys Enter
expect "search finds the dossier in processing" "Tìm thấy 1"
keys Enter
expect "its detail" "^ $C +Đang xử lý"
check_nomatch "the clerk is not offered extend" "Gia hạn" "$(footer)"
keys e
expect "e only says why" "clerk1 không được thực hiện bước .đề xuất gia hạn.: bước này cần vai trò"
check_match "and changes nothing" "due_at +$due" "$(mc show "$C")"

uat spec_tm1
expect "the specialist's queue lists it" "^▶ $C "
expect "the footer offers extend" "e Gia hạn"
check_nomatch "but not withdraw or stop" "Rút hồ sơ|Dừng xử lý" "$(footer)"
keys w
expect "w only says why" "spec_tm1 không được thực hiện bước .rút hồ sơ.: bước này cần vai"
check_match "and changes nothing" "stage +processing" "$(mc show "$C")"
keys e
expect "e opens the extend form with the current appointment" "Hẹn trả hiện tại +$due \(Thứ "
text "2024-03-23"
expect "an earlier date is refused as it is typed" "Thành +2024-03-23 17:00 \(Thứ Bảy\): phải sau hẹn cũ"
keys C-u; text "06/04/2024"
expect "a Saturday is not a working day" "Thành +2024-04-06 17:00 \(Thứ Bảy\): không phải ngày làm việc"
keys Tab; text "Cần xác minh thực tế tại cơ sở"; keys C-o
expect "confirming a date that is refused says so" "Hẹn trả mới: 2024-04-06 17:00 \(Thứ Bảy\): không phải"
check_match "and changes nothing" "due_at +$due" "$(mc show "$C")"
keys C-u; text "10/04/2024"
expect "a date means the end of that working day" "Thành +2024-04-10 17:00 \(Thứ Tư\) *$"
keys C-o
expect "proposed: the status line says the leader signs it" "$C: đề xuất hẹn trả 2024-04-10 17:00, chờ lãnh đạo ký"
check_match "the appointment does not move before the leader issues it" "due_at +$due" "$(mc show "$C")"
check_match "the specialist may not issue it" "may not take the step .issue an extension." "$(at "$NOW" mc --as spec_tm1 issue-extension "$C" 2>&1)"
expect "back in the queue" "^▶ $C "
keys q
wait_exit
# the leader issues it in the UI: e shows the proposal, Confirm issues it and form 04
uat leader1
keys /; text "le van cuong"; keys Enter
expect "the leader finds the dossier" "Tìm thấy 1"
keys Enter
expect "its detail" "^ $C +Đang xử lý"
expect "the footer offers the leader e" "e Gia hạn"
keys e
expect "e shows what to issue" "Ban hành phiếu xin lỗi và hẹn lại ngày trả kết quả theo đề xuất"
expect "with the proposed appointment" "Hẹn trả đề xuất +2024-04-10 17:00 \(Thứ Tư\)"
expect "and the proposal's reason" "Cần xác minh thực tế tại cơ sở"
keys C-o
expect "issued: the apology letter (form 04) is shown" "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
expect "the status line gives the new appointment" "$C: hẹn trả mới 2024-04-10 17:00; giao phiếu xin lỗi"
out=$(mc --json show "$C")
check_match "issued: the store has the new due date" '"due_at": "2024-04-10 17:00",' "$out"
check_match "the committed date is kept (timeliness is judged by it)" "\"committed_due_at\": \"$due\"," "$out"
check_match "the store marks the apology" '"apology": 1,' "$out"
f04=$(at "$NOW" mc form 04 "$C")
check_match "form 04 gives the new appointment" "17 giờ 00 phút, ngày 10/04/2024" "$f04"
check_match "and the reason" "Cần xác minh thực tế tại cơ sở" "$f04"
check_match "and is signed by the head of the agency" "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" "$f04"
keys Escape
keys q
wait_exit; check_eq "q leaves the UI (status 0)" 0 "$(ui_status)"
echo "1..$n"
