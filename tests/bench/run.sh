#!/bin/sh
# run.sh - `make bench`: one report of every benchmark, measured side by side in one run.
#
# Builds the benchmark stores once and keeps them in bench/ (rebuilt when the schema,
# the demo or the binary's version changes): a 1,000,000-dossier store and a 10,000 one
# (BENCH_N overrides the large size).  The large one is the demo province after the
# reform at scale (`demo --province`): 70% history of the 2018 model before 1 July 2025,
# 30% received since then at the centre, its branches and the commune centres and
# resolved at every department, commune and the vertical agency (some liên thông).  Then runs the core benchmark (build/bench_core)
# and every tests/bench/*.sh, which print "BENCH name value unit target PASS|FAIL",
# and prints one table, also written as JSON to bench/results.json.
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
export ROOT
N=${BENCH_N:-1000000}
mkdir -p bench
make --no-print-directory motcua build/bench_core build/load build/province >/dev/null || exit 1
stamp=$(cat db/*.sql db/*/*.sql src/demo.c src/dossier.c 2>/dev/null | md5sum | cut -c1-16)-$N
if [ "$(cat bench/stamp 2>/dev/null)" != "$stamp" ]; then
	rm -f bench/large.db* bench/small.db*
	echo "building the benchmark stores ($N and 10000 dossiers; once)..." >&2
	t0=$(date +%s)
	./motcua --db bench/small.db demo --dossiers 10000 >/dev/null || exit 1
	./motcua --db bench/large.db demo --dossiers $((N * 7 / 10)) --after-reform $((N - N * 7 / 10)) >/dev/null || exit 1
	echo "$stamp" >bench/stamp
	echo "BENCH demo_build_${N} $(($(date +%s) - t0)) s info PASS" >bench/build.txt
fi
# the stores were just written: flush them so that no figure pays for their writeback
sync
export BENCH_DB_1M="$ROOT/bench/large.db" BENCH_DB_10K="$ROOT/bench/small.db" MOTCUA="$ROOT/motcua"
out=bench/lines.txt
cat bench/build.txt >"$out" 2>/dev/null
./build/bench_core receive >>"$out"
./build/bench_core read "$BENCH_DB_1M" "$BENCH_DB_10K" >>"$out"
# the CLI as a clerk feels it: a whole process for `show` on the large store
code=$(sqlite3 "$BENCH_DB_1M" "select code from dossiers where id = (select max(id) / 2 from dossiers)")
t0=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do ./motcua --db "$BENCH_DB_1M" show "$code" >/dev/null; done
ms=$(( ($(date +%s%N) - t0) / 20000000 ))
echo "BENCH cli_show_process_1M $ms ms <50 $([ "$ms" -lt 50 ] && echo PASS || echo FAIL)" >>"$out"
for b in tests/bench/*.sh; do
	[ "$b" = tests/bench/run.sh ] && continue
	echo "running $b ..." >&2
	sync
	sh "$b" >>"$out" 2>>bench/stderr.txt || echo "BENCH $(basename "$b" .sh)_script_failed 1 - ran FAIL" >>"$out"
done
printf '%-34s %14s %-12s %-10s %s\n' benchmark value unit target result
grep '^BENCH ' "$out" | while read -r _ name value unit target result; do
	printf '%-34s %14s %-12s %-10s %s\n' "$name" "$value" "$unit" "$target" "$result"
done
grep '^BENCH ' "$out" | awk 'BEGIN { print "[" } { printf "%s  {\"name\": \"%s\", \"value\": %s, \"unit\": \"%s\", \"target\": \"%s\", \"result\": \"%s\"}", (NR > 1 ? ",\n" : ""), $2, $3, $4, $5, $6 } END { print "\n]" }' >bench/results.json
fails=$(grep -c '^BENCH .* FAIL$' "$out")
echo "$(grep -c '^BENCH ' "$out") figures, $fails not meeting their target; JSON in bench/results.json"
