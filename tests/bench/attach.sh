#!/bin/sh
# attach.sh - attaching a 5 MB scan (target under 100 ms, the whole `motcua attach`
# process: type, hash, the file and its event committed with fsync), measured next to
# `cp` of the same bytes (with and without fsync) and to the other place bytes could
# live, a file beside the store (temp file, fsync, rename, directory fsync); and the
# peak resident memory of attaching 5 MB and 60 MB (flat: chunks, never a whole file).
# Prints "BENCH name value unit target PASS|FAIL".
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
MOTCUA=${MOTCUA:-$ROOT/motcua}
. "$ROOT/tests/lib.sh"
MOTCUA=${BENCH_MOTCUA:-$ROOT/motcua}
mc demo --dossiers 30 >/dev/null 2>&1
code=$(mc --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty A" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
mkdir -p "$T/scan" "$T/cp" "$T/files"
# five 5 MB scans with bytes of their own (no deduplication), and a 60 MB one
for i in 1 2 3 4 5; do
	{ printf '%%PDF-1.5\n'; head -c 5242880 /dev/urandom; } >"$T/scan/s$i.pdf"
done
{ printf '%%PDF-1.5\n'; head -c 62914560 /dev/urandom; } >"$T/scan/big.pdf"
sync
ms() { echo $(( ($(date +%s%N) - $1) / 1000 )); }   # microseconds
median() { sort -n | sed -n 3p; }
for i in 1 2 3 4 5; do
	t0=$(date +%s%N); "$MOTCUA" --db "$DB" --as clerk1 attach "$code" --component 1 "$T/scan/s$i.pdf" >/dev/null; ms "$t0"
done | median >"$T/attach.r"
for i in 1 2 3 4 5; do
	t0=$(date +%s%N); cp "$T/scan/s$i.pdf" "$T/cp/s$i.pdf"; ms "$t0"
done | median >"$T/cp.r"
rm -f "$T/cp/"*; sync
for i in 1 2 3 4 5; do
	t0=$(date +%s%N); cp "$T/scan/s$i.pdf" "$T/cp/s$i.pdf" && sync "$T/cp/s$i.pdf"; ms "$t0"
done | median >"$T/cpsync.r"
# beside the store: what its crash protocol costs (the hash and type would come on top)
for i in 1 2 3 4 5; do
	t0=$(date +%s%N)
	dd if="$T/scan/s$i.pdf" of="$T/files/.tmp$i" bs=1M conv=fsync status=none && mv "$T/files/.tmp$i" "$T/files/s$i" && sync "$T/files"
	ms "$t0"
done | median >"$T/beside.r"
# the floor any command pays on this machine now: a process reading one dossier's files
for i in 1 2 3 4 5; do
	t0=$(date +%s%N); "$MOTCUA" --db "$DB" --as clerk1 files "$code" >/dev/null; ms "$t0"
done | median >"$T/floor.r"
/usr/bin/time -f %M -o "$T/rss5" "$MOTCUA" --db "$DB" --as clerk1 attach "$code" --component 2 "$T/scan/s1.pdf" >/dev/null
sqlite3 "$DB" "INSERT OR REPLACE INTO settings VALUES ('attach.max_mb', '100')"
/usr/bin/time -f %M -o "$T/rss60" "$MOTCUA" --db "$DB" --as clerk1 attach "$code" --component 2 "$T/scan/big.pdf" >/dev/null
a=$(cat "$T/attach.r")
pr() { awk "BEGIN { printf \"%.1f\", $1 / 1000 }"; }
echo "BENCH attach_5mb_scan $(pr "$a") ms <100 $([ "$a" -lt 100000 ] && echo PASS || echo FAIL)"
echo "BENCH cp_5mb_same_bytes $(pr "$(cat "$T/cp.r")") ms info PASS"
echo "BENCH cp_fsync_5mb_same_bytes $(pr "$(cat "$T/cpsync.r")") ms info PASS"
echo "BENCH cli_files_process_floor $(pr "$(cat "$T/floor.r")") ms info PASS"
echo "BENCH file_beside_store_5mb $(pr "$(cat "$T/beside.r")") ms info PASS"
r5=$(cat "$T/rss5"); r60=$(cat "$T/rss60")
echo "BENCH attach_rss_5mb $((r5 / 1024)) MB <32 $([ "$r5" -lt 32768 ] && echo PASS || echo FAIL)"
echo "BENCH attach_rss_60mb $((r60 / 1024)) MB <32 $([ "$r60" -lt 32768 ] && echo PASS || echo FAIL)"
