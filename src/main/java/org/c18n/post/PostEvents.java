package org.c18n.post;

import java.util.List;
import java.util.UUID;

/** Payloads of the events on topic c18n.posts, all keyed by the post id (see docs/events.md). */
public final class PostEvents {
    public static final String CREATED = "post.created";
    public static final String EDITED = "post.edited";
    public static final String DELETED = "post.deleted";
    public static final String APPROVED = "post.approved";
    public static final String REJECTED = "post.rejected";
    public static final String SHARED = "post.shared";
    public static final String COMMENT_CREATED = "comment.created";
    public static final String COMMENT_EDITED = "comment.edited";
    public static final String COMMENT_DELETED = "comment.deleted";
    public static final String COMMENT_PINNED = "comment.pinned";
    public static final String REACTION_SET = "reaction.set";
    public static final String EMOJI_ADDED = "emoji.added";
    public static final String EMOJI_REMOVED = "emoji.removed";

    private PostEvents() {}

    /**
     * In a community ({@code communityId}) or a user-group ({@code usergroupId}); {@code pending} awaits a moderator.
     * {@code mentions}: the people named as @username who are told of it (who may read it and have not
     * blocked the author, decided as it is written; none while pending; absent in early events: none).
     */
    public record Created(UUID postId, UUID communityId, UUID usergroupId, UUID authorId, String title, String body,
                          List<String> tags, List<UUID> mediaIds, boolean pending, List<UUID> mentions) {
        public Created(UUID postId, UUID communityId, UUID usergroupId, UUID authorId, String title, String body,
                       List<String> tags, List<UUID> mediaIds, boolean pending) {
            this(postId, communityId, usergroupId, authorId, title, body, tags, mediaIds, pending, null);
        }
    }

    public record Edited(UUID postId, String title, String body, List<String> tags, List<UUID> mediaIds) {}

    /** By the author, a moderator of the community, or an admin. */
    public record Deleted(UUID postId, UUID by) {}

    public record Moderated(UUID postId, UUID by) {}

    /** Keyed by the original post: a new post {@code shareId} in {@code communityId} pointing to it. */
    public record Shared(UUID shareId, UUID originalId, UUID communityId, UUID authorId, String comment) {}

    /** {@code mentions} as in {@link Created}. */
    public record CommentCreated(UUID commentId, UUID postId, UUID parentId, UUID authorId, String body,
                                 List<UUID> mentions) {
        public CommentCreated(UUID commentId, UUID postId, UUID parentId, UUID authorId, String body) {
            this(commentId, postId, parentId, authorId, body, null);
        }
    }

    public record CommentEdited(UUID commentId, UUID postId, String body) {}

    public record CommentDeleted(UUID commentId, UUID postId, UUID by) {}

    /** A post leads its thread with at most one pinned top-level comment: pinning one unpins the other. */
    public record CommentPinned(UUID commentId, UUID postId, boolean pinned, UUID by) {}

    /** {@code targetId} is the post or one of its comments; {@code kind} like, dislike or none. */
    public record ReactionSet(UUID postId, UUID targetId, UUID userId, String kind) {}

    /** {@code targetId} is the post or one of its comments; {@code emoji} one of the allowed set, as stored. */
    public record Emoji(UUID postId, UUID targetId, UUID userId, String emoji) {}
}
