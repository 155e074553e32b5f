#!/bin/sh
# lienthong.sh - liên thông in the terminal UI: a participating agency's specialist finds
# the part given to it in a queue of its own on the home screen, and the dossier's screen
# lists the lead agency and each part with its state and deadline, the late part marked
# and the lateness attributed to its agency.  The late agency's leader apologises with
# key j (form 04: the new appointment and the reason); between stores, the lead's clerk
# sees the letter that came on the part's chain and records its appointment (key j).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
A=000.00.17.H45; B=000.00.31.H45; CM=000.31.29.H45; P1=1.001037
at "2025-07-01 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
mc --as admin part agency $P1 $A --task "Thẩm định" --days 5 --lead >/dev/null
mc --as admin part agency $P1 $B --task "Xác nhận của huyện" --days 2 --order 1 >/dev/null
mc --as admin part agency $P1 $CM --task "Xác nhận nơi cư trú" --days 2 --order 2 >/dev/null
at "2025-07-10 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Nguyễn Văn Liên" --id 022123456781 --components all >/dev/null
c1=$A-250710-0001
at "2025-07-10 09:10:00" mc --as clerk1 transfer $c1 >/dev/null
at "2025-07-10 09:20:00" mc --as head_tm part open $c1 --flow parallel >/dev/null
at "2025-07-10 09:30:00" mc --as d_head part take $c1 1 --to d_spec1 >/dev/null
at "2025-07-10 09:40:00" mc --as head_tm assign $c1 --to spec_tm1 >/dev/null

# the district's specialist, after the part's deadline
start "env TZ=UTC-7 faketime -f '@2025-07-15 09:00:00' $MOTCUA --db $DB --as d_spec1"
expect "home" "Hàng đợi công việc"
expect "a queue of the agency's parts" "Phần liên thông tại cơ quan của bạn: 1 hồ sơ, 1 quá hạn"
keys Tab
expect "its dossier in it" "$c1"
keys Enter
expect "the dossier's screen lists the parts" "Liên thông \(song song\), cơ quan chủ trì $A"
s=$(screen)
check_match "its own part, taken and late" "phần 1 $B: đã nhận xử lý, hạn 2025-07-14 09:20 \(trễ hạn\)" "$s"
check_match "the other part open" "phần 2 $CM: đang mở" "$s"
check_match "lateness attributed to the late agency" "Trễ hạn thuộc trách nhiệm cơ quan $B" "$s"
keys q
wait_exit

# the lead's specialist: the process form says how many parts are back, and the
# proposal is refused until all are
start "env TZ=UTC-7 faketime -f '@2025-07-15 09:00:00' $MOTCUA --db $DB --as spec_tm1"
expect "the lead's specialist sees the dossier" "$c1"
keys p
expect "the process form counts the parts back" "Liên thông: 0/2 phần đã trả kết quả"
keys Tab; text "Đủ điều kiện"; keys C-o
expect "the proposal waits for the parts" "chỉ kết luận hồ sơ $c1 khi mọi phần đã"
check_eq "nothing written" 0 "$(sqlite3 "$DB" "select count(*) from events where dossier_code = '$c1' and kind = 'proposed'")"
keys Escape; keys q
wait_exit

# the late commune's leader apologises from the dossier's screen (key j): the reason and
# the new appointment; in a store of its own office and the lead's (no central) the
# dossier's appointment moves at once.  The commune's specialist has no such key.
mc --as admin user add c_spec --name "Công chức xã" --roles specialist --office $CM --department VP-DN >/dev/null 2>&1
mc --as admin user add c_lead --name "Chủ tịch xã" --roles leader --office $CM >/dev/null 2>&1
start "env TZ=UTC-7 faketime -f '@2025-07-15 10:00:00' $MOTCUA --db $DB --as c_spec"
expect "home" "Hàng đợi công việc"
keys /; text "$c1"; keys Enter Enter
expect "the specialist opens the dossier" "Liên thông \(song song\)"
check_nomatch "no apology key in the specialist's footer" "j Xin lỗi" "$(screen | tail -1)"
keys j
expect "no apology for a specialist" "không có phiếu xin lỗi nào để ký hay cập nhật"
keys q
wait_exit
n0=$(sqlite3 "$DB" "select count(*) from events where dossier_code = '$c1'")
start "env TZ=UTC-7 faketime -f '@2025-07-15 10:00:00' $MOTCUA --db $DB --as c_lead"
expect "home" "Hàng đợi công việc"
keys /; text "$c1"; keys Enter Enter
expect "the leader opens the dossier" "Liên thông \(song song\)"
keys '?'; keys G
expect "the help lists the key" "Liên thông: cơ quan có phần việc chậm xin lỗi"
keys Escape
keys j
expect "the apology form" "Xin lỗi vì phần việc chậm: lý do và ngày hẹn mới"
expect "for the commune's part" "Phần việc +2"
text "2025-07-26"
expect "a Saturday is refused as typed" "không phải ngày làm việc"
keys BSpace BSpace; text "31"
expect "the date it becomes" "2025-07-31 17:00"
keys Tab; text "Xã chậm xác nhận"; keys C-o
expect "signed" "Đã ký phiếu xin lỗi cho phần 2, đề nghị ngày hẹn mới 2025-07-31 17:00"
check_eq "one event: the appointment moves, naming the commune and its leader" "extended $CM c_lead Chủ tịch xã" \
	"$(sqlite3 "$DB" "select kind || ' ' || json_extract(payload, '\$.agency') || ' ' || actor || ' ' || json_extract(payload, '\$.signer_name') from events where dossier_code = '$c1' and dseq > $n0")"
