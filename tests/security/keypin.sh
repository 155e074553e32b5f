#!/bin/sh
# keypin.sh - which store keys central takes (issue 14): by default a store's key is
# trusted on its first sync; under the policy 'approved' central takes an office
# store's key only once an administrator of central has approved it, compared with
# what `motcua sync key` shows at the office.  Until then the office's sync is
# refused whole (nothing of it at central), a non-administrator cannot approve, a
# second store of a known office needs its own approval, and on PostgreSQL an
# office's own role cannot enrol an unapproved key through c_enrol_key() either, nor
# put another public key or a future time of first signing into an approved key's row.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

scenario() {
	use_central "$1" keypin
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db; DA2=$T/$1.a2.db
	m "$DA" demo --dossiers 20 >/dev/null
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	check "office A syncs: its key is trusted on first use $k" m "$DA" sync --central "$CURL"
	keyA=$(m "$DA" sync key | sed -n 's/.*[ :]\([0-9a-f]\{64\}\)$/\1/p')
	check_eq "sync key shows the store's own public key $k" "$(sqlite3 "$DA" "select lower(hex(pub)) from store_key")" "$keyA"
	out=$(m "$DA" central key list --central "$CURL")
	check_match "central key list shows A's key $k" "$A +$keyA +20" "$out"
	check_match "... and the policy, trust on first use $k" "trusted on its first sync" "$out"
	check_fails "a clerk cannot change the policy $k" m "$DA" --as clerk1 central key policy approved --central "$CURL"
	check "an administrator of central sets the policy to approved keys $k" m "$DA" central key policy approved --central "$CURL"
	check_fails "a policy that is not one is refused $k" m "$DA" central key policy maybe --central "$CURL"

	m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
	keyB=$(m "$DB_" sync key | sed -n 's/.*[ :]\([0-9a-f]\{64\}\)$/\1/p')
	check_match "office B's store has a key $k" "^[0-9a-f]{64}$" "$keyB"
	check "B's first sync takes the reference data (it sends nothing yet) $k" m "$DB_" sync --central "$CURL"
	m "$DB_" --as d_clerk1 receive --procedure $P2 --name "Trần Thị Riêng" --id 022123456791 --components all >/dev/null
	check_fails "B's push signed with an unapproved key is refused $k" m "$DB_" sync --central "$CURL"
	check_match "... naming the key and the command that approves it $k" "not approved at central.*central key approve $B $keyB" "$(tr '\n' ' ' <"$T/.out")"
	check_eq "... and central took nothing of B $k" "0 0" "$(cq "select count(*) from c_events where office = '$B'") $(cq "select count(*) from c_ref where kind = 'storekey' and key like '$B %'")"
	check_fails "a clerk cannot approve a key $k" m "$DA" --as clerk1 central key approve $B "$keyB" --central "$CURL"
	check_fails "a key that is not 64 hex digits is refused $k" m "$DA" central key approve $B "${keyB%?}" --central "$CURL"
	check "an administrator of central approves B's key $k" m "$DA" central key approve $B "$keyB" --central "$CURL"
	check_match "... listed as approved, not used yet $k" "$B +$keyB +approved, not used yet" "$(m "$DA" central key list --central "$CURL")"
	check "B pushes its dossier with its approved key $k" m "$DB_" sync --central "$CURL"
	check_eq "B's events are at central $k" "$(sqlite3 "$DB_" "select count(*) from events where origin = '$B'")" \
		"$(cq "select count(*) from c_events where office = '$B'")"
	check_match "the first sync filled in when B's store began signing $k" "$B +$keyB +20" "$(m "$DA" central key list --central "$CURL")"
	check_match "approving it again says central holds it $k" "holds this key of office $B already" \
		"$(m "$DA" central key approve $B "$keyB" --central "$CURL")"
	check "A's known key keeps syncing $k" m "$DA" sync --central "$CURL"

	# a second store of office A: a new key, which the policy holds back until approved
	m "$DA2" init --office $A --name "Sở Tư pháp (máy 2)" >/dev/null
	m "$DA2" sync --central "$CURL" >/dev/null
	m "$DA2" --as clerk1 receive --procedure $P1 --name "Lê Văn Hai" --id 022123456792 --components all >/dev/null
	check_fails "a new store of a known office needs its key approved $k" m "$DA2" sync --central "$CURL"
	check "back to trust on first use $k" m "$DA" central key policy first-use --central "$CURL"
	check "... the new store's online sync is taken $k" m "$DA2" sync --central "$CURL"
	check_eq "A has two keys at central now $k" 2 "$(cq "select count(*) from c_ref where kind = 'storekey' and key like '$A %'")"
	check "every audit passes $k" m "$DB_" audit verify
}

