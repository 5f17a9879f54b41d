-- Operational state that is not a view of the log: replay leaves it alone.

CREATE TABLE signing_keys (
    id         text PRIMARY KEY,
    jwk        text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Refresh sessions: only a hash of the token is kept.
CREATE TABLE sessions (
    id         uuid PRIMARY KEY,
    user_id    uuid        NOT NULL,
    token_hash text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);
