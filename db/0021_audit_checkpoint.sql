-- 0021_audit_checkpoint.sql - signed audit checkpoints (src/audit_checkpoint.h).
--
-- After a full `audit verify` that found nothing wrong, one row: the highest event row
-- (events.seq) it covered, how many rows that is, a SHA-256 digest over every covered
-- row (seq, hash, signature, in seq order), when and by whom it ran (the OS account and
-- the motcua user: a record, not an event), signed with the store's own Ed25519 key
-- (store_key).  A later full audit recomputes the digest and re-checks signatures only
-- of what the checkpoint does not cover.  Rows are only ever added.
CREATE TABLE IF NOT EXISTS audit_checkpoints (
	id         INTEGER PRIMARY KEY,
	upto_seq   INTEGER NOT NULL,      -- the highest events.seq covered
	events     INTEGER NOT NULL,      -- the rows covered (seq <= upto_seq)
	digest     BLOB NOT NULL,         -- 32 bytes
	at         INTEGER NOT NULL,      -- when the audit ran
	os_account TEXT NOT NULL,
	actor      TEXT NOT NULL,         -- the motcua user, '' for root without --as
	pub        BLOB NOT NULL,         -- the store key that signed it (32 bytes)
	sig        BLOB NOT NULL          -- Ed25519 over the fields above (64 bytes)
);
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_keep_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are never changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_keep_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are never deleted'); END;
