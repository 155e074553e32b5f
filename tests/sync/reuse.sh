#!/bin/sh
# reuse.sh - reusing an applicant's papers across offices, on both backends: a dossier
# the province digitised reaches the district through central (re-routed); its
# `attached` events arrive and its bytes after them (files travel with sync); while the
# bytes are not there (taken out here, as before they arrive) the district is offered
# nothing from it and cannot reuse it; once the next sync brings them back the
# district is offered the province's paper, named with its office, and reuses it
# without copying; the reuse event reaches central.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
OFF="postgresql://127.0.0.1:1/none?connect_timeout=2"   # a central that cannot be reached
codeof() { grep -o '[0-9.A-Z]*-[0-9]\{6\}-[0-9]\{4\}' | head -1; }

scenario() {
	use_central "$1" reuse
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	m "$DA" central init --central "$CURL" >/dev/null 2>&1
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
	m "$DA" central publish --central "$CURL" >/dev/null 2>&1
	m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
	mt "2024-03-11 08:05:00" "$DB_" sync --central "$CURL" >/dev/null 2>&1
	printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/don.pdf"
	printf '%%PDF-1.4\n2 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/gcn.pdf"

	# the province digitises the applicant's papers (P1: 1 application, 2 business registration)
	d1=$(mt "2024-03-11 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Công ty Bình An" --id 022123456789 --components all | codeof)
	mt "2024-03-11 09:05:00" "$DA" --as clerk1 attach "$d1" --component 2 "$T/gcn.pdf" >/dev/null
	check "province syncs $k" mt "2024-03-11 10:00:00" "$DA" sync --central "$CURL"
	check "central re-routes it to the district $k" mt "2024-03-11 11:00:00" "$DA" central reroute "$d1" --to $B --reason "Thuộc thẩm quyền huyện" --central "$CURL"
	check "district syncs $k" mt "2024-03-11 11:30:00" "$DB_" sync
	check_eq "the district has the dossier and its attached event $k" 1 \
		"$(sqlite3 "$DB_" "select count(*) from events where dossier_code = '$d1' and kind = 'attached'")"
	check_eq "... and its bytes after them $k" 1 "$(sqlite3 "$DB_" "select count(*) from files")"
	# as before the bytes arrive (a slow link leaves them for a later sync)
	sqlite3 "$DB_" "delete from file_chunks; delete from files"

	# 1.001259: component 2 is the same business registration
	out=$(mt "2024-03-12 09:00:00" "$DB_" --as d_clerk1 reuse --id 022123456789 --procedure 1.001259 --central "$OFF" 2>&1)
	check_match "offline, without the bytes nothing is offered $k" "no earlier digitised papers" "$out"
	ev=$(sqlite3 "$DB_" "select id from events where dossier_code = '$d1' and kind = 'attached'")
	out=$(mt "2024-03-12 09:00:00" "$DB_" --as d_clerk1 receive --procedure 1.001259 --name "Công ty Bình An" --id 022123456789 --components all 2>&1)
	d2=$(printf '%s\n' "$out" | codeof)
	out=$(mt "2024-03-12 09:05:00" "$DB_" --as d_clerk1 reuse "$d2" --component 2 --from "$ev" --central "$OFF" 2>&1); rc=$?
	check_eq "offline, a reuse of bytes not here is refused (exit 4) $k" 4 "$rc"
	check_match "... saying they have not arrived $k" "not in this store: it cannot be reused until its bytes arrive" "$out"

	# the bytes arrive with the next sync
	out=$(mt "2024-03-12 09:08:00" "$DB_" sync 2>&1)
	check_match "the next sync brings the bytes $k" "files: 0 sent .*1 received" "$out"
	out=$(mt "2024-03-12 09:10:00" "$DB_" --as d_clerk1 --json reuse --id 022123456789 --procedure 1.001259)
	check_match "now the province's paper is offered for component 2 $k" '"component": 2' "$out"
	check_match "... named with the province's office $k" "\"office\": \"$A\"" "$out"
	out=$(mt "2024-03-12 09:15:00" "$DB_" --as d_clerk1 reuse "$d2" --component 2 2>&1)
	check_match "the district reuses it $k" "reused gcn.pdf as component 2 of $d2" "$out"
	check_eq "no bytes stored again $k" 1 "$(sqlite3 "$DB_" "select count(*) from files")"
	check "the district's audit verify is clean $k" m "$DB_" audit verify
	check "district syncs $k" mt "2024-03-12 10:00:00" "$DB_" sync
	check_match "central has the reuse event, naming the province's dossier $k" "\"dossier\":\"$d1\"" \
		"$(cq "select payload from c_events where dossier_code = '$d2' and kind = 'attached'")"

	# ---- through central: papers attached at the province for another applicant, never
	# delivered to the district, are looked up at central by ID number when asked
	printf '%%PDF-1.4\n3 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/gcn2.pdf"
	d3=$(mt "2024-03-13 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Lê Văn Tâm" --id 031099000111 --components all | codeof)
	mt "2024-03-13 09:05:00" "$DA" --as clerk1 attach "$d3" --component 2 "$T/gcn2.pdf" >/dev/null
	check "province syncs the new paper $k" mt "2024-03-13 10:00:00" "$DA" sync
	check "district syncs $k" mt "2024-03-13 10:30:00" "$DB_" sync
	check_eq "the district never had the province's dossier $k" 0 "$(sqlite3 "$DB_" "select count(*) from events where dossier_code = '$d3'")"
	sha=$(sha256sum "$T/gcn2.pdf" | cut -c1-64)
	ev3=$(cq "select id from c_events where dossier_code = '$d3' and kind = 'attached'")
	out=$(mt "2024-03-13 11:00:00" "$DB_" --as d_clerk1 --json reuse --id 031099000111 --procedure 1.001259 2>&1)
	check_match "central's paper is offered for component 2 $k" "\"event\": \"$ev3\"" "$out"
	check_match "... marked as found at central $k" '"central": true' "$out"
	check_match "... with the province's office $k" "\"office\": \"$A\"" "$out"
	out=$(mt "2024-03-13 11:00:00" "$DB_" --as d_clerk1 reuse --id 031099000111 --procedure 1.001259 2>&1)
	check_match "the text list marks it $k" "\\* $d3 .*gcn2.pdf.*$A" "$out"
	out=$(mt "2024-03-13 11:00:00" "$DB_" --as d_clerk1 --json reuse --id 031099000222 --procedure 1.001259 2>&1)
	check_eq "another ID number is offered nothing $k" "[]" "$(printf '%s' "$out" | tr -d ' \n')"
	out=$(mt "2024-03-13 11:00:00" "$DB_" --as clerk1 --json reuse --id 031099000111 --procedure 1.001259 2>&1)
	check_match "a user central knows at another office may not look up there $k" "clerk1 at office $B has no role at central" "$out"
	check_nomatch "... and is offered nothing of central's $k" "$ev3" "$out"
	out=$(mt "2024-03-13 11:00:00" "$DB_" --as d_clerk1 reuse --id 031099000111 --procedure 1.001259 --central "$OFF" 2>&1)
	check_match "offline, the district is told so $k" "central cannot be reached .*only the papers in this store are offered" "$out"
	check_match "... and offered what it has $k" "no earlier digitised papers" "$out"

	# a file corrupted at central fails its hash check: nothing is received, central drops
	# it and the province, which has it, sends it again at its next sync
	if [ "$1" = sqlite ]; then cq "update c_file_chunks set data = x'00' where sha256 = '$sha'"
	else cq "update c_file_chunks set data = '\\x00'::bytea where sha256 = '$sha'"; fi
	n0=$(sqlite3 "$DB_" "select count(*) from dossiers")
	out=$(mt "2024-03-13 11:02:00" "$DB_" --as d_clerk1 receive --procedure 1.001259 --name "Lê Văn Tâm" --id 031099000111 --components all --reuse 2 2>&1); rc=$?
	check "a corrupt file at central is refused $k" [ "$rc" -ne 0 ]
	check_match "... saying it failed its hash check $k" "failed its hash check" "$out"
	check_eq "... nothing is received $k" "$n0" "$(sqlite3 "$DB_" "select count(*) from dossiers")"
	check_eq "... and no bytes kept $k" 0 "$(sqlite3 "$DB_" "select count(*) from files where sha256 = '$sha'")"
	check "the province sends it again $k" mt "2024-03-13 11:03:00" "$DA" sync

	# at receipt: the bytes come from central before the receipt's transaction
	out=$(mt "2024-03-13 11:05:00" "$DB_" --as d_clerk1 receive --procedure 1.001259 --name "Lê Văn Tâm" --id 031099000111 --components all --reuse 2 2>&1)
	d4=$(printf '%s\n' "$out" | codeof)
	check_match "receive --reuse takes the province's paper through central $k" "reused component 2: gcn2.pdf from dossier $d3" "$out"
	check_eq "its bytes arrived, named by their hash $k" 1 "$(sqlite3 "$DB_" "select count(*) from files where sha256 = '$sha'")"
	check "... and they hash-check $k" mt "2024-03-13 11:06:00" "$DB_" --as d_clerk1 file check "$d4"
	pl=$(sqlite3 "$DB_" "select payload from events where dossier_code = '$d4' and kind = 'attached'")
	check_match "the event names the province's dossier and event $k" "\"dossier\":\"$d3\",\"event\":\"$ev3\",\"office\":\"$A\"" "$pl"
	check_match "... and logs the lookup at central $k" "\"central\":\\{\"actor\":\"d_clerk1\",\"found\":1,\"office\":\"$B\"\\}" "$pl"

	# later, on a dossier: offline it is refused; online it is recorded, the bytes stored once
	d5=$(mt "2024-03-13 11:08:00" "$DB_" --as d_clerk1 receive --procedure 1.001259 --name "Lê Văn Tâm" --id 031099000111 --components all 2>&1 | codeof)
	out=$(mt "2024-03-13 11:09:00" "$DB_" --as d_clerk1 reuse "$d5" --component 2 --from "$ev3" --central "$OFF" 2>&1); rc=$?
	check "offline, a reuse from central is refused $k" [ "$rc" -ne 0 ]
	check_match "... saying central cannot be reached $k" "central cannot be reached" "$out"
	check_eq "... and nothing is recorded $k" 0 "$(sqlite3 "$DB_" "select count(*) from events where dossier_code = '$d5' and kind = 'attached'")"
	out=$(mt "2024-03-13 11:10:00" "$DB_" --as d_clerk1 reuse "$d5" --component 2 --from "$ev3" 2>&1)
	check_match "reuse CODE --from takes the event at central $k" "reused gcn2.pdf as component 2 of $d5" "$out"
	check_eq "... the bytes stored once $k" 1 "$(sqlite3 "$DB_" "select count(*) from files where sha256 = '$sha'")"
	out=$(mt "2024-03-13 11:11:00" "$DB_" --as d_clerk1 reuse "$d5" --component 2 --from "$ev3" 2>&1); rc=$?
	check "... and not twice $k" [ "$rc" -ne 0 ]
	d6=$(mt "2024-03-13 11:12:00" "$DB_" --as d_clerk1 receive --procedure 1.001259 --name "Trần Thị Hoa" --id 031099000222 --components all 2>&1 | codeof)
	out=$(mt "2024-03-13 11:13:00" "$DB_" --as d_clerk1 reuse "$d6" --component 2 --from "$ev3" 2>&1); rc=$?
	check "another person's paper at central cannot be taken by its event id $k" [ "$rc" -ne 0 ]
	check_match "... it is not found among this applicant's papers $k" "central has no earlier paper of this applicant with the event id $ev3" "$out"
	check_eq "... and nothing is recorded $k" 0 "$(sqlite3 "$DB_" "select count(*) from events where dossier_code = '$d6' and kind = 'attached'")"
	check "the district's audit verify is clean $k" m "$DB_" audit verify
	check "district syncs the reuses $k" mt "2024-03-13 12:00:00" "$DB_" sync
	check_eq "central has both reuse events, naming the province's event $k" 2 \
		"$(cq "select count(*) from c_events where kind = 'attached' and payload like '%$ev3%'")"
	check "province syncs $k" mt "2024-03-13 12:10:00" "$DA" sync
	check "the province's audit verify is clean $k" m "$DA" audit verify
	check "central's files all hash to their names $k" m "$DA" central files --central "$CURL"
	if [ "$1" = pg ]; then
		# an office's own role (row-level security) reads other offices' events only
		# through c_reuse_papers(), for the one applicant it names
		RB=motcua_000_00_31_h45
		check "central's owner makes the district's role" m "$DA" central office role $B --create --central "$CURL"
		pb() { psql -q -At -h "$PGDIR" -p "$PGPORT" -U "$RB" -d reuse -c "$1" 2>&1; }
		check_eq "as the district's role, the province's dossier is hidden $k" 0 "$(pb "select count(*) from c_events where dossier_code = '$d3'")"
		check_match "... but its paper is found for the applicant's ID number $k" "^$ev3\$" "$(pb "select r_id from c_reuse_papers('031099000111', '1', 10)")"
		check_eq "... and nothing for another ID number $k" 0 "$(pb "select count(*) from c_reuse_papers('031099000222', '1', 10)")"
		UB="postgresql:///reuse?host=$PGDIR&port=$PGPORT&user=$RB"
		out=$(mt "2024-03-13 12:20:00" "$DB_" --as d_clerk1 reuse "$d6" --central "$UB" 2>&1); rc=$?
		check_eq "motcua asks central as the district's role $k" "0" "$rc"
		check_nomatch "... without an error $k" "cannot be reached|permission|no role" "$out"
	fi
}
both_backends scenario
echo "1..$n"
