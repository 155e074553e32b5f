#!/bin/sh
# sync.sh - sync benchmarks against a throwaway PostgreSQL cluster (tests/sync/lib.inc):
# pushing 100,000 events (and COPY of the same rows into a table of the same shape,
# measured in the same run), pulling 100,000 into a new store of the office, and the
# peak resident memory of both.  Prints "BENCH name value unit target PASS|FAIL".
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
MOTCUA=${MOTCUA:-$ROOT/motcua}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
N=${SYNC_BENCH_EVENTS:-100000}
if ! pg_start; then
	echo "BENCH sync_postgresql_unavailable 1 - ran FAIL"
	exit 0
fi
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
verdict() { [ "$1" -lt "$2" ] && echo PASS || echo FAIL; }
use_central pg bench
DA=$T/a.db; DR=$T/r.db
m "$DA" central init --central "$CURL" >/dev/null
# a demo store of about 5.7 events per dossier (times are scaled to N events)
mt "2024-03-11 08:00:00" "$DA" demo --dossiers $((N / 5)) >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null
# the push alone: the store has caught up already, so the pull after it is empty
sqlite3 "$DA" "update sync_state set pull_own = 0, push_seq = 0" 2>/dev/null
sqlite3 "$DA" "insert or replace into settings(key, value) values ('central.url', '$CURL')"
t0=$(date +%s%N)
/usr/bin/time -f %M -o "$T/push.rss" "$MOTCUA" --db "$DA" sync >/dev/null 2>&1
push_ms=$(ms "$t0")
pushed=$(cq "select count(*) from c_events")
push_ms_n=$((push_ms * N / pushed))
# COPY of the same rows into a table of the same shape (indexes included)
psql -q -h "$PGDIR" -p "$PGPORT" -U postgres -d bench -c "\\copy (select * from c_events) to '$T/rows.copy'" >/dev/null
cq "create table copy_target (like c_events including all)" >/dev/null
t0=$(date +%s%N)
psql -q -h "$PGDIR" -p "$PGPORT" -U postgres -d bench -c "\\copy copy_target from '$T/rows.copy'" >/dev/null
copy_ms=$(ms "$t0")
copy_ms_n=$((copy_ms * N / pushed))
# pull N into a new store of the same office
m "$DR" init --office $A --name "Khôi phục" >/dev/null
t0=$(date +%s%N)
/usr/bin/time -f %M -o "$T/pull.rss" "$MOTCUA" --db "$DR" sync --central "$CURL" >/dev/null 2>&1
pull_ms=$(ms "$t0")
pulled=$(sqlite3 "$DR" "select count(*) from events")
pull_ms_n=$((pull_ms * N / (pulled > 0 ? pulled : 1)))
ratio10=$((push_ms * 10 / (copy_ms > 0 ? copy_ms : 1)))
echo "BENCH sync_push_${N}_pg $push_ms_n ms <10000 $(verdict $push_ms_n 10000)"
echo "BENCH sync_copy_${N}_pg $copy_ms_n ms info PASS"
echo "BENCH sync_push_vs_copy_x10 $ratio10 x/10 <=30 $(verdict $ratio10 31)"
echo "BENCH sync_pull_${N}_pg $pull_ms_n ms <10000 $(verdict $pull_ms_n 10000)"
rss=$(cat "$T/push.rss"); echo "BENCH sync_push_rss $((rss / 1024)) MB <32 $(verdict $((rss / 1024)) 32)"
rss=$(cat "$T/pull.rss"); echo "BENCH sync_pull_rss $((rss / 1024)) MB <32 $(verdict $((rss / 1024)) 32)"
echo "BENCH sync_events_pushed $pushed events info PASS"
