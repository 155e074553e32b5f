#!/bin/sh
# fees_concurrent.sh - two clerks paying at once: sixteen payments started together on
# eight dossiers (two each, each asking more than half of what is owed) record one
# payment per dossier and refuse the other; the receipts are numbered 1 to 8 with
# no gap and no number twice; every payment is one event and its projection.
. "$ROOT/tests/lib.sh"

at "2024-03-11 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
mc fee set 1.001037 --line "le_phi:50000:Lệ phí" >/dev/null
for i in 1 2 3 4 5 6 7 8; do
	at "2024-03-11 09:00:00" mc --as clerk1 receive --procedure 1.001037 --name "Nguyễn Văn $i" --id 02212345678$i --components all >/dev/null 2>&1
done
q() { sqlite3 "$DB" "$1"; }
for c in $(q "select code from dossiers"); do
	for who in clerk1 clerk2; do
		(at "2024-03-11 10:00:00" mc --as $who fee pay "$c" --amount 30000 >"$T/o.$c.$who" 2>&1; echo "rc=$?" >>"$T/o.$c.$who") &
	done
done
wait
check_eq "eight payments taken, eight refused" "8 8" "$(cat "$T"/o.* | grep -c '^rc=0$') $(cat "$T"/o.* | grep -c "^rc=[1-9]")"
check_eq "one fee_paid event per dossier" "8|8" "$(q "select count(*) || '|' || count(distinct dossier_code) from events where kind = 'fee_paid'")"
check_eq "receipts 1 to 8, no gap, none twice" "8|1|8" \
	"$(q "select count(distinct json_extract(payload, '$.receipt')) || '|' || min(cast(substr(json_extract(payload, '$.receipt'), -6) as integer)) || '|' || max(cast(substr(json_extract(payload, '$.receipt'), -6) as integer)) from events where kind = 'fee_paid'")"
check_eq "every dossier: 30000 paid, 20000 still owed, status 6" "8" "$(q "select count(*) from dossier_fees f join dossiers d on d.id = f.dossier_id where f.paid = 30000 and d.status = 6")"
check "the projection matches the events" mc audit verify