both_backends scenario

# PostgreSQL: an office's own role, under the policy, through psql
if [ -n "$PGPORT" ]; then
	use_central pg keyrole
	DA=$T/r.a.db; DC=$T/r.c.db
	m "$DA" demo --dossiers 5 >/dev/null
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	m "$DA" central office role $B --create --central "$CURL" >/dev/null
	m "$DA" central key policy approved --central "$CURL" >/dev/null
	UB="postgresql:///keyrole?host=$PGDIR&port=$PGPORT&user=motcua_000_00_31_h45"
	m "$DC" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
	keyC=$(m "$DC" sync key | sed -n 's/.*[ :]\([0-9a-f]\{64\}\)$/\1/p')
	m "$DC" sync --central "$UB" >/dev/null
	m "$DC" --as d_clerk1 receive --procedure $P2 --name "Trần Thị Riêng" --id 022123456791 --components all >/dev/null
	check_fails "[role] an office's role syncing an unapproved key is refused" m "$DC" sync --central "$UB"
	out=$(psql -q -At -h "$PGDIR" -p "$PGPORT" -U motcua_000_00_31_h45 -d keyrole \
		-c "SELECT c_enrol_key('$B $keyC', '{\"agency\":\"$B\",\"pub\":\"$keyC\",\"central\":false,\"since\":1}')" 2>&1)
	check_match "[role] c_enrol_key() through psql refuses it too" "not approved at central" "$out"
	check_eq "[role] no key of B at central" 0 "$(cq "select count(*) from c_ref where kind = 'storekey' and key like '$B %'")"
	m "$DA" central key approve $B "$keyC" --central "$CURL" >/dev/null
	# the approved key's row, not used yet, must not take another public key or a
	# made-up time its store began signing from whoever holds the office's role
	evil=$(printf 'ab%.0s' $(seq 32))
	out=$(psql -q -At -h "$PGDIR" -p "$PGPORT" -U motcua_000_00_31_h45 -d keyrole \
		-c "SELECT c_enrol_key('$B $keyC', '{\"agency\":\"$B\",\"pub\":\"$evil\",\"central\":false,\"since\":1}')" 2>&1)
	check_match "[role] c_enrol_key() refuses another public key under an approved key's name" "only its own store's key" "$out"
	out=$(psql -q -At -h "$PGDIR" -p "$PGPORT" -U motcua_000_00_31_h45 -d keyrole \
		-c "SELECT c_enrol_key('$B $keyC', '{\"agency\":\"$B\",\"pub\":\"$keyC\",\"central\":false,\"since\":99999999999}')" 2>&1)
	check_match "[role] ... and a time of first signing in the future" "only its own store's key" "$out"
	check_eq "[role] the approved row is as the administrator left it" "$keyC -1" \
		"$(cq "select doc::json->>'pub', doc::json->>'since' from c_ref where kind = 'storekey' and key = '$B $keyC'" | tr '|' ' ')"
	check "[role] once approved, the role's sync works" m "$DC" sync --central "$UB"
	check_eq "[role] and its since is filled in" 1 "$(cq "select count(*) from c_ref where kind = 'storekey' and key = '$B $keyC' and (doc::json->>'since')::bigint > 0")"
fi
