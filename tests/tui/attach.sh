#!/bin/sh
# attach.sh - attachments at 80x24: the detail screen lists a dossier's attached files
# (component, name, type, size, who, when); b opens them, where Enter checks a file's
# SHA-256, l exports it and i prints it; b there opens the scanner's drop folder
# (setting scan.dir), newest scan first, Right chooses the component and Enter
# attaches the selected scan, typed by its content.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
code=$(at "$NOW" mc --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty Ánh Dương" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/don.pdf"
at "$NOW" mc --as clerk1 attach "$code" --component 1 "$T/don.pdf" >/dev/null
# the scanner's drop folder: an older scan, the newest one (PNG bytes), a text file
mkdir -p "$T/scans" "$T/out" "$T/bin"
printf '%%PDF-1.4\n%% old scan\n%%%%EOF\n' >"$T/scans/cu.pdf"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\2\0\0\0\220wS\336' >"$T/scans/moi-nhat.pdf"
echo "không phải bản quét" >"$T/scans/ghi-chu.txt"
touch -d "2024-03-20 08:00" "$T/scans/cu.pdf"
touch -d "2024-03-20 09:00" "$T/scans/ghi-chu.txt"
touch -d "2024-03-20 09:55" "$T/scans/moi-nhat.pdf"
sqlite3 "$DB" "INSERT INTO settings VALUES ('scan.dir', '$T/scans'), ('export.dir', '$T/out'), ('printer', 'quay1')"
printf '#!/bin/sh\necho "$@" >"%s/lpr.args"\ncat >"%s/lpr.data"\n' "$T" "$T" >"$T/bin/lpr"
chmod +x "$T/bin/lpr"

start "env PATH=$T/bin:$PATH TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as clerk1"
expect "home" "Hàng đợi công việc"
keys /; text "$code"; keys Enter
expect "the search finds the dossier" "Tìm thấy 1"
keys Enter
expect "the detail screen lists the attached files" "Tệp đính kèm \\(b: đính kèm"
expect "with component, name, type, size, who and when" "1 +don\\.pdf +application/pdf +1K clerk1 +2024-03-20 10:00"
expect "the footer offers b" "b Tệp"

keys b
expect "b opens the dossier's files" "Tệp đính kèm của $code"
keys Enter
expect "Enter checks the file's SHA-256" "don\\.pdf còn nguyên vẹn: mã SHA-256 khớp"
keys l
expect "l exports it" "Đã lưu don\\.pdf thành $T/out/1-don\\.pdf"
check "the exported file is the scan, byte for byte" cmp "$T/don.pdf" "$T/out/1-don.pdf"
keys i
expect "i prints it" "Đã gửi don\\.pdf tới máy in"
check "lpr got the file" cmp "$T/don.pdf" "$T/lpr.data"

keys b
expect "b opens the scanner's folder" "Đính kèm bản quét vào $code"
expect "component 1 is chosen first, with its name" "Thành phần 1: "
scr=$(screen)
first=$(printf '%s\n' "$scr" | grep -n 'moi-nhat.pdf' | cut -d: -f1)
older=$(printf '%s\n' "$scr" | grep -n 'cu.pdf' | cut -d: -f1)
check "the newest scan is listed first" test "${first:-99}" -lt "${older:-0}"
keys Right
expect "Right chooses the next component" "Thành phần 2: "
keys Enter
expect "Enter attaches the newest scan, typed by its content" "Đã đính kèm moi-nhat\\.pdf vào thành phần 2 \\(image/png\\)"
expect "back on the files, the new one is listed" "2 +moi-nhat\\.pdf +image/png"
keys b; keys Down
expect "the text file is in the folder" "ghi-chu\\.txt"
keys Enter
expect "a text file is refused, saying what it holds" "ghi-chu\\.txt (chứa|holds) text/plain"
keys Escape; keys Escape
expect "the detail lists both files" "2 +moi-nhat\\.pdf +image/png"
check_eq "two attached events" 2 "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'attached'")"
keys q
echo "1..$n"
