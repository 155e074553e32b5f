#!/bin/sh
# calendar.sh - the calendar in the terminal: from 1 October the status line of a
# supervisor or an administrator (not a clerk's) and the dashboard warn while next
# year's calendar is provisional, and stop once it is imported; the receive form's
# appointment preview follows a same-day procedure's cut-off (the core's rule).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
at "2026-10-05 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
cat >"$T/cat.csv" <<'CSV'
code,name,level,field_code,field_name,time_unit,statutory_direct,committed_direct,statutory_online,committed_online,components,cutoff
9.000009,Chứng thực chữ ký trong ngày,1,THU,Thử,day,1,1,1,1,Giấy tờ,15:00
CSV
check "a same-day procedure with a 15:00 cut-off" mc catalog import "$T/cat.csv"
statusline() { screen | sed -n 23p; }
uat() { start "env TZ=UTC-7 faketime -f '@$1' $MOTCUA --db $DB --as $2"; }

uat "2026-10-05 09:00:00" super1
expect "the supervisor's UI starts" "super1"
expect "the status line warns: next year's calendar is provisional" "lịch 2027 tạm tính"
keys d
expect "the dashboard warns too" "Lịch năm 2027 vẫn tạm tính"
uat "2026-09-30 09:00:00" super1
expect "the UI starts on 30 September" "super1"
sleep 0.3
check_nomatch "no warning before 1 October" "tạm tính" "$(statusline)"
uat "2026-10-05 09:00:00" clerk1
expect "the clerk's UI starts" "Một cửa: tiếp nhận"
sleep 0.3
check_nomatch "no warning on a clerk's status line" "tạm tính" "$(statusline)"

# the receive form's preview: before and after the cut-off
uat "2026-10-05 14:30:00" clerk1
expect "the clerk's UI starts at 14:30" "Một cửa: tiếp nhận"
keys n
text "chung thuc chu ky trong ngay"
expect "the same-day procedure is found" "9\.000009"
keys Enter
expect "received before 15:00: due at the end of the day" "Hẹn trả +2026-10-05 17:00"
uat "2026-10-05 15:10:00" clerk1
expect "the clerk's UI starts at 15:10" "Một cửa: tiếp nhận"
keys n
text "chung thuc chu ky trong ngay"
expect "the same-day procedure is found again" "9\.000009"
keys Enter
expect "received after 15:00: due at the end of the next working day" "Hẹn trả +2026-10-06 17:00"

# once 2027 is announced, no more warning
tail -n +2 "$ROOT/db/calendar/vn-official-holidays.csv" | grep "^2026-" | sed 's/^2026-/2027-/' | awk -F, '$2 == "off"' >"$T/body"
{ echo "date,kind,reason,instrument,source"; cat "$T/body"; } >"$T/2027.csv"
check "2027 imported" at "2026-10-05 09:00:00" mc holidays import "$T/2027.csv"
uat "2026-10-05 09:30:00" super1
expect "the supervisor's UI starts again" "super1"
sleep 0.3
check_nomatch "no warning once the schedule is announced" "tạm tính" "$(statusline)"
