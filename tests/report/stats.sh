#!/bin/sh
# stats.sh - `motcua report stats` and `report catalog` through the CLI: the demo quarter
# against counts computed independently from the event log (sqlite3 over events), the
# sums in every row, the period forms, CSV (BOM, encodings, an iconv round trip), JSON,
# a small handcrafted store under faketime, and bad input.
. "${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

at "2024-04-10 10:00:00" mc demo --dossiers 2000 --seed 5 >/dev/null 2>&1
check "demo store built" test -s "$DB"
S() { mc --as super1 report stats "$@"; }

# --- the demo quarter equals the event log's own count ---------------------------------
ccsv=$(S --period 2024-Q1 --calendar --format csv)
total=$(printf '%s\n' "$ccsv" | tail -1 | tr -d '\r' | awk -F, '{print $3,$4,$5,$6,$8,$9,$10,$12,$13,$15,$16,$17,$18,$23,$24,$25,$26}')
events=$(sqlite3 -separator ' ' "$DB" <"$ROOT/tests/report/quarter_events.sql")
check_eq "calendar Q1/2024 report equals the counts from the events" "$events" "$total"
csv=$(S --period 2024-Q1 --format csv)
check_match "the quarter has dossiers in most columns" '^[1-9][0-9]* [1-9][0-9]* [1-9][0-9]* [1-9][0-9]* [1-9]' "$total"

# --- every row and the total add up -----------------------------------------------------
sums() {
	printf '%s\n' "$1" | tail -n +2 | tr -d '\r' | awk -F, '
	{ r = $3 + $4 + $5 + $6
	  if ($7 != r || $7 != $11 + $14 || $11 != $8 + $9 + $10 || $14 != $12 + $13 || $10 != $19 + $20 || $22 > $21 ||
	      $15 > $14 || $16 + $17 + $18 > $11) bad++ }
	END { print (bad ? "bad " bad : "ok") " " NR }'
}
check_match "by field: every row adds up" '^ok [0-9]+$' "$(sums "$csv")"
lcsv=$(S --period 2024-Q1 --by level --format csv)
check_match "by level: every row adds up" '^ok 4$' "$(sums "$lcsv")"
check_eq "by level and by field give the same totals" \
	"$(printf '%s\n' "$csv" | tail -1 | cut -d, -f3-)" "$(printf '%s\n' "$lcsv" | tail -1 | cut -d, -f3-)"
# received = resolved + in progress, in every row, for periods of both kinds
for p in 2024-01 2024-02 2024-03 2023-12 2024 2024-Q2 2024-H1; do
	check_match "period $p adds up" '^ok ' "$(sums "$(S --period "$p" --format csv)")"
	check_match "calendar period $p adds up" '^ok ' "$(sums "$(S --period "$p" --calendar --format csv)")"
done
for seed in 1 2 3; do
	DB0=$DB; DB=$T/seed$seed.db
	at "2024-04-02 10:00:00" mc demo --dossiers 300 --seed $seed >/dev/null 2>&1
	for p in 2024-Q1 2024-03 2024-02; do
		check_match "seed $seed, $p: received = resolved + in progress" '^ok ' "$(sums "$(S --period "$p" --format csv)")"
		check_match "seed $seed, $p calendar: received = resolved + in progress" '^ok ' "$(sums "$(S --period "$p" --calendar --format csv)")"
	done
	DB=$DB0
done
# the months of the quarter: the new ones add up to the quarter's new ones
newq=$(printf '%s\n' "$csv" | tail -1 | awk -F, '{print $4 + $5 + $6}')
newm=0
for m in 01 02 03; do
	x=$(S --period 2024-$m --format csv | tail -1 | awk -F, '{print $4 + $5 + $6}')
	newm=$((newm + x))
done
check_eq "new dossiers of the three months = those of the quarter" "$newq" "$newm"
# a month's carried-over = the previous month's in progress
feb_carried=$(S --period 2024-02 --format csv | tail -1 | cut -d, -f3)
jan_open=$(S --period 2024-01 --format csv | tail -1 | tr -d '\r' | awk -F, '{print $14}')
check_eq "February's carried over = January's in progress" "$jan_open" "$feb_carried"

