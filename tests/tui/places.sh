#!/bin/sh
# places.sh - the detail screen of a dossier received boundary-free shows its three
# places (received at, resolved by, result returned at) and the step that sent it on;
# one the centre resolves itself names the centre three times.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
A=000.00.17.H45; CM=000.31.29.H45
at "2025-07-01 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
mc --as admin office set $A --kind centre >/dev/null
mc --as admin office set $CM --kind commune >/dev/null
mc --as admin office resolves $CM 2.006365 >/dev/null
at "2025-07-10 09:00:00" mc --as clerk1 receive --procedure 2.006365 --name "Trần Thị Hai" --id 022123456782 --components all >/dev/null
at "2025-07-10 09:10:00" mc --as clerk1 receive --procedure 1.001037 --name "Lê Văn Cũ" --id 022123456783 --components all >/dev/null

ui -- --as clerk1
expect "home" "Hàng đợi công việc"
keys /; text "Trần Thị Hai"; keys Enter
expect "the search finds the routed dossier" "Tìm thấy 1"
keys Enter
expect "its detail shows the three places" "Nhận tại $A, giải quyết: $CM, trả tại $A"
check_match "and the step that sent it on" "chuyển tiếp" "$(screen)"
keys Escape
keys /; keys C-u; text "Lê Văn Cũ"; keys Enter
expect "the search finds the other" "Tìm thấy 1"
keys Enter
expect "its detail opens" "Lê Văn Cũ"
expect "a dossier the centre resolves itself stays here" "Nhận tại $A, giải quyết: $A, trả tại $A"
