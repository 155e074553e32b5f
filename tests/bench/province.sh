#!/bin/sh
# province.sh - a province on one PostgreSQL central: N offices (10, 30, 100, 300),
# each with a realistic day (300 dossiers, 1,800 events), all syncing at once through
# central's own code (build/province, tests/bench/province.c: one thread and one
# connection per office, at most SLOTS connections at a time; the others wait for a
# slot as they would behind a pooler).  Measured twice in the same run: parallel
# ingest (today) and the serial log lock (c_meta 'ingest' = 'serial', the single
# locked counter every batch used to hold until commit), on loopback and through a
# delay proxy adding a 20 ms round trip (tests/bench/delayproxy.py), and on loopback
# through PgBouncer in transaction pooling mode as README's production set-up puts it
# in front of central (link "pool": PROVINCE_POOL server connections, default 4, two a
# core; tests/sync/pgbouncer.inc).  Prints a table
# and "BENCH name value unit target PASS|FAIL".  After each parallel run, the
# province's projector (out of ingest, src/province.c) catches up over everything
# pushed, timed through a first `central dashboard`, and a second one is timed too.
# PROVINCE_N (default "10 30 100 300"), PROVINCE_DOSSIERS (300), PROVINCE_SLOTS
# (100), PROVINCE_SERIAL_RTT_MAX (100: the serial run through the proxy stops there,
# it takes minutes beyond), PROVINCE_LINKS ("lo rtt20"), PROVINCE_MODES ("parallel
# serial"; "roles": parallel ingest with each office as its own role under row-level
# security, its batches through c_ingest(), which re-checks every row's hash, chain,
# actor and position), PROVINCE_BATCH (events a batch; default sync's SYNC_BATCH).
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
SLOTS=${PROVINCE_SLOTS:-100}
PG_MAX_CONNECTIONS=$((SLOTS + 20))
. "$ROOT/tests/sync/lib.inc"
. "$ROOT/tests/sync/pgbouncer.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
DRV=$ROOT/build/province
NS=${PROVINCE_N:-10 30 100 300}
DOS=${PROVINCE_DOSSIERS:-300}
SERIAL_RTT_MAX=${PROVINCE_SERIAL_RTT_MAX:-100}
if [ ! -x "$DRV" ] || ! pg_start; then
	echo "BENCH province_unavailable 1 - ran FAIL"
	exit 0
fi
verdict() { [ "$1" -lt "$2" ] && echo PASS || echo FAIL; }
PPORT=$(shuf -i 20000-60000 -n 1)
python3 "$ROOT/tests/bench/delayproxy.py" "$PPORT" "$PGDIR/.s.PGSQL.$PGPORT" 10 >"$T/proxy.out" 2>&1 &
PROXY=$!
trap 'kill $PROXY 2>/dev/null; pgb_stop; pg_stop; rm -rf "$T"' EXIT
# the pooler, with every office role the roles mode may use
case " ${PROVINCE_LINKS:-lo pool rtt20} " in *" pool "*)
	maxn=0; for n in $NS; do [ "$n" -gt "$maxn" ] && maxn=$n; done
	pgb_start "${PROVINCE_POOL:-4}" transaction $(seq -f 'motcua_p%04g' 1 "$maxn") ||
		echo "BENCH province_pool_unavailable 1 - ran FAIL" >>"$T/bench" ;;
