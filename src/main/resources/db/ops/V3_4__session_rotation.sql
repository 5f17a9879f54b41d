-- When a refresh token was exchanged for its successor (as opposed to signed out or revoked with
-- its family): a reuse shortly after is a lost answer (a page left while refreshing), not theft.
ALTER TABLE sessions ADD COLUMN rotated_at timestamptz;
