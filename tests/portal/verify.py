#!/usr/bin/env python3
"""verify.py URL CENTRAL.db|EVENTS.tsv [ALLOWED] - what the mock portal holds against central's events:
every dossier once, created once, every event a progress row in order, the last
status the same in the dossier and its last row, no format error (but those
containing ALLOWED, which the test provoked).  Prints each
problem and exits 1 if any."""
import json
import sqlite3
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone

url, central = sys.argv[1], sys.argv[2]
allowed = sys.argv[3] if len(sys.argv) > 3 else None  # format errors expected by the test
s = json.load(urllib.request.urlopen(url + "/state"))
if central.endswith(".tsv"):  # a dump of another backend: code, dseq, at
    rows = [l.rstrip("\n").split("\t") for l in open(central) if l.strip()]
    rows = [(c, int(d), int(a)) for c, d, a in rows]
else:
    rows = sqlite3.connect(central).execute(
        "SELECT dossier_code, dseq, at FROM c_events ORDER BY dossier_code, dseq, pos").fetchall()
events = {}
for code, dseq, at in rows:
    events.setdefault(code, []).append(
        datetime.fromtimestamp(at, timezone(timedelta(hours=7))).strftime("%Y%m%d%H%M%S"))
problems = []
fe = [m for m in s["format_errors"] if not (allowed and allowed in m)]
if fe:
    problems.append("format errors: %s" % fe[:5])
for k in ("dup_new", "update_unknown", "progress_unknown"):
    if s[k]:
        problems.append("%s = %d" % (k, s[k]))
missing = sorted(set(events) - set(s["dossiers"]))
extra = sorted(set(s["dossiers"]) - set(events))
if missing:
    problems.append("%d dossiers missing at the portal, e.g. %s" % (len(missing), missing[:3]))
if extra:
    problems.append("%d dossiers at the portal central does not have" % len(extra))
if s["creates"] != len(s["dossiers"]):
    problems.append("%d creates for %d dossiers" % (s["creates"], len(s["dossiers"])))
bad_rows = 0
for code, times in events.items():
    rows = s["progress"].get(code, [])
    got = [r["ThoiDiemXuLy"] for r in rows]
    if got != times:
        bad_rows += 1
        if bad_rows <= 3:
            problems.append("%s: progress %s, events %s" % (code, got, times))
    elif code in s["dossiers"] and rows[-1]["TrangThai"] != s["dossiers"][code]["hoso"]["TrangThaiHoSo"]:
        bad_rows += 1
        problems.append("%s: last row's status %s, the dossier's %s" % (
            code, rows[-1]["TrangThai"], s["dossiers"][code]["hoso"]["TrangThaiHoSo"]))
if bad_rows:
    problems.append("%d dossiers whose progress differs from central's events" % bad_rows)
for code, t in s.get("trace", {}).items():
    if "False:True" in t and len(problems) < 20:
        problems.append("%s created twice: %s" % (code, t))
for p in problems:
    print(p)
print("dossiers %d, rows %d, calls %d, failed %d, dropped %d, lost %d, replayed %d, logins %d" % (
    len(s["dossiers"]), s["rows"], s["calls"], s["failed"], s["dropped"], s["lost"], s["replayed"], s["logins"]))
sys.exit(1 if problems else 0)