check_eq "--period 2024-Q1 is 15/12/2023-14/03/2024 (Decree 09/2019 Art. 12)" "$csv" "$(S --from 2023-12-15 --to 2024-03-14 --format csv)"
check_eq "--period 2024-Q1 --calendar equals --from/--to" "$ccsv" "$(S --from 2024-01-01 --to 2024-03-31 --format csv)"

# --- formats ------------------------------------------------------------------------------
txt=$(S --period 2024-Q1)
check_match "text report has the title" 'BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH' "$txt"
check_match "text report names the period" 'từ 15/12/2023 đến 14/03/2024' "$txt"
check_match "and its basis" 'từ ngày 15 tháng trước đến ngày 14 \(Điều 12 Nghị định 09/2019/NĐ-CP\)' "$(printf '%s\n' "$txt" | tr '\n' ' ' | tr -s ' ')"
check_match "it states where refused, withdrawn and stopped dossiers go" 'gồm cả hồ sơ từ chối sau thẩm định.*hồ sơ rút' "$(printf '%s\n' "$txt" | tr '\n' ' ' | tr -s ' ')"
check_match "and that dossiers never received are apart" 'Hồ sơ chưa được tiếp nhận, không tính vào \(5\)' "$txt"
check_match "the calendar text report names its period" 'từ 01/01/2024 đến 31/03/2024' "$(S --period 2024-Q1 --calendar)"
check_match "text report explains the satisfaction rate" 'Tỷ lệ hài lòng' "$txt"
w=$(printf '%s\n' "$txt" | LC_ALL=C.UTF-8 wc -L)
check "text report fits 80 columns (widest: $w)" test "$w" -le 80
w=$(mc --as super1 report catalog | LC_ALL=C.UTF-8 wc -L)
check "catalog report fits 80 columns (widest: $w)" test "$w" -le 80
json=$(S --period 2024-Q1 --format json)
check_match "JSON has the identity note" '"identity": "received = carried_over.* = resolved \+ in_progress"' "$json"
check_match "JSON names the period's basis" '"period_basis": "reporting regime' "$json"
check_match "JSON has the satisfaction definition" '"satisfaction": "share of ratings 4-5' "$json"
check_match "JSON total received" "\"received\": $(printf '%s\n' "$csv" | tail -1 | cut -d, -f7)," "$json"
check_match "global --json gives JSON" '"report": "stats"' "$(mc --json --as super1 report stats --period 2024-Q1)"

# --- CSV: BOM, encodings, round trip -----------------------------------------------------
check_eq "CSV starts with a UTF-8 BOM" "efbbbf" "$(S --period 2024-Q1 --format csv | head -c 3 | od -An -tx1 | tr -d ' \n')"
check_match "CSV header is Vietnamese" '"Từ kỳ trước chuyển qua"' "$csv"
S --period 2024-Q1 --format csv --out "$T/u.csv"
check_eq "--out writes the same CSV" "$(printf '%s\n' "$csv" | md5sum)" "$(cat "$T/u.csv" | md5sum)"
for enc in cp1258 tcvn5712-1 viscii; do
	icv=$(echo "$enc" | sed 's/cp1258/CP1258/; s/tcvn5712-1/TCVN5712-1/; s/viscii/VISCII/')
	S --period 2024-Q1 --format csv --encoding "$enc" --out "$T/$enc.csv"
	check_eq "$enc CSV has no BOM" "no" "$(head -c 3 "$T/$enc.csv" | od -An -tx1 | grep -q 'ef bb bf' && echo yes || echo no)"
	back=$(iconv -f "$icv" -t UTF-8 "$T/$enc.csv" | uconv -x any-nfc 2>/dev/null || iconv -f "$icv" -t UTF-8 "$T/$enc.csv")
	check_eq "$enc CSV round trip through iconv" "$(tail -c +4 "$T/u.csv")" "$back"
done
check_fails "JSON refuses a legacy encoding" S --period 2024-Q1 --format json --encoding cp1258

