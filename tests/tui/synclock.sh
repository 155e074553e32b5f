#!/bin/sh
# synclock.sh - a sync started from the sync screen (F2) while another sync of the
# store runs (`motcua sync` in a terminal, or the service's watch): the screen says it
# waits for the other one, then, the other one still running after the wait, the
# status line names it (process, host, since) and what to do; once it has ended, F2
# syncs.  The lock itself: tests/sync/synclock.sh.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
C=sqlite:$T/central.db
mc demo --dossiers 20 >/dev/null 2>&1
check "central init" mc central init --central "$C"
check "central publish" mc central publish --central "$C"
# the other sync: batches of 2 events, each committed 400 ms late (long past the wait)
MOTCUA_TEST_COMMIT_DELAY_MS=400 "$MOTCUA" --db "$DB" sync --central "$C" --batch 2 >"$T/held.out" 2>&1 &
H=$!
i=0; while [ $i -lt 100 ] && [ "$(cut -d' ' -f1 "$DB-sync.lock" 2>/dev/null)" != "$H" ]; do sleep 0.1; i=$((i + 1)); done
check "the other sync holds the lock" test "$(cut -d' ' -f1 "$DB-sync.lock")" = "$H"
ui -- --as admin
expect "home" "Hàng đợi công việc"
keys y
expect "the sync screen" "Trạng thái"
keys F2
expect "F2 says it waits for the other sync" "Một lượt đồng bộ khác của kho dữ liệu này đang chạy: đang chờ nó xong"
# the wait is 5 s: the message comes after it
i=0; while [ $i -lt 100 ] && ! screen | grep -q "tiến trình $H"; do sleep 0.1; i=$((i + 1)); done
check_match "after the wait, the status line names the running sync and what to do" \
	"một lượt đồng bộ khác của kho dữ liệu này đang chạy \(tiến trình $H" "$(screen | tr -d '\n')"
check "the other sync went on meanwhile" kill -0 "$H"
wait "$H"
check_eq "the other sync ended well" "" "$(grep -i "motcua:" "$T/held.out")"
keys F2
expect "once it ended, F2 syncs" "Đã gửi"
check_eq "nothing waits to be sent" 0 "$(mc --json sync status | sed -n 's/.*"pending": \([0-9]*\).*/\1/p')"
keys q
wait_exit
echo "1..$n"
