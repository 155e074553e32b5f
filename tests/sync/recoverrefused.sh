#!/bin/sh
# recoverrefused.sh - an event central refused (quarantined there) is not an event
# central lost: after a push whose last event central refused, the next sync must
# not take central for one restored from a backup and send the office's events
# again, sync after sync (src/sync_recover.c); also for an office connected as its
# own PostgreSQL role.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

scenario() {
	if [ "$1" = role ]; then use_central pg recoverrole; else use_central "$1" recoverrefused; fi
	k="[$1]"
	DA=$T/$1.a.db
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 5 >/dev/null
	m "$DA" user add ghost --name "Không có ở trung tâm" --roles clerk >/dev/null
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	cq "delete from c_ref where kind = 'user' and key = 'ghost'"
	if [ "$1" = role ]; then # office A connected as its own role (it reads its own quarantine)
		m "$DA" central office role $A --create --central "$CURL" >/dev/null
		CURL="postgresql:///recoverrole?host=$PGDIR&port=$PGPORT&user=motcua_000_00_17_h45"
	fi
	check "A syncs $k" mt "2024-03-11 08:10:00" "$DA" sync --central "$CURL"
	mt "2024-03-11 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Người thật" --id 022123456798 --components all >/dev/null
	mt "2024-03-11 09:01:00" "$DA" --as ghost receive --procedure $P1 --name "Ma" --id 022123456799 --components all >/dev/null
	out=$(mt "2024-03-11 10:00:00" "$DA" sync --central "$CURL" 2>&1)
	check_match "central refuses the last event, by an author it does not know $k" "1 refused there" "$out"
	out=$(mt "2024-03-11 10:05:00" "$DA" --json sync --central "$CURL" 2>&1)
	check_match "the next sync sends nothing again $k" '"resent": 0' "$out"
	check_match "... and pushes nothing $k" '"pushed": 0' "$out"
	out=$(mt "2024-03-11 10:10:00" "$DA" sync --central "$CURL" 2>&1)
	check_eq "... nor says central lacks events $k" "" "$(echo "$out" | grep "central lacks")"
}

both_backends scenario
[ -n "$PGPORT" ] && scenario role
echo "1..$n"
