#!/bin/sh
# reuse.sh - the receive form at 80x24 offers the applicant's earlier scans: leaving
# the ID number lists one checkbox per component that an earlier dossier's file fits
# (by the component's name), unticked; the ticked one is reused in the receipt's
# transaction, its component counts as received, and no bytes are stored again.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
q() { sqlite3 "$DB" "$1"; }
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
c1=$(at "$NOW" mc --as clerk1 receive --procedure 1.001074 --id 022123456789 --components all --name "Nguyễn Văn An" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/ban-ke.pdf"
at "$NOW" mc --as clerk1 attach "$c1" --component 2 "$T/ban-ke.pdf" >/dev/null
files=$(q "select count(*) from files")

start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as clerk1"
expect "home" "Hàng đợi công việc"
keys n; text "1.001259"; keys Enter
expect "the form" "Họ tên"
text "Nguyễn Văn An"; keys Tab
text "022123456789"; keys Tab
expect "leaving the ID number offers the earlier scans" "Bản quét trước đây của người nộp khớp 1 thành phần"
# channel, components 1-4, outcome: tick 1, 2 and 4; 3 is reused
keys Tab Tab Tab Space Tab Space Tab Tab Space Tab Tab
expect "the offer is a checkbox at the end of the form" "\[ \] +Dùng lại cho 3: ban-ke\.pdf từ hồ sơ"
keys Space
expect "ticked" "\[x\] +Dùng lại cho 3"
keys C-o
expect "received: the slip" "GIẤY TIẾP NHẬN HỒ SƠ"
expect "component 3 is on the slip as received, an earlier scan reused" "3\. Bản kê cơ sở vật chất, trang thiết bị \(dùng lại bản quét trước đây\)"
c2=$(q "select code from dossiers where code <> '$c1'")
check_eq "all four components count as received" 15 "$(q "select components from dossiers where code = '$c2'")"
check_match "the reuse is an attached event naming the earlier dossier" "\"reused\":\\{\"dossier\":\"$c1\"" \
	"$(q "select payload from events where dossier_code = '$c2' and kind = 'attached'")"
check_eq "no bytes stored again" "$files" "$(q "select count(*) from files")"
keys Enter
expect "back home" "Hàng đợi công việc"
keys /; text "$c2"; keys Enter
expect "the search finds the new dossier" "Tìm thấy 1"
keys Enter
expect "its detail lists the reused file" "3 +ban-ke\.pdf +application/pdf"
expect "marked as reused from the earlier dossier" "dùng lại từ hồ sơ $c1"
keys q
echo "1..$n"
