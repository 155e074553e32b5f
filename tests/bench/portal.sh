#!/bin/sh
# portal.sh - the national portal push over loopback (a step of `make bench`; the
# full quarter takes a few minutes).  A demo quarter (PORTAL_DOSSIERS, default the
# demo's ~8,000) at a SQLite central; `portal push` to the mock portal (profile A):
# dossiers/s with their progress, next to what the mock takes driven directly
# (tests/portal/drive.py, the same calls from one keep-alive connection); then memory:
# the peak RSS of a push of 500 dossiers against one of the whole outbox (flat: the
# outbox is read in chunks of 50).  Then the done-means run: the same quarter pushed
# again to a fresh mock while it fails 20% of the calls, `portal run` is killed with
# -9 PORTAL_KILLS times (default 30) and the portal is down for a while; every dossier
# and step must arrive once and in order.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"
# a copy: a rebuild of ./motcua while this runs must not pull the binary away
cp "$ROOT/motcua" "$T/motcua"
MOTCUA=$T/motcua
N=${PORTAL_DOSSIERS:-}
A=$T/a.db; C=$T/c.db
CURL="sqlite:$C"
t0=$(date +%s)
"$MOTCUA" --db "$A" central init --central "$CURL" >/dev/null
TZ=UTC-7 faketime -f "@2024-03-11 08:00:00" "$MOTCUA" --db "$A" demo ${N:+--dossiers $N} >/dev/null
"$MOTCUA" --db "$A" central publish --central "$CURL" >/dev/null
TZ=UTC-7 faketime -f "@2024-03-11 09:00:00" "$MOTCUA" --db "$A" sync --central "$CURL" >/dev/null 2>&1
D=$(sqlite3 "$C" "select count(distinct dossier_code) from c_events")
E=$(sqlite3 "$C" "select count(*) from c_events")
echo "# central: $D dossiers, $E events (set up in $(( $(date +%s) - t0 )) s)"
mock_start
conf_a "$T/a.conf"
# memory: 500 dossiers, then the rest of the outbox
/usr/bin/time -f "%M" -o "$T/rss1" "$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf" --limit 500 >/dev/null
s0=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$T/rss2" "$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf" >"$T/push.out"
s1=$(date +%s.%N)
rate=$(echo "($D - 500) / ($s1 - $s0)" | bc -l)
check "every dossier and step at the mock (clean run)" verify "$C"
direct=$(python3 "$ROOT/tests/portal/drive.py" "$MURL" 2000)
printf '%-58s %10.0f dossiers/s\n' "portal push over loopback (with progress rows)" "$rate"
printf '%-58s %10s dossiers/s\n' "the mock driven directly (same calls, one connection)" "$direct"
printf '%-58s %10s KiB\n' "peak RSS: push of 500 dossiers" "$(cat "$T/rss1")"
printf '%-58s %10s KiB\n' "peak RSS: push of the rest of the outbox ($((D - 500)))" "$(cat "$T/rss2")"
[ "$(cat "$T/rss2")" -lt $(( $(cat "$T/rss1") * 3 / 2 )) ] && ok "memory flat over the outbox" || not_ok "memory grows with the outbox"
# the figures in make bench's table
r=$(printf '%.0f' "$rate")
echo "BENCH portal_push_per_s $r dossiers/s >=200 $([ "$r" -ge 200 ] && echo PASS || echo FAIL)"
echo "BENCH portal_mock_direct_per_s ${direct%.*} dossiers/s reference PASS"
echo "BENCH portal_push_rss_500 $(( $(cat "$T/rss1") / 1024 )) MB <32 $([ "$(cat "$T/rss1")" -lt 32768 ] && echo PASS || echo FAIL)"
echo "BENCH portal_push_rss_outbox $(( $(cat "$T/rss2") / 1024 )) MB <32 $([ "$(cat "$T/rss2")" -lt 32768 ] && [ "$(cat "$T/rss2")" -lt $(( $(cat "$T/rss1") * 3 / 2 )) ] && echo PASS || echo FAIL)"
mock_stop

# the done-means: failures, kill -9, the portal down
mock_start
conf_a "$T/a.conf"
sqlite3 "$C" "delete from c_portal; delete from c_meta where key = 'portal_pos'"
mock_ctl '{"fail": 0.1, "drop": 0.05, "lost": 0.05}'
k=0; KILLS=${PORTAL_KILLS:-30}
while [ $k -lt "$KILLS" ]; do
	"$MOTCUA" --db "$A" portal run --central "$CURL" --config "$T/a.conf" --interval 1 --max-wait 2 >>"$T/run.log" 2>&1 &
	pid=$!
	sleep "$(awk -v s="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN { printf "%.2f", 0.3 + (s % 200) / 100 }')"
	kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
	k=$((k + 1))
	[ $((k % 10)) = 5 ] && mock_ctl '{"expire": true}'
done
mock_ctl '{"down": true}'
"$MOTCUA" --db "$A" portal run --central "$CURL" --config "$T/a.conf" --interval 1 --max-wait 4 >>"$T/run.log" 2>&1 &
pid=$!
sleep 10
mock_ctl '{"down": false}'
i=0
while [ "$(portal_waiting "$A" "$C")" != 0 ] && [ $i -lt 1200 ]; do sleep 0.5; i=$((i + 1)); done
kill $pid; wait $pid
mock_ctl '{"reset": true}'
if verify "$C"; then
	ok "after $KILLS kill -9, 20% failures and the portal down: every dossier once, every step in order"
	echo "BENCH portal_chaos_missing_doubled 0 count =0 PASS"
else
	not_ok "after $KILLS kill -9, 20% failures and the portal down: a dossier or step missing, doubled or out of order"
	echo "BENCH portal_chaos_missing_doubled 1 count =0 FAIL"
fi
sed 's/^/#   /' "$T/.out" | tail -n 3
