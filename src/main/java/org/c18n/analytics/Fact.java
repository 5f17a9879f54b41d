package org.c18n.analytics;

import java.util.List;
import java.util.UUID;

/**
 * What the analytics count of one event: its type, the community it happened in (or null), who
 * did it (or null), the total it adds one to (or null), a post's first media, whose kind decides
 * that total once it is known (or null), and the tags it carries (a post's).
 */
record Fact(String type, UUID community, UUID actor, String counter, UUID media, List<String> tags) {

    /** The fact of a post whose first media turned out to be of this kind. */
    Fact counting(String counter) {
        return new Fact(type, community, actor, counter, null, tags);
    }

    Fact in(UUID community) {
        return new Fact(type, community, actor, counter, media, tags);
    }

    /** Whether this event shows someone writing: a post, a comment, a message. */
    boolean authored() {
        return type.equals("post.created") || type.equals("comment.created") || type.equals("message.sent");
    }
}
