#!/bin/sh
# report.sh - report and dashboard benchmarks on the large demo store ($BENCH_DB_1M):
# the quarterly statistics report (the demo quarter and an old one) as a whole `motcua`
# process, and one dashboard refresh inside a process (the difference between 101 and 1
# loads, divided by 100; what the dashboard screen pays every time the store changed).
# Prints "BENCH name value unit target PASS|FAIL".
: "${ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
M=${MOTCUA:-$ROOT/motcua}
DBF=${BENCH_DB_1M:?BENCH_DB_1M: the large demo store}
AS=""
[ "$(id -u)" = 0 ] && AS="--as super1"
n=$(sqlite3 "$DBF" "select count(*) from dossiers")
tag=$( [ "$n" -ge 1000000 ] && echo 1M || echo "$n")

ms_of() { # best of 3 runs of a command, in milliseconds
	best=""
	for i in 1 2 3; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || { echo -1; return; }
		t=$((($(date +%s%N) - t0) / 1000000))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
	done
	echo "$best"
}
verdict() { [ "$1" -ge 0 ] && [ "$1" -lt "$2" ] && echo PASS || echo FAIL; }

q1=$(ms_of "$M" --db "$DBF" $AS report stats --period 2024-Q1 --format json)
echo "BENCH report_quarter_$tag $q1 ms <1000 $(verdict "$q1" 1000)"
old=$(sqlite3 "$DBF" "select strftime('%Y', min(received_at) + 25200 + 86400 * 120, 'unixepoch') from dossiers")
qo=$(ms_of "$M" --db "$DBF" $AS report stats --period "$old-Q2" --format json)
echo "BENCH report_old_quarter_$tag $qo ms <1000 $(verdict "$qo" 1000)"
yr=$(ms_of "$M" --db "$DBF" $AS report stats --period 2023 --by level --format csv)
echo "BENCH report_year_$tag $yr ms info PASS"
cat_ms=$(ms_of "$M" --db "$DBF" $AS report catalog)
echo "BENCH report_catalog $cat_ms ms info PASS"

one=$(ms_of "$M" --db "$DBF" $AS dashboard --repeat 1)
many=$(ms_of "$M" --db "$DBF" $AS dashboard --repeat 101)
if [ "$one" -ge 0 ] && [ "$many" -ge 0 ]; then
	us=$(((many - one) * 10))
	[ "$us" -lt 0 ] && us=0
	echo "BENCH dashboard_refresh_$tag $((us / 1000)).$(printf '%03d' $((us % 1000))) ms <50 $([ "$us" -lt 50000 ] && echo PASS || echo FAIL)"
else
	echo "BENCH dashboard_refresh_$tag -1 ms <50 FAIL"
fi
echo "BENCH dashboard_process_$tag $one ms info PASS"
