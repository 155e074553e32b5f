-- if-missing: events.sig
-- 0015_storekey.sql - the store's own Ed25519 key and the keys it knows of other
-- stores (see src/storekey.h).
--
-- store_key: one row, made the first time the store signs (a bundle, an event).  The
-- private key is kept here, inside the store: under the set-group-id install the store
-- is readable by the group only, so the key is exactly as protected as the events it
-- signs.  Never changed or deleted.
CREATE TABLE IF NOT EXISTS store_key (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	agency     TEXT NOT NULL,       -- the office the store belonged to when the key was made
	created_at INTEGER NOT NULL,
	pub        BLOB NOT NULL,       -- 32 bytes, raw Ed25519 public key
	priv       BLOB NOT NULL        -- 32 bytes, raw Ed25519 private key
);
CREATE TRIGGER IF NOT EXISTS store_key_keep_update BEFORE UPDATE ON store_key
BEGIN SELECT RAISE(ABORT, 'the store key is never changed'); END;
CREATE TRIGGER IF NOT EXISTS store_key_keep_delete BEFORE DELETE ON store_key
BEGIN SELECT RAISE(ABORT, 'the store key is never deleted'); END;

-- The public keys of the stores this one hears from, as central publishes them
-- (reference kind 'storekey'): every key a store of an office has had (a store rebuilt
-- from central makes a new one; old events keep verifying with the old), and central's
-- own (central = 1), which signs the reply bundles and central's events.
CREATE TABLE IF NOT EXISTS store_keys_known (
	agency  TEXT NOT NULL,
	pub     BLOB NOT NULL,
	central INTEGER NOT NULL DEFAULT 0,
	since   INTEGER NOT NULL DEFAULT 0,   -- when the key was made: its store signs every event after
	PRIMARY KEY (agency, pub, central)
) WITHOUT ROWID;

-- Each event's Ed25519 signature (64 bytes) by the key of the store that wrote it,
-- over its hash; NULL for events written before signing began.
ALTER TABLE events ADD COLUMN sig BLOB;
