package org.c18n.analytics;

import java.util.List;
import java.util.Map;
import org.c18n.chat.ChatEvents;
import org.c18n.community.CommunityEvents;
import org.c18n.identity.UserEvents;
import org.c18n.post.PostEvents;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads an event of the log as the analytics count it. */
final class Facts {
    /** A post with media, until its first media's kind is known: {@code posts.media:<mediaId>}. */
    static final String POSTS_WITH_MEDIA = "posts.media:";

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

    private Facts() {}

    static Fact of(ObjectMapper json, String value) {
        JsonNode event = json.readTree(value);
        String type = event.path("type").asString();
        JsonNode data = event.path("data");
        String counter = COUNTERS.getOrDefault(type, "");
        if (type.equals(PostEvents.REACTION_SET) && data.path("kind").asString().equals("none")) {
            counter = ""; // taking a reaction back is not a reaction
        }
        if (type.equals(PostEvents.CREATED) && AnalyticsTopology.firstMedia(data) != null) {
            counter = POSTS_WITH_MEDIA + AnalyticsTopology.firstMedia(data);
        }
        JsonNode community = data.path("communityId");
        JsonNode actor = event.path("actor");
        List<String> tags = new java.util.ArrayList<>();
        if (type.equals(PostEvents.CREATED)) {
            data.path("tags").forEach(tag -> tags.add(tag.asString().toLowerCase(java.util.Locale.ROOT).replace(",", "")));
        }
        return new Fact(type, community.isString() ? community.asString() : "", actor.isString() ? actor.asString() : "",
                counter, tags);
    }

    /** {@code posts.video} when the post's first media is a video, else {@code posts.image}. */
    static String postKind(ObjectMapper json, String uploaded) {
        boolean video = uploaded != null && json.readTree(uploaded).path("data").path("kind").asString().equals("video");
        return video ? "posts.video" : "posts.image";
    }
}
