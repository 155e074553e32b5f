-- if-missing: procedures.national_code
-- 0013_portal.sql - the national portal's codes (src/portal.c): a procedure's code
-- on the national portal (MaTTHC: 1.004552, or a localised 1.003560.000.00.00.H56)
-- and a field's (MaLinhVuc: G03-GD10).  Empty: the local code is the national one.
ALTER TABLE procedures ADD COLUMN national_code TEXT NOT NULL DEFAULT '';
ALTER TABLE fields ADD COLUMN national_code TEXT NOT NULL DEFAULT '';
