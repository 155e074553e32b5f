#!/bin/sh
# supplement.sh - "supplement received" (u) through the terminal UI at 80x24: on a
# dossier waiting at intake with 1 of its required components, u opens a checklist of
# the components not received yet; confirming with a required one unticked is refused
# with the rule's message and changes nothing; ticking them all, then confirming twice,
# accepts the dossier, and form 01 lists every component received, visit by visit.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
P=1.001111   # 4 required components, as in the issue: 1 of 4 brought at first
D=$(at "$NOW" mc --as clerk1 receive --procedure $P --name "Đỗ Thị Bổ Sung" --id 022123456785 --components 1 \
	--outcome supplement --reason "Thiếu giấy tờ" | sed -n 's/^received \([^:]*\):.*/\1/p')
check_match "a dossier waits at intake with component 1 only" "stage +incomplete" "$(mc show "$D")"
ncomp=$(sqlite3 "$DB" "select count(*) from procedure_components c join procedures p on p.id = c.procedure_id where p.code = '$P'")
nreq=$(sqlite3 "$DB" "select count(*) from procedure_components c join procedures p on p.id = c.procedure_id where p.code = '$P' and c.required = 1")
check "the procedure has at least 3 required components" test "$nreq" -ge 3
v0=$(sqlite3 "$DB" "select version from dossiers where code = '$D'")

start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as clerk1"
keys /; text "do thi bo sung"; keys Enter
expect "search finds the dossier" "Tìm thấy 1"
keys Enter
expect "its detail" "^ $D "
keys u
expect "u opens the checklist of what the applicant brought" "Đã nhận hồ sơ bổ sung: đánh dấu các thành phần"
expect "it says what was received before" "1 trên $ncomp thành phần"
check_nomatch "component 1 (received) is not offered again" "\[[ x]\] 1\. " "$(screen)"
expect "component 2 is offered" "\[ \] 2\. "
expect "a required component is marked" "\[ \] 4\. .*\*"
# tick component 2 only, confirm twice: refused, a required one is still missing
keys Space
expect "component 2 ticked" "\[x\] 2\. "
keys C-o
expect "the first confirmation asks again" "Ghi nhận bổ sung với 1 thành phần mang đến\?"
keys C-o
expect "a missing required component is refused with the rule" "(thành phần bắt buộc 3|required component 3)"
check_eq "nothing written" "$v0" "$(sqlite3 "$DB" "select version from dossiers where code = '$D'")"
# tick the rest and confirm: accepted
i=3
while [ $i -le "$ncomp" ]; do keys Down Space; i=$((i + 1)); done
expect "the last component ticked" "\[x\] $ncomp\. "
keys C-o
expect "asked again, with every component" "Ghi nhận bổ sung với $((ncomp - 1)) thành phần"
keys C-o
expect "accepted: the status line says so" "$D: Được tiếp nhận; hẹn trả"
check_match "the store has it accepted" "stage +accepted" "$(mc show "$D")"
check_eq "with every component" "$(( (1 << ncomp) - 1 ))" "$(sqlite3 "$DB" "select components from dossiers where code = '$D'")"
f01=$(at "$NOW" mc form 01 "$D")
check_eq "form 01 lists every component" "$ncomp" "$(printf '%s\n' "$f01" | grep -Ec '^   [0-9]+\) ')"
check_match "and the visit of the supplement" "Nộp bổ sung lúc 10 giờ 00 phút, ngày 20/03/2024" "$f01"
keys q
wait_exit; check_eq "q leaves the UI (status 0)" 0 "$(ui_status)"
echo "1..$n"
