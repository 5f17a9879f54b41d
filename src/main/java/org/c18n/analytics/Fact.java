package org.c18n.analytics;

/**
 * What the analytics count of one event: its type, the community it happened in (or empty), who
 * did it (or empty), and the total it adds one to (or empty). Travels between the topology's
 * steps as one tab-separated string, so that no serde of our own is needed.
 */
record Fact(String type, String community, String actor, String counter) {

    static Fact parse(String text) {
        String[] parts = text.split("\t", -1);
        return new Fact(parts[0], parts[1], parts[2], parts[3]);
    }

    String text() {
        return type + "\t" + community + "\t" + actor + "\t" + counter;
    }

    Fact counting(String counter) {
        return new Fact(type, community, actor, counter);
    }

    Fact in(String community) {
        return new Fact(type, community == null ? "" : community, actor, counter);
    }
}
