#!/bin/sh
# calendar.sh - appointments follow the Government's announced calendar on a store made
# with `init`: for every announced day off and working Saturday of 2024-2026, dossiers
# received the working day before and on it, for 1-day, 3-day and 4-hour procedures,
# get the appointment computed here from the shipped CSV alone (awk, minute by minute,
# not by motcua).  Then: next year is provisional and flagged, `holidays import` makes
# it announced and lists the appointments it would move without rewriting them, the
# dashboard warns from 1 October, and same-day procedures follow their cut-off.
. "$ROOT/tests/lib.sh"
CSV=$ROOT/db/calendar/vn-official-holidays.csv
# Vietnam time for faketime's clock (motcua itself counts at UTC+7 whatever TZ says)
vn() { t=$1; shift; if [ "$1" = mc ]; then shift; set -- "$MOTCUA" --db "$DB" "$@"; fi; TZ=Asia/Ho_Chi_Minh faketime -f "$t" "$@"; }

check "a store made with init" vn "2026-12-06 08:00:00" mc init --office 000.00.88.H45 --name "UBND xã Thử" --admin admin
cat >"$T/cat.csv" <<'CSV'
code,name,level,field_code,field_name,time_unit,statutory_direct,committed_direct,statutory_online,committed_online,components,cutoff
9.000001,Thủ tục một ngày,3,TH,Thử,day,1,1,1,1,Đơn,
9.000003,Thủ tục ba ngày,3,TH,Thử,day,3,3,3,3,Đơn,
9.000004,Thủ tục bốn giờ,3,TH,Thử,hour,4,4,4,4,Đơn,
9.000045,Thủ tục bốn lăm ngày,3,TH,Thử,day,45,45,45,45,Đơn,
9.000009,Chứng thực trong ngày,3,TH,Thử,day,1,1,1,1,Đơn,15:00
CSV
check "catalog with a cut-off column" mc catalog import "$T/cat.csv"
check_eq "the cut-off is stored" "900" "$(sqlite3 "$DB" "select cutoff from procedures where code = '9.000009'")"
mc user add clerk --name "Cán bộ một cửa" --roles clerk >/dev/null
mc user add super --name "Giám sát" --roles supervisor >/dev/null
check_eq "every announced schedule is in the store from init" "2019 2020 2021 2022 2023 2024 2025 2026" \
	"$(sqlite3 "$DB" "select group_concat(year, ' ') from (select year from calendar_years where status = 'announced' order by year)")"
check_eq "each day keeps its reason and instrument" "Làm bù (thứ Bảy) cho ngày hoán đổi thứ Sáu 02/05/2025|Công văn 8726/VPCP-KGVX (26/11/2024); Thông báo 6150/TB-BLĐTBXH (03/12/2024)|work|announced" \
	"$(sqlite3 "$DB" "select name || '|' || instrument || '|' || kind || '|' || status from holidays where day = '2025-04-26'")"

# ---- the table: cases "RECEIVED-DAY HH:MM PROCEDURE" with the expected appointment
awk -F, '
function dn(y, m, d) { y -= (m <= 2); era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1; return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468 }
function ymd(z,   era, doe, yoe, y, doy, mp, d, m) { z += 719468; era = int((z >= 0 ? z : z - 146096) / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365); y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9; return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d) }
function working(z,   w) { if (z in kind) return kind[z] == "work"; w = (z + 4) % 7; return w >= 1 && w <= 5 }
function insession(mi) { return (mi >= 450 && mi < 690) || (mi >= 780 && mi < 1020) }
# minute by minute: the first instant after `left` working minutes from (z, mi)
function due(z, mi, left) { while (left > 0) { if (working(z) && insession(mi)) left--; mi++; if (left > 0 && mi >= 1440) { mi = 0; z++ } }
	return ymd(z) sprintf(" %02d:%02d", int(mi / 60), mi % 60) }
