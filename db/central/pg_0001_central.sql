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
	id           TEXT COLLATE "C" NOT NULL,
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
-- one event once: an id with its dossier and dseq (a replayed batch fails here, and sync
-- looks its events up by the three); also a dossier's events in order.  No index of the
-- id alone (see "one index fewer" at the end).
CREATE UNIQUE INDEX IF NOT EXISTS c_events_once ON c_events(dossier_code, dseq, id);

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

-- ---- provincial supervision (src/province.c) -----------------------------------------
-- c_prov: per dossier what the province's dashboard and statistics report need, kept by
-- central_put_batch in the same transaction as the events (province_ingest): dseq is the
-- last event applied (a replayed or older event changes nothing); office the office the
-- dossier is routed to; fin_at when processing ended (resolved_at, or the final stage's
-- start; 0 while open).  c_prov_sync: per office when its last batch came in.
CREATE TABLE IF NOT EXISTS c_prov (
	code         TEXT COLLATE "C" PRIMARY KEY,
	office       TEXT COLLATE "C" NOT NULL,
	procedure    TEXT COLLATE "C" NOT NULL,
	field        TEXT COLLATE "C" NOT NULL,
	dseq         INTEGER NOT NULL,
	channel      SMALLINT NOT NULL,
	stage        SMALLINT NOT NULL,
	prev_stage   SMALLINT NOT NULL,
	decision     SMALLINT NOT NULL,
	apology      SMALLINT NOT NULL,
	rating       SMALLINT NOT NULL,
	received_at  BIGINT NOT NULL,
	accepted_at  BIGINT NOT NULL,
	due_at       BIGINT NOT NULL,
	orig_due_at  BIGINT NOT NULL,
	resolved_at  BIGINT NOT NULL,
	returned_at  BIGINT NOT NULL,
	stage_since  BIGINT NOT NULL,
	paused_at    BIGINT NOT NULL,
	last_at      BIGINT NOT NULL,
	fin_at       BIGINT NOT NULL
);
-- every step updates its dossier's row: room on each page lets PostgreSQL update it
-- in place (HOT) without touching the indexes whose columns did not change
ALTER TABLE c_prov SET (fillfactor = 70);
CREATE INDEX IF NOT EXISTS c_prov_received ON c_prov(received_at);
CREATE INDEX IF NOT EXISTS c_prov_fin ON c_prov(fin_at);
CREATE TABLE IF NOT EXISTS c_prov_sync (
	office  TEXT COLLATE "C" PRIMARY KEY,
	at      BIGINT NOT NULL,
	batches BIGINT NOT NULL
);
-- c_prov_open: the dossiers still open (stage < 90), narrow, for the dashboard (a few
-- pages however many dossiers the province has finished); c_prov_day: per office,
-- field and local day (days since 1970 at UTC+7) how many dossiers were received and
-- how many finished.  Both kept by province_ingest in the batch's transaction.
CREATE TABLE IF NOT EXISTS c_prov_open (
	code        TEXT COLLATE "C" PRIMARY KEY,
	office      TEXT COLLATE "C" NOT NULL,
	field       TEXT COLLATE "C" NOT NULL,
	stage       INTEGER NOT NULL,
	due_at      BIGINT NOT NULL,
	orig_due_at BIGINT NOT NULL,
	paused_at   BIGINT NOT NULL,
	accepted_at BIGINT NOT NULL,
	received_at BIGINT NOT NULL
);
ALTER TABLE c_prov_open SET (fillfactor = 70);
CREATE INDEX IF NOT EXISTS c_prov_open_accepted ON c_prov_open(accepted_at);
CREATE INDEX IF NOT EXISTS c_prov_open_due ON c_prov_open(orig_due_at);
CREATE INDEX IF NOT EXISTS c_prov_open_due_today ON c_prov_open(due_at);
-- c_prov_stage: how many open dossiers wait at each step, per office and field
CREATE TABLE IF NOT EXISTS c_prov_stage (
	office TEXT COLLATE "C" NOT NULL,
	field  TEXT COLLATE "C" NOT NULL,
	stage  INTEGER NOT NULL,
	n      BIGINT NOT NULL,
	PRIMARY KEY (office, field, stage)
);
CREATE TABLE IF NOT EXISTS c_prov_day (
	office   TEXT COLLATE "C" NOT NULL,
	field    TEXT COLLATE "C" NOT NULL,
	day      INTEGER NOT NULL,
	received BIGINT NOT NULL,
	finished BIGINT NOT NULL,
	PRIMARY KEY (office, field, day)
);

-- ---- per-office roles with row-level security (src/central_rls.c) -------------------
-- Each office may connect as its own login role (motcua central office role AGENCY
-- --create), a member of motcua_office; c_office_roles names its office.  Such a role
-- reads only the rows routed or delivered to its office (policies below), reads the
-- reference data every office gets anyway (c_ref, c_meta), and reaches nothing else
-- (the portal's outbox, payments, other offices' quarantine).  It cannot insert an
-- event: its batch goes through c_ingest(), which moves the rows its session copied
-- into a temporary table into c_events after checking that each is its office's own
-- (origin), on a dossier routed to it (route and previous event), so psql with an
-- office's credentials can write nothing sync would refuse.  The owner of central (who
-- ran 'central init') is not subject to these policies.  Creating roles needs
-- CREATEROLE; without it the roles part is skipped and central works as before.
CREATE TABLE IF NOT EXISTS c_office_roles (
	role   TEXT PRIMARY KEY,
	office TEXT COLLATE "C" NOT NULL
);
CREATE OR REPLACE FUNCTION c_my_office() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
	SELECT office FROM c_office_roles WHERE role = session_user
$$;
DO $$ BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		CREATE ROLE motcua_office NOLOGIN;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
ALTER TABLE c_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_dossiers ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_snapshot ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_quarantine ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_prov ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_prov_open ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_prov_day ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_prov_sync ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_prov_stage ENABLE ROW LEVEL SECURITY;
-- (The policies below ask "(SELECT c_my_office())": once a statement, where a bare
-- call ran for every row checked, a call as the definer each: an office's batch of new
-- dossiers paid one a dossier.  Not those of c_events and c_deliveries, which read
-- each other: a subquery there makes PostgreSQL refuse the pair as recursive.)
-- central's private signing key (c_meta 'sign_key', src/central_keys.c) is central's
-- alone: an office's role reads every other meta row, never that one
ALTER TABLE c_meta ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS c_office_read ON c_meta;
CREATE POLICY c_office_read ON c_meta FOR SELECT USING (key <> 'sign_key' OR (SELECT c_my_office()) IS NULL);
DROP POLICY IF EXISTS c_office_read ON c_events;
CREATE POLICY c_office_read ON c_events FOR SELECT USING (office = c_my_office()
	OR EXISTS (SELECT 1 FROM c_deliveries d WHERE d.office = c_my_office() AND d.pos = c_events.pos AND d.id = c_events.id));
DROP POLICY IF EXISTS c_office_read ON c_deliveries;
CREATE POLICY c_office_read ON c_deliveries FOR SELECT USING (office = c_my_office());
-- the office delivers its own events to the office that received the dossier
DROP POLICY IF EXISTS c_office_deliver ON c_deliveries;
CREATE POLICY c_office_deliver ON c_deliveries FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM c_events e
	WHERE e.id = c_deliveries.id AND e.office = c_my_office() AND e.origin = c_my_office()));
