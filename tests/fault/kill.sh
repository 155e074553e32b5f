#!/bin/sh
# kill.sh - kill -9 of writers at random moments, many times, with 8 concurrent
# writers: the store stays intact, every step a writer saw confirmed is there, and no
# dossier is half-made (its row always matches its events).
. "$ROOT/tests/lib.sh"
MOTCUA=$ROOT/motcua   # the plain binary: many short processes
mc demo --dossiers 0 >/dev/null
end=$(($(date +%s) + 12))
writer() {
	w=$1; i=0
	while [ "$(date +%s)" -lt $end ]; do
		i=$((i + 1))
		# a confirmed receive prints the code; only then is it logged
		out=$(mc --as clerk1 receive --procedure 1.001037 --name "Người $w $i" --id 0221234567$((10 + w)) 2>/dev/null) &&
			echo "$out" | grep -o '000\.00\.17\.H45-[0-9]*-[0-9]*' >>"$T/ok.$w"
		code=$(tail -n 1 "$T/ok.$w" 2>/dev/null)
		[ -n "$code" ] && mc --as clerk1 transfer "$code" >/dev/null 2>&1 && echo "$code" >>"$T/tr.$w"
	done
}
killer() {
	k=0
	while [ "$(date +%s)" -lt $end ]; do
		pid=$(pgrep -f "motcua --db $DB --as clerk1" | shuf -n 1 2>/dev/null)
		[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && k=$((k + 1))
		sleep 0.0$(shuf -i 1-9 -n 1)
	done
	echo $k >"$T/kills"
}
for w in 1 2 3 4 5 6 7 8; do writer $w & done
killer &
wait
kills=$(cat "$T/kills")
check_match "writers were killed many times ($kills)" '^[1-9][0-9]+$' "$kills"
check_eq "integrity_check" ok "$(sqlite3 "$DB" 'pragma integrity_check')"
cat "$T"/ok.* 2>/dev/null | sort -u >"$T/confirmed"
sqlite3 "$DB" "select code from dossiers" | sort >"$T/stored"
check_eq "every confirmed receipt is stored" "" "$(comm -23 "$T/confirmed" "$T/stored")"
check_match "work was confirmed" '^[1-9][0-9]*$' "$(grep -c . "$T/confirmed")"
cat "$T"/tr.* 2>/dev/null | sort -u >"$T/transferred"
check_eq "every confirmed transfer is stored" "" "$(comm -23 "$T/transferred" "$(sqlite3 "$DB" "select code from dossiers where stage = 20" | sort >"$T/st20"; echo "$T/st20")")"
check_eq "no half-made dossier (row version = its events)" 0 "$(sqlite3 "$DB" "select count(*) from dossiers d where version != (select count(*) from events e where e.dossier_code = d.code)")"
check_eq "no event without its dossier" 0 "$(sqlite3 "$DB" "select count(*) from events e where not exists (select 1 from dossiers d where d.code = e.dossier_code)")"
check_eq "codes unique" "$(sqlite3 "$DB" 'select count(*) from dossiers')" "$(sqlite3 "$DB" 'select count(distinct code) from dossiers')"
if mc audit verify >/dev/null 2>&1 || [ $? -ne 2 ]; then
	check "audit verify" mc audit verify
fi
