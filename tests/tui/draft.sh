#!/bin/sh
# draft.sh - never lose work: a half-filled receive form survives SIGHUP (an SSH
# drop) and SIGTERM as a draft, is offered on the next start and comes back filled;
# it is saved while the keyboard rests; the UI ends (does not spin) when its terminal
# disappears; discarding or receiving drops the draft.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
mc demo --dossiers 0 >/dev/null 2>&1
drafts() { sqlite3 "$DB" "SELECT data FROM drafts WHERE account = 'clerk1' AND form = 'receive'" 2>/dev/null; }
# poll the store for up to 5 s until the draft matches
draft_has() {
	i=0
	while [ $i -lt 250 ]; do drafts | grep -q -- "$1" && return 0; i=$((i + 1)); sleep 0.02; done
	return 1
}

ui -- --as clerk1
expect "home" "Hàng đợi công việc"
keys n; text "dai ly ban le"; keys Enter
expect "the form" "Họ tên"
text "Lê Văn Nháp"; keys Tab; text "0221234"
check "the draft is saved once the keyboard rests" draft_has "idno=0221234"
text "56"
pid=$(ui_pid)
kill -HUP "$pid"
wait_exit
check "SIGHUP ends the UI" ui_exited
check_eq "cleanly (exit status 0)" 0 "$(ui_status)"
check "the draft holds what was typed before the drop" draft_has "idno=022123456$"
check_match "and the applicant" "name=Lê Văn Nháp" "$(drafts)"
check "the store is intact" mc check

ui -- --as clerk1
expect "the draft is offered on the next start" "bản nháp"
keys n
expect "the form comes back filled" "Họ tên +Lê Văn Nháp"
expect "with the ID as typed" "Số CCCD / MST +022123456 *$"
expect "the restore is announced" "Đã khôi phục bản nháp"
text "789"
kill -TERM "$(ui_pid)"
wait_exit
check "SIGTERM ends the UI" ui_exited
check "SIGTERM keeps the draft too" draft_has "idno=022123456789"

ui -- --as clerk1
keys n
expect "restored again" "Số CCCD / MST +022123456789"
keys Tab Tab Tab Tab Space Tab Space Tab Space
keys C-o
expect "received" "GIẤY TIẾP NHẬN HỒ SƠ"
check_eq "receiving drops the draft" "" "$(drafts)"

# the terminal disappears (tmux killed: hang-up, then read errors): the UI must end
ui -- --as clerk1
keys n; text "dai ly"; keys Enter
expect "a new form" "Họ tên"
text "Phan Văn Mất"
pid=$(ui_pid)
tm kill-server
i=0; while [ $i -lt 250 ] && kill -0 "$pid" 2>/dev/null; do i=$((i + 1)); sleep 0.02; done
check_fails "the UI process ended with its terminal (no spinning)" kill -0 "$pid"
check "its draft was kept" draft_has "name=Phan Văn Mất"

ui -- --as clerk1
keys n
expect "offered" "Phan Văn Mất"
keys C-r
expect "a first ^R only asks" "Nhấn F8 hoặc \\^R lần nữa để huỷ"
check "and keeps the draft" draft_has "name=Phan Văn Mất"
keys C-r
expect "discarded" "Đã huỷ biểu mẫu"
check_eq "discard drops the draft" "" "$(drafts)"
