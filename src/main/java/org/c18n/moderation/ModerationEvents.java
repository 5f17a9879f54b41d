package org.c18n.moderation;

import java.util.UUID;

/** Payloads of the events on topic c18n.moderation, keyed by the reported or flagged content's id (see docs/events.md). */
public final class ModerationEvents {
    public static final String REPORT_FILED = "report.filed";
    /** Derived by the speed layer when a rule matches; its id is derived from the content and the rule. */
    public static final String FLAGGED = "moderation.flagged";
    public static final String DECIDED = "moderation.decided";

    public static final String POST = "post";
    public static final String COMMENT = "comment";
    public static final String MESSAGE = "message";

    private ModerationEvents() {}

    /** {@code postId} for a post or comment, {@code roomId} for a message; {@code communityId} null outside communities. */
    public record ReportFiled(UUID reportId, String targetType, UUID targetId, UUID postId, UUID roomId, UUID communityId,
                              UUID authorId, UUID reporterId, String reason) {}

    /** The content, the rule that matched ({@code reports}, {@code dislikes} or {@code links}) and what it saw. */
    public record Flagged(UUID itemId, String targetType, UUID targetId, UUID postId, UUID roomId, UUID communityId,
                          UUID authorId, String rule, String evidence) {}

    /**
     * {@code action}: {@code dismiss}, {@code remove} (the content is deleted by its own event
     * beside this one), {@code mute} or {@code ban} (the author, by {@code community.member_restricted}); {@code authorId} and {@code communityId} of the content, for its author's notification.
     */
    public record Decided(UUID itemId, UUID targetId, String targetType, UUID postId, UUID communityId, UUID authorId,
                          String action, UUID by, String reason) {}
}
