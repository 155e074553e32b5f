-- quarter_events.sql - the Q1/2024 statistics computed from the event log alone (used by
-- tests/report/stats.sh to check 'motcua report stats' independently of the dossier rows
-- and of report.c).  Prints: carried, new online, new direct, new postal, early, on time,
-- late, not yet due, overdue, supplement, online pending, refused, withdrawn, stopped.
-- A dossier finishes with its first signed/refused/withdrawn/stopped event (or a receipt
-- refused at intake); timeliness against the committed due date in force when it was
-- signed (the last acceptance or supplement-resume event); open ones judged at the end.
WITH p(p0, p1) AS (SELECT 1704042000, 1711904400),
r AS (SELECT dossier_code c, at ra, json_extract(payload, '$.channel') ch, json_extract(payload, '$.outcome') oc
      FROM events WHERE kind = 'received'),
fe AS (SELECT dossier_code c, at fa, kind fk FROM events WHERE kind IN ('signed', 'refused', 'withdrawn', 'stopped')
       UNION ALL SELECT c, ra, 'refused' FROM r WHERE oc = 'refuse'),
f AS (SELECT c, fa, fk FROM (SELECT c, fa, fk, row_number() OVER (PARTITION BY c ORDER BY fa) n FROM fe) WHERE n = 1),
u AS (SELECT r.c, r.ra, r.ch, r.oc, f.fa, f.fk FROM r LEFT JOIN f USING (c), p
      WHERE r.ra < p.p1 AND (f.fa IS NULL OR f.fa >= p.p0)),
x AS (SELECT u.*,
  (SELECT CASE e.kind WHEN 'supplement_received' THEN coalesce(json_extract(e.payload, '$.orig_due_at'), json_extract(e.payload, '$.due_at'))
          ELSE json_extract(e.payload, '$.due_at') END
     FROM events e WHERE e.dossier_code = u.c AND e.at <= min(coalesce(u.fa, (SELECT p1 FROM p)), (SELECT p1 FROM p) - 1)
      AND (e.kind IN ('accepted', 'supplement_received') OR (e.kind = 'received' AND json_extract(e.payload, '$.outcome') = 'accept'))
     ORDER BY e.dseq DESC LIMIT 1) due,
  (SELECT e.kind || ':' || coalesce(json_extract(e.payload, '$.outcome'), '') FROM events e, p WHERE e.dossier_code = u.c AND e.at < p.p1
      AND e.kind IN ('received', 'accepted', 'supplement_requested', 'supplement_received', 'refused', 'withdrawn')
     ORDER BY e.dseq DESC LIMIT 1) st
  FROM u)
SELECT sum(ra < p0), sum(ra >= p0 AND ch = 3), sum(ra >= p0 AND ch = 1), sum(ra >= p0 AND ch = 2),
  sum(fa < p1 AND fk = 'signed' AND (fa + 25200) / 86400 < (due + 25200) / 86400),
  sum(fa < p1 AND fk = 'signed' AND (fa + 25200) / 86400 = (due + 25200) / 86400 AND fa <= due),
  sum(fa < p1 AND fk = 'signed' AND fa > due),
  sum((fa IS NULL OR fa >= p1) AND st NOT IN ('received:pending', 'received:supplement', 'supplement_requested:') AND due >= p1),
  sum((fa IS NULL OR fa >= p1) AND st NOT IN ('received:pending', 'received:supplement', 'supplement_requested:') AND due < p1),
  sum((fa IS NULL OR fa >= p1) AND st IN ('received:supplement', 'supplement_requested:')),
  sum((fa IS NULL OR fa >= p1) AND st = 'received:pending'),
  sum(fa < p1 AND fk = 'refused'), sum(fa < p1 AND fk = 'withdrawn'), sum(fa < p1 AND fk = 'stopped')
FROM x, p;
