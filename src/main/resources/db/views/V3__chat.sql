-- Direct conversations: one room per pair of users (user_a < user_b).
CREATE TABLE direct_rooms (
    id         uuid PRIMARY KEY,
    user_a     uuid        NOT NULL,
    user_b     uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (user_a, user_b)
);

-- Messages of user-group rooms and direct rooms. seq is the message's offset in its room's
-- partition of c18n.messages: the room's order is the log's order.
CREATE TABLE messages (
    id         uuid PRIMARY KEY,
    room_id    uuid        NOT NULL,
    seq        bigint      NOT NULL,
    sender_id  uuid        NOT NULL,
    body       text        NOT NULL,
    reply_to   uuid,
    media_ids  uuid[]      NOT NULL,
    status     text        NOT NULL,   -- sent | deleted
    created_at timestamptz NOT NULL,
    edited_at  timestamptz,
    deleted_at timestamptz
);
CREATE UNIQUE INDEX messages_room_seq ON messages (room_id, seq);

CREATE TABLE read_markers (
    room_id  uuid        NOT NULL,
    user_id  uuid        NOT NULL,
    seq      bigint      NOT NULL,
    at       timestamptz NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
