-- 0017_fees.sql - fees and their payment (src/fees.c).
-- procedure_fees: a procedure's fee lines (phí, lệ phí), amounts in đồng; and the step
-- at which payment is asked (procedure_fee_step: 'receive' or 'result').  A dossier
-- takes a copy of the lines when it is accepted (in the event's payload), so a later
-- price change does not change it.  dossier_fees: the projection of a dossier's fee
-- events (what is owed, paid and refunded), kept apart from the dossiers row.
-- receipt_counters: the receipts' (biên lai) number series, per office and year; a
-- number is taken in the transaction that writes the payment's event, so it is never
-- reused and never skipped.
CREATE TABLE IF NOT EXISTS procedure_fees (
	procedure_id INTEGER NOT NULL REFERENCES procedures(id),
	n            INTEGER NOT NULL,
	kind         TEXT NOT NULL CHECK (kind IN ('phi', 'le_phi')),
	name         TEXT NOT NULL,
	amount       INTEGER NOT NULL CHECK (amount > 0),
	PRIMARY KEY (procedure_id, n)
);
CREATE TABLE IF NOT EXISTS procedure_fee_step (
	procedure_id INTEGER PRIMARY KEY REFERENCES procedures(id),
	step         TEXT NOT NULL CHECK (step IN ('receive', 'result'))
);
CREATE TABLE IF NOT EXISTS dossier_fees (
	dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
	total      INTEGER NOT NULL DEFAULT 0,
	paid       INTEGER NOT NULL DEFAULT 0,
	refunded   INTEGER NOT NULL DEFAULT 0,
	stage      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS receipt_counters (
	office_id INTEGER NOT NULL,
	year      INTEGER NOT NULL,
	n         INTEGER NOT NULL,
	PRIMARY KEY (office_id, year)
);
CREATE INDEX IF NOT EXISTS events_fees ON events(dossier_code) WHERE kind IN ('fee_paid', 'fee_refunded');
