#!/bin/sh
# snapshot.sh - a new office's first sync by snapshot from a 1,000,000-dossier central.
# The central (SQLite) is filled straight from the benchmark's 1M store ($BENCH_DB_1M:
# its events become central's log through ATTACH + INSERT ... SELECT, which is not
# what sync does but gives the same rows fast); then `central snapshot` projects every
# dossier and a brand-new store of the office syncs by snapshot.  Side by side, on the
# same central in the same run, another new store replays the history (the snapshot
# hidden from it) for REPLAY_S seconds; its rate gives what replaying everything would
# take (optimistic for replay: its first batches go into the smallest trees).  Prints
# "BENCH name value unit target PASS|FAIL": the times, their peak resident memory, and
# the first sync's share of the replay.
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
# the reference data of the benchmark store: the demo province's, published from a
# demo without history
"$MOTCUA" --db "$ADMIN" demo --dossiers 0 --province >/dev/null
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
DROP INDEX IF EXISTS c_events_office_dossier;
INSERT INTO c_events(id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash)
	SELECT id, seq, '$A', dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash FROM big.events ORDER BY seq;
INSERT INTO c_dossiers(code, office) SELECT code, '$A' FROM big.dossiers;
CREATE INDEX c_events_office ON c_events(office, pos);
CREATE INDEX c_events_dossier ON c_events(dossier_code, dseq);
CREATE INDEX c_events_office_dossier ON c_events(office, dossier_code);
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
# replaying instead: the same central with its snapshot hidden, for REPLAY_S seconds
# (killed: a sync is safe to kill), extrapolated to all of central's events
REPLAY_S=${REPLAY_S:-20}
snap_pos=$(sqlite3 "$C" "select value from c_meta where key = 'snapshot_pos'")
sqlite3 "$C" "delete from c_meta where key = 'snapshot_pos'"
"$MOTCUA" --db "$T/replay.db" init --office $A --name "Máy mới" >/dev/null
timeout -s KILL "$REPLAY_S" "$MOTCUA" --db "$T/replay.db" sync --central "sqlite:$C" >/dev/null 2>&1
sqlite3 "$C" "insert into c_meta(key, value) values ('snapshot_pos', '$snap_pos')"
replayed=$(sqlite3 "$T/replay.db" "select count(*) from events")
replay_ms=$((events * REPLAY_S * 1000 / (replayed > 0 ? replayed : 1)))
share100=$((first_ms * 100 / (replay_ms > 0 ? replay_ms : 1)))
echo "BENCH snapshot_central_fill_1M $fill_ms ms info PASS"
echo "BENCH snapshot_build_1M $snap_ms ms <120000 $(verdict "$snap_ms" 120000)"
rss=$(cat "$T/snap.rss"); echo "BENCH snapshot_build_rss $((rss / 1024)) MB <32 $(verdict $((rss / 1024)) 32)"
echo "BENCH snapshot_first_sync_1M $first_ms ms info PASS"
echo "BENCH snapshot_replay_1M_extrapolated $replay_ms ms info PASS"
echo "BENCH snapshot_first_sync_vs_replay_x100 $share100 x/100 <100 $(verdict "$share100" 100)"
rss=$(cat "$T/first.rss"); echo "BENCH snapshot_first_sync_rss $((rss / 1024)) MB <32 $(verdict $((rss / 1024)) 32)"
ok=0; [ "$loaded" = "$dossiers" ] && [ "$rows" = "$dossiers" ] && ok=1
echo "BENCH snapshot_dossiers_loaded $loaded dossiers =$dossiers $([ $ok = 1 ] && echo PASS || echo FAIL)"
echo "BENCH snapshot_events_stored $stored events (of_$events) info PASS"
