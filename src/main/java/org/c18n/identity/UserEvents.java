package org.c18n.identity;

import java.util.List;
import java.util.UUID;

/** Payloads of the events on topic c18n.users (see docs/events.md). */
public final class UserEvents {
    public static final String REGISTERED = "user.registered";
    public static final String PROFILE_UPDATED = "user.profile_updated";
    public static final String TOKEN_MINTED = "user.token_minted";
    public static final String AVATAR_SET = "user.avatar_set";
    public static final String BLOCKED = "user.blocked";
    public static final String UNBLOCKED = "user.unblocked";

    private UserEvents() {}

    /** Keyed by the claimed username (lower case), so two claims of one name are ordered. */
    public record Registered(UUID userId, String username, String email, String passwordHash, String displayName,
                             String role, String oidcIssuer, String oidcSubject) {}

    /** Null fields are left as they are. */
    public record ProfileUpdated(UUID userId, String displayName, String bio, List<String> interests) {}

    /** An admin minted an access token for the user (impersonation, audited). */
    public record TokenMinted(UUID userId, UUID adminId) {}

    /** The user's avatar is now this image of theirs ({@code mediaId}); null: back to the generated default. */
    public record AvatarSet(UUID userId, UUID mediaId) {}

    /** {@code userId} blocked {@code blockedId}: keyed by the blocker. */
    public record Blocked(UUID userId, UUID blockedId) {}

    public record Unblocked(UUID userId, UUID blockedId) {}
}
