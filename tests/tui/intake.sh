#!/bin/sh
# intake.sh - online intake: dossiers filed online wait at the one-stop; the clerk
# accepts one (c) and refuses another with a reason (x); the help screen lists the
# keys from the action table; the demo store lets you pick who you are.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
mc demo --dossiers 100 >/dev/null 2>&1
online() { sqlite3 "$DB" "SELECT count(*) FROM dossiers WHERE stage = 1"; }
n0=$(online)
check "the demo has dossiers filed online" test "$n0" -gt 1

ui -- --as clerk1
expect "home" "Hàng đợi công việc"
keys o
expect "the online intake lists them" "Hồ sơ nộp trực tuyến chờ tiếp nhận: $n0"
first=$(screen | sed -n 's/^▶ \([0-9.A-Z]*-[0-9]*-[0-9]*\) .*/\1/p' | head -1)
check_match "the first one is selected" "^000\." "$first"
keys c
expect "c shows the dossier's components first and asks" "Tiếp nhận hồ sơ này\\?"
keys Enter
expect "Enter accepts it (status line)" "$first: Được tiếp nhận; hẹn trả"
expect "the list shrinks" "chờ tiếp nhận: $((n0 - 1))"
check_match "the store has it accepted" "stage +accepted" "$(mc show "$first")"
second=$(screen | sed -n 's/^▶ \([0-9.A-Z]*-[0-9]*-[0-9]*\) .*/\1/p' | head -1)
keys x
expect "x asks the reason" "Từ chối hồ sơ này"
keys C-o
expect "a refusal without a reason is refused" "cần nhập lý do"
text "Hồ sơ không thuộc thẩm quyền"; keys C-o
expect "refused" "$second đã bị từ chối"
check_match "the store has it refused" "stage +refused" "$(mc show "$second")"
check_eq "two fewer online dossiers" $((n0 - 2)) "$(online)"

keys F1
expect "F1 opens the help generated from the key table" "F1, \?, \^G +Xem danh sách phím tắt"
expect "every action is there, e.g. Telex" "F6, \^T, \^V +Bật/tắt gõ Telex"
keys Escape Escape
expect "back home" "Hàng đợi công việc"

# the demo store offers a picker of its users (also to root, without --as)
ui
expect "the demo store asks who you are" "Kho dữ liệu mẫu: chọn người dùng"
expect "listing its users with their roles" "clerk2 +Trần Văn Hùng +cán bộ một cửa"
keys Down Enter
expect "the chosen user acts" "Trần Văn Hùng \(clerk2\)"
