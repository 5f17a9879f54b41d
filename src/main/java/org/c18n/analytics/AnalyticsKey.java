package org.c18n.analytics;

/**
 * A key of {@value AnalyticsTopology#OUTPUT}, which other readers than this code may read, so
 * written as text: {@code total|<counter>|<partition>} (value the count of the events of that input
 * partition: the total is the sum over the partitions),
 * {@code series|<minute|hour>|<type>|<community>|<windowStart>} (value the count; type
 * {@value AnalyticsTopology#ACTIVE_USERS} for distinct actors, community empty for all of them)
 * and {@code trending|<community|tag|poster>|<id>} (value a {@link DecayedScore}).
 */
sealed interface AnalyticsKey {
    String text();

    /** {@code partition} {@value #WHOLE}: a whole total as versions before the partial counts wrote it. */
    record Total(String counter, int partition) implements AnalyticsKey {
        static final int WHOLE = -1;

        @Override
        public String text() {
            return "total|" + counter + "|" + partition;
        }
    }

    record Series(String window, String type, String community, long start) implements AnalyticsKey {
        @Override
        public String text() {
            return "series|" + window + "|" + type + "|" + community + "|" + start;
        }
    }

    record Trending(String kind, String id) implements AnalyticsKey {
        @Override
        public String text() {
            return "trending|" + kind + "|" + id;
        }
    }

    /** The key {@code text} is, or an {@link IllegalArgumentException} when it is none. */
    static AnalyticsKey parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\|", -1);
        if (parts.length == 3 && parts[0].equals("total")) {
            return new Total(parts[1], Integer.parseInt(parts[2]));
        }
        if (parts.length == 2 && parts[0].equals("total")) {
            return new Total(parts[1], Total.WHOLE);
        }
        if (parts.length == 5 && parts[0].equals("series")) {
            return new Series(parts[1], parts[2], parts[3], Long.parseLong(parts[4]));
        }
        if (parts.length >= 3 && parts[0].equals("trending")) {
            return new Trending(parts[1], text.substring(parts[0].length() + parts[1].length() + 2));
        }
        throw new IllegalArgumentException("not a key of " + AnalyticsTopology.OUTPUT + ": " + text);
    }
}
