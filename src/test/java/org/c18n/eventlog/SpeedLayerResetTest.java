package org.c18n.eventlog;

import org.c18n.client.Api;
import org.c18n.speedlayer.SpeedLayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What replay does to the speed layer: its state is thrown away (group, changelogs, local
 * stores) and recomputed from the start of the log, giving the same totals as before.
 */
class SpeedLayerResetTest extends PlatformTest {
    @Autowired
    SpeedLayer speedLayer;

    /**
     * The totals in the stream's own stores (not the served copy): only a recount can refill them
     * after a reset. Each input partition's task counts its own events, so a counter's total is
     * the sum over this node's tasks (a single node holds them all).
     */
    static Map<String, Long> storedTotals(SpeedLayer speedLayer) {
        Map<String, Long> totals = new HashMap<>();
        try {
            var store = speedLayer.streams().store(StoreQueryParameters.fromNameAndType("partition-totals",
                    QueryableStoreTypes.<String, Long>keyValueStore()));
            try (var all = store.all()) {
                all.forEachRemaining(kv -> totals.merge(kv.key, kv.value, Long::sum));
            }
        } catch (RuntimeException notReadyYet) {
            return Map.of();
        }
        return totals;
    }

    @Test
    void aResetSpeedLayerRecountsTheSameTotalsFromTheLog() {
        Api ann = signedUp("reset");
        String community = ann.post("/api/v1/communities", Map.of("name", unique("Recount "))).text("id");
        long posts = Eventually.get(() -> storedTotals(speedLayer), t -> !t.isEmpty(), Duration.ofSeconds(60)).getOrDefault("posts.text", 0L);
        for (int i = 0; i < 3; i++) {
            ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "post " + i));
        }
        Eventually.get(() -> storedTotals(speedLayer), t -> t.getOrDefault("posts.text", 0L) >= posts + 3, Duration.ofSeconds(60));
        Map<String, Long> before = Eventually.settled(() -> storedTotals(speedLayer));
        assertThat(before.get("posts.text")).isGreaterThanOrEqualTo(posts + 3);

        speedLayer.stop();
        try {
            speedLayer.reset();
        } finally {
            speedLayer.start(); // the other tests share this platform
        }
        Map<String, Long> expected = before;
        Map<String, Long> after = Eventually.get(() -> storedTotals(speedLayer), expected::equals, Duration.ofSeconds(90));
        assertThat(after).isEqualTo(expected);
        assertThat(List.copyOf(after.keySet())).contains("users", "communities", "posts.text");
    }
}
