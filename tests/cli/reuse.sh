#!/bin/sh
# reuse.sh - an applicant's earlier digitised papers from the command line: `reuse --id
# --procedure` offers them component by component (matched by the component's name,
# whatever its number in the new procedure), `receive --reuse` records the reuse in the
# receipt's transaction (the component counts as received; a refused reuse receives
# nothing), `reuse CODE --component N` later; the reuse is an `attached` event naming
# the earlier file's hash and event, no bytes are stored again; files, export, file
# check and audit verify treat it as any attachment; another applicant's file, a
# different paper, a supervisor are refused.
. "$ROOT/tests/lib.sh"
export LANG=C.UTF-8
mc demo --dossiers 0 >/dev/null 2>&1
A() { at "2024-04-01 09:00:00" mc "$@"; }
B() { at "2024-04-08 10:00:00" mc "$@"; }
q() { sqlite3 "$DB" "$1"; }
codeof() { grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1; }
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/ban-ke.pdf"
printf '%%PDF-1.4\n2 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/nang-luc.pdf"
printf '%%PDF-1.4\n3 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/khac.pdf"

# the earlier dossier (1.001074: 2 equipment list, 3 staff qualification) and another applicant's
c1=$(A --as clerk1 receive --procedure 1.001074 --id 022123456789 --components all --name "Nguyễn Văn An" | codeof)
check "the equipment list is attached to the first dossier" A --as clerk1 attach "$c1" --component 2 "$T/ban-ke.pdf"
check "and the staff qualification" A --as clerk1 attach "$c1" --component 3 "$T/nang-luc.pdf"
c9=$(A --as clerk1 receive --procedure 1.001074 --id 022999999999 --components all --name "Trần Thị Bình" | codeof)
check "another applicant's file" A --as clerk1 attach "$c9" --component 2 "$T/khac.pdf"
ev9=$(q "select id from events where dossier_code = '$c9' and kind = 'attached'")
files=$(q "select count(*) from files")

# offers for 1.001259, whose components 3 and 4 are those papers
out=$(B --as clerk1 reuse --id 022123456789 --procedure 1.001259)
check_match "component 3 is offered the equipment list (matched by name)" "component 3: Bản kê cơ sở vật chất" "$out"
check_match "component 4 is offered the staff qualification" "component 4: Tài liệu chứng minh năng lực" "$out"
check_match "each offer names the earlier dossier and file" "$c1 +ban-ke.pdf +application/pdf" "$out"
check_nomatch "another applicant's file is not offered" "khac.pdf" "$out"
check_nomatch "component 1 has nothing to offer" "component 1:" "$out"
check_eq "--json lists two offers" 2 "$(B --json --as clerk1 reuse --id 022123456789 --procedure 1.001259 | grep -c '"event"')"
out=$(B --as clerk1 reuse --id 022000000000 --procedure 1.001259)
check_match "an applicant without earlier papers is told so" "no earlier digitised papers" "$out"
out=$(B --as clerk1 reuse --id 12 --procedure 1.001259 2>&1); rc=$?
check_eq "an invalid ID number is refused (exit 3)" 3 "$rc"
out=$(B --as super1 reuse --id 022123456789 --procedure 1.001259 2>&1); rc=$?
check_eq "a supervisor may not look up an applicant's papers (exit 5)" 5 "$rc"

# receive with --reuse: components 1, 2 brought, 3 reused
out=$(B --as clerk1 receive --procedure 1.001259 --id 022123456789 --components 1,2 --name "Nguyễn Văn An" --reuse 4 2>&1); rc=$?
check_eq "without component 3 the dossier is not complete (exit 3)" 3 "$rc"
check_eq "... and nothing was received" 2 "$(q "select count(*) from dossiers")"
out=$(B --as clerk1 receive --procedure 1.001259 --id 022123456789 --components 1,2 --name "Nguyễn Văn An" --reuse 1 2>&1); rc=$?
check_eq "a component without an earlier paper cannot be reused (exit 4)" 4 "$rc"
check_match "the refusal names the component" "no earlier digitised paper for component 1" "$out"
out=$(B --as clerk1 receive --procedure 1.001259 --id 022123456789 --components 1,2,4 --name "Nguyễn Văn An" --reuse 3)
c2=$(printf '%s\n' "$out" | codeof)
check_match "received" "^received $c2" "$out"
check_match "the reuse is reported" "reused component 3: ban-ke.pdf from dossier $c1" "$out"
check_eq "component 3 counts as received (bits 1-4)" 15 "$(q "select components from dossiers where code = '$c2'")"
check_eq "received and reused in one transaction: the events follow each other" "received attached" \
	"$(q "select group_concat(kind, ' ') from (select kind from events where dossier_code = '$c2' order by dseq)")"
