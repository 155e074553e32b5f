#!/bin/sh
# province.sh - the province's screens on a SQLite central (`motcua --central URL`,
# screens/province.c) at 80x24: the dashboard per office with the whole province,
# a number drilled down to exactly its dossiers, by field, the statistics report and
# an earlier quarter, conflicts, the portal's dead letters; a provincial supervisor
# may look but not change; central's administrator re-routes a dossier from the
# drill-down and publishes; an office's clerk is refused; the office screens' letters
# do not open here; Vietnamese by default.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
C=$T/central.db
B=000.00.31.H45
mc demo --dossiers 300 >/dev/null 2>&1
mc central init --central "sqlite:$C" >/dev/null
mc central publish --central "sqlite:$C" >/dev/null
mc sync --central "sqlite:$C" >/dev/null 2>&1
# provadm is also an administrator of this store, which publishes the reference data
mc user add provadm --name "Quản trị tỉnh" --roles admin >/dev/null
sqlite3 "$C" "insert into c_ref (kind, key, doc) values
	('user', 'provsup', '{\"account\":\"provsup\",\"roles\":16,\"office\":\"000.00.00.H45\",\"active\":1}'),
	('user', 'provadm', '{\"account\":\"provadm\",\"roles\":32,\"office\":\"000.00.00.H45\",\"active\":1}')"
open=$(mc --json central dashboard --central "sqlite:$C" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["open"])')
check "the demo leaves dossiers open" test "$open" -gt 0

ui LANGUAGE=en -- --as provsup --central "sqlite:$C"
expect "the province's dashboard opens" "Province at central 000\.00\.00\.H45"
expect "one line per office that has dossiers" "000\.00\.17\.H45 .* $open "
expect "and the whole province" "Whole province .* $open "
expect "the line under the table says what the column counts" "Recv: received today"
expect "offices that never synced are named" "000\.00\.31\.H45 +never"
check "it fits 80 columns" test "$(screen | python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))')" -le 80
keys Tab Tab Tab
expect "Tab moves to the next number" "Open: open"
keys Enter
expect "Enter on Open lists exactly its dossiers" "Open 000\.00\.17\.H45 *\($open\)"
expect "... by code" "000\.00\.17\.H45-[0-9]{6}-[0-9]{4}"
keys t
expect "a supervisor may not re-route" "Only an administrator of central may change anything here"
keys Escape
expect "Back returns to the numbers" "Province at central"
keys n
expect "an office screen's letter does not open here" "Province at central"
keys v
expect "v shows a line per office and field" "000\.00\.17\.H45 [A-Z]+ "
keys r
expect "r shows the statistics report" "Statistics report [0-9]{4}-Q[1-4]: the whole province"
expect "... with its columns" "Field +Received +Resolved"
keys '['
expect "[ goes a quarter back" "Statistics report"
keys c
expect "c shows central's conflicts" "Conflicts at central \(0\)"
keys e
expect "e shows the portal's dead letters" "Dead letters of the national portal \(0\)"
keys q
wait_exit
check_eq "q leaves with status 0" 0 "$(ui_status)"

# central's administrator re-routes a dossier from the drill-down
ui LANGUAGE=en -- --as provadm --central "sqlite:$C"
expect "an administrator opens it" "Province at central"
keys Tab Tab Tab Tab Tab Tab Tab Enter
expect "the dossiers with a specialist" "Work 000\.00\.17\.H45"
code=$(screen | grep -Eo "000\.00\.17\.H45-[0-9]{6}-[0-9]{4}" | head -1)
keys t
expect "t asks the office" "Send to office:"
text "$B"
keys Enter
text "Sai thẩm quyền"
keys Enter
expect "the re-routing is confirmed" "$code is sent to office $B"
check_eq "central holds the re-routing event" 1 "$(sqlite3 "$C" "select count(*) from c_events where dossier_code = '$code' and kind = 'rerouted'")"
keys Escape u
expect "u asks first" "Press u again to publish"
keys u
expect "u again publishes" "published [0-9]+ reference rows"
keys q
wait_exit

# Vietnamese by default; an office's clerk is refused before any screen
ui -- --as provsup --central "sqlite:$C"
expect "Vietnamese by default" "Toàn tỉnh"
keys q
wait_exit
ui LANGUAGE=en -- --as clerk1 --central "sqlite:$C"
wait_exit
check "an office's clerk is refused" test "$(ui_status)" != 0
expect "... saying why" "administrator role at central"
