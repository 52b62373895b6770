-- Where each profile value came from and when (Gateway.Auth.Identity.ProfileSources); null for values stored before.
ALTER TABLE persons ADD COLUMN nickname_source TEXT NULL;
ALTER TABLE persons ADD COLUMN nickname_set_at TEXT NULL;
ALTER TABLE persons ADD COLUMN avatar_source TEXT NULL;
ALTER TABLE persons ADD COLUMN avatar_set_at TEXT NULL;

-- Rows written before the gateway recognised WeChat's placeholders: such a value was never a fact about the person.
UPDATE persons SET nickname = NULL WHERE nickname = '微信用户';
