#!/bin/sh
# digital_tui.sh - the report screen at 80x24 has the Decision 766 digitisation
# indicators after the catalog (Tab): this calendar quarter's counts and rates per field
# and in total, in Vietnamese, with the formulas below; Change goes a quarter back.
. "${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
codeof() { grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1; }
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/a.pdf"
printf '%%PDF-1.4\n2 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/b.pdf"
d1=$(at "2024-03-11 09:00:00" mc --as clerk1 receive --procedure 1.001037 --id 022123456789 --name "Nguyễn Văn An" --components all | codeof)
at "2024-03-11 09:05:00" mc --as clerk1 attach "$d1" --component 1 "$T/a.pdf" >/dev/null
at "2024-03-11 09:05:00" mc --as clerk1 attach "$d1" --component 2 "$T/b.pdf" >/dev/null
at "2024-03-12 09:00:00" mc --as clerk1 receive --procedure 1.001037 --id 022999999999 --name "Trần Thị Bình" --components all >/dev/null

start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as super1"
expect "the UI starts" "super1"
keys d
expect "the dashboard" "Hàng đợi hôm nay lúc"
keys Tab
expect "Tab opens the statistics" "Thống kê 2024-Q2"
keys Tab Tab Tab
expect "after the catalog: the digitisation indicators of this calendar quarter" "Chỉ số số hóa 2024-Q1"
expect "the report's title in Vietnamese" "CHỈ SỐ SỐ HÓA HỒ SƠ \(Quyết định 766/QĐ-TTg, nhóm 4\)"
expect "the field's row: 2 received, 1 digitised" "^XD Xăng dầu +2 +0 +0\.00% +1 +50\.00% +0 +0\.00%"
expect "the total" "^Tổng cộng +2 +0 +0\.00% +1 +50\.00% +0 +0\.00%"
keys PageDown
expect "the formulas below" "4\.2 Hồ sơ thực hiện số hóa: \(5\) = \(4\) / \(1\) x 100%"
keys C-x
expect "Change: the quarter before" "Chỉ số số hóa 2023-Q4"
expect "nothing was received then" "^Tổng cộng +0 +0 +- +0 +- +0 +-"
keys Escape
expect "back to the dashboard" "Hàng đợi hôm nay lúc"
keys q
wait_exit
check_eq "the UI ends cleanly" 0 "$(ui_status)"
echo "1..$n"
