-- 0020_reuse.sql - finding an applicant's earlier digitised papers by ID number
-- (src/reuse.c).  A reuse is an `attached` event whose payload names the file's
-- SHA-256 (already stored once, db/0014_files.sql) and the earlier event it comes from
-- ("reused": {"dossier", "event", "office"}): no bytes are copied.
CREATE INDEX IF NOT EXISTS dossiers_idno ON dossiers(applicant_idno);
