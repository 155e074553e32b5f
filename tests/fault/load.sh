#!/bin/sh
# load.sh - the short load test: 30 clerk processes on one store for a few seconds
# (the full minute runs in make bench): no error reaches a user, every confirmed step
# is in the store, the store is intact.
. "$ROOT/tests/lib.sh"
"$ROOT/motcua" --db "$DB" demo --dossiers 300 >/dev/null
mkdir -p "$T/log"
out=$("$ROOT/build/load" "$DB" 30 5 "$T/log" 2>&1)
echo "$out" | sed 's/^/# /'
check_match "30 processes worked" "30 processes, 5 s: [1-9][0-9]* steps" "$out"
check_match "no error reached a user" "BENCH load_30p_errors 0 " "$out"
check_match "every confirmed step is in the store" "BENCH load_30p_lost_confirmed 0 " "$out"
check_match "integrity_check ok" "BENCH load_30p_integrity 0 " "$out"
check_eq "every dossier row matches its events" 0 "$(sqlite3 "$DB" "select count(*) from dossiers d where version != (select count(*) from events e where e.dossier_code = d.code)")"
# the mix is the real one: every kind of step happened, signatures are real and verify
for k in receive search transfer assign propose sign return dashboard; do
	check_match "the mix includes $k" "^$k ok" "$(cut -d' ' -f1,2 "$T"/log/w*.log | sort -u)"
done
signed=$(sqlite3 "$DB" "select dossier_code from events where kind = 'signed' and json_extract(payload, '\$.signature.alg') = 'Ed25519' and os_account like 'load%' order by seq desc limit 1")
check "a leader's digital signature made under load verifies" "$ROOT/motcua" --db "$DB" verify "$signed"
check "the audit chain holds after the load" "$ROOT/motcua" --db "$DB" audit verify
