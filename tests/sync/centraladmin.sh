#!/bin/sh
# centraladmin.sh - a province set up at central by command (src/central_admin.c):
# `central office add|list`, `central department add|list`, `central procedure
# assign`, on both backends.  Only an administrator of central may (an office's
# clerk and its admin are refused, exit 5); bad codes and unknown offices are refused
# with a message; an office takes the new office, department and assignment at its
# next sync.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

scenario() {
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	m "$DA" demo --dossiers 0 >/dev/null
	use_central "$1" admin
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	m "$DB_" init --office $B --name "Huyện" >/dev/null
	m "$DB_" sync --central "$CURL" >/dev/null 2>&1
	for who in clerk1 admin; do
		for sub in "office add 000.00.99.H45 --name X --level 3" "department add D99 --office $B --name X" \
			"procedure assign $P2 --department D99" "office list"; do
			# shellcheck disable=SC2086
			out=$(m "$DA" --as $who central $sub --central "$CURL" 2>&1); rc=$?
			check_eq "$who: central ${sub%% *} ${sub#* }: refused (exit 5) $k" 5 $rc
		done
	done
	check_eq "nothing was written by the refused $k" 0 "$(cq "select count(*) from c_ref where key = '000.00.99.H45'")"
	out=$(m "$DA" central office add 000.00.99.H45 --name "Xã Thử Nghiệm" --level 3 --central "$CURL" 2>&1)
	check_match "an administrator adds an office $k" "office 000.00.99.H45 saved at central" "$out"
	check_match "office list shows it $k" "000.00.99.H45 +3 +Xã Thử Nghiệm" "$(m "$DA" central office list --central "$CURL")"
	out=$(m "$DA" central department add D99 --office 000.00.99.H45 --name "Một cửa xã" --central "$CURL" 2>&1)
	check_match "a department of it $k" "department D99 of office 000.00.99.H45 saved" "$out"
	check_match "department list --office $k" "^D99 +000.00.99.H45 +Một cửa xã$" "$(m "$DA" central department list --office 000.00.99.H45 --central "$CURL")"
	check_fails "a department of an unknown office is refused $k" m "$DA" central department add D98 --office 000.00.98.H45 --name X --central "$CURL"
	check_match "... naming what to do $k" "add it first with 'motcua central office add'" "$(cat "$T/.out")"
	check_fails "a bad agency code is refused $k" m "$DA" central office add "a b" --name X --central "$CURL"
	check_fails "a level out of range is refused $k" m "$DA" central office add 000.00.97.H45 --name X --level 9 --central "$CURL"
	dep=$(sqlite3 "$DB_" "select code from departments d join offices o on o.id = d.office_id where o.agency_code = '$B' limit 1")
	out=$(m "$DA" central procedure assign $P2 --department "$dep" --central "$CURL" 2>&1)
	check_match "a procedure is assigned to a department $k" "procedure $P2 is handled by department $dep" "$out"
	check_fails "an unknown department is refused $k" m "$DA" central procedure assign $P2 --department NOPE --central "$CURL"
	m "$DB_" sync >/dev/null 2>&1
	check_eq "the district took the new office at its next sync $k" "Xã Thử Nghiệm|3" "$(sqlite3 "$DB_" "select name || '|' || level from offices where agency_code = '000.00.99.H45'")"
	check_eq "... and its department $k" "Một cửa xã" "$(sqlite3 "$DB_" "select name from departments where code = 'D99'")"
	check_eq "... and the assignment $k" "$dep" "$(sqlite3 "$DB_" "select d.code from procedures p join departments d on d.id = p.dept_id where p.code = '$P2'")"
}

both_backends scenario
