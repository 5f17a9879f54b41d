-- People: avatars, blocks, and what a profile page lists.

-- The user's chosen image (a media id); null: the generated default.
ALTER TABLE users ADD COLUMN avatar_media_id uuid;

-- user_id has blocked blocked_id.
CREATE TABLE user_blocks (
    user_id    uuid        NOT NULL,
    blocked_id uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
);
CREATE INDEX user_blocks_blocked ON user_blocks (blocked_id);

-- A person's recent posts and comments, newest first, for their profile page.
CREATE INDEX posts_author ON posts (author_id, created_at DESC, id DESC);
CREATE INDEX comments_author ON comments (author_id, created_at DESC, id DESC);
