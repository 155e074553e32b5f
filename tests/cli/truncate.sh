#!/bin/sh
# truncate.sh - the CLI's text tables cut long text by display width, on a character
# boundary, with "…": catalog list (80 columns), search, users, the report's field
# names.  Never half a UTF-8 character.
. "$ROOT/tests/lib.sh"
export LANG=C.UTF-8
mc demo --dossiers 300 >/dev/null 2>&1
# valid_utf8 TEXT: 0 if TEXT is valid UTF-8
valid_utf8() { printf '%s' "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; }

out=$(mc catalog list)
check "catalog list is valid UTF-8 (no character cut in half)" valid_utf8 "$out"
check_eq "catalog list fits 80 columns" 80 "$(printf '%s\n' "$out" | wc -L)"
check_match "a long name is cut with an ellipsis" "Cấp Giấy chứng nhận cơ sở đủ điều kiện …$" "$out"
check_match "a name that fits is whole" "Cấp Giấy xác nhận đủ điều kiện làm đại lý bán lẻ xăng dầu$|[^…]$" "$out"

mc --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all \
	--name "Công ty Trách nhiệm hữu hạn Thương mại và Dịch vụ Xuất nhập khẩu ĐỨC" >/dev/null
out=$(mc search "ĐỨC")
check "search is valid UTF-8" valid_utf8 "$out"
check_match "a long applicant name is cut with an ellipsis" "Công ty Trách nhiệm hữu hạn Thương mại …$" "$out"

out=$(mc users)
check "users is valid UTF-8" valid_utf8 "$out"
check_match "names are padded by display width: roles line up" "^clerk1 +Nguyễn Thị Lan {15}one-stop clerk$" "$out"

out=$(mc report stats --period 2024-Q1)
check "the report is valid UTF-8" valid_utf8 "$out"
check_match "a field name cut in table 2 ends with an ellipsis" "^Lưu thông hàng hóa [^0-9]*… " "$out"
echo "1..$n"
