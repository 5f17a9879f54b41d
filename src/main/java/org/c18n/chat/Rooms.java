package org.c18n.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Chat rooms: the user-groups and the direct conversations, with who is in them. */
@Component
public class Rooms {
    private final JdbcClient db;

    public Rooms(JdbcClient db) {
        this.db = db;
    }

    public boolean isMember(UUID roomId, UUID userId) {
        return db.sql("""
                        SELECT EXISTS (SELECT 1 FROM usergroup_members WHERE usergroup_id = :room AND user_id = :user)
                            OR EXISTS (SELECT 1 FROM direct_rooms WHERE id = :room AND (user_a = :user OR user_b = :user))""")
                .param("room", roomId).param("user", userId).query(Boolean.class).single();
    }

    /** The user's read marker in the room; -1 if none. */
    long readMarker(UUID roomId, UUID userId) {
        return db.sql("SELECT coalesce(max(seq), -1) FROM read_markers WHERE room_id = ? AND user_id = ?")
                .params(roomId, userId).query(Long.class).single();
    }

    public List<UUID> roomIdsOf(UUID userId) {
        return db.sql("""
                        SELECT usergroup_id FROM usergroup_members WHERE user_id = :user
                        UNION ALL SELECT id FROM direct_rooms WHERE user_a = :user OR user_b = :user""")
                .param("user", userId).query(UUID.class).list();
    }

    /** Everyone in any of {@code roomIds}, in one query. */
    public List<UUID> membersOfAny(java.util.Collection<UUID> roomIds) {
        if (roomIds.isEmpty()) {
            return List.of();
        }
        UUID[] ids = roomIds.toArray(UUID[]::new);
        return db.sql("""
                        SELECT user_id FROM usergroup_members WHERE usergroup_id = ANY (:rooms)
                        UNION SELECT user_a FROM direct_rooms WHERE id = ANY (:rooms)
                        UNION SELECT user_b FROM direct_rooms WHERE id = ANY (:rooms)""")
                .param("rooms", ids).query(UUID.class).list();
    }

    /** The room's members, at most {@code limit} of them. */
    List<UUID> membersUpTo(UUID roomId, int limit) {
        return db.sql("""
                        SELECT user_id FROM usergroup_members WHERE usergroup_id = :room
                        UNION ALL SELECT user_a FROM direct_rooms WHERE id = :room
                        UNION ALL SELECT user_b FROM direct_rooms WHERE id = :room
                        LIMIT :limit""")
                .param("room", roomId).param("limit", limit).query(UUID.class).list();
    }

    /** Whether the room is a direct conversation one of whose two people has blocked the other. */
    boolean directBlocked(UUID roomId) {
        return db.sql("""
                        SELECT EXISTS (SELECT 1 FROM direct_rooms d JOIN user_blocks b
                                         ON (b.user_id = d.user_a AND b.blocked_id = d.user_b)
                                         OR (b.user_id = d.user_b AND b.blocked_id = d.user_a)
                                       WHERE d.id = ?)""")
                .param(roomId).query(Boolean.class).single();
    }

    public Optional<UUID> direct(UUID one, UUID other) {
        UUID a = one.compareTo(other) < 0 ? one : other;
        UUID b = a.equals(one) ? other : one;
        return db.sql("SELECT id FROM direct_rooms WHERE user_a = ? AND user_b = ?").params(a, b).query(UUID.class)
                .optional();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Room(UUID id, String kind, String name, UUID communityId, Peer peer, long unread, Last lastMessage) {}

    public record Peer(UUID id, String username, String displayName) {}

    public record Last(UUID id, long seq, UUID senderId, String body, Instant at) {}

    /** My rooms, most recently active first, with unread counts (others' messages after my read marker). */
    public List<Room> roomsOf(UUID userId) {
        return db.sql("""
                        WITH mine AS (
                          SELECT g.id, 'group' AS kind, g.name, g.community_id, NULL::uuid AS peer, g.created_at
                          FROM usergroups g JOIN usergroup_members m ON m.usergroup_id = g.id AND m.user_id = :me
                          UNION ALL
                          SELECT d.id, 'direct', NULL, NULL, CASE WHEN d.user_a = :me THEN d.user_b ELSE d.user_a END,
                                 d.created_at
                          FROM direct_rooms d WHERE d.user_a = :me OR d.user_b = :me)
                        SELECT r.id, r.kind, r.name, r.community_id, r.peer, u.username, u.display_name,
                               (SELECT count(*) FROM messages x
                                WHERE x.room_id = r.id AND x.status = 'sent' AND x.sender_id <> :me
                                  AND x.seq > coalesce((SELECT seq FROM read_markers k
                                                        WHERE k.room_id = r.id AND k.user_id = :me), -1)) AS unread,
                               l.id AS last_id, l.seq AS last_seq, l.sender_id AS last_sender, l.body AS last_body,
                               l.created_at AS last_at
                        FROM mine r
                             LEFT JOIN users u ON u.id = r.peer
                             LEFT JOIN LATERAL (SELECT * FROM messages y WHERE y.room_id = r.id AND y.status = 'sent'
                                                ORDER BY y.seq DESC LIMIT 1) l ON true
                        ORDER BY coalesce(l.created_at, r.created_at) DESC""")
                .param("me", userId)
                .query((rs, n) -> {
                    UUID peer = rs.getObject("peer", UUID.class);
                    UUID lastId = rs.getObject("last_id", UUID.class);
                    return new Room(rs.getObject("id", UUID.class), rs.getString("kind"),
                            peer == null ? rs.getString("name") : rs.getString("display_name"),
                            rs.getObject("community_id", UUID.class),
                            peer == null ? null : new Peer(peer, rs.getString("username"), rs.getString("display_name")),
                            rs.getLong("unread"),
                            lastId == null ? null : new Last(lastId, rs.getLong("last_seq"),
                                    rs.getObject("last_sender", UUID.class), rs.getString("last_body"),
                                    rs.getTimestamp("last_at").toInstant()));
                })
                .list();
    }
}
