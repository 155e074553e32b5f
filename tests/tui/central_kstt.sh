#!/bin/sh
# central_kstt.sh - form II.06a on the province's report screen at central (`motcua
# --central URL`, screens/province.c, key k) at 80x24: the quarter's levels with their
# fields and the total, columns (3)-(13) as central's `central report kstt` counts
# them, for the whole province and one office; k goes back to the report by field.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
C=$T/central.db
# one clock for the demo, central's counts and the UI: the quarter the screen opens on is
# named by today's month (reporting regime: 15 Sep - 14 Dec for Q4), and the demo's
# recent dossiers are those of the two weeks before today; at this instant the quarter
# has more level and field rows than the screen has lines
NOW="2025-12-10 10:00:00"
at "$NOW" mc demo --dossiers 300 >/dev/null 2>&1
mc central init --central "sqlite:$C" >/dev/null
mc central publish --central "sqlite:$C" >/dev/null
at "$NOW" mc sync --central "sqlite:$C" >/dev/null 2>&1
sqlite3 "$C" "insert into c_ref (kind, key, doc) values
	('user', 'provsup', '{\"account\":\"provsup\",\"roles\":16,\"office\":\"000.00.00.H45\",\"active\":1}')"
# the quarter the screen opens on
m=$(echo "$NOW" | cut -c6-7)
q=$(echo "$NOW" | cut -c1-4)-Q$(( (${m#0} + 2) / 3 ))
tot() { at "$NOW" mc --json central report kstt "$q" "$@" --central "sqlite:$C" | python3 -c 'import json,sys
d=json.load(sys.stdin)["kstt_total"]; print(" ".join(str(d["c%d" % c]) for c in (3, 4, 5, 6, 7, 10, 11, 13)))'; }
want=$(tot)
check_match "the demo's quarter has dossiers" "^[1-9]" "$want"
re=$(echo "$want" | sed 's/ / +/g')

start "env LANGUAGE=en TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as provsup --central sqlite:$C"
expect "the province's dashboard opens" "Province at central"
keys r
expect "r shows the statistics report" "Statistics report $q: the whole province"
keys k
expect "k shows form II.06a" "Form II.06a $q: the whole province"
expect "... with columns (3) to (13)" "\(3\) +\(4\) +\(5\) +\(6\) +\(7\) +\(10\) +\(11\) +\(13\)"
expect "... the province's level" "Cấp tỉnh +[0-9]"
expect "... and the total as central report kstt counts it" "Tổng cộng +$re"
# every level and field row is on the screen, or counted in the line that says how many
# are not (the total always shows)
rows=$(at "$NOW" mc --json central report kstt "$q" --central "sqlite:$C" | python3 -c 'import json,sys
d=json.load(sys.stdin); print(sum(1 + len(l["fields"]) for l in d["levels"] if l["c3"]))')
seen=$(screen | python3 -c 'import re,sys
ls=[l.rstrip("\n") for l in sys.stdin]
i=next(k for k,l in enumerate(ls) if "(13)" in l); j=next(k for k,l in enumerate(ls) if "Tổng cộng" in l)
m=[int(x) for l in ls[i+1:j] for x in re.findall(r"\.\.\. (\d+) more rows", l)]
print(j - i - 1 - len(m) + sum(m))')
check_eq "... each of its $rows level and field rows shown or counted" "$rows" "$seen"
check_match "... those that do not fit counted on a line of their own" '\.\.\. [0-9]+ more rows' "$(screen)"
check "it fits 80 columns" test "$(screen | python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))')" -le 80
expect "the keys are said" "k by field"
keys o
expect "o: the selected office's form" "Form II.06a $q: 000\.00\.17\.H45"
expect "... its total" "Tổng cộng +$(tot --office 000.00.17.H45 | sed 's/ / +/g')"
keys '['
expect "[ goes a quarter back" "Form II.06a [0-9]{4}-Q[1-4]: 000\.00\.17\.H45"
keys k
expect "k goes back to the report by field" "Field +Received +Resolved"
keys q
wait_exit
check_eq "q leaves with status 0" 0 "$(ui_status)"
