-- An OpenID Connect identity is (issuer, subject); both compare byte for byte, as the specification requires.
CREATE TABLE IF NOT EXISTS oidc_identities (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  issuer VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  provider VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  person_id BIGINT NOT NULL,
  email VARCHAR(320) NULL,
  created_at DATETIME(6) NOT NULL,
  last_login_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_oidc_identities_issuer_subject (issuer, subject),
  KEY ix_oidc_identities_person (person_id),
  CONSTRAINT fk_oidc_identities_person FOREIGN KEY (person_id) REFERENCES persons (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
