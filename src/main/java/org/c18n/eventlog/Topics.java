package org.c18n.eventlog;

import java.util.List;

/** The domain topics of the log; every view is derived from these. */
public final class Topics {
    public static final String USERS = "c18n.users";
    public static final String COMMUNITIES = "c18n.communities";
    public static final String POSTS = "c18n.posts";
    public static final String MESSAGES = "c18n.messages";
    public static final String MEDIA = "c18n.media";
    /** Keyed by the recipient: notifications derived by the streams, and what users do with them (read). */
    public static final String NOTIFICATIONS = "c18n.notifications";

    /** Keyed by the content: reports, the speed layer's flags, moderators' decisions. */
    public static final String MODERATION = "c18n.moderation";

    public static final List<String> DOMAIN = List.of(USERS, COMMUNITIES, POSTS, MESSAGES, MEDIA, NOTIFICATIONS, MODERATION);

    /** Derived, not a source of truth: the analytics the streams compute, compacted (the latest count per key). */
    public static final String ANALYTICS = "c18n.analytics";

    /** Derived: each community's banned words (compacted), which every stream task of the moderation rules reads whole. */
    public static final String COMMUNITY_SETTINGS = "c18n.community-settings";

    private Topics() {}
}
