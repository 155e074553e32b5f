-- 0019_filesync.sql - attached files travelling with sync (src/filesync.c).
-- file_sync: per SHA-256, what this office knows of central's copy (at_central = 1:
-- central holds it complete, nothing to send) and the size and type of a file being
-- received.  file_parts: the chunks of a file being received, committed one by one so
-- a kill or a dropped link resumes at the next chunk; the file moves into files /
-- file_chunks only once all its chunks are here and hash to its name, so a half file
-- is never visible.
CREATE TABLE IF NOT EXISTS file_sync (
	sha256 TEXT PRIMARY KEY,
	at_central INTEGER NOT NULL DEFAULT 0,
	size INTEGER NOT NULL DEFAULT 0,
	type TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS file_parts (
	sha256 TEXT NOT NULL,
	n INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (sha256, n)
);
