#!/bin/sh
# dashboard.sh - `motcua dashboard`: today's queues checked against the store with sqlite3
# (received today, due today, overdue by the committed date, due within N working days,
# per step, per department, per person, the oldest first), options and permissions;
# the scope: a department head sees their department, a supervisor or leader the office.
. "${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 300 --seed 4 >/dev/null 2>&1
check "demo store built" test -s "$DB"
q() { sqlite3 "$DB" "$1"; }
now=$(q "select strftime('%s', '$NOW') - 25200")
d0=$(q "select strftime('%s', '2024-03-20') - 25200")
D() { at "$NOW" mc --as super1 dashboard "$@"; }
out=$(D --oldest 2)
cnt() { printf '%s\n' "$out" | sed -n "s/^  $1  *\([0-9][0-9]*\).*/\1/p" | head -1; }

check_match "header names the time and the open dossiers" "^Today's queues at 2024-03-20 10:00 \($(q "select count(*) from dossiers where stage < 90") open dossiers\)" "$out"
check_eq "received today" "$(q "select count(*) from dossiers where received_at >= $d0 and received_at < $d0 + 86400")" "$(cnt 'received today')"
check_eq "due today" "$(q "select count(*) from dossiers where stage between 10 and 40 and due_at >= $d0 and due_at < $d0 + 86400")" "$(cnt 'due today')"
check_eq "overdue (committed date; a paused dossier judged when paused)" \
	"$(q "select count(*) from dossiers where (stage between 10 and 40 and orig_due_at > 0 and orig_due_at < $now) or (stage = 50 and orig_due_at > 0 and paused_at > orig_due_at)")" "$(cnt overdue)"
