#!/bin/sh
# province.sh - the UI on the demo province (`demo --province`, as `make run` builds
# it): it opens on the department's queues, and a dossier received at a branch and
# resolved here shows its three places on the detail screen.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2025-09-15 10:00:00"
at "$NOW" mc demo --dossiers 300 --province >/dev/null 2>&1
A=000.00.17.H45
c=$(sqlite3 "$DB" "select code from dossiers where recv_office_id = (select id from offices where kind = 'branch' limit 1) and office_id = 1 limit 1")
if [ -z "$c" ]; then c=$(sqlite3 "$DB" "select code from dossiers where recv_office_id > 0 and office_id = 1 limit 1"); fi
recv=$(sqlite3 "$DB" "select r.agency_code from dossiers d join offices r on r.id = d.recv_office_id where d.code = '$c'")
ret=$(sqlite3 "$DB" "select r.agency_code from dossiers d join offices r on r.id = d.return_office_id where d.code = '$c'")
name=$(sqlite3 "$DB" "select applicant_name from dossiers where code = '$c'")
start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as clerk1"
expect "the department's UI opens" "Hàng đợi công việc"
keys /; text "$c"; keys Enter
expect "the search finds the dossier received at another office" "Tìm thấy 1"
keys Enter
expect "its detail opens" "$name"
expect "with its three places" "Nhận tại $recv, giải quyết: $A, trả tại $ret"
keys q
