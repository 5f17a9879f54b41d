package org.c18n.analytics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.c18n.chat.ChatEvents;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.identity.UserEvents;
import org.c18n.post.PostEvents;

/** Reads an event of the log as the analytics count it. */
final class Facts {
    /** The totals of the dashboard, by the event that adds one to each. */
    static final Map<String, String> COUNTERS = Map.of(
            UserEvents.REGISTERED, "users",
            CommunityEvents.CREATED, "communities",
            CommunityEvents.USERGROUP_CREATED, "usergroups",
            PostEvents.CREATED, "posts.text",
            PostEvents.COMMENT_CREATED, "comments",
            PostEvents.SHARED, "shares",
            ChatEvents.MESSAGE_SENT, "messages",
            PostEvents.REACTION_SET, "reactions");

    /** What every event that happens in a community calls it (the analytics read nothing else of most events). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record InCommunity(UUID communityId) {}

    /** What the analytics read of an upload (the media feature does not publish its events). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record MediaKind(String kind) {}

    private Facts() {}

    static Fact of(Event event) {
        String type = event.type();
        String counter = COUNTERS.get(type);
        UUID media = null;
        List<String> tags = List.of();
        if (type.equals(PostEvents.CREATED)) {
            var post = event.data(PostEvents.Created.class);
            if (post.mediaIds() != null && !post.mediaIds().isEmpty()) {
                media = post.mediaIds().get(0);
                counter = null; // until the media's kind is known
            }
            if (post.tags() != null) {
                tags = post.tags().stream().filter(Objects::nonNull).map(tag -> tag.toLowerCase(Locale.ROOT)).toList();
            }
        } else if (type.equals(PostEvents.REACTION_SET) && "none".equals(event.data(PostEvents.ReactionSet.class).kind())) {
            counter = null; // taking a reaction back is not a reaction
        }
        return new Fact(type, event.data(InCommunity.class).communityId(), event.actor(), counter, media, tags);
    }

    /** {@code posts.video} when the post's first media is a video, else {@code posts.image}. */
    static String postKind(Event uploaded) {
        boolean video = uploaded != null && "video".equals(uploaded.data(MediaKind.class).kind());
        return video ? "posts.video" : "posts.image";
    }
}
