#!/bin/sh
# lienthong.sh - liên thông through central, on both backends, offices offline between
# syncs.  Sequential across levels: a commune centre receives a department's procedure;
# the department (the lead) opens the parts; the dossier goes with transfer slip 1 to
# the commune for its part, comes back to the department when the commune hands back,
# is concluded there and its result returns to the commune that received it.  Then three
# agencies in three stores: the department leads, the commune's part and then the
# district's, each with its slip; the district is late, the lateness is the district's,
# its head proposes and its leader signs the apology at the district's store.  Every office
# converges on the same parts, attribution and report.  Then parallel across three
# stores: the department leads, the commune's and the district's parts travel on chains
# of their own (CODE-P1, CODE-P2) to their stores and back; the district is late, the
# lateness is the district's, the apology names it; the lead concludes.  Then the late
# district's head signs the apology itself at its own store (on its part's chain in the
# parallel flow, on the dossier it holds in the sequential one); the lead's store has it,
# records the new appointment and prints form 04 naming the district and its head; a
# non-leader or another office's user is refused and nothing is written.  Chains verify;
# nothing is quarantined.  On PostgreSQL it runs again with each office connected as
# its own role (row-level security: the chains, the routing and the hand-backs go
# through the checked paths an office's role has).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

CM=000.31.29.H45       # the commune centre (UBND xã Đông Ngũ)

row() { sqlite3 "$1" "select o.agency_code || ' ' || d.stage from dossiers d join offices o on o.id = d.office_id where d.code = '$2'"; }
parts() { sqlite3 "$1" "select group_concat(o.agency_code || ':' || p.state || ':' || p.slip || ':' || p.due_at || ':' || p.returned_at, ' ') from dossier_parts p join dossiers d on d.id = p.dossier_id join offices o on o.id = p.office_id where d.code = '$2' order by p.n"; }

# every event of store $1 is at central with the same hash
at_central() {
	sqlite3 "$1" "select id || ' ' || lower(hex(hash)) from events" | LC_ALL=C sort >"$T/local.all"
	[ -z "$(LC_ALL=C comm -23 "$T/local.all" "$T/central.all")" ]
}

