#!/bin/sh
# push.sh - central's link to the national portal against the mock portal: an office's
# demo quarter reaches the portal with every step (profile A), while the mock fails,
# drops or loses 20% of the calls, while `portal run` is killed with -9 at random
# moments, after the portal is down for a while and its sessions expire; afterwards no
# dossier is missing or created twice and every progress row is there, in order.  New
# steps go out as updates (isUpdating "True") with their rows.  The same quarter
# through profile B (REST wrappers, bearer token).  A dossier the portal refuses goes
# to the dead letters with the reason and comes back with `portal resend`.
# PORTAL_DOSSIERS (default 300) and PORTAL_KILLS (default 6) size it; the bench runs
# the full quarter.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/portal/lib.inc"
PLAIN=${PORTAL_MOTCUA:-$ROOT/motcua}
N=${PORTAL_DOSSIERS:-300}
KILLS=${PORTAL_KILLS:-6}
A=$T/a.db; C=$T/c.db
CURL="sqlite:$C"

check "a central with a demo quarter of $N dossiers" central_quarter "$A" "$C" "$N"
check "the mock portal starts" mock_start
conf_a "$T/a.conf"

# the usage and the configuration are checked
check_fails "portal needs --central" "$MOTCUA" --db "$A" portal push --config "$T/a.conf"
check_fails "portal push needs a configuration" "$MOTCUA" --db "$A" portal push --central "$CURL"
printf 'profile = C\n' >"$T/bad.conf"
out=$("$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/bad.conf" 2>&1)
check_match "a wrong profile is named" "profile is A .adapter. or B" "$out"
out=$("$MOTCUA" --db "$A" portal status --central "$CURL" 2>&1)
check_match "status before any push: nothing taken yet, a lag" "taken up to 0; lag [1-9][0-9]* seconds" "$out"

# the chaos: 20% of the calls fail (errors, HTTP 500), drop or lose their answer,
# `portal run` is killed with -9 at random moments
mock_ctl '{"fail": 0.1, "drop": 0.05, "lost": 0.05}'
k=0
while [ $k -lt "$KILLS" ]; do
	"$PLAIN" --db "$A" portal run --central "$CURL" --config "$T/a.conf" --interval 1 --max-wait 2 >>"$T/run.log" 2>&1 &
	pid=$!
	sleep "$(awk -v s="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN { printf "%.2f", 0.2 + (s % 100) / 100 }')"
	kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
	k=$((k + 1))
	[ $k = 2 ] && mock_ctl '{"expire": true}'
