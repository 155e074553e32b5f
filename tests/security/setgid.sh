#!/bin/sh
# setgid.sh - the deployment pattern of README "Deployment and security": `make install`
# into a temporary prefix with a temporary group; a temporary plain user can run motcua
# on the shared store but cannot open it with sqlite3, cannot redirect it (MOTCUA_DB,
# --db, --as), and motcua holds no privilege once the store is open.
. "$ROOT/tests/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
	ok "# SKIP needs root, useradd and runuser"
	exit 0
fi
P=$(mktemp -d "${TMPDIR:-/tmp}/motcua-inst.XXXXXX")
G=mcg$$
U=mcu$$
cleanup() {
	userdel "$U" 2>/dev/null
	groupdel "$G" 2>/dev/null
	rm -rf "$P" "$T"
}
trap cleanup EXIT
chmod 755 "$P"
groupadd "$G" && useradd -M -d /nonexistent -s /bin/sh "$U" || { not_ok "cannot create the temporary group and user"; exit 1; }
S=$P/var/lib/motcua
BIN=$P/bin/motcua
as_user() { runuser -u "$U" -- "$@"; }

make -C "$ROOT" --no-print-directory install PREFIX="$P" STATEDIR="$S" MOTCUA_GROUP="$G" >"$T/install.log" 2>&1
check_eq "make install: the binary is set-group-id $G" "2755 $G" "$(stat -c '%a %G' "$BIN" 2>&1)"
check_eq "make install: the store directory" "2770 $G" "$(stat -c '%a %G' "$S" 2>&1)"

# the administrator (root) creates the shared store: the compiled-in path
(umask 007; "$BIN" demo --dossiers 0 >/dev/null 2>&1)
check "root created the shared store in the state directory" test -f "$S/motcua.db"
chgrp "$G" "$S/motcua.db" && chmod 660 "$S/motcua.db"
"$BIN" user add "$U" --name "Người dùng thử" --roles clerk,leader >/dev/null
check_eq "store: group $G, mode 660" "660 $G" "$(stat -c '%a %G' "$S/motcua.db")"

out=$(as_user "$BIN" whoami 2>&1)
check_match "the plain user runs motcua on the shared store" "^$U .*roles one-stop clerk, leader," "$out"
check_fails "the plain user cannot open the store with sqlite3" as_user sqlite3 "$S/motcua.db" "select count(*) from events"
check_fails "nor read it at all" as_user cat "$S/motcua.db"
out=$(as_user "$BIN" receive --procedure 1.001037 --name "Nguyễn Văn Đức" --id 022123456789 2>&1)
check_match "the plain user writes through motcua" "received .*accepted" "$out"
out=$(as_user "$BIN" receive --procedure 1.001037 --name "Trần Thị Hoa" --id 022123456780 2>&1)
check_match "again, with the -wal the first process left" "received" "$out"
check_eq "the events record the real OS account" 2 "$(sqlite3 "$S/motcua.db" "select count(*) from events where os_account = '$U'")"

# no redirection of the store
out=$(as_user env MOTCUA_DB="$T/evil.db" XDG_DATA_HOME="$T" "$BIN" whoami 2>&1)
check_match "MOTCUA_DB and XDG_DATA_HOME are ignored" "^$U " "$out"
check "no store was made where the environment pointed" test ! -e "$T/evil.db"
out=$(as_user "$BIN" --db "$T/evil.db" whoami 2>&1); rc=$?
check_eq "--db is refused for a plain user (exit 5)" 5 $rc
check_match "--db refusal says why" "only for root" "$out"
check_fails "--as is refused for a plain user" as_user "$BIN" --as clerk1 whoami

# the privilege is gone once the store is open: a group-only file stays unreadable
out=$(as_user "$BIN" key create --passphrase-file "$S/motcua.db" 2>&1)
check_match "after opening the store, motcua cannot read group files" "cannot read the passphrase file .*Permission denied" "$out"
printf 'a long enough passphrase\n' >"$T/pass"; chmod 644 "$T/pass"; chmod 755 "$T"
check "the plain user creates a signing key" as_user "$BIN" key create --passphrase-file "$T/pass"

check_match "the shared store is intact" "every chain is intact" "$("$BIN" audit verify)"
check_eq "integrity" ok "$("$BIN" check 2>&1 | tail -1)"
