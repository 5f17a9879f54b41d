package org.c18n.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.c18n.post.PostJson;
import org.c18n.web.Ref;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the notifications view: a user's inbox, newest first. */
@Component
public class Notifications {
    private final JdbcClient db;

    public Notifications(JdbcClient db) {
        this.db = db;
    }

    /**
     * One notification with the names a reader needs; {@code post.name} is the post's title, kept
     * from everyone but its author and the community's moderators once the post is deleted,
     * removed or rejected.
     */
    public record NotificationJson(UUID id, String kind, PostJson.Author actor, Ref community, Ref post, UUID commentId,
                                   UUID roomId, UUID messageId, UUID inviteId, Instant at, boolean read) {}

    /** Up to {@code limit} notifications older than the one at {@code before} (newest first). */
    public List<NotificationJson> inbox(UUID user, Instant beforeAt, UUID beforeId, int limit) {
        return db.sql("""
                        SELECT n.*, u.username, u.display_name, c.name AS community_name,
                          CASE WHEN p.status = 'published' OR p.author_id = :user
                                 OR EXISTS (SELECT 1 FROM users a WHERE a.id = :user AND a.role = 'admin')
                                 OR EXISTS (SELECT 1 FROM community_members m
                                            WHERE m.community_id = p.community_id AND m.user_id = :user
                                              AND m.role IN ('owner', 'moderator'))
                               THEN p.title END AS post_title
                        FROM notifications n
                          LEFT JOIN users u ON u.id = n.actor_id
                          LEFT JOIN communities c ON c.id = n.community_id
                          LEFT JOIN posts p ON p.id = n.post_id
                        WHERE n.user_id = :user
                          AND (CAST(:beforeAt AS timestamptz) IS NULL OR (n.created_at, n.id) < (:beforeAt, :beforeId))
                        ORDER BY n.created_at DESC, n.id DESC
                        LIMIT :limit""")
                .param("user", user)
                .param("beforeAt", beforeAt == null ? null : java.sql.Timestamp.from(beforeAt))
                .param("beforeId", beforeId)
                .param("limit", limit)
                .query(Notifications::row).list();
    }

    public long unread(UUID user) {
        return db.sql("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL").param(user)
                .query(Long.class).single();
    }

    /** The user's unread notifications among {@code ids} (all of them when {@code ids} is null). */
    public List<UUID> unreadIds(UUID user, List<UUID> ids) {
        return db.sql("""
                        SELECT id FROM notifications
                        WHERE user_id = ? AND read_at IS NULL AND (CAST(? AS uuid[]) IS NULL OR id = ANY (?))
                        ORDER BY created_at LIMIT 10000""")
                .params(user, ids == null ? null : ids.toArray(UUID[]::new), ids == null ? null : ids.toArray(UUID[]::new))
                .query(UUID.class).list();
    }

    private static NotificationJson row(ResultSet rs, int n) throws SQLException {
        UUID actor = rs.getObject("actor_id", UUID.class);
        UUID community = rs.getObject("community_id", UUID.class);
        UUID post = rs.getObject("post_id", UUID.class);
        return new NotificationJson(rs.getObject("id", UUID.class), rs.getString("kind"),
                actor == null ? null : new PostJson.Author(actor, rs.getString("username"), rs.getString("display_name")),
                community == null ? null : new Ref(community, rs.getString("community_name")),
                post == null ? null : new Ref(post, rs.getString("post_title")),
                rs.getObject("comment_id", UUID.class), rs.getObject("room_id", UUID.class),
                rs.getObject("message_id", UUID.class), rs.getObject("invite_id", UUID.class),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("read_at") != null);
    }
}
