#!/bin/sh
# procver.sh - versioned procedures: `catalog import` of a known code with changed
# content makes a new version (unchanged: nothing), says what changed, all or nothing;
# a dossier keeps the version it was received under (deadline, components), a new
# version applies to dossiers received from its effective date; an old store upgrades
# with its procedures as version 1.
. "$ROOT/tests/lib.sh"
vn() { t=$1; shift; if [ "$1" = mc ]; then shift; set -- "$MOTCUA" --db "$DB" "$@"; fi; TZ=Asia/Ho_Chi_Minh faketime -f "$t" "$@"; }
H="code,name,level,field_code,field_name,time_unit,statutory_direct,committed_direct,statutory_online,committed_online,fee,online_level,components"
vn "2026-12-01 08:00:00" mc init --office 000.00.66.H45 --name "UBND xã Phiên Bản" --admin admin >/dev/null
mc user add clerk --name "Cán bộ một cửa" --roles clerk >/dev/null
cat >"$T/v1.csv" <<CSV
$H
1.000001,Cấp giấy phép xây dựng,3,XD,Xây dựng,day,10,8,10,8,100000,partial,Đơn đề nghị|Bản vẽ
1.000002,Chứng thực bản sao,3,CT,Chứng thực,day,1,1,1,1,0,partial,Bản chính
CSV
check "a first catalog" vn "2026-12-01 08:10:00" mc catalog import "$T/v1.csv"
recv() { vn "$1" mc --as clerk --json receive --procedure "$2" --name "Người nộp $3" --id "00123456789$3" --components "${4:-all}"; }
due() { printf '%s\n' "$1" | sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' | head -n 1; }
code() { printf '%s\n' "$1" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1; }
out=$(recv "2026-12-02 09:00:00" 1.000001 1); D1=$(code "$out")
check_eq "version 1: 8 working days from Wed 02/12 09:00" "2026-12-14 09:00" "$(due "$out")"
check_eq "the dossier is under version 1" 1 "$(sqlite3 "$DB" "select proc_version from dossiers where code = '$D1'")"

# the quarter's catalogue: 1.000001 faster and with a third component, 1.000002 the same, 1.000003 new
cat >"$T/v2.csv" <<CSV
$H
1.000001,Cấp giấy phép xây dựng,3,XD,Xây dựng,day,10,5,10,5,100000,partial,Đơn đề nghị|Bản vẽ|Giấy tờ đất
1.000002,Chứng thực bản sao,3,CT,Chứng thực,day,1,1,1,1,0,partial,Bản chính
1.000003,Cấp phép đào đường,3,XD,Xây dựng,day,7,5,7,5,0,partial,Đơn
CSV
out=$(vn "2026-12-03 10:00:00" mc catalog import "$T/v2.csv" 2>&1); rc=$?
check_eq "an update is accepted" 0 "$rc"
check_match "it names the new version and what changed" "1\.000001: version 2, for dossiers received from 2026-12-03 10:00; changed: time limits, components" "$out"
check_match "it names the new procedure" "1\.000003: new procedure" "$out"
check_match "it counts each kind" "1 procedures added, 1 changed \(a new version each\), 1 unchanged" "$out"
check_nomatch "an unchanged procedure gets no line of its own" "1\.000002" "$out"
check_eq "two versions of 1.000001, one of 1.000002" "1.000001:2 1.000002:1" \
	"$(sqlite3 "$DB" "select group_concat(code || ':' || n, ' ') from (select p.code, count(*) n from procedure_versions v join procedures p on p.id = v.procedure_id where p.code in ('1.000001', '1.000002') group by p.code order by p.code)")"
check_eq "the catalog shows the latest" "5|3|2" "$(sqlite3 "$DB" "select committed_direct || '|' || (select count(*) from procedure_components where procedure_id = p.id) || '|' || latest_version from procedures p where code = '1.000001'")"
out=$(mc --json catalog versions 1.000001)
check_match "catalog versions lists both" '"version": 1.*"version": 2' "$(printf '%s' "$out" | tr -d '\n')"
check_match "... version 2 says what changed" '"changes": "times,components"' "$out"
out=$(recv "2026-12-04 09:00:00" 1.000001 2); D2=$(code "$out")
check_eq "a dossier received after the update: 5 working days" "2026-12-11 09:00" "$(due "$out")"
check_eq "... under version 2" 2 "$(sqlite3 "$DB" "select proc_version from dossiers where code = '$D2'")"
check_fails "version 2 requires its third component" recv "2026-12-04 09:10:00" 1.000001 3 1,2
out=$(mc --json show "$D1")
check_match "the old dossier keeps its 8-day appointment" '"due_at": "2026-12-14 09:00"' "$out"
check_match "... and reads its version" '"procedure_version": 1' "$out"
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/scan.pdf"
out=$(mc --as clerk attach "$D1" --component 3 "$T/scan.pdf" 2>&1); rc=$?
check_match "the old dossier has only the two components of version 1" "component.*1-2|1 to 2|two" "$rc $out"
check_eq "... refused" 1 "$([ $rc -ne 0 ] && echo 1)"
check "the new dossier has a third" mc --as clerk attach "$D2" --component 3 "$T/scan.pdf"
out=$(mc form 01 "$D1" --out "$T/f1.txt" >/dev/null 2>&1; cat "$T/f1.txt" 2>/dev/null)
check_match "form 01 of the old dossier lists the components of version 1" "Bản vẽ" "$out"
check_nomatch "... and not version 2's" "Giấy tờ đất" "$out"
out=$(mc form 01 "$D2" --out "$T/f2.txt" >/dev/null 2>&1; cat "$T/f2.txt" 2>/dev/null)
check_match "form 01 of the new dossier lists version 2's" "Giấy tờ đất" "$out"

# the same file again changes nothing
out=$(vn "2026-12-04 10:00:00" mc catalog import "$T/v2.csv" 2>&1)
check_match "the same file again: nothing changed" "0 procedures added, 0 changed \(a new version each\), 3 unchanged" "$out"
check_eq "... no new version" 2 "$(sqlite3 "$DB" "select latest_version from procedures where code = '1.000001'")"

# a version with an effective date: from 10/12, 3 days
sed -e 's/^1.000001,\(.*\),day,10,5,10,5,/1.000001,\1,day,10,3,10,3,/' -e '1s/$/,effective/' -e '2,$s/$/,2026-12-10/' "$T/v2.csv" >"$T/v3.csv"
out=$(vn "2026-12-04 11:00:00" mc catalog import "$T/v3.csv" 2>&1)
check_match "a version from a later day" "1\.000001: version 3, for dossiers received from 2026-12-10 00:00; changed: time limits" "$out"
out=$(recv "2026-12-07 09:00:00" 1.000001 4)
check_eq "before its effective date version 2 still applies (5 days)" "2026-12-14 09:00" "$(due "$out")"
out=$(recv "2026-12-10 09:00:00" 1.000001 5)
check_eq "from its effective date version 3 applies (3 days)" "2026-12-15 09:00" "$(due "$out")"

# the level alone is the province's arrangement: changed in place, no version
printf '%s\n%s\n' "$H" "1.000002,Chứng thực bản sao,2,CT,Chứng thực,day,1,1,1,1,0,partial,Bản chính" >"$T/level.csv"
out=$(mc catalog import "$T/level.csv" 2>&1)
check_match "a new level alone makes no version" "1\.000002: same rules, its level or department changed \(no new version\)" "$out"
check_eq "... the level is changed, still version 1" "2|1" "$(sqlite3 "$DB" "select level || '|' || latest_version from procedures where code = '1.000002'")"

# refusals change nothing
sed -e 's/2026-12-10/2026-12-01/' -e 's/,10,3,10,3,/,10,2,10,2,/' "$T/v3.csv" >"$T/past.csv"
out=$(vn "2026-12-04 12:00:00" mc catalog import "$T/past.csv" 2>&1); rc=$?
check_match "an effective date in the past is refused" "in the past" "$out"
check_eq "... with no new version" 3 "$(sqlite3 "$DB" "select latest_version from procedures where code = '1.000001'")"
printf '%s\n%s\n%s\n' "$H" "1.000002,Chứng thực bản sao,3,CT,Chứng thực,day,2,2,2,2,0,partial,Bản chính" \
	"1.000002,Chứng thực bản sao,3,CT,Chứng thực,day,3,3,3,3,0,partial,Bản chính" >"$T/twice.csv"
out=$(mc catalog import "$T/twice.csv" 2>&1)
check_match "a code twice in one file is refused" "appears twice" "$out"
printf '%s\n%s\n%s\n' "$H" "1.000002,Chứng thực bản sao,3,CT,Chứng thực,day,2,2,2,2,0,partial,Bản chính" \
	"1.000009,Xấu,3,CT,,day,5,9,5,5,0,partial,Đơn" >"$T/half.csv"
check_fails "a file with one bad row" mc catalog import "$T/half.csv"
check_eq "... leaves the good row's procedure unversioned (all or nothing)" "1|1" \
	"$(sqlite3 "$DB" "select latest_version || '|' || committed_direct from procedures where code = '1.000002'")"

# an old store (before versions) upgrades: its procedures become version 1, its dossiers keep working
U=$T/old.db
vn "2026-12-01 08:00:00" "$MOTCUA" --db "$U" init --office 000.00.65.H45 --name "Kho cũ" --admin admin >/dev/null
vn "2026-12-01 08:10:00" "$MOTCUA" --db "$U" catalog import "$T/v1.csv" >/dev/null
"$MOTCUA" --db "$U" user add clerk --name "Cán bộ" --roles clerk >/dev/null
old=$(vn "2026-12-02 09:00:00" "$MOTCUA" --db "$U" --as clerk --json receive --procedure 1.000001 --name "Người cũ" --id 001234567880 --components all)
OD=$(code "$old")
sqlite3 "$U" "DROP TABLE procedure_versions; DROP TABLE procedure_version_components; ALTER TABLE procedures DROP COLUMN latest_version;
	ALTER TABLE dossiers DROP COLUMN proc_version; PRAGMA user_version = 17;"
check "the old store opens (and upgrades)" "$MOTCUA" --db "$U" check
check_eq "its procedures are version 1" "1.000001:1:8:2 1.000002:1:1:1" \
	"$(sqlite3 "$U" "select group_concat(p.code || ':' || v.version || ':' || v.committed_direct || ':' || (select count(*) from procedure_version_components c where c.procedure_id = v.procedure_id and c.version = v.version), ' ') from procedure_versions v join procedures p on p.id = v.procedure_id")"
out=$(vn "2026-12-03 10:00:00" "$MOTCUA" --db "$U" catalog import "$T/v2.csv" 2>&1)
check_match "an upgraded store takes an update" "1\.000001: version 2" "$out"
out=$("$MOTCUA" --db "$U" --json show "$OD")
check_match "its old dossier keeps version 1 and its appointment" '"due_at": "2026-12-14 09:00".*"procedure_version": 1' "$(printf '%s' "$out" | tr -d '\n')"
