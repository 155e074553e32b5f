#!/bin/sh
# forms_versions.sh - forms by stable key, numbered per legal version: a dossier
# received before 1 July 2025 prints Circular 01/2018's numbers (no stop-notice form
# there), one received after prints Circular 03/2025's; the 2025 heading puts the place
# before the date as Decree 30/2020 writes it (a zero only for days 1-9 and months 1-2);
# every line fits 80 columns; an unknown key is refused naming the keys.
. "$ROOT/tests/lib.sh"
P1=1.001037; A=000.00.17.H45
at "2024-03-01 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
sqlite3 "$DB" "insert into settings(key, value) values ('org.place', 'Quảng Ninh')"
printf 'motcua-demo\n' >"$T/pass"
life() { # time-prefix code: transfer, assign, propose, sign
	at "$1 10:00:00" mc --as clerk1 transfer $2 >/dev/null 2>&1
	at "$1 10:10:00" mc --as head_tm assign $2 --to spec_tm1 >/dev/null 2>&1
	at "$1 10:20:00" mc --as spec_tm1 propose $2 --decision approve >/dev/null 2>&1
	at "$1 10:30:00" mc --as leader1 sign $2 --passphrase-file "$T/pass" >/dev/null 2>&1
}
at "2024-03-05 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Cũ Văn Một" --id 022123456781 --components all >/dev/null 2>&1
at "2024-03-05 09:30:00" mc --as clerk1 receive --procedure $P1 --name "Cũ Thị Hai" --id 022123456782 --components all >/dev/null 2>&1
old=$A-240305-0001; olds=$A-240305-0002
life 2024-03-05 $old
at "2024-03-06 09:00:00" mc --as leader1 stop $olds --reason "Đề nghị dừng" >/dev/null 2>&1
at "2025-07-05 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Mới Văn Ba" --id 022123456783 --components all >/dev/null 2>&1
at "2025-07-15 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Mới Thị Tư" --id 022123456784 --components all >/dev/null 2>&1
new=$A-250705-0001; news=$A-250715-0001
life 2025-07-07 $new
at "2025-07-16 09:00:00" mc --as leader1 stop $news --reason "Đề nghị dừng" >/dev/null 2>&1

at "2025-07-17 09:00:00" mc --as clerk1 receive --procedure $P1 --name "Chủ Văn Năm" --id 022123456786 --components all \
	--email nam@example.vn --proxy-name "Lê Thị Thay" --proxy-id 022123456799 --proxy-phone 0912345678 \
	--proxy-doc "Giấy ủy quyền số 12/2025" >/dev/null 2>&1
