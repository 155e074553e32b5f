#!/bin/sh
# pkcs11.sh - signatures the law recognises, through the CLI: a test PKI and SoftHSM2
# tokens made here (tests/security/pki.inc); the trust store (trust add/crl, a wrong
# fingerprint refused); signing refused before the PIN or before signing for each bad
# case (no CRL, untrusted root, expired, revoked, wrong KeyUsage, another user's
# certificate, stale CRL, wrong PIN, no terminal); the PIN typed on a terminal without
# echo; a good signature verified by motcua and by plain `openssl cms`; then broken:
# a flipped byte in the content or the signature, a wrong anchor, a missing or stale
# CRL; an old Ed25519 signature still verifies; central carries the trust store; an
# RFC 3161 timestamp from a stand-in TSA on 127.0.0.1 (CAdES-T), and a TSA that does not
# answer refuses the signature.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/security/pki.inc"
for x in softhsm2-util pkcs11-tool; do
	command -v $x >/dev/null || { ok "# SKIP $x is not installed"; exit 0; }
done
[ -f "$P11" ] || { ok "# SKIP no SoftHSM2 module"; exit 0; }
D=$T/pki
pki_make "$D" || { not_ok "the test PKI could not be made"; exit 1; }
printf '%s\n' $PIN >"$T/pin"
printf '999999\n' >"$T/badpin"
NOW="2024-03-12 10:00:00"
tok() { echo "$D/tok-$1/softhsm2.conf"; }
# signas TOKEN USER CODE [ARGS]: sign with the PIN file at $NOW
signas() { _t=$1; _u=$2; _c=$3; shift 3; SOFTHSM2_CONF=$(tok "$_t") at "$NOW" mc --as "$_u" sign "$_c" --pin-file "$T/pin" "$@"; }

