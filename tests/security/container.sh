#!/bin/sh
# container.sh - under the set-group-id install (README "Deployment and security") the
# container of large attached files, <store>-files, is the group's like the store: made
# 660 when root creates the store, opened with it before the group is given up, so a
# plain user attaches and exports a large scan through motcua but cannot read the
# container itself.
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
(umask 022; "$BIN" demo --dossiers 0 >/dev/null 2>&1)
check_eq "the container beside the store: group $G, mode 660 (umask 022)" "660 $G" "$(stat -c '%a %G' "$S/motcua.db-files" 2>&1)"
"$BIN" user add "$U" --name "Người dùng thử" --roles clerk >/dev/null
chmod 755 "$T"
code=$(as_user "$BIN" receive --procedure 1.001037 --name "Nguyễn Văn Đức" --id 022123456789 | grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1)
{ printf '%%PDF-1.5\n'; head -c 2097152 /dev/urandom; } >"$T/scan.pdf"
chmod 644 "$T/scan.pdf"
out=$(as_user "$BIN" attach "$code" --component 1 "$T/scan.pdf" 2>&1)
check_match "the plain user attaches a 2 MB scan" "^attached scan.pdf" "$out"
check_eq "its bytes are in the container" 2097161 "$(stat -c %s "$S/motcua.db-files")"
check_fails "the plain user cannot read the container itself" as_user cat "$S/motcua.db-files"
mkdir "$T/out"; chmod 777 "$T/out"
check "the plain user exports it through motcua" as_user "$BIN" file export "$code" --dir "$T/out"
check "byte for byte" cmp "$T/scan.pdf" "$T/out/1-scan.pdf"
check_match "audit verify is clean" "every chain is intact" "$("$BIN" audit verify)"
echo "1..$n"
