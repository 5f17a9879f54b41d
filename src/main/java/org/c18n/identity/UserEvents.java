package org.c18n.identity;

import java.util.List;
import java.util.UUID;

/** Payloads of the events on topic c18n.users (see docs/events.md). */
public final class UserEvents {
    public static final String REGISTERED = "user.registered";
    public static final String PROFILE_UPDATED = "user.profile_updated";
    public static final String TOKEN_MINTED = "user.token_minted";
    public static final String ERASED = "user.erased";

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
}
