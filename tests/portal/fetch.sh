#!/bin/sh
# fetch.sh - `catalog fetch` reads the national catalogue (LayThuTuc, LayDanhSachTTHC)
# from the mock portal in both transport profiles: a new procedure is added (name,
# field, time limits, fee lines, components, national code), a changed one gets a
# new version while a dossier received before keeps its time limit, an unchanged one
# nothing; a malformed answer, an unknown code and the portal down are refused with a
# clear message, a non-zero exit and nothing changed; --field takes a whole field;
# the new version reaches an office with the reference data.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"
vn() { t=$1; shift; if [ "$1" = mc ]; then shift; set -- "$MOTCUA" --db "$DB" "$@"; fi; TZ=Asia/Ho_Chi_Minh faketime -f "$t" "$@"; }
code_of() { printf '%s\n' "$1" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1; }
due_of() { printf '%s\n' "$1" | sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' | head -n 1; }
nver() { sqlite3 "$DB" "select count(*) from procedure_versions v join procedures p on p.id = v.procedure_id where p.code = '$1'"; }
# a LayThuTuc entry: CODE NAME FIELD FIELDNAME DAYS UNIT DOCS(|) [FEE]
tt() {
	python3 - "$@" <<'PY'
import json, sys
code, name, field, fname, days, unit, docs = sys.argv[1:8]
fee = sys.argv[8] if len(sys.argv) > 8 else ""
way = lambda k: {"KENH": k, "THOIGIAN": [{"THOIGIANGIAIQUYET": days, "DONVITINH": unit, "MOTA": "",
       "PHILEPHI": [{"MAPHILEPHI": "1", "SOTIEN": fee, "DONVI": "Đồng", "MOTA": "Lệ phí"}] if fee else []}]}
print(json.dumps({"ID": 1, "MATTHC": code, "TENTTHC": name, "TRANGTHAI": 1,
       "LINHVUCTHUCHIEN": [{"MALINHVUC": field, "TENLINHVUC": fname}],
       "CAPTHUCHIEN": [{"CAPTHUCHIEN": 2, "MOTACOQUANTHUCHIEN": "UBND huyện"}],
       "CACHTHUCTHUCHIEN": [way(1), way(2)],
       "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": [{"MAGIAYTO": str(i), "TENGIAYTO": d, "SOBANCHINH": 1}
                                                   for i, d in enumerate(docs.split("|"))]}]}, ensure_ascii=False))
PY
}
catalog_set() { mock_ctl "{\"catalog\": [$(printf '%s,' "$@" | sed 's/,$//')]}"; }

