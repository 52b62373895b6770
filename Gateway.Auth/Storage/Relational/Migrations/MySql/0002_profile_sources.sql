-- Where each profile value came from and when (Gateway.Auth.Identity.ProfileSources); null for values stored before.
ALTER TABLE persons
  ADD COLUMN nickname_source VARCHAR(32) NULL,
  ADD COLUMN nickname_set_at DATETIME(6) NULL,
  ADD COLUMN avatar_source VARCHAR(32) NULL,
  ADD COLUMN avatar_set_at DATETIME(6) NULL;

-- Rows written before the gateway recognised WeChat's placeholders: such a value was never a fact about the person.
UPDATE persons SET nickname = NULL WHERE nickname = '微信用户';
