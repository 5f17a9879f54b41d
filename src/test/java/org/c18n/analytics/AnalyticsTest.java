package org.c18n.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.c18n.support.Socket;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The analytics computed by the Kafka Streams topology on the embedded broker, through the API and the socket. */
class AnalyticsTest extends PlatformTest {

    /** Waits for the streams (which may still be starting) to have counted at least {@code atLeast}. */
    static long awaitTotal(Api admin, String counter, long atLeast) {
        return Eventually.get(() -> {
            var totals = admin.get("/api/v1/analytics/totals");
            assertThat(totals.status()).as(totals.toString()).isEqualTo(200);
            return totals.body().path("totals").path(counter).asLong(0);
        }, value -> value >= atLeast, Duration.ofSeconds(60));
    }

    @Test
    void postsAreCountedLivePerMinuteAndPushedToAdminDashboards() {
        Api admin = admin();
        Api ann = signedUp("stats");
        String community = ann.post("/api/v1/communities", Map.of("name", unique("Counted "))).text("id");
        long posts = awaitTotal(admin, "communities", 1) >= 1 ? admin.get("/api/v1/analytics/totals").body()
                .path("totals").path("posts.text").asLong(0) : 0;

        Socket dashboard = Socket.connect(admin);
        dashboard.await("hello");
        dashboard.send(Map.of("type", "subscribe", "feed", "analytics"));
        dashboard.await("subscribed");

        String tag = "tag" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Api.Response counted = ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Count me", "tags", List.of(tag)));
        assertThat(counted.status()).isEqualTo(201);
        String postId = counted.text("id");
        // Other tests' posts may still be counted: exactly one is asserted on this community's own series below.
        assertThat(awaitTotal(admin, "posts.text", posts + 1)).isGreaterThanOrEqualTo(posts + 1);
        JsonNode pushed = dashboard.await("analytics", f -> f.path("totals").has("posts.text"));
        assertThat(pushed.path("totals").path("posts.text").asLong()).isGreaterThanOrEqualTo(posts + 1);

        // Series are added up per input partition and re-keyed: a commit or two after the total.
        var series = admin.get("/api/v1/analytics/series?window=minute");
        assertThat(series.status()).isEqualTo(200);
        long createdThisMinute = Eventually.get(() -> {
            JsonNode created = admin.get("/api/v1/analytics/series?window=minute").body().path("series").path("post.created");
            return created.isEmpty() ? 0L : created.get(created.size() - 1).get(1).asLong();
        }, n -> n >= 1, Duration.ofSeconds(60));
        assertThat(createdThisMinute).isGreaterThanOrEqualTo(1);

        // The community's owner sees its series; nobody else but admins sees anything.
        var mine = ann.get("/api/v1/analytics/series?window=minute&community=" + community);
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        long inCommunity = Eventually.get(() -> {
            JsonNode points = ann.get("/api/v1/analytics/series?window=minute&community=" + community).body()
                    .path("series").path("post.created");
            return points.isEmpty() ? 0L : points.get(points.size() - 1).get(1).asLong();
        }, n -> n >= 1, Duration.ofSeconds(60));
        assertThat(inCommunity).isEqualTo(1);
        // Trending: the post's tag, its community and its author, with the names a reader needs.
        // Top posters are the platform's: other tests' people wrote hundreds of things, so ann writes
        // enough to be among the hundred shown whichever tests ran before.
        for (int i = 0; i < 60; i++) {
            ann.post("/api/v1/posts/" + postId + "/comments", Map.of("body", "Again " + i));
        }
        // Tags, communities and posters are each re-keyed and counted on their own, so each may arrive last.
        JsonNode trending = Eventually.get(() -> admin.get("/api/v1/analytics/trending?limit=100").body(),
                t -> t.path("tags").valueStream().anyMatch(tag2 -> tag2.path("id").asString().equals(tag))
                        && t.path("communities").valueStream().anyMatch(c -> c.path("id").asString().equals(community))
                        && t.path("posters").valueStream().anyMatch(p -> p.path("id").asString().equals(ann.id())),
                Duration.ofSeconds(60));
        assertThat(trending.path("tags").valueStream().map(t -> t.path("name").asString()).toList()).contains(tag);
        assertThat(trending.path("communities").valueStream().map(t -> t.path("id").asString()).toList()).contains(community);
        assertThat(trending.path("posters").valueStream().filter(p -> p.path("id").asString().equals(ann.id()))
                .findFirst().orElseThrow().path("name").asString()).isEqualTo(ann.get("/api/v1/users/me").text("username"));
        Api bob = signedUp("nosy");
        assertProblem(bob.get("/api/v1/analytics/trending"), 403, "forbidden", "admins");
        assertProblem(bob.get("/api/v1/analytics/totals"), 403, "forbidden", "admins");
        assertProblem(bob.get("/api/v1/analytics/series"), 403, "forbidden", "admins");
        assertProblem(bob.get("/api/v1/analytics/series?community=" + community), 403, "forbidden", "moderators");
        assertProblem(admin.get("/api/v1/analytics/series?window=week"), 400, "validation", "window");

        Socket nosy = Socket.connect(bob);
        nosy.await("hello");
        nosy.send(Map.of("type", "subscribe", "feed", "analytics"));
        assertThat(nosy.await("error").path("code").asString()).isEqualTo("forbidden");

        // Unsubscribed, the dashboard hears no more of the counters moving (the pong comes after anything queued before).
        dashboard.send(Map.of("type", "unsubscribe", "feed", "analytics"));
        dashboard.send(Map.of("type", "ping"));
        dashboard.await("pong");
        ann.post("/api/v1/posts/" + postId + "/comments", Map.of("body", "Unheard"));
        assertThat(dashboard.collect("analytics", Duration.ofSeconds(2))).isEmpty();
        dashboard.close();
        nosy.close();
    }
}
