-- A refresh token family: every token rotated from one sign-in shares its family_id, which the
-- access tokens of that sign-in carry as "sid". Presenting an already rotated token revokes the
-- whole family, and a revoked family's access tokens are refused.
ALTER TABLE sessions ADD COLUMN family_id uuid;
UPDATE sessions SET family_id = id;
ALTER TABLE sessions ALTER COLUMN family_id SET NOT NULL;
CREATE INDEX sessions_family ON sessions (family_id);
