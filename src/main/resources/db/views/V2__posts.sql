ALTER TABLE communities ADD COLUMN post_approval boolean NOT NULL DEFAULT false;

CREATE TABLE posts (
    id            uuid PRIMARY KEY,
    community_id  uuid,
    usergroup_id  uuid,
    author_id     uuid        NOT NULL,
    title         text,
    body          text        NOT NULL,
    tags          text[]      NOT NULL,
    media_ids     uuid[]      NOT NULL,
    status        text        NOT NULL,   -- published | pending | rejected | deleted
    shared_from   uuid,
    like_count    int         NOT NULL DEFAULT 0,
    dislike_count int         NOT NULL DEFAULT 0,
    comment_count int         NOT NULL DEFAULT 0,
    share_count   int         NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    edited_at     timestamptz,
    deleted_at    timestamptz
);
CREATE INDEX posts_community_feed ON posts (community_id, created_at DESC, id DESC);
CREATE INDEX posts_usergroup_feed ON posts (usergroup_id, created_at DESC, id DESC);
CREATE INDEX posts_shared_from ON posts (shared_from);
CREATE INDEX posts_media ON posts USING gin (media_ids);

CREATE TABLE comments (
    id            uuid PRIMARY KEY,
    post_id       uuid        NOT NULL,
    parent_id     uuid,
    author_id     uuid        NOT NULL,
    body          text        NOT NULL,
    depth         int         NOT NULL,
    status        text        NOT NULL,   -- published | deleted
    like_count    int         NOT NULL DEFAULT 0,
    dislike_count int         NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    edited_at     timestamptz,
    deleted_at    timestamptz
);
CREATE INDEX comments_post ON comments (post_id, created_at, id);

-- One reaction per user and target (a post or a comment).
CREATE TABLE reactions (
    target_id uuid        NOT NULL,
    user_id   uuid        NOT NULL,
    kind      text        NOT NULL,   -- like | dislike
    at        timestamptz NOT NULL,
    PRIMARY KEY (target_id, user_id)
);

CREATE TABLE media (
    id           uuid PRIMARY KEY,
    owner_id     uuid        NOT NULL,
    sha256       text        NOT NULL,
    content_type text        NOT NULL,
    kind         text        NOT NULL,   -- image | video
    size         bigint      NOT NULL,
    width        int,
    height       int,
    thumbnail    boolean     NOT NULL,
    created_at   timestamptz NOT NULL
);
