package org.c18n.suggestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Community suggestions from shared tags and shared members, with their reasons. */
class SuggestionTest extends PlatformTest {

    String community(Api owner, String name, List<String> tags, String visibility) {
        var created = owner.post("/api/v1/communities", Map.of("name", unique(name + " "), "tags", tags, "visibility", visibility));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    @Test
    void suggestsByTagsAndCoMembershipNeverJoinedOrPrivateOnes() {
        String tag = "bread" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
        Api ann = signedUp("sgann");
        Api bob = signedUp("sgbob");
        Api cat = signedUp("sgcat");
        Api owner = signedUp("sgown");
        String bakers = community(owner, "Bakers", List.of(tag), "public");
        String sourdough = community(owner, "Sourdough club", List.of(tag, "fermentation"), "public");
        String hidden = community(owner, "Secret bakers", List.of(tag), "private");
        String kayakers = community(owner, "Kayakers", List.of("paddle" + tag), "public");
        for (Api member : List.of(ann, bob, cat)) {
            member.post("/api/v1/communities/" + bakers + "/join", null);
        }
        bob.post("/api/v1/communities/" + kayakers + "/join", null);
        cat.post("/api/v1/communities/" + kayakers + "/join", null);

        var response = ann.get("/api/v1/suggestions/communities?limit=20");
        assertThat(response.status()).isEqualTo(200);
        List<String> ids = response.body().valueStream().map(s -> s.path("community").path("id").asString()).toList();
        assertThat(ids).contains(sourdough, kayakers).doesNotContain(bakers, hidden);
        JsonNode bySharedTag = find(response.body(), sourdough);
        assertThat(bySharedTag.path("reason").asString()).isEqualTo("popular in #" + tag);
        assertThat(bySharedTag.path("community").path("name").asString()).startsWith("Sourdough club");
        JsonNode byMembers = find(response.body(), kayakers);
        assertThat(byMembers.path("reason").asString()).startsWith("because you joined Bakers");
        // Bob and cat both joined Kayakers from Bakers (2 × 1.5) — more than one shared tag (2).
        assertThat(byMembers.path("score").asDouble()).isGreaterThan(bySharedTag.path("score").asDouble());

        // Joining a suggestion removes it.
        ann.post("/api/v1/communities/" + sourdough + "/join", null);
        assertThat(ann.get("/api/v1/suggestions/communities?limit=20").body().valueStream()
                .map(s -> s.path("community").path("id").asString()).toList()).doesNotContain(sourdough);
        assertProblem(ann.get("/api/v1/suggestions/communities?limit=0"), 400, "validation", "limit");
    }

    static JsonNode find(JsonNode suggestions, String community) {
        return suggestions.valueStream().filter(s -> s.path("community").path("id").asString().equals(community))
                .findFirst().orElseThrow();
    }
}
