#!/bin/sh
# counterfees.sh - fees paid at the receiving desk (fees_counter.h) and the national
# portal: a dossier the provincial centre received for a commune reaches the portal
# owing its fees (status 6); the applicant then pays at the centre's desk, on the
# dossier's receipt chain, and nothing else happens to the dossier; the next push sends
# its record again, paid (status 2, the fees in DanhSachLePhi), without a progress row
# of the chain and without the chain as a dossier of its own.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"

CTR=000.00.99.H45      # the provincial service centre (the receiving desk)
CM=000.31.29.H45       # the commune centre, competent for PC
PC=2.006365            # a commune procedure
A=000.00.17.H45
DA=$T/a.db; DCT=$T/ctr.db; C=$T/c.db
CURL="sqlite:$C"
m() { _db=$1; shift; LANGUAGE=en "$MOTCUA" --db "$_db" "$@"; }
mt() { _t=$1; _db=$2; shift 2; LANGUAGE=en TZ=UTC-7 faketime -f "@$_t" "$MOTCUA" --db "$_db" "$@"; }
m "$DA" central init --central "$CURL" >/dev/null 2>&1
mt "2025-07-01 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
m "$DA" office set $A --kind department >/dev/null 2>&1
m "$DA" office set $CM --kind commune >/dev/null 2>&1
m "$DA" office set $CTR --kind centre --name "Trung tâm Phục vụ hành chính công tỉnh" --level 1 >/dev/null 2>&1
m "$DA" office resolves $CM $PC >/dev/null 2>&1
check "the commune's procedure has fees paid at receipt" \
	m "$DA" fee set $PC --line "le_phi:30000:Lệ phí chứng thực" --line "phi:20000:Phí sao y" --step receive
m "$DA" user add ctr_clerk --name "Lê Văn Thu" --roles clerk --office $CTR >/dev/null 2>&1
m "$DA" central publish --central "$CURL" >/dev/null 2>&1
m "$DCT" init --office $CTR --name "Trung tâm" >/dev/null 2>&1
check "the centre's store syncs" mt "2025-07-01 08:05:00" "$DCT" sync --central "$CURL"
check "the mock portal starts" mock_start
conf_a "$T/p.conf"
st() { curl -s "$MURL/state" | python3 -c "
import json, sys
s = json.load(sys.stdin); c = sys.argv[1]
h = s['dossiers'].get(c, {}).get('hoso', {})
fees = sum(int(f.get('Gia', 0)) for f in h.get('DanhSachLePhi', []))
print('%s|%d|%d' % (h.get('TrangThaiHoSo', '-'), fees, len(s['progress'].get(c, []))))" "$1"; }

d1=$(mt "2025-07-10 09:00:00" "$DCT" --as ctr_clerk receive --procedure $PC --name "Nguyễn Thị Nộp" --id 022123456781 --components all 2>&1 | sed -n 's/^received \([^:]*\):.*/\1/p')
check_match "the centre receives the commune's procedure" "^$CTR-250710-0001$" "$d1"
mt "2025-07-10 09:01:00" "$DCT" sync >/dev/null 2>&1
check "the portal push" mt "2025-07-10 09:02:00" "$DA" portal push --central "$CURL" --config "$T/p.conf"
before=$(st "$d1")
check_match "the portal has it owing its fees: status 6, nothing paid" "^6\|0\|[0-9]+$" "$before"
check_match "the desk takes the fees" "50000 dong paid by cash" "$(mt "2025-07-10 09:05:00" "$DCT" --as ctr_clerk fee pay "$d1" 2>&1)"
mt "2025-07-10 09:06:00" "$DCT" sync >/dev/null 2>&1
check "the portal push after the payment" mt "2025-07-10 09:07:00" "$DA" portal push --central "$CURL" --config "$T/p.conf"
check_eq "the portal has it paid: status 2, 50000 dong of fees, no progress row of the chain" \
	"2|50000|${before##*|}" "$(st "$d1")"
check_eq "the receipt chain is no dossier at the portal" "-|0|0" "$(st "$d1-F1")"
check_match "... sent once: a third push has nothing to send" "portal: 0 dossiers brought up to date, 0 progress rows" \
	"$(mt "2025-07-10 09:08:00" "$DA" portal push --central "$CURL" --config "$T/p.conf" 2>&1)"
echo "1..$n"
