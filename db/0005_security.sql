-- 0005_security.sql - signers' keys (see src/sign.h).
-- One row per key ever created.  privkey is the encrypted PKCS#8 PEM (only in the
-- store of the office where the key was made; NULL for keys known only publicly);
-- pubkey is the public key PEM, also published in users.pubkey.  Rows are never
-- changed or deleted, so signatures made with a replaced key still verify.
CREATE TABLE signing_keys (
	fingerprint TEXT PRIMARY KEY,            -- hex SHA-256 of the public key (DER)
	account     TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	pubkey      TEXT NOT NULL,
	privkey     TEXT
);
CREATE INDEX signing_keys_account ON signing_keys(account, created_at);

CREATE TRIGGER signing_keys_keep_update BEFORE UPDATE ON signing_keys
BEGIN SELECT RAISE(ABORT, 'signing keys are never changed: create a new one'); END;
CREATE TRIGGER signing_keys_keep_delete BEFORE DELETE ON signing_keys
BEGIN SELECT RAISE(ABORT, 'signing keys are never deleted'); END;
