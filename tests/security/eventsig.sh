#!/bin/sh
# eventsig.sh - every event signed by the store that wrote it (issue 14, item 2).
# Forgeries that kept a correct SHA-256 chain and passed before: a fork at dseq 2 whose
# prev_hash is event 1's hash (unsigned, signed with the office's own key, dated before
# signing began), a second 'signed' event, a signature that is not the office's: each
# now fails `audit verify`, `audit verify CODE` and `verify CODE`; central quarantines a
# forged event pushed to it.  Events of a store from before signing began are accepted
# and counted, never a new unsigned one.  A real fork (an office's step and central's
# withdrawal at the same point) still passes, on both central backends.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
. "$ROOT/tests/security/forge.inc"
# copy DB to a scratch store for one forgery
scratch() { rm -f "$T/f.db"*; sqlite3 "$1" ".backup '$T/f.db'"; echo "$T/f.db"; }

D=$T/a.db
mt "2024-03-11 08:00:00" "$D" demo --dossiers 40 >/dev/null
check "a fresh store's audit passes $(m "$D" audit verify 2>&1 | tail -n 1)" m "$D" audit verify
check_eq "every event is signed" 0 "$(sqlite3 "$D" "select count(*) from events where sig is null or length(sig) <> 64")"
check_eq "by the store's own key, made once" 1 "$(sqlite3 "$D" "select count(*) from store_key")"
# a dossier signed with a leader's key, for `verify CODE`
code=$(mt "2024-03-28 09:00:00" "$D" --as clerk1 --json receive --procedure $P1 --name "Nguyễn Văn Ký" --id 022123456789 --components all |
	sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
mt "2024-03-28 10:00:00" "$D" --as clerk1 transfer "$code" >/dev/null
mt "2024-03-28 10:30:00" "$D" --as head_tm assign "$code" --to spec_tm1 >/dev/null
mt "2024-03-28 11:00:00" "$D" --as spec_tm1 propose "$code" --decision approve --note "Đủ điều kiện" >/dev/null
printf 'correct horse battery staple\n' >"$T/pass"
m "$D" user add leader9 --name "Lãnh đạo Thử" --roles leader >/dev/null
m "$D" --as leader9 key create --passphrase-file "$T/pass" >/dev/null
check "a leader signs it" mt "2024-03-28 14:00:00" "$D" --as leader9 sign "$code" --passphrase-file "$T/pass"
check "verify CODE passes on the genuine dossier" m "$D" verify "$code"
since=$(sqlite3 "$D" "select created_at from store_key")
late=$((since + 86400)); early=$((since - 86400))

F=$(scratch "$D")
forge "$F" "$code" 2 1 returned "$late" >/dev/null
check_match "an unsigned fork at dseq 2 fails audit verify" "not signed, though office" "$(m "$F" audit verify 2>&1)"
check_fails "and audit verify CODE" m "$F" audit verify "$code"
check_fails "and verify CODE" m "$F" verify "$code"
F=$(scratch "$D")
forge "$F" "$code" 2 1 returned "$early" >/dev/null
check_match "an unsigned fork dated before signing began fails as a forged fork" "forged fork" "$(m "$F" audit verify "$code" 2>&1)"
F=$(scratch "$D")
forge "$F" "$code" 2 1 returned "$late" own >/dev/null
check_match "a fork signed with the office's own key fails: one store never forks its line" "forged fork" "$(m "$F" audit verify 2>&1)"
check_fails "verify CODE fails on it" m "$F" verify "$code"
F=$(scratch "$D")
forge "$F" "$code" 2 1 returned "$late" other >/dev/null
check_match "a fork signed with another key fails" "signature is not by a key of office" "$(m "$F" audit verify 2>&1)"
# a second 'signed' event after the head
sc=$(sqlite3 "$D" "select dossier_code from events where kind = 'signed' order by seq limit 1")
head=$(sqlite3 "$D" "select max(dseq) from events where dossier_code = '$sc'")
F=$(scratch "$D")
forge "$F" "$sc" $((head + 1)) "$head" signed "$late" >/dev/null
check_match "a forged second 'signed' event fails audit verify" "not signed, though office" "$(m "$F" audit verify 2>&1)"
check_fails "and audit verify CODE" m "$F" audit verify "$sc"
F=$(scratch "$D")
forge "$F" "$sc" $((head + 1)) "$head" signed "$late" junk >/dev/null
check_match "a forged 'signed' event with a junk signature fails" "signature is not by a key" "$(m "$F" audit verify "$sc" 2>&1)"

# a store from before signing began: its events unsigned, accepted and counted (such a
# store has no audit checkpoint either)
O=$T/old.db
sqlite3 "$D" ".backup '$O'"
sqlite3 "$O" "drop trigger events_append_only_update; drop trigger store_key_keep_delete; update events set sig = null; delete from store_key;
	drop trigger audit_checkpoints_keep_delete; delete from audit_checkpoints"
old=$(sqlite3 "$O" "select count(*) from events")
out=$(m "$O" audit verify 2>&1)
check_match "unsigned events from before signing are accepted" "every chain is intact" "$out"
check_match "and counted" "^$old events are unsigned: written before their store began signing" "$out"
mt "2024-03-29 09:00:00" "$O" --as clerk1 receive --procedure $P1 --name "Sau khi ký" --id 022123456781 --components all >/dev/null
check_eq "its next step made its key" 1 "$(sqlite3 "$O" "select count(*) from store_key")"
check_eq "and is signed" 0 "$(sqlite3 "$O" "select count(*) from events where seq = (select max(seq) from events) and sig is null")"
check "the audit still passes" m "$O" audit verify
o2=$(sqlite3 "$O" "select code from dossiers where stage >= 90 order by code limit 1")
h2=$(sqlite3 "$O" "select max(dseq) from events where dossier_code = '$o2'")
forge "$O" "$o2" $((h2 + 1)) "$h2" signed "$(($(sqlite3 "$O" "select created_at from store_key") + 60))" >/dev/null
check_match "but a new unsigned event after it has its key fails" "not signed, though office" "$(m "$O" audit verify 2>&1)"

# central: a forged event pushed is quarantined; a real fork stands on both backends
scenario() {
	use_central "$1" eventsig
	k="[$1]"
	A_=$T/$1.a.db
	m "$A_" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$A_" demo --dossiers 10 >/dev/null
	m "$A_" central publish --central "$CURL" >/dev/null
	check "the office syncs $k" m "$A_" sync --central "$CURL"
	check_eq "central stored every event with its signature $k" 0 \
		"$(cq "select count(*) from c_events where sig is null or length(sig) <> 64")"
	check_eq "central's key and the office's are reference data $k" 2 "$(cq "select count(*) from c_ref where kind = 'storekey'")"
	# a real fork: the office works on a dossier while central withdraws it
	y=$(mt "2024-03-12 09:00:00" "$A_" central submit-online --central "$CURL" --office $A --procedure $P1 --name "Trực tuyến" --id 022123456782)
	mt "2024-03-12 09:05:00" "$A_" sync >/dev/null
	mt "2024-03-12 09:10:00" "$A_" central withdraw "$y" --reason "Người nộp rút" --central "$CURL" >/dev/null
	mt "2024-03-12 09:11:00" "$A_" --as clerk1 accept "$y" >/dev/null 2>&1 ||
		mt "2024-03-12 09:11:00" "$A_" --as clerk1 transfer "$y" >/dev/null 2>&1
	check "the office syncs the fork $k" mt "2024-03-12 09:20:00" "$A_" sync
	check_eq "the dossier is in conflict $k" 1 "$(sqlite3 "$A_" "select conflict from dossiers where code = '$y'")"
	check "a real fork of an office and central passes audit verify $k" m "$A_" audit verify
	check "and audit verify CODE $k" m "$A_" audit verify "$y"
	# a forged event appended in the store is refused by central
	c2=$(sqlite3 "$A_" "select code from dossiers where stage < 90 and conflict = 0 order by code limit 1")
	h=$(sqlite3 "$A_" "select max(dseq) from events where dossier_code = '$c2'")
	sqlite3 "$A_" ".backup '$T/$1.b.db'"
	id=$(forge "$A_" "$c2" $((h + 1)) "$h" note "$(date +%s)" junk)
	m "$A_" sync >/dev/null 2>&1
	check_match "central quarantines an event with a forged signature $k" "signature is not by a key" \
		"$(cq "select reason from c_quarantine where id = '$id'")"
	# another refused event under the same id, in another dossier (ids are unique at
	# central only with their dossier): it has its own row, not lost to the first
	B_=$T/$1.b.db
	c3=$(sqlite3 "$B_" "select code from dossiers where stage < 90 and conflict = 0 and code <> '$c2' order by code limit 1")
	h3=$(sqlite3 "$B_" "select max(dseq) from events where dossier_code = '$c3'")
	FORGE_ID=$id forge "$B_" "$c3" $((h3 + 1)) "$h3" note "$(date +%s)" junk >/dev/null
	m "$B_" sync >/dev/null 2>&1
	check_eq "a second refused event under the same id is quarantined too, with its dossier $k" "$c2 $c3" \
		"$(cq "select dossier_code from c_quarantine where id = '$id' order by dossier_code" | tr '\n' ' ' | sed 's/ $//')"
	m "$B_" sync >/dev/null 2>&1
	check_eq "... once each, after another sync $k" 2 "$(cq "select count(*) from c_quarantine where id = '$id'")"
	# a SQLite central made before kept one row an id (id PRIMARY KEY): 'central init'
	# copies its rows into the table keyed by id and event, once (twice changes nothing)
	if [ "$1" = sqlite ]; then
		sqlite3 "$CDB" "create table q_old as select * from c_quarantine where dossier_code <> '$c3'; drop table c_quarantine;
			create table c_quarantine (id text primary key, origin text not null, dossier_code text not null,
				reason text not null, at integer not null, event text not null);
			insert into c_quarantine select * from q_old; drop table q_old"
		q0=$(cq "select count(*) from c_quarantine")
		m "$A_" central init --central "$CURL" >/dev/null 2>&1
		m "$A_" central init --central "$CURL" >/dev/null 2>&1
		check_eq "central init upgrades an older SQLite central's quarantine, keeping its rows $k" "$q0 0 1" \
			"$(cq "select count(*) from c_quarantine") $(cq "select count(*) from pragma_table_info('c_quarantine') where pk > 0") $(cq "select count(*) from sqlite_master where name = 'c_quarantine_once'")"
	fi
}
both_backends scenario