px=$A-250717-0001
form() { mc --as clerk1 form "$@" 2>&1; }
fits() { [ "$(printf '%s\n' "$1" | LC_ALL=C.UTF-8 wc -L)" -le 80 ] && [ -n "$1" ]; }
for v in "old 01/2018 RECEIPT:01 CONTROL_SHEET:05" "new 03/2025 RECEIPT:01 CONTROL_SHEET:06 STOP_NOTICE:05"; do
	set -- $v; which=$1; act=$2; shift 2
	code=$(eval echo \$$which)
	for kn in "$@"; do
		key=${kn%%:*}; num=${kn#*:}
		[ "$key" = STOP_NOTICE ] && code=$news
		out=$(form $key $code)
		check_match "$key of the $which dossier is form $num of Circular $act" "Mẫu số $num - Thông tư $act/TT-VPCP" "$out"
		check "$key of the $which dossier fits 80 columns" fits "$out"
	done
done
check_match "the 2025 stop notice is titled as Circular 03/2025 names it" "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" "$(form STOP_NOTICE $news)"
at "2025-07-18 10:00:00" mc --as clerk1 transfer $px >/dev/null 2>&1
at "2025-07-18 10:10:00" mc --as head_tm assign $px --to spec_tm1 >/dev/null 2>&1
at "2025-07-18 10:20:00" mc --as spec_tm1 extend $px --until 2025-08-08 --reason "Cần xác minh thêm" >/dev/null 2>&1
at "2025-07-18 10:30:00" mc --as leader1 issue-extension $px >/dev/null 2>&1
ap=$(form APOLOGY_EXTENSION $px)
check_match "the 2025 apology is form 04 of Circular 03/2025" "Mẫu số 04 - Thông tư 03/2025/TT-VPCP" "$ap"
check_match "renamed: apology and request to extend" "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" "$ap"
check_match "signed by the head of the agency" "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" "$ap"
check "the 2025 apology fits 80 columns" fits "$ap"
check_match "the 2018 frame has no stop notice" "01/2018/TT-VPCP không có mẫu này" "$(form STOP_NOTICE $olds)"
check_match "the numbers still work" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" "$(form 01 $new)"
check_match "the 2025 receipt: place before the date, zero for day 5" "Quảng Ninh, ngày 05 tháng 7 năm 2025" "$(form RECEIPT $new)"
check_match "no zero for day 15 and July" "Quảng Ninh, ngày 15 tháng 7 năm 2025" "$(form RECEIPT $news)"
check_match "the 2025 receipt: where the result is collected" "Đăng ký nhận kết quả tại: Sở Công Thương tỉnh Quảng Ninh" "$(form RECEIPT $new)"
check_match "the 2025 receipt: register book and number" "Quyển số: 01/2025, Số thứ tự: 01$" "$(form RECEIPT $new)"
check_match "numbered through the year" "Quyển số: 01/2025, Số thứ tự: 02$" "$(form RECEIPT $news)"
check_nomatch "the 2018 receipt has no register number" "Số thứ tự" "$(form RECEIPT $old)"
cs=$(form CONTROL_SHEET $new)
check_match "the 2025 control sheet names the agency resolving it" "Cơ quan \(bộ phận\) giải quyết hồ sơ: Sở Công Thương" "$cs"
check_match "and the co-operating agencies" "Cơ quan phối hợp giải quyết hồ sơ: không có" "$cs"
check_eq "a signature row per hand-over (5 steps)" 5 "$(printf '%s\n' "$cs" | grep -c 'Người giao: .*Người nhận: ')"
check_eq "a row of the notes' table per hand-over (giver, receiver)" 5 "$(printf '%s\n' "$cs" | grep -c '^|1\. Giao: ')"
check_match "the table's notes column" "\|Ghi chú +\|$" "$cs"
check_nomatch "the 2018 control sheet has neither" "Người giao: |phối hợp" "$(form CONTROL_SHEET $old)"
r=$(form RECEIPT $px)
check_match "the 2025 receipt: the applicant's email" "^Email: nam@example.vn" "$r"
check_match "the proxy's name" "^Người được ủy quyền: Lê Thị Thay" "$r"
check_match "the proxy's personal ID number" "^Số định danh cá nhân: 022123456799" "$r"
check_match "the proxy's phone" "^Số điện thoại: 0912345678" "$r"
check_match "the authorisation document" "^Văn bản ủy quyền: Giấy ủy quyền số 12/2025" "$r"
check "the receipt with a proxy fits 80 columns" fits "$r"
check_match "a proxy without a name is refused" "need the proxy's name" "$(at "2025-07-17 10:00:00" mc --as clerk1 receive --procedure $P1 --name X --id 022123456787 --components all --proxy-id 022123456799 2>&1)"
check_match "a malformed email is refused" "email 'bad' is not an email address" "$(at "2025-07-17 10:00:00" mc --as clerk1 receive --procedure $P1 --name X --id 022123456787 --components all --email bad 2>&1)"
check_nomatch "the 2018 receipt has no proxy block" "ủy quyền" "$(form RECEIPT $old)"
check_nomatch "the 2018 receipt keeps its heading" "Quảng Ninh, ngày" "$(form RECEIPT $old)"
check_match "the register of a 2025 period is form 07" "Mẫu số 07 - Thông tư 03/2025/TT-VPCP" "$(mc --as clerk1 form REGISTER --period 2025-07 2>&1)"
r25=$(mc --as clerk1 form REGISTER --from 2025-07-10 --to 2025-07-31 2>&1)
check_match "the 2025 register numbers through the year (second entry of 2025)" "^\|02  \|000\.00\. \|" "$r25"
check_match "with the lead agency's column" "\|Cơ    \|" "$r25"
check_match "how the result is received" "\|Trực  \|" "$r25"
check_match "and a signature column" "\|Ký  \|" "$r25"
check "the 2025 register fits 80 columns" fits "$r25"
check_match "the register of a 2024 period is form 06 of 2018" "Mẫu số 06 - Thông tư 01/2018/TT-VPCP" "$(mc --as clerk1 form 07 --period 2024-03 2>&1)"
check_match "an unknown key names the keys" "RECEIPT, SUPPLEMENT_REQUEST, REFUSAL" "$(form RECIEPT $new)"
check_fails "and fails" mc --as clerk1 form RECIEPT $new
