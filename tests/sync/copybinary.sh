#!/bin/sh
# copybinary.sh - a batch reaches PostgreSQL in COPY's binary format (src/central_pg.c
# copy_stream), streamed in 64 KB pieces: every field arrives byte for byte (payloads
# with backslashes, quotes, COPY text's markers, Vietnamese, a batch of several
# pieces), NULLs stay NULL, the chain's hashes match on both sides; a batch that
# repeats events central has (a replay, part old and part new) takes the duplicate
# path (unique_violation, then a second COPY of only the new ones), as central's
# owner and as an office's own role (the temporary c_events_in and c_ingest()); an
# event the server refuses in the middle of the stream fails the sync with the
# server's reason and leaves nothing of the batch, and the next sync works.  Both
# backends (SQLite: the same results by its own path).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

# every event of office $2: id and the MD5 of each field, on both sides
same_fields() {
	sqlite3 "$1" "select id || ' ' || office_of || ' ' || dossier_code || ' ' || dseq || ' ' || kind || ' ' || actor || ' ' || at || ' ' || origin
		|| ' ' || length(payload) || ' ' || lower(hex(payload)) || ' ' || case when prev_hash is null then '-' else lower(hex(prev_hash)) end || ' ' || lower(hex(hash))
		|| ' ' || case when sig is null then '-' else lower(hex(sig)) end from (select e.*, '$2' as office_of from events e where origin = '$2')" | LC_ALL=C sort >"$T/l.f"
	if [ "$BK" = sqlite ]; then
		cq "select id || ' ' || '$2' || ' ' || dossier_code || ' ' || dseq || ' ' || kind || ' ' || actor || ' ' || at || ' ' || origin
			|| ' ' || length(payload) || ' ' || lower(hex(payload)) || ' ' || case when prev_hash is null then '-' else lower(hex(prev_hash)) end || ' ' || lower(hex(hash))
			|| ' ' || case when sig is null then '-' else lower(hex(sig)) end from c_events where origin = '$2'"
	else
		cq "select id || ' ' || '$2' || ' ' || dossier_code || ' ' || dseq || ' ' || kind || ' ' || actor || ' ' || at || ' ' || origin
			|| ' ' || length(payload) || ' ' || encode(convert_to(payload, 'UTF8'), 'hex') || ' ' || coalesce(encode(prev_hash, 'hex'), '-')
			|| ' ' || encode(hash, 'hex') || ' ' || coalesce(encode(sig, 'hex'), '-') from c_events where origin = '$2'"
	fi | LC_ALL=C sort >"$T/c.f"
	diff "$T/l.f" "$T/c.f" | head -4 | python3 -c '
import sys
l = sys.stdin.read().split(chr(10))
a = [x for x in l if x.startswith("< ")]; b = [x for x in l if x.startswith("> ")]
if a and b:
    a, b = a[0][2:], b[0][2:]; i = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
    print("differ at", i, a[i-20:i+60], "|", b[i-20:i+60])'
	cmp -s "$T/l.f" "$T/c.f" && [ -s "$T/l.f" ]
}

# rehash DB ID HEX: event ID's payload set to the bytes HEX, its hash made again
# (src/event.c), as a store of an older version would have written it
rehash() {
	python3 - "$@" <<'PY'
import hashlib, sqlite3, sys
db, eid, hx = sys.argv[1:]
c = sqlite3.connect(db)
c.text_factory = bytes
r = c.execute("select id, dossier_code, dseq, kind, os_account, actor, at, origin, prev_hash from events where id = ?", (eid,)).fetchone()
pl = bytes.fromhex(hx)
f = [x if isinstance(x, bytes) else str(x).encode() for x in r[:8]]
h = hashlib.sha256((r[8] or bytes(32)) + b"\n".join([b"motcua-event-v1"] + f + [pl])).digest()
c.execute("update events set payload = cast(? as text), hash = ? where id = ?", (pl, h, eid))
c.commit()
PY
}

