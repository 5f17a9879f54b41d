package org.c18n.chat;

import java.sql.Timestamp;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.reaction.EmojiReactions;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Applies c18n.messages events to the direct rooms, messages and read markers views. */
@Component
public class ChatProjection implements EventApplier {
    @Override
    public Set<String> types() {
        return Set.of(ChatEvents.DIRECT_OPENED, ChatEvents.MESSAGE_SENT, ChatEvents.MESSAGE_EDITED,
                ChatEvents.MESSAGE_DELETED, ChatEvents.MESSAGE_READ, ChatEvents.MESSAGE_EMOJI_ADDED,
                ChatEvents.MESSAGE_EMOJI_REMOVED);
    }

    @Override
    public void apply(Event event, LogPosition position, JdbcClient db) {
        Timestamp at = Timestamp.from(event.at());
        switch (event.type()) {
            case ChatEvents.DIRECT_OPENED -> {
                var e = event.data(ChatEvents.DirectOpened.class);
                int opened = db.sql("""
                        INSERT INTO direct_rooms (id, user_a, user_b, created_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (user_a, user_b) DO NOTHING""")
                        .params(e.roomId(), e.userA(), e.userB(), at).update();
                if (opened == 0) {
                    throw new Rejection("already-open");
                }
            }
            case ChatEvents.MESSAGE_SENT -> {
                var e = event.data(ChatEvents.MessageSent.class);
                db.sql("""
                        INSERT INTO messages (id, room_id, seq, sender_id, body, reply_to, media_ids, mentions, status,
                                              created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?)""")
                        .params(e.messageId(), e.roomId(), position.offset(), e.senderId(), e.body(), e.replyTo(),
                                e.mediaIds() == null ? new UUID[0] : e.mediaIds().toArray(UUID[]::new),
                                e.mentions() == null ? new UUID[0] : e.mentions().toArray(UUID[]::new), at)
                        .update();
                // Sending is reading: the sender's own message is never unread to them.
                markRead(db, e.roomId(), e.senderId(), position.offset(), at);
            }
            case ChatEvents.MESSAGE_EDITED -> {
                var e = event.data(ChatEvents.MessageEdited.class);
                if (db.sql("UPDATE messages SET body = ?, edited_at = ? WHERE id = ? AND room_id = ? AND status = 'sent'")
                        .params(e.body(), at, e.messageId(), e.roomId()).update() == 0) {
                    throw new Rejection("not-found");
                }
            }
            case ChatEvents.MESSAGE_DELETED -> {
                var e = event.data(ChatEvents.MessageDeleted.class);
                if (db.sql("UPDATE messages SET status = 'deleted', deleted_at = ? WHERE id = ? AND room_id = ? AND status = 'sent'")
                        .params(at, e.messageId(), e.roomId()).update() == 0) {
                    throw new Rejection("not-found");
                }
            }
            case ChatEvents.MESSAGE_READ -> {
                var e = event.data(ChatEvents.MessageRead.class);
                markRead(db, e.roomId(), e.userId(), e.seq(), at);
            }
            case ChatEvents.MESSAGE_EMOJI_ADDED, ChatEvents.MESSAGE_EMOJI_REMOVED -> {
                var e = event.data(ChatEvents.MessageEmoji.class);
                if (EmojiReactions.canonical(e.emoji()).filter(e.emoji()::equals).isEmpty()) {
                    throw new Rejection("invalid");
                }
                if (!db.sql("SELECT EXISTS (SELECT 1 FROM messages WHERE id = ? AND room_id = ? AND status = 'sent')")
                        .params(e.messageId(), e.roomId()).query(Boolean.class).single()) {
                    throw new Rejection("not-found");
                }
                if (event.type().equals(ChatEvents.MESSAGE_EMOJI_ADDED)) {
                    EmojiReactions.add(db, e.messageId(), e.userId(), e.emoji(), at);
                } else {
                    EmojiReactions.remove(db, e.messageId(), e.userId(), e.emoji());
                }
            }
            default -> throw new IllegalArgumentException(event.type());
        }
    }

    /** Read markers only move forward. */
    private static void markRead(JdbcClient db, UUID roomId, UUID userId, long seq, Timestamp at) {
        db.sql("""
                INSERT INTO read_markers (room_id, user_id, seq, at) VALUES (?, ?, ?, ?)
                ON CONFLICT (room_id, user_id) DO UPDATE SET seq = excluded.seq, at = excluded.at
                WHERE read_markers.seq < excluded.seq""")
                .params(roomId, userId, seq, at).update();
    }
}
