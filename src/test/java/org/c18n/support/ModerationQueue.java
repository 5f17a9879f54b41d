package org.c18n.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.c18n.client.Api;

/** The moderation queue as a moderator sees it through the API. */
public final class ModerationQueue {
    private ModerationQueue() {}

    /** Three new users report what {@code reportsPath} (…/reports) is about: enough for the speed layer to queue it. */
    public static void reportThreeTimes(String base, String reportsPath) {
        for (int i = 0; i < 3; i++) {
            assertThat(Accounts.signedUp(base, PlatformTest.unique("rep")).post(reportsPath, Map.of("reason", "abuse")).status())
                    .isEqualTo(201);
        }
    }

    /** The open queue item about {@code target}, once the speed layer has put it there. */
    public static String itemAbout(Api moderator, String community, String target) {
        return Eventually.get(() -> moderator.get("/api/v1/moderation/queue?community=" + community).body(),
                page -> page.path("items").valueStream().anyMatch(i -> i.path("targetId").asString().equals(target)),
                Duration.ofSeconds(60)).path("items").valueStream()
                .filter(i -> i.path("targetId").asString().equals(target)).findFirst().orElseThrow().path("id").asString();
    }
}
