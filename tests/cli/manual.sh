#!/bin/sh
# manual.sh - the manual cannot drift: it names every CLI command, its key list is
# the one generated from the UI's key table, and it renders without warnings.
. "$ROOT/tests/lib.sh"
cmds=$("$MOTCUA" --help | sed -n 's/^  \([a-z-]*\) .*/\1/p')
check_match "the CLI lists commands" "receive" "$cmds"
for c in $cmds; do
	if grep -q -- "fB$c\|^\.B $c" "$ROOT/motcua.1"; then ok "manual names '$c'"; else not_ok "manual does not name '$c'"; fi
done
if "$MOTCUA" keys --man >"$T/keys" 2>/dev/null; then
	sed -n '/BEGIN KEYS/,/END KEYS/p' "$ROOT/motcua.1" | sed '1d;$d' >"$T/inman"
	check "the manual's key list is the key table's (make man)" cmp -s "$T/keys" "$T/inman"
fi
if command -v man >/dev/null 2>&1; then
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$ROOT/motcua.1" 2>&1 >/dev/null)
	check_eq "man renders without warnings" "" "$w"
fi
