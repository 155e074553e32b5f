#!/bin/sh
# filesync.sh - the sync screen shows the attached files waiting to travel, and a sync
# from the screen (F2) sends them: the line goes once nothing waits.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
mc demo --dossiers 0 >/dev/null 2>&1
code=$(mc --as clerk1 receive --procedure 1.001074 --name "Nguyễn Văn Đức" --id 022123456789 --components all |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/don.pdf"
check "a file attached" mc --as clerk1 attach "$code" --component 1 "$T/don.pdf"
check "central init" mc central init --central "sqlite:$T/central.db"
check "central publish" mc central publish --central "sqlite:$T/central.db"
check "sync" mc sync --central "sqlite:$T/central.db"
check_eq "the file reached central" 1 "$(sqlite3 "$T/central.db" "select count(*) from c_files where complete = 1")"
# central loses it (dropped as corrupt): the office has it to send again
sqlite3 "$DB" "update file_sync set at_central = 0"
sqlite3 "$T/central.db" "delete from c_file_chunks; update c_files set complete = 0"
ui -- --as clerk1
expect "home" "Hàng đợi công việc"
keys y
expect "the sync screen counts the file waiting" "Tệp đang chờ +1 chờ gửi \\(0 KB\\), 0 chờ nhận"
keys F2
expect "the sync from the screen ends" "Đã gửi"
check_eq "the file is at central again" 1 "$(sqlite3 "$T/central.db" "select count(*) from c_files where complete = 1")"
keys C-l
wait_for "Trạng thái" >/dev/null
check_nomatch "nothing waits now" "Tệp đang chờ" "$(screen)"
echo "1..$n"