DROP POLICY IF EXISTS c_office_own ON c_dossiers;
CREATE POLICY c_office_own ON c_dossiers FOR ALL USING (office = (SELECT c_my_office())) WITH CHECK (office = (SELECT c_my_office()));
DROP POLICY IF EXISTS c_office_read ON c_snapshot;
CREATE POLICY c_office_read ON c_snapshot FOR SELECT USING (office = (SELECT c_my_office()));
DROP POLICY IF EXISTS c_office_own ON c_quarantine;
CREATE POLICY c_office_own ON c_quarantine FOR ALL USING (origin = (SELECT c_my_office())) WITH CHECK (origin = (SELECT c_my_office()));
DROP POLICY IF EXISTS c_office_own ON c_prov;
CREATE POLICY c_office_own ON c_prov FOR SELECT USING (office = (SELECT c_my_office()));
DROP POLICY IF EXISTS c_office_own ON c_prov_open;
CREATE POLICY c_office_own ON c_prov_open FOR SELECT USING (office = (SELECT c_my_office()));
DROP POLICY IF EXISTS c_office_own ON c_prov_day;
CREATE POLICY c_office_own ON c_prov_day FOR SELECT USING (office = (SELECT c_my_office()));
DROP POLICY IF EXISTS c_office_own ON c_prov_stage;
CREATE POLICY c_office_own ON c_prov_stage FOR SELECT USING (office = (SELECT c_my_office()));
DROP POLICY IF EXISTS c_office_own ON c_prov_sync;
CREATE POLICY c_office_own ON c_prov_sync FOR SELECT USING (office = (SELECT c_my_office()));
-- an office's batch: its session COPYs into pg_temp.c_events_in, then calls this
CREATE OR REPLACE FUNCTION c_ingest() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
	bad text;
	n bigint;
