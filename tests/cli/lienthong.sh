#!/bin/sh
# lienthong.sh - inter-agency processing (liên thông) at the command line, in one store:
# a procedure declares its agencies (lead, task, share of the time); a parallel dossier
# opens every part at once, each with its own deadline from the calendar and its own
# queue at its agency; a part handed back late makes that agency the one the lateness is
# attributed to, and only its head signs the apology (form 04); the lead concludes only
# when every part is back.  A sequential dossier passes from agency to agency with
# numbered transfer slips, the dossier going with it, and comes back to the lead.  The
# report counts liên thông dossiers and late parts per agency; form 06 lists each
# hand-over with the co-operating agency.
. "$ROOT/tests/lib.sh"
A=000.00.17.H45; B=000.00.31.H45; CM=000.31.29.H45; P1=1.001037
at "2025-07-01 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
where() { sqlite3 "$DB" "select o.agency_code from dossiers d join offices o on o.id = d.office_id where d.code = '$1'"; }

# configuration: the administrator declares the agencies
check_match "only an administrator declares the agencies" "admin role" "$(mc --as clerk1 part agency $P1 $B --task T --days 2 2>&1)"
check "the lead agency" mc --as admin part agency $P1 $A --task "Thẩm định và quyết định" --days 5 --lead
check "a district's part" mc --as admin part agency $P1 $B --task "Xác nhận của huyện" --days 2 --order 1
check "a commune's part" mc --as admin part agency $P1 $CM --task "Xác nhận nơi cư trú" --days 2 --order 2
check_match "a share is required" "--days N" "$(mc --as admin part agency $P1 $CM --task X 2>&1)"
check_match "an unknown flow is refused" "unknown flow 'sideways'" "$(mc --as admin part flow $P1 sideways 2>&1)"
ag=$(mc --as admin part agencies $P1 2>&1)
check_match "agencies listed in order: lead" "$A +0 +5 lead" "$ag"
check_match "agencies listed in order: the commune last" "$CM +2 +2 +Xác nhận nơi cư trú" "$ag"
mc --as admin user add c_head --name "Trưởng VP xã" --roles head --office $CM --department VP-DN >/dev/null 2>&1
mc --as admin user add c_spec --name "Công chức xã" --roles specialist --office $CM --department VP-DN >/dev/null 2>&1
mc --as admin user add c_lead --name "Chủ tịch xã" --roles leader --office $CM >/dev/null 2>&1

# --- parallel: every part at once
at "2025-07-10 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Nguyễn Văn Một" --id 022123456781 --components all >/dev/null 2>&1
c1=$A-250710-0001
at "2025-07-10 09:10:00" mc --as clerk1 transfer $c1 >/dev/null 2>&1
at "2025-07-10 09:20:00" mc --as head_tm assign $c1 --to spec_tm1 >/dev/null 2>&1
check_match "the lead cannot conclude before opening the parts" "needs the participating agencies' parts first" \
	"$(at "2025-07-10 09:30:00" mc --as spec_tm1 propose $c1 --decision approve 2>&1)"
check_match "another agency cannot open them" "lead agency's clerk, head or specialist" "$(at "2025-07-10 10:30:00" mc --as d_head part open $c1 2>&1)"
check "the lead opens the parts (parallel)" at "2025-07-10 10:30:00" mc --as spec_tm1 part open $c1 --flow parallel
check_match "not twice" "already open" "$(at "2025-07-10 10:31:00" mc --as spec_tm1 part open $c1 2>&1)"
show=$(at "2025-07-10 10:40:00" mc part show $c1 2>&1)
check_match "both parts open at once, each its own deadline (2 working days)" "part 1 at $B \(2 working days\): open; due 2025-07-14 10:30" "$show"
check_match "the commune's too" "part 2 at $CM \(2 working days\): open; due 2025-07-14 10:30" "$show"
check_match "the district's queue has its part" "$c1 +1 $B" "$(at "2025-07-10 10:40:00" mc --as d_head part list 2>&1)"
check_nomatch "and not the commune's" "$c1 +2" "$(at "2025-07-10 10:40:00" mc --as d_head part list 2>&1)"
check_match "an agency cannot take another's part" "it is the part of agency $CM" "$(at "2025-07-10 10:40:00" mc --as d_head part take $c1 2 2>&1)"
check_match "a head gives it to its own specialist only" "give it to a specialist of agency $B" "$(at "2025-07-10 10:40:00" mc --as d_head part take $c1 1 --to c_spec 2>&1)"
check "the district's head gives its part to its specialist" at "2025-07-10 10:40:00" mc --as d_head part take $c1 1 --to d_spec1
check_match "the specialist sees it in the queue" "$c1 +1 $B .* taken +d_spec1" "$(at "2025-07-10 10:41:00" mc --as d_spec1 part list 2>&1)"
check_match "a result is required" "--result TEXT" "$(at "2025-07-11 10:40:00" mc --as d_spec1 part return $c1 1 2>&1)"
check "the district hands back on time" at "2025-07-11 10:40:00" mc --as d_spec1 part return $c1 1 --result "Đã xác nhận"
check_match "the lead still cannot conclude" "part 2 at agency $CM is not handed back" \
	"$(at "2025-07-11 11:00:00" mc --as spec_tm1 propose $c1 --decision approve 2>&1)"
