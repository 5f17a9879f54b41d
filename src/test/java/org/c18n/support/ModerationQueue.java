package org.c18n.support;

import java.time.Duration;
import org.c18n.client.Api;

/** The moderation queue as a moderator sees it through the API. */
public final class ModerationQueue {
    private ModerationQueue() {}

    /** The open queue item about {@code target}, once the speed layer has put it there. */
    public static String itemAbout(Api moderator, String community, String target) {
        return Eventually.get(() -> moderator.get("/api/v1/moderation/queue?community=" + community).body(),
                page -> page.path("items").valueStream().anyMatch(i -> i.path("targetId").asString().equals(target)),
                Duration.ofSeconds(60)).path("items").valueStream()
                .filter(i -> i.path("targetId").asString().equals(target)).findFirst().orElseThrow().path("id").asString();
    }
}
