package org.c18n.moderation;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.ObjectMapper;

/**
 * The communities one link appeared in during a window, as the link-spam rule aggregates them:
 * {@code <communities, comma-separated>\t<1 if the last post added a community, else 0>\t<the last post's event>}.
 */
final class LinkSpread {
    private LinkSpread() {}

    static String add(String seen, ObjectMapper json, String event) {
        Set<String> communities = new LinkedHashSet<>();
        if (!seen.isEmpty()) {
            communities.addAll(Arrays.asList(seen.substring(0, seen.indexOf('\t')).split(",")));
        }
        boolean added = communities.add(json.readTree(event).path("data").path("communityId").asString());
        return String.join(",", communities) + "\t" + (added ? 1 : 0) + "\t" + event;
    }

    /** True when the last post brought the link to exactly {@code threshold} communities. */
    static boolean justReached(String spread, int threshold) {
        String[] parts = spread.split("\t", 3);
        return parts[1].equals("1") && parts[0].split(",").length == threshold;
    }

    static String lastEvent(String spread) {
        return spread.split("\t", 3)[2];
    }
}
