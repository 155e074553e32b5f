#!/bin/sh
# i18n.sh - every message has its Vietnamese translation, and the CLI speaks
# Vietnamese by default, English when the locale asks for it; --json never changes.
. "$ROOT/tests/lib.sh"

# --- the catalog: extracted from the sources now, so a new message without a
# translation fails here (same keywords as `make pot`)
if command -v xgettext >/dev/null 2>&1; then
	check "xgettext extracts the messages (make pot)" make -s -C "$ROOT" pot POT="$T/motcua.pot"
	nmsg=$(grep -c '^msgid ' "$T/motcua.pot")
	check "the catalog holds the core's, the CLI's and the UI's messages ($nmsg)" test "$nmsg" -gt 600
	check_match "err_set formats are extracted" 'msgid "citizen ID number .%.40s. is invalid: it must be 12 digits"' \
		"$(cat "$T/motcua.pot")"
	check_match "workflow's step labels are extracted" 'msgid "propose a decision"' "$(cat "$T/motcua.pot")"
	msgmerge -q --no-fuzzy-matching "$ROOT/po/vi.po" "$T/motcua.pot" -o "$T/vi.po" 2>"$T/merge.err"
	stats=$(msgfmt -c --statistics -o /dev/null "$T/vi.po" 2>&1)
	check_match "msgfmt --statistics: all translated" "^[0-9]+ translated messages\.$" "$stats"
	check_nomatch "no untranslated or fuzzy message" "untranslated|fuzzy" "$stats"
	check "po/vi.po passes msgfmt -c (placeholders identical)" msgfmt -c -o /dev/null "$ROOT/po/vi.po"
	msgattrib --untranslated --no-obsolete "$T/vi.po" 2>/dev/null | grep '^msgid' | sed -n '2,11s/^/#   /p'
	# the check bites: a message with no translation is counted
	printf '%s\n' '#include "err.h"' 'int f(struct err *e) { return err_set(e, 3, "a brand new message %d", 1); }' >"$T/new.c"
	xgettext -k --keyword=err_set:3 --flag=err_set:3:c-format -o "$T/new.pot" "$T/new.c"
	msgcat "$T/motcua.pot" "$T/new.pot" -o "$T/all.pot"
	msgmerge -q --no-fuzzy-matching "$ROOT/po/vi.po" "$T/all.pot" -o "$T/vi2.po" 2>/dev/null
	check_match "a new message without translation is caught" "1 untranslated" "$(msgfmt --statistics -o /dev/null "$T/vi2.po" 2>&1)"
else
	ok "# SKIP xgettext is not installed"
fi

# --- the CLI in both languages
check "demo store" at "2024-03-11 08:00:00" "$MOTCUA" --db "$DB" demo --dossiers 0
vi() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 TZ=UTC-7 faketime -f "@2024-03-11 09:00:00" "$MOTCUA" --db "$DB" "$@"; }
vi_c() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG TZ=UTC-7 faketime -f "@2024-03-11 09:00:00" "$MOTCUA" --db "$DB" "$@"; }
en() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 $LOC TZ=UTC-7 faketime -f "@2024-03-11 09:00:00" "$MOTCUA" --db "$DB" "$@"; }
# a real en_US.UTF-8 locale when the system can build one (package locales)
LOC=
mkdir -p "$T/loc"
if localedef -i en_US -f UTF-8 "$T/loc/en_US.UTF-8" >/dev/null 2>&1; then LOC="LOCPATH=$T/loc"; fi
# glibc keeps the LOCPATH it parsed for the life of the process (not ours to free)
printf 'leak:__argz_add_sep\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
P=1.001037
rc=0; out=$(vi --as clerk1 receive --procedure $P --name "Lê Văn Nam" --id 0123456 2>&1) || rc=$?
check_eq "an invalid ID exits 3" 3 "$rc"
check_match "LANG=C.UTF-8: the core's refusal in Vietnamese" "số định danh cá nhân '0123456' không hợp lệ: phải gồm 12 chữ số" "$out"
check_match "LANG unset: Vietnamese too" "số định danh cá nhân" "$(vi_c --as clerk1 receive --procedure $P --name "Lê Văn Nam" --id 0123456 2>&1)"
check_match "LANG=en_US.UTF-8: English" "citizen ID number '0123456' is invalid: it must be 12 digits" \
	"$(en --as clerk1 receive --procedure $P --name "Lê Văn Nam" --id 0123456 2>&1)"
check_match "LANGUAGE=en: English" "citizen ID number" \
	"$(env LANGUAGE=en LANG=C.UTF-8 "$MOTCUA" --db "$DB" --as clerk1 receive --procedure $P --name X --id 01 2>&1)"
check_match "a role refusal in Vietnamese, the role by its Vietnamese name" \
	"head_tm không được thực hiện bước 'tiếp nhận': bước này cần vai trò cán bộ một cửa" \
	"$(vi --as head_tm receive --procedure $P --name "Lê Văn Nam" --id 022123456789 2>&1)"
check_match "the same in English" "head_tm may not take the step 'receive': it needs the role one-stop clerk" \
	"$(en --as head_tm receive --procedure $P --name "Lê Văn Nam" --id 022123456789 2>&1)"
check_match "a missing required component, in Vietnamese" "thiếu thành phần hồ sơ bắt buộc 1 \(" \
	"$(vi --as clerk1 receive --procedure $P --name "Lê Văn Nam" --id 022123456789 --components 2 2>&1)"
