-- 0009_pkcs11.sql - certificates for signatures the law recognises (see src/trust.h).
-- trust_certs: the CA certificates an administrator trusts (roots are the anchors,
-- intermediates help build chains); trust_crls: the latest CRL of each CA, keyed by
-- the issuing CA certificate's fingerprint; user_certs: which signer a certificate
-- (on that signer's PKCS#11 token) belongs to, and the title signed with it.
-- Rows are switched off (active = 0), never deleted, so old signatures still verify.
-- Central distributes all three with the reference data.
CREATE TABLE IF NOT EXISTS trust_certs (
	fingerprint TEXT PRIMARY KEY,            -- hex SHA-256 of the certificate (DER)
	subject     TEXT NOT NULL,               -- RFC 2253, UTF-8
	is_root     INTEGER NOT NULL,            -- 1: self-signed anchor
	not_after   INTEGER NOT NULL,
	pem         TEXT NOT NULL,
	added_at    INTEGER NOT NULL,
	active      INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS trust_crls (
	issuer      TEXT PRIMARY KEY,            -- fingerprint of the CA certificate that signed it
	this_update INTEGER NOT NULL,
	next_update INTEGER NOT NULL,
	pem         TEXT NOT NULL,
	added_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS user_certs (
	fingerprint TEXT PRIMARY KEY,            -- hex SHA-256 of the certificate (DER)
	account     TEXT NOT NULL,
	title       TEXT NOT NULL DEFAULT '',    -- e.g. "Phó Chủ tịch UBND huyện"
	subject     TEXT NOT NULL,
	not_after   INTEGER NOT NULL,
	pem         TEXT NOT NULL,
	added_at    INTEGER NOT NULL,
	active      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS user_certs_account ON user_certs(account, active);
