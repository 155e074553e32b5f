#!/bin/sh
# sign.sh - digital signatures through the CLI: key create, sign, verify with motcua
# and with the openssl command line, export, a flipped byte, a wrong passphrase, a
# missing key, a changed dossier, the passphrase never echoed nor stored.
. "$ROOT/tests/lib.sh"

at "2024-03-11 08:00:00" mc demo --dossiers 0 >/dev/null
mc user add leader9 --name "Lãnh đạo Thử" --roles leader >/dev/null   # a signer without a key yet
P=1.001037
code=$(at "2024-03-11 09:00:00" mc --as clerk1 --json receive --procedure $P --name "Nguyễn Văn Đức" --id 022123456789 |
	sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
at "2024-03-11 10:00:00" mc --as clerk1 transfer "$code" >/dev/null
at "2024-03-11 10:30:00" mc --as head_tm assign "$code" --to spec_tm1 >/dev/null
at "2024-03-12 09:00:00" mc --as spec_tm1 propose "$code" --decision approve --note "Đủ điều kiện" >/dev/null
printf 'correct horse battery staple\n' >"$T/pass"
printf 'wrong horse battery staple\n' >"$T/bad"

# refusals before any key exists
out=$(at "2024-03-12 10:00:00" mc --as spec_tm1 sign "$code" --passphrase-file "$T/pass" 2>&1); rc=$?
check_eq "a specialist may not sign (exit 5)" 5 $rc
check_match "the refusal names the role" "needs the role leader" "$out"
out=$(at "2024-03-12 10:00:00" mc --as leader9 sign "$code" --passphrase-file "$T/pass" 2>&1); rc=$?
check_eq "no key: refused (exit 4)" 4 $rc
check_match "no key: says how to make one" "no signing key.*motcua: create one with 'motcua key create'" "$(printf '%s' "$out" | tr '\n' ' ')"
out=$(mc --as spec_tm1 key create --passphrase-file "$T/pass" 2>&1)
check_match "only signers create keys" "role leader" "$out"
printf 'short\n' >"$T/short"
check_fails "a short passphrase is refused" mc --as leader9 key create --passphrase-file "$T/short"

# the key: created from a descriptor (script use), never the passphrase in the store
out=$(mc --as leader9 key create --passphrase-fd 3 3<"$T/pass")
check_match "key create prints the fingerprint" "fingerprint [0-9a-f]{64}" "$out"
check_fails "a second key needs --replace" mc --as leader9 key create --passphrase-file "$T/pass"
check_eq "the passphrase is not in the store" 0 "$(grep -c 'correct horse' "$DB" "$DB-wal" 2>/dev/null | awk -F: '{s += $2} END {print s + 0}')"
check_match "the private key is encrypted PKCS#8" "BEGIN ENCRYPTED PRIVATE KEY" "$(sqlite3 "$DB" "select privkey from signing_keys where account='leader9'")"
check_match "the public key is published with the user" "BEGIN PUBLIC KEY" "$(sqlite3 "$DB" "select pubkey from users where account='leader9'")"
check_match "key show prints the public key" "BEGIN PUBLIC KEY" "$(mc key show leader9)"

# no terminal and no file: a clear refusal, nothing signed
out=$(at "2024-03-12 10:00:00" setsid "$MOTCUA" --db "$DB" --as leader9 sign "$code" </dev/null 2>&1); rc=$?
check_match "no terminal: says to use --passphrase-file" "passphrase-file" "$out"
out=$(at "2024-03-12 10:00:00" mc --as leader9 sign "$code" --passphrase-file "$T/bad" 2>&1); rc=$?
check_eq "wrong passphrase: exit 5" 5 $rc
check_match "wrong passphrase: says so" "wrong passphrase" "$out"
check_eq "wrong passphrase: still with the signer" 40 "$(sqlite3 "$DB" "select stage from dossiers where code='$code'")"
check_fails "stale version: refused" at "2024-03-12 10:00:00" mc --as leader9 sign "$code" --passphrase-file "$T/pass" --expect-version 3

# the passphrase typed on a terminal (tmux) is not echoed
S=mcsign$$
tmux -L "$S" new-session -d -x 100 -y 20 "TZ=UTC-7 faketime -f '@2024-03-12 10:00:00' '$MOTCUA' --db '$DB' --as leader9 sign '$code'; echo EXIT=\$?; sleep 30"
i=0; while [ $i -lt 100 ] && ! tmux -L "$S" capture-pane -p | grep -q "Passphrase of your"; do sleep 0.1; i=$((i + 1)); done
tmux -L "$S" send-keys -l "correct horse battery staple"; tmux -L "$S" send-keys Enter
i=0; while [ $i -lt 100 ] && ! tmux -L "$S" capture-pane -p | grep -q "EXIT="; do sleep 0.1; i=$((i + 1)); done
screen=$(tmux -L "$S" capture-pane -p)
tmux -L "$S" kill-server 2>/dev/null
check_match "the terminal asked for the passphrase" "Passphrase of your signing key" "$screen"
check_match "signed from the terminal" "result ready" "$screen"
check_nomatch "the passphrase was not echoed" "correct horse" "$screen"
check_eq "signed: result ready" 9 "$(sqlite3 "$DB" "select status from dossiers where code='$code'")"

# verify with motcua, export, verify with openssl
out=$(mc verify "$code"); rc=$?
check_eq "verify: exit 0" 0 $rc
check_match "verify names signer and decision" "signature valid: dossier $code, decision approve, signed by leader9 at 2024-03-12 10:00" "$out"
check_match "verify --json" '"valid": true' "$(mc --json verify "$code")"
check "the signed dossier's row is what its events say" mc audit verify "$code"
check "export" mc signature export "$code" --dir "$T/exp"
check "openssl verifies the export" openssl pkeyutl -verify -pubin -inkey "$T/exp/pub.pem" -rawin -in "$T/exp/signed.bin" -sigfile "$T/exp/sig.bin"
check "motcua verifies the export" mc verify "$code" --dir "$T/exp"
check_match "the signed bytes name dossier, signer and chain" "^dossier: $code" "$(cat "$T/exp/signed.bin")"
check_match "the signed bytes hold the chain hash" "^chain: [0-9a-f]{64}$" "$(cat "$T/exp/signed.bin")"

# a flipped byte in the exported data fails both
cp -r "$T/exp" "$T/flip"
printf 'X' | dd of="$T/flip/signed.bin" bs=1 seek=30 conv=notrunc 2>/dev/null
check_fails "openssl refuses a flipped byte in signed.bin" openssl pkeyutl -verify -pubin -inkey "$T/flip/pub.pem" -rawin -in "$T/flip/signed.bin" -sigfile "$T/flip/sig.bin"
out=$(mc verify "$code" --dir "$T/flip" 2>&1); rc=$?
check_eq "motcua refuses a flipped byte in signed.bin (exit 3)" 3 $rc
check_match "and says the files were changed" "sig.bin is not leader9's signature" "$out"
cp "$T/exp/signed.bin" "$T/flip/signed.bin"
b=$(od -An -tu1 -j5 -N1 "$T/flip/sig.bin" | tr -d ' ')
printf "$(printf '\\%03o' $(((b + 1) % 256)))" | dd of="$T/flip/sig.bin" bs=1 seek=5 conv=notrunc 2>/dev/null
check_fails "openssl refuses a flipped byte in sig.bin" openssl pkeyutl -verify -pubin -inkey "$T/flip/pub.pem" -rawin -in "$T/flip/signed.bin" -sigfile "$T/flip/sig.bin"
check_fails "motcua refuses a flipped byte in sig.bin" mc verify "$code" --dir "$T/flip"

# a changed dossier: the signature no longer verifies (the projection was edited)
cp "$DB" "$T/changed.db"
sqlite3 "$T/changed.db" "update dossiers set applicant_name = 'Nguyễn Văn Đực' where code = '$code'"
out=$("$MOTCUA" --db "$T/changed.db" verify "$code" 2>&1); rc=$?
check_eq "changed dossier: exit 3" 3 $rc
check_match "changed dossier: says so" "changed after signing" "$out"
check_fails "changed dossier: cannot be exported" "$MOTCUA" --db "$T/changed.db" signature export "$code" --dir "$T/exp2"
check_fails "the old export no longer matches the store" "$MOTCUA" --db "$T/changed.db" verify "$code" --dir "$T/exp"

# an edited signature event breaks the chain: verify refuses to trust it
cp "$DB" "$T/ev.db"
sqlite3 "$T/ev.db" "drop trigger events_append_only_update; update events set actor = 'leader2' where kind = 'signed'"
check_match "edited sign event: the chain is broken" "event log of dossier $code is broken" "$("$MOTCUA" --db "$T/ev.db" verify "$code" 2>&1)"

# a replaced key: old signatures still verify
printf 'a new passphrase here\n' >"$T/new"
check "replace the key" mc --as leader9 key create --replace --passphrase-file "$T/new"
check "the old signature still verifies" mc verify "$code"

# a dossier signed before keys existed (the demo's) says so
code2=$(at "2024-03-13 09:00:00" mc --as clerk1 --json receive --procedure $P --name "Trần Thị Hoa" --id 022123456780 |
	sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
check_match "an unsigned dossier: not signed" "has not been signed" "$(mc verify "$code2" 2>&1)"
check_match "an unknown dossier" "no dossier with code" "$(mc verify 000.00.17.H45-990101-0001 2>&1)"
