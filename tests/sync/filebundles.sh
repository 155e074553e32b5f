#!/bin/sh
# filebundles.sh - bundles carry attached files for an office with no network, on
# both backends: a files bundle beside the events bundle brings the bytes to central
# (deduplicated by SHA-256), central's reply brings them back to another store of the
# office; importing twice duplicates nothing; a bundle whose file is missing, damaged
# or short of a chunk leaves the events in and the file named missing, never a half
# file.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
export LANG=C.UTF-8

python3 - "$T" <<'PY'
import os, random, sys
d = sys.argv[1]
r = random.Random(14)
for name, size in (('a.pdf', 3 * 262144 + 1000), ('b.pdf', 100), ('c.pdf', 600000), ('d.pdf', 70000)):
    open(os.path.join(d, name), 'wb').write(b'%PDF-1.5\n' + r.randbytes(size))
PY
sha() { sha256sum "$1" | cut -c1-64; }
new_dossier() {
	mt "$2" "$1" --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty A" |
		grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1
}
# a files bundle with its checksum line made right again after an edit
reseal() {
	sed '$d' "$1" >"$1.body"
	{ cat "$1.body"; echo "sha256 $(sha256sum "$1.body" | cut -c1-64)"; } >"$1"
	rm -f "$1.body"
}
missing_here() { sqlite3 "$1" "select count(*) from (select distinct json_extract(payload, '\$.sha256') h from events where kind = 'attached') where h not in (select sha256 from files)"; }

