-- PIPL (docs/identity.md, "PIPL: deleting and anonymising a person"). An anonymised person keeps the row, stripped of
-- every personal value, so that ids stored downstream still name a row; anonymised_at says when.
ALTER TABLE persons ADD COLUMN anonymised_at DATETIME(6) NULL;

-- An erased person's row is gone; its id stays here so that a repeated erase answers the same and no id is reused.
CREATE TABLE IF NOT EXISTS erased_persons (
  person_id BIGINT NOT NULL PRIMARY KEY,
  erased_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
