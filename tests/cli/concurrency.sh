#!/bin/sh
# concurrency.sh - 8 processes receive, transfer and assign at once on one store:
# every code unique, nothing lost, no "database is locked" reaching a user; and two
# clerks transferring the same dossier at once: exactly one succeeds.
. "$ROOT/tests/lib.sh"
mc demo --dossiers 0 >/dev/null
N=12
worker() {
	w=$1
	i=0
	while [ $i -lt $N ]; do
		out=$(mc --as clerk$((w % 2 + 1)) receive --procedure 1.001037 --name "Khách $w-$i" --id 0221234567$((10 + w)) 2>>"$T/err.$w") || echo "FAIL receive $w $i" >>"$T/err.$w"
		code=$(printf '%s' "$out" | grep -o '000\.00\.17\.H45-[0-9]*-[0-9]*' | head -1)
		echo "$code" >>"$T/codes.$w"
		mc --as clerk1 transfer "$code" >/dev/null 2>>"$T/err.$w" || echo "FAIL transfer $code" >>"$T/err.$w"
		mc --as head_tm assign "$code" --to spec_tm$((i % 2 + 1)) >/dev/null 2>>"$T/err.$w" || echo "FAIL assign $code" >>"$T/err.$w"
		i=$((i + 1))
	done
}
for w in 1 2 3 4 5 6 7 8; do worker $w & done
wait
cat "$T"/codes.* >"$T/all"
check_eq "every receive returned a code" $((8 * N)) "$(grep -c . "$T/all")"
check_eq "all codes unique" $((8 * N)) "$(sort -u "$T/all" | grep -c .)"
check_eq "no error reached a user" "" "$(cat "$T"/err.*)"
check_eq "all dossiers stored and assigned" $((8 * N)) "$(sqlite3 "$DB" "select count(*) from dossiers where stage = 30")"
check_eq "three events each" $((24 * N)) "$(sqlite3 "$DB" "select count(*) from events")"
check_eq "integrity" ok "$(mc check | tail -1)"
# same dossier, two clerks at once
code=$(mc --as clerk1 receive --procedure 1.001037 --name "Hai người" --id 022123456700 | grep -o '000\.00\.17\.H45-[0-9]*-[0-9]*')
mc --as clerk1 transfer "$code" >"$T/a" 2>&1 & mc --as clerk2 transfer "$code" >"$T/b" 2>&1 & wait
check_eq "exactly one transfer succeeded" 1 "$(cat "$T/a" "$T/b" | grep -c '^transferred ')"
check_match "the other names who changed it" "last changed by clerk[12] at" "$(cat "$T/a" "$T/b")"
