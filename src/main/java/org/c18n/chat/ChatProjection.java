package org.c18n.chat;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.projection.ProjectionStore;
import org.c18n.reaction.EmojiReactions;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Applies c18n.messages events to the direct rooms, messages and read markers views. */
@Component
public class ChatProjection implements EventApplier {
    private final ObjectMapper json;

    public ChatProjection(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Set<String> types() {
        return Set.of(ChatEvents.DIRECT_OPENED, ChatEvents.MESSAGE_SENT, ChatEvents.MESSAGE_EDITED,
                ChatEvents.MESSAGE_DELETED, ChatEvents.MESSAGE_READ, ChatEvents.MESSAGE_EMOJI_ADDED,
                ChatEvents.MESSAGE_EMOJI_REMOVED);
    }

    /** Messages come in floods (a busy room): a run is one insert, and one move of each sender's read marker. */
    @Override
    public Set<String> typesAppliedTogether() {
        return Set.of(ChatEvents.MESSAGE_SENT);
    }

    /** Whose read marker in which room. */
    private record Reader(UUID room, UUID user) {}

    @Override
    public Map<UUID, String> applyTogether(List<Event> events, List<LogPosition> positions, JdbcClient db) {
        int n = events.size();
        UUID[] ids = new UUID[n];
        UUID[] rooms = new UUID[n];
        long[] seqs = new long[n];
        UUID[] senders = new UUID[n];
        String[] bodies = new String[n];
        UUID[] replies = new UUID[n];
        String[] media = new String[n];
        String[] mentions = new String[n];
        String[] ats = new String[n];
        // Each sender's marker moves once, to their message furthest in the room (the first of equals, as one by one).
        Map<Reader, Integer> furthest = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            var e = events.get(i).data(ChatEvents.MessageSent.class);
            ids[i] = e.messageId();
            rooms[i] = e.roomId();
            seqs[i] = positions.get(i).offset();
            senders[i] = e.senderId();
            bodies[i] = e.body();
            replies[i] = e.replyTo();
            // Lists of each row's own length: JSON, unpacked in order by the statement.
            media[i] = json.writeValueAsString(e.mediaIds() == null ? List.of() : e.mediaIds());
            mentions[i] = json.writeValueAsString(e.mentions() == null ? List.of() : e.mentions());
            ats[i] = ProjectionStore.timestampText(events.get(i).at());
            Reader reader = new Reader(e.roomId(), e.senderId());
            Integer before = furthest.get(reader);
            if (before == null || seqs[before] < seqs[i]) {
                furthest.put(reader, i);
            }
        }
        db.sql("""
                        INSERT INTO messages (id, room_id, seq, sender_id, body, reply_to, media_ids, mentions, status,
                                              created_at)
                        SELECT id, room_id, seq, sender_id, body, reply_to,
                               ARRAY(SELECT m::uuid FROM jsonb_array_elements_text(media::jsonb) WITH ORDINALITY AS x(m, i)
                                     ORDER BY i),
                               ARRAY(SELECT m::uuid FROM jsonb_array_elements_text(mentions::jsonb) WITH ORDINALITY AS x(m, i)
                                     ORDER BY i),
                               'sent', at::timestamptz
                        FROM unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[],
                                    ?::text[])
                             AS batch(id, room_id, seq, sender_id, body, reply_to, media, mentions, at)""")
                .params(ids, rooms, seqs, senders, bodies, replies, media, mentions, ats)
                .update();
        int m = furthest.size();
        UUID[] markerRooms = new UUID[m];
        UUID[] readers = new UUID[m];
        long[] markerSeqs = new long[m];
        String[] markerAts = new String[m];
        int k = 0;
        for (int i : furthest.values()) {
            markerRooms[k] = rooms[i];
            readers[k] = senders[i];
            markerSeqs[k] = seqs[i];
            markerAts[k++] = ats[i];
        }
        db.sql("""
                        INSERT INTO read_markers (room_id, user_id, seq, at)
                        SELECT room_id, user_id, seq, at::timestamptz
                        FROM unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::text[]) AS batch(room_id, user_id, seq, at)
                        ON CONFLICT (room_id, user_id) DO UPDATE SET seq = excluded.seq, at = excluded.at
                        WHERE read_markers.seq < excluded.seq""")
                .params(markerRooms, readers, markerSeqs, markerAts)
                .update();
        return Map.of();
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
