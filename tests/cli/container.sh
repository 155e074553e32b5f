#!/bin/sh
# container.sh - large attached files (1 MB and more) live in <store>-files, written
# once and synced before the transaction that commits their row and event: a small
# scan stays in file_chunks, a large one is a row with its offset and no chunk; both
# export byte for byte; the container's bytes follow one another (deduplicated by
# SHA-256); a kill -9 while writing leaves bytes past the committed end that the next
# large file cuts off; a damaged or missing container is named by file check and
# audit verify.
. "$ROOT/tests/lib.sh"
export LANG=C.UTF-8
mc demo --dossiers 0 >/dev/null 2>&1
A() { at "2024-04-01 09:00:00" mc "$@"; }
q() { sqlite3 "$DB" "$1"; }
code=$(A --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty A" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/small.pdf"
{ printf '%%PDF-1.5\n'; head -c 2097152 /dev/urandom; } >"$T/a.pdf"
{ printf '%%PDF-1.5\n'; head -c 3145728 /dev/urandom; } >"$T/b.pdf"
{ printf '%%PDF-1.5\n'; head -c 41943040 /dev/urandom; } >"$T/huge.pdf"

check "a small scan" A --as clerk1 attach "$code" --component 1 "$T/small.pdf"
check "a 2 MB scan" A --as clerk1 attach "$code" --component 2 "$T/a.pdf"
check "a 3 MB scan" A --as clerk1 attach "$code" --component 3 "$T/b.pdf"
check "the 2 MB scan again (another component)" A --as clerk1 attach "$code" --component 1 "$T/a.pdf"
sa=$(sha256sum "$T/a.pdf" | cut -c1-64); sb=$(sha256sum "$T/b.pdf" | cut -c1-64)
check_eq "the small scan is chunk rows in the store" "1 1" "$(q "select count(*) || ' ' || sum(off is null) from files f join file_chunks c on c.file_id = f.id where f.size < 100")"
check_eq "the large ones are in the container, one after the other, no chunk rows" "0 2097161 0" \
	"$(q "select group_concat(off, ' ') || ' ' || (select count(*) from file_chunks c join files f on f.id = c.file_id where f.off is not null) from (select off from files where off is not null order by off)")"
check_eq "the container holds their bytes once (2 MB + 3 MB)" $((2097161 + 3145737)) "$(stat -c %s "$DB-files")"
mkdir -p "$T/out"
check "every file exports" mc --as clerk1 file export "$code" --dir "$T/out"
check "the 2 MB scan byte for byte" cmp "$T/a.pdf" "$T/out/2-a.pdf"
check "the 3 MB scan byte for byte" cmp "$T/b.pdf" "$T/out/3-b.pdf"
check "audit verify is clean" mc audit verify

# kill -9 while a 40 MB scan is written: bytes past the committed end, no row, no event
mc --as admin file set attach.max_mb 64 >/dev/null
"$MOTCUA" --db "$DB" --as clerk1 attach "$code" --component 2 "$T/huge.pdf" >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(stat -c %s "$DB-files")" -le $((2097161 + 3145737 + 1048576)) ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
check_eq "killed while writing: no event" 4 "$(q "select count(*) from events where kind = 'attached'")"
check "the container has bytes past the committed end" test "$(stat -c %s "$DB-files")" -gt $((2097161 + 3145737))
check "audit verify is still clean: nothing refers to them" mc audit verify
check_match "... and names them" "note: [0-9]+ bytes at the end of the container of large files belong to no file" "$(mc audit verify)"
{ printf '%%PDF-1.5\n'; head -c 1048576 /dev/urandom; } >"$T/c.pdf"
check "the next large scan" A --as clerk1 attach "$code" --component 3 "$T/c.pdf"
check_eq "... is written at the committed end, over the leftover bytes" $((2097161 + 3145737 + 1048585)) "$(stat -c %s "$DB-files")"
check "... and checks" mc --as clerk1 file check "$code"
check_nomatch "no leftover bytes any more" "note: " "$(mc audit verify)"

# damaged: a flipped byte in the container; missing: the store copied without it
cp "$DB" "$T/copy.db"
printf 'X' | dd of="$DB-files" bs=1 seek=100 conv=notrunc status=none
out=$(mc --as clerk1 file check "$code" 2>&1); rc=$?
check_eq "file check fails on a damaged container (exit 3)" 3 "$rc"
check_match "it names the file" "CORRUPT +the stored file a.pdf" "$out"
out=$(mc audit verify 2>&1)
check_match "audit verify names it with its dossier" "dossier $code: event .*: the stored file ${sa%????????????????????????????????????????????????????} is corrupt" "$out"
out=$("$MOTCUA" --db "$T/copy.db" --as clerk1 file check "$code" 2>&1)
check_match "a store copied without its container: the large files are named" "CORRUPT +the stored file b.pdf|MISSING +.*b.pdf" "$out"
check_match "... the small one still checks" "^ok +small.pdf" "$out"
echo "1..$n"