check "the commune's specialist takes its part" at "2025-07-15 09:00:00" mc --as c_spec part take $c1 2
check_match "past its deadline the part is late" "$c1 +2 $CM .* \(late\)" "$(at "2025-07-15 09:05:00" mc --as c_spec part list 2>&1)"
check_match "lateness attributed to the commune" "attributed to agency $CM" "$(at "2025-07-15 09:05:00" mc part show $c1 2>&1)"
js=$(at "2025-07-15 09:05:00" mc --json part show $c1 2>&1)
check_eq "--json: the responsible agency and each part's state" "$CM taken handed back" "$(printf '%s' "$js" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["responsible"], d["parts"][1]["state"], d["parts"][0]["state"])')"
check_eq "--json: the late part's working minutes (09:00-09:05 on the 15th, 14 10:30-17:00)" "395" "$(printf '%s' "$js" | python3 -c 'import json,sys; print(json.load(sys.stdin)["parts"][1]["late_minutes"])')"
check "the lead's specialist proposes the apology" at "2025-07-15 09:10:00" mc --as spec_tm1 extend $c1 --until 2025-07-30 --reason "Xã chậm xác nhận"
check_match "the lead's leader does not sign it" "signed by the head of agency $CM, the agency that made it late" \
	"$(at "2025-07-15 09:20:00" mc --as leader1 issue-extension $c1 2>&1)"
check "the late agency's head signs it" at "2025-07-15 09:20:00" mc --as c_lead issue-extension $c1
check_eq "the apology names the late agency" "$CM c_lead" "$(sqlite3 "$DB" "select json_extract(payload, '\$.agency') || ' ' || actor from events where dossier_code = '$c1' and kind = 'extended'")"
f4=$(at "2025-07-15 09:25:00" mc form 04 $c1 2>&1)
check_match "form 04 names the late agency" "UBND xã Đông Ngũ" "$f4"
check_match "form 04 signed by its head" "Chủ tịch xã" "$f4"
check "the commune hands back late" at "2025-07-15 09:30:00" mc --as c_spec part return $c1 2 --result "Đã xác nhận nơi cư trú"
check_eq "recorded late" "false true" "$(sqlite3 "$DB" "select group_concat(json_extract(payload, '\$.late'), ' ') from (select payload from events where dossier_code = '$c1' and kind = 'part_returned' order by dseq)" | sed 's/0/false/; s/1/true/')"
check "now the lead concludes" at "2025-07-15 09:40:00" mc --as spec_tm1 propose $c1 --decision approve
f6=$(at "2025-07-15 09:45:00" mc form 06 $c1 2>&1)
check_match "form 06: the co-operating agencies" "Cơ quan phối hợp giải quyết hồ sơ: UBND huyện Tiên Yên; UBND xã Đông Ngũ" "$f6"
# the 2025 control sheet is a table: its notes column (the step) read cell by cell
notes=$(printf '%s\n' "$f6" | awk -F'|' 'NF == 6 { v = $5; gsub(/^ +| +$/, "", v); if (v ~ /^Bước /) printf "\n"; printf "%s ", v }')
check_match "form 06: the hand-over to them" "Chuyển cơ quan phối hợp \(liên thông\)" "$notes"
check_match "form 06: the hand-back from each" "Cơ quan phối hợp trả kết quả xử lý" "$notes"

