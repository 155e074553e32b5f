#!/bin/sh
# digital.sh - `motcua report digital`: the Decision 766 digitisation indicators per
# field and period with known counts: 4.1 (result document attached / received), 4.2
# (every received component filed and, once signed, the result document / received),
# 4.3 (at least one component reused / received), the share of components reused and
# of signed results issued as a document; the formulas printed; a file attached after
# the period's end does not count in it; dossiers refused at intake or received outside
# the period are not received; CSV and JSON; who may read it.
. "$ROOT/tests/lib.sh"
export LANG=C.UTF-8
at "2024-03-01 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
q() { sqlite3 "$DB" "$1"; }
codeof() { grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1; }
pdf() { printf '%%PDF-1.4\n%s 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' "$1" >"$T/$1.pdf"; }
for f in d1a d1b d2a d2b d3a d3b d4a kq; do pdf $f; done
printf 'motcua-demo\n' >"$T/pass"
R() { at "$1" mc --as clerk1 receive --id 022123456789 --name "Nguyễn Văn An" --components all --procedure "$2" | codeof; }
sign_it() { # transfer, assign, propose, [attach the result], sign
	at "2024-03-12 09:00:00" mc --as clerk1 transfer "$1" >/dev/null
	at "2024-03-12 10:00:00" mc --as head_tm assign "$1" --to spec_tm1 >/dev/null
	at "2024-03-13 09:00:00" mc --as spec_tm1 propose "$1" --decision approve >/dev/null
	[ -n "$2" ] && at "2024-03-13 10:00:00" mc --as spec_tm1 attach "$1" --result "$2" >/dev/null
	at "2024-03-14 09:00:00" mc --as leader1 sign "$1" --passphrase-file "$T/pass" >/dev/null
}
# field XD (1.001037: two components): d1 digitised with an electronic result; d2 filed
# but signed without the result document; d3 one of two components filed in March
d1=$(R "2024-03-11 09:00:00" 1.001037)
at "2024-03-11 09:10:00" mc --as clerk1 attach "$d1" --component 1 "$T/d1a.pdf" >/dev/null
at "2024-03-11 09:10:00" mc --as clerk1 attach "$d1" --component 2 "$T/d1b.pdf" >/dev/null
sign_it "$d1" "$T/kq.pdf"
d2=$(R "2024-03-11 09:20:00" 1.001037)
at "2024-03-11 09:30:00" mc --as clerk1 attach "$d2" --component 1 "$T/d2a.pdf" >/dev/null
at "2024-03-11 09:30:00" mc --as clerk1 attach "$d2" --component 2 "$T/d2b.pdf" >/dev/null
sign_it "$d2" ""
d3=$(R "2024-03-11 09:40:00" 1.001037)
at "2024-03-11 09:50:00" mc --as clerk1 attach "$d3" --component 1 "$T/d3a.pdf" >/dev/null
# field DIEN (1.001481: component 2 is the same paper as 1.001037's): d4 reuses it
d4=$(at "2024-03-15 09:00:00" mc --as clerk1 receive --id 022123456789 --name "Nguyễn Văn An" --components 1 --reuse 2 --procedure 1.001481 | codeof)
at "2024-03-15 09:10:00" mc --as clerk1 attach "$d4" --component 1 "$T/d4a.pdf" >/dev/null
# refused at intake (not received); d5 received in April; d3's second paper in April
at "2024-03-15 10:00:00" mc --as clerk1 receive --id 022123456789 --name "Nguyễn Văn An" --components 1 --procedure 1.001037 --outcome refuse --reason "Sai thẩm quyền" >/dev/null
d5=$(R "2024-04-02 09:00:00" 1.001037)
at "2024-04-02 09:00:00" mc --as clerk1 attach "$d3" --component 2 "$T/d3b.pdf" >/dev/null
check_eq "the scenario: six dossiers, one refused at intake" "6 1" "$(q "select count(*) || ' ' || sum(accepted_at = 0) from dossiers")"
check_eq "d1 and d2 are signed" 2 "$(q "select count(*) from events where kind = 'signed'")"
check_eq "d4 reuses the newest earlier file of that paper (d2's)" "$d2" "$(q "select json_extract(payload, '$.reused.dossier') from events where dossier_code = '$d4' and kind = 'attached' and payload like '%reused%'")"

