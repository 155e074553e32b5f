#!/bin/sh
# province_cross.sh - the demo province (`demo --province`) crosses between all its
# offices: every department, every commune centre and the vertical agency has dossiers
# received at another office (the provincial centre, a branch, another commune centre)
# and resolved there (transferred, assigned, signed by its own users), and handed over
# at the place of return the applicant chose; a land dossier opens liên thông parts at a
# commune and at the tax agency, in parallel (online) and in sequence (paper), some
# late.  Each office's events are signed with that office's key and `audit verify`
# passes.  The Q1/2024 quarter stays the plain demo's (tests/cli/province.sh).
. "$ROOT/tests/lib.sh"
NOW="2025-09-15 10:00:00"
check "the province demo builds" at "$NOW" mc demo --dossiers 300 --seed 5 --province
q() { sqlite3 "$DB" "$1"; }
# a step of dossier d written by office o: an event of kind k whose origin is o
ev="exists (select 1 from events e where e.dossier_code = d.code and e.kind = '%s' and e.origin = o.agency_code)"
for o in $(q "select agency_code from offices where kind in ('department', 'commune', 'vertical') order by id"); do
	kind=$(q "select kind from offices where agency_code = '$o'")
	w="from dossiers d join offices o on o.id = d.resolver_id where o.agency_code = '$o' and d.recv_office_id <> o.id"
	check "$kind $o: dossiers received at another office" test "$(q "select count(*) $w")" -gt 0
	check "$kind $o: resolved there (transferred, assigned and signed by its own users)" test \
		"$(q "select count(*) $w and $(printf "$ev" transferred) and $(printf "$ev" assigned) and $(printf "$ev" signed)
		      and (select count(*) from events e join users u on u.account = e.actor where e.dossier_code = d.code
		           and e.kind in ('transferred', 'assigned', 'signed') and u.office_id <> o.id) = 0")" -gt 0
	check "$kind $o: returned at the place the applicant chose" test \
		"$(q "select count(*) $w and d.stage = 91 and d.office_id = d.return_office_id and exists (select 1 from events e
		      join offices r on r.agency_code = e.origin where e.dossier_code = d.code and e.kind = 'returned' and r.id = d.return_office_id)")" -gt 0
done
check "received at the provincial centre" test "$(q "select count(*) from dossiers d join offices r on r.id = d.recv_office_id where r.kind = 'centre'")" -gt 0
check "received at both branches" test "$(q "select count(distinct d.recv_office_id) from dossiers d join offices r on r.id = d.recv_office_id where r.kind = 'branch'")" -eq 2
check "received at every commune centre" test "$(q "select count(distinct d.recv_office_id) from dossiers d join offices r on r.id = d.recv_office_id where r.kind = 'commune'")" -eq 6
check "some returned elsewhere than where they were filed" test \
	"$(q "select count(*) from dossiers where recv_office_id > 0 and stage = 91 and return_office_id <> recv_office_id")" -gt 0
check "each code is the receiving office's" test \
	"$(q "select count(*) from dossiers d join offices r on r.id = d.recv_office_id where d.code not like r.agency_code || '-%'")" -eq 0
# liên thông among them
check "parallel liên thông dossiers" test "$(q "select count(*) from events where kind = 'lt_opened' and json_extract(payload, '\$.flow') = 'parallel'")" -gt 0
check "sequential ones" test "$(q "select count(*) from events where kind = 'lt_opened' and json_extract(payload, '\$.flow') = 'sequential'")" -gt 0
check "the commune's part handed back by the commune" test \
	"$(q "select count(*) from events e join offices o on o.agency_code = e.origin where e.kind = 'part_returned' and o.kind = 'commune'")" -gt 0
check "the tax agency's part by the tax agency" test \
	"$(q "select count(*) from events e join offices o on o.agency_code = e.origin where e.kind = 'part_returned' and o.kind = 'vertical'")" -gt 0
check "some parts came back late" test "$(q "select count(*) from events where kind = 'part_returned' and json_extract(payload, '\$.late')")" -gt 0
c=$(q "select d.code from dossiers d where exists (select 1 from events e where e.dossier_code = d.code and e.kind = 'lt_opened') limit 1")
check_match "a liên thông dossier shows its parts" "part 1 at 000\.31\.30\.H45" "$(at "$NOW" mc part show "$c" 2>&1)"
check_match "the part report counts them per agency" "000\.00\.90\.H45" "$(at "$NOW" mc --as super1 part report --period 2025-09 2>&1)"
# each office signs its own events, and the whole store verifies
check "the store knows a key of every other office of the province" test \
	"$(q "select count(distinct agency) from store_keys_known where central = 0")" -eq "$(q "select count(*) - 1 from offices where kind <> 'legacy'")"
check "events written at other offices are theirs" test "$(q "select count(distinct origin) from events where sig is not null")" -ge 16
v=$(at "$NOW" mc --as admin audit verify 2>&1)
check_match "audit verify passes" "every chain is intact" "$v"
check "and exits 0" at "$NOW" mc --as admin audit verify
# the catalogue: every resolving office has procedures of its own field, no invented code
check "every department, commune centre and the vertical agency resolves procedures" test \
	"$(q "select count(*) from offices o where kind in ('department', 'commune', 'vertical') and not exists (select 1 from office_procedures p where p.office_id = o.id and p.role = 'resolve')")" -eq 0
check "procedures without a national code in the notes are marked so" test \
	"$(q "select count(*) from procedures where id >= 147 and national_code <> '[NOT FOUND]'")" -eq 0
echo "1..$n"