# --- sequential: one after the other with transfer slips, the dossier going along
at "2025-07-10 09:05:00" mc --as clerk1 receive --procedure $P1 --name "Trần Văn Hai" --id 022123456782 --components all >/dev/null 2>&1
c2=$A-250710-0002
at "2025-07-10 09:10:00" mc --as clerk1 transfer $c2 >/dev/null 2>&1
check "the flow by channel: a paper dossier goes sequentially" mc --as admin part flow $P1 channel
check "the lead's head opens the parts" at "2025-07-10 09:20:00" mc --as head_tm part open $c2
show=$(at "2025-07-10 09:21:00" mc part show $c2 2>&1)
check_match "sequential" "sequential flow, lead agency $A" "$show"
check_match "the first part opens with slip 1" "part 1 at $B .*open; due 2025-07-14 09:20" "$show"
check_match "the second waits" "part 2 at $CM .*waiting; due -" "$show"
check_eq "the dossier goes to the district with the slip" "$B" "$(where $c2)"
slip=$(mc part slip $c2 1 2>&1)
check_match "the transfer slip" "PHIẾU CHUYỂN XỬ LÝ HỒ SƠ" "$slip"
check_match "slip no. 1, to the district" "Cơ quan nhận: UBND huyện Tiên Yên" "$slip"
check_match "with its task and deadline" "Thời hạn xử lý: 2 ngày làm việc, đến 09:20 ngày 14/07/2025" "$slip"
check_match "the waiting part cannot be taken" "waiting for the previous part" "$(at "2025-07-10 10:00:00" mc --as c_spec part take $c2 2 2>&1)"
check "the district's head takes" at "2025-07-10 10:40:00" mc --as d_head part take $c2 1
check "and hands back" at "2025-07-10 10:45:00" mc --as d_head part return $c2 1 --result "Huyện đồng ý"
check_eq "the dossier goes on to the commune" "$CM" "$(where $c2)"
slip=$(mc part slip $c2 2 2>&1)
check_match "slip no. 2" "Số: 2/$c2" "$slip"
check_match "from the district, with its result" "Kết quả xử lý của cơ quan chuyển: Huyện đồng ý" "$slip"
check "the commune takes" at "2025-07-11 10:40:00" mc --as c_spec part take $c2 2
check "and hands back" at "2025-07-11 10:50:00" mc --as c_spec part return $c2 2 --result "Xã xác nhận"
check_eq "the dossier is back at the lead" "$A" "$(where $c2)"
check_eq "routed with place part, three times" "3" "$(sqlite3 "$DB" "select count(*) from events where dossier_code = '$c2' and kind = 'routed' and json_extract(payload, '\$.place') = 'part'")"
at "2025-07-11 11:00:00" mc --as head_tm assign $c2 --to spec_tm1 >/dev/null 2>&1
check "the lead's specialist proposes" at "2025-07-11 11:10:00" mc --as spec_tm1 propose $c2 --decision approve

# --- the late part already went back: the holder's leader issues the letter, naming the late agency
at "2025-07-10 09:06:00" mc --as clerk1 receive --procedure $P1 --name "Lê Văn Ba" --id 022123456783 --components all >/dev/null 2>&1
c3=$A-250710-0003
at "2025-07-10 09:10:00" mc --as clerk1 transfer $c3 >/dev/null 2>&1
at "2025-07-10 09:20:00" mc --as head_tm part open $c3 --flow sequential >/dev/null 2>&1
at "2025-07-15 10:00:00" mc --as d_head part return $c3 1 --result "Huyện đồng ý (muộn)" >/dev/null 2>&1
at "2025-07-15 11:00:00" mc --as c_head part return $c3 2 --result "Xã đồng ý" >/dev/null 2>&1
check_eq "c3 is back at the lead, the district's part late" "$A" "$(where $c3)"
at "2025-07-15 11:10:00" mc --as head_tm assign $c3 --to spec_tm1 >/dev/null 2>&1
check "the lead's specialist proposes the apology" at "2025-07-15 11:20:00" mc --as spec_tm1 extend $c3 --until 2025-07-31 --reason "Huyện trả chậm"
check "the lead's leader issues it, the district's part being back" at "2025-07-15 11:30:00" mc --as leader1 issue-extension $c3
check_eq "the letter names the district" "$B leader1" "$(sqlite3 "$DB" "select json_extract(payload, '\$.agency') || ' ' || actor from events where dossier_code = '$c3' and kind = 'extended'")"

# --- the late agency's leader apologises itself (all offices in this store: on the
# dossier, whose appointment moves at once); a dossier received before 1 July 2025 prints
# the 2018 form 04, naming the late agency and signed by its head
at "2025-06-10 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Hoàng Văn Bốn" --id 022123456784 --components all >/dev/null 2>&1
c4=$A-250610-0001
at "2025-06-10 09:10:00" mc --as clerk1 transfer $c4 >/dev/null 2>&1
check "c4: the lead opens the parts (parallel)" at "2025-06-10 09:20:00" mc --as head_tm part open $c4 --flow parallel
n0=$(sqlite3 "$DB" "select count(*) from events where dossier_code = '$c4'")
check_match "c4: not before the part is late" "part 2 of dossier $c4 is not late" \
	"$(at "2025-06-11 09:00:00" mc --as c_lead part apologise $c4 2 --until 2025-07-15 --reason "Xã chậm xác nhận" 2>&1)"
