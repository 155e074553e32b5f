-- if-missing: dossiers.proc_version
-- 0018_procversions.sql - versioned procedures (src/procver.c): the national catalogue
-- changes every quarter, and a dossier keeps the rules it was received under.  Each
-- version holds what a dossier's deadline, components, forms and reports read: name,
-- field, time limits, fee (and the fee lines as the portal gave them), online level,
-- cut-off and components.  A version applies to dossiers received from its
-- effective_from (unix seconds; 0: from the start).  `procedures` keeps the latest
-- version's content and number (latest_version), so every reader of the current catalogue is unchanged.
-- Versions are never changed or deleted.  Existing procedures become version 1.
CREATE TABLE procedure_versions (
	procedure_id     INTEGER NOT NULL REFERENCES procedures(id),
	version          INTEGER NOT NULL CHECK (version > 0),
	effective_from   INTEGER NOT NULL DEFAULT 0,
	name             TEXT NOT NULL,
	field_id         INTEGER NOT NULL REFERENCES fields(id),
	time_unit        TEXT NOT NULL DEFAULT 'day' CHECK (time_unit IN ('day', 'hour')),
	statutory_direct INTEGER NOT NULL,
	committed_direct INTEGER NOT NULL,
	statutory_online INTEGER NOT NULL,
	committed_online INTEGER NOT NULL,
	fee              INTEGER NOT NULL DEFAULT 0,
	fees             TEXT NOT NULL DEFAULT '',   -- fee lines as the portal gave them (JSON array), '' none
	online_level     TEXT NOT NULL DEFAULT 'partial',
	cutoff           INTEGER NOT NULL DEFAULT 0,
	source           TEXT NOT NULL DEFAULT '',   -- 'initial', 'csv', 'portal', 'central'
	created_at       INTEGER NOT NULL DEFAULT 0,
	created_by       TEXT NOT NULL DEFAULT '',
	changes          TEXT NOT NULL DEFAULT '',   -- what changed from the previous version: keys, ','-separated
	PRIMARY KEY (procedure_id, version)
) WITHOUT ROWID;

CREATE TABLE procedure_version_components (
	procedure_id INTEGER NOT NULL,
	version      INTEGER NOT NULL,
	n            INTEGER NOT NULL,
	name         TEXT NOT NULL,
	required     INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (procedure_id, version, n)
) WITHOUT ROWID;

INSERT INTO procedure_versions(procedure_id, version, effective_from, name, field_id, time_unit, statutory_direct,
	committed_direct, statutory_online, committed_online, fee, online_level, cutoff, source)
	SELECT id, 1, 0, name, field_id, time_unit, statutory_direct, committed_direct, statutory_online,
	committed_online, fee, online_level, cutoff, 'initial' FROM procedures;
INSERT INTO procedure_version_components(procedure_id, version, n, name, required)
	SELECT procedure_id, 1, n, name, required FROM procedure_components;

ALTER TABLE procedures ADD COLUMN latest_version INTEGER NOT NULL DEFAULT 1;
-- the version a dossier was received under (the received event's "pv"; 1 before versions)
ALTER TABLE dossiers ADD COLUMN proc_version INTEGER NOT NULL DEFAULT 1;
