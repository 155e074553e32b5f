#!/bin/sh
# files.sh - sync carries attached files, on both central backends: an office's files
# reach central after its events, deduplicated by SHA-256 (one copy per hash however
# many dossiers attach it), another store of the office takes them back whole, and an
# office a dossier is re-routed to takes that dossier's files;
# kill -9 while sending and while receiving resumes (chunks committed one by one, a
# half file never visible); a chunk corrupted at central is caught by its hash (at
# the receiving office, and by `central files`), dropped and sent again; `audit
# verify` names a file that has not arrived.  PostgreSQL: events through a 1 Mbit/s
# link reach central before the files do, and pg_dump holds the chunks.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}   # the plain binary: killed on purpose
export LANG=C.UTF-8

python3 - "$T" <<'PY'
import os, random, sys
d = sys.argv[1]
r = random.Random(18)
def pdf(name, size):
    open(os.path.join(d, name), 'wb').write(b'%PDF-1.5\n' + r.randbytes(size))
pdf('a.pdf', 3 * 262144 + 1000)      # four chunks, the last one short
pdf('b.pdf', 100)                    # one short chunk
pdf('c.pdf', 262144 - 9)             # exactly one whole chunk with the header
for i in range(6):
    pdf('big%d.pdf' % i, 12 * 1048576)  # 48 chunks each, for the kills
pdf('slow.pdf', 900000)              # about 7 s at 1 Mbit/s
PY
sha() { sha256sum "$1" | cut -c1-64; }

# a new dossier received at office A (demo store), to attach to
new_dossier() {
	mt "$2" "$1" --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty A" |
		grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1
}
# every file attached in store $1 is stored there and hashes to its name
all_files_here() {
	miss=$(sqlite3 "$1" "select count(*) from (select distinct json_extract(payload, '\$.sha256') h from events where kind = 'attached') where h not in (select sha256 from files)")
	[ "$miss" = 0 ] && m "$1" --as admin audit verify >/dev/null
}
# every file attached at A is complete at central, once, and hashes to its name there
central_has_all() {
	sqlite3 "$1" "select distinct json_extract(payload, '\$.sha256') from events where kind = 'attached' order by 1" >"$T/want"
	cq "select sha256 from c_files where complete = 1 order by 1" >"$T/have"
	comm -23 "$T/want" "$T/have" | head -3
	[ -z "$(comm -23 "$T/want" "$T/have")" ] || return 1
	[ -s "$T/want" ] || return 1
	for h in $(cat "$T/want"); do
		if [ "$BK" = sqlite ]; then
			got=$(sqlite3 "$CDB" "select hex(data) from c_file_chunks where sha256 = '$h' order by n" | python3 -c "import hashlib, sys; print(hashlib.sha256(bytes.fromhex(sys.stdin.read().replace(chr(10), ''))).hexdigest())")
		else
			got=$(cq "select encode(sha256(string_agg(data, ''::bytea order by n)), 'hex') from c_file_chunks where sha256 = '$h'")
		fi
		[ "$got" = "$h" ] || { echo "central's $h hashes to $got"; return 1; }
	done
}
# corrupt chunk 0 of file $1 at central
corrupt() {
	if [ "$BK" = sqlite ]; then cq "update c_file_chunks set data = zeroblob(length(data)) where sha256 = '$1' and n = 0"
	else cq "update c_file_chunks set data = decode(repeat('00', length(data)), 'hex') where sha256 = '$1' and n = 0"; fi
}

