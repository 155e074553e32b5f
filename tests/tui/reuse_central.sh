#!/bin/sh
# reuse_central.sh - the receive form at 80x24 offers papers digitised at another
# office that this store never had, found at central by the applicant's ID number:
# the checkbox names the other office and central; ticked, the file's bytes come
# from central and the receipt records the reuse naming the other office's event.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
A=000.00.17.H45; B=000.00.31.H45
DA=$T/a.db; DB_=$T/b.db; CURL=sqlite:$T/central.db
m() { _db=$1; shift; "$MOTCUA" --db "$_db" "$@"; }
mt() { _t=$1; _db=$2; shift 2; TZ=UTC-7 faketime -f "@$_t" "$MOTCUA" --db "$_db" "$@"; }
m "$DA" central init --central "$CURL" >/dev/null 2>&1
mt "2024-03-11 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
m "$DA" central publish --central "$CURL" >/dev/null 2>&1
m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
mt "2024-03-11 08:05:00" "$DB_" sync --central "$CURL" >/dev/null 2>&1
printf '%%PDF-1.4\n7 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/gcn.pdf"
d1=$(mt "2024-03-11 09:00:00" "$DA" --as clerk1 receive --procedure 1.003035 --name "Lê Văn Tâm" --id 031099000111 --components all |
	grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
mt "2024-03-11 09:05:00" "$DA" --as clerk1 attach "$d1" --component 2 "$T/gcn.pdf" >/dev/null
mt "2024-03-11 10:00:00" "$DA" sync --central "$CURL" >/dev/null 2>&1
mt "2024-03-11 10:30:00" "$DB_" sync >/dev/null 2>&1
check_eq "the district never had the province's dossier" 0 "$(sqlite3 "$DB_" "select count(*) from events where dossier_code = '$d1'")"

NOW="2024-03-12 09:00:00"
start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB_ --as d_clerk1"
expect "home" "Hàng đợi công việc"
keys n; text "2.005884"; keys Enter
expect "the form" "Họ tên"
text "Lê Văn Tâm"; keys Tab
text "031099000111"; keys Tab
expect "leaving the ID number offers central's scan" "Bản quét trước đây của người nộp khớp 1 thành phần"
# channel, components 1-5, outcome: tick 1, 2, 4 and 5; 3 (the business registration,
# component 2 of the province's procedure) is reused from the province
keys Tab Tab Tab Space Tab Space Tab Tab Space Tab Space Tab Tab
expect "the offer names the province's office and central" "\[ \] +Dùng lại cho 3: gcn\.pdf \(trung tâm, $A\)"
keys Space
expect "ticked" "\[x\] +Dùng lại cho 3"
keys C-o
expect "received: the slip" "GIẤY TIẾP NHẬN HỒ SƠ"
c2=$(sqlite3 "$DB_" "select code from dossiers where code <> '$d1' order by code desc limit 1")
ev=$(sqlite3 "$T/central.db" "select id from c_events where dossier_code = '$d1' and kind = 'attached'")
check_match "the reuse names the province's event and logs the lookup" "\"event\":\"$ev\",\"office\":\"$A\"" \
	"$(sqlite3 "$DB_" "select payload from events where dossier_code = '$c2' and kind = 'attached'")"
check_eq "the bytes came from central" 1 "$(sqlite3 "$DB_" "select count(*) from files where sha256 = '$(sha256sum "$T/gcn.pdf" | cut -c1-64)'")"
keys Enter
expect "back home" "Hàng đợi công việc"
keys q
echo "1..$n"
