package org.c18n.post;

import java.sql.Timestamp;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Applies c18n.posts events to the posts, comments and reactions views. Everything about one
 * post (its comments, reactions and shares) shares its partition, so counts are applied in
 * order and stay exact however many people react at once.
 */
@Component
public class PostProjection implements EventApplier {
    @Override
    public Set<String> types() {
        return Set.of(PostEvents.CREATED, PostEvents.EDITED, PostEvents.DELETED, PostEvents.APPROVED,
                PostEvents.REJECTED, PostEvents.SHARED, PostEvents.COMMENT_CREATED, PostEvents.COMMENT_EDITED,
                PostEvents.COMMENT_DELETED, PostEvents.COMMENT_PINNED, PostEvents.REACTION_SET);
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
                requireLive(db, e.postId());
                int depth = 0;
                if (e.parentId() != null) {
                    depth = db.sql("SELECT depth + 1 FROM comments WHERE id = ? AND post_id = ?")
                            .params(e.parentId(), e.postId()).query(Integer.class).optional()
                            .orElseThrow(() -> new Rejection("not-found"));
                }
                db.sql("""
                        INSERT INTO comments (id, post_id, parent_id, author_id, body, depth, status, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'published', ?)""")
                        .params(e.commentId(), e.postId(), e.parentId(), e.authorId(), e.body(), depth, at)
                        .update();
                db.sql("UPDATE posts SET comment_count = comment_count + 1 WHERE id = ?").param(e.postId()).update();
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
            default -> throw new IllegalArgumentException(event.type());
        }
    }

    /** Moves the target's counts from the user's previous reaction to the new one. */
    private static void reaction(JdbcClient db, PostEvents.ReactionSet e, Timestamp at) {
        if (!Set.of("like", "dislike", "none").contains(e.kind())) {
            throw new Rejection("invalid");
        }
        boolean onPost = e.targetId().equals(e.postId());
        if (onPost) {
            requireLive(db, e.postId());
        } else if (!db.sql("SELECT EXISTS (SELECT 1 FROM comments WHERE id = ? AND post_id = ? AND status = 'published')")
                .params(e.targetId(), e.postId()).query(Boolean.class).single()) {
            throw new Rejection("not-found");
        }
        String table = onPost ? "posts" : "comments";
        String previous = db.sql("SELECT kind FROM reactions WHERE target_id = ? AND user_id = ?")
                .params(e.targetId(), e.userId()).query(String.class).optional().orElse("none");
        if (previous.equals(e.kind())) {
            return;
        }
        if (!previous.equals("none")) {
            db.sql("UPDATE " + table + " SET " + previous + "_count = " + previous + "_count - 1 WHERE id = ?")
                    .param(e.targetId()).update();
        }
        if (e.kind().equals("none")) {
            db.sql("DELETE FROM reactions WHERE target_id = ? AND user_id = ?").params(e.targetId(), e.userId()).update();
        } else {
            db.sql("""
                    INSERT INTO reactions (target_id, user_id, kind, at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (target_id, user_id) DO UPDATE SET kind = excluded.kind, at = excluded.at""")
                    .params(e.targetId(), e.userId(), e.kind(), at).update();
            db.sql("UPDATE " + table + " SET " + e.kind() + "_count = " + e.kind() + "_count + 1 WHERE id = ?")
                    .param(e.targetId()).update();
        }
    }

    private static void requireLive(JdbcClient db, UUID postId) {
        if (!db.sql("SELECT EXISTS (SELECT 1 FROM posts WHERE id = ? AND status <> 'deleted')").param(postId)
                .query(Boolean.class).single()) {
            throw new Rejection("not-found");
        }
    }

    private <T> T read(Event event, Class<T> type) {
        return event.data(type);
    }
}
