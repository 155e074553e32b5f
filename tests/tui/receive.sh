#!/bin/sh
# receive.sh - the receive form's transfer is the core's one step: a transfer that
# cannot be made shows why and receives nothing (the form stays, nothing half-done);
# with the setting receive.transfer off the dossier stays at the one-stop.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
mc demo --dossiers 0 >/dev/null 2>&1
q() { sqlite3 "$DB" "$1"; }
fill() {
	keys n; text "dai ly ban le"; keys Enter
	expect "the form ($1)" "Họ tên"
	text "$1"; keys Tab
	text "022123456789"; keys Tab
	text "0912345678"; keys Tab
	text "Hạ Long"; keys Tab Tab
	keys Space Tab Space Tab Space
	expect "the components are ticked ($1)" "\[x\] +3\. "
	keys C-o
}

# the procedure names no department, and the office has several: no transfer is possible
q "update procedures set dept_id = NULL where code = '1.001074'"
ui -- --as clerk1
expect "home" "Hàng đợi công việc"
fill "Nguyễn Văn Lỗi"
expect "the failed transfer is shown on the status line" "competent department|[Pp]hòng"
check_nomatch "no slip: nothing was received" "GIẤY TIẾP NHẬN" "$(screen)"
check_eq "no dossier and no event in the store" "0 0" "$(q "select (select count(*) from dossiers) || ' ' || (select count(*) from events)")"
check_match "the form is still there" "Họ tên" "$(screen)"
check_match "the form is kept as a draft" "name=Nguyễn Văn Lỗi" "$(q "select data from drafts where account = 'clerk1'")"
keys C-c
wait_exit
q "delete from drafts"

q "update procedures set dept_id = 1 where code = '1.001074'"
q "insert into settings(key, value) values ('receive.transfer', 'off')"
ui -- --as clerk1
expect "home again" "Hàng đợi công việc"
fill "Trần Thị Ổn"
expect "received: the slip" "GIẤY TIẾP NHẬN HỒ SƠ"
check_nomatch "off: the slip names no department" "Đã chuyển đến" "$(screen)"
check_eq "off: the dossier waits at the one-stop" "10" "$(q "select stage from dossiers")"
