#!/bin/sh
# province.sh - provincial supervision at central (src/province.c), on both backends:
# central keeps a per-dossier projection (c_prov), caught up from its log by the
# projector on every read (ingest notes only the office's last sync); `central
# report` equals the office's own `report stats` row by row for periods whose dossiers
# changed afterwards (replayed from central's events) and for the current one;
# `central dashboard` agrees with the office's dashboard and every number drills down
# to exactly its dossiers; offices that never synced are named, a synced one is not;
# a replayed sync changes nothing; only provincial users (supervisor, leader or admin
# of central's own agency) and root may look.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
NOW="2024-06-20 10:00:00"

jtotal() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps([d["rows"], d["total"]], sort_keys=True))'; }
# what a supervisor's read does first: the projector catches up
catchup() { mt "$NOW" "$DA" central dashboard --central "$CURL" >/dev/null; }
jget() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

scenario() {
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	use_central "$1" province
	mt "2024-06-18 08:00:00" "$DA" demo --dossiers 400 >/dev/null
	mt "$NOW" "$DA" central init --central "$CURL" >/dev/null
	mt "$NOW" "$DA" central publish --central "$CURL" >/dev/null
	out=$(mt "$NOW" "$DA" central dashboard --central "$CURL")
	check_match "before any sync, every office is named as never synced $k" "$A +never" "$out"
	check "the office syncs $k" mt "$NOW" "$DA" sync --central "$CURL"
	check_eq "ingest no longer writes the projection $k" 0 "$(cq "select count(*) from c_prov")"
	check_eq "... only the office's last sync $k" "$A" "$(cq "select office from c_prov_sync")"
	catchup
	check_eq "the projector caught up to the head of the log $k" "$(cq "select max(pos) from c_events")" \
		"$(cq "select value from c_meta where key = 'prov_pos'")"
	check_eq "one projected row per dossier central holds $k" "$(cq "select count(distinct dossier_code) from c_events")" \
		"$(cq "select count(*) from c_prov")"
	check_eq "the open dossiers' table holds exactly the open ones $k" "$(cq "select count(*) from c_prov where stage < 90")" \
		"$(cq "select count(*) from c_prov_open o join c_prov p on p.code = o.code and p.stage = o.stage")"
	check_eq "step counters: every open dossier at its step $k" "$(cq "select stage || ':' || count(*) from c_prov where stage < 90 group by stage order by stage" | paste -sd' ')" \
		"$(cq "select stage || ':' || sum(n) from c_prov_stage where n <> 0 group by stage order by stage" | paste -sd' ')"
	check_eq "day counters: every dossier received once $k" "$(cq "select count(*) from c_prov")" "$(cq "select sum(received) from c_prov_day")"
	check_eq "day counters: every finished one once $k" "$(cq "select count(*) from c_prov where fin_at > 0")" "$(cq "select sum(finished) from c_prov_day")"
	check_eq "... as many as the office has $k" "$(sqlite3 "$DA" "select count(*) from dossiers")" "$(cq "select count(*) from c_prov")"
	for p in 2024-Q1 2024-03 2024-Q2 2024-06 2024; do
		o=$(mt "$NOW" "$DA" --json report stats --period $p | jtotal)
		c=$(mt "$NOW" "$DA" --json central report $p --central "$CURL" | jtotal)
		check_eq "central report $p equals the office's, row by row $k" "$o" "$c"
	done
	o=$(mt "$NOW" "$DA" --json report stats --from 2024-02-01 --to 2024-04-30 | jtotal)
	c=$(mt "$NOW" "$DA" --json central report --from 2024-02-01 --to 2024-04-30 --office $A --central "$CURL" | jtotal)
	check_eq "... for dates and one office too $k" "$o" "$c"
	c=$(mt "$NOW" "$DA" --json central report 2024-Q1 --office $B --central "$CURL" | jget 'd["total"]["received"]')
	check_eq "an office with no dossiers reports none $k" 0 "$c"
	out=$(mt "$NOW" "$DA" central report 2024-Q2 --central "$CURL")
	check_match "the text report is the office report's layout $k" "Tổng cộng" "$out"

	# the dashboard against the office's own
	od=$(mt "$NOW" "$DA" --json dashboard)
	cd_=$(mt "$NOW" "$DA" --json central dashboard --central "$CURL")
	for col in open overdue due_today received_today; do
		case $col in
		open) want=$(echo "$od" | jget 'd["open"]') ;;
		*) want=$(echo "$od" | jget "[q['count'] for q in d['queues'] if q['list']=='$col'][0]") ;;
		esac
		got=$(echo "$cd_" | jget "d['total']['$col']")
		check_eq "dashboard $col equals the office's ($want) $k" "$want" "$got"
		n=$(mt "$NOW" "$DA" central dashboard --list $col --limit 10000 --central "$CURL" | grep -c "^$A-")
		check_eq "... and drills down to $want dossiers $k" "$want" "$n"
	done
	check_match "something is open in the demo $k" "^[1-9]" "$(echo "$cd_" | jget "d['total']['open']")"
	# a dossier received now shows today, and its code in the drill-down
	mt "$NOW" "$DA" --as clerk1 receive --procedure $P1 --name "Nguyễn Văn Tỉnh" --id 022123450001 --components all >/dev/null
	code=$(sqlite3 "$DA" "select code from dossiers order by id desc limit 1")
	mt "$NOW" "$DA" sync >/dev/null 2>&1
	got=$(mt "$NOW" "$DA" --json central dashboard --central "$CURL" | jget "d['total']['received_today']")
	check_eq "received today counts the new dossier $k" "$(( $(echo "$od" | jget "[q['count'] for q in d['queues'] if q['list']=='received_today'][0]") + 1 ))" "$got"
	check_match "... and lists it $k" "^$code " "$(mt "$NOW" "$DA" central dashboard --list received_today --office $A --central "$CURL")"
	fieldrow=$(mt "$NOW" "$DA" --json central dashboard --by-field --central "$CURL" | jget "sum(l['open'] for l in d['lines'])")
	check_eq "by field the lines add up to the total $k" "$(mt "$NOW" "$DA" --json central dashboard --central "$CURL" | jget "d['total']['open']")" "$fieldrow"
	out=$(mt "$NOW" "$DA" central dashboard --central "$CURL")
	check_nomatch "the synced office is not named as late to sync $k" "^  $A " "$out"
	check_match "the district that never synced is $k" "$B +never" "$out"
	check_match "the oldest items are listed $k" "Oldest dossiers in progress" "$out"

	# a step after the period moves nothing in it; a replay changes nothing
	before=$(cq "select count(*) || ' ' || sum(dseq) from c_prov")
	sqlite3 "$DA" "update sync_state set push_seq = 0"
	out=$(mt "$NOW" "$DA" sync 2>&1)
	check_match "the whole log is sent again $k" "0 refused" "$out"
	catchup
	check_eq "a sync sent again changes no projected row $k" "$before" "$(cq "select count(*) || ' ' || sum(dseq) from c_prov")"
	check_eq "... nor a day counter $k" "$(cq "select count(*) from c_prov")" "$(cq "select sum(received) from c_prov_day")"
	check_eq "... nor a step counter $k" "$(cq "select count(*) from c_prov where stage < 90")" "$(cq "select sum(n) from c_prov_stage")"

	# central re-routes an open dossier: the counters follow it to the other office
	rc_=$(cq "select code from c_prov where stage = 30 and office = '$A' order by code limit 1")
	mt "$NOW" "$DA" central reroute "$rc_" --to $B --reason "Sai thẩm quyền" --central "$CURL" >/dev/null
	catchup
	check_eq "a re-routed dossier is counted at its new office $k" "$B:10" "$(cq "select office || ':' || stage from c_prov where code = '$rc_'")"
	check_eq "... in the step counters too $k" "$(cq "select office || stage || ':' || count(*) from c_prov where stage < 90 group by office, stage order by 1" | paste -sd' ')" \
		"$(cq "select office || stage || ':' || sum(n) from c_prov_stage where n <> 0 group by office, stage order by 1" | paste -sd' ')"
	check_match "... and on the dashboard $k" "$B .* 1 " "$(mt "$NOW" "$DA" central dashboard --central "$CURL")"

	# the projection rebuilt from central's log equals the one the projector caught up
	proj() { cq "select code || office || field || dseq || stage || accepted_at || orig_due_at || fin_at || rating from c_prov order by code" | md5sum
		cq "select office || field || day || ':' || received || ':' || finished from c_prov_day where received + finished > 0 order by 1" | md5sum
		cq "select office || field || stage || ':' || n from c_prov_stage where n <> 0 order by 1" | md5sum
		cq "select code || stage || due_at from c_prov_open order by code" | md5sum; }
	before=$(proj)
	out=$(mt "$NOW" "$DA" central project --central "$CURL")
	check_match "central project rebuilds the projection from the log $k" "holds $(cq "select count(*) from c_prov") dossiers" "$out"
	check_eq "... equal to the one the projector caught up $k" "$before" "$(proj)"
	check_fails "... only for central's administrators $k" mt "$NOW" "$DA" --as admin central project --central "$CURL"
	# kill -9 while pushing: the projector then takes exactly the events central holds
	for i in 1 2 3 4 5 6 7 8; do
		mt "$NOW" "$DA" --as clerk1 receive --procedure $P1 --name "Người thứ $i" --id 02212345100$i --components all >/dev/null
	done
	for d in 0.05 0.1 0.15 0.2 0.3; do
		mt "$NOW" "$DA" sync --batch 1 >/dev/null 2>&1 & p=$!
		sleep $d; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
	done
	mt "$NOW" "$DA" sync >/dev/null 2>&1
	catchup
	before=$(proj)
	mt "$NOW" "$DA" central project --central "$CURL" >/dev/null
	check_eq "after kill -9 during pushes the projection still equals one rebuilt from the log $k" "$before" "$(proj)"
	check_eq "... and holds every dossier once $k" "$(sqlite3 "$DA" "select count(*) from dossiers")" "$(cq "select count(*) from c_prov")"

	# who may look
	check_fails "an office's admin may not supervise the province $k" mt "$NOW" "$DA" --as admin central dashboard --central "$CURL"
	check_match "... told which role it needs $k" "needs the supervisor, leader or administrator role at central" "$(cat "$T/.out")"
	check_fails "nor an office's clerk read the province's report $k" mt "$NOW" "$DA" --as clerk1 central report 2024-Q1 --central "$CURL"
	cq "insert into c_ref (kind, key, doc) values ('user', 'provsup', '{\"account\":\"provsup\",\"roles\":16,\"office\":\"000.00.00.H45\",\"active\":1}')" >/dev/null
	check "a provincial supervisor may $k" mt "$NOW" "$DA" --as provsup central dashboard --central "$CURL"
	check "... and read the report $k" mt "$NOW" "$DA" --as provsup central report 2024-Q1 --central "$CURL"
	check_fails "an unknown number is refused $k" mt "$NOW" "$DA" central dashboard --list nonsense --central "$CURL"
}

both_backends scenario
