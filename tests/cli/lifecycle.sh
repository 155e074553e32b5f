#!/bin/sh
# lifecycle.sh - the CLI walks dossiers through every path under a fixed clock.
. "$ROOT/tests/lib.sh"

check "demo store with the catalog and no history" at "2024-03-11 08:00:00" "$MOTCUA" --db "$DB" demo --dossiers 0
check_eq "--version" "motcua 0.1.0" "$(mc --version)"
check_match "--help lists commands" "receive +receive a dossier" "$(mc --help)"
check_match "command --help" "usage: motcua receive" "$(mc receive --help)"
P=1.001037
# receive (Mon 2024-03-11 09:00), committed 9 working days
out=$(at "2024-03-11 09:00:00" mc --as clerk1 --json receive --procedure $P --name "Nguyễn Văn Đức" --id 022123456789 --phone 0912345678 --address "Hạ Long")
code=$(printf '%s' "$out" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
check_eq "code format" "000.00.17.H45-240311-0001" "$code"
check_match "appointment after 9 working days" '"due_at": "2024-03-22 09:00"' "$out"
out=$(at "2024-03-11 09:05:00" mc --as clerk1 receive --procedure $P --name "Trần Thị Hoa" --id 022123456780)
check_match "second code of the day" "000.00.17.H45-240311-0002" "$out"
check_fails "head cannot receive" at "2024-03-11 09:06:00" mc --as head_tm receive --procedure $P --name X --id 022123456789
check_match "refusal names the role" "needs the role one-stop clerk" "$(at "2024-03-11 09:06:00" mc --as head_tm receive --procedure $P --name X --id 022123456789 2>&1)"
check_fails "unknown OS user refused" mc --as nobody_here queue
check_fails "bad ID" at "2024-03-11 09:07:00" mc --as clerk1 receive --procedure $P --name X --id 12345
check_match "bad ID message" "12 digits" "$(at "2024-03-11 09:07:00" mc --as clerk1 receive --procedure $P --name X --id 12345 2>&1)"
check_fails "unknown procedure" at "2024-03-11 09:07:00" mc --as clerk1 receive --procedure 9.999 --name X --id 022123456789
check_fails "invalid UTF-8" at "2024-03-11 09:07:00" mc --as clerk1 receive --procedure $P --name "$(printf 'A\303\050')" --id 022123456789
check_fails "escape sequence in a name" at "2024-03-11 09:07:00" mc --as clerk1 receive --procedure $P --name "$(printf 'A\033]0;x\007')" --id 022123456789
check_eq "nothing half-written" "2" "$(sqlite3 "$DB" 'select count(*) from dossiers')"
rc=0; at "2024-03-11 09:07:00" mc --as clerk1 receive --procedure $P --name X --id 1 >/dev/null 2>&1 || rc=$?
check_eq "invalid input exits 3" 3 $rc

at "2024-03-11 10:00:00" mc --as clerk1 transfer "$code" >/dev/null
check_fails "transfer twice" at "2024-03-11 10:01:00" mc --as clerk1 transfer "$code"
check_match "state error names who changed it" "clerk1 at 2024-03-11 10:00" "$(at "2024-03-11 10:01:00" mc --as clerk1 transfer "$code" 2>&1)"
check_fails "specialist cannot assign" at "2024-03-11 10:30:00" mc --as spec_tm1 assign "$code" --to spec_tm1
check "head assigns" at "2024-03-11 10:30:00" mc --as head_tm assign "$code" --to spec_tm1
check_fails "another specialist cannot propose" at "2024-03-12 09:00:00" mc --as spec_tm2 propose "$code" --decision approve
check "specialist requests a supplement" at "2024-03-12 09:00:00" mc --as spec_tm1 supplement "$code" --reason "Thiếu bản vẽ"
check_eq "status 5" 5 "$(sqlite3 "$DB" "select status from dossiers where code='$code'")"
check "clerk records the supplement" at "2024-03-19 09:00:00" mc --as clerk1 resume "$code"
# paused 2024-03-12 09:00 .. 2024-03-19 09:00: the appointment moves by one week
check_match "appointment moved by the pause" '"due_at": "2024-03-29 09:00"' "$(mc --json show "$code")"
check "propose" at "2024-03-20 09:00:00" mc --as spec_tm1 propose "$code" --decision approve --note "Đủ điều kiện"
check "send back" at "2024-03-20 10:00:00" mc --as leader1 send-back "$code" --reason "Làm rõ"
check "propose again" at "2024-03-20 11:00:00" mc --as spec_tm1 propose "$code" --decision approve
printf 'motcua-demo\n' >"$T/pass"   # the demo leaders' signing passphrase
check "sign" at "2024-03-21 09:00:00" mc --as leader1 sign "$code" --passphrase-file "$T/pass"
check_match "early" '"timeliness": "early"' "$(at "2024-03-21 09:00:00" mc --json show "$code")"
check_fails "rating out of range" at "2024-03-22 09:00:00" mc --as clerk2 return "$code" --collected-by "Nguyễn Văn Đức" --rating 9
check "return" at "2024-03-22 09:00:00" mc --as clerk2 return "$code" --collected-by "Nguyễn Văn Đức" --rating 5
check_eq "status 10" 10 "$(sqlite3 "$DB" "select status from dossiers where code='$code'")"
hist=$(mc --json history "$code")
check_eq "history has 10 events" 10 "$(printf '%s' "$hist" | grep -c '"seq"')"
check_match "history records the OS account" '"os_account": "root"' "$hist"
check_match "history records the actor" '"actor": "leader1"' "$hist"
check_match "search without diacritics" "$code" "$(mc search "nguyen van duc")"
check_match "search by ID number" "$code" "$(mc search 022123456789)"
check_match "search by phone" "$code" "$(mc search 0912345678)"
check_match "search by code" "$code" "$(mc search "$code")"

# second dossier: refusal at intake, withdraw, stop, extend, online acceptance
c2=000.00.17.H45-240311-0002
check_fails "refuse needs a reason" at "2024-03-11 11:00:00" mc --as clerk1 refuse $c2
check "withdraw" at "2024-03-11 11:00:00" mc --as clerk1 withdraw $c2 --reason "Người nộp rút"
check_eq "status 7" 7 "$(sqlite3 "$DB" "select status from dossiers where code='$c2'")"
out=$(at "2024-03-12 09:00:00" mc --as clerk1 receive --procedure $P --name "Công ty TNHH Petro Bình Minh" --id 5701234567 --business --channel online --outcome refuse --reason "Sai thẩm quyền")
check_match "refused at intake" "refused" "$out"
out=$(at "2024-03-12 09:10:00" mc --as clerk1 receive --procedure $P --name "Lê Thị Mai" --id 022123456781 --components 1 --outcome supplement --reason "Thiếu giấy tờ")
c4=$(printf '%s' "$out" | grep -o '000[^ :]*-[0-9]*' | head -1)
check_match "incomplete at intake" "incomplete" "$out"
check_fails "missing components cannot be accepted" at "2024-03-12 09:11:00" mc --as clerk1 receive --procedure $P --name "Lê Thị Mai" --id 022123456781 --components 1
check_fails "the supplement must bring the missing required components" at "2024-03-14 14:00:00" mc --as clerk1 resume "$c4"
check "supplement arrives: accepted from now" at "2024-03-14 14:00:00" mc --as clerk1 resume "$c4" --components all
check_match "full time from acceptance" '"due_at": "2024-03-27 14:00"' "$(mc --json show "$c4")"
at "2024-03-14 14:10:00" mc --as clerk1 transfer "$c4" >/dev/null
at "2024-03-14 14:20:00" mc --as head_tm assign "$c4" --to spec_tm2 >/dev/null
check_fails "extend to a Saturday" at "2024-03-26 09:00:00" mc --as spec_tm2 extend "$c4" --until 2024-03-30 --reason "Xác minh"
check "extend with apology: the specialist proposes" at "2024-03-26 09:00:00" mc --as spec_tm2 extend "$c4" --until 2024-04-03 --reason "Xác minh thực tế"
check "the leader issues it" at "2024-03-26 10:00:00" mc --as leader1 issue-extension "$c4"
check_match "apology recorded" '"apology": 1' "$(mc --json show "$c4")"
check "leader stops" at "2024-03-27 09:00:00" mc --as leader1 stop "$c4" --reason "Cơ sở ngừng kinh doanh"
check_eq "status 8" 8 "$(sqlite3 "$DB" "select status from dossiers where code='$c4'")"
check_match "queue json" '"clerk"' "$(at "2024-03-27 09:00:00" mc --as clerk1 --json queue)"
check_match "holidays of 2024 include the announced Tết (08/02-14/02)" "2024-02-08 .*Tết Nguyên đán" "$(at "2024-03-27 09:00:00" mc holidays --year 2024)"
check_match "holidays json" '"date": "2024-04-18"' "$(mc --json holidays --year 2024)"
check_match "catalog list" "1.001037" "$(mc catalog list)"
check_eq "146 procedures" 146 "$(mc --json catalog list | grep -c '"code"')"
check_fails "show unknown" mc show NOPE-1
rc=0; mc show NOPE-1 >/dev/null 2>&1 || rc=$?
check_eq "not found exits 4" 4 $rc
check_eq "integrity" ok "$(mc check | tail -1)"
