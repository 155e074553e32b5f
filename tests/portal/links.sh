#!/bin/sh
# links.sh - an online dossier pulled from the portal keeps its files' download links
# (URL, name, SHA-256 and size when given; a relative one taken against download_base;
# anything but http(s) dropped) in its received event, so they reach the office; the
# office lists them and fetches one into the dossier's attachments over 127.0.0.1
# (typed by its content, checked against the portal's size and hash, within the file
# size limit); a link that fails says so, exits non-zero and attaches nothing.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"
A=$T/a.db; C=$T/c.db
CURL="sqlite:$C"
OFF=000.00.17.H45
check "a central with an office's demo catalogue" central_quarter "$A" "$C" 0
check "the mock portal starts" mock_start
conf_a "$T/a.conf"; echo "download_base = $MURL" >>"$T/a.conf"
c1=$(sqlite3 "$A" "select name from procedure_components where procedure_id = (select id from procedures where code = '1.001037') and n = 1")
c2=$(sqlite3 "$A" "select name from procedure_components where procedure_id = (select id from procedures where code = '1.001037') and n = 2")
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/don.pdf"
B64=$(base64 -w0 "$T/don.pdf"); SHA=$(sha256sum "$T/don.pdf" | cut -d' ' -f1); SIZE=$(wc -c <"$T/don.pdf")
mock_ctl "{\"files\": {\"don.pdf\": {\"b64\": \"$B64\"}, \"ban-ve.pdf\": {\"pdf\": 3000}, \"big.pdf\": {\"pdf\": 1500000},
 \"wrong.pdf\": {\"pdf\": 2000}, \"note.txt\": {\"b64\": \"$(printf 'chỉ là chữ' | base64 -w0)\"}, \"gone.pdf\": {\"status\": 404}}}"
P=000.00.00.H45-240315-9101
mock_ctl "{\"submit\": [{\"maHoSo\": \"$P\", \"maTTHC\": \"1.001037\", \"hoTen\": \"Nguyễn Văn Liên\", \"soCmnd\": \"022123456781\",
 \"loaiDoiTuong\": \"1\", \"maDonVi\": \"$OFF\", \"ngayNopHoSo\": \"20240315080000\", \"hoSoDinhKem\": [
 {\"magiayto\": \"1\", \"tengiayto\": \"$c1\", \"filedinhkem\": \"$MURL/files/don.pdf\", \"sha256\": \"$SHA\", \"kichThuoc\": $SIZE},
 {\"magiayto\": \"2\", \"tengiayto\": \"$c2\", \"filedinhkem\": \"files/ban-ve.pdf\"},
 {\"magiayto\": \"3\", \"tengiayto\": \"Giấy tờ đã xoá\", \"filedinhkem\": \"$MURL/files/gone.pdf\"},
 {\"magiayto\": \"4\", \"tengiayto\": \"Bản quét lớn\", \"filedinhkem\": \"$MURL/files/big.pdf\"},
 {\"magiayto\": \"5\", \"tengiayto\": \"Bản sai\", \"filedinhkem\": \"$MURL/files/wrong.pdf\", \"sha256\": \"$(printf '0%.0s' $(seq 64))\"},
 {\"magiayto\": \"6\", \"tengiayto\": \"Không phải liên kết\", \"filedinhkem\": \"file:///etc/passwd\"},
 {\"magiayto\": \"7\", \"tengiayto\": \"Ghi chú\", \"filedinhkem\": \"$MURL/files/note.txt\"}]}]}"
out=$(TZ=UTC-7 faketime -f "@2024-03-15 09:00:00" "$MOTCUA" --db "$A" portal pull --central "$CURL" --config "$T/a.conf" 2>&1)
check_match "the online dossier is pulled" "1 new at central" "$out"
check_eq "its received event keeps six links (file:// dropped), the relative one against download_base" \
	"6 $MURL/files/ban-ve.pdf" "$(sqlite3 "$C" "select json_array_length(payload, '$.links') || ' ' || json_extract(payload, '$.links[1].url') from c_events where dossier_code = '$P'")"
TZ=UTC-7 faketime -f "@2024-03-15 09:10:00" "$MOTCUA" --db "$A" sync >/dev/null 2>&1
out=$("$MOTCUA" --db "$A" --as clerk1 --json links "$P")
check_match "the office lists them, each with its component by name" '"n": 1,[[:space:]]*"component": 1,.*"sha256": "'"$SHA"'",[[:space:]]*"size": '"$SIZE" "$(printf '%s' "$out" | tr -d '\n')"
check_match "... the second matched to component 2" '"n": 2,[[:space:]]*"component": 2' "$(printf '%s' "$out" | tr -d '\n')"
check_eq "... six of them" 6 "$(printf '%s' "$out" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')"
out=$("$MOTCUA" --db "$A" --as clerk1 links "$P")
check_match "the plain listing names them" "^1\. .*\(component 1, 1 KB\): $MURL/files/don.pdf" "$out"

ln() { TZ=UTC-7 faketime -f "@2024-03-15 09:20:00" "$MOTCUA" --db "$A" --as clerk1 links fetch "$P" "$@"; }
natt() { sqlite3 "$A" "select count(*) from events where dossier_code = '$P' and kind = 'attached'"; }
out=$(ln 1 2>&1); rc=$?
check_eq "link 1 is fetched" 0 "$rc"
check_match "... into component 1 as a PDF" "link 1 attached to component 1 as .* \(application/pdf, $SIZE bytes\)" "$out"
check_eq "... its bytes are the portal's" "$SHA" "$(sqlite3 "$A" "select json_extract(payload, '$.sha256') from events where dossier_code = '$P' and kind = 'attached'")"
check_match "... and the listing says it is attached" "attached\): $MURL/files/don.pdf" "$("$MOTCUA" --db "$A" --as clerk1 links "$P")"
check "link 2 (relative) is fetched into component 2" ln 2
check_eq "two attachments" 2 "$(natt)"
out=$(ln 3 2>&1); rc=$?
check_match "a link the portal no longer serves: a clear error" "link 3 of dossier $P could not be downloaded .*404.*nothing was attached" "$out"
check_eq "... exit 10" 10 "$rc"
"$MOTCUA" --db "$A" file set attach.max_mb 1 >/dev/null
out=$(ln 4 2>&1); rc=$?
check_match "a file over the size limit is refused" "over the limit of 1 MB" "$out"
check_eq "... exit 3" 3 "$rc"
out=$(ln 5 2>&1); rc=$?
check_match "a file whose hash is not the portal's is refused" "SHA-256 differs" "$out"
out=$(ln 6 2>&1); rc=$?  # the seventh listed: file:// was dropped
check_match "a text file is refused by its content" "text/plain" "$out"
out=$(ln 9 2>&1); rc=$?
check_match "no such link" "has no link 9: it has 6" "$out"
check_eq "... exit 4" 4 "$rc"
check_eq "none of the refusals attached anything" 2 "$(natt)"
mock_stop
out=$(ln 1 2>&1); rc=$?
check_match "the portal down: a clear error" "could not be downloaded" "$out"
check_eq "... exit 10" 10 "$rc"
check_eq "nothing attached" 2 "$(natt)"
