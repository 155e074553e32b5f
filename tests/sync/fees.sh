#!/bin/sh
# fees.sh - fee events between offices (SQLite central): a part payment recorded at
# the province reaches central unchanged and replays at the district when central
# re-routes the dossier there (what is paid and owed, status 6); the district takes
# the rest under its own receipt series, and the province (which the dossier left)
# no longer lists it nor takes money on it; both projections pass the audit, no event
# is quarantined.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

fees_of() { sqlite3 "$1" "select f.total || ' ' || f.paid || ' ' || d.status from dossiers d join dossier_fees f on f.dossier_id = d.id where d.code = '$2'"; }

use_central sqlite fees
DA=$T/a.db; DB_=$T/b.db
m "$DA" central init --central "$CURL" >/dev/null 2>&1
mt "2024-03-11 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
m "$DA" fee set $P1 --line "le_phi:50000:Lệ phí" --line "phi:20000:Phí thẩm định" >/dev/null
m "$DA" central publish --central "$CURL" >/dev/null 2>&1
m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
mt "2024-03-11 08:05:00" "$DB_" sync --central "$CURL" >/dev/null 2>&1

mt "2024-03-11 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Nguyễn Văn Phí" --id 022123456781 --components all >/dev/null 2>&1
d1=$A-240311-0001
check_match "the province takes a part payment" "receipt $A-BL2024-000001" "$(mt "2024-03-11 09:10:00" "$DA" --as clerk1 fee pay $d1 --amount 30000)"
check "the province syncs" mt "2024-03-11 09:30:00" "$DA" sync --central "$CURL"
check_eq "central has the fee_paid event with its payload" "30000|cash|$A-BL2024-000001" \
	"$(cq "select json_extract(payload, '$.amount') || '|' || json_extract(payload, '$.method') || '|' || json_extract(payload, '$.receipt') from c_events where dossier_code = '$d1' and kind = 'fee_paid'")"

check_match "central re-routes the dossier to the district" "re-routed to office $B" \
	"$(mt "2024-03-11 10:00:00" "$DA" central reroute $d1 --to $B --reason "Không thuộc thẩm quyền của tỉnh" --central "$CURL" 2>&1)"
check "the district syncs" mt "2024-03-11 10:30:00" "$DB_" sync
check_eq "the district replayed the payment: 70000 owed, 30000 paid, status 6" "70000 30000 6" "$(fees_of "$DB_" $d1)"
check_match "... and shows it" "owed 40000; status 6" "$(m "$DB_" --as d_clerk1 fee show $d1)"
check_match "the district takes the rest under its own series" "40000 dong paid by cash, receipt $B-BL2024-000001" \
	"$(mt "2024-03-11 11:00:00" "$DB_" --as d_clerk1 fee pay $d1)"
check_eq "paid at the district: status 2" "70000 70000 2" "$(fees_of "$DB_" $d1)"
check "the district syncs its payment" mt "2024-03-11 11:30:00" "$DB_" sync
check "the province syncs" mt "2024-03-11 12:00:00" "$DA" sync
check_nomatch "the dossier has left the province's cashier list" "$d1" "$(m "$DA" --as clerk1 fee due)"
check_match "... and the province may no longer take money on it" "belongs to another office" \
	"$(mt "2024-03-11 12:05:00" "$DA" --as clerk1 fee pay $d1 --amount 1000 2>&1)"
check_eq "both payments at central, once each" "2" "$(cq "select count(*) from c_events where dossier_code = '$d1' and kind = 'fee_paid'")"
check "the province's audit holds (projection with fees)" m "$DA" audit verify
check "the district's audit holds" m "$DB_" audit verify
check_eq "no quarantine anywhere" "0 0 0" "$(sqlite3 "$DA" 'select count(*) from quarantine') $(sqlite3 "$DB_" 'select count(*) from quarantine') $(cq 'select count(*) from c_quarantine')"
