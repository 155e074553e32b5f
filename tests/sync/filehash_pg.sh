#!/bin/sh
# filehash_pg.sh - a PostgreSQL central checks a file's hash without building the whole
# file in one server buffer: sha256(string_agg(...)) cannot pass 1 GB (a bytea's limit),
# so a file of 1 GB or more (attach.max_mb allows up to 10000) could never be found
# whole and made every sync of its office fail.  A 1 GB + 256 KB file put straight into
# central's tables is checked by `motcua central files` (streamed and hashed in the
# client), found sound, and found corrupt once one of its chunks is changed.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
export LANG=C.UTF-8

pg_start_or_skip
use_central pg fhash
mt "2024-03-11 08:00:00" "$DB" demo --dossiers 0 >/dev/null 2>&1
m "$DB" central init --central "$CURL" >/dev/null
# 4097 chunks of 256 KB of 'a': its SHA-256 computed here chunk by chunk
S=$(python3 -c '
import hashlib
h = hashlib.sha256(); b = b"a" * 262144
for _ in range(4097): h.update(b)
print(h.hexdigest())')
SZ=$((4097 * 262144))
cq "insert into c_files(sha256, size, type, complete) values ('$S', $SZ, 'application/pdf', 1)" >/dev/null
cq "insert into c_file_chunks(sha256, n, data) select '$S', g, convert_to(repeat('a', 262144), 'UTF8') from generate_series(0, 4096) g" >/dev/null
check_eq "central holds a file of 1 GB + 256 KB" "$SZ" "$(cq "select sum(octet_length(data)) from c_file_chunks where sha256 = '$S'")"
/usr/bin/time -f %M -o "$T/rss" "$MOTCUA" --db "$DB" central files --central "$CURL" >"$T/out" 2>&1; rc=$?
check_eq "central files checks it (exit 0)" 0 "$rc"
sed 's/^/#   /' "$T/out" | head -5
check "... the client never holding the file either ($(tail -n 1 "$T/rss") KB resident)" test "$(tail -n 1 "$T/rss")" -lt 524288
check_eq "... and it stays complete" 1 "$(cq "select complete from c_files where sha256 = '$S'")"
cq "update c_file_chunks set data = convert_to(repeat('b', 262144), 'UTF8') where sha256 = '$S' and n = 4000" >/dev/null
out=$(m "$DB" central files --central "$CURL" 2>&1); rc=$?
check_eq "a changed chunk: central files finds it corrupt (exit 3)" 3 "$rc"
check_match "... names it" "${S%????????????????????????????????????????????????????}" "$out"
check_eq "... and drops it, to be sent again" "0 0" "$(cq "select complete || ' ' || (select count(*) from c_file_chunks where sha256 = '$S') from c_files where sha256 = '$S'")"
echo "1..$n"
