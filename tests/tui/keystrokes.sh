#!/bin/sh
# keystrokes.sh - the commonest job in few keys, counted at 80x24: receiving a dossier
# for a returning applicant (the ID number seen before fills name, phone and address
# from their last dossier; the office's most used procedure is first in the picker;
# ^D ticks every required component) takes at most 25 keys, a new applicant's at most
# 40.  Every key sent is counted (a typed character is one key).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
NOW="2024-03-20 10:00:00"
at "$NOW" mc demo --dossiers 0 >/dev/null 2>&1
# the office's history: 1.001074 is its most used procedure; the applicant came before
for i in 1 2 3; do
	at "$NOW" mc --as clerk1 receive --procedure 1.001074 --name "Người Nộp $i" --id 02212345670$i --components all >/dev/null
done
at "$NOW" mc --as clerk1 receive --procedure 1.001037 --name "Khác" --id 022123456709 --components all >/dev/null
at "$NOW" mc --as clerk1 receive --procedure 1.001074 --name "Nguyễn Văn Quen" --id 022123456788 \
	--phone 0912000111 --address "Số 5, phường Bãi Cháy, Hạ Long" --components all >/dev/null
uat() { start "env TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as $1"; }
nk=0
k() { for a in "$@"; do nk=$((nk + 1)); done; keys "$@"; }
t() { nk=$((nk + $(printf '%s' "$1" | wc -m))); text "$1"; }
newest() { sqlite3 "$DB" "SELECT code FROM dossiers ORDER BY id DESC LIMIT 1"; }

# ---- a returning applicant ----
uat clerk1
expect "the clerk's queue" "Một cửa: tiếp nhận"
nk=0
k n
expect "the picker lists the office's most used procedure first" "^▶ 1\\.001074 "
k Enter
expect "the form" "Hẹn trả"
k Tab
t "022123456788"
k Tab
expect "the ID number seen before fills the name" "Họ tên +Nguyễn Văn Quen"
expect "the phone" "Điện thoại +0912000111"
expect "and the address" "Địa chỉ +Số 5, phường Bãi Cháy, Hạ Long"
expect "and says where from" "Đã điền theo hồ sơ gần nhất"
k C-d
expect "^D ticks the required components" "Đã đánh dấu 2 thành phần bắt buộc"
k C-o
expect "received: the slip" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
echo "# returning applicant: $nk keys"
check "a returning applicant's dossier in at most 25 keys ($nk)" test "$nk" -le 25
out=$(mc --json show "$(newest)")
check_match "the store has the name" '"name": "Nguyễn Văn Quen"' "$out"
check_match "the phone" '"phone": "0912000111"' "$out"
check_match "the address" '"address": "Số 5, phường Bãi Cháy, Hạ Long"' "$out"
check_match "the required components (1 and 2)" '"components": 3,' "$out"
check_match "its procedure" '"procedure": "1.001074"' "$out"

# ---- a new applicant ----
k Enter
expect "back home" "Một cửa: tiếp nhận"
nk=0
k n
expect "the picker" "^▶ 1\\.001074 "
k Enter
t "Lê Thị Hoa"
k Tab
t "022123456777"
k C-d C-o
expect "received: the slip" "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
echo "# new applicant: $nk keys"
check "a new applicant's dossier in at most 40 keys ($nk)" test "$nk" -le 40
out=$(mc --json show "$(newest)")
check_match "the store has the new applicant" '"name": "Lê Thị Hoa"' "$out"
check_match "and the ID number" '"id": "022123456777"' "$out"
echo "1..$n"
