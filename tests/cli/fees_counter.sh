#!/bin/sh
# fees_counter.sh - `motcua fee` at the receiving desk of the 2025 model, at Vietnam
# time: a branch's store (synced from a SQLite central) receives a department's
# procedure, which goes at once to the department; `fee pay` there just works (on the
# dossier's receipt chain, no "belongs to another office"), all the lines owed or those
# named with --line, each once; --amount must be what whole lines come to; --json says
# it was taken at the desk; `fee show` counts it, the receipt prints through lpr under
# the branch's name with the lines paid; `fee report --office` counts it at the branch;
# the chain is no dossier of search; a refund by the branch's leader; bad --line values
# are usage errors; an office that neither received nor holds the dossier still may not.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

BR=000.01.99.H45
CTR=000.00.99.H45
DA=$T/a.db; DS=$T/br.db
use_central sqlite feescli
m "$DA" central init --central "$CURL" >/dev/null 2>&1
mt "2025-07-01 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
m "$DA" office set $A --kind department >/dev/null 2>&1
m "$DA" office set $CTR --kind centre --name "Trung tâm Phục vụ hành chính công tỉnh" --level 1 >/dev/null 2>&1
m "$DA" office set $BR --kind branch --parent $CTR --name "Chi nhánh Cẩm Phả" --level 1 >/dev/null 2>&1
m "$DA" office resolves $A $P1 >/dev/null 2>&1
check "two fee lines for the department's procedure" m "$DA" fee set $P1 --line "le_phi:50000:Lệ phí cấp phép" --line "phi:20000:Phí thẩm định"
m "$DA" user add br_clerk --name "Lê Văn Thu" --roles clerk --office $BR >/dev/null 2>&1
m "$DA" user add br_lead --name "Giám đốc chi nhánh" --roles leader --office $BR >/dev/null 2>&1
m "$DA" central publish --central "$CURL" >/dev/null 2>&1
m "$DS" init --office $BR --name "Chi nhánh Cẩm Phả" >/dev/null 2>&1
check "the branch's store syncs" mt "2025-07-01 08:05:00" "$DS" sync --central "$CURL"
b() { _t=$1; shift; mt "$_t" "$DS" "$@"; }

d1=$(b "2025-07-10 09:00:00" --as br_clerk receive --procedure $P1 --name "Nguyễn Văn Nộp" --id 022123456781 --components all 2>&1 | sed -n 's/^received \([^:]*\):.*/\1/p')
check_match "the branch receives the department's procedure" "^$BR-250710-0001$" "$d1"
d2=$(b "2025-07-10 09:01:00" --as br_clerk receive --procedure $P1 --name "Trần Thị Hai" --id 022123456782 --components all 2>&1 | sed -n 's/^received \([^:]*\):.*/\1/p')
check_eq "the department holds it" "$A" "$(sqlite3 "$DS" "select o.agency_code from dossiers d join offices o on o.id = d.office_id where d.code = '$d1'")"
check_match "... owing 70000" "owed 70000; status 6" "$(m "$DS" --as br_clerk fee show "$d1" 2>&1)"

check_match "the desk's cashier list has the dossiers it received that owe fees" "$d1  owes 70000 of 70000 dong" "$(m "$DS" --as br_clerk fee due 2>&1)"
check_fails "--line 0 is a usage error" b "2025-07-10 09:05:00" --as br_clerk fee pay "$d1" --line 0
check_match "... saying what --line takes" "the number of a fee line, from 1 to 8" "$(b "2025-07-10 09:05:00" --as br_clerk fee pay "$d1" --line x 2>&1)"
check_fails "a line the dossier does not have is refused" b "2025-07-10 09:05:00" --as br_clerk fee pay "$d1" --line 3
check_match "--amount must be what whole lines come to" "come to 70000 dong, not 1000" \
	"$(b "2025-07-10 09:05:00" --as br_clerk fee pay "$d1" --amount 1000 2>&1)"
