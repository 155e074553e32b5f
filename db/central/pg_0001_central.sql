-- central/pg_0001_central.sql - the central database (PostgreSQL dialect; SQLite:
-- 0001_central.sql, same tables).  Applied by 'motcua central init'.  See
-- src/central.h for the log-position cursor and src/sync.c for the rules.

-- schema: CENTRAL_SCHEMA; agency: central's own agency code (its dossier prefix);
-- log_pos: the last log position taken (the writers' lock); ref_version: bumped by
-- every publish of reference data
CREATE TABLE IF NOT EXISTS c_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- reference data central owns, one JSON document per row: kind is office,
-- department, field, procedure, holiday, user or setting; key its code
CREATE TABLE IF NOT EXISTS c_ref (
	kind TEXT NOT NULL,
	key  TEXT NOT NULL,
	doc  TEXT NOT NULL,
	PRIMARY KEY (kind, key)
);

-- Identifiers (event ids, codes) are ASCII and compared byte by byte: COLLATE "C"
-- keeps their indexes off the locale's collation (several times slower under
-- en_US.UTF-8, and not faster under C.UTF-8).
--
-- every event of every office once; pos: commit-ordered log position; office: the
-- office the event's line routes the dossier to (who pulls it): a dossier's first
-- event names it, central's 're-routed' event changes it, every other event takes it
-- from its previous event
CREATE TABLE IF NOT EXISTS c_events (
	id           TEXT COLLATE "C" PRIMARY KEY,
	pos          BIGINT NOT NULL,
	office       TEXT COLLATE "C" NOT NULL,
	dossier_code TEXT COLLATE "C" NOT NULL,
	dseq         INTEGER NOT NULL,
	kind         TEXT NOT NULL,
	os_account   TEXT NOT NULL,
	actor        TEXT NOT NULL,
	at           BIGINT NOT NULL,
	origin       TEXT NOT NULL,
	payload      TEXT NOT NULL,
	prev_hash    BYTEA,
	hash         BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS c_events_office ON c_events(office, pos);
CREATE INDEX IF NOT EXISTS c_events_dossier ON c_events(dossier_code, dseq);

-- events delivered to an office besides the one their dossier's line is routed to:
-- central's re-routing reaches the office the dossier leaves, and central's decision
-- on a conflict between two offices reaches both (schema 2)
CREATE TABLE IF NOT EXISTS c_deliveries (
	office TEXT COLLATE "C" NOT NULL,
	pos    BIGINT NOT NULL,
	id     TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (office, pos)
);

CREATE TABLE IF NOT EXISTS c_dossiers (
	code   TEXT COLLATE "C" PRIMARY KEY,
	office TEXT COLLATE "C" NOT NULL
);

-- events refused at central, with the reason (never applied, never lost)
CREATE TABLE IF NOT EXISTS c_quarantine (
	id           TEXT PRIMARY KEY,
	origin       TEXT NOT NULL,
	dossier_code TEXT NOT NULL,
	reason       TEXT NOT NULL,
	at           BIGINT NOT NULL,
	event        TEXT NOT NULL
);

-- central's own daily numbering of online dossiers (prefix: its agency code)
CREATE TABLE IF NOT EXISTS c_counters (
	day TEXT PRIMARY KEY,
	n   INTEGER NOT NULL
);

-- the snapshot (src/snapshot.h), brought up to c_meta 'snapshot_pos' by 'motcua
-- central snapshot': per dossier its head event (JSON) and its projected row (JSON
-- with codes and accounts, not local ids; NULL when the chain forks: offices replay
-- such a dossier in full); pos: the log position the row covers.  A new office's
-- first sync loads its rows instead of replaying every event.
CREATE TABLE IF NOT EXISTS c_snapshot (
	code   TEXT COLLATE "C" PRIMARY KEY,
	office TEXT COLLATE "C" NOT NULL,
	pos    BIGINT NOT NULL,
	dseq   INTEGER NOT NULL,
	hash   BYTEA NOT NULL,
	event  TEXT NOT NULL,
	state  TEXT
);
CREATE INDEX IF NOT EXISTS c_snapshot_office ON c_snapshot(office, code);

