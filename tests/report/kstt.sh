#!/bin/sh
# kstt.sh - `motcua report kstt`: form II.06a/VPCP/KSTT by level and field, periods of
# the reporting regime (15th to 14th) around 1 July 2025.  A store of the 2018 model
# receives a provincial and a district dossier in June 2025; then the office becomes a
# centre of the 2025 model, a commune centre resolves its procedure, and the centre
# receives in July: one routed to the commune, one district procedure, one provincial
# online.  Checked: each number of the form, the identities in every row, level and
# total (from the JSON), the district level only where the law still has it, the CSV,
# 80 columns, the same total as the report by field, bad input and who may read it;
# the liên thông dossiers and late parts per agency under the form.
. "$ROOT/tests/lib.sh"
A=000.00.17.H45; CM=000.31.29.H45; PC=2.006365; P1=1.001037; PD=2.005810
at "2025-06-02 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
recv() { at "$1" mc --as clerk1 receive --procedure $2 --name "$3" --id $4 --components all $5 >/dev/null 2>&1; }
recv "2025-06-20 09:00:00" $PD "Huyện Văn Một" 022123456781
recv "2025-06-20 09:30:00" $P1 "Tỉnh Văn Một" 022123456782
mc --as admin office set $A --kind centre >/dev/null 2>&1
mc --as admin office set $CM --kind commune >/dev/null 2>&1
mc --as admin office resolves $CM $PC >/dev/null 2>&1
recv "2025-07-10 09:00:00" $PC "Xã Văn Hai" 022123456783
recv "2025-07-10 09:10:00" $PD "Huyện Văn Hai" 022123456784
recv "2025-07-10 09:20:00" $P1 "Tỉnh Văn Hai" 022123456785 "--channel online"
# the June provincial dossier resolved early, in July
at "2025-07-01 09:00:00" mc --as clerk1 transfer $A-250620-0002 >/dev/null 2>&1
at "2025-07-01 09:10:00" mc --as head_tm assign $A-250620-0002 --to spec_tm1 >/dev/null 2>&1
at "2025-07-01 09:20:00" mc --as spec_tm1 propose $A-250620-0002 --decision approve >/dev/null 2>&1
printf 'motcua-demo\n' >"$T/pass"
at "2025-07-01 09:30:00" mc --as leader1 sign $A-250620-0002 --passphrase-file "$T/pass" >/dev/null 2>&1
K() { at "2025-07-20 09:00:00" mc --as super1 report kstt "$@" 2>&1; }
fits() { [ "$(printf '%s\n' "$1" | LC_ALL=C.UTF-8 wc -L)" -le 80 ] && [ -n "$1" ]; }

q3=$(K --period 2025-Q3 --all-offices)
check "II.06a fits 80 columns" fits "$q3"
check_match "the form's number" "Biểu số II.06a/VPCP/KSTT$" "$q3"
check_match "its title" "TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" "$q3"
check_match "Q3 of the reporting regime: 15/06 to 14/09" "Kỳ báo cáo: từ 15/06/2025 đến 14/09/2025" "$q3"
check_match "reporting and receiving units" "^Đơn vị nhận báo cáo: Văn phòng Ủy ban nhân dân tỉnh" "$q3"
check_match "the columns 3 to 13" "^STT Lĩnh vực, công việc +\(3\) +\(4\) +\(5\) +\(6\) +\(7\) +\(8\) +\(9\) +\(10\) +\(11\) +\(12\) +\(13\)$" "$q3"
#                                                      (3)(4)(5)(6)(7)(8)(9)(10)(11)(12)(13)
check_match "province: 3 received (1 online, 2 in person), 1 resolved early, 2 in progress (1 overdue)" \
	"^I   Cấp tỉnh +3 +1 +2 +0 +1 +1 +0 +0 +2 +1 +1$" "$q3"
check_match "district (a period before the reform): the June district dossier, overdue" \
	"^II  Cấp huyện +1 +0 +1 +0 +0 +0 +0 +0 +1 +0 +1$" "$q3"
check_match "commune: the dossier routed to the commune centre" "^III Cấp xã +1 +0 +1 +0 +0 +0 +0 +0 +1 +1 +0$" "$q3"
check_match "a field row under its level" "^1   Rượu +1 +0 +1 " "$q3"
check_match "the total" "^ +Tổng cộng +5 +1 +4 +0 +1 +1 +0 +0 +4 +2 +2$" "$q3"
check_match "the district procedure received after the reform: at the competent agency's level" \
	"^I   Cấp tỉnh +3 " "$q3"
aug=$(K --period 2025-08 --all-offices)
check_match "after the reform the district row holds only what was received before it" \
	"^II  Cấp huyện \(hồ sơ tiếp +1 +0 +0 +1 " "$aug"
check_match "carried over (6) at province" "^I   Cấp tỉnh +2 +0 +0 +2 " "$aug"
own=$(K --period 2025-Q3)
check_match "without --all-offices: only this office's own dossiers (the routed one is the commune's)" \
	"^ +Tổng cộng +4 " "$own"
check_match "a district dossier received before the reform is still carried over in late July" "^II  Cấp huyện \(hồ sơ tiếp +1 +0 +0 +1 " \
	"$(K --from 2025-07-05 --to 2025-07-31)"
