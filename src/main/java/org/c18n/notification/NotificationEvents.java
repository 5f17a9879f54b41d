package org.c18n.notification;

import java.util.List;
import java.util.UUID;

/** Payloads of the events on topic c18n.notifications, keyed by the recipient (see docs/events.md). */
public final class NotificationEvents {
    /** Derived by the speed layer from another event; its id is derived from that event's id and the recipient. */
    public static final String CREATED = "notification.created";
    public static final String READ = "notification.read";
    public static final String EMAIL_PREFERENCES_SET = "notification.email_preferences_set";

    public static final String REPLY = "reply";
    public static final String MENTION = "mention";
    /** Messages in a room while the recipient was offline: once until they read the room. */
    public static final String MESSAGE = "message";
    public static final String INVITE = "invite";
    public static final String POST_APPROVED = "post_approved";
    public static final String POST_REJECTED = "post_rejected";
    public static final String CONTENT_REMOVED = "content_removed";
    public static final String MUTED = "muted";
    public static final String BANNED = "banned";
    public static final String NEW_POST = "new_post";
    /** Instead of more {@code new_post}s: the community is busy this hour. */
    public static final String BUSY_COMMUNITY = "busy_community";
    /** To a community's owner and moderators: its moderation queue has a new item (a held post, a report, a flag). */
    public static final String QUEUE = "moderation_queue";

    private NotificationEvents() {}

    /** What happened to whom; the ids name what it is about, null where they do not apply. */
    public record Created(UUID notificationId, UUID userId, String kind, UUID actorId, UUID communityId, UUID postId,
                          UUID commentId, UUID roomId, UUID messageId, UUID inviteId) {}

    /**
     * The user read these notifications. "Mark all read" is written as the ids that were unread
     * at the time, so that replay (which may order a notification before a later read of others)
     * marks exactly the same ones.
     */
    public record Read(UUID userId, List<UUID> ids) {}

    /**
     * Which notifications the user wants mailed in a digest while away; {@code digest} false
     * mails none (also what the unsubscribe link writes, keeping the kinds as they were).
     */
    public record EmailPreferencesSet(UUID userId, boolean digest, boolean mentions, boolean messages, boolean replies) {}
}
