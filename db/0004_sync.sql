-- 0004_sync.sql - the office's side of sync with central (see src/sync.h).

-- One row.  push_seq: the last own event (events.seq) central acknowledged;
-- pull_cursor: central's log position up to which this office has applied what
-- concerns it (written in the same transaction as the rows applied); ref_version:
-- the reference data version applied; pull_own: 1 until a pull has once reached
-- central's head, so a new (or restored) store also gets the events its own office
-- wrote (afterwards they are not sent back); last_*: what 'sync status' reports.
CREATE TABLE sync_state (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	push_seq      INTEGER NOT NULL DEFAULT 0,
	pull_cursor   INTEGER NOT NULL DEFAULT 0,
	ref_version   INTEGER NOT NULL DEFAULT 0,
	pull_own      INTEGER NOT NULL DEFAULT 1,
	last_ok_at    INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	last_error_at INTEGER NOT NULL DEFAULT 0,
	last_pushed   INTEGER NOT NULL DEFAULT 0,
	last_pulled   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_state(id) VALUES (1);

-- Foreign events refused here (broken hash chain, unknown author, ...), with the
-- reason.  They are never applied; the rest of the batch goes on.
CREATE TABLE quarantine (
	event_id     TEXT PRIMARY KEY,
	dossier_code TEXT NOT NULL,
	origin       TEXT NOT NULL,
	hash         BLOB,
	reason       TEXT NOT NULL,
	at           INTEGER NOT NULL,
	event        TEXT NOT NULL
);

-- The conflict queue: dossiers changed in two places (a fork in the event chain).
-- Open while resolved_at = 0; a supervisor's conflict_resolved event closes it.
CREATE TABLE conflicts (
	dossier_code TEXT PRIMARY KEY,
	detected_at  INTEGER NOT NULL,
	resolved_at  INTEGER NOT NULL DEFAULT 0,
	resolved_by  TEXT NOT NULL DEFAULT '',
	kept_event   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conflicts_open ON conflicts(resolved_at, detected_at);