NR > 1 && $1 ~ /^[0-9]/ { split($1, a, "-"); z = dn(a[1] + 0, a[2] + 0, a[3] + 0); kind[z] = $2; if (a[1] >= 2024 && a[1] <= 2026) days[++n] = z }
END {
	split("9.000001 480 9.000003 1440 9.000004 240", p, " ")
	for (i = 1; i <= n; i++) {
		z = days[i]; prev = z - 1; while (!working(prev)) prev--
		for (k = 1; k <= 5; k += 2) {
			print ymd(z), ymd(prev), "16:00", p[k], due(prev, 960, p[k + 1])
			print ymd(z), ymd(z), "10:00", p[k], due(z, 600, p[k + 1])
		}
	}
}' "$CSV" >"$T/cases"
check_eq "every day off and working Saturday of 2024-2026 is in the table" 41 "$(cut -d' ' -f1 "$T/cases" | sort -u | wc -l)"
i=0
: >"$T/got"
while read -r day rday rtime proc d1 d2; do
	i=$((i + 1))
	out=$(vn "$rday $rtime:00" mc --as clerk --json receive --procedure "$proc" --name "Người nộp $i" --id 001234567890 --components all)
	got=$(printf '%s\n' "$out" | sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' | head -n 1)
	echo "$day $rday $rtime $proc $d1 $d2 -> $got" >>"$T/got"
done <"$T/cases"
for day in $(cut -d' ' -f1 "$T/cases" | sort -u); do
	bad=$(grep "^$day " "$T/got" | awk '{ if ($5 " " $6 != $8 " " $9) print }')
	kind=$(grep "^$day," "$CSV" | cut -d, -f2)
	check_eq "$day ($kind): 6 appointments as the announced calendar gives them" "" "$bad"
done
check_eq "no appointment falls on an announced day off" "" \
	"$(awk '{ print $8 }' "$T/got" | sort -u | while read -r d; do grep -q "^$d,off," "$CSV" && echo "$d"; done)"
# the issue's example: Tết 2025, a 3-day procedure received Fri 24/01/2025 16:00
out=$(vn "2025-01-24 16:00:00" mc --as clerk --json receive --procedure 9.000003 --name "Nguyễn Văn Tết" --id 001234567891 --components all)
check_match "Tết 2025: due Wed 05/02/2025 16:00, never mùng 1 (29/01)" '"due_at": "2025-02-05 16:00"' "$out"
out=$(vn "2024-02-07 16:00:00" mc --as clerk --json receive --procedure 9.000001 --name "Nguyễn Văn Tết" --id 001234567892 --components all)
check_match "Tết 2024 was off Thu 08/02-Wed 14/02: a 1-day procedure of Wed 07/02 is due Thu 15/02" '"due_at": "2024-02-15 16:00"' "$out"
out=$(vn "2024-05-03 16:00:00" mc --as clerk --json receive --procedure 9.000001 --name "Nguyễn Văn Bù" --id 001234567893 --components all)
check_match "the working Saturday 04/05/2024 counts" '"due_at": "2024-05-04 16:00"' "$out"

# ---- same-day procedures: the cut-off
out=$(vn "2026-08-21 14:59:00" mc --as clerk --json receive --procedure 9.000009 --name "Trần Thị Ngày" --id 001234567894 --components all)
check_match "before 15:00: due at the end of that working day" '"due_at": "2026-08-21 17:00"' "$out"
out=$(vn "2026-08-21 15:00:00" mc --as clerk --json receive --procedure 9.000009 --name "Trần Thị Ngày" --id 001234567895 --components all)
check_match "at 15:00 on Friday 21/08/2026: the working Saturday 22/08" '"due_at": "2026-08-22 17:00"' "$out"
out=$(vn "2026-08-28 16:00:00" mc --as clerk --json receive --procedure 9.000009 --name "Trần Thị Ngày" --id 001234567896 --components all)
check_match "Friday 28/08/2026 after 15:00: 31/08-02/09 are off, due Thursday 03/09" '"due_at": "2026-09-03 17:00"' "$out"
printf '%s\n%s\n' "code,name,level,field_code,time_unit,statutory_direct,committed_direct,statutory_online,committed_online,cutoff" \
	"9.000010,Sai giờ,3,TH,day,1,1,1,1,25:00" >"$T/badcut.csv"
check_match "a cut-off that is not a time of day is refused" "cutoff '25:00'" "$(mc catalog import "$T/badcut.csv" 2>&1)"

# ---- next year is provisional until the Government announces it
out=$(vn "2026-12-07 09:00:00" mc holidays --year 2027)
check_match "2027 is provisional" "provisional|tạm tính" "$out"
check_match "... generated from the Labour Code (Tết 2027, mùng 1 = Sat 06/02)" "2027-02-06" "$out"
check_nomatch "2026 is not" "provisional|tạm tính" "$(vn "2026-12-07 09:00:00" mc holidays --year 2026)"
check_match "2029 is generated on demand, provisional" "2029-02-13.*(provisional|tạm tính)" "$(vn "2026-12-07 09:00:00" mc holidays --year 2029)"
check_match "the dashboard warns from 1 October" "2027.*(provisional|tạm tính)" "$(vn "2026-12-07 09:00:00" mc dashboard)"
check_nomatch "... not in September" "provisional|tạm tính" "$(vn "2026-09-30 09:00:00" mc dashboard)"
check_match "the JSON dashboard names the year" '"calendar_provisional": 2027' "$(vn "2026-12-07 09:00:00" mc --json dashboard)"
# dossiers whose appointment runs into 2027: a 45-day one crosses the provisional Tết
long=$(vn "2026-12-07 09:00:00" mc --as clerk --json receive --procedure 9.000045 --name "Lê Văn Dài" --id 001234567897 --components all)
lcode=$(printf '%s' "$long" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1)
ldue=$(printf '%s' "$long" | sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' | head -n 1)
check_eq "45 working days through the provisional Tết 2027 (05/02-11/02)" "2027-02-16 09:00" "$ldue"
short=$(vn "2026-12-07 09:05:00" mc --as clerk --json receive --procedure 9.000003 --name "Lê Văn Ngắn" --id 001234567898 --components all)
scode=$(printf '%s' "$short" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1)
# the announced 2027 schedule (made up for the test): Tết Thu 04/02-Fri 12/02 with the
# Saturday 20/02 worked: two more weekdays off than the provisional 05/02-11/02
cat >"$T/2027.csv" <<'CSV'
date,kind,reason,instrument,source
2027-01-01,off,Tết Dương lịch,BLLĐ 2019 Điều 112 khoản 1 điểm a,
2027-02-04,off,Tết Nguyên đán – 28 tháng Chạp,Công văn 9999/VPCP-KGVX (thử),
2027-02-05,off,Tết Nguyên đán – 29 tháng Chạp,Công văn 9999/VPCP-KGVX (thử),
2027-02-08,off,Tết Nguyên đán – mùng 3,Công văn 9999/VPCP-KGVX (thử),
2027-02-09,off,"Tết Nguyên đán – mùng 4, nghỉ bù",Công văn 9999/VPCP-KGVX (thử),
2027-02-10,off,"Tết Nguyên đán – nghỉ bù",Công văn 9999/VPCP-KGVX (thử),
2027-02-11,off,"Tết Nguyên đán – nghỉ bù",Công văn 9999/VPCP-KGVX (thử),
2027-02-12,off,"Tết Nguyên đán – hoán đổi, làm bù thứ Bảy 20/02",Công văn 9999/VPCP-KGVX (thử),
2027-02-20,work,"Làm bù cho thứ Sáu 12/02",Công văn 9999/VPCP-KGVX (thử),
2027-04-16,off,Giỗ Tổ Hùng Vương,BLLĐ 2019 Điều 112 khoản 1 điểm e,
2027-04-30,off,Ngày Chiến thắng,BLLĐ 2019 Điều 112 khoản 1 điểm c,
2027-05-03,off,Nghỉ bù Ngày Quốc tế Lao động,BLLĐ 2019 Điều 111 khoản 3,
2027-09-02,off,Quốc khánh,Công văn 9999/VPCP-KGVX (thử),
2027-09-03,off,Quốc khánh – ngày liền kề,Công văn 9999/VPCP-KGVX (thử),
CSV
check_fails "a clerk cannot import a calendar" vn "2026-12-08 08:00:00" mc --as clerk holidays import "$T/2027.csv"
check_fails "a malformed file is refused" mc holidays import "$CSV.nothere"
out=$(vn "2026-12-08 08:00:00" mc --as admin holidays import "$T/2027.csv" 2>&1)
check_match "the import confirms 2027" "2027" "$out"
check_match "... lists the 45-day dossier: its appointment would move two working days" "$lcode.*2027-02-16 09:00.*2027-02-18 09:00" "$out"
check_nomatch "... and not the 3-day one" "$scode" "$out"
check_match "... and says how to list them again" "holidays changes 2027" "$out"
check_eq "the appointment is not rewritten" "$ldue" "$(mc --json show "$lcode" | sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' | head -n 1)"
check_nomatch "2027 is no longer provisional" "provisional|tạm tính" "$(vn "2026-12-08 09:00:00" mc holidays --year 2027)"
check_match "the supervisor lists them again" "$lcode" "$(vn "2026-12-08 09:00:00" mc --as super holidays changes 2027)"
check_match "... as JSON" "\"code\": \"$lcode\"" "$(vn "2026-12-08 09:00:00" mc --as super --json holidays changes 2027)"
check_fails "a clerk may not list them" vn "2026-12-08 09:00:00" mc --as clerk holidays changes 2027
check_eq "the import is recorded: who, from where, what changed" "admin|import|provisional|announced" \
	"$(sqlite3 "$DB" "select actor || '|' || origin || '|' || status_before || '|' || status_after from calendar_changes where year = 2027")"
check_fails "the record cannot be edited" sqlite3 "$DB" "update calendar_changes set actor = 'x'"
check_nomatch "no more warning on the dashboard" "provisional|tạm tính" "$(vn "2026-12-08 09:00:00" mc dashboard)"
out=$(vn "2026-12-07 09:00:00" mc --as clerk --json receive --procedure 9.000045 --name "Lê Văn Mới" --id 001234567899 --components all)
check_match "a new dossier received at the same time counts on the announced 2027" '"due_at": "2027-02-18 09:00"' "$out"
check_match "importing the same file again changes nothing" "nothing changed|không thay đổi" "$(vn "2026-12-08 10:00:00" mc holidays import "$T/2027.csv")"
check_fails "generating over an announced year is refused" mc holidays generate --year 2026

# ---- an older store (schema 6, holidays generated by an older motcua) is upgraded on open
U=$T/old.db
vn "2026-12-06 08:00:00" "$MOTCUA" --db "$U" init --office 000.00.77.H45 --name "Kho cũ" >/dev/null
sqlite3 "$U" "drop trigger calendar_changes_keep_update; drop trigger calendar_changes_keep_delete;
	drop table calendar_changes; drop table calendar_years; delete from holidays;
	alter table holidays drop column year; alter table holidays drop column status;
	alter table holidays drop column instrument; alter table holidays drop column source;
	alter table procedures drop column cutoff; delete from settings where key = 'calendar.shipped';
	insert into holidays(day, name, kind) values ('2025-01-28', 'Tết (sinh tự động)', 'off'), ('2025-02-03', 'Nghỉ bù (sinh tự động)', 'off'),
		('2028-01-26', 'Tết (sinh tự động)', 'off');
	pragma user_version = 6"
check_match "the old store is at schema 6 without the announced calendar" "^6 3 $" "$(sqlite3 "$U" "pragma user_version; select count(*) from holidays" | tr '\n' ' ')"
check "opening it upgrades it" vn "2026-12-07 08:00:00" "$MOTCUA" --db "$U" holidays --year 2025
check_eq "the shipped schedules replace the generated 2025" "2025-01-01 2025-01-27 2025-01-28 2025-01-29 2025-01-30 2025-01-31" \
	"$(sqlite3 "$U" "select group_concat(day, ' ') from (select day from holidays where day < '2025-02-15' and day >= '2025-01-01' order by day)")"
check_eq "... all of 2019-2026 announced, 2027 provisional, the older motcua's 2028 kept as provisional" \
	"2019 announced|2020 announced|2021 announced|2022 announced|2023 announced|2024 announced|2025 announced|2026 announced|2027 provisional|2028 provisional" \
	"$(sqlite3 "$U" "select group_concat(year || ' ' || status, '|') from (select year, status from calendar_years order by year)")"
check_eq "the replaced 2025 is recorded with the days whose kind changed" "provisional>announced 2025-01-27,,off 2025-01-29,,off 2025-02-03,off, 2025-04-26,,work" \
	"$(sqlite3 "$U" "select status_before || '>' || status_after from calendar_changes where year = 2025") $(sqlite3 "$U" "select group_concat(d, ' ') from (select j.value ->> 'day' || ',' || (j.value ->> 'before') || ',' || (j.value ->> 'after') d from calendar_changes c, json_each(c.days) j where c.year = 2025 and j.value ->> 'day' in ('2025-01-27', '2025-01-29', '2025-02-03', '2025-04-26') order by 1)")"
