#!/bin/sh
# rules.sh - the lifecycle rules of the law through the CLI, at Vietnam time: one
# supplement while processing and always with a reason (Decree 118/2025 Art. 11; the
# setting supplement.limit relaxes it), an extension proposed by the specialist and
# issued by the leader at the latest the day before the appointment and only once
# (Decree 61/2018 Art. 19(9)), a refusal after processing resolved and returned
# (status 4 -> 9 -> 10, never 3) with the written refusal, and an intake supplement
# accepted only with every required component, which form 01 lists visit by visit.
# Each refusal names its rule and writes nothing.
. "$ROOT/tests/lib.sh"
at "2024-04-01 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
P=1.001037
recv() { # TIME NAME ID [options]: prints the code
	t=$1; nm=$2; id=$3; shift 3
	at "$t" mc --as clerk1 receive --procedure $P --name "$nm" --id "$id" "$@" | sed -n 's/^received \([^:]*\):.*/\1/p'
}
to_spec() { # TIME CODE
	at "$1" mc --as clerk1 transfer "$2" >/dev/null && at "$1" mc --as head_tm assign "$2" --to spec_tm1 >/dev/null
}
version() { sqlite3 "$DB" "select version from dossiers where code='$1'"; }

# ---- one supplement while processing, with a reason ----
A=$(recv "2024-04-01 09:00:00" "Nguyễn Văn Một" 022123456701 --components all)
to_spec "2024-04-01 09:10:00" "$A"
out=$(at "2024-04-01 10:00:00" mc --as spec_tm1 supplement "$A" --reason "" 2>&1); rc=$?
check_eq "a supplement without a reason is refused (exit 3)" 3 $rc
check_match "naming the rule" "must state what to supplement and why \(Decree 118/2025/NĐ-CP Art. 11; form 02\)" "$out"
check "the first supplement request" at "2024-04-01 10:00:00" mc --as spec_tm1 supplement "$A" --reason "Thiếu bản vẽ"
check "the supplement arrives" at "2024-04-02 09:00:00" mc --as clerk1 resume "$A" --components 2
v=$(version "$A")
out=$(at "2024-04-02 10:00:00" mc --as spec_tm1 supplement "$A" --reason "Thiếu thêm" 2>&1); rc=$?
check_eq "a second one is refused (exit 6)" 6 $rc
check_match "naming the rule and the first request" "only once per dossier while it is processed, and dossier $A had one on 2024-04-01 10:00 \(Decree 118/2025/NĐ-CP Art. 11\)" "$out"
check_eq "and writes nothing" "$v" "$(version "$A")"
sqlite3 "$DB" "insert or replace into settings(key, value) values ('supplement.limit', '0')"
check "a province without the limit (supplement.limit = 0) allows it" at "2024-04-02 10:00:00" mc --as spec_tm1 supplement "$A" --reason "Thiếu thêm"
sqlite3 "$DB" "delete from settings where key = 'supplement.limit'"

# ---- extension: proposed by the specialist, issued by the leader, once, in time ----
B=$(recv "2024-04-01 09:30:00" "Trần Thị Hai" 022123456702 --components all)
to_spec "2024-04-01 09:40:00" "$B"
due=$(mc show "$B" | sed -n 's/^due_at  *//p')
dueday=${due% *}
check_eq "B is due in 9 working days" "2024-04-12 09:30" "$due"
out=$(at "$dueday 08:00:00" mc --as spec_tm1 extend "$B" --until 2024-04-17 --reason "Xác minh" 2>&1); rc=$?
check_eq "on the appointment's day the proposal is refused (exit 6)" 6 $rc
check_match "naming the rule" "at the latest the day before the appointment, and dossier $B is due $due \(Decree 61/2018/NĐ-CP Art. 19\(9\)\)" "$out"
out=$(at "2024-04-10 09:00:00" mc --as leader1 issue-extension "$B" 2>&1); rc=$?
check_eq "the leader has nothing to issue before a proposal (exit 6)" 6 $rc
check_match "and says the specialist proposes first" "no extension of dossier $B is waiting to be issued" "$out"
check "the specialist proposes" at "2024-04-10 09:00:00" mc --as spec_tm1 extend "$B" --until 2024-04-17 --reason "Cần xác minh thực tế"
check_eq "the appointment does not move yet" "$due" "$(mc show "$B" | sed -n 's/^due_at  *//p')"
check_fails "the specialist does not issue it" at "2024-04-10 09:30:00" mc --as spec_tm1 issue-extension "$B"
check_fails "form 04 does not exist before it is issued" at "2024-04-10 09:30:00" mc form 04 "$B"
check "the leader issues it" at "2024-04-10 10:00:00" mc --as leader1 issue-extension "$B"
check_eq "the appointment moved" "2024-04-17 17:00" "$(mc show "$B" | sed -n 's/^due_at  *//p')"
f04=$(at "2024-04-10 10:00:00" mc form 04 "$B")
check_match "form 04 is signed by the head of the agency" "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" "$f04"
lname=$(sqlite3 "$DB" "select name from users where account='leader1'")
check_match "who is the leader who issued it" "$lname" "$f04"
check_match "form 04 keeps the proposal's reason" "Cần xác minh thực tế" "$f04"
out=$(at "2024-04-11 09:00:00" mc --as spec_tm1 extend "$B" --until 2024-04-24 --reason "Lần nữa" 2>&1); rc=$?
check_eq "a second extension is refused (exit 6)" 6 $rc
check_match "naming the rule" "rescheduled with an apology letter only once.*\(Decree 61/2018/NĐ-CP Art. 19\(9\)\)" "$out"