done
ok "portal run killed with -9 $KILLS times"
# the portal away for a while: nothing goes, nothing is lost, the service backs off
mock_ctl '{"down": true}'
# the killed services may have sent the whole quarter already (a quiet machine): a new
# step gives the service something to send while the portal is down, on a dossier the
# portal has not refused lately (one waiting out its back-off would not be sent now)
c0=$(sqlite3 "$A" "attach '$C' as c; select d.code from dossiers d join c.c_portal p on p.code = d.code
	where d.stage = 10 and p.next_at = 0 and p.dead = 0 order by d.code desc limit 1")
TZ=UTC-7 faketime -f "@2024-03-15 08:55:00" "$MOTCUA" --db "$A" --as clerk1 transfer "$c0" >/dev/null
TZ=UTC-7 faketime -f "@2024-03-15 08:58:00" "$MOTCUA" --db "$A" sync >/dev/null 2>&1
"$PLAIN" --db "$A" portal run --central "$CURL" --config "$T/a.conf" --interval 1 --max-wait 2 >"$T/down.log" 2>&1 &
pid=$!
# until the service has met the portal down (under load its first pass, which takes the
# whole log, can take a minute)
i=0
while [ $i -lt 240 ] && ! grep -q "not answering" "$T/down.log" 2>/dev/null; do sleep 0.5; i=$((i + 1)); done
out=$("$MOTCUA" --db "$A" portal status --central "$CURL" 2>&1)
check_match "status while the portal is down shows what waits" "portal: [1-9][0-9]* waiting" "$out"
check_match "the service says the portal is not answering" "not answering" "$(cat "$T/down.log")"
mock_ctl '{"down": false, "expire": true}'
# it comes back: the service catches up by itself, still through 20% failures
i=0
while [ "$(portal_waiting "$A" "$C")" != 0 ] && [ $i -lt 300 ]; do sleep 0.5; i=$((i + 1)); done
kill $pid; wait $pid
check_eq "the service caught up (nothing waiting)" 0 "$(portal_waiting "$A" "$C")"
mock_ctl '{"reset": true}'
check "every dossier once, every step in order, nothing doubled (profile A)" verify "$C"
sed 's/^/#   /' "$T/.out" | tail -n 1
check_eq "nothing is dead" "" "$("$MOTCUA" --db "$A" portal dead --central "$CURL")"
[ "$(mock_state lost)" -gt 0 ] && [ "$(mock_state dropped)" -gt 0 ] && [ "$(mock_state failed)" -gt 0 ] && ok "the mock did fail, drop and lose calls" || not_ok "the mock did fail, drop and lose calls"
[ "$(mock_state logins)" -gt 1 ] && ok "expired sessions were renewed" || not_ok "expired sessions were renewed"

# new steps: the dossier goes again as an update, with its new rows after the old ones
code=$(sqlite3 "$A" "select code from dossiers where stage = 60 order by code limit 1")
TZ=UTC-7 faketime -f "@2024-03-15 09:00:00" "$MOTCUA" --db "$A" --as clerk1 return "$code" --collected-by "Nguyễn Văn A" --rating 5 >/dev/null
code2=$(sqlite3 "$A" "select code from dossiers where stage = 10 order by code limit 1")
TZ=UTC-7 faketime -f "@2024-03-15 09:05:00" "$MOTCUA" --db "$A" --as clerk1 transfer "$code2" >/dev/null
TZ=UTC-7 faketime -f "@2024-03-15 10:00:00" "$MOTCUA" --db "$A" sync >/dev/null 2>&1
u0=$(mock_state updates)
out=$("$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf" 2>&1)
check_match "a push sends the two changed dossiers" "portal: 2 dossiers brought up to date, 2 progress rows" "$out"
check_eq "... as updates (isUpdating True)" $((u0 + 2)) "$(mock_state updates)"
check "... their rows follow the old ones" verify "$C"
out=$("$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf" 2>&1)
check_match "a second push has nothing to send" "portal: 0 dossiers" "$out"
# one dossier waiting and the portal down: its one unanswered call says so
mock_ctl '{"down": true}'
c1=$(sqlite3 "$A" "select code from dossiers where stage = 10 order by code desc limit 1")
TZ=UTC-7 faketime -f "@2024-03-15 09:10:00" "$MOTCUA" --db "$A" --as clerk1 transfer "$c1" >/dev/null
TZ=UTC-7 faketime -f "@2024-03-15 09:12:00" "$MOTCUA" --db "$A" sync >/dev/null 2>&1
out=$("$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf" 2>&1); rc=$?
check "a push to a portal that is down fails, with one dossier waiting" test "$rc" -ne 0
check_match "... saying the portal is not answering" "not answering" "$out"
mock_ctl '{"down": false}'
out=$("$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf" 2>&1)
check_match "... and the portal back, it goes" "portal: 1 dossiers brought up to date" "$out"

# profile B: the same quarter through REST wrappers with a bearer token
mock_stop
check "a second mock starts" mock_start
conf_b "$T/b.conf"
sqlite3 "$C" "delete from c_portal; delete from c_meta where key = 'portal_pos'"
check "portal push (profile B)" "$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/b.conf"
check "every dossier once, every step in order (profile B)" verify "$C"
sed 's/^/#   /' "$T/.out" | tail -n 1
sed -i 's/^token = .*/token = wrong/' "$T/b.conf"
TZ=UTC-7 faketime -f "@2024-03-15 11:00:00" "$MOTCUA" --db "$A" --as clerk1 receive --procedure 1.001074 --name "Hoàng Văn Bê" --id 022123456789 --components all >/dev/null
TZ=UTC-7 faketime -f "@2024-03-15 11:05:00" "$MOTCUA" --db "$A" sync >/dev/null 2>&1
"$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/b.conf" >/dev/null 2>&1
check_eq "a wrong gateway token is refused by the wrapper" 1 "$([ "$(mock_state auth_refusals)" -gt 0 ] && echo 1)"

# dead letters: a procedure whose national code the portal does not know
mock_stop
check "a third mock starts" mock_start
MAXATT=2 conf_a "$T/a.conf"
sqlite3 "$C" "delete from c_portal; delete from c_meta where key = 'portal_pos'"
sqlite3 "$A" "update procedures set national_code = 'X.1' where code = '1.001074'"
"$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf" >/dev/null 2>&1
sleep 1.1
out=$("$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf" 2>&1)
check_match "the refused dossiers are given up after max_attempts" "refused \([1-9][0-9]* given up\)" "$out"
out=$("$MOTCUA" --db "$A" portal dead --central "$CURL" 2>&1)
check_match "portal dead names each with its reason" "2 attempts, last at .*MaTTHC 'X.1' is not a national code" "$out"
out=$("$MOTCUA" --db "$A" portal status --central "$CURL" 2>&1)
check_match "status counts them as failed" "[1-9][0-9]* failed" "$out"
check_fails "resend of a dossier that is not dead" "$MOTCUA" --db "$A" portal resend NO-SUCH --central "$CURL"
sqlite3 "$A" "update procedures set national_code = '1.001074.000.00.00.H45' where code = '1.001074'"
out=$("$MOTCUA" --db "$A" portal resend --all --central "$CURL" 2>&1)
check_match "portal resend --all puts them back" "[1-9][0-9]* dossiers put back" "$out"
check "... and the next push delivers them" "$MOTCUA" --db "$A" portal push --central "$CURL" --config "$T/a.conf"
check "every dossier once, every step in order (after the resend)" verify "$C" "'X.1' is not a national code"
check_eq "the localised MaTTHC is sent" "1.001074.000.00.00.H45" "$(curl -s "$MURL/state" | python3 -c 'import json, sys; s = json.load(sys.stdin); print(sorted({d["hoso"]["MaTTHC"] for d in s["dossiers"].values() if d["hoso"]["MaTTHC"].startswith("1.001074")})[0])')"
