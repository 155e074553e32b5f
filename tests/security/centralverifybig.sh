#!/bin/sh
# centralverifybig.sh - `motcua central verify` holds at most a chunk of the log at a
# time, in events and in bytes: a central may hold events whose payloads are
# megabytes each (written before c_ingest() refused payloads over 1 MiB, or by
# central's owner's own hand, as here), and a run still
# checks them and the forged event after them in bounded memory (16 MB of payloads
# a chunk, at least one event), instead of loading 8,192 of them at once.  Forty
# events of 3 MB each at central: the run stays well under their 120 MB, and names
# the forged event that follows them.  SQLite (the chunking is the backends' same
# code; centralverify.sh runs its PostgreSQL queries).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

# maxrss CMD...: runs CMD, prints its peak resident memory in KB (its exit code in $T/.rc)
maxrss() {
	python3 - "$@" <<'PY'
import os, resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
open(os.environ["T"] + "/.rc", "w").write(str(r.returncode))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
export T

use_central sqlite cvbig
DA=$T/a.db
m "$DA" demo --dossiers 5 >/dev/null
m "$DA" central init --central "$CURL" >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null
m "$DA" sync --central "$CURL" >/dev/null 2>&1
check_eq "a clean central passes" 0 "$(m "$DA" central verify --central "$CURL" >/dev/null 2>&1; echo $?)"
# forty well-formed events of 3 MB each in A's name, then an unsigned one after them
cq "with recursive i(x) as (select 1 union all select x + 1 from i where x < 40)
	insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
	select 'BIG' || x, (select value from c_meta where key = 'log_pos') + x, '$A', '$A-BIG-' || x, 1, 'received', 'root', 'clerk1',
		0, '$A', '{\"x\":\"' || replace(hex(zeroblob(1500000)), '0', 'a') || '\"}', NULL, zeroblob(32), NULL from i;
	update c_meta set value = value + 40 where key = 'log_pos';"
at=$(date +%s)
pl="{\"office\":\"$A\"}"
fh=$(python3 - "$A" "$at" "$pl" <<'PY'
import hashlib, sys
o, at, pl = sys.argv[1:]
c = "motcua-event-v1\nAFTERBIG1\n%s-BIG-X\n1\nreceived\nroot\nclerk1\n%s\n%s\n%s" % (o, at, o, pl)
print(hashlib.sha256(bytes(32) + c.encode()).hexdigest())
PY
)
cq "insert into c_events (id, pos, office, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
	values ('AFTERBIG1', (select value from c_meta where key = 'log_pos') + 1, '$A', '$A-BIG-X', 1, 'received', 'root', 'clerk1',
		$at, '$A', '$pl', NULL, x'$fh', NULL);
	update c_meta set value = value + 1 where key = 'log_pos';"
check "central holds 120 MB of payloads" test "$(cq "select sum(length(payload)) from c_events")" -gt 120000000
kb=$(maxrss "$MOTCUA" --db "$DA" central verify --central "$CURL")
check_eq "central verify finds what is wrong (exit non-zero)" 3 "$(cat "$T/.rc")"
check "... holding at most a chunk of bytes at a time: under 90 MB (${kb} KB)" test "$kb" -lt 92160
out=$(m "$DA" central verify --since 0 --central "$CURL" 2>&1)
check_match "... the forty large ones checked (their hashes do not match)" "event BIG40 of office $A on dossier $A-BIG-40 has a hash" "$out"
check_match "... and the unsigned event after them named" "event AFTERBIG1 of office $A on dossier $A-BIG-X is not signed" "$out"
check_match "... every event checked" "checked $(cq "select count(*) from c_events") events" "$out"
check_eq "... the mark at the head" "$(chead)" "$(cq "select value from c_meta where key = 'verify_pos'")"
