-- emoji.added / emoji.removed (posts, comments) and message.emoji_added / message.emoji_removed:
-- one row per person, emoji and thing; target_id is the post, comment or message id (all UUIDv7, never shared).
CREATE TABLE emoji_reactions (
    target_id uuid        NOT NULL,
    user_id   uuid        NOT NULL,
    emoji     text        NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (target_id, emoji, user_id)
);
CREATE INDEX emoji_reactions_by_user ON emoji_reactions (user_id);
