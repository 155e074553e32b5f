#!/bin/sh
# mapping.sh - each motcua stage maps to one national status: the table in README.md
# is the one motcua uses (`portal map`), every stage is in it once, and every status
# is one of the portal's ten.
. "$ROOT/tests/lib.sh"
readme=$(sed -n '/^| motcua stage | national status | portal label |$/,/^$/p' "$ROOT/README.md" | grep -v '^| motcua stage\|^| ---\|^$' |
	sed 's/^| //; s/ |$//; s/ | /	/g')
map=$("$MOTCUA" portal map)
check_eq "the README's table is the mapping motcua uses" "$map" "$readme"
check_eq "twelve stages and the fees owed, each once" 13 "$(printf '%s\n' "$map" | cut -f1 | sort -u | wc -l)"
check_eq "fees owed are status 6" "6" "$(printf '%s\n' "$map" | awk -F'\t' '$1 == "fees owed, to pay" { print $2 }')"
check_eq "every status is one of the portal's 1-10" "" "$(printf '%s\n' "$map" | cut -f2 | grep -vxE '[1-9]|10')"
check_eq "a finished dossier is 10, a refused one 3" "10 3" "$(printf '%s\n' "$map" | awk -F'\t' '$1 == "returned" || $1 == "refused" { printf "%s%s", s, $2; s = " " }')"
