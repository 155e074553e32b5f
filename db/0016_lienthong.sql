-- 0016_lienthong.sql - inter-agency processing (liên thông, Decree 118/2025 after
-- Decree 61/2018 Art. 19): the agencies a procedure needs, and each dossier's parts.
--
-- procedure_agencies: the participating agencies of a procedure (lead = 1: the agency
-- that concludes; it is also the competent agency that resolves it), each one's task,
-- its share of the time limit in working days, and its place in the order of the
-- sequential flow.  procedure_flows: 'parallel' (electronic dossiers: every part opens
-- at once), 'sequential' (each part opens when the previous hands back, with the
-- transfer slip), or 'channel' (online dossiers parallel, the others sequential).
CREATE TABLE IF NOT EXISTS procedure_agencies (
	procedure_id INTEGER NOT NULL REFERENCES procedures(id),
	office_id    INTEGER NOT NULL REFERENCES offices(id),
	lead         INTEGER NOT NULL DEFAULT 0,
	ord          INTEGER NOT NULL DEFAULT 0,
	task         TEXT NOT NULL,
	days         INTEGER NOT NULL CHECK (days >= 0),
	PRIMARY KEY (procedure_id, office_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS procedure_flows (
	procedure_id INTEGER PRIMARY KEY REFERENCES procedures(id),
	flow         TEXT NOT NULL CHECK (flow IN ('parallel', 'sequential', 'channel'))
);

-- IF NOT EXISTS: a store set back to an older schema (the upgrade tests) runs it again.
--
-- dossier_parts: a projection of the dossier's events lt_opened, part_taken and
-- part_returned (src/lienthong.c rebuilds it from them).  state: 0 waiting for the
-- previous part (sequential), 1 open at its agency, 2 taken by an assignee, 3 handed
-- back; slip: the number of the transfer slip it opened with (sequential), 0 none.
CREATE TABLE IF NOT EXISTS dossier_parts (
	dossier_id  INTEGER NOT NULL REFERENCES dossiers(id),
	n           INTEGER NOT NULL,
	office_id   INTEGER NOT NULL,
	task        TEXT NOT NULL,
	days        INTEGER NOT NULL,
	state       INTEGER NOT NULL,
	opened_at   INTEGER NOT NULL DEFAULT 0,
	due_at      INTEGER NOT NULL DEFAULT 0,
	returned_at INTEGER NOT NULL DEFAULT 0,
	assignee    TEXT NOT NULL DEFAULT '',
	result      TEXT NOT NULL DEFAULT '',
	slip        INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (dossier_id, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dossier_parts_office ON dossier_parts(office_id, state);