scenario() {
	use_central "$1" fbundles
	k="[$1]"
	DA=$T/$1.a.db; DR=$T/$1.r.db; D=$T/$1
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 20 >/dev/null 2>&1
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	c1=$(new_dossier "$DA" "2024-04-01 09:00:00"); c2=$(new_dossier "$DA" "2024-04-01 09:10:00")
	mt "2024-04-01 09:20:00" "$DA" --as clerk1 attach "$c1" --component 1 "$T/a.pdf" "$T/b.pdf" >/dev/null
	mt "2024-04-01 09:21:00" "$DA" --as clerk1 attach "$c2" --component 1 "$T/a.pdf" >/dev/null
	out=$(m "$DA" sync export --out "$D.b1" 2>&1)
	check_match "the export writes the two distinct files beside the bundle $k" "2 attached files written to $D.b1.files" "$out"
	check_match "the files bundle ends with its checksum $k" "^sha256 [0-9a-f]{64}$" "$(tail -n 1 "$D.b1.files")"
	check_eq "five chunks in it: a.pdf four, b.pdf one $k" 5 "$(grep -c '"t":"chunk"' "$D.b1.files")"
	out=$(m "$DA" central import "$D.b1" --reply "$D.r1" --central "$CURL" 2>&1)
	check_match "central stores the two files $k" "files: 2 stored, 0 already here" "$out"
	check_eq "complete at central, each once $k" "2 2 5" "$(cq "select count(*) || ' ' || sum(complete) || ' ' || (select count(*) from c_file_chunks) from c_files")"
	out=$(m "$DA" central import "$D.b1" --reply "$D.r1b" --central "$CURL" 2>&1)
	check_match "importing it twice stores nothing new $k" "files: 0 stored, 2 already here" "$out"
	check_eq "still each once $k" "2 5" "$(cq "select count(*) || ' ' || (select count(*) from c_file_chunks) from c_files")"
	check_match "the reply acknowledges them $k" '"t":"have"' "$(cat "$D.r1.files")"
	check "the office imports the reply $k" m "$DA" sync import "$D.r1"
	check_match "nothing left to send $k" 'files +0 to send' "$(m "$DA" sync status)"
	out=$(m "$DA" sync export --out "$D.b1x" 2>&1)
	check_nomatch "the next export carries no file again $k" "attached files written" "$out"

	# central -> office: a new store of the office takes the history and the files
	m "$DR" init --office $A --name "Khôi phục" >/dev/null
	m "$DR" sync export --out "$D.rb" >/dev/null
	out=$(m "$DA" central import "$D.rb" --reply "$D.rr" --central "$CURL" 2>&1)
	check_match "central's reply carries the files its events attach $k" "2 attached files written to $D.rr.files" "$out"
	out=$(m "$DR" sync import "$D.rr" 2>&1)
	check_match "the other store stores them $k" "files: 2 stored, 0 already here" "$out"
	check_eq "every attached file is there $k" 0 "$(missing_here "$DR")"
	check "audit verify is clean there $k" m "$DR" --as admin audit verify
	out=$(m "$DR" sync import "$D.rr" 2>&1)
	check_match "importing the reply twice stores nothing new $k" "files: 0 stored, 2 already here" "$out"
	check_eq "each file once there $k" "2 5" "$(sqlite3 "$DR" "select count(*) || ' ' || (select count(*) from file_chunks) from files")"

	# a bundle whose files bundle was lost: the events come, the file is named missing
	c3=$(new_dossier "$DA" "2024-04-02 09:00:00")
	mt "2024-04-02 09:05:00" "$DA" --as clerk1 attach "$c3" --component 1 "$T/c.pdf" >/dev/null
	m "$DA" sync export --out "$D.b3" >/dev/null
	mv "$D.b3.files" "$D.b3.files.kept"
	out=$(m "$DA" central import "$D.b3" --reply "$D.r3" --central "$CURL" 2>&1); rc=$?
	check_eq "central imports the bundle without its files (exit 0) $k" 0 "$rc"
	check_match "its events are in $k" "imported [1-9][0-9]* new events" "$out"
	check_match "the file is named missing $k" "1 attached files are missing \\(last $(sha "$T/c.pdf" | cut -c1-12)" "$out"
	check_eq "central has no row of it complete $k" 0 "$(cq "select count(*) from c_files where sha256 = '$(sha "$T/c.pdf")' and complete = 1")"
	# a damaged files bundle: refused whole, nothing stored from it
	cp "$D.b3.files.kept" "$D.b3.files"
	sed -i '3s/"data":"\(.\)/"data":"A\1/' "$D.b3.files"
	out=$(m "$DA" central import "$D.b3" --reply "$D.r3" --central "$CURL" 2>&1); rc=$?
	check_match "a damaged files bundle is refused, nothing stored from it (exit $rc) $k" "truncated or corrupted" "$out"
	check_eq "still no row of it complete $k" 0 "$(cq "select count(*) from c_files where sha256 = '$(sha "$T/c.pdf")' and complete = 1")"
	# a files bundle short of a chunk (checksum made right): not stored, never half
	cp "$D.b3.files.kept" "$D.b3.files"
	sed -i '4d' "$D.b3.files"
	reseal "$D.b3.files"
	out=$(m "$DA" central import "$D.b3" --reply "$D.r3" --central "$CURL" 2>&1)
	check_match "a file short of a chunk is not stored $k" "1 files in the bundle were incomplete or failed their hash check" "$out"
	check_eq "no half file at central: not complete, no chunk kept $k" "0 0" \
		"$(cq "select coalesce(sum(complete), 0) || ' ' || (select count(*) from c_file_chunks where sha256 = '$(sha "$T/c.pdf")') from c_files where sha256 = '$(sha "$T/c.pdf")'")"
	# another new store of the office takes the events: the file is missing there, audit names it
	DR=$T/$1.r2.db
	m "$DR" init --office $A --name "Khôi phục 2" >/dev/null
	m "$DR" sync export --out "$D.rb2" >/dev/null
	m "$DA" central import "$D.rb2" --reply "$D.rr2" --central "$CURL" >/dev/null 2>&1
	m "$DR" sync import "$D.rr2" >/dev/null 2>&1
	check_eq "the other store has the event, not the file $k" 1 "$(missing_here "$DR")"
	out=$(m "$DR" --as admin audit verify 2>&1)
	check_match "audit verify names the missing file $k" "c.pdf .*is missing from the store" "$out"
	# the whole files bundle after all: central stores it, the next reply brings it
	mv "$D.b3.files.kept" "$D.b3.files"
	out=$(m "$DA" central import "$D.b3" --reply "$D.r3" --central "$CURL" 2>&1)
	check_match "the whole files bundle stores the file $k" "files: 1 stored" "$out"
	m "$DA" central import "$D.rb2" --reply "$D.rr3" --central "$CURL" >/dev/null 2>&1
	check_match "central's reply now carries it $k" "$(sha "$T/c.pdf")" "$(cat "$D.rr3.files" 2>/dev/null)"
	m "$DR" sync import "$D.rr3" >/dev/null 2>&1
	check_eq "every attached file is there now $k" 0 "$(missing_here "$DR")"
	check "audit verify is clean again $k" m "$DR" --as admin audit verify
	check_eq "each file once at central $k" "3 3" "$(cq "select count(*) || ' ' || sum(complete) from c_files")"
	check_eq "the stores are intact $k" "ok ok" "$(sqlite3 "$DA" 'pragma integrity_check') $(sqlite3 "$DR" 'pragma integrity_check')"
}

both_backends scenario
echo "1..$n"