# --- catalog report --------------------------------------------------------------------------
cat=$(mc --as super1 report catalog)
check_match "catalog: province 129 procedures, 1.921 -> 854 days, -55,54% (Vietnamese numbers)" '^Cấp tỉnh +129 +16 +1\.921 +854 +-55,54%$' "$cat"
check_match "catalog: district 15, -51,01%" '^Cấp huyện +15 +2 +198 +97 +-51,01%$' "$cat"
check_match "catalog: commune 2, -52,17%" '^Cấp xã +2 +1 +46 +22 +-52,17%$' "$cat"
check_match "catalog: total 146" '^Tổng cộng +146 ' "$cat"
cj=$(mc --as super1 report catalog --format json)
check_match "catalog JSON reduction" '"reduction_pct": -55.54' "$cj"
check_match "catalog CSV" '^"Cấp tỉnh","","",129,16,1921,854,-55.54' "$(mc --as super1 report catalog --format csv | tr -d '\r')"

# --- bad input: clear error, non-zero exit ------------------------------------------------------
bad() { d=$1; pat=$2; shift 2; if out=$(S "$@" 2>&1); then not_ok "$d (unexpected success)"; else check_match "$d" "$pat" "$out"; fi; }
bad "inverted period" 'inverted' --from 2024-03-31 --to 2024-01-01
bad "empty period" 'empty' --from "" --to 2024-01-01
bad "no period" 'the report needs a period' --by field
bad "both forms of period" 'not both' --period 2024-Q1 --from 2024-01-01 --to 2024-03-31
bad "bad date" 'not a date' --from 2024-02-30 --to 2024-03-01
bad "bad period" 'not valid' --period 2024-Q5
bad "unknown field" "unknown field 'NOPE'" --period 2024-Q1 --field NOPE
bad "unknown encoding" "unknown encoding" --period 2024-Q1 --format csv --encoding klingon
bad "unknown breakdown" "unknown breakdown" --period 2024-Q1 --by color
bad "unknown format" "unknown format" --period 2024-Q1 --format xml
check_fails "unknown report" mc --as super1 report nonsense
check_fails "a clerk may not run reports" mc --as clerk1 report stats --period 2024-Q1
check_match "one field only" '^"XD","Xăng dầu"' "$(S --period 2024-Q1 --field XD --format csv | tr -d '\r' | sed -n 2p)"

# --- a small handcrafted store under faketime ------------------------------------------------------
DB=$T/hand.db
at "2024-01-02 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
P=1.001074
r() { t=$1; shift; at "$t" mc --as clerk1 receive --procedure $P --name "Trần Thị Bình" --id 022123456789 --components all "$@" | sed -n 's/^received \([^:]*\):.*/\1/p'; }
c1=$(r "2023-12-29 09:00:00")                             # carried over, open
c2=$(r "2024-01-03 09:00:00" --channel postal)            # withdrawn
c3=$(r "2024-01-04 09:00:00" --outcome refuse --reason "Không thuộc thẩm quyền")
c4=$(r "2024-01-05 09:00:00" --channel online --outcome supplement --reason "Thiếu bản sao")
c5=$(r "2024-01-08 09:00:00")                             # overdue at the end
c6=$(r "2024-01-30 09:00:00")                             # not yet due at the end
check "handcrafted dossiers received" test -n "$c1" -a -n "$c2" -a -n "$c3" -a -n "$c4" -a -n "$c5" -a -n "$c6"
at "2024-01-04 10:00:00" mc --as clerk1 withdraw "$c2" --reason "Người nộp rút hồ sơ" >/dev/null
at "2024-01-09 10:00:00" mc --as clerk1 transfer "$c5" >/dev/null
h=$(at "2024-02-01 09:00:00" mc --as super1 report stats --from 2024-01-01 --to 2024-01-31 --by level --format csv | tr -d '\r' | sed -n 2p)
# carried, online, direct, postal, received, early, on time, late, resolved, not due, overdue, in progress,
# (of which) supplement, refused, withdrawn, stopped, late with/without apology, rated, satisfied,
# not received: online pending, intake supplement, refused at intake, withdrawn before acceptance
check_eq "handcrafted January" "1,0,2,1,4,1,0,0,1,1,2,3,0,0,1,0,0,0,0,0,0,1,1,0" "$(echo "$h" | cut -d, -f3-26)"

echo "1..$n"
