#!/bin/sh
# filebundle_hostile.sh - a files bundle is read from a medium anyone could have
# written (its checksum line proves no origin): on both backends, central refuses
# cleanly, with memory flat, a line far too long for a chunk, a chunk index that is
# negative or so large that its byte offset overflows, a size that is negative, and
# a name that is no SHA-256 (path-like); and a file whose bytes hash to its name but
# whose declared size is wrong is kept with its true size, so the offices that take
# it from central do not drop it as corrupt.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
export LANG=C.UTF-8

printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/small.pdf"
S=$(sha256sum "$T/small.pdf" | cut -c1-64)
SZ=$(stat -c %s "$T/small.pdf")
B64=$(base64 -w0 "$T/small.pdf")
new_dossier() {
	mt "$2" "$1" --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty A" |
		grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1
}
# write a files bundle from its body lines (stdin), sealed with its checksum line
seal() {
	cat >"$1.body"
	{ cat "$1.body"; echo "sha256 $(sha256sum "$1.body" | cut -c1-64)"; } >"$1"
	rm -f "$1.body"
}
head_line() { echo '{"motcua_files":1,"office":"000.00.17.H45","created":1}'; }

scenario() {
	use_central "$1" fbhostile
	k="[$1]"
	DA=$T/$1.a.db; D=$T/$1
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	c1=$(new_dossier "$DA" "2024-04-01 09:00:00")
	m "$DA" sync export --out "$D.b" >/dev/null 2>&1
	clean() { cq "delete from c_file_chunks" >/dev/null; cq "delete from c_files" >/dev/null; }
	imp() { clean; m "$DA" central import "$D.b" --reply "$D.r" --central "$CURL" 2>&1; }

	# one line of 48 MB: refused without reading it whole into memory (resident memory
	# within 16 MB of an import of a small sound files bundle)
	{ head_line; echo "{\"t\":\"file\",\"sha256\":\"$S\",\"size\":$SZ,\"type\":\"application/pdf\"}";
	  echo "{\"t\":\"chunk\",\"n\":0,\"data\":\"$B64\"}"; echo '{"end":true,"files":1}'; } | seal "$D.b.files"
	clean
	/usr/bin/time -f %M -o "$T/rss0" "$MOTCUA" --db "$DA" central import "$D.b" --reply "$D.r" --central "$CURL" >"$T/out" 2>&1
	check_match "a sound files bundle is stored $k" "files: 1 stored" "$(cat "$T/out")"
	rss0=$(tail -n 1 "$T/rss0")
	clean
	python3 - "$D.big" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('{"motcua_files":1,"office":"000.00.17.H45","created":1}\n')
    f.write('{"t":"file","sha256":"%s","size":100,"type":"application/pdf"}\n' % ('a' * 64))
    f.write('{"t":"chunk","n":0,"data":"' + 'A' * (48 << 20) + '"}\n')
    f.write('{"end":true,"files":1}\n')
PY
	seal "$D.b.files" <"$D.big"; rm -f "$D.big"
	/usr/bin/time -f %M -o "$T/rss" "$MOTCUA" --db "$DA" central import "$D.b" --reply "$D.r" --central "$CURL" >"$T/out" 2>&1
	check_match "a 48 MB line is refused $k" "truncated or corrupted|chunk out of place" "$(cat "$T/out")"
	rss=$(tail -n 1 "$T/rss")
	check "... with memory flat: ${rss} KB resident, ${rss0} KB for a small one $k" test "$rss" -lt $((rss0 + 16384))

	# a name that is no SHA-256 (64 characters, path-like): no row of it at central
	bad='../../../../../../../../../../../../../../../../../../../tmp/xyz'
	check_eq "(the name is 64 characters long) $k" 64 "${#bad}"
	{ head_line; echo "{\"t\":\"file\",\"sha256\":\"$bad\",\"size\":$SZ,\"type\":\"application/pdf\"}";
	  echo "{\"t\":\"chunk\",\"n\":0,\"data\":\"$B64\"}"; echo '{"end":true,"files":1}'; } | seal "$D.b.files"
	out=$(imp)
	check_match "a path-like name is refused $k" "a line this motcua does not know" "$out"
	check_eq "... and central has no row of it $k" 0 "$(cq "select count(*) from c_files where sha256 like '%/%'")"

	# a negative size: refused, no row
	{ head_line; echo "{\"t\":\"file\",\"sha256\":\"$S\",\"size\":-5,\"type\":\"application/pdf\"}";
	  echo "{\"t\":\"chunk\",\"n\":0,\"data\":\"$B64\"}"; echo '{"end":true,"files":1}'; } | seal "$D.b.files"
	out=$(imp)
	check_match "a negative size is refused $k" "a line this motcua does not know" "$out"
	check_eq "... and central has no row of it $k" 0 "$(cq "select count(*) from c_files where sha256 = '$S'")"

	# a negative chunk index
	{ head_line; echo "{\"t\":\"file\",\"sha256\":\"$S\",\"size\":$SZ,\"type\":\"application/pdf\"}";
	  echo "{\"t\":\"chunk\",\"n\":-1,\"data\":\"$B64\"}"; echo '{"end":true,"files":1}'; } | seal "$D.b.files"
	check_match "a negative chunk index is refused $k" "chunk out of place" "$(imp)"
	check_eq "... and nothing of it is complete at central $k" 0 "$(cq "select count(*) from c_files where complete = 1")"

	# a chunk index whose byte offset (n * 256 KB) overflows 64 bits
	{ head_line; echo "{\"t\":\"file\",\"sha256\":\"$S\",\"size\":$SZ,\"type\":\"application/pdf\"}";
	  echo "{\"t\":\"chunk\",\"n\":70368744177664,\"data\":\"$B64\"}"; echo '{"end":true,"files":1}'; } | seal "$D.b.files"
	check_match "a chunk index past the file's end (offset overflowing) is refused $k" "chunk out of place" "$(imp)"
	check_eq "... and nothing of it is complete at central $k" 0 "$(cq "select count(*) from c_files where complete = 1")"
	check_eq "... no chunk of it stays at central $k" 0 "$(cq "select count(*) from c_file_chunks where n > 1000")"

	# the right bytes under a wrong (larger) size: central keeps the true size
	{ head_line; echo "{\"t\":\"file\",\"sha256\":\"$S\",\"size\":200000,\"type\":\"application/pdf\"}";
	  echo "{\"t\":\"chunk\",\"n\":0,\"data\":\"$B64\"}"; echo '{"end":true,"files":1}'; } | seal "$D.b.files"
	imp >/dev/null
	check_eq "a file whose bytes hash to its name is kept with their true size $k" "$SZ" \
		"$(cq "select size from c_files where sha256 = '$S' and complete = 1")"
	check_eq "central's store is intact $k" ok "$( [ "$BK" = sqlite ] && sqlite3 "$CDB" 'pragma integrity_check' || echo ok)"
	: "$c1"
}

both_backends scenario
echo "1..$n"
