#!/bin/sh
# pkcs11.sh - a leader signs with the certificate on a (SoftHSM2) token through the
# terminal UI at 80x24: the sign form asks for the token PIN, which never appears on
# the screen; a wrong PIN is refused on the status line; the right one signs; the
# detail screen then says who signed (the certificate's Vietnamese name), as what,
# under which CA, and that the signature is valid.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tui/tmux.inc"
. "$ROOT/tests/security/pki.inc"
for x in softhsm2-util pkcs11-tool; do
	command -v $x >/dev/null || { ok "# SKIP $x is not installed"; exit 0; }
done
D=$T/pki
pki_make "$D" || { not_ok "the test PKI could not be made"; exit 1; }
NOW="2024-03-12 10:00:00"
at "2024-03-11 08:00:00" mc demo --dossiers 0 >/dev/null 2>&1
for f in root.pem sub.pem; do mc trust add "$D/$f" >/dev/null; done
for f in sub.crl root.crl; do mc trust crl "$D/$f" >/dev/null; done
mc token module "$P11" >/dev/null
at "2024-03-11 08:00:00" mc cert assign leader1 "$D/good.pem" --title "Phó Chủ tịch UBND huyện" >/dev/null
code=$(at "2024-03-11 09:00:00" mc --as clerk1 --json receive --procedure 1.001037 --name "Nguyễn Văn Đức" --id 022123456789 |
	sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
at "2024-03-11 10:00:00" mc --as clerk1 transfer "$code" >/dev/null
at "2024-03-11 10:30:00" mc --as head_tm assign "$code" --to spec_tm1 >/dev/null
at "2024-03-12 09:00:00" mc --as spec_tm1 propose "$code" --decision approve --note "Đủ điều kiện" >/dev/null

# leader2's certificate is another one: leader1's token is refused for them
at "2024-03-11 08:00:00" mc cert assign leader2 "$D/other.pem" --title "Chủ tịch UBND huyện" >/dev/null
start "env SOFTHSM2_CONF=$D/tok-good/softhsm2.conf TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as leader2"
expect "leader2 sees the dossier to sign" "$code"
keys k
expect "the sign form opens" "Mã PIN token"
keys Tab; text "$PIN"; keys C-o
expect "another user's certificate on the token is refused on the status line" "Nguyễn Văn An.*leader2|leader2.*Nguyễn Văn An"
check_nomatch "the PIN is not shown" "$PIN" "$(screen)"
check_eq "nothing was signed" 0 "$(sqlite3 "$DB" "select count(*) from events where kind = 'signed'")"

start "env SOFTHSM2_CONF=$D/tok-good/softhsm2.conf TZ=UTC-7 faketime -f '@$NOW' $MOTCUA --db $DB --as leader1"
expect "the leader sees the dossier to sign" "$code"
keys k
expect "the sign form asks for the token PIN" "Mã PIN token"
expect "and says the certificate on the token signs" "chứng thư số trên token"
keys Tab; text "999999"
check_nomatch "a typed PIN is not shown" "999999" "$(screen)"
keys C-o
expect "a wrong PIN is refused on the status line" "wrong PIN|sai mã PIN"
check_eq "nothing was signed" 0 "$(sqlite3 "$DB" "select count(*) from events where kind = 'signed'")"
keys C-u; text "$PIN"
check_nomatch "the PIN is not shown" "$PIN" "$(screen)"
keys C-o
expect "signed" "đã ký duyệt"
check_nomatch "the PIN never reached the screen" "$PIN" "$(screen)"
check "the certificate signature verifies (CLI)" at "$NOW" mc verify "$code"
keys /; text "nguyen van duc"; keys Enter
expect "search finds it" "Tìm thấy 1"
keys Enter
expect "the detail screen names the signer from the certificate, with title" "Nguyễn Văn An, Phó Chủ tịch UBND huyện"
expect "and the CA and validity" "CA phục vụ thử nghiệm G2"
keys q
wait_exit
