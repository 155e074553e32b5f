#!/bin/sh
# hostile.sh - hostile text through the CLI: escape sequences (CSI, OSC, DCS), C1
# controls, bidi overrides, invalid UTF-8 and overlong text are refused at the boundary
# with a message naming the field; text that reached the store anyway (an edited store,
# a hostile bundle) is printed escaped by every command, never raw; SQL
# metacharacters are data.
. "$ROOT/tests/lib.sh"

# has_raw FILE: 0 if FILE holds a raw ESC, BEL, C1 CSI (U+009B), a lone 0x9b or U+202E
has_raw() {
	LC_ALL=C grep -q "$(printf '\033')\|$(printf '\007')\|$(printf '\302\233')\|$(printf '\342\200\256')" "$1" && return 0
	LC_ALL=C grep -q "$(printf '\233')" "$1"
}
check_clean() { # DESC FILE
	if has_raw "$2"; then not_ok "$1"; od -c "$2" | head -5 | sed 's/^/#   /'; else ok "$1"; fi
}

at "2024-03-11 08:00:00" mc demo --dossiers 0 >/dev/null
P=1.001037
recv() { at "2024-03-11 09:00:00" mc --as clerk1 receive --procedure $P --id 022123456789 "$@"; }

n_before=$(sqlite3 "$DB" "select count(*) from dossiers")
i=0
for bad in "$(printf 'A\033[31mred')" "$(printf 'A\033]0;pwned\007')" "$(printf 'A\033P+q\033\\')" \
	"$(printf 'A\302\233""31m')" "$(printf 'A\342\200\256evil')" "$(printf 'A\007bell')" "$(printf 'A\010x')" \
	"$(printf 'A\377B')" "$(printf 'A\300\257')" "$(printf 'A\355\240\200')" "$(printf 'A\342\201\246x')"; do
	i=$((i + 1))
	recv --name "$bad" >"$T/out.$i" 2>&1; rc=$?
	check_eq "hostile name $i refused with exit 3" 3 $rc
	check_clean "hostile name $i: the message holds nothing raw" "$T/out.$i"
done
check_match "the refusal names the field" "applicant name" "$(cat "$T/out.1")"
long=$(printf '%0201d' 0 | tr 0 a)
check_fails "an overlong name is refused" recv --name "$long"
check_match "overlong: says the limit" "200" "$(recv --name "$long" 2>&1)"
recv --name "Lê Văn A" --address "$(printf 'x\033[2J')" >"$T/addr" 2>&1
check_match "a hostile address is refused" "address" "$(cat "$T/addr")"
check_eq "nothing was stored" "$n_before" "$(sqlite3 "$DB" "select count(*) from dossiers")"

# hostile arguments in usage errors and unknown commands come back escaped
"$MOTCUA" --db "$DB" "$(printf 'x\033]0;t\007')" >"$T/u1" 2>&1
check_clean "unknown command echoed escaped" "$T/u1"
"$MOTCUA" --db "$DB" receive "$(printf '\033[2J')" >"$T/u2" 2>&1
check_clean "unexpected argument echoed escaped" "$T/u2"
"$MOTCUA" --db "$DB" show "$(printf '\033[2Jx')" >"$T/u3" 2>&1
check_clean "unknown code echoed escaped" "$T/u3"
"$MOTCUA" --db "$DB" --as "$(printf '\033[2J')" whoami >"$T/u4" 2>&1
check_clean "unknown --as user echoed escaped" "$T/u4"

# SQL metacharacters are data
sq="Robert'); DROP TABLE dossiers;--"
out=$(recv --name "$sq" --json)
code=$(printf '%s' "$out" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
check_eq "a name with SQL in it is stored verbatim" "$sq" "$(sqlite3 "$DB" "select applicant_name from dossiers where code = '$code'")"
check_match "and found by search" "$code" "$(mc search robert)"

# text that reached the store raw (edited store, hostile bundle) is printed escaped
evil=$(printf 'Nguy\033]0;pwned\007\033[2J\302\233""6n\342\200\256ễn')
sqlite3 "$DB" "update dossiers set applicant_name = '$evil', applicant_address = '$evil', note = '$evil' where code = '$code'"
sqlite3 "$DB" "drop trigger events_append_only_update; update events set actor = '$evil' where dossier_code = '$code'"
sqlite3 "$DB" "update users set name = '$evil' where account = 'clerk1'"
for c in "show $code" "history $code" "search robert" "--as clerk1 queue" "--json show $code" "--json history $code" \
	"users" "--as clerk1 whoami" "audit verify" "verify $code"; do
	# shellcheck disable=SC2086
	at "2024-03-11 10:00:00" "$MOTCUA" --db "$DB" $c >"$T/o" 2>&1
	check_clean "'$c' prints stored escapes escaped" "$T/o"
done
check_match "show makes the escape visible" 'Nguy\\x1b\]0;pwned' "$(mc show "$code")"
