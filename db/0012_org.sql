-- if-missing: dossiers.proxy
-- 0012_org.sql - the one-stop since 1 July 2025 (Decree 118/2025): what kind of office
-- each is, which procedures it receives and which it resolves, and a dossier's three
-- places (received at, resolved by, returned at).  Old rows keep the 2018 model: kind
-- 'legacy', their places 0 (= the office the dossier is at).
--
-- kind: 'centre' provincial service centre, 'branch' its branch or reception point
-- (parent_id: the centre), 'commune' commune centre, 'department' a provincial
-- department, 'vertical' a vertical agency, 'legacy' an office of the 2018 model.
ALTER TABLE offices ADD COLUMN kind TEXT NOT NULL DEFAULT 'legacy'
	CHECK (kind IN ('legacy', 'centre', 'branch', 'commune', 'department', 'vertical'));
ALTER TABLE offices ADD COLUMN parent_id INTEGER REFERENCES offices(id);

-- role 'resolve': the office is a competent agency for the procedure; 'receive': the
-- office's own list of procedures it receives (with no such rows a centre, branch or
-- commune centre receives every procedure of the province: boundary-free).
CREATE TABLE office_procedures (
	office_id    INTEGER NOT NULL REFERENCES offices(id),
	procedure_id INTEGER NOT NULL REFERENCES procedures(id),
	role         TEXT NOT NULL CHECK (role IN ('receive', 'resolve')),
	PRIMARY KEY (procedure_id, role, office_id)
) WITHOUT ROWID;

ALTER TABLE dossiers ADD COLUMN recv_office_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN resolver_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN return_office_id INTEGER NOT NULL DEFAULT 0;
-- Circular 03/2025 form 01: the applicant's email, and a proxy's details (JSON: name,
-- idno, address, phone, email, doc - the authorisation document), '' when none
ALTER TABLE dossiers ADD COLUMN applicant_email TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN proxy TEXT NOT NULL DEFAULT '';
CREATE INDEX dossiers_recv_office ON dossiers(recv_office_id, stage) WHERE recv_office_id > 0;
