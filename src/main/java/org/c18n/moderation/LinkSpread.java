package org.c18n.moderation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.c18n.post.PostEvents;

/**
 * The communities one link appeared in during a window, as the link-spam rule aggregates them:
 * whether the last post that carried it added a community, and that post (which a flag names).
 */
record LinkSpread(List<UUID> communities, boolean grew, UUID postId, UUID communityId, UUID authorId, Instant at) {
    static final LinkSpread NONE = new LinkSpread(List.of(), false, null, null, null, null);

    LinkSpread add(PostEvents.Created post, Instant at) {
        List<UUID> seen = new ArrayList<>(communities);
        boolean grew = !seen.contains(post.communityId()) && seen.add(post.communityId());
        return new LinkSpread(seen, grew, post.postId(), post.communityId(), post.authorId(), at);
    }

    /** True when the last post brought the link to exactly {@code threshold} communities. */
    boolean justReached(int threshold) {
        return grew && communities.size() == threshold;
    }
}
