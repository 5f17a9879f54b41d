-- One-time WebSocket tickets (30 s, single use), shared by every node.
CREATE TABLE ws_tickets (
    token_hash text PRIMARY KEY,
    user_id    uuid        NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