for s in "1:online, to accept" "10:accepted, to transfer" "20:at the department, to assign" "30:processing" "40:waiting for signature" "50:waiting for a supplement" "60:result ready, to return"; do
	st=${s%%:*}; label=${s#*:}
	check_eq "waiting at step '$label'" "$(q "select count(*) from dossiers where stage = $st")" "$(cnt "$label")"
done
tm=$(q "select name from departments where code = 'TM'")
check_eq "per department ($tm)" "$(q "select count(*) from dossiers d join departments p on p.id = d.dept_id where p.code = 'TM' and d.stage between 20 and 50")" "$(cnt "$tm")"
sp=$(q "select name || ' (' || account || ')' from users where account = 'spec_tm1'")
check_eq "per person ($sp)" "$(q "select count(*) from dossiers d join users u on u.id = d.assignee_id where u.account = 'spec_tm1' and d.stage in (30, 50)")" "$(cnt "$sp")"
oldest=$(q "select code from dossiers where stage = 30 order by stage_since, id limit 1")
check_match "the oldest in processing comes first" "processing  *[0-9]+.*
      $oldest " "$out"

# due within N working days: after today, up to N working days from now
w1=$(D --within 1 | sed -n 's/^  due within 1 working days  *\([0-9]*\).*/\1/p')
w5=$(D --within 5 | sed -n 's/^  due within 5 working days  *\([0-9]*\).*/\1/p')
check "more are due within 5 days than within 1" test "$w5" -ge "$w1"
lim=$(q "select strftime('%s', '2024-03-27 10:00:00') - 25200")
check_eq "due within 5 working days (no holiday in between)" \
	"$(q "select count(*) from dossiers where stage between 10 and 40 and due_at >= $d0 + 86400 and due_at <= $lim")" "$w5"
q "insert into settings(key, value) values ('dashboard.within', '5')"
check_match "the setting 'dashboard.within' is the default" 'due within 5 working days' "$(D)"

js=$(at "$NOW" mc --as super1 dashboard --json)
check_match "JSON lists the queues" '"list": "overdue"' "$js"
check_match "JSON gives the oldest codes" '"oldest": \[' "$js"
check_fails "--within out of range" D --within 99
check_fails "--within not a number" D --within x
check_fails "unexpected argument" D extra
check_fails "a clerk has no dashboard" at "$NOW" mc --as clerk1 dashboard
check "a department head has one" at "$NOW" mc --as head_tm dashboard

# scope: a department head sees only their department's dossiers; a supervisor or a
# leader sees the whole office (the same numbers as before)
tmid=$(q "select id from departments where code = 'TM'")
nl=$(q "select name from departments where code = 'NL'")
H() { at "$NOW" mc --as head_tm dashboard "$@"; }
hout=$(H --oldest 3 --within 3)
hc() { printf '%s\n' "$hout" | sed -n "s/^  $1  *\([0-9][0-9]*\).*/\1/p" | head -1; }
check_match "the head's header counts only the department's open dossiers" \
	"^Today's queues at 2024-03-20 10:00 \($(q "select count(*) from dossiers where stage < 90 and dept_id = $tmid") open dossiers\)" "$hout"
check_match "the head's dashboard names its department" "^Department TM only: $tm" "$hout"
check "the department has dossiers elsewhere in the office too (a real test)" \
	test "$(q "select count(*) from dossiers where stage < 90 and dept_id != $tmid")" -gt 0
check_eq "head: received today (the department's)" \
	"$(q "select count(*) from dossiers where dept_id = $tmid and received_at >= $d0 and received_at < $d0 + 86400")" "$(hc 'received today')"
check_eq "head: overdue (the department's)" \
	"$(q "select count(*) from dossiers where dept_id = $tmid and ((stage between 10 and 40 and orig_due_at > 0 and orig_due_at < $now) or (stage = 50 and orig_due_at > 0 and paused_at > orig_due_at))")" "$(hc overdue)"
check_eq "head: due within 3 working days (the department's)" \
	"$(q "select count(*) from dossiers where dept_id = $tmid and stage between 10 and 40 and due_at >= $d0 + 86400 and due_at <= strftime('%s', '2024-03-25 10:00:00') - 25200")" \
	"$(hc 'due within 3 working days')"
for s in "20:at the department, to assign" "30:processing" "40:waiting for signature" "60:result ready, to return"; do
	st=${s%%:*}; label=${s#*:}
	check_eq "head: waiting at step '$label' (the department's)" "$(q "select count(*) from dossiers where stage = $st and dept_id = $tmid")" "$(hc "$label")"
done
check_nomatch "head: the one-stop's steps are not the department's queues" "accepted, to transfer" "$hout"
check_eq "head: their department's line" "$(q "select count(*) from dossiers where dept_id = $tmid and stage between 20 and 50")" "$(hc "$tm")"
check_nomatch "head: no other department" "$nl" "$hout"
check_nomatch "head: no other department's specialist" "spec_nl1" "$hout"
check_match "head: their specialists" "spec_tm1" "$hout"
other=$(q "select code from dossiers where stage = 30 and dept_id != $tmid order by stage_since, id limit 1")
check_nomatch "head: another department's oldest dossier is not listed" "$other" "$hout"
hjs=$(H --json)
check_match "head: JSON says the scope" '"scope": "department"' "$hjs"
check_match "head: JSON names the department" '"department": "TM"' "$hjs"
check_match "supervisor: JSON says the whole office" '"scope": "office"' "$js"
for who in super1 leader1; do
	wout=$(at "$NOW" mc --as $who dashboard --oldest 0)
	check_match "$who sees the whole office's open dossiers" \
		"^Today's queues at 2024-03-20 10:00 \($(q "select count(*) from dossiers where stage < 90") open dossiers\)" "$wout"
	check_match "$who sees every department ($nl too)" "^  $nl " "$wout"
	check_match "$who sees the one-stop's steps" "accepted, to transfer" "$wout"
done
# a head without a department is told so, not shown the whole office
q "update users set dept_id = null where account = 'head_nl'"
check_fails "a head without a department has no dashboard" at "$NOW" mc --as head_nl dashboard
check_match "and is told why" "without a department" "$(at "$NOW" mc --as head_nl dashboard 2>&1)"
# a head who is also a supervisor sees the whole office
q "update users set roles = roles | 16 where account = 'head_tm'"
check_match "a head who is also a supervisor sees the whole office" "^  $nl " "$(H --oldest 0)"

echo "1..$n"
