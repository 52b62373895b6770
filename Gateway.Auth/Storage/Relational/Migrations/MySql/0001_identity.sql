-- Identifiers compare byte for byte (openids are case-sensitive); profile text is utf8mb4 for emoji nicknames.
CREATE TABLE IF NOT EXISTS persons (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  union_id VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  phone VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  nickname VARCHAR(100) NULL,
  avatar_url VARCHAR(1024) NULL,
  merged_into BIGINT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_persons_union_id (union_id),
  CONSTRAINT fk_persons_merged_into FOREIGN KEY (merged_into) REFERENCES persons (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS app_identities (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  app_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  open_id VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  person_id BIGINT NOT NULL,
  channel VARCHAR(32) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  last_login_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_app_identities_app_open (app_id, open_id),
  KEY ix_app_identities_person (person_id),
  CONSTRAINT fk_app_identities_person FOREIGN KEY (person_id) REFERENCES persons (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS person_merges (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  survivor_id BIGINT NOT NULL,
  merged_id BIGINT NOT NULL,
  union_id VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  merged_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_person_merges_merged (merged_id),
  KEY ix_person_merges_survivor (survivor_id),
  CONSTRAINT fk_person_merges_survivor FOREIGN KEY (survivor_id) REFERENCES persons (id),
  CONSTRAINT fk_person_merges_merged FOREIGN KEY (merged_id) REFERENCES persons (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
