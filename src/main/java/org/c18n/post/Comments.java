package org.c18n.post;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.c18n.reaction.EmojiReactions;
import org.c18n.web.Page;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the comments view: a chronological page with depths, or a page of threads. */
@Component
public class Comments {
    private static final String SELECT = """
            SELECT c.id, c.post_id, c.parent_id, c.author_id, u.username, u.display_name, c.body, c.depth, c.status,
                   c.like_count, c.dislike_count, r.kind AS my_reaction, c.created_at, c.edited_at, c.pinned_at,
                   %1$s AS held, c.author_id <> :me AND %1$s AS hidden_from_me,
                   %2$s
            FROM comments c JOIN users u ON u.id = c.author_id
                 LEFT JOIN reactions r ON r.target_id = c.id AND r.user_id = :me
            """.formatted(PostRow.heldWhere("c"), EmojiReactions.summaryColumn("c.id"));

    private static final Page.Position FIRST = new Page.Position(Instant.EPOCH, new UUID(0, 0));

    private final JdbcClient db;

    public Comments(JdbcClient db) {
        this.db = db;
    }

    /**
     * A deleted comment keeps its place in the thread without its text; so does a {@code held} one
     * (flagged, waiting for a moderator) for everyone but its author.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommentJson(UUID id, UUID postId, UUID parentId, PostJson.Author author, String body, int depth,
                              String status, int likeCount, int dislikeCount, String myReaction,
                              List<EmojiReactions.Summary> emojis, Instant createdAt, Instant editedAt,
                              Instant pinnedAt, Boolean held, List<CommentJson> replies) {

        CommentJson withReplies(List<CommentJson> replies) {
            return new CommentJson(id, postId, parentId, author, body, depth, status, likeCount, dislikeCount, myReaction,
                    emojis, createdAt, editedAt, pinnedAt, held, replies);
        }

        String cursor() {
            return createdAt + "|" + id;
        }
    }

    Optional<CommentJson> byId(UUID id, UUID postId, UUID me) {
        return db.sql(SELECT + " WHERE c.id = :id AND c.post_id = :post").param("me", me).param("id", id)
                .param("post", postId).query(Comments::row).optional();
    }

    /** Oldest first after {@code after}; each with its depth and parent. */
    List<CommentJson> flat(UUID postId, UUID me, Page.Position after, int limit) {
        Page.Position from = after == null ? FIRST : after;
        return db.sql(SELECT + """
                         WHERE c.post_id = :post AND (c.created_at, c.id) > (:at, :id)
                         ORDER BY c.created_at, c.id LIMIT :limit""")
                .param("me", me).param("post", postId).param("at", Timestamp.from(from.at())).param("id", from.id())
                .param("limit", limit).query(Comments::row).list();
    }

    /** The author's live comments, newest first, before {@code before} (whoever may read them: the caller filters). */
    List<CommentJson> byAuthor(UUID author, UUID me, Page.Position before, int limit) {
        Instant at = before == null ? Instant.parse("9999-12-31T00:00:00Z") : before.at();
        UUID id = before == null ? new UUID(-1L, -1L) : before.id();
        return db.sql(SELECT + """
                         WHERE c.author_id = :author AND c.status = 'published' AND (c.created_at, c.id) < (:at, :id)
                         ORDER BY c.created_at DESC, c.id DESC LIMIT :limit""")
                .param("me", me).param("author", author).param("at", Timestamp.from(at)).param("id", id)
                .param("limit", limit).query(Comments::row).list();
    }

    /** A page of top-level comments but the pinned one, each with all its replies nested. */
    List<CommentJson> threads(UUID postId, UUID me, Page.Position after, int limit) {
        Page.Position from = after == null ? FIRST : after;
        return withReplies(db.sql(SELECT + """
                         WHERE c.post_id = :post AND c.parent_id IS NULL AND c.pinned_at IS NULL
                           AND (c.created_at, c.id) > (:at, :id)
                         ORDER BY c.created_at, c.id LIMIT :limit""")
                .param("me", me).param("post", postId).param("at", Timestamp.from(from.at())).param("id", from.id())
                .param("limit", limit).query(Comments::row).list(), me);
    }

    /** The post's pinned comment with its replies, which leads the thread. */
    Optional<CommentJson> pinnedThread(UUID postId, UUID me) {
        return db.sql(SELECT + " WHERE c.post_id = :post AND c.pinned_at IS NOT NULL").param("me", me).param("post", postId)
                .query(Comments::row).optional().map(pinned -> withReplies(List.of(pinned), me).get(0));
    }

    private List<CommentJson> withReplies(List<CommentJson> roots, UUID me) {
        if (roots.isEmpty()) {
            return roots;
        }
        List<CommentJson> descendants = db.sql("""
                        WITH RECURSIVE thread AS (
                          SELECT id FROM comments WHERE parent_id = ANY (CAST(:roots AS uuid[]))
                          UNION ALL
                          SELECT c.id FROM comments c JOIN thread t ON c.parent_id = t.id)
                        """ + SELECT + " WHERE c.id IN (SELECT id FROM thread) ORDER BY c.created_at, c.id")
                .param("roots", roots.stream().map(CommentJson::id).toArray(UUID[]::new)).param("me", me)
                .query(Comments::row).list();
        Map<UUID, List<CommentJson>> children = new LinkedHashMap<>();
        for (CommentJson c : descendants) {
            children.computeIfAbsent(c.parentId(), k -> new ArrayList<>()).add(c);
        }
        return roots.stream().map(root -> nest(root, children)).toList();
    }

    private static CommentJson nest(CommentJson comment, Map<UUID, List<CommentJson>> children) {
        List<CommentJson> replies = children.getOrDefault(comment.id(), List.of()).stream()
                .map(child -> nest(child, children)).toList();
        return comment.withReplies(replies);
    }

    private static CommentJson row(ResultSet rs, int n) throws SQLException {
        boolean deleted = rs.getString("status").equals("deleted");
        boolean held = !deleted && rs.getBoolean("held");
        var edited = rs.getTimestamp("edited_at");
        var pinned = rs.getTimestamp("pinned_at");
        return new CommentJson(rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class),
                rs.getObject("parent_id", UUID.class),
                new PostJson.Author(rs.getObject("author_id", UUID.class), rs.getString("username"),
                        rs.getString("display_name")),
                deleted || rs.getBoolean("hidden_from_me") ? null : rs.getString("body"), rs.getInt("depth"),
                rs.getString("status"), rs.getInt("like_count"), rs.getInt("dislike_count"), rs.getString("my_reaction"),
                EmojiReactions.read(rs), rs.getTimestamp("created_at").toInstant(),
                edited == null ? null : edited.toInstant(), pinned == null ? null : pinned.toInstant(), held ? true : null, null);
    }
}
