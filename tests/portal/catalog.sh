#!/bin/sh
# catalog.sh - the catalog CSV's optional national columns: national_code (MaTTHC, base
# or localised form) and field_national_code (MaLinhVuc) are stored with the
# procedure; a code that is not a national one is refused and nothing is added.
. "$ROOT/tests/lib.sh"
mc init --office 000.00.99.H45 --name "Sở Thử nghiệm" --admin admin >/dev/null
cat >"$T/nat.csv" <<'CSV'
code,name,level,field_code,field_name,statutory_direct,committed_direct,statutory_online,committed_online,national_code,field_national_code
1.000001,Cấp giấy phép bán lẻ xăng dầu,1,XD,Xăng dầu,15,7,15,6,1.000001.000.00.00.H45,G12-XD01
1.000002,Cấp thẻ an toàn điện,1,DIEN,Điện,16,8,16,8,,
2.000003,Thủ tục huyện,2,XD,,5,3,5,3,2.000003.H45,
CSV
check "import a file with national codes" mc catalog import "$T/nat.csv"
check_eq "MaTTHC stored, empty when not given" "1.000001|1.000001.000.00.00.H45 1.000002| 2.000003|2.000003.H45" \
	"$(sqlite3 "$DB" "select group_concat(code || '|' || national_code, ' ') from (select code, national_code from procedures order by code)")"
check_eq "MaLinhVuc stored on the field" "DIEN| XD|G12-XD01" \
	"$(sqlite3 "$DB" "select group_concat(code || '|' || national_code, ' ') from (select code, national_code from fields order by code)")"
printf '%s\n%s\n' "code,name,level,field_code,statutory_direct,committed_direct,statutory_online,committed_online,national_code" \
	"3.000009,Tên,1,XD,5,1,5,5,H45-123" >"$T/bad.csv"
out=$(mc catalog import "$T/bad.csv" 2>&1)
check_match "a code that is not national is refused with the line" "line 2: national_code 'H45-123' is not a national procedure code" "$out"
check_eq "... and nothing is added" 3 "$(sqlite3 "$DB" "select count(*) from procedures")"
