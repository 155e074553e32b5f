-- 0001_init.sql - the office store: reference data, dossiers (a projection) and the
-- append-only event log they are projected from.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- level: 1 province, 2 district, 3 commune
CREATE TABLE offices (
	id          INTEGER PRIMARY KEY,
	agency_code TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	level       INTEGER NOT NULL CHECK (level IN (1, 2, 3))
);

CREATE TABLE departments (
	id        INTEGER PRIMARY KEY,
	office_id INTEGER NOT NULL REFERENCES offices(id),
	code      TEXT NOT NULL UNIQUE,
	name      TEXT NOT NULL
);

-- roles: bit set (1 clerk, 2 head, 4 specialist, 8 leader, 16 supervisor, 32 admin)
CREATE TABLE users (
	id        INTEGER PRIMARY KEY,
	account   TEXT NOT NULL UNIQUE,
	name      TEXT NOT NULL,
	roles     INTEGER NOT NULL,
	office_id INTEGER NOT NULL REFERENCES offices(id),
	dept_id   INTEGER REFERENCES departments(id),
	active    INTEGER NOT NULL DEFAULT 1,
	pubkey    TEXT
);

CREATE TABLE fields (
	id   INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);

-- times are in working days or working hours (time_unit), for direct and online filing
CREATE TABLE procedures (
	id               INTEGER PRIMARY KEY,
	code             TEXT NOT NULL UNIQUE,
	name             TEXT NOT NULL,
	level            INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
	field_id         INTEGER NOT NULL REFERENCES fields(id),
	dept_id          INTEGER REFERENCES departments(id),
	time_unit        TEXT NOT NULL DEFAULT 'day' CHECK (time_unit IN ('day', 'hour')),
	statutory_direct INTEGER NOT NULL CHECK (statutory_direct > 0),
	committed_direct INTEGER NOT NULL CHECK (committed_direct > 0),
	statutory_online INTEGER NOT NULL CHECK (statutory_online > 0),
	committed_online INTEGER NOT NULL CHECK (committed_online > 0),
	fee              INTEGER NOT NULL DEFAULT 0,
	online_level     TEXT NOT NULL DEFAULT 'partial' CHECK (online_level IN ('full', 'partial')),
	active           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX procedures_field ON procedures(level, field_id);

CREATE TABLE procedure_components (
	procedure_id INTEGER NOT NULL REFERENCES procedures(id),
	n            INTEGER NOT NULL,
	name         TEXT NOT NULL,
	required     INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (procedure_id, n)
) WITHOUT ROWID;

-- kind 'off': public holiday; 'work': a swapped working day (e.g. a Saturday)
CREATE TABLE holidays (
	day  TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL DEFAULT 'off' CHECK (kind IN ('off', 'work'))
) WITHOUT ROWID;

CREATE TABLE daily_counters (
	office_id INTEGER NOT NULL,
	day       TEXT NOT NULL,
	n         INTEGER NOT NULL,
	PRIMARY KEY (office_id, day)
) WITHOUT ROWID;

-- The projection of a dossier's events.  stage is motcua's finer state (see
-- src/dossier.h); status is the national portal code 1-10.  Stages >= 90 are final.
CREATE TABLE dossiers (
	id                INTEGER PRIMARY KEY,
	code              TEXT NOT NULL UNIQUE,
	office_id         INTEGER NOT NULL REFERENCES offices(id),
	procedure_id      INTEGER NOT NULL REFERENCES procedures(id),
	channel           INTEGER NOT NULL,
	status            INTEGER NOT NULL,
	stage             INTEGER NOT NULL,
	prev_stage        INTEGER NOT NULL DEFAULT 0,
	applicant_kind    INTEGER NOT NULL,
	applicant_name    TEXT NOT NULL,
	applicant_idno    TEXT NOT NULL,
	applicant_phone   TEXT NOT NULL DEFAULT '',
	applicant_address TEXT NOT NULL DEFAULT '',
	components        INTEGER NOT NULL DEFAULT 0,
	received_at       INTEGER NOT NULL,
	accepted_at       INTEGER NOT NULL DEFAULT 0,
	due_at            INTEGER NOT NULL DEFAULT 0,
	orig_due_at       INTEGER NOT NULL DEFAULT 0,
	step_due_at       INTEGER NOT NULL DEFAULT 0,
	stage_since       INTEGER NOT NULL,
	paused_at         INTEGER NOT NULL DEFAULT 0,
	remaining         INTEGER NOT NULL DEFAULT 0,
	dept_id           INTEGER REFERENCES departments(id),
	assignee_id       INTEGER REFERENCES users(id),
	decision          INTEGER NOT NULL DEFAULT 0,
	note              TEXT NOT NULL DEFAULT '',
	resolved_at       INTEGER NOT NULL DEFAULT 0,
	returned_at       INTEGER NOT NULL DEFAULT 0,
	rating            INTEGER NOT NULL DEFAULT 0,
	collected_by      TEXT NOT NULL DEFAULT '',
	apology           INTEGER NOT NULL DEFAULT 0,
	version           INTEGER NOT NULL DEFAULT 0,
	last_at           INTEGER NOT NULL DEFAULT 0,
	last_actor        TEXT NOT NULL DEFAULT '',
	chain_head        BLOB,
	conflict          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dossiers_received ON dossiers(received_at);
CREATE INDEX dossiers_active_office ON dossiers(office_id, stage, due_at) WHERE stage < 90;
CREATE INDEX dossiers_active_dept ON dossiers(dept_id, stage, due_at)
	WHERE stage < 90 AND dept_id IS NOT NULL;
CREATE INDEX dossiers_active_assignee ON dossiers(assignee_id, stage, due_at)
	WHERE stage < 90 AND assignee_id IS NOT NULL;

-- Folded search keys (see text_fold): name, ID number, phone, code.  ID number
-- and phone are found here too, so they need no index of their own.
CREATE VIRTUAL TABLE dossier_search USING fts5(
	key, content = '', detail = none, tokenize = 'unicode61 remove_diacritics 2');

-- The append-only event log.  id is a ULID (globally unique); dseq numbers a
-- dossier's events from 1; hash = SHA-256(prev_hash || canonical content).
CREATE TABLE events (
	seq          INTEGER PRIMARY KEY,
	id           TEXT NOT NULL UNIQUE,
	dossier_code TEXT NOT NULL,
	dseq         INTEGER NOT NULL,
	kind         TEXT NOT NULL,
	os_account   TEXT NOT NULL,
	actor        TEXT NOT NULL,
	at           INTEGER NOT NULL,
	origin       TEXT NOT NULL,
	payload      TEXT NOT NULL,
	prev_hash    BLOB,
	hash         BLOB NOT NULL
);
CREATE INDEX events_dossier ON events(dossier_code, dseq);

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

-- UI drafts: a half-filled form per account, kept across SSH drops.
CREATE TABLE drafts (
	account  TEXT NOT NULL,
	form     TEXT NOT NULL,
	saved_at INTEGER NOT NULL,
	data     TEXT NOT NULL,
	PRIMARY KEY (account, form)
) WITHOUT ROWID;
