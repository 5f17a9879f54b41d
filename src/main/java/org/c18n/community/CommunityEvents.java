package org.c18n.community;

import java.util.List;
import java.util.UUID;

/** Payloads of the events on topic c18n.communities (see docs/events.md). */
public final class CommunityEvents {
    public static final String CREATED = "community.created";
    public static final String UPDATED = "community.updated";
    public static final String MEMBER_JOINED = "community.member_joined";
    public static final String MEMBER_LEFT = "community.member_left";
    public static final String ROLE_CHANGED = "community.role_changed";
    public static final String INVITE_SENT = "invite.sent";
    public static final String INVITE_ACCEPTED = "invite.accepted";
    public static final String INVITE_DECLINED = "invite.declined";
    public static final String USERGROUP_CREATED = "usergroup.created";
    public static final String USERGROUP_MEMBER_ADDED = "usergroup.member_added";
    public static final String USERGROUP_MEMBER_REMOVED = "usergroup.member_removed";
    public static final String NOTIFICATIONS_SET = "community.notifications_set";
    public static final String MEMBER_RESTRICTED = "community.member_restricted";
    public static final String ARCHIVED = "community.archived";
    public static final String UNARCHIVED = "community.unarchived";
    public static final String DELETED = "community.deleted";

    private CommunityEvents() {}

    /** Keyed by the claimed name (lower case), so two claims of one name are ordered. */
    /** {@code postApproval} (absent before it existed: false) holds members' posts for a moderator. */
    public record Created(UUID communityId, String name, String description, List<String> tags, String visibility,
                          String joinPolicy, UUID ownerId, Boolean postApproval) {}

    /** Null fields are left as they are ({@code bannedWords} and {@code rules} absent in early events: unchanged). */
    public record Updated(UUID communityId, String description, List<String> tags, String visibility,
                          String joinPolicy, Boolean postApproval, List<String> bannedWords, String rules) {}

    public record MemberJoined(UUID communityId, UUID userId) {}

    public record MemberLeft(UUID communityId, UUID userId) {}

    /** {@code role} is {@code moderator} or {@code member}. */
    public record RoleChanged(UUID communityId, UUID userId, String role) {}

    public record InviteSent(UUID inviteId, UUID communityId, UUID inviterId, UUID inviteeId) {}

    public record InviteAnswered(UUID inviteId, UUID communityId, UUID inviteeId) {}

    /** {@code communityId} is null for an ad hoc group. */
    public record UsergroupCreated(UUID usergroupId, UUID communityId, String name, UUID createdBy,
                                   List<UUID> memberIds) {}

    public record UsergroupMember(UUID usergroupId, UUID userId) {}

    /**
     * A moderator mutes ({@code mute}: no posting or commenting) or bans ({@code ban}: removed,
     * may not join again) a user in the community until {@code until}, or for good when null.
     * A ban is followed by {@code community.member_left} for the user.
     */
    public record MemberRestricted(UUID communityId, UUID userId, String kind, java.time.Instant until, UUID by,
                                   String reason) {}

    /** The owner (or an admin) archives, unarchives or deletes the community: {@code by} is who. */
    public record Lifecycle(UUID communityId, UUID by) {}

    /** A member mutes ({@code muted}) or unmutes the community's new-post notifications. */
    public record NotificationsSet(UUID communityId, UUID userId, boolean muted) {}
}
