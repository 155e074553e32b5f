#!/bin/sh
# catalog.sh - catalog import is all or nothing: a good file adds its procedures (and
# new fields), a malformed one names the line and the problem and adds nothing.
. "$ROOT/tests/lib.sh"
mc init --office 000.00.99.H45 --name "Sở Thử nghiệm" --admin admin >/dev/null
count() { sqlite3 "$DB" "select count(*) from procedures"; }
cat >"$T/good.csv" <<'CSV'
code,name,level,field_code,field_name,time_unit,statutory_direct,committed_direct,statutory_online,committed_online,fee,online_level,components
1.000001,"Cấp giấy phép bán lẻ xăng dầu, có dấu phẩy",1,XD,Xăng dầu,day,15,7,15,6,400000,full,"Đơn đề nghị|Bản sao GCN ĐKDN|*Tài liệu khác"
1.000002,Cấp thẻ an toàn điện,1,DIEN,Điện,hour,16,8,16,8,0,partial,Đơn đề nghị
CSV
printf '\357\273\277' >"$T/bom.csv"; sed 's/1.00000/2.00000/' "$T/good.csv" >>"$T/bom.csv"
check "import a good file" mc catalog import "$T/good.csv"
check_eq "two procedures" 2 "$(count)"
check_eq "components with optional ones" "1|1|2|1|3|0" "$(sqlite3 "$DB" "select group_concat(n || '|' || required, '|') from (select n, required from procedure_components where procedure_id = 1 order by n)")"
check_eq "hour-based time" hour "$(sqlite3 "$DB" "select time_unit from procedures where code = '1.000002'")"
check "a file with a UTF-8 BOM (Excel)" mc catalog import "$T/bom.csv"
check_eq "four procedures" 4 "$(count)"
bad() { # name content expected-message
	printf '%s\n%s\n' "code,name,level,field_code,field_name,statutory_direct,committed_direct,statutory_online,committed_online" "$2" >"$T/bad.csv"
	out=$(mc catalog import "$T/bad.csv" 2>&1); rc=$?
	if [ $rc -ne 0 ] && printf '%s' "$out" | grep -q -- "$3" && [ "$(count)" = 4 ]; then ok "refused: $1"; else not_ok "refused: $1 (rc $rc: $out)"; fi
}
bad "committed longer than statutory" "3.1,Tên,1,XD,,5,9,5,5" "cannot exceed"
bad "not a number" "3.2,Tên,1,XD,,abc,1,5,5" "statutory_direct"
bad "level 4" "3.3,Tên,4,XD,,5,1,5,5" "level"
bad "new field without a name" "3.4,Tên,1,NEWF,,5,1,5,5" "field_name"
bad "a code twice in one file" "$(printf '3.0,Tên,1,XD,,5,1,5,5\n3.0,Tên,1,XD,,6,1,5,5')" "appears twice"
bad "broken quoting" '3.5,"Tên,1,XD,,5,1,5,5' "line 2"
bad "control character" "$(printf '3.6,T\033[2Jên,1,XD,,5,1,5,5')" "control character"
bad "invalid UTF-8" "$(printf '3.7,T\377n,1,XD,,5,1,5,5')" "not valid UTF-8"
printf 'code,name\n3.8,x\n' >"$T/short.csv"
check_fails "a header without the time columns" mc catalog import "$T/short.csv"
printf '%s\n%s\n%s\n' "code,name,level,field_code,field_name,statutory_direct,committed_direct,statutory_online,committed_online" "3.9,Tốt,1,XD,,5,1,5,5" "3.10,Xấu,1,XD,,5,9,5,5" >"$T/half.csv"
check_fails "one bad row" mc catalog import "$T/half.csv"
check_eq "... and the good row before it is not kept either" 4 "$(count)"
check_fails "a clerk cannot import" mc --as nobody catalog import "$T/good.csv"
