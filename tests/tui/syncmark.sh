#!/bin/sh
# syncmark.sh - the sync marker at the right of the status line: the office code,
# offline (no central, last sync failed, no success for 24 hours) or "synced HH:MM",
# the events waiting to be sent, open conflicts; it follows a step taken in the UI at
# once, a sync or a step of another process while the keyboard rests, and gives way
# to a long message; the sync screen says why the office is offline.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
O='000\.00\.17\.H45'
# one clock for the whole test, the real one moved to a working morning: processes keep
# their real order, and a sync and the marker that shows it fall on the same day (the
# marker names the day of a sync that was not today: a run across midnight saw
# "31/12 23:59" where it looked for "23:59")
off=$(($(TZ=UTC-7 date -d "2025-03-11 09:00:00" +%s) - $(date +%s)))
clock() { printf 'TZ=UTC-7 faketime -f %+d' "$((off + ${1:-0}))"; }
mc() { env LANGUAGE=en $(clock) "$MOTCUA" --db "$DB" "$@"; }
mc demo --dossiers 0 >/dev/null 2>&1
mc --as clerk1 receive --procedure 1.001074 --name "Nguyễn Văn Đức" --id 022123456789 --components all >/dev/null
pending() { mc sync status | sed -n 's/^pending *\([0-9]*\) events.*/\1/p'; }
statusline() { screen | sed -n 23p; }
# wait_long PATTERN: like wait_for, up to 12 s (the marker refreshes every 5 idle seconds)
wait_long() {
	i=0
	while [ $i -lt 600 ]; do screen | grep -Eq -- "$1" && return 0; i=$((i + 1)); sleep 0.02; done
	return 1
}
expect_long() {
	if wait_long "$2"; then ok "$1"; else not_ok "$1"; echo "#   pattern: $2"; screen | sed 's/^/#   | /'; fi
}
p=$(pending)
check "the receive left events waiting to be sent" test "${p:-0}" -gt 0

start "env $(clock) $MOTCUA --db $DB --as clerk1"
expect "home" "Hàng đợi công việc"
expect "no central yet: office code, offline and the waiting count" "$O · ngoại tuyến · $p chờ gửi *\$"
check_match "on the status line" "$O · ngoại tuyến · $p chờ gửi" "$(statusline)"
keys f
expect "f asks first" "Chuyển hồ sơ này đến"
keys Enter
expect "the transfer is confirmed on the status line" "hẹn trả"
check_nomatch "the marker gave way to that long message" "$O ·" "$(statusline)"
p=$(pending)
keys Down
# at once: well before the marker's own refresh, which needs 5 idle seconds
i=0; while [ $i -lt 40 ] && ! statusline | grep -Eq "$O · ngoại tuyến · $p chờ gửi"; do i=$((i + 1)); sleep 0.02; done
check_match "the step taken in the UI is counted at once (next key)" "$O · ngoại tuyến · $p chờ gửi *\$" "$(statusline)"
mc --as clerk1 receive --procedure 1.001074 --name "Trần Thị Mai" --id 022123456780 --components all >/dev/null
p=$(pending)
expect_long "a step of another clerk's process is counted while the keyboard rests" "$O · ngoại tuyến · $p chờ gửi *\$"

# a successful sync (another process, as cron would run it)
check "central init" mc central init --central "sqlite:$T/central.db"
check "central publish" mc central publish --central "sqlite:$T/central.db"
check "sync" mc sync --central "sqlite:$T/central.db"
hm=$(mc sync status | sed -n 's/^last success *[0-9-]* \([0-9:]*\) .*/\1/p')
check_eq "nothing waits after the sync" 0 "$(pending)"
expect_long "after the sync: synced at the time of the last success" "$O · đã đồng bộ $hm *\$"
check_nomatch "and nothing waiting is shown" "chờ gửi" "$(statusline)"
keys y
expect "the sync screen says the same" "Trạng thái +đã đồng bộ $hm"

# a sync that fails: offline, the waiting events counted again
mc --as clerk1 receive --procedure 1.001074 --name "Lê Văn Ba" --id 022123456781 --components all >/dev/null
p=$(pending)
check_fails "a sync against an unreachable central fails" mc sync --central "sqlite:$T/nowhere/central.db"
keys C-l
expect "after a failed sync: offline, with the events waiting" "$O · ngoại tuyến · $p chờ gửi *\$"
expect "the sync screen says why" "Trạng thái +ngoại tuyến: lần đồng bộ gần nhất bị lỗi"

# open conflicts must be seen by supervisors
sqlite3 "$DB" "INSERT INTO conflicts(dossier_code, detected_at) VALUES ('$(echo "$O" | tr -d '\\')-240101-0001', 1)" ||
	not_ok "sqlite3 could not plant a conflict"
keys C-l
expect "an open conflict is shown" "$O · ngoại tuyến · $p chờ gửi · 1 xung đột *\$"
sqlite3 "$DB" "DELETE FROM conflicts"

# a long message: the marker gives way (the message is whole)
keys Escape C-t
expect "the Telex message" "Gõ Telex bật: aa=â"
check_nomatch "the marker gave way to it" "$O ·" "$(statusline)"
keys C-t
expect "after the next key the marker is back" "$O · ngoại tuyến · $p chờ gửi *\$"
keys q
wait_exit

# synced again, then seen two days later: offline (no success for 24 hours)
check "sync again" mc sync
start "env LANGUAGE=en $(clock) $MOTCUA --db $DB --as clerk1"
expect "English: synced HH:MM" "$O · synced [0-9]{2}:[0-9]{2} *\$"
keys q
wait_exit
start "env $(clock $((2 * 86400))) $MOTCUA --db $DB --as clerk1"
expect "two days after the last success: offline" "$O · ngoại tuyến · 0 chờ gửi *\$"
keys y
expect "because of the 24-hour threshold" "Trạng thái +ngoại tuyến: đã hơn 24 giờ chưa đồng bộ được"
