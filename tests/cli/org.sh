#!/bin/sh
# org.sh - the organisation of 2025 at the command line, in one store: offices of the
# 2018 model keep working as before (no places recorded); an administrator sets office
# kinds and who resolves what; a centre receives another agency's procedure and the
# dossier goes to that agency at once (received + routed), with its three places shown;
# what is refused writes nothing and names the rule.
. "$ROOT/tests/lib.sh"
A=000.00.17.H45; B=000.00.31.H45; CM=000.31.29.H45; PC=2.006365; P1=1.001037
at "2025-07-01 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1

# the 2018 model, untouched: a legacy office receives its own procedure as before
check "a legacy office receives its own procedure" at "2025-07-02 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Cũ Văn Một" --id 022123456781 --components all
check_eq "no places recorded for it" "0 0" "$(sqlite3 "$DB" "select count(*) from events where payload like '%return_at%'; " ) $(sqlite3 "$DB" "select sum(recv_office_id) from dossiers")"
check_match "office list shows the kinds" "$A +legacy" "$(mc --as admin office list 2>&1)"
check_match "only an administrator sets kinds" "admin role" "$(mc --as clerk1 office set $A --kind centre 2>&1)"
check_fails "and fails" mc --as clerk1 office set $A --kind centre
check_match "a usage error names the subcommands" "list, set, receives, resolves" "$(mc --as admin office frobnicate 2>&1)"

# the department becomes a one-tier city centre; the commune resolves its procedure
check "the office becomes a centre" mc --as admin office set $A --kind centre
check "the commune is a commune centre" mc --as admin office set $CM --kind commune
check "the commune resolves its procedure" mc --as admin office resolves $CM $PC
check_match "office list counts it" "$CM +commune +3 +- +0 +1" "$(mc --as admin office list 2>&1)"
out=$(at "2025-07-10 09:00:00" mc --as clerk1 receive --procedure $PC --name "Trần Thị Hai" --id 022123456782 --components all 2>&1)
check_match "the centre receives the commune's procedure" "received $A-250710-0001" "$out"
code=$A-250710-0001
check_eq "received and routed in one go" "received routed" "$(sqlite3 "$DB" "select group_concat(kind, ' ') from (select kind from events where dossier_code = '$code' order by dseq)")"
show=$(mc show $code 2>&1)
check_match "show: where it is" "^office +$CM" "$show"
check_match "show: received here" "received_by_office +$A" "$show"
check_match "show: resolved by the commune" "resolved_by +$CM" "$show"
check_match "show: returned here" "return_office +$A" "$show"
check_nomatch "not in the centre's queue" "$code" "$(mc --as clerk1 queue 2>&1)"
check_match "the centre can no longer write it" "belongs to another office" "$(at "2025-07-10 09:10:00" mc --as clerk1 transfer $code 2>&1)"

# refusals name what is wrong and write nothing
nev=$(sqlite3 "$DB" "select count(*) from events")
check_match "a district that does not resolve it" "agency $B does not resolve procedure $PC" "$(at "2025-07-10 09:20:00" mc --as clerk1 receive --procedure $PC --name X --id 022123456783 --components all --resolver $B 2>&1)"
check_match "an unknown agency" "unknown agency 'NO.1'" "$(at "2025-07-10 09:20:00" mc --as clerk1 receive --procedure $PC --name X --id 022123456783 --components all --resolver NO.1 2>&1)"
check_match "a place of return that returns nothing" "office $B does not return results" "$(at "2025-07-10 09:20:00" mc --as clerk1 receive --procedure $PC --name X --id 022123456783 --components all --return-at $B 2>&1)"
check_match "a resolver for a dossier not accepted" "only an accepted dossier" "$(at "2025-07-10 09:20:00" mc --as clerk1 receive --procedure $PC --name X --id 022123456783 --components 1 --outcome supplement --reason Thiếu --resolver $CM 2>&1)"
check_fails "refusals exit non-zero" at "2025-07-10 09:20:00" mc --as clerk1 receive --procedure $PC --name X --id 022123456783 --components all --resolver $B
check "a receive list limits the centre" mc --as admin office receives $A $P1
check_match "to the procedures on it" "office $A does not receive procedure $PC" "$(at "2025-07-10 09:30:00" mc --as clerk1 receive --procedure $PC --name X --id 022123456783 --components all 2>&1)"
check_eq "nothing written by the refusals" "$nev" "$(sqlite3 "$DB" "select count(*) from events")"
check "dropping the list makes it boundary-free again" mc --as admin office drop-receives $A $P1
check "receives again" at "2025-07-10 09:40:00" mc --as clerk1 receive --procedure $PC --name "Lê Ba" --id 022123456784 --components all --return-at $CM
check_match "returned at the commune" "return_office +$CM" "$(mc show $A-250710-0002 2>&1)"

# stop at the applicant's request: refused once a decision exists (Decree 118 Art. 21)
c1=$A-250702-0001
printf 'motcua-demo\n' >"$T/pass"
at "2025-07-02 10:00:00" mc --as clerk1 transfer $c1 >/dev/null 2>&1
at "2025-07-02 10:10:00" mc --as head_tm assign $c1 --to spec_tm1 >/dev/null 2>&1
at "2025-07-02 10:20:00" mc --as spec_tm1 propose $c1 --decision approve >/dev/null 2>&1
at "2025-07-02 10:30:00" mc --as leader1 sign $c1 --passphrase-file "$T/pass" >/dev/null 2>&1
check_match "no stop after the decision, naming the rule" "cannot be stopped at the applicant's request: its decision was issued on 2025-07-02 10:30.*Art. 21" \
	"$(at "2025-07-02 11:00:00" mc --as leader1 stop $c1 --reason "Đề nghị dừng" 2>&1)"
at "2025-07-03 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Dừng Văn" --id 022123456785 --components all >/dev/null 2>&1
check "a stop before the decision" at "2025-07-03 10:00:00" mc --as leader1 stop $A-250703-0001 --reason "Đề nghị dừng"
check_match "confirmed by the stop notice" "THÔNG BÁO" "$(mc --as clerk1 form 05 $A-250703-0001 2>&1)"
r=$(mc --as clerk1 form RECEIPT $A-250710-0002 2>&1)
check_match "its receipt names where the result is collected" "Đăng ký nhận kết quả tại: UBND xã Đông Ngũ" "$r"
check_match "and is the receiving office's" "Trung tâm Phục vụ hành chính công: Sở Công Thương" "$r"
reg=$(mc --as clerk1 form REGISTER --period 2025-07 2>&1)
# the register is a grid (form 07): a column's pieces joined
gridcol() { printf '%s\n' "$reg" | awk -F'|' -v k=$1 'NF == 13 { print $k }' | tr -d ' \n'; }
check_match "the centre's register lists what it received, held by the commune" "$A-250710-0001" "$(gridcol 3)"
check_match "with the commune as the lead agency" "UBNDxãĐôngNgũ" "$(gridcol 7)"