at "2024-03-11 08:00:00" mc demo --dossiers 0 >/dev/null
for u in leader3 leader4 leader5; do mc user add $u --name "Lãnh đạo $u" --roles leader >/dev/null; done
todo() {  # todo N: a dossier waiting for the signature
	n_=$1
	c=$(at "2024-03-11 09:00:00" mc --as clerk1 --json receive --procedure 1.001037 --name "Nguyễn Văn Đức $n_" --id 02212345678$n_ |
		sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
	at "2024-03-11 10:00:00" mc --as clerk1 transfer "$c" >/dev/null
	at "2024-03-11 10:30:00" mc --as head_tm assign "$c" --to spec_tm1 >/dev/null
	at "2024-03-12 09:00:00" mc --as spec_tm1 propose "$c" --decision approve --note "Đủ điều kiện" >/dev/null
	echo "$c"
}
A=$(todo 1); B=$(todo 2); C=$(todo 3)

# administration: only an admin; a root is checked against its published fingerprint
check_fails "a clerk may not change the trust store" mc --as clerk1 trust add "$D/root.pem"
fpr=$(openssl x509 -in "$D/root.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
out=$(mc trust add "$D/root.pem" --sha256 "$(echo "$fpr" | sed 's/^../00/')" 2>&1)
check_match "a root whose fingerprint differs from the published one is refused" "not the one given" "$out"
check_match "the leaf CA cannot come before its root" "does not chain to a trusted root" "$(mc trust add "$D/sub.pem" 2>&1)"
check "the root is added when its fingerprint matches" mc trust add "$D/root.pem" --sha256 "$fpr"
check_match "a CRL of a CA not in the trust store is refused" "not signed by a CA of the trust store" "$(mc trust crl "$D/sub.crl" 2>&1)"
check "the sub-CA is added" mc trust add "$D/sub.pem"
check_match "a leaf is not a CA" "not a CA certificate" "$(mc trust add "$D/good.pem" 2>&1)"
openssl crl -in "$D/sub.crl" -outform DER -out "$T/x.der"
printf 'x' >"$T/nothing.crl"
check_match "a file without a CRL is refused" "holds no CRL" "$(mc trust crl "$T/nothing.crl" 2>&1)"
check "a CRL in DER is imported" mc trust crl "$T/x.der"
mc token module "$P11" >/dev/null
at "2024-03-11 08:00:00" mc cert assign leader1 "$D/good.pem" --title "Phó Chủ tịch UBND huyện" >/dev/null
at "2024-03-11 08:00:00" mc cert assign leader2 "$D/other.pem" --title "Chủ tịch UBND huyện" >/dev/null
at "2024-03-11 08:00:00" mc cert assign leader3 "$D/expired.pem" --title "Phó Chủ tịch" >/dev/null
at "2024-03-11 08:00:00" mc cert assign leader4 "$D/revoked.pem" --title "Phó Chủ tịch" >/dev/null
at "2024-03-11 08:00:00" mc cert assign leader5 "$D/wrongku.pem" --title "Phó Chủ tịch" >/dev/null
check_match "cert list shows the Vietnamese name" "^leader1  .*CN=Nguyễn Văn An" "$(mc cert list leader1)"
check_match "cert list shows the title" "title: Phó Chủ tịch UBND huyện" "$(mc cert list leader1)"
check_match "a specialist gets no certificate" "not a signer" "$(mc cert assign spec_tm1 "$D/good.pem" 2>&1)"

# refusals, each naming the problem; nothing signed
refused() { # DESC PATTERN TOKEN USER CODE
	out=$(signas "$3" "$4" "$5" 2>&1); rc=$?
	if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1"; echo "#   rc=$rc $out"; fi
}
refused "no CRL of the root for the sub-CA: refused" "no CRL of the CA \"Test Root\"" good leader1 "$A"
mc trust crl "$D/root.crl" >/dev/null
sqlite3 "$DB" "delete from trust_crls where issuer = (select fingerprint from trust_certs where not is_root)"
refused "no CRL of the sub-CA: refused" "no CRL of the CA \"CA phục vụ thử nghiệm G2\".*trust crl" good leader1 "$A"
mc trust crl "$D/sub.crl" >/dev/null
check_match "trust list shows the CRLs' freshness dates" "CRL of .*issued 2024-03-10 07:00, next update 2024-04-09 07:00" "$(at "$NOW" mc trust list)"
refused "another user's certificate on the token: refused" "certificate on the token \(\"Hoàng Văn Khác\"\) is not assigned to leader1" other leader1 "$A"
refused "an expired certificate: refused" "\"Trần Văn Hết\".*expired on 2024-01-01" expired leader3 "$A"
refused "a revoked certificate: refused" "\"Lê Thị Thu\" was revoked on 2024-03-05" revoked leader4 "$A"
refused "a certificate without digitalSignature/nonRepudiation: refused" "not for signing: its KeyUsage" wrongku leader5 "$A"
out=$(SOFTHSM2_CONF=$(tok good) at "2024-04-20 10:00:00" mc --as leader1 sign "$A" --pin-file "$T/pin" 2>&1)
check_match "a stale CRL (past its next update): refused" "CRL of the CA .* is out of date" "$out"
out=$(SOFTHSM2_CONF=$(tok good) at "$NOW" mc --as leader1 sign "$A" --pin-file "$T/badpin" 2>&1); rc=$?
check_eq "a wrong PIN: exit 5" 5 $rc
check_match "a wrong PIN: says so" "wrong PIN" "$out"
out=$(SOFTHSM2_CONF=$(tok good) at "$NOW" setsid "$MOTCUA" --db "$DB" --as leader1 sign "$A" </dev/null 2>&1)
check_match "no terminal: says to use --pin-file" "pin-file" "$out"
mc trust remove "$(sqlite3 "$DB" "select fingerprint from trust_certs where is_root and subject like '%Test Root%'")" >/dev/null
refused "a root no longer trusted: refused" "does not chain to a trusted root" good leader1 "$A"
check "adding a removed root again trusts it again" mc trust add "$D/root.pem"
check_eq "nothing was signed by the refusals" 0 "$(sqlite3 "$DB" "select count(*) from events where kind = 'signed'")"
check_eq "the PIN is not in the store" 0 "$(sqlite3 "$DB" "select count(*) from settings where value like '%$PIN%'")"

# the PIN typed on a terminal is not echoed
S=mcp11$$
tmux -L "$S" new-session -d -x 120 -y 20 "SOFTHSM2_CONF=$(tok good) TZ=UTC-7 faketime -f '@$NOW' '$MOTCUA' --db '$DB' --as leader1 sign '$A' --decision-no '15/QĐ-UBND'; echo EXIT=\$?; sleep 30"
i=0; while [ $i -lt 100 ] && ! tmux -L "$S" capture-pane -p | grep -q "PIN of your"; do sleep 0.1; i=$((i + 1)); done
tmux -L "$S" send-keys -l "$PIN"; tmux -L "$S" send-keys Enter
i=0; while [ $i -lt 100 ] && ! tmux -L "$S" capture-pane -p | grep -q "EXIT="; do sleep 0.1; i=$((i + 1)); done
screen=$(tmux -L "$S" capture-pane -p)
tmux -L "$S" kill-server 2>/dev/null
check_match "the terminal asked for the PIN" "PIN of your signing token" "$screen"
check_match "signed from the terminal" "EXIT=0" "$screen"
check_nomatch "the PIN was not echoed" "$PIN" "$screen"

# verify with motcua
out=$(at "$NOW" mc verify "$A"); rc=$?
check_eq "verify: exit 0" 0 $rc
check_match "verify names the signer's Vietnamese name, title and agency" "signer: Nguyễn Văn An, Phó Chủ tịch UBND huyện, .*\(000.00.17.H45\)" "$out"
check_match "verify names the CA and the root" "issued by CA phục vụ thử nghiệm G2 under the root Test Root \(CMS, CAdES-BES, RSASSA-PSS\)" "$out"
check_match "verify says valid and unrevoked at signing time" "valid and not revoked at signing time" "$out"
check_match "verify gives the decision number" "decision number: 15/QĐ-UBND of 2024-03-12" "$out"
check_match "verify --json" '"name": "Nguyễn Văn An"' "$(at "$NOW" mc --json verify "$A")"
# a month later the signature still verifies (the certificate's status at signing time counts)
check "verify a year later with the CRL of then" at "2025-03-12 10:00:00" mc verify "$A"

# export and plain openssl
check "export" at "$NOW" mc signature export "$A" --dir "$T/exp"
E=$T/exp
ocms() { at "$NOW" openssl cms -verify -binary -inform DER -in "$1/sig.p7s" -content "$1/signed.bin" -CAfile "$2" -purpose any -crl_check_all -out /dev/null; }
check "openssl cms verifies the export (CRLs checked at every level)" ocms "$E" "$E/chain-and-crls.pem"
check "openssl cms checks the CAdES signingCertificateV2" at "$NOW" openssl cms -verify -cades -binary -inform DER -in "$E/sig.p7s" -content "$E/signed.bin" -CAfile "$E/chain-and-crls.pem" -purpose any -out /dev/null
check_match "the signature is RSASSA-PSS" "rsassaPss" "$(openssl cms -cmsout -print -inform DER -in "$E/sig.p7s")"
check_match "signed attributes include signingCertificateV2" "signingCertificateV2" "$(openssl cms -cmsout -print -inform DER -in "$E/sig.p7s")"
check_nomatch "no SMIMECapabilities" "SMIMECapabilities|smimeCapabilities" "$(openssl cms -cmsout -print -inform DER -in "$E/sig.p7s")"
check_eq "the intermediate is embedded with the signer's certificate" 2 "$(openssl pkcs7 -inform DER -in "$E/sig.p7s" -print_certs | grep -c 'BEGIN CERTIFICATE')"
check_match "the signed bytes carry title, agency and decision number" "signer-title: Phó Chủ tịch UBND huyện" "$(cat "$E/signed.bin")"
check "motcua verifies the export" at "$NOW" mc verify "$A" --dir "$E"

# broken: a flipped byte in the content, in the signature; a wrong anchor; a missing or stale CRL
cp -r "$E" "$T/flip"
printf 'X' | dd of="$T/flip/signed.bin" bs=1 seek=30 conv=notrunc 2>/dev/null
check_fails "openssl refuses a flipped byte in signed.bin" ocms "$T/flip" "$E/chain-and-crls.pem"
check_match "motcua refuses a flipped byte in signed.bin" "does not match the signed bytes" "$(at "$NOW" mc verify "$A" --dir "$T/flip" 2>&1)"
cp "$E/signed.bin" "$T/flip/signed.bin"
sz=$(stat -c %s "$E/sig.p7s"); off=$((sz - 20))
b=$(od -An -tu1 -j$off -N1 "$E/sig.p7s" | tr -d ' ')
printf "$(printf '\\%03o' $(((b + 1) % 256)))" | dd of="$T/flip/sig.p7s" bs=1 seek=$off conv=notrunc 2>/dev/null
check_fails "openssl refuses a flipped byte in the signature" ocms "$T/flip" "$E/chain-and-crls.pem"
check_fails "motcua refuses a flipped byte in the signature" at "$NOW" mc verify "$A" --dir "$T/flip"
cat "$D/other-root.pem" "$D/sub.crl" "$D/root.crl" >"$T/wrong.pem"
check_fails "openssl refuses a wrong anchor" ocms "$E" "$T/wrong.pem"
cp "$DB" "$T/w.db"
sqlite3 "$T/w.db" "update trust_certs set active = 0 where is_root"
check_match "motcua refuses a wrong anchor (the root removed)" "does not chain to a trusted root" "$(at "$NOW" "$MOTCUA" --db "$T/w.db" verify "$A" 2>&1)"
cat "$D/root.pem" "$D/sub.pem" >"$T/nocrl.pem"
check_fails "openssl refuses without the CRLs" ocms "$E" "$T/nocrl.pem"
cp "$DB" "$T/m.db"
sqlite3 "$T/m.db" "delete from trust_crls"
check_match "motcua refuses with the CRL missing" "no CRL of the CA" "$(at "$NOW" "$MOTCUA" --db "$T/m.db" verify "$A" 2>&1)"
"$MOTCUA" --db "$T/m.db" trust crl "$D/old-sub.crl" >/dev/null
"$MOTCUA" --db "$T/m.db" trust crl "$D/root.crl" >/dev/null
check_match "motcua refuses with a stale CRL (past its next update before the signing)" "CRL of the CA .* is out of date" "$(at "$NOW" "$MOTCUA" --db "$T/m.db" verify "$A" 2>&1)"
cat "$D/root.pem" "$D/sub.pem" "$D/old-sub.crl" "$D/root.crl" >"$T/stale.pem"
check_fails "openssl refuses with a stale CRL" ocms "$E" "$T/stale.pem"
check_match "a newer CRL replaces it; an older one is kept out" "as new as this one" "$("$MOTCUA" --db "$T/m.db" trust crl "$D/sub.crl" >/dev/null; "$MOTCUA" --db "$T/m.db" trust crl "$D/old-sub.crl")"
cp "$DB" "$T/c.db"
sqlite3 "$T/c.db" "update dossiers set applicant_name = 'Nguyễn Văn Đực' where code = '$A'"
check_match "a changed dossier: the CMS no longer matches" "does not match the signed bytes" "$(at "$NOW" "$MOTCUA" --db "$T/c.db" verify "$A" 2>&1)"

# CAdES-T: a timestamp from the TSA (a stand-in on 127.0.0.1 answering with `openssl ts`)
cc -std=c11 -D_GNU_SOURCE -o "$T/tsa_mock" "$ROOT/tests/security/tsa_mock.c" || not_ok "the TSA stand-in does not build"
"$T/tsa_mock" "$D" ". '$ROOT/tests/security/pki.inc' && pki_tsa_reply '$D' '2024-03-12 03:00:07'" & MP=$!
trap 'kill $MP 2>/dev/null; rm -rf "$T"' EXIT
i=0; while [ $i -lt 50 ] && [ ! -s "$D/port" ]; do sleep 0.1; i=$((i + 1)); done
mc trust tsa "http://127.0.0.1:$(cat "$D/port")/tsa" >/dev/null
check "signed with a timestamp" signas good leader1 "$C"
out=$(at "$NOW" mc verify "$C")
check_match "verify shows the timestamp and its TSA" "timestamp: 2024-03-12 10:00 by Dịch vụ cấp dấu thời gian thử \(RFC 3161, CAdES-T\)" "$out"
check "export the timestamped signature" at "$NOW" mc signature export "$C" --dir "$T/expt"
check "openssl cms verifies the timestamped signature" ocms "$T/expt" "$T/expt/chain-and-crls.pem"
check_match "the timestamp is the unsigned attribute signatureTimeStampToken" "id-smime-aa-timeStampToken" "$(openssl cms -cmsout -print -inform DER -in "$T/expt/sig.p7s")"
kill $MP 2>/dev/null; wait $MP 2>/dev/null
C2=$(todo 4)
out=$(signas good leader1 "$C2" 2>&1); rc=$?
check_match "a TSA that does not answer: refused, nothing signed" "timestamp server .* did not answer" "$out"
check_match "and the dossier still waits for the signature" "stage +waiting for signature" "$(mc show "$C2")"
mc trust tsa "" >/dev/null

# OCSP where the office is online: a revocation the CRL does not know yet refuses; a
# responder that does not answer does not stop signing
mkdir -p "$T/ocsp"
"$T/tsa_mock" "$T/ocsp" ". '$ROOT/tests/security/pki.inc' && pki_ocsp_reply '$D' '$T/ocsp' '2024-03-12 03:00:00'" application/ocsp-response & MO=$!
trap 'kill $MP $MO 2>/dev/null; rm -rf "$T"' EXIT
i=0; while [ $i -lt 50 ] && [ ! -s "$T/ocsp/port" ]; do sleep 0.1; i=$((i + 1)); done
check "OCSP on" mc trust ocsp "http://127.0.0.1:$(cat "$T/ocsp/port")/"
refused "revoked after the latest CRL: the OCSP responder's answer refuses" "OCSP responder says the certificate \"Hoàng Văn Khác\" was revoked on 2024-03-11" other leader2 "$C2"
check "a good certificate signs with OCSP on" signas good leader1 "$C2"
kill $MO 2>/dev/null; wait $MO 2>/dev/null
C3=$(todo 5)
check "the responder gone (offline): signing still works on the CRL" signas good leader1 "$C3"
mc trust ocsp off >/dev/null

# old Ed25519 signatures keep verifying and say what they are
printf 'correct horse battery staple\n' >"$T/pass"
mc user add leader9 --name "Lãnh đạo cũ" --roles leader >/dev/null
mc --as leader9 key create --passphrase-file "$T/pass" >/dev/null
at "$NOW" mc --as leader9 sign "$B" --passphrase-file "$T/pass" >/dev/null
out=$(at "$NOW" mc verify "$B")
check_match "an Ed25519 signature still verifies, shown as such" "signature valid: dossier $B.*" "$out"
check_match "and says it is an Ed25519 key signature, not a certificate one" "^kind: Ed25519 key kept by motcua" "$out"

# central carries the trust store, its CRLs and the certificate mapping
mc central init --central "sqlite:$T/central.db" >/dev/null
check "publish the reference data" mc central publish --central "sqlite:$T/central.db"
O=$T/office.db
"$MOTCUA" --db "$O" init --office 000.00.31.H45 --name "UBND huyện Tiên Yên" >/dev/null
check "the office syncs" at "2024-03-12 11:00:00" "$MOTCUA" --db "$O" sync --central "sqlite:$T/central.db"
check_match "the office has the root" "^root +.*CN=Test Root" "$(at "$NOW" "$MOTCUA" --db "$O" trust list)"
check_eq "the office has the CRLs" 2 "$(sqlite3 "$O" 'select count(*) from trust_crls')"
check_match "the office knows whose certificate is whose" "^leader1  .*CN=Nguyễn Văn An" "$("$MOTCUA" --db "$O" cert list leader1)"
