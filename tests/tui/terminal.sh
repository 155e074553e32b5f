#!/bin/sh
# terminal.sh - the terminal side: resize to 100x30 and back, "terminal too small"
# below 80x24, TERM=vt100 monochrome (no colour sent), NO_COLOR, LANG=C still gets a
# working UTF-8 screen in Vietnamese, English when the locale asks for it, the arrow
# cursor, and an applicant named with escape sequences leaves the pane title and the
# screen intact.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
mc demo --dossiers 0 >/dev/null 2>&1
mc --as clerk1 receive --procedure 1.001074 --name "Phạm Evil" --id 022123456789 --components all >/dev/null
# untrusted text that reached the store from elsewhere (an import, a sync): OSC title + clear screen
esc=$(printf '\033')
bel=$(printf '\007')
sqlite3 "$DB" "UPDATE dossiers SET applicant_name = 'Phạm ' || char(27) || ']0;x' || char(7) || char(27) || '[2J Evil'" 2>/dev/null ||
	not_ok "sqlite3 could not plant the escape sequence"

ui -- --as clerk1
expect "home at 80x24" "Hàng đợi công việc"
title0=$(tm display -p -t 0 '#{pane_title}')
expect "the planted name is shown visibly escaped" 'Phạm \\x1b\]0;x\\x0'
check_eq "the pane title was not changed by the name" "$title0" "$(tm display -p -t 0 '#{pane_title}')"
expect "the screen was not cleared: the title and footer are still there" "Trợ giúp q Thoát"
check_match "the title bar too" "motcua · Hàng đợi" "$(screen | head -1)"
keys Enter
expect "the detail screen shows it escaped too" 'Người nộp: Phạm \\x1b'
check_eq "the pane title is still intact" "$title0" "$(tm display -p -t 0 '#{pane_title}')"
keys Escape
expect "Esc goes back to the queue" "motcua · Hàng đợi"

tm resize-window -t 0 -x 100 -y 30
expect "after a resize to 100x30 the footer is on row 30" "^.{0,3}Trợ giúp"
rows=$(screen | wc -l)
check_eq "the screen has 30 rows" 30 "$rows"
last=$(screen | sed -n 30p)
check_match "the footer moved to the last row" "Thoát" "$last"
title=$(screen | sed -n 1p)
check_match "the title bar spans 100 columns (user at the right edge)" "^.{80,}000\.00\.17\.H45" "$title"
tm resize-window -t 0 -x 70 -y 20
expect "below 80x24: terminal too small" "cửa sổ quá nhỏ \(cần 80x24, hiện 70x20\)"
tm resize-window -t 0 -x 80 -y 24
expect "back at 80x24 the queue is drawn again" "Một cửa: tiếp nhận"
check_eq "24 rows" 24 "$(screen | wc -l)"

# the arrow cursor (default) marks the row; F7 / A toggles the full-row highlight
expect "the arrow cursor marks the row" "^▶ 000\.00\.17"
keys A
expect "A switches to the highlighted row" "^  000\.00\.17"
check_match "drawn highlighted (selection colours)" '\[30m.\[47m  000\.00\.17' "$(tm capture-pane -p -e -t 0)"
keys A
expect "and back to the arrow" "^▶ 000\.00\.17"

# TERM=vt100: monochrome, ASCII line drawing
ui TERM=vt100 -- --as clerk1
expect "vt100: the screen works" "Hàng đợi công việc"
colours=$(tm capture-pane -p -e -t 0 | grep -c '\[3[0-7]m\|\[4[0-7]m\|\[3[0-7];\|;3[0-7]m\|38;5')
check_eq "vt100: no colour is sent" 0 "$colours"
check_match "vt100: highlight is reverse video" '\[7m' "$(tm capture-pane -p -e -t 0)"
check_match "vt100: ASCII markers (no Unicode bullet)" "^ motcua - " "$(screen | head -1)"
ui NO_COLOR=1 -- --as clerk1
expect "NO_COLOR: the screen works" "Hàng đợi công việc"
colours=$(tm capture-pane -p -e -t 0 | grep -c '\[3[0-7]m\|\[4[0-7]m\|\[3[0-7];\|;3[0-7]m\|38;5')
check_eq "NO_COLOR: no colour is sent" 0 "$colours"
ui -- --as clerk1
expect "with colour" "Hàng đợi công việc"
colours=$(tm capture-pane -p -e -t 0 | grep -c '\[3[0-7]m\|\[4[0-7]m\|\[3[0-7];\|;3[0-7]m\|38;5\|\[4[0-7];')
check "colour terminals get colour" test "$colours" -gt 0

# LANG=C (as many SSH clients send): still a UTF-8 screen, in Vietnamese
ui LANG=C -- --as clerk1
expect "LANG=C: Vietnamese with diacritics" "Hàng đợi công việc .*Nguyễn Thị Lan"
# English when the locale asks for it (a real en_US.UTF-8 locale, built for the test)
mkdir -p "$T/loc"
if localedef -i en_US -f UTF-8 "$T/loc/en_US.UTF-8" >/dev/null 2>&1 || [ -d "$T/loc/en_US.UTF-8" ]; then
	ui LOCPATH="$T/loc" LANG=en_US.UTF-8 -- --as clerk1
	expect "LANG=en_US.UTF-8: English" "Work queue .*Nguyễn Thị Lan"
	expect "English footer from the key table" "\? Help .*q Quit"
	ui LOCPATH="$T/loc" LANG=en_US.UTF-8 LANGUAGE=vi -- --as clerk1
	expect "LANGUAGE=vi wins over LANG=en" "Hàng đợi công việc"
else
	ok "# SKIP localedef en_US.UTF-8 unavailable"
fi
# PuTTY's default function keys: F1-F4 send ESC [ 11~ ... ESC [ 14~
ui -- --as clerk1
expect "home again" "Hàng đợi công việc"
keys -H 1b 5b 31 31 7e
expect "PuTTY's F1 opens the help" "Xem danh sách phím tắt"
keys -H 1b 5b 31 33 7e
expect "PuTTY's F3 goes back" "Hàng đợi công việc"
keys -H 1b 5b 31 34 7e
expect "PuTTY's F4 opens the receive form" "thủ tục phù hợp"
keys Escape
expect "back home" "Hàng đợi công việc"
keys q
wait_exit; check_eq "q quits (status 0)" 0 "$(ui_status)"
