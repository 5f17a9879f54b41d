package org.c18n.post;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.c18n.media.MediaJson;
import org.c18n.reaction.EmojiReactions;

/** A post as the API shows it, with its author's public fields, counts, the caller's like or dislike and the emoji
 * reactions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostJson(UUID id, UUID communityId, UUID usergroupId, Author author, String title, String body,
                       List<String> tags, List<MediaJson> media, String status, Shared sharedFrom, int likeCount,
                       int dislikeCount, int commentCount, int shareCount, String myReaction,
                       List<EmojiReactions.Summary> emojis, Instant createdAt, Instant editedAt) {

    public record Author(UUID id, String username, String displayName) {}

    /** The original of a share; only its id when the caller may not read it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Shared(UUID id, UUID communityId, Author author, String title, String body, List<MediaJson> media,
                         Boolean unavailable) {}
}