out=$(at "2024-05-01 09:00:00" mc --as super1 report digital --period 2024-Q1)
flat=$(printf '%s\n' "$out" | tr '\n' ' ' | tr -s ' ')
check_match "the title" "DIGITISATION INDICATORS \(Decision 766/QĐ-TTg, group 4\)" "$out"
check_match "a calendar quarter" "Period: from 2024-01-01 to 2024-03-31" "$out"
check_match "XD: 3 received, 1 e-result, 1 digitised, none reused" "^XD .* +3 +1 +33\.33% +1 +33\.33% +0 +0\.00%$" "$out"
check_match "DIEN: 1 received, digitised, reused" "^DIEN .* +1 +0 +0\.00% +1 +100\.00% +1 +100\.00%$" "$out"
check_match "total: 4 received; 4.1 25%, 4.2 50%, 4.3 25%" "^Total +4 +1 +25\.00% +2 +50\.00% +1 +25\.00%$" "$out"
check_match "the share of components reused" "Components reused: 1 of the 8 components received \(12\.50%\)" "$flat"
check_match "the share of signed results issued as a document" "Results issued electronically: 1 result documents for 2 signed results \(50\.00%\)" "$flat"
check_match "formula 4.1 is printed" "4\.1 Hồ sơ có kết quả giải quyết điện tử: \(3\) = \(2\) / \(1\) x 100%" "$flat"
check_match "formula 4.2 with its threshold" "4\.2 Hồ sơ thực hiện số hóa: \(5\) = \(4\) / \(1\) x 100%; at most 4 points, all of them from 80%" "$flat"
check_match "formula 4.3" "4\.3 Hồ sơ khai thác, sử dụng lại dữ liệu số hóa: \(7\) = \(6\) / \(1\) x 100%" "$flat"
check_match "the portal's points" "4\.1 1\.50 of 6, 4\.2 2\.50 of 4, 4\.3 0\.63 of 2" "$flat"
check "every line fits 80 columns" test "$(printf '%s\n' "$out" | LC_ALL=C.UTF-8 wc -L)" -le 80

# March to April: d5 is received, d3's April file makes it digitised
out=$(at "2024-05-01 09:00:00" mc --as super1 report digital --from 2024-03-01 --to 2024-04-30)
check_match "with April: 5 received, 3 digitised" "^Total +5 +1 +20\.00% +3 +60\.00% +1 +20\.00%$" "$out"
out=$(at "2024-05-01 09:00:00" mc --as super1 report digital --period 2024-02)
check_match "an empty period: rates are -" "^Total +0 +0 +- +0 +- +0 +-$" "$out"

csv=$(at "2024-05-01 09:00:00" mc --as super1 report digital --period 2024-Q1 --format csv)
check_match "CSV header" "^field,name,received,result_file,rate_4_1,digitised,rate_4_2,reused,rate_4_3" "$csv"
check_match "CSV total row" '^"total","Total",4,1,25\.00%,2,50\.00%,1,25\.00%,8,1,12\.50%,2' "$csv"
json=$(at "2024-05-01 09:00:00" mc --json --as super1 report digital --period 2024-Q1)
check_match "JSON: rate 4.2 of the total" '"rate_4_2": 50\.0' "$json"
check_match "JSON: the formulas" '"rate_4_3": "reused / received x 100' "$json"
out=$(mc --as clerk1 report digital --period 2024-Q1 2>&1); rc=$?
check_eq "a clerk may not read the indicators (exit 5)" 5 "$rc"
check_fails "a period is required" mc --as super1 report digital
check_fails "an unknown format is refused" mc --as super1 report digital --period 2024-Q1 --format xml
echo "1..$n"
