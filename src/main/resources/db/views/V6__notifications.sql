-- Notifications derived by the speed layer from the log (topic c18n.notifications), per recipient.
CREATE TABLE notifications (
    id           uuid PRIMARY KEY,
    user_id      uuid        NOT NULL,
    kind         text        NOT NULL,
    actor_id     uuid,
    community_id uuid,
    post_id      uuid,
    comment_id   uuid,
    room_id      uuid,
    message_id   uuid,
    invite_id    uuid,
    created_at   timestamptz NOT NULL,
    read_at      timestamptz
);
CREATE INDEX notifications_inbox ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
