package org.c18n.post;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Every version of a post or comment, with who and when, read from the immutable event store. */
@Component
public class History {
    private final JdbcClient db;
    private final ObjectMapper json;

    public History(JdbcClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Version(String type, Instant at, PostJson.Author by, String title, String body, List<String> tags) {}

    List<Version> ofPost(UUID postId) {
        return versions("""
                (e.key = :key AND e.type IN ('post.created', 'post.edited', 'post.deleted', 'post.approved', 'post.rejected'))
                OR (e.type = 'post.shared' AND e.data ->> 'shareId' = :key)""", postId.toString(), null);
    }

    List<Version> ofComment(UUID postId, UUID commentId) {
        return versions("e.key = :key AND e.type LIKE 'comment.%' AND e.data ->> 'commentId' = :comment",
                postId.toString(), commentId.toString());
    }

    private List<Version> versions(String where, String key, String commentId) {
        var query = db.sql("""
                        SELECT e.type, e.at, e.actor, u.username, u.display_name, e.data::text AS data
                        FROM events e LEFT JOIN users u ON u.id = e.actor
                        WHERE\s""" + where + " ORDER BY e.at, e.id")
                .param("key", key);
        if (commentId != null) {
            query = query.param("comment", commentId);
        }
        return query.query((rs, n) -> {
            JsonNode data = json.readTree(rs.getString("data"));
            String body = data.has("body") ? data.get("body").asString()
                    : data.has("comment") ? data.get("comment").asString() : null;
            List<String> tags = data.has("tags") ? data.get("tags").valueStream().map(JsonNode::asString).toList() : null;
            return new Version(rs.getString("type"), rs.getTimestamp("at").toInstant(),
                    new PostJson.Author(rs.getObject("actor", UUID.class), rs.getString("username"),
                            rs.getString("display_name")),
                    data.has("title") && !data.get("title").isNull() ? data.get("title").asString() : null, body, tags);
        }).list();
    }
}