BEGIN
	IF me IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'this role is not an office of central';
	END IF;
	bad := c_ingest_refusal();   -- (defined below, with the office roles' files)
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = bad;
	END IF;
	SELECT i.id INTO bad FROM pg_temp.c_events_in i
	WHERE i.origin <> me OR (i.office <> me AND i.kind <> 'routed')
		OR (i.prev_hash IS NULL AND (i.dseq <> 1 OR i.kind <> 'received'))
		OR (i.prev_hash IS NOT NULL
		    AND NOT EXISTS (SELECT 1 FROM c_events p WHERE p.dossier_code = i.dossier_code AND p.dseq = i.dseq - 1
				    AND p.hash = i.prev_hash AND p.office = me)
		    AND NOT EXISTS (SELECT 1 FROM pg_temp.c_events_in q WHERE q.dossier_code = i.dossier_code
				    AND q.dseq = i.dseq - 1 AND q.hash = i.prev_hash))
	LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('event %s is not office %s''s own on a dossier routed to it', bad, me);
	END IF;
	-- a batch's positions are its own transaction's (see parallel ingest above): one
	-- set by hand could sit behind the offices' cursors, or first among a file's events
	SELECT i.id INTO bad FROM pg_temp.c_events_in i
	WHERE i.pos < (pg_current_xact_id()::text::bigint << 20) OR i.pos >= ((pg_current_xact_id()::text::bigint + 1) << 20)
	LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('event %s does not take its log position from its batch', bad);
	END IF;
	INSERT INTO c_events SELECT * FROM pg_temp.c_events_in;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
-- the province's projection of a batch (src/province.c computes it; one round trip).
-- An office's role writes only rows of dossiers that hold an event of its own.
CREATE OR REPLACE FUNCTION c_prov_batch(rows_ json, opens json, closed json, days json, stages json, origin_ text,
	at_ bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
BEGIN
	IF me IS NOT NULL AND origin_ IS DISTINCT FROM me THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('office %s may not write office %s''s rows', me, origin_);
	END IF;
	INSERT INTO c_prov (code, office, procedure, field, dseq, channel, stage, prev_stage, decision, apology, rating,
		received_at, accepted_at, due_at, orig_due_at, resolved_at, returned_at, stage_since, paused_at, last_at, fin_at)
	SELECT x.code, x.office, x.procedure,
		coalesce(nullif(x.field, ''), (SELECT r.doc::json->>'field' FROM c_ref r WHERE r.kind = 'procedure'
			AND r.key = x.procedure), ''),
		x.dseq, x.channel, x.stage, x.prev_stage, x.decision, x.apology, x.rating, x.received_at, x.accepted_at, x.due_at,
		x.orig_due_at, x.resolved_at, x.returned_at, x.stage_since, x.paused_at, x.last_at, x.fin_at
	FROM json_to_recordset(rows_) AS x(code text, office text, procedure text, field text, dseq int, channel int, stage int,
		prev_stage int, decision int, apology int, rating int, received_at bigint, accepted_at bigint, due_at bigint,
		orig_due_at bigint, resolved_at bigint, returned_at bigint, stage_since bigint, paused_at bigint, last_at bigint,
		fin_at bigint)
	WHERE me IS NULL OR EXISTS (SELECT 1 FROM c_events e WHERE e.dossier_code = x.code AND e.origin = me)
	ON CONFLICT (code) DO UPDATE SET office = excluded.office, dseq = excluded.dseq, channel = excluded.channel,
		stage = excluded.stage, prev_stage = excluded.prev_stage, decision = excluded.decision, apology = excluded.apology,
		rating = excluded.rating, received_at = excluded.received_at, accepted_at = excluded.accepted_at,
		due_at = excluded.due_at, orig_due_at = excluded.orig_due_at, resolved_at = excluded.resolved_at,
		returned_at = excluded.returned_at, stage_since = excluded.stage_since, paused_at = excluded.paused_at,
		last_at = excluded.last_at, fin_at = excluded.fin_at;
	INSERT INTO c_prov_open SELECT code, office, field, stage, due_at, orig_due_at, paused_at, accepted_at, received_at
	FROM c_prov WHERE code = ANY (ARRAY(SELECT json_array_elements_text(opens)))
	ON CONFLICT (code) DO UPDATE SET office = excluded.office, stage = excluded.stage, due_at = excluded.due_at,
		orig_due_at = excluded.orig_due_at, paused_at = excluded.paused_at, accepted_at = excluded.accepted_at;
	DELETE FROM c_prov_open WHERE code = ANY (ARRAY(SELECT json_array_elements_text(closed)))
		AND (me IS NULL OR EXISTS (SELECT 1 FROM c_events e WHERE e.dossier_code = c_prov_open.code AND e.origin = me));
	INSERT INTO c_prov_day SELECT x.office, (SELECT p.field FROM c_prov p WHERE p.code = x.code), x.day, sum(x.received),
		sum(x.finished)
	FROM json_to_recordset(days) AS x(code text, office text, day int, received int, finished int)
	WHERE me IS NULL OR EXISTS (SELECT 1 FROM c_events e WHERE e.dossier_code = x.code AND e.origin = me)
	GROUP BY 1, 2, 3 ON CONFLICT (office, field, day) DO UPDATE SET received = c_prov_day.received + excluded.received,
		finished = c_prov_day.finished + excluded.finished;
	INSERT INTO c_prov_stage SELECT x.office, (SELECT p.field FROM c_prov p WHERE p.code = x.code), x.stage, sum(x.n)
	FROM json_to_recordset(stages) AS x(code text, office text, stage int, n int)
	WHERE me IS NULL OR EXISTS (SELECT 1 FROM c_events e WHERE e.dossier_code = x.code AND e.origin = me)
	GROUP BY 1, 2, 3 ON CONFLICT (office, field, stage) DO UPDATE SET n = c_prov_stage.n + excluded.n;
	IF origin_ IS NOT NULL THEN
		INSERT INTO c_prov_sync (office, at, batches) VALUES (origin_, at_, 1)
		ON CONFLICT (office) DO UPDATE SET at = excluded.at, batches = c_prov_sync.batches + 1;
	END IF;
END $$;
REVOKE ALL ON FUNCTION c_prov_batch(json, json, json, json, json, text, bigint) FROM PUBLIC;
-- making an office's role (needs CREATEROLE; only central's owner may call it)
CREATE OR REPLACE FUNCTION c_office_role(r text, o text, pw text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE motcua_office', r);
	END IF;
	IF pw IS NOT NULL THEN
		EXECUTE format('ALTER ROLE %I PASSWORD %L', r, pw);
	END IF;
	INSERT INTO c_office_roles VALUES (r, o) ON CONFLICT (role) DO UPDATE SET office = EXCLUDED.office;
END $$;
REVOKE ALL ON FUNCTION c_office_role(text, text, text) FROM PUBLIC;
-- an office's role enrols its own store's signing key (src/central_keys.c): one
-- reference row of kind 'storekey' named by its own agency, and the next reference
-- version; never another office's key or central's.  Under the policy 'approved'
-- (c_meta 'key_policy') only a key an administrator approved beforehand, whose
-- 'since' (-1 until first used) the office's first sync then fills in.
CREATE OR REPLACE FUNCTION c_enrol_key(k text, d text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
	j json := d::json;
BEGIN
	-- the row's key names the public key its document carries (the document's is the
	-- one checked against signatures: an approved key's row must not take another),
	-- and the time its store began signing is a real one, not later than tomorrow
	-- (unsigned events up to it pass as written before signing began)
	IF me IS NULL OR json_typeof(j) IS DISTINCT FROM 'object' OR (j->>'agency') IS DISTINCT FROM me
	   OR (j->>'pub') !~ '^[0-9a-f]{64}$' OR k IS DISTINCT FROM me || ' ' || (j->>'pub')
	   OR coalesce((j->>'central')::boolean, true) OR json_typeof(j->'since') IS DISTINCT FROM 'number'
	   OR (j->>'since')::numeric < 0 OR (j->>'since')::numeric > extract(epoch FROM now()) + 86400 THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'an office may enrol only its own store''s key';
	END IF;
	IF NOT EXISTS (SELECT FROM c_ref WHERE kind = 'storekey' AND key = k)
	   AND (SELECT value FROM c_meta WHERE key = 'key_policy') IS NOT DISTINCT FROM 'approved' THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'this store''s key is not approved at central';
	END IF;
	INSERT INTO c_ref(kind, key, doc) VALUES ('storekey', k, d)
		ON CONFLICT (kind, key) DO UPDATE SET doc = EXCLUDED.doc WHERE (c_ref.doc::json->>'since')::bigint < 0;
	UPDATE c_meta SET value = (value::bigint + 1)::text WHERE key = 'ref_version';
END $$;
REVOKE ALL ON FUNCTION c_enrol_key(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_ingest() FROM PUBLIC;
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		GRANT EXECUTE ON FUNCTION c_ingest() TO motcua_office;
		GRANT EXECUTE ON FUNCTION c_enrol_key(text, text) TO motcua_office;
		GRANT SELECT ON c_meta, c_ref, c_events, c_deliveries, c_dossiers, c_snapshot TO motcua_office;
		GRANT INSERT ON c_deliveries, c_quarantine TO motcua_office;
		GRANT SELECT, INSERT ON c_dossiers TO motcua_office;
		GRANT SELECT ON c_prov, c_prov_open, c_prov_day, c_prov_stage, c_prov_sync TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;

-- ---- LISTEN/NOTIFY: an office hears that central has something for it ------------------
-- On commit of every write to the log (an office's batch, central's own events, a
-- delivery) central notifies each office concerned on its own channel (a batch's
-- events: the batch itself, src/central_pg.c; deliveries: the trigger below),
-- motcua_<agency code in lower case, dots as _> (src/central_listen.c); `motcua sync
-- --watch` listens on its office's channel and pulls at once, polling stays the
-- fallback.  NOTIFY is sent at commit only, so a batch rolled back says nothing.
CREATE OR REPLACE FUNCTION c_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('motcua_' || lower(regexp_replace(o.office, '[^A-Za-z0-9]', '_', 'g')), '')
	FROM (SELECT DISTINCT office FROM c_new) o;
	RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS c_deliveries_notify ON c_deliveries;
CREATE TRIGGER c_deliveries_notify AFTER INSERT ON c_deliveries REFERENCING NEW TABLE AS c_new
	FOR EACH STATEMENT EXECUTE FUNCTION c_notify();

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

-- ---- office roles and attached files (src/central_rls.c) ---------------------------------
-- An office's own role carries its files like any office (sync carries files): it may
-- store and read file rows by SHA-256, under the row-level security set out below
-- (c_file_readable, c_file_storable).
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') AND to_regclass('c_files') IS NOT NULL
	   AND to_regclass('c_file_chunks') IS NOT NULL THEN
		GRANT SELECT, INSERT, UPDATE ON c_files TO motcua_office;
		GRANT SELECT, INSERT, DELETE ON c_file_chunks TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;

-- signed events (issue 14, src/storekey.h): each event's Ed25519 signature by the key
-- of the store that wrote it (central's own for its events), checked at ingest; NULL
-- for events written before signing began
ALTER TABLE c_events ADD COLUMN IF NOT EXISTS sig bytea;

-- ---- reuse through central (src/central_reuse.h) -------------------------------------
-- An office asks for one applicant's earlier attached files by ID number: the
-- `received` events by the applicant's ID number.
-- (through json, not jsonb: the path is read as the text is parsed, no tree built;
-- every 'received' event of the log passes through it at ingest)
CREATE INDEX IF NOT EXISTS c_events_applicant_idno ON c_events ((payload::json #>> '{applicant,idno}')) WHERE kind = 'received';
-- An office's own role reads other offices' events only through this function, and
-- only for the one applicant (kind, ID number) it names: their attached files whose
-- bytes central holds complete.  Members of motcua_office and central's owner only.
CREATE OR REPLACE FUNCTION c_reuse_papers(idno_ text, kind_ text, limit_ integer)
	RETURNS TABLE (r_id text, r_code text, r_origin text, r_at bigint, r_procedure text, r_payload text)
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
	SELECT a.id, a.dossier_code, a.origin, a.at, coalesce(r.payload::jsonb ->> 'procedure', ''), a.payload
	FROM c_events r JOIN c_events a ON a.dossier_code = r.dossier_code AND a.kind = 'attached'
	JOIN c_files f ON f.sha256 = (a.payload::json ->> 'sha256') AND f.complete = 1
	WHERE r.kind = 'received' AND (r.payload::json #>> '{applicant,idno}') = idno_
	AND (r.payload::json #>> '{applicant,kind}') = kind_ AND length(idno_) >= 9
	ORDER BY a.at DESC, a.id LIMIT limit_
$$;
REVOKE ALL ON FUNCTION c_reuse_papers(text, text, integer) FROM PUBLIC;
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		GRANT EXECUTE ON FUNCTION c_reuse_papers(text, text, integer) TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;

-- ---- the province's projector (src/province.c) ------------------------------------------
-- Ingest keeps only the office's last sync (c_prov_synced, which an office's role may
-- call for itself); c_prov and its counters are written by the projector, as central's
-- owner, from the log (cursor c_meta 'prov_pos'), so an office's role no longer writes
-- the projection.
CREATE OR REPLACE FUNCTION c_prov_synced(origin_ text, at_ bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
BEGIN
	IF me IS NOT NULL AND origin_ IS DISTINCT FROM me THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format('office %s may not write office %s''s rows', me, origin_);
	END IF;
	INSERT INTO c_prov_sync (office, at, batches) VALUES (origin_, at_, 1)
	ON CONFLICT (office) DO UPDATE SET at = excluded.at, batches = c_prov_sync.batches + 1;
END $$;
REVOKE ALL ON FUNCTION c_prov_synced(text, bigint) FROM PUBLIC;
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		REVOKE EXECUTE ON FUNCTION c_prov_batch(json, json, json, json, json, text, bigint) FROM motcua_office;
		GRANT EXECUTE ON FUNCTION c_prov_synced(text, bigint) TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;

-- ---- the province's form II.06a (src/province.c) ------------------------------
-- c_prov.resolver: the competent agency of a dossier of the 2025 model (org.h), whose
-- level is the dossier's level on form II.06a; '' before it (the procedure's level
-- counts).  Kept by the projector; a central upgraded with dossiers already projected
-- fills it with `motcua central project`.
ALTER TABLE c_prov ADD COLUMN IF NOT EXISTS resolver TEXT COLLATE "C" NOT NULL DEFAULT '';
-- the annex's liên thông dossiers opened in a period (src/province_kstt.c)
CREATE INDEX IF NOT EXISTS c_events_lt ON c_events(at) WHERE kind = 'lt_opened';

-- ---- office roles: dossiers, attached files and the snapshot under row-level security --
-- (src/central_rls.c) "Held": an event of the dossier was routed to the office
-- (received, resolved or returned there, re-routed away from it) or delivered to it
-- (c_held); "holds": routed to it now, backed by an event of the log (c_holds).
-- Besides the events routed or delivered to it (the policy above), an office's role
-- reads the whole history of a dossier it holds or held through c_dossier_events() (what
-- another office received and sent on to it, what it was re-routed with, the steps
-- after it that the office that received it follows), and the snapshot rows of the
-- dossiers it held (a new store of a receiving office takes by snapshot what it
-- follows and what it sent back).  It reads a file's row and bytes only when an
-- `attached` event naming the file's SHA-256 is its own or on a dossier it held, or
-- when c_reuse_papers() offered it the file for the applicant's ID number
-- (c_file_grants, which records every such offer); it writes files only through
-- c_file_begin/put/settle(), which check the same and hash again at the server what
-- it claims whole.
CREATE INDEX IF NOT EXISTS c_events_attached_sha256 ON c_events ((payload::json ->> 'sha256')) WHERE kind = 'attached';
CREATE TABLE IF NOT EXISTS c_file_grants (
	sha256 TEXT NOT NULL,
	office TEXT COLLATE "C" NOT NULL,
	at     BIGINT NOT NULL,
	PRIMARY KEY (sha256, office)
);
CREATE OR REPLACE FUNCTION c_held(code_ text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
	SELECT EXISTS (SELECT 1 FROM c_events e WHERE e.office = c_my_office() AND e.dossier_code = code_)
		OR EXISTS (SELECT 1 FROM c_events e JOIN c_deliveries d ON d.office = c_my_office() AND d.pos = e.pos AND d.id = e.id
			WHERE e.dossier_code = code_)
$$;
-- (the route in c_dossiers backed by an event of the log routed to the office: a row an
-- office's role wrote into c_dossiers alone makes it hold nothing)
CREATE OR REPLACE FUNCTION c_holds(code_ text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
	SELECT EXISTS (SELECT 1 FROM c_dossiers d WHERE d.code = code_ AND d.office = c_my_office())
		AND EXISTS (SELECT 1 FROM c_events e WHERE e.office = c_my_office() AND e.dossier_code = code_)
$$;
-- A dossier's events (src/central_pg.c reads a dossier through this): all of them for
-- central's owner and for an office that holds or ever held the dossier (central's
-- checks of an office's batch read the dossier's whole history as that office's role:
-- whether the office that received it routed it, to reach that office with a step
-- taken after the dossier moved on); for another office's role only what it wrote.
-- (Not in the policy on c_events itself: every read of the log would pay for it,
-- ingest's included.)
CREATE OR REPLACE FUNCTION c_dossier_events(code_ text) RETURNS SETOF c_events LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
	SELECT e.* FROM c_events e WHERE e.dossier_code = code_ AND (c_my_office() IS NULL OR c_holds(code_) OR c_held(code_)
		OR e.origin = c_my_office())
$$;
-- An office's role may store (c_file_begin/put/settle) a file an `attached` event of its
-- own or of a dossier it holds or held names.  It may read the bytes only through an
-- `attached` event by an office that had them: an office's event may name any SHA-256
-- (it may have learnt a hash without the paper), so an event counts only when it is
-- the first to name the file, or its office was offered the file (c_file_grants), or
-- its office attached it before (on another dossier) or held a dossier on which such
-- an event came before it.
CREATE OR REPLACE FUNCTION c_file_storable(sha_ text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
	SELECT c_my_office() IS NOT NULL AND (EXISTS (SELECT 1 FROM c_events a WHERE a.kind = 'attached'
			AND (a.payload::json ->> 'sha256') = sha_ AND (a.origin = c_my_office() OR c_held(a.dossier_code)))
		OR EXISTS (SELECT 1 FROM c_file_grants g WHERE g.sha256 = sha_ AND g.office = c_my_office()))
$$;
CREATE OR REPLACE FUNCTION c_file_readable(sha_ text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
	WITH RECURSIVE att AS (SELECT a.pos, a.origin, a.dossier_code FROM c_events a WHERE a.kind = 'attached'
			AND (a.payload::json ->> 'sha256') = sha_),
	had (pos, origin, dossier_code) AS (
		SELECT t.pos, t.origin, t.dossier_code FROM att t WHERE t.pos = (SELECT min(pos) FROM att)
			OR EXISTS (SELECT 1 FROM c_file_grants g WHERE g.sha256 = sha_ AND g.office = t.origin)
		UNION
		SELECT t.pos, t.origin, t.dossier_code FROM att t JOIN had h ON h.pos < t.pos AND (h.origin = t.origin
			OR EXISTS (SELECT 1 FROM c_events e WHERE e.office = t.origin AND e.dossier_code = h.dossier_code)
			OR EXISTS (SELECT 1 FROM c_events e JOIN c_deliveries d ON d.office = t.origin AND d.pos = e.pos AND d.id = e.id
				WHERE e.dossier_code = h.dossier_code)))
	SELECT c_my_office() IS NOT NULL AND (EXISTS (SELECT 1 FROM had h WHERE h.origin = c_my_office() OR c_held(h.dossier_code))
		OR EXISTS (SELECT 1 FROM c_file_grants g WHERE g.sha256 = sha_ AND g.office = c_my_office()))
$$;
-- An office's role reads the events it wrote (also one that routes a dossier on to
-- another office) and delivers them to the office that received the dossier, which
-- follows it (src/central.c): a second permissive policy beside the one above.  A
-- delivery names the event's own position (no other office's place in a feed).
DROP POLICY IF EXISTS c_office_wrote ON c_events;
CREATE POLICY c_office_wrote ON c_events FOR SELECT USING (origin = c_my_office());
DROP POLICY IF EXISTS c_office_deliver ON c_deliveries;
CREATE POLICY c_office_deliver ON c_deliveries FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM c_events e
	WHERE e.id = c_deliveries.id AND e.pos = c_deliveries.pos AND e.origin = c_my_office()));
ALTER TABLE c_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_file_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE c_file_grants ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS c_office_read ON c_files;
CREATE POLICY c_office_read ON c_files FOR SELECT USING (c_file_readable(sha256));
DROP POLICY IF EXISTS c_office_read ON c_file_chunks;
CREATE POLICY c_office_read ON c_file_chunks FOR SELECT USING (c_file_readable(sha256));
DROP POLICY IF EXISTS c_office_read ON c_snapshot;
CREATE POLICY c_office_read ON c_snapshot FOR SELECT USING (office = (SELECT c_my_office()) OR c_held(code));
-- the file's row before its chunks (nothing if central has it)
CREATE OR REPLACE FUNCTION c_file_begin(sha_ text, size_ bigint, type_ text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
BEGIN
	IF c_my_office() IS NOT NULL AND (sha_ !~ '^[0-9a-f]{64}$' OR size_ < 0 OR NOT c_file_storable(sha_)) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('office %s may not store file %s: no dossier it holds has it attached', c_my_office(), left(sha_, 64));
	END IF;
	INSERT INTO c_files(sha256, size, type) VALUES (sha_, size_, type_) ON CONFLICT DO NOTHING;
END $$;
-- chunk n of a file still being sent (nothing once it is whole, or if central has it)
CREATE OR REPLACE FUNCTION c_file_put(sha_ text, n_ integer, data_ bytea) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
BEGIN
	IF c_my_office() IS NOT NULL AND (n_ < 0 OR octet_length(data_) > 262144 OR NOT c_file_storable(sha_)) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('office %s may not store file %s: no dossier it holds has it attached', c_my_office(), left(sha_, 64));
	END IF;
	INSERT INTO c_file_chunks(sha256, n, data) SELECT sha_, n_, data_ FROM c_files
	WHERE sha256 = sha_ AND (complete = 0 OR c_my_office() IS NULL) ON CONFLICT DO NOTHING;
END $$;
-- ok: the file is whole (its size from its bytes); not ok: its chunks are dropped to be
-- sent again.  For an office's role the server hashes what it can hold (64 MB): a
-- claim of whole on bytes that do not hash to the name drops them, and a claim of
-- corrupt on bytes that do changes nothing.  Returns whether the file is whole now.
CREATE OR REPLACE FUNCTION c_file_settle(sha_ text, ok_ boolean) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
	bytes bigint;
	good boolean := ok_;
BEGIN
	IF me IS NOT NULL AND NOT c_file_storable(sha_) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('office %s may not store file %s: no dossier it holds has it attached', me, left(sha_, 64));
	END IF;
	SELECT coalesce(sum(octet_length(data)), 0) INTO bytes FROM c_file_chunks WHERE sha256 = sha_;
	IF me IS NOT NULL AND bytes <= 67108864 THEN
		good := (SELECT encode(sha256(coalesce(string_agg(data, ''::bytea ORDER BY n), ''::bytea)), 'hex')
			FROM c_file_chunks WHERE sha256 = sha_) = sha_;
	END IF;
	IF good THEN
		UPDATE c_files SET complete = 1, size = bytes WHERE sha256 = sha_;
	ELSIF NOT ok_ OR me IS NOT NULL THEN
		DELETE FROM c_file_chunks WHERE sha256 = sha_;
		UPDATE c_files SET complete = 0 WHERE sha256 = sha_;
	END IF;
	RETURN good;
END $$;
-- how many files central holds whole (a number only: an office compares it with the
-- files it believes central has, to notice a central restored from an older backup)
CREATE OR REPLACE FUNCTION c_files_count() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
	SELECT count(*) FROM c_files WHERE complete = 1
$$;
-- c_reuse_papers() as before, and the files it offers an office's role become readable
-- by that office (c_file_grants: which office was offered what, and when)
CREATE OR REPLACE FUNCTION c_reuse_papers(idno_ text, kind_ text, limit_ integer)
	RETURNS TABLE (r_id text, r_code text, r_origin text, r_at bigint, r_procedure text, r_payload text)
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
BEGIN
	RETURN QUERY WITH p AS (
		SELECT a.id, a.dossier_code, a.origin, a.at, coalesce(r.payload::jsonb ->> 'procedure', '') AS procedure, a.payload,
			f.sha256
		FROM c_events r JOIN c_events a ON a.dossier_code = r.dossier_code AND a.kind = 'attached'
		JOIN c_files f ON f.sha256 = (a.payload::json ->> 'sha256') AND f.complete = 1
		WHERE r.kind = 'received' AND (r.payload::json #>> '{applicant,idno}') = idno_
		AND (r.payload::json #>> '{applicant,kind}') = kind_ AND length(idno_) >= 9
		ORDER BY a.at DESC, a.id LIMIT limit_),
	g AS (INSERT INTO c_file_grants(sha256, office, at) SELECT DISTINCT p.sha256, me, extract(epoch FROM now())::bigint
		FROM p WHERE me IS NOT NULL ON CONFLICT DO NOTHING)
	SELECT p.id, p.dossier_code, p.origin, p.at, p.procedure, p.payload FROM p ORDER BY p.at DESC, p.id;
END $$;
REVOKE ALL ON FUNCTION c_reuse_papers(text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_file_begin(text, bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_file_put(text, integer, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_file_settle(text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_files_count() FROM PUBLIC;
REVOKE ALL ON FUNCTION c_held(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_holds(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_dossier_events(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_file_readable(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION c_file_storable(text) FROM PUBLIC;
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		REVOKE INSERT, UPDATE, DELETE ON c_files, c_file_chunks FROM motcua_office;
		GRANT SELECT ON c_files, c_file_chunks TO motcua_office;
		GRANT EXECUTE ON FUNCTION c_file_begin(text, bigint, text), c_file_put(text, integer, bytea),
			c_file_settle(text, boolean), c_files_count(), c_held(text), c_holds(text), c_dossier_events(text), c_file_readable(text),
			c_reuse_papers(text, text, integer) TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
-- A routing event moves its dossier (src/central_pg.c): an office's role may move only a
-- dossier routed to it, and only to an office central knows.
CREATE OR REPLACE FUNCTION c_route(code_ text, office_ text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
BEGIN
	IF me IS NOT NULL AND (NOT EXISTS (SELECT 1 FROM c_dossiers WHERE code = code_ AND office = me)
	   OR NOT EXISTS (SELECT 1 FROM c_ref WHERE kind = 'office' AND key = office_)) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('office %s may not route dossier %s: it is not routed to that office', me, code_);
	END IF;
	INSERT INTO c_dossiers(code, office) VALUES (code_, office_) ON CONFLICT (code) DO UPDATE SET office = excluded.office;
END $$;
REVOKE ALL ON FUNCTION c_route(text, text) FROM PUBLIC;
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		GRANT EXECUTE ON FUNCTION c_route(text, text) TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
-- A code an office may file a new dossier under: its own (AGENCY-yymmdd-nnnn, src/dossier.c)
-- or a part's chain of a liên thông dossier (CODE-Pn, src/lienthong.c).  An office's
-- role adds to c_dossiers only such codes, routed to itself.  A part's chain only of a
-- dossier the office holds or held (the parent's events reach each part's agency):
-- otherwise any office could file another office's part chain before its agency does.
CREATE OR REPLACE FUNCTION c_code_mine(code_ text, office_ text) RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT left(code_, length(office_) + 1) = office_ || '-' OR (code_ ~ '-P[1-9]$' AND office_ = c_my_office()
		AND c_held(regexp_replace(code_, '-P[1-9]$', '')))
$$;
DROP POLICY IF EXISTS c_office_own ON c_dossiers;
DROP POLICY IF EXISTS c_office_read ON c_dossiers;
CREATE POLICY c_office_read ON c_dossiers FOR SELECT USING (office = (SELECT c_my_office()));
DROP POLICY IF EXISTS c_office_file ON c_dossiers;
CREATE POLICY c_office_file ON c_dossiers FOR INSERT WITH CHECK (office = (SELECT c_my_office()) AND c_code_mine(code, office));
-- The batch c_ingest() reads is the office's own temporary table: it must be an
-- ordinary table of built-in column types without row security, rules or children,
-- because c_ingest() reads it as central's owner, and a view or a policy there would
-- run the office's own functions with the owner's rights.  Once that holds: a first
-- event ('received', no previous event) may not name a dossier central already has
-- (another office's dossier would otherwise become one this office holds, and reads).
-- NULL when the batch may go in, else why not.
CREATE OR REPLACE FUNCTION c_ingest_refusal() RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	r record;
	me text := c_my_office();
	why text;
BEGIN
	IF NOT coalesce((SELECT c.relkind = 'r' AND c.relnamespace = pg_catalog.pg_my_temp_schema() AND NOT c.relrowsecurity
		AND NOT c.relhasrules AND NOT c.relhassubclass AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
			WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
			AND a.atttypid NOT IN ('pg_catalog.text'::pg_catalog.regtype, 'pg_catalog.int8'::pg_catalog.regtype,
				'pg_catalog.int4'::pg_catalog.regtype, 'pg_catalog.bytea'::pg_catalog.regtype))
		FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass('pg_temp.c_events_in')), false) THEN
		RETURN 'the batch must be an ordinary temporary table pg_temp.c_events_in';
	END IF;
	-- an event's size and time, before anything parses a payload (c_ingest_limits(), at the end)
	why := c_ingest_limits();
	IF why IS NOT NULL THEN
		RETURN why;
	END IF;
	-- row by row through the indexes (the batch's table has no statistics: a join could
	-- make the planner read the whole log for every batch)
	FOR r IN SELECT i.id, i.dossier_code, i.origin FROM pg_temp.c_events_in i
		WHERE i.prev_hash IS NULL AND i.origin = me LOOP
		CONTINUE WHEN EXISTS (SELECT 1 FROM c_events x WHERE x.dossier_code = r.dossier_code AND x.dseq = 1 AND x.id = r.id);
		IF NOT c_code_mine(r.dossier_code, r.origin) OR EXISTS (SELECT 1 FROM c_events p WHERE p.dossier_code = r.dossier_code) THEN
			RETURN format('office %s may not file dossier %s: its code is another office''s, or central has it already',
				r.origin, r.dossier_code);
		END IF;
	END LOOP;
	RETURN NULL;
END $$;

-- ---- ingest speed (issue 20): the snapshot's (office, dossier) index, one entry a dossier --
-- Every event of the log took an entry in c_events(office, dossier_code), a fifth of
-- the CPU a batch's COPY spent on the log's indexes.  An event's office changes only at
-- a dossier's first event and at the routing kinds (src/history.h); every other event
-- takes it from its previous one, so those events alone name every (office, dossier)
-- pair the snapshot walks (src/central_pg.c, HELD: the same predicate).
CREATE INDEX IF NOT EXISTS c_events_office_held ON c_events(office, dossier_code)
	WHERE dseq = 1 OR kind IN ('routed', 'rerouted', 'conflict_resolved');
DROP INDEX IF EXISTS c_events_office_dossier;

-- ---- c_ingest() re-checks what a writer without the office's key could forge (issue 20) --
-- An office's role could call c_ingest() from psql with rows of its own making.  Each
-- row is checked as central_put_batch checks it (src/central.c), except the Ed25519
-- signature (PostgreSQL has no Ed25519: an office's own sync checks signatures before
-- they reach here, offices re-check what they pull, `audit verify` everything):
--   its origin and route are the role's office (a 'routed' event: to the known office
--   its payload names); a dossier's first event is 'received' with dseq 1, filed for
--   the role's office; its hash is the SHA-256 of its content (src/event.c: the
--   previous hash, or 32 zero bytes, then "motcua-event-v1" and the fields, one a line;
--   PostgreSQL's own sha256(), no extension needed); its previous event (dossier,
--   dseq - 1, hash) is at central or earlier in the batch, routed to the role's office;
--   its actor is a user of the office; its log position is one of this transaction's
--   own (pos = (xid8 << 20) + n, src/central_pg.c), once.  The first row that fails
--   refuses the whole batch with the reason, and nothing of it is written.  Set-based
--   (hash joins, one index probe a row): a batch of 2,000 costs a few milliseconds.
CREATE OR REPLACE FUNCTION c_ingest() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
	base bigint := pg_current_xact_id()::text::bigint << 20;
	bad text;
	why text;
	n bigint;
BEGIN
	IF me IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'this role is not an office of central';
	END IF;
	-- the batch's table is an ordinary temporary table before anything reads it (above)
	bad := c_ingest_refusal();
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = bad;
	END IF;
	WITH actors AS (SELECT DISTINCT actor FROM pg_temp.c_events_in),
	users AS (SELECT a.actor FROM actors a JOIN c_ref r ON r.kind = 'user' AND r.key = a.actor
		WHERE (r.doc::json->>'office') = me),
	inbatch AS (SELECT dossier_code, dseq, hash, min(pos) AS pos FROM pg_temp.c_events_in WHERE office = me
		GROUP BY 1, 2, 3),
	posdup AS (SELECT pos FROM pg_temp.c_events_in GROUP BY pos HAVING count(*) > 1),
	iddup AS (SELECT id FROM pg_temp.c_events_in GROUP BY id HAVING count(*) > 1)
	SELECT i.id, x.why INTO bad, why
	FROM pg_temp.c_events_in i
	LEFT JOIN users u ON u.actor = i.actor
	LEFT JOIN inbatch q ON q.dossier_code = i.dossier_code AND q.dseq = i.dseq - 1 AND q.hash = i.prev_hash
		AND q.pos < i.pos
	LEFT JOIN posdup d ON d.pos = i.pos
	LEFT JOIN iddup dd ON dd.id = i.id
	-- the previous event at central, through c_events(dossier_code, dseq) only (its
	-- office is compared outside: as a condition here the planner may walk the
	-- office's whole (office, pos) index instead, once a row)
	LEFT JOIN LATERAL (SELECT p.office FROM c_events p WHERE i.prev_hash IS NOT NULL AND q.hash IS NULL
		AND p.dossier_code = i.dossier_code AND p.dseq = i.dseq - 1 AND p.hash = i.prev_hash LIMIT 1) p ON true
	CROSS JOIN LATERAL (SELECT CASE
		WHEN i.origin <> me THEN format('it names office %s as its author', i.origin)
		WHEN i.office <> me AND i.kind <> 'routed' THEN format('it routes the dossier to office %s', i.office)
		WHEN i.kind = 'routed' AND (i.office IS DISTINCT FROM (i.payload::json->>'to')
			OR NOT EXISTS (SELECT 1 FROM c_ref o WHERE o.kind = 'office' AND o.key = i.office))
			THEN 'it routes the dossier to an office its payload does not name or central does not know'
		WHEN i.prev_hash IS NULL AND (i.dseq <> 1 OR i.kind <> 'received')
			THEN 'a dossier''s first event must be ''received'' with dseq 1'
		WHEN i.prev_hash IS NULL AND (i.payload::json->>'office') IS DISTINCT FROM me
			THEN 'it files the dossier for another office'
		WHEN i.prev_hash IS NOT NULL AND i.dseq < 2 THEN format('dseq %s cannot follow a previous event', i.dseq)
		WHEN length(i.hash) <> 32 OR i.hash <> sha256(coalesce(i.prev_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
			|| convert_to(concat_ws(E'\n', 'motcua-event-v1', i.id, i.dossier_code, i.dseq, i.kind, i.os_account, i.actor,
				i.at, i.origin, i.payload), 'UTF8'))
			THEN 'its hash does not match its content'
		WHEN i.prev_hash IS NOT NULL AND q.hash IS NULL AND p.office IS DISTINCT FROM me
			THEN 'its previous event is not at central, nor earlier in the batch, on a dossier routed to this office'
		WHEN u.actor IS NULL THEN format('its actor %s is not a user of office %s', i.actor, me)
		WHEN i.pos <= base OR i.pos >= base + 1048576 THEN 'its log position is not one of this batch''s'
		WHEN d.pos IS NOT NULL THEN 'its log position is taken'
		WHEN dd.id IS NOT NULL THEN 'its id is another event''s of the batch'
		WHEN EXISTS (SELECT 1 FROM c_events x WHERE x.dossier_code = i.dossier_code AND x.id = i.id AND x.dseq <> i.dseq)
			THEN 'its id is another event''s of the dossier at central'
		END AS why) x
	WHERE x.why IS NOT NULL
	LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('event %s is not office %s''s own on a dossier routed to it: %s; nothing of the batch was written',
				bad, me, why);
	END IF;
	-- a position already in the log (c_ingest called twice in one transaction) fails
	-- on c_events_pos_once; an id central has keeps its unique_violation, which tells
	-- sync to look the batch's duplicates up (src/central_pg.c)
	BEGIN
		INSERT INTO c_events SELECT * FROM pg_temp.c_events_in;
	EXCEPTION WHEN unique_violation THEN
		GET STACKED DIAGNOSTICS bad = CONSTRAINT_NAME;
		IF bad = 'c_events_pos_once' THEN
			RAISE EXCEPTION USING ERRCODE = '42501',
				MESSAGE = format('a batch of office %s reuses a log position already taken; nothing of the batch was written', me);
		END IF;
		RAISE;
	END;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
REVOKE ALL ON FUNCTION c_ingest() FROM PUBLIC;
-- one event a log position: the xid8 scheme makes positions unique, and this says so
-- (it replaces the plain index on pos, at the same cost)
CREATE UNIQUE INDEX IF NOT EXISTS c_events_pos_once ON c_events(pos);
DROP INDEX IF EXISTS c_events_pos;
-- the head a reader may take: central's whole log, not only the rows an office's role
-- may read (under row-level security max(pos) walked back through other offices' rows,
-- a policy call each, until one of the office's own: ~60 ms a pull at 60 offices); it
-- says a number, no row
CREATE OR REPLACE FUNCTION c_log_head() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
	SELECT greatest(
		coalesce((SELECT value::bigint FROM c_meta WHERE key = 'log_pos'), 0),
		coalesce((SELECT max(pos) FROM c_events
			WHERE pos < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)), 0))
$$;
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		GRANT EXECUTE ON FUNCTION c_ingest() TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;

-- ---- an office finds central restored (src/sync_recover.c) -------------------------
-- An office's role reads its own quarantined events (the policy above): an event
-- central refused was not lost by a restore, and is not sent again.
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		GRANT SELECT ON c_quarantine TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
-- Every SECURITY DEFINER function of central looks for its tables in central's own
-- schema before the session's temporary schema: otherwise an office's role could
-- create a temporary table c_office_roles naming another office and read that
-- office's rows.  (Keep this the last statement: it covers the functions above.)
DO $$ DECLARE f regprocedure; BEGIN
	FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
		AND p.prosecdef AND p.proname LIKE 'c\_%' LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
	END LOOP;
END $$;

-- ---- dated key approvals and `central verify` (src/central_keys.c, src/central_verify.c) --
-- An approved key's row carries when an administrator of central approved it and who
-- ("approved_at", "approved_by" in its document): the key existed then, so its store
-- signs every event from then on at the latest, and an unsigned event of the office
-- written after it is forged even before the key is first used (storekey_signs_from()).
-- An office's role filling in the row's 'since' at its first sync may neither set nor
-- change them: c_enrol_key() refuses a document that says otherwise than the row, and
-- keeps the row's own.  Otherwise as above.
CREATE OR REPLACE FUNCTION c_enrol_key(k text, d text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
	SET search_path FROM CURRENT AS $$
DECLARE
	me text := c_my_office();
	j json := d::json;
	old jsonb;
BEGIN
	IF me IS NULL OR json_typeof(j) IS DISTINCT FROM 'object' OR (j->>'agency') IS DISTINCT FROM me
	   OR (j->>'pub') !~ '^[0-9a-f]{64}$' OR k IS DISTINCT FROM me || ' ' || (j->>'pub')
	   OR coalesce((j->>'central')::boolean, true) OR json_typeof(j->'since') IS DISTINCT FROM 'number'
	   OR (j->>'since')::numeric < 0 OR (j->>'since')::numeric > extract(epoch FROM now()) + 86400 THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'an office may enrol only its own store''s key';
	END IF;
	SELECT doc::jsonb INTO old FROM c_ref WHERE kind = 'storekey' AND key = k;
	IF old IS NULL AND (SELECT value FROM c_meta WHERE key = 'key_policy') IS NOT DISTINCT FROM 'approved' THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'this store''s key is not approved at central';
	END IF;
	IF ((j->'approved_at') IS NOT NULL OR (j->'approved_by') IS NOT NULL)
	   AND (old IS NULL OR (j::jsonb->'approved_at') IS DISTINCT FROM (old->'approved_at')
		OR (j::jsonb->'approved_by') IS DISTINCT FROM (old->'approved_by')) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = 'an office may not say when or by whom its store''s key was approved';
	END IF;
	INSERT INTO c_ref(kind, key, doc) VALUES ('storekey', k, d)
		ON CONFLICT (kind, key) DO UPDATE SET doc = ((EXCLUDED.doc::jsonb - 'approved_at' - 'approved_by')
			|| jsonb_strip_nulls(jsonb_build_object('approved_at', c_ref.doc::jsonb->'approved_at',
				'approved_by', c_ref.doc::jsonb->'approved_by')))::text
		WHERE (c_ref.doc::json->>'since')::bigint < 0;
	UPDATE c_meta SET value = (value::bigint + 1)::text WHERE key = 'ref_version';
END $$;
-- What `motcua central verify` found among central's events (PostgreSQL has no
-- Ed25519, so an office's own role could push through c_ingest() an event in its own
-- name that is unsigned or signed by no key of the office): one row an event, which
-- stays in c_events as it is; reason 'bad-hash', 'forged', 'unsigned' or 'id-twice'.  Central's
-- owner writes it; an inspector reads it with a SELECT grant of its own (office roles
-- have none).  The checked-up-to mark is c_meta 'verify_pos'.
CREATE TABLE IF NOT EXISTS c_verify_found (
	id           TEXT COLLATE "C" PRIMARY KEY,
	pos          BIGINT NOT NULL,
	origin       TEXT NOT NULL,
	office       TEXT NOT NULL,
	dossier_code TEXT NOT NULL,
	dseq         INTEGER NOT NULL,
	kind         TEXT NOT NULL,
	reason       TEXT NOT NULL,
	found_at     BIGINT NOT NULL,
	found_by     TEXT NOT NULL
);
DO $$ DECLARE f regprocedure; BEGIN
	FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
		AND p.prosecdef AND p.proname LIKE 'c\_%' LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
	END LOOP;
END $$;

-- ---- fees paid at the receiving desk (src/fees_counter.c, src/central.c) ------------
-- A dossier's receipt chain CODE-F1 is filed by the office that received CODE, under
-- its own code (c_code_mine), and delivered by that office to the office holding CODE
-- (c_office_deliver: its own events).  When CODE is routed on, the office routing it
-- delivers the chain's events to the office CODE goes to: only a receipt chain's event
-- that office itself reads (c_held), and only to the office CODE is routed to now.  No
-- other office reads the chain.
CREATE OR REPLACE FUNCTION c_counter_deliverable(id_ text, pos_ bigint, office_ text) RETURNS boolean LANGUAGE sql STABLE
	SECURITY DEFINER SET search_path FROM CURRENT AS $$
	SELECT c_my_office() IS NOT NULL AND EXISTS (SELECT 1 FROM c_events e WHERE e.id = id_ AND e.pos = pos_
		AND right(e.dossier_code, 3) = '-F1' AND c_held(e.dossier_code)
		AND EXISTS (SELECT 1 FROM c_dossiers d WHERE d.code = left(e.dossier_code, length(e.dossier_code) - 3)
			AND d.office = office_))
$$;
REVOKE ALL ON FUNCTION c_counter_deliverable(text, bigint, text) FROM PUBLIC;
DO $$ BEGIN
	IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_office') THEN
		GRANT EXECUTE ON FUNCTION c_counter_deliverable(text, bigint, text) TO motcua_office;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
DROP POLICY IF EXISTS c_office_deliver_counter ON c_deliveries;
CREATE POLICY c_office_deliver_counter ON c_deliveries FOR INSERT WITH CHECK (c_counter_deliverable(id, pos, office));
DO $$ BEGIN
	EXECUTE format('ALTER FUNCTION c_counter_deliverable(text, bigint, text) SET search_path = %I, pg_temp', current_schema());
END $$;

-- ---- one index fewer, and one notification a batch (issue 20: ingest cost) ----------
-- The log kept a unique index on the event id alone beside (dossier_code, dseq): the ids
-- of a hundred offices writing at once (ULIDs, time first) land all over it, and it
-- cost a fifth of central's CPU at ingest.  c_events_once (dossier_code, dseq, id), at
-- the top, replaces both: a replayed batch still fails on it and is looked up by the
-- three; a dossier's events are still read in order through it.  An id is unique at
-- central with its dossier (c_ingest() refuses an office's event whose id is another
-- event's of the dossier or of its batch); across dossiers it is unique by construction
-- (128 bits, 80 of them random, made by the store that wrote the event) and `motcua
-- central verify` names any id found twice (src/central_verify.c).
ALTER TABLE c_events DROP CONSTRAINT IF EXISTS c_events_pkey;
DROP INDEX IF EXISTS c_events_dossier;
-- The notification an office listens for is sent by the batch that wrote the events
-- (src/central_pg.c: pg_notify for each office its rows are routed to, in the same
-- transaction, so it is delivered at commit and not at all on a rollback): a trigger
-- with a transition table kept a second copy of every row of every batch.  Deliveries
-- (rare) keep theirs.
DROP TRIGGER IF EXISTS c_events_notify ON c_events;
-- An office's pull after its push asks for what others wrote for it: through the
-- (office, pos) index it walked past every event the office had just pushed (a heap
-- read each, then dropped).  The events routed to an office that another office or
-- central wrote are few; this index holds only those (src/central_pg.c, INBOUND).
CREATE INDEX IF NOT EXISTS c_events_inbound ON c_events(office, pos) WHERE office <> origin;
-- The two indexes on a payload's field read it through json (above): the jsonb ones
-- built a tree of every 'received' and 'attached' event's payload at ingest.
DROP INDEX IF EXISTS c_events_applicant;
DROP INDEX IF EXISTS c_events_attached_sha;
-- What `central verify` finds is one row an event, by its log position: an id may now be
-- held twice (id-twice), and a finding kept by its id alone dropped the other event's
-- (an unsigned event whose id a later one took lost its row to the later one's).
ALTER TABLE c_verify_found DROP CONSTRAINT IF EXISTS c_verify_found_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS c_verify_found_pos ON c_verify_found(pos);
-- The quarantine keeps every refused event, not one an id: ids are unique at central
-- only with their dossier (above), and a second refused event under an id the
-- quarantine held was dropped without a row (ON CONFLICT (id) DO NOTHING).  One row
-- an event now: its id and the digest of its recorded text (a replayed batch's
-- refused event is the same text, and still finds its row).
ALTER TABLE c_quarantine DROP CONSTRAINT IF EXISTS c_quarantine_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS c_quarantine_once ON c_quarantine(id, md5(event));

-- ---- what an office's role may push: an event's size and its time (issue 20) ---------
-- c_ingest() refuses a batch holding any of these (through c_ingest_refusal(), before
-- anything parses a payload), with the reason, and nothing of the batch is written:
--   a payload longer than 1048576 bytes, the figure of EVENT_PAYLOAD_MAX (src/event.h
--   says why): the core never writes one, and central_put_batch refuses it on the
--   owner's path and at the SQLite central, before anything is copied;
--   an identifier (id, dossier, kind, accounts, office) longer than 256 bytes, or a
--   signature longer than 64: the core's are under 64 bytes (src/model.h), and an
--   unbounded one would fill the disk as a payload would;
--   an event dated more than a day after central's clock (at: seconds since 1970,
--   UTC): every province-wide report (received today, due, overdue) would count it.
--   Events in the past go in: offices work offline for days.  An office whose clock
--   ran ahead pushes its events once central's clock is within a day of them, or at
--   once in a bundle central's owner imports (central_put_batch has no such limit:
--   setting the clock right does not change the events already written).
CREATE OR REPLACE FUNCTION c_ingest_limits() RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	why text;
BEGIN
	SELECT CASE
		WHEN octet_length(i.payload) > 1048576
			THEN format('event %s of dossier %s holds a payload of %s bytes, more than the %s bytes central accepts; nothing of the batch was written',
				left(i.id, 32), left(i.dossier_code, 48), octet_length(i.payload), 1048576)
		WHEN greatest(octet_length(i.id), octet_length(i.dossier_code), octet_length(i.kind), octet_length(i.os_account),
			octet_length(i.actor), octet_length(i.origin), octet_length(i.office)) > 256 OR octet_length(i.sig) > 64
			THEN format('event %s of dossier %s has an identifier longer than 256 bytes or a signature longer than 64; nothing of the batch was written',
				left(i.id, 32), left(i.dossier_code, 48))
		ELSE format('event %s of dossier %s is dated %s, more than a day after central''s clock (%s): fix the office computer''s clock; what it wrote ahead goes in when central''s clock gets there, or now by a bundle (''motcua sync export'', then ''motcua central import'' at central); nothing of the batch was written',
			left(i.id, 32), left(i.dossier_code, 48),
			CASE WHEN i.at < 253402300800 THEN to_char(to_timestamp(i.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
				ELSE i.at || ' s' END,
			to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'))
		END INTO why
	FROM pg_temp.c_events_in i
	WHERE octet_length(i.payload) > 1048576 OR greatest(octet_length(i.id), octet_length(i.dossier_code), octet_length(i.kind),
			octet_length(i.os_account), octet_length(i.actor), octet_length(i.origin), octet_length(i.office)) > 256
		OR octet_length(i.sig) > 64 OR i.at > extract(epoch FROM now())::bigint + 86400
	LIMIT 1;
	RETURN why;
END $$;
