-- Reports filed by users, and the moderation queue: items the speed layer's rules flagged, with what moderators decided.
CREATE TABLE reports (
    id           uuid PRIMARY KEY,
    target_type  text        NOT NULL,   -- post | comment | message
    target_id    uuid        NOT NULL,
    post_id      uuid,
    room_id      uuid,
    community_id uuid,
    author_id    uuid,
    reporter_id  uuid        NOT NULL,
    reason       text        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX reports_target ON reports (target_id);

CREATE TABLE moderation_queue (
    id              uuid PRIMARY KEY,
    target_type     text        NOT NULL,
    target_id       uuid        NOT NULL,
    post_id         uuid,
    room_id         uuid,
    community_id    uuid,
    author_id       uuid,
    rule            text        NOT NULL,   -- reports | dislikes | links
    evidence        text        NOT NULL,
    status          text        NOT NULL,   -- open | dismissed | removed
    created_at      timestamptz NOT NULL,
    decided_by      uuid,
    decided_at      timestamptz,
    decision_reason text
);
CREATE INDEX moderation_queue_open ON moderation_queue (community_id, created_at) WHERE status = 'open';