out=$(b "2025-07-10 09:06:00" --as br_clerk fee pay "$d1" 2>&1)
check_match "fee pay at the desk just works: every line owed" "70000 dong paid by cash, receipt $BR-BL2025-000001" "$out"
check_nomatch "... not 'belongs to another office'" "another office" "$out"
check_match "... and says where it went" "paid at the receiving desk of office $BR" "$out"
check_match "a second payment is refused" "already paid" "$(b "2025-07-10 09:07:00" --as br_clerk fee pay "$d1" --line 1 2>&1)"
check_fails "... exit non-zero" b "2025-07-10 09:07:00" --as br_clerk fee pay "$d1"
js=$(b "2025-07-10 09:08:00" --json --as br_clerk fee pay "$d2" --line 2 --method transfer --ref "VCB-2" 2>&1)
check_eq "--json: one line paid at the desk" "20000 true $BR $BR-BL2025-000002" \
	"$(printf '%s' "$js" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["amount"], str(j["counter"]).lower(), j["office"], j["receipt"])')"
check_nomatch "a paid one leaves the desk's list" "$d1" "$(m "$DS" --as br_clerk fee due 2>&1)"
check_match "the other line stays owed" "paid 20000, refunded 0, owed 50000; status 6" "$(m "$DS" --as br_clerk fee show "$d2" 2>&1)"
check_match "fee show lists the desk's payment" "paid 20000 dong by bank transfer at the receiving desk of office $BR, receipt $BR-BL2025-000002 VCB-2" \
	"$(m "$DS" --as br_clerk fee show "$d2" 2>&1)"
check_eq "fee show --json: counted once" "20000 50000 1" \
	"$(m "$DS" --json --as br_clerk fee show "$d2" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["paid"], j["owed"], len(j["entries"]))')"

mkdir -p "$T/bin"
cat >"$T/bin/lpr" <<EOS
#!/bin/sh
cat >"$T/lpr.data"
EOS
chmod +x "$T/bin/lpr"
check "the desk's receipt prints" env PRINTER=quay1 PATH="$T/bin:$PATH" LANGUAGE=en TZ=UTC-7 "$MOTCUA" --db "$DS" --as br_clerk fee receipt "$d2" --receipt $BR-BL2025-000002 --print
check_match "... under the branch's name" "Chi nhánh Cẩm Phả" "$(cat "$T/lpr.data")"
check_match "... with the line it paid" "Phí thẩm định \\(phí\\) +20.000 đ" "$(cat "$T/lpr.data")"
check_nomatch "... not the one it did not" "Lệ phí cấp phép" "$(cat "$T/lpr.data")"

check_match "the branch's report counts its money once" "^Total +70000 +20000 +0 +90000 +0 +90000" \
	"$(m "$DS" --as br_lead fee report --period 2025-07 --office $BR | grep '^Total')"
check_match "none of it is the department's" "^Total +0 +0 +0 +0 +0 +0" "$(m "$DS" --as br_lead fee report --period 2025-07 --office $A | grep '^Total')"
check_fails "an unknown office is refused" m "$DS" --as br_lead fee report --period 2025-07 --office 000.99.99.H45
check_nomatch "search does not list a receipt chain" "F1" "$(m "$DS" --as br_clerk search "Nộp" 2>&1)"
check_match "the branch's leader refunds at the desk" "5000 dong refunded of $BR-BL2025-000001, receipt $BR-BL2025-000003" \
	"$(b "2025-07-10 10:00:00" --as br_lead fee refund "$d1" --receipt $BR-BL2025-000001 --amount 5000 --reason "Thu thừa" 2>&1)"
check_match "fee show counts the refund" "paid 70000, refunded 5000, owed 0" "$(m "$DS" --as br_clerk fee show "$d1" 2>&1)"
check "the branch's store verifies" m "$DS" audit verify
# the department's own clerk, in the department's store, before it has synced: not its dossier
check_match "an office that neither received nor holds it may not" "no dossier|another office" \
	"$(mt "2025-07-10 10:05:00" "$DA" --as clerk1 fee pay "$d1" 2>&1)"
