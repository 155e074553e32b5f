#!/bin/sh
# procver.sh - a procedure's new version travels with the reference data, on both
# backends: central's admin imports a changed catalogue row and publishes; the
# district, after its sync, holds both versions; its dossier received before keeps
# version 1 and its appointment, one received after gets version 2's time.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"

scenario() {
	use_central "$1" procver
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db
	check "central init $k" m "$DA" central init --central "$CURL"
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 0 >/dev/null
	check "publish reference data $k" m "$DA" central publish --central "$CURL"
	check "district store created $k" m "$DB_" init --office $B --name "UBND huyện Tiên Yên"
	check "first sync of the district $k" mt "2024-03-11 08:05:00" "$DB_" sync --central "$CURL"
	out=$(mt "2024-03-11 09:00:00" "$DB_" --as d_clerk1 --json receive --procedure $P2 --name "Trần Thị Cũ" --id 022123456791 --components all)
	X1=$(printf '%s\n' "$out" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1)
	due1=$(printf '%s\n' "$out" | sed -n 's/.*"due_at": "\([^"]*\)".*/\1/p' | head -n 1)
	# the catalogue row of P2 as a CSV row, its committed times shortened by one
	sqlite3 -csv "$DA" "select p.code, p.name, p.level, f.code, p.time_unit, p.statutory_direct,
		max(p.committed_direct - 1, 1), p.statutory_online, max(p.committed_online - 1, 1), p.fee, p.online_level,
		(select group_concat(case when required then '' else '*' end || name, '|') from (select * from procedure_components c
		 where c.procedure_id = p.id order by n)) from procedures p join fields f on f.id = p.field_id where p.code = '$P2'" >"$T/row.csv"
	{ echo "code,name,level,field_code,time_unit,statutory_direct,committed_direct,statutory_online,committed_online,fee,online_level,components"; cat "$T/row.csv"; } >"$T/$1.csv"
	out=$(mt "2024-03-12 08:00:00" "$DA" catalog import "$T/$1.csv" 2>&1)
	check_match "central's admin makes version 2 $k" "$P2: version 2" "$out"
	check "publish again $k" m "$DA" central publish --central "$CURL"
	check "the district syncs $k" mt "2024-03-12 08:30:00" "$DB_" sync
	check_eq "the district holds both versions $k" "1 2" \
		"$(sqlite3 "$DB_" "select group_concat(version, ' ') from (select version from procedure_versions where procedure_id = (select id from procedures where code = '$P2') order by version)")"
	check_eq "... version 2 is the latest $k" "2" "$(sqlite3 "$DB_" "select latest_version from procedures where code = '$P2'")"
	check_eq "... version 1 keeps the old committed time $k" "$(sqlite3 "$DA" "select committed_direct from procedure_versions where version = 1 and procedure_id = (select id from procedures where code = '$P2')")" \
		"$(sqlite3 "$DB_" "select committed_direct from procedure_versions where version = 1 and procedure_id = (select id from procedures where code = '$P2')")"
	out=$(m "$DB_" --json show "$X1")
	check_match "the old dossier keeps its appointment $k" "\"due_at\": \"$due1\"" "$out"
	check_match "... and version 1 $k" '"procedure_version": 1' "$out"
	out=$(mt "2024-03-12 09:00:00" "$DB_" --as d_clerk1 --json receive --procedure $P2 --name "Trần Thị Mới" --id 022123456792 --components all)
	X2=$(printf '%s\n' "$out" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -n 1)
	check_eq "a dossier received after the sync is under version 2 $k" 2 "$(sqlite3 "$DB_" "select proc_version from dossiers where code = '$X2'")"
	check "the district pushes its dossiers $k" mt "2024-03-12 09:30:00" "$DB_" sync
	check "every district event once on both sides $k" same_events "$DB_" $B
	check "a second publish with nothing new changes nothing $k" m "$DA" central publish --central "$CURL"
	check "... and the district syncs again $k" mt "2024-03-12 10:00:00" "$DB_" sync
	check_eq "... still two versions $k" 2 "$(sqlite3 "$DB_" "select count(*) from procedure_versions where procedure_id = (select id from procedures where code = '$P2')")"
}
both_backends scenario
