#!/bin/sh
# centralroles.sh - every 'central' subcommand checks a role at central, on both
# backends: an admin of central's own agency may act; an office's own admin may only
# read central's status of its office; a clerk nothing.  (As root acting --as each
# user; tests/security/setgid.sh does the same with real accounts under the install.)
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

scenario() {
	k="[$1]"
	DA=$T/$1.a.db
	m "$DA" demo --dossiers 0 >/dev/null
	m "$DA" sync export --out "$T/$1.bundle" >/dev/null
	# a central of another agency: the office's admin is not central's
	use_central "$1" roles
	m "$DA" central init --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	x=$(m "$DA" central submit-online --central "$CURL" --office $A --procedure $P1 --name "Lê Văn Mạng" --id 022123456701)
	for who in clerk1 admin; do
		for sub in "withdraw $x --reason r" "reroute $x --to $B --reason r" "conflicts" "conflicts resolve $x --keep x" "snapshot" \
			"publish" "init" "import $T/$1.bundle --reply $T/$1.reply" \
			"submit-online --office $A --procedure $P1 --name Giả --id 022123456799"; do
			# shellcheck disable=SC2086
			out=$(m "$DA" --as $who central $sub --central "$CURL" 2>&1); rc=$?
			check_eq "$who: central ${sub%% *} refused (exit 5) $k" 5 $rc
		done
	done
	check_match "the refusal names the role $k" "needs an administrator of central: the account 'admin'" "$out"
	check "no reply was written for a refused import $k" test ! -e "$T/$1.reply"
	check_eq "the dossier was not withdrawn $k" 0 "$(cq "select count(*) from c_events where dossier_code = '$x' and kind = 'withdrawn'")"
	check_eq "no fake dossier filed $k" 1 "$(cq "select count(*) from c_dossiers")"
	out=$(m "$DA" --as admin --json central status --central "$CURL" 2>&1)
	check_match "the office's own admin reads central's status $k" '"events": ' "$out"
	check_eq "of its own office only $k" "$(cq "select count(*) from c_events where office = '$A'")" \
		"$(printf '%s' "$out" | sed -n 's/.*"events": \([0-9]*\).*/\1/p')"
	check_fails "a clerk does not $k" m "$DA" --as clerk1 central status --central "$CURL"
	# a central whose agency is the office's: its admin is central's admin
	use_central "$1" roles2
	m "$DA" central init --agency $A --central "$CURL" >/dev/null
	m "$DA" central publish --central "$CURL" >/dev/null
	y=$(m "$DA" --as admin central submit-online --central "$CURL" --office $A --procedure $P1 --name "Trần Văn Thật" --id 022123456702)
	check_match "an admin of central's agency files an online dossier $k" "^$A-" "$y"
	check "and withdraws it $k" m "$DA" --as admin central withdraw "$y" --reason "Người nộp rút" --central "$CURL"
	check "and imports a bundle $k" m "$DA" --as admin central import "$T/$1.bundle" --reply "$T/$1.reply2" --central "$CURL"
	check_fails "a clerk still may not $k" m "$DA" --as clerk1 central withdraw "$y" --reason r --central "$CURL"
}
both_backends scenario
