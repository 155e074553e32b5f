#!/bin/sh
# search.sh - search ignores case and diacritics (đ included), and Telex typing:
# `nguyen van duc` finds Nguyễn Văn Đức; with Telex on, "Nguyeenx" becomes Nguyễn;
# backspace (0x7F, 0x08, KEY_BACKSPACE) deletes one whole character; NFD input is
# composed (NFC) as it is typed.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
mc demo --dossiers 0 >/dev/null 2>&1
mc --as clerk1 receive --procedure 1.001074 --name "Nguyễn Văn Đức" --id 022123456789 --phone 0912345678 \
	--components all >/dev/null
mc --as clerk1 receive --procedure 1.001074 --name "Trần Thị Mai" --id 022123456780 --components all >/dev/null

ui -- --as clerk1
expect "home" "Hàng đợi công việc"
keys /
expect "the search screen opens" "Tìm:"
text "nguyen van duc"; keys Enter
expect "nguyen van duc finds one dossier" "Tìm thấy 1"
expect "it is Nguyễn Văn Đức" "Nguyễn Văn Đức"
check_nomatch "not the other applicant" "Trần Thị Mai" "$(screen)"
keys /; keys C-u; text "0912345678"; keys Enter
expect "the phone number finds it too" "Tìm thấy 1"

keys /; keys C-u
keys C-t
expect "the status line shows Telex on" "\[Telex bật\]"
text "Nguyeenx"
expect "Telex typing gives Nguyễn" "Tìm: +Nguyễn"
text " Vawn DDuwcs"
expect "Telex: Nguyễn Văn Đức" "Tìm: +Nguyễn Văn Đức"
keys Enter
expect "and it finds the dossier" "Tìm thấy 1"
keys /; keys BSpace
expect "backspace deletes one whole character (Đức -> Đứ)" "Tìm: +Nguyễn Văn Đứ *$"
keys -H 08
expect "so does ^H (0x08)" "Tìm: +Nguyễn Văn Đ *$"
keys -H 7f
expect "and DEL (0x7F)" "Tìm: +Nguyễn Văn *$"
keys C-t
expect "Telex off again" "Gõ Telex tắt"
keys C-u; text "Nguye"; keys -H cc 82 cc 83
expect "decomposed input (e + combining marks) is composed" "Tìm: +Nguyễ *$"
keys BSpace
expect "and deleted as one character" "Tìm: +Nguy *$"
