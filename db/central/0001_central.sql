-- central/0001_central.sql - the central database (SQLite dialect; PostgreSQL:
-- pg_0001_central.sql, same tables).  Applied by 'motcua central init'.  See
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

-- every event of every office once; pos: commit-ordered log position; office: the
-- office the event's line routes the dossier to (who pulls it): a dossier's first
-- event names it, central's 're-routed' event changes it, every other event takes it
-- from its previous event
CREATE TABLE IF NOT EXISTS c_events (
	id           TEXT PRIMARY KEY,
	pos          INTEGER NOT NULL,
	office       TEXT NOT NULL,
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
CREATE INDEX IF NOT EXISTS c_events_office ON c_events(office, pos);
CREATE INDEX IF NOT EXISTS c_events_dossier ON c_events(dossier_code, dseq);

-- events delivered to an office besides the one their dossier's line is routed to:
-- central's re-routing reaches the office the dossier leaves, and central's decision
-- on a conflict between two offices reaches both (schema 2)
CREATE TABLE IF NOT EXISTS c_deliveries (
	office TEXT NOT NULL,
	pos    INTEGER NOT NULL,
	id     TEXT NOT NULL,
	PRIMARY KEY (office, pos)
);

CREATE TABLE IF NOT EXISTS c_dossiers (
	code   TEXT PRIMARY KEY,
	office TEXT NOT NULL
);

-- events refused at central, with the reason (never applied, never lost)
-- (one row an event: unique by id and the event's text, src/central_sqlite.c, which
-- also copies a central's made before, keyed by the id alone)
CREATE TABLE IF NOT EXISTS c_quarantine (
	id           TEXT NOT NULL,
	origin       TEXT NOT NULL,
	dossier_code TEXT NOT NULL,
	reason       TEXT NOT NULL,
	at           INTEGER NOT NULL,
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
	code   TEXT PRIMARY KEY,
	office TEXT NOT NULL,
	pos    INTEGER NOT NULL,
	dseq   INTEGER NOT NULL,
	hash   BLOB NOT NULL,
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
	code        TEXT PRIMARY KEY,
	head_dseq   INTEGER NOT NULL,
	head_pos    INTEGER NOT NULL,
	tried       INTEGER NOT NULL DEFAULT 0,
	accepted    INTEGER NOT NULL DEFAULT 0,
	state_dseq  INTEGER NOT NULL DEFAULT 0,
	synced_dseq INTEGER NOT NULL DEFAULT 0,
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     INTEGER NOT NULL DEFAULT 0,
	dead        INTEGER NOT NULL DEFAULT 0,
	reason      TEXT NOT NULL DEFAULT '',
	changed_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS c_portal_todo ON c_portal(dead, head_pos);

-- payments through the national payment platform (src/portal_pay.c): one row per
-- transaction (MaThamChieu), state khoi-tao (initiated) -> thanh-cong (paid) /
-- that-bai (failed); every callback is logged, a refused one (bad MaXacThuc) too
CREATE TABLE IF NOT EXISTS c_payments (
	ref        TEXT PRIMARY KEY,
	code       TEXT NOT NULL,
	amount     INTEGER NOT NULL,
	state      TEXT NOT NULL,
	bank_txn   TEXT NOT NULL DEFAULT '',
	bank       TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	paid_at    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS c_payment_log (
	at     INTEGER NOT NULL,
	ref    TEXT NOT NULL,
	ok     INTEGER NOT NULL,
	reason TEXT NOT NULL,
	body   TEXT NOT NULL
);

-- ---- provincial supervision (src/province.c) -----------------------------------------
-- c_prov: per dossier what the province's dashboard and statistics report need, kept by
-- central_put_batch in the same transaction as the events (province_ingest): dseq is the
-- last event applied (a replayed or older event changes nothing); office the office the
-- dossier is routed to; fin_at when processing ended (resolved_at, or the final stage's
-- start; 0 while open).  c_prov_sync: per office when its last batch came in.
CREATE TABLE IF NOT EXISTS c_prov (
	code         TEXT PRIMARY KEY,
	office       TEXT NOT NULL,
	procedure    TEXT NOT NULL,
	field        TEXT NOT NULL,
	dseq         INTEGER NOT NULL,
	channel      INTEGER NOT NULL,
	stage        INTEGER NOT NULL,
	prev_stage   INTEGER NOT NULL,
	decision     INTEGER NOT NULL,
	apology      INTEGER NOT NULL,
	rating       INTEGER NOT NULL,
	received_at  INTEGER NOT NULL,
	accepted_at  INTEGER NOT NULL,
	due_at       INTEGER NOT NULL,
	orig_due_at  INTEGER NOT NULL,
	resolved_at  INTEGER NOT NULL,
	returned_at  INTEGER NOT NULL,
	stage_since  INTEGER NOT NULL,
	paused_at    INTEGER NOT NULL,
	last_at      INTEGER NOT NULL,
	fin_at       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS c_prov_received ON c_prov(received_at);
CREATE INDEX IF NOT EXISTS c_prov_fin ON c_prov(fin_at);
CREATE TABLE IF NOT EXISTS c_prov_sync (
	office  TEXT PRIMARY KEY,
	at      INTEGER NOT NULL,
	batches INTEGER NOT NULL
);
-- c_prov_open: the dossiers still open (stage < 90), narrow, for the dashboard (a few
-- pages however many dossiers the province has finished); c_prov_day: per office,
-- field and local day (days since 1970 at UTC+7) how many dossiers were received and
-- how many finished.  Both kept by province_ingest in the batch's transaction.
CREATE TABLE IF NOT EXISTS c_prov_open (
	code        TEXT PRIMARY KEY,
	office      TEXT NOT NULL,
	field       TEXT NOT NULL,
	stage       INTEGER NOT NULL,
	due_at      INTEGER NOT NULL,
	orig_due_at INTEGER NOT NULL,
	paused_at   INTEGER NOT NULL,
	accepted_at INTEGER NOT NULL,
	received_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS c_prov_open_accepted ON c_prov_open(accepted_at);
CREATE INDEX IF NOT EXISTS c_prov_open_due ON c_prov_open(orig_due_at);
CREATE INDEX IF NOT EXISTS c_prov_open_due_today ON c_prov_open(due_at);
-- c_prov_stage: how many open dossiers wait at each step, per office and field
CREATE TABLE IF NOT EXISTS c_prov_stage (
	office TEXT NOT NULL,
	field  TEXT NOT NULL,
	stage  INTEGER NOT NULL,
	n      INTEGER NOT NULL,
	PRIMARY KEY (office, field, stage)
);
CREATE TABLE IF NOT EXISTS c_prov_day (
	office   TEXT NOT NULL,
	field    TEXT NOT NULL,
	day      INTEGER NOT NULL,
	received INTEGER NOT NULL,
	finished INTEGER NOT NULL,
	PRIMARY KEY (office, field, day)
);

-- ---- attached files (sync carries files, src/filesync.c) ---------------------------
-- One row per distinct SHA-256 and its bytes in chunks of 256 KB, each committed on
-- its own (a kill resumes at the next chunk); complete = 1 only once the chunks, read
-- back in order, hash to the name (src/central_files.h).
CREATE TABLE IF NOT EXISTS c_files (
	sha256   TEXT PRIMARY KEY,
	size     INTEGER NOT NULL,
	type     TEXT NOT NULL,
	complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS c_file_chunks (
	sha256 TEXT NOT NULL,
	n      INTEGER NOT NULL,
	data   BLOB NOT NULL,
	PRIMARY KEY (sha256, n)
);

-- ---- a receiving office's first sync by snapshot (issue 16) ------------------------
-- The snapshot rows an office loads are the dossiers it ever held (an event routed
-- to it): what it received and follows while another office resolves it, what it
-- resolved and sent to the place of return.  Walked in code order per office.
CREATE INDEX IF NOT EXISTS c_events_office_dossier ON c_events(office, dossier_code);

-- signed events (issue 14, src/storekey.h): c_events.sig, each event's Ed25519
-- signature by the key of the store that wrote it, is added by the SQLite backend's
-- init (src/central_sqlite.c: SQLite has no ADD COLUMN IF NOT EXISTS)

-- ---- reuse through central (src/central_reuse.h) -------------------------------------
-- An office asks for one applicant's earlier attached files by ID number: the
-- `received` events by the applicant's ID number.
CREATE INDEX IF NOT EXISTS c_events_applicant ON c_events(json_extract(payload, '$.applicant.idno')) WHERE kind = 'received';

-- ---- the province's projector (src/province.c) ------------------------------------------
-- The projector reads the log in position order from c_meta 'prov_pos'.
CREATE INDEX IF NOT EXISTS c_events_pos ON c_events(pos);

-- central's identity (src/sync_recover.c): made once, at the first 'central init';
-- an office that finds another one reads central's log again from the start
INSERT OR IGNORE INTO c_meta(key, value) VALUES ('epoch', lower(hex(randomblob(16))));

-- ---- the province's form II.06a (src/province.c) ------------------------------
-- c_prov.resolver, the competent agency whose level is the dossier's level on form
-- II.06a ('' before the 2025 model), is added by the SQLite backend's init
-- (src/central_sqlite.c: SQLite has no ADD COLUMN IF NOT EXISTS).
-- the annex's liên thông dossiers opened in a period (src/province_kstt.c)
CREATE INDEX IF NOT EXISTS c_events_lt ON c_events(at) WHERE kind = 'lt_opened';

-- ---- `central verify` (src/central_verify.c) ----------------------------------------
-- What `motcua central verify` found among central's events: one row an event, which
-- stays in c_events as it is; reason 'bad-hash' (its hash does not match its
-- content), 'forged' (signed by no key of its office) or 'unsigned' (though its office
-- signs every event it writes).  The checked-up-to mark is c_meta 'verify_pos'.
CREATE TABLE IF NOT EXISTS c_verify_found (
	id           TEXT PRIMARY KEY,
	pos          INTEGER NOT NULL,
	origin       TEXT NOT NULL,
	office       TEXT NOT NULL,
	dossier_code TEXT NOT NULL,
	dseq         INTEGER NOT NULL,
	kind         TEXT NOT NULL,
	reason       TEXT NOT NULL,
	found_at     INTEGER NOT NULL,
	found_by     TEXT NOT NULL
);
