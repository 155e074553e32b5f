-- 0014_files.sql - the bytes of attached files (scans, the signed result), kept inside
-- the store, content-addressed: one row per distinct SHA-256, whatever the number of
-- dossiers and components that attach it.  A file is written in the same transaction
-- as the `attached` event that references it (src/attach.c), so a crash leaves both or
-- neither.  `data` is written and read in chunks with SQLite's incremental blob I/O:
-- no file is ever held in memory whole.  What a dossier attached is in its events.
CREATE TABLE files (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL UNIQUE,     -- lowercase hex of the bytes
	size INTEGER NOT NULL,
	type TEXT NOT NULL,              -- MIME type found from the content (libmagic)
	data BLOB NOT NULL               -- last: reading size and type does not touch it
);
CREATE INDEX events_kind ON events(kind) WHERE kind = 'attached';
