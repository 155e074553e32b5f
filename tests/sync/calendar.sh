#!/bin/sh
# calendar.sh - central distributes the calendar with the rest of the reference data,
# on both backends: an administrator imports the announced 2027 schedule at the
# publishing store, `central publish` sends each announced year whole (kind
# "calendar"), and an office's sync replaces its provisional 2027 with it, records the
# change, and lists the appointments it would move without rewriting them; a day taken
# out of a schedule is taken out at the office too.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
vt() { _t=$1; _db=$2; shift 2; TZ=Asia/Ho_Chi_Minh faketime -f "$_t" "$MOTCUA" --db "$_db" "$@"; }

cat >"$T/2027.csv" <<'CSV'
date,kind,reason,instrument,source
2027-01-01,off,Tết Dương lịch,BLLĐ 2019 Điều 112 khoản 1 điểm a,
2027-02-04,off,Tết Nguyên đán – 28 tháng Chạp,Công văn 9999/VPCP-KGVX (thử),
2027-02-05,off,Tết Nguyên đán – 29 tháng Chạp,Công văn 9999/VPCP-KGVX (thử),
2027-02-08,off,Tết Nguyên đán – mùng 3,Công văn 9999/VPCP-KGVX (thử),
2027-02-09,off,Tết Nguyên đán – mùng 4,Công văn 9999/VPCP-KGVX (thử),
2027-02-10,off,Tết Nguyên đán – nghỉ bù,Công văn 9999/VPCP-KGVX (thử),
2027-02-11,off,Tết Nguyên đán – nghỉ bù,Công văn 9999/VPCP-KGVX (thử),
2027-02-12,off,"Tết Nguyên đán – hoán đổi, làm bù thứ Bảy 20/02",Công văn 9999/VPCP-KGVX (thử),
2027-02-20,work,Làm bù cho thứ Sáu 12/02,Công văn 9999/VPCP-KGVX (thử),
2027-04-16,off,Giỗ Tổ Hùng Vương,BLLĐ 2019 Điều 112 khoản 1 điểm e,
2027-04-30,off,Ngày Chiến thắng,BLLĐ 2019 Điều 112 khoản 1 điểm c,
2027-05-03,off,Nghỉ bù Ngày Quốc tế Lao động,BLLĐ 2019 Điều 111 khoản 3,
2027-09-02,off,Quốc khánh,Công văn 9999/VPCP-KGVX (thử),
2027-09-03,off,Quốc khánh – ngày liền kề,Công văn 9999/VPCP-KGVX (thử),
CSV
cat >"$T/cat.csv" <<'CSV'
code,name,level,field_code,field_name,time_unit,statutory_direct,committed_direct,statutory_online,committed_online,components,cutoff
9.000045,Thủ tục bốn lăm ngày,2,TH,Thử,day,45,45,45,45,Đơn,
9.000009,Chứng thực trong ngày,2,TH,Thử,day,1,1,1,1,Đơn,15:00
CSV

scenario() {
	use_central "$1" calendar
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	check "central init $k" m "$DA" central init --central "$CURL"
	vt "2026-12-07 08:00:00" "$DA" demo --dossiers 0 >/dev/null
	check "catalog with a cut-off $k" m "$DA" catalog import "$T/cat.csv"
	check "publish $k" vt "2026-12-07 08:01:00" "$DA" central publish --central "$CURL"
	check_eq "central holds the announced years whole $k" "2019 2020 2021 2022 2023 2024 2025 2026" \
		"$(cq "select string_agg(key, ' ' order by key) from c_ref where kind = 'calendar'" 2>/dev/null || cq "select group_concat(key, ' ') from (select key from c_ref where kind = 'calendar' order by key)")"
	check "district store $k" vt "2026-12-07 08:02:00" "$DB_" init --office $B --name "UBND huyện Tiên Yên"
	check "first sync $k" vt "2026-12-07 08:05:00" "$DB_" sync --central "$CURL"
	check_eq "the district got the cut-off $k" 900 "$(sqlite3 "$DB_" "select cutoff from procedures where code = '9.000009'")"
	check_match "2027 is provisional at the district $k" "provisional|tạm tính" "$(vt "2026-12-07 08:06:00" "$DB_" holidays --year 2027)"
	out=$(vt "2026-12-07 09:00:00" "$DB_" --as d_clerk1 --json receive --procedure 9.000045 --name "Lê Văn Dài" --id 001234567897 --components all)
	code=$(printf '%s' "$out" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1)
	check_match "a 45-day dossier runs through the provisional Tết $k" '"due_at": "2027-02-16 09:00"' "$out"

	check "the administrator imports 2027 at the publishing store $k" vt "2026-12-08 08:00:00" "$DA" holidays import "$T/2027.csv"
	check "publish again $k" vt "2026-12-08 08:01:00" "$DA" central publish --central "$CURL"
	out=$(vt "2026-12-08 08:05:00" "$DB_" sync)
	check_match "the district's sync says the calendar of 2027 changed $k" "2027.*holidays changes 2027" "$out"
	check_nomatch "2027 is announced at the district $k" "provisional|tạm tính" "$(vt "2026-12-08 08:06:00" "$DB_" holidays --year 2027)"
	check_eq "... exactly the imported days $k" "$(tail -n +2 "$T/2027.csv" | cut -d, -f1,2 | tr '\n' ' ')" \
		"$(sqlite3 "$DB_" "select group_concat(day || ',' || kind, ' ') || ' ' from (select day, kind from holidays where year = 2027 order by day)")"
	check_eq "... recorded as coming from central $k" "central|announced" \
		"$(sqlite3 "$DB_" "select origin || '|' || status_after from calendar_changes where year = 2027")"
	out=$(vt "2026-12-08 08:10:00" "$DB_" holidays changes 2027)
	check_match "the district lists the appointment that would move $k" "$code.*2027-02-16 09:00.*2027-02-18 09:00" "$out"
	check_eq "... and did not rewrite it $k" "2027-02-16 09:00" "$(m "$DB_" --json show "$code" | sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' | head -n 1)"

	# a correction: the swap is withdrawn (12/02 a working day again, 20/02 an ordinary Saturday)
	grep -v "2027-02-12\|2027-02-20" "$T/2027.csv" >"$T/2027b.csv"
	check "a corrected schedule $k" vt "2026-12-09 08:00:00" "$DA" holidays import "$T/2027b.csv"
	vt "2026-12-09 08:01:00" "$DA" central publish --central "$CURL" >/dev/null
	check "the district syncs again $k" vt "2026-12-09 08:05:00" "$DB_" sync
	check_eq "the days taken out are taken out at the district $k" "0" \
		"$(sqlite3 "$DB_" "select count(*) from holidays where day in ('2027-02-12', '2027-02-20')")"
	check_eq "two changes recorded $k" 2 "$(sqlite3 "$DB_" "select count(*) from calendar_changes where year = 2027")"
}
both_backends scenario