keys C-l
expect "the dossier's screen shows the apology" "Phiếu xin lỗi của $CM, do Chủ tịch xã ký ngày 2025-07-15 10:00"
expect "with its new appointment and reason" "hẹn trả kết quả mới 2025-07-31 17:00; lý do: Xã chậm xác nhận"
expect "and the key in the footer no more" "\? Trợ giúp e Gia hạn h Dừng xử lý i In"
keys q
wait_exit

# between stores (a central of SQLite): the district's leader apologised on its part's
# chain at its own store; at the lead, the clerk sees the letter waiting on the dossier's
# screen and records its appointment with the same key
CURL=sqlite:$T/central.db; DA=$T/lead.db; DD=$T/district.db
mt() { _t=$1; _db=$2; shift 2; TZ=UTC-7 faketime -f "@$_t" "$MOTCUA" --db "$_db" "$@"; }
"$MOTCUA" --db "$DA" central init --central "$CURL" >/dev/null 2>&1
mt "2025-07-01 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
"$MOTCUA" --db "$DA" office set $A --kind department >/dev/null 2>&1
"$MOTCUA" --db "$DA" office resolves $A $P1 >/dev/null 2>&1
"$MOTCUA" --db "$DA" --as admin part agency $P1 $A --task "Thẩm định" --days 5 --lead >/dev/null 2>&1
"$MOTCUA" --db "$DA" --as admin part agency $P1 $B --task "Ý kiến của huyện" --days 2 --order 1 >/dev/null 2>&1
"$MOTCUA" --db "$DA" central publish --central "$CURL" >/dev/null 2>&1
"$MOTCUA" --db "$DA" sync --central "$CURL" >/dev/null 2>&1
"$MOTCUA" --db "$DD" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
mt "2025-07-01 08:10:00" "$DD" sync --central "$CURL" >/dev/null 2>&1
mt "2025-08-04 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Vũ Thị Chờ" --id 022123456789 --components all >/dev/null 2>&1
s=$A-250804-0001
mt "2025-08-04 09:10:00" "$DA" --as clerk1 transfer $s >/dev/null 2>&1
mt "2025-08-04 10:00:00" "$DA" --as head_tm part open $s --flow parallel >/dev/null 2>&1
mt "2025-08-04 10:10:00" "$DA" sync >/dev/null 2>&1
mt "2025-08-04 10:20:00" "$DD" sync >/dev/null 2>&1
check "the district's leader apologises at its store" \
	mt "2025-08-07 09:00:00" "$DD" --as d_leader part apologise $s 1 --until 2025-08-29 --reason "Huyện chậm cho ý kiến"
mt "2025-08-07 09:10:00" "$DD" sync >/dev/null 2>&1
mt "2025-08-07 09:20:00" "$DA" sync >/dev/null 2>&1
n0=$(sqlite3 "$DA" "select count(*) from events where dossier_code = '$s'")
start "env TZ=UTC-7 faketime -f '@2025-08-07 09:30:00' $MOTCUA --db $DA --as clerk1"
expect "home" "Hàng đợi công việc"
keys /; text "$s"; keys Enter
expect "the dossier and its part's chain found" "Tìm thấy 2"
keys Down Enter  # the dossier, below its chain
expect "the lead's dossier shows the district's letter" "Phiếu xin lỗi của $B, do Mai Văn Khánh ký ngày 2025-08-07 09:00"
expect "waiting to be recorded" "Chưa cập nhật vào hồ sơ"
expect "the key in the footer" "j Xin lỗi"
keys j
expect "the letter to record" "Cập nhật ngày hẹn mới theo phiếu xin lỗi"
expect "signed by the district's head" "Người ký +Mai Văn Khánh \(d_leader\)"
expect "its new appointment" "2025-08-29 17:00"
keys C-o
expect "recorded" "hẹn trả kết quả mới 2025-08-29 17:00|ngày hẹn mới 2025-08-29 17:00|2025-08-29 17:00; hãy"
check_eq "one event on the lead's dossier, naming the district's letter" "extended $B $s-P1" \
	"$(sqlite3 "$DA" "select kind || ' ' || json_extract(payload, '\$.agency') || ' ' || json_extract(payload, '\$.apology') from events where dossier_code = '$s' and dseq > $n0")"
keys q
wait_exit
