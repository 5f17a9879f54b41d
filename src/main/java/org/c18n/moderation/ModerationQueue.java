package org.c18n.moderation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.c18n.post.PostJson;
import org.c18n.web.Ref;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the moderation queue and the reports, with a preview of the content for the moderator. */
@Component
public class ModerationQueue {
    private static final String SELECT = """
            SELECT q.*, c.name AS community_name, u.username, u.display_name,
                   left(coalesce(p.title || ': ', '') || coalesce(p.body, k.body, m.body, ''), 300) AS preview,
                   coalesce(p.status, k.status, m.status) AS content_status,
                   (SELECT count(*) FROM reports r WHERE r.target_id = q.target_id) AS reports
            FROM moderation_queue q
              LEFT JOIN communities c ON c.id = q.community_id
              LEFT JOIN users u ON u.id = q.author_id
              LEFT JOIN posts p ON q.target_type = 'post' AND p.id = q.target_id
              LEFT JOIN comments k ON q.target_type = 'comment' AND k.id = q.target_id
              LEFT JOIN messages m ON q.target_type = 'message' AND m.id = q.target_id
            """;

    private final JdbcClient db;

    public ModerationQueue(JdbcClient db) {
        this.db = db;
    }

    /** One flagged piece of content; {@code contentStatus} is the content's own (published, deleted...). */
    public record Item(UUID id, String targetType, UUID targetId, UUID postId, UUID roomId, Ref community,
                       PostJson.Author author, String rule, String evidence, String status, Instant at, long reports,
                       String preview, String contentStatus, UUID decidedBy, Instant decidedAt, String decisionReason) {}

    public Optional<Item> byId(UUID id) {
        return db.sql(SELECT + " WHERE q.id = ?").param(id).query(ModerationQueue::row).optional();
    }

    /** Items of these communities (all communities when null: admins), oldest first when open, else newest first. */
    public List<Item> items(List<UUID> communities, String status, int offset, int limit) {
        return db.sql(SELECT + """
                         WHERE q.status = :status AND (CAST(:all AS boolean) OR q.community_id = ANY (:communities))
                         ORDER BY CASE WHEN :status = 'open' THEN q.created_at END ASC,
                                  CASE WHEN :status <> 'open' THEN q.created_at END DESC, q.id
                         OFFSET :offset LIMIT :limit""")
                .param("status", status)
                .param("all", communities == null)
                .param("communities", communities == null ? new UUID[0] : communities.toArray(UUID[]::new))
                .param("offset", offset)
                .param("limit", limit)
                .query(ModerationQueue::row).list();
    }

    /** The communities this user owns or moderates. */
    public List<UUID> moderatedBy(UUID user) {
        return db.sql("SELECT community_id FROM community_members WHERE user_id = ? AND role IN ('owner', 'moderator')")
                .param(user).query(UUID.class).list();
    }

    public boolean reported(UUID target, UUID reporter) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM reports WHERE target_id = ? AND reporter_id = ?)")
                .params(target, reporter).query(Boolean.class).single();
    }

    private static Item row(ResultSet rs, int n) throws SQLException {
        UUID community = rs.getObject("community_id", UUID.class);
        UUID author = rs.getObject("author_id", UUID.class);
        var decidedAt = rs.getTimestamp("decided_at");
        return new Item(rs.getObject("id", UUID.class), rs.getString("target_type"), rs.getObject("target_id", UUID.class),
                rs.getObject("post_id", UUID.class), rs.getObject("room_id", UUID.class),
                community == null ? null : new Ref(community, rs.getString("community_name")),
                author == null ? null : new PostJson.Author(author, rs.getString("username"), rs.getString("display_name")),
                rs.getString("rule"), rs.getString("evidence"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), rs.getLong("reports"), rs.getString("preview"),
                rs.getString("content_status"), rs.getObject("decided_by", UUID.class),
                decidedAt == null ? null : decidedAt.toInstant(), rs.getString("decision_reason"));
    }
}
