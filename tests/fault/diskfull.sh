#!/bin/sh
# diskfull.sh - the disk fills up: a clear message and exit code 12, nothing
# corrupted, nothing half-written, and work resumes when space returns.
. "$ROOT/tests/lib.sh"
MNT=$T/mnt
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=4M tmpfs "$MNT" 2>/dev/null; then
	echo "ok 1 # skip cannot mount a small tmpfs here (needs root)"
	exit 0
fi
trap 'umount "$MNT" 2>/dev/null; rm -rf "$T"' EXIT
DB=$MNT/store.db
mc demo --dossiers 0 >/dev/null
mc --as clerk1 receive --procedure 1.001037 --name "Trước khi đầy" --id 022123456700 >/dev/null
# leave a few pages free, then receive until the disk is full
avail=$(df --output=avail -k "$MNT" | tail -1)
dd if=/dev/zero of="$MNT/filler" bs=4k count=$(( (avail - 160) / 4 )) 2>/dev/null
ok=0; full=""
i=0
while [ $i -lt 400 ]; do
	i=$((i + 1))
	if mc --as clerk1 receive --procedure 1.001037 --name "Khách $i" --id 022123456701 >"$T/out" 2>"$T/err"; then
		ok=$((ok + 1))
	else
		full=$?; break
	fi
done
check_match "some receipts fit before the disk filled ($ok)" '^[1-9]' "$ok"
check_eq "the disk filled up: exit code 12" 12 "$full"
check_match "a clear message" "disk is full.*nothing was saved" "$(cat "$T/err")"
rm -f "$MNT/filler"
check_eq "integrity after the failure" ok "$(sqlite3 "$DB" 'pragma integrity_check')"
check_eq "every confirmed receipt is there, nothing else" $((ok + 1)) "$(sqlite3 "$DB" 'select count(*) from dossiers')"
check_eq "no half-made dossier" 0 "$(sqlite3 "$DB" "select count(*) from dossiers d where version != (select count(*) from events e where e.dossier_code = d.code)")"
check "work resumes when space returns" mc --as clerk1 receive --procedure 1.001037 --name "Sau khi có chỗ" --id 022123456702
