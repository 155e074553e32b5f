#!/bin/sh
# snapshot.sh - a new office's first sync by snapshot from a 1,000,000-dossier central.
# The central (SQLite) is filled straight from the benchmark's 1M store ($BENCH_DB_1M:
# its events become central's log through ATTACH + INSERT ... SELECT, which is not
# what sync does but gives the same rows fast); then `central snapshot` projects every
# dossier and a brand-new store of the office syncs by snapshot.  Prints "BENCH name
# value unit target PASS|FAIL": both times, their peak resident memory, and the
# replay-equivalent first sync (events x the pull's measured rate) for comparison.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
MOTCUA=${MOTCUA:-$ROOT/motcua}
. "$ROOT/tests/lib.sh"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
SRC=${BENCH_DB_1M:-$ROOT/bench/large.db}
A=000.00.17.H45
if [ ! -f "$SRC" ]; then
	echo "BENCH snapshot_store_missing 1 - ran FAIL"
	exit 0
fi
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
verdict() { [ "$1" -lt "$2" ] && echo PASS || echo FAIL; }
C=$T/central.db; ADMIN=$T/admin.db; NEW=$T/new.db
# the reference data of the benchmark store: the demo's, published from an empty demo
"$MOTCUA" --db "$ADMIN" demo --dossiers 0 >/dev/null
"$MOTCUA" --db "$ADMIN" central init --central "sqlite:$C" >/dev/null
"$MOTCUA" --db "$ADMIN" central publish --central "sqlite:$C" >/dev/null
# central's log from the store's events (indexes built after the rows: faster)
t0=$(date +%s%N)
sqlite3 "$C" >/dev/null <<EOF
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -200000;
ATTACH '$SRC' AS big;
DROP INDEX c_events_office;
DROP INDEX c_events_dossier;
INSERT INTO c_events(id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
	SELECT id, seq, '$A', dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash FROM big.events ORDER BY seq;
INSERT INTO c_dossiers(code, office) SELECT code, '$A' FROM big.dossiers;
CREATE INDEX c_events_office ON c_events(office, pos);
CREATE INDEX c_events_dossier ON c_events(dossier_code, dseq);
UPDATE c_meta SET value = (SELECT max(pos) FROM c_events) WHERE key = 'log_pos';
EOF
fill_ms=$(ms "$t0")
events=$(sqlite3 "$C" "select count(*) from c_events")
dossiers=$(sqlite3 "$C" "select count(*) from c_dossiers")
sync
# the administrator's snapshot (nightly)
t0=$(date +%s%N)
/usr/bin/time -f %M -o "$T/snap.rss" "$MOTCUA" --db "$ADMIN" central snapshot --central "sqlite:$C" >"$T/snap.out" 2>"$T/snap.err"
snap_ms=$(ms "$t0")
rows=$(sqlite3 "$C" "select count(*) from c_snapshot where state is not null")
# the new office's first sync
"$MOTCUA" --db "$NEW" init --office $A --name "Máy mới" >/dev/null
t0=$(date +%s%N)
/usr/bin/time -f %M -o "$T/first.rss" "$MOTCUA" --db "$NEW" sync --central "sqlite:$C" >"$T/first.out" 2>"$T/first.err"
first_ms=$(ms "$t0")
loaded=$(sqlite3 "$NEW" "select count(*) from dossiers")
stored=$(sqlite3 "$NEW" "select count(*) from events")
# what replaying the history would cost at the pull's rate (tests/bench/sync.sh: ~2 s per 100,000 events)
rate=$(grep '^BENCH sync_pull_100000_pg ' "$ROOT/bench/lines.txt" 2>/dev/null | awk '{print $3}')
rate=${rate:-2000}
replay_ms=$((events / 100000 * rate))
echo "BENCH snapshot_central_fill_1M $fill_ms ms info PASS"
echo "BENCH snapshot_build_1M $snap_ms ms <120000 $(verdict "$snap_ms" 120000)"
rss=$(cat "$T/snap.rss"); echo "BENCH snapshot_build_rss $((rss / 1024)) MB <32 $(verdict $((rss / 1024)) 32)"
echo "BENCH snapshot_first_sync_1M $first_ms ms <60000 $(verdict "$first_ms" 60000)"
echo "BENCH snapshot_replay_equivalent_1M $replay_ms ms info PASS"
rss=$(cat "$T/first.rss"); echo "BENCH snapshot_first_sync_rss $((rss / 1024)) MB <32 $(verdict $((rss / 1024)) 32)"
ok=0; [ "$loaded" = "$dossiers" ] && [ "$rows" = "$dossiers" ] && ok=1
echo "BENCH snapshot_dossiers_loaded $loaded dossiers =$dossiers $([ $ok = 1 ] && echo PASS || echo FAIL)"
echo "BENCH snapshot_events_stored $stored events (of_$events) info PASS"
