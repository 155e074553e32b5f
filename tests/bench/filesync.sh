#!/bin/sh
# filesync.sh - syncing attachments to a PostgreSQL central (BENCH_FILES_MB of 20 MB
# scans, 1024 by default; 200 for a quick run): the whole `motcua sync` that sends
# them chunk by chunk (each chunk committed, every file hashed by the server at the
# end), next to PostgreSQL COPY (binary) of the same bytes in 256 KB rows into the
# same cluster and `cp` + sync of the same files, in the same run.  Target: the sync
# at >= 50% of COPY's throughput; peak resident memory < 32 MB whatever the volume.
# Prints "BENCH name value unit target PASS|FAIL".
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${BENCH_MOTCUA:-$ROOT/motcua}
MB=${BENCH_FILES_MB:-1024}
NF=$(( (MB + 19) / 20 ))
pg_start || { echo "BENCH filesync_pg_missing 1 - ran FAIL"; exit 0; }
use_central pg bench
m "$DB" demo --dossiers 30 >/dev/null 2>&1
m "$DB" central init --central "$CURL" >/dev/null
m "$DB" central publish --central "$CURL" >/dev/null
m "$DB" sync --central "$CURL" >/dev/null 2>&1
sqlite3 "$DB" "insert or replace into settings(key, value) values ('attach.dossier_max_mb', '100000'), ('sync.files_seconds', '0')"
code=$(m "$DB" --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty A" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
mkdir -p "$T/scan" "$T/cp"
i=0
while [ $i -lt "$NF" ]; do
	{ printf '%%PDF-1.5\n'; head -c 20971000 /dev/urandom; } >"$T/scan/s$i.pdf"
	i=$((i + 1))
done
m "$DB" --as clerk1 attach "$code" --component 1 "$T/scan/"*.pdf >/dev/null || { echo "BENCH filesync_attach_failed 1 - ran FAIL"; exit 0; }
bytes=$(cat "$T/scan/"*.pdf | wc -c)
# the same bytes as COPY BINARY rows (n, data) of 256 KB, written before the clock starts
python3 - "$T/scan" "$T/copy.bin" <<'PY'
import os, struct, sys
src, out = sys.argv[1], sys.argv[2]
with open(out, 'wb') as o:
    o.write(b'PGCOPY\n\xff\r\n\0' + struct.pack('>ii', 0, 0))
    n = 0
    for name in sorted(os.listdir(src)):
        with open(os.path.join(src, name), 'rb') as f:
            while True:
                b = f.read(262144)
                if not b:
                    break
                o.write(struct.pack('>hii', 2, 4, n) + struct.pack('>i', len(b)) + b)
                n += 1
    o.write(struct.pack('>h', -1))
PY
cq "create table raw_chunks (n integer primary key, data bytea not null); alter table raw_chunks alter column data set storage external" >/dev/null
sync
now() { date +%s%N; }
t0=$(now)
/usr/bin/time -f %M -o "$T/rss" "$MOTCUA" --db "$DB" sync >"$T/sync.out" 2>&1
t_sync=$(( $(now) - t0 ))
t0=$(now)
psql -q -h "$PGDIR" -p "$PGPORT" -U postgres -d bench -c "\\copy raw_chunks from '$T/copy.bin' with (format binary)" >/dev/null
t_copy=$(( $(now) - t0 ))
t0=$(now)
cp "$T/scan/"*.pdf "$T/cp/" && sync "$T/cp"
t_cp=$(( $(now) - t0 ))
ok=$(cq "select count(*) from c_files where complete = 1")
grep -q "files: $NF sent" "$T/sync.out" && [ "$ok" = "$NF" ] || { echo "BENCH filesync_sync_failed 1 - ran FAIL"; sed 's/^/# /' "$T/sync.out" >&2; }
tput() { awk "BEGIN { printf \"%.1f\", $bytes / 1048576 / ($1 / 1e9) }"; }
s=$(tput "$t_sync"); c=$(tput "$t_copy"); p=$(tput "$t_cp")
pct=$(awk "BEGIN { printf \"%d\", 100 * $t_copy / $t_sync }")
rss=$(cat "$T/rss")
mb=$((bytes / 1048576))
echo "BENCH filesync_pg_${mb}mb $s MB/s info PASS"
echo "BENCH filesync_pg_copy_${mb}mb $c MB/s info PASS"
echo "BENCH filesync_cp_${mb}mb $p MB/s info PASS"
echo "BENCH filesync_pg_vs_copy $pct % >=50 $([ "$pct" -ge 50 ] && echo PASS || echo FAIL)"
echo "BENCH filesync_rss_${mb}mb $((rss / 1024)) MB <32 $([ "$rss" -lt 32768 ] && echo PASS || echo FAIL)"