check_match "the event names the earlier dossier and event" "\"reused\":\\{\"dossier\":\"$c1\",\"event\":\"01" \
	"$(q "select payload from events where dossier_code = '$c2' and kind = 'attached'")"
check_eq "no bytes were stored again" "$files" "$(q "select count(*) from files")"
out=$(B --as clerk1 files "$c2")
check_match "files marks the reuse" "3 +ban-ke.pdf .*\\(reused from $c1\\)" "$out"
check_match "files --json has reused_from" "\"reused_from\": \"$c1\"" "$(B --json --as clerk1 files "$c2")"
mkdir -p "$T/out"
check "the reused file exports" B --as clerk1 file export "$c2" --dir "$T/out"
check "byte for byte" cmp "$T/ban-ke.pdf" "$T/out/3-ban-ke.pdf"
check "its hash checks" B --as clerk1 file check "$c2"

# later: component 4 from the offers of the dossier itself
out=$(B --as clerk1 reuse "$c2")
check_match "the dossier's own offers leave out what it has" "component 4:" "$out"
check_nomatch "... component 3 is no offer any more" "component 3:" "$out"
out=$(B --as clerk1 reuse "$c2" --component 4)
check_match "a later reuse" "reused nang-luc.pdf as component 4 of $c2" "$out"
out=$(B --as clerk1 reuse "$c2" --component 4 2>&1); rc=$?
check_eq "nothing left to offer for component 4 (exit 4)" 4 "$rc"
ev1=$(q "select id from events where dossier_code = '$c1' and kind = 'attached' and payload like '%ban-ke%'")
out=$(B --as clerk1 reuse "$c2" --component 3 --from "$ev1" 2>&1); rc=$?
check_eq "the same file twice is refused (exit 6)" 6 "$rc"
out=$(B --as clerk1 reuse "$c2" --component 1 --from "$ev1" 2>&1); rc=$?
check_eq "a different paper is refused (exit 3)" 3 "$rc"
check_match "... naming both" "different paper" "$out"
out=$(B --as clerk1 reuse "$c2" --component 2 --from "$ev9" 2>&1); rc=$?
check_eq "another applicant's file is refused (exit 5)" 5 "$rc"
check_fails "--from without --component is a usage error" B --as clerk1 reuse "$c2" --from "$ev1"
check_eq "three attached events besides the first dossiers'" 2 "$(q "select count(*) from events where dossier_code = '$c2' and kind = 'attached'")"

# audit verify: clean; a missing earlier file is named on the dossiers that reuse it
check "audit verify is clean" B --as admin audit verify
q "PRAGMA foreign_keys = OFF; DELETE FROM file_chunks WHERE file_id = (SELECT id FROM files WHERE sha256 = '$(sha256sum "$T/ban-ke.pdf" | cut -c1-64)'); DELETE FROM files WHERE sha256 = '$(sha256sum "$T/ban-ke.pdf" | cut -c1-64)'"
out=$(B --as admin audit verify 2>&1); rc=$?
check "audit verify fails" test "$rc" -ne 0
check_match "it names the reusing dossier's missing file" "$c2.*ban-ke.pdf.*missing" "$out"
out=$(B --as clerk1 reuse --id 022123456789 --procedure 1.001259)
check_nomatch "a file whose bytes are gone is offered no more" "ban-ke.pdf" "$out"
echo "1..$n"
