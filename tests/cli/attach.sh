#!/bin/sh
# attach.sh - attachments from the command line: the type is found from the content
# (a .pdf holding PNG bytes is a PNG, a text file is refused), the size limits of the
# settings, who may attach, list, export (byte for byte), hash check, printing through
# lpr, deduplication by SHA-256, a corrupted, missing or orphaned file named by audit
# verify, and kill -9 while attaching: afterwards each attachment is its event with
# its complete file, or neither.
. "$ROOT/tests/lib.sh"
export LANG=C.UTF-8
mc demo --dossiers 30 >/dev/null 2>&1
A() { at "2024-04-01 09:00:00" mc "$@"; }
code=$(A --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty A" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
check_match "a dossier to attach to" '^000' "$code"

# fixtures: a PNG named .pdf, a PDF, a JPEG, a TIFF, a text file, an empty file
python3 - "$T" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
def ch(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + ch(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) + ch(b'IDAT', zlib.compress(b'\0\xff\xff\xff')) + ch(b'IEND', b'')
open(d + '/scan.pdf', 'wb').write(png)
open(d + '/don.pdf', 'wb').write(b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
open(d + '/cmnd.jpg', 'wb').write(b'\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' + b'\0' * 64 + b'\xff\xd9')
open(d + '/page.tif', 'wb').write(b'II*\x00\x08\x00\x00\x00' + b'\0' * 64)
open(d + '/note.pdf', 'wb').write('Đơn đề nghị, không phải bản quét\n'.encode())
open(d + '/empty.pdf', 'wb').write(b'')
# a 3 MB PDF, and a 40 MB one for the kill test
body = bytes(range(256)) * 4096
open(d + '/big.pdf', 'wb').write(b'%PDF-1.5\n' + body * 3)
open(d + '/huge.pdf', 'wb').write(b'%PDF-1.5\n' + body * 40)
PY

out=$(A --as clerk1 attach "$code" --component 1 "$T/scan.pdf" "$T/don.pdf" "$T/cmnd.jpg" "$T/page.tif" 2>&1)
check_eq "four files attached at once" 4 "$(printf '%s\n' "$out" | grep -c '^attached')"
check_match "a .pdf holding PNG bytes is typed PNG" 'attached scan.pdf .*image/png' "$out"
check_match "a PDF is typed PDF" 'attached don.pdf .*application/pdf' "$out"
check_match "a JPEG is typed JPEG" 'attached cmnd.jpg .*image/jpeg' "$out"
check_match "a TIFF is typed TIFF" 'attached page.tif .*image/tiff' "$out"
check_match "its SHA-256 is printed" "$(sha256sum "$T/scan.pdf" | cut -c1-64)" "$out"

out=$(A --as clerk1 attach "$code" --component 1 "$T/note.pdf" 2>&1); rc=$?
check_eq "a text file named .pdf is refused (exit 3)" 3 "$rc"
check_match "the refusal names what the content is" 'note.pdf holds text/plain, not a scan' "$out"
out=$(A --as clerk1 attach "$code" --component 1 "$T/don.pdf" "$T/note.pdf" 2>&1)
check_eq "a bad file among several attaches none of them" 4 "$(mc --as clerk1 files "$code" | grep -c 'clerk1')"
check_fails "an empty file is refused" A --as clerk1 attach "$code" --component 1 "$T/empty.pdf"
check_fails "a missing file is refused" A --as clerk1 attach "$code" --component 1 "$T/nothere.pdf"
out=$(A --as clerk1 attach "$code" --component 9 "$T/don.pdf" 2>&1)
check_match "a component the procedure does not have is refused" 'has components 1 to 3: component 9 does not exist' "$out"
check_fails "--component is required" A --as clerk1 attach "$code" "$T/don.pdf"
out=$(A --as super1 attach "$code" --component 1 "$T/don.pdf" 2>&1); rc=$?
check_eq "a supervisor may not attach (exit 5)" 5 "$rc"

# limits from the settings
check_fails "a clerk may not change the limits" mc --as clerk1 file set attach.max_mb 2
check_fails "a limit must be a number of megabytes" mc --as admin file set attach.max_mb 2x
check_fails "the scanner folder must be an absolute path" mc --as admin file set scan.dir scans
check "an administrator sets the limit per file" mc --as admin file set attach.max_mb 2
out=$(A --as clerk1 attach "$code" --component 2 "$T/big.pdf" 2>&1)
check_match "a file over attach.max_mb is refused with the limit" 'over the limit of 2 MB per file \(setting attach.max_mb\)' "$out"
mc --as admin file set attach.max_mb 64 >/dev/null; mc --as admin file set attach.dossier_max_mb 2 >/dev/null
out=$(A --as clerk1 attach "$code" --component 2 "$T/big.pdf" 2>&1)
check_match "a dossier over attach.dossier_max_mb is refused" 'over the limit of 2 MB \(setting attach.dossier_max_mb\)' "$out"
sqlite3 "$DB" "DELETE FROM settings WHERE key = 'attach.dossier_max_mb'"
check "a 3 MB scan is attached" A --as clerk1 attach "$code" --component 2 "$T/big.pdf"

# the same bytes twice: two events, one stored file
check "the same file attached again (another component)" A --as clerk1 attach "$code" --component 3 "$T/don.pdf"
check_eq "identical bytes are stored once" 5 "$(sqlite3 "$DB" "SELECT count(*) FROM files")"
check_eq "each attachment is an event" 6 "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'attached' AND dossier_code = '$code'")"

out=$(mc --as clerk1 files "$code")
check_match "files lists name, type, size, who and when" '^ 1   1  scan.pdf +image/png +69  clerk1 +2024-04-01 09:00' "$out"
check_match "files lists the second component's scan" ' 5   2  big.pdf +application/pdf +3145737' "$out"
check_match "files --json gives the full hash" "\"sha256\": \"$(sha256sum "$T/big.pdf" | cut -c1-64)\"" "$(mc --json --as clerk1 files "$code")"

mkdir "$T/out"
check "file export writes every attachment" mc --as clerk1 file export "$code" --dir "$T/out"
check "the exported PNG is byte for byte the scan" cmp "$T/scan.pdf" "$T/out/1-scan.pdf"
check "the exported 3 MB PDF is byte for byte the scan" cmp "$T/big.pdf" "$T/out/2-big.pdf"
check_eq "no part file is left" "" "$(ls "$T/out" | grep part)"
check "file export --n exports one" mc --as clerk1 file export "$code" --n 2 --dir "$T"
check "... the second one" cmp "$T/don.pdf" "$T/1-don.pdf"
out=$(mc --as clerk1 file check "$code")
check_eq "file check: every hash is ok" 6 "$(printf '%s\n' "$out" | grep -c '^ok')"

# printing through lpr (a fake one)
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "$@" >"%s/lpr.args"\ncat >"%s/lpr.data"\n' "$T" "$T" >"$T/bin/lpr"
chmod +x "$T/bin/lpr"
PATH=$T/bin:$PATH PRINTER=quay1 mc --as clerk1 file print "$code" --n 1 >/dev/null
check_eq "lpr got -P quay1" "-P quay1" "$(cat "$T/lpr.args" 2>/dev/null)"
check "lpr got the file's bytes" cmp "$T/scan.pdf" "$T/lpr.data"

check "audit verify: every file present and intact" mc audit verify

# a corrupted, a missing and an orphaned file are named
cp "$DB" "$T/bad.db"
sha_png=$(sha256sum "$T/scan.pdf" | cut -c1-64)
sha_jpg=$(sha256sum "$T/cmnd.jpg" | cut -c1-64)
sqlite3 "$T/bad.db" "UPDATE file_chunks SET data = X'00' || substr(data, 2) WHERE file_id = (SELECT id FROM files WHERE sha256 = '$sha_png');
	DELETE FROM file_chunks WHERE file_id = (SELECT id FROM files WHERE sha256 = '$sha_jpg');
	DELETE FROM files WHERE sha256 = '$sha_jpg';
	INSERT INTO files(sha256, size, type) VALUES ('00ff00ff', 1, 'image/png');
	INSERT INTO file_chunks VALUES (last_insert_rowid(), 0, X'00')"
out=$("$MOTCUA" --db "$T/bad.db" audit verify 2>&1); rc=$?
check_eq "audit verify fails on damaged files (exit 3)" 3 "$rc"
check_match "a corrupted file is named with its dossier" "dossier $code: event .*: the stored file ${sha_png%????????????????????????????????????????????????????} is corrupt" "$out"
check_match "a missing file is named with its dossier" "dossier $code: event .*: the attached file cmnd.jpg .* is missing" "$out"
check_match "an orphaned file is named" 'the stored file 00ff00ff .* is attached by no event \(orphaned\)' "$out"
out=$("$MOTCUA" --db "$T/bad.db" --as clerk1 file check "$code" 2>&1); rc=$?
check_match "file check says CORRUPT" '^CORRUPT +the stored file scan.pdf' "$out"
check_match "file check says MISSING" '^MISSING +the file cmnd.jpg' "$out"
check_eq "file check fails (exit 3)" 3 "$rc"
check_fails "export refuses a corrupted file" "$MOTCUA" --db "$T/bad.db" --as clerk1 file export "$code" --n 1 --dir "$T"

# a finished dossier takes no more files
c2=$(A --as clerk1 receive --procedure 1.001074 --business --id 5701234568 --components all --name "Cty B" --outcome refuse --reason "sai thẩm quyền" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
out=$(A --as clerk1 attach "$c2" --component 1 "$T/don.pdf" 2>&1); rc=$?
check_eq "a finished dossier takes no more files (exit 6)" 6 "$rc"

# kill -9 while attaching a 40 MB scan: the event and its complete file, or neither
c3=$(A --as clerk1 receive --procedure 1.001074 --business --id 5701234569 --components all --name "Cty C" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
# one whole attachment first, to kill the others at fractions of its time
t0=$(date +%s%N)
"$MOTCUA" --db "$DB" --as clerk1 attach "$c3" --component 1 "$T/huge.pdf" >/dev/null 2>&1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
i=0
for f in 5 20 40 60 80 95 110 150; do
	d=$(awk "BEGIN { printf \"%.3f\", $ms * $f / 100000 }")
	i=$((i + 1))
	cp "$T/huge.pdf" "$T/huge$i.pdf"; printf '%08d' "$i" >>"$T/huge$i.pdf"   # other bytes each time
	"$MOTCUA" --db "$DB" --as clerk1 attach "$c3" --component 1 "$T/huge$i.pdf" >/dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
ev=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'attached' AND dossier_code = '$c3'")
stored=$(sqlite3 "$DB" "SELECT count(*) FROM files f WHERE size > 40000000")
check_eq "after kill -9: as many stored 40 MB files as attached events ($ev)" "$ev" "$stored"
check "after kill -9: audit verify finds every file complete, nothing orphaned" mc audit verify
check "after kill -9: file check of the killed dossier" mc --as clerk1 file check "$c3"
check_eq "after kill -9: no chunk without its file" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM file_chunks WHERE file_id NOT IN (SELECT id FROM files)")"
check_match "the store is intact" '^ok' "$(mc check 2>&1)"
echo "# $((ev - 1)) of 8 killed attachments had committed (a whole one took $ms ms)"
check_match "some killed attachments committed, some did not (the kill fell inside)" '^[2-8]$' "$ev"
echo "1..$n"
