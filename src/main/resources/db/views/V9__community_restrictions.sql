-- Authors muted (may not post or comment) or banned (removed and may not come back) in a community, until a time or for good.
CREATE TABLE community_restrictions (
    community_id uuid        NOT NULL,
    user_id      uuid        NOT NULL,
    kind         text        NOT NULL,   -- mute | ban
    until        timestamptz,            -- null: for good
    by_id        uuid        NOT NULL,
    reason       text,
    at           timestamptz NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