-- the national portal link (src/portal.c, 'motcua portal'): per dossier what the
-- portal has.  head_dseq/head_pos: its newest event central holds and the log
-- position of its oldest one not yet at the portal (for the lag); tried: a
-- DongBoHoSoMC "new" may have reached the portal (ask TraCuuHoSo before sending it
-- again); accepted: the portal has the dossier; state_dseq: the event the last
-- accepted DongBoHoSoMC described; synced_dseq: the last event whose progress row
-- (CapNhatTienDoHoSoMC) the portal accepted; attempts/next_at: the backoff; dead:
-- given up after too many refusals (reason says why) until 'portal resend'.
-- c_meta 'portal_pos': the log position up to which events are in this table.
CREATE TABLE IF NOT EXISTS c_portal (
	code        TEXT COLLATE "C" PRIMARY KEY,
	head_dseq   INTEGER NOT NULL,
	head_pos    BIGINT NOT NULL,
	tried       INTEGER NOT NULL DEFAULT 0,
	accepted    INTEGER NOT NULL DEFAULT 0,
	state_dseq  INTEGER NOT NULL DEFAULT 0,
	synced_dseq INTEGER NOT NULL DEFAULT 0,
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     BIGINT NOT NULL DEFAULT 0,
	dead        INTEGER NOT NULL DEFAULT 0,
	reason      TEXT NOT NULL DEFAULT '',
	changed_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS c_portal_todo ON c_portal(dead, head_pos);

-- payments through the national payment platform (src/portal_pay.c): one row per
-- transaction (MaThamChieu), state khoi-tao (initiated) -> thanh-cong (paid) /
-- that-bai (failed); every callback is logged, a refused one (bad MaXacThuc) too
CREATE TABLE IF NOT EXISTS c_payments (
	ref        TEXT COLLATE "C" PRIMARY KEY,
	code       TEXT NOT NULL,
	amount     BIGINT NOT NULL,
	state      TEXT NOT NULL,
	bank_txn   TEXT NOT NULL DEFAULT '',
	bank       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	paid_at    BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS c_payment_log (
	at     BIGINT NOT NULL,
	ref    TEXT NOT NULL,
	ok     INTEGER NOT NULL,
	reason TEXT NOT NULL,
	body   TEXT NOT NULL
);

-- ---- parallel ingest (a province on one central) -----------------------------------
-- Batches from different offices commit concurrently.  A batch's rows take log
-- positions from its own transaction id: pos = (xid8 << 20) + ord (src/central_pg.c).
-- Every transaction that is still open has an id at or above the xmin of any later
-- snapshot, so a reader that reads only positions below (xmin << 20) never reads past
-- a batch that may still commit: positions become visible in log order without one
-- locked counter.  c_log_head() is the highest position the caller's snapshot may
-- read: the last event below that horizon (c_meta 'log_pos' for a central written
-- before, whose positions were counted from 1 and stay below).
CREATE INDEX IF NOT EXISTS c_events_pos ON c_events(pos);
CREATE OR REPLACE FUNCTION c_log_head() RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT greatest(
		coalesce((SELECT value::bigint FROM c_meta WHERE key = 'log_pos'), 0),
		coalesce((SELECT max(pos) FROM c_events
			WHERE pos < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)), 0))
$$;

-- ---- attached files (sync carries files, src/filesync.c) ---------------------------
-- One row per distinct SHA-256 and its bytes in bytea chunks of 256 KB (pg_dump backs
-- them up with the rest), each committed on its own (a kill resumes at the next
-- chunk); complete = 1 only once the chunks hash to the name (src/central_files.h).
CREATE TABLE IF NOT EXISTS c_files (
	sha256   text PRIMARY KEY,
	size     bigint NOT NULL,
	type     text NOT NULL,
	complete integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS c_file_chunks (
	sha256 text NOT NULL,
	n      integer NOT NULL,
	data   bytea NOT NULL,
	PRIMARY KEY (sha256, n)
);
ALTER TABLE c_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- ---- a receiving office's first sync by snapshot (issue 16) ------------------------
-- The snapshot rows an office loads are the dossiers it ever held (an event routed
-- to it): what it received and follows while another office resolves it, what it
-- resolved and sent to the place of return.  Walked in code order per office.
CREATE INDEX IF NOT EXISTS c_events_office_dossier ON c_events(office, dossier_code);

-- ---- reuse through central (src/central_reuse.h) -------------------------------------
-- An office asks for one applicant's earlier attached files by ID number: the
-- `received` events by the applicant's ID number.
CREATE INDEX IF NOT EXISTS c_events_applicant ON c_events (((payload::jsonb) #>> '{applicant,idno}')) WHERE kind = 'received';
