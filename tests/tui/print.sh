#!/bin/sh
# print.sh - paper and set-up without the command line, at 80x24: an administrator sets
# the printer and the central server (Settings, m), a leader makes a signing key there
# (the passphrase twice, never shown); the clerk prints the receipt right after
# receiving (i), any form that applies from a dossier's detail (i: a menu), and the
# supervisor prints the statistics report and saves it as CSV from the reports
# screen.  A fake lpr on PATH keeps what it was given.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
mkdir -p "$T/bin"
cat >"$T/bin/lpr" <<LPR
#!/bin/sh
echo "\$*" >>"$T/lpr.args"
cat >>"$T/lpr.out"
LPR
chmod +x "$T/bin/lpr"
uat() { start "env PATH=$T/bin:$PATH HOME=$T TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as $1"; }
setting() { sqlite3 "$DB" "SELECT value FROM settings WHERE key = '$1'"; }

# ---- the administrator: printer and central server ----
uat admin
keys m
expect "m opens the settings" "Máy in \\(hàng đợi CUPS\\)"
expect "with the central server" "Máy chủ trung tâm"
check_nomatch "an administrator is not asked for a signing key" "Khoá ký số" "$(screen)"
text "may-in-mot-cua"; keys Tab
text "http://central.example"; keys C-o
expect "a bad central address is refused, saying why" "(is not valid|không hợp lệ)"
check_eq "and nothing is saved" "" "$(setting central.url)"
keys C-u; text "sqlite:$T/central.db"; keys C-o
expect "the settings are saved" "Đã lưu cài đặt"
check_eq "the printer is set" "may-in-mot-cua" "$(setting printer)"
check_eq "the central server is set" "sqlite:$T/central.db" "$(setting central.url)"

# ---- a leader: a signing key, passphrase twice, never shown ----
uat leader1
keys m
fpr0=$(mc key show leader1 2>&1 | sed -n 's/.*fingerprint *//p')
expect "the leader's settings offer the signing key (the demo made one)" "Khoá ký số +đã có"
check_nomatch "but not the printer (not an administrator)" "Máy in" "$(screen)"
text "mot cua demo 1"; keys Tab; text "mot cua demo 2"; keys C-o
expect "two different passphrases are refused" "Hai mật khẩu không khớp"
check_nomatch "the passphrase is never shown" "mot cua demo" "$(screen)"
text "mot cua demo 1"; keys Tab; text "mot cua demo 1"
check_nomatch "not even while typed" "mot cua demo" "$(screen)"
keys C-o
expect "the key is made" "Đã tạo khoá ký số của bạn"
fpr1=$(mc key show leader1 2>&1 | sed -n 's/.*fingerprint *//p')
check_match "the store has a key" "^[0-9a-f]{16}" "$fpr1"
check "a new one" test "$fpr0" != "$fpr1"

# ---- the clerk: the receipt right after receiving ----
uat clerk1
expect "the clerk's queue" "Một cửa: tiếp nhận"
keys n
text "dai ly ban le"
expect "the procedure is found" "1\\.001074"
keys Enter
text "Nguyễn Văn In"; keys Tab
text "022123456789"; keys Tab Tab Tab Tab
keys Space Tab Space Tab Space
keys C-o
expect "the slip is on the screen" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
expect "it offers to print" "Nhấn i để in \\(mẫu 01\\)"
code=$(screen | sed -n 's/.*Mã hồ sơ: \([^ ]*\).*/\1/p' | head -1)
keys i
expect "i prints it" "Đã gửi mẫu 01 của hồ sơ $code đến máy in may-in-mot-cua"
check_match "through lpr with the configured printer" "^-P may-in-mot-cua$" "$(cat "$T/lpr.args" 2>/dev/null)"
check_match "the receipt went to the printer" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" "$(cat "$T/lpr.out" 2>/dev/null)"
check_match "with the dossier's code" "$code" "$(cat "$T/lpr.out" 2>/dev/null)"

# ---- any form from the dossier's detail ----
keys Escape
keys /; text "$code"; keys Enter
expect "search finds it" "Tìm thấy 1"
keys Enter
expect "the detail offers printing" "i In"
keys i
expect "a menu of the forms that apply" "01 +Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
expect "the process-control sheet among them" "06 +Phiếu kiểm soát quá trình giải quyết hồ sơ"
check_nomatch "not the apology (never extended)" "Phiếu xin lỗi" "$(screen)"
keys Down; keys Enter
expect "Enter prints the chosen form" "Đã gửi mẫu 06 của hồ sơ $code đến máy in"
check_match "the process-control sheet went to the printer" "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" "$(cat "$T/lpr.out")"

# ---- the supervisor: the statistics report, printed and saved as CSV ----
uat super1
keys d
expect "the dashboard" "Quá hạn"
keys Tab
expect "Tab opens the reports" "BÁO CÁO TÌNH HÌNH"
: >"$T/lpr.out"
keys i
# (20/03 is in the second quarter of the reporting regime: 15/03-14/06, Decree 09/2019 Art. 12)
expect "i prints the report" "Đã gửi Thống kê 2024-Q2"
check_match "the report went to the printer" "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" "$(cat "$T/lpr.out")"
keys l
expect "l asks where to save the CSV, the home directory by default" "Lưu CSV thành: +$T/bao-cao-2024-Q2\\.csv"
keys Enter
expect "it is saved" "Đã lưu báo cáo thành tệp $T/bao-cao-2024-Q2\\.csv"
check_match "a CSV file with a BOM for Excel" "^$(printf '\357\273\277')" "$(head -c 3 "$T/bao-cao-2024-Q2.csv" 2>/dev/null)"
check_match "holding the report's rows" "," "$(cat "$T/bao-cao-2024-Q2.csv" 2>/dev/null)"
echo "1..$n"