scenario() {
	use_central "$1" files
	k="[$1]"
	DA=$T/$1.a.db; DR=$T/$1.r.db
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 20 >/dev/null 2>&1
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	c1=$(new_dossier "$DA" "2024-04-01 09:00:00"); c2=$(new_dossier "$DA" "2024-04-01 09:10:00")
	check_match "two dossiers to attach to $k" '^000.*-0002$' "$c1 $c2"
	mt "2024-04-01 09:20:00" "$DA" --as clerk1 attach "$c1" --component 1 "$T/a.pdf" "$T/b.pdf" >/dev/null
	mt "2024-04-01 09:21:00" "$DA" --as clerk1 attach "$c2" --component 1 "$T/a.pdf" "$T/c.pdf" >/dev/null
	out=$(m "$DA" sync --central "$CURL" 2>&1)
	check_match "the sync sends three distinct files $k" 'files: 3 sent' "$out"
	check_eq "central holds each hash once, complete $k" "3 3" "$(cq "select count(*) || ' ' || sum(complete) from c_files")"
	check_eq "a.pdf is four chunks at central $k" 4 "$(cq "select count(*) from c_file_chunks where sha256 = '$(sha "$T/a.pdf")'")"
	check "every attached file is at central and hashes to its name $k" central_has_all "$DA"
	check_match "nothing left to send $k" 'files +0 to send' "$(m "$DA" sync status)"
	out=$(m "$DA" sync 2>&1)
	check_nomatch "a second sync sends nothing $k" 'files: [1-9]' "$out"

	# central -> office: another store of the office takes the files with the events
	m "$DR" init --office $A --name "Khôi phục" >/dev/null
	out=$(m "$DR" sync --central "$CURL" 2>&1)
	check_match "the other store receives the three files $k" 'files: 0 sent .*3 received' "$out"
	check "every attached file is there, whole; audit clean $k" all_files_here "$DR"
	mkdir -p "$T/$1.out"
	m "$DR" --as admin file export "$c1" --dir "$T/$1.out" >/dev/null 2>&1
	check_eq "an exported file equals the original byte for byte $k" "$(sha "$T/a.pdf")" "$(sha "$T/$1.out/1-a.pdf")"
	check_eq "nothing half-received stays $k" 0 "$(sqlite3 "$DR" "select count(*) from file_parts")"

	# a dossier central sends to another office: that office takes its files with it
	DB_=$T/$1.b.db
	m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
	m "$DB_" sync --central "$CURL" >/dev/null 2>&1
	check "central re-routes the second dossier to office B $k" m "$DA" central reroute "$c2" --to $B --reason "đúng thẩm quyền huyện" --central "$CURL"
	out=$(m "$DB_" sync 2>&1)
	check_match "office B receives its two files $k" 'files: 0 sent .*2 received' "$out"
	check_eq "B holds a.pdf and c.pdf, not the other dossier's b.pdf $k" "$(printf '%s\n' "$(sha "$T/a.pdf")" "$(sha "$T/c.pdf")" | sort | tr '\n' ' ')" \
		"$(sqlite3 "$DB_" "select sha256 from files order by 1" | tr '\n' ' ')"
	check "B's audit is clean $k" m "$DB_" --as admin audit verify

	# kill -9 while sending: six 12 MB files, the sync killed as chunks go
	c3=$(new_dossier "$DA" "2024-04-02 09:00:00")
	mt "2024-04-02 09:05:00" "$DA" --as clerk1 attach "$c3" --component 2 "$T/big0.pdf" "$T/big1.pdf" "$T/big2.pdf" >/dev/null
	mt "2024-04-02 09:06:00" "$DA" --as clerk1 attach "$c3" --component 3 "$T/big3.pdf" "$T/big4.pdf" "$T/big5.pdf" >/dev/null
	kills=0; partial=0
	for i in 1 2 3 4 5 6; do
		"$MOTCUA" --db "$DA" sync >/dev/null 2>&1 &
		pid=$!
		for w in $(seq 1 400); do
			ch=$(cq "select count(*) from c_file_chunks" 2>/dev/null)
			[ "${ch:-0}" -gt $((19 + i * 20)) ] && break
			sleep 0.02
		done
		kill -9 $pid 2>/dev/null && kills=$((kills + 1))
		wait $pid 2>/dev/null
		p=$(cq "select count(*) from c_files where complete = 0")
		[ "$p" -gt 0 ] && partial=$((partial + 1))
	done
	check_match "the sending sync was killed ($kills times) $k" '^[1-9]' "$kills"
	check_match "a kill left a half-sent file at central, not counted complete ($partial times) $k" '^[1-9]' "$partial"
	check_eq "the office store is intact after the kills $k" ok "$(sqlite3 "$DA" 'pragma integrity_check')"
	check "a last sync completes $k" m "$DA" sync
	check_eq "nine files at central, each once, all complete $k" "9 9" "$(cq "select count(*) || ' ' || sum(complete) from c_files")"
	check_eq "every chunk once: 4 + 1 + 1 + 6 x 49 $k" 300 "$(cq "select count(*) from c_file_chunks")"
	check "every attached file at central hashes to its name $k" central_has_all "$DA"

	# kill -9 while receiving (a new store of the office takes the history and its
	# files): no half file visible, resumed at the next chunk
	DR=$T/$1.r2.db
	m "$DR" init --office $A --name "Khôi phục 2" >/dev/null
	sqlite3 "$DR" "insert or replace into settings(key, value) values ('central.url', '$CURL')"
	kills=0; seen_half=0; visible_half=0
	for i in 1 2 3 4 5 6; do
		"$MOTCUA" --db "$DR" sync >/dev/null 2>&1 &
		pid=$!
		for w in $(seq 1 400); do
			ch=$(sqlite3 "$DR" "select count(*) from file_parts" 2>/dev/null)
			[ "${ch:-0}" -gt 10 ] && break
			sleep 0.02
		done
		kill -9 $pid 2>/dev/null && kills=$((kills + 1))
		wait $pid 2>/dev/null
		h=$(sqlite3 "$DR" "select count(distinct sha256) from file_parts")
		[ "$h" -gt 0 ] && seen_half=$((seen_half + 1))
		v=$(sqlite3 "$DR" "select count(*) from files where sha256 in (select sha256 from file_parts)")
		[ "$v" -gt 0 ] && visible_half=$((visible_half + 1))
	done
	check_match "the receiving sync was killed mid-file ($seen_half times) $k" '^[1-9]' "$seen_half"
	check_eq "a half-received file is never a stored file $k" 0 "$visible_half"
	check "a last sync completes here too $k" m "$DR" sync
	check "both stores hold every attached file whole $k" all_files_here "$DR"
	check_eq "the receiving store holds each file once $k" "9 0" "$(sqlite3 "$DR" "select count(*) || ' ' || (select count(*) from file_parts) from files")"

	# a chunk corrupted at central: the receiving office catches it by hash
	hb=$(sha "$T/big1.pdf")
	sqlite3 "$DR" "delete from file_chunks where file_id = (select id from files where sha256 = '$hb'); delete from files where sha256 = '$hb'"
	corrupt "$hb"
	out=$(m "$DR" sync 2>&1)
	check_match "the receiver names the file that failed its hash $k" "1 files failed their hash check \\(last ${hb%"${hb#????????????}"}" "$out"
	check_eq "the corrupt file is not stored there $k" 0 "$(sqlite3 "$DR" "select count(*) from files where sha256 = '$hb'")"
	out=$(m "$DR" --as admin audit verify 2>&1); rc=$?
	check_match "audit verify names the missing file (exit $rc) $k" "missing from the store" "$out"
	check_eq "central dropped its corrupt copy $k" 0 "$(cq "select complete from c_files where sha256 = '$hb'")"
	out=$(m "$DA" sync 2>&1)
	check_match "the office that holds it sends it again $k" 'files: 1 sent' "$out"
	out=$(m "$DR" sync 2>&1)
	check_match "and the receiver takes it whole $k" 'files: 0 sent .*1 received' "$out"
	check "both ends whole again $k" all_files_here "$DR"

	# central's own check: every complete file re-hashed
	corrupt "$(sha "$T/a.pdf")"
	out=$(m "$DA" central files --central "$CURL" 2>&1); rc=$?
	check_eq "central files finds the corrupt one (exit 3) $k" 3 "$rc"
	check_match "and names it $k" "corrupt at central: $(sha "$T/a.pdf")" "$out"
	out=$(m "$DA" sync 2>&1)
	check_match "the office sends it again $k" 'files: 1 sent' "$out"
	check "every attached file at central hashes to its name again $k" central_has_all "$DA"
	check "central files finds nothing corrupt now $k" m "$DA" central files --central "$CURL"

	# a central not yet upgraded (no file tables): the events still sync, the files wait;
	# once its tables are there (empty: as after a restore that lost them) all are sent again
	cq "drop table c_file_chunks; drop table c_files" >/dev/null
	c4=$(new_dossier "$DA" "2024-04-03 09:00:00")
	mt "2024-04-03 09:05:00" "$DA" --as clerk1 attach "$c4" --component 1 "$T/b.pdf" >/dev/null
	out=$(m "$DA" sync 2>&1); rc=$?
	check_eq "a sync to a central without file tables succeeds $k" 0 "$rc"
	check_match "saying the files wait for central init $k" "central has no tables for files yet" "$out"
	check_eq "its events are at central $k" 0 "$(m "$DA" sync status | sed -n 's/^pending *\([0-9]*\).*/\1/p')"
	check "central init adds the file tables $k" m "$DA" central init --central "$CURL"
	out=$(m "$DA" sync 2>&1)
	check_match "and the next sync sends the files $k" 'files: [1-9][0-9]* sent' "$out"
	check "every attached file at central hashes to its name $k" central_has_all "$DA"
}

slow_link() { # PostgreSQL behind a 1 Mbit/s proxy: events first, files after
	k="[pg slow]"
	use_central pg slow
	DS=$T/slow.db
	mt "2024-03-11 08:00:00" "$DS" demo --dossiers 20 >/dev/null 2>&1
	m "$DS" central init --central "$CURL" >/dev/null
	m "$DS" central publish --central "$CURL" >/dev/null
	m "$DS" sync --central "$CURL" >/dev/null 2>&1
	c=$(new_dossier "$DS" "2024-04-01 09:00:00")
	mt "2024-04-01 09:05:00" "$DS" --as clerk1 attach "$c" --component 1 "$T/slow.pdf" >/dev/null
	PPORT=$(shuf -i 20000-60000 -n 1)
	python3 "$ROOT/tests/sync/rateproxy.py" "$PPORT" "$PGDIR/.s.PGSQL.$PGPORT" 125000 >"$T/proxy.out" 2>&1 &
	proxy=$!
	for w in $(seq 1 50); do grep -q ready "$T/proxy.out" && break; sleep 0.1; done
	slow="postgresql:///slow?host=127.0.0.1&port=$PPORT&user=postgres"
	want=$(sqlite3 "$DS" "select count(*) from events")
	start=$(date +%s.%N)
	m "$DS" sync --central "$slow" >"$T/slow.out" 2>&1 &
	pid=$!
	ev_at=""; files_done=""
	for w in $(seq 1 600); do
		now=$(date +%s.%N)
		[ -z "$ev_at" ] && [ "$(cq "select count(*) from c_events")" = "$want" ] && ev_at=$(awk "BEGIN { printf \"%.2f\", $now - $start }")
		if [ "$(cq "select count(*) from c_files where complete = 1")" = 1 ]; then files_done=$(awk "BEGIN { printf \"%.2f\", $now - $start }"); break; fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	wait $pid; rc=$?
	kill $proxy 2>/dev/null; wait $proxy 2>/dev/null
	echo "# 1 Mbit/s link: events at central after ${ev_at:-?} s, the 0.9 MB file after ${files_done:-?} s"
	check_eq "the sync through the slow link succeeds $k" 0 "$rc"
	check_match "the events reached central $k" '^[0-9.]+$' "$ev_at"
	check "the events were at central before the file was (${ev_at}s < ${files_done}s) $k" \
		awk "BEGIN { exit !($ev_at + 3 < ${files_done:-0}) }"
	check_match "the file arrived, complete $k" 'files: 1 sent' "$(cat "$T/slow.out")"

	# a dropped link: the proxy dies mid-file; the chunks committed stay, the next sync resumes
	c=$(new_dossier "$DS" "2024-04-01 10:00:00")
	mt "2024-04-01 10:05:00" "$DS" --as clerk1 attach "$c" --component 1 "$T/big0.pdf" >/dev/null
	m "$DS" sync --central "$CURL" >/dev/null 2>&1 # the events; the file goes through the proxy below
	cq "delete from c_file_chunks where sha256 = '$(sha "$T/big0.pdf")'; update c_files set complete = 0 where sha256 = '$(sha "$T/big0.pdf")'" >/dev/null
	python3 "$ROOT/tests/sync/rateproxy.py" "$PPORT" "$PGDIR/.s.PGSQL.$PGPORT" 2000000 >"$T/proxy2.out" 2>&1 &
	proxy=$!
	for w in $(seq 1 50); do grep -q ready "$T/proxy2.out" && break; sleep 0.1; done
	m "$DS" sync --central "$slow" >"$T/drop.out" 2>&1 &
	pid=$!
	for w in $(seq 1 300); do
		[ "$(cq "select count(*) from c_file_chunks where sha256 = '$(sha "$T/big0.pdf")'")" -ge 5 ] && break
		sleep 0.05
	done
	kill $proxy 2>/dev/null; wait $proxy 2>/dev/null
	wait $pid; rc=$?
	check_fails "the sync whose link dropped fails (exit $rc) $k" test "$rc" = 0
	check_match "naming the lost connection $k" "connection lost|server closed|could not receive|terminat" "$(cat "$T/drop.out")"
	had=$(cq "select count(*) from c_file_chunks where sha256 = '$(sha "$T/big0.pdf")'")
	check_match "the chunks sent before the drop stay ($had of 49) $k" '^([5-9]|[1-4][0-9])$' "$had"
	check_eq "and the file is not counted complete $k" 0 "$(cq "select complete from c_files where sha256 = '$(sha "$T/big0.pdf")'")"
	out=$(m "$DS" sync --central "$CURL" 2>&1)
	check_match "the next sync resumes and completes it $k" 'files: 1 sent' "$out"
	check_eq "49 chunks, each once, complete $k" "49 1" "$(cq "select count(*) || ' ' || (select complete from c_files where sha256 = '$(sha "$T/big0.pdf")') from c_file_chunks where sha256 = '$(sha "$T/big0.pdf")'")"
	check "every attached file at central hashes to its name $k" central_has_all "$DS"
	pg_dump -h "$PGDIR" -p "$PGPORT" -U postgres -t c_file_chunks -t c_files slow >"$T/dump.sql" 2>&1
	check_match "pg_dump backs up the file chunks $k" 'COPY public.c_file_chunks' "$(cat "$T/dump.sql")"
	check_eq "the dump holds every chunk's row (4 + 49) $k" 53 "$(awk '/^COPY public.c_file_chunks/{on=1; next} /^\\\./{on=0} on' "$T/dump.sql" | wc -l)"
}

both_backends scenario slow_link
echo "1..$n"
