#!/bin/sh
# bundlesig.sh - signed bundles and replies (issue 14, item 4), on both backends.
# An office signs its events bundles with its store's key and central its replies with
# its own; the SHA-256 line anyone can recompute is no longer enough.  A hand-edited
# reply (ack 999999, a cursor past central's log) with its SHA-256 recomputed, a
# reordered events bundle, a forged signature, a bundle signed by another store
# claiming the office, a reply signed by an office: each refused, nothing applied, no
# cursor moved.  Even a reply correctly signed with central's key may acknowledge
# only what the office sent and never take the cursor past central's log, and even a
# bundle correctly signed with the office's key is refused whole when out of order.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

unhex() { python3 -c 'import sys, binascii; sys.stdout.buffer.write(binascii.unhexlify(sys.argv[1]))' "$1"; }
tohex() { od -An -tx1 -v | tr -d ' \n'; }
# resum FILE: recompute the SHA-256 line of an edited bundle, as anyone can
resum() {
	head -n -1 "$1" >"$1.body"
	{ cat "$1.body"; echo "sha256 $(sha256sum <"$1.body" | cut -d' ' -f1)"; } >"$1"
	rm -f "$1.body"
}
# resign FILE PRIVHEX SIGNER: a real Ed25519 signature line by the raw private key
# PRIVHEX (one read out of a store or central), then the SHA-256 line
resign() {
	head -n -2 "$1" >"$1.body"
	unhex "302e020100300506032b657004220420$2" | openssl pkey -inform DER -out "$1.pem"
	pub=$(openssl pkey -in "$1.pem" -pubout -outform DER | tail -c 32 | tohex)
	{ printf 'motcua-bundle-sig-v1\n'; unhex "$(sha256sum <"$1.body" | cut -d' ' -f1)"; } >"$1.msg"
	sig=$(openssl pkeyutl -sign -rawin -inkey "$1.pem" -in "$1.msg" | tohex)
	{ cat "$1.body"; printf '{"sig":"%s","signer":"%s","pub":"%s"}\n' "$sig" "$3" "$pub"; } >"$1.new"
	mv "$1.new" "$1.body"
	{ cat "$1.body"; echo "sha256 $(sha256sum <"$1.body" | cut -d' ' -f1)"; } >"$1"
	rm -f "$1.body" "$1.pem" "$1.msg"
}
state() { sqlite3 "$1" "select push_seq || ' ' || pull_cursor from sync_state"; }

