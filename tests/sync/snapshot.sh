#!/bin/sh
# snapshot.sh - a first sync by snapshot, on both backends: central holds two offices'
# dossiers (one forked); `central snapshot` projects them; a brand-new store of the
# province office loads its rows instead of replaying history: the same dossier rows
# as the office that made them, only head events stored (the forked dossier and one
# forked after the snapshot come in full), audit verify passes.  New steps at either
# store sync to the other and are applied on top of the base.  History says where the
# older steps are, `sync fetch` brings them, the audit names a broken link after a
# base.  A load killed with -9 many times (while central's snapshot moves on) resumes
# to the same result.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/sync/lib.inc"
PLAIN=${SYNC_MOTCUA:-$ROOT/motcua}   # the plain binary for the runs killed at random

# the projection columns that do not depend on the store's local ids
ROWS="select d.code, status, stage, prev_stage, channel, applicant_kind, applicant_name, applicant_idno, applicant_phone,
 applicant_address, components, received_at, accepted_at, due_at, orig_due_at, step_due_at, stage_since, paused_at,
 remaining, decision, note, resolved_at, returned_at, rating, collected_by, apology, version, last_at, last_actor,
 hex(chain_head), conflict, o.agency_code, p.code, coalesce(dp.code, ''), coalesce(u.account, '')
 from dossiers d join offices o on o.id = d.office_id join procedures p on p.id = d.procedure_id
 left join departments dp on dp.id = d.dept_id left join users u on u.id = d.assignee_id order by d.code"
same_rows() {
	sqlite3 "$1" "$ROWS" >"$T/rows1"; sqlite3 "$2" "$ROWS" >"$T/rows2"
	diff "$T/rows1" "$T/rows2" | head -6
	[ -s "$T/rows1" ] && cmp -s "$T/rows1" "$T/rows2"
}
# events per dossier, for dossiers with more than one event here
multi() { sqlite3 "$1" "select group_concat(dossier_code || ':' || n, ' ') from (select dossier_code, count(*) n from events group by 1 having n > 1 order by 1)"; }
# Two live stores of one office (the original and the new one) are a test topology:
# once caught up, a store no longer pulls its own office's events (it wrote them), so
# each sync between them asks for them again (pull_own = 1, as a new store does)
xsync() { sqlite3 "$2" "update sync_state set pull_own = 1"; mt "$1" "$2" sync; }
code_at() { sqlite3 "$1" "select code from dossiers where stage = $2 and code like '$A-%' $3 order by code limit 1"; }

