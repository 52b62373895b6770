-- Same shape as the MySQL schema; TEXT compares byte for byte (BINARY collation), as issuer and subject require.
CREATE TABLE IF NOT EXISTS oidc_identities (
  id INTEGER NOT NULL PRIMARY KEY,
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  provider TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons (id),
  email TEXT NULL,
  created_at TEXT NOT NULL,
  last_login_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_oidc_identities_issuer_subject ON oidc_identities (issuer, subject);
CREATE INDEX IF NOT EXISTS ix_oidc_identities_person ON oidc_identities (person_id);