scenario() {
	use_central "$1" bundlesig
	k="[$1]"
	DA=$T/$1.a.db; D=$T/$1
	m "$DA" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 30 >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	CA=$(cq "select value from c_meta where key = 'agency'")
	check_eq "central has a key of its own $k" 64 "$(cq "select length(value) from c_meta where key = 'sign_key'")"
	check "export a first bundle $k" m "$DA" sync export --out "$D.b1"
	check_match "the bundle is signed by the office's store $k" "^\\{\"sig\":\"[0-9a-f]{128}\",\"signer\":\"$A\"" "$(tail -n 2 "$D.b1" | head -n 1)"
	check "central imports it $k" m "$DA" central import "$D.b1" --reply "$D.r1" --central "$CURL"
	check_eq "central learnt the office's key $k" "$(sqlite3 "$DA" "select lower(hex(pub)) from store_key")" \
		"$(cq "select doc from c_ref where kind = 'storekey' and key like '$A %'" | sed 's/.*"pub":"\([0-9a-f]*\)".*/\1/')"
	before=$(state "$DA")
	# a hand-edited reply with its SHA-256 recomputed: refused, no cursor moves
	sed -e '1s/"ack":[0-9]*/"ack":999999/' -e 's/"cursor_to":[0-9]*/"cursor_to":999999999999999/' "$D.r1" >"$D.rx"
	resum "$D.rx"
	out=$(m "$DA" sync import "$D.rx" 2>&1)
	check_match "an edited, re-checksummed reply is refused $k" "not signed by central" "$out"
	check_eq "push and pull cursors unchanged $k" "$before" "$(state "$DA")"
	# the same lie signed with central's own key (read out of central): still refused
	ckey=$(cq "select value from c_meta where key = 'sign_key'")
	sed '1s/"ack":[0-9]*/"ack":999999/' "$D.r1" >"$D.ry"
	resign "$D.ry" "$ckey" "$CA"
	out=$(m "$DA" sync import "$D.ry" 2>&1)
	check_match "a signed reply acknowledging unsent events is refused $k" "acknowledges this office's events up to 999999" "$out"
	sed 's/"cursor_to":[0-9]*/"cursor_to":999999999999999/' "$D.r1" >"$D.rz"
	resign "$D.rz" "$ckey" "$CA"
	out=$(m "$DA" sync import "$D.rz" 2>&1)
	check_match "a signed reply moving the cursor past central's log is refused $k" "outside central's log" "$out"
	check_eq "still no cursor moved $k" "$before" "$(state "$DA")"
	# a reply signed by the office's own key as if it were central
	okey=$(sqlite3 "$DA" "select lower(hex(priv)) from store_key")
	cp "$D.r1" "$D.rw"
	resign "$D.rw" "$okey" "$CA"
	check "office imports the genuine reply $k" m "$DA" sync import "$D.r1"
	out=$(m "$DA" sync import "$D.rw" 2>&1)
	check_match "a reply signed by another key than central's is refused $k" "not central's" "$out"
	check_eq "nothing pending $k" "pending        0 events" "$(m "$DA" sync status | grep pending)"
	# new steps, a second bundle
	mt "2024-03-29 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Ký 1" --id 022123456781 --components all >/dev/null
	mt "2024-03-29 09:05:00" "$DA" --as clerk1 receive --procedure $P1 --name "Ký 2" --id 022123456782 --components all >/dev/null
	check "export a second bundle $k" m "$DA" sync export --out "$D.b2"
	n0=$(cq "select count(*) from c_events")
	# reordered (two event lines swapped) and re-checksummed
	awk 'NR == 2 { l = $0; next } NR == 3 { print; print l; next } { print }' "$D.b2" >"$D.bo"
	resum "$D.bo"
	out=$(m "$DA" central import "$D.bo" --reply "$D.ro" --central "$CURL" 2>&1)
	check_match "a reordered, re-checksummed bundle is refused $k" "not signed by the store of office $A" "$out"
	# reordered and signed again with the office's own key: refused whole all the same
	awk 'NR == 2 { l = $0; next } NR == 3 { print; print l; next } { print }' "$D.b2" >"$D.bs"
	resign "$D.bs" "$okey" "$A"
	out=$(m "$DA" central import "$D.bs" --reply "$D.ro" --central "$CURL" 2>&1)
	check_match "a reordered bundle signed by the office is refused whole $k" "out of order" "$out"
	# a forged signature: one hex digit of it changed
	awk -v n="$(($(wc -l <"$D.b2") - 1))" 'NR == n { sub(/"sig":"./, "\"sig\":\"" (substr($0, 9, 1) == "0" ? "1" : "0")) } { print }' "$D.b2" >"$D.bf"
	resum "$D.bf"
	out=$(m "$DA" central import "$D.bf" --reply "$D.ro" --central "$CURL" 2>&1)
	check_match "a bundle with a forged signature is refused $k" "not signed by the store of office $A" "$out"
	# another store claiming to be the office signs with its own key
	DX=$T/$1.x.db
	cp "$DA" "$DX"
	sqlite3 "$DX" "drop trigger store_key_keep_delete; delete from store_key"
	mt "2024-03-29 10:00:00" "$DX" --as clerk1 receive --procedure $P1 --name "Giả mạo" --id 022123456783 --components all >/dev/null
	check "the other store exports a bundle of its own key $k" m "$DX" sync export --out "$D.bx"
	out=$(m "$DA" central import "$D.bx" --reply "$D.ro" --central "$CURL" 2>&1)
	check_match "a bundle signed by another store claiming the office is refused $k" "not one central holds for office $A" "$out"
	check_eq "nothing of them applied $k" "$n0" "$(cq "select count(*) from c_events")"
	check_fails "no reply written for them $k" test -e "$D.ro"
	# the genuine bundle goes through
	check "the genuine second bundle is imported $k" m "$DA" central import "$D.b2" --reply "$D.r2" --central "$CURL"
	check "and its reply $k" m "$DA" sync import "$D.r2"
	check "every event exactly once on both sides $k" same_events "$DA" $A
	# an office that knows central's key refuses a reply made by another central
	use_central "$1" bundlesig2
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	m "$DA" central import "$D.b2" --reply "$D.r3" --central "$CURL" >/dev/null
	out=$(m "$DA" sync import "$D.r3" 2>&1)
	check_match "a reply signed by another central is refused $k" "not central's" "$out"
}

both_backends scenario
