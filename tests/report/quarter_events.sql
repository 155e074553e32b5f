-- quarter_events.sql - the calendar Q1/2024 statistics computed from the event log alone
-- (used by tests/report/stats.sh to check 'motcua report stats --calendar' independently
-- of the dossier rows and of report.c).  Prints: carried, new online, new direct, new
-- postal, early, on time, late, not yet due, overdue, of which waiting for a supplement,
-- of the resolved: refused, withdrawn, stopped; not received: online pending, waiting for
-- components at intake, refused at intake, withdrawn before acceptance.
-- A dossier is received (accepted) by its receipt with outcome accept, its acceptance, or
-- the supplement that completed it at intake (no "mode" in the payload); it finishes with
-- its first signed/refused/withdrawn/stopped event (or a receipt refused at intake).
-- Received ones that finished in the period are resolved, early/on time/late by when they
-- finished against the committed due date in force then (the last acceptance or
-- supplement-resume event); open ones are judged at the end, or when their supplement
-- was asked.
WITH p(p0, p1) AS (SELECT 1704042000, 1711904400),
r AS (SELECT dossier_code c, at ra, json_extract(payload, '$.channel') ch, json_extract(payload, '$.outcome') oc
      FROM events WHERE kind = 'received'),
ac AS (SELECT dossier_code c, min(at) aa FROM events
       WHERE (kind = 'received' AND json_extract(payload, '$.outcome') = 'accept') OR kind = 'accepted'
          OR (kind = 'supplement_received' AND json_extract(payload, '$.mode') IS NULL)
       GROUP BY dossier_code),
fe AS (SELECT dossier_code c, at fa, kind fk, json_extract(payload, '$.decision') fd FROM events
       WHERE kind IN ('signed', 'refused', 'withdrawn', 'stopped')
       UNION ALL SELECT c, ra, 'refused', NULL FROM r WHERE oc = 'refuse'),
f AS (SELECT c, fa, fk, fd FROM (SELECT c, fa, fk, fd, row_number() OVER (PARTITION BY c ORDER BY fa) n FROM fe) WHERE n = 1),
u AS (SELECT r.c, r.ra, r.ch, r.oc, f.fa, f.fk, f.fd, ac.aa FROM r LEFT JOIN f USING (c) LEFT JOIN ac USING (c), p
      WHERE r.ra < p.p1 AND (f.fa IS NULL OR f.fa >= p.p0)),
x AS (SELECT u.*, (aa IS NOT NULL AND aa < (SELECT p1 FROM p)) rcv,
  (SELECT CASE e.kind WHEN 'supplement_received' THEN coalesce(json_extract(e.payload, '$.orig_due_at'), json_extract(e.payload, '$.due_at'))
          ELSE json_extract(e.payload, '$.due_at') END
     FROM events e WHERE e.dossier_code = u.c AND e.at <= min(coalesce(u.fa, (SELECT p1 FROM p)), (SELECT p1 FROM p) - 1)
      AND (e.kind IN ('accepted', 'supplement_received') OR (e.kind = 'received' AND json_extract(e.payload, '$.outcome') = 'accept'))
     ORDER BY e.dseq DESC LIMIT 1) due,
  (SELECT e.kind || ':' || coalesce(json_extract(e.payload, '$.outcome'), '') FROM events e, p WHERE e.dossier_code = u.c AND e.at < p.p1
      AND e.kind IN ('received', 'accepted', 'supplement_requested', 'supplement_received', 'refused', 'withdrawn')
     ORDER BY e.dseq DESC LIMIT 1) st,
  (SELECT e.at FROM events e, p WHERE e.dossier_code = u.c AND e.at < p.p1
      AND e.kind IN ('received', 'accepted', 'supplement_requested', 'supplement_received', 'refused', 'withdrawn')
     ORDER BY e.dseq DESC LIMIT 1) sta
  FROM u),
y AS (SELECT x.*, (fa IS NOT NULL AND fa < (SELECT p1 FROM p)) fin,
  CASE WHEN st = 'supplement_requested:' AND sta < (SELECT p1 FROM p) THEN sta ELSE (SELECT p1 FROM p) END judged FROM x)
SELECT sum(rcv AND aa < p0), sum(rcv AND aa >= p0 AND ch = 3), sum(rcv AND aa >= p0 AND ch = 1), sum(rcv AND aa >= p0 AND ch = 2),
  sum(rcv AND fin AND (fa + 25200) / 86400 < (due + 25200) / 86400),
  sum(rcv AND fin AND (fa + 25200) / 86400 = (due + 25200) / 86400 AND fa <= due),
  sum(rcv AND fin AND fa > due),
  sum(rcv AND NOT fin AND due >= judged),
  sum(rcv AND NOT fin AND due < judged),
  sum(rcv AND NOT fin AND st = 'supplement_requested:'),
  sum(rcv AND fin AND (fk = 'refused' OR fd = 'refuse')), sum(rcv AND fin AND fk = 'withdrawn'), sum(rcv AND fin AND fk = 'stopped'),
  sum(NOT rcv AND NOT fin AND st = 'received:pending'),
  sum(NOT rcv AND NOT fin AND st <> 'received:pending'),
  sum(NOT rcv AND fin AND fk = 'refused'), sum(NOT rcv AND fin AND fk = 'withdrawn')
FROM y, p;
