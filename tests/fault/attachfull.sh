#!/bin/sh
# attachfull.sh - the disk fills up while a scan is being attached: exit 12 with a clear
# message, neither the event nor any part of the file stored, nothing corrupted, and
# the same scan attaches once space returns.
. "$ROOT/tests/lib.sh"
MNT=$T/mnt
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=12M tmpfs "$MNT" 2>/dev/null; then
	echo "ok 1 # skip cannot mount a small tmpfs here (needs root)"
	exit 0
fi
trap 'umount "$MNT" 2>/dev/null; rm -rf "$T"' EXIT
DB=$MNT/store.db
mc demo --dossiers 0 >/dev/null
code=$(mc --as clerk1 receive --procedure 1.001074 --business --id 5701234567 --components all --name "Cty A" |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
{ printf '%%PDF-1.5\n'; head -c 6291456 /dev/urandom; } >"$T/scan.pdf"
# leave about 2 MB free: the 6 MB scan cannot fit
avail=$(df --output=avail -k "$MNT" | tail -1)
dd if=/dev/zero of="$MNT/filler" bs=4k count=$(( (avail - 2048) / 4 )) 2>/dev/null
mc --as clerk1 attach "$code" --component 1 "$T/scan.pdf" >"$T/out" 2>"$T/err"; rc=$?
check_eq "the disk filled up: exit code 12" 12 "$rc"
check_match "a clear message" "disk is full.*nothing was saved" "$(cat "$T/err")"
rm -f "$MNT/filler"
check_eq "integrity after the failure" ok "$(sqlite3 "$DB" 'pragma integrity_check')"
check_eq "no attached event" 0 "$(sqlite3 "$DB" "select count(*) from events where kind = 'attached'")"
check_eq "no part of the file stored" "0 0" "$(sqlite3 "$DB" "select (select count(*) from files), (select count(*) from file_chunks)" | tr '|' ' ')"
check "audit verify is clean" mc audit verify
check "the scan attaches once space returns" mc --as clerk1 attach "$code" --component 1 "$T/scan.pdf"
check "and its hash checks" mc --as clerk1 file check "$code"
echo "1..$n"
