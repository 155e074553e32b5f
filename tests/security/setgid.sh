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
V=mcv$$
cleanup() {
	userdel "$U" 2>/dev/null
	userdel "$V" 2>/dev/null
	groupdel "$G" 2>/dev/null
	rm -rf "$P" "$T"
}
trap cleanup EXIT
chmod 755 "$P"
groupadd "$G" && useradd -M -d /nonexistent -s /bin/sh "$U" && useradd -M -d /nonexistent -s /bin/sh "$V" || { not_ok "cannot create the temporary group and user"; exit 1; }
S=$P/var/lib/motcua
BIN=$P/bin/motcua
as_user() { runuser -u "$U" -- "$@"; }

make -C "$ROOT" --no-print-directory install PREFIX="$P" STATEDIR="$S" MOTCUA_GROUP="$G" >"$T/install.log" 2>&1
check_eq "make install: the binary is set-group-id $G" "2755 $G" "$(stat -c '%a %G' "$BIN" 2>&1)"
check_eq "make install: the store directory" "2770 $G" "$(stat -c '%a %G' "$S" 2>&1)"

# the administrator (root) creates the shared store: the compiled-in path; whatever
# root's umask, the store is made for the group to read and write (mode 660)
(umask 022; "$BIN" demo --dossiers 0 >/dev/null 2>&1)
check "root created the shared store in the state directory" test -f "$S/motcua.db"
check_eq "store: group $G, mode 660 (umask 022)" "660 $G" "$(stat -c '%a %G' "$S/motcua.db")"
"$BIN" user add "$U" --name "Người dùng thử" --roles clerk,leader >/dev/null

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

