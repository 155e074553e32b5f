#!/bin/sh
# forms.sh - `motcua form 01..07`: each form carries its required content (checked
# against the store with sqlite3), every line fits 80 columns, output encodings, the
# printer through lpr (a fake lpr on PATH), untrusted text never printed raw, bad input.
. "${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

at "2024-04-10 10:00:00" mc demo --dossiers 2000 --seed 9 >/dev/null 2>&1
check "demo store built" test -s "$DB"
q() { sqlite3 "$DB" "$1"; }
F() { at "2024-04-10 11:00:00" "$MOTCUA" --db "$DB" --as clerk1 form "$@"; }
fits() { # every line at most 80 display columns
	w=$(printf '%s\n' "$2" | LC_ALL=C.UTF-8 wc -L)
	check "$1 fits 80 columns (widest: $w)" test "$w" -le 80
}
vn_date() { q "select strftime('%d/%m/%Y', $1 + 25200, 'unixepoch')"; }

# --- 01 receipt and appointment slip ----------------------------------------------------
c=$(q "select d.code from dossiers d join procedures p on p.id = d.procedure_id
	where d.stage = 91 and d.channel = 1 and p.fee > 0 order by d.id limit 1")
f=$(F 01 "$c")
check_match "01: title" 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ' "$f"
check_match "01: dossier code" "Mã hồ sơ: $c" "$f"
check_match "01: procedure" "$(q "select p.name from dossiers d join procedures p on p.id = d.procedure_id where d.code = '$c'" | cut -c1-30)" "$f"
check_match "01: applicant" "$(q "select applicant_name from dossiers where code = '$c'")" "$f"
fee=$(q "select fee from procedures p join dossiers d on d.procedure_id = p.id where d.code = '$c'")
fee_vn=$(echo "$fee" | awk '{ s = $1; o = ""; while (length(s) > 3) { o = "." substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }')
check_match "01: fee ($fee_vn đồng)" "Phí, lệ phí: $fee_vn đồng" "$f"
due=$(q "select json_extract(payload, '$.due_at') from events where dossier_code = '$c' and kind = 'received'")
check_match "01: appointment date" "Hẹn trả kết quả: .*ngày $(vn_date "$due")" "$f"
clerk=$(q "select u.name from events e join users u on u.account = e.actor where e.dossier_code = '$c' and e.kind = 'received'")
check_match "01: receiving clerk ($clerk)" "$clerk" "$f"
ncomp=$(q "select count(*) from procedure_components pc join dossiers d on d.procedure_id = pc.procedure_id where d.code = '$c'")
check_eq "01: every component received is listed" "$ncomp" "$(printf '%s\n' "$f" | grep -c '^   [0-9]*) ')"
comp1=$(q "select pc.name from procedure_components pc join dossiers d on d.procedure_id = pc.procedure_id where d.code = '$c' and pc.n = 1")
check_match "01: component 1 by name" "1\) $(printf '%s' "$comp1" | cut -c1-20)" "$f"
fits "01" "$f"
pend=$(q "select code from dossiers where stage = 1 limit 1")
check_fails "01: an online dossier not yet accepted has no receipt" F 01 "$pend"

# --- 02 supplement request -----------------------------------------------------------------
c=$(q "select dossier_code from events where kind = 'supplement_requested' limit 1")
f=$(F 02 "$c")
check_match "02: title" 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ' "$f"
check_match "02: reason" "$(q "select json_extract(payload, '$.reason') from events where dossier_code = '$c' and kind = 'supplement_requested'" | head -1)" "$f"
fits "02" "$f"
c2=$(q "select code from dossiers where code not in (select dossier_code from events where kind = 'supplement_requested'
	or (kind = 'received' and json_extract(payload, '$.outcome') = 'supplement')) limit 1")
out=$(F 02 "$c2" 2>&1)
check_match "02: refused without a supplement request" 'no supplement was requested' "$out"

# --- 03 refusal ------------------------------------------------------------------------------
c=$(q "select dossier_code from events where kind = 'received' and json_extract(payload, '$.outcome') = 'refuse' limit 1")
f=$(F 03 "$c")
check_match "03: title" 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ' "$f"
check_match "03: reason" "$(q "select json_extract(payload, '$.reason') from events where dossier_code = '$c' and kind = 'received'")" "$f"
fits "03" "$f"

# --- 04 apology and new appointment ---------------------------------------------------------------
c=$(q "select dossier_code from events where kind = 'extended' limit 1")
f=$(F 04 "$c")
check_match "04: title" 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ' "$f"
check_match "04: reason" "$(q "select json_extract(payload, '$.reason') from events where dossier_code = '$c' and kind = 'extended'")" "$f"
newdue=$(q "select json_extract(payload, '$.due_at') from events where dossier_code = '$c' and kind = 'extended'")
check_match "04: new appointment" "ngày $(vn_date "$newdue")" "$(printf '%s\n' "$f" | sed -n '/hẹn lại thời gian/,$p')"
fits "04" "$f"
out=$(F 04 "$c2" 2>&1)
check_match "04: no apology for a dossier never extended" 'never extended' "$out"

# --- 05 notice of stopping -------------------------------------------------------------------------
c=$(q "select code from dossiers where stage = 94 limit 1")
f=$(F 05 "$c")
check_match "05: title" 'THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ' "$f"
check_match "05: reason" "$(q "select json_extract(payload, '$.reason') from events where dossier_code = '$c' and kind = 'stopped'")" "$f"
fits "05" "$f"
w=$(q "select code from dossiers where stage = 93 limit 1")
check_match "05: withdrawal notice" 'THÔNG BÁO VỀ VIỆC RÚT HỒ SƠ' "$(F 05 "$w")"

# --- 06 process-control sheet --------------------------------------------------------------------------
c=$(q "select code from dossiers where apology = 1 and stage = 91 limit 1")
f=$(F 06 "$c")
check_match "06: title" 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ' "$f"
nev=$(q "select count(*) from events where dossier_code = '$c'")
check_eq "06: one entry per event" "$nev" "$(printf '%s\n' "$f" | grep -c '^ *[0-9]*\. [0-9][0-9]/[0-9][0-9]/[0-9]\{4\} [0-9][0-9]:[0-9][0-9]  ')"
for who in $(q "select distinct actor from events where dossier_code = '$c'"); do
	check_match "06: hand-over by $who" "Giao: .*\($who\)" "$f"
done
check_match "06: timeliness per step" 'xong: .*; (Trước hạn|Đúng hạn|Quá hạn)' "$f"
check_match "06: overall timeliness" 'Tình trạng: Đã trả kết quả - (Trước hạn|Đúng hạn|Quá hạn)' "$f"
fits "06" "$f"

# --- 07 register -----------------------------------------------------------------------------------------
f=$(F 07 --period 2024-03)
nreg=$(q "select count(*) from dossiers where received_at >= strftime('%s', '2024-03-01') - 25200 and received_at < strftime('%s', '2024-04-01') - 25200")
check_match "07: total" "Tổng số: $nreg hồ sơ" "$f"
check_eq "07: one entry per dossier" "$nreg" "$(printf '%s\n' "$f" | grep -c '^ *[0-9]* 000\.00\.17\.H45-2403')"
fits "07" "$f"
check_fails "07 needs a period" F 07
check_fails "01 takes no period" F 01 "$c" --period 2024-03

# --- encodings, file, printer ------------------------------------------------------------------------------
F 01 "$c" --out "$T/f.txt"
check_eq "--out writes the form" "$(F 01 "$c" | md5sum)" "$(md5sum <"$T/f.txt")"
F 01 "$c" --encoding cp1258 --out "$T/f1258.txt"
check_eq "cp1258 output converts back to the same form" "$(cat "$T/f.txt")" "$(iconv -f CP1258 -t UTF-8 "$T/f1258.txt")"
F 01 "$c" --encoding viscii --out "$T/fv.txt"
check_eq "viscii output converts back" "$(cat "$T/f.txt")" "$(iconv -f VISCII -t UTF-8 "$T/fv.txt")"
out=$(F 01 "$c" --encoding klingon 2>&1)
check_match "unknown encoding: clear error" 'unknown encoding' "$out"
mkdir -p "$T/bin"
cat >"$T/bin/lpr" <<EOF
#!/bin/sh
echo "\$@" >"$T/lpr.args"
cat >"$T/lpr.data"
EOF
chmod +x "$T/bin/lpr"
out=$(env -u PRINTER PATH="$T/bin:$PATH" "$MOTCUA" --db "$DB" --as clerk1 form 01 "$c" --print 2>&1)
check_match "--print without a printer: clear error" 'no printer is configured' "$out"
check "--print with \$PRINTER" env PRINTER=quay1 PATH="$T/bin:$PATH" "$MOTCUA" --db "$DB" --as clerk1 form 01 "$c" --print
check_eq "lpr got -P quay1" "-P quay1" "$(cat "$T/lpr.args")"
check_eq "lpr got the form" "$(cat "$T/f.txt")" "$(cat "$T/lpr.data")"
q "insert into settings(key, value) values ('printer', 'quay2')"
check "--print with the 'printer' setting" env -u PRINTER PATH="$T/bin:$PATH" "$MOTCUA" --db "$DB" --as clerk1 form 06 "$c" --print --encoding cp1258
check_eq "lpr got -P quay2" "-P quay2" "$(cat "$T/lpr.args")"
check_eq "the printer gets the asked encoding" "$(F 06 "$c")" "$(iconv -f CP1258 -t UTF-8 "$T/lpr.data")"
printf '#!/bin/sh\ncat >/dev/null; exit 1\n' >"$T/bin/lpr"
out=$(env PATH="$T/bin:$PATH" "$MOTCUA" --db "$DB" --as clerk1 form 01 "$c" --print 2>&1)
check_match "a failing lpr is reported" 'lpr failed' "$out"

# --- untrusted text never printed raw -------------------------------------------------------------------------
q "update dossiers set applicant_name = 'Evil' || char(27) || '[2J' || char(8238) || 'x' || char(155) || 'y' || char(9) || 'z' where code = '$c'"
f=$(F 01 "$c")
check_eq "no ESC in the form" "0" "$(printf '%s' "$f" | tr -cd '\033' | wc -c)"
check_nomatch "no RLO in the form" "$(printf '\342\200\256')" "$f"
check_nomatch "no C1 CSI in the form" "$(printf '\302\233')" "$f"
check_match "the name is shown escaped" 'Evil' "$f"

# --- bad input --------------------------------------------------------------------------------------------------
check_fails "unknown form" F 09 "$c"
out=$(F 01 000.00.17.H45-000000-9999 2>&1)
check_match "unknown dossier" 'no dossier with code' "$out"
check_fails "a form needs a code" F 01

echo "1..$n"
