#!/bin/sh
# links.sh - the online intake shows, under the list, the files the selected online
# dossier's applicant filed on the portal (their links, pulled with the dossier), and
# which of them are already in the dossier's attachments.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"
. "$ROOT/tests/tui/tmux.inc"
trap 'mock_stop; tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
A=$DB; C=$T/c.db
OFF=000.00.17.H45
check "a central with an office's demo catalogue" central_quarter "$A" "$C" 0
check "the mock portal starts" mock_start
conf_a "$T/a.conf"
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/don.pdf"
c1=$(sqlite3 "$A" "select name from procedure_components where procedure_id = (select id from procedures where code = '1.001037') and n = 1")
mock_ctl "{\"files\": {\"don.pdf\": {\"b64\": \"$(base64 -w0 "$T/don.pdf")\"}}}"
P=000.00.00.H45-240315-9201
mock_ctl "{\"submit\": [{\"maHoSo\": \"$P\", \"maTTHC\": \"1.001037\", \"hoTen\": \"Phạm Văn Mạng\", \"soCmnd\": \"022123456782\",
 \"loaiDoiTuong\": \"1\", \"maDonVi\": \"$OFF\", \"ngayNopHoSo\": \"20240315080000\", \"hoSoDinhKem\": [
 {\"tengiayto\": \"$c1\", \"filedinhkem\": \"$MURL/files/don.pdf\"},
 {\"tengiayto\": \"Ảnh chụp mặt bằng\", \"filedinhkem\": \"$MURL/files/anh.pdf\"}]}]}"
TZ=UTC-7 faketime -f "@2024-03-15 09:00:00" "$MOTCUA" --db "$A" portal pull --central "sqlite:$C" --config "$T/a.conf" >/dev/null 2>&1
TZ=UTC-7 faketime -f "@2024-03-15 09:10:00" "$MOTCUA" --db "$A" sync >/dev/null 2>&1
check "link 1 is fetched beforehand" "$MOTCUA" --db "$A" --as clerk1 links fetch "$P" 1

ui -- --as clerk1
expect "home" "Hàng đợi công việc"
keys o
expect "the online intake lists the dossier" "$P"
expect "... and the files filed on the portal" "Tệp nộp trên Cổng: 2"
expect "the fetched one is marked" "1\. $c1 \(thành phần 1, đã đính kèm\)"
expect "the other is not" "2\. Ảnh chụp mặt bằng \(thành phần 0, chưa tải về\)"
