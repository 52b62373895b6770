-- Same shape as the MySQL schema; TEXT compares byte for byte (BINARY collation), as openids require.
CREATE TABLE IF NOT EXISTS persons (
  id INTEGER NOT NULL PRIMARY KEY,
  union_id TEXT NULL,
  phone TEXT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  nickname TEXT NULL,
  avatar_url TEXT NULL,
  merged_into INTEGER NULL REFERENCES persons (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_persons_union_id ON persons (union_id);

CREATE TABLE IF NOT EXISTS app_identities (
  id INTEGER NOT NULL PRIMARY KEY,
  app_id TEXT NOT NULL,
  open_id TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons (id),
  channel TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_login_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_app_identities_app_open ON app_identities (app_id, open_id);
CREATE INDEX IF NOT EXISTS ix_app_identities_person ON app_identities (person_id);

CREATE TABLE IF NOT EXISTS person_merges (
  id INTEGER NOT NULL PRIMARY KEY,
  survivor_id INTEGER NOT NULL REFERENCES persons (id),
  merged_id INTEGER NOT NULL REFERENCES persons (id),
  union_id TEXT NOT NULL,
  merged_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_person_merges_merged ON person_merges (merged_id);
CREATE INDEX IF NOT EXISTS ix_person_merges_survivor ON person_merges (survivor_id);
