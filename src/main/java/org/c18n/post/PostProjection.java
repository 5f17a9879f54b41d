package org.c18n.post;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.reaction.EmojiReactions;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Applies c18n.posts events to the posts, comments and reactions views. Everything about one
 * post (its comments, reactions and shares) shares its partition, so counts are applied in
 * order and stay exact however many people react at once.
 */
@Component
public class PostProjection implements EventApplier {
    static final Set<String> REACTION_KINDS = Set.of("like", "dislike", "none");

    private final ObjectMapper json;

    public PostProjection(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Set<String> types() {
        return Set.of(PostEvents.CREATED, PostEvents.EDITED, PostEvents.DELETED, PostEvents.APPROVED,
                PostEvents.REJECTED, PostEvents.SHARED, PostEvents.COMMENT_CREATED, PostEvents.COMMENT_EDITED,
                PostEvents.COMMENT_DELETED, PostEvents.COMMENT_PINNED, PostEvents.REACTION_SET,
                PostEvents.EMOJI_ADDED, PostEvents.EMOJI_REMOVED);
    }

    /**
     * New posts, comments and reactions: a flood of them (an import, the data generator, a busy
     * community, a replay) is a few statements per run ({@link PostRuns}).
     */
    @Override
    public Set<String> typesAppliedTogether() {
        return Set.of(PostEvents.CREATED, PostEvents.COMMENT_CREATED, PostEvents.REACTION_SET);
    }

    @Override
    public Map<UUID, String> applyTogether(List<Event> events, List<LogPosition> positions, JdbcClient db) {
        return switch (events.get(0).type()) {
            case PostEvents.CREATED -> PostRuns.posts(events, json, db);
            case PostEvents.COMMENT_CREATED -> PostRuns.comments(events, db);
            default -> PostRuns.reactions(events, db);
        };
    }

    @Override
    public void apply(Event event, LogPosition position, JdbcClient db) {
        Timestamp at = Timestamp.from(event.at());
        switch (event.type()) {
            case PostEvents.CREATED -> {
                var e = event.data(PostEvents.Created.class);
                db.sql("""
                        INSERT INTO posts (id, community_id, usergroup_id, author_id, title, body, tags, media_ids, status,
                                           created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .params(e.postId(), e.communityId(), e.usergroupId(), e.authorId(), e.title(), e.body(),
                                e.tags().toArray(String[]::new), e.mediaIds().toArray(UUID[]::new),
                                e.pending() ? "pending" : "published", at)
                        .update();
            }
            case PostEvents.EDITED -> {
                var e = event.data(PostEvents.Edited.class);
                requireLive(db, e.postId());
                db.sql("""
                        UPDATE posts SET title = ?, body = ?, tags = ?, media_ids = COALESCE(?, media_ids), edited_at = ?
                        WHERE id = ?""")
                        .params(e.title(), e.body(), e.tags().toArray(String[]::new),
                                e.mediaIds() == null ? null : e.mediaIds().toArray(UUID[]::new), at, e.postId())
                        .update();
            }
            case PostEvents.DELETED -> {
                var e = event.data(PostEvents.Deleted.class);
                requireLive(db, e.postId());
                UUID original = db.sql("SELECT shared_from FROM posts WHERE id = ?").param(e.postId())
                        .query(UUID.class).optional().orElse(null);
                db.sql("UPDATE posts SET status = 'deleted', deleted_at = ? WHERE id = ?").params(at, e.postId()).update();
                if (original != null) {
                    db.sql("UPDATE posts SET share_count = share_count - 1 WHERE id = ?").param(original).update();
                }
            }
            case PostEvents.APPROVED, PostEvents.REJECTED -> {
                var e = event.data(PostEvents.Moderated.class);
                int changed = db.sql("UPDATE posts SET status = ? WHERE id = ? AND status = 'pending'")
                        .params(event.type().equals(PostEvents.APPROVED) ? "published" : "rejected", e.postId())
                        .update();
                if (changed == 0) {
                    throw new Rejection("not-pending");
                }
            }
            case PostEvents.SHARED -> {
                var e = event.data(PostEvents.Shared.class);
                requireLive(db, e.originalId());
                db.sql("""
                        INSERT INTO posts (id, community_id, author_id, body, tags, media_ids, status, shared_from, created_at)
                        VALUES (?, ?, ?, ?, '{}', '{}', 'published', ?, ?)""")
                        .params(e.shareId(), e.communityId(), e.authorId(), e.comment() == null ? "" : e.comment(),
                                e.originalId(), at)
                        .update();
                db.sql("UPDATE posts SET share_count = share_count + 1 WHERE id = ?").param(e.originalId()).update();
            }
            case PostEvents.COMMENT_CREATED -> {
                var e = event.data(PostEvents.CommentCreated.class);
                // One statement: the comment goes in only under a live post (and a parent of that post),
                // and the post's count moves only when it went in.
                int counted = db.sql("""
                        WITH added AS (
                            INSERT INTO comments (id, post_id, parent_id, author_id, body, depth, status, created_at)
                            SELECT :id, :post, CAST(:parent AS uuid), :author, :body,
                                   COALESCE((SELECT depth + 1 FROM comments WHERE id = CAST(:parent AS uuid) AND post_id = :post), 0),
                                   'published', :at
                            WHERE EXISTS (SELECT 1 FROM posts WHERE id = :post AND status <> 'deleted')
                              AND (CAST(:parent AS uuid) IS NULL
                                   OR EXISTS (SELECT 1 FROM comments WHERE id = CAST(:parent AS uuid) AND post_id = :post))
                            RETURNING post_id)
                        UPDATE posts SET comment_count = comment_count + 1 WHERE id IN (SELECT post_id FROM added)""")
                        .param("id", e.commentId()).param("post", e.postId()).param("parent", e.parentId())
                        .param("author", e.authorId()).param("body", e.body()).param("at", at)
                        .update();
                if (counted == 0) {
                    throw new Rejection("not-found");
                }
            }
            case PostEvents.COMMENT_EDITED -> {
                var e = event.data(PostEvents.CommentEdited.class);
                if (db.sql("UPDATE comments SET body = ?, edited_at = ? WHERE id = ? AND status = 'published'")
                        .params(e.body(), at, e.commentId()).update() == 0) {
                    throw new Rejection("not-found");
                }
            }
            case PostEvents.COMMENT_DELETED -> {
                var e = event.data(PostEvents.CommentDeleted.class);
                if (db.sql("""
                        UPDATE comments SET status = 'deleted', deleted_at = ?, pinned_at = NULL
                        WHERE id = ? AND status = 'published'""").params(at, e.commentId()).update() == 0) {
                    throw new Rejection("not-found");
                }
                db.sql("UPDATE posts SET comment_count = comment_count - 1 WHERE id = ?").param(e.postId()).update();
            }
            case PostEvents.COMMENT_PINNED -> {
                var e = event.data(PostEvents.CommentPinned.class);
                if (!db.sql("""
                        SELECT EXISTS (SELECT 1 FROM comments
                                       WHERE id = ? AND post_id = ? AND parent_id IS NULL AND status = 'published')""")
                        .params(e.commentId(), e.postId()).query(Boolean.class).single()) {
                    throw new Rejection("not-found");
                }
                if (e.pinned()) {
                    db.sql("UPDATE comments SET pinned_at = NULL WHERE post_id = ? AND pinned_at IS NOT NULL AND id <> ?")
                            .params(e.postId(), e.commentId()).update();
                }
                db.sql("UPDATE comments SET pinned_at = ? WHERE id = ?")
                        .params(e.pinned() ? at : null, e.commentId()).update();
            }
            case PostEvents.REACTION_SET -> reaction(db, event.data(PostEvents.ReactionSet.class), at);
            case PostEvents.EMOJI_ADDED -> {
                var e = event.data(PostEvents.Emoji.class);
                requireEmojiTarget(db, e);
                EmojiReactions.add(db, e.targetId(), e.userId(), e.emoji(), at);
            }
            case PostEvents.EMOJI_REMOVED -> {
                var e = event.data(PostEvents.Emoji.class);
                requireEmojiTarget(db, e);
                EmojiReactions.remove(db, e.targetId(), e.userId(), e.emoji());
            }
            default -> throw new IllegalArgumentException(event.type());
        }
    }

    /**
     * Moves the target's counts from the user's previous reaction to the new one: one query for
     * whether the target is live and what the user's reaction was, one statement for the change.
     */
    private static void reaction(JdbcClient db, PostEvents.ReactionSet e, Timestamp at) {
        if (!REACTION_KINDS.contains(e.kind())) {
            throw new Rejection("invalid");
        }
        boolean onPost = e.targetId().equals(e.postId());
        String live = onPost ? "SELECT 1 FROM posts WHERE id = :post AND status <> 'deleted'"
                : "SELECT 1 FROM comments WHERE id = :target AND post_id = :post AND status = 'published'";
        var found = db.sql("SELECT EXISTS (" + live + ") AS live,"
                        + " (SELECT kind FROM reactions WHERE target_id = :target AND user_id = :user) AS previous")
                .param("post", e.postId()).param("target", e.targetId()).param("user", e.userId())
                .query((rs, n) -> new String[] {rs.getBoolean("live") ? "live" : null, rs.getString("previous")})
                .single();
        if (found[0] == null) {
            throw new Rejection("not-found");
        }
        String previous = found[1] == null ? "none" : found[1];
        if (previous.equals(e.kind())) {
            return;
        }
        String change = e.kind().equals("none")
                ? "DELETE FROM reactions WHERE target_id = :target AND user_id = :user"
                : """
                  INSERT INTO reactions (target_id, user_id, kind, at) VALUES (:target, :user, :kind, :at)
                  ON CONFLICT (target_id, user_id) DO UPDATE SET kind = excluded.kind, at = excluded.at""";
        db.sql("WITH changed AS (" + change + ") UPDATE " + (onPost ? "posts" : "comments")
                        + " SET like_count = like_count + :likes, dislike_count = dislike_count + :dislikes WHERE id = :target")
                .param("target", e.targetId()).param("user", e.userId()).param("kind", e.kind()).param("at", at)
                .param("likes", delta("like", previous, e.kind())).param("dislikes", delta("dislike", previous, e.kind()))
                .update();
    }

    /** An emoji event from outside the set, or on a removed post or comment, changes nothing. */
    private static void requireEmojiTarget(JdbcClient db, PostEvents.Emoji e) {
        if (EmojiReactions.canonical(e.emoji()).filter(e.emoji()::equals).isEmpty()) {
            throw new Rejection("invalid");
        }
        boolean onPost = e.targetId().equals(e.postId());
        String live = onPost ? "SELECT 1 FROM posts WHERE id = :post AND status <> 'deleted'"
                : "SELECT 1 FROM comments WHERE id = :target AND post_id = :post AND status = 'published'";
        if (!db.sql("SELECT EXISTS (" + live + ")").param("post", e.postId()).param("target", e.targetId())
                .query(Boolean.class).single()) {
            throw new Rejection("not-found");
        }
    }

    /** How the count of {@code kind} moves when a reaction goes from {@code previous} to {@code next}. */
    static int delta(String kind, String previous, String next) {
        return (next.equals(kind) ? 1 : 0) - (previous.equals(kind) ? 1 : 0);
    }

    private static void requireLive(JdbcClient db, UUID postId) {
        if (!db.sql("SELECT EXISTS (SELECT 1 FROM posts WHERE id = ? AND status <> 'deleted')").param(postId)
                .query(Boolean.class).single()) {
            throw new Rejection("not-found");
        }
    }
}
