-- 0014_files.sql - the bytes of attached files (scans, the signed result), kept inside
-- the store, content-addressed: one `files` row per distinct SHA-256, whatever the
-- number of dossiers and components that attach it, its bytes in `file_chunks` of
-- 256 KB each.  A file is written in the same transaction as the `attached` event that
-- references it (src/attach.c), so a crash leaves both or neither.  Chunks rather than
-- one blob: each page is written once (a zero-filled blob patched in place is written
-- twice once it outgrows the page cache), memory stays one chunk, and sync can send and
-- resume a file chunk by chunk.  What a dossier attached is in its events.
CREATE TABLE IF NOT EXISTS files (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL UNIQUE,     -- lowercase hex of the bytes
	size INTEGER NOT NULL,
	type TEXT NOT NULL               -- MIME type found from the content (libmagic)
);
CREATE TABLE IF NOT EXISTS file_chunks (
	file_id INTEGER NOT NULL REFERENCES files(id),
	n INTEGER NOT NULL,              -- 0, 1, ...: byte offset n * 262144
	data BLOB NOT NULL,
	PRIMARY KEY (file_id, n)
);
CREATE INDEX IF NOT EXISTS events_attached ON events(dossier_code) WHERE kind = 'attached';
