-- if-missing: files.off
-- 0020_reuse.sql - (1) finding an applicant's earlier digitised papers by ID number
-- (src/reuse.c).  A reuse is an `attached` event whose payload names the file's
-- SHA-256 (already stored once, db/0014_files.sql) and the earlier event it comes from
-- ("reused": {"dossier", "event", "office"}): no bytes are copied.
-- (2) Large files (1 MB and more) live in the container beside the store,
-- <store>-files, at byte offset `off` (src/store_files.c): written once and synced
-- before the transaction that commits their row and event; NULL: the bytes are rows
-- of file_chunks.
ALTER TABLE files ADD COLUMN off INTEGER;
CREATE INDEX IF NOT EXISTS files_off ON files(off) WHERE off IS NOT NULL;
CREATE INDEX IF NOT EXISTS dossiers_idno ON dossiers(applicant_idno);
