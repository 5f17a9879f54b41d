package org.c18n.community;

import java.util.List;
import java.util.UUID;
import org.c18n.identity.Users;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The communities a person belongs to, for their profile page: those the caller may see. */
@RestController
public class ProfileCommunitiesController {
    private final Communities communities;
    private final Users users;

    public ProfileCommunitiesController(Communities communities, Users users) {
        this.communities = communities;
        this.users = users;
    }

    @GetMapping("/api/v1/users/{userId}/communities")
    public List<CommunityJson> communities(CurrentUser me, @PathVariable UUID userId) {
        users.byId(userId).orElseThrow(() -> ApiException.notFound("User"));
        return communities.of(userId, me);
    }
}
