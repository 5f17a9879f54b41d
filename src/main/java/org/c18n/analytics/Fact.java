package org.c18n.analytics;

import java.util.List;

/**
 * What the analytics count of one event: its type, the community it happened in (or empty), who
 * did it (or empty), the total it adds one to (or empty), and the tags it carries (a post's).
 * Travels between the topology's steps as one tab-separated string, so that no serde of our own
 * is needed.
 */
record Fact(String type, String community, String actor, String counter, List<String> tags) {

    static Fact parse(String text) {
        String[] parts = text.split("\t", -1);
        return new Fact(parts[0], parts[1], parts[2], parts[3], parts[4].isEmpty() ? List.of() : List.of(parts[4].split(",")));
    }

    String text() {
        return type + "\t" + community + "\t" + actor + "\t" + counter + "\t" + String.join(",", tags);
    }

    Fact counting(String counter) {
        return new Fact(type, community, actor, counter, tags);
    }

    Fact in(String community) {
        return new Fact(type, community == null ? "" : community, actor, counter, tags);
    }

    /** Whether this event shows someone writing: a post, a comment, a message. */
    boolean authored() {
        return type.equals("post.created") || type.equals("comment.created") || type.equals("message.sent");
    }
}
