#!/bin/sh
# online.sh - dossiers filed on the national portal are pulled into central's online
# intake with the portal's MaHoSo as their code (a national code mapped to the local
# procedure), reach the office at its next sync as `central submit-online` ones do,
# and their steps go back to the portal as updates (never created twice there).  A
# repeated pull, and a list with every dossier twice, create nothing twice; a dossier
# of an unknown procedure is refused with the reason.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"
A=$T/a.db; C=$T/c.db
CURL="sqlite:$C"
OFF=000.00.17.H45
check "a central with a small demo quarter" central_quarter "$A" "$C" 20
sqlite3 "$A" "update procedures set national_code = '1.001074.000.00.00.H45' where code = '1.001074'"
check "the mock portal starts" mock_start
conf_a "$T/a.conf"
P1=000.00.00.H45-240315-9001; P2=000.00.00.H45-240315-9002; P3=000.00.00.H45-240315-9003; P4=000.00.00.H45-240315-9004
mock_ctl "{\"submit\": [
 {\"maHoSo\": \"$P1\", \"maTTHC\": \"1.001037\", \"hoTen\": \"Nguyễn Văn Trực\", \"soCmnd\": \"022123456781\", \"soDienThoai\": \"0912345678\", \"diaChi\": \"Hạ Long\", \"loaiDoiTuong\": \"1\", \"maDonVi\": \"$OFF\", \"ngayNopHoSo\": \"20240315080000\", \"hoSoDinhKem\": [{\"magiayto\": \"1\", \"tengiayto\": \"Đơn\", \"filedinhkem\": \"f/1.pdf\"}]},
 {\"maHoSo\": \"$P2\", \"maTTHC\": \"1.001074.000.00.00.H45\", \"hoTen\": \"Công ty TNHH Tuyến\", \"soCmnd\": \"5701234567\", \"loaiDoiTuong\": \"2\", \"maDonVi\": \"$OFF\", \"ngayNopHoSo\": \"20240315081000\", \"hoSoDinhKem\": []},
 {\"maHoSo\": \"$P3\", \"maTTHC\": \"1.001037\", \"hoTen\": \"Trần Thị Ba\", \"soCmnd\": \"022123456783\", \"loaiDoiTuong\": \"1\", \"maDonVi\": \"$OFF\", \"ngayNopHoSo\": \"20240315082000\", \"hoSoDinhKem\": []},
 {\"maHoSo\": \"$P4\", \"maTTHC\": \"9.999999\", \"hoTen\": \"Lê Văn Bốn\", \"soCmnd\": \"022123456784\", \"loaiDoiTuong\": \"1\", \"maDonVi\": \"$OFF\", \"ngayNopHoSo\": \"20240315083000\", \"hoSoDinhKem\": []}]}"
out=$(TZ=UTC-7 faketime -f "@2024-03-15 09:00:00" "$MOTCUA" --db "$A" portal pull --central "$CURL" --config "$T/a.conf" 2>&1)
check_match "portal pull takes the three good ones" "4 online dossiers listed, 3 new at central, 0 already there, 1 refused" "$out"
check_match "... and names why the fourth is refused" "no procedure has the national code '9.999999'" "$out"
check_eq "at central under the portal's codes, one event each" "$P1 $P2 $P3" "$(sqlite3 "$C" "select group_concat(dossier_code, ' ') from (select dossier_code from c_events where dossier_code like '%-9%' group by 1 having count(*) = 1 order by 1)")"
check_eq "the national code mapped to the local procedure" 1.001074 "$(sqlite3 "$C" "select json_extract(payload, '$.procedure') from c_events where dossier_code = '$P2'")"
mock_ctl '{"dup_list": true}'
out=$(TZ=UTC-7 faketime -f "@2024-03-15 09:05:00" "$MOTCUA" --db "$A" portal pull --central "$CURL" --config "$T/a.conf" 2>&1)
check_match "a second pull of a list with duplicates creates nothing" "8 online dossiers listed, 0 new at central, 6 already there, 2 refused" "$out"
check_eq "still three" 3 "$(sqlite3 "$C" "select count(distinct dossier_code) from c_events where dossier_code like '%-9%'")"
# the office takes them at its next sync, in its online intake (national status 1)
TZ=UTC-7 faketime -f "@2024-03-15 09:10:00" "$MOTCUA" --db "$A" sync >/dev/null 2>&1
check_eq "the office has them waiting for acceptance" "1 1 1" "$(sqlite3 "$A" "select group_concat(status, ' ') from (select status from dossiers where code in ('$P1', '$P2', '$P3') order by code)")"
check "the clerk accepts one" env TZ=UTC-7 faketime -f "@2024-03-15 09:20:00" "$MOTCUA" --db "$A" --as clerk1 accept "$P1"
TZ=UTC-7 faketime -f "@2024-03-15 09:30:00" "$MOTCUA" --db "$A" sync >/dev/null 2>&1
check "portal push" "$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf"
st=$(curl -s "$MURL/state")
check_eq "the portal's dossiers were updated, never created" "0 0 2 1" "$(printf '%s' "$st" | python3 -c "import json, sys; s = json.load(sys.stdin); print(s['dup_new'], s['update_unknown'], s['dossiers']['$P1']['hoso']['TrangThaiHoSo'], s['dossiers']['$P2']['hoso']['TrangThaiHoSo'])")"
check_eq "the quarter's dossiers were created once each" 20 "$(printf '%s' "$st" | python3 -c "import json, sys; print(json.load(sys.stdin)['creates'])")"
check_eq "the accepted one's steps went back in order" "1 2" "$(printf '%s' "$st" | python3 -c "import json, sys; print(' '.join(r['TrangThai'] for r in json.load(sys.stdin)['progress']['$P1']))")"
check_eq "a business applicant is LoaiDoiTuong 2, online is KenhThucHien 2" "2 2" "$(printf '%s' "$st" | python3 -c "import json, sys; h = json.load(sys.stdin)['dossiers']['$P2']['hoso']; print(h['LoaiDoiTuong'], h['KenhThucHien'])")"
check_eq "no format error" "[]" "$(printf '%s' "$st" | python3 -c "import json, sys; print(json.load(sys.stdin)['format_errors'])")"
