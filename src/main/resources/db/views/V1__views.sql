-- Every table in this schema is derived from the event log and rebuilt whole by replay.
-- Times come from the events ("at"), never from the clock of the projecting node.

CREATE TABLE events (
    id          uuid PRIMARY KEY,
    type        text        NOT NULL,
    v           int         NOT NULL,
    at          timestamptz NOT NULL,
    actor       uuid,
    key         text,
    topic       text        NOT NULL,
    partition   int         NOT NULL,
    "offset"    bigint      NOT NULL,
    data        jsonb       NOT NULL
);
CREATE INDEX events_key_at ON events (key, at);
CREATE INDEX events_type_at ON events (type, at);

CREATE TABLE event_rejections (
    event_id uuid PRIMARY KEY,
    reason   text NOT NULL
);

CREATE TABLE projector_offsets (
    topic       text   NOT NULL,
    partition   int    NOT NULL,
    next_offset bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    username      text        NOT NULL,
    username_key  text        NOT NULL UNIQUE,
    email         text        NOT NULL,
    email_key     text        NOT NULL UNIQUE,
    password_hash text,
    display_name  text        NOT NULL,
    bio           text        NOT NULL DEFAULT '',
    interests     text[]      NOT NULL DEFAULT '{}',
    role          text        NOT NULL,
    oidc_issuer   text,
    oidc_subject  text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (oidc_issuer, oidc_subject)
);

CREATE TABLE communities (
    id           uuid PRIMARY KEY,
    name         text        NOT NULL,
    name_key     text        NOT NULL UNIQUE,
    description  text        NOT NULL,
    tags         text[]      NOT NULL,
    visibility   text        NOT NULL,
    join_policy  text        NOT NULL,
    owner_id     uuid        NOT NULL,
    member_count int         NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX communities_tags ON communities USING gin (tags);

CREATE TABLE community_members (
    community_id uuid        NOT NULL,
    user_id      uuid        NOT NULL,
    role         text        NOT NULL,
    joined_at    timestamptz NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX community_members_user ON community_members (user_id);

CREATE TABLE invites (
    id           uuid PRIMARY KEY,
    community_id uuid        NOT NULL,
    inviter_id   uuid        NOT NULL,
    invitee_id   uuid        NOT NULL,
    status       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    responded_at timestamptz
);
CREATE INDEX invites_invitee ON invites (invitee_id, status);
CREATE INDEX invites_community ON invites (community_id, invitee_id, status);

CREATE TABLE usergroups (
    id           uuid PRIMARY KEY,
    community_id uuid,
    name         text        NOT NULL,
    created_by   uuid        NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE usergroup_members (
    usergroup_id uuid        NOT NULL,
    user_id      uuid        NOT NULL,
    added_at     timestamptz NOT NULL,
    PRIMARY KEY (usergroup_id, user_id)
);
CREATE INDEX usergroup_members_user ON usergroup_members (user_id);
