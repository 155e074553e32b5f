#!/bin/sh
# dashboard_tui.sh - the dashboard screen in tmux: the numbers, the drill-down (each number
# opens the dossiers behind it, oldest first; Enter opens a dossier; Back goes up), and
# the screen refreshing itself when another process changes the store, with no key pressed;
# a department head's dashboard holds only their department.
. "${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 300 --seed 4 >/dev/null 2>&1
q() { sqlite3 "$DB" "$1"; }
start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as super1"
expect "the UI starts" "super1"
keys d
expect "d opens the dashboard" "Hàng đợi hôm nay lúc 2024-03-20 10:0[0-9]: $(q "select count(*) from dossiers where stage < 90") hồ sơ đang mở"
n30=$(q "select count(*) from dossiers where stage = 30")
expect "the processing step shows its count" "Bước +Đang xử lý +$n30( |$)"
n10=$(q "select count(*) from dossiers where stage = 10")
expect "the accepted step shows its count" "Bước +Đã tiếp nhận, chờ chuyển phòng +$n10( |$)"
nod=$(q "select count(*) from dossiers where stage between 10 and 40 and orig_due_at > 0 and orig_due_at < strftime('%s', '$NOW') - 25200")
expect "overdue" "Hôm nay +Quá hạn +$nod( |$)"

# drill down: the 9th number is the processing step
for i in 1 2 3 4 5 6 7 8; do keys Down; done
keys Enter
expect "Enter opens the list behind the number" "Bước: Đang xử lý \($n30\)"
oldest=$(q "select code from dossiers where stage = 30 order by stage_since, id limit 1")
second=$(q "select code from dossiers where stage = 30 order by stage_since, id limit 1 offset 1")
expect "the oldest comes first" "^ *$oldest .*
 *$second "
keys Enter
expect "Enter opens the dossier" "^ $oldest +Đang xử lý"
keys Escape
expect "Back returns to the list" "Bước: Đang xử lý \($n30\)"
keys Escape
expect "Back again returns to the numbers" "Bước +Đang xử lý +$n30( |$)"

# another clerk transfers a dossier: the screen follows by itself
c=$(q "select code from dossiers where stage = 10 and received_at < strftime('%s', '$NOW') - 25200 order by id limit 1")
at "$NOW" mc --as clerk1 transfer "$c" >/dev/null
expect "the dashboard refreshes itself after a change (accepted -1)" "Bước +Đã tiếp nhận, chờ chuyển phòng +$((n10 - 1))( |$)"
n20=$(q "select count(*) from dossiers where stage = 20")
expect "and the department step +1" "Bước +Tại phòng, chờ phân công +$n20( |$)"

# the drill-down list follows too
keys Up
keys Enter
expect "the department step's list" "Bước: Tại phòng, chờ phân công \($n20\)"
c2=$(q "select code from dossiers where stage = 20 order by stage_since, id limit 1")
expect "lists the oldest at the department" "$c2"
at "$NOW" mc --as clerk1 withdraw "$c2" --reason "Người nộp rút hồ sơ" >/dev/null
expect "an open list shrinks by itself" "Bước: Tại phòng, chờ phân công \($((n20 - 1))\)"
check_nomatch "the withdrawn dossier left it" "$c2" "$(screen)"

# Tab: the statistics reports
keys Escape
expect "back to the numbers" "Hàng đợi hôm nay lúc"
keys Tab
# 20/03 is in the reporting regime's second quarter (15/03-14/06, Decree 09/2019 Art. 12)
expect "Tab opens this quarter's statistics" "Thống kê 2024-Q2, theo lĩnh vực"
expect "in the legal report's shape" "Bảng 1. Tiếp nhận và đã giải quyết"
expect "over the reporting regime's period" "từ 15/03/2024 đến 14/06/2024"
keys C-x
expect "Change goes one quarter back" "Thống kê 2024-Q1, theo lĩnh vực"
keys BTab
expect "Shift-Tab: by level" "Thống kê 2024-Q1, theo cấp"
expect "with the levels as rows" "^Cấp tỉnh "
keys BTab
expect "Shift-Tab again: form II.06a" "Thống kê 2024-Q1, mẫu II.06a theo cấp và lĩnh vực"
expect "in the form's shape" "Biểu số II.06a/VPCP/KSTT"
expect "levels numbered, fields under them" "^I   Cấp tỉnh "
keys BTab
expect "and back to by field" "Thống kê 2024-Q1, theo lĩnh vực"
keys Escape
expect "Back returns to the dashboard" "Hàng đợi hôm nay lúc"

keys q
wait_exit
check_eq "the UI ends cleanly" 0 "$(ui_status)"

# a department head's dashboard: only their department, named in the header (as the CLI)
tmid=$(q "select id from departments where code = 'TM'")
start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as head_tm"
expect "the head's UI starts" "head_tm"
keys d
expect "the head's dashboard counts the department's open dossiers" \
	"Hàng đợi hôm nay lúc 2024-03-20 10:0[0-9]: $(q "select count(*) from dossiers where stage < 90 and dept_id = $tmid") hồ sơ đang mở"
expect "and names the department" "^ *Phòng Quản lý Thương mại . Enter: "
h30=$(q "select count(*) from dossiers where stage = 30 and dept_id = $tmid")
expect "the department's processing count" "Bước +Đang xử lý +$h30( |$)"
check_nomatch "not the one-stop's steps" "Đã tiếp nhận, chờ chuyển" "$(screen)"
check_nomatch "not another department" "Phòng Quản lý Năng lượng" "$(screen)"
keys q
wait_exit
echo "1..$n"
