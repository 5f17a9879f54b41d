package org.c18n.identity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A row of the users view. */
public record UserView(UUID id, String username, String email, String passwordHash, String displayName,
                       String bio, List<String> interests, String role, Instant createdAt,
                       UUID avatarMediaId) {

    public String avatar() {
        return Users.avatarUrl(id);
    }

    public boolean admin() {
        return "admin".equals(role);
    }
}
