#!/bin/sh
# charset.sh - 8-bit terminals: the UI converts its output and input at the terminal
# boundary.  tmux stays UTF-8, so the UI runs under `script`, whose typescript holds the
# exact bytes the UI wrote to its terminal: in a VISCII locale (built with localedef)
# they must be VISCII, never UTF-8; VISCII bytes typed in (send-keys -H) must reach
# the search as Vietnamese.  --charset CP1258 converts the same way; --charset ascii
# degrades to base letters and still follows resizes.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
command -v script >/dev/null 2>&1 || { ok "# SKIP script(1) is not installed"; exit 0; }
mc demo --dossiers 0 >/dev/null 2>&1
mc --as clerk1 receive --procedure 1.001074 --name "Nguyễn Văn Đức" --id 022123456789 --components all >/dev/null
mkdir -p "$T/loc"
localedef -i vi_VN -f VISCII "$T/loc/vi_VN.VISCII" >/dev/null 2>&1
TS=$T/typescript
# bytes of UTF-8 text $1 in charset $2
enc() { printf '%s' "$1" | iconv -f UTF-8 -t "$2"; }
# poll the typescript (up to 5 s) for the bytes of $1 in charset $2
ts_has() {
	pat=$(enc "$1" "$2")
	i=0
	while [ $i -lt 250 ]; do
		LC_ALL=C grep -a -q -F -e "$pat" "$TS" 2>/dev/null && return 0
		i=$((i + 1)); sleep 0.02
	done
	return 1
}

if [ "$(LOCPATH="$T/loc" LANG=vi_VN.VISCII locale charmap 2>/dev/null)" = VISCII ]; then
	start "env LOCPATH=$T/loc LANG=vi_VN.VISCII script -qfec '$MOTCUA --db $DB --as clerk1' $TS"
	check "VISCII locale: the user's name is written in VISCII" ts_has "Nguyễn Thị Lan" VISCII
	check "VISCII locale: the screen title in VISCII" ts_has "Hàng đợi công việc" VISCII
	utf8=$(LC_ALL=C grep -a -c -F -e "$(printf '\341\273\205')" "$TS")
	check_eq "VISCII locale: no UTF-8 byte sequence is sent (ễ = e1 bb 85)" 0 "$utf8"
	keys /
	check "the search screen opens" ts_has "Tìm:" VISCII
	# "Nguyễn Văn Đức" typed on a VISCII keyboard
	keys -H $(enc "Nguyễn Văn Đức" VISCII | od -An -tx1)
	keys Enter
	check "VISCII input reaches the search as Vietnamese: found" ts_has "Tìm thấy 1" VISCII
	check "and the result is drawn in VISCII" ts_has "Nguyễn Văn Đức" VISCII
	# Ẳ Ẵ Ẫ Ỷ Ỹ Ỵ sit on control bytes in VISCII (Ỷ is 0x14, ^T): there they are
	# letters, and Telex has another key
	keys /
	keys C-u
	keys -H $(enc "HUỲNH KỶ MỸ ẲẴẪỴ" VISCII | od -An -tx1)
	check "VISCII capitals on control bytes are letters (none lost, ^T does not toggle Telex)" ts_has "HUỲNH KỶ MỸ ẲẴẪỴ" VISCII
	check "the footer offers Telex on another key" ts_has "^V Telex" VISCII
else
	ok "# SKIP no VISCII locale could be built"
fi

rm -f "$TS"
start "script -qfec '$MOTCUA --db $DB --as clerk1 --charset CP1258' $TS"
check "--charset CP1258: the name in Windows-1258" ts_has "Nguyễn Thị Lan" CP1258
utf8=$(LC_ALL=C grep -a -c -F -e "$(printf '\341\273\205')" "$TS")
check_eq "--charset CP1258: no UTF-8 sent" 0 "$utf8"

ui -- --as clerk1 --charset ascii
expect "--charset ascii: text degrades to base letters" "Hang doi cong viec .*Nguyen Thi Lan"
check_nomatch "and no byte outside ASCII reaches the terminal" "[^ -~]" "$(screen)"
# the converter's pseudo-terminal follows the real terminal's size
tm resize-window -t 0 -x 100 -y 30
expect "a converted terminal resizes too (title spans 100 columns)" "^ motcua - Hang doi.{60,}H45"
check_match "and the footer is on row 30" "Tro giup" "$(screen | sed -n 30p)"
ui -- --as clerk1 --charset klingon
wait_exit
check_eq "an unknown charset is refused" 1 "$(ui_status)"