# identities over the JSON of several periods, of both kinds
for p in "--period 2025-Q3" "--period 2025-07" "--period 2025-Q2 --calendar" "--period 2025-H2" "--from 2025-06-25 --to 2025-07-15"; do
	K $p --all-offices --format json >"$T/k.json"
	check "identities hold in every row, level and total ($p)" python3 - "$T/k.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
def ok(w):
    c = lambda n: w["c%d" % n]
    assert c(3) == c(4) + c(5) + c(6) == c(7) + c(11), w
    assert c(7) == c(8) + c(9) + c(10) and c(11) == c(12) + c(13), w
tot = {n: 0 for n in range(3, 14)}
for lv in r["levels"]:
    ok(lv)
    for n in range(3, 14):
        assert lv["c%d" % n] == sum(f["c%d" % n] for f in lv["fields"]), lv
        tot[n] += lv["c%d" % n]
    for f in lv["fields"]:
        ok(f)
ok(r["kstt_total"])
assert all(r["kstt_total"]["c%d" % n] == tot[n] for n in range(3, 14)), (r["kstt_total"], tot)
assert r["form"] == "II.06a/VPCP/KSTT"
EOF
done
check_eq "the same total as the report by field" \
	"$(at "2025-07-20 09:00:00" mc --as super1 report stats --period 2025-Q3 --all-offices --format csv | tail -1 | cut -d, -f7)" \
	"$(K --period 2025-Q3 --all-offices --format csv | tail -1 | cut -d, -f5)"
csv=$(K --period 2025-Q3 --all-offices --format csv)
check_match "CSV: the headers of the form" '"\(3\) Số hồ sơ nhận giải quyết: tổng số = \(4\) \+ \(5\) \+ \(6\)"' "$csv"
check_match "CSV: a level line" '^"III","Cấp xã","","Cấp xã",1,0,1,0,0,0,0,0,1,1,0' "$csv"
check_match "CSV: the total" '^"","Tổng cộng","","Tổng cộng",5,1,4,0,1,1,0,0,4,2,2' "$csv"
check_match "--by kstt is the same report" "Biểu số II.06a/VPCP/KSTT" "$(at "2025-07-20 09:00:00" mc --as super1 report stats --by kstt --period 2025-Q3 2>&1)"
sqlite3 "$DB" "insert into settings(key, value) values ('report.recipient', 'Văn phòng UBND tỉnh Quảng Ninh')"
check_match "the receiving unit is a setting" "^Đơn vị nhận báo cáo: Văn phòng UBND tỉnh Quảng Ninh" "$(K --period 2025-Q3)"
check_match "an unknown breakdown names the three" "field, level or kstt" "$(mc --as super1 report stats --by kstat --period 2025-Q3 2>&1)"
check_match "an unknown report names kstt" "stats, kstt, catalog or digital" "$(mc --as super1 report kst 2>&1)"
check_fails "a clerk may not read it" mc --as clerk1 report kstt --period 2025-Q3
check_fails "the catalog report takes no --all-offices" mc --as super1 report catalog --all-offices
at "2025-07-21 09:00:00" mc --as leader1 stop $A-250620-0001 --reason "Người nộp đề nghị dừng" >/dev/null 2>&1
check_match "once it is finished, a later period has no district row (commune is II)" "^II  Cấp xã " \
	"$(at "2025-08-01 09:00:00" mc --as super1 report kstt --from 2025-07-25 --to 2025-07-31 --all-offices 2>&1)"
# liên thông under the form: a dossier with a part at the district, open past its deadline
B=000.00.31.H45
mc --as admin part agency $P1 $A --task "Thẩm định và quyết định" --days 5 --lead >/dev/null 2>&1
mc --as admin part agency $P1 $B --task "Xác nhận của huyện" --days 2 --order 1 >/dev/null 2>&1
recv "2025-07-22 09:00:00" $P1 "Liên Văn Thông" 022123456786
at "2025-07-22 09:10:00" mc --as clerk1 transfer $A-250722-0001 >/dev/null 2>&1
at "2025-07-22 09:20:00" mc --as head_tm assign $A-250722-0001 --to spec_tm1 >/dev/null 2>&1
at "2025-07-22 09:30:00" mc --as spec_tm1 part open $A-250722-0001 --flow parallel >/dev/null 2>&1
lt=$(at "2025-07-28 09:00:00" mc --as super1 report kstt --period 2025-08 2>&1)
check_match "II.06a lists the liên thông agencies" "^Hồ sơ liên thông theo cơ quan tham gia" "$lt"
check_match "the lead: one dossier it led, no part" "^Sở Công Thương tỉnh Quảng Ninh +1 +1 +0 +0$" "$lt"
check_match "the district: one dossier, one part, late" "^UBND huyện Tiên Yên +1 +0 +1 +1$" "$lt"
check "II.06a with liên thông fits 80 columns" fits "$lt"
check_match "and in the JSON" '"late_parts": 1' "$(at "2025-07-28 09:00:00" mc --as super1 report kstt --period 2025-08 --format json 2>&1)"
echo "1..$n"
