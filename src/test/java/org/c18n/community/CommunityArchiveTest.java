package org.c18n.community;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.time.Duration;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;

/** An owner archives a community (read-only), unarchives it, and deletes it with its name typed again. */
class CommunityArchiveTest extends PlatformTest {

    @Test
    void anArchivedCommunityIsReadOnlyUntilItsOwnerUnarchivesIt() {
        Api owner = signedUp("aowner");
        Api member = signedUp("amember");
        String community = community(owner, member);
        String post = member.post("/api/v1/communities/" + community + "/posts", Map.of("body", "Before the archive")).text("id");
        // Its rules, set in the settings, are what members read on its page.
        assertProblem(owner.patch("/api/v1/communities/" + community, Map.of("rules", "x".repeat(5001))), 400, "validation",
                "rules");
        assertThat(owner.patch("/api/v1/communities/" + community, Map.of("rules", "1. Be kind")).status()).isEqualTo(200);
        assertThat(member.get("/api/v1/communities/" + community).text("rules")).isEqualTo("1. Be kind");

        assertProblem(member.post("/api/v1/communities/" + community + "/archive", null), 403, "forbidden", "owner");
        var archived = owner.post("/api/v1/communities/" + community + "/archive", null);
        assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
        assertThat(archived.body().path("archivedAt").isNull()).isFalse();
        assertProblem(owner.post("/api/v1/communities/" + community + "/archive", null), 409, "already-archived", "already");

        // Still readable, nothing new goes in: a clear 409 for posts, comments, edits and shares.
        assertThat(member.get("/api/v1/posts/" + post).status()).isEqualTo(200);
        assertThat(member.get("/api/v1/communities/" + community + "/posts").body().path("items")).hasSize(1);
        assertProblem(member.post("/api/v1/communities/" + community + "/posts", Map.of("body", "After")), 409, "archived",
                "read-only");
        assertProblem(owner.post("/api/v1/posts/" + post + "/comments", Map.of("body", "After")), 409, "archived", "read-only");
        assertProblem(member.patch("/api/v1/posts/" + post, Map.of("body", "Edited")), 409, "archived", "read-only");
        String elsewhere = community(member);
        String outside = member.post("/api/v1/communities/" + elsewhere + "/posts", Map.of("body", "Elsewhere")).text("id");
        assertProblem(member.post("/api/v1/posts/" + outside + "/shares", Map.of("communityId", community)), 409, "archived",
                "read-only");

        assertProblem(member.post("/api/v1/communities/" + community + "/unarchive", null), 403, "forbidden", "owner");
        var unarchived = owner.post("/api/v1/communities/" + community + "/unarchive", null);
        assertThat(unarchived.status()).as(unarchived.toString()).isEqualTo(200);
        assertThat(unarchived.body().path("archivedAt").isNull()).isTrue();
        assertProblem(owner.post("/api/v1/communities/" + community + "/unarchive", null), 409, "not-archived", "not");
        assertThat(member.post("/api/v1/communities/" + community + "/posts", Map.of("body", "After")).status()).isIn(201, 202);
    }

    @Test
    void deletingACommunityNeedsItsNameAndTakesItsContentOutOfFeedsAndSearch() {
        Api owner = signedUp("downer");
        Api member = signedUp("dmember");
        String community = community(owner, member);
        String name = owner.get("/api/v1/communities/" + community).text("name");
        String word = unique("zebracorn").toLowerCase();
        String post = member.post("/api/v1/communities/" + community + "/posts", Map.of("body", "About " + word)).text("id");
        Eventually.get(() -> member.get("/api/v1/search?q=" + word).body(), page -> page.path("items").size() > 0,
                Duration.ofSeconds(30));
        assertThat(member.get("/api/v1/feed").body().path("items").valueStream()
                .anyMatch(p -> p.path("id").asString().equals(post))).isTrue();

        assertProblem(member.delete("/api/v1/communities/" + community + "?confirm=" + encode(name)), 403, "forbidden", "owner");
        assertProblem(owner.delete("/api/v1/communities/" + community), 400, "validation", "confirm");
        assertProblem(owner.delete("/api/v1/communities/" + community + "?confirm=" + encode(name.toUpperCase())), 400,
                "validation", "confirm");
        var deleted = owner.delete("/api/v1/communities/" + community + "?confirm=" + encode(name));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);

        assertThat(member.get("/api/v1/communities/" + community).status()).isEqualTo(404);
        assertThat(owner.get("/api/v1/communities/" + community).status()).isEqualTo(404);
        assertThat(member.get("/api/v1/posts/" + post).status()).isEqualTo(404);
        assertThat(member.get("/api/v1/feed").body().path("items").valueStream()
                .noneMatch(p -> p.path("id").asString().equals(post))).isTrue();
        assertThat(Eventually.get(() -> member.get("/api/v1/search?q=" + word).body(), page -> page.path("items").isEmpty(),
                Duration.ofSeconds(30)).path("items")).isEmpty();
        assertThat(owner.delete("/api/v1/communities/" + community + "?confirm=" + encode(name)).status()).isEqualTo(404);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