scenario() {
	use_central "$1" snap
	k="[$1]"
	DA=$T/$1.a.db; DB_=$T/$1.b.db; DN=$T/$1.n.db; DK=$T/$1.k.db
	m "$DA" central init --central "$CURL" >/dev/null
	mt "2024-03-11 08:00:00" "$DA" demo --dossiers 250 >/dev/null
	check "publish $k" m "$DA" central publish --central "$CURL"
	m "$DB_" init --office $B --name "UBND huyện Tiên Yên" >/dev/null
	mt "2024-03-11 08:05:00" "$DB_" sync --central "$CURL" >/dev/null
	for i in 1 2 3; do
		mt "2024-03-11 09:1$i:00" "$DB_" --as d_clerk1 receive --procedure $P2 --name "Trần Thị $i" --id 02212345679$i --components all >/dev/null
	done
	check "district syncs $k" mt "2024-03-11 10:00:00" "$DB_" sync
	# x: forked at central (accepted at the office while withdrawn at central)
	x=$(mt "2024-03-11 11:00:00" "$DA" central submit-online --central "$CURL" --office $A --procedure $P1 --name "Lê Văn Tách" --id 022123456700 --components all)
	check "province syncs $k" mt "2024-03-11 12:00:00" "$DA" sync --central "$CURL"
	mt "2024-03-11 13:00:00" "$DA" --as clerk1 accept "$x" >/dev/null
	mt "2024-03-11 13:05:00" "$DA" central withdraw "$x" --reason "Rút" --central "$CURL" >/dev/null
	check "province syncs its side of the fork $k" mt "2024-03-11 13:10:00" "$DA" sync
	# w: accepted at the office but not synced yet, withdrawn at central: it forks after the snapshot
	w=$(mt "2024-03-11 14:00:00" "$DA" central submit-online --central "$CURL" --office $A --procedure $P1 --name "Phạm Văn Sau" --id 022123456701 --components all)
	mt "2024-03-11 14:05:00" "$DA" sync >/dev/null
	mt "2024-03-11 14:10:00" "$DA" --as clerk1 accept "$w" >/dev/null
	mt "2024-03-11 14:15:00" "$DA" central withdraw "$w" --reason "Rút" --central "$CURL" >/dev/null

	out=$(m "$DA" central snapshot --central "$CURL" 2>&1)
	check_match "central snapshot projects every dossier $k" "snapshot up to log position [0-9]+: [0-9]+ dossiers" "$out"
	ndos=$(cq "select count(*) from c_dossiers")
	check_eq "one snapshot row per dossier $k" "$ndos" "$(cq "select count(*) from c_snapshot")"
	check_eq "the forked dossier has no state $k" "$x" "$(cq "select code from c_snapshot where state is null")"
	check_eq "rows know their office $k" 3 "$(cq "select count(*) from c_snapshot where office = '$B'")"
	check_eq "snapshot position recorded $k" "$(chead)" "$(cq "select value from c_meta where key = 'snapshot_pos'")"
	check_match "a second run has nothing to do $k" "up to date" "$(m "$DA" central snapshot --central "$CURL" 2>&1)"
	check "central init on an existing central keeps it $k" m "$DA" central init --central "$CURL"
	check_eq "... and the snapshot $k" "$ndos" "$(cq "select count(*) from c_snapshot")"

	# a brand-new store of the province office
	m "$DN" init --office $A --name "Sở (máy mới)" >/dev/null
	out=$(mt "2024-03-11 15:00:00" "$DN" sync --central "$CURL" 2>&1)
	check_match "the first sync loads the snapshot $k" "dossiers taken from central's snapshot" "$out"
	check_match "with progress in dossiers $k" "snapshot: [0-9]+/[0-9]+ dossiers" "$out"
	nA=$(sqlite3 "$DA" "select count(*) from dossiers")
	check_eq "every dossier of the office $k" "$nA" "$(sqlite3 "$DN" "select count(*) from dossiers")"
	check_eq "only head events stored (the forked one in full) $k" "$x:3" "$(multi "$DN")"
	check_eq "one base per snapshot dossier $k" "$((nA - 1))" "$(sqlite3 "$DN" "select count(*) from snapshot_base")"
	check_eq "the pull cursor is central's head $k" "$(chead)" "$(sqlite3 "$DN" "select pull_cursor from sync_state")"
	check_eq "w is withdrawn here, from the snapshot $k" "93 2" "$(sqlite3 "$DN" "select stage || ' ' || version from dossiers where code = '$w'")"
	check "audit verify of the new store $k" m "$DN" audit verify
	check_eq "nothing to push back $k" "pending        0 events" "$(m "$DN" sync status | grep pending)"

	# the province syncs its accept of w: a fork at the step the new store's base is at
	xsync "2024-03-11 15:10:00" "$DA" >/dev/null
	check "the new store syncs the fork before its base $k" xsync "2024-03-11 15:20:00" "$DN"
	check_eq "w's older history was fetched: full chain, conflict $k" "3 1 0" \
		"$(sqlite3 "$DN" "select (select count(*) from events where dossier_code = '$w') || ' ' || conflict || ' ' || (select count(*) from snapshot_base where dossier_code = '$w') from dossiers where code = '$w'")"
	check "same rows as the office that made them $k" same_rows "$DA" "$DN"

	# steps at the original office, applied on top of the bases
	c10=$(code_at "$DN" 10); c20=$(sqlite3 "$DN" "select d.code from dossiers d join users u on u.dept_id = d.dept_id where u.account = 'head_tm' and d.stage = 20 order by d.code limit 1")
	row=$(sqlite3 "$DN" "select d.code || ' ' || u.account from dossiers d join users u on u.id = d.assignee_id where d.stage = 30 order by d.code limit 1")
	c30=${row% *}; s30=${row#* }
	check "A: transfer $c10 $k" mt "2024-03-12 08:00:00" "$DA" --as clerk1 transfer "$c10"
	check "A: assign $c20 $k" mt "2024-03-12 08:10:00" "$DA" --as head_tm assign "$c20" --to spec_tm1
	check "A: propose $c30 $k" mt "2024-03-12 08:20:00" "$DA" --as "$s30" propose "$c30" --decision approve --note "Đủ điều kiện"
	xsync "2024-03-12 08:30:00" "$DA" >/dev/null
	check "the new store pulls them $k" xsync "2024-03-12 08:40:00" "$DN"
	check "same rows after the office's steps $k" same_rows "$DA" "$DN"
	check_eq "versions moved on top of the base $k" "3" "$(sqlite3 "$DN" "select count(*) from dossiers d join snapshot_base b on b.dossier_code = d.code where d.version = b.dseq + 1 and d.code in ('$c10', '$c20', '$c30')")"
	# and steps at the new store, on top of its bases, back to the office
	c10b=$(code_at "$DN" 10 "and code > '$c10'")
	check "N: transfer $c10b $k" mt "2024-03-12 09:00:00" "$DN" --as clerk1 transfer "$c10b"
	check "N: assign the transferred $c10 $k" mt "2024-03-12 09:05:00" "$DN" --as "$(sqlite3 "$DN" "select u.account from dossiers d join users u on u.dept_id = d.dept_id where d.code = '$c10' and u.roles & 2 order by u.account limit 1")" \
		assign "$c10" --to "$(sqlite3 "$DN" "select u.account from dossiers d join users u on u.dept_id = d.dept_id where d.code = '$c10' and u.roles & 4 order by u.account limit 1")"
	check "N: send the proposed $c30 back $k" mt "2024-03-12 09:10:00" "$DN" --as leader1 send-back "$c30" --reason "Thiếu chữ ký"
	xsync "2024-03-12 09:20:00" "$DN" >/dev/null
	check "the office pulls them $k" xsync "2024-03-12 09:30:00" "$DA"
	check "same rows after the new store's steps $k" same_rows "$DA" "$DN"
	check "their events chain at central $k" same_chains "$DA" $A
	check "audit verify, new store $k" m "$DN" audit verify
	check "audit verify of one dossier (chain and projection) $k" m "$DN" audit verify "$c30"
	check "audit verify, office $k" m "$DA" audit verify

	# history, and fetching the older steps
	check_match "history says the older steps are at central $k" "steps 1-[0-9]+ are at central" "$(m "$DN" history "$c30")"
	check_match "and shows the steps it has $k" "sent back" "$(m "$DN" history "$c30")"
	# reports replay a dossier from its base: the same numbers as the office's store,
	# also for an overdue dossier that moved on after the period end
	od=$(sqlite3 "$DN" "select d.code || ' ' || u.account from dossiers d join snapshot_base b on b.dossier_code = d.code
		join users u on u.id = d.assignee_id where d.stage = 30 and d.orig_due_at < strftime('%s', '2024-03-13 17:00:00')
		and d.code not in ('$c10', '$c20', '$c30') order by d.code limit 1")
	check "an overdue dossier from the snapshot moves on after the period $k" test -n "$od"
	mt "2024-03-14 10:30:00" "$DN" --as "${od#* }" propose "${od% *}" --decision approve --note "Đủ điều kiện" >/dev/null
	xsync "2024-03-14 10:40:00" "$DN" >/dev/null; xsync "2024-03-14 10:50:00" "$DA" >/dev/null
	check_eq "and both stores agree on it $k" "$(sqlite3 "$DA" "select stage, version from dossiers where code = '${od% *}'")" \
		"$(sqlite3 "$DN" "select stage, version from dossiers where code = '${od% *}'")"
	for per in "--from 2024-03-01 --to 2024-03-13" "--period 2024-Q1"; do
		check_eq "report stats $per: the new store's numbers are the office's $k" \
			"$(mt "2024-03-15 08:00:00" "$DA" report stats $per --format csv)" "$(mt "2024-03-15 08:00:00" "$DN" report stats $per --format csv)"
	done
	f06=$(m "$DN" form 06 "$c30")
	check_match "form 06 says where the older steps are $k" "Các bước 1-[0-9]+ nằm ở máy chủ trung tâm" "$f06"
	check_match "form 06 numbers the steps it has from the base $k" "^ *$(sqlite3 "$DN" "select dseq from snapshot_base where dossier_code = '$c30'")\. " "$f06"
	signed=$(sqlite3 "$DN" "select b.dossier_code from snapshot_base b join events e on e.dossier_code = b.dossier_code and e.dseq = b.dseq where e.kind not in ('signed') and b.dseq > (select count(*) from events x where x.dossier_code = b.dossier_code) and exists (select 1 from dossiers d where d.code = b.dossier_code and d.stage >= 80) limit 1")
	if [ -n "$signed" ]; then
		check_match "verify of a signature older than the base names sync fetch $k" "sync fetch $signed" "$(m "$DN" verify "$signed" 2>&1)"
	fi
	if command -v tmux >/dev/null 2>&1; then
		# the UI's detail screen says so too, and shows the steps it has
		S=motcua-snap-$$
		tmux -u -L "$S" -f /dev/null new-session -d -x 80 -y 24 "env -u LANGUAGE LANG=C.UTF-8 $ROOT/motcua --db $DN --as leader1"
		sleep 0.5
		tmux -L "$S" send-keys / ; tmux -L "$S" send-keys -l "$c30"; tmux -L "$S" send-keys Enter; sleep 0.5
		tmux -L "$S" send-keys Enter; sleep 0.5
		scr=$(tmux -L "$S" capture-pane -p)
		tmux -L "$S" kill-server 2>/dev/null
		check_match "the detail screen says where the older steps are $k" "Các bước 1-[0-9]+ nằm ở máy chủ trung tâm" "$scr"
		check_match "and shows the steps it has $k" "Trả lại|trả lại" "$scr"
	fi
	rc=0; out=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 "$MOTCUA" --db "$DN" sync fetch "$c30" 2>&1) || rc=$?
	check_eq "sync fetch brings the older steps $k" 0 "$rc"
	check_match "... and says so in Vietnamese by default $k" "^$c30: đã tải [0-9]+ sự kiện cũ hơn từ máy chủ trung tâm" "$out"
	check_eq "the dossier's whole chain is here $k" "$(sqlite3 "$DA" "select count(*) from events where dossier_code = '$c30'")" "$(sqlite3 "$DN" "select count(*) from events where dossier_code = '$c30'")"
	check_eq "its base is dropped $k" 0 "$(sqlite3 "$DN" "select count(*) from snapshot_base where dossier_code = '$c30'")"
	check_nomatch "history from the first step $k" "are at central" "$(m "$DN" history "$c30")"
	check "same rows after the fetch $k" same_rows "$DA" "$DN"
	check "audit verify after the fetch $k" m "$DN" audit verify
	check_fails "fetching a dossier with its whole history is refused $k" m "$DN" sync fetch "$c30"

	# the audit still names a broken link after a base
	cp "$DN" "$T/tamper.db"
	sqlite3 "$T/tamper.db" "drop trigger events_append_only_update; update events set actor = 'mallory' where dossier_code = '$c10b' and dseq = (select max(dseq) from events where dossier_code = '$c10b')"
	out=$(m "$T/tamper.db" audit verify 2>&1)
	check_match "an edited step after the base is named $k" "dossier $c10b: event .* \(#[0-9]+\): its content does not match" "$out"
	sqlite3 "$T/tamper.db" "delete from snapshot_base where dossier_code = '$c20'"
	check_match "a head without its recorded base is named $k" "dossier $c20: event .*links to a previous one" "$(m "$T/tamper.db" audit verify 2>&1)"

	# a load killed with -9, many times, while central's snapshot moves on
	m "$DK" init --office $A --name "Sở (máy khác)" >/dev/null
	sqlite3 "$DK" "insert or replace into settings(key, value) values ('central.url', '$CURL')"
	# kill points at 5-60% of how long a whole load takes here (timed on a copy), so
	# that the kills land in the middle of the load on a fast machine and a slow one
	cp "$DK" "$T/dk0.db"
	t0=$(date +%s%N)
	"$PLAIN" --db "$T/dk0.db" sync --batch 1 >/dev/null 2>&1
	full=$(( ($(date +%s%N) - t0) / 1000000 ))
	rm -f "$T/dk0.db"*
	midway=0; kills=0
	for run in $(seq 1 30); do
		"$PLAIN" --db "$DK" sync --batch 1 >/dev/null 2>&1 &
		pid=$!
		sleep "$(awk -v f="$full" -v r="$(shuf -i 5-60 -n 1)" 'BEGIN { printf "%.3f", f * r / 100000 }')"
		kill -9 $pid 2>/dev/null && kills=$((kills + 1))
		wait $pid 2>/dev/null
		[ "$(sqlite3 "$DK" "select done from snapshot_load" 2>/dev/null)" = 0 ] && midway=$((midway + 1))
		if [ "$midway" -ge 1 ] && [ "$moved" != 1 ]; then
			# the office works and central's snapshot moves on between two chunks
			c10c=$(code_at "$DA" 10 "and code > '$c10b'")
			mt "2024-03-12 10:00:00" "$DA" --as clerk1 transfer "$c10c" >/dev/null
			xsync "2024-03-12 10:01:00" "$DA" >/dev/null
			m "$DA" central snapshot --central "$CURL" >/dev/null 2>&1
			moved=1
		fi
		[ "$midway" -ge 3 ] && break
	done
	check_match "killed in the middle of the load ($kills kills, $midway midway) $k" "^[1-9]" "$midway"
	check_eq "store intact after the kills $k" ok "$(sqlite3 "$DK" 'pragma integrity_check')"
	check "a last sync completes $k" m "$DK" sync
	check "same rows as the office after the killed load $k" same_rows "$DA" "$DK"
	# (od moved on after the first snapshot: loaded from it before the snapshot moved, it
	# has its head and that step; loaded after, its head alone, as the kill falls)
	check_eq "only heads and what came after them, the forked ones in full $k" "$x:3 $w:3" \
		"$(multi "$DK" | tr ' ' '\n' | grep -v "^$c10:\|^$c10b:\|^$c10c:\|^$c20:\|^$c30:\|^${od% *}:" | tr '\n' ' ' | sed 's/ $//')"
	check "audit verify of the resumed store $k" m "$DK" audit verify
	check_eq "a re-run changes nothing $k" "$(sqlite3 "$DK" 'select count(*) from events')" "$(m "$DK" sync >/dev/null 2>&1; sqlite3 "$DK" 'select count(*) from events')"
	check "the store that was there first pulls the same $k" xsync "2024-03-12 11:00:00" "$DN"
	check "same rows at all three $k" same_rows "$DN" "$DK"
	moved=0

	# a dossier whose step names a user only the office knows (added there, never
	# published): its snapshot row cannot be loaded and its history cannot be replayed
	# in full; that step is quarantined and the first sync still completes
	m "$DA" user add spec_new --name "Nhân viên mới" --roles specialist --department TM >/dev/null
	cz=$(sqlite3 "$DA" "select code from dossiers where stage = 20 and dept_id = (select id from departments where code = 'TM') order by code limit 1")
	check "assign $cz to the new user $k" mt "2024-03-12 11:10:00" "$DA" --as head_tm assign "$cz" --to spec_new
	xsync "2024-03-12 11:11:00" "$DA" >/dev/null
	m "$DA" central snapshot --central "$CURL" >/dev/null 2>&1
	DZ=$T/$1.z.db
	m "$DZ" init --office $A --name "Máy khác" >/dev/null
	check "a first sync with a dossier it cannot replay in full completes $k" m "$DZ" sync --central "$CURL"
	check_eq "the step naming the unknown user is quarantined $k" 1 "$(sqlite3 "$DZ" "select count(*) from quarantine where dossier_code = '$cz' and reason like '%spec_new%'")"
	check_eq "the dossier is there up to that step $k" 20 "$(sqlite3 "$DZ" "select stage from dossiers where code = '$cz'")"
	check_eq "every dossier is there $k" "$(sqlite3 "$DA" 'select count(*) from dossiers')" "$(sqlite3 "$DZ" 'select count(*) from dossiers')"
	check "audit verify of that store $k" m "$DZ" audit verify
}

both_backends scenario
