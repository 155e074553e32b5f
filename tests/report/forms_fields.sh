#!/bin/sh
# forms_fields.sh - every field of the Circular 03/2025 forms (LAW.md §2.2) on forms
# 01-07 of a dossier received after 1 July 2025, and the Circular 01/2018 wording on the
# same forms of a dossier received before; every form at most 80 columns; dates as
# Decree 30/2020 writes them; amounts and decimals as Vietnamese writes numbers; the
# register (form 07) as the notes' grid of 11 columns, each entry's cells read back
# from the grid, numbered from 01 through the year and continuing across books.
. "$ROOT/tests/lib.sh"
P1=1.001037; A=000.00.17.H45
at "2024-03-01 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
sqlite3 "$DB" "insert into settings(key, value) values ('org.place', 'Quảng Ninh'), ('org.phone', '0203 3835 999')"
printf 'motcua-demo\n' >"$T/pass"
form() { mc --as clerk1 form "$@" 2>&1; }
fits() { [ "$(printf '%s\n' "$1" | LC_ALL=C.UTF-8 wc -L)" -le 80 ] && [ -n "$1" ]; }
# has DESC TEXT PATTERN...: every pattern is on the form
has() { d=$1; t=$2; shift 2; for p in "$@"; do check_match "$d: $p" "$p" "$t"; done; }
full() { # time name id [options]: a receipt with every field, a proxy too
	ft=$1; fn=$2; fi=$3; shift 3
	at "$ft" mc --as clerk1 receive --procedure $P1 --name "$fn" --id "$fi" --components all \
		--email "an@example.vn" --phone 0912000111 --address "Số 5 đường Trần Hưng Đạo, phường Hồng Gai" \
		--proxy-name "Lê Thị Thay" --proxy-id 022123456799 --proxy-address "Tổ 3, phường Bãi Cháy" \
		--proxy-phone 0912345678 --proxy-email thay@example.vn --proxy-doc "Giấy ủy quyền số 12/2025" "$@" >/dev/null 2>&1
}
to_spec() { # time code
	at "$1" mc --as clerk1 transfer $2 >/dev/null 2>&1
	at "$1" mc --as head_tm assign $2 --to spec_tm1 >/dev/null 2>&1
}
for y in 24 25; do
	if [ $y = 24 ]; then d=2024-03; else d=2025-07; fi
	full "$d-07 09:00:00" "Chủ Văn Một" 0221234${y}001                          # receipt, supplement
	full "$d-07 09:30:00" "Chủ Văn Hai" 0221234${y}002 --outcome refuse --reason "Thủ tục không thuộc thẩm quyền"
	full "$d-08 09:00:00" "Chủ Văn Ba" 0221234${y}003                           # apology, control sheet
	full "$d-09 09:00:00" "Chủ Văn Tư" 0221234${y}004                           # stop
	to_spec "$d-07 10:00:00" $A-${y}${d#*-}07-0001
	at "$d-07 11:00:00" mc --as spec_tm1 supplement $A-${y}${d#*-}07-0001 --reason "Thiếu bản vẽ mặt bằng" >/dev/null 2>&1
	to_spec "$d-08 10:00:00" $A-${y}${d#*-}08-0001
	at "$d-08 10:20:00" mc --as spec_tm1 extend $A-${y}${d#*-}08-0001 --until ${d%-*}-${d#*-}-29 --reason "Cần xác minh thêm" >/dev/null 2>&1
	at "$d-08 10:30:00" mc --as leader1 issue-extension $A-${y}${d#*-}08-0001 >/dev/null 2>&1
	at "$d-09 10:00:00" mc --as leader1 stop $A-${y}${d#*-}09-0001 --reason "Người nộp đề nghị dừng" >/dev/null 2>&1
done
n1=$A-250707-0001; n2=$A-250707-0002; n3=$A-250708-0001; n4=$A-250709-0001
o1=$A-240307-0001; o2=$A-240307-0002; o3=$A-240308-0001; o4=$A-240309-0001

# ---- 2025: form 01 ----
f=$(form RECEIPT $n1)
check "01 (2025) fits 80 columns" fits "$f"
has "01 (2025)" "$f" "Mẫu số 01 - Thông tư 03/2025/TT-VPCP" "^Số: $n1/BPTNTKQ$" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" \
	"Độc lập - Tự do - Hạnh phúc" "Quảng Ninh, ngày 07 tháng 7 năm 2025" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" \
	"Mã hồ sơ: $n1" "^Bộ phận Tiếp nhận và Trả kết quả: Sở Công Thương" \
	"^Tiếp nhận hồ sơ của Ông \(Bà\)/Tổ chức:" "^Tên tổ chức, cá nhân: Chủ Văn Một" \
	"^Số định danh cá nhân/tổ chức: 022123425001" "^Địa chỉ: Số 5 đường Trần Hưng Đạo, phường Hồng Gai" \
	"^Số điện thoại: 0912000111" "^Email: an@example.vn" "^Trường hợp nộp thay \(ủy quyền\):" \
	"^Người được ủy quyền: Lê Thị Thay" "^Số định danh cá nhân: 022123456799" "^Địa chỉ: Tổ 3, phường Bãi Cháy" \
	"^Số điện thoại: 0912345678" "^Email: thay@example.vn" "^Văn bản ủy quyền: Giấy ủy quyền số 12/2025" \
	"^Nội dung yêu cầu giải quyết: Cấp Giấy xác nhận" "^1. Thành phần hồ sơ nộp gồm:" "^   1\) Văn bản đề nghị theo mẫu" \
	"^2. Số lượng hồ sơ: 01 \(bộ\)" "^3. Thời gian giải quyết hồ sơ theo quy định là: 9 ngày làm việc" \
	"^4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 07 tháng 7 năm 2025" \
	"09 giờ 00 phút, ngày 18 tháng 7 năm 2025" "^5. Thời gian trả kết quả giải quyết hồ sơ:" \
	"^6. Phí, lệ phí: 400.000 đồng" "^7. Đăng ký nhận kết quả tại: Sở Công Thương tỉnh Quảng Ninh" \
	"^Vào Sổ theo dõi hồ sơ, Quyển số: 01/2025, Số thứ tự: 01$" "NGƯỜI NỘP HỒ SƠ +NGƯỜI TIẾP NHẬN HỒ SƠ" "Chủ Văn Một +Nguyễn Thị Lan"
check_match "01 (2025): the second entry of the year" "Số thứ tự: 03$" "$(form RECEIPT $n3)"

# ---- 2025: form 02 ----
f=$(form SUPPLEMENT_REQUEST $n1)
check "02 (2025) fits 80 columns" fits "$f"
has "02 (2025)" "$f" "Mẫu số 02 - Thông tư 03/2025/TT-VPCP" "^Số: $n1/PBS-BPTNTKQ$" "Quảng Ninh, ngày 07 tháng 7 năm 2025" \
	"PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" "^Hồ sơ của:" "^Tên tổ chức, cá nhân: Chủ Văn Một" \
	"^Số định danh cá nhân/tổ chức: 022123425001" "^Địa chỉ: Số 5 đường" "^Số điện thoại: 0912000111" "^Email: an@example.vn" \
	"^Người được ủy quyền: Lê Thị Thay" "^Nội dung yêu cầu giải quyết: Cấp Giấy" \
	"^Đăng ký nhận kết quả tại: Sở Công Thương" "những nội dung sau:" "^   Thiếu bản vẽ mặt bằng" "^Lý do: Thiếu bản vẽ mặt bằng" \
	"^Thời gian yêu cầu bổ sung: 11 giờ 00 phút, ngày 07 tháng 7 năm 2025"
check_match "02 (2025): whom to call, and the office's phone (setting org.phone)" \
	"liên hệ $(sqlite3 "$DB" "select name from users where account = 'spec_tm1'"), số điện thoại 0203 3835 999" "$(printf '%s' "$f" | tr '\n' ' ' | tr -s ' ')"
check_match "02 (2025): NGƯỜI HƯỚNG DẪN" "NGƯỜI HƯỚNG DẪN" "$f"

# ---- 2025: form 03 ----
f=$(form REFUSAL $n2)
check "03 (2025) fits 80 columns" fits "$f"
has "03 (2025)" "$f" "Mẫu số 03 - Thông tư 03/2025/TT-VPCP" "^Số: $n2/PTC-BPTNTKQ$" "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" \
	"^Bộ phận Tiếp nhận và Trả kết quả: Sở Công Thương" "^Tiếp nhận hồ sơ của:" \
	"^Số định danh cá nhân/tổ chức: 022123425002" "^Địa chỉ: " "^Số điện thoại: 0912000111" "^Email: an@example.vn" \
	"Mã hồ sơ \(nếu có\): $n2" "^Nội dung yêu cầu giải quyết: " "lý do cụ thể như sau:" "^   Thủ tục không thuộc thẩm quyền" \
	"NGƯỜI NỘP HỒ SƠ +NGƯỜI TIẾP NHẬN HỒ SƠ"

# ---- 2025: form 04 ----
f=$(form APOLOGY_EXTENSION $n3)
check "04 (2025) fits 80 columns" fits "$f"
has "04 (2025)" "$f" "Mẫu số 04 - Thông tư 03/2025/TT-VPCP" "Số: $n3/PXL " "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" \
	"^Kính gửi: Chủ Văn Ba" "^Ngày 08 tháng 7 năm 2025, Sở Công Thương tỉnh Quảng Ninh tiếp nhận" \
	"^Số định danh cá nhân/tổ chức: 022123425003" "^Email: an@example.vn" "^Người được ủy quyền: Lê Thị Thay" \
	"^Mã số hồ sơ: $n3" "^Thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 21 tháng 7 năm 2025" \
	"chưa trả kết quả giải quyết hồ sơ đúng hạn" "^   Cần xác minh thêm" "xin lỗi ông/bà" "ngày 29 tháng 7 năm 2025" \
	"^Nơi trả kết quả: Sở Công Thương" "sự thông cảm" "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"

# ---- 2025: form 05 and 06 ----
f=$(form STOP_NOTICE $n4)
check "05 (2025) fits 80 columns" fits "$f"
has "05 (2025)" "$f" "Mẫu số 05 - Thông tư 03/2025/TT-VPCP" "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" "Mã hồ sơ: $n4" \
	"^Số định danh cá nhân/tổ chức: 022123425004" "^   Người nộp đề nghị dừng" "^Thời gian: 10 giờ 00 phút, ngày 09 tháng 7 năm 2025" \
	"^Giấy tờ gốc \(nếu có\) trả lại tại: Sở Công Thương" "^Phí, lệ phí đã nộp \(400.000 đồng\)"
f=$(form CONTROL_SHEET $n3)
check "06 (2025) fits 80 columns" fits "$f"
has "06 (2025)" "$f" "Mẫu số 06 - Thông tư 03/2025/TT-VPCP" "^Số: $n3/PKS-BPTNTKQ$" "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" \
	"Mã hồ sơ: $n3" "^Cơ quan \(bộ phận\) giải quyết hồ sơ: Sở Công Thương" "^Cơ quan phối hợp giải quyết hồ sơ: " \
	"^Ngày nhận: 09 giờ 00 phút, ngày 08 tháng 7 năm 2025" "^Hẹn trả kết quả vào 17 giờ 00 phút, ngày 29 tháng 7 năm 2025" \
	"Người giao: .*Người nhận: " "^\|Tên đơn vị +\|Thời gian giao +\|Kết quả giải quyết +\|Ghi chú +\|$" \
	"^\|1\. Giao: Nguyễn Thị Lan +\|09 giờ 00 phút, +\|" "^\|2\. Nhận: Bộ phận một cửa\|ngày 08/07/2025 +\|" \
	"\|Bước 1: Tiếp +\|$" "\|(Trước hạn|Đúng hạn|Quá hạn) +\|" "\|Hẹn mới: +\|$" "\|29/07/2025 +\|$"

# ---- 2018 versions of the same forms ----
f=$(form 01 $o1)
check "01 (2018) fits 80 columns" fits "$f"
has "01 (2018)" "$f" "Mẫu số 01 - Thông tư 01/2018/TT-VPCP" "ngày 07 tháng 3 năm 2024$" "^4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 07/03/2024" \
	"^5. Hẹn trả kết quả: " "^6. Phí, lệ phí: 400.000 đồng" "^7. Nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả"
check_nomatch "01 (2018): no 2025 field" "ủy quyền|Quyển số|Số định danh cá nhân/tổ chức|Quảng Ninh, ngày" "$f"
for k in "02 $o1 PHIẾU YÊU CẦU BỔ SUNG" "03 $o2 PHIẾU TỪ CHỐI TIẾP NHẬN" "04 $o3 PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"; do
	set -- $k; num=$1; f=$(form $1 $2); shift 2
	check "$num (2018) fits 80 columns" fits "$f"
	has "$num (2018)" "$f" "Thông tư 01/2018/TT-VPCP" "$*"
	check_nomatch "$num (2018): no 2025 field" "ủy quyền|/P(BS|TC|XL)|Kính gửi|Đăng ký nhận kết quả" "$f"
done
check_nomatch "03 (2018): the clerk signs alone" "NGƯỜI NỘP HỒ SƠ" "$(form 03 $o2)"

# ---- form 07: the grid of Circular 03/2025 ----
# entries of the grid: the 11 cells of each row block, pieces joined (no space after . - /
# or between digits: a long number is cut where the column ends)
grid() {
	printf '%s\n' "$1" | awk -F'|' -v widths="4 8 8 8 6 6 6 6 6 6 4" 'BEGIN { split(widths, w, " ") }
	/^\+/ { if (have) { o = ""; for (i = 2; i <= 12; i++) o = o (i > 2 ? "\t" : "") c[i]; print o }
		have = 0; for (i = 2; i <= 12; i++) c[i] = ""; next }
	/^\|/ && NF == 13 { have = 1
		for (i = 2; i <= 12; i++) { v = $i; gsub(/^ +| +$/, "", v); if (v == "") continue
			if (c[i] == "") c[i] = v; else if (c[i] ~ /[-.\/]$/ || (p[i] ~ /^[0-9]+$/ && length(p[i]) == w[i - 1] && v ~ /^[0-9]/)) c[i] = c[i] v
			else c[i] = c[i] " " v
			p[i] = v } }'
}
at "2025-07-10 09:00:00" mc --as spec_tm1 propose $n3 --decision approve >/dev/null 2>&1
at "2025-07-10 09:10:00" mc --as leader1 sign $n3 --passphrase-file "$T/pass" >/dev/null 2>&1
at "2025-07-10 09:20:00" mc --as clerk1 return $n3 --collected-by "Chủ Văn Ba" --rating 5 >/dev/null 2>&1
r=$(mc --as clerk1 form REGISTER --period 2025-07 2>&1)
check "07 (2025) fits 80 columns" fits "$r"
has "07 (2025)" "$r" "Mẫu số 07 - Thông tư 03/2025/TT-VPCP" "^ +Số: 2025/STD-BPTNTKQ" "SỔ THEO DÕI HỒ SƠ" \
	"Nhận và trả kết quả" "^\|Quyển số 01/2025, từ số thứ tự 01 +\|$" "^Tổng số: 4 hồ sơ"
check_eq "07 (2025): the 11 column headings of the notes" \
	"STT (1)	Mã hồ sơ (2)	Tên TTHC (3)	Tên tổ chức, cá nhân (4)	Địa chỉ/SĐT (5)	Cơ quan chủ trì giải quyết (6)	Nhận hồ sơ (7)	Hẹn trả kết quả (8)	Trả kết quả (9)	Phương thức nhận kết quả (10)	Ký nhận (11)" \
	"$(grid "$r" | head -1)"
check_eq "07 (2025): four entries" 4 "$(grid "$r" | grep -c '^[0-9]')"
e1=$(grid "$r" | grep '^01	')
check_eq "07 (2025): entry 01 cell by cell" \
	"01	$n1	Cấp Giấy xác nhận đủ điều kiện làm tổng đại lý kinh doanh xăng dầu	Chủ Văn Một	Số 5 đường Trần Hưng Đạo, phường Hồng Gai /0912000111	Sở Công Thương tỉnh Quảng Ninh	09:00 07/07/2025	18/07/2025		Trực tiếp	" "$e1"
check_match "07 (2025): the refused one keeps its number" "^02	$n2	" "$(grid "$r")"
check_match "07 (2025): the returned one has its return date" "^03	$n3	.*	09:00 08/07/2025	29/07/2025	10/07/2025	Trực tiếp	$" "$(grid "$r")"
# books: three entries a book; the numbering continues in the next book and restarts in January
sqlite3 "$DB" "insert into settings(key, value) values ('register.book_entries', '3')"
at "2025-07-20 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Chủ Văn Năm" --id 022123456705 --components all >/dev/null 2>&1
at "2026-01-05 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Chủ Văn Sáu" --id 022123456706 --components all >/dev/null 2>&1
r=$(mc --as clerk1 form REGISTER --from 2025-07-01 --to 2026-01-31 2>&1)
check "07 over two years fits 80 columns" fits "$r"
check_match "a new book continues the numbering" "^\|Quyển số 02/2025, từ số thứ tự 04 +\|$" "$r"
check_match "its entries go on from 04" "^05	$A-250720-0001	" "$(grid "$r")"
check_match "a new year opens book 01 again" "^\|Quyển số 01/2026, từ số thứ tự 01 +\|$" "$r"
check_match "numbered from 01" "^01	$A-260105-0001	" "$(grid "$r")"
check_match "the receipt names the book" "Quyển số: 02/2025, Số thứ tự: 05$" "$(form RECEIPT $A-250720-0001)"
# 2018: the list layout of Circular 01/2018, numbered through the year as well
r=$(mc --as clerk1 form 07 --from 2024-03-08 --to 2024-03-31 2>&1)
check "07 (2018) fits 80 columns" fits "$r"
check_match "07 (2018): the third entry of 2024 is numbered 3" "^ +3 $o3 " "$r"
check_nomatch "07 (2018): no grid" "^\|" "$r"

# ---- a service centre's forms ----
mc --as admin office set $A --kind centre >/dev/null 2>&1
f=$(form RECEIPT $n1)
has "01 of a centre" "$f" "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" "^Số: $n1/TTPVHCC$" "^Trung tâm Phục vụ hành chính công: Sở Công Thương"
check_match "02 of a centre: its sign" "^Số: $n1/PBS-TTPVHCC$" "$(form SUPPLEMENT_REQUEST $n1)"
check "01 of a centre fits 80 columns" fits "$f"

# ---- Vietnamese numbers ----
check_match "the catalog report: a decimal comma, dots between thousands" "^Cấp tỉnh +[0-9]+ +[0-9]+ +1\.921 +854 +-55,54%$" \
	"$(mc report catalog 2>&1)"
echo "1..$n"
