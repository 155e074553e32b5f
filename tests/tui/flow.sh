#!/bin/sh
# flow.sh - a dossier's whole life through the terminal UI, each step by the user of
# that role: the clerk receives it (procedure found without diacritics, checklist,
# slip on screen), the department head assigns it, the specialist proposes, the
# leader signs with the digital signature, the clerk returns it.  A concurrent change
# made elsewhere meanwhile is refused as a conflict, never overwritten.  Each step is checked
# on the screen and in the store (motcua show).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
mc demo --dossiers 0 >/dev/null 2>&1
printf 'leader passphrase\n' >"$T/pass"
mc --as leader1 key create --replace --passphrase-file "$T/pass" >/dev/null

ui -- --as clerk1
expect "the clerk's home queue is in Vietnamese" "Một cửa: tiếp nhận"
keys n
expect "n opens the receive form's procedure picker" "thủ tục phù hợp"
text "dai ly ban le"
expect "the procedure is found without diacritics" "1\.001074 +Cấp Giấy xác nhận đủ điều kiện làm đại lý bán lẻ"
keys Enter
expect "the form shows the appointment date" "Hẹn trả +20[0-9-]+ [0-9:]+"
text "Nguyễn Văn Đức"; keys Tab
text "022123456789"; keys Tab
text "0912345678"; keys Tab
text "Số 1, phường Hồng Gai, Hạ Long"; keys Tab Tab
keys Space Tab Space Tab Space
expect "the components are ticked" "\[x\] +3\. "
keys C-o
expect "the slip is on the screen" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
expect "the slip names the department it went to" "Đã chuyển đến: Phòng Quản lý Thương mại"
code=$(screen | sed -n 's/.*Mã hồ sơ: \([^ ]*\).*/\1/p' | head -1)
check_match "a dossier code was issued" "^000\.00\.17\.H45-[0-9]{6}-[0-9]{4}$" "$code"
check_match "the store has it at the department" "stage +at the department" "$(mc show "$code")"

ui -- --as head_tm
expect "the head sees it in the department queue" "$code"
keys a
expect "the head picks among the department's specialists" "spec_tm1 +Lê Thị Mai"
# meanwhile another head's session assigns it: the screen's version is now stale
mc --as head_tm assign "$code" --to spec_tm2 >/dev/null
keys Enter
expect "a concurrent change is a clear conflict on the status line" "Hồ sơ vừa được người khác thay đổi"
check_match "nothing was written over it" "assignee +spec_tm2" "$(mc show "$code")"
keys Enter
expect "after the reload the head's choice goes through" "đã phân công cho spec_tm1"
check_match "the store says processing" "stage +processing" "$(mc show "$code")"

ui -- --as spec_tm1
expect "the specialist sees it" "$code"
keys p
expect "the process form opens" "Quyết định +< đề xuất chấp thuận >"
keys Tab; text "Đủ điều kiện cấp phép"; keys C-o
expect "proposed and sent to the signer" "đã trình lãnh đạo ký"
check_match "the store says signing" "stage +waiting for signature" "$(mc show "$code")"

ui -- --as leader1
expect "the leader sees it to sign" "$code"
keys k
expect "the sign form shows the proposal" "Đề xuất: chấp thuận"
keys Right
expect "the leader may send it back instead" "Quyết định +< trả lại chuyên viên >"
keys Tab; text "Đề nghị làm rõ căn cứ pháp lý"; keys C-o
expect "sent back with the reason" "đã trả lại chuyên viên"
check_match "the store has it back with the specialist" "stage +processing" "$(mc show "$code")"
ui -- --as spec_tm1
keys p
expect "the specialist proposes again" "Quyết định"
keys Tab; text "Đã bổ sung căn cứ pháp lý"; keys C-o
expect "proposed again" "đã trình lãnh đạo ký"
ui -- --as leader1
keys k
expect "the proposal is back with the leader" "Ghi chú: Đã bổ sung căn cứ pháp lý"
keys Tab; text "wrong passphrase"; keys C-o
expect "a wrong passphrase is refused on the status line" "sai mật khẩu khoá ký số của leader1"
keys C-u; text "leader passphrase"; keys C-o
expect "signed" "đã ký duyệt"
check "the digital signature verifies" mc verify "$code"

ui -- --as clerk1
expect "the result waits at the one-stop" "$code .*Đã xử lý xong"
keys t
expect "the return form proposes the applicant as collector" "Người nhận +Nguyễn Văn Đức"
keys Tab Right Right; keys C-o
expect "returned" "đã trả kết quả"
out=$(mc --json show "$code")
check_match "the store says returned, rating 4" '"rating": 4' "$out"
keys /; text "nguyen van duc"; keys Enter
expect "search finds it" "Tìm thấy 1"
keys Enter
expect "the detail screen shows the process-control sheet" "Phiếu kiểm soát quá trình"
expect "each hand-over is listed with its person" "ký duyệt +leader1"
keys q
wait_exit; check_eq "q leaves the UI (status 0)" 0 "$(ui_status)"
