package org.c18n.identity;

import java.util.List;
import java.util.UUID;

/** Payloads of the events on topic c18n.users (see docs/events.md). */
public final class UserEvents {
    public static final String REGISTERED = "user.registered";
    public static final String PROFILE_UPDATED = "user.profile_updated";
    public static final String TOKEN_MINTED = "user.token_minted";
    public static final String ERASED = "user.erased";
    public static final String PASSWORD_CHANGED = "user.password_changed";
    public static final String PASSWORD_RESET_REQUESTED = "user.password_reset_requested";
    public static final String PASSWORD_RESET = "user.password_reset";
    public static final String EMAIL_CHANGED = "user.email_changed";
    public static final String EMAIL_VERIFICATION_REQUESTED = "user.email_verification_requested";
    public static final String EMAIL_VERIFIED = "user.email_verified";
    public static final String AVATAR_SET = "user.avatar_set";
    public static final String BLOCKED = "user.blocked";
    public static final String UNBLOCKED = "user.unblocked";

    private UserEvents() {}

    /**
     * The record key of a claim of {@code username} (any case): a SHA-256 of the lower-case name,
     * so that two claims of one name are ordered while the log's keys, which erasure cannot
     * shred, do not spell the name out.
     */
    public static String usernameClaim(String username) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(username.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "username#" + java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keyed by the claim of the username ({@link #usernameClaim}), so two claims of one name are ordered. */
    public record Registered(UUID userId, String username, String email, String passwordHash, String displayName,
                             String role, String oidcIssuer, String oidcSubject) {}

    /** Null fields are left as they are. */
    public record ProfileUpdated(UUID userId, String displayName, String bio, List<String> interests) {}

    /** An admin minted an access token for the user (impersonation, audited). */
    public record TokenMinted(UUID userId, UUID adminId) {}

    /**
     * The account was deleted and the person's key destroyed (keyed by the user's id): the views
     * keep them only as "Deleted user". {@code by} is the person or the admin who deleted it.
     */
    public record Erased(UUID userId, UUID by) {}

    /** The user changed their password ({@code adminId} null), or an admin set it. */
    public record PasswordChanged(UUID userId, String passwordHash, UUID adminId) {}

    /**
     * Someone asked for a "forgot password" mail for the user. The event's id names the request;
     * the link's secret is derived from it when the mail is, and is never in the log.
     */
    public record PasswordResetRequested(UUID userId) {}

    /** The link of request {@code requestId} set a new password; a request is used once, within its hour. */
    public record PasswordReset(UUID userId, UUID requestId, String passwordHash) {}

    /** The user changed their e-mail address; it counts as unconfirmed until its link is followed. */
    public record EmailChanged(UUID userId, String email) {}

    /** A confirmation mail for the user's current address is wanted again (a refused sign-in asked for it). */
    public record EmailVerificationRequested(UUID userId) {}

    /** The mailed link confirmed {@code email}; it counts only while that is still the account's address. */
    public record EmailVerified(UUID userId, String email) {}

    /** The user's avatar is now this image of theirs ({@code mediaId}); null: back to the generated default. */
    public record AvatarSet(UUID userId, UUID mediaId) {}

    /** {@code userId} blocked {@code blockedId}: keyed by the blocker. */
    public record Blocked(UUID userId, UUID blockedId) {}

    public record Unblocked(UUID userId, UUID blockedId) {}
}