# ---- the group privilege is given up first, by every command (issue 14, item 1) ----
# procids runs a command as the plain user and reads /proc/PID/status from outside:
# while the command is blocked on its first write (its output pipes are full) and
# after it has exited.  Every Gid field must be the user's own group, never $G.
cc -o "$T/procids" "$ROOT/tests/security/procids.c" || { not_ok "cannot build procids"; exit 1; }
uid=$(id -u "$U"); ugid=$(id -g "$U"); ggid=$(getent group "$G" | cut -d: -f3)
as_ids() { "$T/procids" "$uid" "$ugid" "$@" 3>"$T/ids"; }
# ids_bad CMD...: runs it; prints every Gid field /proc showed that is not the user's
ids_bad() {
	as_ids "$@" >"$T/ids.out" 2>&1
	grep -q 'Gid:' "$T/ids" || echo "no Gid line read"
	awk -v g="$ugid" '$2 == "Gid:" { for (i = 3; i <= 6; i++) if ($i != g) print $i }' "$T/ids"
}
# ids_dropped DESC CMD...: the command ran, and /proc showed no id but the user's
ids_dropped() {
	d=$1; shift
	bad=$(ids_bad "$@")
	if [ -z "$bad" ]; then ok "$d"; else not_ok "$d"; sed 's/^/#   /' "$T/ids" "$T/ids.out" | head -12; fi
}
# the check can tell: a set-group-id program that keeps the group is seen holding it
"$T/procids" "$uid" "$ugid" sh -c 'exec 3>&-; echo' 3>"$T/ids" >/dev/null 2>&1
check_match "procids reads the ids of a blocked and an exited process" "blocked Gid:.*exit Gid:" "$(echo $(cat "$T/ids"))"
install -g "$G" -m 2755 "$(command -v env)" "$P/bin/env-sgid"
check_match "a set-group-id program that keeps the group is seen holding it" "^$ggid$" "$(ids_bad "$P/bin/env-sgid" | sort -u)"
"$T/procids" "$uid" "$ugid" "$BIN" --version 3>"$T/ids" >/dev/null 2>&1
check_nomatch "motcua --version: no id is the group's" "Gid:.*[[:space:]]$ggid([[:space:]]|\$)" "$(cat "$T/ids")"
cmds=$("$BIN" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
check_match "motcua --help lists the commands" "receive" "$cmds"
for c in $cmds; do
	ids_dropped "$c: the group privilege is gone (/proc/PID/status)" "$BIN" "$c"
done
for c in $cmds; do
	ids_dropped "$c --json x: the group privilege is gone" "$BIN" --json "$c" x
done
subs=$("$BIN" central --help | sed -n 's/^usage: motcua central //p' | tr '|' '\n' | awk '{ print $1 }' | grep -x '[a-z-]*')
check_match "central --help lists its subcommands" "submit-online" "$subs"

# central at an open place, and central inside the protected directory, both made by root
C=$T/cen; mkdir -m 777 "$C"
"$BIN" central init --central "sqlite:$C/central.db" >/dev/null && "$BIN" central publish --central "sqlite:$C/central.db" >/dev/null
chmod 666 "$C/central.db"
"$BIN" central init --central "sqlite:$S/central.db" >/dev/null && "$BIN" central publish --central "sqlite:$S/central.db" >/dev/null
office=$("$BIN" --json sync status | sed -n 's/.*"office": "\(.*\)".*/\1/p')
code=$("$BIN" central submit-online --central "sqlite:$C/central.db" --office "$office" --procedure 1.001037 --name "Lê Văn Mạng" --id 022123456701)
for c in $subs; do
	for u in "sqlite:$C/central.db" "sqlite:$S/central.db"; do
		ids_dropped "central $c (${u##*/} in ${u%/*}): the group privilege is gone" "$BIN" central "$c" --central "$u"
	done
done

# the attacks of the review, as a plain account under the set-group-id install
for u in "sqlite:$C/central.db" "sqlite:$S/central.db"; do
	w=${u#sqlite:}; w=${w%/*}; w=${w##*/}
	check_fails "a plain user cannot withdraw an office's dossier at central ($w)" \
		as_user "$BIN" central withdraw "$code" --reason x --central "$u"
	check_fails "nor file a fake online dossier ($w)" \
		as_user "$BIN" central submit-online --central "$u" --office "$office" --procedure 1.001037 --name "Giả Mạo" --id 022123456799
	check_fails "nor re-route, decide conflicts or publish ($w)" \
		sh -c "runuser -u $U -- $BIN central reroute $code --to X --reason r --central $u ||
			runuser -u $U -- $BIN central conflicts resolve $code --keep x --central $u ||
			runuser -u $U -- $BIN central publish --central $u || runuser -u $U -- $BIN central snapshot --central $u"
done
out=$(as_user "$BIN" central withdraw "$code" --reason x --central "sqlite:$C/central.db" 2>&1)
check_match "the refusal names the missing role" "needs an administrator of central" "$out"
check_eq "the dossier is not withdrawn at central" 0 \
	"$(sqlite3 "$C/central.db" "select count(*) from c_events where dossier_code = '$code' and kind = 'withdrawn'")"
"$BIN" sync export --out "$T/bundle" >/dev/null 2>&1
head -1 "$T/bundle" | sed 's/"own": *false/"own":true/' >"$T/own.bundle"; chmod 644 "$T/bundle" "$T/own.bundle"
for u in "sqlite:$C/central.db" "sqlite:$S/central.db"; do
	w=${u#sqlite:}; w=${w%/*}; w=${w##*/}
	rm -f "$C/reply"
	check_fails "a header-only bundle with \"own\":true gets no reply ($w)" \
		as_user "$BIN" central import "$T/own.bundle" --reply "$C/reply" --central "$u"
	check "no reply was written ($w)" test ! -e "$C/reply"
	check_fails "an office bundle cannot be imported by a plain user ($w)" \
		as_user "$BIN" central import "$T/bundle" --reply "$C/reply" --central "$u"
done
before=$(sqlite3 "$S/motcua.db" "select count(*) from sqlite_master")
check_fails "central init against the office store is refused" as_user "$BIN" central init --central "sqlite:$S/motcua.db"
check_fails "even as root" "$BIN" central init --central "sqlite:$S/motcua.db"
check_eq "the office store's schema is untouched" "$before" "$(sqlite3 "$S/motcua.db" "select count(*) from sqlite_master")"
check_fails "central init cannot create a file in the protected directory" as_user "$BIN" central init --central "sqlite:$S/new.db"
check "nothing was created there" test ! -e "$S/new.db"
out=$(as_user "$BIN" central status --central "sqlite:$S/central.db" 2>&1)
check_match "the protected central cannot even be opened" "unable to open|cannot open|Permission denied" "$out"
check_match "the shared store is intact after the attacks" "every chain is intact" "$("$BIN" audit verify)"

# the roles that may act at central: an admin of central's own agency; an office's own
# admin only reads the status of its office
"$BIN" user add "$V" --name "Quản trị viên" --roles admin >/dev/null
A2=$T/cen2; mkdir -m 777 "$A2"
"$BIN" central init --agency "$office" --central "sqlite:$A2/central.db" >/dev/null &&
	"$BIN" central publish --central "sqlite:$A2/central.db" >/dev/null && chmod 666 "$A2/central.db"
"$BIN" central publish --central "sqlite:$C/central.db" >/dev/null
x=$(runuser -u "$V" -- "$BIN" central submit-online --central "sqlite:$A2/central.db" --office "$office" --procedure 1.001037 --name "Trần Văn Thật" --id 022123456702 2>&1)
check_match "an admin of central's own agency files an online dossier" "^$office-" "$x"
check "and withdraws it" runuser -u "$V" -- "$BIN" central withdraw "$x" --reason "Người nộp rút" --central "sqlite:$A2/central.db"
check_fails "the clerk still may not, there" as_user "$BIN" central withdraw "$x" --reason x --central "sqlite:$A2/central.db"
out=$(runuser -u "$V" -- "$BIN" --json central status --central "sqlite:$C/central.db" 2>&1)
check_match "an office's own admin reads central's status" '"events"' "$out"
check_eq "for its own office only" "$(sqlite3 "$C/central.db" "select count(*) from c_events where office = '$office'")" \
	"$(printf '%s' "$out" | sed -n 's/.*"events": \([0-9]*\).*/\1/p')"
check_fails "but withdraws nothing at a central of another agency" \
	runuser -u "$V" -- "$BIN" central withdraw "$code" --reason x --central "sqlite:$C/central.db"
