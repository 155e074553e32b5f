#!/bin/sh
# receive.sh - receiving and transferring are one core step under the setting
# receive.transfer (both events or neither), and the rules the core now owns for
# every front end: a head or specialist needs a department, reports and the
# dashboard refuse a clerk.
. "$ROOT/tests/lib.sh"

NOW="2024-03-11 09:00:00"
check "demo store" at "$NOW" mc demo --dossiers 0
P=1.001037
q() { sqlite3 "$DB" "$1"; }
recv() { at "$NOW" mc --as clerk1 receive --procedure $P --name "Nguyễn Văn Đức" --id 022123456789 "$@"; }
code_of() { sed -n 's/^received \([^:]*\):.*/\1/p' | head -1; }

# no setting: the command does not transfer (as before)
c1=$(recv | code_of)
check_eq "no setting: received, not transferred" "10" "$(q "select stage from dossiers where code = '$c1'")"

q "insert into settings(key, value) values ('receive.transfer', 'on')"
out=$(recv)
c2=$(printf '%s\n' "$out" | code_of)
check_match "on: the command says where it went" "transferred to +Phòng" "$out"
check_eq "on: at the department" "20" "$(q "select stage from dossiers where code = '$c2'")"
check_eq "on: two events, received then transferred" "received transferred" \
	"$(q "select group_concat(kind, ' ') from (select kind from events where dossier_code = '$c2' order by dseq)")"
hist=$(at "$NOW" mc history "$c2")
check_match "history shows both steps" "transferred" "$hist"

# a transfer that cannot be made receives nothing: one transaction
before=$(q "select count(*) from dossiers")
q "update procedures set dept_id = NULL where code = '$P'"
rc=0; recv >"$T/out" 2>&1 || rc=$?
check_eq "a transfer that cannot be made fails the step (exit 3)" 3 $rc
check_match "and says why" "no competent department" "$(cat "$T/out")"
check_eq "a failed transfer leaves no dossier" "$before" "$(q "select count(*) from dossiers")"
check_eq "and no event" "0" "$(q "select count(*) from events where dossier_code not in (select code from dossiers)")"

q "update settings set value = 'off' where key = 'receive.transfer'"
c3=$(at "$NOW" mc --as clerk1 receive --procedure 1.001074 --name "Lê Thị Bích" --id 022123456781 | code_of)
check_eq "off: received, not transferred" "10" "$(q "select stage from dossiers where code = '$c3'")"

# users: the rule is the core's, the CLI names the option
rc=0; mc user add newhead --name "Lê Văn Bình" --roles head >/dev/null 2>&1 || rc=$?
check_eq "a head without --department is a usage error" 2 $rc
check "a head with a department" mc user add newhead --name "Lê Văn Bình" --roles head --department TM
check_fails "an unknown department" mc user add newspec --name "Lê Văn Cường" --roles specialist --department NOPE

# who may read reports and the dashboard
rc=0; at "$NOW" mc --as clerk1 report stats --period 2024-Q1 >"$T/out" 2>&1 || rc=$?
check_eq "a clerk gets no report (exit 5)" 5 $rc
check_match "and is told who may" "supervisors, leaders, department heads and administrators" "$(cat "$T/out")"
check "a supervisor gets the report" at "$NOW" mc --as super1 report stats --period 2024-Q1
rc=0; at "$NOW" mc --as clerk1 dashboard >"$T/out" 2>&1 || rc=$?
check_eq "a clerk gets no dashboard (exit 5)" 5 $rc
