#!/bin/sh
# ui.sh - terminal UI benchmark: start-up to the first drawn screen, time and bytes
# per list cursor move (arrow cursor, the default, and the optional full-row highlight), bytes of a full 80x24
# repaint, resident memory.  On the 1,000,000-dossier store ($BENCH_DB_1M) when set,
# else on a small demo store.  Bytes are what the UI wrote to its terminal, recorded
# by script(1) inside an 80x24 tmux pane; key times come from MOTCUA_FRAME_LOG (key
# read to the end of the frame's doupdate).  Prints "BENCH name value unit target PASS|FAIL".
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
MOTCUA=${MOTCUA:-$ROOT/motcua}
W=$(mktemp -d "${TMPDIR:-/tmp}/motcua-uib.XXXXXX")
SOCK=motcua-uib-$$
tm() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$W"' EXIT
export LANG=C.UTF-8
unset LC_ALL LANGUAGE NO_COLOR MOTCUA_ARROW
DB=${BENCH_DB_1M:-}
tag=1M
if [ -z "$DB" ] || [ ! -f "$DB" ]; then
	DB=$W/small.db
	"$MOTCUA" --db "$DB" demo --dossiers 3000 >/dev/null 2>&1
	tag=3k
fi
WHO=super1   # the supervisor's queue: every dossier in progress, the longest list
res() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 < t + 0) ? "PASS" : "FAIL" }'; }

# start-up: launch, first screen drawn, read the queued q, exit (an upper bound)
best=999999
for i in 1 2 3 4 5; do
	# timed inside the pty: script(1) itself sometimes lingers 250 ms after its input ends
	printf q | script -qec "sh -c 't0=\$(date +%s%N); $MOTCUA --db $DB --as $WHO; echo \$(( (\$(date +%s%N) - t0) / 1000000 )) >$W/ms'" /dev/null >/dev/null 2>&1
	ms=$(cat "$W/ms" 2>/dev/null || echo 999999)
	[ "$ms" -lt "$best" ] && best=$ms
done
echo "BENCH ui_startup_first_screen_$tag $best ms <100 $(res "$best" 100)"

command -v tmux >/dev/null 2>&1 || { echo "BENCH ui_pty_bytes_skipped 0 - no-tmux PASS"; exit 0; }
TS=$W/ts FL=$W/frames
tm new-session -d -x 80 -y 24 "MOTCUA_FRAME_LOG=$FL script -qfc '$MOTCUA --db $DB --as $WHO' $TS"
size() { stat -c %s "$TS" 2>/dev/null || echo 0; }
frames() { [ -f "$FL" ] && wc -l <"$FL" || echo 0; }
# wait until the typescript stops growing (three equal polls 10 ms apart)
settle() {
	prev=-1; same=0; i=0
	while [ $same -lt 3 ] && [ $i -lt 500 ]; do
		s=$(size); if [ "$s" = "$prev" ]; then same=$((same + 1)); else same=0; prev=$s; fi
		i=$((i + 1)); sleep 0.01
	done
}
# key K: send it, wait for its frame, then for the bytes to settle
key() {
	f=$(frames)
	tm send-keys -t 0 "$@"
	i=0; while [ "$(frames)" -le "$f" ] && [ $i -lt 500 ]; do i=$((i + 1)); sleep 0.005; done
	settle
}
i=0; while ! LC_ALL=C grep -a -q 'Tho' "$TS" 2>/dev/null && [ $i -lt 1000 ]; do i=$((i + 1)); sleep 0.01; done
settle
first=$(size)
echo "BENCH ui_first_screen_bytes_$tag $first bytes <4096 $(res "$first" 4096)"
key Down; key Up   # status line and cursor state settle
s0=$(size)
for n in 1 2 3 4 5 6 7 8 9 10; do key Down; done
per=$(( ($(size) - s0) / 10 ))
echo "BENCH ui_cursor_move_bytes_$tag $per bytes <100 $(res "$per" 100)"
key A   # the full-row highlight (optional): two rows repainted
s0=$(size)
for n in 1 2 3 4 5 6 7 8 9 10; do key Up; done
per=$(( ($(size) - s0) / 10 ))
echo "BENCH ui_cursor_move_highlight_bytes_$tag $per bytes info PASS"
s0=$(size)
key C-l
full=$(( $(size) - s0 ))
echo "BENCH ui_full_repaint_bytes_$tag $full bytes <4096 $(res "$full" 4096)"
# key times: all frames after the first screen
max=$(awk 'BEGIN { m = 0 } { if ($1 > m) m = $1 } END { printf "%.2f", m / 1000 }' "$FL")
echo "BENCH ui_key_redraw_max_$tag $max ms <16 $(res "$max" 16)"
# resident memory: the UI process (child of script, child of the pane's shell)
pp=$(tm display -p -t 0 '#{pane_pid}')
pid=$pp
for _ in 1 2 3; do
	[ "$(cat /proc/$pid/comm 2>/dev/null)" = motcua ] && break
	c=$(pgrep -P "$pid" | head -1); [ -n "$c" ] && pid=$c
done
kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
mb=$(awk -v k="${kb:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
echo "BENCH ui_resident_memory_$tag $mb MB <16 $(res "$mb" 16)"
tm send-keys -t 0 q