# ---- refused after processing: resolved (9), returned (10) with the written refusal ----
C=$(recv "2024-04-01 10:00:00" "Lê Văn Ba" 022123456703 --components all)
to_spec "2024-04-01 10:10:00" "$C"
check "the specialist proposes a refusal" at "2024-04-02 09:00:00" mc --as spec_tm1 propose "$C" --decision refuse --note "Cơ sở không đáp ứng điều kiện"
printf 'motcua-demo\n' >"$T/pass"
check "the leader signs it" at "2024-04-02 10:00:00" mc --as leader1 sign "$C" --passphrase-file "$T/pass"
check_eq "status 9, not 3" 9 "$(sqlite3 "$DB" "select status from dossiers where code='$C'")"
check_fails "it is no intake refusal" at "2024-04-02 10:30:00" mc --as clerk1 refuse "$C" --reason x
f03=$(at "2024-04-02 11:00:00" mc form 03 "$C")
check_match "form 03 is the written refusal" "PHIẾU TỪ CHỐI" "$f03"
check_match "with the reasons" "Cơ sở không đáp ứng điều kiện" "$f03"
check "the one-stop returns it" at "2024-04-02 11:00:00" mc --as clerk1 return "$C" --collected-by "Lê Văn Ba" --rating 3
check_eq "status 10" 10 "$(sqlite3 "$DB" "select status from dossiers where code='$C'")"
check_match "the report counts it as resolved" '"resolved": 1,' "$(at "2024-04-02 12:00:00" mc --as super1 --json report stats --from 2024-04-02 --to 2024-04-02 --field "$(sqlite3 "$DB" "select f.code from procedures p join fields f on f.id=p.field_id where p.code='$P'")" | sed -n '/"total"/,$p')"

# ---- an intake supplement is accepted only with every required component ----
D=$(recv "2024-04-03 09:00:00" "Phạm Thị Bốn" 022123456704 --components 1 --outcome supplement --reason "Thiếu giấy tờ")
v=$(version "$D")
out=$(at "2024-04-04 09:00:00" mc --as clerk1 resume "$D" 2>&1); rc=$?
check_eq "resume without the missing components is refused (exit 3)" 3 $rc
check_match "naming the component and the rule" "required component 2 \(.*\) of dossier $D is still missing.*\(Decree 118/2025/NĐ-CP Art. 17\)" "$out"
check_eq "and writes nothing" "$v" "$(version "$D")"
check_fails "an unknown component number is refused" at "2024-04-04 09:00:00" mc --as clerk1 resume "$D" --components 1,2,30
ncomp=$(sqlite3 "$DB" "select count(*) from procedure_components c join procedures p on p.id=c.procedure_id where p.code='$P'")
rest=$(seq -s, 2 "$ncomp")
check "with the rest it is accepted" at "2024-04-04 09:00:00" mc --as clerk1 resume "$D" --components "$rest"
check_eq "status 2" 2 "$(sqlite3 "$DB" "select status from dossiers where code='$D'")"
f01=$(at "2024-04-04 09:00:00" mc form 01 "$D")
check_eq "form 01 lists every component received" "$ncomp" "$(printf '%s\n' "$f01" | grep -Ec '^   [0-9]+\) ')"
check_match "and the visit that brought the supplement" "Nộp bổ sung lúc 09 giờ 00 phút, ngày 04/04/2024" "$f01"
# a store written before this rule kept a signed refusal at status 3: upgrading fixes it
sqlite3 "$DB" "update dossiers set stage = 92, status = 3, returned_at = 0 where code = '$C'; pragma user_version = 7"
mc check >/dev/null
check_eq "the upgrade (0008) gives a signed refusal not yet returned status 9" "60 9" "$(sqlite3 -separator ' ' "$DB" "select stage, status from dossiers where code = '$C'")"
check_eq "integrity" ok "$(mc check | tail -1)"
echo "1..$n"
