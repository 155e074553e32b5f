#!/bin/sh
# routes.sh - central refuses an event written by an office for a dossier routed to
# another office (quarantined with the reason, the rest of the batch goes in), and
# an office pulls only its own dossiers, and re-routing moves both: the unit tests
# t_central_routes and t_central_reroute (test_sync.c)
# run against a throwaway PostgreSQL database, plain and under ASan+UBSan (the
# SQLite backend runs in the unit-test phase).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

if pg_start; then
	for bin in build/tests/test_sync build/asan/tests/test_sync; do
		db=routes_$(echo "$bin" | tr -c 'a-z\n' _)
		pg_newdb "$db"
		check "PostgreSQL backend: offices write only dossiers routed to them ($bin)" \
			env MOTCUA_TEST_CENTRAL_PG="$(pg_url "$db")" "$ROOT/$bin"
		check_eq "the refused events are in central's quarantine, each once, with the reason ($bin)" "5 3 2" \
			"$(psql -q -At -h "$PGDIR" -p "$PGPORT" -U postgres -d "$db" -c "select count(*) || ' ' || count(*) filter (where reason like '%may not write dossier A-24031%: it is routed to office A%') || ' ' || count(*) filter (where reason like '%was refused%') from c_quarantine where dossier_code not like 'RA-240312-%'")"
		check_eq "re-routing: an office refused on the line that left it, each once ($bin)" "2 2" \
			"$(psql -q -At -h "$PGDIR" -p "$PGPORT" -U postgres -d "$db" -c "select count(*) || ' ' || count(*) filter (where reason like '%office RA may not write dossier RA-240312-000_: it is routed to office RB') from c_quarantine where dossier_code like 'RA-240312-%'")"
	done
else
	if pg_have; then not_ok "PostgreSQL could not start: $(tail -n 3 "$PGDIR/log" 2>/dev/null | tr '\n' ' ')"
	else echo "ok - # SKIP PostgreSQL server binaries are not installed"; fi
fi