scenario() {
	use_central "$1" copybin
	k="[$1]"
	DA=$T/$1.a.db
	m "$DA" demo --dossiers 150 >/dev/null
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	# names and reasons with what COPY's text format had to escape, and Vietnamese
	m "$DA" --as clerk1 receive --procedure $P1 --name 'Nguyễn Văn \ "Bê" Đặng\\N' --id 022123456782 --components all >/dev/null
	code=$(sqlite3 "$DA" "select code from dossiers order by rowid desc limit 1")
	# a reason of the longest kind, with backslashes, quotes and COPY text's markers
	long=$(python3 -c 'print(("Rút hồ sơ \\ \"mục 3\" \\N \\. ; " * 60)[:1000])')
	m "$DA" --as clerk1 withdraw "$code" --reason "$long" >/dev/null
	check_match "the reason is in the store as given $k" '3\\" \\\\N \\\\\. ;' "$(sqlite3 "$DA" "select payload from events where dossier_code = '$code' and kind = 'withdrawn'")"
	check "the batch is larger than a 64 KB piece $k" test "$(sqlite3 "$DA" "select sum(length(payload)) from events")" -gt 65536
	out=$(m "$DA" sync --central "$CURL" 2>&1)
	check_match "the sync sends the whole log in one go $k" "0 refused" "$out"
	check "every field of every event arrives byte for byte $k" same_fields "$DA" $A
	check_eq "first events have no previous hash at central either $k" \
		"$(sqlite3 "$DA" "select count(*) from events where prev_hash is null and origin = '$A'")" \
		"$(cq "select count(*) from c_events where prev_hash is null and origin = '$A'")"

	# a replay, part old, part new: the duplicate path and a second COPY of the new
	half=$(sqlite3 "$DA" "select seq from events order by seq limit 1 offset (select count(*) / 2 from events)")
	sqlite3 "$DA" "update sync_state set push_seq = $half"
	m "$DA" --as clerk1 receive --procedure $P1 --name "Trần Thị Lặp" --id 022123456783 --components all >/dev/null
	m "$DA" --as clerk1 receive --procedure $P1 --name "Lê Văn Lại" --id 022123456784 --components all >/dev/null
	out=$(m "$DA" sync --central "$CURL" 2>&1)
	check_match "a batch part old part new is taken $k" "0 refused" "$out"
	check "... every event once, byte for byte $k" same_fields "$DA" $A
	check_eq "... no id twice $k" "$(cq "select count(*) from c_events")" "$(cq "select count(distinct id) from c_events")"

	if [ "$1" = pg ]; then
		# the same through office A's own role: c_events_in, c_ingest(), the retry
		m "$DA" central office role $A --create --central "$CURL" >/dev/null
		UA="postgresql:///copybin?host=$PGDIR&port=$PGPORT&user=motcua_000_00_17_h45"
		sqlite3 "$DA" "update sync_state set push_seq = $half"
		m "$DA" --as clerk1 receive --procedure $P1 --name 'Phạm \ "Vai" Trò' --id 022123456785 --components all >/dev/null
		out=$(m "$DA" sync --central "$UA" 2>&1)
		check_match "[role] a batch part old part new is taken as A's role $k" "0 refused" "$out"
		check "[role] ... every event once, byte for byte $k" same_fields "$DA" $A
	fi

	# the server refuses a row in the middle of the stream: office B's upgraded store
	# (its old events unsigned, from before its key) holds an event whose payload is
	# not UTF-8, hashed as it is, among others: the sync fails with the server's
	# reason, nothing of the batch stays at central, and once the store is put right
	# the next sync takes all of it
	if [ "$1" = pg ]; then
		DB_=$T/$1.b.db
		m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
		m "$DB_" sync --central "$CURL" >/dev/null 2>&1
		for i in 1 2; do
			m "$DB_" --as d_clerk1 receive --procedure $P2 --name "Đỗ Văn Giữa $i" --id 02212345679$i --components all >/dev/null
		done
		bad=$(sqlite3 "$DB_" "select code from dossiers order by rowid limit 1 offset 1")
		m "$DB_" --as d_clerk1 withdraw "$bad" --reason "Rút" >/dev/null
		m "$DB_" --as d_clerk1 receive --procedure $P2 --name "Đỗ Văn Sau" --id 022123456799 --components all >/dev/null
		bid=$(sqlite3 "$DB_" "select id from events where dossier_code = '$bad' and kind = 'withdrawn'")
		sqlite3 "$DB_" "drop trigger events_append_only_update; drop trigger store_key_keep_delete;
			update events set sig = NULL; delete from store_key;"
		rehash "$DB_" "$bid" '7b22726561736f6e223a2252ff74227d'
		before=$(cq "select count(*) from c_events")
		out=$(m "$DB_" sync --central "$CURL" 2>&1); rc=$?
		check_eq "[stream] a row the server refuses fails the sync $k" 1 "$([ $rc -ne 0 ] && echo 1 || echo 0)"
		check_match "[stream] ... naming what central said $k" "UTF8" "$out"
		check_eq "[stream] ... nothing of the batch at central $k" "$before" "$(cq "select count(*) from c_events")"
		check_eq "[stream] ... nothing quarantined $k" 0 "$(cq "select count(*) from c_quarantine")"
		rehash "$DB_" "$bid" '7b22726561736f6e223a22527574227d'
		out=$(m "$DB_" sync --central "$CURL" 2>&1)
		check_match "[stream] once put right the next sync works $k" "0 refused" "$out"
		check "[stream] ... every event of B once, byte for byte $k" same_fields "$DB_" $B
	fi
}

both_backends scenario
