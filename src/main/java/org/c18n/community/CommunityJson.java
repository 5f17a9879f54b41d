package org.c18n.community;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A community as the API shows it, with its {@code rules} (Markdown; null or empty when it has none); {@code myRole} is the caller's role and {@code notificationsMuted}
 * whether they muted its new-post notifications, both null when not a member; {@code bannedWords}
 * only for its owner and moderators; {@code archivedAt} set while it is archived (read-only); {@code myRestriction} the caller's mute or ban in force, if any.
 */
public record CommunityJson(UUID id, String name, String description, String rules, List<String> tags, String visibility,
                            String joinPolicy, boolean postApproval, UUID ownerId, int memberCount, Instant createdAt,
                            Instant updatedAt, Instant archivedAt, String myRole, Boolean notificationsMuted, List<String> bannedWords,
                            Communities.Restriction myRestriction) {

    public boolean isPublic() {
        return "public".equals(visibility);
    }

    /** What the row says of writing here (archived, the caller's mute or ban): no second read needed. */
    public Communities.Standing standing() {
        return new Communities.Standing(archivedAt != null, java.util.Optional.ofNullable(myRestriction));
    }

    public boolean canModerate() {
        return "owner".equals(myRole) || "moderator".equals(myRole);
    }
}
