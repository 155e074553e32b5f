#!/bin/sh
# fees_counter.sh - the fee screen at the receiving desk of the 2025 model, at 80x24 in
# Vietnamese: in the demo province, a dossier received at one office and held by the
# competent agency's office still owes its fees; the receiving office's clerk opens it,
# records the payment from its detail, and the core writes it on the dossier's receipt
# chain (fees_counter.h) under the receiving office's series: the detail then shows it
# paid at the desk, nothing owed.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2025-09-15 10:00:00"
at "$NOW" mc demo --dossiers 0 --province >/dev/null 2>&1
q() { sqlite3 "$DB" "$1"; }
row=$(q "select d.code || ' ' || r.agency_code || ' ' || (select account from users u where u.office_id = d.recv_office_id and u.roles & 1 order by account limit 1)
	from dossiers d join dossier_fees f on f.dossier_id = d.id join offices r on r.id = d.recv_office_id
	where d.office_id <> d.recv_office_id and f.paid < f.total and d.stage < 90 and d.code not like '%-F1'
	and not exists (select 1 from dossiers c where c.code = d.code || '-F1') order by d.code limit 1")
set -- $row
code=$1; desk=$2; clerk=$3
check "a dossier held elsewhere owes its fees, with a clerk at its receiving desk" test -n "$clerk"
owed=$(q "select f.total from dossier_fees f join dossiers d on d.id = f.dossier_id where d.code = '$code'")
uat() { start "env HOME=$T TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as $1"; }
uat "$clerk"
expect "home" "Hàng đợi công việc"
keys /; text "$code"; keys Enter Enter
expect "the desk opens the dossier" "$code"
expect "its detail: the fees owed" "Phí, lệ phí $owed đồng: đã nộp 0, đã hoàn trả 0, còn nợ $owed"
keys r
expect "the payment form" "Ghi nhận thu phí, lệ phí"
expect "what is owed" "Còn nợ: $owed đồng"
keys C-o
expect "paid at the desk, under its own series" "Đã thu $owed đồng, biên lai $desk-BL2025-"
check_eq "on the receipt chain, filed for the desk" "$desk fee_paid $owed" \
	"$(q "select o.agency_code || ' ' || e.kind || ' ' || json_extract(e.payload, '\$.amount') from events e join dossiers c on c.code = e.dossier_code join offices o on o.id = c.office_id where e.dossier_code = '$code-F1' and e.kind = 'fee_paid'")"
check_eq "nothing written on the dossier itself" 0 "$(q "select count(*) from events where dossier_code = '$code' and kind = 'fee_paid'")"
keys /; text "$code"; keys Enter Enter
expect "the detail shows it paid" "đã nộp $owed, đã hoàn trả 0, còn nợ 0"
expect "... at the desk, with its receipt" "đã nộp $owed tại nơi nhận  $desk-BL2025-"
keys q