check_match "c4: the commune's head of office is no leader" "c_head may not sign the apology for part 2 of dossier $c4: a leader of agency $CM" \
	"$(at "2025-06-13 09:00:00" mc --as c_head part apologise $c4 2 --until 2025-07-15 --reason "Xã chậm xác nhận" 2>&1)"
check_match "c4: nor the lead's leader" "leader1 may not sign the apology" \
	"$(at "2025-06-13 09:00:00" mc --as leader1 part apologise $c4 2 --until 2025-07-15 --reason "Xã chậm xác nhận" 2>&1)"
check_match "c4: a reason is required" "--reason TEXT" "$(at "2025-06-13 09:00:00" mc --as c_lead part apologise $c4 2 --until 2025-07-15 2>&1)"
check_match "c4: a new appointment is required" "--until YYYY-MM-DD" "$(at "2025-06-13 09:00:00" mc --as c_lead part apologise $c4 2 --reason x 2>&1)"
check_match "c4: on a working day" "non-working day" "$(at "2025-06-13 09:00:00" mc --as c_lead part apologise $c4 2 --until 2025-07-12 --reason x 2>&1)"
check_eq "c4: the refused attempts wrote nothing" "$n0" "$(sqlite3 "$DB" "select count(*) from events where dossier_code = '$c4'")"
out=$(at "2025-06-13 09:00:00" mc --as c_lead part apologise $c4 2 --until 2025-07-15 --reason "Xã chậm xác nhận" 2>&1)
check_match "c4: the commune's leader signs it; the appointment moves at once" "the appointment is now 2025-07-15 17:00" "$out"
check_eq "c4: one event, naming the commune, its part and its head" "extended $CM 2 c_lead Chủ tịch xã" \
	"$(sqlite3 "$DB" "select kind || ' ' || json_extract(payload, '\$.agency') || ' ' || json_extract(payload, '\$.part') || ' ' || actor || ' ' || json_extract(payload, '\$.signer_name') from events where dossier_code = '$c4' and dseq > $n0")"
check_match "c4: part show has it" "Apology of agency $CM for part 2, signed by Chủ tịch xã \(c_lead\) on 2025-06-13 09:00: new appointment 2025-07-15 17:00" \
	"$(at "2025-06-13 09:05:00" mc part show $c4 2>&1)"
check_eq "c4: --json part show has it" "$CM 2 True" "$(at "2025-06-13 09:05:00" mc --json part show $c4 2>&1 | python3 -c 'import json,sys; a=json.load(sys.stdin)["apology"]; print(a["agency"], a["n"], a["applied"])')"
check_match "c4: only once" "only once" "$(at "2025-06-13 09:10:00" mc --as c_lead part apologise $c4 2 --until 2025-07-16 --reason x 2>&1)"
check_match "c4: nothing for the lead to record" "no participating agency has apologised" "$(at "2025-06-13 09:10:00" mc --as clerk1 part reschedule $c4 2>&1)"
f4=$(at "2025-06-13 09:15:00" mc form 04 $c4 2>&1)
check_match "c4: the 2018 form 04" "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" "$f4"
check_match "c4: naming the commune" "chậm giải quyết \(ký phiếu\):.*UBND xã Đông Ngũ" "$(echo "$f4" | tr '\n' ' ')"
check_match "c4: signed by its head" "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ.*Chủ tịch xã" "$(echo "$f4" | tr '\n' ' ')"
check_eq "c4: at 80 columns" "0" "$(printf '%s\n' "$f4" | python3 -c 'import sys; print(sum(1 for l in sys.stdin if len(l.rstrip("\n")) > 80))')"
check_match "c4: the report counts the commune's apology" "$CM +1 +0 +1 +1 +1" \
	"$(at "2025-07-01 09:00:00" mc --as super1 part report --from 2025-06-01 --until 2025-06-30 2>&1)"
check_match "part's usage names the new subcommands" "apologise CODE N --until DATE --reason TEXT \| reschedule CODE \[N\]" "$(mc part 2>&1)"

# --- the report: dossiers and late parts per agency
rep=$(at "2025-08-01 09:00:00" mc --as super1 part report --from 2025-07-01 --until 2025-07-31 2>&1)
check_match "the lead led three" "$A +3 +3 +0 +0" "$rep"
check_match "the district: three parts, one late" "$B +3 +0 +3 +1" "$rep"
check_match "the commune: three parts, one late" "$CM +3 +0 +3 +1" "$rep"
check_match "a clerk may not read it" "reports are for" "$(mc --as clerk1 part report --from 2025-07-01 --until 2025-07-31 2>&1)"
