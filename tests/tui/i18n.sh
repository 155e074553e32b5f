#!/bin/sh
# i18n.sh - the core's refusals reach the status line in the reader's language: in
# Vietnamese by default (no English word of the message catalog on the screen),
# whole (a long one wraps, never cut), with the cursor on the field it is about;
# the same refusals in English when the locale asks for it.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
mc demo --dossiers 0 >/dev/null 2>&1
printf 'leader passphrase\n' >"$T/pass"
mc --as leader1 key create --replace --passphrase-file "$T/pass" >/dev/null
P=1.001037
D=$(mc --as clerk1 receive --procedure $P --name "Đỗ Thị Ký" --id 022123456781 --components all | grep -o '000\.00\.17\.H45-[0-9-]*' | head -1)
mc --as clerk1 transfer "$D" >/dev/null
mc --as head_tm assign "$D" --to spec_tm1 >/dev/null
mc --as spec_tm1 propose "$D" --decision approve >/dev/null
check_match "a dossier waits for the signature" "stage +waiting for signature" "$(mc show "$D")"

# English words of the message catalog that no Vietnamese text uses (the catalog's
# translations, the shipped data, the demo's names)
words() { LC_ALL=C.UTF-8 grep -oE '[[:alpha:]]+' | tr 'A-Z' 'a-z' | grep -E '^[a-z]{4,}$' | sort -u; }
if make -s -C "$ROOT" pot POT="$T/m.pot" >/dev/null 2>&1; then
	msgcat --no-wrap "$T/m.pot" | sed -n 's/^msgid "\(.*\)"$/\1/p' | words >"$T/en.words"
	{ msgcat --no-wrap "$ROOT/po/vi.po" | sed -n 's/^msgstr "\(.*\)"$/\1/p'; cat "$ROOT"/db/*.sql "$ROOT"/db/*/*.sql "$ROOT/src/demo.c" 2>/dev/null; } |
		words >"$T/vi.words"
	comm -23 "$T/en.words" "$T/vi.words" >"$T/english"
fi
check "the catalog's English words are known ($(wc -l <"$T/english" 2>/dev/null))" test -s "$T/english"
# no_english DESC: the screen holds no English word of the catalog
no_english() {
	found=$(screen | words | comm -12 - "$T/english" | tr '\n' ' ')
	if [ -z "$found" ]; then ok "$1"; else not_ok "$1"; echo "#   English on the screen: $found"; screen | sed 's/^/#   | /'; fi
}
# bottom: the last lines above the footer joined, so a wrapped message reads whole
bottom() { screen | head -n 23 | tail -n 8 | sed 's/ *$//' | tr '\n' ' ' | tr -s ' '; }
expect_bottom() {
	i=0
	while [ $i -lt 250 ]; do bottom | grep -Fq -- "$2" && break; i=$((i + 1)); sleep 0.02; done
	if bottom | grep -Fq -- "$2"; then ok "$1"; else not_ok "$1"; echo "#   wanted whole: $2"; screen | sed 's/^/#   | /'; fi
}
cursor_row() { tm display -p -t 0 '#{cursor_y}'; }
# cursor_on DESC PATTERN: the terminal cursor is on the row that shows PATTERN
cursor_on() {
	row=$(screen | grep -nE -- "$2" | head -1 | cut -d: -f1)
	check_eq "$1" "$((row - 1))" "$(cursor_row)"
}

receive_form() {
	keys n; text "dai ly ban le"; keys Enter
	expect "$1" "$2"
}

# ---- Vietnamese (LANG=C.UTF-8, no LANGUAGE) ----
ui -- --as clerk1
expect "home in Vietnamese" "Hàng đợi công việc"
receive_form "the receive form" "Họ tên"
text "Lê Văn Nam"; keys Tab; text "0123456"; keys C-o
expect "an invalid citizen ID: the core's refusal in Vietnamese" "số định danh cá nhân '0123456' không hợp lệ: phải gồm 12 chữ số"
cursor_on "the cursor is on the ID field" "Số CCCD / MST +0123456"
no_english "no English word on the screen (ID)"
keys C-u; text "022123456789"; keys C-o
msg="thiếu thành phần hồ sơ bắt buộc 1"
expect_bottom "a missing required component, in Vietnamese" "$msg"
expect_bottom "the long message is whole (wrapped, not cut)" "hãy yêu cầu bổ sung thay vì tiếp nhận"
no_english "no English word on the screen (component)"
keys Space
expect "the focus went to the first component (Space ticks it)" "\[x\] (\* )?1\. "
keys Escape
keys Escape

# a role refusal: a clerk asks to extend a dossier waiting for the signature
keys /; text "do thi ky"; keys Enter
expect "search finds it" "Tìm thấy 1"
keys Enter
expect "its detail" "$D"
keys e
expect_bottom "a role refusal in Vietnamese, roles by their Vietnamese names" \
	"clerk1 không được thực hiện bước 'đề xuất gia hạn': bước này cần vai trò chuyên viên hoặc trưởng phòng"
no_english "no English word on the screen (role)"

ui -- --as leader1
expect "the leader's queue" "$D"
keys k
expect "the sign form" "Mật khẩu"
keys Tab; text "not the passphrase"; keys C-o
expect_bottom "a wrong passphrase, in Vietnamese" "sai mật khẩu khoá ký số của leader1: chưa ký gì"
cursor_on "the cursor is on the passphrase" "Mật khẩu"
no_english "no English word on the screen (passphrase)"
check_match "nothing was signed" "stage +waiting for signature" "$(mc show "$D")"

sqlite3 "$DB" "DELETE FROM drafts"
# ---- English (LANG=en_US.UTF-8 where the locale can be built, else LANGUAGE=en) ----
mkdir -p "$T/loc"
if localedef -i en_US -f UTF-8 "$T/loc/en_US.UTF-8" >/dev/null 2>&1; then EN="LOCPATH=$T/loc LANG=en_US.UTF-8"; else EN="LANGUAGE=en"; fi
ui $EN -- --as clerk1
expect "home in English" "Work queue"
receive_form "the receive form in English" "Name"
text "Lê Văn Nam"; keys Tab; text "0123456"; keys C-o
expect "an invalid citizen ID in English" "citizen ID number '0123456' is invalid: it must be 12 digits"
keys C-u; text "022123456789"; keys C-o
expect_bottom "a missing required component in English, whole" "is missing: request a supplement instead of accepting"
keys Escape
keys Escape
keys /; text "do thi ky"; keys Enter
expect "search in English" "$D"
keys Enter
keys e
expect_bottom "a role refusal in English" "clerk1 may not take the step 'propose an extension': it needs the role specialist or department head"
ui $EN -- --as leader1
expect "the leader's queue in English" "$D"
keys k
keys Tab; text "not the passphrase"; keys C-o
expect_bottom "a wrong passphrase in English" "wrong passphrase for leader1's signing key: nothing was signed"
keys q
