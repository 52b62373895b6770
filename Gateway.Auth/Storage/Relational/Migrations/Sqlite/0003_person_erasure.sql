-- PIPL (docs/identity.md, "PIPL: deleting and anonymising a person"). An anonymised person keeps the row, stripped of
-- every personal value, so that ids stored downstream still name a row; anonymised_at says when.
ALTER TABLE persons ADD COLUMN anonymised_at TEXT NULL;

-- An erased person's row is gone; its id stays here so that a repeated erase answers the same and no id is reused
-- (SQLite would otherwise give the next person the highest id again: IdentitySql.InsertPerson counts these too).
CREATE TABLE IF NOT EXISTS erased_persons (
  person_id INTEGER NOT NULL PRIMARY KEY,
  erased_at TEXT NOT NULL
);
