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
     * One entry of the inbox: the notifications of one kind about the same thing (a post, a room,
     * an invite, a community), shown by the latest of them, with the names a reader needs.
     * {@code id}, {@code actor} and {@code at} are the latest's; {@code count} how many the entry
     * holds, {@code others} how many other people than {@code actor} they name, {@code ids} them
     * (the latest 1,000; reading the entry reads these), {@code read} whether every one is read.
     * {@code post.name} is the post's title, kept from everyone but its author and the community's
     * moderators once the post is deleted, removed or rejected.
     */
    public record NotificationJson(UUID id, String kind, PostJson.Author actor, Ref community, Ref post, UUID commentId,
                                   UUID roomId, UUID messageId, UUID inviteId, Instant at, boolean read, int count, int others,
                                   List<UUID> ids) {}

    /** What a notification is about, as the inbox groups them and a page marks them read: its post, room, invite or community. */
    public record Target(UUID postId, UUID roomId, UUID inviteId, UUID communityId) {}

    /** Up to {@code limit} entries older than the one at {@code before} (newest first). */
    public List<NotificationJson> inbox(UUID user, Instant beforeAt, UUID beforeId, int limit) {
        return db.sql("""
                        WITH entries AS (
                          SELECT (array_agg(id ORDER BY created_at DESC, id DESC))[1] AS latest,
                                 count(*) AS count,
                                 count(DISTINCT actor_id) AS actors,
                                 bool_and(read_at IS NOT NULL) AS all_read,
                                 (array_agg(id ORDER BY created_at DESC, id DESC))[1 : 1000] AS ids
                          FROM notifications
                          WHERE user_id = :user
                          GROUP BY kind, coalesce(post_id, room_id, invite_id, community_id, id)
                        )
                        SELECT n.*, e.count, e.actors, e.all_read, e.ids, u.username, u.display_name, c.name AS community_name,
                          CASE WHEN p.status = 'published' OR p.author_id = :user
                                 OR EXISTS (SELECT 1 FROM users a WHERE a.id = :user AND a.role = 'admin')
                                 OR EXISTS (SELECT 1 FROM community_members m
                                            WHERE m.community_id = p.community_id AND m.user_id = :user
                                              AND m.role IN ('owner', 'moderator'))
                               THEN p.title END AS post_title
                        FROM entries e
                          JOIN notifications n ON n.id = e.latest
                          LEFT JOIN users u ON u.id = n.actor_id
                          LEFT JOIN communities c ON c.id = n.community_id
                          LEFT JOIN posts p ON p.id = n.post_id
                        WHERE (CAST(:beforeAt AS timestamptz) IS NULL OR (n.created_at, n.id) < (:beforeAt, :beforeId))
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

    /** The user's unread notifications about {@code target}. */
    public List<UUID> unreadAbout(UUID user, Target target) {
        return db.sql("""
                        SELECT id FROM notifications
                        WHERE user_id = ? AND read_at IS NULL
                          AND CASE WHEN post_id IS NOT NULL THEN post_id = ?
                                   WHEN room_id IS NOT NULL THEN room_id = ?
                                   WHEN invite_id IS NOT NULL THEN invite_id = ?
                                   ELSE community_id = ? END
                        ORDER BY created_at LIMIT 10000""")
                .params(user, target.postId(), target.roomId(), target.inviteId(), target.communityId())
                .query(UUID.class).list();
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
                rs.getTimestamp("created_at").toInstant(), rs.getBoolean("all_read"), rs.getInt("count"),
                Math.max(0, rs.getInt("actors") - (actor == null ? 0 : 1)),
                List.of((UUID[]) rs.getArray("ids").getArray()));
    }
}
