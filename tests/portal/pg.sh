#!/bin/sh
# pg.sh - the portal link on a PostgreSQL central (the throwaway cluster of the sync
# tests): the outbox's tables and queries work there too; a quarter reaches the mock
# with every step once, through failures and lost answers, and a second push has
# nothing to send.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
. "$ROOT/tests/portal/lib.inc"
trap 'mock_stop; pg_stop; rm -rf "$T"' EXIT
pg_start_or_skip
use_central pg portal
DA=$T/a.db
check "central init on PostgreSQL" m "$DA" central init --central "$CURL"
mt "2024-03-11 08:00:00" "$DA" demo --dossiers 60 >/dev/null
check "publish" m "$DA" central publish --central "$CURL"
check "sync" mt "2024-03-11 09:00:00" "$DA" sync --central "$CURL"
check "the mock portal starts" mock_start
conf_a "$T/a.conf"
mock_ctl '{"fail": 0.1, "lost": 0.1}'
i=0
while [ $i -lt 40 ]; do
	m "$DA" portal push --central "$CURL" --config "$T/a.conf" >/dev/null 2>&1
	[ "$(m "$DA" --json portal status --central "$CURL" | python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["waiting"])')" = 0 ] && break
	sleep 1; i=$((i + 1))
done
mock_ctl '{"reset": true}'
cq "select dossier_code, dseq, at from c_events order by dossier_code, dseq, pos" | tr '|' '\t' >"$T/events.tsv"
check "every dossier once, every step in order (PostgreSQL central)" verify "$T/events.tsv"
out=$(m "$DA" portal push --central "$CURL" --config "$T/a.conf" 2>&1)
check_match "a second push has nothing to send" "portal: 0 dossiers" "$out"
out=$(m "$DA" portal status --central "$CURL" 2>&1)
check_match "status on PostgreSQL" "portal: 60 dossiers known, 60 accepted" "$out"
# fees: an online payment queried (QUERY, signed both ways) on a PostgreSQL central
printf 'pay_url = %s/pay\npay_partner = MOTCUA\npay_secret = pay-secret\n' "$MURL" >>"$T/a.conf"
printf 'unit_name = Sở Công Thương tỉnh Quảng Ninh\n' >>"$T/a.conf"
code=$(sqlite3 "$DA" "select code from dossiers order by code limit 1")
check "INIT on PostgreSQL" m "$DA" portal pay "$code" --amount 25000 --central "$CURL" --config "$T/a.conf"
ref=$(cq "select ref from c_payments where code = '$code'")
mock_ctl "{\"pay_result\": {\"$ref\": \"1\"}}"
check_match "QUERY on PostgreSQL: paid" "payment $ref: thanh-cong" "$(m "$DA" portal pay-query "$ref" --central "$CURL" --config "$T/a.conf")"
check_eq "... with the bank's reference" "thanh-cong|VCB" "$(cq "select state, bank from c_payments where ref = '$ref'")"
