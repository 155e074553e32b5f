#!/bin/sh
# result.sh - the electronic result: a PDF attached as the dossier's result document
# (attach --result) is covered by the leader's certificate signature (its SHA-256 in
# the signed bytes' result-sha256 line), and `verify --file RESULT.pdf` checks it from
# the file alone: it names the dossier and verifies the signature; a changed file, or
# a file nobody signed, is refused; the exported signed bytes carry the hash, and
# `openssl cms` verifies them.  A test PKI and a SoftHSM2 token (tests/security/pki.inc).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/security/pki.inc"
for x in softhsm2-util pkcs11-tool; do
	command -v $x >/dev/null || { ok "# SKIP $x is not installed"; echo "1..$n"; exit 0; }
done
[ -f "$P11" ] || { ok "# SKIP no SoftHSM2 module"; echo "1..$n"; exit 0; }
D=$T/pki
pki_make "$D" || { not_ok "the test PKI could not be made"; exit 1; }
printf '%s\n' $PIN >"$T/pin"
NOW="2024-03-12 10:00:00"
at "2024-03-11 08:00:00" mc demo --dossiers 0 >/dev/null
mc trust add "$D/root.pem" >/dev/null && mc trust add "$D/sub.pem" >/dev/null
mc trust crl "$D/sub.crl" >/dev/null && mc trust crl "$D/root.crl" >/dev/null
mc token module "$P11" >/dev/null
at "2024-03-11 08:00:00" mc cert assign leader1 "$D/good.pem" --title "Phó Chủ tịch UBND huyện" >/dev/null
c=$(at "2024-03-11 09:00:00" mc --as clerk1 --json receive --procedure 1.001037 --name "Nguyễn Văn Đức" --id 022123456781 |
	sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
at "2024-03-11 10:00:00" mc --as clerk1 transfer "$c" >/dev/null
at "2024-03-11 10:30:00" mc --as head_tm assign "$c" --to spec_tm1 >/dev/null
printf '%%PDF-1.4\n%% Quyết định cấp phép số 15/QĐ-UBND\n%%%%EOF\n' >"$T/ketqua.pdf"
out=$(at "2024-03-12 09:00:00" mc --as spec_tm1 attach "$c" --result "$T/ketqua.pdf")
check_match "the specialist attaches the decision as the result document" "attached ketqua.pdf to $c as the result document" "$out"
check_match "files marks it R" "^ 1   R  ketqua.pdf" "$(mc --as spec_tm1 files "$c")"
check_fails "--result takes no --component" mc --as spec_tm1 attach "$c" --result --component 1 "$T/ketqua.pdf"
at "2024-03-12 09:00:00" mc --as spec_tm1 propose "$c" --decision approve --note "Đủ điều kiện" >/dev/null
check "the leader signs on the token" env SOFTHSM2_CONF="$D/tok-good/softhsm2.conf" TZ=UTC-7 faketime -f "@$NOW" \
	"$MOTCUA" --db "$DB" --as leader1 sign "$c" --pin-file "$T/pin" --decision-no "15/QĐ-UBND"
sha=$(sha256sum "$T/ketqua.pdf" | cut -c1-64)
check_match "the signed event carries the result's SHA-256" "\"result_sha256\":\"$sha\"" \
	"$(sqlite3 "$DB" "SELECT payload FROM events WHERE kind = 'signed' AND dossier_code = '$c'")"

out=$(at "$NOW" mc verify --file "$T/ketqua.pdf" 2>&1); rc=$?
check_eq "verify --file: exit 0" 0 "$rc"
check_match "verify --file names the dossier" "ketqua.pdf \(sha256 $sha\) is the result document of dossier $c" "$out"
check_match "and verifies the leader's signature" "Nguyễn Văn An" "$out"
cp "$T/ketqua.pdf" "$T/sua.pdf"; printf ' ' >>"$T/sua.pdf"
out=$(at "$NOW" mc verify --file "$T/sua.pdf" 2>&1); rc=$?
check_eq "a changed result is refused (exit 4)" 4 "$rc"
check_match "saying no signed result has its hash" "no signed result of this store has the SHA-256 of" "$out"
mkdir "$T/e"
check "signature export" at "$NOW" mc signature export "$c" --dir "$T/e"
check_match "the signed bytes name the result's SHA-256" "^result-sha256: $sha$" "$(cat "$T/e/signed.bin")"
check "openssl cms verifies the signed bytes with the result's hash" at "$NOW" openssl cms -verify -binary -inform DER \
	-in "$T/e/sig.p7s" -content "$T/e/signed.bin" -CAfile "$T/e/chain-and-crls.pem" -purpose any -out /dev/null
# the hash in the event edited: the signature no longer verifies
cp "$DB" "$T/edit.db"
sqlite3 "$T/edit.db" "DROP TRIGGER IF EXISTS events_append_only_update;
	UPDATE events SET payload = replace(payload, '$sha', '$(sha256sum "$T/sua.pdf" | cut -c1-64)') WHERE kind = 'signed'"
check_fails "a result hash edited in the store fails verification" env TZ=UTC-7 faketime -f "@$NOW" "$MOTCUA" --db "$T/edit.db" verify --file "$T/sua.pdf"
echo "1..$n"
