package org.c18n.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as the API shows it: public fields, plus email and role for the user themself and admins. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserJson(UUID id, String username, String displayName, String bio, List<String> interests,
                       Instant createdAt, String avatar, String email, String role) {

    public static UserJson publicFields(UserView u) {
        return new UserJson(u.id(), u.username(), u.displayName(), u.bio(), u.interests(), u.createdAt(), u.avatar(), null, null);
    }

    public static UserJson allFields(UserView u) {
        return new UserJson(u.id(), u.username(), u.displayName(), u.bio(), u.interests(), u.createdAt(), u.avatar(), u.email(),
                u.role());
    }
}