# ourl OFFICE: the URL an office's store syncs with (its own role in the roles run)
ourl() { if [ "$ROLES" = 1 ]; then echo "postgresql:///ltroles?host=$PGDIR&port=$PGPORT&user=motcua_$(echo "$1" | tr 'A-Z.' 'a-z_')"; else echo "$CURL"; fi; }
scenario() {
	if [ "$ROLES" = 1 ]; then use_central pg ltroles; else use_central "$1" lienthong; fi
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db; DC=$T/$1.c.db
	printf 'motcua-demo\n' >"$T/pass"
	m "$DA" central init --central "$CURL" >/dev/null 2>&1
	mt "2025-07-01 08:00:00" "$DA" demo --dossiers 0 >/dev/null 2>&1
	m "$DA" office set $A --kind department >/dev/null 2>&1
	m "$DA" office set $CM --kind commune >/dev/null 2>&1
	m "$DA" office resolves $A $P1 >/dev/null 2>&1
	check "the lead agency of $P1 $k" m "$DA" --as admin part agency $P1 $A --task "Thẩm định và quyết định" --days 5 --lead
	check "the commune's part $k" m "$DA" --as admin part agency $P1 $CM --task "Xác nhận của UBND xã" --days 2 --order 1
	m "$DA" user add c_clerk --name "Cán bộ xã" --roles clerk --office $CM >/dev/null 2>&1
	m "$DA" user add c_head --name "Trưởng VP xã" --roles head --office $CM --department VP-DN >/dev/null 2>&1
	m "$DA" user add c_spec --name "Công chức xã" --roles specialist --office $CM --department VP-DN >/dev/null 2>&1
	m "$DA" central publish --central "$CURL" >/dev/null 2>&1
	if [ "$ROLES" = 1 ]; then
		for o in $A $CM $B; do check "office $o's own role $k" m "$DA" central office role $o --create --central "$CURL"; done
	fi
	m "$DA" sync --central "$(ourl $A)" >/dev/null 2>&1
	m "$DC" init --office $CM --name "UBND xã Đông Ngũ" >/dev/null 2>&1
	mt "2025-07-01 08:05:00" "$DC" sync --central "$(ourl $CM)" >/dev/null 2>&1
	check_match "central publish carries the procedure's agencies to the commune $k" "$CM +1 +2 +Xác nhận của UBND xã" \
		"$(m "$DC" --as c_clerk part agencies $P1 2>&1)"

	# --- sequential across levels: commune -> department -> commune
	out=$(mt "2025-07-10 09:00:00" "$DC" --as c_clerk receive --procedure $P1 --name "Nguyễn Văn Liên" --id 022123456781 --components all 2>&1)
	check_match "the commune receives the department's procedure $k" "received $CM-250710-0001" "$out"
	s1=$CM-250710-0001
	check "the commune syncs $k" mt "2025-07-10 09:30:00" "$DC" sync
	check "the department syncs $k" mt "2025-07-10 09:40:00" "$DA" sync
	check_eq "s1 at the department $k" "$A 10" "$(row "$DA" $s1)"
	mt "2025-07-10 10:00:00" "$DA" --as clerk1 transfer $s1 >/dev/null 2>&1
	check "the department opens the parts, sequentially $k" mt "2025-07-10 10:10:00" "$DA" --as head_tm part open $s1 --flow sequential
	check_eq "s1 goes with slip 1 to the commune $k" "$CM 20" "$(row "$DA" $s1)"
	check "the department syncs $k" mt "2025-07-10 10:20:00" "$DA" sync
	check "the commune, offline meanwhile, syncs $k" mt "2025-07-11 08:00:00" "$DC" sync
	check_eq "the commune holds s1 for its part $k" "$CM 20" "$(row "$DC" $s1)"
	check_match "in the commune's part queue $k" "$s1 +1 $CM .* open" "$(mt "2025-07-11 08:00:00" "$DC" --as c_spec part list 2>&1)"
	check_match "with its transfer slip $k" "Số: 1/$s1" "$(m "$DC" part slip $s1 1 2>&1)"
	check "the commune's specialist takes the part $k" mt "2025-07-11 08:10:00" "$DC" --as c_spec part take $s1 1
	check "and hands it back $k" mt "2025-07-11 09:00:00" "$DC" --as c_spec part return $s1 1 --result "Xác nhận nơi cư trú"
	check_eq "s1 goes back to the lead $k" "$A 20" "$(row "$DC" $s1)"
	check "the commune syncs $k" mt "2025-07-11 09:10:00" "$DC" sync
	check "the department syncs $k" mt "2025-07-11 09:20:00" "$DA" sync
	check_eq "the department holds s1 again $k" "$A 20" "$(row "$DA" $s1)"
	check_eq "both offices see the same parts $k" "$(parts "$DA" $s1)" "$(parts "$DC" $s1)"
	check_match "the part handed back, on time $k" "^$CM:3:1:" "$(parts "$DA" $s1)"
	mt "2025-07-11 09:30:00" "$DA" --as head_tm assign $s1 --to spec_tm1 >/dev/null 2>&1
	check "the lead concludes $k" mt "2025-07-11 09:40:00" "$DA" --as spec_tm1 propose $s1 --decision approve
	check "the leader signs $k" mt "2025-07-11 09:50:00" "$DA" --as leader1 sign $s1 --passphrase-file "$T/pass"
	check_eq "the result goes to the commune that received it $k" "$CM 60" "$(row "$DA" $s1)"
	mt "2025-07-11 10:00:00" "$DA" sync >/dev/null 2>&1
	mt "2025-07-11 10:10:00" "$DC" sync >/dev/null 2>&1
	check "the commune returns it $k" mt "2025-07-11 10:20:00" "$DC" --as c_clerk return $s1 --collected-by "Nguyễn Văn Liên" --rating 5
	check "the commune syncs $k" mt "2025-07-11 10:30:00" "$DC" sync
	check_eq "s1's line at central $k" "received routed transferred lt_opened routed part_taken part_returned routed assigned proposed signed routed returned" \
		"$(cq "select kind from c_events where dossier_code = '$s1' order by dseq" | tr '\n' ' ' | sed 's/ $//')"

	# --- sequential with three agencies across three stores, the district late
	m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null 2>&1
	mt "2025-07-01 08:10:00" "$DB_" sync --central "$(ourl $B)" >/dev/null 2>&1
	check "the district takes part too $k" m "$DA" --as admin part agency $P1 $B --task "Ý kiến của UBND huyện" --days 2 --order 2
	check "the new configuration is published $k" m "$DA" central publish --central "$CURL"
	mt "2025-07-14 09:00:00" "$DC" --as c_clerk receive --procedure $P1 --name "Trần Thị Song" --id 022123456782 --components all >/dev/null 2>&1
	s2=$CM-250714-0001
	mt "2025-07-14 09:10:00" "$DC" sync >/dev/null 2>&1
	mt "2025-07-14 09:20:00" "$DA" sync >/dev/null 2>&1
	mt "2025-07-14 09:30:00" "$DA" --as clerk1 transfer $s2 >/dev/null 2>&1
	check "the lead opens the parts $k" mt "2025-07-14 10:00:00" "$DA" --as head_tm part open $s2 --flow sequential
	mt "2025-07-14 10:10:00" "$DA" sync >/dev/null 2>&1
	mt "2025-07-14 10:20:00" "$DC" sync >/dev/null 2>&1
	mt "2025-07-14 10:30:00" "$DC" --as c_spec part take $s2 1 >/dev/null 2>&1
	check "the commune hands back on time $k" mt "2025-07-15 10:00:00" "$DC" --as c_spec part return $s2 1 --result "Xã đồng ý"
	check_eq "s2 goes on to the district $k" "$B 20" "$(row "$DC" $s2)"
	mt "2025-07-15 10:10:00" "$DC" sync >/dev/null 2>&1
	check "the district syncs $k" mt "2025-07-15 10:20:00" "$DB_" sync
	check_eq "the district holds s2 $k" "$B 20" "$(row "$DB_" $s2)"
	check_match "with slip 2 $k" "Số: 2/$s2" "$(m "$DB_" part slip $s2 2 2>&1)"
	check "the district's head gives its part to its specialist $k" mt "2025-07-15 10:30:00" "$DB_" --as d_head part take $s2 2 --to d_spec1
	check_match "past its deadline the district's part is late $k" "attributed to agency $B" "$(mt "2025-07-18 09:00:00" "$DB_" part show $s2 2>&1)"
	check "the district's head proposes the apology $k" mt "2025-07-18 09:00:00" "$DB_" --as d_head extend $s2 --until 2025-08-05 --reason "Huyện chậm cho ý kiến"
	check "the district's leader signs it $k" mt "2025-07-18 09:10:00" "$DB_" --as d_leader issue-extension $s2
	check "the district hands back late $k" mt "2025-07-18 10:00:00" "$DB_" --as d_spec1 part return $s2 2 --result "Huyện đồng ý"
	check_eq "s2 goes back to the lead $k" "$A 20" "$(row "$DB_" $s2)"
	check "the district syncs $k" mt "2025-07-18 10:10:00" "$DB_" sync
	check "the department syncs $k" mt "2025-07-18 10:20:00" "$DA" sync
	check "the commune, which received it, syncs $k" mt "2025-07-18 10:30:00" "$DC" sync
	check_eq "the department and the district see the same parts $k" "$(parts "$DA" $s2)" "$(parts "$DB_" $s2)"
	check_eq "and the commune $k" "$(parts "$DA" $s2)" "$(parts "$DC" $s2)"
	check_match "the commune sees the lateness attributed to the district $k" "attributed to agency $B" "$(mt "2025-07-18 10:30:00" "$DC" part show $s2 2>&1)"
	f4=$(mt "2025-07-18 10:30:00" "$DC" form 04 $s2 2>&1)
	check_match "the apology names the district $k" "UBND huyện Tiên Yên" "$f4"
	check_eq "signed by its leader $k" "$B d_leader" "$(sqlite3 "$DC" "select json_extract(payload, '\$.agency') || ' ' || actor from events where dossier_code = '$s2' and kind = 'extended'")"
	rep=$(mt "2025-08-01 09:00:00" "$DA" --as super1 part report --from 2025-07-01 --until 2025-07-31 2>&1)
	check_match "the report: the district's late part $k" "$B +1 +0 +1 +1" "$rep"
	check_match "the report: the commune's two parts on time $k" "$CM +2 +0 +2 +0" "$rep"
	check_eq "the commune's store counts the same $k" "$rep" "$(mt "2025-08-01 09:00:00" "$DC" --as super1 part report --from 2025-07-01 --until 2025-07-31 2>&1)"

	# --- parallel across three stores: each part on a chain of its own (CODE-Pn), routed
	# to the part's office and back; the commune on time, the district late
	mt "2025-08-04 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Lê Văn Song Song" --id 022123456783 --components all >/dev/null 2>&1
	s3=$A-250804-0001
	mt "2025-08-04 09:10:00" "$DA" --as clerk1 transfer $s3 >/dev/null 2>&1
	check "the lead opens the parts, in parallel $k" mt "2025-08-04 10:00:00" "$DA" --as head_tm part open $s3 --flow parallel
	check_eq "the dossier stays at the lead $k" "$A 20" "$(row "$DA" $s3)"
	check_eq "part 1's chain goes to the commune $k" "$CM 0" "$(row "$DA" $s3-P1)"
	check_eq "part 2's chain goes to the district $k" "$B 0" "$(row "$DA" $s3-P2)"
	check_eq "each chain: its part's details, then routed to the part's office, when the parts open $k" \
		"received:1:$CM:$s3 routed:$CM|received:2:$B:$s3 routed:$B" \
		"$(sqlite3 "$DA" "select group_concat(x, ' ') from (select e.dossier_code c, e.kind || ':' || coalesce(json_extract(e.payload, '\$.part.n') || ':' || json_extract(e.payload, '\$.part.agency') || ':' || json_extract(e.payload, '\$.part.parent'), json_extract(e.payload, '\$.to')) x from events e join events o on o.dossier_code = '$s3' and o.kind = 'lt_opened' and o.at = e.at where e.dossier_code like '$s3-P%' order by e.dossier_code, e.dseq) group by c order by c" | tr '\n' '|' | sed 's/|$//')"
	check_eq "the lead's store lists both parts once, on the parent $k" "$s3:1 $s3:2" \
		"$(sqlite3 "$DA" "select group_concat(x, ' ') from (select d.code || ':' || p.n x from dossier_parts p join dossiers d on d.id = p.dossier_id where d.code like '$s3%' order by d.code, p.n)")"
	check "the department syncs $k" mt "2025-08-04 10:10:00" "$DA" sync
	check "the commune, offline meanwhile, syncs $k" mt "2025-08-04 11:00:00" "$DC" sync
	check_match "the commune's part queue holds its chain $k" "$s3-P1 +1 $CM .* open" "$(mt "2025-08-04 11:00:00" "$DC" --as c_spec part list 2>&1)"
	check "the commune's specialist takes its part $k" mt "2025-08-04 11:10:00" "$DC" --as c_spec part take $s3 1
	check "and hands it back on time $k" mt "2025-08-05 09:00:00" "$DC" --as c_spec part return $s3 1 --result "Xã xác nhận"
	check_eq "the commune's chain goes back to the lead $k" "$A 0" "$(row "$DC" $s3-P1)"
	check "the commune syncs $k" mt "2025-08-05 09:10:00" "$DC" sync
	check "the district syncs $k" mt "2025-08-05 09:20:00" "$DB_" sync
	check "the district's head gives its part to its specialist $k" mt "2025-08-05 09:30:00" "$DB_" --as d_head part take $s3 2 --to d_spec1
	out=$(mt "2025-08-05 09:40:00" "$DB_" --as d_spec1 part return $s3-P2 1 --result "x" 2>&1)
	check_match "a chain has only its own part $k" "has no part 1" "$out"
	check "the district syncs $k" mt "2025-08-05 09:50:00" "$DB_" sync
	out=$(mt "2025-08-05 09:55:00" "$DA" --as d_spec1 part return $s3 2 --result "x" 2>&1)
	check_match "the lead's store does not write the district's chain $k" "worked at the store of agency $B" "$out"
	check "the department syncs $k" mt "2025-08-07 09:00:00" "$DA" sync
	check_match "the commune's part is back at the lead $k" "^$CM:3:0:.*:[1-9][0-9]* $B:2:" "$(parts "$DA" $s3)"
	check_match "past its deadline the district's part is late $k" "attributed to agency $B" "$(mt "2025-08-07 09:00:00" "$DA" part show $s3 2>&1)"
	mt "2025-08-07 09:05:00" "$DA" --as head_tm assign $s3 --to spec_tm1 >/dev/null 2>&1
	out=$(mt "2025-08-07 09:10:00" "$DA" --as spec_tm1 propose $s3 --decision approve 2>&1)
	check_match "the lead cannot conclude before every part is back $k" "part 2 at agency $B" "$out"
	out=$(mt "2025-08-07 09:15:00" "$DA" --as d_head extend $s3 --until 2025-09-05 --reason "Huyện chậm cho ý kiến" 2>&1)
	check_match "the district's head writes nothing on the lead's dossier at the lead's store $k" "d_head may not" "$out"
	check "the lead's head proposes the apology $k" mt "2025-08-07 09:20:00" "$DA" --as head_tm extend $s3 --until 2025-09-05 --reason "Huyện chậm cho ý kiến"
	check "the lead's leader issues it, naming the district $k" mt "2025-08-07 09:30:00" "$DA" --as leader1 issue-extension $s3
	check_eq "the apology is the district's $k" "$B leader1" "$(sqlite3 "$DA" "select json_extract(payload, '\$.agency') || ' ' || actor from events where dossier_code = '$s3' and kind = 'extended'")"
	check_match "the apology names the district $k" "UBND huyện Tiên Yên" "$(mt "2025-08-07 09:40:00" "$DA" form 04 $s3 2>&1)"
	check "the department syncs $k" mt "2025-08-07 09:50:00" "$DA" sync
	check "the district hands back late $k" mt "2025-08-07 10:00:00" "$DB_" --as d_spec1 part return $s3 2 --result "Huyện đồng ý"
	check_eq "the district's chain goes back to the lead $k" "$A 0" "$(row "$DB_" $s3-P2)"
	check "the district syncs $k" mt "2025-08-07 10:10:00" "$DB_" sync
	check "the department syncs $k" mt "2025-08-07 10:20:00" "$DA" sync
	check_match "every part back at the lead, the district's late $k" "^$CM:3:.* $B:3:" "$(parts "$DA" $s3)"
	check_match "the lateness stays the district's $k" "attributed to agency $B" "$(mt "2025-08-07 10:20:00" "$DA" part show $s3 2>&1)"
	f6=$(mt "2025-08-07 10:25:00" "$DA" form 06 $s3 2>&1)
	check_match "form 06: the commune's hand-back on its chain, early $k" "Giao: UBND xã Đông .*Trước hạn .*Phần việc 1" "$(echo "$f6" | grep -A1 "Giao: UBND xã Đông" | tr '\n' ' ')"
	check_match "form 06: its result $k" "Xã xác nhận" "$f6"
	check_match "form 06: the district's, late $k" "Giao: UBND huyện Tiên.*Quá hạn .*Phần việc 2" "$(echo "$f6" | grep -A1 "Giao: UBND huyện Tiên" | tr '\n' ' ')"
	check_match "form 06: its result $k" "Huyện đồng ý" "$f6"
	check "the lead concludes $k" mt "2025-08-07 10:30:00" "$DA" --as spec_tm1 propose $s3 --decision approve
	check "the leader signs $k" mt "2025-08-07 10:40:00" "$DA" --as leader1 sign $s3 --passphrase-file "$T/pass"
	rep=$(mt "2025-09-01 09:00:00" "$DA" --as super1 part report --from 2025-08-01 --until 2025-08-31 2>&1)
	check_match "the report: the district's late part $k" "$B +1 +0 +1 +1" "$rep"
	check_match "the report: the commune's part on time $k" "$CM +1 +0 +1 +0" "$rep"
	check_match "the report: the chains are no dossiers of their own $k" "$A +1 +1 +0 +0" "$rep"
	for db in "$DA" "$DB_" "$DC"; do
		mt "2025-08-07 11:00:00" "$db" sync >/dev/null 2>&1
	done
	q=$(for u in clerk1 head_tm spec_tm1 leader1; do mt "2025-08-07 11:00:00" "$DA" --as $u queue; mt "2025-08-07 11:00:00" "$DA" --as $u dashboard; done 2>&1)
	check_eq "the chains are in no queue or dashboard of the department $k" "" "$(echo "$q" | grep -- "-P[0-9]")"
	check_match "where the parent is, in its queue $k" "$s3" "$(mt "2025-08-07 11:00:00" "$DA" --as clerk1 queue 2>&1)"

	# --- parallel, the late agency's head apologises at its own store, on its part's chain
	# (form 04: the reason and the proposed new appointment); it reaches the lead through
	# central, the lead's desk records the new appointment, form 04 at the lead names the
	# district and its head; a non-leader or a user of another office is refused
	mt "2025-09-08 09:00:00" "$DA" --as clerk1 receive --procedure $P1 --name "Phạm Thị Xin Lỗi" --id 022123456784 --components all >/dev/null 2>&1
	s4=$A-250908-0001
	mt "2025-09-08 09:10:00" "$DA" --as clerk1 transfer $s4 >/dev/null 2>&1
	check "s4: the lead opens the parts, in parallel $k" mt "2025-09-08 10:00:00" "$DA" --as head_tm part open $s4 --flow parallel
	due4=$(sqlite3 "$DA" "select due_at from dossiers where code = '$s4'")
	check_eq "s4: the district's chain carries the appointment $k" "$due4" \
		"$(sqlite3 "$DA" "select json_extract(payload, '\$.part.appointment') from events where dossier_code = '$s4-P2' and dseq = 1")"
	mt "2025-09-08 10:10:00" "$DA" sync >/dev/null 2>&1
	mt "2025-09-08 11:00:00" "$DC" sync >/dev/null 2>&1
	mt "2025-09-08 11:10:00" "$DC" --as c_spec part take $s4 1 >/dev/null 2>&1
	check "s4: the commune hands back on time $k" mt "2025-09-09 09:00:00" "$DC" --as c_spec part return $s4 1 --result "Xã xác nhận"
	mt "2025-09-09 09:10:00" "$DC" sync >/dev/null 2>&1
	mt "2025-09-09 09:20:00" "$DB_" sync >/dev/null 2>&1
	mt "2025-09-09 09:30:00" "$DB_" --as d_head part take $s4 2 --to d_spec1 >/dev/null 2>&1
	nB=$(sqlite3 "$DB_" 'select count(*) from events'); nA=$(sqlite3 "$DA" 'select count(*) from events')
	out=$(mt "2025-09-09 10:00:00" "$DB_" --as d_leader part apologise $s4 2 --until 2025-09-30 --reason "Huyện chậm cho ý kiến" 2>&1)
	check_match "s4: no apology before the part is late $k" "part 2 of dossier $s4 is not late" "$out"
	out=$(mt "2025-09-11 09:00:00" "$DB_" --as d_head part apologise $s4 2 --until 2025-09-30 --reason "Huyện chậm cho ý kiến" 2>&1)
	check_match "s4: the district's head of department is no leader: refused $k" "d_head may not sign the apology for part 2 of dossier $s4: a leader of agency $B" "$out"
	out=$(mt "2025-09-11 09:00:00" "$DB_" --as leader1 part apologise $s4 2 --until 2025-09-30 --reason "Huyện chậm cho ý kiến" 2>&1)
	check_match "s4: the lead's leader may not sign it at the district's store $k" "leader1 may not sign the apology for part 2" "$out"
	out=$(mt "2025-09-11 09:00:00" "$DA" --as d_leader part apologise $s4 2 --until 2025-09-30 --reason "Huyện chậm cho ý kiến" 2>&1)
	check_match "s4: the district's leader writes nothing at the lead's store $k" "worked at the store of agency $B" "$out"
	check_eq "s4: nothing written by the refused attempts $k" "$nB $nA" "$(sqlite3 "$DB_" 'select count(*) from events') $(sqlite3 "$DA" 'select count(*) from events')"
	check "s4: the district's leader signs the apology at its store $k" \
		mt "2025-09-11 09:10:00" "$DB_" --as d_leader part apologise $s4 2 --until 2025-09-30 --reason "Huyện chậm cho ý kiến"
	check_eq "s4: on the district's chain, one event $k" "part_apology $B d_leader 2" \
		"$(sqlite3 "$DB_" "select kind || ' ' || json_extract(payload, '\$.agency') || ' ' || actor || ' ' || json_extract(payload, '\$.n') from events where dossier_code = '$s4-P2' and kind = 'part_apology'")"
	out=$(mt "2025-09-11 09:15:00" "$DB_" --as d_leader part apologise $s4 2 --until 2025-10-01 --reason "lần hai" 2>&1)
	check_match "s4: only once $k" "only once" "$out"
	check "s4: the district syncs $k" mt "2025-09-11 09:20:00" "$DB_" sync
	check "s4: the lead, offline meanwhile, syncs $k" mt "2025-09-11 09:30:00" "$DA" sync
	show=$(mt "2025-09-11 09:30:00" "$DA" part show $s4 2>&1)
	check_match "s4: the lead's store has the apology $k" "Apology of agency $B for part 2, signed by Mai Văn Khánh \(d_leader\) on 2025-09-11 09:10: new appointment 2025-09-30 17:00" "$show"
	check_match "s4: waiting for the lead's desk $k" "part reschedule $s4" "$show"
	f4=$(mt "2025-09-11 09:35:00" "$DA" form 04 $s4 2>&1)
	check_match "s4: form 04 at the lead: the 2025 title $k" "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" "$f4"
	check_match "s4: form 04 names the district $k" "chậm giải quyết \(ký phiếu\):.*UBND huyện Tiên Yên" "$(echo "$f4" | tr '\n' ' ')"
	check_match "s4: signed by the district's head $k" "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ.*Mai Văn Khánh" "$(echo "$f4" | tr '\n' ' ')"
	check_match "s4: with the reason and the new appointment $k" "Huyện chậm cho ý kiến.*17 giờ 00 phút, ngày 30 tháng 9 năm 2025" "$(echo "$f4" | tr '\n' ' ')"
	check_match "s4: dated the day the district signed it $k" "ngày 11 tháng 9 năm 2025" "$f4"
	check_eq "s4: form 04 fits 80 columns $k" "0" "$(printf '%s\n' "$f4" | python3 -c 'import sys; print(sum(1 for l in sys.stdin if len(l.rstrip("\n")) > 80))')"
	out=$(mt "2025-09-11 09:40:00" "$DA" --as d_leader part reschedule $s4 2>&1)
	check_match "s4: the district records nothing on the lead's dossier $k" "d_leader may not reschedule dossier $s4" "$out"
	check_eq "s4: the appointment has not moved yet $k" "$due4" "$(sqlite3 "$DA" "select due_at from dossiers where code = '$s4'")"
	check "s4: the lead's desk records the new appointment $k" mt "2025-09-11 09:45:00" "$DA" --as clerk1 part reschedule $s4
	check_eq "s4: moved, naming the district and its letter $k" "$(TZ=UTC-7 date -d '2025-09-30 17:00' +%s) $B d_leader $s4-P2" \
		"$(sqlite3 "$DA" "select d.due_at || ' ' || json_extract(e.payload, '\$.agency') || ' ' || json_extract(e.payload, '\$.signer') || ' ' || json_extract(e.payload, '\$.apology') from dossiers d join events e on e.dossier_code = d.code and e.kind = 'extended' where d.code = '$s4'")"
	check_match "s4: not twice $k" "only once" "$(mt "2025-09-11 09:50:00" "$DA" --as clerk1 part reschedule $s4 2>&1)"
	check_match "s4: form 04 after it, the same signer $k" "Mai Văn Khánh" "$(mt "2025-09-11 09:55:00" "$DA" form 04 $s4 2>&1)"
	mt "2025-09-11 10:00:00" "$DA" sync >/dev/null 2>&1
	check "s4: the district hands back late $k" mt "2025-09-12 09:00:00" "$DB_" --as d_spec1 part return $s4 2 --result "Huyện đồng ý"
	mt "2025-09-12 09:10:00" "$DB_" sync >/dev/null 2>&1
	mt "2025-09-12 09:20:00" "$DA" sync >/dev/null 2>&1
	f6=$(mt "2025-09-12 09:30:00" "$DA" form 06 $s4 2>&1)
	check_match "s4: form 06 has the district head's letter as a hand-over $k" "Giao: Mai Văn Khánh" "$f6"
	notes=$(printf '%s\n' "$f6" | awk -F'|' 'NF == 6 { v = $5; gsub(/^ +| +$/, "", v); printf "%s ", v }')
	check_match "s4: form 06: the apology row's note $k" "Phần việc 2: Cơ quan chậm giải quyết xin lỗi, đề nghị gia hạn Hẹn mới: 30/09/2025 17:00; lý do: Huyện chậm cho ý kiến" "$notes"
	check_match "s4: form 06: with an apology $k" "Có văn bản xin lỗi" "$f6"
	mt "2025-09-12 09:40:00" "$DA" --as head_tm assign $s4 --to spec_tm1 >/dev/null 2>&1
	check "s4: the lead concludes $k" mt "2025-09-12 09:50:00" "$DA" --as spec_tm1 propose $s4 --decision approve
	rep=$(mt "2025-10-01 09:00:00" "$DA" --as super1 part report --from 2025-09-01 --until 2025-09-30 2>&1)
	check_match "s4: the report counts the district's apology $k" "$B +1 +0 +1 +1 +1" "$rep"
	check_match "s4: none for the commune $k" "$CM +1 +0 +1 +0 +0" "$rep"

	# --- sequential: the late district holds the dossier, its head apologises on it and
	# the appointment moves at once, for every office
	mt "2025-10-06 09:00:00" "$DC" --as c_clerk receive --procedure $P1 --name "Đỗ Văn Tuần Tự" --id 022123456785 --components all >/dev/null 2>&1
	s5=$CM-251006-0001
	mt "2025-10-06 09:10:00" "$DC" sync >/dev/null 2>&1
	mt "2025-10-06 09:20:00" "$DA" sync >/dev/null 2>&1
	mt "2025-10-06 09:30:00" "$DA" --as clerk1 transfer $s5 >/dev/null 2>&1
	mt "2025-10-06 10:00:00" "$DA" --as head_tm part open $s5 --flow sequential >/dev/null 2>&1
	mt "2025-10-06 10:10:00" "$DA" sync >/dev/null 2>&1
	mt "2025-10-06 10:20:00" "$DC" sync >/dev/null 2>&1
	check "s5: the commune hands back on time $k" mt "2025-10-07 10:00:00" "$DC" --as c_head part return $s5 1 --result "Xã đồng ý"
	mt "2025-10-07 10:10:00" "$DC" sync >/dev/null 2>&1
	mt "2025-10-07 10:20:00" "$DB_" sync >/dev/null 2>&1
	check_eq "s5: at the district $k" "$B 20" "$(row "$DB_" $s5)"
	check "s5: the district's leader apologises on the dossier it holds $k" \
		mt "2025-10-10 09:00:00" "$DB_" --as d_leader part apologise $s5 2 --until 2025-10-31 --reason "Huyện chậm cho ý kiến"
	check_eq "s5: the appointment moves at once $k" "$(TZ=UTC-7 date -d '2025-10-31 17:00' +%s)" "$(sqlite3 "$DB_" "select due_at from dossiers where code = '$s5'")"
	check "s5: the district hands back late $k" mt "2025-10-10 10:00:00" "$DB_" --as d_head part return $s5 2 --result "Huyện đồng ý"
	mt "2025-10-10 10:10:00" "$DB_" sync >/dev/null 2>&1
	mt "2025-10-10 10:20:00" "$DA" sync >/dev/null 2>&1
	mt "2025-10-10 10:30:00" "$DC" sync >/dev/null 2>&1
	check_eq "s5: the lead and the commune have the new appointment $k" "$(sqlite3 "$DB_" "select due_at from dossiers where code = '$s5'") $(sqlite3 "$DB_" "select due_at from dossiers where code = '$s5'")" \
		"$(sqlite3 "$DA" "select due_at from dossiers where code = '$s5'") $(sqlite3 "$DC" "select due_at from dossiers where code = '$s5'")"
	f4=$(mt "2025-10-10 10:40:00" "$DC" form 04 $s5 2>&1)
	check_match "s5: form 04 at the commune names the district and its head $k" "UBND huyện Tiên Yên.*Mai Văn Khánh" "$(echo "$f4" | tr '\n' ' ')"
	check_match "s5: the report counts it $k" "$B +1 +0 +1 +1 +1" "$(mt "2025-11-03 09:00:00" "$DA" --as super1 part report --from 2025-10-01 --until 2025-10-31 2>&1)"
	for db in "$DA" "$DB_" "$DC"; do
		mt "2025-10-10 11:00:00" "$db" sync >/dev/null 2>&1
	done

	# --- converged: every event once on both sides, chains verify, nothing quarantined
	cq "select id || ' ' || $(chex hash) from c_events" | LC_ALL=C sort >"$T/central.all"
	line() { cq "select id || ' ' || $(chex hash) from c_events where dossier_code = '$1' $2" | LC_ALL=C sort | tr '\n' ' '; }
	held() { sqlite3 "$1" "select id || ' ' || lower(hex(hash)) from events where dossier_code = '$2'" | LC_ALL=C sort | tr '\n' ' '; }
	for db in "$DA" "$DB_" "$DC"; do
		check "every event of $(basename "$db") is at central, same hash $k" at_central "$db"
		check_eq "$(basename "$db") holds s2's whole line $k" "$(line $s2)" "$(held "$db" $s2)"
	done
	check_eq "the commune holds s1's whole line $k" "$(line $s1)" "$(held "$DC" $s1)"
	for ch in $s3-P1 $s3-P2; do
		check_eq "the lead holds $ch's whole line $k" "$(line $ch)" "$(held "$DA" $ch)"
	done
	check_eq "the commune its chain's $k" "$(line $s3-P1)" "$(held "$DC" $s3-P1)"
	check_eq "the district its chain's $k" "$(line $s3-P2)" "$(held "$DB_" $s3-P2)"
	check_eq "the lead holds s3's whole line $k" "$(line $s3)" "$(held "$DA" $s3)"
	check_eq "the department all of it but the return at the commune $k" "$(line $s1 "and kind <> 'returned'")" "$(held "$DA" $s1)"
	check "the department's chains verify $k" m "$DA" audit verify
	check "the commune's chains verify $k" m "$DC" audit verify
	check "the district's chains verify $k" m "$DB_" audit verify
	check_eq "no quarantine anywhere $k" "0 0 0 0" "$(sqlite3 "$DA" 'select count(*) from quarantine') $(sqlite3 "$DB_" 'select count(*) from quarantine') $(sqlite3 "$DC" 'select count(*) from quarantine') $(cq 'select count(*) from c_quarantine')"
}

ROLES=0
roles() { ROLES=1; scenario pg-roles; }
both_backends scenario roles
