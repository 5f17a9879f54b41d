package org.c18n.post;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.c18n.media.MediaJson;
import org.c18n.reaction.EmojiReactions;

/**
 * A post as the API shows it, with its author's public fields, counts and the caller's reaction;
 * {@code held} (only to its author and moderators) while flagged content waits for a moderator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostJson(UUID id, UUID communityId, String communityName, UUID usergroupId, Author author, String title, String body,
                       List<String> tags, List<MediaJson> media, String status, Shared sharedFrom, int likeCount,
                       int dislikeCount, int commentCount, int shareCount, String myReaction,
                       List<EmojiReactions.Summary> emojis, Instant createdAt, Instant editedAt, Boolean held) {

    public record Author(UUID id, String username, String displayName) {}

    /** The original of a share; only its id when the caller may not read it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Shared(UUID id, UUID communityId, String communityName, Author author, String title, String body, List<MediaJson> media,
                         Boolean unavailable) {}
}
