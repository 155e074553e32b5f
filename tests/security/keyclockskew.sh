#!/bin/sh
# keyclockskew.sh - a dated key approval and an office whose clock runs ahead.  The
# approval is dated by central's clock, an event by its office's.  A store that
# predates signed events (upgraded: its old events unsigned, its key made at the
# upgrade) on a machine whose clock is 7 hours ahead (its hardware clock set to local
# time and read as UTC) has its key approved a few minutes after the upgrade: its
# unsigned events from before the upgrade carry times after the approval by central's
# clock.  They are the office's own honest history: central takes them (none
# quarantined), `central verify` finds nothing, another office's pull applies them;
# an unsigned event dated days after the approval is still forged.  Both backends.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

# lt EPOCH: local time for faketime (the store's clock)
lt() { TZ=UTC-7 date -d "@$1" '+%Y-%m-%d %H:%M:%S'; }

scenario() {
	use_central "$1" keyskew
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	demo_synced "$DA" 5
	m "$DA" central key policy approved --central "$CURL" >/dev/null
	m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
	m "$DB_" sync --central "$CURL" >/dev/null 2>&1
	now=$(date +%s)
	ahead=$((now + 7 * 3600))
	# B's office works on its machine's clock, 7 hours ahead
	mt "$(lt "$ahead")" "$DB_" --as d_clerk1 receive --procedure $P2 --name "Lê Văn Sớm" --id 022123456792 --components all >/dev/null
	mt "$(lt "$((ahead + 30))")" "$DB_" --as d_clerk1 receive --procedure $P2 --name "Phạm Thị Giờ" --id 022123456793 --components all >/dev/null
	# ... with an older motcua, which signed nothing and had no key: the upgrade makes it
	sqlite3 "$DB_" "drop trigger events_append_only_update; drop trigger store_key_keep_delete;
		update events set sig = NULL; delete from store_key;"
	nb=$(sqlite3 "$DB_" "select count(*) from events where sig is null")
	check "B's store holds only unsigned events, from before its key $k" test "$nb" -gt 0
	keyB=$(mt "$(lt "$((ahead + 60))")" "$DB_" sync key | sed -n 's/.*[ :]\([0-9a-f]\{64\}\)$/\1/p')
	check_match "the upgraded store makes its key $k" "^[0-9a-f]{64}$" "$keyB"
	# a few minutes later by central's clock, its administrator approves it
	m "$DA" central key approve $B "$keyB" --central "$CURL" >/dev/null
	out=$(mt "$(lt "$((ahead + 120))")" "$DB_" sync --central "$CURL" 2>&1)
	check_eq "central takes B's unsigned events from before its key: none quarantined $k" "" \
		"$(cq "select id || ' ' || reason from c_quarantine")"
	check_eq "... all of them at central $k" "$nb" "$(cq "select count(*) from c_events where origin = '$B'")"
	out=$(m "$DA" central verify --central "$CURL" 2>&1); rc=$?
	check_eq "central verify finds nothing forged $k" 0 "$rc"
	check_match "... and counts them as from before B began signing $k" ", $nb unsigned from before" "$out"
	# A learns B's key with the reference data: as signing from a time B's unsigned
	# events come before (A's pull and audit judge B's events by it)
	m "$DA" sync --central "$CURL" >/dev/null 2>&1
	since=$(sqlite3 "$DA" "select since from store_keys_known where agency = '$B' and central = 0")
	check "A's store knows B's key as signing from after B's unsigned events $k" \
		test "${since:-0}" -ge "$(sqlite3 "$DB_" "select max(at) from events")"
	# an unsigned event dated two days after the approval is still forged
	F=$T/$1.f.db
	sqlite3 "$DA" ".backup '$F'"
	late=$((now + 2 * 86400))
	fh=$(python3 - "$B-Z-1" "$late" "$B" <<'PY'
import hashlib, sys
i, at, o = sys.argv[1:]
c = "motcua-event-v1\nFORGEDLATE1\n%s\n1\nreceived\nroot\nd_clerk1\n%s\n%s\n{}" % (i, at, o)
print(hashlib.sha256(bytes(32) + c.encode()).hexdigest())
PY
)
	sqlite3 "$F" "insert into events(id, dossier_code, dseq, kind, os_account, actor, at, origin, payload, prev_hash, hash, sig)
		values ('FORGEDLATE1', '$B-Z-1', 1, 'received', 'root', 'd_clerk1', $late, '$B', '{}', NULL, x'$fh', NULL)"
	check_match "an unsigned event of B two days after the approval is still named $k" "not signed, though office $B" \
		"$(m "$F" audit verify 2>&1)"
}

both_backends scenario