# the core names no flag; the CLI adds it (and the UI its own words)
out=$(vi --db "$T/none.db" show X 2>&1)
check_match "no store: the message in Vietnamese" "không có kho dữ liệu tại" "$out"
check_match "the CLI adds the remedy with its flags" "motcua: .*--db" "$out"
check_nomatch "the core's message names no flag" "^motcua: không có kho.*--db" "$out"

code=$(vi --as clerk1 receive --procedure $P --name "Lê Văn Nam" --id 022123456789 --components all 2>/dev/null | grep -o '000\.00\.17\.H45-[0-9-]*' | head -1)
check "a dossier received" test -n "$code"
out=$(vi show "$code")
check_match "show: Vietnamese labels" "^trạng thái +Được tiếp nhận" "$out"
check_match "show: the stage in Vietnamese" "^bước xử lý +đã tiếp nhận, chờ chuyển phòng" "$out"
check_match "show: the applicant" "^người nộp +Lê Văn Nam" "$out"
check_match "show in English" "^status_name +received for processing" "$(en show "$code")"
check_match "history: events in Vietnamese" "tiếp nhận" "$(vi history "$code")"
check_nomatch "history: no English event key" " received |accepted, to transfer" "$(vi history "$code")"
check_eq "--json is the same in both languages (show)" "$(en --json show "$code")" "$(vi --json show "$code")"
check_eq "--json is the same in both languages (history)" "$(en --json history "$code")" "$(vi --json history "$code")"
check_match "--json keeps English keys" '"stage": "accepted, to transfer"' "$(vi --json show "$code")"
out=$(vi users)
check_match "users: roles in Vietnamese" "clerk1 .*cán bộ một cửa" "$out"
check_match "users: a head is trưởng phòng" "head_tm .*trưởng phòng" "$out"
check_match "users: a leader is lãnh đạo" "leader1 .*lãnh đạo" "$out"
check_nomatch "users: no English role name" " (clerk|head|specialist|leader)$" "$out"
check_match "users in English" "head_tm .*department head" "$(en users)"
check_match "users --json keeps role identifiers" '"roles": "clerk"' "$(vi --json users)"
check_match "whoami in Vietnamese" "clerk1 \(.*\), vai trò cán bộ một cửa" "$(vi --as clerk1 whoami)"
check_match "whoami in English" "clerk1 \(.*\), roles one-stop clerk" "$(en --as clerk1 whoami)"
out=$(vi --as leader1 dashboard)
check_match "dashboard in Vietnamese" "Hàng đợi hôm nay lúc .* hồ sơ đang mở" "$out"
check_match "dashboard: steps in Vietnamese" "Đang chờ ở từng bước" "$out"
check_match "dashboard in English" "Today's queues at" "$(en --as leader1 dashboard)"
check_eq "dashboard --json is the same in both languages" "$(en --as leader1 --json dashboard)" "$(vi --as leader1 --json dashboard)"
check_match "queue in Vietnamese" "Một cửa: tiếp nhận" "$(vi --as clerk1 queue)"
check_match "a step's result line in Vietnamese" "^chuyển phòng $code: tại phòng, chờ phân công \(trạng thái 4\); hẹn trả kết quả" \
	"$(vi --as clerk1 transfer "$code" 2>&1)"

# --- what the CLI and the UI print themselves (not through err_set): the sync bundle's
# count, the help, the terminal UI's refusal, a list's header
out=$(vi --as admin sync export --out "$T/b.bundle" 2>&1)
check_match "sync export: the count in Vietnamese" "^đã ghi [0-9]+ sự kiện vào .*b\.bundle$" "$out"
check_match "sync export in English" "^[0-9]+ events written to .*b2\.bundle$" \
	"$(en --as admin sync export --out "$T/b2.bundle" 2>&1)"
out=$(vi --help)
check_match "--help: the footer in Vietnamese" "'motcua COMMAND --help' cho biết các tham số của một lệnh" "$out"
check_match "--help: each command's purpose in Vietnamese" "receive +tiếp nhận hồ sơ tại Bộ phận Một cửa" "$out"
check_nomatch "--help: no purpose left in English" "create an empty store|show a dossier's events" "$out"
check_match "--help in English" "receive +receive a dossier at the one-stop" "$(en --help)"
check_match "a command's --help in Vietnamese" "^cách dùng: motcua show CODE" "$(vi show --help)"
check_match "a command's --help in English" "^usage: motcua show CODE" "$(en show --help)"
check_match "no terminal: the UI says so in Vietnamese" "giao diện màn hình cần chạy trên một thiết bị đầu cuối" \
	"$(vi --as clerk1 </dev/null 2>&1)"
check_match "... and in English" "the terminal interface needs a terminal" "$(en --as clerk1 </dev/null 2>&1)"
check_match "office list: the header in Vietnamese" "^CƠ QUAN +LOẠI" "$(vi --as admin office list)"
# a field's label inside the core's message (text_clean's label, extracted by make pot)
check_match "a bad proxy name: the field named in Vietnamese" "họ tên người được ủy quyền: không được dùng ký tự điều khiển" \
	"$(vi --as clerk1 receive --procedure $P --name "Lê Văn Nam" --id 022123456789 --proxy-name "$(printf 'A\001B')" --proxy-id 022123456780 2>&1)"
check_match "... and in English" "proxy's name: control character" \
	"$(en --as clerk1 receive --procedure $P --name "Lê Văn Nam" --id 022123456789 --proxy-name "$(printf 'A\001B')" --proxy-id 022123456780 2>&1)"
