#!/bin/sh
# review.sh - the low findings of the security review, each refused now: a NUL in a
# catalog CSV field or in a passphrase file, a raw DEL in --json output, dates past a
# sane range (extend --until, holidays add), Unicode noncharacters in names, a negative
# --limit; and what used to be refused or misnamed: 'search TEXT --limit N',
# 'catalog import DIR'.
. "$ROOT/tests/lib.sh"
at "2024-03-11 08:00:00" mc demo --dossiers 0 >/dev/null
P=1.001037

# catalog: a NUL inside a field is refused, not silently cut
hdr=code,name,level,field_code,field_name,time_unit,statutory_direct,committed_direct,statutory_online,committed_online,fee,online_level,components
{ echo "$hdr"; printf '9.000001,Cấp phép\000 ẩn,1,XD,Xăng dầu,day,15,7,15,6,0,full,Đơn\n'; } >"$T/nul.csv"
before=$(sqlite3 "$DB" "select count(*) from procedures")
out=$(mc catalog import "$T/nul.csv" 2>&1); rc=$?
check_eq "a NUL in a catalog field is refused (exit 3)" 3 $rc
check_match "the refusal names the line and the NUL" "line 2 .*NUL" "$out"
check_eq "nothing was imported" "$before" "$(sqlite3 "$DB" "select count(*) from procedures")"
mkdir "$T/dir.csv"
out=$(mc catalog import "$T/dir.csv" 2>&1)
check_match "catalog import of a directory says it is a directory" "is a directory" "$out"
check_nomatch "and not that the file is empty" "empty" "$out"

# a passphrase file with a NUL: refused, no key made
printf 'a long enough\000 passphrase\n' >"$T/pass.nul"
keys=$(sqlite3 "$DB" "select count(*) from signing_keys")
out=$(mc --as leader1 key create --passphrase-file "$T/pass.nul" 2>&1); rc=$?
check "a passphrase file with a NUL is refused" test $rc -ne 0
check_match "the refusal says why" "NUL" "$out"
check_eq "no key was created" "$keys" "$(sqlite3 "$DB" "select count(*) from signing_keys")"
out=$(printf 'a long enough\000 passphrase\n' | mc --as leader1 key create --passphrase-fd 0 2>&1); rc=$?
check "nor on a descriptor" test $rc -ne 0

# --json: DEL and every control character escaped
code=$(at "2024-03-11 09:00:00" mc --as clerk1 receive --procedure $P --name "Nguyễn Văn Đức" --id 022123456789 | grep -o '000\.00\.17\.H45-[0-9]*-[0-9]*')
sqlite3 "$DB" "update dossiers set applicant_name = 'A' || char(127) || 'B' || char(1) || 'C' where code = '$code'"
mc --json show "$code" >"$T/show.json"
check "--json output holds no raw DEL" sh -c "! LC_ALL=C grep -q \"\$(printf '\177')\" '$T/show.json'"
check_match "DEL is written as \\u007f" 'A\\u007fB\\u0001C' "$(cat "$T/show.json")"
mc --json search "$code" >"$T/search.json"
check "search --json too" sh -c "! LC_ALL=C grep -q \"\$(printf '\177')\" '$T/search.json'"

# dates: within 20 years
at "2024-03-11 09:10:00" mc --as clerk1 transfer "$code" >/dev/null
at "2024-03-11 09:20:00" mc --as head_tm assign "$code" --to spec_tm1 >/dev/null
out=$(at "2024-03-12 09:00:00" mc --as spec_tm1 extend "$code" --until 9999-12-31 --reason "Xác minh" 2>&1); rc=$?
check_eq "extend --until 9999-12-31 is refused (exit 3)" 3 $rc
check_match "the refusal says why" "20 years" "$out"
check "a near date is still accepted" at "2024-03-12 09:00:00" mc --as spec_tm1 extend "$code" --until 2024-04-03 --reason "Xác minh"
out=$(mc holidays add 9999-12-31 "Ngày xa" 2>&1); rc=$?
check_eq "holidays add 9999-12-31 is refused (exit 3)" 3 $rc
check_eq "no such holiday stored" 0 "$(sqlite3 "$DB" "select count(*) from holidays where day like '9999%'")"
check "holidays add of a near date works" mc holidays add "$(date +%Y)-12-30" "Ngày gần"

# noncharacters in names
for nc in "$(printf 'A\357\277\276')" "$(printf 'A\357\277\277')" "$(printf 'A\357\267\220')" "$(printf 'A\360\237\277\277')"; do
	out=$(at "2024-03-11 10:00:00" mc --as clerk1 receive --procedure $P --name "$nc" --id 022123456780 2>&1); rc=$?
	check_eq "a noncharacter in a name is refused (exit 3)" 3 $rc
	check_match "the refusal names it" "noncharacter U\+" "$out"
done

# --limit
out=$(mc --as clerk1 queue --limit -5 2>&1); rc=$?
check_eq "queue --limit -5 is refused (exit 2)" 2 $rc
check_match "the refusal names --limit" "limit" "$out"
check_eq "queue --limit abc too" 2 "$(mc --as clerk1 queue --limit abc >/dev/null 2>&1; echo $?)"
check "queue --limit 5" mc --as clerk1 queue --limit 5
check_match "search TEXT --limit N is accepted" "$code" "$(mc search "$code" --limit 3 2>&1)"
check_match "search TEXT --limit=N too" "$code" "$(mc search "$code" --limit=3 2>&1)"
check_match "search --limit N TEXT too" "$code" "$(mc search --limit 3 "$code" 2>&1)"
check_eq "search --limit 0 is refused (exit 2)" 2 "$(mc search "$code" --limit 0 >/dev/null 2>&1; echo $?)"