esac
for i in 1 2 3 4 5 6 7 8 9 10; do grep -q ready "$T/proxy.out" 2>/dev/null && break; sleep 0.3; done
db=0
# one N, one mode, one link: a fresh central; prints the driver's line.  Each run
# starts from a checkpoint (the cluster's timed one, every 5 minutes, otherwise lands
# in some runs and not others, with the full pages it makes the next writes log)
measure() { # N serial|parallel lo|rtt20
	psql -q -h "$PGDIR" -p "$PGPORT" -U postgres -d postgres -c "CHECKPOINT" >/dev/null 2>&1
	db=$((db + 1))
	pg_newdb "p$db"
	url=$(pg_url "p$db")
	"$MOTCUA" central init --central "$url" >/dev/null || return 1
	"$DRV" setup "$url" "$1" || return 1
	[ "$2" = serial ] && psql -q -h "$PGDIR" -p "$PGPORT" -U postgres -d "p$db" -c "INSERT INTO c_meta VALUES ('ingest', 'serial')"
	[ "$3" = rtt20 ] && url="postgresql://postgres@127.0.0.1:$PPORT/p$db?sslmode=disable"
	[ "$3" = pool ] && url=$(pgb_url "p$db")
	if [ "$2" = roles ]; then # each office as its own role, under row-level security (c_ingest)
		psql -q -h "$PGDIR" -p "$PGPORT" -U postgres -d "p$db" -c "SELECT c_office_role('motcua_p' || lpad(i::text, 4, '0'),
			'P' || lpad(i::text, 4, '0'), NULL) FROM generate_series(1, $1) i" >/dev/null
		rurl="postgresql:///p$db?host=$PGDIR&port=$PGPORT&user="
		[ "$3" = rtt20 ] && rurl="postgresql://127.0.0.1:$PPORT/p$db?sslmode=disable&user=" # through the proxy too
		[ "$3" = pool ] && rurl="postgresql:///p$db?host=$PGDIR&port=$PGBPORT&user="
		line=$(PROVINCE_ROLE_URL="$rurl" "$DRV" run "$url" "$1" "$DOS" "$SLOTS" 2>"$T/err.$db")
	else
	line=$("$DRV" run "$url" "$1" "$DOS" "$SLOTS" 2>"$T/err.$db")
	fi
	lost=$(psql -At -h "$PGDIR" -p "$PGPORT" -U postgres -d "p$db" -c "select $1 * $DOS * 6 - count(distinct id) from c_events")
	doubled=$(psql -At -h "$PGDIR" -p "$PGPORT" -U postgres -d "p$db" -c "select count(*) - count(distinct id) from c_events")
	toomany=$(grep -c "too many clients" "$T/err.$db")
	# the province's projector, out of ingest: the first read of the province catches
	# it up over everything the offices pushed; a second read finds nothing new
	cu=-; da=-
	if [ "$2" = parallel ]; then
		t0=$(date +%s%N)
		"$MOTCUA" central dashboard --central "$(pg_url "p$db")" >/dev/null 2>>"$T/err.$db" || cu=FAIL
		t1=$(date +%s%N)
		"$MOTCUA" central dashboard --central "$(pg_url "p$db")" >/dev/null 2>>"$T/err.$db" || da=FAIL
		t2=$(date +%s%N)
		[ "$cu" = FAIL ] || cu=$(((t1 - t0) / 1000000))
		[ "$da" = FAIL ] || da=$(((t2 - t1) / 1000000))
	fi
	[ "$3" = pool ] && psql -q -h "$PGDIR" -p "$PGBPORT" -U postgres -d pgbouncer -c "KILL p$db" -c "RESUME p$db" >/dev/null 2>&1
	psql -q -h "$PGDIR" -p "$PGPORT" -U postgres -d postgres -c "DROP DATABASE \"p$db\" WITH (FORCE)" >/dev/null
	echo "$line $lost $doubled $toomany $cu $da"
}
echo "# province: $DOS dossiers ($((DOS * 6)) events) per office, at most $SLOTS connections, $(nproc) cores"
printf '# %-6s %-5s %-8s %9s %9s %9s %10s %5s %7s %s\n' link N ingest wall_ms p50_ms p99_ms events/s lost doubled errors
for link in ${PROVINCE_LINKS:-lo pool rtt20}; do
	[ "$link" = pool ] && [ -z "$PGBPORT" ] && continue
	for n in $NS; do
		for mode in ${PROVINCE_MODES:-parallel serial}; do
			if [ "$mode" = serial ] && [ "$link" = rtt20 ] && [ "$n" -gt "$SERIAL_RTT_MAX" ]; then continue; fi
			[ "$mode" = serial ] && [ "$link" = pool ] && continue # the old lock: measured directly
			set -- $(measure "$n" "$mode" "$link")
			[ $# -ge 13 ] || { echo "BENCH province_${link}_${n}_${mode}_failed 1 - ran FAIL"; continue; }
			# N wall p50 p99 rate inserted expected errors lost doubled toomany
			printf '# %-6s %-5s %-8s %9s %9s %9s %10s %5s %7s %s\n' "$link" "$1" "$mode" "$2" "$3" "$4" "$5" "$9" "${10}" "$(($8 + ${11}))"
			echo "BENCH province_${link}_${n}_${mode}_p99 $4 ms info PASS" >>"$T/bench"
			echo "BENCH province_${link}_${n}_${mode}_rate $5 ev/s info PASS" >>"$T/bench"
			if [ "$mode" = parallel ]; then
				# the target on README's production set-up (PgBouncer in front of central);
				# without the pooler too when the pooler could not run
				{ [ "$link" = pool ] || { [ "$link" = lo ] && [ -z "$PGBPORT" ]; }; } && [ "$n" = 100 ] &&
					echo "BENCH province_${link}_100_p99_target $4 ms <1000 $(verdict "$4" 1000)" >>"$T/bench"
				[ "$n" = 100 ] && [ "$link" = rtt20 ] && echo "BENCH province_rtt20_100_p99_target $4 ms <5000 $(verdict "$4" 5000)" >>"$T/bench"
				ok=FAIL; [ "$8" = 0 ] && [ "$9" = 0 ] && [ "${10}" = 0 ] && [ "${11}" = 0 ] && ok=PASS
				echo "BENCH province_${link}_${n}_lost_doubled_errors $(($8 + $9 + ${10} + ${11})) count =0 $ok" >>"$T/bench"
				echo "BENCH province_${link}_${n}_projector_catchup ${12} ms info PASS" >>"$T/bench"
				case ${12} in [0-9]*) [ "${12}" -gt 0 ] && echo "BENCH province_${link}_${n}_projector_rate $((n * DOS * 6 * 1000 / ${12})) ev/s info PASS" >>"$T/bench" ;; esac
				echo "BENCH province_${link}_${n}_dashboard_after_catchup ${13} ms <200 $(case ${13} in [0-9]*) verdict "${13}" 200 ;; *) echo FAIL ;; esac)" >>"$T/bench"
			fi
		done
	done
done
cat "$T/bench"
