-- 0007_calendar.sql - the Government's announced calendar (src/holidays.c): which
-- schedule each year follows, each day's reason, legal instrument and source, the
-- record of every change of a year's schedule, and the cut-off of same-day procedures.

-- status 'announced': the Government's schedule (shipped with motcua, imported by an
-- administrator or received from central); 'provisional': generated from the Labour
-- Code (art. 111(3), 112) until the schedule is announced.
-- origin: shipped | import | central | generated | upgrade
CREATE TABLE calendar_years (
	year       INTEGER PRIMARY KEY,
	status     TEXT NOT NULL CHECK (status IN ('announced', 'provisional')),
	origin     TEXT NOT NULL DEFAULT '',
	changed_at INTEGER NOT NULL DEFAULT 0,
	changed_by TEXT NOT NULL DEFAULT ''
);

-- year: the schedule the day belongs to (2018-12-31 is in the 2019 schedule); name is
-- the reason
ALTER TABLE holidays ADD COLUMN year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE holidays ADD COLUMN status TEXT NOT NULL DEFAULT 'provisional';
ALTER TABLE holidays ADD COLUMN instrument TEXT NOT NULL DEFAULT '';
ALTER TABLE holidays ADD COLUMN source TEXT NOT NULL DEFAULT '';
UPDATE holidays SET year = CAST(substr(day, 1, 4) AS INTEGER);
-- days an older motcua generated or an administrator added: provisional until the
-- shipped schedules (applied when the store is opened) or an import replace them
INSERT INTO calendar_years(year, status, origin) SELECT DISTINCT year, 'provisional', 'upgrade' FROM holidays;

-- every change of a year's schedule, kept for the supervisors and inspectors (rows are
-- never changed or deleted): who, when, from where, and each day whose kind changed
-- (days: JSON [{"day": "YYYY-MM-DD", "before": "off"|"work"|"", "after": ...}])
CREATE TABLE calendar_changes (
	id            INTEGER PRIMARY KEY,
	year          INTEGER NOT NULL,
	at            INTEGER NOT NULL,
	os_account    TEXT NOT NULL,
	actor         TEXT NOT NULL,
	origin        TEXT NOT NULL,
	status_before TEXT NOT NULL,
	status_after  TEXT NOT NULL,
	days          TEXT NOT NULL
);
CREATE INDEX calendar_changes_year ON calendar_changes(year, id);
CREATE TRIGGER calendar_changes_keep_update BEFORE UPDATE ON calendar_changes
BEGIN SELECT RAISE(ABORT, 'calendar changes are a record: never changed'); END;
CREATE TRIGGER calendar_changes_keep_delete BEFORE DELETE ON calendar_changes
BEGIN SELECT RAISE(ABORT, 'calendar changes are a record: never deleted'); END;

-- same-day procedures: received at or after the cut-off (minutes after midnight), the
-- time counts from the next working day; 0: no cut-off
ALTER TABLE procedures ADD COLUMN cutoff INTEGER NOT NULL DEFAULT 0;