scenario() {
	prof=$1; k="[$prof]"
	rm -f "$DB" "$DB-wal" "$DB-shm"
	mock_start || { not_ok "the mock portal starts $k"; return; }
	if [ "$prof" = A ]; then conf_a "$T/p.conf"; echo "share_endpoint = /mapi/share" >>"$T/p.conf"
	else conf_b "$T/p.conf"; echo "url_catalog = $MURL/KetNoiMotCuaQuocGia" >>"$T/p.conf"; fi
	vn "2026-12-01 08:00:00" mc init --office 000.00.55.H45 --name "UBND huyện Tải Về" --admin admin >/dev/null
	mc user add clerk --name "Cán bộ" --roles clerk >/dev/null
	printf '%s\n%s\n' "code,name,level,field_code,field_name,statutory_direct,committed_direct,statutory_online,committed_online,national_code,components" \
		"QN-01,Cấp phép xây dựng,2,XD,Xây dựng,10,8,10,8,1.000010,Đơn|Bản vẽ" >"$T/c.csv"
	mc catalog import "$T/c.csv" >/dev/null
	out=$(vn "2026-12-02 09:00:00" mc --as clerk --json receive --procedure QN-01 --name "Người Cũ" --id 001234567801 --components all)
	OLD=$(code_of "$out"); olddue=$(due_of "$out")
	catalog_set "$(tt 1.000010 'Cấp giấy phép xây dựng' G01-XD 'Hoạt động xây dựng' 6 'Ngày làm việc' 'Đơn đề nghị|Bản vẽ|Giấy tờ đất')" \
		"$(tt 1.000020 'Cấp phép đào đường' G01-XD 'Hoạt động xây dựng' 15 'Ngày làm việc' 'Đơn|Sơ đồ' '50.000')" \
		"$(tt 1.000030 'Chứng thực chữ ký' G02-CT 'Chứng thực' 1 'Ngày' 'Giấy tờ')" \
		"$(tt 1.000040 'Xác nhận nhanh' G01-XD 'Hoạt động xây dựng' 0.5 'Ngày' 'Đơn')" \
		"$(tt 1.000099 'Thủ tục hỏng' G02-CT 'Chứng thực' abc 'Ngày' 'Đơn')"
	mock_ctl '{"catalog_raw": {"1.000098": "<html>502 Bad Gateway</html>"}}'

	out=$(vn "2026-12-03 08:00:00" mc catalog fetch 1.000030 --config "$T/p.conf" 2>&1)
	check_match "a new procedure is added $k" "1\.000030: new procedure" "$out"
	check_eq "... with its name, field, time and national code $k" "Chứng thực chữ ký|G02-CT|G02-CT|1|day|1.000030" \
		"$(sqlite3 "$DB" "select p.name || '|' || f.code || '|' || f.national_code || '|' || p.statutory_direct || '|' || p.time_unit || '|' || p.national_code from procedures p join fields f on f.id = p.field_id where p.code = '1.000030'")"

	out=$(vn "2026-12-03 10:00:00" mc catalog fetch 1.000010 1.000020 1.000030 --config "$T/p.conf" 2>&1); rc=$?
	check_eq "fetching three succeeds $k" 0 "$rc"
	check_match "the changed one (local code QN-01) gets version 2 $k" "QN-01: version 2, for dossiers received from 2026-12-03 10:00; changed: name, field, time limits, components" "$out"
	check_match "the new one is added $k" "1\.000020: new procedure" "$out"
	check_match "the counts $k" "1 procedures added, 1 changed \(a new version each\), 1 unchanged" "$out"
	check_eq "the unchanged one keeps one version $k" 1 "$(nver 1.000030)"
	check_eq "the new time limit: statutory 6, the committed 8 shortened to 6 $k" "6|6|3|2" \
		"$(sqlite3 "$DB" "select statutory_direct || '|' || committed_direct || '|' || (select count(*) from procedure_components where procedure_id = p.id) || '|' || latest_version from procedures p where code = 'QN-01'")"
	check_eq "the fee and its lines as the portal gave them $k" '50000|2|[{"DONVI":"Đồng","MAPHILEPHI":"1","MOTA":"Lệ phí","SOTIEN":"50.000"}]' \
		"$(sqlite3 "$DB" "select p.fee || '|' || p.level || '|' || v.fees from procedures p join procedure_versions v on v.procedure_id = p.id where p.code = '1.000020'")"
	out=$(mc --json show "$OLD")
	check_match "the old dossier keeps its 8-day appointment and version 1 $k" "\"due_at\": \"$olddue\".*\"procedure_version\": 1" "$(printf '%s' "$out" | tr -d '\n')"
	out=$(vn "2026-12-04 09:00:00" mc --as clerk --json receive --procedure QN-01 --name "Người Mới" --id 001234567802 --components all)
	check_eq "a dossier received after it: 6 working days $k" "2026-12-14 09:00" "$(due_of "$out")"

	# refusals change nothing
	before=$(sqlite3 "$DB" "select count(*) from procedure_versions")
	catalog_set "$(tt 1.000020 'Cấp phép đào đường' G01-XD 'Hoạt động xây dựng' 12 'Ngày làm việc' 'Đơn|Sơ đồ' '50.000')"
	out=$(vn "2026-12-04 10:00:00" mc catalog fetch 1.000020 1.000099 --config "$T/p.conf" 2>&1); rc=$?
	check_match "a malformed answer is refused, naming the procedure $k" "1\.000099 has no time limit" "$out"
	check_eq "... exit 3 $k" 3 "$rc"
	check_eq "... and the good one with it is not versioned $k" "1|15" "$(sqlite3 "$DB" "select latest_version || '|' || statutory_direct from procedures where code = '1.000020'")"
	out=$(mc catalog fetch 1.000098 --config "$T/p.conf" 2>&1); rc=$?
	check_match "an answer that is not JSON is refused $k" "not JSON" "$out"
	out=$(mc catalog fetch 1.000097 --config "$T/p.conf" 2>&1); rc=$?
	check_match "an unknown code is refused $k" "has no procedure 1\.000097" "$out"
	check_eq "... exit 4 $k" 4 "$rc"
	check_eq "nothing was written by the refusals $k" "$before" "$(sqlite3 "$DB" "select count(*) from procedure_versions")"

	# a whole field: 1.000020 (changed meanwhile) and 1.000040 (new, half a day = 4 hours)
	out=$(vn "2026-12-04 11:00:00" mc catalog fetch --field G01-XD --config "$T/p.conf" 2>&1)
	check_match "--field adds the field's new procedure $k" "1\.000040: new procedure" "$out"
	check_match "... versions its changed one $k" "1\.000020: version 2" "$out"
	check_match "... and leaves the unchanged ones $k" "1 procedures added, 1 changed \(a new version each\), 1 unchanged" "$out"
	check_eq "half a day is 4 working hours $k" "4|hour" "$(sqlite3 "$DB" "select statutory_direct || '|' || time_unit from procedures where code = '1.000040'")"
	check_nomatch "... and another field's procedure is not touched $k" "1\.000030" "$out"

	if [ "$prof" = A ]; then
		# the versions travel to an office with the reference data
		C=$T/central.db; O=$T/office.db
		"$MOTCUA" --db "$DB" central init --central "sqlite:$C" >/dev/null
		check "publish the fetched catalogue $k" "$MOTCUA" --db "$DB" central publish --central "sqlite:$C"
		"$MOTCUA" --db "$O" init --office 000.00.54.H45 --name "UBND xã" >/dev/null
		check "an office syncs $k" vn "2026-12-04 12:00:00" "$MOTCUA" --db "$O" sync --central "sqlite:$C"
		check_eq "... and holds QN-01's two versions $k" "1:8 2:6" \
			"$(sqlite3 "$O" "select group_concat(version || ':' || committed_direct, ' ') from (select version, committed_direct from procedure_versions where procedure_id = (select id from procedures where code = 'QN-01') order by version)")"
	fi

	# the portal down
	mock_stop
	out=$(mc catalog fetch 1.000010 --config "$T/p.conf" 2>&1); rc=$?
	check_match "the portal down: a clear error $k" "the national portal is not answering .*nothing was changed" "$out"
	check_eq "... exit 10 $k" 10 "$rc"
}
scenario A
scenario B
