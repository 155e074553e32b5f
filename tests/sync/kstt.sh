#!/bin/sh
# kstt.sh - form II.06a/VPCP/KSTT at central (`motcua central report kstt`, src/province.c)
# on both backends.  A department whose demo dossiers run from June into July 2025, a
# branch of the provincial centre and a commune centre receive before and after 1 July
# 2025 (the branch boundary-free, routed to the department and the commune), work
# offline and sync.  For each office and period central's II.06a equals the office's own
# `report kstt` row by row (CSV and JSON levels); the province's total is the sum of the
# offices'; in every row, level and total (3) = (4)+(5)+(6) = (7)+(11), each level is
# the sum of its fields and the total the sum of the levels; no new district dossier
# after the reform; the liên thông annex is printed; bad input and who may read it.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
. "$ROOT/tests/sync/org2025.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}

PD=2.005810            # a district procedure
NOW="2025-07-20 10:00:00"

# the levels and total of a JSON II.06a: [[level key, c3..c13, [fields]]..., total]
jlv() { python3 -c 'import json,sys
d=json.load(sys.stdin)
c=lambda r: [r["c%d" % i] for i in range(3, 14)]
print(json.dumps([[l["key"], c(l), [[f["key"], f["name"], c(f)] for f in l["fields"]]] for l in d["levels"]] + [c(d["kstt_total"])]))'; }
# identities of a JSON II.06a; prints "ok" or what fails
jid() { python3 -c 'import json,sys
d=json.load(sys.stdin)
c=lambda r: [r["c%d" % i] for i in range(3, 14)]
bad=[]
rows=[d["kstt_total"]] + d["levels"] + [f for l in d["levels"] for f in l["fields"]]
for r in rows:
    v=dict(("c%d" % i, r["c%d" % i]) for i in range(3, 14))
    if not (v["c3"] == v["c4"] + v["c5"] + v["c6"] == v["c7"] + v["c11"] and v["c7"] == v["c8"] + v["c9"] + v["c10"] and v["c11"] == v["c12"] + v["c13"]):
        bad.append("row " + r["key"])
for l in d["levels"]:
    if c(l) != [sum(x) for x in zip(*([c(f) for f in l["fields"]] or [[0] * 11]))]:
        bad.append("level " + l["key"] + " is not the sum of its fields")
if c(d["kstt_total"]) != [sum(x) for x in zip(*([c(l) for l in d["levels"]] or [[0] * 11]))]:
    bad.append("the total is not the sum of the levels")
print("ok" if not bad else "; ".join(bad))'; }
# new (4)+(5) in the district level of a JSON II.06a (0 if it has none)
jdistrict_new() { python3 -c 'import json,sys
d=json.load(sys.stdin)
print(sum(l["c4"] + l["c5"] for l in d["levels"] if l["key"] == "2"))'; }
jtotal3() { python3 -c 'import json,sys; print(json.load(sys.stdin)["kstt_total"]["c3"])'; }

scenario() {
	k="[$1]"
	use_central "$1" kstt
	DA=$T/$1.a.db; DBR=$T/$1.br.db; DC=$T/$1.c.db
	printf 'motcua-demo\n' >"$T/pass"
	# the department's demo: Q1/2024 and 60 dossiers from late June into July 2025
	mt "2025-07-08 17:00:00" "$DA" demo --dossiers 300 >/dev/null 2>&1
	m "$DA" central init --central "$CURL" >/dev/null 2>&1
	org2025 "$DA"
	# liên thông: the department leads, the commune has a one-day part
	m "$DA" --as admin part agency $P1 $A --task "Thẩm định và quyết định" --days 5 --lead >/dev/null 2>&1
	m "$DA" --as admin part agency $P1 $CM --task "Xác nhận của UBND xã" --days 1 --order 1 >/dev/null 2>&1
	m "$DA" central publish --central "$CURL" >/dev/null 2>&1
	check "the department syncs $k" mt "2025-07-08 17:10:00" "$DA" sync --central "$CURL"
	m "$DBR" init --office $BR --name "Chi nhánh số 1" >/dev/null 2>&1
	m "$DC" init --office $CM --name "UBND xã Đông Ngũ" >/dev/null 2>&1
	mt "2025-06-02 08:05:00" "$DBR" sync --central "$CURL" >/dev/null 2>&1
	mt "2025-06-02 08:05:00" "$DC" sync --central "$CURL" >/dev/null 2>&1

	# offline, before and after 1 July 2025: the branch for the department and the
	# commune, the commune for itself
	n=0
	for d in 2025-06-20 2025-06-27 2025-07-03 2025-07-10; do
		n=$((n + 1))
		mt "$d 09:00:00" "$DBR" --as br_clerk receive --procedure $P1 --name "Nguyễn Văn $n" --id 02212345670$n --components all >/dev/null 2>&1
		mt "$d 09:10:00" "$DBR" --as br_clerk receive --procedure $PC --name "Trần Thị $n" --id 02212345671$n --components all --return-at $CM >/dev/null 2>&1
		mt "$d 09:20:00" "$DBR" --as br_clerk receive --procedure $PD --name "Hoàng Văn $n" --id 02212345673$n --components all >/dev/null 2>&1
		mt "$d 10:00:00" "$DC" --as c_clerk receive --procedure $PC --name "Phạm Văn $n" --id 02212345672$n --components all >/dev/null 2>&1
	done
	mt "2025-07-11 09:00:00" "$DBR" --as br_clerk receive --procedure $P1 --name "Lê Thị Trực Tuyến" --id 022123456799 --components all --channel online >/dev/null 2>&1
	check_eq "the branch received 13 dossiers $k" 13 "$(sqlite3 "$DBR" "select count(*) from dossiers")"
	check_eq "the commune 4 $k" 4 "$(sqlite3 "$DC" "select count(*) from dossiers")"
	for db in "$DBR" "$DA" "$DC" "$DBR"; do mt "2025-07-11 17:00:00" "$db" sync >/dev/null 2>&1; done
	# the department resolves the branch's first dossier (late: received before the
	# reform) after the commune's liên thông part, which comes back late; the commune
	# withdraws one of its own; everyone syncs
	d1=$BR-250620-0001
	mt "2025-07-14 09:00:00" "$DA" --as clerk1 transfer $d1 >/dev/null 2>&1
	check "the department opens the liên thông parts $k" mt "2025-07-14 09:10:00" "$DA" --as head_tm part open $d1 --flow sequential
	check "the commune withdraws one at the applicant's request $k" mt "2025-07-14 10:00:00" "$DC" --as c_clerk withdraw $CM-250703-0001 --reason "Công dân rút hồ sơ"
	for db in "$DA" "$DC" "$DBR" "$DA" "$DC"; do mt "2025-07-15 17:00:00" "$db" sync >/dev/null 2>&1; done
	mt "2025-07-16 08:00:00" "$DC" --as c_spec part take $d1 1 >/dev/null 2>&1
	check "the commune hands its part back late $k" mt "2025-07-17 10:00:00" "$DC" --as c_spec part return $d1 1 --result "Xã xác nhận"
	for db in "$DC" "$DA"; do mt "2025-07-17 11:00:00" "$db" sync >/dev/null 2>&1; done
	mt "2025-07-17 11:10:00" "$DA" --as head_tm assign $d1 --to spec_tm1 >/dev/null 2>&1
	mt "2025-07-17 11:20:00" "$DA" --as spec_tm1 propose $d1 --decision approve >/dev/null 2>&1
	check "the department signs the branch's dossier $k" mt "2025-07-17 11:30:00" "$DA" --as leader1 sign $d1 --passphrase-file "$T/pass"
	for db in "$DA" "$DBR" "$DC"; do mt "2025-07-17 12:00:00" "$db" sync >/dev/null 2>&1; done
	check_eq "nothing quarantined $k" 0 "$(cq 'select count(*) from c_quarantine')"
	mt "$NOW" "$DA" central dashboard --central "$CURL" >/dev/null # the projector catches up
	check_eq "central knows the competent agency of the branch's dossiers $k" "$A $CM" \
		"$(cq "select resolver from c_prov where code in ('$d1', '$BR-250620-0002') order by code" | tr '\n' ' ' | sed 's/ $//')"
	check_eq "... and of the district procedure it resolves itself $k" "$BR" "$(cq "select resolver from c_prov where code = '$BR-250620-0003'")"
	# a step after the periods below (replayed from central's events): the commune takes one
	mt "2025-07-21 09:00:00" "$DC" --as c_clerk withdraw $CM-250710-0001 --reason "Công dân rút hồ sơ" >/dev/null 2>&1
	mt "2025-07-21 09:10:00" "$DC" sync >/dev/null 2>&1

	for office in $A $BR $CM; do
		for p in "--period 2025-Q2" "--period 2025-Q3" "--period 2025-06" "--period 2025-07" "--period 2025 --calendar" \
			"--from 2025-06-25 --to 2025-07-16" "--from 2025-07-01 --to 2025-07-14"; do
			case $office in $A) db=$DA ;; $BR) db=$DBR ;; *) db=$DC ;; esac
			# shellcheck disable=SC2086
			o=$(mt "$NOW" "$db" report kstt $p --format csv 2>&1)
			# shellcheck disable=SC2086
			c=$(mt "$NOW" "$DA" central report kstt $p --office $office --format csv --central "$CURL" 2>&1)
			check_eq "II.06a of $office $p at central equals the office's, row by row (CSV) $k" "$o" "$c"
		done
		# shellcheck disable=SC2086
		o=$(mt "$NOW" "$db" --json report kstt --period 2025-Q3 | jlv)
		c=$(mt "$NOW" "$DA" --json central report kstt 2025-Q3 --office $office --central "$CURL" | jlv)
		check_eq "... and its levels and fields (JSON) $office $k" "$o" "$c"
	done
	# the province: the sum of the offices; the identities; no district after the reform
	for p in 2025-Q2 2025-Q3 2025-07; do
		tot=0
		for office in $A $BR $CM $B; do
			x=$(mt "$NOW" "$DA" --json central report kstt $p --office $office --central "$CURL" | jtotal3)
			tot=$((tot + x))
		done
		j=$(mt "$NOW" "$DA" --json central report kstt $p --central "$CURL")
		check_eq "the province's II.06a $p counts what its offices count $k" "$tot" "$(echo "$j" | jtotal3)"
		check_eq "... with every identity holding (rows, levels, total) $k" ok "$(echo "$j" | jid)"
	done
	pt=$(mt "$NOW" "$DA" --json central report kstt 2025-Q3 --central "$CURL")
	check_match "the province's Q3 has dossiers $k" "^[1-9]" "$(echo "$pt" | jtotal3)"
	j=$(mt "$NOW" "$DA" --json central report kstt --from 2025-07-01 --to 2025-07-19 --central "$CURL")
	check_eq "no new district dossier after the reform $k" 0 "$(echo "$j" | jdistrict_new)"
	check_eq "... identities after the reform too $k" ok "$(echo "$j" | jid)"
	j=$(mt "$NOW" "$DA" --json central report kstt 2025-Q2 --central "$CURL")
	check_eq "... and in the quarter before it $k" ok "$(echo "$j" | jid)"
	# the text form
	out=$(mt "$NOW" "$DA" central report kstt 2025-Q3 --central "$CURL")
	check_match "the text is form II.06a $k" "Biểu số II.06a/VPCP/KSTT" "$out"
	check_match "... with the province's levels $k" "Cấp tỉnh" "$out"
	check "... in 80 columns $k" test "$(printf '%s\n' "$out" | LC_ALL=C.UTF-8 wc -L)" -le 80
	check_match "... and the liên thông annex $k" "Hồ sơ liên thông theo cơ quan tham gia" "$out"
	annex() { sed -n '/^Hồ sơ liên thông theo cơ quan tham gia/,$p'; }
	check_match "the province's annex: the department led one dossier $k" "Sở Công Thương.* 1 +1 +0 +0$" "$(echo "$out" | annex)"
	check_match "... the commune had one part, late $k" "Đông Ngũ.* 1 +0 +1 +1$" "$(echo "$out" | annex)"
	for office in $A $CM; do
		case $office in $A) db=$DA ;; *) db=$DC ;; esac
		check_eq "the annex for $office at central equals the office's own $k" \
			"$(mt "$NOW" "$db" report kstt --period 2025-Q3 | annex)" \
			"$(mt "$NOW" "$DA" central report kstt 2025-Q3 --office $office --central "$CURL" | annex)"
	done
	check_match "a quarter with none says so $k" "Không có hồ sơ liên thông trong kỳ" \
		"$(mt "$NOW" "$DA" central report kstt 2025-Q2 --central "$CURL" | annex)"
	check_match "... naming the office as its own report does $k" "^Đơn vị báo cáo: UBND xã Đông Ngũ" \
		"$(mt "$NOW" "$DA" central report kstt 2025-Q3 --office $CM --central "$CURL")"
	# the same output options as an office's report
	mt "$NOW" "$DC" report kstt --period 2025-Q3 --format csv --encoding windows-1258 --out "$T/o.csv" >/dev/null 2>&1
	mt "$NOW" "$DA" central report kstt 2025-Q3 --office $CM --format csv --encoding windows-1258 --out "$T/c.csv" --central "$CURL" >/dev/null 2>&1
	check "--encoding and --out write the same file as the office's $k" cmp "$T/o.csv" "$T/c.csv"
	check_match "an unknown encoding is refused $k" "encoding" "$(mt "$NOW" "$DA" central report kstt 2025-Q3 --encoding klingon --central "$CURL" 2>&1)"
	out=$(mt "$NOW" "$DA" central report kstt 2025-Q3 --encoding klingon --central "sqlite:$T/none/c.db" 2>&1)
	check_match "... before any work, as an office's report refuses it: central is not even opened $k" "klingon" "$out"
	check_fails "... with a non-zero exit $k" mt "$NOW" "$DA" central report kstt 2025-Q3 --encoding klingon --central "$CURL"
	# the reporting unit: the office asked for, else central's own agency (the province's
	# centre), by its name as an office's report names its office, never by code
	unit() { grep -m1 "Đơn vị báo cáo"; }
	m "$DA" central office add 000.00.00.H45 --name "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh" --level 1 --central "$CURL" >/dev/null 2>&1
	check_eq "without --office the reporting unit is central's own agency, by its name $k" \
		"Đơn vị báo cáo: Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh" "$(mt "$NOW" "$DA" central report kstt 2025-Q3 --central "$CURL" | unit)"
	check_eq "... and with --office, that office's name, as its own report prints it $k" \
		"$(mt "$NOW" "$DC" report kstt --period 2025-Q3 | unit)" "$(mt "$NOW" "$DA" central report kstt 2025-Q3 --office $CM --central "$CURL" | unit)"
	# one field
	f=$(cq "select field from c_prov where procedure = '$PC' limit 1")
	o=$(mt "$NOW" "$DC" report kstt --period 2025-Q3 --field "$f" --format csv)
	c=$(mt "$NOW" "$DA" central report kstt 2025-Q3 --field "$f" --office $CM --format csv --central "$CURL")
	check_eq "one field at central equals the office's $k" "$o" "$c"
	check_match "an unknown field is refused $k" "unknown field 'XX'" "$(mt "$NOW" "$DA" central report kstt 2025-Q3 --field XX --central "$CURL" 2>&1)"
	check_fails "... with a non-zero exit $k" mt "$NOW" "$DA" central report kstt 2025-Q3 --field XX --central "$CURL"
	check_match "--field only with kstt $k" "only for form II.06a" "$(mt "$NOW" "$DA" central report 2025-Q3 --field "$f" --central "$CURL" 2>&1)"
	check_match "a bad period is refused $k" "is not valid" "$(mt "$NOW" "$DA" central report kstt 2025-Q7 --central "$CURL" 2>&1)"
	check_fails "only provincial users may read it $k" mt "$NOW" "$DA" --as clerk1 central report kstt 2025-Q3 --central "$CURL"
	# a projection rebuilt from the log gives the same form
	m "$DA" central project --central "$CURL" >/dev/null 2>&1
	check_eq "the rebuilt projection gives the same II.06a $k" "$(echo "$pt" | jlv)" \
		"$(mt "$NOW" "$DA" --json central report kstt 2025-Q3 --central "$CURL" | jlv)"
}

both_backends scenario
